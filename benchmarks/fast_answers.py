"""Benchmark: the fast evaluator of answers, against commit 106e138 side by side, and against the floor.

    python benchmarks/fast_answers.py                       # 2,000 scenarios, seed 2009, rounds of 3
    python benchmarks/fast_answers.py --scenarios 500 --base 106e138
    python benchmarks/fast_answers.py --base main --ix-base main     # this checkout against main, both rows

Two rows of issue 32, each a ratio measured in one run:

- **answers-only scenarios/s on the standard workload ÷ commit 106e138.**
  The base revision is checked out in a temporary git worktree and imported as
  `mou_base` (as `compare.py` does); the same generated documents (those of
  `run.py`: 5–20 events, every kind) are read by each engine, and each
  scenario is answered by this checkout (`--evaluator fast`, falling back per
  scenario), by this checkout with `--evaluator full`, and by the base,
  taking turns scenario by scenario, best of `--rounds`. The fast
  evaluator's fallbacks are counted and printed: their time (an answer
  `unknown` weighed by the three-valued case on the fast replay, or a fast
  try and then the full evaluator) is in the fast figure.
- **Article IX: engine time ÷ the hand-written floor** (`article_ix.py`):
  Article IX scenarios, the fast engine against the hand-written function,
  after checking they agree: whole passes of each taking turns, the best of
  `--passes` each; with `--ix-base REV`, REV's engine takes its turns too, on
  the same generated documents, so that a change is measured against its
  base in the same minutes (this row moves most with the machine's load),
  and then again scenario by scenario, the two engines taking turns (best of
  `--passes` each), which a burst of other work moves far less: the figure
  to read for a change of a few per cent.

Answers only means `Engine.check(scenario, explain=False)`: the replay and
every question, no properties, no explanation.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import article_ix  # noqa: E402
from compare import checked_out, taking_turns, workload  # noqa: E402

from mou import Engine, MouError  # noqa: E402


def answers_row(count: int, seed: int, rounds: int, base_revision: str) -> None:
    import importlib

    import mou.tools.strategies as strategies

    with checked_out(base_revision) as base_module:
        base_strategies = importlib.import_module("mou_base.tools.strategies")
        fast = Engine()
        full = Engine(ruleset=fast.ruleset, evaluator="full")
        base = base_module.Engine()
        engines = {"fast": fast, "full": full, "base": base}
        errors = (MouError, base_module.MouError)
        scenarios = workload({"new": fast, "full": full, "base": base},
                             {"new": strategies, "full": strategies, "base": base_strategies}, errors, count, seed)
        for item in scenarios:
            item["fast"] = item.pop("new")
        for name, engine in engines.items():  # warm: compile what each compiles on first use
            for item in scenarios[:50]:
                engine.check(item[name], explain=False)
        fast.tally = type(fast.tally)()
        spent = taking_turns(lambda name, engine, item: engine.check(item[name], explain=False), scenarios,
                             engines, rounds)
    share = fast.tally.fast / fast.tally.total if fast.tally.total else 1.0
    print(f"standard workload: {count:,} scenarios (seed {seed}), answers only, best of {rounds} turns each")
    for name, label in (("base", f"commit {base_revision}"), ("full", "this checkout, --evaluator full"),
                        ("fast", "this checkout, --evaluator fast")):
        print(f"  {label:<36} {count / spent[name]:>9,.0f} scenarios/s")
    print(f"  fast ÷ {base_revision}: {spent['base'] / spent['fast']:.2f}×   (target ≥ 5×)")
    print(f"  fast ÷ full (this checkout): {spent['full'] / spent['fast']:.2f}×")
    print(f"  fast path taken: {share:.1%} of scenario checks ({fast.tally.line()})")


def article_ix_row(count: int, seed: int, passes: int, base_revision: str | None = None) -> None:
    engine = Engine()
    scenarios = list(article_ix.workload(engine, count, seed))
    found = article_ix.agree(engine, scenarios)
    if found:
        print(f"Article IX: {len(found)} disagreements with the floor; no figure")
        return
    if base_revision:
        article_ix_side_by_side(engine, count, seed, passes, base_revision)
    engine.tally = type(engine.tally)()

    def run_engine() -> None:
        for scenario in scenarios:
            engine.check(scenario, explain=False)

    def run_floor() -> None:
        for scenario in scenarios:
            article_ix.answers(scenario)

    engine_time = floor_time = float("inf")
    for _ in range(passes):  # whole passes taking turns, so that both meet the same moments of a shared machine
        engine_time = min(engine_time, article_ix.best_of(1, run_engine))
        floor_time = min(floor_time, article_ix.best_of(1, run_floor))
    print(f"Article IX only: {count:,} scenarios; engine (fast) {count / engine_time:,.0f}/s, hand-written floor "
          f"{count / floor_time:,.0f}/s: engine ÷ floor {engine_time / floor_time:.1f}×   (target ≤ 3×); "
          f"{engine.tally.line()}")


def article_ix_side_by_side(engine: Engine, count: int, seed: int, passes: int, base_revision: str) -> None:
    """The Article IX workload answered by this checkout and by `base_revision` (read by each engine from the same
    generated documents), and the floor, whole passes of each taking turns, the best of `passes` each."""
    import importlib
    import random

    from mou.tools.strategies import as_document, random_scenario_data

    for name in [name for name in sys.modules if name == "mou_base" or name.startswith("mou_base.")]:
        del sys.modules[name]  # a base imported for the other row, from a worktree removed since
    with checked_out(base_revision) as base_module:
        base_strategies = importlib.import_module("mou_base.tools.strategies")
        base = base_module.Engine()
        rng = random.Random(seed)
        pairs = []
        while len(pairs) < count:  # as `article_ix.workload` draws them
            data = random_scenario_data(engine.ruleset, rng, types=article_ix.EVENT_TYPES, min_events=5,
                                        max_events=20, choices=False)
            data["questions"] = [q for q in data["questions"] if q["ask"] in article_ix.QUESTIONS]
            if not data["questions"]:
                continue
            try:
                pairs.append((engine.reader.from_document(as_document(data)),
                              base.reader.from_document(base_strategies.as_document(data))))
            except (MouError, base_module.MouError):
                continue
        for ours, theirs in pairs[:50]:  # warm: compile what each compiles on first use
            engine.check(ours, explain=False)
            base.check(theirs, explain=False)
        def here() -> None:
            for ours, _ in pairs:
                engine.check(ours, explain=False)

        def based() -> None:
            for _, theirs in pairs:
                base.check(theirs, explain=False)

        def floor() -> None:
            for ours, _ in pairs:
                article_ix.answers(ours)

        runs = {"here": here, "base": based, "floor": floor}
        best = dict.fromkeys(runs, float("inf"))
        for _ in range(passes):
            for name, run in runs.items():
                best[name] = min(best[name], article_ix.best_of(1, run))
        # the same scenarios, the two engines taking turns scenario by scenario (best of `passes` each): a burst of
        # other work on a shared machine then moves a scenario's turns, not a whole pass of one engine
        items = [{"here": ours, "base": theirs} for ours, theirs in pairs]
        turns = taking_turns(lambda name, checker, item: checker.check(item[name], explain=False), items,
                             {"here": engine, "base": base}, passes)
    print(f"Article IX side by side: {count:,} scenarios, best of {passes} passes taking turns: this checkout "
          f"{count / best['here']:,.0f}/s ({best['here'] / best['floor']:.1f}× the floor), {base_revision} "
          f"{count / best['base']:,.0f}/s ({best['base'] / best['floor']:.1f}×), floor {count / best['floor']:,.0f}/s; "
          f"this checkout is {best['base'] / best['here']:.2f}× {base_revision}")
    print(f"  scenario by scenario, taking turns (best of {passes} each): this checkout {turns['here'] / count * 1e6:.1f} µs, "
          f"{base_revision} {turns['base'] / count * 1e6:.1f} µs a scenario: this checkout is "
          f"{turns['base'] / turns['here']:.3f}× {base_revision}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=2009)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--base", default="106e138", help="the revision to compare with")
    parser.add_argument("--passes", type=int, default=5, help="Article IX: whole passes of each, taking turns")
    parser.add_argument("--ix-base", default="", help="Article IX: also time this revision, side by side")
    options = parser.parse_args()
    started = time.perf_counter()
    answers_row(options.scenarios, options.seed, options.rounds, options.base)
    article_ix_row(options.scenarios, options.seed, options.passes, options.ix_base or None)
    print(f"({time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
