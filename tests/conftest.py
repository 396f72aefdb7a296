"""Shared fixtures: one compiled rule set and one engine per backend for the session."""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

import pytest
from hypothesis import settings

from mou import Engine
from mou.language.compiler import compile_corpus
from mou.language.corpus import shipped_clauses
from mou.tools.strategies import register_profiles

# The bad-input corpus is read by test_bad_inputs.py, never collected as scenarios by the plugin.
collect_ignore_glob = ["bad_inputs/*"]
pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
HAS_DURABLE = importlib.util.find_spec("durable_rules_engine") is not None
BACKENDS = ["durable", "native"] if HAS_DURABLE else ["native"]

register_profiles()
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "mou-ci"))


@pytest.fixture(scope="session")
def ruleset():
    """The shipped clause files, compiled once."""
    return compile_corpus(shipped_clauses())


@pytest.fixture(scope="session", params=BACKENDS)
def engine(request, ruleset):
    """An engine on each available backend."""
    with Engine(ruleset=ruleset, backend=request.param) as built:
        yield built


@pytest.fixture(scope="session")
def native(ruleset):
    """An engine on the native backend."""
    with Engine(ruleset=ruleset, backend="native") as built:
        yield built


@functools.lru_cache(maxsize=None)
def shipped_engine() -> Engine:
    """One native engine on the shipped clauses, for tests that are not fixtures (cached helpers)."""
    return Engine(backend="native")
