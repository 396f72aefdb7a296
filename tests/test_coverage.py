"""`mou test --coverage`: what the scenario files exercised of the clause logic, and what they never did."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mou import Engine
from mou.cli import main
from mou.tools.coverage import coverage
from conftest import SCENARIOS

# A tiny agreement: a party may ask for help, and help is due when the request is urgent.
AGREEMENT = """\
agreement: help-test
title: Agreement on mutual help between the Northern Institute and the Southern Institute
short_name: Agreement
parties: [North, South]
signed_text: text.txt
files: [help.yaml]
"""
TEXT = "Either Party may ask the other for help, which is due when the request is urgent.\n"
HELP = """\
article: "1"
title: Help
paragraphs:
  - id: "1"
    text: Either Party may ask the other for help, which is due when the request is urgent.
event_types:
  request:
    paragraph: "1"
    says: a request for help
    fields:
      from: {type: actor, required: true, says: who asks}
      urgent: {type: bool, says: the request is urgent}
    attributes:
      due: {type: bool, initial: false, says: help is due}
rules:
  - id: 1/help
    paragraph: "1"
    says: help is due on an urgent request by a party
    on: request
    when:
      - made by a party: is_party(event.from)
      - urgent: event.urgent
    then:
      event.due: true
    else:
      event.due: false
questions:
  help_due:
    paragraphs: ["1"]
    says: whether help is due on a request
    args:
      request: {type: "event[request]"}
    answer: request.due
    answers:
      "true": "help is due on {request}"
      "false": "help is not due on {request}"
"""
# Line 21 of help.yaml is the condition "made by a party", which this scenario never sees false.
URGENT_FROM_A_PARTY = """\
scenario: North asks for urgent help
events:
  - {id: r1, type: request, from: North, urgent: true, date: 2020-01-01}
questions:
  - {ask: help_due, request: r1, expect: true}
"""
NOT_URGENT_FROM_ANYONE = """\
scenario: Requests that are not urgent, or not from a party
events:
  - {id: r1, type: request, from: North, urgent: false, date: 2020-01-01}
  - {id: r2, type: request, from: Elsewhere, date: 2020-01-02}
questions:
  - {ask: help_due, request: r1, expect: false}
  - {ask: help_due, request: r2, expect: false}
"""


@pytest.fixture
def agreement(tmp_path: Path) -> Path:
    """The tiny agreement's clause directory."""
    clauses = tmp_path / "clauses"
    clauses.mkdir()
    (clauses / "agreement.yaml").write_text(AGREEMENT, encoding="utf-8")
    (clauses / "text.txt").write_text(TEXT, encoding="utf-8")
    (clauses / "help.yaml").write_text(HELP, encoding="utf-8")
    return clauses


