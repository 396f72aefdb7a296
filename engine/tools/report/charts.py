"""A sweep's answers plotted against the value varied: one step chart per question, as inline SVG.

Stage: tools (report pages). Imports only the standard library (ElementTree
escapes every text).

The x axis is the first variation, in the order of its values (dates, month
steps, durations or a list: one step each); each combination of the other
variations is a series. The y axis follows the answers: dates and numbers on
a scale, yes/no and other values as levels. A run of equal answers is one
horizontal stroke, so a chart of 10,000 points stays small; `<title>`s say
each run in words ("from 2020-01-01 to 2020-03-31: 2020-09-30"). Series
differ in colour and in dash pattern (`style`): overlapping lines stay
visible, and the legend names the pattern.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from typing import Any

WIDTH, HEIGHT = 960.0, 230.0
LEFT, RIGHT, TOP, BOTTOM = 150.0, WIDTH - 20.0, 16.0, HEIGHT - 34.0
MAX_LEVELS = 12
MAX_SERIES = 8
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
COLOURS = ("#1f5fa8", "#b45309", "#15803d", "#7c3aed", "#be123c", "#0e7490", "#4d7c0f", "#57534e")
# Each series also has its own dash pattern, so that lines that overlap (two readings that give the same
# answers) still show each other, and a page printed in grey tells them apart. The first is solid.
DASHES = (("", "solid"), ("9 4", "dashed"), ("2 3", "dotted"), ("12 3 3 3", "dash-dot"),
          ("5 5", "short dashes"), ("14 6", "long dashes"), ("2 3 2 3 8 3", "dot-dot-dash"), ("1 6", "sparse dots"))


def style(number: int) -> tuple[str, str, str]:
    """The n-th series' colour, dash pattern (`stroke-dasharray`, "" for solid) and the pattern's name."""
    dash, name = DASHES[number % len(DASHES)]
    return COLOURS[number % len(COLOURS)], dash, name


@dataclass
class Series:
    """One combination of the other variations: its label and its points (x index, answer text)."""

    label: str
    points: list[tuple[int, str]]


def _scale(values: list[str]) -> tuple[str, dict[str, float], list[tuple[float, str]]]:
    """How answers map to y in [0, 1]: ('date'|'number'|'levels', value → y, ticks)."""
    present = sorted({v for v in values if v != ""})
    if present and all(ISO.match(v) for v in present):
        days = {v: date.fromisoformat(v).toordinal() for v in present}
        low, high = min(days.values()), max(days.values())
        span = max(high - low, 1)
        ys = {v: (d - low) / span for v, d in days.items()}
        picks = sorted({present[0], present[len(present) // 2], present[-1]})
        return "date", ys, [(ys[v], v) for v in picks]
    try:
        numbers = {v: float(v) for v in present}
    except ValueError:
        numbers = {}
    if numbers and not all(v in ("true", "false") for v in present):
        low, high = min(numbers.values()), max(numbers.values())
        span = (high - low) or 1.0
        ys = {v: (n - low) / span for v, n in numbers.items()}
        return "number", ys, [(ys[v], v) for v in sorted({min(numbers, key=numbers.get), max(numbers, key=numbers.get)})]
    order = [v for v in ("false", "true") if v in present] or present
    order += [v for v in present if v not in order]
    if len(order) > MAX_LEVELS:
        order = order[: MAX_LEVELS - 1] + ["(other)"]
    step = 1 / max(len(order) - 1, 1)
    ys = {v: i * step for i, v in enumerate(order)}
    return "levels", ys, [(y, v) for v, y in ys.items()]


def chart(title: str, x_labels: list[str], series: list[Series], x_name: str) -> str:
    """One question's answers against the values varied, as an `<svg>` element (text)."""
    values = [text for s in series for _, text in s.points]
    kind, ys, y_ticks = _scale(values)
    root = ET.Element("svg", {"xmlns": "http://www.w3.org/2000/svg", "class": "chart", "role": "img",
                              "viewBox": f"0 0 {WIDTH:.0f} {HEIGHT:.0f}", "width": f"{WIDTH:.0f}",
                              "height": f"{HEIGHT:.0f}", "font-family": "sans-serif", "font-size": "11"})
    ET.SubElement(root, "title").text = title
    count = max(len(x_labels) - 1, 1)

    def x_of(index: float) -> float:
        return LEFT + (RIGHT - LEFT) * index / count

    def y_of(value: str) -> float | None:
        y = ys.get(value, ys.get("(other)"))
        return None if y is None else BOTTOM - (BOTTOM - TOP) * y

    ET.SubElement(root, "line", {"x1": f"{LEFT}", "x2": f"{RIGHT}", "y1": f"{BOTTOM}", "y2": f"{BOTTOM}",
                                 "class": "axis-line"})
    for y, label in y_ticks:
        at = BOTTOM - (BOTTOM - TOP) * y
        ET.SubElement(root, "line", {"x1": f"{LEFT}", "x2": f"{RIGHT}", "y1": f"{at:.1f}", "y2": f"{at:.1f}",
                                     "class": "grid"})
        text = ET.SubElement(root, "text", {"x": f"{LEFT - 6}", "y": f"{at + 4:.1f}", "text-anchor": "end",
                                            "class": "tick"})
        text.text = label if len(label) <= 22 else label[:21] + "…"
    last = len(x_labels) - 1
    for index in sorted({round(i * last / 6) for i in range(7)}):
        if 0 <= index < len(x_labels):
            anchor = "start" if index == 0 else "end" if index == last else "middle"
            text = ET.SubElement(root, "text", {"x": f"{x_of(index):.1f}", "y": f"{BOTTOM + 16}",
                                                "text-anchor": anchor, "class": "tick"})
            text.text = x_labels[index]
    name = ET.SubElement(root, "text", {"x": f"{RIGHT}", "y": f"{HEIGHT - 4}", "text-anchor": "end",
                                        "class": "tick"})
    name.text = x_name
    for number, line in enumerate(series[:MAX_SERIES]):
        colour, dash, dash_name = style(number)
        attributes = {"class": "series-group", "stroke": colour, "fill": colour}
        if dash:
            attributes["stroke-dasharray"] = dash
        group = ET.SubElement(root, "g", attributes)
        ET.SubElement(group, "title").text = f"{line.label} ({dash_name})"
        previous: tuple[float, float] | None = None
        for start, end, value in runs(line.points):
            y = y_of(value)
            if y is None:
                previous = None
                continue
            x0, x1 = x_of(start), x_of(end)
            if previous is not None and kind != "levels":
                ET.SubElement(group, "line", {"x1": f"{previous[0]:.1f}", "x2": f"{x0:.1f}",
                                              "y1": f"{previous[1]:.1f}", "y2": f"{y:.1f}", "class": "series"})
            run = ET.SubElement(group, "line", {"x1": f"{x0:.1f}", "x2": f"{max(x1, x0 + 1.5):.1f}",
                                                "y1": f"{y:.1f}", "y2": f"{y:.1f}", "class": "series run"})
            span = x_labels[start] if start == end else f"{x_labels[start]} to {x_labels[end]}"
            ET.SubElement(run, "title").text = f"{line.label}: {x_name} {span}: {value or '(no answer)'}"
            previous = (x1, y)
    return ET.tostring(root, encoding="unicode")


def runs(points: list[tuple[int, str]]) -> list[tuple[int, int, str]]:
    """Consecutive points with the same answer, as (first x, last x, answer)."""
    found: list[list[Any]] = []
    for x, value in sorted(points):
        if found and found[-1][2] == value:
            found[-1][1] = x
        else:
            found.append([x, x, value])
    return [tuple(run) for run in found]
