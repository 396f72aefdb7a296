"""Properties of the Article IX logic, over generated scenarios (hypothesis)."""

from __future__ import annotations

import random

from hypothesis import assume, given
from hypothesis import strategies as st

from mou.errors import MouError
from mou.scenario.model import Scenario
from mou.tools.strategies import as_document, dates, scenario_data
from mou.values import to_json

ARTICLE_IX = ("signature", "termination_notice", "notice_withdrawal", "amendment_proposal",
              "amendment_acceptance")


def read(engine, data) -> Scenario:
    try:
        return engine.reader.from_document(as_document(data))
    except MouError:
        assume(False)
        raise  # pragma: no cover - assume(False) raises


def answers(engine, scenario) -> list:
    result = engine.check(scenario, explain=False)  # a rule that fails raises RuleError
    return [(item.call.ask, item.call.raw_args, to_json(item.answer)) for item in result.results]


def lifecycle(ruleset):
    return scenario_data(ruleset, types=ARTICLE_IX, max_events=10, questions=False)


@given(st.data())
def test_the_mou_is_in_force_exactly_from_entry_into_force_through_its_last_day(native, data):
    scenario_dict = data.draw(lifecycle(native.ruleset))
    days = data.draw(st.lists(dates(), min_size=1, max_size=8))
    scenario_dict["questions"] = ([{"ask": "entry_into_force_date"}, {"ask": "last_day_in_force"}]
                                  + [{"ask": "in_force", "on": day.isoformat()} for day in days])
    found = answers(native, read(native, scenario_dict))
    start, last = found[0][2], found[1][2]
    for (_, args, value), day in zip(found[2:], days):
        expected = start is not None and start <= day.isoformat() and (last is None or day.isoformat() <= last)
        assert value is expected, (args, start, last)


def _reordered(events: list[dict], rng: random.Random) -> list[dict]:
    """A random order of the events that keeps the file order of events sharing a date."""
    def days(item):
        return {item["date"], item.get("received", item["date"])}

    placed: list[dict] = []
    left = list(events)
    while left:
        ready = [e for i, e in enumerate(left) if not any(days(e) & days(f) for f in left[:i])]
        choice = rng.choice(ready)
        placed.append(choice)
        left.remove(choice)
    return placed


@given(st.data(), st.randoms(use_true_random=False))
def test_reordering_events_with_distinct_dates_changes_no_answer(native, data, rng):
    scenario_dict = data.draw(scenario_data(native.ruleset, types=ARTICLE_IX, max_events=10))
    before = answers(native, read(native, scenario_dict))
    scenario_dict["events"] = _reordered(scenario_dict["events"], rng)
    assert answers(native, read(native, scenario_dict)) == before


@given(st.data())
def test_every_answer_is_explained_with_a_paragraph(native, data):
    scenario = read(native, data.draw(scenario_data(native.ruleset, types=ARTICLE_IX, max_events=6)))
    for item in native.check(scenario).results:
        assert item.explanation["paragraphs"], item.call.ask
        assert all(p["text"] for p in item.explanation["paragraphs"])
        if to_json(item.answer) == "unknown":
            assert item.explanation["missing"], item.call.ask


@given(st.data())
def test_a_valid_notice_never_ends_the_mou_before_its_period_has_run(native, data):
    scenario_dict = data.draw(lifecycle(native.ruleset))
    scenario = read(native, scenario_dict)
    replay = native.replay(scenario)
    for event in scenario.events:
        if event.type == "termination_notice":
            valid, _ = replay.state.attr(event.id, "valid", None)
            if valid is True:
                period_end, _ = replay.state.attr(event.id, "period_end", None)
                last, _ = replay.state.attr("$agreement", "last_day", None)
                ended_by, _ = replay.state.attr("$agreement", "ended_by", None)
                if ended_by is event and scenario.choices(native.ruleset)["termination_effect"] == "after_period_end":
                    assert last >= period_end


@given(st.data())
def test_both_backends_give_the_same_answers(engine, native, data):
    scenario = read(native, data.draw(scenario_data(native.ruleset, max_events=10)))
    assert answers(engine, scenario) == answers(native, scenario)


def test_sessions_do_not_leak_between_scenarios(engine):
    first = engine.loads("scenario: a\nevents:\n  - {id: n1, type: termination_notice, from: IOM, to: ECO, "
                         "date: 2020-05-10, form: letter}\nquestions:\n  - {ask: in_force, on: 2021-01-01}\n")
    second = engine.loads("scenario: b\nquestions:\n  - {ask: in_force, on: 2021-01-01}\n")
    assert [answers(engine, s) for s in (first, second, first, second)] == [
        [("in_force", {"on": "2021-01-01"}, False)], [("in_force", {"on": "2021-01-01"}, True)]] * 2


def test_thousands_of_scenarios_run_in_one_process(engine):
    scenario = engine.loads("scenario: a\nquestions:\n  - {ask: in_force, on: 2021-01-01}\n")
    for _ in range(3000):  # more than durable-rules' 1,024 live sessions: ids must be reused and freed
        assert engine.check(scenario, explain=False).results[0].answer is True


def test_entry_into_force_is_the_day_of_the_later_signature(native):
    scenario = native.loads("scenario: a\nevents:\n  - {id: s1, type: signature, party: ECO, date: 2010-03-01}\n"
                            "  - {id: s2, type: signature, party: IOM, date: 2010-03-05}\n"
                            "questions:\n  - {ask: in_force, on: 2010-03-04}\n  - {ask: in_force, on: 2010-03-05}\n")
    assert [a[2] for a in answers(native, scenario)] == [False, True]


@given(st.data())
def test_the_fast_path_gives_the_answers_of_the_explained_path(native, data):
    scenario = read(native, data.draw(scenario_data(native.ruleset, max_events=12)))
    explained = native.check(scenario, explain=True)
    fast = native.check(scenario, explain=False)  # skips duty rules when no question reads duties
    assert [to_json(r.answer) for r in fast.results] == [to_json(r.answer) for r in explained.results]
