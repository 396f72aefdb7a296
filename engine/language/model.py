"""Pydantic models of clause files: the input, validated but not yet compiled.

Stage: after yamlio. Imports `errors` and `yamlio`.

A clause file is a YAML mapping with the Article's paragraphs (verbatim) and,
optionally, the vocabulary and logic that Article gives: enums, parameters,
interpretive choices, definitions, state of the agreement, event types,
rules and questions. Expressions stay text here; `compiler` parses and
type-checks them. All models are strict and forbid unknown keys, so a
misspelt key is an error with its line, never silently ignored.
"""

from __future__ import annotations

import re
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (BaseModel, Field, StrictBool, StrictStr,
                      ValidationError)

from ..errors import Diagnostic, MouError, suggest
from .model_agenda import Act, Awaits, DutyAgenda, Upcoming
from .model_base import AHEAD, READS, Expression, Name, Reads, Scalar, Strict
from .yamlio import Document

__all__ = ["Act", "Awaits", "DutyAgenda", "Upcoming", "READS", "Expression", "Name", "Reads", "Scalar", "Strict"]


class Paragraph(Strict):
    """A paragraph of the signed text: a stable id and its words, verbatim."""

    id: Name
    text: StrictStr


class Parameter(Strict):
    """A value the text fixes and an amendment may change (e.g. the notice period)."""

    paragraph: StrictStr
    type: StrictStr
    default: Scalar
    source: StrictStr = Field(description="the words of the text that fix the default")
    says: StrictStr = ""
    reads: Reads | None = Field(None, description=READS)
    stands_in: StrictStr | None = Field(None, description="the words of the paragraph that state the value "
                                                          "(e.g. `six months`), replaced by the value as amended")


class Choice(Strict):
    """An interpretive choice: where the text can be read two ways, a named switch."""

    paragraph: StrictStr
    type: StrictStr = "text"
    values: list[Scalar] = []
    default: Scalar
    source: StrictStr = Field(description="why the default: the authority relied on")
    means: dict[str, StrictStr] = {}
    unset: StrictStr = Field("", description="what an unset choice leaves undecided (default null only)")


class Definition(Strict):
    """A named expression, optionally with typed parameters."""

    value: StrictStr
    params: dict[str, StrictStr] = {}
    says: StrictStr = ""
    paragraph: StrictStr | None = None
    reads: Reads | None = Field(None, description=READS)
    ahead: Reads | None = Field(None, description=AHEAD)


class AttributeSpec(Strict):
    """A derived fact about the agreement or an event, set by rules, with history."""

    type: StrictStr
    initial: Scalar = None
    says: StrictStr = ""
    reads: Reads | None = Field(None, description=READS)
    ahead: Reads | None = Field(None, description=AHEAD)
    brief: StrictBool = Field(False, description="in the reasons of an answer about something else, the fact "
                                                 "stands as one line, without the rule firing that set it")


class FieldSpec(Strict):
    """A field of an event as written in scenario files."""

    type: StrictStr
    required: StrictBool = False
    default: Union[Scalar, list[Scalar], dict[str, StrictStr]] = None
    says: StrictStr = ""
    ask: StrictStr = Field("", description="what is not stated, as a clause (`whether …`), when the field is missing and decides an answer")
    typos_of: StrictStr | None = Field(None, description="an enum: free text that looks like a misspelt value "
                                                         "of it (e.g. `iiv` for area `iv`) is refused")
    free_text: StrictStr | None = Field(None, description="with `typos_of`: the words an `ask:` text adds after "
                                                          "the field's items where some are free text, not values "
                                                          "of the enum (that free text is not matched to them)")
    reads: Reads | None = Field(None, description=READS)
    varies: StrictBool = Field(True, description="false: no counterfactual changes this field, which says who "
                                                 "the act is by or for, not how it was done (on whose behalf a "
                                                 "signature is given: signing for another is another act)")


class Check(Strict):
    """An input check on an event: when `valid` is false, the scenario is invalid."""

    valid: StrictStr
    message: StrictStr
    field: StrictStr = "date"


class TakesEffect(Strict):
    """When an event takes effect, if not on its `date` (e.g. a notice on receipt)."""

    name: StrictStr
    value: StrictStr
    says: StrictStr = ""
    reads: Reads | None = Field(None, description=READS)


