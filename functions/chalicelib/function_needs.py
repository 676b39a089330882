"""What each Lambda function may touch on AWS, declared beside the code that
touches it; infra/ grants each function's role exactly this (the format is in
infra/wangge_infra/permissions.py, and tests/infra check the template against it).

Functions are named as Chalice names them: `api_handler` for the REST API, the
`name=` of a schedule's decorator for a sweep.
"""

EVERY_TABLE = "*"
# The audit log is append-only: whoever writes it may add entries, never change
# or remove one.
AUDIT_LOG = {"audit": "append"}
# The records an Excel import or export reads and writes, with what a ledger
# write rests on: the grid it checks, the claims, the counters, the audit log.
LEDGER_TABLES = {"ledger_jobs": "read_write", "households": "read_write",
                 "residents": "read_write", "rentals": "read_write", "tenants": "read_write",
                 "uniques": "read_write", "counters": "read_write", **AUDIT_LOG,
                 "grids": "read_write", "workers": "read", "board_marks": "read_write"}

FUNCTION_NEEDS = {
    # Every route: accounts, grids, ledgers and cases; case photos are uploaded and
    # viewed through presigned links, Excel files uploaded, templates and small
    # exports written; QR codes verified (the public scan) and signed (their images).
    "api_handler": {
        "tables": {EVERY_TABLE: "read_write", **AUDIT_LOG},
        "buckets": {"attachments": "read_write", "exports": "read_write"},
        "signing_keys": True,
        "qr_keys": True,
    },
    # Finishes subtree moves: the move jobs, the grids and their counters, and
    # every store whose records carry a grid code, through the mover it
    # registers (store/grid_moves.py; a test checks each mover is listed here).
    "resume-grid-moves": {"tables": {
        name: "read_write" for name in (
            "grid_moves", "grids", "counters", "households", "residents", "rentals",
            "tenants", "workers", "assignments", "users", "api_keys", "cases",
            "case_callbacks", "board_marks")}},
    # Warns, marks overdue and escalates: a case, its timeline and its indicator
    # counters in one transaction; the sweep's own mark.
    "case-deadlines": {"tables": {"cases": "read_write", "case_events": "read_write",
                                  "counters": "read_write", "sweep_marks": "read_write"}},
    # Claims and finishes due callbacks; reads the cases they report on and the
    # API keys whose callback secrets sign them.
    "hotline-callbacks": {"tables": {"case_callbacks": "read_write", "cases": "read",
                                     "case_keys": "read", "api_keys": "read"}},
    # Finishes print sheets: issues each record's code (the code, the codes it
    # revokes, the record's latest-code claim, the audit entry), reads the records,
    # their grids and workers, and writes the PDF.
    "print-sheets": {"tables": {"print_jobs": "read_write", "qr_codes": "read_write",
                                "board_marks": "read_write",
                                "uniques": "read_write", **AUDIT_LOG, "rentals": "read",
                                "assignments": "read", "workers": "read", "grids": "read"},
                     "buckets": {"exports": "read_write"}, "qr_keys": True},
    # Finishes Excel imports and exports.
    "ledger-jobs": {"tables": LEDGER_TABLES, "buckets": {"exports": "read_write"}},
}
