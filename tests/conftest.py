"""Shared fixtures: one compiled rule set and one engine per backend for the session."""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from mou import Engine
from mou.language.compiler import compile_corpus
from mou.language.corpus import shipped_clauses
from mou.tools.strategies import register_profiles

# The bad-input corpus is read by test_bad_inputs.py, and the scenarios of the test clause directories
# (tests/clauses/*/scenarios/) by the tests of those clauses: the plugin never collects them as scenarios
# of the shipped MoU.
collect_ignore_glob = ["bad_inputs/*", "clauses/*"]
pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
HAS_DURABLE = importlib.util.find_spec("durable_rules_engine") is not None
BACKENDS = ["durable", "native"] if HAS_DURABLE else ["native"]

# Text is wrapped to the terminal's width: the golden files are 100 columns wide, whether pytest runs in a
# terminal of 80, off one, or in xdist's workers. Commands the tests start inherit it.
os.environ["COLUMNS"] = "100"

# Parsed expressions are kept on disk between runs (mou.language.parse_store, which reads this when it first
# parses): the suite keeps its own store, shared by its workers and the commands it starts, and never reads
# or fills the user's cache.
os.environ.setdefault("MOU_CACHE_DIR", tempfile.mkdtemp(prefix="mou-test-cache-"))

register_profiles()
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "mou-ci"))


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
"""The system's Chromium (Debian's package), which the browser tests drive through Playwright."""

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]


def require_chromium() -> None:
    """For a browser test module: skip it where Chromium is missing, but fail in CI, which installs it."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            raise RuntimeError("Chromium is missing: .ci/run installs Debian's chromium package for these tests")
        pytest.skip("Chromium is not installed (apt-get install -y chromium)", allow_module_level=True)


def require_extra(module: str, extra: str) -> None:
    """For a test module that needs an optional dependency: skip it where the extra is missing, but fail in CI,
    which installs `.[durable,test]` (the test extra holds every extra the suite exercises)."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        if os.environ.get("CI"):
            raise RuntimeError(f"{module} is missing: CI installs it with the test extra (mou[{extra}] alone too)")
        pytest.skip(f"{module} is not installed (pip install 'mou[{extra}]')", allow_module_level=True)


def heavy() -> bool:
    """Whether the heavy checks run: under the `mou-ci` profile (Python 3.11's run in CI, and a plain
    `pytest`), not under `mou-ci-quick` (the other Pythons of a CI run)."""
    return os.environ.get("HYPOTHESIS_PROFILE", "mou-ci") == "mou-ci"


def effort(count: int) -> int:
    """`count` examples under the `mou-ci` profile (100 examples a property), fewer under a lighter one.

    The fuzz, differential and sweep tests draw thousands of inputs; a lighter
    profile (`mou-ci-quick`, for the second and third Python of a CI run) scales
    them down with it. A heavier profile leaves them as they are: its own
    examples are the heavier search.
    """
    return max(1, count * min(settings.default.max_examples, 100) // 100)


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


@pytest.fixture(autouse=True)
def _every_junit_report_the_suite_writes_is_valid(request):
    """Each JUnit report a test leaves in its temporary folder validates as CI servers read it (tests/junit/).

    After the test, every report under its `tmp_path` (or its pytester folder)
    is checked against the junit-10 XSD, the junit-4 XSD's constraints and
    `xs:decimal` times: a report a test wrote that a CI server would refuse
    fails that test.
    """
    yield
    folders = [request.node.funcargs[name] for name in ("tmp_path",) if name in request.node.funcargs]
    if "pytester" in request.node.funcargs:
        folders.append(request.node.funcargs["pytester"].path)
    if not folders:
        return
    from junit_schemas import junit_reports, problems

    for folder in folders:
        for report in junit_reports(Path(folder)):
            found = problems(report.read_bytes())
            assert not found, f"{report}: a CI server would refuse it:\n" + "\n".join(found[:10])