class EventType(Strict):
    """A kind of event a scenario may contain, and the paragraph that gives it meaning."""

    paragraph: StrictStr
    says: StrictStr = ""
    fields: dict[str, FieldSpec] = {}
    attributes: dict[str, AttributeSpec] = {}
    takes_effect: TakesEffect | None = None
    checks: list[Check] = []
    date_reads: Reads | None = Field(None, description="how the event's date reads, e.g. `{event} is dated {value}`")
    noun: StrictStr | None = Field(None, description="how a sentence names one of these events by its id, as "
                                                     "`the NOUN ID` (`signature`: “the signature s1 counts”); "
                                                     "without it, by the id alone")
    called: StrictStr | None = Field(None, description="how a sentence names one of these events by its fields, "
                                                       "`{field}`, `{date}` and `{id}` filled in (`\"{party}'s "
                                                       "signature of {date}\"`), in place of `noun:`; where two "
                                                       "events of a scenario would be called alike, each is "
                                                       "followed by its id")


class Note(Strict):
    """A remark a rule adds to its explanation when `if` holds; `{expr}` is filled in."""

    text: StrictStr
    if_: StrictStr | None = Field(None, alias="if")


class Coverage(Strict):
    """What `mou test --coverage` should not expect a scenario to exercise, and why."""

    unreachable: dict[str, StrictStr] = Field(
        {}, description="item → why no valid scenario can exercise it. Items: `CONDITION: OUTCOME` (a condition's "
                        "plain words, or `applies_if`, and true, false or unknown), `then`, `else`, `unknown`; "
                        "a duty's statuses; a question's `answers` keys")


class Rule(Strict):
    """A rule: on a trigger, when the conditions hold, conclude facts. Cites its paragraph.

    `kind` says what the paragraph gives: a `power` (an act that changes the
    agreement's legal state), a `permission` (an act allowed, else not
    covered), a `definition` (what something counts as), or an `effect`.
    """

    id: Name
    paragraph: StrictStr
    says: StrictStr
    kind: Literal["power", "permission", "definition", "effect"] = "effect"
    on: StrictStr | None = None
    at: StrictStr | None = None
    applies_if: Expression | None = Field(None, description="when false, the rule does not apply at all")
    let: dict[str, Expression] = {}
    when: list[Union[Expression, dict[str, Expression]]] = []
    then: dict[str, Expression] = {}
    else_: dict[str, Expression] = Field({}, alias="else")
    unknown: dict[str, Expression] = {}
    notes: list[Note] = []
    requires: StrictStr | None = Field(None, description="what the rule asks for, as a noun phrase the conditions "
                                                         "complete: `a request` gives “I.3 requires a request …”")
    applied: StrictStr | None = Field(None, description="what happened when the rule applied, as a sentence with "
                                                        "{expressions}, e.g. `{event.from} set up the body {event}`")
    upcoming: Upcoming | None = Field(None, description="for an `at:` rule: how the agenda says what it will do")
    awaits: Awaits | None = Field(None, description="for an `on:` rule: the act it waits for, as the agenda lists it")
    rests_on: StrictStr | None = Field(None, description="an interpretive choice the rule exists by (a right the "
                                                         "text does not state, read into it): its reasons cite the "
                                                         "choice and its authority, not the paragraph alone")
    coverage: Coverage | None = None


class Settlement(Strict):
    """The acts that settle a duty instance, and the status each settles it in."""

    act: StrictStr = Field(description="the event type of the acts")
    match: Expression = Field(description="the act concerns this instance (`act`, `event`, `bearer`, …)")
    until: Expression | None = Field(None, description="the last day an act counts")
    outcomes: dict[Literal["fulfilled", "excused", "violated"], Expression] = Field(
        {}, description="status → condition on the first matching act; the first that holds wins (default fulfilled)")


