"""Benchmark: `mou sweep` with the vectorized kernels against the scalar engine, side by side.

    python benchmarks/sweep.py                  # both figures (about a minute on a loaded machine)
    python benchmarks/sweep.py --million 0      # only the side-by-side run

1. The side-by-side run: 35,040 variants of scenarios/ix3-notice-valid.yaml
   (730 receipt dates × notice_runs_from × termination_effect × 12 notice
   periods), written as CSV by the scalar engine (`--no-vector`) and by the
   kernels, in this process, one after the other. Each time counts reading the
   scenario, compiling the clause files, every row and writing the CSV. It
   prints both times, their ratio, and checks that the two files are the same
   bytes.
   The same for a sweep whose questions read duties (obligations, breaches).
2. The million: 1,000,032 variants (20,834 receipt dates × notice_runs_from ×
   24 notice periods) by the kernels on one core, CSV written to a file; and,
   to show that memory stays flat, the peak memory of a process that writes
   100,032 of them and of one that writes the million.
3. The million as Parquet and as `.npz` (`--output-format parquet|npz`): the
   same, the file written by `mou.tools.vector.columnar`, in a fresh process;
   and the whole command (`mou sweep ... --output-format parquet -o FILE`) in a
   fresh process, end to end, best of 3.
"""

from __future__ import annotations

import argparse
import filecmp
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from mou.tools.sweep import SweepSpec
from mou.tools.vector.partition import stream
from mou.tools.vector.schema import parsed

ROOT = Path(__file__).resolve().parent.parent
NOTICE = str(ROOT / "scenarios" / "ix3-notice-valid.yaml")
RECEIVED = date(2020, 5, 10)


def side_by_side_spec() -> SweepSpec:
    """The 35,040-variant sweep: receipt date × two choices × twelve periods."""
    last = RECEIVED + timedelta(days=729)
    return SweepSpec(NOTICE, (f"n1.received={RECEIVED}..{last}",
                              "interpretation.notice_runs_from=receipt,dispatch",
                              "interpretation.termination_effect=after_period_end,on_period_end",
                              "parameters.IX.3.notice_period=1 month..12 months/1 month"))


def duties_spec() -> SweepSpec:
    """A sweep whose questions read duties: 5,840 variants of the obligations worked example."""
    return SweepSpec(str(ROOT / "scenarios" / "obligations-worked-example.yaml"),
                     ("m1.date=2018-06-01..2020-05-30", "m1.convened_by=ECO,IOM", "m1.igos_invited=true,false",
                      "m1.topics=ii,x"))


def million_spec(days: int) -> SweepSpec:
    """`days` receipt dates × notice_runs_from × 24 notice periods (days=20,834: 1,000,032 variants)."""
    last = RECEIVED + timedelta(days=days - 1)
    return SweepSpec(NOTICE, (f"n1.received={RECEIVED}..{last}", "interpretation.notice_runs_from=receipt,dispatch",
                              "parameters.IX.3.notice_period=1 month..24 months/1 month"))


def timed_sweep(spec: SweepSpec, path: Path, vector: bool, out_format: str = "csv") -> tuple[float, float, int]:
    """Seconds for the whole sweep (read the scenario, compile the clause files, compute, write the file),
    seconds for the rows alone (compute and write, kernels compiled included), and the variants."""
    parsed.cache_clear()  # each run compiles its kernels from the clause texts anew, as a new process would
    start = time.perf_counter()
    sweep = spec.build()
    built = time.perf_counter()
    if out_format in ("parquet", "npz"):
        from mou.tools.vector.columnar import write

        with path.open("wb") as handle:
            write(handle, spec, sweep, out_format, vector=vector)
    else:
        with path.open("w", encoding="utf-8", newline="") as handle:
            stream(handle, spec, sweep, out_format, vector=vector)
    end = time.perf_counter()
    return end - start, end - built, len(sweep)


def child(days: int, path: str, out_format: str = "csv") -> None:
    """Run in a fresh process: the vectorized sweep of `days` receipt dates; print seconds and peak memory."""
    seconds, _, count = timed_sweep(million_spec(days), Path(path), vector=True, out_format=out_format)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{count} {seconds:.3f} {peak:.1f}")


