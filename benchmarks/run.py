"""Benchmark: the standard workload on both backends, and the cold start of `mou check`.

    python benchmarks/run.py                     # 20,000 scenarios, seed 2009
    python benchmarks/run.py --scenarios 100000  # the full standard workload

Prints scenarios per second per core for each backend (replay and every
question answered, without explanations; the time spent generating the
seeded workload is not counted), their ratio, the peak memory of the process
(the workload streams, so this is the engine's), and the cold-start time of
`mou check` on one scenario (best of 5).
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterable, Iterator

from mou import Engine, MouError
from mou.evaluation.backends import BACKENDS
from mou.tools.strategies import as_document, random_scenario_data

ROOT = Path(__file__).resolve().parent.parent


def workload(engine: Engine, count: int, seed: int, min_events: int = 5, max_events: int = 20) -> Iterator:
    """`count` valid scenarios of 5–20 events (by default), drawn from a seeded RNG, one at a time."""
    rng = random.Random(seed)
    made = 0
    while made < count:
        data = random_scenario_data(engine.ruleset, rng, min_events=min_events, max_events=max_events)
        try:
            scenario = engine.reader.from_document(as_document(data))
        except MouError:
            continue
        made += 1
        yield scenario


def throughput(engine: Engine, scenarios: Iterable) -> tuple[float, int, float, float]:
    """Scenarios per second of evaluation alone (replay and every question, no explanations).

    The workload streams, so memory measures the engine, not a list of scenarios;
    only the time spent in `Engine.check` counts. Returns (rate, count, mean events, mean questions).
    """
    spent = 0.0
    count = events = questions = 0
    for scenario in scenarios:
        start = time.perf_counter()
        engine.check(scenario, explain=False)  # a rule that fails raises RuleError, with its location
        spent += time.perf_counter() - start
        count += 1
        events += len(scenario.events)
        questions += len(scenario.questions)
    return count / spent, count, events / count, questions / count


def cold_start(runs: int = 5) -> float:
    """Best wall time of `mou check` on one shipped scenario, in a fresh process."""
    scenario = ROOT / "scenarios" / "ix3-notice-valid.yaml"
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mou", "check", str(scenario)], check=True,
                       capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2009)
    parser.add_argument("--backends", default=",".join(BACKENDS))
    options = parser.parse_args()
    rates = {}
    ruleset = None
    for name in options.backends.split(","):
        try:
            engine = Engine(backend=name, ruleset=ruleset)
        except ImportError as error:
            print(f"{name:>8}: not available ({error})")
            continue
        ruleset = engine.ruleset
        with engine:
            rates[name], count, events, questions = throughput(engine, workload(engine, options.scenarios,
                                                                                  options.seed))
        print(f"{name:>8}: {rates[name]:,.0f} scenarios/s per core ({1e6 / rates[name]:,.0f} µs each) on "
              f"{count:,} scenarios (seed {options.seed}; {events:.1f} events, {questions:.1f} questions each)")
    if len(rates) == 2:
        print(f"   ratio: native is {rates['native'] / rates['durable']:.2f}× durable")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"    peak: {peak:,.0f} MiB resident")
    print(f"    cold: `mou check` of one scenario in {cold_start():.3f} s (best of 5, fresh process)")


if __name__ == "__main__":
    main()
