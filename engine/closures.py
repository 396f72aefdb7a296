"""Expression compiler: type-checks a syntax tree and turns it into a closure.

Stage: after expressions, types and values. Imports those and `dates`.

`compile_expr(node, scope)` returns a `Compiled` (the static type and a
function of one `Ctx`). Nothing is `eval`ed: each syntax node becomes a small
Python closure over the closures of its children. The closure reads events,
attributes (with their history), choices and parameters through the `Ctx`,
and when `ctx.trace` is a list it records every fact it reads there
(`Read`), which is what explanations are made of.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Mapping, Protocol

from . import dates
from . import types as T
from .expressions import (Arith, Attr, BoolOp, Call, Compare, Comprehension, IfThen, ListOf, Literal, Name,
                          Negate, Node, Not, Quantifier)
from .values import Event, Missing, Unknown, show, unknown_of

Fn = Callable[["Ctx"], Any]


class CompileError(ValueError):
    """A type or name error in an expression, at `node`."""

    def __init__(self, message: str, node: Node | None = None):
        super().__init__(message)
        self.node = node


class EvalError(Exception):
    """An expression failed at run time (e.g. `none` compared with a date)."""


@dataclass(frozen=True)
class Read:
    """One fact read while evaluating: what, its value, and the firing that set it."""

    label: str
    value: Any
    source: int | None = None  # index of the firing that set it, if any
    depth: int = 0  # 0 = read by the expression itself; more = inside a definition
    kind: str = "fact"  # fact | choice | parameter | definition | duty
    note: str = ""  # for a duty: why it has its status


class Store(Protocol):
    """What closures need from the evaluation state (see timeline.State)."""

    def attr(self, key: str, name: str, as_of: date | None) -> tuple[Any, int | None]: ...

    def events(self, type_name: str, as_of: date | None) -> list[Event]: ...

    def param(self, name: str, as_of: date | None) -> tuple[Any, int | None]: ...


class Ctx:
    """Everything an expression reads at run time."""

    __slots__ = ("env", "store", "as_of", "choices", "trace", "depth", "now")

    def __init__(self, store: Store, choices: Mapping[str, Any], env: dict | None = None,
                 as_of: date | None = None, now: date | None = None, trace: list | None = None):
        self.env = env if env is not None else {}
        self.store = store
        self.as_of = as_of
        self.choices = choices
        self.trace = trace
        self.depth = 0
        self.now = now

    def child(self, env: dict) -> "Ctx":
        """The same context with other bindings, one level deeper for the trace."""
        sub = Ctx(self.store, self.choices, env, self.as_of, self.now, self.trace)
        sub.depth = self.depth + 1
        return sub


@dataclass(frozen=True)
class Compiled:
    """A compiled expression: its static type and its closure."""

    type: T.Type
    fn: Fn
    constant: Any = field(default=None, compare=False)
    is_constant: bool = False


@dataclass(frozen=True)
class EventTypeInfo:
    """What the type checker knows of an event type."""

    name: str
    fields: Mapping[str, T.Type]
    attributes: Mapping[str, T.Type]


@dataclass(frozen=True)
class DefinitionInfo:
    """A compiled definition: parameter names and types, result type, closure."""

    name: str
    params: tuple[tuple[str, T.Type], ...]
    type: T.Type
    fn: Fn


class Schema(Protocol):
    """The vocabulary an expression may use (implemented by the compiler)."""

    parties: tuple[str, ...]
    event_types: Mapping[str, EventTypeInfo]
    entities: Mapping[str, Mapping[str, T.Type]]
    parameters: Mapping[str, T.Type]
    choices: Mapping[str, T.Type]
    enums: Mapping[str, T.Type]
    definition_names: tuple[str, ...]
    duty_names: tuple[str, ...]

    def definition(self, name: str) -> DefinitionInfo | None: ...


@dataclass(frozen=True)
class Scope:
    """The names visible to one expression, with their types."""

    schema: Schema
    bindings: Mapping[str, T.Type] = field(default_factory=dict)
    today: bool = False  # whether `today` (the date being processed) is available

    def bind(self, **more: T.Type) -> "Scope":
        """This scope with more names bound."""
        return Scope(self.schema, {**self.bindings, **more}, self.today)


EVENT_BUILTINS = {"id": T.TEXT, "type": T.TEXT, "date": T.DATE}
FUNCTIONS = ("is_party", "other", "param", "max", "min", "coalesce", "len", "known", "regular", "triggered",
             "duty_status", "obligations", "breaches", "unknown", "at")
RECORD = T.Type("record")


def suggest(word: str, choices) -> str:
    """`; did you mean 'x'?` for the closest of `choices`, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def compile_expr(node: Node, scope: Scope) -> Compiled:
    """Type-check `node` in `scope` and build its closure; raise CompileError."""
    method = _COMPILERS.get(type(node))
    if method is None:  # pragma: no cover - every node class is listed
        raise CompileError(f"cannot compile {type(node).__name__}", node)
    return method(node, scope)


