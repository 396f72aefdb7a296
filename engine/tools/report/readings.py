"""A report's content: every answer with its explanation and timeline, under each reading embedded.

Stage: tools (report pages). Imports `timeline`, `svg`, answers'
`analysis`, `case`, `explain`, `output`, `questions`, `record` and `render`, scenario
files' `command_line` and `model`, and `mou.values`, `mou.errors`.

`build(engine, scenario, …)` computes ahead everything a page needs, so that
the page can switch readings without a server:

- the reading as written (the scenario's own choices, and the command
  line's on top), with every answer fully explained: reasons, the text as in
  force, choices, missing facts, what would change it, and the full trace;
- other readings. When the agreement has at most `FULL_READINGS` readings,
  all of them; otherwise the reading as written and every single-choice flip
  (one choice changed, the others as written), and the page says so. Each
  has its answers (marked where they differ from the reading as written),
  their explanations without the search for counterfactuals, and its
  timeline;
- the answers only, under every combination of the choices with a fixed set
  of values (as `mou robust` computes them), so that any combination of
  controls shows its answers, and which answers are safe under every
  reading.

A choice without a fixed set of values (a duration left unset, such as an
interval "regularly" leaves open) is offered at the values its explanations
name as boundaries ("19 months or less" / "20 months or more"), besides its
value as written.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ...answers.analysis import Robustness, answer_table, robust
from ...answers.case import Case
from ...answers.explain import explanation
from ...answers.output import asked
from ...answers.questions import same
from ...answers.record import scenario_decision
from ...answers.render import plain
from ...errors import MouError
from ...scenario.command_line import command_line_value
from ...scenario.model import NOT_GIVEN, Scenario
from ...values import Unknown, to_json
from . import svg
from .timeline import Timeline, timeline

FULL_READINGS = 16
"""Up to this many readings, a report embeds every one in full; past it, the single-choice flips."""


@dataclass
class AnswerView:
    """One question under one reading, ready for a template."""

    index: int
    asked: str
    says: str
    answer: Any  # JSON
    text: str  # the answer in plain words
    explanation: dict
    expected: Any = None  # JSON, or None when the scenario states no expectation
    has_expected: bool = False
    ok: bool | None = None
    changed: bool = False  # differs from the reading as written
    written: str = ""  # the answer under the reading as written, in plain words


@dataclass
class Reading:
    """One reading embedded in the page: its choices, answers and timeline."""

    id: str
    key: str
    values: dict[str, Any]  # every choice's JSON value (None: unset)
    flipped: dict[str, Any]  # the choices that differ from the reading as written
    answers: list[AnswerView]
    timeline: Timeline
    picture: int  # index into Report.pictures (identical pictures are embedded once)

    @property
    def label(self) -> str:
        """`as written`, or the choices that differ from it."""
        if not self.flipped:
            return "the reading as written"
        return ", ".join(f"{name} = {shown(value)}" for name, value in self.flipped.items())

    @property
    def changed(self) -> int:
        """How many answers differ from the reading as written."""
        return sum(1 for answer in self.answers if answer.changed)


@dataclass
class Control:
    """One interpretive choice, as the page's switch."""

    name: str
    paragraph: str
    source: str
    written: Any  # the JSON value as written (None: unset)
    options: list[tuple[str, str, str]]  # (key text, label, what it means)
    open: bool  # no fixed set of values: only the options listed are computed


