"""The floor for the throughput benchmark: Article IX written by hand, under the default reading.

    python benchmarks/article_ix.py                     # 20,000 scenarios, seed 2009
    python benchmarks/article_ix.py --scenarios 3000 --seed 7

A rule engine's speed means little on its own: this module gives it a floor.
`answers(scenario)` is a plain Python function that answers the Article IX
questions of a scenario directly, without the clause files or the engine:
when the MoU entered into force (IX.1), whether a notice of termination is
valid and when it ends the MoU (IX.3), whether the MoU is in force on a date
and in which state. It reads as the legal rules do (see DOMAIN.md, "Entry into
force" and "Termination") and decides exactly as the engine does under the
default reading: no interpretive choice set, no parameter changed, so the
notice period is six months, it runs from receipt, the MoU stays in force
through the last day of the period, a notice naming too early a date is
deferred, an email is writing, and a notice can be withdrawn.

It covers scenarios whose events are signatures, notices of termination and
withdrawals of notices only (no amendment can change the notice period), and
the questions in `QUESTIONS`. It leaves out everything else: other event
types, interpretive choices, parameters, and the questions about amendments,
parameters and duties (`obligations`, `breaches`). It never answers `unknown`
(in JSON, the string "unknown"), and neither does the engine here: a scenario
must give every required field, every optional one has a default, and no
interpretive choice is left unset, so every fact that decides these questions
is known.

The floor only means something if it gives the engine's answers, so it is
checked against the engine first (differentially): `main` generates the
seeded workload, compares `answers(s)` with the engine's answers on every
scenario, and stops with the first disagreements if there are any; only then
does it time both, best of 3, the generation of the workload not counted.
`tests/test_article_ix_floor.py` runs the same comparison in the test suite;
`benchmarks/everyday.py` prints the figures of `measure`.
"""

from __future__ import annotations

import argparse
import calendar
import random
import sys
import time
from datetime import date, timedelta
from typing import Iterator

from mou import Engine, MouError
from mou.evaluation.backends import DEFAULT_BACKEND
from mou.tools.strategies import as_document, random_scenario_data
from mou.values import to_json

QUESTIONS = ("entry_into_force_date", "in_force", "last_day_in_force", "status", "termination_notice_valid")
"""The questions the hand-written function answers: those decided by signatures, notices and withdrawals."""

EVENT_TYPES = ["signature", "termination_notice", "notice_withdrawal"]

PARTIES = ("ECO", "IOM")
OTHER = {"ECO": "IOM", "IOM": "ECO"}
IN_WRITING = frozenset({"letter", "note_verbale", "fax", "email"})  # email counts: email_is_writing is true
NOTICE_MONTHS = 6  # IX.3: "six months written notice"
ONE_DAY = timedelta(days=1)


# -- the hand-written Article IX ---------------------------------------------------------------------

