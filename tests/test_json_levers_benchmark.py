"""`benchmarks/json_levers.py` counts what the ways of cutting the default JSON could save: it must only count.

It wraps the engine's functions for its run (the replays of variants, the summaries' parts); afterwards the
engine must be as it was, and what it counts must add up. No figure is timed here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCHMARK = Path(__file__).parent.parent / "benchmarks" / "json_levers.py"
SCENARIOS = Path(__file__).parent.parent / "scenarios"


def load_benchmark():
    """The benchmark module, by path (benchmarks/ is not a package; it imports its neighbours)."""
    sys.path.insert(0, str(BENCHMARK.parent))
    spec = importlib.util.spec_from_file_location("json_levers", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


levers = load_benchmark()


def test_the_counts_leave_the_engine_as_it_was(monkeypatch, capsys):
    from mou.answers import case, shown
    from mou.evaluation import checkpoints

    before = (checkpoints.resume, case.Case._replayed, case.replay_of, shown.decisive, shown.worded_summary)
    # a file with an `unknown` answer (a search, its variants weighed) and one with summaries that need reasons
    files = [str(SCENARIOS / "ix3-notice-valid.yaml"), *sorted(str(path) for path in SCENARIOS.glob("*.yaml"))[:3]]
    monkeypatch.setattr(levers, "FILES", files)
    levers.searches()
    levers.summaries(1)
    assert (checkpoints.resume, case.Case._replayed, case.replay_of, shown.decisive, shown.worded_summary) == before
    printed = capsys.readouterr().out
    assert "variant replays resumed from their trunks" in printed
    assert "summaries" in printed and "explanations" in printed
