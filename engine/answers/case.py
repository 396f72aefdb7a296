"""A case: one scenario under one reading, its answers, and the variants they are weighed against.

Stage: answers. Imports `questions`, evaluation's `replay`, scenario files'
`model` and `variants`, the clause language's `ruleset` and `types`, and
`mou.values`.

`Case.value(call)` is the answer to a question, with DOMAIN.md's rule that an
answer is `unknown` only when the missing facts could change it: when the
plain evaluation gives `unknown`, the case evaluates the question again under
every combination of the values the missing facts could take (booleans,
enums, and choices with a finite set of values; a few at a time). If every way
gives the same answer, that is the answer. Variants are replayed on demand
and remembered, so explanations, counterfactuals and the rule above share
them; `replays` counts them, which is what bounds a search.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Mapping

from .. import collector
from ..errors import RuleError
from ..evaluation.checkpoints import keep
from ..evaluation.replay import Replay
from ..language import types as T
from ..language.ruleset import RuleSet
from ..scenario.model import QuestionCall, Scenario
from ..scenario.variants import (CHOICE, EVENT, Change, Changes, changes, choices_of, copied, parameters_of,
                                 repoint, vary)
from ..values import Event, Missing, Unknown
from .questions import Answer, answer, same, value_of

MAX_MISSING = 4
"""At most this many missing facts are weighed together (at most 2⁴ × enum sizes evaluations)."""

INVALID = object()
"""The value of a question in a variant that is not a valid scenario."""

FAILED = object()
"""A variant's replay on which a clause rule failed (kept, so that a case sharing it counts it failed too)."""


def replay_of(ruleset: RuleSet, backend: Any, scenario: Scenario, interpretation: Mapping[str, Any] | None = None,
              parameters: Mapping[str, Any] | None = None, explain: bool = True, duties: bool = True,
              asking: Iterable[QuestionCall] = (), trunk: Replay | None = None,
              checkpoints: bool = False) -> Replay:
    """Replay a scenario's timeline under its own choices and parameters, with these on top.

    `duties=False` (answers only) skips the rules that create duty instances:
    only for callers that ask no question reading duties. `asking`: questions
    asked besides the scenario's own, whose dates the evaluation horizon must
    reach. `trunk`: a replay with checkpoints that this one may go on from
    where their timelines part (`Replay.run`); `checkpoints`: keep them, to
    be such a trunk. A clause rule that fails raises `RuleError`, naming the
    scenario.
    """
    params = {**scenario.parameters, **(parameters or {})}
    replay = Replay(ruleset, scenario.events, scenario.choices(ruleset, dict(interpretation or {})), params,
                    explain=explain)
    replay.defaulted = scenario.defaulted
    replay.file = scenario.file
    replay.stated = scenario.as_of
    replay.skip_duties = not duties and not explain
    replay.asked = asked_dates(scenario, asking)
    if checkpoints:
        keep(replay)
    with evaluating(scenario), collector.paused():
        return replay.run(backend, trunk)


def asked_dates(scenario: Scenario, asking: Iterable[QuestionCall] = ()) -> tuple[date, ...]:
    """The dates a replay of the scenario must reach: those its questions (and `asking`) ask about, and `as_of`."""
    return tuple(value for call in (*scenario.questions, *asking) for value in call.args.values()
                 if isinstance(value, date)) + ((scenario.as_of,) if scenario.as_of else ())


class evaluating:
    """A clause rule that fails in the block says which scenario it was evaluating.

    A class, not a generator: every replay enters one (see `collector.paused`).
    """

    __slots__ = ("scenario",)

    def __init__(self, scenario: Scenario):
        self.scenario = scenario

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, error: BaseException | None, traceback: object) -> None:
        if isinstance(error, RuleError):
            error.add_note(f"while evaluating {self.scenario.file}")


@dataclass(frozen=True)
class Unknowable:
    """A fact the answer lacks that can be weighed: an event's field, or a choice, and its possible values."""

    missing: Missing
    change_of: tuple[str, str, str]  # (kind, target, field) of the Change that would state it
    values: tuple

    def change(self, value: Any) -> Change:
        """The change that states this fact as `value`."""
        kind, target, name = self.change_of
        return Change(kind, target, name, value)


