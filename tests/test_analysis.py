"""mou whatif, mou robust and mou sweep: the analyst's commands."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from mou.cli import main
from conftest import SCENARIOS

NOTICE = str(SCENARIOS / "ix3-notice-valid.yaml")


@pytest.fixture
def runner():
    return CliRunner()


def test_whatif_marks_changed_answers_and_says_why(runner):
    result = runner.invoke(main, ["whatif", NOTICE, "--interpret", "notice_runs_from=dispatch"])
    assert result.exit_code == 0, result.output
    assert "CHANGED in_force on=2020-11-12: true → false" in result.stdout
    said = " ".join(result.stdout.split())  # the reasons are wrapped to the terminal's width
    assert "Because `notice_runs_from` is `dispatch` (the notice period runs from the notice's date (its " \
           "dispatch)) instead of `receipt`" in said
    assert "In the variant: the MoU is not in force on 2020-11-12: IOM's notice of termination n1, received on " \
           "2020-05-12, ended it: its last day in force was 2020-11-10 (IX.3)" in said


def test_whatif_names_only_the_setting_that_changes_an_answer(runner):
    result = runner.invoke(main, ["whatif", NOTICE, "--interpret", "notice_runs_from=dispatch",
                                  "--interpret", "email_is_writing=false"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())
    assert "Because `notice_runs_from` is `dispatch`" in said
    assert "email_is_writing" not in said  # the notice was a letter: whether email is writing changes nothing
    assert "same    termination_notice_valid notice=n1: true" in result.stdout


def test_whatif_json_has_the_contract_shape(runner):
    result = runner.invoke(main, ["whatif", NOTICE, "--set", "IX.3.notice_period=3 months", "--format", "json"])
    document = json.loads(result.stdout)
    by_question = {(r["ask"], json.dumps(r["args"])): r for r in document["results"]}
    last = by_question[("last_day_in_force", "{}")]
    assert {k: last[k] for k in ("baseline", "variant", "changed")} == {
        "baseline": "2020-11-12", "variant": "2020-08-12", "changed": True}
    assert by_question[("termination_notice_valid", '{"notice": "n1"}')]["changed"] is False


def test_whatif_needs_something_to_compare(runner):
    result = runner.invoke(main, ["whatif", NOTICE])
    assert result.exit_code == 2 and "give at least one --interpret" in result.stderr


def test_robust_separates_safe_answers_from_those_needing_a_decision(runner):
    result = runner.invoke(main, ["robust", NOTICE])
    assert result.exit_code == 0, result.output
    assert "6 questions under 128 readings" in result.stdout
    assert "safe  termination_notice_valid notice=n1: true under every reading" in result.stdout
    assert "needs last_day_in_force: depends on notice_runs_from, termination_effect" in result.stdout
    assert "notice_runs_from = receipt, termination_effect = after_period_end → 2020-11-12" in result.stdout


def test_robust_with_a_parameter_range(runner):
    result = runner.invoke(main, ["robust", NOTICE, "--range", "IX.3.notice_period=3 months,6 months",
                                  "--format", "json"])
    document = json.loads(result.stdout)
    assert document["readings"] == 256
    valid = document["results"][0]
    assert valid == {"ask": "termination_notice_valid", "args": {"notice": "n1"}, "robust": True, "answer": True}
    last = next(r for r in document["results"] if r["ask"] == "last_day_in_force")
    assert last["depends_on"] == ["notice_runs_from", "termination_effect", "IX.3.notice_period"]


def test_sweep_streams_one_row_per_variant(runner):
    result = runner.invoke(main, ["sweep", NOTICE, "--vary", "n1.received=2020-08-30..2020-09-01",
                                  "--vary", "interpretation.termination_effect=after_period_end,on_period_end"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 6
    assert [(r["n1.received"], r["interpretation.termination_effect"], r["last_day_in_force()"]) for r in rows] == [
        ("2020-08-30", "after_period_end", "2021-02-28"), ("2020-08-30", "on_period_end", "2021-02-27"),
        ("2020-08-31", "after_period_end", "2021-02-28"), ("2020-08-31", "on_period_end", "2021-02-27"),
        ("2020-09-01", "after_period_end", "2021-03-01"), ("2020-09-01", "on_period_end", "2021-02-28")]


def test_sweep_months_keep_month_ends_and_reports_invalid_variants(runner):
    result = runner.invoke(main, ["sweep", NOTICE, "--vary", "n1.received=2020-01-31..2020-05-31/1 month",
                                  "--output-format", "jsonl"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["n1.received"] for r in rows] == ["2020-01-31", "2020-02-29", "2020-03-31", "2020-04-30",
                                                "2020-05-31"]
    assert rows[0]["invalid"] == "n1: a notice cannot be received before it is sent (its date)"
    assert rows[0]["last_day_in_force()"] is None
    assert rows[-1]["invalid"] == "" and rows[-1]["last_day_in_force()"] == "2020-11-30"


def test_sweep_in_two_processes_gives_the_same_rows(runner, tmp_path):
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    base = ["sweep", NOTICE, "--vary", "n1.received=2014-05-10..2020-09-30"]  # 2,336 variants: two chunks
    assert runner.invoke(main, [*base, "-o", str(one)]).exit_code == 0
    assert runner.invoke(main, [*base, "-o", str(two), "--jobs", "2"]).exit_code == 0
    assert one.read_text() == two.read_text()


@pytest.mark.parametrize("spec, message", [
    ("n2.received=2020-01-01..2020-02-01", "no event 'n2'"),
    ("n1.recieved=2020-01-01..2020-02-01", "did you mean 'received'?"),
    ("interpretation.notice_runs_form=receipt", "did you mean 'notice_runs_from'?"),
    ("n1.received=2020-02-01..2020-01-01", "ends (2020-01-01) before it starts"),
    ("n1.received", "--vary takes FIELD=VALUES"),
])
def test_sweep_refuses_bad_variations(runner, spec, message):
    result = runner.invoke(main, ["sweep", NOTICE, "--vary", spec])
    assert result.exit_code == 2
    assert message in result.stderr


def test_sweep_refuses_more_variants_than_the_limit_and_says_how_many(runner):
    huge = ["sweep", NOTICE, "--vary", "n1.received=2010-01-01..2030-12-31",
            "--vary", "parameters.IX.3.notice_period=1 days..20000 days"]  # 7,670 × 20,000
    result = runner.invoke(main, huge)
    assert result.exit_code == 2
    assert result.stderr == ("<command line>: this sweep has 153,400,000 variants, more than the limit of "
                             "100,000,000; narrow the ranges, or raise the limit with --max-variants\n")
    assert result.stdout == ""
    small = ["sweep", NOTICE, "--vary", "n1.received=2020-01-01..2020-01-31"]
    assert runner.invoke(main, [*small, "--max-variants", "30"]).exit_code == 2
    assert runner.invoke(main, [*small, "--max-variants", "31"]).exit_code == 0


def test_sweep_starts_no_more_processes_than_there_are_partitions(runner, monkeypatch):
    import multiprocessing

    def no_processes(*args, **kwargs):
        raise AssertionError("11 variants are one partition: no worker process is needed")

    monkeypatch.setattr(multiprocessing.get_context("spawn"), "Pool", no_processes)
    for vector in ("--vector", "--no-vector"):
        result = runner.invoke(main, ["sweep", NOTICE, "--vary", "n1.received=2020-01-01..2020-01-11", "--jobs", "64",
                                      vector])
        assert result.exit_code == 0, result.output
        assert len(result.stdout.splitlines()) == 1 + 11
