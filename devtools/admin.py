"""Administration from the command line, against the tables of WANGGE_STAGE
(DynamoDB Local when DYNAMODB_ENDPOINT is set, AWS otherwise).

    python -m devtools.admin create-county-admin --county 140825 --county-name 新绛县 \\
        --phone 13800000000 --name 张三 --password '...'
"""

import argparse
import sys

from devtools import environment


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-county-admin", help="the county grid and its admin")
    create.add_argument("--county", required=True)
    create.add_argument("--county-name", required=True)
    create.add_argument("--phone", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--password", required=True, help="initial; changed at first login")
    args = parser.parse_args()
    if str(environment.FUNCTIONS) not in sys.path:
        sys.path.insert(0, str(environment.FUNCTIONS))
    from chalicelib.errors import WanggeError
    from chalicelib.usecases import bootstrap

    try:
        bootstrap.ensure_county(args.county, args.county_name)
        user = bootstrap.ensure_user(phone=args.phone, name=args.name, role="county_admin",
                                     scope_code=args.county, password=args.password)
    except WanggeError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 1
    print(f"county {args.county} ready; admin {user.user_id} ({args.phone}) must change the "
          "password at first login")
    return 0


if __name__ == "__main__":
    sys.exit(main())