def _const(value: Any, type_: T.Type) -> Compiled:
    return Compiled(type_, lambda ctx: value, value, True)


def _literal(node: Literal, scope: Scope) -> Compiled:
    value = node.value
    if value is None:
        return _const(None, T.NULL)
    if isinstance(value, bool):
        return _const(value, T.BOOL)
    if isinstance(value, int):
        return _const(value, T.INT)
    if isinstance(value, str):
        return _const(value, T.TEXT)
    if isinstance(value, dates.Duration):
        return _const(value, T.DURATION)
    return _const(value, T.DATE)


def _list(node: ListOf, scope: Scope) -> Compiled:
    items = [compile_expr(item, scope) for item in node.items]
    item_type: T.Type | None = T.ANY if not items else items[0].type
    for item in items[1:]:
        item_type = T.join(item_type, item.type) if item_type else None
        if item_type is None:
            raise CompileError("list items must all have one type", item and node)
    fns = tuple(item.fn for item in items)
    if all(item.is_constant for item in items):
        return _const(tuple(item.constant for item in items), T.list_of(item_type or T.ANY))
    return Compiled(T.list_of(item_type or T.ANY), lambda ctx: tuple(fn(ctx) for fn in fns))


def _record(ctx: Ctx, label: str, value: Any, source: int | None = None, kind: str = "fact",
            note: str = "") -> None:
    ctx.trace.append(Read(label, value, source, ctx.depth, kind, note))


def _name(node: Name, scope: Scope) -> Compiled:
    name = node.name
    schema = scope.schema
    if name in scope.bindings:
        return Compiled(scope.bindings[name], lambda ctx: ctx.env[name])
    if name == "parties":
        return _const(tuple(schema.parties), T.list_of(T.ACTOR))
    if name == "choice":
        return Compiled(T.CHOICES, lambda ctx: None)
    if name in schema.entities:
        key = "$" + name
        return Compiled(T.entity(name), lambda ctx: key)
    if name == "today":
        if not scope.today:
            raise CompileError("`today` is only known inside rules", node)
        return Compiled(T.DATE, lambda ctx: ctx.now)
    if name in schema.enums:
        enum_type = schema.enums[name]
        return _const(tuple(enum_type.values), T.list_of(enum_type))
    if name in schema.event_types:
        type_name = name
        return Compiled(T.list_of(T.event(name)), lambda ctx: tuple(ctx.store.events(type_name, ctx.as_of)))
    definition = schema.definition(name)
    if definition is not None:
        if definition.params:
            raise CompileError(f"{name} needs {len(definition.params)} argument(s): "
                               f"{name}({', '.join(p for p, _ in definition.params)})", node)
        return _call_definition(definition, ())
    known = (set(scope.bindings) | {"parties", "choice", "today"} | set(schema.entities) | set(schema.event_types)
             | set(schema.definition_names))
    raise CompileError(f"unknown name {name!r}{suggest(name, known)}", node)


def _call_definition(definition: DefinitionInfo, args: tuple[Compiled, ...]) -> Compiled:
    body = definition.fn
    names = tuple(p for p, _ in definition.params)
    label = definition.name

    getters = tuple(a.fn for a in args)

    def call(ctx: Ctx) -> Any:
        env = {n: get(ctx) for n, get in zip(names, getters)}
        if ctx.trace is None:  # the fast path: no trace, so no child context is needed
            if not names:
                return _memoized(ctx, label, body)
            saved, ctx.env = ctx.env, env
            try:
                return body(ctx)
            finally:
                ctx.env = saved
        value = body(ctx.child(env))
        shown = label if not names else f"{label}({', '.join(show(env[n]) for n in names)})"
        _record(ctx, shown, value, kind="definition")
        return value

    return Compiled(definition.type, call)


