"""The differential test of vectorized sweeps, at scale: random sweeps through both paths, every row compared.

    python benchmarks/sweep_differential.py                      # 1,000 random sweeps, seed 0
    python benchmarks/sweep_differential.py --sweeps 10000 --seed 7

Each sweep is a seeded random scenario (5–10 events, with random questions)
and one to three random variations of its event fields, choices and parameters
(`mou.tools.vector.random_sweeps`). The scalar engine computes every row,
then the kernels (`VectorSweep`); the two must agree on every row, or raise
the same error. Prints the sweeps compared, the rows by path and the
disagreements; exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter

from mou import Engine, MouError
from mou.tools.strategies import RandomPick, as_document, random_scenario_data
from mou.tools.sweep import Sweep, parse_variation
from mou.tools.vector.block import VectorSweep
from mou.tools.vector.random_sweeps import pick_variations


def outcome(compute):
    """What a path gives: its rows, or the error it raises."""
    try:
        return compute(), None
    except Exception as error:  # noqa: BLE001 - compared between the two paths
        return None, f"{type(error).__name__}: {error}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sweeps", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    engine = Engine()
    ruleset = engine.ruleset
    rng = random.Random(args.seed)
    pick = RandomPick(rng)
    rows: Counter = Counter()
    compared = disagreements = 0
    start = time.perf_counter()
    while compared < args.sweeps:
        data = random_scenario_data(ruleset, rng, min_events=5, max_events=10)
        try:
            scenario = engine.reader.from_document(as_document(data))
            variations = [parse_variation(spec, scenario, ruleset) for spec in pick_variations(pick, scenario, ruleset)]
        except MouError:
            continue
        if not variations:
            continue
        sweep = Sweep(engine, scenario, variations)
        scalar = outcome(lambda: list(sweep.rows()))
        vectors = VectorSweep(sweep, strict=True)
        vector = outcome(lambda: vectors.block(0, len(sweep)).rows())
        compared += 1
        rows.update(vectors.stats)
        if scalar != vector:
            disagreements += 1
            print(f"disagreement: {[v.label + '=' + str(len(v.values)) for v in variations]} in {data}")
    seconds = time.perf_counter() - start
    print(f"{compared:,} random sweeps compared in {seconds:.0f} s; rows: "
          + ", ".join(f"{why} {count:,}" for why, count in sorted(rows.items()) if count))
    print(f"{disagreements} disagreements")
    raise SystemExit(1 if disagreements else 0)


if __name__ == "__main__":
    main()
