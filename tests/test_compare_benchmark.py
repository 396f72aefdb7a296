"""`benchmarks/compare.py` times this checkout against another revision, and first checks they agree.

Its figures mean something only if the other revision really runs (its own
engine, checked out and imported as `mou_base`), and only if the two give the
same outputs: here, the checkout's own HEAD runs beside it and agrees on a
shipped scenario, and an engine that answers one question differently is
caught.
"""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).parent.parent / "benchmarks" / "compare.py"
SCENARIO = str(Path(__file__).parent.parent / "scenarios" / "ix3-notice-valid.yaml")


def load_benchmark():
    """The benchmark module, by path (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("compare", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


compare = load_benchmark()


def in_git_checkout() -> bool:
    done = subprocess.run(["git", "-C", str(compare.ROOT), "rev-parse", "HEAD"], capture_output=True)
    return done.returncode == 0


@pytest.mark.skipif(not in_git_checkout(), reason="needs the project's git history (a clone)")
def test_another_revision_runs_beside_this_one_and_is_removed_afterwards(native):
    with compare.checked_out("HEAD") as base:
        tree = Path(base.__file__).resolve().parent.parent
        other = base.Engine()
        assert type(other).__module__ == "mou_base.api"  # its own engine, not this checkout's
        assert compare.result_json(other, SCENARIO, explain=True) == compare.result_json(native, SCENARIO, True)
    assert not tree.exists()
    listed = subprocess.run(["git", "-C", str(compare.ROOT), "worktree", "list"], capture_output=True, text=True)
    assert str(tree) not in listed.stdout


class OneAnswerChanged:
    """An engine like another, except that the first answer of every scenario is the opposite."""

    def __init__(self, engine):
        self.engine = engine

    def read(self, file):
        return self.engine.read(file)

    def check(self, scenario, **options):
        result = self.engine.check(scenario, **options)
        result.results[0].answer = not result.results[0].answer
        return result


def test_an_engine_that_answers_differently_is_caught(native, monkeypatch):
    monkeypatch.setattr(compare, "FILES", [SCENARIO])
    assert compare.differences(native, native) == []
    assert compare.differences(native, OneAnswerChanged(native)) == [SCENARIO, SCENARIO]  # plain, explained


def test_each_engine_runs_every_item_every_round_and_its_best_counts():
    ran = []

    def work(name, engine, item):
        ran.append((name, item))

    spent = compare.taking_turns(work, ["a", "b", "c"], {"new": object(), "base": object()}, rounds=4)
    assert sorted(spent) == ["base", "new"] and all(value >= 0 for value in spent.values())
    assert sorted(ran) == sorted([(name, item) for name in ("new", "base") for item in "abc"] * 4)
    assert ran[:2] == [("base", "a"), ("new", "a")] and ran[2:4] == [("new", "a"), ("base", "a")]  # turns alternate
