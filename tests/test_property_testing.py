"""mou test and the pytest plugin: the clause logic tested like a policy engine."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from mou.cli import main
from mou.language.corpus import shipped_clauses
from conftest import effort

ROOT = Path(__file__).resolve().parent.parent
NOTICE = str(ROOT / "scenarios" / "ix3-notice-valid.yaml")


@pytest.fixture
def broken_clauses(tmp_path):
    """The shipped clauses with the notice period running from the notice's date, not its receipt."""
    target = tmp_path / "clauses"
    shutil.copytree(shipped_clauses(), target)
    path = target / "article-9.yaml"
    text = path.read_text(encoding="utf-8")
    old = "      period_end: event.given + param('IX.3.notice_period')"
    assert old in text
    path.write_text(text.replace(old, "      period_end: event.date + param('IX.3.notice_period')"), encoding="utf-8")
    return target


def test_the_shipped_clauses_keep_every_property():
    examples = effort(60)
    result = CliRunner().invoke(main, ["test", "--examples", str(examples), NOTICE])
    assert result.exit_code == 0, result.output
    assert f"ok   IX.3 IX.3/notice-period-respected: no counterexample in {examples} scenarios" in result.stdout
    assert "ok   II.1 II/mirror" in result.stdout


def test_a_broken_clause_gives_a_counterexample_that_mou_check_reproduces(broken_clauses, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["test", "--clauses", str(broken_clauses), "--property",
                                  "IX.3/notice-period-respected", "--format", "json"])
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)["properties"][0]
    assert found["ok"] is False and found["paragraph"] == "IX.3"
    assert "received" in found["counterexample"]  # it needs a notice received after its date
    saved = tmp_path / "counterexample.yaml"
    saved.write_text(found["counterexample"], encoding="utf-8")
    again = runner.invoke(main, ["check", "--clauses", str(broken_clauses), str(saved)])
    assert again.exit_code == 1
    assert "FAIL property IX.3 IX.3/notice-period-respected" in again.stdout
    fixed = runner.invoke(main, ["check", str(saved)])  # the shipped clauses pass the same scenario
    assert fixed.exit_code == 0, fixed.output


def test_the_counterexample_is_printed_as_a_scenario_file_to_copy_as_it_is(broken_clauses, tmp_path):
    """From `---` to `...` the printed lines are a YAML document: copied as they are, `mou check` reproduces it."""
    result = CliRunner().invoke(main, ["test", "--clauses", str(broken_clauses), "--property",
                                       "IX.3/notice-period-respected"])
    assert "FAIL IX.3 IX.3/notice-period-respected" in result.stdout
    printed = result.stdout.splitlines()
    start, end = printed.index("---"), printed.index("...")
    assert printed[start + 1].startswith("scenario: counterexample to IX.3/notice-period-respected")
    assert any("type: termination_notice" in line for line in printed[start:end])
    copied = tmp_path / "copied.yaml"
    copied.write_text("\n".join(printed[start:end + 1]) + "\n")
    check = CliRunner().invoke(main, ["check", "--clauses", str(broken_clauses), str(copied)])
    assert check.exit_code == 1 and "FAIL property IX.3 IX.3/notice-period-respected" in check.stdout


def test_save_counterexample_writes_scenario_files_mou_check_reads(broken_clauses, tmp_path):
    folder = tmp_path / "found"
    result = CliRunner().invoke(main, ["test", "--clauses", str(broken_clauses), "--property",
                                       "IX.3/notice-period-respected", "--save-counterexample", str(folder)])
    assert result.exit_code == 1
    (saved,) = sorted(folder.iterdir())
    assert saved.name == "counterexample-IX.3-notice-period-respected.yaml"
    assert f"counterexample saved as {saved}" in result.stderr
    check = CliRunner().invoke(main, ["check", "--clauses", str(broken_clauses), str(folder)])
    assert check.exit_code == 1 and "1 property fails" in check.stdout
    held = CliRunner().invoke(main, ["test", "--clauses", str(broken_clauses), "--property", "II/mirror",
                                     "--examples", "5", "--save-counterexample", str(tmp_path / "none")])
    assert held.exit_code == 0 and list((tmp_path / "none").iterdir()) == []


def test_search_is_reproducible_for_a_seed(broken_clauses):
    runs = [CliRunner().invoke(main, ["test", "--clauses", str(broken_clauses), "--seed", "5", "--examples", "40",
                                      "--property", "IX.3/notice-period-respected", "--format", "json"]).stdout
            for _ in range(2)]
    assert runs[0] == runs[1]


def test_junit_report_has_a_case_per_question_and_per_property_and_invalid_input_as_an_error(
        tmp_path, broken_clauses):
    report = tmp_path / "report.xml"
    invalid = tmp_path / "invalid.yaml"
    invalid.write_text("scenario: broken\nevents: 3\n")
    CliRunner().invoke(main, ["test", "--clauses", str(broken_clauses), "--examples", "15",
                              "--junit-xml", str(report), NOTICE, str(invalid)])
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites"
    suites = {suite.get("name"): suite for suite in root}
    questions = [case for case in suites[NOTICE] if not case.get("name").startswith("property ")]
    written = yaml.safe_load(Path(NOTICE).read_text())["questions"]
    assert [case.get("name").split()[0] for case in questions][:len(written)] == [q["ask"] for q in written]
    assert questions[2].get("name") == "in_force on=2020-11-12"  # with its arguments, defaults filled in
    assert all(float(case.get("time")) >= 0 for case in questions)
    properties = suites["properties"].findall("testcase")
    assert {case.get("name") for case in properties} >= {"IX.3/notice-period-respected", "II/mirror"}
    assert all(case.get("time") is not None for case in properties)
    failed = [case.get("name") for case in properties if case.find("failure") is not None]
    assert failed == ["IX.3/notice-period-respected"]
    (error_case,) = suites[str(invalid)].findall("testcase")
    assert error_case.find("error") is not None and error_case.find("failure") is None
    assert "invalid.yaml:2" in error_case.find("error").text
    assert int(root.get("errors")) == 1 and int(root.get("failures")) >= 1


def test_unknown_property_is_refused():
    result = CliRunner().invoke(main, ["test", "--property", "IX.3/notice-period"])
    assert result.exit_code == 2 and "did you mean 'IX.3/notice-period-respected'?" in result.stderr


def test_the_pytest_plugin_collects_scenario_files(pytester):
    pytester.makefile(".yaml", good="""
        scenario: plugin
        events:
          - {id: n1, type: termination_notice, from: IOM, to: ECO, date: 2020-05-10, form: letter}
        questions:
          - {ask: termination_notice_valid, notice: n1, expect: true}
          - {ask: in_force, on: 2020-11-11, expect: true}
        """)
    result = pytester.runpytest("good.yaml")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*good.yaml: in_force {'on': '2020-11-11'}: expected True, got False*",
                                 "*IX.3*"])


def test_the_pytest_plugin_reports_invalid_files_and_ignores_other_yaml(pytester):
    folder = pytester.mkdir("cases")
    (folder / "bad.yaml").write_text("scenario: bad\nevents:\n  - {id: a, type: signatur, date: 2009-01-01}\n")
    (folder / "other.yaml").write_text("just: data\n")
    result = pytester.runpytest("cases")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*bad.yaml:3:*unknown event type 'signatur'*"])
