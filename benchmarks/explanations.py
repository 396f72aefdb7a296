"""Benchmark: what explanations cost on the shipped scenarios, and the counterfactual search within them.

    python benchmarks/explanations.py            # every scenario under scenarios/, best of 3

Prints, for the whole directory and per answer: answers only; answers with
explanations but no search for what would change them; with the search; the
evaluations (variant replays) the search made. The scenarios are read once,
outside the timings.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from mou import Engine

ROOT = Path(__file__).resolve().parent.parent


def run(engine: Engine, scenarios: list, explain: bool, search: bool) -> tuple[float, int, int]:
    """Seconds to check every scenario (and build every explanation), answers, and search evaluations."""
    start = time.perf_counter()
    answers = evaluations = 0
    for scenario in scenarios:
        result = engine.check(scenario, explain=explain, search=search)
        for item in result.results:
            answers += 1
            if explain:
                evaluations += item.explanation.get("search", {}).get("evaluations", 0)
    return time.perf_counter() - start, answers, evaluations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory", nargs="?", default=str(ROOT / "scenarios"))
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    engine = Engine()
    scenarios = [engine.read(path) for path in sorted(Path(options.directory).glob("*.yaml"))]
    rows = {}
    for label, explain, search in (("answers only", False, False), ("explanations, no search", True, False),
                                   ("explanations with search", True, True)):
        best = min((run(engine, scenarios, explain, search) for _ in range(options.repeat)), key=lambda r: r[0])
        rows[label] = best
        seconds, answers, evaluations = best
        extra = f", {evaluations:,} search evaluations ({evaluations / answers:.1f} an answer)" if search else ""
        print(f"{label:>26}: {seconds:6.2f} s for {answers} answers ({1000 * seconds / answers:5.2f} ms each){extra}")
    base = rows["answers only"][0]
    print(f"{'ratios':>26}: explanations {rows['explanations, no search'][0] / base:.1f}× answers only; "
          f"with search {rows['explanations with search'][0] / base:.1f}×; the search alone "
          f"{1000 * (rows['explanations with search'][0] - rows['explanations, no search'][0]) / base / 1000:.1f}× "
          f"and {1000 * (rows['explanations with search'][0] - rows['explanations, no search'][0]) / rows['answers only'][1]:.2f} ms an answer")


if __name__ == "__main__":
    main()
