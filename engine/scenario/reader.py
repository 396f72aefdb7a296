"""Scenario files: reading and validating them into events and questions the engine can run.

Stage: scenario files. Imports `fastpath`, `builder`, `model`, `validators`
and the clause language's `yamlio` and `ruleset`; `models` (pydantic) and the
clause language's `model` (error merging) only when a file needs them.

The scenario format is SCENARIOS.md's public contract; its event types,
fields and questions come from the clause files, so the pydantic models are
built from the compiled `RuleSet` (`models.scenario_model`). Validation is
strict (no coercion, unknown keys refused) and every problem of a file is
reported at once with its line and column, with "did you mean" for near
misses. Names and references are checked on the raw data first (for better
messages); a file with no problem there is validated by `fastpath`, and any
file it does not accept by the pydantic models, which word its problems;
after either, `builder.Builder` checks what models cannot.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, Location, MouError, suggest
from ..language import types as T
from ..language.ruleset import RuleSet
from ..language.yamlio import LIMITS, Document, load_yaml, read_yaml
from .builder import Builder
from .fastpath import FastPath
from .model import Scenario
from .validators import shown

EVENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]*")


class ScenarioReader:
    """Validates scenario files against the vocabulary of one rule set."""

    def __init__(self, ruleset: RuleSet):
        self.ruleset = ruleset
        self.fast = FastPath(ruleset)
        self._model: Any = None

    @property
    def model(self) -> Any:
        """The pydantic model of this rule set's scenario files (built when first needed: see `fastpath`)."""
        if self._model is None:
            from .models import scenario_model

            self._model = scenario_model(self.ruleset)
        return self._model

    def default_event(self, raw: dict) -> Any:
        """One of the rule set's default events, validated as the scenario model validates an event."""
        return self.fast.validate_event(raw) or self.model.model_validate(
            {"scenario": "defaults", "events": [raw]}).events[0]

    def read(self, path: str | Path) -> Scenario:
        """Read and validate a scenario file."""
        return self.from_document(read_yaml(path, keep_going=True, what="scenario file"))

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
        too_many(doc)
        problems = list(doc.problems) + self._pre_check(doc)
        if not problems:
            model = self.fast.validate(doc.data)
            if model is not None:
                return Builder(self.ruleset, self.default_event, doc, model).build()
        from pydantic import ValidationError

        try:
            model = self.model.model_validate(doc.data)
        except ValidationError as error:
            from ..language.model import merge_unions  # the clause models: only when there is an error to word

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
        return Builder(self.ruleset, self.default_event, doc, model).build()

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


def too_many(doc: Document, limit: int | None = None) -> None:
    """Refuse a scenario with more questions than the limit (`Limits.max_questions`), before any is read:
    MouError located at the first question past it."""
    limit = LIMITS.max_questions if limit is None else limit
    questions = doc.data.get("questions")
    if isinstance(questions, list) and len(questions) > limit:
        raise MouError([Diagnostic(doc.location(("questions", limit)), (
            f"the scenario asks {len(questions):,} questions; the limit is {limit:,} a file: split them over "
            "several scenario files with the same events"))])
