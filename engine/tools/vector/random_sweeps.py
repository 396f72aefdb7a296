"""Random sweeps for the differential test of the kernels against the scalar engine.

Stage: tools (vectorized sweeps). Imports the strategies (`Pick`, `pick_date`,
`pick_duration` and their texts and non-parties) and the clause language's
`types`.

`pick_variations(pick, scenario, ruleset)` draws what a sweep varies (event
fields, choices, parameters) and over which values, written as a user writes
`--vary` (lists `a,b,c` and ranges `START..END/STEP`), small enough that the
scalar engine can run every variant of it too.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ...language import types as T
from ..strategies import NON_PARTIES, TEXTS, Pick, pick_date, pick_duration

MAX_VARIANTS = 48


def _date_values(pick: Pick, near: Any) -> str:
    start = near + timedelta(days=pick.integer(-40, 40)) if near is not None else pick_date(pick)
    if pick.integer(0, 2) == 0:
        return ",".join(sorted({(start + timedelta(days=pick.integer(0, 500))).isoformat()
                                for _ in range(pick.integer(1, 4))}))
    if pick.integer(0, 1):
        return f"{start.isoformat()}..{(start + timedelta(days=pick.integer(0, 11))).isoformat()}"
    months = pick.integer(1, 5)
    step = pick.choice(("1 month", "2 months", "1 year"))
    span = months * (12 if step == "1 year" else int(step.split()[0]))
    return f"{start.isoformat()}..{(start + timedelta(days=31 * span)).isoformat()}/{step}"


def _duration_values(pick: Pick) -> str:
    if pick.integer(0, 1):
        return ",".join(str(pick_duration(pick)) for _ in range(pick.integer(1, 4)))
    unit = pick.choice(("days", "months"))
    first = pick.integer(1, 14)
    return f"{first} {unit}..{first + pick.integer(0, 5)} {unit}"


def values_text(pick: Pick, type_: T.Type, ruleset: Any, near: Any = None) -> str | None:
    """Values of a type, as `--vary` takes them (None when the type cannot be varied)."""
    kind = type_.kind
    if kind == "date":
        return _date_values(pick, near)
    if kind == "duration":
        return _duration_values(pick)
    if kind == "enum":
        return ",".join(pick.choice(type_.values) for _ in range(pick.integer(1, 3)))
    if kind == "bool":
        return pick.choice(("true,false", "false,true", "true", "false"))
    if kind == "int":
        first = pick.integer(0, 4)
        return f"{first}..{first + pick.integer(0, 3)}"
    if kind == "actor":
        return ",".join(pick.choice(ruleset.parties * 3 + NON_PARTIES) for _ in range(pick.integer(1, 3)))
    if kind == "text":
        return ",".join(pick.choice(TEXTS) for _ in range(pick.integer(1, 3)))
    if kind == "list" and type_.item is not None and type_.item.kind != "event":
        return values_text(pick, type_.item, ruleset, near)
    return None


def pick_variations(pick: Pick, scenario: Any, ruleset: Any) -> list[str]:
    """One to three `--vary` specifications for a scenario (at most MAX_VARIANTS variants in all)."""
    specs: list[str] = []
    for _ in range(pick.integer(1, 3)):
        what = pick.integer(0, 5)
        spec = None
        if what <= 3 and scenario.events:
            event = pick.choice(list(scenario.events))
            definition = ruleset.event_types[event.type]
            names = ["date", *sorted(f for f, d in definition.fields.items() if d.type.kind != "event")]
            name = pick.choice(names)
            type_ = T.DATE if name == "date" else definition.fields[name].type
            text = values_text(pick, type_, ruleset, event.date)
            spec = f"{event.id}.{name}={text}" if text else None
        elif what == 4 and ruleset.choices:
            name = pick.choice(sorted(ruleset.choices))
            choice = ruleset.choices[name]
            if choice.values:
                options = [str(v).lower() if isinstance(v, bool) else str(v) for v in choice.values]
                text = ",".join(pick.choice(options) for _ in range(pick.integer(1, len(options))))
            else:
                text = values_text(pick, choice.type, ruleset)
            spec = f"interpretation.{name}={text}" if text else None
        elif ruleset.parameters:
            name = pick.choice(sorted(ruleset.parameters))
            text = values_text(pick, ruleset.parameters[name].type, ruleset)
            spec = f"parameters.{name}={text}" if text else None
        if spec is not None:
            specs.append(spec)
    return specs
