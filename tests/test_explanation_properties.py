"""Issue 28's properties of explanations, over every shipped scenario and over generated ones (hypothesis).

The checks are tests/explanation_checks.py's (DOMAIN.md, "What an explanation must be"): no hindsight,
counterfactuals a person could act on, the right paragraph, plain words, text at most 100 columns, a memo of
one page. Each test fails with every violation it found, one per line; `python benchmarks/explanation_audit.py`
counts them all.

    pytest -m explanations -n 2                                   # all of them
    pytest tests/test_explanation_properties.py -k "hindsight and ix3"
    HYPOTHESIS_PROFILE=mou-ci-quick pytest -m explanations        # 500 generated scenarios, not 2,000

Shipped scenarios: one test per check and scenario file. Generated: one hypothesis test that asks each drawn
scenario once and judges it by every check, over `effort(2000)` scenarios (2,000 under the `mou-ci` profile,
500 under `mou-ci-quick`), drawn by `mou.testing`'s `scenario_data`; a draw that is not valid input is
assumed away.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import explanation_checks as checks
from conftest import SCENARIOS, effort, shipped_engine
from mou.errors import MouError
from mou.tools.strategies import as_document, scenario_data

pytestmark = pytest.mark.explanations

FILES = sorted(SCENARIOS.glob("*.yaml"))
GENERATED = effort(2000)
"""Generated scenarios per check: at least 2,000 under `mou-ci` (issue 28), fewer under a lighter profile."""
MAX_EVENTS = 10


@functools.lru_cache(maxsize=None)
def shipped(path: Path):
    """A shipped scenario and its questions, asked and explained once per worker."""
    engine = shipped_engine()
    scenario = engine.read(path)
    return engine, scenario, checks.ask_all(engine, scenario)


@functools.lru_cache(maxsize=1)
def patterns():
    return checks.notation_patterns(shipped_engine())


def run(name: str, engine, scenario, asked: list) -> list[str]:
    """The violations of one check over every question of a scenario."""
    if name == "memo":
        return checks.memo(engine, scenario, patterns=patterns())
    found = []
    for item in asked:
        if name == "hindsight":
            found += checks.hindsight(engine, scenario, item.call, item)
        elif name == "counterfactuals":
            found += checks.counterfactuals(engine, scenario, item.call, item)
        elif name == "paragraphs":
            found += checks.paragraphs(engine, item)
        elif name == "notation":
            found += checks.notation(engine, item, patterns())
        elif name == "lines":
            found += checks.lines(item)
    return found


def verdict(name: str, found: list[str]) -> None:
    assert not found, f"{len(found)} {name} violations:\n" + "\n".join(found)


def ids(path: Path) -> str:
    return path.stem


# -- every shipped scenario ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", FILES, ids=ids)
def test_no_hindsight(path):
    """DOMAIN.md rule 1: without the events after D, an answer about D is the same, word for word."""
    verdict("hindsight", run("hindsight", *shipped(path)))


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_counterfactuals_a_person_could_act_on(path):
    """DOMAIN.md rule 5: each counterfactual is valid input, flips the answer as it says, and is not absurd."""
    verdict("counterfactuals", run("counterfactuals", *shipped(path)))


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_the_right_paragraph(path):
    """DOMAIN.md rule 3: a reason cites the paragraph of the rule that set its fact."""
    verdict("paragraphs", run("paragraphs", *shipped(path)))


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_plain_words(path):
    """DOMAIN.md rule 6: no internal notation in anything a person reads; no ✓ before a contrary sentence."""
    verdict("notation", run("notation", *shipped(path)))


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_text_lines_fit_100_columns(path):
    """Issue 28: text output wraps at 100 columns."""
    verdict("lines", run("lines", *shipped(path)))


@pytest.mark.parametrize("path", FILES, ids=ids)
def test_memo_fits_a_page(path):
    """DOMAIN.md rule 8: the memo's lines fit 100 columns (80 lines for ix3-notice-valid), headings in words,
    no file names, no "(as expected)"."""
    verdict("memo", run("memo", *shipped(path)))


# -- generated scenarios ------------------------------------------------------------------------------

def generated(data) -> tuple:
    """A drawn scenario, read and asked (assumed away when it is not valid input)."""
    engine = shipped_engine()
    raw = data.draw(scenario_data(engine.ruleset, max_events=MAX_EVENTS))
    try:
        scenario = engine.reader.from_document(as_document(raw))
    except MouError:
        assume(False)
        raise  # pragma: no cover
    return engine, scenario, checks.ask_all(engine, scenario)


@settings(max_examples=GENERATED)
@given(st.data())
def test_every_check_holds_on_generated_scenarios(data):
    """Every check (hindsight, counterfactuals, paragraphs, notation, lines, memo) on the same generated scenarios:
    each drawn scenario is asked once and judged by all six (GENERATED of them under the CI profile)."""
    engine, scenario, asked = generated(data)
    found = [f"{name}: {violation}" for name in checks.CHECKS for violation in run(name, engine, scenario, asked)]
    verdict("explanation", found)


LATER_MEETING = """\
scenario: A meeting convened decades after the day asked, in a case whose MoU ended long before it
as_of: 2036-01-01
interpretation: {consultation_interval: 135 days}
events:
  - {id: e3, type: meeting, date: 2035-12-30, convened_by: ECO, igos_invited: true, topics: [railway tariffs]}
  - {id: e4, type: termination_notice, date: 2011-02-01, from: ECO, to: IOM, form: letter, received: 2011-03-01}
questions:
  - {ask: obligations, on: 2015-05-25}
"""


def test_a_later_event_neither_adds_nor_takes_away_a_counterfactual():
    """Found by the generated check: the act not taken (ECO withdrawing its notice) was offered as of 2015 only
    where no later meeting existed, as the meeting of 2035 would have made its duty owed too in the whole
    case. An answer about a day is explained from the case as known that day, counterfactuals included."""
    engine = shipped_engine()
    scenario = engine.loads(LATER_MEETING, "later-meeting.yaml")
    asked = checks.ask_all(engine, scenario)
    assert any("add" in flip for flip in asked[0].explanation["counterfactuals"])
    verdict("hindsight", run("hindsight", engine, scenario, asked))
    verdict("counterfactuals", run("counterfactuals", engine, scenario, asked))
