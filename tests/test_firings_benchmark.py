"""`benchmarks/firings.py` says what fewer firings could save: its reading of relevance must be right.

A rule counts as one no asked question reads only if nothing the questions
read, directly or through other rules, the duties' judgements or the watched
dates, comes from it; otherwise the figure it prints for a cut by relevance
would promise more than such a cut could keep. No figure is timed here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCHMARK = Path(__file__).parent.parent / "benchmarks" / "firings.py"


def load_benchmark():
    """The benchmark module, by path (benchmarks/ is not a package; it imports its neighbours)."""
    sys.path.insert(0, str(BENCHMARK.parent))
    spec = importlib.util.spec_from_file_location("firings", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


firings = load_benchmark()


def kept_for(engine, *names):
    facts = firings.facts_of(engine.ruleset)
    return firings.relevant(engine.ruleset, facts, firings.duty_reads(engine.ruleset, facts), frozenset(names))


def test_a_question_keeps_the_rules_it_reads_through_others_and_no_rule_it_cannot_read(native):
    kept = kept_for(native, "entry_into_force_date")
    assert {"IX.1/entry-into-force", "IX.1/signature-counts"} <= kept  # the second sets what the first reads
    assert "III.1/public-information" not in kept  # sets an exchange's treatment, which this question never reads


def test_a_question_that_reads_duties_keeps_what_their_judgements_read(native):
    alone = kept_for(native, "entry_into_force_date")
    with_duties = kept_for(native, "entry_into_force_date", "obligations")
    assert alone < with_duties
    assert {rule.id for rule in native.ruleset.rules if rule.duty is not None} <= with_duties


def test_it_runs_and_prints_its_rows(native, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["firings.py", "--scenarios", "10", "--rounds", "1", "--top", "3"])
    firings.main()
    printed = capsys.readouterr().out
    assert "no rule firing" in printed and "hand-written floor" in printed
    assert "IX.3/notice" in printed
