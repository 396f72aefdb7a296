"""Expression compiler: type-checks a syntax tree and turns it into a closure.

Stage: the clause language. Imports `context`, `functions`, `operators`,
`expressions`, `types`, `values` and `dates`.

`compile_expr(node, scope)` returns a `Compiled` (the static type and a
function of one `Ctx`). Nothing is `eval`ed: each syntax node becomes a small
Python closure over the closures of its children. The closure reads events,
attributes (with their history), choices and parameters through the `Ctx`,
and when `ctx.trace` is a list it records every fact it reads there
(`Read`), which is what explanations are made of. This module walks the
tree and its scopes (names, attributes, definitions); the operators' types and
semantics are in `operators`, the built-in functions in `functions`.
"""

from __future__ import annotations

from typing import Any, Callable

from .. import dates
from ..errors import suggest
from ..values import Event, Unknown, show
from . import types as T
from .context import (Compiled, CompileError, Ctx, DefinitionInfo, EvalError, Fn, Read, Scope, at_depth, constant,
                      record)
from .expressions import (Arith, Attr, BoolOp, Call, Compare, Comprehension, IfThen, ListOf, Literal, Name,
                          Negate, Node, Not, Quantifier)
from .functions import FUNCTIONS
from .operators import (arithmetic, comparison, comprehension, conditional, kleene, negation, negative,
                        quantifier)

EVENT_BUILTINS = {"id": T.TEXT, "type": T.TEXT, "date": T.DATE, "position": T.INT}
"""What every event has; `position` is its place in the scenario file (events the clauses imply come first)."""


def compile_expr(node: Node, scope: Scope) -> Compiled:
    """Type-check `node` in `scope` and build its closure; raise CompileError."""
    method = _COMPILERS.get(type(node))
    if method is None:  # pragma: no cover - every node class is listed
        raise CompileError(f"cannot compile {type(node).__name__}", node)
    return method(node, scope)


def _literal(node: Literal, scope: Scope) -> Compiled:
    value = node.value
    if value is None:
        return constant(None, T.NULL)
    if isinstance(value, bool):
        return constant(value, T.BOOL)
    if isinstance(value, int):
        return constant(value, T.INT)
    if isinstance(value, str):
        return constant(value, T.TEXT)
    if isinstance(value, dates.Duration):
        return constant(value, T.DURATION)
    return constant(value, T.DATE)


def _list(node: ListOf, scope: Scope) -> Compiled:
    items = [compile_expr(item, scope) for item in node.items]
    item_type: T.Type | None = T.ANY if not items else items[0].type
    for item in items[1:]:
        item_type = T.join(item_type, item.type) if item_type else None
        if item_type is None:
            raise CompileError("list items must all have one type", item and node)
    fns = tuple(item.fn for item in items)
    if all(item.is_constant for item in items):
        return constant(tuple(item.constant for item in items), T.list_of(item_type or T.ANY))
    return Compiled(T.list_of(item_type or T.ANY), lambda ctx: tuple(fn(ctx) for fn in fns))



def _name(node: Name, scope: Scope) -> Compiled:
    name = node.name
    schema = scope.schema
    if name in scope.bindings:
        return Compiled(scope.bindings[name], lambda ctx: ctx.env[name], bound=name)
    if name == "parties":
        return constant(tuple(schema.parties), T.list_of(T.ACTOR))
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
        return constant(tuple(enum_type.values), T.list_of(enum_type))
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
    """A use of a definition: its body, computed once per state, day and arguments (see `_memoized`)."""
    body = definition.fn
    names = tuple(p for p, _ in definition.params)
    label = definition.name

    getters = tuple(a.fn for a in args)

    def call(ctx: Ctx) -> Any:
        values = tuple(get(ctx) for get in getters)
        if ctx.trace is None:  # the fast path: no trace, so no child context is needed
            return _memoized(ctx, label, names, values, body)
        env = dict(zip(names, values))
        value, parts, entry = _memoized_traced(ctx, label, env, values, body)
        if entry is not None and entry[3] is not None and entry[3].parts is parts:
            ctx.trace.append(entry[3])  # the read of the last use at this depth, which this one would make again
            return value
        shown = label if not names else f"{label}({', '.join(show(env[n]) for n in names)})"
        record(ctx, shown, value, kind="definition", name=label, parts=parts, args=tuple(env.items()))
        if entry is not None:
            entry[3] = ctx.trace[-1]
        return value

    return Compiled(definition.type, call)


