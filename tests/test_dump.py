"""engine.dump: a scenario written back as YAML reads as the same scenario."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from conftest import SCENARIOS
from mou.scenario.dump import scenario_data, to_yaml
from mou.errors import MouError
from mou.tools.strategies import as_document
from mou.tools.strategies import scenario_data as generated


def test_every_shipped_scenario_round_trips(native):
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = native.read(path)
        again = native.loads(to_yaml(scenario_data(scenario)), str(path))
        assert scenario_data(again) == scenario_data(scenario), path.name


@given(st.data())
def test_model_to_yaml_to_model_is_the_identity(native, data):
    try:
        scenario = native.reader.from_document(as_document(data.draw(generated(native.ruleset))))
    except MouError:
        assume(False)
        raise
    text = to_yaml(scenario_data(scenario))
    assert scenario_data(native.loads(text)) == scenario_data(scenario), text


def test_text_that_yaml_would_misread_is_quoted():
    text = to_yaml({"scenario": "no", "description": "on", "events": [
        {"id": "012", "type": "x", "date": "2020-01-01", "topics": ["yes", "1:30", "ii", "e0", "a: b"]}]})
    assert 'scenario: "no"' in text and 'description: "on"' in text
    assert '{id: "012", type: x, date: 2020-01-01, topics: ["yes", "1:30", ii, e0, "a: b"]}' in text