@dataclass
class Report:
    """Everything a report page shows."""

    title: str
    description: str
    file: str
    date: str
    as_of: str | None
    agreement: str
    record: dict  # `mou.answers.record`: every choice and parameter with the value it had
    parameters: dict  # the parameters the scenario and the command line set (the others: as the text says)
    controls: list[Control]
    readings: list[Reading]
    pictures: list[tuple[str, list]]  # (SVG, the timeline in words)
    complete: bool  # every reading embedded in full (else the reading as written and the single flips)
    total: int  # readings of the choices with a fixed set of values
    questions: list[str]
    table_names: list[str]
    table: dict[str, list[str]]  # finite-choice key → the answers in plain words
    robust: list[Robustness]
    agenda: list[dict] | None = None
    agenda_window: str = ""  # "from 2020-06-01 to 2020-08-30": the days the agenda covers
    notes: list[str] = field(default_factory=list)

    @property
    def written(self) -> Reading:
        """The reading as written."""
        return self.readings[0]

    def script_data(self) -> dict:
        """What the page's script needs to switch readings (JSON-ready; no markup in it)."""
        return {"choices": [{"name": c.name, "written": value_key(c.written)} for c in self.controls],
                "panels": {r.key: r.id for r in self.readings},
                "tableNames": self.table_names, "table": self.table, "questions": self.questions,
                "written": [answer.text for answer in self.written.answers]}


def value_key(value: Any) -> str:
    """A choice's value as the text the page's controls and keys use."""
    return json.dumps(value, ensure_ascii=False)


def shown(value: Any) -> str:
    """A choice's JSON value in words (`unset` for none)."""
    return "unset" if value is None else plain(value)


def reading_key(names: list[str], values: dict[str, Any]) -> str:
    """The key of a reading: `name=value&…` over `names`, values as JSON."""
    return "&".join(f"{name}={value_key(values.get(name))}" for name in names)


def build(engine: Any, scenario: Scenario, choices: dict | None = None, parameters: dict | None = None,
          today: date | None = None, agenda: list[dict] | None = None) -> Report:
    """The report of a scenario under its reading as written (plus `choices` and `parameters` on top)."""
    ruleset = engine.ruleset
    choices, parameters = dict(choices or {}), dict(parameters or {})
    written = {name: (None if isinstance(v, Unknown) else to_json(v))
               for name, v in scenario.choices(ruleset, choices).items()}
    engine_values = {name: v for name, v in scenario.choices(ruleset, choices).items() if not isinstance(v, Unknown)}
    names = list(ruleset.choices)
    finite = [name for name in names if ruleset.choices[name].values]
    base_case = engine.case(scenario, choices, parameters)
    base = _reading("reading-0", base_case, scenario, names, written, {}, None, search=True)
    candidates = _open_candidates(engine, base.answers, written)
    plans = _plans(ruleset, finite, written, engine_values, candidates)
    pictures: list[tuple[str, list]] = []
    readings = [base]
    base.picture = _picture(pictures, base.timeline)
    for index, (values, engine_choice) in enumerate(plans, 1):
        case = engine.case(scenario, {**choices, **engine_choice}, parameters)
        flipped = {n: values[n] for n in names if values[n] != written[n]}
        reading = _reading(f"reading-{index}", case, scenario, names, values, flipped, base, search=False)
        reading.picture = _picture(pictures, reading.timeline)
        readings.append(reading)
    open_values = {name: value for name, value in engine_values.items() if name not in finite}
    found = answer_table(engine, scenario, {}, open_values, parameters)
    table = {reading_key(found.names, dict(zip(found.names, map(to_json, combo)))):
             [plain(to_json(row[i])) for row in found.table] for i, combo in enumerate(found.combos)}
    total = len(found.combos)
    return Report(
        title=scenario.title, description=scenario.description, file=scenario.file,
        date=(today or date.today()).isoformat(), as_of=scenario.as_of.isoformat() if scenario.as_of else None,
        agreement=ruleset.title, record=scenario_decision(ruleset, scenario, choices, parameters),
        parameters={name: to_json(value) for name, value in sorted({**scenario.parameters, **parameters}.items())},
        controls=_controls(ruleset, written, candidates), readings=readings, pictures=pictures,
        complete=total <= FULL_READINGS, total=total,
        questions=[asked(call.ask, call.raw_args) for call in scenario.questions],
        table_names=found.names, table=table, robust=robust(engine, scenario, table=found), agenda=agenda,
        notes=[note.message for note in base_case.base.stopped])