@dataclass
class Resolution:
    """An answer after weighing its missing facts."""

    value: Any
    weighed: tuple[Unknowable, ...] = ()  # the facts weighed; when the value is known, none of them mattered
    raw: Any = None  # the plain evaluation's value


@dataclass
class Case:
    """A scenario under a reading (choices and parameters on top of the scenario's own), on a backend."""

    ruleset: RuleSet
    backend: Any
    scenario: Scenario
    interpretation: dict = field(default_factory=dict)
    parameters: dict = field(default_factory=dict)
    explain: bool = True
    needs_duties: bool = True  # False: no question asked reads duty instances, so their rules may be skipped
    asking: tuple = ()  # questions asked besides the scenario's own (their dates bound the evaluation horizon)
    until: date | None = None  # the case as known on this day (`as_of`): the events dated later left out
    replays: int = 0  # variant replays made so far
    failed: int = 0  # variants whose replay (or question) failed: dropped as no answer, counted in `search`
    _replays: dict = field(default_factory=dict, repr=False)  # this case's variants (what it counts)
    _made: dict = field(default_factory=dict, repr=False)  # variants' replays, shared by like cases (`shares`)
    _scenarios: dict = field(default_factory=dict, repr=False)
    _events: dict = field(default_factory=dict, repr=False)  # a variant's events by id (`call_in`)
    _values: dict = field(default_factory=dict, repr=False)
    _held: dict = field(default_factory=dict, repr=False)  # the calls `_values` is keyed by (by id): kept alive
    _base: Replay | None = field(default=None, repr=False)
    _trunks: dict = field(default_factory=dict, repr=False)
    _known: dict = field(default_factory=dict, repr=False)  # `as_of`'s replays, by day and events kept

    def as_of(self, day: date, call: QuestionCall | None = None, named: Iterable[str] = ()) -> "Case":
        """The case as it stood on `day`: the scenario without what happened later, replayed up to that day.

        An answer about a day is explained from this case, so that nothing in
        its reasons, summary or counterfactuals comes from a later fact
        (`as_known`). The events the question asks about, and those the
        answer names (`named`), are kept whatever their date.
        """
        asked = [value.id for value in (call.args.values() if call is not None else ()) if isinstance(value, Event)]
        named = list(named)  # events the answer itself names (a meeting whose invitation is owed before its day)
        if call is not None and call.definition.uses_duties:
            named += asked  # a duty asked about by its trigger (a meeting): owed before that day, it rests on it
        asked += named
        by_id = {event.id: event for event in self.scenario.events}
        # An answer that lists a duty owed before its trigger's day rests on what happens up to that day.
        cutoff = max([day, *(by_id[name].date for name in named if name in by_id)])
        known = as_known(self.ruleset, self.scenario, cutoff, asked)
        case = Case(self.ruleset, self.backend, known, self.interpretation, self.parameters, self.explain,
                    self.needs_duties, self.asking, until=day)
        # The replay depends on the events kept, not on the day: questions whose cases keep the same events
        # share it (answering reads a replay and never changes what it holds), and so does the case as it is
        # when every event is kept and the dates asked reach as far (the same horizon). Variants stay each
        # case's own, as the search counts them.
        key = tuple(event.id for event in known.events)
        first = self._known.get(key)
        if first is not None:
            case._base = first.base
            case.shares(first)
        else:
            self._known[key] = case
            if len(known.events) == len(self.scenario.events) and self._reach(known) == self._reach(self.scenario):
                case._base = self.base
                if asked_dates(known, self.asking) == asked_dates(self.scenario, self.asking):
                    case.shares(self)
        return case

    def shares(self, other: "Case") -> None:
        """Take the variants of `other`, a case of the very same events, dates asked and reading: each variant
        is replayed once for both (it is the same replay). What each case counts stays its own (`replays`,
        `failed`, the answers its search pays for), so explanations say the same as when each replayed its
        own."""
        self._made, self._scenarios, self._events, self._trunks = \
            other._made, other._scenarios, other._events, other._trunks

    def _reach(self, scenario: Scenario) -> date:
        """The last date among a scenario's events and the dates asked of it: with the events, what sets the
        evaluation horizon of its replay (`evaluation.horizon.scenario_horizon`)."""
        return max([*(event.date for event in scenario.events), *asked_dates(scenario, self.asking)])

    @property
    def base(self) -> Replay:
        """The replay of the scenario as it is (explained when the case explains)."""
        if self._base is None:
            self._base = replay_of(self.ruleset, self.backend, self.scenario, self.interpretation,
                                   self.parameters, self.explain, self.needs_duties, self.asking)
        return self._base

    def trunk(self, duties: bool) -> Replay | None:
        """An answers-only replay of the scenario as it is, with checkpoints: variants go on from where they part."""
        if duties not in self._trunks:
            try:
                self._trunks[duties] = replay_of(self.ruleset, self.backend, self.scenario, self.interpretation,
                                                 self.parameters, False, duties, self.asking, checkpoints=True)
            except RuleError:
                self._trunks[duties] = None  # variants replay from the start, and say for themselves what fails
        return self._trunks[duties]

    def varied(self, items: Changes) -> Scenario | None:
        """The scenario with the event changes among `items` applied (None if that is invalid input)."""
        if items not in self._scenarios:
            self._scenarios[items] = vary(self.scenario, self.ruleset, items)
        return self._scenarios[items]

    def replay(self, items: Changes = (), duties: bool = True) -> Replay | None:
        """The replay of a variant, answers only (None if the variant is not a valid scenario)."""
        key = (items, duties)
        if key not in self._replays:
            scenario = self.varied(items)
            if scenario is None:
                self._replays[key] = None
            else:
                self.replays += 1
                made = self._made.get(key)
                if made is None:  # not yet replayed for this case or one that shares its variants
                    made = self._made[key] = self._replayed(scenario, items, duties)
                if made is FAILED:
                    # A variant the search made up (a date moved, a reading changed) on which a rule fails
                    # is no answer: it is dropped, and counted, never the end of the answer it was for.
                    self.failed += 1
                    made = None
                self._replays[key] = made
        return self._replays[key]

    def _replayed(self, scenario: Scenario, items: Changes, duties: bool) -> Any:
        """The replay of a variant, or FAILED when a clause rule fails on it."""
        # From the second variant on: a trunk is one more replay, which a case that replays a single
        # variant (a choice that may matter, one missing fact) would make for nothing.
        resumes = self.replays > 1 and getattr(self.backend, "resumable", False)
        try:
            return replay_of(self.ruleset, self.backend, scenario, {**self.interpretation, **choices_of(items)},
                             {**self.parameters, **parameters_of(items)}, False, duties, self.asking,
                             trunk=self.trunk(duties) if resumes else None)
        except RuleError:
            if not items:
                raise  # the scenario as it is: its failure is the answer's (exit 3)
            return FAILED

    def call_in(self, call: QuestionCall, items: Changes) -> QuestionCall | None:
        """The question as asked of a variant (its event arguments are the variant's events)."""
        scenario = self.varied(items)
        if scenario is None:
            return None
        events = self._events.get(items)
        if events is None:
            events = self._events[items] = {event.id: event for event in scenario.events}
        return repoint(call, events)

    def evaluate(self, call: QuestionCall, items: Changes = ()) -> Any:
        """The plain value of a question in a variant (`unknown` not weighed), or INVALID."""
        if not items:
            return value_of(self.base, call)
        replay = self.replay(items, duties=call.definition.uses_duties)
        if replay is None:
            return INVALID
        try:
            return value_of(replay, self.call_in(call, items))
        except RuleError:  # the question fails on a variant: dropped and counted, as a failing replay is
            self.failed += 1
            return INVALID

    def value(self, call: QuestionCall, items: Changes = ()) -> Any:
        """The answer to a question in a variant: `unknown` only when the missing facts could change it."""
        return self.resolve(call, items).value

    def resolve(self, call: QuestionCall, items: Changes = (), raw: Any = None, depth: int = 0) -> Resolution:
        """The answer and the facts weighed to reach it (see the module docstring)."""
        key = (id(call), items)
        if raw is None and key in self._values:
            return self._values[key]
        value = self.evaluate(call, items) if raw is None else raw
        result = Resolution(value, raw=value)
        if isinstance(value, Unknown) and depth < MAX_MISSING:
            weighable = self.unknowables(value)
            if weighable and len(weighable) == len(value.missing):  # every missing fact can be weighed
                weighable = weighable[: MAX_MISSING - depth]
                outcomes = [self.resolve(call, changes(*items, *(fact.change(v) for fact, v in zip(weighable, combo))),
                                         depth=depth + len(weighable)).value
                            for combo in itertools.product(*(fact.values for fact in weighable))]
                outcomes = [o for o in outcomes if o is not INVALID]
                first = outcomes[0] if outcomes else value
                if outcomes and not isinstance(first, Unknown) and all(
                        same(first, other, call.definition.unordered) for other in outcomes[1:]):
                    result = Resolution(first, tuple(weighable), value)
                else:
                    result = Resolution(value, tuple(weighable), value)
        if raw is None:
            self._values[key] = result
            self._held[id(call)] = call  # a call that died could pass its id to another, and get its answer
        return result

    def unknowables(self, value: Unknown) -> tuple[Unknowable, ...]:
        """The missing facts of an `unknown` that can be weighed, in a stable order."""
        found = []
        events = {event.id: event for event in self.scenario.events}
        for missing in sorted(value.missing):
            if missing.subject == "interpretation":
                choice = self.ruleset.choices.get(missing.name)
                if choice is not None and choice.values:
                    found.append(Unknowable(missing, (CHOICE, missing.name, ""), tuple(choice.values)))
            elif missing.subject in events:
                event = events[missing.subject]
                spec = self.ruleset.event_types[event.type].fields.get(missing.name)
                values = _values_of(spec.type) if spec is not None else ()
                if values:
                    found.append(Unknowable(missing, (EVENT, event.id, missing.name), values))
        return tuple(found)

    def answer(self, call: QuestionCall) -> tuple[Answer, Resolution]:
        """The base answer with its reads (for explanations), and its resolution."""
        found = answer(self.base, call, explain=self.explain)
        return found, self.resolve(call, raw=found.value)


