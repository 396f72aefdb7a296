"""Benchmark: everyday speed, each figure against a floor measured in the same run.

    python benchmarks/everyday.py            # best of 15 for each process, best of 5 in-process

Prints:

- cold start: `mou check` of one scenario in a fresh process, against a bare
  interpreter that imports what any YAML-to-JSON tool imports
  (`python -c "import yaml, json"`), and `mou --version`, which compiles
  nothing;
- loading: `mou check scenarios/` (reading with positions, validating,
  answering, printing) against loading the same files with PyYAML's C
  loader, in fresh processes both;
- explanations: `mou check --format json` of the shipped scenarios against
  `--no-explanations`, in-process (the rule set compiled once), the two
  taking turns as the processes do;

- throughput: the scalar engine on Article IX scenarios against the
  hand-written Article IX function of `benchmarks/article_ix.py` (checked
  to give the same answers first), and native against durable-rules on the
  standard workload of `benchmarks/run.py`;

with the ratio of each to its floor. Duties: `benchmarks/duties.py`.

The fresh processes run as an installed `mou` does: with Python's bytecode
cache (the environment's PYTHONDONTWRITEBYTECODE is dropped for them) and
with the compiled rule set and parsed expressions stored in the cache
directory (the first run stores them). The cold start with nothing stored,
which compiles the clause files, is printed too.
"""

from __future__ import annotations

import argparse
import io
import os
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


ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
"""What the fresh processes run with: as an installed `mou` runs, bytecode cached."""


def best_processes(commands: dict[str, tuple[list[str], dict]], rounds: int = 15) -> dict[str, float]:
    """Best wall time of each command in a fresh process, the commands taking turns round by round.

    This shared machine's speed drifts by half within a minute; taking turns
    puts each figure and its floor in the same moments, so their ratio holds.
    """
    best = {name: float("inf") for name in commands}
    for _ in range(rounds):
        for name, (command, environment) in commands.items():
            start = time.perf_counter()
            subprocess.run(command, check=False, capture_output=True, cwd=ROOT, env={**ENVIRONMENT, **environment})
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def best_calls(functions: dict, rounds: int = 5) -> dict[str, float]:
    """Best wall time of each call in this process (output discarded), the calls taking turns round by round."""
    best = {name: float("inf") for name in functions}
    for _ in range(rounds):
        for name, function in functions.items():
            start = time.perf_counter()
            with redirect_stdout(io.StringIO()):
                function()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def line(name: str, measured: float, floor: float, floor_name: str, target: float | None) -> None:
    goal = f"   (target ≤ {target:g}×)" if target else ""
    print(f"  {name:<48} {measured * 1000:8.1f} ms   {floor_name:<36} {floor * 1000:7.1f} ms   "
          f"{measured / floor:5.1f}×{goal}")


def rate_line(name: str, rate: float, floor: float, floor_name: str, target: str = "") -> None:
    """A throughput against its floor: how many times slower than the floor it is."""
    goal = f"   ({target})" if target else ""
    print(f"  {name:<48} {rate:8,.0f} /s   {floor_name:<36} {floor:7,.0f} /s   {floor / rate:5.1f}×{goal}")


def throughput_lines(scenarios: int, seed: int) -> None:
    """The scalar engine against the hand-written Article IX, and native against durable-rules."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import article_ix
    from run import throughput, workload

    from mou import Engine
    from mou.evaluation.backends import BACKENDS

    floor = article_ix.measure(scenarios, seed)
    rate_line(f"Article IX only, native engine ({floor['count']:,} scenarios)", floor["engine"], floor["floor"],
              "the hand-written Article IX function")
    rates = {}
    ruleset = None
    for name in BACKENDS:
        with Engine(backend=name, ruleset=ruleset) as engine:
            ruleset = engine.ruleset
            rates[name] = throughput(engine, workload(engine, scenarios, seed))[0]
    if "durable" in rates:
        print(f"  {'standard workload, native engine':<48} {rates['native']:8,.0f} /s   "
              f"{'the durable-rules path':<36} {rates['durable']:7,.0f} /s   "
              f"{rates['native'] / rates['durable']:5.1f}× faster   (target ≥ 15,000 /s)")
    else:
        print(f"  {'standard workload, native engine':<48} {rates['native']:8,.0f} /s   "
              "(durable-rules is not installed here)   (target ≥ 15,000 /s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", type=int, default=5_000, help="scenarios for each throughput figure")
    parser.add_argument("--seed", type=int, default=2009)
    options = parser.parse_args()
    mou = [sys.executable, "-m", "mou"]
    files = sorted(str(path) for path in SCENARIOS.glob("*.yaml"))
    print(f"Python {sys.version.split()[0]}; {len(files)} scenario files; wall times, best of 15 fresh processes "
          "taking turns")
    times = best_processes({
        "bare": ([sys.executable, "-c", "import yaml, json"], {}),
        "one": ([*mou, "check", str(ONE)], {}),
        "one, no store": ([*mou, "check", str(ONE)], {"MOU_NO_CACHE": "1"}),
        "version": ([*mou, "--version"], {}),
        "c loader": ([sys.executable, "-c", C_LOADER, *files], {}),
        "directory": ([*mou, "check", "scenarios/"], {}),
    })
    bare = times["bare"]
    line("mou check ONE (cold process)", times["one"], bare, "python -c 'import yaml, json'", 4)
    line("the same, nothing stored (MOU_NO_CACHE=1)", times["one, no store"], bare,
         "python -c 'import yaml, json'", None)
    line("mou --version (compiles nothing)", times["version"], bare, "python -c 'import yaml, json'", None)
    line("mou check scenarios/ (cold process)", times["directory"], times["c loader"],
         "the same files, PyYAML's C loader", 3)

    from click.testing import CliRunner

    from mou.cli import main as command

    runner = CliRunner()

    def check(*options: str):
        return lambda: runner.invoke(command, ["check", "--format", "json", *options, "scenarios/"])

    check("--no-explanations")()  # compiles the clause files once, for both
    calls = best_calls({"lean": check("--no-explanations"), "explained": check()})
    line("mou check --format json scenarios/ (in-process)", calls["explained"], calls["lean"],
         "the same, --no-explanations", 1.5)
    throughput_lines(options.scenarios, options.seed)


if __name__ == "__main__":
    main()
