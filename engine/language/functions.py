"""The built-in functions of the clause language, type-checked and compiled.

Stage: the clause language. Imports `context`, `types`, `ruleset` (the duty
statuses), `values` and `dates`.

`FUNCTIONS` maps each name to a builder: given the call's node, its compiled
arguments and the scope, it checks the arguments and returns the `Compiled`
call. The duty functions (`triggered`, `duty_status`, `obligations`,
`breaches`) read duty instances through the `Store`, so the language does not
depend on how evaluation judges them.
"""

from __future__ import annotations

from typing import Any

from .. import dates
from ..errors import suggest
from ..values import Event, Missing, Unknown, show, unknown_of
from . import types as T
from .context import Compiled, CompileError, Ctx, EvalError, Scope, record
from .expressions import Call
from .ruleset import DUTY_STATUSES

RECORD = T.Type("record")


def _arity(node: Call, args: tuple, count: int) -> None:
    if len(args) != count:
        raise CompileError(f"{node.function} takes {count} argument(s), got {len(args)}", node)


def _fn_is_party(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    _arity(node, args, 1)
    if not T.textlike(args[0].type) and args[0].type != T.ANY:
        raise CompileError(f"is_party takes an actor, got {args[0].type}", node)
    parties = frozenset(scope.schema.parties)
    get = args[0].fn

    def is_party(ctx: Ctx) -> Any:
        value = get(ctx)
        if isinstance(value, Unknown):
            return value
        return value in parties

    return Compiled(T.BOOL, is_party)


def _fn_other(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    _arity(node, args, 1)
    parties = tuple(scope.schema.parties)
    if len(parties) != 2:
        raise CompileError("other() needs an agreement between exactly two parties", node)
    swap = {parties[0]: parties[1], parties[1]: parties[0]}
    get = args[0].fn

    def other(ctx: Ctx) -> Any:
        value = get(ctx)
        if isinstance(value, Unknown):
            return value
        return swap.get(value)

    return Compiled(T.ACTOR, other)


def _fn_param(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    _arity(node, args, 1)
    parameters = scope.schema.parameters
    arg = args[0]
    if arg.is_constant:
        name = arg.constant
        if name not in parameters:
            raise CompileError(f"unknown parameter {name!r}{suggest(str(name), parameters)}", node)
        result_type = parameters[name]
    elif arg.type.kind == "enum" and set(arg.type.values) <= set(parameters):
        result_type = T.ANY
    else:
        raise CompileError("param() takes the name of a parameter in quotes, e.g. param('"
                           + (sorted(parameters)[0] if parameters else "name") + "')", node)
    get = arg.fn

    def param(ctx: Ctx) -> Any:
        name = get(ctx)
        value, source = ctx.store.param(name, ctx.as_of)
        if ctx.trace is not None:
            record(ctx, name, value, source, kind="parameter", name=name)
        return value

    return Compiled(result_type, param)


def _fn_extreme(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    """max(a, b, …) / min(a, b, …), or max(list) / min(list): nones are left out; none when nothing is left."""
    if len(args) == 1 and args[0].type.kind == "list":
        return _extreme_of_list(node, args[0])
    if len(args) < 2:
        raise CompileError(f"{node.function} takes a list, or two or more arguments", node)
    result_type = args[0].type
    for arg in args[1:]:
        if not T.orderable(result_type, arg.type) and T.NULL not in (result_type, arg.type):
            raise CompileError(f"{node.function} cannot compare {result_type} with {arg.type}", node)
        result_type = T.join(result_type, arg.type) or result_type
    fns = tuple(arg.fn for arg in args)
    pick = max if node.function == "max" else min

    def extreme(ctx: Ctx) -> Any:
        values = [fn(ctx) for fn in fns]
        if any(isinstance(v, Unknown) for v in values):
            return unknown_of(*values)
        present = [v for v in values if v is not None]
        return pick(present) if present else None

    return Compiled(result_type, extreme)


def _extreme_of_list(node: Call, items: Compiled) -> Compiled:
    """max(list) / min(list): the latest (or earliest) date, or the largest (or smallest) number, of a list."""
    item_type = items.type.item or T.ANY
    if not T.orderable(item_type, item_type) and item_type != T.ANY:
        raise CompileError(f"{node.function} cannot compare the items of {items.type}", node)
    get = items.fn
    pick = max if node.function == "max" else min

    def extreme(ctx: Ctx) -> Any:
        values = get(ctx)
        if isinstance(values, Unknown):
            return values
        if any(isinstance(v, Unknown) for v in values):
            return unknown_of(*values)
        present = [v for v in values if v is not None]
        return pick(present) if present else None

    return Compiled(item_type, extreme)


def _fn_coalesce(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    if not args:
        raise CompileError("coalesce takes one or more arguments", node)
    result_type: T.Type | None = args[0].type
    for arg in args[1:]:
        result_type = T.join(result_type, arg.type) if result_type else None
    if result_type is None:
        raise CompileError("coalesce arguments must have one type", node)
    fns = tuple(arg.fn for arg in args)

    def coalesce(ctx: Ctx) -> Any:
        for fn in fns:
            value = fn(ctx)
            if value is not None:
                return value
        return None

    return Compiled(result_type, coalesce)


def _fn_len(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    _arity(node, args, 1)
    if args[0].type.kind != "list":
        raise CompileError(f"len takes a list, got {args[0].type}", node)
    get = args[0].fn

    def length(ctx: Ctx) -> Any:
        value = get(ctx)
        return value if isinstance(value, Unknown) else len(value)

    return Compiled(T.INT, length)


def _fn_first(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    """first(list) / last(list): the list's first (last) item, or null for an empty list."""
    _arity(node, args, 1)
    if args[0].type.kind != "list":
        raise CompileError(f"{node.function} takes a list, got {args[0].type}", node)
    get = args[0].fn
    at = 0 if node.function == "first" else -1

    def first(ctx: Ctx) -> Any:
        value = get(ctx)
        if isinstance(value, Unknown):
            return value
        return value[at] if value else None

    return Compiled(args[0].type.item or T.ANY, first)


def _fn_known(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    """known(x): whether x is stated (true for any value but unknown, including none)."""
    _arity(node, args, 1)
    get = args[0].fn
    return Compiled(T.BOOL, lambda ctx: not isinstance(get(ctx), Unknown))


def _fn_words(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    """words(x): x as a sentence says it (a date, a duration, an event's name, an enum value's words), as text to
    join with other text: `'… after ' + words(scheduled_end - 1 day)`."""
    from .wording import say

    _arity(node, args, 1)
    get, type_ = args[0].fn, args[0].type

    def worded(ctx: Ctx) -> Any:
        value = get(ctx)
        return value if isinstance(value, Unknown) else say(value, type_)

    return Compiled(T.TEXT, worded)


def _fn_gap(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    """gap(dates, interval): the first two successive dates (sorted) more than `interval` apart, as a list of two
    dates; an empty list when there is none (then `regular(dates, interval)` holds)."""
    return Compiled(T.list_of(T.DATE), _first_gap(node, args))


def _fn_regular(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    """regular(dates, interval): no two successive dates (sorted) are more than `interval` apart."""
    first_gap = _first_gap(node, args)

    def regular(ctx: Ctx) -> Any:
        found = first_gap(ctx)
        return found if isinstance(found, Unknown) else not found

    return Compiled(T.BOOL, regular)


def _first_gap(node: Call, args: tuple[Compiled, ...]) -> Any:
    """For gap() and regular(): a closure giving the first two successive dates more than the interval apart."""
    _arity(node, args, 2)
    if args[0].type.kind != "list" or (args[0].type.item or T.ANY) not in (T.DATE, T.ANY):
        raise CompileError(f"{node.function} takes a list of dates first, got {args[0].type}", node)
    if args[1].type not in (T.DURATION, T.ANY):
        raise CompileError(f"{node.function} takes a duration second, got {args[1].type}", node)
    get_dates, get_interval = args[0].fn, args[1].fn
    name = node.function

    def first_gap(ctx: Ctx) -> Any:
        days = get_dates(ctx)
        interval = get_interval(ctx)
        if isinstance(days, Unknown) or isinstance(interval, Unknown):
            return unknown_of(days, interval)
        if interval is None:
            raise EvalError(f"{name}() needs an interval, got none")
        if any(isinstance(d, Unknown) for d in days):
            return unknown_of(*days)
        ordered = sorted(d for d in days if d is not None)
        for earlier, later in zip(ordered, ordered[1:]):
            if later > dates.add(earlier, interval):
                return (earlier, later)
        return ()

    return first_gap


def _duty_name(node: Call, arg: Compiled, scope: Scope) -> str:
    if not arg.is_constant or not isinstance(arg.constant, str):
        raise CompileError(f"{node.function} takes a duty name in quotes first", node)
    if arg.constant not in scope.schema.duty_names:
        raise CompileError(f"unknown duty {arg.constant!r}{suggest(arg.constant, scope.schema.duty_names)}", node)
    return arg.constant


def _duty_label(instance: Any) -> str:
    event = instance.event.id if instance.event is not None else "-"
    return f"{instance.duty.paragraph} {instance.bearer} {event}"


def _choices_read(ctx: Ctx, judgement: Any) -> None:
    """Note the interpretive choices a duty's judgement read, as reads of the expression that judged it."""
    for name, value in getattr(judgement, "choices", ()):
        record(ctx, name, value, kind="choice", name=name)


def _act(judgement: Any) -> tuple:
    """The act that settled a duty instance, for the explanation (`(("act", id),)`), if one did."""
    act = getattr(judgement, "act", None)
    return (("act", act.id),) if act is not None else ()


def _fn_triggered(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    """triggered('duty', event): whether an instance of the duty arose from the event (three-valued)."""
    _arity(node, args, 2)
    name = _duty_name(node, args[0], scope)
    get_event = args[1].fn

    def triggered(ctx: Ctx) -> Any:
        event = get_event(ctx)
        values = [i.arose for i in ctx.store.duty_instances(name, event)]
        result: Any = False
        if any(v is True for v in values):
            result = True
        elif any(isinstance(v, Unknown) for v in values):
            result = unknown_of(*values)
        if ctx.trace is not None:
            found = ctx.store.duty_instances(name, event)
            source = found[0].firing if found else None
            record(ctx, f"{name} triggered by {show(event)}", result, source, kind="duty", name=name,
                   owner=event.id if isinstance(event, Event) else "",
                   args=tuple(("bearer", instance.bearer) for instance in found[:1]))
        return result

    return Compiled(T.BOOL, triggered)


BOTH_OWE = ("violated", "unknown", "active", "lapsed", "excused", "fulfilled", "not_triggered")
"""Where several bearers owe the duty from one event, their statuses combine into the first of these any of
them has: it is fulfilled only when each bearer's instance is, violated when any is."""


def _fn_duty_status(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    """duty_status('duty', event, on[, bearer]): the status of the duty's instance from the event, on a date.

    A duty both parties owe has an instance per bearer: without `bearer` (or with `null`), their statuses
    combine (`BOTH_OWE`), and the explanation reads each bearer's.
    """
    if len(args) != 4:
        _arity(node, args, 3)
    name = _duty_name(node, args[0], scope)
    get_event, get_on = args[1].fn, args[2].fn
    get_bearer = args[3].fn if len(args) == 4 else None
    if len(args) == 4 and not T.textlike(args[3].type) and args[3].type not in (T.ANY, T.NULL):
        raise CompileError(f"duty_status takes a bearer (an actor) as its fourth argument, got {args[3].type}", node)

    def status(ctx: Ctx) -> Any:
        event = get_event(ctx)
        found = ctx.store.duty_instances(name, event)
        if get_bearer is not None:
            bearer = get_bearer(ctx)
            if bearer is not None:
                found = [instance for instance in found if instance.bearer == bearer]
        if not found:
            return "not_triggered"
        on = get_on(ctx)
        statuses = []
        for instance in found:
            judgement = ctx.store.judge(instance, on, ctx.trace is not None)
            statuses.append(judgement.status)
            if ctx.trace is not None:
                _choices_read(ctx, judgement)
                record(ctx, _duty_label(instance), judgement.status, instance.firing, kind="duty",
                       note=judgement.why, name=name, owner=event.id if isinstance(event, Event) else "",
                       args=_act(judgement) + (("bearer", instance.bearer),))
        if len(statuses) == 1:
            return statuses[0]
        return min(statuses, key=lambda s: BOTH_OWE.index("unknown" if isinstance(s, Unknown) else s))

    return Compiled(T.enum("status", DUTY_STATUSES), status)


def _fn_obligations(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    """obligations(on) / breaches(on): every listed duty instance (or the violated ones) on a date."""
    _arity(node, args, 1)
    get_on = args[0].fn
    only_violated = node.function == "breaches"

    def instances(ctx: Ctx) -> Any:
        result = []
        for judgement in ctx.store.listed(get_on(ctx), ctx.trace is not None):
            breached = judgement.status == "violated"
            if only_violated and not breached and ctx.trace is None:
                continue
            if ctx.trace is not None:
                _choices_read(ctx, judgement)
                instance = judgement.instance
                record(ctx, _duty_label(instance), judgement.status, instance.firing, kind="duty", note=judgement.why,
                       name=instance.duty.id, owner=instance.event.id if instance.event is not None else "",
                       args=_act(judgement) + (("bearer", instance.bearer),))
                if only_violated and not breached:
                    continue  # not a breach, but read: the explanation says where the other duties stand
            result.append(judgement.record)
        if ctx.trace is not None:  # no duty arose from these triggers: read, so the explanation can say why
            for judgement in ctx.store.not_arisen(get_on(ctx)):
                instance = judgement.instance
                record(ctx, _duty_label(instance), judgement.status, instance.firing, kind="duty", note=judgement.why,
                       name=instance.duty.id, owner=instance.event.id if instance.event is not None else "",
                       args=(("bearer", instance.bearer),))
        return tuple(result)

    return Compiled(T.list_of(RECORD), instances)


def _fn_unknown(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    """unknown('what to state'): the value unknown, naming the fact that would decide it."""
    _arity(node, args, 1)
    if not T.textlike(args[0].type):
        raise CompileError("unknown() takes the fact to state, as text", node)
    get = args[0].fn

    def make(ctx: Ctx) -> Any:
        text = get(ctx)
        if isinstance(text, Unknown):
            return text
        return Unknown(frozenset({Missing("question", "", text)}))

    return Compiled(T.ANY, make)


def _fn_at(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    """at(day, expr): `expr` as it stood at the end of `day` (facts and events up to that day)."""
    _arity(node, args, 2)
    if args[0].type not in (T.DATE, T.ANY):
        raise CompileError(f"at() takes a date first, got {args[0].type}", node)
    get_day, get_value = args[0].fn, args[1].fn

    def at(ctx: Ctx) -> Any:
        day = get_day(ctx)
        if isinstance(day, Unknown):
            return day
        if day is None:
            raise EvalError("at() needs a date, got none")
        saved, ctx.as_of = ctx.as_of, day
        try:
            return get_value(ctx)
        finally:
            ctx.as_of = saved

    return Compiled(args[1].type, at)


FUNCTIONS = {
    "at": _fn_at,
    "unknown": _fn_unknown,
    "triggered": _fn_triggered, "duty_status": _fn_duty_status, "obligations": _fn_obligations,
    "breaches": _fn_obligations,
    "is_party": _fn_is_party, "other": _fn_other, "param": _fn_param, "max": _fn_extreme,
    "min": _fn_extreme, "coalesce": _fn_coalesce, "len": _fn_len, "first": _fn_first, "last": _fn_first, "gap": _fn_gap, "known": _fn_known, "regular": _fn_regular,
    "words": _fn_words,
}