def in_child(days: int, path: Path, out_format: str = "csv") -> tuple[int, float, float]:
    out = subprocess.run([sys.executable, __file__, "--child", str(days), str(path), out_format], check=True,
                         capture_output=True, text=True).stdout.split()
    return int(out[0]), float(out[1]), float(out[2])


def command_seconds(days: int, path: Path, out_format: str, rounds: int = 3) -> float:
    """The whole `mou sweep` command in a fresh process, end to end (start, read, compile, rows, file): best of
    `rounds`."""
    spec = million_spec(days)
    command = [sys.executable, "-m", "mou", "sweep", spec.scenario, *(f"--vary={v}" for v in spec.variations),
               "--output-format", out_format, "-o", str(path)]
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--million", type=int, default=20_834, help="receipt dates of the big run (0: skip it)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(int(args.child[0]), args.child[1], args.child[2])
        return
    with tempfile.TemporaryDirectory() as folder:
        scalar_path, vector_path = Path(folder) / "scalar.csv", Path(folder) / "vector.csv"
        spec = side_by_side_spec()
        scalar, scalar_rows, count = timed_sweep(spec, scalar_path, vector=False)
        vector, vector_rows, _ = min(timed_sweep(spec, vector_path, vector=True) for _ in range(3))
        same = filecmp.cmp(scalar_path, vector_path, shallow=False)
        print(f"side by side: {count:,} variants of ix3-notice-valid.yaml "
              "(730 receipt dates x notice_runs_from x termination_effect x 12 notice periods), CSV")
        print("                               whole sweep         rows alone (after reading and compiling)")
        print(f"  scalar engine (--no-vector): {scalar:7.2f} s          {scalar_rows:7.2f} s "
              f"({scalar_rows / count * 1e6:5.1f} us/variant)")
        print(f"  vectorized kernels:          {vector:7.2f} s          {vector_rows:7.2f} s "
              f"({vector_rows / count * 1e6:5.1f} us/variant; best of 3)")
        print(f"  ratio:                       {scalar / vector:7.0f}x          {scalar_rows / vector_rows:7.0f}x")
        print(f"  the two CSV files are {'the same bytes' if same else 'DIFFERENT'}")
        duties = duties_spec()
        scalar, _, count = timed_sweep(duties, scalar_path, vector=False)
        vector = min(timed_sweep(duties, vector_path, vector=True)[0] for _ in range(3))
        duties_same = filecmp.cmp(scalar_path, vector_path, shallow=False)
        print(f"duties: {count:,} variants of obligations-worked-example.yaml (730 meeting dates x convener x "
              "IGOs invited x topic; obligations, breaches, invitation_obligation)")
        print(f"  scalar engine {scalar:.2f} s, vectorized kernels {vector:.2f} s: {scalar / vector:.0f}x; "
              f"the two CSV files are {'the same bytes' if duties_same else 'DIFFERENT'}")
        if not (same and duties_same):
            raise SystemExit(1)
        if args.million:
            small_path, big_path = Path(folder) / "small.csv", Path(folder) / "big.csv"
            small_count, small_seconds, small_peak = in_child(max(args.million // 10, 1), small_path)
            big_count, big_seconds, big_peak = in_child(args.million, big_path)
            size = big_path.stat().st_size / 1e6
            print(f"vectorized, one core, CSV written to a file ({size:.0f} MB):")
            print(f"  {big_count:,} variants: {big_seconds:.2f} s  ({big_count / big_seconds:,.0f} variants/s), "
                  f"peak memory {big_peak:.0f} MiB")
            print(f"  {small_count:,} variants: {small_seconds:.2f} s, peak memory {small_peak:.0f} MiB "
                  "(memory stays flat: rows are streamed in blocks)")
            for out_format in ("parquet", "npz"):
                path = Path(folder) / f"big.{out_format}"
                count, seconds, peak = in_child(args.million, path, out_format)
                print(f"vectorized, one core, {out_format} written to a file ({path.stat().st_size / 1e6:.0f} MB): "
                      f"{count:,} variants: {seconds:.2f} s, peak memory {peak:.0f} MiB")
            whole = command_seconds(args.million, Path(folder) / "command.parquet", "parquet")
            print(f"  mou sweep ... --output-format parquet -o FILE, {count:,} variants, fresh process end to end: "
                  f"{whole:.2f} s (best of 3; target <= 1.5 s)")


if __name__ == "__main__":
    main()
