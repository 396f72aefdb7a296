"""What-if and robustness: the same scenario under other readings, compared.

Stage: answers. Imports `questions`, `explain`, scenario files' `model`, and
`mou.values`.

- `whatif`: every question under the scenario as written and under a variant
  (other interpretive choices or parameters), with, for each changed answer,
  the reasons that changed (conditions that now hold or fail, conclusions that
  moved, choices and parameters read).
- `robust`: every question under every combination of interpretive choices
  (and of named ranges of parameters or choices); which answers hold under all
  readings, and for the others the smallest set of choices they depend on.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from ..dates import Duration
from ..scenario.model import QuestionCall, Scenario
from ..values import show, to_json
from .explain import explanation
from .output import asked, plain
from .questions import same
from .render import wrap


@dataclass
class Comparison:
    """One question under the baseline and under the variant."""

    call: QuestionCall
    baseline: Any
    variant: Any
    changed: bool
    reasons: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        """As SCENARIOS.md's `mou whatif --format json` shape (plus `reasons`)."""
        return {"ask": self.call.ask, "args": dict(self.call.raw_args), "baseline": to_json(self.baseline),
                "variant": to_json(self.variant), "changed": self.changed, "reasons": self.reasons}


def whatif(engine: Any, scenario: Scenario, choices: dict, parameters: dict) -> list[Comparison]:
    """Each question of `scenario` as written and under the given choices and parameters.

    For a changed answer, each choice and parameter of the variant that
    changes it on its own is named as a cause (tried one at a time against
    the scenario as written), then the answer as written and in the variant.
    """
    base = engine.case(scenario)
    variant = engine.case(scenario, choices, parameters)
    alone = {("choice", name): engine.case(scenario, {name: value}, {}) for name, value in choices.items()}
    alone.update({("parameter", name): engine.case(scenario, {}, {name: value}) for name, value in parameters.items()})
    result = []
    for call in scenario.questions:
        (found_before, before), (found_after, after) = base.answer(call), variant.answer(call)
        changed = not same(before.value, after.value, call.definition.unordered)
        reasons = []
        if changed:
            causes = [cause(engine.ruleset, base, kind, name, (choices if kind == "choice" else parameters)[name])
                      for (kind, name), case in alone.items()
                      if not same(case.value(call), before.value, call.definition.unordered)]
            if not causes and len(alone) > 1:
                causes = ["the choices and parameters set together (none changes it alone)"]
            reasons = [*causes, f"as written: {explanation(base, found_before, before, search=False)['summary']}",
                       f"in the variant: {explanation(variant, found_after, after, search=False)['summary']}"]
        result.append(Comparison(call, before.value, after.value, changed, reasons))
    return result


def cause(ruleset: Any, base: Any, kind: str, name: str, value: Any) -> str:
    """A changed choice or parameter in words, with what it was as written."""
    from ..language.wording import parameter_words

    if kind == "choice":
        choice = ruleset.choices[name]
        old = base.base.choices.get(name)
        key = _plain(value).lower() if isinstance(value, bool) else _plain(value)
        meaning = choice.means.get(key) or choice.means.get("value", "").replace("{value}", key)
        return (f"`{name}` is `{key}`" + (f" ({meaning})" if meaning else "") +
                f" instead of `{_plain(old).lower() if isinstance(old, bool) else _plain(old)}`")
    old = base.base.state.param(name, None)[0]
    return f"{parameter_words(ruleset, name)} is {_plain(value)} instead of {_plain(old)}"


def whatif_lines(results: list[Comparison], width: int = 100) -> list[str]:
    """Lines of plain text: each answer as written and under the variant, the changed ones with why."""
    lines = []
    for item in results:
        mark = "CHANGED" if item.changed else "same   "
        question = asked(item.call.ask, item.call.raw_args)
        if item.changed:
            lines.append(f"{mark} {question}: {plain(to_json(item.baseline))} → {plain(to_json(item.variant))}")
            for reason in item.reasons:
                said = reason if reason.startswith(("as written: ", "in the variant: ")) else f"because {reason}"
                lines.extend(wrap(said[:1].upper() + said[1:], width, initial_indent=" " * 8,
                                  subsequent_indent=" " * 10))
        else:
            lines.append(f"{mark} {question}: {plain(to_json(item.baseline))}")
    changed = sum(item.changed for item in results)
    lines.append(f"{changed} of {len(results)} answers change")
    return lines


def _plain(value: Any) -> str:
    return "none" if value is None else show(value) if not isinstance(value, str) else value


@dataclass
class Robustness:
    """One question across every reading: its answer if robust, else what it depends on."""

    call: QuestionCall
    robust: bool
    answer: Any  # the one answer, when robust
    depends_on: tuple[str, ...] = ()
    cases: list[tuple[tuple, Any]] = field(default_factory=list)  # (values of depends_on, answer)
    written: tuple | None = None  # the values of depends_on in the scenario as written (its reading)

    def to_json(self) -> dict:
        """A JSON-ready summary."""
        data = {"ask": self.call.ask, "args": dict(self.call.raw_args), "robust": self.robust}
        if self.robust:
            data["answer"] = to_json(self.answer)
        else:
            data["depends_on"] = list(self.depends_on)
            data["cases"] = [{"when": {n: to_json(v) for n, v in zip(self.depends_on, values)},
                              "answer": to_json(result), **({"as_written": True} if values == self.written else {})}
                             for values, result in self.cases]
        return data