def _memoized(ctx: Ctx, label: str, body: Fn) -> Any:
    """A definition without parameters, computed once per state of the store and day asked about."""
    store = ctx.store
    memo = getattr(store, "memo", None)
    if memo is None:
        return body(ctx)
    key = (label, ctx.as_of)
    hit = memo.get(key)
    if hit is not None and hit[0] == store.version:
        return hit[1]
    value = body(ctx)
    memo[key] = (store.version, value)
    return value


def _attr(node: Attr, scope: Scope) -> Compiled:
    subject = compile_expr(node.subject, scope)
    name = node.name
    schema = scope.schema
    kind = subject.type.kind
    if kind == "choice":
        if name not in schema.choices:
            raise CompileError(f"unknown interpretive choice {name!r}{suggest(name, schema.choices)}", node)

        def read_choice(ctx: Ctx) -> Any:
            value = ctx.choices[name]
            if ctx.trace is not None:
                _record(ctx, name, value, kind="choice")
            return value

        return Compiled(schema.choices[name], read_choice)
    if kind == "entity":
        attributes = schema.entities[subject.type.name]
        if name not in attributes:
            raise CompileError(f"{subject.type.name} has no attribute {name!r}{suggest(name, attributes)}", node)
        key = "$" + subject.type.name
        label = f"{subject.type.name}.{name}"

        def read_entity(ctx: Ctx) -> Any:
            value, source = ctx.store.attr(key, name, ctx.as_of)
            if ctx.trace is not None:
                _record(ctx, label, value, source)
            return value

        return Compiled(attributes[name], read_entity)
    if kind == "event":
        return _event_attr(node, subject, scope)
    raise CompileError(f"a {subject.type} has no fields (.{name})", node)


def _event_attr(node: Attr, subject: Compiled, scope: Scope) -> Compiled:
    name = node.name
    infos = [scope.schema.event_types[t] for t in sorted(subject.type.events)]
    get_subject = subject.fn
    if name in EVENT_BUILTINS:
        result_type = EVENT_BUILTINS[name]

        def read_builtin(ctx: Ctx) -> Any:
            ev = get_subject(ctx)
            if not isinstance(ev, Event):
                return _not_an_event(ev, name)
            value = ev.id if name == "id" else ev.type if name == "type" else ev.date
            if ctx.trace is not None and name == "date":
                _record(ctx, f"{ev.id}.date", value)
            return value

        return Compiled(result_type, read_builtin)
    in_fields = [info.fields.get(name) for info in infos]
    in_attributes = [info.attributes.get(name) for info in infos]
    if all(t is not None for t in in_fields):
        result_type = in_fields[0]

        def read_field(ctx: Ctx) -> Any:
            ev = get_subject(ctx)
            if not isinstance(ev, Event):
                return _not_an_event(ev, name)
            value = ev.fields[name]
            if ctx.trace is not None:
                _record(ctx, f"{ev.id}.{name}", value)
            return value

        return Compiled(result_type, read_field)
    if all(t is not None for t in in_attributes):
        result_type = in_attributes[0]

        def read_attribute(ctx: Ctx) -> Any:
            ev = get_subject(ctx)
            if not isinstance(ev, Event):
                return _not_an_event(ev, name)
            value, source = ctx.store.attr(ev.id, name, ctx.as_of)
            if ctx.trace is not None:
                _record(ctx, f"{ev.id}.{name}", value, source)
            return value

        return Compiled(result_type, read_attribute)
    known = set(EVENT_BUILTINS)
    for info in infos:
        known |= set(info.fields) | set(info.attributes)
    what = " or ".join(info.name for info in infos)
    raise CompileError(f"a {what} event has no field or attribute {name!r}{suggest(name, known)}", node)


def _not_an_event(value: Any, name: str) -> Any:
    if isinstance(value, Unknown):
        return value
    raise EvalError(f"cannot read .{name} of {show(value)}: it is not an event")


