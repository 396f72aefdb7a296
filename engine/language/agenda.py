"""Compiling what the agenda says: a duty's open instances, a rule's watched date, the act a rule awaits.

Stage: the clause language, part of the compiler. Imports `compilation`, `model`, `ruleset`, `templates`,
`context`, `types`, `wording` and `mou.errors`.

Three keys of the clause files feed `mou agenda` (`answers.agenda`), each in
the words of the clause that gives the item:

- a duty's `agenda:` says an open instance (by status: `active`, `unknown`,
  `violated` or `overdue` for a continuing duty still to be performed),
  dated by its deadline or by `due:` (the day a continuing duty is next due);
- an `at:` rule's `upcoming:` says what the rule will do on the day it
  watches (`today`), and whom it concerns (`party:`);
- an `on:` rule's `awaits:` says which act it waits for, about which events
  (`for_each:`, `when:`), from whom (`from:`) and until when (`until:`).
"""

from __future__ import annotations

from ..errors import suggest
from . import model as M
from . import types as T
from .compilation import Compilation
from .context import Scope
from .ruleset import DUTY_STATUSES as ALL_STATUSES
from .ruleset import ActDef, AwaitsDef, DutyAgendaDef, Trigger, UpcomingDef
from .templates import template, wording
from .wording import NO_WORDING, Wording
from .yamlio import Document

DUTY_STATUSES = ("active", "unknown", "violated", "overdue")
"""The statuses of a duty instance the agenda may list: owed, perhaps owed, breached before and still to be
performed (a continuing duty, next `due:` on a later day), or overdue (its `due:` day has passed)."""
UNTIL_KEYS = ("value", "none")


def duty_agenda(c: Compilation, doc: Document, path: tuple, spec: M.DutyAgenda | None,
                scope: Scope) -> DutyAgendaDef | None:
    """A duty's `agenda:`, in the scope of its judgement (`event`, lets, `bearer`, `counterparty`)."""
    if spec is None:
        return None
    path = path + ("agenda",)
    dated = scope.bind(on=T.DATE)
    due = c.expr(doc, path + ("due",), spec.due, dated, T.DATE).fn if spec.due is not None else None
    says = _keyed(c, doc, path + ("says",), spec.says, dated.bind(due=T.DATE, missing=T.TEXT), DUTY_STATUSES)
    return DutyAgendaDef(says, due, doc.key_location(path))


def duty_reads(c: Compilation, doc: Document, path: tuple, spec: dict[str, str], scope: Scope,
               act: str | None) -> Wording:
    """A duty's `reads:`, one sentence per status, in the scope of its judgement (with `on`, and `act` when an
    act settles it)."""
    if not spec:
        return NO_WORDING
    bound = scope.bind(on=T.DATE, **({"act": T.event(act)} if act is not None and act in c.event_specs else {}))
    return _keyed(c, doc, path + ("reads",), spec, bound, ALL_STATUSES, "reads")


def upcoming(c: Compilation, doc: Document, path: tuple, spec: M.Upcoming | None, trigger: Trigger,
             scope: Scope) -> UpcomingDef | None:
    """An `at:` rule's `upcoming:`, in the rule's scope after its lets (with `today`, the watched day)."""
    if spec is None:
        return None
    path = path + ("upcoming",)
    if trigger.kind != "date":
        c.problem(doc.location(path), "`upcoming:` says what a rule that watches a date (`at:`) will do on that "
                                      "day; this rule is triggered by an event: use `awaits:`")
        return None
    party = c.expr(doc, path + ("party",), spec.party, scope, T.ACTOR).fn if spec.party is not None else None
    return UpcomingDef(template(c, doc, path + ("says",), spec.says, scope), party, doc.key_location(path))


def awaits(c: Compilation, doc: Document, path: tuple, spec: M.Awaits | None, trigger: Trigger,
           scope: Scope) -> AwaitsDef | None:
    """An `on:` rule's `awaits:`; `scope` is the clause files' names, without the rule's bindings."""
    if spec is None:
        return None
    path = path + ("awaits",)
    if trigger.kind != "event":
        c.problem(doc.location(path), "`awaits:` says which act a rule triggered by an event (`on:`) waits for; "
                                      "this rule watches a date: use `upcoming:`")
        return None
    bound = scope.bind(on=T.DATE)
    if spec.for_each is not None:
        if spec.for_each not in c.event_specs:
            c.problem(doc.location(path + ("for_each",)),
                      f"unknown event type {spec.for_each!r}{suggest(spec.for_each, c.event_specs)}")
            return None
        bound = bound.bind(event=T.event(spec.for_each))
    when = c.expr(doc, path + ("when",), spec.when, bound, T.BOOL).fn if spec.when is not None else None
    party = None
    if spec.from_ is not None:
        compiled = c.expr(doc, path + ("from",), spec.from_, bound)
        if compiled.type != T.ANY and not T.textlike(compiled.type) and not (
                compiled.type.kind == "list" and (compiled.type.item is None or T.textlike(compiled.type.item))):
            c.problem(doc.location(path + ("from",)), f"`from:` is who is to act: an actor or a list of actors, "
                                                      f"not a {compiled.type}")
        party = compiled.fn
    until = c.expr(doc, path + ("until",), spec.until, bound, T.DATE).fn if spec.until is not None else None
    says = _keyed(c, doc, path + ("says",), spec.says, bound.bind(party=T.ACTOR, until=T.DATE), UNTIL_KEYS)
    act = act_of(c, doc, path, spec.act, trigger.owner, bound.bind(party=T.ACTOR))
    return AwaitsDef(says, spec.for_each, when, party, until, spec.kind, doc.key_location(path), act)


def act_of(c: Compilation, doc: Document, path: tuple, spec: M.Act | None, default_type: str | None,
           scope: Scope) -> ActDef | None:
    """An `act:`: its event type (given, else `default_type`), its sentence and its fields, checked against
    the event type (every required field without a default given, no field it does not have)."""
    if spec is None:
        return None
    path = path + ("act",)
    kind = spec.type or default_type
    if kind is None or kind not in c.event_specs:
        c.problem(doc.location(path + ("type",) if spec.type else path),
                  f"`act:` needs the event type of the act{suggest(kind, c.event_specs) if kind else ''}")
        return None
    fields_spec = c.event_specs[kind][1].fields
    compiled = []
    for name, text in spec.fields.items():
        if name not in fields_spec:
            c.problem(doc.key_location(path + ("fields", name)),
                      f"{kind!r} has no field {name!r}{suggest(name, fields_spec)}")
            continue
        compiled.append((name, c.expr(doc, path + ("fields", name), text, scope).fn))
    for name, field in fields_spec.items():
        if field.required and field.default is None and name not in spec.fields:
            c.problem(doc.location(path + ("fields",)) if spec.fields else doc.location(path),
                      f"`act:` must give the required field {name!r} of {kind!r}")
    return ActDef(kind, template(c, doc, path + ("says",), spec.says, scope), tuple(compiled))


def _keyed(c: Compilation, doc: Document, path: tuple, spec: str | dict[str, str], scope: Scope,
           keys: tuple[str, ...], name: str = "says") -> Wording:
    """One sentence (said for the first of `keys`, and for any value of `until`), or one per key."""
    if isinstance(spec, str):
        return Wording({keys[0]: template(c, doc, path, spec, scope)})
    for key in spec:
        if key not in keys:
            c.problem(doc.key_location(path + (key,)), f"`{name}:` takes one sentence, or one per {' or '.join(keys)}; "
                                                       f"got {key!r}")
    return wording(c, doc, path, spec, scope)
