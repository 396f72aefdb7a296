"""Dates and durations: every calendar computation of the engine, nothing else.

Stage: after errors. Imports nothing else from the engine.

Dates are `datetime.date`; scenario and clause files write them as ISO
`YYYY-MM-DD` strings, which `parse_date` reads (YAML's own timestamp parsing is
never used, so an impossible date gets our message and its line).

Durations are a count of days, months or years. Adding months follows one named
month-end rule, `MONTH_END_RULE`: Regulation (EEC, Euratom) No 1182/71,
Art. 3(2)(c), under which a period of months ends on the day of the last month
with the same number as the starting day, or on that month's last day when it
has no such day. Years are twelve months (29 February + 1 year = 28 February).
Weekends and holidays never move a date (the same Regulation, Art. 4).

The calendar rule: no input can make a computed date leave the calendar.
Python's calendar ends on 9999-12-31 (and starts on 0001-01-01). Every date an
input gives (events, `as_of`, question dates, sweep values, dates written in
clause files) lies in the years `FIRST_YEAR`–`LAST_YEAR` (1000–8999), and
every duration an input gives (event fields, `parameters:`, an amendment's
`changes`, `--set`, `--interpret`, `--range`, sweep values and steps,
durations written in clause files) is at most `MAX_DURATION` long: 100 years,
1,200 months or 36,525 days. A date the clause files compute by adding (or
subtracting) up to `HEADROOM` such periods to an input date therefore stays
inside the calendar: 8999-12-31 + 9 × 100 years = 9899-12-31, and 1000-01-01 −
9 × 100 years = 0100-01-01. The shipped clauses add at most two (a notice
period, then one day). Input that breaks the rule is refused where it is
read, at its line and column, with the limit in the message; a clause file
that chains more than `HEADROOM` periods (or reschedules itself without end)
can still run off the calendar, and that is reported at its rule.
"""

from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTH_END_RULE = "clamp-to-month-end (Reg. 1182/71 Art. 3(2)(c))"
"""The name of the month-end rule, quoted by explanations that add months."""

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DURATION = re.compile(r"\s*(\d+)\s*(day|days|month|months|year|years)\s*")
_UNITS = {"day": "days", "days": "days", "month": "months", "months": "months",
          "year": "years", "years": "years"}

ONE_DAY = timedelta(days=1)
FIRST_YEAR, LAST_YEAR = 1000, 8999
"""The years an input date may have (the calendar rule, in the module docstring)."""
MAX_YEARS = 100
MAX_COUNT = {"years": MAX_YEARS, "months": MAX_YEARS * 12, "days": MAX_YEARS * 36525 // 100}
"""The longest duration an input may give, in each unit: 100 years, 1,200 months, 36,525 days."""
HEADROOM = 9
"""How many longest durations the clause files may chain onto an input date inside the calendar."""
LONGEST = f"{MAX_YEARS} years, {MAX_COUNT['months']:,} months or {MAX_COUNT['days']:,} days"


class DateError(ValueError):
    """A date or duration string that cannot be read; the message says why."""


def parse_date(text: str) -> date:
    """Read an ISO `YYYY-MM-DD` date, with a message that says what is wrong."""
    if not isinstance(text, str):
        raise DateError(f"expected a date written YYYY-MM-DD, e.g. 2009-01-27; got {text!r}")
    match = _DATE.fullmatch(text.strip())
    if not match:
        raise DateError(f"expected a date written YYYY-MM-DD, e.g. 2009-01-27; got {text!r}")
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise DateError(f"{text!r} is not a date: there is no month {month}")
    if year < 1:
        raise DateError(f"{text!r} is not a date: years start at 0001")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateError(f"{text!r} is outside the years this engine reckons with ({FIRST_YEAR}–{LAST_YEAR})")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = calendar.month_name[month]
        raise DateError(f"{text!r} is not a date: {name} {year} has {last} days")
    return date(year, month, day)


def format_date(value: date) -> str:
    """The ISO form of a date, as answers print it."""
    return value.isoformat()


@dataclass(frozen=True)
class Duration:
    """A period of `count` days, months or years, kept as written.

    Two durations are equal when they denote the same period: `1 year` equals
    `12 months`; days never equal months.
    """

    count: int
    unit: str  # "days", "months" or "years"

    @property
    def months(self) -> int | None:
        """The length in months, or None for a duration in days."""
        if self.unit == "days":
            return None
        return self.count * 12 if self.unit == "years" else self.count

    def _key(self) -> tuple[str, int]:
        months = self.months
        return ("days", self.count) if months is None else ("months", months)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Duration) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def comparable(self, other: "Duration") -> bool:
        """Whether the two can be ordered (both in days, or both in months/years)."""
        return (self.months is None) == (other.months is None)

    def __lt__(self, other: "Duration") -> bool:
        if not self.comparable(other):
            raise DateError(f"cannot compare {self} with {other}: days and months differ in length")
        return self._key()[1] < other._key()[1]

    def __le__(self, other: "Duration") -> bool:
        return self == other or self < other

    def __str__(self) -> str:
        unit = self.unit[:-1] if self.count == 1 else self.unit
        return f"{self.count} {unit}"


