"""The calendar rule: input the user caused never runs a date off the calendar (never exit 3).

`mou.dates` states the rule: input dates lie in 1000–8999 and input
durations are at most 100 years (1,200 months, 36,525 days), so the clause
files may chain `HEADROOM` (9) such periods onto an input date inside the
calendar. Before, a notice dated in 8999 under a 366,000-day notice period
exited 3 ("internal error"); so did a period that summed past 9999-12-31
through an amendment, `--set`, or the consultation interval.

These properties try every place a duration or a date enters: `parameters:`,
an amendment's `changes`, `--set`, `--interpret consultation_interval=…`,
sweep values and steps, question dates, at the edges of the calendar and past
the limit, in every unit. Each input is either refused at its field, with the
limit in the message, or evaluated with no rule error.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mou import Engine, RuleError
from mou.dates import (FIRST_YEAR, HEADROOM, LAST_YEAR, MAX_COUNT, DateError, Duration, add, parse_duration,
                       subtract)
from mou.errors import MouError
from mou.scenario.command_line import command_line_value
from mou.tools.sweep import SweepSpec

ENGINE = Engine(backend="native")
FIRST, LAST = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
UNITS = st.sampled_from(sorted(MAX_COUNT))
LIMIT = "is longer than 100 years, the longest period mou reckons with (at most 100 years, 1,200 months or 36,525 days)"


def edge_dates(start: date = FIRST, end: date = LAST) -> st.SearchStrategy[date]:
    """Dates anywhere in the range, weighted to its first and last weeks."""
    week = 7
    first_week = date.fromordinal(min(end.toordinal(), start.toordinal() + week))
    last_week = date.fromordinal(max(start.toordinal(), end.toordinal() - week))
    return st.one_of(st.dates(start, end), st.dates(start, first_week), st.dates(last_week, end))


@st.composite
def durations(draw, allowed: bool | None = None) -> tuple[int, str]:
    """(count, unit): within the limit, just past it, or far past it (`allowed` picks one side)."""
    unit = draw(UNITS)
    cap = MAX_COUNT[unit]
    inside = st.one_of(st.integers(0, cap), st.just(cap))
    outside = st.one_of(st.just(cap + 1), st.integers(cap + 1, 10 ** 30))
    side = {True: inside, False: outside, None: st.one_of(inside, outside)}[allowed]
    return draw(side), unit


@given(edge_dates(), st.lists(st.tuples(durations(allowed=True), st.booleans()), max_size=HEADROOM))
def test_headroom_longest_periods_chained_onto_an_input_date_stay_in_the_calendar(start, steps):
    day = start
    for (count, unit), forward in steps:
        day = (add if forward else subtract)(day, Duration(count, unit))
    assert date(1, 1, 1) <= day <= date(9999, 12, 31)


@given(durations())
def test_a_duration_past_the_limit_is_refused_in_every_unit_saying_the_limit(duration):
    count, unit = duration
    text = f"{count} {unit}"
    if count <= MAX_COUNT[unit]:
        assert parse_duration(text) == Duration(count, unit)
    else:
        try:
            parse_duration(text)
        except DateError as error:
            assert str(error) == f"{text!r} {LIMIT}"
        else:
            raise AssertionError(f"{text} was accepted")


def assert_refused_at_a_field(error: MouError, file: str) -> None:
    for diagnostic in error.diagnostics:
        assert diagnostic.location.line >= 1 and diagnostic.location.column >= 1, diagnostic
        assert diagnostic.location.file in (file, "<command line>"), diagnostic


def assert_no_rule_error(text: str, choices: dict | None = None, parameters: dict | None = None) -> bool:
    """Read and check `text`; True when it was accepted and ran without a rule error, False when refused."""
    try:
        scenario = ENGINE.loads(text, "calendar.yaml")
    except MouError as error:
        assert_refused_at_a_field(error, "calendar.yaml")
        return False
    try:
        ENGINE.check(scenario, choices or {}, parameters or {}, properties=not choices and not parameters)
    except RuleError as error:
        raise AssertionError(f"a rule error (exit 3) on accepted input:\n{text}\n{error}") from None
    return True


def notice(day: date, delay: int | None) -> str:
    """A notice given on `day`, received `delay` days later (None: `received` left out, so it is the date)."""
    received = "" if delay is None else f"received: {min(LAST, date.fromordinal(day.toordinal() + delay))}, "
    return f"  - {{id: n1, type: termination_notice, from: IOM, to: ECO, date: {day}, {received}form: letter}}\n"


QUESTIONS = """questions:
  - {ask: termination_notice_valid, notice: n1}
  - {ask: last_day_in_force}
  - {ask: status, "on": %s}
  - {ask: obligations, "on": %s}
