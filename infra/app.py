"""The CDK app: one Wangge stage, `cdk synth|deploy -c stage=dev|prod -c region=...`,
or several at once with `-c targets='[{"stage": "dev", "region": ...}, ...]'`
(each entry holds the context keys of one stage; tests/infra synthesize a
commercial and a China stage in one run that way).

See infra/README.md. Runs with the project's virtualenv (cdk.json), which has
the app's own dependencies: the tables are read off its PynamoDB models and
the functions off its Chalice app.
"""

import contextlib
import json
import os
import sys
import tempfile
from pathlib import Path

INFRA = Path(__file__).resolve().parent
FUNCTIONS = INFRA.parent / "functions"
# functions/ first: Chalice imports `app` from it, which must not be this file.
sys.path.insert(0, str(FUNCTIONS))

import aws_cdk as cdk
from wangge_infra import schema, stage
from wangge_infra.stack import WanggeStack


def stage_settings(app: cdk.App) -> list[stage.StageSettings]:
    default_region = os.environ.get("CDK_DEFAULT_REGION")
    targets = app.node.try_get_context("targets")
    if not targets:
        return [stage.from_context(app.node.try_get_context, default_region)]
    if isinstance(targets, str):
        targets = json.loads(targets)
    return [stage.from_context(target.get, default_region) for target in targets]


def main() -> None:
    app = cdk.App()
    tables = schema.app_tables()
    # The Chalice construct packages the app into ./chalice.out; a temporary
    # directory holds it until the synthesis has copied it into cdk.out.
    with tempfile.TemporaryDirectory(prefix="wangge-chalice-") as package_dir:
        for settings in stage_settings(app):
            # `chalice package` names service principals after the region.
            os.environ["AWS_DEFAULT_REGION"] = settings.region
            with contextlib.chdir(package_dir):
                WanggeStack(app, settings=settings, tables=tables, functions_dir=FUNCTIONS)
        app.synth()


if __name__ == "__main__":
    main()
