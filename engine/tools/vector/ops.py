"""The operators of the clause language on vectors: comparisons, arithmetic, three-valued logic.

Stage: tools (vectorized sweeps). Imports numpy, `vec`, `ordinals`, and
`mou.dates`.

The hot operators are rewritten as numpy operations: comparisons of dates and
numbers, date ± duration (the month-end rule), `and`/`or`/`not`, `max`/`min`
of dates. Each follows the scalar closure in `language.operators` exactly,
including where it raises (a failed variant) and what an `unknown` operand
gives. Every other operator is lifted: the scalar closure itself runs once per
distinct combination of its operands (`vec.lift`).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ...dates import Duration
from .ordinals import add_days, add_months
from .vec import NUMERIC, Vec, both, but_not, nonempty, either, boolean, lift, to_obj, truth

TABLE_LIMIT = 4096


def unknown_where(vec: Vec, mask: np.ndarray | None) -> Vec:
    """`vec`, but unknown (and not failed) where `mask` holds: nothing was evaluated there."""
    if mask is None:
        return vec
    return Vec(vec.kind, vec.data, vec.pool, but_not(vec.null, mask), either(but_not(vec.unk, mask), mask),
               but_not(vec.err, mask))


def _nulls(a: Vec, b: Vec) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Where each side is none (a vector of kind `none` is none wherever it is not unknown or failed)."""
    def null(v: Vec) -> np.ndarray | None:
        if v.kind == "none":
            return but_not(but_not(np.ones(v.size, bool), v.unk), v.err) if v.null is None else v.null
        return v.null
    return null(a), null(b)


def equal(a: Vec, b: Vec, scalar: Callable[[Any, Any], Any]) -> Vec:
    """`a == b` as Python compares engine values (unknown when either side is); `scalar` is `==` itself."""
    unk, err = either(a.unk, b.unk), either(a.err, b.err)
    an, bn = _nulls(a, b)
    if a.kind == "none" or b.kind == "none":
        eq = both(an, bn)
        return boolean(np.zeros(1, bool) if eq is None else eq, unk, err)
    if a.kind != b.kind:
        a, b = to_obj(a), to_obj(b)
    if a.kind in NUMERIC:
        eq = a.data == b.data
    elif len(a.pool) * len(b.pool) <= TABLE_LIMIT:
        table = np.array([[x == y for y in b.pool] for x in a.pool], bool).reshape(len(a.pool), len(b.pool))
        eq = table[a.data, b.data]
    else:
        return lift(scalar, [a, b])
    if an is not None or bn is not None:
        nulls = both(an, bn)
        one = either(an, bn)
        eq = np.where(one, False if nulls is None else nulls, eq)
    return boolean(eq, unk, err)


def negate(v: Vec) -> Vec:
    """`not v`, three-valued; a value that is not a condition fails."""
    value, unk, err = truth(v)
    return boolean(~value, unk, err)


_ORDER = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}


def order(op: str, a: Vec, b: Vec, scalar: Callable[[Any, Any], Any]) -> Vec:
    """`<`, `<=`, `>`, `>=`: unknown if a side is; false where a side is none (absent); else compared."""
    if a.kind in NUMERIC and a.kind == b.kind:
        unk = either(a.unk, b.unk)
        null = but_not(either(a.null, b.null), unk)
        compared = _ORDER[op](a.data, b.data)
        return boolean(compared if null is None else np.where(null, False, compared), unk, either(a.err, b.err))
    return lift(scalar, [a, b])


