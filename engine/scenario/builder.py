"""Building a `Scenario` from a validated model: events, references, checks, questions.

Stage: scenario files. Imports `model`, `validators`, the clause language's
`context`, `ruleset`, `types` and `vocabulary`, and `mou.values`.

What the pydantic models cannot check is checked here: references between
events are resolved, fields left out become their default or `unknown`, the
input checks the clause files declare are run, question arguments are filled
in (a date from `as_of`, defaults such as "the meeting's day"), and each
`expect` is read as a value of the question's answer type.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Callable, Iterator

from ..errors import Diagnostic, Location, MouError, suggest
from ..language import types as T
from ..language.context import Ctx, EvalError
from ..language.ruleset import NO_DEFAULT, CheckDef, QuestionDef, RuleSet
from ..language.types import to_value
from ..language.wording import say
from ..language.yamlio import Document
from ..values import Event, Missing, Unknown, show
from .model import NOT_GIVEN, QuestionCall, Scenario
from .validators import alias, describe, fill, shown


class Builder:
    """Turns a validated model into a `Scenario`, checking what models cannot."""

    def __init__(self, ruleset: RuleSet, default_event: Callable[[dict], Any], doc: Document, model: Any):
        self.ruleset = ruleset
        self.default_event = default_event  # validates one of the rule set's default events, as the model does
        self.doc = doc
        self.model = model
        self.problems: list[Diagnostic] = []

    def problem(self, path: tuple, message: str, key: bool = False) -> None:
        location = self.doc.key_location(path) if key else self.doc.location(path)
        self.problems.append(Diagnostic(location, message))

    def build(self) -> Scenario:
        model = self.model
        interpretation = {name: getattr(model.interpretation, alias(name))
                          for name in self.ruleset.choices
                          if model.interpretation is not None and getattr(model.interpretation, alias(name)) is not None}
        parameters = {name: getattr(model.parameters, alias(name)) for name in self.ruleset.parameters
                      if model.parameters is not None and getattr(model.parameters, alias(name)) is not None}
        events, defaulted = self.events()
        by_id = {event.id: event for event in events}
        self.resolve_references(events, by_id)
        if not self.problems:
            self.run_checks(events)
        questions = self.questions(by_id, model.as_of)
        if self.problems:
            raise MouError(self.problems)
        return Scenario(self.doc.file, model.scenario, model.description or "", model.as_of, interpretation,
                        parameters, tuple(events), tuple(questions), defaulted, self.doc)

    def events(self) -> tuple[list[Event], str]:
        events: list[Event] = []
        seen: dict[str, int] = {}
        for index, item in enumerate(self.model.events):
            path = ("events", index)
            seen[item.id] = index  # ids are well formed and unique: ScenarioReader._references checked them
            events.append(self.event(item, index, self.doc.location(path)))
        defaulted = ""
        defaults = self.ruleset.default_events
        if defaults is not None and not any(event.type == defaults[0] for event in events):
            unless, says, items = defaults
            implied = []
            for number, raw in enumerate(items):
                item = self.default_event(raw)
                event = self.event(item, number - len(items), None, implied=True)
                event.called = self.ruleset.default_names.get(event.id, "")
                implied.append(event)
            events = implied + events
            defaulted = says
        called = {}  # a sentence names an event by its fields ("the party's signature of that day"), as its type says
        for event in events:
            spec = self.ruleset.event_types[event.type]
            if spec.called and not event.called:
                called[event.id] = _called(spec, event)
        twice = {phrase for phrase in called.values() if list(called.values()).count(phrase) > 1}
        for event in events:  # or "the NOUN ID", with a noun; and by its id where two would be called alike
            noun = self.ruleset.event_types[event.type].noun
            if event.id in called:
                event.called = called[event.id] + (f" ({event.id})" if called[event.id] in twice else "")
            elif noun and not event.called:
                event.called = f"the {noun} {event.id}"
        return events, defaulted

    def event(self, item: Any, index: int, location: Location | None, implied: bool = False) -> Event:
        definition = self.ruleset.event_types[item.type]
        fields: dict[str, Any] = {}
        defaulted = set()
        for name, spec in definition.fields.items():
            value = getattr(item, alias(name))
            if isinstance(value, list):
                value = tuple(value)
            if value is None:
                if spec.default is not NO_DEFAULT:
                    defaulted.add(name)
                if spec.default is NO_DEFAULT:
                    ask = fill(spec.ask, item, lambda field, value: _worded(definition.fields.get(field), value)) \
                        if spec.ask else f"`{name}` of {item.id} ({spec.says})"
                    value = Unknown(frozenset({Missing(item.id, name, ask)}))
                elif isinstance(spec.default, tuple) and len(spec.default) == 2 and spec.default[0] == "field":
                    value = ("copy", spec.default[1])
                else:
                    value = spec.default
            fields[name] = value
        copied = {}
        for name, value in fields.items():
            if isinstance(value, tuple) and len(value) == 2 and value[0] == "copy":
                fields[name] = item.date if value[1] == "date" else fields[value[1]]
                copied[name] = value[1]
        return Event(item.id, item.type, item.date, fields, index, location, implied, copied, frozenset(defaulted))

    def resolve_references(self, events: list[Event], by_id: dict[str, Event]) -> None:
        for event in events:
            definition = self.ruleset.event_types[event.type]
            for name, spec in definition.fields.items():
                value = event.fields[name]
                path = ("events", event.index, name)
                if spec.type.kind == "event" and isinstance(value, str):
                    event.fields[name] = by_id[value]  # ScenarioReader._references checked it exists
                elif spec.type.kind == "changes" and isinstance(value, dict):
                    event.fields[name] = self.changes(value, path)

    def changes(self, value: dict, path: tuple) -> dict:
        result = {}
        for name, raw in value.items():
            parameter = self.ruleset.parameters.get(name)
            if parameter is None:
                self.problem(path + (name,), f"unknown parameter {name!r}{suggest(name, self.ruleset.parameters)}",
                             key=True)
                continue
            if raw is None:
                self.problem(path + (name,), f"{name}: expected {describe(parameter.type)}, got null")
                continue
            try:
                result[name] = to_value(raw, parameter.type, self.ruleset.parties)
            except ValueError as error:
                self.problem(path + (name,), f"{name}: {error}")
        return result

    def run_checks(self, events: list[Event]) -> None:
        for event in events:
            for check in failed_checks(self.ruleset, event):
                self.problem(("events", event.index, check.field), f"{check_message(check, event)} ({check.text})")

    def questions(self, by_id: dict[str, Event], as_of: date | None) -> list[QuestionCall]:
        result = []
        for index, item in enumerate(self.model.questions):
            path = ("questions", index)
            definition = self.ruleset.questions[item.ask]
            args: dict[str, Any] = {}
            raw: dict[str, Any] = {}
            for argument in definition.args:
                value = getattr(item, alias(argument.name))
                if value is None:
                    if argument.type == T.DATE and as_of is not None:
                        value = as_of
                    elif argument.default is not None:
                        continue  # filled in by fill_defaults, once the other arguments are known
                    else:
                        hint = " (or give the scenario an `as_of:` date)" if argument.type == T.DATE else ""
                        self.problem(path, f"{item.ask} needs `{argument.name}:`{hint}")
                        continue
                if argument.type.kind == "event":
                    target = by_id[value]  # ScenarioReader._references checked it exists, of the right type
                    args[argument.name], raw[argument.name] = target, target.id
                else:
                    args[argument.name] = value
                    raw[argument.name] = value.isoformat() if isinstance(value, date) else value
            fill_defaults(definition, args, raw)
            expect = item.expect if "expect" in item.model_fields_set else NOT_GIVEN
            if expect is not NOT_GIVEN:
                try:
                    expect = expected_value(expect, answer_type(definition, args, self.ruleset), self.ruleset)
                except ValueError as error:
                    self.problem(path + ("expect",), f"expect: {shown(item.expect)} cannot be an answer to "
                                                     f"{item.ask}: {error}")
            result.append(QuestionCall(item.ask, args, raw, expect, self.doc.location(path), definition))
        return result


def named_by(spec: Any, event: Event, field: str) -> bool:
    """Whether the event's name already says this field of it (a signature named by its party and its date),
    where the name is its type's `called:`."""
    return bool(spec.called) and f"{{{field}}}" in spec.called and event.called.startswith(_called(spec, event))


