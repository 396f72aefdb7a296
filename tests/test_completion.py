"""Shell completion of every argument with a closed set of values, through click's completion API (issue 34).

`ShellComplete.get_completions` is what `_MOU_COMPLETE=bash_complete mou …`
runs: choices and their values (`--interpret NAME=VALUE`), parameters
(`--set`), questions, the ids of the named scenario's events, and what a
sweep can vary.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.shell_completion import ShellComplete

from mou.cli import main

ROOT = Path(__file__).resolve().parent.parent
NOTICE = str(ROOT / "scenarios" / "ix3-notice-valid.yaml")


def completions(args: list[str], incomplete: str) -> list[str]:
    return [item.value for item in ShellComplete(main, {}, "mou", "_MOU_COMPLETE").get_completions(args, incomplete)]


@pytest.mark.parametrize("command", [["check", "scenarios/"], ["whatif", NOTICE], ["agenda", NOTICE],
                                     ["ask", "in_force", "--scenario", NOTICE]])
def test_interpret_completes_the_choices_then_their_values(command):
    names = completions([*command, "--interpret"], "")
    assert "notice_runs_from=" in names and "email_is_writing=" in names
    assert completions([*command, "--interpret"], "notice_runs_from=") == ["notice_runs_from=receipt",
                                                                            "notice_runs_from=dispatch"]
    assert completions([*command, "--interpret"], "notice_runs_from=d") == ["notice_runs_from=dispatch"]
    assert completions([*command, "--interpret"], "email_is_writing=") == ["email_is_writing=true",
                                                                            "email_is_writing=false"]
    assert completions([*command, "--interpret"], "no_such=") == []


def test_set_completes_the_parameters():
    assert completions(["check", "--set"], "IX") == ["IX.3.notice_period="]


def test_ask_completes_the_questions_and_the_event_ids_of_the_named_scenario():
    assert "termination_notice_valid" in completions(["ask"], "term")
    assert completions(["ask", "termination_notice_valid", "--scenario", NOTICE, "--notice"], "") == ["n1"]
    assert completions(["ask", "termination_notice_valid", "--scenario", NOTICE, "--notice"], "x") == []


def test_sweep_vary_completes_choices_parameters_and_the_scenarios_event_fields():
    fields = completions(["sweep", NOTICE, "--vary"], "n1.")
    assert {"n1.date=", "n1.received=", "n1.form="} <= set(fields)
    assert completions(["sweep", NOTICE, "--vary"], "n1.form=") == ["n1.form=letter,note_verbale,fax,email,oral"]
    assert "interpretation.notice_runs_from=" in completions(["sweep", NOTICE, "--vary"], "interp")
    assert completions(["sweep", NOTICE, "--vary"], "parameters.") == ["parameters.IX.3.notice_period="]


def test_clauses_that_do_not_compile_offer_nothing_and_print_nothing(tmp_path, capsys):
    (tmp_path / "agreement.yaml").write_text("agreement: [\n")
    assert completions(["check", "--clauses", str(tmp_path), "--interpret"], "") == []
    assert capsys.readouterr().out == ""
