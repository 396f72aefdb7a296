"""A rule that fails is never an answer: every command ends with exit 3 and the rule's place.

`tests/clauses/failing/` is a small agreement whose rule `1/due-date`
branches on whether a request is `urgent`, which fails when a request does
not say (none is not true or false: a type error at run time), and whose
question `extension_passed` fails the same way. A request that names no due
date is not a failure: a comparison with an absent value does not hold
(`test_an_absent_value_is_an_answer_not_a_failure`).
Each command, on each backend, must stop there: exit 3, the rule's
FILE:LINE:COLUMN with its id and paragraph on stderr, and no answer on
stdout (before this was fixed, `whatif` and `robust` printed answers computed
after the failure, with exit 0).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import BACKENDS
from mou import Engine
from mou.cli import main
from mou.errors import RuleError

CLAUSES = Path(__file__).resolve().parent / "clauses" / "failing"
RULES = CLAUSES / "reports.yaml"

SCENARIO = """\
scenario: a second request names no due date
as_of: 2020-06-01
events:
  - {id: r0, type: report_request, from: North, to: South, date: 2020-01-10, due: 2020-02-10, urgent: false}
  - {id: r1, type: report_request, from: North, to: South, date: 2020-03-10, due: 2020-04-10}
questions:
  - {ask: requests_made, on: 2020-02-01, expect: 1}
  - {ask: request_timely, request: r0, expect: true}
"""

QUESTION_FAILS = """\
scenario: the rule holds, but the question reads an extension that was never agreed
events:
  - {id: r0, type: report_request, from: North, to: South, date: 2020-01-10, due: 2020-02-10, urgent: false}
  - {id: r1, type: report_request, from: North, to: South, date: 2020-01-10, due: 2020-02-10, urgent: true}
questions:
  - {ask: request_timely, request: r0, expect: true}
  - {ask: extension_passed, request: r1, on: 2020-03-01, expect: true}
