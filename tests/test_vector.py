"""Vectorized sweeps: the kernels give the scalar engine's rows, byte for byte.

The differential test draws random scenarios (the strategies of `mou.testing`)
and random variations of their event fields, choices and parameters, runs each
sweep through the scalar engine (`Sweep.rows`, one replay per variant) and
through the kernels (`VectorSweep`), and compares every row, then the CSV and
JSON Lines text. The scalar engine runs at test time: nothing is compared
with stored outputs, so a change of semantics elsewhere either keeps the two
equal or fails here.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import date

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mou.cli import main
from mou.dates import add_months
from mou.errors import MouError
from mou.testing import as_document
from mou.tools.strategies import HypothesisPick, pick_scenario
from mou.tools.sweep import Sweep, SweepSpec, parse_variation, write_rows
from mou.tools.vector.block import VectorSweep
from mou.tools.vector.ordinals import add_months as add_months_vector
from mou.tools.vector.output import encode
from mou.tools.vector.partition import header, partitions, run_partition
from mou.tools.vector.random_sweeps import MAX_VARIANTS, pick_variations
from conftest import SCENARIOS, effort

NOTICE = str(SCENARIOS / "ix3-notice-valid.yaml")
SEEN: Counter = Counter()  # rows by path, over the whole differential test
SWEEPS: Counter = Counter()  # sweeps compared


def scalar_outcome(sweep: Sweep):
    """The scalar engine's rows, or the error it raises."""
    try:
        return list(sweep.rows()), None
    except Exception as error:  # noqa: BLE001 - compared with what the vectorized path raises
        return None, f"{type(error).__name__}: {error}"


def vector_outcome(vectors: VectorSweep, cut: int):
    """The kernels' rows (in two blocks, cut at `cut`), or the error the fallback raises."""
    try:
        total = len(vectors.sweep)
        blocks = [vectors.block(0, cut), vectors.block(cut, total)]
        return blocks, None
    except Exception as error:  # noqa: BLE001
        return None, f"{type(error).__name__}: {error}"


def scalar_text(sweep: Sweep, rows: list, out_format: str) -> str:
    buffer = io.StringIO()
    write_rows(buffer, out_format, sweep.columns, rows)
    return buffer.getvalue()


class Shown:
    """An engine with a short repr (hypothesis shows a strategy's arguments; a rule set's repr is huge)."""

    def __init__(self, engine):
        self.ruleset, self.reader = engine.ruleset, engine.reader

    def __repr__(self) -> str:
        return "<engine>"


@st.composite
def random_sweeps(draw, engine: Shown):
    """A random scenario and one to three random variations of it."""
    ruleset, reader = engine.ruleset, engine.reader
    pick = HypothesisPick(draw)
    data = pick_scenario(pick, ruleset, max_events=8)
    try:
        scenario = reader.from_document(as_document(data))
    except MouError:
        assume(False)
    specs = pick_variations(pick, scenario, ruleset)
    assume(specs)
    try:
        variations = [parse_variation(spec, scenario, ruleset) for spec in specs]
    except MouError:
        assume(False)
    return Drawn(scenario, specs, variations)


class Drawn(tuple):
    """A drawn sweep: (scenario, specs, variations), shown by its specs only."""

    def __new__(cls, *parts):
        return super().__new__(cls, parts)

    def __repr__(self) -> str:
        return f"<sweep of {self[0].file} events {[e.id for e in self[0].events]}: {self[1]}>"


@settings(max_examples=effort(300), suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
          deadline=None)
@given(data=st.data())
def test_vectorized_sweeps_give_the_scalar_engines_rows(native, data):
    scenario, specs, variations = data.draw(random_sweeps(Shown(native)))
    sweep = Sweep(native, scenario, variations)
    assume(0 < len(sweep) <= MAX_VARIANTS * 4)
    rows, error = scalar_outcome(sweep)
    vectors = VectorSweep(sweep, strict=True)
    cut = data.draw(st.integers(0, len(sweep)))
    blocks, vector_error = vector_outcome(vectors, cut)
    assert vector_error == error, specs
    if error is not None:
        return
    SEEN.update(vectors.stats)
    SWEEPS["compared"] += 1
    got = [row for block in blocks for row in block.rows()]
    for number, (expected, row) in enumerate(zip(rows, got)):
        assert row == expected, f"variant {number} of {specs}: {dict(zip(sweep.columns, row))}"
    assert len(got) == len(rows)
    for out_format in ("csv", "jsonl"):
        text = header(sweep.columns, out_format) + "".join(encode(b, sweep.columns, out_format) for b in blocks)
        assert text == scalar_text(sweep, rows, out_format), (out_format, specs)


