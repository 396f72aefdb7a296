"""Benchmark: the standard workload on both backends, and the cold start of `mou check`.

    python benchmarks/run.py                     # 20,000 scenarios, seed 2009
    python benchmarks/run.py --scenarios 100000  # the full standard workload

Prints scenarios per second per core for each backend (replay and every
question answered, without explanations), their ratio, the peak memory of the
process, and the cold-start time of `mou check` on one scenario (best of 5).
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import Engine, MouError  # noqa: E402
from engine.backends import BACKENDS  # noqa: E402
from engine.testing import as_document, random_scenario_data  # noqa: E402


def workload(engine: Engine, count: int, seed: int) -> list:
    """`count` valid scenarios of 5–20 events, drawn from a seeded RNG."""
    rng = random.Random(seed)
    scenarios = []
    while len(scenarios) < count:
        data = random_scenario_data(engine.ruleset, rng, min_events=5, max_events=20)
        try:
            scenarios.append(engine.reader.from_document(as_document(data)))
        except MouError:
            continue
    return scenarios


def throughput(engine: Engine, scenarios: list) -> float:
    """Scenarios per second: replay plus every question, no explanations."""
    start = time.perf_counter()
    for scenario in scenarios:
        result = engine.check(scenario, explain=False)
        if result.errors:
            raise SystemExit(f"rule error: {result.errors}")
    return len(scenarios) / (time.perf_counter() - start)


def cold_start(runs: int = 5) -> float:
    """Best wall time of `mou check` on one shipped scenario, in a fresh process."""
    scenario = ROOT / "scenarios" / "ix3-notice-valid.yaml"
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "cli.py"), "check", str(scenario)], check=True,
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
    with Engine(backend="native") as engine:
        start = time.perf_counter()
        scenarios = workload(engine, options.scenarios, options.seed)
        events = statistics.mean(len(s.events) for s in scenarios)
        questions = statistics.mean(len(s.questions) for s in scenarios)
        print(f"workload: {len(scenarios):,} scenarios (seed {options.seed}), {events:.1f} events and "
              f"{questions:.1f} questions each on average; generated and validated in "
              f"{time.perf_counter() - start:.1f} s")
    for name in options.backends.split(","):
        try:
            engine = Engine(backend=name, ruleset=engine.ruleset)
        except ImportError as error:
            print(f"{name:>8}: not available ({error})")
            continue
        with engine:
            rates[name] = throughput(engine, scenarios)
        print(f"{name:>8}: {rates[name]:,.0f} scenarios/s per core ({1e6 / rates[name]:,.0f} µs each)")
    if len(rates) == 2:
        print(f"   ratio: native is {rates['native'] / rates['durable']:.2f}× durable")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"    peak: {peak:,.0f} MiB resident")
    print(f"    cold: `mou check` of one scenario in {cold_start():.3f} s (best of 5, fresh process)")


if __name__ == "__main__":
    main()
