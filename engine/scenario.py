"""Scenario files: validation into events and questions the engine can run.

Stage: after compiler (it needs the rule set's vocabulary). Imports
`ruleset`, `types`, `values`, `yamlio`, `dates`, `errors`, `model`.

The scenario format is SCENARIOS.md's public contract; its event types,
fields and questions come from the clause files, so the pydantic models are
built from the compiled `RuleSet` (`ScenarioReader`). Validation is strict
(no coercion, unknown keys refused) and every problem of a file is reported
at once with its line and column, with "did you mean" for near misses.
After the models, references between events, event checks declared in the
clause files, dates of questions and the types of `expect` are checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr,
                      ValidationError, WithJsonSchema, create_model)
from pydantic_core import PydanticCustomError

from . import dates
from . import types as T
from .closures import Ctx, EvalError, suggest
from .compiler import to_value
from .errors import Diagnostic, Location, MouError
from .model import merge_unions
from .ruleset import NO_DEFAULT, QuestionDef, RuleSet
from .values import Event, Missing, Unknown
from .yamlio import Document, load_yaml, read_yaml

NOT_GIVEN = object()
"""`expect` was not given."""

EVENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]*")


@dataclass(frozen=True)
class QuestionCall:
    """One question of a scenario, with its arguments as engine values."""

    ask: str
    args: dict[str, Any]  # engine values: dates, events, text
    raw_args: dict[str, Any]  # as JSON: ids and ISO dates
    expect: Any  # the expected answer as an engine value (checked when read), or NOT_GIVEN
    location: Location
    definition: QuestionDef


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: events in file order (defaults first) and questions."""

    file: str
    title: str
    description: str
    as_of: date | None
    interpretation: dict[str, Any]
    parameters: dict[str, Any]
    events: tuple[Event, ...]
    questions: tuple[QuestionCall, ...]
    defaulted: str = ""  # why default events were added, if they were
    document: Document | None = field(default=None, compare=False, repr=False)

    def choices(self, ruleset: RuleSet, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        """Every interpretive choice's value: the scenario's, else the default; unset ones are unknown."""
        result = {}
        for name, choice in ruleset.choices.items():
            value = (overrides or {}).get(name, self.interpretation.get(name, choice.default))
            if value is None:
                value = Unknown(frozenset({Missing("interpretation", name,
                                                   f"set the interpretive choice {name} ({choice.unset})")}))
            result[name] = value
        return result


_FIELD = re.compile(r"\{([A-Za-z_]+)\}")


def _fill(template: str, item: BaseModel) -> str:
    """An `ask:` text with `{field}` replaced by the event's value of that field."""
    def value(match: re.Match) -> str:
        found = getattr(item, _alias(match.group(1)), None)
        if isinstance(found, list):
            return ", ".join(map(str, found)) if found else "none"
        return "none" if found is None else str(found)

    return _FIELD.sub(value, template)


def shown(value: Any) -> str:
    """A value as YAML writes it, for messages: null, true, 'text', [a, b]."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(shown(v) for v in value[:5]) + (", …" if len(value) > 5 else "") + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {shown(v)}" for k, v in list(value.items())[:5]) + "}"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def describe(type_: T.Type) -> str:
    """What a value of `type_` looks like, for "expected …" messages."""
    return {"date": "a date written YYYY-MM-DD, e.g. 2009-01-27",
            "duration": "a duration such as '6 months', '30 days' or '1 year'",
            "bool": "true or false", "int": "a whole number", "actor": "a party or another name",
            "enum": f"one of {', '.join(map(str, type_.values))}", "list": "a list"}.get(type_.kind, "text")


def _custom(message: str) -> PydanticCustomError:
    return PydanticCustomError("mou", message)


def _edit_distance_one(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def actor_validator(parties: tuple[str, ...]):
    """Accept any name, but refuse one that is almost certainly a misspelt party."""

    def check(value: str) -> str:
        for party in parties:
            if value != party and (value.casefold() == party.casefold() or _edit_distance_one(value, party)):
                raise _custom(f"{value!r} is not a party; did you mean {party!r}? "
                              f"(the parties are {', '.join(parties)}; other names are non-parties)")
        if not value.strip():
            raise _custom("a name cannot be empty")
        return value

    return check


def _date(value: Any) -> date:
    if isinstance(value, date):
        value = value.isoformat()
    if not isinstance(value, str):
        raise _custom(f"expected a date written YYYY-MM-DD, e.g. 2009-01-27; got {shown(value)}")
    try:
        return dates.parse_date(value)
    except dates.DateError as error:
        raise _custom(str(error)) from None


def _duration(value: Any) -> dates.Duration:
    if not isinstance(value, str):
        raise _custom(f"expected a duration such as '6 months', '30 days' or '1 year'; got {shown(value)}")
    try:
        return dates.parse_duration(value)
    except dates.DateError as error:
        raise _custom(str(error)) from None


def _enum_validator(type_: T.Type):
    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in type_.values:
            hint = suggest(value, type_.values) if isinstance(value, str) else ""
            raise _custom(f"{shown(value)} is not a {type_}{hint}; "
                          f"expected one of {', '.join(map(str, type_.values))}")
        return value

    return check


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _custom(f"expected text, got {shown(value)}")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        hint = " (YAML 1.2: write true or false; yes, no, on and off are text)" \
            if isinstance(value, str) and value.lower() in ("yes", "no", "on", "off", "y", "n") else ""
        raise _custom(f"expected true or false, got {shown(value)}{hint}")
    return value


def _typo_validator(type_: T.Type):
    """Refuse text that looks like a misspelt value of an enum (`iiv`, `II`, `xi` for the areas i–x)."""
    values = tuple(map(str, type_.values))
    letters = set("".join(values).lower())
    folded = {value.casefold(): value for value in values}

    def check(value: str) -> str:
        if value in values:
            return value
        near = folded.get(value.casefold())
        if near is None and value and set(value.lower()) <= letters:
            near = next((v for v in values if _edit_distance_one(value.lower(), v)), None)
        if near is not None:
            raise _custom(f"{value!r} looks like a misspelt {type_}; did you mean {near!r}? "
                          f"(the {type_} ids are {', '.join(values)}; other text is taken as free text)")
        return value

    return check


def _one_or_list(value: Any) -> Any:
    return value if isinstance(value, list) else [value]


class ScenarioReader:
    """Validates scenario files against the vocabulary of one rule set."""

    def __init__(self, ruleset: RuleSet):
        self.ruleset = ruleset
        self.models = self._build_models()

    # -- pydantic models -------------------------------------------------------------

    def annotation(self, type_: T.Type) -> Any:
        """The pydantic annotation that validates a value of `type_` as written in YAML."""
        kind = type_.kind
        if kind == "bool":
            return Annotated[Any, BeforeValidator(_bool), WithJsonSchema({"type": "boolean"})]
        if kind == "int":
            return StrictInt
        if kind == "text":
            return Annotated[Any, BeforeValidator(_text), WithJsonSchema({"type": "string"})]
        if kind == "actor":
            return Annotated[Any, BeforeValidator(_text), _after(actor_validator(self.ruleset.parties)),
                             WithJsonSchema({"type": "string", "examples": list(self.ruleset.parties),
                                             "description": f"a party ({', '.join(self.ruleset.parties)}) "
                                                            "or any other name"})]
        if kind == "date":
            return Annotated[Any, BeforeValidator(_date), WithJsonSchema(
                {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"})]
        if kind == "duration":
            return Annotated[Any, BeforeValidator(_duration), WithJsonSchema(
                {"type": "string", "pattern": r"^\s*\d+\s*(day|days|month|months|year|years)\s*$",
                 "examples": ["6 months", "30 days", "1 year"]})]
        if kind == "enum":
            return Annotated[Any, BeforeValidator(_enum_validator(type_)),
                             WithJsonSchema({"type": "string", "enum": list(type_.values)})]
        if kind == "list":
            return Annotated[list[self.annotation(type_.item or T.ANY)], BeforeValidator(_one_or_list)]
        if kind == "event":
            return Annotated[Any, BeforeValidator(_text), WithJsonSchema(
                {"type": "string", "description": f"the id of a {type_} in this scenario"})]
        if kind == "changes":
            return Annotated[dict[StrictStr, Any], WithJsonSchema({
                "type": "object", "description": "parameter → its new value",
                "propertyNames": {"enum": sorted(self.ruleset.parameters)}})]
        return Any

    def _build_models(self) -> dict[str, Any]:
        config = ConfigDict(strict=True, extra="forbid", populate_by_name=False)
        ruleset = self.ruleset
        event_models = []
        date_type = self.annotation(T.DATE)
        for name, definition in ruleset.event_types.items():
            fields: dict[str, Any] = {
                "id": (StrictStr, Field(description="unique in the file")),
                "type": (Literal[name], Field(description=definition.says)),
                "date": (date_type, Field(description="the day it happens (YYYY-MM-DD)")),
            }
            for field_name, spec in definition.fields.items():
                annotation = self.annotation(spec.type)
                if spec.typos_of is not None and spec.type.kind == "list":
                    item = Annotated[StrictStr, _after(_typo_validator(spec.typos_of))]
                    annotation = Annotated[list[item], BeforeValidator(_one_or_list)]
                if spec.required:
                    fields[field_name] = (annotation, Field(description=spec.says))
                else:
                    fields[field_name] = (Optional[annotation], Field(None, description=spec.says))
            event_models.append(create_model(f"Event_{name}", __config__=config,
                                             __doc__=definition.says or name, **_safe(fields)))
        question_models = []
        for name, question in ruleset.questions.items():
            fields = {"ask": (Literal[name], Field(description=question.says)),
                      "expect": (Any, Field(None, description="the answer expected"))}
            for argument in question.args:
                annotation = self.annotation(argument.type)
                fields[argument.name] = (Optional[annotation], Field(None, description=argument.says))
            question_models.append(create_model(f"Question_{name}", __config__=config,
                                                __doc__=question.says, **_safe(fields)))
        interpretation = create_model(
            "Interpretation", __config__=config,
            **_safe({name: (Optional[self.annotation(choice.type)], Field(None, description=choice.source))
                     for name, choice in ruleset.choices.items()}))
        parameters = create_model(
            "Parameters", __config__=config,
            **_safe({name: (Optional[self.annotation(p.type)], Field(None, description=p.says))
                     for name, p in ruleset.parameters.items()}))
        event_union = Annotated[Union[tuple(event_models)], Field(discriminator="type")]
        question_union = Annotated[Union[tuple(question_models)], Field(discriminator="ask")]
        scenario = create_model(
            "Scenario", __config__=config,
            scenario=(self.annotation(T.TEXT), Field(description="a title")),
            description=(Optional[self.annotation(T.TEXT)], Field(None)),
            as_of=(Optional[date_type], Field(None, description="default date for questions that take `on`")),
            interpretation=(Optional[interpretation], Field(None)),
            parameters=(Optional[parameters], Field(None)),
            events=(list[event_union], Field(default_factory=list)),
            questions=(list[question_union], Field(default_factory=list)),
        )
        return {"scenario": scenario}

    # -- reading -------------------------------------------------------------------------

    def read(self, path: str | Path) -> Scenario:
        """Read and validate a scenario file."""
        return self.from_document(read_yaml(path, keep_going=True))

    def loads(self, text: str | bytes, file: str = "<scenario>") -> Scenario:
        """Validate scenario YAML given as text (or bytes, decoded strictly as UTF-8)."""
        return self.from_document(load_yaml(text, file, keep_going=True))

    def from_document(self, doc: Document) -> Scenario:
        """Validate a loaded document; raise MouError with every problem located.

        Problems found at different stages (the YAML's structure, names,
        references, then types) are reported together; a stage reports
        nothing where an earlier one already has.
        """
        if not isinstance(doc.data, dict):
            found = "nothing" if doc.data is None else \
                "a list" if isinstance(doc.data, list) else f"the value {shown(doc.data)}"
            raise MouError(list(doc.problems) + [Diagnostic(Location(doc.file, 1, 1), (
                f"the file holds {found}; a scenario file is a mapping with `scenario:`, `events:` and "
                "`questions:`"))])
        problems = list(doc.problems) + self._pre_check(doc)
        try:
            model = self.models["scenario"].model_validate(doc.data)
        except ValidationError as error:
            reported = {d.location for d in problems}
            for item in merge_unions(error.errors()):
                if item["type"] in ("union_tag_invalid", "union_tag_not_found"):
                    continue
                if item["type"] == "extra_forbidden" and item["loc"][0] in ("interpretation", "parameters"):
                    continue  # reported by _pre_check, with a suggestion
                diagnostic = self._diagnostic(doc, item)
                if diagnostic.location not in reported:
                    problems.append(diagnostic)
            raise MouError(problems) from None
        if problems:
            raise MouError(problems)
        return _Builder(self, doc, model).build()

    def _pre_check(self, doc: Document) -> list[Diagnostic]:
        """Type and question names, checked first for "did you mean" messages."""
        problems = []
        data = doc.data
        for section, key, known in (("events", "type", self.ruleset.event_types),
                                    ("questions", "ask", self.ruleset.questions)):
            items = data.get(section)
            if not isinstance(items, list):
                continue
            for index, item in enumerate(items):
                if not isinstance(item, dict):
                    what = "an event" if section == "events" else "a question"
                    problems.append(Diagnostic(doc.location((section, index)),
                                               f"{what} is a mapping, e.g. {{{key}: ..., ...}}"))
                    continue
                value = item.get(key)
                kind = "event type" if section == "events" else "question"
                if key not in item:
                    problems.append(Diagnostic(doc.location((section, index)), f"missing required key {key!r}"))
                elif not isinstance(value, str) or not value.strip():
                    problems.append(Diagnostic(doc.location((section, index, key)),
                                               f"{key} is {shown(value)}; give the name of an {kind}, e.g. "
                                               f"{next(iter(known))}"))
                elif value not in known:
                    problems.append(Diagnostic(doc.location((section, index, key)),
                                               f"unknown {kind} {value!r}{suggest(value, known)}"))
        for section, known in (("interpretation", self.ruleset.choices), ("parameters", self.ruleset.parameters)):
            mapping = data.get(section)
            if isinstance(mapping, dict):
                for name in mapping:
                    if name not in known:
                        kind = "interpretive choice" if section == "interpretation" else "parameter"
                        problems.append(Diagnostic(doc.key_location((section, name)),
                                                   f"unknown {kind} {name!r}{suggest(name, known)}; "
                                                   f"known: {', '.join(known)}"))
        return problems + self._references(doc)

    def _references(self, doc: Document) -> list[Diagnostic]:
        """Duplicate event ids, and references to ids that are missing or of the wrong type (on raw data)."""
        problems = []
        events = doc.data.get("events")
        types: dict[str, str] = {}
        defaults = self.ruleset.default_events
        implied = {} if defaults is None or any(isinstance(e, dict) and e.get("type") == defaults[0]
                                                for e in (events if isinstance(events, list) else [])) \
            else {raw["id"]: raw["type"] for raw in defaults[2]}
        if isinstance(events, list):
            for index, item in enumerate(events):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    if not EVENT_ID.fullmatch(item["id"]):
                        problems.append(Diagnostic(doc.location(("events", index, "id")), (
                            f"event id {item['id']!r} must start with a letter or digit and use only letters, "
                            "digits and _ . : -")))
                    if item["id"] in implied:
                        problems.append(Diagnostic(doc.location(("events", index, "id")), (
                            f"event id {item['id']!r} is reserved for the default events ({defaults[1]})")))
                        continue
                    if item["id"] in types:
                        first = next(i for i, e in enumerate(events) if isinstance(e, dict) and e.get("id") == item["id"])
                        problems.append(Diagnostic(doc.location(("events", index, "id")),
                                                   f"duplicate event id {item['id']!r} (first used at line "
                                                   f"{doc.location(('events', first, 'id')).line})"))
                        continue
                    types[item["id"]] = str(item.get("type"))
        types.update(implied)

        def check(path: tuple, value: Any, wanted: T.Type) -> None:
            if not isinstance(value, str):
                return  # a wrong kind of value: the type check reports it
            what = " or ".join(sorted(wanted.events))
            if value not in types:
                ids = [i for i, t in types.items() if t in wanted.events]
                problems.append(Diagnostic(doc.location(path), f"no event with id {value!r}{suggest(value, ids)}; "
                                                               f"expected the id of a {what}"))
            elif types[value] not in wanted.events:
                problems.append(Diagnostic(doc.location(path), f"{value!r} is a {types[value]}, not a {what}"))

        for index, item in enumerate(events if isinstance(events, list) else []):
            definition = (self.ruleset.event_types.get(item["type"])
                          if isinstance(item, dict) and isinstance(item.get("type"), str) else None)
            for name, spec in (definition.fields.items() if definition else ()):
                if spec.type.kind == "event" and name in item:
                    check(("events", index, name), item[name], spec.type)
        questions = doc.data.get("questions")
        for index, item in enumerate(questions if isinstance(questions, list) else []):
            question = (self.ruleset.questions.get(item["ask"])
                        if isinstance(item, dict) and isinstance(item.get("ask"), str) else None)
            for argument in (question.args if question else ()):
                if argument.type.kind == "event" and argument.name in item:
                    check(("questions", index, argument.name), item[argument.name], argument.type)
        return problems

    def _diagnostic(self, doc: Document, item: dict) -> Diagnostic:
        loc = list(item["loc"])
        # Discriminated unions put the tag in the path: ("events", 0, "signature", "party").
        if len(loc) >= 3 and loc[0] in ("events", "questions") and isinstance(loc[2], str):
            tag = loc[2]
            known = self.ruleset.event_types if loc[0] == "events" else self.ruleset.questions
            if tag in known:
                del loc[2]
            elif tag.startswith("function-") or tag.startswith("list["):
                del loc[2]
        path = tuple(part for part in loc if not (isinstance(part, str) and (part.startswith("function-")
                                                                            or part.startswith("list["))))
        kind = item["type"]
        if kind == "extra_forbidden":
            parent = path[:-1]
            allowed = self._allowed_keys(doc, parent)
            return Diagnostic(doc.key_location(path), f"unknown key {path[-1]!r}{suggest(str(path[-1]), allowed)}"
                              + (f"; allowed here: {', '.join(allowed)}" if allowed else ""))
        if kind == "missing":
            return Diagnostic(doc.location(path[:-1]), f"missing required key {path[-1]!r}")
        message = item["msg"]
        if kind == "mou":
            return Diagnostic(doc.location(path), f"{_field_name(path)}: {message}")
        if kind.endswith("_type") or kind == "model_type":
            expected = _EXPECTED.get(kind, message.lower())
            return Diagnostic(doc.location(path), f"{_field_name(path)}: expected {expected}, got "
                                                  f"{shown(item.get('input'))}")
        return Diagnostic(doc.location(path), f"{_field_name(path)}: {message}")

    def _allowed_keys(self, doc: Document, parent: tuple) -> list[str]:
        if not parent:
            return ["scenario", "description", "as_of", "interpretation", "parameters", "events", "questions"]
        if len(parent) == 2 and parent[0] in ("events", "questions"):
            item = doc.data.get(parent[0], [])[parent[1]]
            if parent[0] == "events" and item.get("type") in self.ruleset.event_types:
                return ["id", "type", "date"] + list(self.ruleset.event_types[item["type"]].fields)
            if parent[0] == "questions" and item.get("ask") in self.ruleset.questions:
                return ["ask", "expect"] + [a.name for a in self.ruleset.questions[item["ask"]].args]
        return []


_EXPECTED = {
    "bool_type": "true or false", "string_type": "text", "int_type": "a whole number",
    "list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping",
}


def _field_name(path: tuple) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return "value"


def _after(fn):
    from pydantic import AfterValidator

    return AfterValidator(fn)


def _safe(fields: dict[str, Any]) -> dict[str, Any]:
    """Fields keyed by a Python-safe name, validated and described under their YAML name (alias)."""
    result = {}
    for name, (annotation, info) in fields.items():
        safe = _alias(name)
        if safe != name:
            info = (Field(description=info.description, alias=name) if info.is_required()
                    else Field(info.default, description=info.description, alias=name))
        result[safe] = (annotation, info)
    return result


_RESERVED = {"from", "in", "is", "not", "and", "or", "if", "else", "for", "def", "class", "return", "global",
             "import", "with", "as", "del", "pass", "raise", "try", "while", "lambda", "yield", "assert",
             "break", "continue", "except", "finally", "nonlocal", "elif", "async", "await", "True", "False",
             "None"}


def _alias(name: str) -> str:
    """The Python-safe field name of a YAML key (`from` → `from_`, dots → `__`)."""
    safe = name.replace(".", "__")
    return safe + "_" if safe in _RESERVED or safe.startswith("model_") else safe


class _Builder:
    """Turns a validated model into a `Scenario`, checking what models cannot."""

    def __init__(self, reader: ScenarioReader, doc: Document, model: BaseModel):
        self.reader = reader
        self.ruleset = reader.ruleset
        self.doc = doc
        self.model = model
        self.problems: list[Diagnostic] = []

    def problem(self, path: tuple, message: str, key: bool = False) -> None:
        location = self.doc.key_location(path) if key else self.doc.location(path)
        self.problems.append(Diagnostic(location, message))

    def build(self) -> Scenario:
        model = self.model
        interpretation = {name: getattr(model.interpretation, _alias(name))
                          for name in self.ruleset.choices
                          if model.interpretation is not None and getattr(model.interpretation, _alias(name)) is not None}
        parameters = {name: getattr(model.parameters, _alias(name)) for name in self.ruleset.parameters
                      if model.parameters is not None and getattr(model.parameters, _alias(name)) is not None}
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
                item = self.reader.models["scenario"].model_validate(
                    {"scenario": "defaults", "events": [raw]}).events[0]
                implied.append(self.event(item, number - len(items), None, implied=True))
            events = implied + events
            defaulted = says
        return events, defaulted

    def event(self, item: BaseModel, index: int, location: Location | None, implied: bool = False) -> Event:
        definition = self.ruleset.event_types[item.type]
        fields: dict[str, Any] = {}
        for name, spec in definition.fields.items():
            value = getattr(item, _alias(name))
            if isinstance(value, list):
                value = tuple(value)
            if value is None:
                if spec.default is NO_DEFAULT:
                    ask = _fill(spec.ask, item) if spec.ask else f"state `{name}` of {item.id} ({spec.says})"
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
        return Event(item.id, item.type, item.date, fields, index, location, implied, copied)

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
            definition = self.ruleset.event_types[event.type]
            for check in definition.checks:
                ctx = Ctx(_NoState(), {}, {"event": event})
                try:
                    valid = check.fn(ctx)
                except EvalError:
                    continue
                if valid is False:
                    path = ("events", event.index, check.field)
                    self.problem(path, f"{check.message} ({check.text})")

    def questions(self, by_id: dict[str, Event], as_of: date | None) -> list[QuestionCall]:
        result = []
        for index, item in enumerate(self.model.questions):
            path = ("questions", index)
            definition = self.ruleset.questions[item.ask]
            args: dict[str, Any] = {}
            raw: dict[str, Any] = {}
            for argument in definition.args:
                value = getattr(item, _alias(argument.name))
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


def fill_defaults(definition: QuestionDef, args: dict[str, Any], raw: dict[str, Any]) -> None:
    """Give arguments left out their declared default (e.g. `on` → the meeting's day)."""
    for argument in definition.args:
        if argument.name in args or argument.default is None:
            continue
        if any(a.name not in args for a in definition.args if a.default is None):
            return  # another argument is missing: that problem is reported instead
        value = argument.default(Ctx(_NoState(), {}, dict(args)))
        args[argument.name] = value
        raw[argument.name] = value.isoformat() if isinstance(value, date) else value


class _NoState:
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


COMMAND_LINE = Location("<command line>")


def command_line_value(reader: ScenarioReader, kind: str, name: str, text: str) -> Any:
    """A `--interpret NAME=VALUE` or `--set PARAM=VALUE` value, read like YAML and checked."""
    from .yamlio import resolve_plain

    table = reader.ruleset.choices if kind == "choice" else reader.ruleset.parameters
    if name not in table:
        what = "interpretive choice" if kind == "choice" else "parameter"
        raise MouError.at(COMMAND_LINE, f"unknown {what} {name!r}{suggest(name, table)}; "
                                        f"known: {', '.join(table)}")
    spec = table[name]
    value = resolve_plain(text)
    if value is None:
        example = spec.default if spec.default is not None else "12 months"
        raise MouError.at(COMMAND_LINE, f"{name}: give a value, e.g. {name}={example}")
    try:
        return to_value(value, spec.type, reader.ruleset.parties)
    except ValueError as error:
        raise MouError.at(COMMAND_LINE, f"{name}: {error}") from None


def command_line_question(reader: ScenarioReader, scenario: Scenario, ask: str,
                          values: dict[str, str]) -> QuestionCall:
    """A question given on the command line (`mou ask`), checked like one in a file."""
    from .yamlio import resolve_plain

    ruleset = reader.ruleset
    if ask not in ruleset.questions:
        raise MouError.at(COMMAND_LINE, f"unknown question {ask!r}{suggest(ask, ruleset.questions)}; "
                                        f"known: {', '.join(ruleset.questions)}")
    definition = ruleset.questions[ask]
    names = [argument.name for argument in definition.args]
    problems = [Diagnostic(COMMAND_LINE, f"{ask} takes no --{key}{suggest(key, names)}"
                                         + (f"; it takes {', '.join('--' + n for n in names)}" if names else ""))
                for key in values if key not in names]
    if problems:
        raise MouError(problems)
    by_id = {event.id: event for event in scenario.events}
    args: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    for argument in definition.args:
        text = values.get(argument.name)
        if text is None:
            if argument.type == T.DATE and scenario.as_of is not None:
                args[argument.name], raw[argument.name] = scenario.as_of, scenario.as_of.isoformat()
                continue
            if argument.default is not None:
                continue
            hint = " (or give the scenario an `as_of:` date)" if argument.type == T.DATE else ""
            problems.append(Diagnostic(COMMAND_LINE, f"{ask} needs --{argument.name}{hint}"))
            continue
        if argument.type.kind == "event":
            target = by_id.get(text)
            if target is None or target.type not in argument.type.events:
                ids = [e.id for e in scenario.events if e.type in argument.type.events]
                problems.append(Diagnostic(COMMAND_LINE, f"--{argument.name}: no {' or '.join(argument.type.events)} "
                                                         f"with id {text!r} in {scenario.file}{suggest(text, ids)}"))
                continue
            args[argument.name], raw[argument.name] = target, target.id
            continue
        try:
            value = to_value(resolve_plain(text) if argument.type.kind != "text" else text, argument.type,
                             ruleset.parties)
        except ValueError as error:
            problems.append(Diagnostic(COMMAND_LINE, f"--{argument.name}: {error}"))
            continue
        args[argument.name] = value
        raw[argument.name] = value.isoformat() if isinstance(value, date) else value
    if problems:
        raise MouError(problems)
    fill_defaults(definition, args, raw)
    return QuestionCall(ask, args, raw, NOT_GIVEN, COMMAND_LINE, definition)
