"""2,999 patrol labels (Gaoliying's greenhouses, scanned every month) as one
PDF, within one Lambda invocation's limits: signing a code for each, then
drawing and writing the sheet.

    make bench            # or: .venv/bin/python bench/qr_sheets.py [--labels 2999] [--out FILE]

Prints the seconds of each phase (wall clock, and the CPU time, which the
waits for a core on a shared machine do not inflate), the pages and size of the
PDF, and the peak memory of the process (what Lambda measures a function by),
beside the goal (issue 13: under 60 s and 512 MB) and the limits. About half
the time is segno choosing each symbol's mask (the standard's eight penalty
scores, in pure Python), most of the rest fpdf2 drawing the modules.
"""

import argparse
import io
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "functions"), str(ROOT / "infra")]

from wangge_infra.stage import StageSettings

GOAL_SECONDS, GOAL_MB = 60, 512
LAMBDA_SECONDS, LAMBDA_MAX_MB = 900, 10_240
# A big sheet is a job, carried on by a scheduled (worker) function.
WORKER_MB = StageSettings.__dataclass_fields__["worker_memory_mb"].default
# Lambda gives a function CPU in proportion to its memory: one vCPU at 1,769 MB.
MB_PER_VCPU = 1769
SITE = "https://wangge.example.gov.cn"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--labels", type=int, default=2999)
    parser.add_argument("--out", type=Path, help="also write the PDF here")
    args = parser.parse_args()

    from chalicelib.domain import qr_tokens
    from chalicelib.printables import sheets

    keys = qr_tokens.QrKeys(current_kid="0", keys={"0": qr_tokens.QrKey(b"a bench key")})
    before_mb = peak_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    labels = [sheets.PatrolLabel(
        name=f"高力营村{n}号大棚", number=f"GLY-{n:04d}",
        micro_grid=f"高力营村第{n // 300 + 1}网格第{n // 20 % 15 + 1}微网格",
        url=qr_tokens.code_url(SITE, qr_tokens.sign(qr_tokens.new_serial(), keys)))
        for n in range(1, args.labels + 1)]
    signed, cpu_signed = time.perf_counter(), time.process_time()
    out = io.BytesIO()
    sheets.write_patrol_labels(labels, out)
    written, cpu_written = time.perf_counter(), time.process_time()
    if args.out:
        args.out.write_bytes(out.getvalue())

    import pypdfium2

    pages = len(pypdfium2.PdfDocument(out.getvalue()))
    total, cpu_total = written - started, cpu_written - cpu_started
    print(f"{args.labels} patrol labels: {pages} A4 pages, {len(out.getvalue()) / 2**20:.1f} MB"
          f" of PDF")
    print(f"  sign the codes      {signed - started:6.1f} s   CPU {cpu_signed - cpu_started:6.1f} s")
    print(f"  draw and write PDF  {written - signed:6.1f} s   CPU {cpu_written - cpu_signed:6.1f} s")
    print(f"  total               {total:6.1f} s   CPU {cpu_total:6.1f} s"
          f"   (goal: under {GOAL_SECONDS} s; one Lambda invocation: {LAMBDA_SECONDS} s)")
    print(f"  on Lambda at {WORKER_MB} MB ({WORKER_MB / MB_PER_VCPU:.2f} vCPU): about"
          f" {cpu_total * MB_PER_VCPU / WORKER_MB:.0f} s")
    print(f"peak memory: {peak_mb():.0f} MB, {before_mb:.0f} MB of it before the sheet"
          f"   (goal: under {GOAL_MB} MB; the worker functions have {WORKER_MB} MB,"
          f" Lambda at most {LAMBDA_MAX_MB:,} MB)")


if __name__ == "__main__":
    main()
