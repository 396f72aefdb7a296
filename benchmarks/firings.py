"""Benchmark: where the fast evaluator's time goes, rule by rule, and what fewer firings could save at most.

    python benchmarks/firings.py                    # 1,000 standard scenarios, 2,000 of Article IX, seed 2009
    python benchmarks/firings.py --scenarios 500 --rounds 3

For the standard workload (`run.py`'s generated documents) and the Article IX
one (`article_ix.py`'s), answers only (`Engine.check(scenario, explain=False)`),
it prints:

- **as is, and with no rule firing at all**: µs a scenario, whole passes
  taking turns, the best of `--rounds` each. The second run leaves every rule
  out of the lean replay (its answers are wrong: only its time is read): what
  a scenario costs around its firings (the replay set up, the events put in
  order, the questions answered, the results made), which no cut of firings can
  go below. For Article IX, the hand-written floor too (`article_ix.answers`).
- **around the firings**, in that second run (each part timed): the replay
  set up (`FastReplay.__init__`), the events put in the order they take
  effect (`LeanReplay._dated`), the rest of the replay (its loop over the
  events, the horizon), the questions, the weighing of answers `unknown`
  (its variants' replays included), and `Engine.check`'s bookkeeping around
  the answers (the results, the notes).
- **the weighing of answers `unknown`**: its share of the time as is (a
  timer around each weighing), and the share of the scenarios weighed.
- **each rule**: its firings a scenario, its share of the time spent in steps
  (each step timed), and the share of its firings whose conclusions no question
  the scenario asks can read: what each question reads, then each rule that
  writes what is read and what that rule reads in turn (`language.strata`'s
  reads and writes), with every duty's judgement (deadline, breach, end,
  settlement) read by a question that reads duties, and every rule that sets
  a watched date kept (the horizon's notes name them). Leaving those firings
  out is the most a cut by relevance could save, if each left-out rule could
  first be shown never to fail (the three-valued evaluator stops a scenario on
  a rule that fails).
- **the costliest expressions**: each clause expression's two-valued closure,
  timed where a step or a question calls it (the outermost call only), its
  calls and µs a scenario.

The timers add their own cost: read the shares, not the microseconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
import article_ix  # noqa: E402
from compare import workload  # noqa: E402

import mou.tools.strategies as strategies  # noqa: E402
from mou import Engine, MouError  # noqa: E402
from mou.evaluation.fast.expressions import TwoValued  # noqa: E402
from mou.evaluation.fast.program import _PROGRAMS, FastProgram  # noqa: E402
from mou.language import strata  # noqa: E402


def facts_of(ruleset: Any) -> strata.Facts:
    """What the rule set's expressions read, as the compiler's strata work it out."""
    definitions = {name: ({p: t.events for p, t in info.params if t.kind == "event"}, info.text)
                   for name, info in ruleset.compiled_definitions.items()}
    return strata.Facts({name: list(d.attributes) for name, d in ruleset.event_types.items()},
                        list(ruleset.entity_attributes), definitions)


def duty_reads(ruleset: Any, facts: strata.Facts) -> set:
    """Everything a duty's judgement reads: its deadline, breach, end and settlement."""
    found: set = set()
    for rule in ruleset.rules:
        duty = rule.duty
        if duty is None:
            continue
        types = {"event": frozenset({rule.trigger.owner})} if rule.trigger.owner in ruleset.event_types else {}
        texts = [duty.deadline_text, duty.violated_if_text, duty.lapses_after_text]
        settlement = duty.settlement
        if settlement is not None:
            types = {**types, "act": frozenset({settlement.act})}
            texts += [settlement.match_text, settlement.until_text, *(text for _, _, text in settlement.outcomes)]
        for text in texts:
            if text:
                found |= facts.reads(text, types)
    return found


def relevant(ruleset: Any, facts: strata.Facts, judged: set, names: frozenset) -> set[str]:
    """The ids of the rules whose conclusions the questions `names` can read, directly or through other rules."""
    read: set = set()
    for name in names:
        question = ruleset.questions[name]
        types = {a.name: a.type.events for a in question.args if a.type.kind == "event"}
        for text in [binding.text for binding in question.lets] + [question.answer_text]:
            read |= facts.reads(text, types)
        if question.uses_duties:
            read |= judged
    effects = {}
    for rule in ruleset.rules:
        types = frozenset({rule.trigger.owner}) if rule.trigger.owner in ruleset.event_types else frozenset()
        reads = strata.rule_reads(facts, rule, types)
        if rule.trigger.kind != "event":
            reads.add((rule.trigger.owner, rule.trigger.attr))
        effects[rule.id] = (reads, strata.rule_writes(facts, rule, types))
    kept: set[str] = set()
    grown = True
    while grown:
        grown = False
        for rule in ruleset.rules:
            reads, writes = effects[rule.id]
            if rule.id in kept:
                continue
            if any((owner, name) in read or (owner, strata.ANY) in read or (owner, name) in ruleset.date_triggers
                   for owner, name in writes):
                kept.add(rule.id)
                read |= reads
                grown = True
    return kept


