"""Variants of a scenario: the same case with one field, choice or parameter changed.

Stage: scenario files. Imports `model`, `builder` (the input checks) and
`mou.values`.

What-if questions, counterfactuals ("what would have changed the answer")
and the rule that an answer is `unknown` only when the missing facts could
change it all evaluate a scenario with a few values changed. A `Change` names
one: a field of one event (`n1.form`), an interpretive choice
(`interpretation.NAME`) or a parameter (`parameters.NAME`). `vary` builds the
changed scenario with new objects for the events it changes and those that
refer to them (the original is never touched; the other events are shared),
every reference between events and every question argument pointing at the
new events; it returns None when the change makes the scenario invalid input
(a notice received before it was sent, say).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from ..language.ruleset import NO_DEFAULT, RuleSet
from ..values import Event
from .builder import failed_checks
from .model import QuestionCall, Scenario

EVENT, CHOICE, PARAMETER, ADD, MOVE = "event", "choice", "parameter", "add", "move"


@dataclass(frozen=True, order=True)
class Change:
    """One change to a scenario: an event's field, a choice or a parameter, and its new value."""

    kind: str  # event | choice | parameter | add | move
    target: str  # the event id, the choice's or the parameter's name; for `add`, the new event's id
    field: str = ""  # for an event: the field (or `date`); for `add`, the new event's type; for `move`, after | before
    value: Any = None  # for `add`: (date, ((field, value), ...)), an event given by id as ("event", id), and
    # optionally a third item: the id of the event of that day it is listed before (else after every event);
    # for `move`: the id of the event of the same day it is listed after (or before)

    @property
    def label(self) -> str:
        """As SCENARIOS.md writes it: `n1.form`, `interpretation.NAME`, `parameters.NAME`; `events.ID` (added)."""
        if self.kind == ADD:
            return f"events.{self.target}"
        if self.kind == MOVE:
            return f"{self.target}.{self.field}"
        if self.kind == EVENT:
            return f"{self.target}.{self.field}"
        return f"{'interpretation' if self.kind == CHOICE else 'parameters'}.{self.target}"

    def __hash__(self) -> int:
        """Computed once: a search looks its variants up by their changes some 160,000 times (one attribute
        read when it is there, cheaper than asking `__dict__` for it)."""
        try:
            return self._hash
        except AttributeError:
            cached = hash((self.kind, self.target, self.field, _hashable(self.value)))
            object.__setattr__(self, "_hash", cached)
            return cached

    def __reduce__(self) -> tuple:
        """Pickled without its hash, which another process would compute differently (text hashes vary)."""
        return (Change, (self.kind, self.target, self.field, self.value))


Changes = tuple[Change, ...]
"""A set of changes, sorted, so that equal variants have equal keys."""


def changes(*items: Change) -> Changes:
    """Changes in their canonical order (one per target).

    The value's `repr` decides only between changes of the same field, so it
    is made only when two are (a search builds a key for each of its thousands
    of variants, and a `repr` of a date or an added event is most of that).
    """
    unique = set(items)
    if len(unique) < 2:
        return tuple(unique)
    ordered = sorted(unique, key=_place)
    if len({_place(item) for item in ordered}) == len(ordered):
        return tuple(ordered)
    return tuple(sorted(unique, key=lambda c: (c.kind, c.target, c.field, repr(c.value))))


def _place(item: Change) -> tuple[str, str, str]:
    return item.kind, item.target, item.field


def choices_of(items: Iterable[Change]) -> dict[str, Any]:
    """The interpretive choices the changes set."""
    return {c.target: c.value for c in items if c.kind == CHOICE}


def parameters_of(items: Iterable[Change]) -> dict[str, Any]:
    """The parameters the changes set."""
    return {c.target: c.value for c in items if c.kind == PARAMETER}


def rebuilt(scenario: Scenario, fields_of: Callable[[Event], tuple[Any, dict[str, Any]]],
            file: str | None = None, only: Iterable[str] | None = None) -> Scenario:
    """The scenario with each event rebuilt from `fields_of(event)` = (date, fields), references re-pointed.

    `only`: rebuild just the events with these ids and those that refer to
    them; the others are kept, the very objects (a replay of the variant can
    then go on from the original's, up to the first event that differs).
    """
    return _rebuilt(scenario, fields_of, file, None if only is None else referring(scenario.events, set(only)))


