"""Every scenario file under scenarios/ is a test: its expectations must hold, on every backend."""

from __future__ import annotations

import pytest

from mou.answers.render import render_text
from mou.scenario.model import NOT_GIVEN
from mou.values import to_json

from conftest import SCENARIOS

FILES = sorted(SCENARIOS.rglob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_scenario(engine, path):
    scenario = engine.read(path)
    result = engine.check(scenario, properties=True)
    assert not result.errors, result.errors
    assert not result.violations, "\n".join(map(str, result.violations))
    failures = []
    for item in result.results:
        if item.ok is False:
            lines = render_text(item.explanation or {}, indent="    ") if item.explanation else []
            failures.append(f"{path.name}: {item.call.ask} {item.call.raw_args}: expected "
                            f"{item.to_json()['expected']!r}, got {to_json(item.answer)!r}"
                            + "\n" + "\n".join(lines))
    assert not failures, "\n".join(failures)


def test_every_shipped_scenario_question_has_an_expectation(native):
    missing = [f"{path.name}: {call.ask}" for path in FILES for call in native.read(path).questions
               if call.expect is NOT_GIVEN]
    assert not missing, missing