def _memo_key(label: str, as_of: Any, values: tuple, traced: bool) -> tuple | None:
    """The memo key of one use of a definition, or None when an argument cannot be a key.

    `unknown` is keyed by the facts it is missing (all unknowns are equal as
    values), and every value by its type too (True and 1 are different answers).
    """
    try:
        return (label, as_of, traced, tuple(_frozen(value) for value in values))
    except TypeError:  # an unhashable argument (a mapping of changes): computed each time
        return None


def _frozen(value: Any) -> Any:
    """A value as part of a memo key (TypeError if it cannot be one).

    At module level, not inside `_memo_key`: a recursive inner function is a
    reference cycle, and one made per use of a definition left the garbage
    collector thousands of cycles a replay (4,000 for 1,000 meetings).
    """
    if value.__class__ is Unknown:
        return (Unknown, value.missing)
    if isinstance(value, tuple):
        return (tuple, tuple(_frozen(item) for item in value))
    hash(value)
    return (value.__class__, value)


def _memoized(ctx: Ctx, label: str, names: tuple, values: tuple, body: Fn) -> Any:
    """A definition's value, computed once per state of the store, day asked about and arguments.

    Definitions read only their arguments, facts (which the store's version
    covers), choices and parameters (fixed for one replay), so one value per
    key is exact; and nested definitions that use each other several times
    stay polynomial instead of exponential.
    """
    store = ctx.store
    memo = getattr(store, "memo", None)
    key = _memo_key(label, ctx.as_of, values, False) if memo is not None else None
    if key is not None:
        hit = memo.get(key)
        if hit is not None and hit[0] == store.version:
            return hit[1]
    if names:
        saved, ctx.env = ctx.env, dict(zip(names, values))
        try:
            value = body(ctx)
        finally:
            ctx.env = saved
    else:
        value = body(ctx)
    if key is not None:
        memo[key] = (store.version, value)
    return value


def _memoized_traced(ctx: Ctx, label: str, env: dict, values: tuple,
                     body: Fn) -> tuple[Any, tuple[Read, ...], list | None]:
    """`_memoized` when reads are recorded: the reads inside the definition are kept with its value,
    and returned with it (the definition's read holds them as its `parts`), with the memo's entry (None
    where there is none): `[value, reads, the depth they were given for, the definition's read then]`.

    They are recorded once each (a read repeated inside one use adds nothing
    to an explanation, which looks at which facts and firings were read, not
    how often), and replayed on a later use at that use's depth.
    """
    store = ctx.store
    memo = getattr(store, "memo", None)
    # the day the reads are made for is part of what they say ("the MoU was in force on …")
    key = _memo_key(label, (ctx.as_of, ctx.now), values, True) if memo is not None else None
    trace = ctx.trace
    shift = ctx.depth + 1
    if key is not None:
        hit = memo.get(key)
        if hit is not None and hit[0] == store.version:
            entry = hit[1]
            value, reads, given_for, _ = entry
            if given_for != shift:  # reads are immutable: the same ones serve every use at the same depth
                reads = entry[1] = tuple(at_depth(r, r.depth - given_for + shift) for r in reads)
                entry[2] = shift
            trace.extend(reads)
            return value, reads, entry
    start = len(trace)
    value = body(ctx.child(env))
    inner = trace[start:]
    del trace[start:]
    reads = tuple(_once(inner))
    trace.extend(reads)
    entry = None
    if key is not None:
        entry = [value, reads, shift, None]
        memo[key] = (store.version, entry)
    return value, reads, entry


def _once(reads: list[Read]) -> list[Read]:
    """`reads` without repeats, in first-read order."""
    seen: set = set()
    result = []
    for read in reads:
        try:
            key = (read.label, read.source, read.depth, read.kind, read.note, _memo_key("", None, (read.value,), False))
        except TypeError:  # pragma: no cover - _memo_key returns None rather than raising
            key = None
        if key is None or key[-1] is None:
            result.append(read)
            continue
        if key not in seen:
            seen.add(key)
            result.append(read)
    return result


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
                record(ctx, name, value, kind="choice", name=name)
            return value

        return Compiled(schema.choices[name], read_choice)
    if kind == "entity":
        attributes = schema.entities[subject.type.name]
        if name not in attributes:
            raise CompileError(f"{subject.type.name} has no attribute {name!r}{suggest(name, attributes)}", node)
        entity = subject.type.name
        key = "$" + entity
        label = f"{entity}.{name}"

        def read_entity(ctx: Ctx) -> Any:
            value, source = ctx.store.attr(key, name, ctx.as_of)
            if ctx.trace is not None:
                record(ctx, label, value, source, kind="state", owner=entity, name=name)
            return value

        return Compiled(attributes[name], read_entity)
    if kind == "event":
        return _event_attr(node, subject, scope)
    raise CompileError(f"a {subject.type} has no fields (.{name})", node)


