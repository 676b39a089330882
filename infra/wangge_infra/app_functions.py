"""The Lambda functions the Chalice app declares, read off the app object.

Chalice makes one function for the REST API (`api_handler`) and one for each
`@app.schedule` and `@app.lambda_function` (blueprints' included, their name
prefixed by `name_prefix`). `chalice package` gives each the logical ID
`to_cfn_resource_name(name)`; the stack finds them in the template by it, so a
function added to the app is deployed, named, logged, traced and alarmed with
no edit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

API_HANDLER = "api_handler"
# The one logical ID `chalice package` does not derive from the name.
API_LOGICAL_ID = "APIHandler"


@dataclass(frozen=True)
class AppFunction:
    name: str  # as Chalice names it: "api_handler", "open_monthly_rechecks", ...
    logical_id: str  # the function's resource in the template
    schedule: str | None = None  # "cron(...)" or "rate(...)" for a scheduled function

    @property
    def is_api(self) -> bool:
        return self.name == API_HANDLER

    def physical_name(self, stage: str) -> str:
        return f"wangge-{stage}-{self.name.replace('_', '-')}"


def load_app(functions_dir: Path) -> Any:
    """The Chalice app object, imported the way `chalice package` imports it."""
    from chalice.cli.factory import CLIFactory

    return CLIFactory(str(functions_dir)).load_chalice_app()


def functions_of(app: Any) -> list[AppFunction]:
    """Every Lambda function `chalice package` makes for `app`."""
    from chalice.app import ScheduledEventConfig
    from chalice.utils import to_cfn_resource_name

    unsupported = [source.name for source in app.event_sources
                   if not isinstance(source, ScheduledEventConfig)]
    unsupported += list(app.websocket_handlers)
    unsupported += [handler.name for handler in app.builtin_auth_handlers]
    if unsupported:
        # Each would need its own wiring here (a queue, a bucket notification,
        # a WebSocket API, an authorizer's permissions) and its own tests.
        raise ValueError(f"infra/ deploys routes, schedules and plain functions; "
                         f"{', '.join(unsupported)} need wangge_infra/ extended")
    functions = [AppFunction(API_HANDLER, API_LOGICAL_ID)] if app.routes else []
    for source in app.event_sources:
        expression = source.schedule_expression
        functions.append(AppFunction(
            source.name, to_cfn_resource_name(source.name),
            schedule=expression if isinstance(expression, str) else expression.to_string()))
    functions += [AppFunction(function.name, to_cfn_resource_name(function.name))
                  for function in app.pure_lambda_functions]
    return functions
