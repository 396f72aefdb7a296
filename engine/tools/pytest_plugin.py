"""A pytest plugin: scenario files as test items, one per question.

Stage: tools. Imports the public API (`mou.api`) and answers' `explain`;
loaded by pytest through the `pytest11` entry point, so installing mou is
enough::

    pytest scenarios/                       # every *.yaml scenario under it
    pytest scenarios/ix3-notice-valid.yaml  # one file
    pytest scenarios/ --mou-clauses my-clauses/ --mou-backend durable

A YAML file is collected when it is under a path given on the command line
(or listed in the `mou_scenarios` ini option) and starts a `scenario:`
mapping. Each question becomes an item; a failure reads
`file: question: expected … got …`, followed by the explanation. The
invariants and symmetries of the clause files are one more item per file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..answers.render import render_text
from ..api import Engine
from ..errors import MouError
from ..values import to_json

_ENGINE = pytest.StashKey[Engine]()
_SCENARIO = re.compile(r"^scenario\s*:", re.MULTILINE)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mou", "mou scenario files")
    group.addoption("--mou-clauses", default=None, help="clause directory (default: the shipped MoU)")
    group.addoption("--mou-backend", default=None, help="native (default) or durable")
    parser.addini("mou_scenarios", "paths whose scenario files are collected without naming them",
                  type="paths", default=[])


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if file_path.suffix not in (".yaml", ".yml") or not _wanted(parent.config, file_path):
        return None
    try:
        head = file_path.read_text(encoding="utf-8", errors="replace")[:4096]
    except OSError:
        return None
    if not _SCENARIO.search(head):
        return None
    return ScenarioFile.from_parent(parent, path=file_path)


def _wanted(config: pytest.Config, path: Path) -> bool:
    roots = [Path(arg.split("::")[0]).resolve() for arg in config.option.file_or_dir or []]
    roots += [Path(p).resolve() for p in config.getini("mou_scenarios")]
    path = path.resolve()
    return any(path == root or root in path.parents for root in roots)


def _engine(config: pytest.Config) -> Engine:
    if _ENGINE not in config.stash:
        options = {}
        if config.getoption("mou_backend"):
            options["backend"] = config.getoption("mou_backend")
        config.stash[_ENGINE] = Engine(config.getoption("mou_clauses"), **options)
        config.add_cleanup(config.stash[_ENGINE].close)
    return config.stash[_ENGINE]


class ScenarioFailure(Exception):
    """An expectation or a property of a scenario file that does not hold."""


class ScenarioFile(pytest.File):
    """A scenario file: one item per question, one for the clauses' properties."""

    def collect(self):
        engine = _engine(self.config)
        try:
            scenario = engine.read(self.path)
        except MouError as error:
            yield InvalidScenario.from_parent(self, name="invalid input", problems=str(error))
            return
        result = engine.check(scenario, properties=True)
        for index, item in enumerate(result.results):
            args = ",".join(f"{k}={v}" for k, v in item.call.raw_args.items())
            yield QuestionItem.from_parent(self, name=f"{index}:{item.call.ask}[{args}]", result=item,
                                           errors=result.errors)
        yield PropertiesItem.from_parent(self, name="properties", violations=result.violations)


class _Item(pytest.Item):
    """An item whose failures are plain text (no Python traceback)."""

    label = ""

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ScenarioFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"{self.path.name}::{self.label or self.name}"


class QuestionItem(_Item):
    """One question of a scenario file."""

    def __init__(self, *, result, errors, **kwargs):
        super().__init__(**kwargs)
        self.result = result
        self.errors = errors

    def runtest(self) -> None:
        if self.errors:
            raise ScenarioFailure("rule errors: " + "; ".join(self.errors))
        if self.result.ok is False:
            item = self.result
            lines = [f"{self.path.name}: {item.call.ask} {item.call.raw_args}: expected "
                     f"{item.to_json()['expected']!r}, got {to_json(item.answer)!r}"]
            if item.explanation:
                lines.extend(render_text(item.explanation, indent="  "))
            raise ScenarioFailure("\n".join(lines))


class PropertiesItem(_Item):
    """The invariants and symmetries of the clause files, judged on this scenario."""

    def __init__(self, *, violations, **kwargs):
        super().__init__(**kwargs)
        self.violations = violations

    def runtest(self) -> None:
        if self.violations:
            raise ScenarioFailure("\n".join(f"{self.path.name}: {v}" for v in self.violations))


class InvalidScenario(_Item):
    """A scenario file that cannot be read: its located problems."""

    label = "invalid input"

    def __init__(self, *, problems, **kwargs):
        super().__init__(**kwargs)
        self.problems = problems

    def runtest(self) -> None:
        raise ScenarioFailure(self.problems)
