"""The example agreement of `examples/cooperation/`, as CI runs it, and the rough spots of issue 30 it shows.

A memorandum between two research institutes, invented and written in YAML alone: entry into force on
the second signature, five-year periods renewed unless a notice of non-renewal comes in time, termination
on ninety days' notice, amendment by written consent, and a coordinator each party owes within sixty
days. `mou check --clauses` and `mou test --clauses` hold on it; the clause tutorial reads it.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mou.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "cooperation"
SCENARIOS = EXAMPLE / "scenarios"


def run(*args: str):
    return CliRunner().invoke(main, [str(arg) for arg in args])


def test_mou_check_on_the_example_passes_every_expectation():
    result = run("check", "--clauses", EXAMPLE, SCENARIOS)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "46 questions: 46 passed, 0 failed, 0 without expect"
    assert "horizon" not in result.stderr  # no answer depends on where a replay stopped


def test_mou_test_on_the_example_finds_no_counterexample_to_the_standard_invariants():
    result = run("test", "--clauses", EXAMPLE, SCENARIOS, "--examples", "100", "--seed", "30")
    assert result.exit_code == 0, result.output
    assert "standard/status: no counterexample" in result.stdout


def test_lint_strict_accepts_a_parameter_whose_words_stand_twice_in_its_paragraph(tmp_path):
    assert (EXAMPLE / "term.yaml").read_text().count("five (5) years") >= 2 + 1  # twice in 3.1, and stands_in
    result = run("lint", "--strict", EXAMPLE)
    assert result.exit_code == 0, result.output
    # an amendment of the period is marked at each place its words stand
    scenario = tmp_path / "longer.yaml"
    scenario.write_text("scenario: longer periods\nparameters: {3.period: 10 years}\nevents:\n"
                        "  - {id: s1, type: signature, party: Coast, date: 2025-01-10}\n")
    text = run("text", "--clauses", EXAMPLE, "--scenario", scenario, "--format", "json")
    paragraph = next(p for s in json.loads(text.stdout)["sections"] for p in s["paragraphs"] if p["id"] == "3.1")
    assert "five (5) years" not in paragraph["text"] and paragraph["text"].count("ten years") == 2


def test_a_numbered_paragraph_prints_its_number_once():
    result = run("text", "--clauses", EXAMPLE)
    assert result.exit_code == 0, result.output
    assert "1. This Memorandum is concluded" in result.stdout
    assert "1. 1." not in result.stdout and "2. 2." not in result.stdout


def test_duty_status_of_a_duty_both_parties_owe_reads_both_bearers():
    scenario = SCENARIOS / "coordinators.yaml"
    result = run("ask", "coordinators", "--on", "2025-03-17", "--clauses", EXAMPLE, "--scenario", scenario,
                 "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["answer"] == "violated"  # Coast met it, Mountain did not: met only when each has
    bearers = {fact.get("bearer") for fact in _walk(document["explanation"]["reasons"]) if isinstance(fact, dict)}
    assert {"Coast", "Mountain"} <= bearers


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def test_help_under_clauses_gives_that_agreements_examples():
    for command in (["whatif"], ["check"], ["ask"], ["ask", "status"], ["sweep"], ["robust"], ["text"],
                    ["agenda"], ["report"], ["test"]):
        result = run(*command, "--help", "--clauses", EXAMPLE)
        assert result.exit_code == 0, result.output
        for shipped in ("IX.3", "ix3-", "ix2-", "notice_runs_from", "agenda-desk", "ECO", "IOM"):
            assert shipped not in result.stdout, (command, shipped)
        assert f"--clauses {EXAMPLE}" in result.stdout, command
    assert "--set PARAM=VALUE" in run("whatif", "--help", "--clauses", EXAMPLE).stdout
    assert "3.period='2 years'" in run("whatif", "--help", "--clauses", EXAMPLE).stdout
    assert "IX.3.notice_period" in run("whatif", "--help").stdout  # without --clauses: the shipped MoU's