def _called(spec: Any, event: Event) -> str:
    """An event as its type's `called:` names it: its fields (an actor, a date) filled in, in words."""
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name in ("id", "date"):
            return event.id if name == "id" else say(event.date)
        found = event.fields.get(name)
        return "" if found is None or isinstance(found, Unknown) else _worded(spec.fields.get(name), found)
    return re.sub(r"\{(\w+)\}", value, spec.called)


def _worded(spec: Any, value: Any) -> str:
    """A field's value as an `ask:` text says it: an enum value by its words, and so is text that is a value
    of the enum it may be a misspelling of (a topic `ii` as area (ii) of V.1)."""
    if spec is None:
        return str(value)
    values = tuple(value) if isinstance(value, list) else value
    enum = spec.typos_of
    free = ""
    if enum is not None and isinstance(values, tuple):
        free = spec.free_text if any(v not in enum.values for v in values) else ""
        values = tuple(enum.words[enum.values.index(v)] if enum.words and v in enum.values else v for v in values)
    return say(values, spec.type) + free


def fill_defaults(definition: QuestionDef, args: dict[str, Any], raw: dict[str, Any]) -> None:
    """Give arguments left out their declared default (e.g. `on` → the meeting's day)."""
    for argument in definition.args:
        if argument.name in args or argument.default is None:
            continue
        if any(a.name not in args for a in definition.args if a.default is None):
            return  # another argument is missing: that problem is reported instead
        value = argument.default(Ctx(InputState(), {}, dict(args)))
        args[argument.name] = value
        raw[argument.name] = value.isoformat() if isinstance(value, date) else value


