"""Validating a well-formed scenario file without pydantic: the same values, or no answer at all.

Stage: scenario files. Imports `validators`, and the clause language's
`ruleset` and `types`; never pydantic.

Building the pydantic models of a rule set's scenario files (`models`) takes
longer than reading a scenario with them, and importing pydantic longer
still, while almost every file a command reads is well formed. `validate`
checks such a file by the models' own rules (strict types, no unknown keys,
required keys present, the same validators in `validators`, in the same
order) and gives the values the models would give, as `Validated` objects
with the models' attribute names. At the first thing it does not accept, it
gives None and the reader validates with the pydantic models, which word
every problem: so messages always come from the models, and this module only
ever says yes to what they say yes to (`tests/test_scenario_fastpath.py`
holds it to that).
"""

from __future__ import annotations

from typing import Any, Callable

from ..language import types as T
from ..language.ruleset import RuleSet
from .validators import (actor_validator, alias, bool_value, date_value, duration_value, enum_validator, text_value,
                         title_value, typo_validator)

TOP = ("scenario", "description", "as_of", "interpretation", "parameters", "events", "questions")


class Refused(Exception):
    """Something the pydantic models should judge (and word)."""


class Validated:
    """A validated part of a scenario file, read as the pydantic model's instance is (attributes by alias)."""

    def __init__(self, values: dict[str, Any], given: set[str]):
        self.__dict__.update(values)
        self.model_fields_set = given

    def __repr__(self) -> str:
        return f"Validated({self.__dict__!r})"


Check = Callable[[Any], Any]


class FastPath:
    """The validators of one rule set's scenario files, built once from its vocabulary."""

    def __init__(self, ruleset: RuleSet):
        self.ruleset = ruleset
        self.events: dict[str, tuple[dict[str, tuple[Check, bool]], set[str]]] = {}
        for name, definition in ruleset.event_types.items():
            fields = {field: (self._field_check(spec), spec.required) for field, spec in definition.fields.items()}
            self.events[name] = (fields, {"id", "type", "date", *definition.fields})
        self.questions = {name: ({argument.name: self.check_of(argument.type) for argument in question.args},
                                 {"ask", "expect", *(argument.name for argument in question.args)})
                          for name, question in ruleset.questions.items()}
        self.choices = {name: self.check_of(choice.type) for name, choice in ruleset.choices.items()}
        self.parameters = {name: self.check_of(parameter.type) for name, parameter in ruleset.parameters.items()}

    def _field_check(self, spec: Any) -> Check:
        if spec.typos_of is not None and spec.type.kind == "list":
            typo = typo_validator(spec.typos_of)
            return lambda value: [typo(_strict_text(item)) for item in _one_or_list(value)]
        return self.check_of(spec.type)

    def check_of(self, type_: T.Type) -> Check:
        """What the model's annotation of `type_` does to a value (`models.annotation_of`), raising on refusal."""
        kind = type_.kind
        if kind == "bool":
            return bool_value
        if kind == "int":
            return _strict_int
        if kind in ("text", "event"):
            return text_value
        if kind == "actor":
            party = actor_validator(self.ruleset.parties)
            return lambda value: party(text_value(value))
        if kind == "date":
            return date_value
        if kind == "duration":
            return duration_value
        if kind == "enum":
            return enum_validator(type_)
        if kind == "list":
            item = self.check_of(type_.item or T.ANY)
            return lambda value: [item(each) for each in _one_or_list(value)]
        if kind == "changes":
            return _changes
        return _any

    def validate(self, data: dict) -> Validated | None:
        """The file's values as the scenario model gives them, or None for the model to judge."""
        try:
            return self._scenario(data)
        except Exception:  # noqa: BLE001 - Refused, or a validator refused: the message comes from the model
            return None

    def validate_event(self, item: Any) -> Validated | None:
        """One event as the model of its type gives it, or None for the model to judge."""
        try:
            return self.event(item)
        except Exception:  # noqa: BLE001 - Refused, or a validator refused
            return None

    def _scenario(self, data: dict) -> Validated:
        if any(key not in TOP for key in data) or "scenario" not in data:
            raise Refused
        events = data.get("events", [])
        questions = data.get("questions", [])
        if type(events) is not list or type(questions) is not list:
            raise Refused
        values = {
            "scenario": title_value(data["scenario"]),
            "description": _optional(text_value, data.get("description")),
            "as_of": _optional(date_value, data.get("as_of")),
            "interpretation": self._mapping(data.get("interpretation"), self.choices),
            "parameters": self._mapping(data.get("parameters"), self.parameters),
            "events": [self.event(item) for item in events],
            "questions": [self._question(item) for item in questions],
        }
        return Validated(values, {alias(key) for key in data})

    def event(self, item: Any) -> Validated:
        """One event, as the model of its type gives it."""
        if type(item) is not dict or type(item.get("type")) is not str or item["type"] not in self.events:
            raise Refused
        fields, allowed = self.events[item["type"]]
        if any(key not in allowed for key in item) or "id" not in item or "date" not in item:
            raise Refused
        values = {"id": _strict_text(item["id"]), "type": item["type"], "date": date_value(item["date"])}
        for name, (check, required) in fields.items():  # keyed by their YAML names, as the models' aliases are
            if name not in item:
                if required:
                    raise Refused
                values[alias(name)] = None
            else:
                values[alias(name)] = check(item[name]) if required else _optional(check, item[name])
        return Validated(values, {alias(key) for key in item})

    def _question(self, item: Any) -> Validated:
        if type(item) is not dict or type(item.get("ask")) is not str or item["ask"] not in self.questions:
            raise Refused
        arguments, allowed = self.questions[item["ask"]]
        if any(key not in allowed for key in item):
            raise Refused
        values = {"ask": item["ask"], "expect": item.get("expect")}
        for name, check in arguments.items():
            values[alias(name)] = _optional(check, item.get(name))
        return Validated(values, {alias(key) for key in item})

    def _mapping(self, given: Any, checks: dict[str, Check]) -> Validated | None:
        if given is None:
            return None
        if type(given) is not dict or any(key not in checks for key in given):
            raise Refused
        values = {alias(name): _optional(check, given.get(name)) for name, check in checks.items()}
        return Validated(values, {alias(key) for key in given})


def _optional(check: Check, value: Any) -> Any:
    return None if value is None else check(value)


def _strict_text(value: Any) -> str:
    if type(value) is not str:
        raise Refused
    return value


def _strict_int(value: Any) -> int:
    if type(value) is not int:
        raise Refused
    return value


def _one_or_list(value: Any) -> list:
    return value if type(value) is list else [value]


def _changes(value: Any) -> dict:
    if type(value) is not dict:
        raise Refused
    return dict(value)


def _any(value: Any) -> Any:
    return value
