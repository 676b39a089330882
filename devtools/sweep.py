"""Run a scheduled sweep once — the same use case the schedule calls — against
the local stack (`make run`) or any DynamoDB the environment names.

    make sweep NAME=case-deadlines [NOW=2026-11-28T09:00:00+08:00]
    python -m devtools.sweep ledger-jobs

It reads DYNAMODB_ENDPOINT (default: make run's, 127.0.0.1:PORT+1) and prints
what the sweep did.
"""

import argparse
import json
import os
from datetime import datetime

from devtools import environment


def main() -> None:
    environment.add_functions_to_path()
    from chalicelib.sweeps import SWEEPS

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", choices=sorted(SWEEPS))
    parser.add_argument("--now", type=datetime.fromisoformat,
                        help="the sweep's time (ISO 8601 with a zone); default: now")
    args = parser.parse_args()
    if args.now is not None and args.now.tzinfo is None:
        parser.error("--now needs a time zone, e.g. +08:00")
    port = int(os.environ.get("PORT", "8000"))
    endpoint = os.environ.get("DYNAMODB_ENDPOINT") or \
        f"http://127.0.0.1:{os.environ.get('DYNAMODB_PORT', port + 1)}"
    os.environ.setdefault("S3_ENDPOINT", f"http://127.0.0.1:{os.environ.get('S3_PORT', port + 2)}")
    environment.configure(endpoint, stage=os.environ.get("WANGGE_STAGE", "local"))
    from chalicelib import sweeps

    print(json.dumps(sweeps.run(args.name, args.now), ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
