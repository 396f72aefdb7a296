"""The evaluation state: facts with their history, the events so far, and duty instances.

Stage: evaluation. Imports `duties`, the clause language's `ruleset`, and
`mou.values`.

Every fact is a list of (day, value, firing) entries in the order they were
set, so a question can be asked "on" any date and every value can say which
rule firing set it. `State` is the `Store` that compiled expressions read
(`language.context.Store`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable, Mapping

from ..language.ruleset import DutyDef, RuleSet, kept_for
from ..values import Event, Unknown
from . import duties

PARAM_KEY = "$param"
BEFORE_TIME = date.min


class State:
    """Facts with history: attributes of the agreement and of events, and parameters.

    Each fact is a list of (day, value, firing) entries in the order they were
    set; `attr(key, name, as_of)` reads the value at the end of day `as_of`
    (or the latest value when `as_of` is None) and the firing that set it.
    """

    def __init__(self, ruleset: RuleSet, events: Iterable[Event], parameters: Mapping[str, Any]):
        self._history: dict[tuple[str, str], tuple[list[date], list[Any], list[int | None]]] = {}
        self.ruleset = ruleset  # for words: a parameter named in a sentence is said by what it is
        self._initial: dict[tuple[str, str], Any] = dict(kept_for(ruleset, _INITIAL, _initial_values))
        for name in parameters:
            if (PARAM_KEY, name) in self._initial:
                self._initial[(PARAM_KEY, name)] = parameters[name]
        self._event_attrs = ruleset.initial_event_attributes
        self._types = {event.id: event.type for event in events}
        self._by_type: dict[str, tuple[list[date], list[Event]]] = {}
        self._by_field: dict[tuple[str, str], _FieldIndex] = {}
        self.instances: list[Instance] = []
        self._instances_by: dict[tuple[str, str | None], list[Instance]] = {}
        self.choices: Mapping[str, Any] = {}
        self.version = 0  # bumped by every change, so definitions can be memoized per state
        self.memo: dict = {}
        self.journal: list[tuple[str, str, Any, date, int | None]] | None = None  # when kept: every `set`, in order
        self.watch: Callable[[str], None] | None = None  # when set: told the name of every parameter read

    def resume(self, other: "State", changes: int, instances: int) -> None:
        """Take over what `other` held after its first `changes` sets and `instances` duty instances.

        For a replay that goes on from another's checkpoint (`Replay.run`):
        `other` must have kept its journal from the same starting point.
        """
        history = self._history
        taken = other.journal[:changes]
        for key, name, value, day, source in taken:  # a few thousand entries a search: kept to the bone
            found = history.get((key, name))
            if found is None:
                history[(key, name)] = ([day], [value], [source])
            else:
                found[0].append(day)
                found[1].append(value)
                found[2].append(source)
        if self.journal is not None:
            self.journal.extend(taken)
        self.version += changes
        self.add_instances(other.instances[:instances])

    def attr(self, key: str, name: str, as_of: date | None) -> tuple[Any, int | None]:
        """The value of a fact (at the end of `as_of`) and the firing that set it."""
        history = self._history.get((key, name))
        if history is not None:
            if as_of is None:
                return history[1][-1], history[2][-1]
            index = bisect_right(history[0], as_of) - 1
            if index >= 0:
                return history[1][index], history[2][index]
        kind = self._types.get(key)  # a fact no rule has set yet (most reads): its initial value
        if kind is not None:
            return self._event_attrs[kind][name], None
        return self._initial[(key, name)], None

    def param(self, name: str, as_of: date | None) -> tuple[Any, int | None]:
        """The consolidated value of a parameter (at the end of `as_of`)."""
        if self.watch is not None:
            self.watch(name)
        return self.attr(PARAM_KEY, name, as_of)

    def set(self, key: str, name: str, value: Any, day: date, source: int | None) -> None:
        """Record a new value of a fact, set on `day` by firing `source`."""
        self.version += 1
        if self.journal is not None:
            self.journal.append((key, name, value, day, source))
        history = self._history.setdefault((key, name), ([], [], []))
        history[0].append(day)
        history[1].append(value)
        history[2].append(source)

    def current(self) -> dict[tuple[str, str], tuple[Any, date, int | None]]:
        """Every fact a rule has set: its latest value, the day it was set and the firing that set it."""
        return {fact: (values[-1], days[-1], sources[-1]) for fact, (days, values, sources) in self._history.items()}

    def changes(self, key: str, name: str) -> list[tuple[date, Any, int | None]]:
        """Every value a fact took, with its day and the firing that set it."""
        history = self._history.get((key, name))
        return list(zip(*history)) if history else []

    def learn(self, event: Event) -> None:
        """Know an event that was not given when the state was made (incremental feeding)."""
        self._types[event.id] = event.type

    def arrive(self, event: Event, day: date) -> None:
        """Note that `event` has taken effect on `day` (quantifiers range over these)."""
        self.version += 1
        days, events = self._by_type.setdefault(event.type, ([], []))
        days.append(day)
        events.append(event)

    def events(self, type_name: str, as_of: date | None) -> list[Event]:
        """The events of a type that have taken effect (by the end of `as_of`)."""
        found = self._by_type.get(type_name)
        if found is None:
            return []
        if as_of is None:
            return list(found[1])
        return found[1][: bisect_right(found[0], as_of)]

    def events_with(self, type_name: str, field: str, value: Any, as_of: date | None) -> list[Event] | None:
        """The events of a type taken effect by `as_of` whose `field` may equal `value`, in arrival order.

        An index, so that judging a duty instance looks up the acts that may
        settle it instead of scanning them all. Events whose field is unknown
        (or not hashable) are always among them: equality decides those.
        None when `value` cannot be looked up (not hashable): scan instead.
        """
        found = self._by_type.get(type_name)
        if found is None:
            return []
        days, events = found
        index = self._by_field.get((type_name, field))
        if index is None:
            index = self._by_field[(type_name, field)] = _FieldIndex(field)
        index.catch_up(events)
        try:
            hits = index.table.get(value, [])
        except TypeError:
            return None
        limit = len(events) if as_of is None else bisect_right(days, as_of)
        positions = hits[: bisect_left(hits, limit)]
        if index.loose:
            positions = sorted(positions + index.loose[: bisect_left(index.loose, limit)])
        return [events[position] for position in positions]

    def add_instances(self, instances: Iterable["Instance"]) -> None:
        """Record duty instances that have just arisen (or failed to)."""
        for instance in instances:
            self.instances.append(instance)
            key = (instance.duty.id, instance.event.id if instance.event is not None else None)
            self._instances_by.setdefault(key, []).append(instance)

    def duty_instances(self, duty: str, event: Event | None) -> list["Instance"]:
        """The instances of a duty triggered by `event` (None: by a date, e.g. entry into force)."""
        found = self._instances_by.get((duty, event.id if event is not None else None), ())
        return [instance for instance in found if instance.event is event]

    def judge(self, instance: "Instance", on: date | None, traced: bool = False) -> duties.Judgement:
        """The status of a duty instance at the end of day `on`, and why (`traced`: with the choices it read)."""
        return duties.judge(self, instance, on, traced)

    def listed(self, on: date | None, traced: bool = False) -> list[duties.Judgement]:
        """Every listed duty instance that has arisen by `on`, judged on `on`."""
        return duties.listed(self, on, traced)

    def not_arisen(self, on: date | None) -> list[duties.Judgement]:
        """The listed duties' instances whose trigger came by `on` and whose conditions failed."""
        return duties.not_arisen(self, on)