def as_known(ruleset: RuleSet, scenario: Scenario, day: date, asked: Iterable[str] = ()) -> Scenario:
    """The scenario as known on `day`: the events dated after it removed, except those asked about (`asked`)
    and those a kept event refers to.

    Events the clause files imply (the signed original) stay, and so does a
    scenario's first event of the type that stands in for them, so that the
    scenario keeps meaning what it said about them. Questions are left out:
    the one explained is asked of the same event objects.
    """
    kept = {event.id for event in scenario.events if event.date <= day or event.implied} | set(asked)
    if ruleset.default_events is not None and not scenario.defaulted:
        standing = [event for event in scenario.events if event.type == ruleset.default_events[0]]
        if standing and not any(event.id in kept for event in standing):
            kept.add(min(standing, key=lambda event: (event.date, event.index)).id)  # the earliest
    by_id = {event.id: event for event in scenario.events}
    todo = list(kept)
    while todo:
        for value in by_id[todo.pop()].fields.values():
            for other in events_in(value):
                if other.id in by_id and other.id not in kept:
                    kept.add(other.id)
                    todo.append(other.id)
    if len(kept) == len(scenario.events):
        return copied(scenario, questions=())  # `copied`: `replace` through `__init__` costs a search
    return copied(scenario, events=tuple(event for event in scenario.events if event.id in kept), questions=())


def events_in(value: Any) -> Iterable[Event]:
    if isinstance(value, Event):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from events_in(item)


def _values_of(type_: T.Type) -> tuple:
    if type_.kind == "bool":
        return (True, False)
    if type_.kind == "enum":
        return tuple(type_.values)
    return ()
