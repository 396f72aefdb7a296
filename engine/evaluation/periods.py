"""Watched dates that come round again: a quiet stretch of the timeline stepped a calendar cycle at a time.

Stage: evaluation. Imports `mou.dates`, `mou.errors`, `mou.values`, `horizon`, and
the clause language's `strata` (what rules read) and `expressions`/`syntax`
(the dates clause files write); works on `replay.Replay`s (which import it).

A rule that watches a date it sets again (a term renewed every five years)
fires once a period for as long as the timeline runs: asked about 8999, a
replay would fire it over a thousand times. Past its last event, though, a
timeline has nothing new to take: what happens on a watched day depends only
on the facts as they stand and on the day itself. The Gregorian calendar
repeats exactly every 400 years (146,097 days: leap days, month lengths and
days of the week alike), so adding days, months or years to a date commutes
with moving it 400 years. Hence `Stepper`:

- before the watched dates of a day `d` fire, it notes the facts as they
  stand (`Mark`);
- when the facts on `d` are those of `d - 400·m years` (m = 1, 2, …) with
  every date that moved moved by exactly that, the stretch between them
  repeats, and the replay skips whole cycles: each fact that moved is set to
  its value moved by as many cycles, and so are the watched dates due;
- a fact that did not move must be *settled*: a date no rule can carry past
  the day by adding its periods (the horizon's `reach`), and the last event,
  and any date the clause files write, lie at least that far before the
  cycle began; an `int` that grows by the same amount each cycle (a term's
  number) is stepped as a count only when no rule reads it except to add to
  it itself (`inert`), so a rule cannot decide anything on it;
- in a rule set that adds only days to dates (no months, no years), a shift
  by any number of days commutes with its arithmetic too, so the facts of a
  day are also compared with those of the last few watched days (`RECENT`):
  a weekly timer repeats after a week, not after 400 years;
- a cycle is never skipped over a day a question asks about, so the facts as
  they stood on each asked day are those a full replay gives; only the days
  skipped have no history (no question reads them). In an explained replay,
  each firing of the last cycle stands, moved on, for its repetitions, with a
  note saying so.

A timeline that does not repeat (a daily timer with a growing list of duty
instances) is replayed, up to `LIMIT` watched days past its last event: a
replay that needs more is refused (`MouError`, exit 2) at the place of the
rules that watch the date, naming the day it reached.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Iterable

from ..dates import DateError, Duration, add_span, subtract_span
from ..errors import Diagnostic, Location, MouError
from .horizon import _gather, reach

CYCLE_YEARS = 400
"""The Gregorian calendar's period: 400 years are 146,097 days, a whole number of weeks."""

LIMIT = 10_000
"""How many watched days a replay fires past its last event when they do not repeat: the replay's limit."""

RECENT = 8
"""In a rule set that adds only days, how many of the last watched days a day's facts are compared with."""


@dataclass(unsafe_hash=True)
class Mark:
    """The facts as they stood at the start of a watched day, before its rules fired (never changed once made;
    not `frozen`, whose fields cost a call each to set, as `Judgement` says)."""

    day: date
    facts: dict  # (key, name) → (value, the day it was set, the firing that set it)
    timers: tuple  # (day, owner, attribute, key) of each watched date due
    instances: int  # duty instances by then


@dataclass(frozen=True)
class Step:
    """How far one cycle moves a date: a multiple of 400 years, or (in a rule set that adds only days) days."""

    years: int = 0
    days: int = 0

    def move(self, day: date, cycles: int = 1) -> date:
        """`day` moved on by `cycles` cycles (back, when negative); a 29 February stays one over 400 years."""
        if self.years:
            return day.replace(year=day.year + self.years * cycles)
        return day + timedelta(days=self.days * cycles)

    def shift(self, value: Any, cycles: int = 1) -> Any:
        """`value` with every date in it moved on by `cycles` cycles."""
        if isinstance(value, date):
            return self.move(value, cycles)
        if isinstance(value, (list, tuple)):
            return type(value)(self.shift(item, cycles) for item in value)
        return value

    def __str__(self) -> str:
        return f"{self.years:,} years" if self.years else f"{self.days:,} days"


