"""Vectors of engine values: one value per variant, as numpy arrays.

Stage: tools (vectorized sweeps). Imports numpy, `mou.values` and `mou.dates`.

A `Vec` holds one engine value per variant. Dates are day ordinals, whole
numbers and booleans are numbers; everything else (text, durations, events,
lists, parameter changes) is a code into a small `pool` of the distinct Python
values. Three masks say where the value is not an ordinary one:

- `null`: the value is none (a definite absence);
- `unk`: the value is `unknown` (which facts are missing does not matter to
  a sweep's rows, only that it is unknown);
- `err`: evaluating it raised an error in the scalar engine. Such a variant is
  poisoned: its row is computed again by the scalar engine, which raises the
  same error.

An array has one element when the value is the same for every variant
(numpy broadcasts it), or one per variant. A mask is None when it is false
everywhere, which is the common case and costs nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Sequence

import numpy as np

from ...dates import Duration
from ...values import Event, Unknown

UNKNOWN = Unknown(frozenset())
ERR = object()  # the marker of a failed evaluation, in lists of Python values
NUMERIC = ("bool", "int", "date")
_DTYPES = {"bool": np.bool_, "int": np.int64, "date": np.int64, "obj": np.int64, "none": np.int64}
_ZERO = np.zeros(1, np.int64)


class Unsupported(Exception):
    """The kernels cannot take this path: its variants go to the scalar engine."""


def either(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    if a is None:
        return b
    if b is None:
        return a
    return a | b


def both(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    if a is None or b is None:
        return None
    return a & b


def but_not(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    if a is None:
        return None
    if b is None:
        return a
    return a & ~b


def where_mask(cond: np.ndarray, a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    if a is None and b is None:
        return None
    return np.where(cond, False if a is None else a, False if b is None else b)


def nonempty(mask: np.ndarray | None) -> np.ndarray | None:
    """None for a mask that is false everywhere (so later operations skip it)."""
    if mask is None or not mask.any():
        return None
    return mask


class Vec:
    """One engine value per variant (see the module docstring)."""

    __slots__ = ("kind", "data", "pool", "null", "unk", "err")

    def __init__(self, kind: str, data: np.ndarray, pool: tuple = (), null: np.ndarray | None = None,
                 unk: np.ndarray | None = None, err: np.ndarray | None = None):
        self.kind = kind  # bool | int | date | obj | none (every value is none, unknown or failed)
        self.data = data
        self.pool = pool
        self.null = null
        self.unk = unk
        self.err = err

    def __repr__(self) -> str:  # pragma: no cover - for debugging
        return f"Vec({self.kind}, {self.data[:6]}, pool={self.pool[:4]}, n={self.size})"

    @property
    def size(self) -> int:
        """The number of elements (1 when the value is the same for every variant)."""
        return max(len(a) for a in (self.data, self.null, self.unk, self.err) if a is not None)

    @property
    def uniform(self) -> bool:
        """Whether one value stands for every variant."""
        return self.size == 1

    def plain(self) -> np.ndarray:
        """Where the value is an ordinary one: not none, not unknown, not failed."""
        bad = either(either(self.null, self.unk), self.err)
        return np.ones(self.size, bool) if bad is None else ~bad

    def special(self) -> np.ndarray | None:
        """Where the value is none, unknown or failed (None: nowhere)."""
        return either(either(self.null, self.unk), self.err)

    def with_err(self, err: np.ndarray | None) -> "Vec":
        """This vector, also failed where `err` is true."""
        err = either(self.err, err)
        return self if err is self.err else Vec(self.kind, self.data, self.pool, self.null, self.unk, err)

    def take(self, index: np.ndarray) -> "Vec":
        """The values of the variants at `index` (a uniform vector stays uniform)."""
        def pick(a):
            return a if a is None or len(a) == 1 else a[index]
        return Vec(self.kind, pick(self.data), self.pool, pick(self.null), pick(self.unk), pick(self.err))

    def value(self, i: int) -> Any:
        """The Python value of variant `i` (ERR when it failed); for tests and debugging."""
        def at(a):
            return a is not None and bool(a[0 if len(a) == 1 else i])
        if at(self.err):
            return ERR
        if at(self.unk):
            return UNKNOWN
        if at(self.null):
            return None
        raw = self.data[0 if len(self.data) == 1 else i]
        return _python(self.kind, raw, self.pool)


def _python(kind: str, raw: Any, pool: tuple) -> Any:
    if kind == "bool":
        return bool(raw)
    if kind == "int":
        return int(raw)
    if kind == "date":
        return date.fromordinal(int(raw))
    if kind == "obj":
        return pool[int(raw)]
    return None


def const(value: Any) -> Vec:
    """The same value for every variant."""
    if value is ERR:
        return Vec("none", _ZERO, err=np.ones(1, bool))
    if value is None:
        return Vec("none", _ZERO, null=np.ones(1, bool))
    if isinstance(value, Unknown):
        return Vec("none", _ZERO, unk=np.ones(1, bool))
    if value is True or value is False:
        return Vec("bool", np.array([value]))
    if type(value) is int:
        return Vec("int", np.array([value], np.int64))
    if type(value) is date:
        return Vec("date", np.array([value.toordinal()], np.int64))
    return Vec("obj", _ZERO, (value,))


def _kind_of(values: Iterable[Any]) -> str:
    kinds = set()
    for value in values:
        if value is None or value is ERR or isinstance(value, Unknown):
            continue
        if value is True or value is False:
            kinds.add("bool")
        elif type(value) is int:
            kinds.add("int")
        elif type(value) is date:
            kinds.add("date")
        else:
            return "obj"
    if not kinds:
        return "none"
    return kinds.pop() if len(kinds) == 1 else "obj"


def from_values(values: Sequence[Any], codes: np.ndarray) -> Vec:
    """The vector whose variant i holds `values[codes[i]]`."""
    if len(values) == 1:
        return const(values[0])
    kind = _kind_of(values)
    null = np.array([v is None for v in values])
    unk = np.array([isinstance(v, Unknown) for v in values])
    err = np.array([v is ERR for v in values])
    masks = [None if not m.any() else m[codes] for m in (null, unk, err)]
    if kind == "obj":
        pool, table = intern(values)
        data = table[codes]
    elif kind == "none":
        data, pool = _ZERO, ()
    else:
        plain = [0 if (v is None or v is ERR or isinstance(v, Unknown)) else
                 (v.toordinal() if kind == "date" else v) for v in values]
        data = np.array(plain, _DTYPES[kind])[codes]
        pool = ()
    return Vec(kind, data, pool, *masks)


def ident(value: Any) -> Any:
    """A key telling apart values that print differently (`1 year` and `12 months` are ==, not the same)."""
    if isinstance(value, Duration):
        return ("d", value.count, value.unit)
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(ident(v) for v in value))
    if isinstance(value, dict):
        return ("m", tuple((k, ident(v)) for k, v in value.items()))
    if isinstance(value, Event) or value is ERR:
        return ("e", id(value))
    if isinstance(value, Unknown):
        return ("u",)
    return (type(value).__name__, value)


def intern(values: Sequence[Any]) -> tuple[tuple, np.ndarray]:
    """Distinct values (by `ident`) and, for each given value, its index among them."""
    seen: dict[Any, int] = {}
    pool: list[Any] = []
    table = np.empty(len(values), np.int64)
    for i, value in enumerate(values):
        key = ident(value)
        index = seen.get(key)
        if index is None:
            index = seen[key] = len(pool)
            pool.append(value)
        table[i] = index
    return tuple(pool), table


def to_obj(vec: Vec) -> Vec:
    """The same values with every ordinary value in a pool (to mix kinds, or to compare as Python does)."""
    if vec.kind in ("obj", "none"):
        return vec
    uniq, inverse = np.unique(vec.data, return_inverse=True)
    pool = tuple(_python(vec.kind, raw, ()) for raw in uniq)
    return Vec("obj", inverse.reshape(vec.data.shape).astype(np.int64), pool, vec.null, vec.unk, vec.err)


def select(cond: np.ndarray, a: Vec, b: Vec) -> Vec:
    """`a` where `cond` holds, else `b` (kinds unified, pools merged)."""
    if a.kind == "none" and b.kind != "none":
        kind = b.kind
    elif b.kind == "none" or a.kind == b.kind:
        kind = a.kind
    else:
        a, b = to_obj(a), to_obj(b)
        kind = "obj"
    if kind == "obj" and a.kind == "obj" and b.kind == "obj" and a.pool is not b.pool:
        if len(b.pool) <= len(a.pool) and a.pool[:len(b.pool)] == b.pool and _same_idents(a.pool, b.pool):
            pool, bdata = a.pool, b.data
        else:
            pool, bdata = a.pool + b.pool, b.data + len(a.pool)
        data = np.where(cond, a.data, bdata)
    else:
        pool = a.pool if a.kind != "none" else b.pool
        if a.kind == "none":
            data = b.data
        elif b.kind == "none":
            data = a.data
        else:
            data = np.where(cond, a.data, b.data)
    result = Vec(kind, data, pool, where_mask(cond, a.null, b.null), where_mask(cond, a.unk, b.unk),
                 where_mask(cond, a.err, b.err))
    if kind == "obj" and len(pool) > 64:
        result = compact(result)
    return result


def _same_idents(a: tuple, b: tuple) -> bool:
    return all(ident(x) == ident(y) for x, y in zip(a, b))


def compact(vec: Vec) -> Vec:
    """The same vector with duplicate pool values merged (pools grow as vectors are merged)."""
    pool, table = intern(vec.pool)
    if len(pool) == len(vec.pool):
        return vec
    return Vec("obj", table[vec.data], pool, vec.null, vec.unk, vec.err)


def merge(parts: list[tuple[np.ndarray, Vec]], default: Vec) -> Vec:
    """`parts[k][1]` where `parts[k][0]` holds (the masks are disjoint), else `default`."""
    result = default
    for mask, vec in parts:
        result = select(mask, vec, result)
    return result


def dense(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct whole numbers of an array (sorted), and each element's index among them.

    Like `np.unique(raw, return_inverse=True)`, by a table over the span of the values when it is
    small (no sort: linear time).
    """
    if len(raw) == 0:
        return np.zeros(0, np.int64), raw.astype(np.int64)
    low = int(raw.min())
    span = int(raw.max()) - low + 1
    if span > max(4 * len(raw), 1 << 16):
        uniq, inverse = np.unique(raw, return_inverse=True)
        return uniq, inverse.reshape(raw.shape)
    present = np.zeros(span, bool)
    present[raw - low] = True
    uniq = np.flatnonzero(present)
    lookup = np.zeros(span, np.int64)
    lookup[uniq] = np.arange(len(uniq))
    return uniq + low, lookup[raw - low]


