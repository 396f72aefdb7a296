"""Searching for counterexamples to the clause files' invariants and symmetries.

Stage: tools. Imports `strategies`, answers' `properties`, scenario files'
`dump`, and `mou.errors`; needs hypothesis.

`search(engine, examples, seed)` asks hypothesis for a scenario that breaks
each property, shrinks the first it finds to a small one, and returns it as a
scenario file a user can save into `scenarios/` and run with `mou check`
(which judges the same properties, so it reproduces the failure). A rule
that fails on a generated scenario is a counterexample too: it is shrunk and
raised as the `RuleError` it is, with the scenario in a note.
"""

from __future__ import annotations

import random
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..answers.properties import Violation, symmetry_violations, violations
from ..errors import MouError, RuleError
from ..scenario.dump import scenario_data as to_data
from ..scenario.dump import to_yaml
from .strategies import as_document, scenario_data

MAX_EVENTS = 10
"""Generated timelines stay small: counterexamples are found and shrunk fastest there."""


@dataclass
class PropertyResult:
    """One property: held over the examples tried, or broken by a (shrunk) counterexample."""

    name: str
    paragraph: str
    says: str
    examples: int
    counterexample: str | None = None  # scenario YAML
    violation: Violation | None = None
    seconds: float = 0.0  # how long the search took (for JUnit reports; never in the JSON, which stays reproducible)

    @property
    def ok(self) -> bool:
        """Whether no counterexample was found."""
        return self.counterexample is None

    def to_json(self) -> dict:
        """A JSON-ready record."""
        data: dict[str, Any] = {"property": self.name, "paragraph": self.paragraph, "says": self.says,
                                "examples": self.examples, "ok": self.ok}
        if not self.ok:
            data["counterexample"] = self.counterexample
            data["violation"] = self.violation.to_json() if self.violation else None
        return data


def _settings(examples: int, seed: int | None):
    from hypothesis import HealthCheck, Phase, settings

    return settings(max_examples=examples, deadline=None, database=None, derandomize=seed is None,
                    phases=[Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck))


def search(engine: Any, examples: int = 200, seed: int | None = 0, only: set[str] | None = None) -> list[PropertyResult]:
    """Look for a counterexample to every invariant and symmetry of the engine's rule set."""
    results = []
    ruleset = engine.ruleset
    for invariant in ruleset.invariants.values():
        if only and invariant.name not in only:
            continue

        def broken(scenario, name=invariant.name) -> list[Violation]:
            replay = engine.replay(scenario, explain=False)
            return [v for v in violations(ruleset, scenario, replay) if v.name == name]

        results.append(_search_one(engine, invariant.name, invariant.paragraph, invariant.says, broken,
                                   examples, seed, questions=False, types=_types_of_article(ruleset, invariant.paragraph)))
    if ruleset.standard_invariants:  # the manifest's `invariants: standard`, searched as the declared ones are
        from ..answers.standard import NAMES

        for name, says in NAMES.items():
            if only and name not in only:
                continue

            def broken_standard(scenario, name=name) -> list[Violation]:
                replay = engine.replay(scenario, explain=False)
                return [v for v in violations(ruleset, scenario, replay) if v.name == name]

            results.append(_search_one(engine, name, ruleset.questions["in_force"].paragraphs[0], says,
                                       broken_standard, examples, seed, questions=False, types=None))
    for symmetry in ruleset.symmetries.values():
        if only and symmetry.name not in only:
            continue
        results.append(_search_one(engine, symmetry.name, symmetry.paragraph, symmetry.says,
                                   lambda scenario, s=symmetry: symmetry_violations(
                                       engine, scenario, [r.answer for r in engine.check(scenario, explain=False).results], s),
                                   examples, seed, questions=True, types=None))
    return results


def _types_of_article(ruleset: Any, paragraph: str) -> tuple[str, ...] | None:
    """The event types the Article of `paragraph` gives meaning to (where its counterexamples live)."""
    article = ruleset.paragraphs[paragraph].article if paragraph in ruleset.paragraphs else None
    types = tuple(name for name, definition in ruleset.event_types.items()
                  if definition.paragraph in ruleset.paragraphs
                  and ruleset.paragraphs[definition.paragraph].article == article)
    return types or None


