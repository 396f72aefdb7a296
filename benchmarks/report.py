"""Benchmark: what `mou report` costs on the shipped scenarios, and how large its pages are.

    python benchmarks/report.py                  # every scenario under scenarios/
    python benchmarks/report.py --format markdown

Prints the time to build and render each report (the scenario read and the
clauses compiled once, outside the timings), the pages' sizes, and the
slowest and largest scenario, then the time of one `mou report` in a cold
process.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from mou import Engine
from mou.tools.report import report_text

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=Path, default=ROOT / "scenarios")
    parser.add_argument("--format", choices=["html", "markdown"], default="html")
    args = parser.parse_args()
    engine = Engine()
    rows = []
    for path in sorted(args.scenarios.glob("*.yaml")):
        scenario = engine.read(path)
        start = time.perf_counter()
        text = report_text(engine, scenario, args.format, today=date(2024, 1, 1))
        rows.append((time.perf_counter() - start, len(text.encode("utf-8")), path.name))
    times = sorted(row[0] for row in rows)
    sizes = sorted(row[1] for row in rows)
    slowest, largest = max(rows), max(rows, key=lambda row: row[1])
    print(f"{len(rows)} scenarios, --format {args.format}: {sum(times):.1f} s in all")
    print(f"  time to build and render: median {statistics.median(times):.2f} s, 90th percentile "
          f"{times[int(len(times) * 0.9)]:.2f} s, slowest {slowest[0]:.2f} s ({slowest[2]})")
    print(f"  page size: median {statistics.median(sizes) / 1024:.0f} KiB, smallest {sizes[0] / 1024:.0f} KiB, "
          f"largest {largest[1] / 1024:.0f} KiB ({largest[2]})")
    with tempfile.TemporaryDirectory() as work:
        target = Path(work) / "report.html"
        best = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "mou", "report", str(ROOT / "scenarios" / "ix3-notice-valid.yaml"),
                            "-o", str(target)], check=True, capture_output=True)
            best.append(time.perf_counter() - start)
    print(f"  `mou report scenarios/ix3-notice-valid.yaml -o report.html`, cold process: {min(best):.2f} s (best of 3)")


if __name__ == "__main__":
    main()