def test_most_rows_of_the_random_sweeps_went_through_the_kernels():
    if not SEEN:
        pytest.skip("runs after the differential test")
    vectorized, total = SEEN["vector"], sum(SEEN.values())
    print(f"{SWEEPS['compared']} random sweeps compared; their rows: {dict(SEEN)}")
    assert SWEEPS["compared"] >= effort(200)
    # Rows of invalid variants are not counted as vectorized.
    assert vectorized >= 0.8 * total, SEEN


@pytest.fixture
def runner():
    return CliRunner()


SWEEP = [NOTICE, "--vary", "n1.received=2020-05-08..2020-11-30", "--vary",
         "interpretation.notice_runs_from=receipt,dispatch", "--vary",
         "parameters.IX.3.notice_period=1 month,6 months,13 months,2 years"]


@pytest.mark.parametrize("out_format", ["csv", "jsonl"])
def test_mou_sweep_writes_the_same_bytes_with_and_without_the_kernels(runner, tmp_path, out_format):
    vector, scalar = tmp_path / "vector.out", tmp_path / "scalar.out"
    base = ["sweep", *SWEEP, "--output-format", out_format]
    assert runner.invoke(main, [*base, "-o", str(vector)]).exit_code == 0
    assert runner.invoke(main, [*base, "-o", str(scalar), "--no-vector"]).exit_code == 0
    assert vector.read_bytes() == scalar.read_bytes()
    assert len(vector.read_text().splitlines()) == 207 * 2 * 4 + (out_format == "csv")


