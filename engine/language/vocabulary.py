"""Compiling the vocabulary of clause files: types, parameters, choices, state, event types.

Stage: the clause language, part of the compiler. Imports `compilation`
(the shared tables and problem list), `model`, `ruleset`,
`types`, `dates` and `errors`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Callable

from ..errors import suggest
from . import model as M
from . import types as T
from .compilation import Compilation, Source
from .context import Scope
from .templates import wording
from .ruleset import (NO_DEFAULT, AttributeDef, CheckDef, Choice, DefinitionDef, EventTypeDef, FieldDef, Parameter,
                      frozen_map)
from .yamlio import Document


def build_parameters(c: Compilation) -> dict[str, Parameter]:
    result = {}
    for name, (source, spec) in c.param_specs.items():
        doc = source.doc
        path = ("parameters", name)
        type_ = c.type_of(spec.type, doc, path + ("type",))
        c.cite(doc, path + ("paragraph",), spec.paragraph)
        if spec.default is None:
            c.problem(doc.location(path), f"parameter {name!r} needs a default (the value the text fixes)")
        default = c.convert(spec.default, type_, doc, path + ("default",))
        result[name] = Parameter(name, type_, default, spec.paragraph, spec.source, spec.says,
                                 doc.key_location(path))
    return result


def build_choices(c: Compilation) -> dict[str, Choice]:
    result = {}
    for name, (source, spec) in c.choice_specs.items():
        doc = source.doc
        path = ("choices", name)
        c.cite(doc, path + ("paragraph",), spec.paragraph)
        if spec.type == "bool":
            type_, values = T.BOOL, (True, False)
        elif spec.type == "text":
            if not spec.values:
                c.problem(doc.location(path), f"choice {name!r} lists no values")
            type_, values = T.enum(name, [str(v) for v in spec.values]), tuple(str(v) for v in spec.values)
        else:
            type_ = c.type_of(spec.type, doc, path + ("type",))
            values = tuple(c.convert(v, type_, doc, path + ("values", i)) for i, v in enumerate(spec.values))
        default = c.convert(spec.default, type_, doc, path + ("default",))
        if default is None and not spec.unset:
            c.problem(doc.location(path), f"choice {name!r} needs a default, or `unset:` saying "
                                             "what stays undecided while it is unset")
        if values and default is not None and default not in values:
            c.problem(doc.location(path + ("default",)), f"default {spec.default!r} is not one of the values")
        for key in spec.means:
            if values and key not in [str(v).lower() if isinstance(v, bool) else str(v) for v in values]:
                c.problem(doc.key_location(path + ("means", key)), f"{key!r} is not a value of choice {name!r}")
        result[name] = Choice(name, type_, values, default, spec.paragraph, spec.source,
                              frozen_map(spec.means), spec.unset, doc.key_location(path))
    return result


def build_attributes(c: Compilation, specs: dict[str, M.AttributeSpec],
                     where: Callable[[str], tuple[Document, tuple]]) -> dict[str, AttributeDef]:
    result = {}
    for name, spec in specs.items():
        doc, path = where(name)
        type_ = c.type_of(spec.type, doc, path + ("type",))
        initial = c.convert(spec.initial, type_, doc, path + ("initial",))
        if type_.kind == "list" and initial is None:
            initial = ()
        result[name] = AttributeDef(name, type_, initial, spec.says, brief=spec.brief)
    return result


def event_fields(c: Compilation, name: str, source: Source, spec: M.EventType) -> tuple[dict, dict]:
    doc = source.doc
    base = ("event_types", name)
    fields: dict[str, FieldDef] = {}
    for field_name, field in spec.fields.items():
        path = base + ("fields", field_name)
        if field_name in ("id", "type", "date", "position"):
            c.problem(doc.key_location(path), f"{field_name!r} is a field of every event; do not declare it")
            continue
        type_ = c.type_of(field.type, doc, path + ("type",))
        if isinstance(field.default, dict):
            other = field.default.get("field", "")
            if set(field.default) != {"field"} or (other not in spec.fields and other != "date"):
                c.problem(doc.location(path + ("default",)),
                             "a default is a value, or {field: NAME} to copy another field of the event")
            default: Any = ("field", other)
        elif field.default is None:
            default = NO_DEFAULT if not field.required else None
            if "default" in (doc.data["event_types"][name]["fields"][field_name] or {}):
                default = None  # `default: null`: absent means none, not unknown
        else:
            default = c.convert(field.default, type_, doc, path + ("default",))
        if type_.kind == "list" and default is None:
            default = ()
        typos_of = None
        if field.typos_of is not None:
            typos_of = c.enums.get(field.typos_of)
            if typos_of is None:
                c.problem(doc.location(path + ("typos_of",)),
                             f"unknown enum {field.typos_of!r}{suggest(field.typos_of, c.enums)}")
        fields[field_name] = FieldDef(field_name, type_, field.type, field.required, default, field.says,
                                      field.ask, typos_of, varies=field.varies, free_text=field.free_text or "")
        if field.free_text and typos_of is None:
            c.problem(doc.location(path + ("free_text",)), "`free_text:` needs `typos_of:`, the enum the free "
                                                           "text is not a value of")
    attributes = build_attributes(c, dict(spec.attributes),
                                       lambda attr: (doc, base + ("attributes", attr)))
    if spec.takes_effect is not None:
        attributes[spec.takes_effect.name] = AttributeDef(spec.takes_effect.name, T.DATE, None,
                                                          spec.takes_effect.says)
    for attr in attributes:
        if attr in fields:
            c.problem(doc.key_location(base + ("attributes", attr)),
                         f"{attr!r} is both a field and an attribute of {name}")
    return fields, attributes


def build_event_type(c: Compilation, name: str, source: Source, spec: M.EventType) -> EventTypeDef:
    doc = source.doc
    base = ("event_types", name)
    fields, attributes = event_fields(c, name, source, spec)
    scope = Scope(c.schema, {"event": T.event(name)})
    for field_name, field in list(fields.items()):
        words = wording(c, doc, base + ("fields", field_name, "reads"), spec.fields[field_name].reads,
                        scope.bind(value=field.type, day=T.DATE))
        fields[field_name] = replace(field, reads=words)
    for attr_name, attribute in list(attributes.items()):
        bound = scope.bind(value=attribute.type, day=T.DATE)
        if spec.takes_effect is not None and attr_name == spec.takes_effect.name:
            text, path, ahead = spec.takes_effect.reads, base + ("takes_effect", "reads"), None
        else:
            text, path = spec.attributes[attr_name].reads, base + ("attributes", attr_name, "reads")
            ahead = spec.attributes[attr_name].ahead
        attributes[attr_name] = replace(attribute, reads=wording(c, doc, path, text, bound),
                                        ahead=wording(c, doc, path[:-1] + ("ahead",), ahead, bound))
    date_reads = wording(c, doc, base + ("date_reads",), spec.date_reads, scope.bind(value=T.DATE, day=T.DATE))
    takes_effect = None
    if spec.takes_effect is not None:
        compiled = c.expr(doc, base + ("takes_effect", "value"), spec.takes_effect.value, scope, T.DATE)
        takes_effect = (spec.takes_effect.name, compiled, spec.takes_effect.value)
    checks = []
    for index, check in enumerate(spec.checks):
        compiled = c.expr(doc, base + ("checks", index, "valid"), check.valid, scope, T.BOOL)
        if check.field not in fields and check.field != "date":
            c.problem(doc.location(base + ("checks", index, "field")), f"{name} has no field {check.field!r}")
        for placeholder in re.findall(r"\{(\w+)\}", check.message):
            if placeholder not in fields and placeholder not in ("id", "date"):
                c.problem(doc.location(base + ("checks", index, "message")),
                          f"{{{placeholder}}}: a message names a field of the event, its id or its date"
                          f"{suggest(placeholder, [*fields, 'id', 'date'])}")
        checks.append(CheckDef(compiled.fn, check.valid, check.message, check.field))
    for placeholder in re.findall(r"\{(\w+)\}", spec.called or ""):
        if placeholder not in fields and placeholder not in ("id", "date"):
            c.problem(doc.location(base + ("called",)), f"{{{placeholder}}}: `called:` names a field of the event, "
                      f"its id or its date{suggest(placeholder, [*fields, 'id', 'date'])}")
    return EventTypeDef(name, spec.paragraph, spec.says, frozen_map(fields), frozen_map(attributes),
                        takes_effect, tuple(checks), doc.key_location(base), date_reads,
                        spec.noun, spec.called)


def word_vocabulary(c: Compilation) -> dict[str, DefinitionDef]:
    """Once expressions can be compiled: how parameters, the agreement's state and definitions read.

    Updates `c.parameters` and `c.entity_attributes` in place; returns the definitions.
    """
    plain = Scope(c.schema, {"day": T.DATE})
    for name, parameter in list(c.parameters.items()):
        source, spec = c.param_specs[name]
        path = ("parameters", name)
        c.parameters[name] = replace(parameter, stands_in=spec.stands_in or "", reads=wording(
            c, source.doc, path + ("reads",), spec.reads, plain.bind(value=parameter.type)))
    for entity, attributes in c.entity_attributes.items():
        for name, attribute in list(attributes.items()):
            source, spec = c.state_specs[name]
            bound = plain.bind(value=attribute.type)
            attributes[name] = replace(attribute, reads=wording(c, source.doc, ("state", name, "reads"), spec.reads, bound),
                                       ahead=wording(c, source.doc, ("state", name, "ahead"), spec.ahead, bound))
    definitions = {}
    for name, (source, spec) in c.definition_specs.items():
        info = c.schema.definition(name)
        if info is None:
            continue
        scope = plain.bind(value=info.type, **dict(info.params))
        path = ("definitions", name)
        definitions[name] = DefinitionDef(name, tuple(p for p, _ in info.params), info.type, spec.says,
                                          spec.paragraph or "", wording(c, source.doc, path + ("reads",), spec.reads,
                                                                        scope),
                                          wording(c, source.doc, path + ("ahead",), spec.ahead, scope))
    return definitions
