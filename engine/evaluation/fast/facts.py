"""The facts of a fast replay: the usual `State`, with a read that gives the value alone.

Stage: evaluation (the fast evaluator of answers). Imports evaluation's `state`.

The two-valued closures read a fact's value and never the firing that set it
(which explanations cite), so `Facts.value` gives the value without building
the pair `State.attr` returns. Everything else, and every fact, is the
`State`'s: a fast replay's state is made as any replay's and then read
through this class (`FastReplay`), so questions, properties and the
three-valued closures read it as they read any state.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from typing import Any

from ..state import State


class Facts(State):
    """A `State` read value by value (see the module docstring), and written with fewer allocations."""

    def value(self, key: str, name: str, as_of: date | None) -> Any:
        """The value of a fact at the end of `as_of` (the latest when None): `State.attr`'s first half."""
        history = self._history.get((key, name))
        if history is not None:
            if as_of is None:
                return history[1][-1]
            index = bisect_right(history[0], as_of) - 1
            if index >= 0:
                return history[1][index]
        kind = self._types.get(key)
        if kind is not None:
            return self._event_attrs[kind][name]
        return self._initial[(key, name)]

    def entity(self, key: str, name: str, as_of: date | None) -> Any:
        """`value` for a fact of an entity or a parameter (`$…`), which no event's id can be: no event type looked
        up for its initial value. It repeats `value`'s lines on purpose: a call more per read costs on the hot
        path (as `_checked`'s one-step readers do)."""
        history = self._history.get((key, name))
        if history is not None:
            if as_of is None:
                return history[1][-1]
            index = bisect_right(history[0], as_of) - 1
            if index >= 0:
                return history[1][index]
        return self._initial[(key, name)]

    def set(self, key: str, name: str, value: Any, day: date, source: int | None) -> None:
        """`State.set`, without building a fact's empty history each time it is set."""
        self.version += 1
        if self.journal is not None:
            self.journal.append((key, name, value, day, source))
        history = self._history.get((key, name))
        if history is None:
            history = self._history[(key, name)] = ([], [], [])
        history[0].append(day)
        history[1].append(value)
        history[2].append(source)

    def arrive(self, event: Any, day: date) -> None:
        """`State.arrive`, without building a type's empty lists each time one of its events arrives."""
        self.version += 1
        found = self._by_type.get(event.type)
        if found is None:
            found = self._by_type[event.type] = ([], [])
        found[0].append(day)
        found[1].append(event)
