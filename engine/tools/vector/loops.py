"""Kernels of loops: quantifiers (`any`, `all`, `count`) and list comprehensions over vectors.

Stage: tools (vectorized sweeps). Imports numpy, `vec`, `ops`, `context`
and the clause language's `expressions`, `context` and `types`.

A collection is taken position by position (`positions`): the events of a
type give their candidates, each with the variants that have it; a vector of
lists gives the items at each position. The body runs once per position over
every variant, and Kleene's logic combines the results, counting a failure
only where the scalar engine would have evaluated the body (not past the
item that decided `any` or `all`).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ...language import types as T
from ...language.context import Scope
from ...language.expressions import Comprehension, Quantifier
from . import ops
from .context import EvList, Fn, VCtx, event_vec, materialize
from .vec import Unsupported, Vec, but_not, nonempty, either, boolean, codes, combine, const, from_values, truth


class LoopKernels:
    """The loop part of `kernels.KernelCompiler` (a mixin: it needs `compile` and `schema`)."""

    def _loop(self, node: Quantifier | Comprehension, scope: Scope):
        collection = self.schema.compile(node.collection, scope)
        inner = scope.bind(**{node.var: collection.type.item or T.ANY})
        return self.compile(node.collection, scope).fn, inner

    def _quantifier(self, node: Quantifier, scope: Scope, compiled) -> Fn:
        get_items, inner = self._loop(node, scope)
        body = self.compile(node.body, inner).fn
        var, kind = node.var, node.kind

        def quantify(ctx: VCtx) -> Vec:
            items, outer = positions(get_items(ctx))
            found = np.zeros(1, bool)  # any: a true item seen; all: a false one
            count = np.zeros(1, np.int64)
            unk = err = None
            for item, member in items:
                reached = member if kind == "count" else member & ~found
                if not reached.any():
                    continue
                env = dict(ctx.env)
                env[var] = item
                value, u, e = truth(body(ctx.child(env)))
                if e is not None:
                    err = either(err, nonempty(e & reached))
                plain = reached if u is None else reached & ~u
                if e is not None:
                    plain = plain & ~e
                if u is not None:
                    unk = either(unk, nonempty(u & reached))
                if kind == "any":
                    found = found | (plain & value)
                elif kind == "all":
                    found = found | (plain & ~value)
                else:
                    count = count + (plain & value)
            if kind == "count":
                result = Vec("int", count, (), None, unk, err)
            else:
                decided = found
                value = decided if kind == "any" else ~decided
                result = boolean(value, but_not(unk, decided) if unk is not None else None, err)
            return outer(result)

        return quantify

    def _comprehension(self, node: Comprehension, scope: Scope, compiled) -> Fn:
        get_items, inner = self._loop(node, scope)
        item_fn = self.compile(node.item, inner).fn
        cond_fn = self.compile(node.cond, inner).fn if node.cond is not None else None
        var = node.var

        def build(ctx: VCtx) -> Vec:
            items, outer = positions(get_items(ctx))
            parts = []
            unk = err = None
            for item, member in items:
                env = dict(ctx.env)
                env[var] = item
                inner_ctx = ctx.child(env)
                keep = member
                if cond_fn is not None:
                    value, u, e = truth(cond_fn(inner_ctx))
                    if e is not None:
                        err = either(err, nonempty(e & member))
                    if u is not None:
                        unk = either(unk, nonempty(u & member))
                        keep = keep & ~u
                    keep = keep & value
                    if e is not None:
                        keep = keep & ~e
                if not keep.any():
                    continue
                got = materialize(item_fn(inner_ctx), ctx.run.n)
                if got.err is not None:
                    err = either(err, nonempty(got.err & keep))
                parts.append((keep, got))
            result = tuples(parts, ctx.run.n)
            result = ops.unknown_where(result, unk).with_err(err)
            return outer(result)

        return build


def tuples(parts: list[tuple[np.ndarray, Vec]], n: int) -> Vec:
    """Each variant's tuple of the kept items, in order."""
    if not parts:
        return const(())
    coded = []
    for keep, got in parts:
        data, values = codes(got)
        data = np.where(keep, data, 0) if len(values) > 1 else data
        coded.append((keep.astype(np.int64), [False, True]))
        coded.append((data, values))
    inverse, combos = combine(coded)
    values = []
    for combo in combos:
        values.append(tuple(combo[i + 1] for i in range(0, len(combo), 2) if combo[i]))
    return from_values(values, inverse)


def positions(items: Any) -> tuple[list[tuple[Vec, np.ndarray]], Callable[[Vec], Vec]]:
    """A collection as its items by position, with who has each, and what to apply to the result.

    Events of a type give their candidates; a vector of lists gives, for
    each position, the vector of the items there (variants whose list is
    shorter do not have it). Unknown lists make the result unknown; none
    (or not a list) fails.
    """
    if isinstance(items, EvList):
        return [(event_vec(event), np.ones(1, bool) if mask is None else mask) for event, mask in items.members], \
            (lambda result: result)
    vec: Vec = items
    if vec.kind == "obj" and all(isinstance(v, (tuple, list)) for v in vec.pool):
        longest = max((len(v) for v in vec.pool), default=0)
        lengths = np.array([len(v) for v in vec.pool], np.int64)[vec.data]
        result = []
        for j in range(longest):
            values = [v[j] if len(v) > j else None for v in vec.pool]
            item = from_values(values, vec.data) if len(vec.pool) > 1 else const(values[0])
            result.append((item, lengths > j))
    elif vec.kind == "none":
        result = []
    else:
        raise Unsupported("a loop over a value that is not a list")
    unk, err = vec.unk, either(vec.err, but_not(vec.null, vec.unk))

    def outer(result_vec: Vec) -> Vec:
        return ops.unknown_where(result_vec, unk).with_err(err)

    return result, outer