def add_months(day: date, months: int) -> date:
    """`day` plus calendar months: the same day number, or the month's last day if it is shorter.

    Reg. 1182/71 Art. 3(2)(c): 2019-08-31 + 6 months = 2020-02-29.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Notice:
    """A notice of termination that was valid when given: when it was given, withdrawn, and takes effect."""

    __slots__ = ("given", "withdrawn", "ends")

    def __init__(self, given: date, ends: date):
        self.given = given
        self.withdrawn: date | None = None
        self.ends = ends  # the first day on which the MoU is no longer in force under this notice

    def running(self, on: date) -> bool:
        """Given by the end of `on`, and not withdrawn by then."""
        return self.given <= on and (self.withdrawn is None or on < self.withdrawn)


class Life:
    """The MoU's life in one scenario, as IX.1 and IX.3 decide it.

    - `entry_into_force`: the date of the later of the two parties' first
      signatures by a duly authorized representative (None: never in force);
    - `last_day`: the last day in force, when a valid notice ends the MoU
      (None: no notice ends it);
    - `valid`: the ids of the valid notices (a withdrawn notice is not valid);
    - `given`: the notices that were valid when given, for `status`.
    """

    __slots__ = ("entry_into_force", "last_day", "valid", "given")

    def __init__(self, events) -> None:
        self.entry_into_force: date | None = None
        self.last_day: date | None = None
        self.valid: set[str] = set()
        self.given: list[Notice] = []

        # The timeline: each event on the day it takes effect (a notice: the day it is received, from
        # which its period runs), events of the same day in their order in the file. A scenario without
        # signatures already holds the signed original's two (signature.yaml), first in the file.
        timeline = sorted((event.fields["received"] if event.type == "termination_notice" else event.date,
                           event.index, event) for event in events)

        signed: set[str] = set()  # the parties whose signature counts
        standing: dict[str, Notice] = {}  # valid notices not withdrawn
        withdrawn: set[str] = set()
        ends = None  # the day the earliest standing notice ends the MoU (None while none stands)

        for day, _, event in timeline:
            if ends is not None and ends <= day:
                break  # the MoU ended at the start of that day: nothing from then on changes an answer
            in_force = self.entry_into_force is not None
            fields = event.fields

            if event.type == "signature":
                # IX.1: a party's first signature by a duly authorized representative counts; the MoU
                # enters into force on the date of the second party's.
                party = fields["party"]
                if party in PARTIES and fields["authorized"] is True and party not in signed:
                    signed.add(party)
                    if len(signed) == 2 and not in_force:
                        self.entry_into_force = day

            elif event.type == "termination_notice":
                # IX.3: by a party, to the other party, in writing, while the MoU is in force, and not
                # withdrawn before it was given. The MoU stays in force through the last day of the six
                # months; a later date the notice names is honoured, an earlier one deferred.
                sender = fields["from"]
                if sender in PARTIES and fields["to"] == OTHER[sender] and fields["form"] in IN_WRITING \
                        and in_force and event.id not in withdrawn:
                    earliest = add_months(day, NOTICE_MONTHS) + ONE_DAY
                    named = fields["effective"]
                    notice = Notice(day, named if named is not None and named > earliest else earliest)
                    self.valid.add(event.id)
                    self.given.append(notice)
                    standing[event.id] = notice
                    if ends is None or notice.ends < ends:
                        ends = notice.ends

            else:  # notice_withdrawal
                # By the party that gave the notice, in writing, while the MoU is still in force (VCLT
                # 1969 Art. 68, by analogy). It may come before the notice is received: the notice is then
                # withdrawn before it was given, and never valid.
                target = fields["notice"]
                if fields["from"] == target.fields["from"] and fields["form"] in IN_WRITING and in_force \
                        and target.id not in withdrawn:
                    withdrawn.add(target.id)
                    self.valid.discard(target.id)
                    notice = standing.pop(target.id, None)
                    if notice is not None:
                        notice.withdrawn = day
                        ends = min((n.ends for n in standing.values()), default=None)

        if ends is not None:  # the earliest notice still standing ends the MoU
            self.last_day = ends - ONE_DAY

    def in_force(self, on: date) -> bool:
        """In force from the day of entry into force through the last day."""
        return self.entry_into_force is not None and self.entry_into_force <= on \
            and (self.last_day is None or on <= self.last_day)

    def status(self, on: date) -> str:
        """On `on`: `not_in_force`, `in_force`, `termination_pending` (a valid notice runs) or `terminated`."""
        if self.last_day is not None and on > self.last_day:
            return "terminated"
        if self.entry_into_force is None or on < self.entry_into_force:
            return "not_in_force"
        if any(notice.running(on) for notice in self.given):
            return "termination_pending"
        return "in_force"


def answers(scenario) -> list:
    """The answers to the scenario's questions, in order, as the engine's JSON gives them."""
    life = Life(scenario.events)
    result = []
    for call in scenario.questions:
        ask = call.ask
        if ask == "in_force":
            result.append(life.in_force(call.args["on"]))
        elif ask == "status":
            result.append(life.status(call.args["on"]))
        elif ask == "termination_notice_valid":
            result.append(call.args["notice"].id in life.valid)
        elif ask == "entry_into_force_date":
            result.append(life.entry_into_force.isoformat() if life.entry_into_force is not None else None)
        elif ask == "last_day_in_force":
            result.append(life.last_day.isoformat() if life.last_day is not None else None)
        else:
            raise ValueError(f"the hand-written Article IX does not answer {ask!r}")
    return result


# -- the workload and the comparison -----------------------------------------------------------------

def workload(engine: Engine, count: int, seed: int) -> Iterator:
    """`count` valid scenarios of 5–20 signatures, notices and withdrawals, asking only `QUESTIONS`."""
    rng = random.Random(seed)
    made = 0
    while made < count:
        data = random_scenario_data(engine.ruleset, rng, types=EVENT_TYPES, min_events=5, max_events=20,
                                    choices=False)
        data["questions"] = [question for question in data["questions"] if question["ask"] in QUESTIONS]
        if not data["questions"]:
            continue
        try:
            scenario = engine.reader.from_document(as_document(data))
        except MouError:
            continue
        made += 1
        yield scenario


def engine_answers(engine: Engine, scenario) -> list:
    """The engine's answers to the scenario's questions, as JSON."""
    return [to_json(item.answer) for item in engine.check(scenario, explain=False).results]


def agree(engine: Engine, scenarios) -> list:
    """The disagreements between the engine and `answers`: (scenario, question, engine's, hand-written)."""
    found = []
    for scenario in scenarios:
        expected = engine_answers(engine, scenario)
        mine = answers(scenario)
        for call, theirs, ours in zip(scenario.questions, expected, mine):
            if theirs != ours:
                found.append((scenario, call, theirs, ours))
        if len(expected) != len(mine):
            found.append((scenario, None, len(expected), len(mine)))
    return found


def describe(disagreement) -> str:
    """One disagreement, with the scenario's events, to study it."""
    scenario, call, theirs, ours = disagreement
    asked = f"{call.ask} {call.raw_args}" if call is not None else "number of answers"
    lines = [f"{asked}: engine {theirs!r}, hand-written {ours!r}"]
    for event in scenario.events:
        lines.append(f"    {event.id:<10} {event.type:<20} {event.date}  "
                     + ", ".join(f"{k}={getattr(v, 'id', v)}" for k, v in event.fields.items()))
    return "\n".join(lines)


def best_of(runs: int, work) -> float:
    """The shortest wall time of `runs` calls of `work`."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


class Disagreement(AssertionError):
    """The hand-written function and the engine disagree: the floor means nothing until they agree."""

    def __init__(self, disagreements: list, seed: int):
        self.disagreements = disagreements
        super().__init__(f"{len(disagreements)} disagreements between the engine and the hand-written "
                         f"Article IX (seed {seed}); the first:\n" + describe(disagreements[0]))


def measure(count: int = 20_000, seed: int = 2009, runs: int = 3) -> dict:
    """The figures of the benchmark, rates in scenarios per second on one core (best of `runs`).

    Raises `Disagreement` (an AssertionError) when the hand-written function and the engine disagree on
    any scenario of the workload. Keys: count, seed, backend, events and questions (means per scenario),
    engine and floor (rates), ratio (floor ÷ engine: how many times slower the engine is), disagreements.
    """
    engine = Engine()
    scenarios = list(workload(engine, count, seed))  # generated once, not timed
    disagreements = agree(engine, scenarios)
    if disagreements:
        raise Disagreement(disagreements, seed)

    def run_engine() -> None:
        for scenario in scenarios:
            engine.check(scenario, explain=False)

    def run_floor() -> None:
        for scenario in scenarios:
            answers(scenario)

    engine_rate = count / best_of(runs, run_engine)
    floor_rate = count / best_of(runs, run_floor)
    return {"count": count, "seed": seed, "backend": DEFAULT_BACKEND,
            "events": sum(len(s.events) for s in scenarios) / count,
            "questions": sum(len(s.questions) for s in scenarios) / count,
            "engine": engine_rate, "floor": floor_rate, "ratio": floor_rate / engine_rate, "disagreements": 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2009)
    options = parser.parse_args()
    try:
        figures = measure(options.scenarios, options.seed)
    except Disagreement as error:
        print(f"{len(error.disagreements)} disagreements between the engine and the hand-written Article IX "
              f"on {options.scenarios:,} scenarios (seed {options.seed}); the first:")
        for disagreement in error.disagreements[:5]:
            print(describe(disagreement))
        sys.exit(1)
    print(f"Article IX only: {figures['count']:,} scenarios (signatures, notices, withdrawals; "
          f"{figures['events']:.1f} events, {figures['questions']:.1f} questions each; seed {figures['seed']})")
    for name, rate in ((f"engine ({figures['backend']}):", figures["engine"]), ("hand-written:", figures["floor"])):
        print(f"  {name:<17} {rate:9,.0f} scenarios/s per core ({1e6 / rate:,.0f} µs each)")
    print(f"  the engine is {figures['ratio']:.1f}x slower than the floor; {figures['disagreements']} disagreements")


if __name__ == "__main__":
    main()
