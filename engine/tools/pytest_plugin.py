"""A pytest plugin: scenario files as test items, one per question.

Stage: tools. Imports the public API (`mou.api`), answers' `explain` and `terminal`;
loaded by pytest through the `pytest11` entry point, so installing mou is
enough::

    pytest scenarios/                       # every *.yaml scenario under it
    pytest scenarios/ix3-notice-valid.yaml  # one file
    pytest scenarios/ --mou-clauses my-clauses/ --mou-backend durable

A YAML file is collected when it is under a path given on the command line
(or listed in the `mou_scenarios` ini option) and starts a `scenario:`
mapping. Each question becomes an item whose id reads
`file::question(args)` (`ix3-notice-valid.yaml::in_force(on=2020-11-12)`); a
failure reads `file: question: expected … got …`, followed by the
explanation; a question without `expect` is skipped, "answered, nothing to
compare", rather than counted as passed. The
invariants and symmetries of the clause files are one more item per file.
A clause rule that fails while a file is evaluated ends the run with exit
3 and the rule's FILE:LINE:COLUMN, as `mou check` does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ..answers.render import render_text
from ..api import Engine
from ..errors import MouError, RuleError
from ..language.sources import looks_like_scenario, read_input
from ..language.yamlio import LIMITS
from ..values import to_json
from .terminal import escape_controls

NOTHING_TO_COMPARE = "answered, nothing to compare"
"""Why a question without `expect` is skipped: it was asked and answered, but nothing was checked."""

EXIT_RULE_FAILED = 3
"""pytest's own exit code for an internal error, as `mou`'s for a clause rule that fails."""

_ENGINE = pytest.StashKey[Engine]()
_RULE_FAILED = pytest.StashKey[bool]()


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
        data = read_input(file_path, LIMITS.max_bytes, "scenario file")
    except MouError:
        return ScenarioFile.from_parent(parent, path=file_path)  # reading it again reports what is wrong
    if not looks_like_scenario(data):
        return None  # other YAML (CI workflows, clause files): `mou check DIR` skips it the same way
    return ScenarioFile.from_parent(parent, path=file_path)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if session.config.stash.get(_RULE_FAILED, False):
        session.exitstatus = EXIT_RULE_FAILED


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


def question_id(ask: str, args: dict) -> str:
    """A question's test id: `in_force(on=2020-11-12)`, so that the node id reads `file::question(args)`."""
    return f"{ask}({','.join(f'{name}={value}' for name, value in args.items())})"


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
        try:
            # answered without explanations (by the fast evaluator); a file that fails is checked again, explained
            result = engine.check(scenario, explain=False, properties=True)
            if result.failed:
                result = engine.check(scenario, properties=True)
        except RuleError as error:  # a rule that fails is never an answer: no question of this file is asked
            self.config.stash[_RULE_FAILED] = True
            notes = "".join(f"\n  {note}" for note in getattr(error, "__notes__", ()))
            yield InvalidScenario.from_parent(self, name="rule error", label="rule error",
                                              problems=f"{error}{notes}\nmou: a clause rule failed while running "
                                                       f"(exit {EXIT_RULE_FAILED})")
            return
        seen: dict[str, int] = {}
        for item in result.results:
            name = question_id(item.call.ask, item.call.raw_args)
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:  # the same question asked twice: its ids must differ
                name = f"{name}#{seen[name]}"
            yield QuestionItem.from_parent(self, name=name, result=item)
        yield PropertiesItem.from_parent(self, name="properties", violations=result.violations)


class _Item(pytest.Item):
    """An item whose failures are plain text (no Python traceback)."""

    label = ""

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ScenarioFailure):
            return escape_controls(str(excinfo.value))  # pytest writes it to the terminal as it is
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"{self.path.name}::{self.label or self.name}"


class QuestionItem(_Item):
    """One question of a scenario file."""

    def __init__(self, *, result, **kwargs):
        super().__init__(**kwargs)
        self.result = result

    def runtest(self) -> None:
        if self.result.ok is None:  # no `expect`: the question was answered, and there is nothing to compare
            pytest.skip(NOTHING_TO_COMPARE)
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
    """A scenario file that cannot be read, or whose evaluation failed: its located problems."""

    label = "invalid input"

    def __init__(self, *, problems, label: str = "", **kwargs):
        super().__init__(**kwargs)
        self.problems = problems
        self.label = label or self.label

    def runtest(self) -> None:
        raise ScenarioFailure(self.problems)