def _rebuilt(scenario: Scenario, fields_of: Callable[[Event], tuple[Any, dict[str, Any]]], file: str | None,
             touched: set[str] | None) -> Scenario:
    """`rebuilt`, given the ids to rebuild (`touched`: every event when None)."""
    events: dict[str, Event] = {}
    for event in scenario.events:
        if touched is None or event.id in touched:
            day, fields = fields_of(event)
            events[event.id] = copied(event, date=day, fields=dict(fields))
        else:
            events[event.id] = event
    for event in events.values():
        if touched is None or event.id in touched:
            for name, value in event.fields.items():
                if isinstance(value, Event):
                    event.fields[name] = events[value.id]
    if touched is None:
        questions = tuple(repoint(call, events) for call in scenario.questions)
    else:  # only a question about a rebuilt event is asked of another object
        questions = tuple(repoint(call, events) if any(isinstance(value, Event) and value.id in touched
                                                       for value in call.args.values()) else call
                          for call in scenario.questions)
    return copied(scenario, file=file or scenario.file, events=tuple(events.values()), questions=questions)


def copied(value: Any, **changed: Any) -> Any:
    """`dataclasses.replace` for the scenario's own dataclasses (no `__post_init__`, no slots, every field set by
    `__init__`): the object's attributes copied, `changed` set. A search builds thousands of variants, and
    `replace` goes through `__init__` field by field."""
    made = object.__new__(type(value))
    made.__dict__.update(value.__dict__)
    made.__dict__.update(changed)
    return made


def referring(events: Iterable[Event], ids: set[str]) -> set[str]:
    """These events' ids, and those of every event that refers to one of them (through any number of others)."""
    referred: dict[str, list[str]] = {}  # an event's id → the ids of the events that refer to it
    for event in events:
        for value in event.fields.values():
            if isinstance(value, Event):
                referred.setdefault(value.id, []).append(event.id)
    found = set(ids)
    waiting = list(found)
    while waiting:
        for other in referred.get(waiting.pop(), ()):
            if other not in found:
                found.add(other)
                waiting.append(other)
    return found


def repoint(call: QuestionCall, events: dict[str, Event]) -> QuestionCall:
    """A question whose event arguments are the events of another build of the scenario."""
    if all(not isinstance(value, Event) or events.get(value.id) is value for value in call.args.values()):
        return call  # it asks about none of the events rebuilt
    args = {name: events[value.id] if isinstance(value, Event) else value for name, value in call.args.items()}
    return copied(call, args=args)


def vary(scenario: Scenario, ruleset: RuleSet, items: Iterable[Change]) -> Scenario | None:
    """The scenario with the event changes applied and the events added (choices and parameters are the
    replay's), or None if that is invalid input."""
    items = tuple(items)
    moved = [item for item in items if item.kind == MOVE]
    if moved:
        varied = vary(scenario, ruleset, [item for item in items if item.kind != MOVE])
        return None if varied is None else with_moved(varied, moved)
    added = [item for item in items if item.kind == ADD]
    if added:
        varied = vary(scenario, ruleset, [item for item in items if item.kind != ADD])
        return None if varied is None else with_added(varied, ruleset, added)
    by_event: dict[str, list[Change]] = {}
    for item in items:
        if item.kind == EVENT:
            by_event.setdefault(item.target, []).append(item)
    if not by_event:
        return scenario
    ids = {event.id for event in scenario.events}
    if any(target not in ids for target in by_event):
        return None

    def fields_of(event: Event) -> tuple[Any, dict[str, Any]]:
        day, fields = event.date, dict(event.fields)
        for item in by_event.get(event.id, ()):
            if item.field == "date":
                day = item.value
            else:
                fields[item.field] = item.value
        for copy, source in event.copied.items():  # a field left out copies another (received ← date)
            if not any(item.field == copy for item in by_event.get(event.id, ())):
                fields[copy] = day if source == "date" else fields[source]
        return day, fields

    touched = referring(scenario.events, set(by_event))
    varied = _rebuilt(scenario, fields_of, None, touched)
    for event in varied.events:
        if event.id in by_event:
            set_here = {item.field for item in by_event[event.id]}
            event.copied = {copy: source for copy, source in event.copied.items() if copy not in set_here}
            event.defaulted = event.defaulted - set_here
        if event.id in touched and next(failed_checks(ruleset, event), None) is not None:
            return None  # the changed event, or one that refers to it (a response before its request)
    return varied


