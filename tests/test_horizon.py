"""The evaluation horizon: a clause that reschedules itself stops at a horizon, and answers stay right.

`tests/clauses/renewal/` is an agreement written in YAML alone: a term of
five years, renewed for five more unless a party gives written notice of
non-renewal six months before the expiry. Its renewal rule sets the date it
watches (`agreement.renews_on`) five years on, every time. Before the
horizon, that rule fired every five years until the year 9995 and then
failed (`9995-03-15 + 60 months is outside the calendar`, exit 3).
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from mou import Engine
from mou.cli import main
from mou.dates import Duration
from mou.answers.questions import answer
from mou.evaluation.horizon import horizon
from mou.scenario.command_line import command_line_question

RENEWAL = Path(__file__).resolve().parent / "clauses" / "renewal"
SCENARIOS = sorted((RENEWAL / "scenarios").glob("*.yaml"))
RULES = RENEWAL / "duration.yaml"


def line_of(start: str) -> int:
    return next(n for n, text in enumerate(RULES.read_text(encoding="utf-8").splitlines(), 1) if text.startswith(start))


def test_the_renewal_scenarios_hold_and_end_with_exit_0():
    result = CliRunner().invoke(main, ["check", "--clauses", str(RENEWAL), *map(str, SCENARIOS)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "36 questions: 36 passed, 0 failed, 0 without expect"


def with_a_question_on_the_latest_expiry(tmp_path: Path) -> Path:
    """The renewal agreement with a question about the end of the timeline that reads a date the renewal moves:
    its answer depends on where the replay stops."""
    copy = tmp_path / "renewal"
    shutil.copytree(RENEWAL, copy)
    rules = copy / "duration.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + """  latest_expiry:
    paragraphs: ["2.1", "2.2"]
    says: the last day of the latest term the replay reached
    answer: agreement.expiry
    answers:
      value: "the latest term reached expires on {answer}"
""", encoding="utf-8")
    (copy / "scenarios" / "latest.yaml").write_text((RENEWAL / "scenarios" / "oral-notice.yaml").read_text(
        encoding="utf-8") + "  - {ask: latest_expiry}\n", encoding="utf-8")
    return copy


def test_the_rule_that_would_still_run_is_a_note_at_its_place(tmp_path):
    copy = with_a_question_on_the_latest_expiry(tmp_path)
    scenario, rules = copy / "scenarios" / "latest.yaml", copy / "duration.yaml"
    result = CliRunner().invoke(main, ["check", "--clauses", str(copy), str(scenario)])
    assert result.exit_code == 0, result.output
    first = f"{rules}:{line_of('  - id: 2.2/expiry')}:5: note: rules 2.2/expiry (2.2), 2.2/renewal (2.2) would " \
        "still run on "
    assert first + f"2040-03-16 (agreement.renews_on), past the evaluation horizon of {scenario}, 2036-07-02" \
        in result.stderr
    assert result.stderr.count("past the evaluation horizon") == 1  # one note, for both rules
    document = json.loads(CliRunner().invoke(main, ["check", "--format", "json", "--clauses", str(copy),
                                                    str(scenario)]).stdout)
    notes = document["scenarios"][0]["notes"]
    assert [(n["line"], n["severity"]) for n in notes] == [(line_of("  - id: 2.2/expiry"), "note")]


def test_at_most_one_horizon_note_a_run_and_none_where_no_answer_depends_on_it(tmp_path):
    copy = with_a_question_on_the_latest_expiry(tmp_path)
    result = CliRunner().invoke(main, ["check", "--clauses", str(copy), *map(str, (copy / "scenarios").glob("*.yaml"))])
    assert result.stderr.count("past the evaluation horizon") == 1
    # The shipped renewal scenarios ask nothing about the end of the timeline that the horizon decides (the
    # last day in force of an agreement that renews itself stays none however far it runs): no note at all.
    result = CliRunner().invoke(main, ["check", "--clauses", str(RENEWAL), *map(str, SCENARIOS)])
    assert result.exit_code == 0 and "horizon" not in result.stderr
    oral = str(RENEWAL / "scenarios" / "oral-notice.yaml")
    for question in (["status", "--on", "2030-01-01"], ["last_day_in_force"]):
        result = CliRunner().invoke(main, ["ask", *question, "--clauses", str(RENEWAL), "--scenario", oral])
        assert result.exit_code == 0 and "horizon" not in result.stderr
    result = CliRunner().invoke(main, ["ask", "latest_expiry", "--clauses", str(copy), "--scenario", oral])
    assert result.exit_code == 0 and result.stderr.count("past the evaluation horizon") == 1


def question_args(definition) -> list[dict[str, str]]:
    """Arguments to ask a question of the renewal agreement with: early, middle and late dates."""
    options = {"on": ["2009-01-01", "2030-06-01", "8999-12-31"], "notice": ["n1"], "name": ["2.term"]}
    combos: list[dict[str, str]] = [{}]
    for argument in definition.args:
        combos = [{**combo, argument.name: value} for combo in combos for value in options[argument.name]]
    return combos


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[path.stem for path in SCENARIOS])
def test_every_question_runs_without_exit_3(scenario):
    """Each question, with early, middle and late dates, as `mou ask` asks it: an answer, never a RuleError."""
    asked = 0
    with Engine(RENEWAL) as engine:
        read = engine.read(scenario)
        ids = {event.id for event in read.events}
        for name, definition in engine.ruleset.questions.items():
            for args in question_args(definition):
                if "notice" in args and args["notice"] not in ids:
                    continue
                call = command_line_question(engine.reader, read, name, args)
                answer(engine.replay(read, asking=[call]), call)
                asked += 1
    assert asked >= 20
    first = next(iter(question_args(Engine(RENEWAL).ruleset.questions["expiry"])))
    result = CliRunner().invoke(main, ["ask", "expiry", "--scenario", str(scenario), "--clauses", str(RENEWAL),
                                       "--on", first["on"]])
    assert result.exit_code == 0, result.output


def test_a_question_from_the_command_line_moves_the_horizon():
    scenario = RENEWAL / "scenarios" / "notice-too-late.yaml"  # no date of its own past 2024
    result = CliRunner().invoke(main, ["ask", "term_number", "--on", "2027-01-01", "--scenario", str(scenario),
                                       "--clauses", str(RENEWAL), "--format", "json"])
    assert json.loads(result.stdout)["answer"] == 4
    far = RENEWAL / "scenarios" / "oral-notice.yaml"
    result = CliRunner().invoke(main, ["ask", "expiry", "--on", "2100-01-01", "--scenario", str(far),
                                       "--clauses", str(RENEWAL), "--format", "json"])
    assert json.loads(result.stdout)["answer"] == "2100-03-15"


def test_the_horizon_adds_every_period_the_rules_can_add_once():
    periods = {Duration(5, "years"), Duration(6, "months"), Duration(1, "days"), Duration(60, "months")}
    assert horizon(date(2020, 1, 1), periods) == date(2025, 7, 2)  # 60 months is 5 years: counted once


def test_near_the_end_of_the_calendar_the_horizon_leaves_room_for_the_periods():
    periods = {Duration(5, "years"), Duration(1, "days")}
    assert horizon(date(8999, 12, 31), periods) == date(9005, 1, 1)
    assert horizon(date(9998, 1, 1), periods) == date(9994, 12, 30)  # 9999-12-31 less 5 years and 1 day


def test_the_renewal_clauses_are_lint_clean():
    result = CliRunner().invoke(main, ["lint", str(RENEWAL)])
    assert result.exit_code == 0, result.output
