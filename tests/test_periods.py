"""Watched dates that come round again: a far date is answered by stepping whole cycles, as a full replay answers.

A rule that reschedules itself (a term renewed every five years) used to be replayed once a period up to
the day asked: about 8999, 1,400 renewals and an explanation that cited each. `evaluation.periods` notes
the facts on each watched day past the last event and, when they repeat 400 years on (the calendar's
period; any number of days in a rule set that adds only days), skips whole cycles up to the day asked.
These tests hold it to the full replay: the same answers on every date asked, far fewer firings, and a
timeline that never repeats refused with exit 2 at the rule's place (never a traceback).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mou import Engine
from mou.answers.questions import value_of
from mou.cli import main
from mou.evaluation import periods
from mou.evaluation import replay as replay_module
from mou.scenario.command_line import command_line_question

ROOT = Path(__file__).resolve().parents[1]
RENEWAL = ROOT / "tests" / "clauses" / "renewal"
EXAMPLE = ROOT / "examples" / "cooperation"
FAR = ["2031-06-30", "2424-02-29", "2426-01-01", "3001-07-19", "5999-12-31", "8999-12-31"]


class NoStepping:
    """A stepper that never steps: the full replay, for comparison."""

    def __init__(self):
        pass

    def event_taken(self):
        pass

    def due(self, replay, timer, until):
        return False


def answers(clauses: Path, scenario_text: str, questions: list[tuple[str, dict]], monkeypatch, stepping: bool,
            explain: bool = False) -> list:
    """The value of each question, each asked alone (as `mou ask` asks it), with or without stepping."""
    if not stepping:
        monkeypatch.setattr(replay_module.periods, "Stepper", NoStepping)
    found = []
    with Engine(clauses) as engine:
        scenario = engine.loads(scenario_text)
        for name, args in questions:
            call = command_line_question(engine.reader, scenario, name, args)
            replay = engine.replay(scenario, asking=[call], explain=explain)
            found.append((value_of(replay, call), len(replay.firings), bool(replay.skipped)))
    monkeypatch.undo()
    return found


SIGNED = """scenario: signed
events:
  - {id: s1, type: signature, party: North, date: 2012-02-01}
  - {id: s2, type: signature, party: South, date: 2012-02-29}
