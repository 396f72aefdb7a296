"""An answers-only replay runs each rule as one fused step, and on the native backend skips the dispatch.

`mou.evaluation.fused` takes out of each rule, once, what its answers-only
evaluation needs, and lists the steps of each trigger in rule order; a
replay on the native backend runs those lists directly instead of asking the
backend which rules a fact matches. These tests compare it, on every shipped
scenario, with the two independent paths it must agree with:

- the same replay dispatched by the native backend rule by rule (`Replay.run_rule`), which must hold
  exactly the same facts, with the same firings as their sources;
- the explained replay (`Replay._evaluate`, written separately, which records every read), whose facts
  and duty instances must be the same values on the same days (an answers-only replay keeps no firings,
  so the sources differ).

They also check that what replays keep for a rule set (its steps, its choices' defaults, its facts'
initial values) goes when the rule set does.
"""

from __future__ import annotations

import gc
from dataclasses import replace

import pytest

from mou import Engine
from mou.answers.case import replay_of
from mou.evaluation import fused
from mou.evaluation.replay import Replay
from mou.values import to_json

from conftest import SCENARIOS

ENGINE = Engine(backend="native")
FILES = sorted(SCENARIOS.glob("*.yaml"))


def facts(replay: Replay, sources: bool = True) -> dict:
    """Every fact a finished replay set, with its history (and, optionally, the firing that set each value)."""
    state = replay.state
    return {key: [(day, to_json(value), source) if sources else (day, to_json(value))
                  for day, value, source in state.changes(*key)]
            for key in sorted(state._history)}


def instances(replay: Replay) -> list:
    return [(i.duty.id, i.event.id if i.event is not None else None, i.bearer, i.counterparty, to_json(i.arose),
             i.day) for i in replay.state.instances]


def replayed(path, explain: bool, fuse: bool = True) -> Replay:
    """A scenario's replay (read afresh: no two replays share an event object)."""
    scenario = ENGINE.read(path)
    if fuse:
        return replay_of(ENGINE.ruleset, ENGINE.backend, scenario, explain=explain)
    unfused = Replay._fuse
    Replay._fuse = lambda self, session: None  # as a backend that only dispatches would run it
    try:
        return replay_of(ENGINE.ruleset, ENGINE.backend, scenario, explain=explain)
    finally:
        Replay._fuse = unfused


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_fused_steps_hold_what_dispatched_and_explained_replays_hold(path):
    fast = replayed(path, explain=False)
    assert fast.fused is not None  # the native backend's answers-only replays take the fused path
    dispatched = replayed(path, explain=False, fuse=False)
    assert dispatched.fused is None
    assert facts(fast) == facts(dispatched)
    assert instances(fast) == instances(dispatched)
    assert [(d, e.id) for d, e in fast.order] == [(d, e.id) for d, e in dispatched.order]

    explained = replayed(path, explain=True)
    assert explained.fused is None  # explanations record every read: never the fused path
    assert facts(fast, sources=False) == facts(explained, sources=False)
    assert instances(fast) == instances(explained)
    assert [note.message for note in fast.stopped] == [note.message for note in explained.stopped]


def test_the_dispatched_comparison_sees_a_step_that_differs(monkeypatch):
    """The comparison above is not vacuous: a step that skips one rule's conclusions is caught."""
    path = SCENARIOS / "ix3-notice-valid.yaml"
    types = {event.type for event in ENGINE.read(path).events}
    rule = next(r for r in ENGINE.ruleset.rules if r.trigger.kind == "event" and r.trigger.owner in types and r.then)
    program = fused.program(ENGINE.ruleset)
    monkeypatch.setattr(program, "on_event", {
        owner: tuple(step for step in steps if step is not program.steps[id(rule)])
        for owner, steps in program.on_event.items()})
    assert facts(replayed(path, explain=False)) != facts(replayed(path, explain=False, fuse=False))


def test_a_program_goes_with_its_rule_set():
    other = replace(ENGINE.ruleset, sha256="another")
    made = fused.program(other)
    assert fused.program(other) is made  # made once per rule set
    key = id(other)
    assert key in fused._PROGRAMS
    del other, made
    gc.collect()
    assert key not in fused._PROGRAMS


def test_what_replays_keep_for_a_rule_set_goes_with_it():
    """A replay keeps, for each rule set, its fused steps, its choices' defaults and its facts' initial values."""
    from mou.evaluation import state
    from mou.scenario import model

    from mou.evaluation.backends import NativeBackend

    other, backend = replace(ENGINE.ruleset, sha256="another"), NativeBackend()  # the backend indexes it too
    scenario = ENGINE.read(SCENARIOS / "ix3-notice-valid.yaml")
    replay_of(other, backend, scenario, explain=False)
    key = id(other)
    kept = (fused._PROGRAMS, model._DEFAULTS, state._INITIAL)
    assert all(key in cache for cache in kept)
    del other, backend
    gc.collect()
    assert not any(key in cache for cache in kept)
