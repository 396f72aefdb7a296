"""The standard invariants (`invariants: standard` in a manifest): in force on one interval, agreeing with the
date of entry into force, the last day in force and the status; judged by `mou check` and `mou test`."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from mou.cli import main

HERE = Path(__file__).resolve().parent
RENEWAL = HERE / "clauses" / "renewal"


def broken(tmp_path: Path, old: str, new: str) -> Path:
    copy = tmp_path / "renewal"
    shutil.copytree(RENEWAL, copy)
    path = copy / "duration.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return copy


def test_the_shipped_agreements_declare_them_and_hold():
    for manifest in (HERE.parent / "clauses" / "agreement.yaml", RENEWAL / "agreement.yaml"):
        assert "invariants: standard" in manifest.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--clauses", str(RENEWAL),
                                       *map(str, sorted((RENEWAL / "scenarios").glob("*.yaml")))])
    assert result.exit_code == 0, result.output


def test_in_force_on_two_intervals_is_caught_by_check(tmp_path):
    clauses = broken(tmp_path, "    value: status == 'in_force'", "    value: status == 'in_force' and agreement.term != 2")
    result = CliRunner().invoke(main, ["check", "--clauses", str(clauses),
                                       str(RENEWAL / "scenarios" / "notice-too-late.yaml")])
    assert result.exit_code == 1, result.output
    assert "standard/in-force-once fails in this scenario" in result.stdout
    assert "standard/status fails" in result.stdout  # `in_force` status, not in force in the second term


def test_a_last_day_that_disagrees_with_in_force_is_caught_by_mou_test(tmp_path):
    clauses = broken(tmp_path, "      agreement.last_day: today - 1 day", "      agreement.last_day: today - 2 days")
    result = CliRunner().invoke(main, ["test", "--clauses", str(clauses), "--examples", "30"])
    assert result.exit_code == 1, result.output
    assert "standard/last-day" in result.output


def test_a_manifest_that_declares_them_needs_their_questions(tmp_path):
    clauses = broken(tmp_path, "  entry_into_force_date:\n", "  entered_into_force_on:\n")
    result = CliRunner().invoke(main, ["lint", str(clauses)])
    assert result.exit_code == 2
    assert "`invariants: standard` needs the question entry_into_force_date with no argument" in result.output
