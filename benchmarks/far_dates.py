"""Benchmark: a question about a far date on an agreement that renews itself, as `mou ask` asks it.

    python benchmarks/far_dates.py                   # examples/cooperation, renews-itself, 2030 … 8999
    python benchmarks/far_dates.py --format json

Each run is a fresh `mou ask status --on DATE` process (its explanation included), so the figures are
what a user waits for and what the process holds at most: wall seconds (best of 3) and the peak
resident memory (ru_maxrss of the child), for dates from 5 to 6,975 years past the last event. Past
the last event, the renewal is stepped 400 years at a time (`mou.evaluation.periods`), so both
figures should stay flat in the distance.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "cooperation"
DATES = ["2030-06-01", "2100-12-31", "2500-12-31", "3000-12-31", "5000-12-31", "8999-12-31"]


def one(day: str, fmt: str) -> tuple[float, int, int]:
    """Seconds, peak KiB (the child's ru_maxrss) and output bytes of one `mou ask status --on day`."""
    command = [sys.executable, "-m", "mou", "ask", "status", "--on", day, "--clauses", str(EXAMPLE),
               "--scenario", str(EXAMPLE / "scenarios" / "renews-itself.yaml"), "--format", fmt]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"mou ask status --on {day} failed ({status})")
    return seconds, usage.ru_maxrss, len(output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", default="text", choices=["text", "json", "markdown"])
    args = parser.parse_args()
    print(f"mou ask status --on DATE --clauses examples/cooperation (renews-itself.yaml), --format {args.format}")
    print(f"{'date':>12} {'seconds':>8} {'peak MiB':>9} {'output bytes':>13}")
    for day in DATES:
        runs = [one(day, args.format) for _ in range(3)]
        seconds = min(r[0] for r in runs)
        peak = max(r[1] for r in runs) / 1024
        print(f"{day:>12} {seconds:8.2f} {peak:9.1f} {runs[0][2]:13,}")


if __name__ == "__main__":
    main()
