"""Shared fixtures: one compiled rule set and one engine per backend for the session."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import settings

from engine import Engine
from engine.compiler import compile_corpus
from engine.corpus import shipped_clauses

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
HAS_DURABLE = importlib.util.find_spec("durable_rules_engine") is not None
BACKENDS = ["durable", "native"] if HAS_DURABLE else ["native"]

settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True, print_blob=True)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("nightly", max_examples=2000, deadline=None)
settings.load_profile("ci")


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