def parse_duration(text: str) -> Duration:
    """Read `N days`, `N months` or `N years` (singular allowed for 1), at most `MAX_COUNT` long."""
    expected = f"expected a duration such as '6 months', '30 days' or '1 year'; got {text!r}"
    if not isinstance(text, str):
        raise DateError(expected)
    match = _DURATION.fullmatch(text)
    if not match:
        near = re.fullmatch(r"\s*(\d+)\s*([A-Za-z]+)\s*", text)
        if near:
            unit = difflib.get_close_matches(near.group(2).lower(), list(_UNITS), n=1, cutoff=0.6)
            if unit:
                raise DateError(f"{expected}; did you mean '{near.group(1)} {_UNITS[unit[0]]}'?")
        raise DateError(expected)
    return duration_of(match.group(1), _UNITS[match.group(2)], text.strip())


def duration_of(count: str | int, unit: str, written: str = "") -> Duration:
    """A duration of `count` `unit`s ("days", "months", "years"), refused past `MAX_COUNT` (the calendar rule)."""
    written = written or f"{count} {unit}"
    digits = str(count).lstrip("0") or "0"
    if len(digits) > 9 or int(digits) > MAX_COUNT[unit]:
        raise DateError(f"{written!r} is longer than {MAX_YEARS} years, the longest period mou reckons with "
                        f"(at most {LONGEST})")
    return Duration(int(digits), unit)


def add_months(start: date, months: int) -> date:
    """`start` plus a number of calendar months, under `MONTH_END_RULE`.

    The result has the day number of `start`, or the last day of the target
    month when that month is shorter (2019-08-31 + 6 months = 2020-02-29).
    """
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise DateError(f"{start} + {months} months is outside the calendar (0001-01-01 to 9999-12-31)")
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add(start: date, duration: Duration) -> date:
    """`start` plus `duration`: the last day of a period that runs from `start`."""
    try:
        if duration.unit == "days":
            return start + timedelta(days=duration.count)
        return add_months(start, duration.months or 0)
    except OverflowError as error:
        raise DateError(f"{start} + {duration} is outside the calendar (0001-01-01 to 9999-12-31)") from error


def add_span(start: date, months: int, days: int) -> date:
    """`add(add(start, Duration(months, "months")), Duration(days, "days"))`, without making the durations: how
    far a chain of periods reaches, which every replay reckons (its horizon) and a search replays thousands of
    times."""
    try:
        return add_months(start, months) + timedelta(days=days)
    except OverflowError as error:
        raise DateError(f"{start} + {months} months and {days} days is outside the calendar (0001-01-01 to "
                        "9999-12-31)") from error


def subtract_span(start: date, months: int, days: int) -> date:
    """`subtract(subtract(start, Duration(months, "months")), Duration(days, "days"))`, as `add_span`."""
    try:
        return add_months(start, -months) - timedelta(days=days)
    except OverflowError as error:
        raise DateError(f"{start} - {months} months and {days} days is outside the calendar (0001-01-01 to "
                        "9999-12-31)") from error


def subtract(start: date, duration: Duration) -> date:
    """`start` minus `duration` (months clamp to month end, as `add` does)."""
    try:
        if duration.unit == "days":
            return start - timedelta(days=duration.count)
        return add_months(start, -(duration.months or 0))
    except OverflowError as error:
        raise DateError(f"{start} - {duration} is outside the calendar (0001-01-01 to 9999-12-31)") from error