def scenario(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def mou_test(*args: str):
    return CliRunner().invoke(main, ["test", "--examples", "5", *args])


def test_a_condition_never_seen_false_is_named_with_its_file_and_line(agreement, tmp_path):
    with Engine(agreement) as engine:
        results, problems = engine.check_files([scenario(tmp_path, "urgent.yaml", URGENT_FROM_A_PARTY)])
        report = coverage(engine.ruleset, results)
    assert not problems
    missed = {(Path(item.location.file).name, item.location.line, item.what) for item in report.missed}
    assert ("help.yaml", 21, "condition “made by a party” never false") in missed
    # `urgent` has no default, so it can be left unknown: that is an outcome to exercise too.
    assert ("help.yaml", 22, "condition “urgent” never unknown") in missed
    assert ("help.yaml", 25, "`else` never taken (outcome false)") in missed
    assert ("help.yaml", 36, "never answered `false`") in missed
    # "made by a party" can never be unknown (`from` is required): no such item is counted.
    assert all("made by a party” never unknown" not in item.what for item in report.items)
    assert report.counts("conditions") == (2, 5)  # true for both conditions, of 2 + 3 outcomes


def test_scenarios_that_exercise_everything_reach_100_percent(agreement, tmp_path):
    paths = [scenario(tmp_path, "urgent.yaml", URGENT_FROM_A_PARTY),
             scenario(tmp_path, "not-urgent.yaml", NOT_URGENT_FROM_ANYONE)]
    with Engine(agreement) as engine:
        results, _ = engine.check_files(paths)
        report = coverage(engine.ruleset, results)
    assert report.missed == []
    assert report.percent() == 100.0
    assert report.counts() == (9, 9)


def test_the_text_report_lists_the_table_and_each_missed_item_as_file_line(agreement, tmp_path):
    path = scenario(tmp_path, "urgent.yaml", URGENT_FROM_A_PARTY)
    result = mou_test("--clauses", str(agreement), "--coverage", str(path))
    assert result.exit_code == 0, result.output  # coverage alone never fails the run
    out = result.stdout
    assert "coverage of the clause logic over 1 scenario file(s): 44.4% (4 of 9)" in out
    assert "  conditions   40.0%     2 of 5" in out
    assert f"{agreement / 'help.yaml'}:21: 1/help (1): condition “made by a party” never false" in out


def test_min_coverage_fails_the_run_below_the_figure_and_says_so(agreement, tmp_path):
    path = scenario(tmp_path, "urgent.yaml", URGENT_FROM_A_PARTY)
    below = mou_test("--clauses", str(agreement), "--min-coverage", "90", str(path))
    assert below.exit_code == 1
    assert below.stderr == "mou: coverage 44.4% is below --min-coverage 90\n"
    assert "never exercised (5):" in below.stdout  # --min-coverage implies --coverage
    met = mou_test("--clauses", str(agreement), "--min-coverage", "44", str(path))
    assert met.exit_code == 0, met.output
    assert mou_test("--clauses", str(agreement), "--min-coverage", "101", str(path)).exit_code == 2


def test_the_json_coverage_object_is_deterministic(agreement, tmp_path):
    path = scenario(tmp_path, "urgent.yaml", URGENT_FROM_A_PARTY)
    args = ("--clauses", str(agreement), "--coverage", "--format", "json", str(path))
    first, second = mou_test(*args), mou_test(*args)
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    covered = json.loads(first.stdout)["coverage"]
    assert covered["percent"] == 44.4
    assert covered["categories"]["conditions"] == {"covered": 2, "total": 5, "percent": 40.0}
    assert covered["missed"][0] == {"kind": "conditions", "id": "1/help", "paragraph": "1",
                                    "location": f"{agreement / 'help.yaml'}:21:26",
                                    "what": "condition “made by a party” never false"}
    assert [m["location"] for m in covered["missed"]] == sorted(
        (m["location"] for m in covered["missed"]), key=lambda text: int(text.split(":")[-2]))


def test_an_item_marked_unreachable_is_excluded_with_its_reason(agreement, tmp_path):
    (agreement / "help.yaml").write_text(HELP.replace("    else:\n", """\
    coverage:
      unreachable:
        "made by a party: false": only parties ask, in this example
    else:
"""), encoding="utf-8")
    with Engine(agreement) as engine:
        results, _ = engine.check_files([scenario(tmp_path, "urgent.yaml", URGENT_FROM_A_PARTY)])
        report = coverage(engine.ruleset, results)
    assert report.counts() == (4, 8)
    assert [(item.what, item.unreachable) for item in report.excluded] == [
        ("condition “made by a party” never false", "only parties ask, in this example")]
    assert report.to_json()["excluded"][0]["unreachable"] == "only parties ask, in this example"


def test_an_unreachable_annotation_must_name_an_item_of_its_rule(agreement, tmp_path):
    (agreement / "help.yaml").write_text(HELP.replace("    else:\n", """\
    coverage:
      unreachable:
        "made by a party: maybe": a typo
    else:
"""), encoding="utf-8")
    result = mou_test("--clauses", str(agreement), "--coverage")
    assert result.exit_code == 2
    assert result.stderr == (f"{agreement / 'help.yaml'}:27:9: 'made by a party: maybe' is not a coverage item "
                             "here; did you mean 'made by a party: false'?\n")


def test_the_shipped_scenarios_cover_the_shipped_clause_logic(native):
    results, problems = native.check_files(sorted(SCENARIOS.glob("*.yaml")))
    report = coverage(native.ruleset, results)
    assert not problems
    assert [f"{Path(item.location.file).name}:{item.location.line}: {item.what}" for item in report.missed] == []
    assert report.percent() == 100.0
    # What no valid scenario can reach, each with its reason in the clause file (README, "Coverage").
    assert sorted((item.id, item.what) for item in report.excluded) == [
        ("II.1/invite", "never lapsed"), ("II.2/invite", "never lapsed"),
        ("V.3/funding-request", "condition “for a specific activity” never false"),
        ("invitation_obligation", "never answered `lapsed`")]
    assert report.reached_anyway == []
