"""The floor of the throughput benchmark gives the engine's answers.

`benchmarks/article_ix.py` times the engine against a hand-written Article IX
(IX.1 entry into force, IX.3 notices of termination and their withdrawals,
under the default reading). That comparison means something only if both give
the same answers: here, on a few hundred seeded scenarios of signatures,
notices and withdrawals, every answer of the hand-written function must be the
engine's (a differential test).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).parent.parent / "benchmarks" / "article_ix.py"


def load_benchmark():
    """The benchmark module, by path (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("article_ix", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


article_ix = load_benchmark()


@pytest.mark.parametrize("seed", [2009, 27])
def test_hand_written_article_ix_agrees_with_the_engine(native, seed):
    scenarios = list(article_ix.workload(native, 300, seed))
    assert len(scenarios) == 300
    disagreements = article_ix.agree(native, scenarios)
    assert disagreements == [], "\n".join(article_ix.describe(d) for d in disagreements[:3])


def test_the_workload_asks_only_article_ix_questions(native):
    for scenario in article_ix.workload(native, 50, 1):
        assert scenario.questions
        assert {call.ask for call in scenario.questions} <= set(article_ix.QUESTIONS)
        assert {event.type for event in scenario.events} <= set(article_ix.EVENT_TYPES)


NOTICE_OF_2020 = """
scenario: IOM gives notice in 2020, and withdraws a second notice
events:
  - {id: n1, type: termination_notice, from: IOM, to: ECO, date: 2020-05-10, received: 2020-05-12, form: letter}
  - {id: n2, type: termination_notice, from: ECO, to: IOM, date: 2020-06-01, form: email}
  - {id: w2, type: notice_withdrawal, notice: n2, from: ECO, form: letter, date: 2020-07-01}
  - {id: n3, type: termination_notice, from: ECO, to: IOM, date: 2020-06-02, form: oral}
questions:
  - {ask: entry_into_force_date}
  - {ask: termination_notice_valid, notice: n1}
  - {ask: termination_notice_valid, notice: n2}
  - {ask: termination_notice_valid, notice: n3}
  - {ask: in_force, on: 2020-11-12}
  - {ask: in_force, on: 2020-11-13}
  - {ask: status, on: 2015-06-01}
  - {ask: status, on: 2020-06-15}
  - {ask: status, on: 2020-11-13}
  - {ask: last_day_in_force}
"""


def test_a_worked_example_from_domain_md(native):
    # No signatures: the signed original (2009-01-27). n1 is received on 2020-05-12, so the MoU is in force
    # through 2020-11-12; n2 (an email is writing) is withdrawn by ECO, so not valid; n3 was oral.
    scenario = native.loads(NOTICE_OF_2020)
    expected = ["2009-01-27", True, False, False, True, False, "in_force", "termination_pending", "terminated",
                "2020-11-12"]
    assert article_ix.answers(scenario) == expected
    assert article_ix.engine_answers(native, scenario) == expected
