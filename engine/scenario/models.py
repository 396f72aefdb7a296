"""The pydantic models of scenario files, built from a rule set's vocabulary.

Stage: scenario files. Imports `validators` and the clause language's
`ruleset` and `types`.

The event types, their fields, the questions and their arguments, the
interpretive choices and the parameters all come from the compiled clause
files, so another agreement's scenario files are validated by the same code.
Models are strict (no coercion) and forbid unknown keys.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional, Union

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr, WithJsonSchema, create_model

from ..language import types as T
from ..language.ruleset import RuleSet
from .validators import (actor_validator, alias, bool_value, date_value, duration_value, enum_validator, text_value,
                         title_value, typo_validator)


def one_or_list(value: Any) -> Any:
    """A list as given, or one value as a list of it."""
    return value if isinstance(value, list) else [value]


class OneOrListSchema:
    """A list field that also takes one value: its JSON Schema says so (`anyOf` the item and the array),
    so that an editor does not mark `grounds: not_possible` as an error the engine accepts."""

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict:
        schema = handler(core_schema)
        if schema.get("type") == "array" and "items" in schema:
            array = {key: value for key, value in schema.items() if key not in ("title", "description")}
            outer = {key: schema[key] for key in ("title", "description") if key in schema}
            return {**outer, "anyOf": [schema["items"], array]}
        return schema


ONE_OR_LIST = (BeforeValidator(one_or_list), OneOrListSchema())
"""The metadata of a list field that takes one value too: `Annotated[list[item], *ONE_OR_LIST]`."""


def after(fn):
    """A pydantic validator run after the type's own."""
    return AfterValidator(fn)


def annotation_of(ruleset: RuleSet, type_: T.Type) -> Any:
    """The pydantic annotation that validates a value of `type_` as written in YAML."""
    kind = type_.kind
    if kind == "bool":
        return Annotated[Any, BeforeValidator(bool_value), WithJsonSchema({"type": "boolean"})]
    if kind == "int":
        return StrictInt
    if kind == "text":
        return Annotated[Any, BeforeValidator(text_value), WithJsonSchema({"type": "string"})]
    if kind == "actor":
        return Annotated[Any, BeforeValidator(text_value), after(actor_validator(ruleset.parties)),
                         WithJsonSchema({"type": "string", "examples": list(ruleset.parties),
                                         "description": f"a party ({', '.join(ruleset.parties)}) "
                                                        "or any other name"})]
    if kind == "date":
        return Annotated[Any, BeforeValidator(date_value), WithJsonSchema(
            {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"})]
    if kind == "duration":
        return Annotated[Any, BeforeValidator(duration_value), WithJsonSchema(
            {"type": "string", "pattern": r"^\s*\d+\s*(day|days|month|months|year|years)\s*$",
             "examples": ["6 months", "30 days", "1 year"]})]
    if kind == "enum":
        return Annotated[Any, BeforeValidator(enum_validator(type_)),
                         WithJsonSchema({"type": "string", "enum": list(type_.values)})]
    if kind == "list":
        return Annotated[list[annotation_of(ruleset, type_.item or T.ANY)], *ONE_OR_LIST]
    if kind == "event":
        return Annotated[Any, BeforeValidator(text_value), WithJsonSchema(
            {"type": "string", "description": f"the id of a {type_} in this scenario"})]
    if kind == "changes":
        return Annotated[dict[StrictStr, Any], WithJsonSchema({
            "type": "object", "description": "parameter → its new value",
            "propertyNames": {"enum": sorted(ruleset.parameters)}})]
    return Any


MODELS_KEPT = 8
"""How many rule sets' scenario models a process keeps (a rule set is itself kept per clause directory)."""

_models: dict[int, tuple[RuleSet, Any]] = {}


def scenario_model(ruleset: RuleSet) -> Any:
    """The pydantic model of a scenario file for this rule set, built once per rule set.

    Building it (a model per event type) takes longer than reading a scenario
    with it; a rule set is immutable, so every reader of the same one shares
    its model.
    """
    kept = _models.get(id(ruleset))
    if kept is not None and kept[0] is ruleset:
        return kept[1]
    model = _build_scenario_model(ruleset)
    while len(_models) >= MODELS_KEPT:
        del _models[next(iter(_models))]
    _models[id(ruleset)] = (ruleset, model)  # the rule set is kept with it, so its id stays its own
    return model


def _build_scenario_model(ruleset: RuleSet) -> Any:
    config = ConfigDict(strict=True, extra="forbid", populate_by_name=False)
    event_models = []
    date_type = annotation_of(ruleset, T.DATE)
    for name, definition in ruleset.event_types.items():
        fields: dict[str, Any] = {
            "id": (StrictStr, Field(description="unique in the file")),
            "type": (Literal[name], Field(description=definition.says)),
            "date": (date_type, Field(description="the day it happens (YYYY-MM-DD)")),
        }
        for field_name, spec in definition.fields.items():
            annotation = annotation_of(ruleset, spec.type)
            if spec.typos_of is not None and spec.type.kind == "list":
                item = Annotated[StrictStr, after(typo_validator(spec.typos_of))]
                annotation = Annotated[list[item], *ONE_OR_LIST]
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
            annotation = annotation_of(ruleset, argument.type)
            fields[argument.name] = (Optional[annotation], Field(None, description=argument.says))
        question_models.append(create_model(f"Question_{name}", __config__=config,
                                            __doc__=question.says, **_safe(fields)))
    interpretation = create_model(
        "Interpretation", __config__=config,
        **_safe({name: (Optional[annotation_of(ruleset, choice.type)], Field(None, description=choice.source))
                 for name, choice in ruleset.choices.items()}))
    parameters = create_model(
        "Parameters", __config__=config,
        **_safe({name: (Optional[annotation_of(ruleset, p.type)], Field(None, description=p.says))
                 for name, p in ruleset.parameters.items()}))
    event_union = Annotated[Union[tuple(event_models)], Field(discriminator="type")]
    question_union = Annotated[Union[tuple(question_models)], Field(discriminator="ask")]
    scenario = create_model(
        "Scenario", __config__=config,
        scenario=(Annotated[Any, BeforeValidator(title_value), WithJsonSchema({"type": "string"})],
                  Field(description="a title")),
        description=(Optional[annotation_of(ruleset, T.TEXT)], Field(None)),
        as_of=(Optional[date_type], Field(None, description="default date for questions that take `on`")),
        interpretation=(Optional[interpretation], Field(None)),
        parameters=(Optional[parameters], Field(None)),
        events=(list[event_union], Field(default_factory=list)),
        questions=(list[question_union], Field(default_factory=list)),
    )
    return scenario


def _safe(fields: dict[str, Any]) -> dict[str, Any]:
    """Fields keyed by a Python-safe name, validated and described under their YAML name (alias)."""
    result = {}
    for name, (annotation, info) in fields.items():
        safe = alias(name)
        if safe != name:
            info = (Field(description=info.description, alias=name) if info.is_required()
                    else Field(info.default, description=info.description, alias=name))
        result[safe] = (annotation, info)
    return result

