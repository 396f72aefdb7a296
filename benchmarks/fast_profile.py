"""Benchmark: where an answers-only check on the fast path spends its time, phase by phase (issue 32, fifth pass).

    python benchmarks/fast_profile.py                       # 1,000 standard scenarios, 1,000 of Article IX
    python benchmarks/fast_profile.py --scenarios 300 --rounds 3

`Engine.check(scenario, explain=False)` on the standard workload (`run.py`'s
generated documents) and on the Article IX one (`article_ix.py`'s), cut into
what each phase adds, so that a change can be aimed at the largest:

- **phases**, whole passes taking turns (the best of `--rounds` each), µs a
  scenario: the lean replay made (`LeanReplay(...)`), made and its events put
  in order (`_dated`), the whole replay (`answers.fast._replay`: the firings
  too), the answers (`answers.fast.answers`: the replay, the questions and
  the weighing of answers `unknown`), and `Engine.check` (the results around
  them); for Article IX the hand-written floor too. Each figure includes the
  one before it, so the differences are the phases' costs.
- **the questions** of the standard workload (each call timed on a replay
  made beforehand; the best of two passes, question by question): µs a call
  and a scenario by question, a call that weighed an answer `unknown`
  counted apart (marked `*`).
- **the weighings**: how many, the facts each weighed, the variants each
  replayed, how many answers stayed `unknown`, and how many evaluations a
  weighing could skip if it stopped at the first variant whose answer
  differs from the first's (the most an early stop could save).
- **the collector**: the checks with Python's cyclic collector running, as
  the benchmarks run them, against the same with it off.

Timers around small calls add their own cost: read the shares and the
differences, not the microseconds; the machine is shared.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
import article_ix  # noqa: E402

from mou import Engine, MouError  # noqa: E402


def standard(engine: Engine, count: int, seed: int) -> list:
    """`count` scenarios of `run.py`'s standard workload, as `fast_answers.py` draws them."""
    from mou.tools.strategies import as_document, random_scenario_data

    rng = random.Random(seed)
    made: list = []
    while len(made) < count:
        data = random_scenario_data(engine.ruleset, rng, min_events=5, max_events=20)
        try:
            made.append(engine.reader.from_document(as_document(data)))
        except MouError:
            continue
    return made


def phases(engine: Engine, scenarios: list, rounds: int, floor: bool) -> dict[str, float]:
    """µs a scenario of each phase's run (see the module docstring), whole passes taking turns."""
    from mou.answers import fast
    from mou.evaluation.fast import LeanReplay, program

    ruleset = engine.ruleset
    made = program(ruleset)

    def constructed() -> None:
        for scenario in scenarios:
            LeanReplay(ruleset, scenario.events, scenario.choices(ruleset, None), dict(scenario.parameters))

    def ordered() -> None:
        for scenario in scenarios:
            replay = LeanReplay(ruleset, scenario.events, scenario.choices(ruleset, None), dict(scenario.parameters))
            replay.fused = made
            replay._dated()

    def replayed() -> None:
        for scenario in scenarios:
            duties = any(call.definition.uses_duties for call in scenario.questions)
            fast._replay(ruleset, scenario, None, None, None, duties, scenario.questions, made)

    def answered() -> None:
        for scenario in scenarios:
            fast.answers(ruleset, scenario)

    def checked() -> None:
        for scenario in scenarios:
            engine.check(scenario, explain=False)

    def hand_written() -> None:
        for scenario in scenarios:
            article_ix.answers(scenario)

    runs: dict[str, Callable[[], None]] = {"lean replay made": constructed, "and its events in order": ordered,
                                           "the replay (firings too)": replayed,
                                           "the answers (questions, weighing)": answered,
                                           "Engine.check (the results)": checked}
    if floor:
        runs["hand-written floor"] = hand_written
    checked()  # warm: every rule and question compiled
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - started)
    return {name: spent / len(scenarios) * 1e6 for name, spent in best.items()}


def print_phases(label: str, found: dict[str, float]) -> None:
    print(f"{label}: µs a scenario, each figure including the one above it (best of the passes, taking turns)")
    before = 0.0
    for name, value in found.items():
        if name == "hand-written floor":
            ratio = found["Engine.check (the results)"] / value
            print(f"  {name:<36} {value:7.1f}   (Engine.check ÷ floor {ratio:.1f}×)")
            continue
        print(f"  {name:<36} {value:7.1f}   +{value - before:6.1f}")
        before = value