def with_added(scenario: Scenario, ruleset: RuleSet, added: Iterable[Change]) -> Scenario | None:
    """The scenario with events added at the end of the file, or right before an event of their day where the
    change names one (fields left out take their defaults), or None if one is invalid input (a required field
    missing, an id taken, an input check failing, listed before an event it refers to)."""
    events = list(scenario.events)
    by_id = {event.id: event for event in events}
    for item in added:
        # after every event in the file: a scenario as known on a day keeps its events' places in the whole
        # file, so its length is no place after them (a withdrawal would come before the notice it withdraws)
        index = max((event.index for event in events), default=-1) + 1
        before = item.value[2] if len(item.value) > 2 else ""
        if before:
            other = by_id.get(before)
            if other is None or other.date != item.value[0]:
                return None
            index = other.index - 0.5
        event = added_event(ruleset, item, by_id, index)
        if event is None or event.id in by_id or next(failed_checks(ruleset, event), None) is not None:
            return None
        if before and any(isinstance(value, Event) and value.date == event.date and value.index > index
                          for value in event.fields.values()):
            return None  # listed before an event of its day that it refers to (an answer before its request)
        events.append(event)
        by_id[event.id] = event
    if any(len(item.value) > 2 and item.value[2] for item in added):
        events.sort(key=lambda event: event.index)
    return copied(scenario, events=tuple(events))


def with_moved(scenario: Scenario, moved: Iterable[Change]) -> Scenario | None:
    """The scenario with events listed elsewhere in their day: each right after (or before) another event of the
    same date. None where the two fall on different days, or the move would list an event before one it refers
    to (a withdrawal before its notice)."""
    moved = list(moved)
    varied = rebuilt(scenario, lambda event: (event.date, dict(event.fields)), only={item.target for item in moved})
    by_id = {event.id: event for event in varied.events}
    for item in moved:
        event, other = by_id.get(item.target), by_id.get(item.value)
        if event is None or other is None or event is other or event.date != other.date:
            return None
        first, second = (other, event) if item.field == "after" else (event, other)
        if first.id in referring(varied.events, {second.id}) - {second.id}:
            return None  # the event listed first would refer to one listed after it
        event.index = other.index + (0.5 if item.field == "after" else -0.5)
    return copied(varied, events=tuple(sorted(varied.events, key=lambda event: event.index)))


def added_event(ruleset: RuleSet, item: Change, by_id: dict[str, Event], index: int) -> Event | None:
    """The event an `add` change describes, with engine values (None when a required field is missing)."""
    definition = ruleset.event_types.get(item.field)
    if definition is None:
        return None
    day, given = item.value[:2]
    given = dict(given)
    fields: dict[str, Any] = {}
    copied: dict[str, str] = {}
    for name, spec in definition.fields.items():
        if name in given:
            value = given[name]
            if isinstance(value, tuple) and len(value) == 2 and value[0] == "event":
                value = by_id.get(value[1])
                if value is None:
                    return None
            fields[name] = value
        elif isinstance(spec.default, tuple) and len(spec.default) == 2 and spec.default[0] == "field":
            copied[name] = spec.default[1]
        elif spec.required or spec.default is NO_DEFAULT:
            return None
        else:
            fields[name] = spec.default
    for name, source in copied.items():
        fields[name] = day if source == "date" else fields.get(source)
    return Event(item.target, item.field, day, fields, index, None, False, copied,
                 frozenset(name for name in definition.fields if name not in given))


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value