class Stepper:
    """Finds a repeating stretch of a replay's quiet timeline, and skips whole cycles of it."""

    def __init__(self) -> None:
        # The replay is passed to each call, never held: a replay referring to itself through its stepper
        # would be a reference cycle (`mou.collector`).
        self.marks: dict[date, Mark] = {}
        self.fired = 0  # watched days fired since the last event
        self.settled: date | None = None  # the first day a cycle may begin on (`_settled`)
        self.periods: tuple[int, int] | None = None  # the reach of the rules' periods, as (months, days)
        self.seen = date.min  # the last watched day noted

    def due(self, replay: Any, timer: Any, until: date | None) -> bool:
        """Whether `timer`, next due, begins a watched day not noted yet: then note it (`day`) and say so.

        A trunk (a replay keeping checkpoints) skips no cycle between its events, whose checkpoints
        another replay with other days asked may take over: only past its last event.
        """
        if timer.day <= self.seen or replay.state.attr(timer.key, timer.attr, None)[0] != timer.day:
            return False
        self.seen = timer.day
        if replay.checkpoints is not None and not replay.finishing:
            return False
        self.day(replay, timer.day, until, replay.asked)
        return True

    def event_taken(self) -> None:
        """An event has taken effect: the timeline is no longer the one noted."""
        self.marks.clear()
        self.fired = 0
        self.settled = None

    def day(self, replay: Any, day: date, until: date | None, asked: Iterable[date]) -> None:
        """Before the watched dates of `day` fire: note the facts, and skip cycles if they repeat."""
        self.fired += 1
        if self.fired > LIMIT:
            self._refuse(replay, day)
        mark = self._mark(replay, day)
        if self.settled is None:
            self.periods = reach(periods_of(replay))
            self.settled = _settled(replay, self.periods)
        if day < self.settled:
            return
        for step, earlier in self._candidates(day):
            moves = _repeats(replay, earlier, mark, step, self._before(earlier.day))
            if moves is not None:
                self._skip(replay, mark, moves, step, until, asked)
                return
        self.marks[day] = mark

    def _candidates(self, day: date) -> Iterable[tuple[Step, Mark]]:
        """The earlier marks the facts of `day` may repeat, with the step from each: the days of the last few
        (in a rule set that adds only days to dates), and the same day 400, 800, … years before."""
        if self.periods[0] == 0:
            for earlier in list(self.marks.values())[-RECENT:][::-1]:
                if earlier.day >= self.settled:
                    yield Step(days=(day - earlier.day).days), earlier
        for back in range(1, (day.year - self.settled.year) // CYCLE_YEARS + 1):
            step = Step(years=CYCLE_YEARS * back)
            earlier = self.marks.get(step.move(day, -1))
            if earlier is not None:
                yield step, earlier

    def _before(self, day: date) -> date:
        """The last day a date may stand still on: the rules' periods cannot carry it past `day`."""
        months, days = self.periods
        try:
            return subtract_span(day, months, days)
        except DateError:
            return date.min

    def _mark(self, replay: Any, day: date) -> Mark:
        timers = tuple(sorted((t.day, t.owner, t.attr, t.key) for t in replay.timers
                              if replay.state.attr(t.key, t.attr, None)[0] == t.day))
        return Mark(day, replay.state.current(), timers, len(replay.state.instances))

    def _skip(self, replay: Any, mark: Mark, moves: dict, step: Step, until: date | None,
              asked: Iterable[date]) -> None:
        """Skip as many whole cycles as fit before `until` and before any day asked on or after `mark.day`."""
        limit = until
        for day in asked:
            if day >= mark.day and (limit is None or day < limit):
                limit = day
        if limit is None:
            return
        cycles = (limit - mark.day).days // max((step.move(mark.day) - mark.day).days, 1)
        while cycles > 0 and _fits(step, mark.day, cycles) > limit:
            cycles -= 1
        if cycles <= 0:
            return
        copies: dict[int, int] = {}
        for (key, name), count in moves.items():
            value, set_on, source = mark.facts[(key, name)]
            new = step.shift(value, cycles) if count is None else value + count * cycles
            replay.state.set(key, name, new, step.move(set_on, cycles),
                             _stand_in(replay, source, step, cycles, copies) if source is not None else None)
        for day, owner, attr, key in mark.timers:
            replay.watch(step.move(day, cycles), owner, attr, key)
        self.marks.clear()
        self.fired = 0
        replay.skipped.append((mark.day, step.move(mark.day, cycles), str(step), cycles))

    def _refuse(self, replay: Any, day: date) -> None:
        timer = replay.timers[0] if replay.timers else None
        rules = replay.ruleset.date_triggers.get((timer.owner, timer.attr), ()) if timer is not None else ()
        named = ", ".join(f"{rule.id} ({rule.paragraph})" for rule in rules) or "the rules"
        what = f"{timer.key.lstrip('$')}.{timer.attr}" if timer is not None else "a watched date"
        message = (f"{named} watch{'es' if len(rules) == 1 else ''} {what}, which came round {LIMIT:,} times past "
                   f"the last event of {replay.file or 'the scenario'} without the facts repeating, up to {day}: "
                   f"mou replays at most {LIMIT:,} watched days past a scenario's last event (the clause language, "
                   "'Watched dates that repeat'); ask about an earlier date")
        location = rules[0].location if rules else Location(replay.file or "<scenario>")
        raise MouError(Diagnostic(location, message))


def _fits(step: Step, day: date, cycles: int) -> date:
    try:
        return step.move(day, cycles)
    except (ValueError, OverflowError):
        return date.max


def periods_of(replay: Any) -> set[Duration]:
    """Every period a replay's rules may add to a date: the rule set's, and those its scenario and readings give."""
    found = set(replay.ruleset.durations)
    _gather([event.fields for event in replay.events], [], found)
    _gather([*replay.parameters.values(), *replay.choices.values()], [], found)
    return found


def _settled(replay: Any, periods: tuple[int, int]) -> date:
    """The first day a cycle may begin on: every event taken, and every date the clause files write, plus the
    periods the rules can add, twice over (once to what they read, once to what `at(…)` looks back on)."""
    dates = [day for day, _ in replay.order]
    dates += [event.date for _, event in replay.order]
    _gather([event.fields for _, event in replay.order], dates, set())
    dates += written_dates(replay.ruleset)
    latest = max(dates, default=date.min)
    months, days = periods
    try:
        for _ in range(2):
            latest = add_span(latest, months, days)
    except DateError:
        return date.max
    return latest


def _repeats(replay: Any, earlier: Mark, later: Mark, step: Step, still: date) -> dict | None:
    """How each fact moves from `earlier` to `later`, one `step` on; None unless the stretch repeats.

    A date moves by the step (None in the result); an inert count by a constant (that constant); anything
    else must be equal, and a date that stands still must be settled: on or before `still`.
    """
    if later.instances != earlier.instances or len(later.facts) != len(earlier.facts):
        return None
    if later.timers != tuple((step.move(d), o, a, k) for d, o, a, k in earlier.timers):
        return None
    moves: dict = {}
    counts = None
    for fact, (value, _, _) in later.facts.items():
        found = earlier.facts.get(fact)
        if found is None:
            return None
        before = found[0]
        if type(before) is not type(value):
            return None
        if value == before:
            if _has_date_after(value, still):
                return None  # a date that stood still where the rules can still reach it
            continue
        if step.shift(before) == value:
            moves[fact] = None
            continue
        if type(value) is int:
            if counts is None:
                counts = inert_counts(replay.ruleset)
            if _owner(replay, fact[0]) + (fact[1],) in counts:
                moves[fact] = value - before
                continue
        return None
    return moves


def _owner(replay: Any, key: str) -> tuple[str]:
    if key.startswith("$"):
        return (key[1:],)
    event = replay.by_id.get(key)
    return (event.type if event is not None else key,)


def _has_date_after(value: Any, still: date) -> bool:
    """Whether `value` holds a date after `still`."""
    if isinstance(value, date):
        return value > still
    if isinstance(value, (list, tuple)):
        return any(_has_date_after(item, still) for item in value)
    return False


_WRITTEN: dict[int, tuple] = {}
_INERT: dict[int, frozenset] = {}


def written_dates(ruleset: Any) -> list[date]:
    """The dates the rules and definitions of a rule set write as literals."""
    from ..language.ruleset import kept_for

    return list(kept_for(ruleset, _WRITTEN, _written))


def _written(ruleset: Any) -> tuple:
    from ..language.expressions import parse
    from ..language.syntax import Literal, walk

    found = set()
    for text in _texts(ruleset):
        try:
            tree = parse(text)
        except Exception:  # noqa: BLE001 - a text that compiled parses; anything else writes no date
            continue
        found.update(node.value for node in walk(tree) if isinstance(node, Literal) and isinstance(node.value, date))
    return tuple(sorted(found))


def _texts(ruleset: Any, skip: Any = None) -> list[str]:
    texts = []
    for rule in ruleset.rules:
        texts += [binding.text for binding in rule.lets]
        texts += [condition.text for condition in rule.conditions]
        texts += [rule.guard.text] if rule.guard is not None else []
        texts += [a.text for a in (*rule.then, *rule.otherwise, *rule.unknown) if skip is None or not skip(rule, a)]
        if rule.duty is not None:
            texts += [rule.duty.bearers_text, rule.duty.counterparty_text]
    texts += [info.text for info in ruleset.compiled_definitions.values()]
    return [text for text in texts if text]


def inert_counts(ruleset: Any) -> frozenset:
    """The int attributes, as (owner, name), that no rule reads except to set them again itself.

    Such a count (a term's number) decides nothing a rule does, so a cycle may step it by a constant.
    """
    from ..language.ruleset import kept_for

    return kept_for(ruleset, _INERT, _inert)


def _inert(ruleset: Any) -> frozenset:
    from ..language import strata
    from ..language import types as T

    definitions = {name: ({p: t.events for p, t in info.params if t.kind == "event"}, info.text)
                   for name, info in ruleset.compiled_definitions.items()}
    facts = strata.Facts({name: list(d.attributes) for name, d in ruleset.event_types.items()},
                         list(ruleset.entity_attributes), definitions)
    counts = {(owner, name) for owner, attributes in ruleset.entity_attributes.items()
              for name, spec in attributes.items() if spec.type == T.INT}
    counts |= {(owner, name) for owner, d in ruleset.event_types.items()
               for name, spec in d.attributes.items() if spec.type == T.INT}
    read: set = set()
    for rule in ruleset.rules:
        types = frozenset({rule.trigger.owner}) if rule.trigger.owner in ruleset.event_types else frozenset()
        bound = {"event": types} if types else {}
        texts = [binding.text for binding in rule.lets] + [c.text for c in rule.conditions]
        texts += [rule.guard.text] if rule.guard is not None else []
        if rule.duty is not None:
            texts += [rule.duty.bearers_text, rule.duty.counterparty_text]
        for text in texts:
            if text:
                read |= facts.reads(text, bound)
        for a in (*rule.then, *rule.otherwise, *rule.unknown):
            reads = facts.reads(a.text, bound) if a.text else set()
            own = {(a.target[1:], a.attr)} if a.target.startswith("$") else {(t, a.attr) for t in types}
            read |= reads - own
    return frozenset(count for count in counts if count not in read)


def _stand_in(replay: Any, source: int, step: Step, cycles: int, copies: dict[int, int]) -> int | None:
    """The firing that stands, in the trace, for firing `source` as the skipped cycles repeated it: its day and
    conclusions moved on, a note saying so, and no conditions (they read the facts of its own day). Made once
    per skip (`copies`); None in an answers-only replay, which keeps no firings."""
    if not replay.explain or source >= len(replay.firings):
        return None
    if source not in copies:
        firing = replay.firings[source]
        copies[source] = len(replay.firings)
        note = (f"nothing else happening, the watched dates repeat every {step}: from {firing.day} they were "
                f"stepped {cycles:,} times at once, so this is that firing as repeated on its day")
        replay.firings.append(replace(firing, index=copies[source], day=step.move(firing.day, cycles),
                                      effects=tuple((name, step.shift(value, cycles)) for name, value in firing.effects),
                                      conditions=(), lets=(), let_reads=(), notes=(note,)))
    return copies[source]


class Standing:
    """Counts the watched dates fired on one day, and refuses one that comes round for ever on it."""

    def __init__(self) -> None:
        self.day: date | None = None
        self.count = 0

    def fired(self, replay: Any, timer: Any) -> Any:
        """`timer`, about to fire: refused (`refuse_standing`) past `LIMIT` firings on one day."""
        self.count = self.count + 1 if timer.day == self.day else 1
        self.day = timer.day
        if self.count > LIMIT:
            refuse_standing(replay, timer)
        return timer


def refuse_standing(replay: Any, timer: Any) -> None:
    """A watched date set again to the day it fires on (a period of 0 days) comes round for ever on that one day:
    refused at the rules that watch it, as invalid input, rather than replayed without end."""
    rules = replay.ruleset.date_triggers.get((timer.owner, timer.attr), ())
    named = ", ".join(f"{rule.id} ({rule.paragraph})" for rule in rules) or "the rules"
    what = f"{timer.key.lstrip('$')}.{timer.attr}"
    message = (f"{named} watch{'es' if len(rules) == 1 else ''} {what}, which came round {LIMIT:,} times on "
               f"{timer.day} without moving to a later day (a period of 0 days?): a watched date must move on "
               "each time it comes round")
    location = rules[0].location if rules else Location(replay.file or "<scenario>")
    raise MouError(Diagnostic(location, message))
