"""Settling acts are looked up by an index, not scanned: the same judgements, in linear time.

A duty's `settled_by.match` usually requires `act.FIELD == X` (an invitation
to *this* meeting, a response to *this* request). The compiler finds that
equality among the conjuncts of the match, and the judgement looks the acts
up by FIELD instead of reading every act for every instance (which made
10,000 meetings take 24 s). `benchmarks/duties.py` measures the speed; these
tests check that nothing else changes.
"""

from __future__ import annotations

from datetime import date
from unittest import mock

from hypothesis import assume, given, settings

from mou.errors import MouError
from mou.evaluation.state import State
from mou.tools.strategies import as_document, scenario_data
from mou.values import Event, Missing, Unknown, to_json

DUTY_EVENTS = ("meeting", "invitation", "cooperation_request", "cooperation_response", "publicized",
               "work_programme", "consultation", "signature", "termination_notice")


def test_the_index_is_the_field_the_match_compares_with_the_instance(ruleset):
    fields = {name: duty.settlement.index_field for name, duty in ruleset.duties.items() if duty.settlement}
    assert fields == {
        "II.1/invite": "meeting",  # act.meeting == event and act.from == bearer and act.to == counterparty
        "II.2/invite": "meeting",
        "I.3/respond": "request",  # act.request == event and act.from == bearer
        "IX.1/publicize": "party",  # act.party == bearer and act.date >= agreement.entry_into_force
        "V.2/work-programme": "",  # all(p in act.adopted_by for p in parties): no equality, so a scan
    }


def obligations(engine, scenario) -> list:
    result = engine.check(scenario, explain=False)
    return [to_json(item.answer) for item in result.results]


def test_looked_up_and_scanned_acts_give_the_same_judgements(native):
    @settings(max_examples=200)
    @given(scenario_data(native.ruleset, types=DUTY_EVENTS, max_events=14))
    def same(data):
        data["questions"] = [{"ask": "obligations", "on": day} for day in ("2009-06-30", "2015-01-01", "2031-01-01")]
        try:
            scenario = native.reader.from_document(as_document(data))
        except MouError:
            assume(False)
            return
        indexed = obligations(native, scenario)
        with mock.patch.object(State, "events_with", lambda *args: None):  # None: scan every act
            scanned = obligations(native, scenario)
        assert indexed == scanned

    same()


def test_an_act_whose_field_is_unknown_is_always_a_candidate(ruleset):
    meeting = Event("m1", "meeting", date(2020, 1, 1), {}, 0)
    other = Event("m2", "meeting", date(2020, 1, 1), {}, 1)
    unknown = Unknown(frozenset({Missing("i2", "meeting", "state the meeting")}))
    invitations = [Event("i1", "invitation", date(2020, 1, 2), {"meeting": meeting}, 2),
                   Event("i2", "invitation", date(2020, 1, 3), {"meeting": unknown}, 3),
                   Event("i3", "invitation", date(2020, 1, 4), {"meeting": other}, 4),
                   Event("i4", "invitation", date(2020, 1, 5), {"meeting": meeting}, 5)]
    state = State(ruleset, [meeting, other, *invitations], {})
    for event in invitations[:3]:
        state.arrive(event, event.date)
    assert [e.id for e in state.events_with("invitation", "meeting", meeting, None)] == ["i1", "i2"]
    state.arrive(invitations[3], invitations[3].date)  # arrivals after a lookup are indexed too
    assert [e.id for e in state.events_with("invitation", "meeting", meeting, None)] == ["i1", "i2", "i4"]
    assert [e.id for e in state.events_with("invitation", "meeting", meeting, date(2020, 1, 2))] == ["i1"]
    assert [e.id for e in state.events_with("invitation", "meeting", other, None)] == ["i2", "i3"]
    assert state.events_with("invitation", "meeting", [meeting], None) is None  # not hashable: scan
