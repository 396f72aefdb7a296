"""Differential test at scale: both backends on the same generated scenarios.

    python benchmarks/differential.py --scenarios 100000        # answers (the large run)
    python benchmarks/differential.py --scenarios 2000 --explain  # answers and explanations

Prints the number of scenarios compared and of disagreements; each
disagreement is written as a scenario file into --out (default
disagreements/) so it can be frozen into scenarios/ once fixed. Exits 1 if
any disagreement was found.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from mou import Engine
from mou.scenario.dump import scenario_data, to_yaml
from run import workload  # benchmarks/run.py: the seeded workload


def compare(native: Engine, durable: Engine, count: int, seed: int, explain: bool, out: Path,
            search: bool = False) -> tuple[int, int]:
    """Compare `count` seeded scenarios; return (compared, disagreements).

    With `explain`, the explanations are compared too; the search for what would
    change each answer (`search`) replays variants, whose answers the answers-only
    comparison already covers, so it is off unless asked for.
    """
    compared = disagreements = 0
    for scenario in workload(native, count, seed, min_events=1):
        compared += 1
        left = native.check(scenario, explain=explain, search=search).to_json()
        right = durable.check(scenario, explain=explain, search=search).to_json()
        if left != right:
            disagreements += 1
            out.mkdir(parents=True, exist_ok=True)
            (out / f"disagreement-{seed}-{compared}.yaml").write_text(to_yaml(scenario_data(scenario)))
    return compared, disagreements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1996)
    parser.add_argument("--explain", action="store_true", help="compare explanations too (slower)")
    parser.add_argument("--out", type=Path, default=Path("disagreements"))
    options = parser.parse_args()
    start = time.perf_counter()
    with Engine(backend="native") as native, Engine(backend="durable", ruleset=native.ruleset) as durable:
        compared, disagreements = compare(native, durable, options.scenarios, options.seed, options.explain,
                                          options.out)
    what = "answers and explanations" if options.explain else "answers"
    print(f"{compared:,} scenarios, {what} compared: {disagreements} disagreements "
          f"({time.perf_counter() - start:.0f} s)")
    sys.exit(1 if disagreements else 0)


if __name__ == "__main__":
    main()