class Duty(Strict):
    """A duty: who owes what to whom when a trigger happens, and how each instance ends.

    One instance arises per bearer each time the trigger occurs and the
    conditions hold (`unknown` when they may). An instance is `active` until
    an act settles it (`fulfilled`, `excused` or `violated`), its deadline
    passes (`violated`), its `violated_if` holds, or the agreement ends first
    (`lapsed`).
    """

    paragraph: StrictStr
    says: StrictStr
    kind: Literal["obligation", "conduct"]
    on: StrictStr | None = None
    at: StrictStr | None = None
    bearers: Expression
    counterparty: Expression | None = None
    anticipated: StrictBool = Field(False, description="owed before the trigger's own date (e.g. an invitation to a meeting)")
    let: dict[str, Expression] = {}
    when: list[Union[Expression, dict[str, Expression]]] = []
    settled_by: Settlement | None = None
    deadline: Expression | None = Field(None, description="the last day to settle it; after that, violated")
    violated_if: Expression | None = Field(None, description="a continuing duty's breach, judged on `on`")
    lapses_after: Expression | None = Field(None, description="the last day of the agreement; after it, lapsed")
    listed: StrictBool = Field(True, description="listed by obligation questions")
    requires: StrictStr | None = Field(None, description="what the duty's trigger asks for, as a noun phrase "
                                                         "its conditions complete (e.g. `a meeting`)")
    awaits: StrictStr | None = Field(None, description="what settles an instance, in words (e.g. `an invitation "
                                                       "to the meeting`): “awaiting …”, “… passed without …”")
    breach: StrictStr | None = Field(None, description="what `violated_if` means, in words (e.g. `a gap between "
                                                       "consultations longer than the interval`)")
    agenda: DutyAgenda | None = Field(None, description="how the agenda says an open instance")
    act: Act | None = Field(None, description="the act that meets the duty, as an event: offered as a "
                                              "counterfactual where taking it would change an answer")
    reads: dict[str, StrictStr] = Field({}, description="what an instance's status says in an explanation, per "
                                                        "status, with {bearer}, {counterparty}, {event}, {on} and "
                                                        "{act} (the act that settled it)")
    statuses: dict[str, StrictStr] = Field({}, description="a status in a few words where a list of duties says it "
                                                           "(`violated: not shown to be met`), in place of the "
                                                           "engine's (`breached`): a best-efforts duty's, say")
    coverage: Coverage | None = None


class Invariant(Strict):
    """A property that must hold in every valid scenario, searched for counterexamples by `mou test`.

    `for_each` binds `event` to each event of a type; `each_day` judges the
    property at the end of every day where something happens (and the days
    around), with `on` bound to that day.
    """

    paragraph: StrictStr
    says: StrictStr
    for_each: StrictStr | None = None
    each_day: StrictBool = False
    holds: Expression


class Symmetry(Strict):
    """A metamorphic property: exchanging the parties exchanges the answers (and these paragraphs)."""

    paragraph: StrictStr
    says: StrictStr
    swap_paragraphs: dict[str, StrictStr] = {}


class Argument(Strict):
    """An argument of a question (e.g. `notice`, `on`)."""

    type: StrictStr
    says: StrictStr = ""
    default: Expression | None = Field(None, description="when neither given nor the scenario's as_of")


class Because(Strict):
    """The decisive reason for an answer, in words, said when `if` holds (the first of a list that holds)."""

    if_: Expression | None = Field(None, alias="if")
    says: StrictStr


class Question(Strict):
    """A question users ask, its arguments, and the expression that answers it."""

    paragraphs: list[StrictStr]
    says: StrictStr
    asks: StrictStr = Field("", description="the question as a person asks it, with {arguments} filled in "
                                            "(e.g. `Is the MoU in force on {on}?`): a memo's heading")
    args: dict[str, Argument] = {}
    at: StrictStr | None = None
    let: dict[str, Expression] = {}
    answer: Expression
    unordered: StrictBool = False
    answers: dict[str, StrictStr] = Field({}, description="plain-words summary per answer value")
    would: dict[str, StrictStr] = Field({}, description="per answer value, the answer as what would follow, for a "
                                                        "counterfactual (`{arrangement} would be valid`)")
    verdicts: dict[str, StrictStr] = Field({}, description="the answer in a word or two, per value, where a memo's "
                                                           "plain Yes or No would mislead (e.g. `Not under V.3`); a "
                                                           "template, as `answers` are (an empty one: Yes or No)")
    because: dict[str, list[Because]] = Field({}, description="per answer value, the decisive reason in words: the "
                                                              "first whose `if` holds is said after the answer")
    coverage: Coverage | None = None


class DefaultEvents(Strict):
    """Events a scenario is taken to contain when it has none of type `unless`."""

    unless: StrictStr
    says: StrictStr
    before: StrictStr = Field("", description="what `says` becomes for an answer about a day before every default "
                                              "event: `{day}` is that day (`neither party had signed it by {day}`)")
    events: list[dict[str, Any]]
    called: dict[StrictStr, StrictStr] = Field({}, description="how a sentence names each default event, by id "
                                                               "(e.g. `the first party's signature of 2009-01-27`)")


class ClauseFile(Strict):
    """One clause file: an Article (or the preamble, or the signature block)."""

    article: Name
    title: Name
    paragraphs: list[Paragraph]
    enums: dict[str, Union[list[Name], dict[Name, StrictStr]]] = Field(
        {}, description="name → its values, or value → how it reads in a sentence (e.g. `oral: orally`)")
    parameters: dict[str, Parameter] = {}
    choices: dict[str, Choice] = {}
    definitions: dict[str, Definition] = {}
    state: dict[str, AttributeSpec] = {}
    event_types: dict[str, EventType] = {}
    rules: list[Rule] = []
    duties: dict[str, Duty] = {}
    invariants: dict[str, Invariant] = {}
    symmetries: dict[str, Symmetry] = {}
    questions: dict[str, Question] = {}
    default_events: DefaultEvents | None = None


