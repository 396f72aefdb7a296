"""A variant's replay that goes on from the original's checkpoint holds what a replay from scratch holds.

The counterfactual search and the weighing of missing facts replay many
variants of one scenario, each with one event, choice or parameter changed.
Such a replay takes over the original's state after the events both
timelines begin with, up to the first that read a choice or parameter it
changes, and replays only the rest (`mou.evaluation.checkpoints`). These tests compare it with a
replay of the same variant from the first event: every fact with its history,
the events taken, the duty instances, the dates still due, the notes and the
answers. They also check that the shortcut is taken at all, and that the
durable-rules backend, whose sessions hold the facts asserted, never takes it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mou import Engine, MouError
from mou.answers.case import replay_of
from mou.answers.counterfactuals import alternatives
from mou.answers.questions import answer
from mou.evaluation.replay import Replay
from mou.dates import Duration
from mou.scenario.variants import CHOICE, EVENT, PARAMETER, Change, changes
from mou.tools.strategies import HypothesisPick, as_document, pick_scenario
from mou.values import to_json

from conftest import HAS_DURABLE, SCENARIOS

ENGINE = Engine(backend="native")
SHIFTS = (-400, -45, -1, 1, 45, 400)


def held(replay: Replay) -> dict:
    """Everything a finished replay holds that an answer can read, as plain comparable data."""
    state = replay.state
    return {
        "facts": {key: state.changes(*key) for key in sorted(state._history)},
        "taken": [(day, event.id) for day, event in replay.order],
        "instances": [(i.duty.id, i.event.id if i.event is not None else None, i.bearer, i.counterparty,
                       to_json(i.arose), i.day, i.firing) for i in state.instances],
        "due": sorted((timer.day, timer.seq, timer.key, timer.attr) for timer in replay.timers),
        "notes": [note.message for note in replay.stopped],
        "now": replay.now,
    }


def from_scratch(case, items, duties: bool) -> Replay:
    """The variant replayed from its first event, as before checkpoints existed."""
    choices = {**case.interpretation, **{c.target: c.value for c in items if c.kind == CHOICE}}
    parameters = {**case.parameters, **{c.target: c.value for c in items if c.kind == PARAMETER}}
    return replay_of(case.ruleset, case.backend, case.varied(items), choices, parameters, False, duties,
                     case.asking)


def event_changes(case) -> list:
    """Some single changes of each event: its date moved, and each other value of its fields."""
    found = []
    for event in case.scenario.events:
        found.extend(changes(Change(EVENT, event.id, "date", event.date + timedelta(days=shift))) for shift in SHIFTS)
        fields = case.ruleset.event_types[event.type].fields
        for name, spec in sorted(fields.items()):
            for value in alternatives(spec.type, event.fields.get(name), case.ruleset.parties)[:2]:
                found.append(changes(Change(EVENT, event.id, name, value)))
    return found


def reading_changes(case) -> list:
    """Every other value of each choice, and for each parameter its default and a longer and shorter period."""
    found = []
    for name, choice in sorted(case.ruleset.choices.items()):
        current = case.base.choices.get(name)
        found.extend(changes(Change(CHOICE, name, "", value)) for value in choice.values if value != current)
    for name, parameter in sorted(case.ruleset.parameters.items()):
        current = case.base.state.param(name, None)[0]
        values = [parameter.default]
        if isinstance(current, Duration):
            values += [Duration(current.count + 1, current.unit), Duration(max(1, current.count - 1), current.unit)]
        found.extend(changes(Change(PARAMETER, name, "", value)) for value in values if value != current)
    return found


def compare_variants(case, variants) -> None:
    """Compare every variant replayed both ways, and the answers they give."""
    for items in variants:
        if case.varied(items) is None:
            continue  # the change makes the scenario invalid input
        for duties in (True, False):
            resumed = case.replay(items, duties)
            fresh = from_scratch(case, items, duties)
            assert held(resumed) == held(fresh), (case.scenario.file, items, duties)
            for call in case.scenario.questions:
                if duties or not call.definition.uses_duties:
                    asked = case.call_in(call, items)
                    assert to_json(answer(resumed, asked, explain=False).value) == \
                        to_json(answer(fresh, asked, explain=False).value), (case.scenario.file, items, call.ask)


SHIPPED = sorted(SCENARIOS.glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED[::3], ids=lambda path: path.stem)
def test_a_resumed_variant_holds_what_a_fresh_replay_holds(path):
    case = ENGINE.case(ENGINE.read(path), explain=False)
    compare_variants(case, event_changes(case) + reading_changes(case))


def test_the_variants_of_the_shipped_scenarios_do_go_on_from_the_original():
    """Without this, the comparison above would pass with the shortcut never taken."""
    shared = events = 0
    for path in SHIPPED[::3]:
        case = ENGINE.case(ENGINE.read(path), explain=False)
        last = max(case.scenario.events, key=lambda event: (event.date, event.index), default=None)
        if last is None:
            continue
        items = changes(Change(EVENT, last.id, "date", last.date + timedelta(days=1)))
        if case.varied(items) is None:
            continue
        shared += resumed_events(case, items)
        events += len(case.scenario.events)
    assert shared >= events // 3


def test_a_case_that_replays_one_variant_makes_no_trunk():
    case = ENGINE.case(ENGINE.read(SCENARIOS / "ix3-notice-valid.yaml"), explain=False)
    event = case.scenario.events[-1]
    case.replay(changes(Change(EVENT, event.id, "date", event.date + timedelta(days=1))))
    assert case.replays == 1 and not case._trunks


def test_a_variant_with_another_parameter_goes_on_from_the_original_until_the_parameter_is_read():
    """The termination notice period is first read when the notice is taken: the signature is shared."""
    case = ENGINE.case(ENGINE.read(SCENARIOS / "ix3-notice-valid.yaml"), explain=False)
    trunk = case.trunk(True)
    name = next(name for kind, name in trunk.first_read if kind == "parameter")
    read_at = trunk.first_read[("parameter", name)]
    assert 0 < read_at < len(trunk.order)
    longer = changes(Change(PARAMETER, name, "", Duration(7, "months")))
    assert resumed_events(case, longer) == read_at
    assert held(case.replay(longer)) == held(from_scratch(case, longer, True))


def resumed_events(case, items) -> int:
    """How many events a variant's replay took over from the trunk (told by `checkpoints.resume`).

    A case makes its trunk for the second variant it replays (for one alone
    it would be a replay made for nothing), so another is replayed first.
    """
    from mou.evaluation import checkpoints

    if not case.replays:
        name, other = next((name, value) for name, choice in sorted(case.ruleset.choices.items())
                           for value in choice.values if value != case.base.choices.get(name))
        case.replay(changes(Change(CHOICE, name, "", other)))
    told = []
    original = checkpoints.resume

    def resume(replay, trunk, schedule):
        told.append(original(replay, trunk, schedule))
        return told[-1]

    checkpoints.resume = resume
    try:
        case.replay(items)
    finally:
        checkpoints.resume = original
    return told[0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_resumed_variant_of_a_generated_scenario_holds_what_a_fresh_replay_holds(data):
    pick = HypothesisPick(data.draw)
    try:
        scenario = ENGINE.reader.from_document(as_document(pick_scenario(pick, ENGINE.ruleset, min_events=2)))
    except MouError:
        return
    case = ENGINE.case(scenario, explain=False)
    event = data.draw(st.sampled_from(scenario.events))
    shift = data.draw(st.integers(-3000, 3000).filter(bool))
    items = changes(Change(EVENT, event.id, "date", event.date + timedelta(days=shift)))
    if case.varied(items) is None:
        return
    for duties in (True, False):
        assert held(case.replay(items, duties)) == held(from_scratch(case, items, duties))


@pytest.mark.skipif(not HAS_DURABLE, reason="durable-rules is not installed")
def test_durable_rules_replays_every_variant_from_the_start():
    with Engine(backend="durable", ruleset=ENGINE.ruleset) as engine:
        case = engine.case(engine.read(SCENARIOS / "ix3-notice-valid.yaml"), explain=False)
        event = case.scenario.events[-1]
        items = changes(Change(EVENT, event.id, "date", event.date + timedelta(days=1)))
        assert case.varied(items) is not None
        assert case.replay(items).checkpoints is None and not case._trunks  # no trunk was even made
        assert held(case.replay(items)) == held(from_scratch(case, items, True))