"""


@given(edge_dates(), st.integers(0, 40), durations(), edge_dates())
def test_a_notice_period_from_parameters(day, delay, period, asked):
    count, unit = period
    text = (f"scenario: a notice at the edge of the calendar\nparameters:\n  IX.3.notice_period: {count} {unit}\n"
            f"events:\n{notice(day, delay)}" + QUESTIONS % (asked, asked))
    accepted = assert_no_rule_error(text)
    assert accepted == (count <= MAX_COUNT[unit])


@given(edge_dates(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 6, 30)), durations(), st.integers(1, 400))
def test_a_notice_period_set_by_an_amendment(proposed, period, later):
    count, unit = period
    accepted_on = date.fromordinal(proposed.toordinal() + 1)
    given_on = min(LAST, date.fromordinal(proposed.toordinal() + 1 + later))
    text = f"""scenario: an amendment changes the notice period
events:
  - {{id: p1, type: amendment_proposal, from: ECO, to: IOM, date: {proposed}, form: letter,
     changes: {{IX.3.notice_period: {count} {unit}}}}}
  - {{id: a1, type: amendment_acceptance, amendment: p1, party: IOM, date: {accepted_on}, form: letter}}
  - {{id: a2, type: amendment_acceptance, amendment: p1, party: ECO, date: {accepted_on}, form: letter}}
{notice(given_on, 0)}""" + QUESTIONS % (given_on, given_on)
    assert assert_no_rule_error(text) == (count <= MAX_COUNT[unit])


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(edge_dates(), st.integers(0, 40), durations(), st.sampled_from(["parameter", "choice"]))
def test_set_and_interpret_on_the_command_line(day, delay, period, kind):
    count, unit = period
    name = "IX.3.notice_period" if kind == "parameter" else "consultation_interval"
    try:
        value = command_line_value(ENGINE.reader, kind, name, f"{count} {unit}")
    except MouError as error:
        assert count > MAX_COUNT[unit] and LIMIT in error.diagnostics[0].message
        return
    assert count <= MAX_COUNT[unit]
    text = (f"scenario: a notice and consultations at the edge of the calendar\nevents:\n{notice(day, delay)}"
            f"  - {{id: c1, type: consultation, parties: [ECO, IOM], date: {day}}}\n" + QUESTIONS % (LAST, LAST))
    overrides = {name: value}
    assert assert_no_rule_error(text, overrides if kind == "choice" else None, overrides if kind == "parameter" else None)


@given(durations(), edge_dates(), st.integers(0, 40))
def test_the_consultation_interval_in_the_scenario(interval, day, delay):
    count, unit = interval
    text = (f"scenario: consultations at the edge of the calendar\ninterpretation:\n"
            f"  consultation_interval: {count} {unit}\nevents:\n{notice(day, delay)}"
            f"  - {{id: c1, type: consultation, parties: [ECO, IOM], date: {day}}}\n" + QUESTIONS % (day, LAST))
    assert assert_no_rule_error(text) == (count <= MAX_COUNT[unit])


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(edge_dates(date(LAST_YEAR - 1, 1, 1)), durations(), durations(allowed=True))
def test_sweep_ranges_of_dates_and_durations(start, step, period):
    """A sweep's values and steps follow the same rule; the variants it makes run without rule errors."""
    step_count, step_unit = step
    count, unit = period
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sweep.yaml"
        path.write_text(f"scenario: a sweep at the end of the calendar\nevents:\n{notice(start, None)}"
                        "questions:\n  - {ask: termination_notice_valid, notice: n1}\n  - {ask: last_day_in_force}\n",
                        encoding="utf-8")
        variations = (f"n1.date={start}..{LAST}/{step_count} {step_unit}",
                      f"parameters.IX.3.notice_period={count} {unit}..{count} {unit}")
        try:
            sweep = SweepSpec(str(path), variations).build()
        except MouError as error:
            assert step_count > MAX_COUNT[step_unit] or step_count == 0, error
            return
        for number, _ in enumerate(sweep.rows()):
            if number >= 40:
                break