def arith(op: str, kinds: tuple[str, str], a: Vec, b: Vec, scalar: Callable[[Any, Any], Any]) -> Vec:
    """`+`, `-`: date ± duration under the month-end rule, whole numbers, days between dates; else lifted.

    Where a side is none (absent), so is the result."""
    unk = either(a.unk, b.unk)
    null = but_not(either(a.null, b.null), unk)
    err = either(a.err, b.err)
    sign = 1 if op == "+" else -1
    if kinds == ("date", "duration") and a.kind == "date" and b.kind == "obj":
        pool = b.pool
        if not all(isinstance(d, Duration) for d in pool):
            return lift(scalar, [a, b])
        days = np.array([d.unit == "days" for d in pool])[b.data]
        amount = sign * np.array([d.count if d.unit == "days" else d.months for d in pool], np.int64)[b.data]
        if days.all():
            result, inside = add_days(a.data, amount)
        elif not days.any():
            result, inside = add_months(a.data, amount)
        else:
            by_day, in_day = add_days(a.data, amount)
            by_month, in_month = add_months(a.data, amount)
            result, inside = np.where(days, by_day, by_month), np.where(days, in_day, in_month)
        outside = but_not(nonempty(~inside), either(either(a.null, b.null), unk))
        return Vec("date", result, (), null, unk, either(err, outside))
    if kinds == ("int", "int") and a.kind == "int" and b.kind == "int":
        return Vec("int", a.data + sign * b.data, (), null, unk, err)
    if kinds == ("date", "date") and op == "-" and a.kind == "date" and b.kind == "date":
        return Vec("int", a.data - b.data, (), null, unk, err)
    return lift(scalar, [a, b])


def extreme(pick: str, vecs: list[Vec], scalar: Callable[..., Any]) -> Vec:
    """`max`/`min`: unknown if any is; nones are left out; none when all are."""
    kinds = {v.kind for v in vecs if v.kind != "none"}
    if len(kinds) != 1 or not kinds <= {"date", "int"}:
        return lift(scalar, vecs)
    kind = kinds.pop()
    sentinel = np.iinfo(np.int64).min if pick == "max" else np.iinfo(np.int64).max
    unk = err = None
    best = None
    for v in vecs:
        unk, err = either(unk, v.unk), either(err, v.err)
        nn = _nulls(v, v)[0]
        data = np.full(1, sentinel) if v.kind == "none" else (v.data if nn is None else np.where(nn, sentinel, v.data))
        best = data if best is None else (np.maximum(best, data) if pick == "max" else np.minimum(best, data))
    null = nonempty(best == sentinel)
    return Vec(kind, best, (), but_not(null, unk), unk, err)


def kleene(op: str, operands: list[Callable[[], Vec]]) -> Vec:
    """`and` / `or` over operands evaluated in order, stopping where one decides (Kleene's logic).

    An operand's failure counts only where it was evaluated, that is where
    no operand before it decided.
    """
    decisive = op == "or"
    decided = np.zeros(1, bool)
    unk = err = None
    for operand in operands:
        v = operand()
        value, u, e = truth(v)
        live = ~decided
        err = either(err, both(e, live) if e is not None else None)
        known = live if u is None else live & ~u
        if e is not None:
            known = known & ~e
        hit = known & (value if decisive else ~value)
        if u is not None:
            unk = either(unk, u & live)
        decided = decided | hit
        if decided.all():
            break
    result = decided if decisive else ~decided
    return boolean(result, but_not(unk, decided) if unk is not None else None, err)


def conditional(cond: Vec, then: Callable[[], Vec], other: Callable[[], Vec]) -> Vec:
    """`if c then a else b`: unknown where `c` is; each branch evaluated only where it is taken."""
    from .vec import select

    value, unk, err = truth(cond)
    bad = either(unk, err)
    taken = value if bad is None else value & ~bad
    not_taken = ~value if bad is None else ~value & ~bad
    if not taken.any():
        result = other()
    elif not not_taken.any():
        result = then()
    else:
        result = select(value, then(), other())
    result = unknown_where(result, unk)
    return result.with_err(err)


def known(v: Vec) -> Vec:
    """`known(x)`: true wherever x is not unknown (none is known)."""
    return boolean(np.ones(1, bool) if v.unk is None else ~v.unk, None, v.err)


def always_unknown(text: Vec) -> Vec:
    """`unknown('…')`: unknown everywhere (failed where the text failed)."""
    return Vec("none", np.zeros(1, np.int64), (), None, np.ones(1, bool), text.err)


def negate_known(v: Vec) -> Vec:
    """The negation of a comparison's result (`!=` from `==`), unknowns kept."""
    return Vec("bool", ~v.data, (), None, v.unk, v.err)
