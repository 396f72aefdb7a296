"""The garbage collector is paused while the engine works, which is safe only if the engine makes no cycles.

`mou.collector.paused` turns the cyclic collector off around compiling and
replaying (on a long timeline most of its passes walked the replay's own
state and freed nothing). Nothing is then left for it to free: these tests
check that checking scenarios (with their properties) and explaining answers
leave no reference cycles, so memory is the same whether it runs or not.
"""

from __future__ import annotations

import gc
from collections import Counter

import pytest

from conftest import SCENARIOS
from mou import collector

FILES = ["obligations-worked-example.yaml", "ix3-notice-valid.yaml", "vii-interval-unset.yaml",
         "ii-eco-meeting-not-invited.yaml", "uwm-i3-unstated-interest-declined-with-ground.yaml"]


def cycles_left_by(work) -> Counter:
    """What `work()` left for the cyclic collector to free, by type (empty: nothing)."""
    work()  # warm: compiled rule sets, memoized parses and models are not garbage
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        work()
        gc.collect()
        found = Counter(getattr(item, "__qualname__", type(item).__name__) for item in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if enabled:
            gc.enable()
    return found


@pytest.mark.parametrize("name", FILES)
def test_checking_a_scenario_with_its_properties_leaves_no_cycles(native, name):
    scenario = native.read(SCENARIOS / name)
    assert cycles_left_by(lambda: native.check(scenario, explain=False, properties=True)) == Counter()


@pytest.mark.parametrize("name", FILES)
def test_explaining_every_answer_leaves_no_cycles(native, name):
    scenario = native.read(SCENARIOS / name)
    assert cycles_left_by(lambda: [item.explanation for item in native.check(scenario).results]) == Counter()


def test_a_recursive_inner_function_is_the_kind_of_cycle_this_finds():
    def work():
        def walk(n):
            return 0 if n == 0 else walk(n - 1)
        walk(3)

    assert cycles_left_by(work)["test_a_recursive_inner_function_is_the_kind_of_cycle_this_finds.<locals>.work."
                                "<locals>.walk"] == 1


def test_paused_resumes_the_collector_and_leaves_a_stopped_one_stopped():
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():  # nested: the outermost block resumes it
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError):
        with collector.paused():
            1 / 0
    assert gc.isenabled()
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()  # the caller's choice stands
    finally:
        gc.enable()
