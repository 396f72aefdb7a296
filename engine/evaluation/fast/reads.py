"""Reads of the two-valued closures made in one step: an event's field or attribute, and a comparison of a field.

Stage: evaluation (the fast evaluator of answers). Imports the clause language's
`context` and `expressions`, and `mou.values`.

These run once per read on the fast path (several times a firing, and once an item
in a loop over events), so each does in its own body what a chain of small
closures would do in several calls: `bound_attribute` reads the state's history
as `Facts.value` does, `compared_field` compares a bound event's field without a
closure for the field, and a choice's or an entity's fact compared with a value
written in the clause likewise. Each gives the value, or raises what the closures it
stands for raise (`Fallback`, `Failure`), in the same order.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from ...language.context import Ctx, Scope
from ...language.expressions import Attr, Name, Node
from ...values import Event, Unknown
from .operators import Failure, Fallback, Fn, known

BUILTINS = ("id", "type", "date", "position")
"""What every event has besides its fields and attributes (`x.id`, `x.type`, `x.date`, `x.position`)."""


def checked(value: Any) -> Any:
    """`value` if it is known (whole, if it is a list or a map), else `Fallback`. The readers of one step below
    (`bound_field`, `bound_attribute`, …) repeat these lines in their own body on purpose: they run once per
    read on the fast path, where a call to this function was a measurable part of a read's cost."""
    cls = value.__class__
    if cls is Unknown:
        raise Fallback()
    if cls is tuple or cls is list or cls is dict:
        known(value)
    return value


def bound_field(bound: str, name: str) -> Fn:
    """`x.name`, a field of the event bound to `x` (`event`, a `let`, a loop's variable), read in one step."""
    def field(ctx: Ctx) -> Any:
        event = ctx.env[bound]
        if event.__class__ is not Event:
            raise Failure()
        value = event.fields[name]
        cls = value.__class__
        if cls is Unknown:
            raise Fallback()
        if cls is tuple or cls is list or cls is dict:
            known(value)
        return value

    return field


def bound_attribute(bound: str, name: str) -> Fn:
    """`x.name`, an attribute (a fact rules set) of the event bound to `x`, read in one step."""
    def attribute(ctx: Ctx) -> Any:
        event = ctx.env[bound]
        if event.__class__ is not Event:
            raise Failure()
        store = ctx.store  # `Facts.value`, inline: a call fewer on the commonest read of a step
        key = event.id
        history = store._history.get((key, name))
        as_of = ctx.as_of
        if history is not None and as_of is None:
            value = history[1][-1]
        elif history is not None and bisect_right(history[0], as_of) > 0:
            value = history[1][bisect_right(history[0], as_of) - 1]
        else:  # no value set (by `as_of`): the initial one
            kind = store._types.get(key)
            value = store._event_attrs[kind][name] if kind is not None else store._initial[(key, name)]
        cls = value.__class__
        if cls is Unknown:
            raise Fallback()
        if cls is tuple or cls is list or cls is dict:
            known(value)
        return value

    return attribute


def _field_against(bound: str, name: str, equal: bool, named: str | None, get: Fn | None) -> Fn:
    """`x.name == y` (`equal`) or `x.name != y`, `y` the name `named` bound in scope, else read by `get`: the field
    read in the comparison's own closure (`bound_field`'s lines), then `y`, in the order `Operators._compare` reads
    them, a call fewer per comparison (most of them in loops over events)."""
    if named is not None:
        def with_name(ctx: Ctx) -> Any:
            env = ctx.env
            event = env[bound]
            if event.__class__ is not Event:
                raise Failure()
            value = event.fields[name]
            cls = value.__class__
            if cls is Unknown:
                raise Fallback()
            if cls is tuple or cls is list or cls is dict:
                known(value)
            return value == env[named] if equal else value != env[named]

        return with_name

    def with_read(ctx: Ctx) -> Any:
        event = ctx.env[bound]
        if event.__class__ is not Event:
            raise Failure()
        value = event.fields[name]
        cls = value.__class__
        if cls is Unknown:
            raise Fallback()
        if cls is tuple or cls is list or cls is dict:
            known(value)
        return value == get(ctx) if equal else value != get(ctx)

    return with_read


def choice_read(name: str) -> Fn:
    """`choice.name`: the interpretive choice's value, or `Fallback` where it is left unset."""
    def choice(ctx: Ctx) -> Any:
        value = ctx.choices[name]
        if value.__class__ is Unknown:
            raise Fallback()
        return value

    return choice


def entity_read(pair: tuple[str, str]) -> Fn:
    """`agreement.name` (`pair`: the entity's key and the fact's name), read as `Facts.entity` reads it."""
    def entity(ctx: Ctx) -> Any:
        store = ctx.store
        history = store._history.get(pair)
        as_of = ctx.as_of
        if history is not None and as_of is None:
            value = history[1][-1]
        elif history is not None and bisect_right(history[0], as_of) > 0:
            value = history[1][bisect_right(history[0], as_of) - 1]
        else:
            value = store._initial[pair]
        cls = value.__class__
        if cls is Unknown:
            raise Fallback()
        if cls is tuple or cls is list or cls is dict:
            known(value)
        return value

    return entity