_INITIAL: dict[int, dict[tuple[str, str], Any]] = {}
"""Each live rule set's entities' facts and parameters before any rule sets them (`kept_for`)."""


def _initial_values(ruleset: RuleSet) -> dict[tuple[str, str], Any]:
    values = {("$" + entity, name): attribute.initial
              for entity, attributes in ruleset.entity_attributes.items() for name, attribute in attributes.items()}
    values.update({(PARAM_KEY, name): parameter.default for name, parameter in ruleset.parameters.items()})
    return values


class _FieldIndex:
    """The events of one type by the value of one field: value → their positions in arrival order."""

    def __init__(self, field: str):
        self.field = field
        self.table: dict[Any, list[int]] = {}
        self.loose: list[int] = []  # positions of events whose value is unknown or not hashable
        self.done = 0  # events indexed so far (more arrive while the timeline is replayed)

    def catch_up(self, events: list[Event]) -> None:
        """Index the events that arrived since the last call."""
        for position in range(self.done, len(events)):
            event = events[position]
            value = event.date if self.field == "date" else event.fields.get(self.field)
            try:
                if isinstance(value, Unknown):
                    raise TypeError("unknown")
                self.table.setdefault(value, []).append(position)
            except TypeError:
                self.loose.append(position)
        self.done = len(events)


@dataclass
class Instance:
    """One instance of a duty: who owes it to whom, triggered by what, and whether it arose."""

    duty: DutyDef
    event: Event | None
    bearer: str
    counterparty: str | None
    arose: Any  # true, false (the conditions failed: not triggered) or unknown
    env: dict  # the bindings its later judgement needs: event, lets, bearer, counterparty
    day: date  # the day it arose
    firing: int  # the firing of its trigger rule

