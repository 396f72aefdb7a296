"""The two backends agree: durable-rules and native, on thousands of generated scenarios."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import HAS_DURABLE, effort

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from differential import compare  # noqa: E402

pytestmark = pytest.mark.skipif(not HAS_DURABLE, reason="durable-rules is not installed here")


@pytest.fixture(scope="module")
def durable(ruleset):
    from mou import Engine

    with Engine(ruleset=ruleset, backend="durable") as built:
        yield built


def test_answers_agree_on_2000_generated_scenarios(native, durable, tmp_path):
    count = effort(2000)  # 2,000 under the mou-ci profile
    assert compare(native, durable, count, seed=1996, explain=False, out=tmp_path) == (count, 0)


def test_explanations_agree_on_300_generated_scenarios(native, durable, tmp_path):
    count = effort(300)
    assert compare(native, durable, count, seed=2009, explain=True, out=tmp_path) == (count, 0)


def test_a_disagreement_would_be_written_as_a_scenario_file(native, tmp_path, monkeypatch):
    class Lying:
        """A backend stand-in whose every answer is wrong."""

        ruleset = native.ruleset
        reader = native.reader

        def check(self, scenario, explain=True, search=False):
            result = native.check(scenario, explain, search=search)
            for item in result.results:
                item.answer = "wrong"
            return result

    compared, disagreements = compare(native, Lying(), 3, seed=3, explain=False, out=tmp_path)
    assert compared == 3 and disagreements >= 1
    assert list(tmp_path.glob("disagreement-*.yaml"))
