"""The scenario fast path says yes only to what the pydantic models say yes to, with the values they give.

`mou.scenario.fastpath` validates a well-formed scenario without pydantic;
at anything it does not accept, the reader asks the models, which word the
problem. So for any data: either the fast path gives None, or the models
accept the data too and give the very same values.
"""

from __future__ import annotations

import copy
from datetime import date

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from conftest import SCENARIOS
from mou.language.yamlio import read_yaml
from mou.scenario.fastpath import FastPath, Validated
from mou.values import Event
from mou.scenario.reader import ScenarioReader
from mou.tools.strategies import scenario_data

FILES = sorted(SCENARIOS.glob("*.yaml"))


@pytest.fixture(scope="module")
def reader(ruleset):
    return ScenarioReader(ruleset)


def values_of(model) -> object:
    """A model instance (pydantic's or the fast path's) as plain data: every attribute, nested."""
    if isinstance(model, Validated) or hasattr(type(model), "model_fields"):
        names = (set(vars(model)) - {"model_fields_set"}) if isinstance(model, Validated) \
            else set(type(model).model_fields)
        return {"fields set": set(model.model_fields_set),
                **{name: values_of(getattr(model, name)) for name in sorted(names)}}
    if isinstance(model, list):
        return [values_of(item) for item in model]
    if isinstance(model, dict):
        return {key: values_of(value) for key, value in model.items()}
    return (type(model).__name__, model)


def assert_agrees(reader, data):
    fast = reader.fast.validate(data)
    if fast is None:
        return False
    assert values_of(fast) == values_of(reader.model.model_validate(data))
    return True


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_shipped_scenario_takes_the_fast_path_with_the_models_values(reader, path):
    data = read_yaml(path).data
    assert assert_agrees(reader, data), "a shipped scenario is well formed: the fast path should accept it"


@pytest.mark.parametrize("path", FILES[::8], ids=lambda p: p.name)
def test_a_scenario_read_either_way_is_the_same_scenario(reader, path, monkeypatch):
    fast = reader.read(path)
    monkeypatch.setattr(FastPath, "validate", lambda self, data: None)
    monkeypatch.setattr(FastPath, "validate_event", lambda self, item: None)
    assert described(reader.read(path)) == described(fast)


def described(scenario) -> tuple:
    """A scenario as data: events by id where one refers to another (events compare by identity)."""
    def plain(value):
        if isinstance(value, Event):
            return ("event", value.id)
        if isinstance(value, (list, tuple)):
            return tuple(plain(item) for item in value)
        if isinstance(value, dict):
            return tuple((key, plain(item)) for key, item in value.items())
        return value

    events = tuple((e.id, e.type, e.date, plain(e.fields), e.index, e.location, e.implied, plain(e.copied))
                   for e in scenario.events)
    questions = tuple((q.ask, plain(q.args), plain(q.raw_args), plain(q.expect), q.location) for q in scenario.questions)
    return (scenario.file, scenario.title, scenario.description, scenario.as_of, plain(scenario.interpretation),
            plain(scenario.parameters), scenario.defaulted, events, questions)


def test_the_default_events_are_the_models_too(reader, ruleset):
    for raw in ruleset.default_events[2]:
        assert values_of(reader.fast.validate_event(raw)) == values_of(
            reader.model.model_validate({"scenario": "defaults", "events": [raw]}).events[0])


SAMPLES = [read_yaml(path).data for path in FILES[::4]]

damage = st.sampled_from(["drop", "null", "int", "bool", "text", "list", "mapping", "extra", "date", "float"])


def damaged(data: dict, draw) -> dict:
    """The data with one value somewhere replaced, dropped, or a key added."""
    data = copy.deepcopy(data)
    node, path = data, []
    while isinstance(node, (dict, list)) and node and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(node) if isinstance(node, dict) else list(range(len(node)))))
        path.append((node, key))
        node = node[key]
    if not path:
        return data
    parent, key = path[-1]
    how = draw(damage)
    replacement = {"null": None, "int": 3, "bool": True, "text": "IOM", "list": ["x", 2], "mapping": {"a": 1},
                   "date": "2020-02-30", "float": 1.5}.get(how)
    if how == "drop":
        del parent[key]
    elif how == "extra" and isinstance(parent, dict):
        parent["unexpected"] = 1
    else:
        parent[key] = replacement
    return data


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(SAMPLES), st.data())
def test_damaged_scenarios_are_accepted_only_as_the_models_accept_them(reader, sample, data):
    broken = damaged(sample, data.draw)
    fast = reader.fast.validate(broken)
    if fast is None:
        return
    assert values_of(fast) == values_of(reader.model.model_validate(broken))


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_generated_scenarios_agree(reader, ruleset, data):
    generated = data.draw(scenario_data(ruleset))
    generated = yaml.safe_load(yaml.safe_dump(generated))  # as a file gives it (dates as text)
    generated = {key: (value.isoformat() if isinstance(value, date) else value) for key, value in generated.items()}
    fast = reader.fast.validate(generated)
    try:
        model = reader.model.model_validate(generated)
    except Exception:  # noqa: BLE001 - the models refuse it: so must the fast path
        assert fast is None
        return
    if fast is not None:
        assert values_of(fast) == values_of(model)
