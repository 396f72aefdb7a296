"""Benchmark: everyday speed, each figure against a floor measured in the same run.

    python benchmarks/everyday.py            # best of 5 for each process, best of 3 in-process

Prints:

- cold start: `mou check` of one scenario in a fresh process, against a bare
  interpreter that imports what any YAML-to-JSON tool imports
  (`python -c "import yaml, json"`), and `mou --version`, which compiles
  nothing;
- loading: `mou check scenarios/` (reading with positions, validating,
  answering, printing) against loading the same files with PyYAML's C
  loader, in fresh processes both;
- explanations: `mou check --format json` of the shipped scenarios against
  `--no-explanations`, in-process (the rule set compiled once);

with the ratio of each to its floor. Throughput and native against durable
are `benchmarks/run.py`; duties, `benchmarks/duties.py`.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
ONE = SCENARIOS / "ix3-notice-valid.yaml"
C_LOADER = ("import sys, yaml\n"
            "for name in sys.argv[1:]:\n"
            "    with open(name, 'rb') as f: yaml.load(f, Loader=yaml.CSafeLoader)\n")


def best_process(command: list[str], runs: int = 5) -> float:
    """Best wall time of a command in a fresh process."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=False, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return min(times)


def best_call(function, runs: int = 3) -> float:
    """Best wall time of a call in this process (its output discarded)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with redirect_stdout(io.StringIO()):
            function()
        times.append(time.perf_counter() - start)
    return min(times)


def line(name: str, measured: float, floor: float, floor_name: str, target: float | None) -> None:
    goal = f"   (target ≤ {target:g}×)" if target else ""
    print(f"  {name:<44} {measured * 1000:8.1f} ms   {floor_name:<34} {floor * 1000:7.1f} ms   "
          f"{measured / floor:5.1f}×{goal}")


def main() -> None:
    mou = [sys.executable, "-m", "mou"]
    files = sorted(str(path) for path in SCENARIOS.glob("*.yaml"))
    print(f"Python {sys.version.split()[0]}; {len(files)} scenario files; wall times, best of 5 fresh processes")
    bare = best_process([sys.executable, "-c", "import yaml, json"])
    line("mou check ONE (cold process)", best_process([*mou, "check", str(ONE)]), bare,
         "python -c 'import yaml, json'", 4)
    line("mou --version (compiles nothing)", best_process([*mou, "--version"]), bare,
         "python -c 'import yaml, json'", None)
    c_loader = best_process([sys.executable, "-c", C_LOADER, *files])
    line("mou check scenarios/ (cold process)", best_process([*mou, "check", "scenarios/"]), c_loader,
         "the same files, PyYAML's C loader", 3)

    from click.testing import CliRunner

    from mou.cli import main as command

    runner = CliRunner()

    def check(*options: str):
        return lambda: runner.invoke(command, ["check", "--format", "json", *options, "scenarios/"])

    check("--no-explanations")()  # compiles the clause files once, for both
    lean = best_call(check("--no-explanations"))
    line("mou check --format json scenarios/ (in-process)", best_call(check()), lean,
         "the same, --no-explanations", 1.5)


if __name__ == "__main__":
    main()