class InputState:
    """A store for input checks: they may read event fields only."""

    def attr(self, key, name, as_of):
        raise EvalError("input checks cannot read derived facts")

    def events(self, type_name, as_of):
        raise EvalError("input checks cannot range over events")

    def param(self, name, as_of):
        raise EvalError("input checks cannot read parameters")


def answer_type(question: QuestionDef, args: dict[str, Any], ruleset: RuleSet) -> T.Type:
    """The type of a question's answer (a parameter question takes its parameter's type)."""
    type_ = question.answer.type
    if type_ == T.ANY:
        for argument in question.args:
            if argument.type_text == "parameter":
                parameter = ruleset.parameters.get(args.get(argument.name))
                if parameter is not None:
                    return parameter.type
    return type_


def expected_value(expect: Any, type_: T.Type, ruleset: RuleSet) -> Any:
    """`expect` as written, read as an engine value of the answer's type (ValueError if it cannot be)."""
    if expect == "unknown":
        return Unknown()
    if expect is None:
        return None
    if type_.kind == "list":
        if not isinstance(expect, list):
            raise ValueError(f"expected a list, got {shown(expect)}")
        item = type_.item or T.ANY
        if item.kind == "record":
            if not all(isinstance(v, dict) for v in expect):
                raise ValueError("expected a list of mappings, one per duty instance, e.g. "
                                 "{paragraph: …, bearer: …, event: …, status: …}")
            return tuple(expect)
        if item.kind == "any":
            return tuple(expect)
        return tuple(to_value(v, item, ruleset.parties) for v in expect)
    if type_.kind == "bool" and not isinstance(expect, bool):
        raise ValueError(f"expected true, false or unknown; got {shown(expect)}")
    if type_.kind == "date" and isinstance(expect, date):
        return expect
    if type_.kind in ("any", "record"):
        return expect
    return to_value(expect, type_, ruleset.parties)



def check_message(check: CheckDef, event: Event) -> str:
    """A check's message with `{field}` (or `{id}`, `{date}`) filled in from the event, e.g. `w1 withdraws n1`."""
    def value(match: re.Match) -> str:
        name = match.group(1)
        found = event.id if name == "id" else event.date if name == "date" else event.fields.get(name)
        return show(found)

    return re.sub(r"\{(\w+)\}", value, check.message)


def failed_checks(ruleset: RuleSet, event: Event) -> Iterator[CheckDef]:
    """The input checks of the clause files that `event` fails (e.g. a notice received before it was sent)."""
    for check in ruleset.event_types[event.type].checks:
        try:
            valid = check.fn(Ctx(InputState(), {}, {"event": event}))
        except EvalError:
            continue  # a check that cannot be judged (a field is unknown) does not refuse the input
        if valid is False:
            yield check
