"""A date axis for pictures: piecewise linear, with long quiet stretches folded.

Stage: tools (report pages). Imports only the standard library.

A case often has a signature in one year and everything else a decade later.
On a linear axis the decade would take the whole width. `Axis` keeps a
margin around every date that matters and folds each long stretch between
them into a short break (drawn as a zigzag), so that what happens is
readable; positions stay in date order. `ticks()` gives labelled ticks
(years, months or days, as the scale allows) that never overlap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

BREAK_PX = 28.0
"""The width of a folded stretch."""
MIN_LABEL_PX = 64.0
"""Tick labels are at least this far apart."""


@dataclass(frozen=True)
class Segment:
    """A stretch of days drawn linearly (or folded: `folded`)."""

    start: date
    end: date
    x0: float
    x1: float
    folded: bool

    def x(self, day: date) -> float:
        """The position of a day inside this stretch."""
        span = (self.end - self.start).days
        if span <= 0:
            return self.x0
        return self.x0 + (self.x1 - self.x0) * (day - self.start).days / span


class Axis:
    """Dates → x positions between `left` and `right`, long quiet stretches folded."""

    def __init__(self, days: Iterable[date], left: float, right: float, fold: bool = True):
        found = sorted(set(days))
        if not found:
            found = [date(2000, 1, 1)]
        first, last = found[0], found[-1]
        total = max((last - first).days, 1)
        quiet = max(730, total // 5)  # a stretch longer than this (and than a fifth of the whole) is folded
        # First cut the dates into clusters; then the margin around each date follows the widest cluster,
        # so that a lone date (a signature a decade earlier) takes little room.
        clusters = _clusters(found, timedelta(days=max(10, total // 40)), quiet if fold else None)
        widest = max((cluster[-1] - cluster[0]).days for cluster in clusters)
        margin = timedelta(days=max(7, widest // 25) if fold and len(clusters) > 1 else max(10, total // 40))
        self.start, self.end = first - margin, last + margin
        self.left, self.right = left, right
        spans: list[list[date]] = []  # the stretches around dates that matter, merged
        for day in found:
            low, high = day - margin, day + margin
            if spans and low <= spans[-1][1] + margin:
                spans[-1][1] = max(spans[-1][1], high)
            else:
                spans.append([low, high])
        pieces: list[tuple[date, date, bool]] = []
        for index, (low, high) in enumerate(spans):
            if index:
                gap_start = pieces[-1][1]
                folded = fold and (low - gap_start).days > quiet
                pieces.append((gap_start, low, folded))
            pieces.append((low, high, False))
        folds = sum(1 for piece in pieces if piece[2])
        linear_days = sum(max((b - a).days, 0) for a, b, f in pieces if not f) or 1
        width = max(right - left - folds * BREAK_PX, 10.0)
        x = left
        self.segments: list[Segment] = []
        for a, b, folded in pieces:
            step = BREAK_PX if folded else width * max((b - a).days, 0) / linear_days
            self.segments.append(Segment(a, b, x, x + step, folded))
            x += step

    @property
    def folds(self) -> list[Segment]:
        """The folded stretches (where the picture draws a break)."""
        return [segment for segment in self.segments if segment.folded]

    def x(self, day: date) -> float:
        """The position of a day (days before or after the axis are clamped to its ends)."""
        if day <= self.start:
            return self.left
        for segment in self.segments:
            if day <= segment.end:
                return segment.x(day)
        return self.right

    def ticks(self) -> list[tuple[float, str]]:
        """Labelled ticks on the unfolded stretches: years, else months, else days; never closer than a label."""
        result: list[tuple[float, str]] = []
        for segment in self.segments:
            if segment.folded:
                continue
            days = max((segment.end - segment.start).days, 1)
            per_day = (segment.x1 - segment.x0) / days
            found = _candidates(segment.start, segment.end, per_day)
            if not found:  # a short stretch between folds: name it by its middle day's month
                middle = segment.start + (segment.end - segment.start) / 2
                found = [(middle, middle.strftime("%Y-%m"))]
            for day, label in found:
                x = segment.x(day)
                if not result or x - result[-1][0] >= MIN_LABEL_PX:
                    result.append((x, label))
        return result


def _candidates(start: date, end: date, per_day: float) -> list[tuple[date, str]]:
    """Tick dates inside [start, end] at the finest step whose labels fit: weeks, months, or years."""
    if per_day * 7 >= MIN_LABEL_PX:
        found, day = [], start
        while day <= end:
            found.append((day, day.isoformat()))
            day += timedelta(days=7)
        return found
    for months in (1, 2, 3, 6):
        if per_day * 30.4 * months >= MIN_LABEL_PX:
            return [(d, d.strftime("%Y-%m")) for d in _months(start, end) if (d.month - 1) % months == 0]
    step = 1
    while per_day * 365 * step < MIN_LABEL_PX:
        step *= 2
    return [(date(year, 1, 1), str(year)) for year in range(start.year + 1, end.year + 1) if year % step == 0]


def _clusters(days: list[date], margin: timedelta, quiet: int | None) -> list[list[date]]:
    """The dates in groups separated by quiet stretches (None: one group)."""
    groups: list[list[date]] = [[days[0]]]
    for day in days[1:]:
        if quiet is not None and (day - groups[-1][-1] - 2 * margin).days > quiet:
            groups.append([day])
        else:
            groups[-1].append(day)
    return groups


def _months(start: date, end: date) -> list[date]:
    found = []
    year, month = start.year, start.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        day = date(year, month, 1)
        if day > end:
            return found
        found.append(day)
