"""Calendar arithmetic on arrays of day ordinals, under the engine's month-end rule.

Stage: tools (vectorized sweeps). Imports numpy only; it mirrors `mou.dates`
(`add_months`: same day number, clamped to the target month's last day,
Reg. 1182/71 Art. 3(2)(c)), and the differential test holds it to that.

Dates are `date.toordinal()` numbers. Months are counted as year*12 + month,
through numpy's datetime64 month unit.
"""

from __future__ import annotations

from datetime import date

import numpy as np

EPOCH = date(1970, 1, 1).toordinal()
FIRST, LAST = date.min.toordinal(), date.max.toordinal()


def add_days(ordinals: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`ordinals + days`, and where the result is still inside the calendar."""
    result = ordinals + days
    return result, (result >= FIRST) & (result <= LAST)


def add_months(ordinals: np.ndarray, months: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each date plus a number of months (month-end rule), and where the result is inside the calendar."""
    days = (ordinals - EPOCH).astype("datetime64[D]")
    month = days.astype("datetime64[M]")
    day = (days - month.astype("datetime64[D]")).astype(np.int64) + 1
    index = month.astype(np.int64) + months  # months since 1970-01
    year = 1970 + index // 12
    inside = (year >= 1) & (year <= 9999)
    index = np.where(inside, index, 0)
    first = index.astype("datetime64[M]").astype("datetime64[D]")
    length = ((index + 1).astype("datetime64[M]").astype("datetime64[D]") - first).astype(np.int64)
    result = (first - np.datetime64(0, "D")).astype(np.int64) + EPOCH + np.minimum(day, length) - 1
    return result, inside


def iso(ordinals: np.ndarray) -> np.ndarray:
    """ISO texts (YYYY-MM-DD) of day ordinals of the years 1000–9999."""
    return np.datetime_as_string((ordinals - EPOCH).astype("datetime64[D]"), unit="D")