def _reading(identifier: str, case: Case, scenario: Scenario, names: list[str], values: dict, flipped: dict,
             base: Reading | None, search: bool) -> Reading:
    answers = []
    for index, call in enumerate(scenario.questions):
        found, resolution = case.answer(call)
        explained = explanation(case, found, resolution, search=search)
        if not search:
            explained = {**explained, "steps": []}  # the full trace is embedded for the reading as written only
        value = to_json(resolution.value)
        view = AnswerView(index, asked(call.ask, call.raw_args), call.definition.says, value, plain(value), explained)
        if call.expect is not NOT_GIVEN and base is None:  # a scenario's expectations are of its reading as written
            expected = to_json(list(call.expect) if isinstance(call.expect, tuple) else call.expect)
            view.expected, view.has_expected = expected, True
            view.ok = same(resolution.value, call.expect, call.definition.unordered)
        if base is not None:
            before = base.answers[index]
            view.written = before.text
            view.changed = before.answer != value
        answers.append(view)
    return Reading(identifier, reading_key(names, values), values, flipped, answers,
                   timeline(case, scenario.as_of), 0)


def _picture(pictures: list[tuple[str, list]], line: Timeline) -> int:
    """The index of this timeline's picture (and its words) among those embedded, adding it if new."""
    drawn = (svg.render(line), [(day.isoformat(), text) for day, text in line.words()])
    if drawn not in pictures:
        pictures.append(drawn)
    return pictures.index(drawn)


def _open_candidates(engine: Any, answers: list[AnswerView], written: dict) -> dict[str, list[tuple[Any, Any]]]:
    """For each choice without fixed values: the values its explanations name as boundaries (JSON, engine)."""
    found: dict[str, dict[str, Any]] = {}
    for view in answers:
        for item in view.explanation.get("missing", ()):
            name = item.get("choice")
            if not name or name not in engine.ruleset.choices or engine.ruleset.choices[name].values:
                continue
            for entry in item.get("answers", ()):
                text = entry.get("value")
                if not isinstance(text, str) or text == "any":
                    continue
                try:
                    value = command_line_value(engine.reader, "choice", name, text)
                except MouError:
                    continue
                found.setdefault(name, {})[json.dumps(to_json(value))] = value
    return {name: [(to_json(v), v) for v in values.values() if to_json(v) != written.get(name)]
            for name, values in found.items()}


def _plans(ruleset: Any, finite: list[str], written: dict, engine_values: dict,
           candidates: dict[str, list[tuple[Any, Any]]]) -> list[tuple[dict, dict]]:
    """The readings besides the one as written: (JSON values of every choice, engine choices to pass)."""
    combos = list(itertools.product(*(ruleset.choices[name].values for name in finite)))
    plans = []
    if len(combos) <= FULL_READINGS:
        for combo in combos:
            values = {**written, **{n: to_json(v) for n, v in zip(finite, combo)}}
            if values != written:
                plans.append((values, dict(zip(finite, combo))))
    else:
        for name in finite:
            for value in ruleset.choices[name].values:
                if to_json(value) != written[name]:
                    plans.append(({**written, name: to_json(value)}, {name: value}))
    for name, options in candidates.items():
        for json_value, value in options:
            plans.append(({**written, name: json_value}, {name: value}))
    return plans


def _controls(ruleset: Any, written: dict, candidates: dict[str, list[tuple[Any, Any]]]) -> list[Control]:
    controls = []
    for name, choice in ruleset.choices.items():
        options = []
        if choice.values:
            for value in choice.values:
                meaning = choice.means.get(str(to_json(value)).lower() if isinstance(value, bool) else str(value), "")
                options.append((value_key(to_json(value)), shown(to_json(value)), meaning))
        else:
            options.append((value_key(written[name]), shown(written[name]),
                            choice.unset if written[name] is None else "as written"))
            for json_value, _ in candidates.get(name, ()):
                options.append((value_key(json_value), shown(json_value), "a boundary an answer names"))
        controls.append(Control(name, choice.paragraph, choice.source, written[name], options, not choice.values))
    return controls
