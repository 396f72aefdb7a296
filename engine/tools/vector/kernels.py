"""Kernels: clause expressions compiled into functions of vectors, from their syntax trees.

Stage: tools (vectorized sweeps). Imports numpy, `vec`, `ops`, `context`,
`loops`, `schema`, the clause language's `expressions` and `context`, and
`mou.values`.

`KernelCompiler.compile(node, scope)` walks a syntax tree as the language's
own compiler (`language.closures`) does, with the same scopes, and returns a
`Kernel`: a function of a `VCtx` (the vector context: state, choices, bindings,
the day asked about, today) that gives a `Vec`. Names, attributes, events of a
type, definitions, quantifiers, lists and the three-valued operators are
rewritten for vectors; any other operator runs as the scalar closure over the
distinct combinations of its operands (`vec.lift`). Nothing here knows a
particular agreement: it knows the expression language.

A construct the kernels do not cover raises `Unsupported`, and the variants
concerned go to the scalar engine.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

import numpy as np

from ...language.context import Ctx, Scope
from ...language.expressions import Arith, Attr, BoolOp, Call, Compare, IfThen, ListOf, Literal, Name, Negate, Node, Not
from ...values import Event
from . import duties, ops
from .context import EvList, Fn, Kernel, VCtx, by_event, materialize, subject_masks
from .loops import LoopKernels
from .schema import RulesetSchema, parsed
from .vec import ERR, Unsupported, Vec, but_not, either, const, lift, merge

EVENT_BUILTINS = ("id", "type", "date", "position")
DUTY_FUNCTIONS = frozenset({"triggered", "duty_status", "obligations", "breaches"})
PARAM_KEY = "$param"


class KernelCompiler(LoopKernels):
    """Compiles syntax trees into kernels, in the scopes the clause compiler used."""

    def __init__(self, schema: RulesetSchema):
        self.schema = schema
        self.definitions: dict[str, Kernel] = {}

    def text(self, text: str, scope: Scope) -> Kernel:
        """The kernel of an expression given as source text."""
        return self.compile(parsed(text), scope)

    def compile(self, node: Node, scope: Scope) -> Kernel:
        """The kernel of a syntax tree in `scope`."""
        compiled = self.schema.compile(node, scope)
        if compiled.is_constant:
            value = const(compiled.constant)
            return Kernel(compiled.type, lambda ctx: value)
        method = getattr(self, "_" + type(node).__name__.lower())
        return Kernel(compiled.type, method(node, scope, compiled))

    # -- lifting: the scalar closure over distinct operand values ------------------------------

    def _lifted(self, node: Node, scope: Scope, children: list[Node], rebuild: Callable[[list[Node]], Node]):
        """The scalar operator of `node` with its operands as bindings, and the operands' kernels."""
        kernels = [self.compile(child, scope) for child in children]
        names = [f"·{i}" for i in range(len(children))]
        synthetic = rebuild([Name(name) for name in names])
        inner = scope.bind(**{name: k.type for name, k in zip(names, kernels)})
        closure = self.schema.compile(synthetic, inner).fn

        def scalar(*values):
            return closure(Ctx(None, {}, dict(zip(names, values))))

        return scalar, kernels

    def _generic(self, node: Node, scope: Scope, children: list[Node], rebuild) -> Fn:
        scalar, kernels = self._lifted(node, scope, children, rebuild)

        def run(ctx: VCtx) -> Vec:
            return lift(scalar, [materialize(k.fn(ctx), ctx.run.n) for k in kernels])

        return run

    # -- nodes ----------------------------------------------------------------------------------

    def _literal(self, node: Literal, scope: Scope, compiled) -> Fn:  # pragma: no cover - always constant
        value = const(node.value)
        return lambda ctx: value

    def _listof(self, node: ListOf, scope: Scope, compiled) -> Fn:
        return self._generic(node, scope, list(node.items), lambda items: replace(node, items=tuple(items)))

    def _name(self, node: Name, scope: Scope, compiled) -> Fn:
        name = node.name
        schema = self.schema
        if name in scope.bindings:
            return lambda ctx: ctx.env[name]
        if name == "today":
            return lambda ctx: ctx.now
        if name in schema.event_types:
            return lambda ctx: EvList(ctx.run.members(name, ctx.as_of))
        if schema.definition(name) is not None:
            kernel = self.definition(name)

            def memoized(ctx: VCtx) -> Vec:
                return ctx.run.memoized(name, ctx.as_of, lambda: kernel.fn(VCtx(ctx.run, {}, ctx.as_of, ctx.now)))

            return memoized
        raise Unsupported(f"the name {name!r} on its own")

    def definition(self, name: str) -> Kernel:
        """The kernel of a definition's body (in the scope of its parameters)."""
        if name not in self.definitions:
            info = self.schema.definition(name)
            if not info.text:
                raise Unsupported(f"definition {name!r} has no source text")
            self.definitions[name] = self.text(info.text, self.schema.scope(dict(info.params)))
        return self.definitions[name]

    def _attr(self, node: Attr, scope: Scope, compiled) -> Fn:
        name = node.name
        subject = self.schema.compile(node.subject, scope)
        kind = subject.type.kind
        if kind == "choice":
            return lambda ctx: ctx.run.choice(name)
        if kind == "entity":
            key = "$" + subject.type.name
            return lambda ctx: ctx.run.state.read(key, name, ctx.as_of)
        get_subject = self.compile(node.subject, scope).fn
        infos = [self.schema.event_types[t] for t in sorted(subject.type.events)]
        if name in EVENT_BUILTINS:
            def read(ctx: VCtx, event: Event) -> Vec:
                if name == "date":
                    return ctx.run.field(event, "date")
                if name == "position":  # the place in the file: the same in every variant
                    return const(event.index)
                return const(event.id if name == "id" else event.type)
        elif all(name in info.fields for info in infos):
            def read(ctx: VCtx, event: Event) -> Vec:
                return ctx.run.field(event, name)
        else:
            def read(ctx: VCtx, event: Event) -> Vec:
                return ctx.run.state.read(event.id, name, ctx.as_of)

        def attribute(ctx: VCtx) -> Vec:
            return by_event(get_subject(ctx), lambda event: read(ctx, event))

        return attribute

    def _call(self, node: Call, scope: Scope, compiled) -> Fn:
        name = node.function
        definition = self.schema.definition(name)
        if definition is not None:
            body = self.definition(name)
            params = [p for p, _ in definition.params]
            args = [self.compile(arg, scope).fn for arg in node.args]

            def call(ctx: VCtx) -> Vec:
                env = {p: materialize(get(ctx), ctx.run.n) for p, get in zip(params, args)}
                return body.fn(VCtx(ctx.run, env, ctx.as_of, ctx.now))

            return call
        if name in DUTY_FUNCTIONS:
            return self._duty_function(node, scope)
        special = getattr(self, "_fn_" + name, None)
        if special is not None:
            return special(node, scope)
        return self._generic(node, scope, list(node.args), lambda args: replace(node, args=tuple(args)))

    def _duty_function(self, node: Call, scope: Scope) -> Fn:
        """`triggered`, `duty_status`, `obligations`, `breaches`: read the duty instances (`duties`)."""
        name = node.function
        args = [self.compile(arg, scope).fn for arg in node.args]
        if name in ("obligations", "breaches"):
            only_violated = name == "breaches"
            return lambda ctx: duties.listed(ctx.run, duties.on_date(materialize(args[0](ctx), ctx.run.n)),
                                             only_violated)
        duty = self.schema.compile(node.args[0], scope).constant
        if name == "triggered":
            return lambda ctx: duties.triggered(ctx.run, duty, args[1](ctx))
        return lambda ctx: duties.duty_status(ctx.run, duty, args[1](ctx),
                                              duties.on_date(materialize(args[2](ctx), ctx.run.n)))

    def _fn_param(self, node: Call, scope: Scope) -> Fn:
        arg = self.schema.compile(node.args[0], scope)
        if arg.is_constant:
            parameter = arg.constant
            return lambda ctx: ctx.run.state.read(PARAM_KEY, parameter, ctx.as_of)
        get = self.compile(node.args[0], scope).fn

        def param(ctx: VCtx) -> Vec:
            names = get(ctx)
            if names.kind != "obj":
                raise Unsupported("param() of a computed name that is not text")
            parts = [(names.data == code, ctx.run.state.read(PARAM_KEY, value, ctx.as_of))
                     for code, value in enumerate(names.pool)]
            return subject_masks(merge(parts, const(ERR)), names)

        return param

    def _fn_at(self, node: Call, scope: Scope) -> Fn:
        get_day, get_value = (self.compile(arg, scope).fn for arg in node.args)

        def at(ctx: VCtx) -> Vec:
            day = get_day(ctx)
            if day.kind not in ("date", "none"):
                raise Unsupported("at() of a value that is not a date")
            bad = but_not(day.null, day.unk)
            value = materialize(get_value(VCtx(ctx.run, ctx.env, day, ctx.now)), ctx.run.n)
            return ops.unknown_where(value, day.unk).with_err(either(day.err, bad))

        return at

    def _fn_known(self, node: Call, scope: Scope) -> Fn:
        get = self.compile(node.args[0], scope).fn
        return lambda ctx: ops.known(materialize(get(ctx), ctx.run.n))

    def _fn_unknown(self, node: Call, scope: Scope) -> Fn:
        get = self.compile(node.args[0], scope).fn
        return lambda ctx: ops.always_unknown(get(ctx))

    def _fn_coalesce(self, node: Call, scope: Scope) -> Fn:
        from .vec import select

        getters = [self.compile(arg, scope).fn for arg in node.args]

        def coalesce(ctx: VCtx) -> Vec:
            result = materialize(getters[0](ctx), ctx.run.n)
            for get in getters[1:]:
                still = ops._nulls(result, result)[0]
                if still is None:
                    break
                result = select(still, materialize(get(ctx), ctx.run.n), result)
            return result

        return coalesce

    def _fn_len(self, node: Call, scope: Scope) -> Fn:
        generic = self._generic(node, scope, list(node.args), lambda args: replace(node, args=tuple(args)))
        get = self.compile(node.args[0], scope).fn

        def length(ctx: VCtx) -> Vec:
            items = get(ctx)
            if isinstance(items, EvList):
                total = np.zeros(1, np.int64)
                for _, mask in items.members:
                    total = total + (1 if mask is None else mask)
                return Vec("int", total)
            return generic(ctx)

        return length

    def _fn_max(self, node: Call, scope: Scope) -> Fn:
        scalar, kernels = self._lifted(node, scope, list(node.args), lambda args: replace(node, args=tuple(args)))
        pick = node.function
        return lambda ctx: ops.extreme(pick, [materialize(k.fn(ctx), ctx.run.n) for k in kernels], scalar)

    _fn_min = _fn_max

    def _not(self, node: Not, scope: Scope, compiled) -> Fn:
        get = self.compile(node.operand, scope).fn
        return lambda ctx: ops.negate(get(ctx))

    def _boolop(self, node: BoolOp, scope: Scope, compiled) -> Fn:
        getters = [self.compile(operand, scope).fn for operand in node.operands]
        op = node.op
        return lambda ctx: ops.kleene(op, [lambda get=get: get(ctx) for get in getters])

    def _ifthen(self, node: IfThen, scope: Scope, compiled) -> Fn:
        cond, then, other = (self.compile(part, scope).fn for part in (node.cond, node.then, node.other))
        return lambda ctx: ops.conditional(cond(ctx), lambda: materialize(then(ctx), ctx.run.n),
                                           lambda: materialize(other(ctx), ctx.run.n))

    def _compare(self, node: Compare, scope: Scope, compiled) -> Fn:
        scalar, (left, right) = self._lifted(node, scope, [node.left, node.right],
                                             lambda parts: replace(node, left=parts[0], right=parts[1]))
        op = node.op

        def compare(ctx: VCtx) -> Vec:
            a = materialize(left.fn(ctx), ctx.run.n)
            b = materialize(right.fn(ctx), ctx.run.n)
            if op in ("==", "!="):
                result = ops.equal(a, b, scalar)
                return result if op == "==" else ops.negate_known(result)
            if op in ops._ORDER:
                return ops.order(op, a, b, scalar)
            return lift(scalar, [a, b])

        return compare

    def _arith(self, node: Arith, scope: Scope, compiled) -> Fn:
        scalar, (left, right) = self._lifted(node, scope, [node.left, node.right],
                                             lambda parts: replace(node, left=parts[0], right=parts[1]))
        kinds = (left.type.kind, right.type.kind)
        op = node.op
        return lambda ctx: ops.arith(op, kinds, materialize(left.fn(ctx), ctx.run.n),
                                     materialize(right.fn(ctx), ctx.run.n), scalar)

    def _negate(self, node: Negate, scope: Scope, compiled) -> Fn:
        return self._generic(node, scope, [node.operand], lambda parts: replace(node, operand=parts[0]))


__all__ = ["KernelCompiler", "Kernel", "VCtx", "EvList", "materialize", "by_event", "Unsupported", "PARAM_KEY"]