def test_the_partitions_of_a_sweep_joined_in_order_are_the_sweep(runner, tmp_path):
    spec = SweepSpec(NOTICE, tuple(SWEEP[2::2]))
    total = len(spec.build())
    ranges = partitions(total, size=500)
    assert ranges[0] == (0, 500) and ranges[-1][1] == total and len(ranges) == -(-total // 500)
    whole = tmp_path / "whole.csv"
    assert runner.invoke(main, ["sweep", *SWEEP, "-o", str(whole)]).exit_code == 0
    texts = {bounds: run_partition(spec, *bounds) for bounds in reversed(ranges)}  # any order: pure functions
    joined = header(spec.build().columns) + "".join(texts[bounds] for bounds in ranges)
    assert joined == whole.read_text()


@pytest.mark.parametrize("name", ["obligations-worked-example", "obligations-cooperation-requests",
                                  "obligations-meetings", "ii-obligation-before-meeting"])
def test_duties_are_vectorized_too(native, name):
    scenario = native.read(str(SCENARIOS / f"{name}.yaml"))
    assert any(call.definition.uses_duties for call in scenario.questions)
    specs = [f"{event.id}.date={event.date}..{date(event.date.year + 1, 12, 31)}/1 month"
             for event in scenario.events if not event.implied][:2]
    sweep = Sweep(native, scenario, [parse_variation(spec, scenario, native.ruleset) for spec in specs])
    vectors = VectorSweep(sweep, strict=True)
    assert vectors.block(0, len(sweep)).rows() == list(sweep.rows())
    assert vectors.stats["vector"] + vectors.stats["invalid"] == len(sweep), vectors.stats
    assert vectors.stats["vector"] > 0


def test_unknown_answers_come_from_the_kernels_too(native):
    scenario = native.loads("""
scenario: a notice whose form is not stated
events:
  - {id: n1, type: termination_notice, from: IOM, to: ECO, date: 2020-05-10, form: letter}
questions:
  - {ask: termination_notice_valid, notice: n1}
  - {ask: in_force, on: 2020-12-01}
""")
    sweep = Sweep(native, scenario, [parse_variation("interpretation.email_is_writing=true,false", scenario,
                                                     native.ruleset),
                                     parse_variation("n1.form=letter,email,oral", scenario, native.ruleset)])
    vectors = VectorSweep(sweep, strict=True)
    rows = vectors.block(0, len(sweep)).rows()
    assert rows == list(sweep.rows())
    assert vectors.stats["vector"] == len(sweep) == 6
    assert [row[2] for row in rows] == [True, True, False, True, False, False]


def test_invalid_variants_are_reported_as_the_scalar_engine_reports_them(native):
    scenario = native.read(NOTICE)
    sweep = Sweep(native, scenario, [parse_variation("n1.received=2020-05-01..2020-05-20", scenario, native.ruleset)])
    vectors = VectorSweep(sweep, strict=True)
    rows = vectors.block(0, len(sweep)).rows()
    assert rows == list(sweep.rows())
    assert rows[0][-1] == "n1: a notice cannot be received before it is sent (its date)"
    assert vectors.stats["invalid"] == 9 and vectors.stats["vector"] == 11


@given(st.dates(date(1000, 1, 1), date(8999, 12, 31)), st.integers(-1200, 1200))
def test_month_arithmetic_on_arrays_is_the_engines_month_end_rule(day, months):
    import numpy as np

    result, inside = add_months_vector(np.array([day.toordinal()]), np.array([months]))
    assert inside[0]
    assert date.fromordinal(int(result[0])) == add_months(day, months)


def test_json_lines_keep_the_first_place_and_last_value_of_a_repeated_column(native):
    scenario = native.read(NOTICE)
    variations = [parse_variation(spec, scenario, native.ruleset)
                  for spec in ("n1.received=2020-05-12,2020-06-30", "n1.received=2020-07-01")]
    sweep = Sweep(native, scenario, variations)
    block = VectorSweep(sweep, strict=True).block(0, len(sweep))
    lines = encode(block, sweep.columns, "jsonl").splitlines()
    assert lines == [json.dumps({"schema_version": 1, **dict(zip(sweep.columns, row))}, ensure_ascii=False)
                     for row in sweep.rows()]


def test_choices_and_parameters_set_on_the_command_line_reach_the_kernels(runner, tmp_path):
    vector, scalar = tmp_path / "vector.csv", tmp_path / "scalar.csv"
    base = ["sweep", NOTICE, "--vary", "n1.received=2020-05-10..2020-06-30", "--vary",
            "interpretation.notice_runs_from=receipt,dispatch", "--set", "IX.3.notice_period=3 months",
            "--interpret", "termination_effect=on_period_end"]
    assert runner.invoke(main, [*base, "-o", str(vector)]).exit_code == 0
    assert runner.invoke(main, [*base, "-o", str(scalar), "--no-vector"]).exit_code == 0
    assert vector.read_bytes() == scalar.read_bytes()
    assert "2020-08-11" in vector.read_text()  # received 2020-05-12 + 3 months, on the period's last day


def test_the_progress_of_a_vectorized_sweep_moves_partition_by_partition(native):
    from mou.tools.vector.partition import stream

    spec = SweepSpec(NOTICE, ("n1.received=2020-05-10..2020-07-31", "interpretation.notice_runs_from=receipt,dispatch"))
    sweep = spec.build()
    seen: list[int] = []
    stream(io.StringIO(), spec, sweep, progress=seen.append, size=50)
    assert seen == [min(50 * k, len(sweep)) for k in range(1, -(-len(sweep) // 50) + 1)]


LEASE = {
    "agreement.yaml": """
agreement: lease
title: A lease
short_name: Lease
parties: [Owner, Tenant]
signed_text: lease.txt
files: [lease.yaml]
""",
    "lease.txt": "1. The Tenant pays the rent by the fifth day of each month.\n",
    "lease.yaml": """
article: "1"
title: Rent
paragraphs:
  - {id: "1", text: The Tenant pays the rent by the fifth day of each month.}
parameters:
  grace: {paragraph: "1", type: duration, default: 5 days, source: "by the fifth day"}
state:
  late_payments: {type: int, initial: 0, says: payments made late}
event_types:
  payment:
    paragraph: "1"
    says: a payment of rent
    fields:
      due: {type: date, default: null, says: the day the rent was due}
    attributes:
      late: {type: bool, initial: false, says: paid after the grace period}
rules:
  - id: 1/late
    paragraph: "1"
    says: a payment after the grace period is late
    on: payment
    when:
      - after the grace period: event.date > event.due + param('grace')
    then:
      event.late: true
      agreement.late_payments: agreement.late_payments + 1
questions:
  late:
    paragraphs: ["1"]
    says: whether a payment was late
    args: {payment: {type: "event[payment]"}}
    answer: payment.late
    answers: {"true": "{payment} was late", "false": "{payment} was on time"}
  late_payments:
    paragraphs: ["1"]
    says: how many payments were late
    answer: agreement.late_payments
    answers: {value: "{answer} late payments"}
""",
    "rent.yaml": """
scenario: two payments
events:
  - {id: p1, type: payment, date: 2020-01-07, due: 2020-01-01}
  - {id: p2, type: payment, date: 2020-02-03, due: 2020-02-01}
questions:
  - {ask: late, payment: p1}
  - {ask: late_payments}
""",
}


def test_the_kernels_know_the_language_not_the_mou_and_an_absent_value_agrees_on_both_paths(tmp_path):
    from mou import Engine

    for name, text in LEASE.items():
        (tmp_path / name).write_text(text.lstrip(), encoding="utf-8")
    engine = Engine(tmp_path)
    scenario = engine.read(tmp_path / "rent.yaml")
    variations = [parse_variation(spec, scenario, engine.ruleset)
                  for spec in ("p1.date=2020-01-04..2020-01-08", "parameters.grace=3 days,7 days")]
    sweep = Sweep(engine, scenario, variations)
    vectors = VectorSweep(sweep, strict=True)
    rows = vectors.block(0, len(sweep)).rows()
    assert rows == list(sweep.rows()) and vectors.stats["vector"] == 10
    assert [row[3] for row in rows] == [0, 0, 1, 0, 1, 0, 1, 0, 1, 0]
    # An absent due date is no failure (a date plus a period is then absent, and an order with it does
    # not hold): both paths give the same rows, the payment not late.
    absent = Sweep(engine, scenario, [parse_variation("p1.due=2020-01-01,null", scenario, engine.ruleset)])
    scalar_rows = list(absent.rows())
    assert VectorSweep(absent, strict=True).block(0, 2).rows() == scalar_rows
    assert scalar_rows[1][1] is False or scalar_rows[1][1] == "false" or scalar_rows[1][1] == 0


def test_a_group_the_kernels_cannot_take_gets_its_rows_from_the_scalar_engine(native, monkeypatch):
    from mou.tools.vector import replay

    scenario = native.read(NOTICE)
    sweep = Sweep(native, scenario, [parse_variation("n1.received=2020-05-10..2020-05-20", scenario, native.ruleset)])

    def refuse(self):
        raise replay.Unsupported("refused for this test")

    monkeypatch.setattr(replay.GroupRun, "run", refuse)
    vectors = VectorSweep(sweep)
    assert vectors.block(0, len(sweep)).rows() == list(sweep.rows())
    assert vectors.stats == Counter({"scalar: refused for this test": 11, "invalid": 0})


def test_an_unknown_answer_is_weighed_by_the_scalar_engine(native):
    # The plain evaluation gives unknown (whether the request is of common interest is not stated), but
    # the favourable response meets I.3 either way: DOMAIN.md's rule makes the answer true. That rule
    # needs the facts each unknown lacks, which the kernels do not keep: such rows come from the scalar engine.
    scenario = native.loads("""
scenario: a request of unstated interest, answered favourably
events:
  - {id: r1, type: cooperation_request, from: ECO, to: IOM, date: 2020-08-22, subject: ix}
  - {id: a1, type: cooperation_response, request: r1, from: IOM, date: 2021-07-30, outcome: favourable}
questions:
  - {ask: cooperation_response_compliant, request: r1}
  - {ask: in_force, on: 2021-01-01}
""")
    sweep = Sweep(native, scenario, [parse_variation("a1.date=2021-07-29..2021-07-31", scenario, native.ruleset)])
    vectors = VectorSweep(sweep, strict=True)
    rows = vectors.block(0, len(sweep)).rows()
    assert rows == list(sweep.rows())
    assert [row[1] for row in rows] == [True, True, True]
    assert vectors.stats["scalar: an unknown answer, weighed"] == 3
