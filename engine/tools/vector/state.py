"""The evaluation state of a group of variants: facts with history, one array per entry.

Stage: tools (vectorized sweeps). Imports numpy, `vec`, the clause language's
`ruleset` and `mou.values`.

It mirrors `evaluation.state.State`: every fact is a list of entries (the day
it was set, its value), and a read "at the end of day D" takes the last entry
set on or before D. Here an entry also has a mask: the variants in which the
rule that set it applied. A read is therefore a fold of `select`s over the
entries, the latest applying entry winning in each variant.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from ...language.ruleset import RuleSet
from ...values import Event
from .vec import Vec, const, select

PARAM_KEY = "$param"


class VState:
    """Facts with history for `n` variants (see the module docstring)."""

    def __init__(self, ruleset: RuleSet, events: tuple[Event, ...], parameters: Mapping[str, Vec]):
        self._history: dict[tuple[str, str], list[tuple[Vec, Vec, np.ndarray | None]]] = {}
        self._initial: dict[tuple[str, str], Vec] = {}
        for entity, attributes in ruleset.entity_attributes.items():
            for name, attribute in attributes.items():
                self._initial[("$" + entity, name)] = const(attribute.initial)
        for name in ruleset.parameters:
            self._initial[(PARAM_KEY, name)] = parameters[name]
        self._event_attrs = ruleset.initial_event_attributes
        self._types = {event.id: event.type for event in events}
        self.version = 0  # bumped by every change, so definitions can be memoized

    def initial(self, key: str, name: str) -> Vec:
        """The value a fact has before any rule sets it."""
        found = self._initial.get((key, name))
        if found is None:
            found = self._initial[(key, name)] = const(self._event_attrs[self._types[key]][name])
        return found

    def read(self, key: str, name: str, as_of: Vec | None) -> Vec:
        """The value of a fact at the end of `as_of` (its latest value when None), per variant."""
        entries = self._history.get((key, name))
        if not entries:
            return self.initial(key, name)
        if as_of is None and entries[-1][2] is None:
            return entries[-1][1]
        result = self.initial(key, name)
        for day, value, mask in entries:
            if as_of is None:
                result = value if mask is None else select(mask, value, result)
                continue
            applies = day.data <= as_of.data
            if mask is not None:
                applies = applies & mask
            if applies.all():
                result = value
            elif applies.any():
                result = select(applies, value, result)
        return result

    def set(self, key: str, name: str, value: Vec, day: Vec, mask: np.ndarray | None) -> None:
        """Record a new value of a fact, set on `day`, in the variants of `mask` (None: all)."""
        self.version += 1
        self._history.setdefault((key, name), []).append((day, value, mask))