class Manifest(Strict):
    """`agreement.yaml`: the agreement, its parties, and its clause files in order."""

    agreement: Name
    title: Name
    short_name: Name
    parties: list[Name]
    signed_text: StrictStr
    layout: list[StrictStr] = Field([], description="strings of the signed text that are layout, not text")
    files: list[StrictStr]
    invariants: Literal["standard"] | None = Field(
        None, description="`standard`: judge the engine's standard invariants (in_force on one interval, agreeing "
                          "with entry_into_force_date, last_day_in_force and status)")


def validate(model: type[Strict], document: Document) -> Any:
    """Validate a document against a model; every problem located, all at once."""
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        raise MouError([located(document, item, model) for item in merge_unions(error.errors())]) from None


_UNION_MEMBER = re.compile(r"(bool|int|str|float|none|list\[.*\]|dict\[.*\]|[A-Z][A-Za-z]*|function-.*)")


def merge_unions(items: list[dict]) -> list[dict]:
    """One error per value that matched no member of a union, instead of one per member."""
    groups: dict[tuple, list[dict]] = {}
    order: list[tuple] = []
    for item in items:
        loc = tuple(item["loc"])
        key = loc[:-1] if loc and isinstance(loc[-1], str) and _UNION_MEMBER.fullmatch(loc[-1]) else loc
        if key not in groups:
            order.append(key)
        groups.setdefault(key, []).append(item)
    merged = []
    for key in order:
        group = groups[key]
        if len(group) == 1 or key == tuple(group[0]["loc"]):
            merged.extend(group)
            continue
        wanted = sorted({_member_name(tuple(item["loc"])[-1]) for item in group})
        merged.append({"loc": key, "type": "union", "input": group[0].get("input"),
                       "msg": f"expected {' or '.join(wanted)}, got {group[0].get('input')!r}"})
    return merged


def _member_name(tag: str) -> str:
    return {"str": "text", "int": "a whole number", "bool": "true or false", "none": "null"}.get(
        tag, "a list" if tag.startswith("list[") else "a mapping" if tag.startswith("dict[") else tag)


def located(document: Document, item: dict, model: type[BaseModel] | None = None) -> Diagnostic:
    """A pydantic error item as a diagnostic at the right line and column."""
    path = tuple(part for part in item["loc"] if not (isinstance(part, str) and part.startswith("function-")))
    kind = item["type"]
    if kind == "extra_forbidden":
        allowed = _keys_at(model, path[:-1]) if model is not None else []
        hint = suggest(str(path[-1]), allowed) + (f"; allowed here: {', '.join(allowed)}" if allowed else "")
        return Diagnostic(document.key_location(path), f"unknown key {path[-1]!r}{hint}")
    if kind == "missing":
        return Diagnostic(document.location(path[:-1]), f"missing required key {path[-1]!r}")
    message = item["msg"]
    return Diagnostic(document.location(path), f"{'.'.join(map(str, path)) or 'file'}: {message}")


_UNIONS = (Union, UnionType, Annotated)


def _keys_at(model: type[BaseModel], path: tuple) -> list[str]:
    """The keys the model allows in the mapping at `path` (empty when that is not a model)."""
    annotation: Any = model
    for part in path:
        annotation = _step(annotation, part)
        if annotation is None:
            return []
    found = _model_in(annotation)
    if found is None:
        return []
    return [info.alias or name for name, info in found.model_fields.items()]


def _step(annotation: Any, part: Any) -> Any:
    """The annotation one step down a path: a model's field, a dict's value, a list's item."""
    found = _model_in(annotation)
    if found is not None:
        for name, info in found.model_fields.items():
            if part in (name, info.alias):
                return info.annotation
        return None
    args = [a for a in get_args(annotation) if a is not type(None)]
    origin = get_origin(annotation)
    if origin is dict and len(args) == 2:
        return args[1]
    if origin is list and args:
        return args[0]
    if origin in _UNIONS:
        for arg in args:
            step = _step(arg, part)
            if step is not None:
                return step
    return None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model an annotation is, or holds as a member of a union."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) not in _UNIONS:
        return None
    for arg in get_args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


__all__ = ["ClauseFile", "Manifest", "validate", "located"]
