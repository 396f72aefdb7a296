"""Hypothesis strategies and seeded generators for your own tests of clause logic.

The public face of `mou.tools.strategies`::

    from hypothesis import given
    from mou import Engine
    from mou.testing import as_document, scenario_data

    engine = Engine()

    @given(scenario_data(engine.ruleset, max_events=12))
    def test_no_rule_ever_fails(data):
        scenario = engine.reader.from_document(as_document(data))   # may raise MouError: assume() it away
        engine.check(scenario)                   # a rule that fails raises RuleError
"""

from .tools.strategies import (FIRST, LAST, NON_PARTIES, as_document, pick_date, pick_duration, pick_scenario,
                               random_scenario_data, register_profiles)

try:
    from .tools.strategies import dates, durations, scenario_data
except ImportError:  # pragma: no cover - hypothesis is not installed
    pass

__all__ = ["as_document", "scenario_data", "dates", "durations", "random_scenario_data", "register_profiles",
           "pick_scenario", "pick_date", "pick_duration", "FIRST", "LAST", "NON_PARTIES"]
