"""Sweep limits (issue 33): the variant count is known before anything is built, a field varied twice is refused,
and `--jobs` never starts more processes than there are cores or partitions."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from mou.errors import MouError
from mou.language import types as T
from mou.tools import sweep as S
from mou.tools.sweep import SweepSpec, count_values
from mou.tools.vector import partition

ROOT = Path(__file__).resolve().parent.parent
NOTICE = str(ROOT / "scenarios" / "ix3-notice-valid.yaml")


def test_a_sweep_of_billions_of_variants_is_refused_in_milliseconds():
    spec = SweepSpec(NOTICE, ("n1.received=2010-01-01..2030-12-31", "n1.date=2010-01-01..2030-12-31",
                              "interpretation.notice_runs_from=receipt,dispatch",
                              "parameters.IX.3.notice_period=1 days..80 days"))
    started = time.monotonic()
    with pytest.raises(MouError, match="this sweep has 9,412,624,000 variants, more than the limit"):
        spec.build(100_000_000)
    assert time.monotonic() - started < 1.5


def test_one_range_longer_than_the_limit_is_refused_not_cut_short(monkeypatch):
    monkeypatch.setattr(S, "MAX_VALUES", 100)
    spec = SweepSpec(NOTICE, ("n1.received=2020-01-01..2020-12-31",))
    with pytest.raises(MouError, match="the range has 366 values, more than the limit of 100"):
        spec.build(10**12)


@pytest.mark.parametrize("specs", [("n1.received=2020-01-01..2020-01-03", "n1.received=2020-02-01..2020-02-03"),
                                   ("n1.received=2020-01-01", " n1.received =2020-01-02"),
                                   ("interpretation.notice_runs_from=receipt",
                                    "interpretation.notice_runs_from=dispatch")])
def test_a_field_varied_twice_is_refused(specs):
    with pytest.raises(MouError, match="is given twice; vary each field once"):
        SweepSpec(NOTICE, specs).build()


@pytest.mark.parametrize("text, kind", [
    ("2020-01-01..2020-12-31", "date"), ("2020-01-31..2022-01-31/1 month", "date"),
    ("2020-01-31..2022-01-30/1 month", "date"), ("2020-02-29..2028-02-28/1 year", "date"),
    ("2020-01-01..2020-03-01/7 days", "date"), ("2020-01-01..2020-01-01", "date"),
    ("1 month..12 months/1 month", "duration"), ("1 days..100 days/7 days", "duration"),
    ("1 year..36 months/6 months", "duration"), ("3..17/4", "int"), ("2020-01-01,2020-02-01,2020-03-01", "date")])
def test_the_count_is_the_number_of_values_made(text, kind):
    type_ = {"date": T.DATE, "duration": T.DURATION, "int": T.INT}[kind]
    made = S._values(text, type_, type("R", (), {"parties": ("ECO", "IOM")})(), "x")
    assert count_values(text, type_, "x") == len(made)


def test_jobs_are_capped_at_cores_and_partitions(monkeypatch):
    sweep = SweepSpec(NOTICE, ("n1.received=2020-01-01..2020-01-10",)).build()
    started = []

    class Pool:
        def __init__(self, jobs, initializer=None):
            started.append(jobs)
            raise RuntimeError("stop here")

    import multiprocessing

    monkeypatch.setattr(multiprocessing.get_context("spawn"), "Pool", Pool)
    monkeypatch.setattr(partition, "cores", lambda: 2)
    with pytest.raises(RuntimeError):
        list(partition.texts(None, sweep, None, "csv", 64, size=1))  # ten partitions, two cores
    assert started == [2]
    monkeypatch.setattr(partition, "cores", lambda: 1)
    assert len(list(partition.texts(None, sweep, None, "csv", 64, size=1))) == 10  # one core: no pool at all
