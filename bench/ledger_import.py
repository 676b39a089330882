"""A 20,000-row household ledger imported within one Lambda invocation's limits
(15 minutes, the function's memory), against a throwaway DynamoDB Local and
local S3 server: reading and checking the file (the dry run), the import, and
the same file imported again (nothing to write).

    .venv/bin/python bench/ledger_import.py [--rows 20000]

Prints the seconds of each phase, rows per second and the peak memory of the
process. DynamoDB Local is far slower than DynamoDB (every write goes through
SQLite, one at a time); its figures bound AWS's from above.
"""

import argparse
import io
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

import throwaway

from devtools import dynamodb_local, s3_local

LAMBDA_SECONDS = 15 * 60
LAMBDA_MEMORY_MB = 1024
COUNTY, TOWN = "140899", "140899101"
RESIDENTS_PER_HOUSEHOLD = 2  # with its household row, three rows per household


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    import os

    s3_port = dynamodb_local.free_port()
    os.environ.update(S3_ENDPOINT=f"http://127.0.0.1:{s3_port}",
                      WANGGE_EXPORTS_BUCKET="wangge-bench-exports")
    with throwaway.database():
        s3 = s3_local.start("wangge-bench-exports", s3_port)
        try:
            run(args.rows)
        finally:
            s3.stop()


def workbook(micro_grids: list[str], rows: int) -> bytes:
    from datetime import date, timedelta

    from chalicelib.domain import id_numbers
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    households = book.create_sheet("住户")
    households.append(["户编号", "网格编码", "地址", "户主姓名", "备注"])
    residents = book.create_sheet("居民")
    residents.append(["户编号", "姓名", "身份证号", "联系电话", "人口类型", "重点人群", "与户主关系",
                      "备注"])
    count = rows // (1 + RESIDENTS_PER_HOUSEHOLD)
    for n in range(count):
        key, grid = f"H{n}", micro_grids[n % len(micro_grids)]
        households.append([key, grid, f"测试村{n // 100}组{n}号", f"户主{n}", ""])
        for m in range(RESIDENTS_PER_HOUSEHOLD):
            # One birthday per household, one sequence number per member: all distinct.
            number = id_numbers.make("140899", date(1940, 1, 1) + timedelta(days=n), m + 1)
            residents.append([key, f"居民{n}-{m}", number, "", "户籍" if m else "流动",
                              "低保" if n % 17 == 0 else "", "户主" if m == 0 else "配偶", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(rows: int) -> None:
    from chalicelib.schemas.ledger_files import ImportRequest, UploadRequest
    from chalicelib.store import counters, grids, objects
    from chalicelib.usecases import ledger_files
    from chalicelib.web.access import Caller

    from devtools import tables

    tables.create_all()
    codes = [COUNTY, TOWN, f"{TOWN}201", f"{TOWN}20101"]
    codes += [f"{TOWN}20101{n:02d}" for n in range(1, 21)]
    for code in codes:
        grids.create(grids.build(code, code))
    admin = Caller(user_id="bench", role="county_admin", scope_code=COUNTY)
    content = workbook(codes[4:], rows)
    print(f"file: {rows} rows, {len(content) / 1024:.0f} KB")

    def upload() -> str:
        form = ledger_files.start_upload(admin, UploadRequest(kind="households",
                                                              filename="bench.xlsx",
                                                              size=len(content)))
        objects.write(objects.settings.exports_bucket, f"ledger-uploads/{form.upload_id}.xlsx",
                      content, objects.XLSX)
        return form.upload_id

    started = time.perf_counter()
    report, _ = ledger_files.start_import(admin, ImportRequest(upload_id=upload(),
                                                              kind="households", dry_run=True))
    checked = time.perf_counter() - started
    assert not report.problems, report.problems[:5]

    for label in ("import", "the same file again"):
        upload_id = upload()
        budget = ledger_files.REQUEST_BUDGET_SECONDS
        ledger_files.REQUEST_BUDGET_SECONDS = 0.0  # as a request that leaves it to the sweep
        started = time.perf_counter()
        try:
            job, _ = ledger_files.start_import(admin, ImportRequest(
                upload_id=upload_id, kind="households", dry_run=False))
        finally:
            ledger_files.REQUEST_BUDGET_SECONDS = budget
        # The sweep's invocation: it reads, checks and plans the file again, then writes.
        finished = ledger_files.run(job.import_id, budget_seconds=LAMBDA_SECONDS)
        seconds = time.perf_counter() - started
        print(f"{label:>20}: {seconds:7.1f} s  {rows / seconds:7.0f} rows/s  status "
              f"{finished.status}, created {finished.created}, updated {finished.updated}")
        if finished.status != "done":
            raise SystemExit(f"the import did not finish: {finished.failure} "
                             f"{[p.message for p in finished.problems[:5]]}")
    print(f"{'dry run (check)':>20}: {checked:7.1f} s  {rows / checked:7.0f} rows/s")
    totals = counters.read(COUNTY, "ledger")
    print(f"county totals: {totals.get('households')} households, "
          f"{totals.get('residents')} residents")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak_mb:.0f} MB (Lambda: {LAMBDA_MEMORY_MB} MB); "
          f"limit of one invocation: {LAMBDA_SECONDS} s")


if __name__ == "__main__":
    main()