"""


def line_of(start: str) -> int:
    """The line of reports.yaml that starts with `start`."""
    return next(number for number, text in enumerate(RULES.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith(start))


RULE_AT = f"{RULES}:{line_of('  - id: 1/due-date')}:5"
QUESTION_AT = f"{RULES}:{line_of('  extension_passed:')}:3"


@pytest.fixture
def scenario(tmp_path) -> Path:
    path = tmp_path / "requests.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


COMMANDS = {
    "check": lambda path: ["check", str(path)],
    "check json": lambda path: ["check", "--format", "json", str(path)],
    "ask": lambda path: ["ask", "request_timely", "--scenario", str(path), "--request", "r0"],
    "whatif": lambda path: ["whatif", str(path), "--interpret", "strict_dates=true"],
    "robust": lambda path: ["robust", str(path)],
    "sweep": lambda path: ["sweep", str(path), "--vary", "r0.date=2020-01-01..2020-01-05"],
    "test": lambda path: ["test", str(path), "--examples", "5"],
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_failing_rule_ends_every_command_with_exit_3_and_its_location(scenario, command, backend):
    args = COMMANDS[command](scenario) + ["--clauses", str(CLAUSES)]
    if command != "sweep" or backend == "native":
        args += ["--backend", backend]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{RULE_AT}: rule 1/due-date (1) failed on r1: EvalError: the condition of if "
                                    "should be true or false, got none"), result.stderr
    assert f"while evaluating {scenario}" in result.stderr
    # No answer is printed: no results, comparisons, readings or rows.
    if command == "check json":
        document = json.loads(result.stdout)
        assert list(document) == ["diagnostics"]
        assert document["diagnostics"][0]["severity"] == "internal"
        assert document["diagnostics"][0]["name"] == "1/due-date"
    elif command == "sweep":
        assert result.stdout.splitlines() == ["r0.date,requests_made(on=2020-02-01),request_timely(request=r0),invalid"]
    else:
        assert result.stdout == ""


def test_the_location_is_the_rule_in_its_clause_file(scenario):
    with Engine(CLAUSES) as engine:
        with pytest.raises(RuleError) as caught:
            engine.check(engine.read(scenario))
    error = caught.value
    assert str(error.location) == RULE_AT
    assert (error.kind, error.name, error.paragraph, error.subject) == ("rule", "1/due-date", "1", "r1")


@pytest.mark.parametrize("command", ["check", "whatif", "robust"])
def test_a_failing_question_is_located_too_and_gives_no_answer(tmp_path, command):
    path = tmp_path / "extension.yaml"
    path.write_text(QUESTION_FAILS, encoding="utf-8")
    args = {"check": ["check", str(path)], "whatif": ["whatif", str(path), "--interpret", "strict_dates=true"],
            "robust": ["robust", str(path)]}[command]
    result = CliRunner().invoke(main, args + ["--clauses", str(CLAUSES)])
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith(f"{QUESTION_AT}: question extension_passed (1) failed on request=r1, "
                                    "on=2020-03-01: EvalError: the condition of if should be true or false, "
                                    "got none"), result.stderr
    assert result.stdout == ""


def test_a_sweep_with_a_failing_rule_leaves_no_output_file(scenario, tmp_path):
    out = tmp_path / "rows.csv"
    result = CliRunner().invoke(main, ["sweep", str(scenario), "--vary", "r0.date=2020-01-01..2020-01-05",
                                       "-o", str(out), "--clauses", str(CLAUSES)])
    assert result.exit_code == 3, result.output
    assert "in the variant r0.date=2020-01-01" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["requests.yaml"]


def test_the_pytest_plugin_ends_the_run_with_exit_3_and_the_location(pytester, scenario):
    target = pytester.path / "requests.yaml"
    target.write_text(scenario.read_text(encoding="utf-8"), encoding="utf-8")
    result = pytester.runpytest_subprocess(str(target), "--mou-clauses", str(CLAUSES), "-p", "no:cacheprovider")
    assert result.ret == 3
    output = result.stdout.str() + result.stderr.str()
    assert f"{RULES}:" in output and "rule 1/due-date (1) failed on r1" in output
    assert "passed" not in result.stdout.str().splitlines()[-1]


def test_a_sweep_in_two_processes_stops_at_the_failing_rule_too(scenario, tmp_path):
    out = tmp_path / "rows.csv"
    result = subprocess.run([sys.executable, "-m", "mou", "sweep", str(scenario), "--vary",
                             "r0.date=2010-01-01..2020-12-31", "--jobs", "2", "-o", str(out), "--clauses",
                             str(CLAUSES)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 3, result.stderr  # the worker's RuleError reaches the parent whole
    assert result.stderr.startswith(f"{RULE_AT}: rule 1/due-date (1) failed on r1")
    assert "in the variant r0.date=2010-01-01" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["requests.yaml"]


def test_a_rule_that_fails_on_a_generated_scenario_ends_mou_test_with_the_scenario_that_shows_it():
    result = CliRunner().invoke(main, ["test", "--clauses", str(CLAUSES), "--examples", "50"])
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith(f"{RULE_AT}: rule 1/due-date (1) failed on e0: EvalError: the condition of if")
    assert "a scenario that makes it fail (save it as a scenario file; `mou check` reproduces it):" in result.stderr
    assert "type: report_request" in result.stderr
    assert result.stdout == ""


ABSENT = """\
scenario: a request names no due date and has no extension
as_of: 2020-06-01
events:
  - {id: r0, type: report_request, from: North, to: South, date: 2020-01-10, urgent: false, extended: true}
questions:
  - {ask: request_timely, request: r0, expect: false}
  - {ask: extension_passed, request: r0, on: 2020-03-01, expect: false}
"""


@pytest.mark.parametrize("args", [[], ["--format", "json"], ["--explain"], ["--format", "markdown"]],
                         ids=["text", "json", "explain", "markdown"])
def test_an_absent_value_is_an_answer_not_a_failure(tmp_path, args):
    """`event.due >= event.date` with no due date does not hold; `on > none` does not either: no exit 3."""
    path = tmp_path / "absent.yaml"
    path.write_text(ABSENT, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path), "--clauses", str(CLAUSES), *args])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.stderr


def test_a_variant_on_which_a_rule_fails_is_dropped_and_counted(tmp_path):
    """The counterfactual search's made-up inputs may make a rule fail: that variant is no answer, not an exit 3."""
    from mou.answers.case import INVALID
    from mou.scenario.command_line import command_line_question
    from mou.scenario.variants import EVENT, Change, changes

    path = tmp_path / "variant.yaml"
    path.write_text(ABSENT.replace("date: 2020-01-10,", "date: 2020-01-10, due: 2020-02-10,"), encoding="utf-8")
    with Engine(CLAUSES) as engine:
        read = engine.read(path)
        case = engine.case(read)
        call = command_line_question(engine.reader, read, "request_timely", {"request": "r0"})
        assert case.evaluate(call, changes(Change(EVENT, "r0", "urgent", None))) is INVALID
        assert case.failed == 1
        assert case.evaluate(call) is True  # the scenario as it is still answers