def _event_attr(node: Attr, subject: Compiled, scope: Scope) -> Compiled:
    name = node.name
    infos = [scope.schema.event_types[t] for t in sorted(subject.type.events)]
    get_subject = subject.fn
    bound = subject.bound  # `event.x`, `n.x`: the event is read from the bindings directly, without a call
    if name in EVENT_BUILTINS:
        result_type = EVENT_BUILTINS[name]

        def read_builtin(ctx: Ctx) -> Any:
            ev = ctx.env[bound] if bound else get_subject(ctx)
            if not isinstance(ev, Event):
                return _not_an_event(ev, name)
            value = ev.id if name == "id" else ev.type if name == "type" else ev.index if name == "position" \
                else ev.date
            if ctx.trace is not None and name == "date":
                record(ctx, f"{ev.id}.date", value, owner=ev.id, name="date")
            return value

        return Compiled(result_type, read_builtin)
    in_fields = [info.fields.get(name) for info in infos]
    in_attributes = [info.attributes.get(name) for info in infos]
    if all(t is not None for t in in_fields):
        result_type = in_fields[0]

        def read_field(ctx: Ctx) -> Any:
            ev = ctx.env[bound] if bound else get_subject(ctx)
            if not isinstance(ev, Event):
                return _not_an_event(ev, name)
            value = ev.fields[name]
            if ctx.trace is not None:
                record(ctx, f"{ev.id}.{name}", value, owner=ev.id, name=name)
            return value

        return Compiled(result_type, read_field)
    if all(t is not None for t in in_attributes):
        result_type = in_attributes[0]

        def read_attribute(ctx: Ctx) -> Any:
            ev = ctx.env[bound] if bound else get_subject(ctx)
            if not isinstance(ev, Event):
                return _not_an_event(ev, name)
            value, source = ctx.store.attr(ev.id, name, ctx.as_of)
            if ctx.trace is not None:
                record(ctx, f"{ev.id}.{name}", value, source, kind="attribute", owner=ev.id, name=name)
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
    builder = FUNCTIONS.get(name)
    if builder is None:
        known = list(FUNCTIONS) + list(scope.schema.definition_names)
        raise CompileError(f"unknown function {name!r}{suggest(name, known)}", node)
    return builder(node, args, scope)



def _not(node: Not, scope: Scope) -> Compiled:
    return negation(compile_expr(node.operand, scope), node.operand)


def _boolop(node: BoolOp, scope: Scope) -> Compiled:
    return kleene(node.op, [compile_expr(operand, scope) for operand in node.operands], node.operands)


def _compare(node: Compare, scope: Scope) -> Compiled:
    return comparison(node, compile_expr(node.left, scope), compile_expr(node.right, scope))


def _arith(node: Arith, scope: Scope) -> Compiled:
    return arithmetic(node, compile_expr(node.left, scope), compile_expr(node.right, scope))


def _negate(node: Negate, scope: Scope) -> Compiled:
    return negative(compile_expr(node.operand, scope), node)


def _if(node: IfThen, scope: Scope) -> Compiled:
    return conditional(node, compile_expr(node.cond, scope), compile_expr(node.then, scope),
                       compile_expr(node.other, scope))


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
    return quantifier(node, collection, compile_expr(node.body, inner_scope))


def _comprehension(node: Comprehension, scope: Scope) -> Compiled:
    collection, inner_scope = _loop_scope(node, scope, "[… for x in …]")
    cond = compile_expr(node.cond, inner_scope) if node.cond is not None else None
    return comprehension(node, collection, compile_expr(node.item, inner_scope), cond)


_COMPILERS: dict[type, Callable[[Any, Scope], Compiled]] = {
    Literal: _literal, ListOf: _list, Name: _name, Attr: _attr, Call: _call, Not: _not,
    BoolOp: _boolop, Compare: _compare, Arith: _arith, Negate: _negate, IfThen: _if,
    Quantifier: _quantifier, Comprehension: _comprehension,
}


