"""Rules on one trigger run in strata: their order in the files cannot change an answer.

`tests/clauses/renewal/` has two rules on one watched date (`at: agreement.renews_on`):
`2.2/renewal` and `2.2/expiry`. When they ran in file order, each saw the other's conclusions of
the same day, and a late notice ended the Agreement at the first renewal in one order
(`last_day_in_force` 2030-03-15, yet `in_force` false on 2027-01-01). Now a rule that reads a fact
waits for every rule on the same trigger that writes it, and two rules that read each other's
conclusions are refused (`mou lint`, exit 2).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mou import Engine
from mou.answers.questions import answer
from mou.cli import main
from mou.scenario.command_line import command_line_question

RENEWAL = Path(__file__).resolve().parent / "clauses" / "renewal"
SCENARIOS = sorted((RENEWAL / "scenarios").glob("*.yaml"))
DATES = ["2010-03-10", "2015-03-16", "2020-03-15", "2020-03-16", "2025-03-15", "2025-03-16", "2027-01-01",
         "2030-03-15", "2030-03-16", "2035-03-16", "2050-01-01"]


def swapped(tmp_path: Path) -> Path:
    """The renewal agreement with `2.2/renewal` and `2.2/expiry` exchanged in the file."""
    copy = tmp_path / "renewal"
    shutil.copytree(RENEWAL, copy)
    text = (copy / "duration.yaml").read_text(encoding="utf-8")
    start, middle = text.index("  - id: 2.2/renewal\n"), text.index("  - id: 2.2/expiry\n")
    end = text.index("\nquestions:")
    renewal, expiry = text[start:middle], text[middle:end].rstrip("\n") + "\n\n"
    (copy / "duration.yaml").write_text(text[:start] + expiry + renewal.rstrip("\n") + "\n" + text[end:],
                                        encoding="utf-8")
    return copy


def answers(clauses: Path, scenario: Path) -> dict:
    """Every question on every date of `DATES` (and each notice), as `mou ask` answers it."""
    found = {}
    with Engine(clauses) as engine:
        read = engine.read(scenario)
        notices = [e.id for e in read.events if e.type == "non_renewal_notice"]
        for name, definition in engine.ruleset.questions.items():
            names = {a.name for a in definition.args}
            if "name" in names:
                continue
            combos = [{"on": day} for day in DATES] if "on" in names else [{}]
            if "notice" in names:
                combos = [{**combo, "notice": n} for combo in combos for n in notices]
            for args in combos:
                call = command_line_question(engine.reader, read, name, args)
                found[name, tuple(sorted(args.items()))] = answer(engine.replay(read, asking=[call]), call).value
    return found


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[path.stem for path in SCENARIOS])
def test_swapping_two_rules_on_one_trigger_changes_no_answer(tmp_path, scenario):
    other = swapped(tmp_path)
    assert "2.2/expiry" in (other / "duration.yaml").read_text().split("2.2/renewal")[0]
    assert answers(RENEWAL, scenario) == answers(other, scenario)


def test_a_late_notice_keeps_the_agreement_in_force_until_its_last_day():
    scenario = RENEWAL / "scenarios" / "notice-too-late.yaml"
    found = answers(RENEWAL, scenario)
    assert found["last_day_in_force", ()] == __import__("datetime").date(2030, 3, 15)
    assert found["in_force", (("on", "2027-01-01"),)] is True
    assert found["in_force", (("on", "2030-03-16"),)] is False


def test_two_rules_that_read_each_others_conclusions_are_refused(tmp_path):
    """The renewal rules as first written: the expiry read `agreement.expiry`, which the renewal moves."""
    copy = tmp_path / "renewal"
    shutil.copytree(RENEWAL, copy)
    path = copy / "duration.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("stops_renewal(today - 1 day)", "stops_renewal(agreement.expiry)")
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", str(copy)])
    assert result.exit_code == 2, result.output
    assert "read each other's conclusions" in result.output
    assert "2.2/expiry reads agreement.expiry, which 2.2/renewal sets" in result.output
    assert "2.2/renewal reads agreement.ended, which 2.2/expiry sets" in result.output
    result = CliRunner().invoke(main, ["check", "--clauses", str(copy), str(SCENARIOS[0])])
    assert result.exit_code == 2  # every command refuses them, not lint alone


def test_a_rule_that_reads_what_another_sets_runs_after_it():
    with Engine(RENEWAL) as engine:
        order = [rule.id for rule in engine.ruleset.rules_for("date:agreement.renews_on")]
    assert order == ["2.2/expiry", "2.2/renewal"]  # the renewal reads `agreement.ended`, which the expiry sets
