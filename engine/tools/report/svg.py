"""The timeline picture: a `Timeline` drawn as inline SVG.

Stage: tools (report pages). Imports `axis` and `timeline`; the SVG is
built with the standard library's ElementTree, which escapes every text and
attribute, so nothing a scenario says can become markup.

The picture has a date axis on top (long quiet stretches folded, see
`axis`), the agreement's life as coloured bands, then one lane per party:
its events (a dot; the dates an event carries as ticks on a span), then, below
them and drawn smaller, each party's duties' windows (a bar from trigger to
deadline, act or lapse, coloured by status; an open window runs to the edge).
Duties are secondary to what happened: windows that are the same (same days,
status and ticks, as the standing duties of a party mostly are) are drawn as
one bar labelled with all their paragraphs, in thinner rows. Every shape
carries a `<title>`, which browsers show on hover (a grouped bar: every
duty's words), and classes the page's stylesheet colours. Items in a lane are
packed into rows so that neither shapes nor labels overlap, and no axis label
runs past the picture's edge.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date

from .axis import Axis
from .timeline import LIFE, Item, Timeline

WIDTH = 960.0
LEFT = 132.0
RIGHT = WIDTH - 14.0
AXIS_HEIGHT = 30.0
ROW = 20.0
DUTY_ROW = 16.0  # duties are secondary: thinner rows and bars, smaller labels (see report.css)
BAND = 22.0
CHAR = 6.6  # the width of a character of the labels (11px sans-serif), for packing
DUTY_CHAR = 6.0  # the same at 10px, the duties' labels
LANE_GAP = 8.0


def text_width(text: str, char: float = CHAR) -> float:
    """An estimate of a label's width in pixels."""
    return len(text) * char


def is_duty(item: Item) -> bool:
    """Whether an item is a duty's window (else an event)."""
    return item.kind.startswith("duty-")


def grouped(items: list[Item]) -> list[Item]:
    """The items as drawn: duty windows that look alike (same lane, days, status and ticks) as one bar.

    Its label names every paragraph ("A.1, B.2, C") and its hover text
    holds every duty's words, one a line; events are drawn one by one.
    """
    found: dict[tuple, list[Item]] = {}
    for item in items:
        key = (item.lane, item.start, item.end, item.kind, item.open_end,
               tuple((t.day, t.kind) for t in item.ticks)) if is_duty(item) else (id(item),)
        found.setdefault(key, []).append(item)
    return [same[0] if len(same) == 1 else replace(
        same[0], label=", ".join(dict.fromkeys(item.label for item in same)),
        says="\n".join(dict.fromkeys(item.says for item in same))) for same in found.values()]


def _el(parent: ET.Element, tag: str, title: str | None = None, **attributes: object) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): _fmt(v) for k, v in attributes.items()})
    if title:
        ET.SubElement(element, "title").text = title
    return element


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return str(value)


def extent(item: Item, axis: Axis) -> tuple[float, float, float, float, str]:
    """(left, right) of an item with its label, its shape's x0 and x1, and where its label goes.

    The label goes after the shape (`right`); inside a window wide enough for it (`inside`); else before
    the shape (`left`) when there is no room after it.
    """
    x0 = axis.x(item.start)
    x1 = axis.right if item.open_end and item.end is None else axis.x(item.end) if item.end else x0
    label = text_width(item.label, DUTY_CHAR if is_duty(item) else CHAR) + 8
    if is_duty(item) and x1 - x0 >= label + 4:
        return x0 - 2, x1 + 10, x0, x1, "inside"
    if x1 + label > axis.right + 10 and x0 - label >= 4:
        return x0 - label - 6, x1 + 6, x0, x1, "left"
    return x0 - 6, x1 + label + 6, x0, x1, "right"


def pack(items: list[Item], axis: Axis) -> list[int]:
    """The row of each item: the first row where it overlaps nothing (greedy, in the items' order)."""
    rows: list[list[tuple[float, float]]] = []
    found = []
    for item in items:
        left, right = extent(item, axis)[:2]
        for index, taken in enumerate(rows):
            if all(right <= a or left >= b for a, b in taken):
                taken.append((left, right))
                found.append(index)
                break
        else:
            rows.append([(left, right)])
            found.append(len(rows) - 1)
    return found


