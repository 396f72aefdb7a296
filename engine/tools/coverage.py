"""Coverage of the clause logic: what the scenario files exercised of the rules, duties, choices and questions.

Stage: tools. Imports answers' `check` (results) and `explain` (answer
templates), evaluation's `duties` and `replay`, the clause language's
`expressions` and `ruleset`, and `mou.errors`, `mou.values`.

`coverage(ruleset, results)` is a pure function of the checked scenarios
(each `ScenarioResult` keeps its explained replay): nothing is evaluated
again except each duty instance's status, judged on the days of its own
timeline. An item is one thing a scenario can exercise, with the place in
its clause file where it is written:

    conditions  each condition of a rule (and its `applies_if`) seen true, false
                and, where it can be, unknown
    branches    each `then`, `else` and `unknown:` of a rule taken
    duties      each status a duty instance can reach (`evaluation.duties`)
    choices     each value of an interpretive choice the scenarios ran under
                (a choice without a finite set: set, and left unset)
    parameters  each parameter at its default, and set (by the scenario or an amendment)
    questions   each question asked, by the `answers:` template its answer takes
    properties  each invariant and symmetry judged on some scenario

A condition can be `unknown` only when it reads something that can be: an
event field with no default, an attribute a rule's `unknown:` branch sets,
a choice with no default, a duty's status (directly or through a `let` or a
definition). A condition seen unknown is counted whatever that analysis says.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Iterable

from ..answers.check import ScenarioResult
from ..answers.summary import answer_key
from ..errors import Location
from ..evaluation.duties import judge
from ..evaluation.state import PARAM_KEY
from ..language.expressions import Attr, Call, ExpressionSyntaxError, Name, parse, walk
from ..language.ruleset import NO_DEFAULT, Rule, RuleSet
from ..values import Unknown, to_json

CATEGORIES = ("conditions", "branches", "duties", "choices", "parameters", "questions", "properties")
"""The kinds of item, in the order the report lists them."""

DUTY_FUNCTIONS = frozenset({"triggered", "duty_status", "obligations", "breaches"})
"""Functions of the clause language that read duty instances, whose status can be unknown."""

OUTCOMES = ("true", "false", "unknown")


@dataclass(frozen=True)
class Item:
    """One thing a scenario can exercise, and where the clause files say it."""

    kind: str  # one of CATEGORIES
    id: str  # the rule, duty, choice, parameter, question or property
    paragraph: str
    location: Location
    what: str  # what was exercised, in words ("condition “in writing” false")
    key: tuple  # how observations name it
    unreachable: str = ""  # why no valid scenario can exercise it (`coverage: unreachable:` in the clause file)

    def to_json(self, root: str | None = None) -> dict:
        """As `missed` lists it (and `excluded`, with why)."""
        data = {"kind": self.kind, "id": self.id, "paragraph": self.paragraph,
                "location": str(shown(self.location, root)), "what": self.what}
        if self.unreachable:
            data["unreachable"] = self.unreachable
        return data


@dataclass
class Coverage:
    """What the scenarios exercised of the items, per category and overall."""

    items: list[Item]  # what is counted
    covered: set[tuple] = field(default_factory=set)
    scenarios: int = 0
    excluded: list[Item] = field(default_factory=list)  # marked unreachable in the clause files: not counted
    reached_anyway: list[Item] = field(default_factory=list)  # marked unreachable, yet exercised: counted

    @property
    def missed(self) -> list[Item]:
        """The items never exercised, by place in the clause files."""
        return _by_place(item for item in self.items if item.key not in self.covered)

    def counts(self, kind: str | None = None) -> tuple[int, int]:
        """(covered, total) of a category, or of every item (those excluded as unreachable are not items)."""
        chosen = [item for item in self.items if kind is None or item.kind == kind]
        return sum(1 for item in chosen if item.key in self.covered), len(chosen)

    def percent(self, kind: str | None = None) -> float:
        """The share covered, 0–100, rounded down to one decimal (100 when there is nothing to cover)."""
        done, total = self.counts(kind)
        return percent(done, total)

    def below(self, minimum: float) -> bool:
        """Whether the overall share covered is below `minimum` percent (compared exactly, not rounded)."""
        done, total = self.counts()
        return total > 0 and 100 * done < minimum * total

    def to_json(self, root: str | None = None) -> dict:
        """The `coverage` object of `mou test --format json` (sorted, no times)."""
        categories = {}
        for kind in CATEGORIES:
            done, total = self.counts(kind)
            categories[kind] = {"covered": done, "total": total, "percent": percent(done, total)}
        done, total = self.counts()
        return {"percent": percent(done, total), "covered": done, "total": total, "scenarios": self.scenarios,
                "categories": categories, "missed": [item.to_json(root) for item in self.missed],
                "excluded": [item.to_json(root) for item in _by_place(self.excluded)],
                "reached_anyway": [item.to_json(root) for item in _by_place(self.reached_anyway)]}

    def lines(self, root: str | None = None) -> list[str]:
        """A short table, then each item never exercised as `FILE:LINE: what`."""
        done, total = self.counts()
        out = [f"coverage of the clause logic over {self.scenarios} scenario file(s): "
               f"{percent(done, total)}% ({done} of {total})"]
        for kind in CATEGORIES:
            covered, count = self.counts(kind)
            out.append(f"  {kind:<11} {percent(covered, count):>5}%  {covered:>4} of {count}")
        missed = self.missed
        if missed:
            out.append(f"never exercised ({len(missed)}):")
            for item in missed:
                place = shown(item.location, root)
                out.append(f"{place.file}:{place.line}: {item.id} ({item.paragraph}): {item.what}")
        if self.excluded:
            out.append(f"excluded as unreachable ({len(self.excluded)}):")
            for item in _by_place(self.excluded):
                place = shown(item.location, root)
                out.append(f"{place.file}:{place.line}: {item.id} ({item.paragraph}): {item.what}: "
                           f"{item.unreachable}")
        for item in _by_place(self.reached_anyway):
            place = shown(item.location, root)
            out.append(f"{place.file}:{place.line}: {item.id} ({item.paragraph}): marked unreachable, yet a scenario "
                       f"exercised it ({item.what.replace(' never ', ' ')}): remove the annotation")
        return out


def _by_place(items: Iterable[Item]) -> list[Item]:
    return sorted(items, key=lambda item: (item.location.file, item.location.line, item.location.column, item.what))


def percent(done: int, total: int) -> float:
    """`done` of `total` as a percentage, rounded down to one decimal (never up to a threshold it misses)."""
    if total == 0:
        return 100.0
    return (1000 * done // total) / 10


def shown(location: Location, root: str | None = None) -> Location:
    """The location with its file relative to `root` (the working directory) when it lies inside it."""
    root = root if root is not None else os.getcwd()
    relative = os.path.relpath(location.file, root) if os.path.isabs(location.file) else location.file
    if relative.startswith(".."):
        return location
    return Location(relative, location.line, location.column)


def coverage(ruleset: RuleSet, results: Iterable[ScenarioResult]) -> Coverage:
    """The coverage of the clause logic by these checked scenarios (each with its explained replay)."""
    results = list(results)
    every = items(ruleset)
    report = Coverage([item for item in every if not item.unreachable], scenarios=len(results),
                      excluded=[item for item in every if item.unreachable])
    known = {item.key for item in report.items}
    for result in results:
        if result.replay is None or not result.replay.explain:
            raise ValueError(f"{result.scenario.file}: coverage needs the explained replay of each scenario")
        for key in observed(ruleset, result):
            if key not in known and key[0] == "condition" and key[3] == "unknown":
                report.items.append(replace(_condition_item(ruleset.rules[key[1]], key[2], "unknown"), unreachable=""))
                known.add(key)
            report.covered.add(key)
    wrongly = [item for item in report.excluded if item.key in report.covered]
    if wrongly:  # an item marked unreachable that a scenario reached: it counts, and the report says so
        report.excluded = [item for item in report.excluded if item.key not in report.covered]
        report.reached_anyway = wrongly
        report.items.extend(wrongly)
        known.update(item.key for item in wrongly)
    report.covered &= known
    return report


# -- the items ------------------------------------------------------------------------------

def items(ruleset: RuleSet) -> list[Item]:
    """Every item of the rule set that a scenario can exercise."""
    can_be_unknown = _Unknowable(ruleset)
    found: list[Item] = []
    for rule in ruleset.rules:
        lets = can_be_unknown.lets(rule)
        places: list[Any] = ([("applies", rule.guard)] if rule.guard is not None else []) + list(
            enumerate(rule.conditions))
        for number, condition in places:
            outcomes = OUTCOMES if can_be_unknown.text(condition.text, lets) else OUTCOMES[:2]
            found.extend(_condition_item(rule, number, outcome) for outcome in outcomes)
        if rule.duty is None:
            for branch, given, outcome in (("then", rule.then, "true"), ("else", rule.otherwise, "false"),
                                           ("unknown", rule.unknown, "unknown")):
                if branch == "then" or given:
                    found.append(Item("branches", rule.id, rule.paragraph, rule.branches.get(branch, rule.location),
                                      f"`{branch}` never taken (outcome {outcome})", ("branch", rule.index, branch),
                                      rule.unreachable.get(branch, "")))
    for duty in ruleset.duties.values():
        rule = next(r for r in ruleset.rules if r.duty is duty)
        for status in duty_statuses(rule, can_be_unknown):
            found.append(Item("duties", duty.id, duty.paragraph, duty.location, f"never {status}",
                              ("duty", duty.id, status), rule.unreachable.get(status, "")))
    for choice in ruleset.choices.values():
        values = [to_json(value) for value in choice.values] or ["set", "unset"]
        for value in values:
            what = (f"never run with {value}" if choice.values else
                    "never set" if value == "set" else "never left unset")
            found.append(Item("choices", choice.name, choice.paragraph, choice.location, what,
                              ("choice", choice.name, str(value))))
    for parameter in ruleset.parameters.values():
        for how in ("default", "set"):
            what = "never at its default" if how == "default" else "never set (by a scenario, or changed by a rule)"
            found.append(Item("parameters", parameter.name, parameter.paragraph, parameter.location, what,
                              ("parameter", parameter.name, how)))
    for question in ruleset.questions.values():
        paragraph = ", ".join(question.paragraphs)
        if question.answers:
            for key in question.answers:
                found.append(Item("questions", question.name, paragraph,
                                  question.answer_locations.get(key, question.location),
                                  f"never answered `{key}`", ("question", question.name, key),
                                  question.unreachable.get(key, "")))
        else:
            found.append(Item("questions", question.name, paragraph, question.location, "never asked",
                              ("question", question.name, "asked")))
    for invariant in ruleset.invariants.values():
        found.append(Item("properties", invariant.name, invariant.paragraph, invariant.location,
                          "invariant never judged" + (f" (no {invariant.for_each} event)" if invariant.for_each
                                                      else ""), ("property", invariant.name)))
    for symmetry in ruleset.symmetries.values():
        found.append(Item("properties", symmetry.name, symmetry.paragraph, symmetry.location,
                          "symmetry never judged (no question asked)", ("property", symmetry.name)))
    return found


def _condition_item(rule: Rule, number: Any, outcome: str) -> Item:
    if number == "applies":
        condition, label, named = rule.guard, f"`applies_if` ({rule.guard.text})", "applies_if"
    else:
        condition = rule.conditions[number]
        label, named = f"condition “{condition.says}”", condition.says
    return Item("conditions", rule.id, rule.paragraph, condition.location, f"{label} never {outcome}",
                ("condition", rule.index, number, outcome), rule.unreachable.get(f"{named}: {outcome}", ""))


def duty_statuses(rule: Rule, can_be_unknown: "_Unknowable") -> list[str]:
    """The statuses an instance of the duty of `rule` can reach, as `evaluation.duties` judges them."""
    duty = rule.duty
    settlement = duty.settlement
    lets = can_be_unknown.lets(rule)
    statuses = ["active"]
    if rule.conditions:
        statuses.append("not_triggered")
    if settlement is not None:
        statuses.append("fulfilled")
        statuses.extend(status for status, _, _ in settlement.outcomes)
    if duty.deadline is not None or duty.violated_if is not None:
        statuses.append("violated")
    if duty.lapses_after is not None:
        statuses.append("lapsed")
    texts = [condition.text for condition in rule.conditions] + [duty.violated_if_text]
    if settlement is not None:
        texts += [settlement.match_text, *(text for _, _, text in settlement.outcomes)]
    if any(can_be_unknown.text(text, lets) for text in texts if text):
        statuses.append("unknown")
    return sorted(set(statuses), key=statuses.index)


class _Unknowable:
    """Which expressions can be unknown: those reading, at any depth, something a scenario can leave unknown."""

    def __init__(self, ruleset: RuleSet):
        self.ruleset = ruleset
        self.choices = {name for name, choice in ruleset.choices.items() if choice.default is None}
        self.attributes = {name for definition in ruleset.event_types.values()
                           for name, spec in definition.fields.items()
                           if spec.default is NO_DEFAULT and not spec.required}
        self.definitions: set[str] = set()
        for rule in ruleset.rules:
            self.attributes.update(a.attr for a in rule.unknown if a.attr)
        changed = True
        while changed:  # facts derived from unknowable ones are unknowable: to a fixed point
            changed = False
            for name, info in ruleset.compiled_definitions.items():
                if name not in self.definitions and self.text(info.text):
                    self.definitions.add(name)
                    changed = True
            for rule in ruleset.rules:
                lets = self.lets(rule)
                for assignment in (*rule.then, *rule.otherwise):
                    if assignment.attr and assignment.attr not in self.attributes and self.text(assignment.text, lets):
                        self.attributes.add(assignment.attr)
                        changed = True

    def lets(self, rule: Rule) -> set[str]:
        """The `let`s of a rule that can be unknown."""
        found: set[str] = set()
        for binding in rule.lets:
            if self.text(binding.text, found):
                found.add(binding.name)
        return found

    def text(self, text: str, lets: set[str] = frozenset()) -> bool:
        """Whether the expression `text` can be unknown (`lets`: names bound to values that can be)."""
        try:
            tree = parse(text)
        except ExpressionSyntaxError:
            return True  # cannot tell: count it
        for node in walk(tree):
            if isinstance(node, Attr):
                if isinstance(node.subject, Name) and node.subject.name == "choice":
                    if node.name in self.choices:
                        return True
                elif node.name in self.attributes:
                    return True
            elif isinstance(node, Name) and (node.name in lets or node.name in self.definitions):
                return True
            elif isinstance(node, Call) and (node.function in DUTY_FUNCTIONS or node.function in self.definitions):
                return True
        return False


# -- what a scenario exercised --------------------------------------------------------------

def observed(ruleset: RuleSet, result: ScenarioResult) -> set[tuple]:
    """The keys of the items one checked scenario exercised."""
    replay = result.replay
    seen: set[tuple] = set()
    for firing in replay.firings:
        rule = firing.rule
        conditions = list(firing.conditions)
        if rule.guard is not None:
            guard_unknown = len(conditions) == len(rule.conditions) + 1
            seen.add(("condition", rule.index, "applies", "unknown" if guard_unknown else "true"))
            if guard_unknown:
                conditions = conditions[1:]
        for number, condition in enumerate(conditions):
            seen.add(("condition", rule.index, number, _outcome(condition.value)))
        if rule.duty is None:
            outcome = _outcome(firing.outcome)
            seen.add(("branch", rule.index, {"true": "then", "false": "else"}.get(outcome, "unknown")))
    for rule, _ in replay.inapplicable:
        seen.add(("condition", rule.index, "applies", "false"))
    seen.update(_duties(replay))
    for name, choice in ruleset.choices.items():
        value = replay.choices.get(name)
        if choice.values:
            if not isinstance(value, Unknown):
                seen.add(("choice", name, str(to_json(value))))
        else:
            seen.add(("choice", name, "unset" if value is None or isinstance(value, Unknown) else "set"))
    for name in ruleset.parameters:
        amended = any(source is not None for _, _, source in replay.state.changes(PARAM_KEY, name))
        overridden = name in replay.parameters
        if not overridden:  # at its default (until a rule changes it, if one does)
            seen.add(("parameter", name, "default"))
        if overridden or amended:
            seen.add(("parameter", name, "set"))
    for item in result.results:
        question = item.call.definition
        key = answer_key(question, item.answer) if question.answers else "asked"
        if key is not None:
            seen.add(("question", question.name, key))
    for invariant in ruleset.invariants.values():
        if invariant.for_each is None or any(e.type == invariant.for_each for e in result.scenario.events):
            seen.add(("property", invariant.name))
    if result.results:
        seen.update(("property", name) for name in ruleset.symmetries)
    return seen


def _outcome(value: Any) -> str:
    return "true" if value is True else "false" if value is False else "unknown"


def _duties(replay: Any) -> set[tuple]:
    """Each status each duty instance reaches, judged at the end of each day of the timeline and after it."""
    state = replay.state
    days: list[date | None] = sorted({day for day, _ in replay.order} | {f.day for f in replay.firings})
    days.append(None)
    seen = set()
    for instance in state.instances:
        for day in days:
            if day is not None and not instance.duty.anticipated and day < instance.day:
                continue
            status = judge(state, instance, day).status
            seen.add(("duty", instance.duty.id, "unknown" if isinstance(status, Unknown) else status))
    return seen