"""


@pytest.mark.parametrize("term", ["5 years", "3 years", "7 months", "1 years"])
def test_far_dates_are_answered_as_a_full_replay_answers_them(term, monkeypatch):
    text = SIGNED + f"parameters: {{2.term: {term}, 2.non_renewal_notice: 1 months}}\n"
    asked = [(name, {"on": day}) for day in FAR for name in ("term_number", "expiry", "non_renewal_deadline",
                                                              "in_force")]
    stepped = answers(RENEWAL, text, asked, monkeypatch, stepping=True)
    full = answers(RENEWAL, text, asked, monkeypatch, stepping=False)
    assert [value for value, _, _ in stepped] == [value for value, _, _ in full]
    assert any(skipped for _, _, skipped in stepped[-8:])  # 5999 and 8999 were stepped to


def test_an_explained_far_answer_rests_on_a_few_firings_and_says_it_was_stepped(monkeypatch):
    asked = [("status", {"on": "8999-12-31"}), ("term_number", {"on": "8999-12-31"})]
    stepped = answers(RENEWAL, SIGNED, asked, monkeypatch, stepping=True, explain=True)
    full = answers(RENEWAL, SIGNED, asked, monkeypatch, stepping=False, explain=True)
    assert [v for v, _, _ in stepped] == [v for v, _, _ in full] == ["in_force", 1398]
    assert stepped[0][1] < 300 < 2_000 < full[0][1]  # two cycles of renewals at most, not every renewal
    with Engine(RENEWAL) as engine:
        scenario = engine.loads(SIGNED)
        call = command_line_question(engine.reader, scenario, "term_number", {"on": "8999-12-31"})
        replay = engine.replay(scenario, asking=[call])
    [(start, end, step, cycles)] = replay.skipped
    assert (start.isoformat(), end.isoformat(), step, cycles) == ("2427-03-01", "8827-03-01", "400 years", 16)
    stand_ins = [f for f in replay.firings if any("the watched dates repeat every 400 years" in n for n in f.notes)]
    assert {f.rule.id for f in stand_ins} == {"2.2/renewal"} and stand_ins[0].conditions == ()


def test_a_rule_set_that_adds_only_days_repeats_after_its_own_period(tmp_path, monkeypatch):
    copy = tmp_path / "renewal"
    shutil.copytree(RENEWAL, copy)
    rules = copy / "duration.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("default: 5 years", "default: 1826 days")
                     .replace("default: 6 months", "default: 182 days"), encoding="utf-8")
    text = SIGNED + "parameters: {2.term: 7 days, 2.non_renewal_notice: 2 days}\n"
    asked = [(name, {"on": day}) for day in ("2012-03-20", "2090-05-17", "2090-05-18")
             for name in ("term_number", "expiry")]
    stepped = answers(copy, text, asked, monkeypatch, stepping=True)
    full = answers(copy, text, asked, monkeypatch, stepping=False)
    assert [value for value, _, _ in stepped] == [value for value, _, _ in full]
    with Engine(copy) as engine:
        scenario = engine.loads(text)
        call = command_line_question(engine.reader, scenario, "expiry", {"on": "2090-05-18"})
        replay = engine.replay(scenario, asking=[call], explain=False)
    assert replay.skipped and replay.skipped[0][2] == "7 days"


def test_a_timeline_that_never_repeats_is_refused_with_exit_2_at_the_rule(monkeypatch):
    monkeypatch.setattr(periods, "LIMIT", 50)  # 100-day terms repeat only after 40,000 years: never
    scenario = RENEWAL / "scenarios" / "renews-itself.yaml"
    result = CliRunner().invoke(main, ["ask", "term_number", "--on", "2400-01-01", "--set", "2.term=100 days",
                                       "--clauses", str(RENEWAL), "--scenario", str(scenario)])
    assert result.exit_code == 2, result.output
    line = next(n for n, text in enumerate((RENEWAL / "duration.yaml").read_text().splitlines(), 1)
                if text.startswith("  - id: 2.2/expiry"))
    assert result.stderr.startswith(f"{RENEWAL / 'duration.yaml'}:{line}:5: ")
    assert "watch agreement.renews_on, which came round 50 times past the last event" in result.stderr
    assert "Traceback" not in result.output + result.stderr


@pytest.mark.parametrize("command", [["ask", "in_force", "--on", "2031-01-01"], ["check"]])
def test_a_period_of_0_days_is_refused_with_exit_2_at_the_rule_not_replayed_for_ever(command):
    """A watched date set again to the day it fires on (`--set 3.period=0 days`) came round for ever on one day
    (a newcomer's run hung at 100% CPU): it is refused at the rules that watch it."""
    scenario = EXAMPLE / "scenarios" / "renews-itself.yaml"
    given = ["--scenario", str(scenario)] if command[0] == "ask" else [str(scenario)]
    result = CliRunner().invoke(main, [*command, "--clauses", str(EXAMPLE), *given, "--set", "3.period=0 days"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"{EXAMPLE / 'term.yaml'}:")
    assert "without moving to a later day (a period of 0 days?)" in result.stderr
    assert "Traceback" not in result.output + result.stderr


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_the_far_question_of_the_issue_is_answered_and_its_explanation_is_flat_in_the_distance(fmt):
    scenario = EXAMPLE / "scenarios" / "renews-itself.yaml"
    sizes = []
    for day in ("3000-12-31", "8999-12-31"):
        result = CliRunner().invoke(main, ["ask", "status", "--on", day, "--clauses", str(EXAMPLE),
                                           "--scenario", str(scenario), "--format", fmt])
        assert result.exit_code == 0, result.output
        sizes.append(len(result.stdout))
    if fmt == "json":
        assert json.loads(result.stdout)["answer"] == "in_force"
    else:  # the decisive reason once, not once for each renewal since 2025
        assert sizes[1] < 5_000 and result.stdout.count("3.2 requires") <= 2  # the summary and its reason
    assert sizes[1] <= sizes[0] * 1.05  # two cycles of the calendar at most, however far the day