def best_pass(run: Callable[[], None]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def overall(engine: Engine, scenarios: list, rounds: int, floor: bool) -> None:
    """µs a scenario as is, with no rule firing, and (Article IX) the hand-written floor: passes taking turns."""
    table = FastProgram.table

    def as_is() -> None:
        for scenario in scenarios:
            engine.check(scenario, explain=False)

    def unfired() -> None:
        FastProgram.table = lambda self, duties: ({}, {})  # no step at all: the answers are wrong, the time is read
        try:
            as_is()
        finally:
            FastProgram.table = table

    runs = {"as is": as_is, "no rule firing": unfired}
    if floor:
        runs["hand-written floor"] = lambda: [article_ix.answers(scenario) for scenario in scenarios]
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, run in runs.items():
            best[name] = min(best[name], best_pass(run))
    line = ", ".join(f"{name} {best[name] / len(scenarios) * 1e6:,.1f}" for name in runs)
    print(f"  µs a scenario (best of {rounds} passes taking turns): {line}")
    share = best["no rule firing"] / best["as is"]
    print(f"  without any firing a scenario costs {share:.0%} of what it costs as is", end="")
    if floor:
        print(f"; {best['no rule firing'] / best['hand-written floor']:.1f}× the floor "
              f"(as is {best['as is'] / best['hand-written floor']:.1f}×)")
    else:
        print()


def around(engine: Engine, scenarios: list) -> None:
    """Where a scenario's time goes when no rule fires: each part timed (see the module docstring)."""
    import mou.answers.fast as fast_answers
    from mou.evaluation.fast import LeanReplay
    from mou.evaluation.fast.program import FastReplay

    spent: dict[str, float] = defaultdict(float)
    weighing = [0]  # inside the weighing of an unknown answer: its replays are the weighing's, not the base's

    def timed(owner: Any, name: str, part: str) -> Callable[[], None]:
        original = owner.__dict__[name]

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            weighing[0] += part == "weighing"
            try:
                return original(*args, **kwargs)
            finally:
                weighing[0] -= part == "weighing"
                if part == "weighing" or not weighing[0]:
                    spent[part] += time.perf_counter() - started

        setattr(owner, name, wrapper)
        return lambda: setattr(owner, name, original)

    table = FastProgram.table
    FastProgram.table = lambda self, duties: ({}, {})
    undo = [timed(Engine, "check", "check"), timed(Engine, "answers", "answers"),
            timed(fast_answers, "_replay", "replay"), timed(FastReplay, "__init__", "set up"),
            timed(LeanReplay, "_dated", "order"), timed(fast_answers._Weighing, "__call__", "weighing")]
    try:
        for scenario in scenarios:
            engine.check(scenario, explain=False)
    finally:
        FastProgram.table = table
        for step in reversed(undo):
            step()
    parts = {"set up": spent["set up"], "events in order": spent["order"],
             "rest of the replay": spent["replay"] - spent["set up"] - spent["order"],
             "questions": spent["answers"] - spent["replay"] - spent["weighing"],
             "weighing unknown answers": spent["weighing"], "bookkeeping": spent["check"] - spent["answers"]}
    count = len(scenarios)
    print("  with no rule firing, each part timed (µs a scenario): "
          + ", ".join(f"{name} {seconds / count * 1e6:.1f}" for name, seconds in parts.items()))


def weighed(engine: Engine, scenarios: list) -> None:
    """The share of the time in the weighing of answers `unknown`, and in the scenarios weighed (one pass, as is)."""
    import mou.answers.fast as fast_answers

    call = fast_answers._Weighing.__call__
    spent = [0.0]

    def timed(self: Any, *args: Any) -> Any:
        started = time.perf_counter()
        try:
            return call(self, *args)
        finally:
            spent[0] += time.perf_counter() - started

    total = in_weighed = 0.0
    count = 0
    fast_answers._Weighing.__call__ = timed
    try:
        for scenario in scenarios:
            before = spent[0]
            started = time.perf_counter()
            engine.check(scenario, explain=False)
            took = time.perf_counter() - started
            total += took
            if spent[0] > before:
                in_weighed += took
                count += 1
    finally:
        fast_answers._Weighing.__call__ = call
    print(f"  weighing answers `unknown`: {spent[0] / total:.1%} of the time; the {count / len(scenarios):.1%} of "
          f"scenarios weighed take {in_weighed / total:.1%} of it")


def instrumented(engine: Engine, scenarios: list, top: int) -> None:
    """Each rule's firings and step time, the share no asked question reads, and the costliest expressions."""
    ruleset = engine.ruleset
    facts = facts_of(ruleset)
    judged = duty_reads(ruleset, facts)
    steps: dict[str, list] = defaultdict(lambda: [0, 0.0, 0])  # firings, seconds, firings no question reads
    closures: dict[str, list] = defaultdict(lambda: [0, 0.0])
    kept: dict[frozenset, set[str]] = {}
    current: list[set[str]] = [set()]
    depth = [0]
    compiled, text = FastProgram.compiled, TwoValued.text

    def timed_step(self: FastProgram, rule: Any) -> Any:
        made = compiled(self, rule)

        def step(replay: Any) -> None:
            started = time.perf_counter()
            made(replay)
            found = steps[rule.id]
            found[0] += 1
            found[1] += time.perf_counter() - started
            found[2] += rule.id not in current[0]

        return step

    def timed_text(self: TwoValued, source: str, scope: Any) -> Any:
        made = text(self, source, scope)

        def closure(ctx: Any) -> Any:
            depth[0] += 1
            started = time.perf_counter()
            try:
                return made(ctx)
            finally:
                depth[0] -= 1
                if not depth[0]:
                    found = closures[source]
                    found[0] += 1
                    found[1] += time.perf_counter() - started

        return closure

    _PROGRAMS.pop(id(ruleset), None)  # compiled again, timed
    FastProgram.compiled, TwoValued.text = timed_step, timed_text
    try:
        for scenario in scenarios:
            names = frozenset(call.definition.name for call in scenario.questions)
            if names not in kept:
                kept[names] = relevant(ruleset, facts, judged, names)
            current[0] = kept[names]
            engine.check(scenario, explain=False)
    finally:
        FastProgram.compiled, TwoValued.text = compiled, text
        _PROGRAMS.pop(id(ruleset), None)
    count = len(scenarios)
    total = sum(seconds for _, seconds, _ in steps.values()) or 1.0
    unread = sum(seconds * skipped / fired for fired, seconds, skipped in steps.values() if fired)
    print(f"  {sum(fired for fired, _, _ in steps.values()) / count:.1f} firings a scenario; the firings no asked "
          f"question can read: {unread / total:.1%} of the time in steps")
    print(f"  {'rule':<34} {'firings':>8} {'of steps':>9} {'unread':>7}")
    for rule, (fired, seconds, skipped) in sorted(steps.items(), key=lambda item: -item[1][1]):
        print(f"  {rule:<34} {fired / count:>8.2f} {seconds / total:>9.1%} {skipped / fired:>7.0%}")
    print(f"  the {top} costliest expressions (outermost calls; µs a scenario, calls a scenario, µs a call):")
    for source, (calls, seconds) in sorted(closures.items(), key=lambda item: -item[1][1])[:top]:
        shown = " ".join(source.split())
        print(f"  {seconds / count * 1e6:>7.1f} {calls / count:>6.2f} {seconds / calls * 1e6:>6.2f}  "
              f"{shown[:80]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", type=int, default=1_000, help="standard scenarios (Article IX: twice as many)")
    parser.add_argument("--seed", type=int, default=2009)
    parser.add_argument("--rounds", type=int, default=5, help="whole passes of each, taking turns")
    parser.add_argument("--top", type=int, default=12, help="expressions listed")
    options = parser.parse_args()
    started = time.perf_counter()
    engine = Engine()
    standard = [item["new"] for item in workload({"new": engine}, {"new": strategies}, (MouError,),
                                                 options.scenarios, options.seed)]
    ix = list(article_ix.workload(engine, 2 * options.scenarios, options.seed))
    for label, scenarios, floor in (("standard workload", standard, False), ("Article IX", ix, True)):
        print(f"{label}: {len(scenarios):,} scenarios (seed {options.seed}), answers only")
        for scenario in scenarios[:50]:  # warm: compile what is compiled on first use
            engine.check(scenario, explain=False)
        overall(engine, scenarios, options.rounds, floor)
        around(engine, scenarios)
        weighed(engine, scenarios)
        instrumented(engine, scenarios, options.top)
    print(f"({time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