def readings(ruleset: Any, ranges: dict[str, list[Any]]) -> list[tuple[str, tuple]]:
    """The dimensions to vary: every choice with a finite set of values, then the given ranges."""
    dimensions = [(name, tuple(choice.values)) for name, choice in ruleset.choices.items()
                  if choice.values and name not in ranges]
    dimensions += [(name, tuple(values)) for name, values in ranges.items()]
    return dimensions


@dataclass
class AnswerTable:
    """Every question's answer under every combination of readings (rows follow `combos`)."""

    names: list[str]  # the dimensions varied: choices, then ranges
    combos: list[tuple]  # one combination of values per reading, in `itertools.product` order
    table: list[list[Any]]  # per question, its answer under each combination


def answer_table(engine: Any, scenario: Scenario, ranges: dict[str, list[Any]] | None = None,
                 choices: dict | None = None, parameters: dict | None = None) -> AnswerTable:
    """Every question under every combination of readings, on top of `choices` and `parameters`."""
    dimensions = readings(engine.ruleset, ranges or {})
    names = [name for name, _ in dimensions]
    combos = list(itertools.product(*(values for _, values in dimensions)))
    table: list[list[Any]] = [[] for _ in scenario.questions]
    for combo in combos:
        values = dict(zip(names, combo))
        reading = {**(choices or {}), **{n: v for n, v in values.items() if n in engine.ruleset.choices}}
        params = {**(parameters or {}), **{n: v for n, v in values.items() if n in engine.ruleset.parameters}}
        found = engine.answers(scenario, reading, params)  # the fast evaluator, else FALLBACK
        if found:
            for row, value in zip(table, found.values):
                row.append(value)
            continue
        case = engine.case(scenario, reading, params, explain=False)
        for row, call in zip(table, scenario.questions):
            row.append(case.value(call))
    return AnswerTable(names, combos, table)


def robust(engine: Any, scenario: Scenario, ranges: dict[str, list[Any]] | None = None,
           table: AnswerTable | None = None) -> list[Robustness]:
    """Every question under every combination of readings; see the module docstring."""
    found = table if table is not None else answer_table(engine, scenario, ranges)
    written = as_written(engine.ruleset, scenario, found.names)
    return [_dependency(call, found.combos, row, found.names, written)
            for call, row in zip(scenario.questions, found.table)]


def as_written(ruleset: Any, scenario: Scenario, names: list[str]) -> tuple:
    """The value of each varied choice or parameter in the scenario as written (its own, else the default)."""
    choices = scenario.choices(ruleset)
    values = []
    for name in names:
        if name in ruleset.choices:
            values.append(choices.get(name))
        elif name in ruleset.parameters:
            values.append(scenario.parameters.get(name, ruleset.parameters[name].default))
        else:
            values.append(None)
    return tuple(values)


def natural(value: Any) -> tuple:
    """A sort key that orders values as a reader does: durations by length (3 months before 12 months),
    dates by date, numbers by size, then words alphabetically."""
    if isinstance(value, Duration):
        months = value.months
        return (0, value.count if months is None else months * 30.436875, str(value))
    if isinstance(value, bool):
        return (3, int(value), "")
    if isinstance(value, (int, float)):
        return (2, value, "")
    if isinstance(value, date):
        return (1, value.toordinal(), "")
    return (4, 0, str(value))


def _dependency(call: QuestionCall, combos: list[tuple], answers: list[Any], names: list[str],
                written: tuple = ()) -> Robustness:
    unordered = call.definition.unordered
    if all(same(answers[0], other, unordered) for other in answers[1:]):
        return Robustness(call, True, answers[0])
    for size in range(1, len(names) + 1):
        for subset in itertools.combinations(range(len(names)), size):
            groups: dict[tuple, Any] = {}
            decided = True
            for combo, value in zip(combos, answers):
                key = tuple(combo[i] for i in subset)
                if key in groups and not same(groups[key], value, unordered):
                    decided = False
                    break
                groups.setdefault(key, value)
            if decided:
                mine = tuple(written[i] for i in subset) if written else None
                return Robustness(call, False, None, tuple(names[i] for i in subset), sorted(
                    groups.items(), key=lambda item: [natural(v) for v in item[0]]), mine)
    return Robustness(call, False, None, tuple(names), [])  # pragma: no cover - the full set always decides


def describe(items: Iterable[Robustness]) -> list[str]:
    """Lines of plain text: safe conclusions, and the decisions the others need."""
    lines = []
    for item in items:
        asked = " ".join([item.call.ask, *(f"{k}={v}" for k, v in item.call.raw_args.items())])
        if item.robust:
            lines.append(f"safe  {asked}: {_plain(to_json(item.answer))} under every reading")
            continue
        lines.append(f"needs {asked}: depends on {', '.join(item.depends_on)}")
        for values, result in item.cases:
            when = ", ".join(f"{n} = {_plain(to_json(v))}" for n, v in zip(item.depends_on, values))
            mark = "  (as written)" if values == item.written else ""
            lines.append(f"        {when} → {_plain(to_json(result))}{mark}")
    return lines
