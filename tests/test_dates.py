"""dates: ISO dates, durations, and the month-end rule of Reg. 1182/71."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mou.dates import DateError, Duration, add, add_months, parse_date, parse_duration, subtract

DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


def test_parse_date_reads_iso_dates():
    assert parse_date("2009-01-27") == date(2009, 1, 27)


@pytest.mark.parametrize("text, message", [
    ("2015-02-30", "February 2015 has 28 days"),
    ("2015-13-01", "there is no month 13"),
    ("27/01/2009", "expected a date written YYYY-MM-DD"),
    ("2009-1-27", "expected a date written YYYY-MM-DD"),
])
def test_parse_date_says_what_is_wrong(text, message):
    with pytest.raises(DateError, match=message):
        parse_date(text)


@pytest.mark.parametrize("text, expected", [
    ("6 months", Duration(6, "months")),
    ("1 month", Duration(1, "months")),
    ("30 days", Duration(30, "days")),
    ("1 year", Duration(1, "years")),
])
def test_parse_duration(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["6", "six months", "6 weeks", "-1 days", "6 monthz"])
def test_parse_duration_refuses_what_it_cannot_read(text):
    with pytest.raises(DateError, match="expected a duration"):
        parse_duration(text)


def test_durations_compare_by_what_they_denote():
    assert Duration(1, "years") == Duration(12, "months")
    assert Duration(30, "days") != Duration(1, "months")
    assert str(Duration(12, "months")) == "12 months"
    assert str(Duration(1, "years")) == "1 year"


@pytest.mark.parametrize("start, months, end", [
    ("2020-05-12", 6, "2020-11-12"),  # DOMAIN.md: notice received 2020-05-12
    ("2019-08-31", 6, "2020-02-29"),  # no 31 February: last day, leap year
    ("2020-08-31", 6, "2021-02-28"),
    ("2018-01-10", 6, "2018-07-10"),
    ("2020-02-29", 12, "2021-02-28"),  # 29 February + 1 year
    ("2023-01-31", 1, "2023-02-28"),
])
def test_add_months_clamps_to_month_end(start, months, end):
    assert add_months(parse_date(start), months) == parse_date(end)


def test_years_are_twelve_months_and_days_are_days():
    assert add(date(2020, 2, 29), Duration(1, "years")) == date(2021, 2, 28)
    assert add(date(2020, 1, 31), Duration(30, "days")) == date(2020, 3, 1)
    assert subtract(date(2020, 3, 31), Duration(1, "months")) == date(2020, 2, 29)


@given(DATES)
def test_six_months_end_181_to_184_days_later(start):
    days = (add(start, Duration(6, "months")) - start).days
    assert 181 <= days <= 184


@given(DATES, st.integers(min_value=0, max_value=600))
def test_month_addition_keeps_the_day_or_clamps_to_month_end(start, months):
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    if end.day != start.day:
        assert end.day < start.day
        assert (end + timedelta(days=1)).day == 1  # clamped to the last day of its month


@given(DATES, DATES, st.integers(min_value=0, max_value=240))
def test_month_addition_is_monotone_in_the_start(a, b, months):
    early, late = sorted((a, b))
    assert add_months(early, months) <= add_months(late, months)