def _call(node: Call, scope: Scope) -> Compiled:
    name = node.function
    args = tuple(compile_expr(arg, scope) for arg in node.args)
    definition = scope.schema.definition(name)
    if definition is not None:
        if len(args) != len(definition.params):
            raise CompileError(f"{name} takes {len(definition.params)} argument(s), got {len(args)}", node)
        for (param, expected), arg in zip(definition.params, args):
            if not T.comparable(expected, arg.type):
                raise CompileError(f"argument {param} of {name} must be {expected}, got {arg.type}", node)
        return _call_definition(definition, args)
    builder = _FUNCTIONS.get(name)
    if builder is None:
        known = list(_FUNCTIONS) + list(scope.schema.definition_names)
        raise CompileError(f"unknown function {name!r}{suggest(name, known)}", node)
    return builder(node, args, scope)


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
            _record(ctx, name, value, source, kind="parameter")
        return value

    return Compiled(result_type, param)


def _fn_extreme(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    if len(args) < 2:
        raise CompileError(f"{node.function} takes two or more arguments", node)
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


def _fn_known(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    """known(x): whether x is stated (true for any value but unknown, including none)."""
    _arity(node, args, 1)
    get = args[0].fn
    return Compiled(T.BOOL, lambda ctx: not isinstance(get(ctx), Unknown))


def _fn_regular(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    """regular(dates, interval): no two successive dates (sorted) are more than `interval` apart."""
    _arity(node, args, 2)
    if args[0].type.kind != "list" or (args[0].type.item or T.ANY) not in (T.DATE, T.ANY):
        raise CompileError(f"regular takes a list of dates first, got {args[0].type}", node)
    if args[1].type not in (T.DURATION, T.ANY):
        raise CompileError(f"regular takes a duration second, got {args[1].type}", node)
    get_dates, get_interval = args[0].fn, args[1].fn

    def regular(ctx: Ctx) -> Any:
        days = get_dates(ctx)
        interval = get_interval(ctx)
        if isinstance(days, Unknown) or isinstance(interval, Unknown):
            return unknown_of(days, interval)
        if interval is None:
            raise EvalError("regular() needs an interval, got none")
        if any(isinstance(d, Unknown) for d in days):
            return unknown_of(*days)
        ordered = sorted(d for d in days if d is not None)
        return all(later <= dates.add(earlier, interval) for earlier, later in zip(ordered, ordered[1:]))

    return Compiled(T.BOOL, regular)


def _duty_name(node: Call, arg: Compiled, scope: Scope) -> str:
    if not arg.is_constant or not isinstance(arg.constant, str):
        raise CompileError(f"{node.function} takes a duty name in quotes first", node)
    if arg.constant not in scope.schema.duty_names:
        raise CompileError(f"unknown duty {arg.constant!r}{suggest(arg.constant, scope.schema.duty_names)}", node)
    return arg.constant


def _duty_label(instance: Any) -> str:
    event = instance.event.id if instance.event is not None else "-"
    return f"{instance.duty.paragraph} {instance.bearer} {event}"


def _fn_triggered(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    """triggered('duty', event): whether an instance of the duty arose from the event (three-valued)."""
    from . import duties

    _arity(node, args, 2)
    name = _duty_name(node, args[0], scope)
    get_event = args[1].fn

    def triggered(ctx: Ctx) -> Any:
        event = get_event(ctx)
        values = [i.arose for i in duties.instances_of(ctx.store, name, event)]
        result: Any = False
        if any(v is True for v in values):
            result = True
        elif any(isinstance(v, Unknown) for v in values):
            result = unknown_of(*values)
        if ctx.trace is not None:
            found = duties.instances_of(ctx.store, name, event)
            source = found[0].firing if found else None
            _record(ctx, f"{name} triggered by {show(event)}", result, source, kind="duty")
        return result

    return Compiled(T.BOOL, triggered)


def _fn_duty_status(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    """duty_status('duty', event, on): the status of the duty's instance from the event, on a date."""
    from . import duties

    _arity(node, args, 3)
    name = _duty_name(node, args[0], scope)
    get_event, get_on = args[1].fn, args[2].fn

    def status(ctx: Ctx) -> Any:
        event = get_event(ctx)
        found = duties.instances_of(ctx.store, name, event)
        if not found:
            return "not_triggered"
        judgement = duties.judge(ctx.store, found[0], get_on(ctx))
        if ctx.trace is not None:
            _record(ctx, _duty_label(found[0]), judgement.status, found[0].firing, kind="duty", note=judgement.why)
        return judgement.status

    return Compiled(T.enum("status", duties_statuses()), status)


def duties_statuses() -> tuple[str, ...]:
    """The statuses of a duty instance."""
    from .duties import STATUSES

    return STATUSES


def _fn_obligations(node: Call, args: tuple[Compiled, ...], scope: Scope) -> Compiled:
    """obligations(on) / breaches(on): every listed duty instance (or the violated ones) on a date."""
    from . import duties

    _arity(node, args, 1)
    get_on = args[0].fn
    only_violated = node.function == "breaches"

    def instances(ctx: Ctx) -> Any:
        result = []
        for judgement in duties.listed(ctx.store, get_on(ctx)):
            if only_violated and judgement.status != "violated":
                continue
            if ctx.trace is not None:
                _record(ctx, _duty_label(judgement.instance), judgement.status, judgement.instance.firing,
                        kind="duty", note=judgement.why)
            result.append(judgement.record)
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


_FUNCTIONS = {
    "at": _fn_at,
    "unknown": _fn_unknown,
    "triggered": _fn_triggered, "duty_status": _fn_duty_status, "obligations": _fn_obligations,
    "breaches": _fn_obligations,
    "is_party": _fn_is_party, "other": _fn_other, "param": _fn_param, "max": _fn_extreme,
    "min": _fn_extreme, "coalesce": _fn_coalesce, "len": _fn_len, "known": _fn_known, "regular": _fn_regular,
}


def _truth(value: Any, what: str) -> Any:
    if value is True or value is False or isinstance(value, Unknown):
        return value
    raise EvalError(f"{what} should be true or false, got {show(value)}")


def _require_bool(compiled: Compiled, node: Node) -> None:
    if compiled.type not in (T.BOOL, T.ANY):
        raise CompileError(f"expected a condition (true/false), got {compiled.type}", node)


def _not(node: Not, scope: Scope) -> Compiled:
    operand = compile_expr(node.operand, scope)
    _require_bool(operand, node.operand)
    get = operand.fn

    def negate(ctx: Ctx) -> Any:
        value = _truth(get(ctx), "the operand of not")
        return value if isinstance(value, Unknown) else not value

    return Compiled(T.BOOL, negate)


def _boolop(node: BoolOp, scope: Scope) -> Compiled:
    operands = [compile_expr(operand, scope) for operand in node.operands]
    for operand, source in zip(operands, node.operands):
        _require_bool(operand, source)
    fns = tuple(operand.fn for operand in operands)
    decisive = node.op == "or"  # the value that decides: true for or, false for and

    def kleene(ctx: Ctx) -> Any:
        unknowns = []
        for fn in fns:
            value = _truth(fn(ctx), f"an operand of {node.op}")
            if value is decisive:
                return decisive
            if isinstance(value, Unknown):
                unknowns.append(value)
        return unknown_of(*unknowns) if unknowns else not decisive

    return Compiled(T.BOOL, kleene)


def _compare(node: Compare, scope: Scope) -> Compiled:
    left = compile_expr(node.left, scope)
    right = compile_expr(node.right, scope)
    op = node.op
    if op in ("in", "not in"):
        if right.type.kind != "list" and right.type != T.ANY:
            raise CompileError(f"the right side of `{op}` must be a list, got {right.type}", node.right)
        _check_members(left, right.type.item or T.ANY, node.left)
        _check_members(right, left.type, node.right)
    elif op in ("==", "!="):
        if not T.comparable(left.type, right.type):
            raise CompileError(f"cannot compare {left.type} with {right.type}", node)
        _check_literal(left, right.type, node.left)
        _check_literal(right, left.type, node.right)
    elif not T.orderable(left.type, right.type):
        raise CompileError(f"cannot order {left.type} and {right.type} with {op}", node)
    get_left, get_right = left.fn, right.fn
    compare = _OPS[op]
    if op in ("==", "!="):
        return Compiled(T.BOOL, _equality(get_left, right, op == "=="))

    def comparison(ctx: Ctx) -> Any:
        a = get_left(ctx)
        b = get_right(ctx)
        if isinstance(a, Unknown) or isinstance(b, Unknown):
            return unknown_of(a, b)
        if op in ("in", "not in"):
            if b is None:
                raise EvalError(f"`{op}` needs a list on its right, got none")
            if any(isinstance(item, Unknown) for item in b) and a not in b:
                return unknown_of(*b)
        elif op not in ("==", "!=") and (a is None or b is None):
            raise EvalError(f"cannot compare {show(a)} {op} {show(b)}: a value is none")
        try:
            return compare(a, b)
        except (TypeError, dates.DateError) as error:
            raise EvalError(f"cannot compare {show(a)} {op} {show(b)}: {error}") from None

    return Compiled(T.BOOL, comparison)


def _equality(get_left: Fn, right: Compiled, equal: bool) -> Fn:
    """`==` / `!=`, specialised for a constant right side (the common case)."""
    if right.is_constant:
        constant = right.constant

        def against_constant(ctx: Ctx) -> Any:
            a = get_left(ctx)
            if a.__class__ is Unknown:
                return a
            return (a == constant) if equal else (a != constant)

        return against_constant
    get_right = right.fn

    def between(ctx: Ctx) -> Any:
        a = get_left(ctx)
        b = get_right(ctx)
        if a.__class__ is Unknown or b.__class__ is Unknown:
            return unknown_of(a, b)
        return (a == b) if equal else (a != b)

    return between


def _check_members(compiled: Compiled, expected: T.Type, node: Node) -> None:
    if compiled.is_constant and expected.kind == "enum":
        values = compiled.constant if isinstance(compiled.constant, tuple) else (compiled.constant,)
        for value in values:
            if isinstance(value, str) and value not in expected.values:
                raise CompileError(f"{value!r} is not a {expected}{suggest(value, expected.values)}", node)
    elif compiled.type.kind == "list" and not T.comparable(compiled.type.item or T.ANY, expected):
        raise CompileError(f"cannot look for a {expected} among {compiled.type}", node)
    elif compiled.type.kind != "list" and not T.comparable(compiled.type, expected):
        raise CompileError(f"cannot look for a {compiled.type} among {expected} values", node)


def _check_literal(compiled: Compiled, other: T.Type, node: Node) -> None:
    if compiled.is_constant and isinstance(compiled.constant, str) and other.kind == "enum":
        if compiled.constant not in other.values:
            raise CompileError(f"{compiled.constant!r} is not a {other}{suggest(compiled.constant, other.values)}",
                               node)


_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
    "in": lambda a, b: a in b, "not in": lambda a, b: a not in b,
}


def _arith(node: Arith, scope: Scope) -> Compiled:
    left = compile_expr(node.left, scope)
    right = compile_expr(node.right, scope)
    kinds = (left.type.kind, right.type.kind)
    op = node.op
    if kinds == ("date", "duration"):
        step = dates.add if op == "+" else dates.subtract
        result_type = T.DATE
    elif kinds == ("int", "int"):
        step = (lambda a, b: a + b) if op == "+" else (lambda a, b: a - b)
        result_type = T.INT
    elif kinds == ("date", "date") and op == "-":
        step = lambda a, b: (a - b).days  # noqa: E731 - a day count
        result_type = T.INT
    elif T.textlike(left.type) and T.textlike(right.type) and op == "+":
        step = lambda a, b: a + b  # noqa: E731 - text joined
        result_type = T.TEXT
    elif kinds == ("list", "list") and op == "+":
        joined = T.join(left.type, right.type)
        if joined is None:
            raise CompileError(f"cannot join {left.type} and {right.type}", node)
        step = lambda a, b: tuple(a) + tuple(b)  # noqa: E731
        result_type = joined
    else:
        raise CompileError(f"cannot compute {left.type} {op} {right.type}"
                           + ("; add a duration to a date, e.g. event.date + 1 day" if "date" in kinds else ""),
                           node)
    get_left, get_right = left.fn, right.fn

    def arithmetic(ctx: Ctx) -> Any:
        a = get_left(ctx)
        b = get_right(ctx)
        if isinstance(a, Unknown) or isinstance(b, Unknown):
            return unknown_of(a, b)
        if a is None or b is None:
            raise EvalError(f"cannot compute {show(a)} {op} {show(b)}: a value is none")
        try:
            return step(a, b)
        except dates.DateError as error:
            raise EvalError(str(error)) from None

    return Compiled(result_type, arithmetic)


def _negate(node: Negate, scope: Scope) -> Compiled:
    operand = compile_expr(node.operand, scope)
    if operand.type != T.INT:
        raise CompileError(f"cannot negate {operand.type}", node)
    get = operand.fn
    return Compiled(T.INT, lambda ctx: (lambda v: v if isinstance(v, Unknown) else -v)(get(ctx)))


def _if(node: IfThen, scope: Scope) -> Compiled:
    cond = compile_expr(node.cond, scope)
    _require_bool(cond, node.cond)
    then = compile_expr(node.then, scope)
    other = compile_expr(node.other, scope)
    result_type = T.join(then.type, other.type)
    if result_type is None:
        raise CompileError(f"the two branches differ in type: {then.type} and {other.type}", node)
    get_cond, get_then, get_other = cond.fn, then.fn, other.fn

    def choose(ctx: Ctx) -> Any:
        value = _truth(get_cond(ctx), "the condition of if")
        if isinstance(value, Unknown):
            return value
        return get_then(ctx) if value else get_other(ctx)

    return Compiled(result_type, choose)


def _loop_context(ctx: Ctx) -> tuple[dict, Ctx]:
    """A context for the body of a loop: the same bindings, plus the loop variable set in `env`."""
    env = dict(ctx.env)
    inner = Ctx(ctx.store, ctx.choices, env, ctx.as_of, ctx.now, ctx.trace)
    inner.depth = ctx.depth
    return env, inner


def _loop_scope(node: Quantifier | Comprehension, scope: Scope, form: str) -> tuple[Compiled, Scope]:
    """The compiled collection of a loop and the scope its body sees (with the loop variable)."""
    collection = compile_expr(node.collection, scope)
    if collection.type.kind != "list":
        raise CompileError(f"{form} ranges over a list or an event type, got {collection.type}", node.collection)
    if node.var in scope.bindings:
        raise CompileError(f"{node.var!r} is already bound here; choose another name", node)
    return collection, scope.bind(**{node.var: collection.type.item or T.ANY})


def _quantifier(node: Quantifier, scope: Scope) -> Compiled:
    collection, inner_scope = _loop_scope(node, scope, f"{node.kind}(… for x in …)")
    body = compile_expr(node.body, inner_scope)
    _require_bool(body, node.body)
    get_items, get_body, var, kind = collection.fn, body.fn, node.var, node.kind

    def quantify(ctx: Ctx) -> Any:
        items = get_items(ctx)
        if isinstance(items, Unknown):
            return items
        env, inner = _loop_context(ctx)
        unknowns = []
        count = 0
        for item in items:
            env[var] = item
            value = _truth(get_body(inner), f"the condition of {kind}")
            if isinstance(value, Unknown):
                unknowns.append(value)
            elif value:
                count += 1
                if kind == "any":
                    return True
            elif kind == "all":
                return False
        if unknowns:
            return unknown_of(*unknowns)
        return {"any": False, "all": True, "count": count}[kind]

    return Compiled(T.INT if kind == "count" else T.BOOL, quantify)


def _comprehension(node: Comprehension, scope: Scope) -> Compiled:
    collection, inner_scope = _loop_scope(node, scope, "[… for x in …]")
    item = compile_expr(node.item, inner_scope)
    cond = compile_expr(node.cond, inner_scope) if node.cond is not None else None
    if cond is not None:
        _require_bool(cond, node.cond)
    get_items, get_item, var = collection.fn, item.fn, node.var
    get_cond = cond.fn if cond is not None else None

    def build(ctx: Ctx) -> Any:
        items = get_items(ctx)
        if isinstance(items, Unknown):
            return items
        env, inner = _loop_context(ctx)
        result = []
        unknowns = []
        for value in items:
            env[var] = value
            if get_cond is not None:
                keep = _truth(get_cond(inner), "the condition of a list")
                if isinstance(keep, Unknown):
                    unknowns.append(keep)
                    continue
                if not keep:
                    continue
            result.append(get_item(inner))
        return unknown_of(*unknowns) if unknowns else tuple(result)

    return Compiled(T.list_of(item.type), build)


_COMPILERS: dict[type, Callable[[Any, Scope], Compiled]] = {
    Literal: _literal, ListOf: _list, Name: _name, Attr: _attr, Call: _call, Not: _not,
    BoolOp: _boolop, Compare: _compare, Arith: _arith, Negate: _negate, IfThen: _if,
    Quantifier: _quantifier, Comprehension: _comprehension,
}


def missing_field(event_id: str, name: str, ask: str = "") -> Unknown:
    """The `unknown` held by a field the scenario does not give."""
    return Unknown(frozenset({Missing(event_id, name, ask)}))
