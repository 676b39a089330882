"""Run a scheduled sweep once, against the local stack (`make run`) or any
DynamoDB the environment names — the same use case the schedule calls.

    python -m devtools.sweep case-deadlines [--now 2026-11-28T09:00:00+08:00]
    python -m devtools.sweep hotline-callbacks [--now …]

It reads DYNAMODB_ENDPOINT (default: make run's, 127.0.0.1:PORT+1) and prints
what the sweep did.
"""

import argparse
import json
import os
from datetime import datetime

from devtools import environment


def _sweeps():
    from chalicelib.usecases import case_deadlines, hotline

    return {"case-deadlines": case_deadlines.sweep,
            "hotline-callbacks": hotline.deliver_callbacks}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", choices=["case-deadlines", "hotline-callbacks"])
    parser.add_argument("--now", type=datetime.fromisoformat,
                        help="the sweep's time (ISO 8601 with a zone); default: now")
    args = parser.parse_args()
    if args.now is not None and args.now.tzinfo is None:
        parser.error("--now needs a time zone, e.g. +08:00")
    port = int(os.environ.get("PORT", "8000"))
    endpoint = os.environ.get("DYNAMODB_ENDPOINT") or \
        f"http://127.0.0.1:{os.environ.get('DYNAMODB_PORT', port + 1)}"
    environment.configure(endpoint, stage=os.environ.get("WANGGE_STAGE", "local"))
    print(json.dumps(_sweeps()[args.name](args.now), ensure_ascii=False))


if __name__ == "__main__":
    main()