def _search_one(engine: Any, name: str, paragraph: str, says: str, broken, examples: int, seed: int | None,
                questions: bool, types: tuple[str, ...] | None) -> PropertyResult:
    from hypothesis import find
    from hypothesis.errors import NoSuchExample

    def read(data: dict):
        try:
            return engine.reader.from_document(as_document(data))
        except MouError:
            return None

    def fails(data: dict) -> bool:
        scenario = read(data)
        if scenario is None:
            return False
        try:
            return bool(broken(scenario))
        except RuleError:
            return True  # a counterexample too: shrunk, then raised below as the failure it is

    from hypothesis import strategies as st

    focused = scenario_data(engine.ruleset, types=types, max_events=MAX_EVENTS, questions=questions)
    anywhere = scenario_data(engine.ruleset, max_events=MAX_EVENTS, questions=questions)
    strategy = st.one_of(focused, anywhere) if types else anywhere
    from hypothesis.errors import HypothesisWarning

    started = time.perf_counter()
    try:
        with warnings.catch_warnings():  # e.g. "overly large repr" of the strategy, while a SIGTERM unwinds
            warnings.simplefilter("ignore", HypothesisWarning)
            found = find(strategy, fails, settings=_settings(examples, seed),
                         random=random.Random(seed) if seed is not None else None)
    except NoSuchExample:
        return PropertyResult(name, paragraph, says, examples, seconds=time.perf_counter() - started)
    scenario = read(found)
    data = to_data(scenario)
    data["scenario"] = f"counterexample to {name} ({paragraph})"
    data["description"] = f"Found by mou test: {says}. Save this file into scenarios/; mou check reproduces it."
    try:
        first = engine.check(scenario, properties=True)
    except RuleError as error:
        error.add_note("a scenario that makes it fail (save it as a scenario file; `mou check` reproduces it):\n"
                       + to_yaml(data))
        raise
    violation = next((v for v in first.violations if v.name == name), None) or broken(scenario)[0]
    return PropertyResult(name, paragraph, says, examples, to_yaml(data), violation,
                          seconds=time.perf_counter() - started)


def property_lines(properties: list[PropertyResult], width: int = 100) -> list[str]:
    """The text of `mou test` for the properties: each held, or its counterexample as a scenario file."""
    from ..answers.output import counted
    from ..answers.render import render_text

    lines = []
    for prop in properties:
        if prop.ok:
            tried = counted(prop.examples, "scenario")
            lines.append(f"ok   {prop.paragraph} {prop.name}: no counterexample in {tried}")
            continue
        lines.append(f"FAIL {prop.paragraph} {prop.name}: {prop.says}")
        if prop.violation is not None:
            lines.append(f"     {prop.violation}")
            if prop.violation.explanation is not None:
                lines.extend(render_text(prop.violation.explanation, indent="     ", width=width))
        lines.append("     counterexample: a scenario file `mou check` reproduces it with, "
                     "from `---` to `...` as it is")
        lines.append("     (or written for you by --save-counterexample DIR):")
        lines.append("---")
        lines.extend((prop.counterexample or "").splitlines())
        lines.append("...")
    return lines


def counterexample_filename(prop: PropertyResult) -> str:
    """The file a counterexample is saved as: its property's name, made a safe file name."""
    safe = "".join(c if c.isalnum() or c in "._-" else "-" for c in prop.name)
    return f"counterexample-{safe}.yaml"


def save_counterexamples(properties: list[PropertyResult], folder: Path) -> list[Path]:
    """Write each counterexample found into `folder` as a scenario file `mou check` reads; return the paths."""
    from .outputs import atomic_output

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for prop in properties:
        if prop.counterexample is None:
            continue
        path = folder / counterexample_filename(prop)
        with atomic_output(path) as out:
            out.write(prop.counterexample)
        written.append(path)
    return written
