"""The input checks of the clause files on varied events, per variant.

Stage: tools (vectorized sweeps). Imports numpy, `vec`, `context`, `plan`,
scenario files' `builder`, and `mou.values`.

A sweep refuses a variant whose changed events fail an input check (e.g. a
communication received before it is sent), as `Sweep._check` does: the first
failing check of the first changed event names the problem. Checks read only
the event's fields, so their kernels run on the varied fields alone. A check
the kernels cannot evaluate runs as the scalar closure once per distinct
combination of the event's varied fields; a variant where a check fails to
evaluate goes to the scalar engine.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Mapping

import numpy as np

from ...scenario.builder import failed_checks
from ...values import Event
from .context import VCtx, event_vec
from .plan import RulesetKernels
from .vec import ERR, Unsupported, Vec, codes, combine, const, truth


class _NoState:
    def read(self, key: str, name: str, as_of: Any) -> Vec:
        raise Unsupported("an input check that reads derived facts")


class CheckRun:
    """What a check's kernel may read: the event's fields (varied or as given)."""

    state = _NoState()

    def __init__(self, n: int, fields: Mapping[tuple[str, str], Vec]):
        self.n = n
        self.fields = fields

    def field(self, event: Event, name: str) -> Vec:
        """A field of an event."""
        found = self.fields.get((event.id, name))
        return found if found is not None else const(event.date if name == "date" else event.fields[name])

    def choice(self, name: str) -> Vec:
        raise Unsupported("an input check that reads a choice")

    def members(self, type_name: str, as_of: Any) -> list:
        raise Unsupported("an input check that ranges over events")

    def memoized(self, name: str, as_of: Any, compute: Callable[[], Vec]) -> Vec:
        return compute()


def first_failed(kernels: RulesetKernels, event: Event, fields: Mapping[tuple[str, str], Vec],
                 n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per variant: the index of the event's first failing check (-1: none), and where a check failed to run."""
    checks = kernels.ruleset.event_types[event.type].checks
    try:
        return _by_kernels(kernels, event, fields, n, len(checks))
    except Unsupported:
        return _by_combination(kernels, event, fields, n, checks)


def _by_kernels(kernels, event, fields, n, count) -> tuple[np.ndarray, np.ndarray]:
    first = np.full(n, -1, np.int64)
    broken = np.zeros(n, bool)
    ctx = VCtx(CheckRun(n, fields), {"event": event_vec(event)})
    open_ = np.ones(n, bool)
    for index in range(count):
        value, unk, err = truth(kernels.check(event.type, index).fn(ctx))
        if err is not None:
            broken |= open_ & err
            open_ = open_ & ~err
        false = open_ & ~value
        if unk is not None:
            false = false & ~unk
        first = np.where(false, index, first)
        open_ = open_ & ~false
    return first, broken


def _by_combination(kernels, event, fields, n, checks) -> tuple[np.ndarray, np.ndarray]:
    referenced = {value.id for value in event.fields.values() if isinstance(value, Event)}
    if any(eid in referenced for eid, _ in fields):  # a check may read the varied event it refers to
        return np.full(n, -1, np.int64), np.ones(n, bool)  # every variant to the scalar engine
    names = sorted({name for (eid, name) in fields if eid == event.id})
    inverse, combos = combine([codes(fields[(event.id, name)]) for name in names]) if names else \
        (np.zeros(1, np.int64), [()])
    found = []
    for combo in combos:
        values = dict(zip(names, combo))
        updated = {k: v for k, v in values.items() if k != "date"}
        changed = replace(event, date=values.get("date", event.date), fields={**event.fields, **updated})
        try:
            check = next(failed_checks(kernels.ruleset, changed), None)
            found.append(-1 if check is None else checks.index(check))
        except Exception:  # noqa: BLE001 - the scalar engine raises here too: its row will say so
            found.append(ERR)
    first = np.array([-1 if f is ERR else f for f in found], np.int64)[inverse]
    broken = np.array([f is ERR for f in found])[inverse]
    return np.broadcast_to(first, (n,)), np.broadcast_to(broken, (n,))