def bound_builtin(bound: str, name: str) -> Fn:
    """`x.id`, `x.type`, `x.position` or `x.date` of the event bound to `x`."""
    def read_id(ctx: Ctx) -> Any:
        event = ctx.env[bound]
        if event.__class__ is not Event:
            raise Failure()
        return event.id

    def read_type(ctx: Ctx) -> Any:
        event = ctx.env[bound]
        if event.__class__ is not Event:
            raise Failure()
        return event.type

    def read_position(ctx: Ctx) -> Any:
        event = ctx.env[bound]
        if event.__class__ is not Event:
            raise Failure()
        return event.index

    def read_date(ctx: Ctx) -> Any:
        event = ctx.env[bound]
        if event.__class__ is not Event:
            raise Failure()
        return event.date

    return {"id": read_id, "type": read_type, "position": read_position}.get(name, read_date)


def compared_field(compiler: Any, node: Any, scope: Scope) -> Fn | None:
    """`x.f == y` / `x.f != y`, `x` a bound event, `y` a bound name or another bound event's field (as loops over
    events compare them: `s.party == p`, `s.party == event.party`): the field read in the comparison's own closure,
    a call fewer a comparison; None for any other comparison (`Operators._compare` makes it)."""
    if node.op not in ("==", "!="):
        return None
    right = node.right
    written = compiler.schema.compile(right, scope)
    if written.is_constant:
        return _against_constant(compiler, node.left, scope, written.constant, node.op == "==")
    left = _read_field(compiler, node.left, scope)
    if left is None:
        return None
    other = _read_field(compiler, right, scope)
    if other is None and not (isinstance(right, Name) and right.name in scope.bindings):
        return None
    if other is None:
        return _field_against(*left, node.op == "==", right.name, None)
    return _field_against(*left, node.op == "==", None, bound_field(*other))


def _against_constant(compiler: Any, node: Node, scope: Scope, constant: Any, equal: bool) -> Fn | None:
    """`choice.x == c`, `agreement.x == c` or `x.f == c` (or `!=`), `c` written in the clause: the read and the
    comparison in one closure (the read's lines, as `choice_read`, `entity_read` and `bound_field` have them)."""
    if not isinstance(node, Attr) or node.name in BUILTINS or compiler.schema.compile(node, scope).is_constant:
        return None
    kind = compiler.type_of(node.subject, scope).kind
    name = node.name
    if kind == "choice":
        def choice(ctx: Ctx) -> Any:
            value = ctx.choices[name]
            if value.__class__ is Unknown:
                raise Fallback()
            return value == constant if equal else value != constant

        return choice
    if kind == "entity":
        pair = ("$" + compiler.type_of(node.subject, scope).name, name)

        def entity(ctx: Ctx) -> Any:
            store = ctx.store
            history = store._history.get(pair)
            as_of = ctx.as_of
            if history is not None and as_of is None:
                value = history[1][-1]
            elif history is not None and bisect_right(history[0], as_of) > 0:
                value = history[1][bisect_right(history[0], as_of) - 1]
            else:
                value = store._initial[pair]
            cls = value.__class__
            if cls is Unknown:
                raise Fallback()
            if cls is tuple or cls is list or cls is dict:
                known(value)
            return value == constant if equal else value != constant

        return entity
    found = _read_field(compiler, node, scope)
    if found is None:
        return None
    bound = found[0]

    def field(ctx: Ctx) -> Any:
        event = ctx.env[bound]
        if event.__class__ is not Event:
            raise Failure()
        value = event.fields[name]
        cls = value.__class__
        if cls is Unknown:
            raise Fallback()
        if cls is tuple or cls is list or cls is dict:
            known(value)
        return value == constant if equal else value != constant

    return field


def _read_field(compiler: Any, node: Node, scope: Scope) -> tuple[str, str] | None:
    """(bound name, field) where `node` is `x.field`, a field of the event bound to `x` (`bound_field`)."""
    if not isinstance(node, Attr) or node.name in BUILTINS:
        return None
    subject = node.subject
    if not isinstance(subject, Name) or subject.name not in scope.bindings:
        return None
    subject_type = compiler.type_of(subject, scope)
    if subject_type.kind != "event":
        return None
    infos = [compiler.schema.event_types[t] for t in sorted(subject_type.events)]
    return (subject.name, node.name) if all(node.name in info.fields for info in infos) else None


__all__ = ["BUILTINS", "checked", "bound_field", "bound_attribute", "bound_builtin", "choice_read", "entity_read",
           "compared_field"]
