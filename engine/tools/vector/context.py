"""What kernels run in: the vector context, the events of a type, and reading through event references.

Stage: tools (vectorized sweeps). Imports numpy, `vec`, `ops`, the clause
language's `types`, and `mou.values`.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ...language import types as T
from ...values import Event
from . import ops
from .vec import ERR, Vec, but_not, either, combine, const, from_values, merge


class EvList:
    """The events of a type taken effect so far (by the day asked about): candidates and who has each."""

    __slots__ = ("members",)

    def __init__(self, members: list[tuple[Event, np.ndarray | None]]):
        self.members = members  # in the order they took effect; mask None: every variant has it


class VCtx:
    """What a kernel reads: the group's run (state, choices, fields), bindings, the day asked about, today."""

    __slots__ = ("run", "env", "as_of", "now")

    def __init__(self, run: Any, env: dict, as_of: Vec | None = None, now: Vec | None = None):
        self.run = run
        self.env = env
        self.as_of = as_of
        self.now = now

    def child(self, env: dict) -> "VCtx":
        """The same context with other bindings."""
        return VCtx(self.run, env, self.as_of, self.now)


Fn = Callable[[VCtx], Any]


class Kernel:
    """A compiled expression: its static type and its function of a `VCtx`."""

    __slots__ = ("type", "fn")

    def __init__(self, type_: T.Type, fn: Fn):
        self.type = type_
        self.fn = fn


def materialize(value: Any, n: int) -> Vec:
    """A vector of lists from the events of a type (each variant's list, in order); vectors pass through."""
    if not isinstance(value, EvList):
        return value
    members = value.members
    if all(mask is None for _, mask in members):
        return const(tuple(event for event, _ in members))
    parts = []
    for _, mask in members:
        bits = np.ones(1, np.int64) if mask is None else mask.astype(np.int64)
        parts.append((bits, [False, True]))
    inverse, combos = combine(parts)
    values = [tuple(event for (event, _), keep in zip(members, combo) if keep) for combo in combos]
    return from_values(values, inverse)


def event_vec(event: Event) -> Vec:
    """One event, the same for every variant."""
    return const(event)


def by_event(subject: Vec, read: Callable[[Event], Vec]) -> Vec:
    """`read(event)` for each distinct event the subject holds, merged; a subject that is not an event fails."""
    if subject.kind == "obj" and len(subject.data) == 1 and subject.special() is None:
        value = subject.pool[int(subject.data[0])]
        if isinstance(value, Event):
            return read(value)
    if subject.kind != "obj":
        result = const(ERR) if subject.kind != "none" else Vec("none", np.zeros(1, np.int64))
        return subject_masks(result, subject)
    present = np.unique(subject.data)
    parts = []
    bad = np.zeros(len(subject.pool), bool)
    for code in present.tolist():
        value = subject.pool[code]
        if isinstance(value, Event):
            parts.append((subject.data == code, read(value)))
        else:
            bad[code] = True
    result = merge(parts, const(ERR)) if parts else const(ERR)
    return subject_masks(result, subject)


def subject_masks(result: Vec, subject: Vec) -> Vec:
    """Reading a field of unknown is unknown; of none (or of a failed value) fails."""
    result = ops.unknown_where(result, subject.unk)
    return result.with_err(either(subject.err, but_not(subject.null, subject.unk)))