def codes(vec: Vec) -> tuple[np.ndarray, list[Any]]:
    """Per-variant codes into a list of Python values (ERR, None and UNKNOWN included), for lifting."""
    if vec.kind == "obj":
        data, values = vec.data, list(vec.pool)
    elif vec.kind == "none":
        data, values = np.zeros(vec.size, np.int64), [None]
    else:
        raw = vec.data
        if vec.kind == "bool":
            data, values = raw.astype(np.int64), [False, True]
        else:
            uniq, data = dense(raw)
            values = [_python(vec.kind, u, ()) for u in uniq.tolist()]
    for mask, marker in ((vec.null, None), (vec.unk, UNKNOWN), (vec.err, ERR)):
        if mask is not None:
            data = np.where(mask, len(values), data)
            values.append(marker)
    return data, values


def combine(parts: list[tuple[np.ndarray, list[Any]]]) -> tuple[np.ndarray, list[tuple]]:
    """Codes of the distinct combinations of several coded vectors, and those combinations."""
    n = max(len(c) for c, _ in parts)
    key = np.zeros(n if n > 1 else 1, np.int64)
    radix = 1
    for data, values in parts:
        key = key + data * radix
        radix *= max(len(values), 1)
    if radix >= 1 << 62:
        raise Unsupported("too many combinations of values")
    uniq, inverse = dense(key)
    combos = []
    for u in uniq.tolist():
        combo = []
        for _, values in parts:
            size = max(len(values), 1)
            combo.append(values[u % size])
            u //= size
        combos.append(tuple(combo))
    return inverse.reshape(key.shape), combos


