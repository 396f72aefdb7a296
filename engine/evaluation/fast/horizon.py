"""The horizon of a lean replay: where its dates and durations can be, looked for only there.

Stage: evaluation (the fast evaluator of answers). Imports evaluation's `horizon`.

`evaluation.horizon.scenario_horizon` walks every field of every event for the
dates and durations that set how far a timeline is replayed. A field whose
type can hold neither (a party, a text, an enum, a flag, an event, or a list
of those) has nothing to give it, so `Walk` leaves such fields out, and gives
the same day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..horizon import _gather, horizon

_PLAIN = frozenset({"event", "actor", "text", "enum", "bool", "int"})
"""Field types whose values hold no date and no duration: the horizon has nothing to find in them."""


class Walk:
    """Per event type, the fields that may hold a date or a duration (the horizon's `_gather` looks at those)."""

    def __init__(self, ruleset: Any):
        self.plain: dict[str, frozenset[str]] = {}
        for name, info in ruleset.event_types.items():
            plain = set()
            for field, spec in info.fields.items():
                kind = spec.type.kind
                item = spec.type.item
                if kind in _PLAIN or kind == "list" and item is not None and item.kind in _PLAIN:
                    plain.add(field)
            self.plain[name] = frozenset(plain)

    def horizon(self, ruleset: Any, events: Any, asked: list[date], readings: list[Any]) -> date:
        """`horizon.scenario_horizon`, looking only where a date or a duration can be."""
        dates = [*(event.date for event in events), *asked]
        periods = set(ruleset.durations)
        plain = self.plain
        values = []
        for event in events:
            skip = plain.get(event.type, frozenset())
            values.extend(value for name, value in event.fields.items() if name not in skip)
        _gather(values, dates, periods)
        _gather(readings, [], periods)
        return horizon(max(dates, default=date.min), periods)
