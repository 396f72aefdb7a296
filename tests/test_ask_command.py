"""`mou ask`: the questions of the clause files as subcommands, their arguments as real options.

The questions come from the rule set, so another agreement's show too; each
argument has help, shell completion (from the scenario named by --scenario)
and click's "did you mean".
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mou.cli import main

from conftest import shipped_engine

ROOT = Path(__file__).resolve().parent.parent
NOTICE = str(ROOT / "scenarios" / "ix3-notice-valid.yaml")
RENEWAL = ROOT / "tests" / "clauses" / "renewal"


def ask_help(*args: str) -> str:
    result = CliRunner().invoke(main, ["ask", *args, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_ask_help_lists_every_question_with_its_arguments_and_what_it_says():
    text = ask_help()
    for name, definition in shipped_engine().ruleset.questions.items():
        line = next(line for line in text.splitlines() if line.strip().startswith(name + " ")
                    or line.strip() == name or line.strip().startswith(name + "  "))
        assert definition.says in " ".join(text.split()), name
        for argument in definition.args:
            assert f"--{argument.name}" in line, (name, line)
    assert "in_force [--on DATE]" in text and "termination_notice_valid --notice ID" in text


def test_another_agreement_lists_its_own_questions():
    text = ask_help("--clauses", str(RENEWAL))
    listed = text[text.index("Questions of the Agreement"):text.index("Exit codes")]
    assert "non_renewal_in_time --notice ID" in listed and "termination_notice_valid" not in listed


def test_one_question_has_help_for_each_argument():
    text = ask_help("amendment_in_force")
    assert "Whether an amendment is in force on a date (IX.2)" in " ".join(text.split())
    assert "--amendment ID" in text and "amendment_proposal event of the scenario" in text
    assert "--on DATE" in text and "default: the scenario's as_of" in text
    assert "--no-explanations" in text and "--format [text|json|markdown]" in text


def test_a_misspelt_question_or_argument_gets_a_suggestion_and_exit_2():
    result = CliRunner().invoke(main, ["ask", "in_forse", "--scenario", NOTICE])
    assert result.exit_code == 2 and "did you mean 'in_force'?" in result.stderr
    result = CliRunner().invoke(main, ["ask", "in_force", "--scenario", NOTICE, "--onn", "2020-01-01"])
    assert result.exit_code == 2 and "Did you mean '--on'?" in result.stderr


def test_the_other_agreement_is_asked_too():
    scenario = str(RENEWAL / "scenarios" / "notice-in-time.yaml")
    result = CliRunner().invoke(main, ["ask", "--clauses", str(RENEWAL), "term_number", "--scenario", scenario,
                                       "--on", "2012-06-01", "--no-explanations"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("term_number on=2012-06-01: ")


def complete(words: str) -> list[str]:
    """What bash completion offers after `words` (the last word, maybe empty, is being completed)."""
    parts = words.split(" ")
    env = {**os.environ, "_MOU_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)}
    result = subprocess.run([sys.executable, "-m", "mou"], env=env, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return [line.split(",", 1)[1] for line in result.stdout.splitlines()]


def test_completion_offers_questions_event_ids_dates_and_enum_values():
    assert complete("mou ask in_f") == ["in_force"]
    assert complete(f"mou ask termination_notice_valid --scenario {NOTICE} --notice ") == ["n1"]
    assert "2020-05-10" in complete(f"mou ask in_force --scenario {NOTICE} --on ")
    assert complete("mou ask parameter --name ") == ["IX.3.notice_period"]
    assert complete("mou ask in_force --o") == ["--on"]


@pytest.mark.parametrize("flags", [["--no-explanations", "--trace"], ["--no-explanations", "--format", "markdown"]])
def test_no_explanations_with_an_option_that_shows_them_is_refused(flags):
    result = CliRunner().invoke(main, ["ask", "in_force", "--scenario", NOTICE, *flags])
    assert result.exit_code == 2 and "--no-explanations contradicts" in result.stderr