def lift(fn, vecs: list[Vec]) -> Vec:
    """Apply a Python function of engine values to each distinct combination of the inputs.

    `fn` gets the values and returns the result, or raises (the combination
    fails); a combination with a failed input fails. This is exact: it runs
    the scalar engine's own operator on each distinct combination.
    """
    inverse, combos = combine([codes(v) for v in vecs])
    results = []
    for combo in combos:
        if any(value is ERR for value in combo):
            results.append(ERR)
            continue
        try:
            results.append(fn(*combo))
        except Exception:  # noqa: BLE001 - any failure of the scalar operator fails the variant
            results.append(ERR)
    return from_values(results, inverse)


def truth(vec: Vec) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """A condition's value: (true, unknown, failed); a value that is not true, false or unknown fails."""
    if vec.kind == "bool":
        return vec.data, vec.unk, either(vec.err, but_not(vec.null, vec.unk))
    if vec.kind == "obj":
        table_true = np.array([v is True for v in vec.pool])
        table_unk = np.array([isinstance(v, Unknown) for v in vec.pool])
        table_bad = ~(table_true | table_unk | np.array([v is False for v in vec.pool]))
        unk = either(vec.unk, nonempty(table_unk[vec.data]))
        bad = but_not(either(vec.null, nonempty(table_bad[vec.data])), vec.unk)
        return table_true[vec.data], unk, either(vec.err, bad)
    bad = but_not(np.ones(vec.size, bool), vec.unk) if vec.kind != "none" else but_not(vec.null, vec.unk)
    return np.zeros(1, bool), vec.unk, either(vec.err, nonempty(bad))


def boolean(value: np.ndarray, unk: np.ndarray | None = None, err: np.ndarray | None = None) -> Vec:
    """A vector of conditions."""
    return Vec("bool", value, (), None, nonempty(unk) if unk is not None else None,
               nonempty(err) if err is not None else None)


__all__ = ["Vec", "Unsupported", "UNKNOWN", "ERR", "const", "from_values", "to_obj", "select", "merge",
           "codes", "dense", "combine", "lift", "truth", "boolean", "intern", "ident", "compact"]