def render(timeline: Timeline, title: str = "") -> str:
    """The timeline as an `<svg>` element (text)."""
    axis = Axis(timeline.days(), LEFT, RIGHT)
    root = ET.Element("svg", {"xmlns": "http://www.w3.org/2000/svg", "class": "timeline", "role": "img",
                              "font-family": "sans-serif", "font-size": "11"})
    if title:
        ET.SubElement(root, "title").text = title
    grid = ET.SubElement(root, "g", {"class": "axis"})  # drawn first: the lanes lie over its grid and folds
    body = ET.SubElement(root, "g", {"class": "lanes"})
    y = AXIS_HEIGHT
    for key, label in timeline.lanes:
        top = y
        if key == LIFE:
            y = _life(body, timeline, axis, y)
        else:
            items = grouped([item for item in timeline.items if item.lane == key])
            duties = bool(items) and all(is_duty(item) for item in items)
            height = DUTY_ROW if duties else ROW
            rows = pack(items, axis)
            for item, row in zip(items, rows):
                _item(body, item, axis, y + row * height + height / 2)
            y += max(max(rows, default=-1) + 1, 1) * height
        y += LANE_GAP
        _el(body, "line", x1=0, x2=WIDTH, y1=y - LANE_GAP / 2, y2=y - LANE_GAP / 2, class_="lane-rule")
        lane_label = _el(body, "text", x=6, y=top + (11 if key != LIFE and duties else 14),
                         class_="lane-label duty-lane" if key != LIFE and duties else "lane-label")
        lane_label.text = label
    height = y + 6
    _axis(grid, axis, height)
    if timeline.as_of is not None:
        x = axis.x(timeline.as_of)
        _el(root, "line", f"the report's date: {timeline.as_of.isoformat()}", x1=x, x2=x, y1=AXIS_HEIGHT - 4,
            y2=height, class_="as-of")
        words = f"as of {timeline.as_of.isoformat()}"
        near_edge = x + text_width(words) + 4 > WIDTH
        mark = _el(root, "text", x=x - 3 if near_edge else x + 3, y=AXIS_HEIGHT - 6, class_="as-of-label",
                   text_anchor="end" if near_edge else "start")
        mark.text = words
    root.set("viewBox", f"0 0 {_fmt(WIDTH)} {_fmt(height)}")
    root.set("width", _fmt(WIDTH))
    root.set("height", _fmt(height))
    return ET.tostring(root, encoding="unicode")


def _axis(group: ET.Element, axis: Axis, height: float) -> None:
    _el(group, "line", x1=axis.left, x2=axis.right, y1=AXIS_HEIGHT - 2, y2=AXIS_HEIGHT - 2, class_="axis-line")
    for x, label in axis.ticks():
        _el(group, "line", x1=x, x2=x, y1=AXIS_HEIGHT - 6, y2=height, class_="grid")
        if x + 2 + text_width(label) > WIDTH:
            continue  # it would be cut off at the picture's edge: the grid line stays, unlabelled
        text = _el(group, "text", x=x + 2, y=AXIS_HEIGHT - 16, class_="tick")
        text.text = label
    for fold in axis.folds:
        span = f"{fold.start.isoformat()} to {fold.end.isoformat()}: nothing happens (folded)"
        _el(group, "rect", span, x=fold.x0 + 2, y=AXIS_HEIGHT - 2, width=fold.x1 - fold.x0 - 4,
            height=height - AXIS_HEIGHT, class_="fold")
        mid = (fold.x0 + fold.x1) / 2
        _el(group, "path", span, d=f"M{_fmt(mid - 6)},{_fmt(AXIS_HEIGHT - 8)} l4,8 l4,-8 l4,8", class_="fold-mark")


def _life(body: ET.Element, timeline: Timeline, axis: Axis, y: float) -> float:
    rows = list(dict.fromkeys(band.row for band in timeline.bands))
    for row in rows:
        for band in (b for b in timeline.bands if b.row == row):
            x0 = axis.left if band.start == date.min else axis.x(band.start)
            x1 = axis.right if band.end is None else axis.x(band.end)
            group = _el(body, "g", band.says, class_=f"band tone-{band.tone}")
            _el(group, "rect", x=x0, y=y + 2, width=max(x1 - x0, 1.5), height=BAND - 4)
            words = band.value.replace("_", " ")
            if text_width(words) + 6 < x1 - x0:
                label = _el(group, "text", x=x0 + 3, y=y + BAND / 2 + 4, class_="band-label")
                label.text = words
        y += BAND
    ticks = sorted(timeline.life_ticks, key=lambda t: t.day)
    if ticks:
        for tick in ticks:
            x = axis.x(tick.day)
            _el(body, "path", tick.says, d=f"M{_fmt(x)},{_fmt(y + 1)} l-5,9 h10 z", class_="life-tick")
        y += 12
    return y


def _item(body: ET.Element, item: Item, axis: Axis, y: float) -> None:
    _, _, x0, x1, place = extent(item, axis)
    group = _el(body, "g", item.says, class_=f"item {item.kind}")
    duty = is_duty(item)
    if duty:
        # a thin bar in the row's lower half; a label that fits on it goes above it, in the upper half
        _el(group, "rect", x=x0, y=y + 1, width=max(x1 - x0, 3.0), height=5, rx=2, class_="window")
        if item.open_end:
            _el(group, "path", d=f"M{_fmt(x1)},{_fmt(y)} l5,3.5 l-5,3.5 z", class_="open-end")
    else:
        if x1 > x0:
            _el(group, "line", x1=x0, x2=x1, y1=y, y2=y, class_="span")
        _el(group, "circle", cx=x0, cy=y, r=5, class_="dot")
    top, bottom = (y - 1, y + 7) if duty else (y - 7, y + 7)
    for tick in item.ticks:
        x = axis.x(tick.day)
        _el(group, "line", tick.says, x1=x, x2=x, y1=top, y2=bottom, class_=f"tick-mark {tick.kind}")
    x = {"left": x0 - 8, "inside": x0 + 1, "right": x1 + 8}[place]
    if duty:
        label = _el(group, "text", x=x, y=y - 1 if place == "inside" else y + 7, class_="item-label duty-label",
                    text_anchor="end" if place == "left" else "start")
    else:
        label = _el(group, "text", x=x, y=y + 4, class_="item-label", text_anchor="end" if place == "left" else "start")
    label.text = item.label