def questions(engine: Engine, scenarios: list) -> None:
    """Each question's cost on replays made beforehand, a call that weighed an unknown apart (one pass)."""
    from mou.answers import fast
    from mou.evaluation.fast import program

    ruleset = engine.ruleset
    made = program(ruleset)
    best: dict[str, float] = {}
    for round_ in range(3):  # the first pass compiles what a weighing compiles when first needed: the best of two
        spent: Counter = Counter()
        calls: Counter = Counter()
        for scenario in scenarios:
            duties = any(call.definition.uses_duties for call in scenario.questions)
            try:
                replay = fast._replay(ruleset, scenario, None, None, None, duties, scenario.questions, made)
            except MouError:
                continue
            weigh = fast._Weighing(ruleset, scenario, None, None, duties, tuple(scenario.questions), replay)
            for call in scenario.questions:
                weighed = weigh.case is not None
                started = time.perf_counter()
                try:
                    fast._value(replay, call, made, fast.Fallback, weigh)
                except Exception:  # noqa: BLE001 - a question the fast path leaves to the full evaluator: timed too
                    pass
                took = time.perf_counter() - started
                name = call.definition.name + ("*" if weigh.case is not None and not weighed else "")
                spent[name] += took
                calls[name] += 1
        if round_:
            best = {name: min(value, best.get(name, value)) for name, value in spent.items()}
    spent = Counter(best)
    total = sum(spent.values())
    print(f"the questions (standard workload, the best of two passes by question): "
          f"{total / len(scenarios) * 1e6:.1f} µs a scenario, {sum(calls.values()) / len(scenarios):.1f} questions a "
          f"scenario; * : the call weighed an answer unknown")
    for name, value in spent.most_common(12):
        print(f"  {name:<34} {value / len(scenarios) * 1e6:6.1f} µs a scenario  {calls[name] / len(scenarios):5.2f} "
              f"calls a scenario  {value / calls[name] * 1e6:8.1f} µs a call")


def weighings(engine: Engine, scenarios: list) -> None:
    """The weighings of answers `unknown` on the fast path, and what stopping at the first disagreement could skip."""
    from mou.answers import case as cases
    from mou.answers import fast
    from mou.answers.questions import same

    resolve = cases.Case.resolve
    evaluate = fast._FastCase.evaluate
    found: list[list] = []  # each weighing: its question, its variants' answers as evaluated, and its answer

    def watched_resolve(self: Any, call: Any, items: Any = (), raw: Any = None, depth: int = 0) -> Any:
        if depth or raw is None:
            return resolve(self, call, items, raw, depth)
        found.append([call, [], None])  # a weighing (`_Weighing.__call__`)
        row = found[-1]
        result = resolve(self, call, items, raw, depth)
        row[2] = result.value
        return result

    def watched_evaluate(self: Any, call: Any, items: Any = ()) -> Any:
        value = evaluate(self, call, items)
        if found and items:
            found[-1][1].append(value)
        return value

    cases.Case.resolve, fast._FastCase.evaluate = watched_resolve, watched_evaluate
    try:
        for scenario in scenarios:
            engine.check(scenario, explain=False)
    finally:
        cases.Case.resolve, fast._FastCase.evaluate = resolve, evaluate
    evaluations = sum(len(values) for _, values, _ in found)
    unknown = sum(isinstance(answer, cases.Unknown) for _, _, answer in found)
    skippable = 0
    for call, values, _ in found:
        valid = [value for value in values if value is not cases.INVALID]
        for index, value in enumerate(valid[1:], start=1):
            first = valid[0]
            if isinstance(first, cases.Unknown) or isinstance(value, cases.Unknown) or \
                    not same(first, value, call.definition.unordered):
                skippable += len(valid) - index - 1
                break
    shapes = Counter(len(values) for _, values, _ in found)
    print(f"the weighings (standard workload): {len(found)} in {len(scenarios):,} scenarios, {unknown} of them still "
          f"unknown after it; {evaluations} variant evaluations "
          f"({', '.join(f'{n} weighings of {k}' for k, n in sorted(shapes.items()))}; of none: a missing fact that "
          f"cannot be weighed); stopping at the first variant whose answer differs from the first's would skip "
          f"{skippable}")


def collector(engine: Engine, scenarios: list, rounds: int) -> tuple[float, float]:
    """µs a scenario of `Engine.check` with the cyclic collector on (as the benchmarks run) and off."""
    best = {"on": float("inf"), "off": float("inf")}
    for _ in range(rounds):
        for mode in best:
            if mode == "off":
                gc.disable()
            try:
                started = time.perf_counter()
                for scenario in scenarios:
                    engine.check(scenario, explain=False)
                best[mode] = min(best[mode], time.perf_counter() - started)
            finally:
                gc.enable()
    return best["on"] / len(scenarios) * 1e6, best["off"] / len(scenarios) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", type=int, default=1_000, help="of each workload")
    parser.add_argument("--seed", type=int, default=2009)
    parser.add_argument("--rounds", type=int, default=5, help="whole passes of each, taking turns")
    options = parser.parse_args()
    started = time.perf_counter()
    engine = Engine()
    ours = standard(engine, options.scenarios, options.seed)
    ix = list(article_ix.workload(engine, options.scenarios, options.seed))
    print_phases(f"standard workload, {len(ours):,} scenarios", phases(engine, ours, options.rounds, False))
    print_phases(f"Article IX, {len(ix):,} scenarios", phases(engine, ix, options.rounds, True))
    questions(engine, ours)
    weighings(engine, ours)
    for label, scenarios in (("standard workload", ours), ("Article IX", ix)):
        on, off = collector(engine, scenarios, options.rounds)
        print(f"the collector, {label}: {on:.1f} µs a scenario running, {off:.1f} µs off ({on / off:.3f}×)")
    print(f"({time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
