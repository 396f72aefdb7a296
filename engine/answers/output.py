"""Check results as people and programs read them: a JSON document, lines of text, a Markdown memo.

Stage: answers. Imports `check`, `render` and `mou.values`.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any, Iterable, Iterator

from .. import jsontext
from ..errors import Diagnostic
from ..jsontext import SCHEMA_VERSION
from ..values import to_json
from .check import ScenarioResult
from .render import DUTY_RECORD, list_words, render_markdown, render_text, wrap


CHECK_VERSION = 2
"""The `schema_version` of `mou check --format json` (docs/ci/json.md): version 1 explained every answer in
full; version 2 gives every answer its summary, and the whole explanation to those that fail their `expect`
or are `unknown`, and to every answer with `--explain` (which gives what version 1 gave)."""


def check_document(results: list[ScenarioResult], diagnostics: list[Diagnostic], decision: dict,
                   explain_all: bool = True) -> dict:
    """The JSON document of `mou check --format json` (SCENARIOS.md's shape), with its decision record.

    `decision` is the record of the command (the defaults, and what the
    command line set); a scenario whose own `interpretation:` or `parameters:`
    differ carries its own record too. `explain_all=False`: each answer's
    explanation as `QuestionResult.to_json` gives it then (schema_version 2's
    default). `check_text` writes the same document one scenario at a time.
    """
    counts = Counts()
    scenarios = [scenario_json(result, decision, explain_all, counts) for result in results]
    document: dict[str, Any] = {"decision": decision, "scenarios": scenarios}
    document.update(counts.closing(diagnostics))
    return document


class Counts:
    """The `summary` of a check document, counted scenario by scenario."""

    def __init__(self) -> None:
        self.questions = self.passed = self.failed = self.unchecked = self.violations = 0

    def add(self, result: ScenarioResult) -> None:
        for question in result.results:
            self.questions += 1
            self.passed += question.ok is True
            self.failed += question.ok is False
            self.unchecked += question.ok is None
        self.violations += len(result.violations)

    def closing(self, diagnostics: list[Diagnostic]) -> dict[str, Any]:
        """The members after `scenarios`: `summary`, and `diagnostics` when a file could not be read."""
        closing: dict[str, Any] = {"summary": {
            "questions": self.questions, "passed": self.passed, "failed": self.failed, "unchecked": self.unchecked,
            "violations": self.violations, "invalid_files": len({d.location.file for d in diagnostics})}}
        if diagnostics:
            closing["diagnostics"] = [d.to_json() for d in sorted(set(diagnostics))]
        return closing


def scenario_json(result: ScenarioResult, decision: dict, explain_all: bool, counts: Counts | None = None) -> dict:
    """One scenario of a check document (its own decision record where it differs from the command's)."""
    data = result.to_json(explain_all)
    if result.decision and result.decision != decision:
        data["decision"] = result.decision
    if counts is not None:
        counts.add(result)
    return data


def check_text(results: Iterable[ScenarioResult], diagnostics: list[Diagnostic], decision: dict,
               explain_all: bool, head: dict | None = None) -> Iterator[str]:
    """The text of `{**head, **check_document(...)}` as `jsontext.dumps` writes it, in pieces: each scenario's
    as soon as `results` gives it (and nothing of it kept), so that a long run never holds every answer and
    explanation at once. `diagnostics` is read at the end: `results` may add to it as it reads files.
    """
    yield "{\n"
    for key, value in {**(head or {}), "decision": decision}.items():
        yield _member(key, value) + ",\n"
    counts = Counts()
    first = True
    for result in results:
        piece = _indented(jsontext.dumps(scenario_json(result, decision, explain_all, counts)), 4)
        yield ('  "scenarios": [\n    ' if first else ",\n    ") + piece
        first = False
    yield '  "scenarios": [],\n' if first else "\n  ],\n"
    closing = counts.closing(diagnostics)
    yield ",\n".join(_member(key, value) for key, value in closing.items()) + "\n}"


def _member(key: str, value: Any) -> str:
    """`  "key": value` as a member of a top-level object indented by 2."""
    return f"  {jsontext.dumps(key)}: {_indented(jsontext.dumps(value), 2)}"


def _indented(text: str, spaces: int) -> str:
    """Indented JSON text nested `spaces` deeper: a newline in it is always layout (a string escapes its own)."""
    return text.replace("\n", "\n" + " " * spaces)


def check_lines(results: Iterable[ScenarioResult], explain_all: bool, width: int = 100,
                trace: bool = False) -> Iterator[str]:
    """The text of `mou check`: each answer, marked; explanations of failures (or of all); a summary line."""
    total = passed = failed = 0
    for result in results:
        yield f"{result.scenario.file}: {result.scenario.title}"
        for item in result.results:
            total += 1
            mark = {True: "ok  ", False: "FAIL", None: "-   "}[item.ok]
            passed += item.ok is True
            failed += item.ok is False
            line = f"  {mark} {asked(item.call.ask, item.call.raw_args)}: {plain(to_json(item.answer))}"
            if item.ok is False:
                line += f"  (expected {plain(item.to_json()['expected'])})"
            yield from answer_lines(line, width, "         ")
            if (explain_all or item.ok is False) and item.explanation is not None:
                yield from render_text(item.explanation, indent="       ", width=width, full=trace)
        for violation in result.violations:
            total += 1
            failed += 1
            yield f"  FAIL property {violation}"
            if violation.explanation is not None:
                yield from render_text(violation.explanation, indent="       ", width=width)
    violations = sum(len(r.violations) for r in results)
    yield (f"{counted(total - violations, 'question')}: {passed} passed, {failed - violations} failed, "
           f"{total - passed - failed} without expect"
           + (f"; {counted(violations, 'property', 'properties')} {'fails' if violations == 1 else 'fail'}"
              if violations else ""))


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`1 question`, `2 questions`: a count with its noun in the right number."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def check_markdown(results: Iterable[ScenarioResult], width: int = 100) -> Iterator[str]:
    """A memo: for each scenario a heading and its description, then one section per question."""
    for result in results:
        scenario = result.scenario
        yield f"## {scenario.title}"
        yield ""
        if scenario.description:
            yield from textwrap.wrap(scenario.description, width=width, break_on_hyphens=False,
                                     break_long_words=False)
            yield ""
        explained = [item.explanation for item in result.results if item.explanation is not None]
        throughout = _assumed_throughout(explained)
        if throughout:  # said once for the memo (the signed original the clauses supply), not in each section
            yield from textwrap.wrap(f"*Assumed throughout:* {'; '.join(throughout)}.", width=width,
                                     break_on_hyphens=False, break_long_words=False)
            yield ""
        said: set[str] = set()  # a reading the memo names where it decides an answer: not again where it does not
        deciding = {assumed["choice"] for explanation in explained for assumed in explanation.get("assumed", ())
                    if assumed.get("choice") and not assumed.get("behind")}
        for item in result.results:
            if item.explanation is None:
                continue
            explanation = {**item.explanation, "assumed": [assumed for assumed in item.explanation["assumed"]
                                                           if assumed["says"] not in throughout
                                                           and not (assumed.get("behind") and assumed["choice"]
                                                                    in deciding)]}
            section = render_markdown(asked(item.call.ask, item.call.raw_args), to_json(item.answer),
                                      explanation, width=width, said=said)
            if item.ok is False:
                section[2:2] = [f"*The scenario expected: {plain(item.to_json()['expected'])}.*", ""]
            yield from section



def _assumed_throughout(explained: list[dict]) -> list[str]:
    """What every answer of a memo assumes of the case as a whole, not of one event or reading (the events the
    clauses supply where the scenario gives none)."""
    if len(explained) < 2:
        return []
    first = [item["says"] for item in explained[0].get("assumed", ()) if item.get("event") is None
             and item.get("choice") is None and not item.get("field")]
    return [says for says in first if all(any(item["says"] == says for item in other.get("assumed", ()))
                                          for other in explained[1:])]


def ask_document(decision: dict, question: str, args: dict, answer: Any, explained: dict | None) -> dict:
    """The JSON document of `mou ask --format json` (and of the server's `/v1/ask`): one answer and, unless
    asked to be lean, its full explanation."""
    document = {"schema_version": SCHEMA_VERSION, "decision": decision, "ask": question, "args": args,
                "answer": to_json(answer)}
    if explained is not None:
        document["explanation"] = explained
    return document


def answer_lines(line: str, width: int, hanging: str) -> list[str]:
    """An answer's line, wrapped to `width` when a list answer makes it long (continued under `hanging`)."""
    if len(line) <= width:
        return [line]
    return wrap(line, width, subsequent_indent=hanging) or [line]


def asked(question: str, args: dict) -> str:
    """A question and its arguments in one line, e.g. `in_force on=2020-11-13`."""
    return " ".join([question, *(f"{k}={v}" for k, v in args.items())])


def plain(value: Any) -> str:
    """A JSON answer in plain text: true, false, null, a date; a list of duty instances in words (each with its
    status), another list or record as JSON."""
    if isinstance(value, list) and all(isinstance(item, dict) and DUTY_RECORD <= set(item) for item in value):
        return list_words(value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ", ".join(value) if value else "none"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    return str(value)
