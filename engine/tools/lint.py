"""Static checks of clause files, beyond what compiling them requires.

Stage: tools. Imports `signed_text`, the clause language's `compiler`, `corpus`,
`ruleset` and `yamlio`, and `mou.errors`.

`lint(directory)` compiles the clause files (any compile error is an error
here too) and then looks for what compiles but is probably wrong:

- a paragraph whose text differs from the signed text, or a part of the
  signed text no paragraph quotes (errors);
- a clause file in the directory that the manifest does not list;
- an attribute no rule ever sets, so it always keeps its initial value (an error: a fact no rule
  can set is a mistake, or a constant to write as a definition);
- a condition that orders or adds to a fact that may be absent (a state attribute with no
  `initial`) without a guard (`X != null`, `known(X)`, `coalesce(X, …)`) in it or in an earlier
  condition of the rule: it does not hold while the fact is absent, which may not be what is meant;
- a rule that watches a date attribute nothing sets (it can never fire);
- two rules on the same trigger that set the same attribute to different
  constants, with guards that do not exclude each other (a conflict: the
  later silently wins);
- an interpretive choice or parameter that no expression reads;
- an event type that no rule, duty or question uses.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Diagnostic, Location, MouError
from ..language.compiler import compile_corpus
from ..language.corpus import MANIFEST
from ..language.ruleset import RuleSet
from ..language.yamlio import read_yaml
from .signed_text import check_paragraphs, uncovered


def lint(directory: str | Path) -> list[Diagnostic]:
    """Every finding for the clause files in `directory`, sorted by position."""
    directory = Path(directory)
    try:
        ruleset = compile_corpus(directory)
    except MouError as error:
        return error.diagnostics
    texts = _expression_texts(directory, ruleset)
    findings = (_text_findings(ruleset, directory) + _unlisted_files(ruleset, directory)
                + _never_set(ruleset) + _unguarded(ruleset) + _conflicts(ruleset) + _unused(ruleset, texts) + _wording(ruleset))
    return sorted(set(findings))


def _warning(location: Location, message: str) -> Diagnostic:
    return Diagnostic(location, message, "warning")


def not_text(ruleset: RuleSet) -> list[str]:
    """What the signed text holds besides paragraphs: headings, numbering, page layout."""
    ignore = list(ruleset.layout)
    for article, title in ruleset.titles.items():
        if re.fullmatch(r"[IVXLC]+", article):
            ignore += [f"Article {article}", title]
    for paragraph in ruleset.paragraphs:
        number = paragraph.rsplit(".", 1)[-1]
        if "." in paragraph and (number.isdigit() or re.fullmatch(r"[ivxlc]+", number)):
            ignore.append(f"{number}.")
    return sorted(set(ignore))


def _text_findings(ruleset: RuleSet, directory: Path) -> list[Diagnostic]:
    paragraphs = [(p.id, p.text) for p in ruleset.paragraphs.values()]
    findings = [Diagnostic(ruleset.paragraphs[m.paragraph].location, m.message)
                for m in check_paragraphs(ruleset.signed_text, paragraphs)]
    manifest = Location(str(directory / MANIFEST), 1, 1)
    findings += [Diagnostic(manifest, f"no paragraph quotes this part of the signed text: {piece[:80]!r}")
                 for piece in uncovered(ruleset.signed_text, paragraphs, not_text(ruleset))]
    return findings


def _wording(ruleset: RuleSet) -> list[Diagnostic]:
    """A parameter whose `stands_in` words are not in its paragraph, or are also another's there: the text as in
    force could not mark it. The words may stand more than once ("five (5) years" twice): each is marked."""
    findings = []
    for name, parameter in ruleset.parameters.items():
        if parameter.stands_in and parameter.paragraph in ruleset.paragraphs:
            found = ruleset.paragraphs[parameter.paragraph].text.count(parameter.stands_in)
            if not found:
                findings.append(_warning(parameter.location, f"parameter {name!r}: {parameter.stands_in!r} should "
                                                             f"stand in {parameter.paragraph}, which does not hold "
                                                             "it"))
            shared = sorted(other for other, p in ruleset.parameters.items() if other != name
                            and p.paragraph == parameter.paragraph and p.stands_in == parameter.stands_in)
            if found and shared:
                findings.append(_warning(parameter.location, f"parameter {name!r}: {parameter.stands_in!r} in "
                                                             f"{parameter.paragraph} also stands in for "
                                                             f"{', '.join(map(repr, shared))}: the text as in force "
                                                             "could not tell which is amended; quote words that "
                                                             "only one of them stands in"))
    return findings


def _unlisted_files(ruleset: RuleSet, directory: Path) -> list[Diagnostic]:
    listed = set(ruleset.files) | {MANIFEST}
    return [_warning(Location(str(path), 1, 1), f"{path.name} is not listed in {MANIFEST}; it is never read")
            for path in sorted(directory.glob("*.y*ml")) if path.name not in listed]


def _never_set(ruleset: RuleSet) -> list[Diagnostic]:
    set_by_rules: set[tuple[str, str]] = set()
    for rule in ruleset.rules:
        for assignment in rule.then + rule.otherwise + rule.unknown:
            if assignment.target.startswith("$"):
                set_by_rules.add((assignment.target[1:], assignment.attr))
            else:
                owners = _binding_types(ruleset, rule, assignment.target)
                set_by_rules.update((owner, assignment.attr) for owner in owners)
    findings = []
    for name, definition in ruleset.event_types.items():
        for attr in definition.attributes:
            taken = definition.takes_effect is not None and definition.takes_effect[0] == attr
            if not taken and (name, attr) not in set_by_rules:
                findings.append(Diagnostic(definition.location, f"attribute {attr!r} of {name} is never set by a "
                                                                "rule: it always keeps its initial value"))
    for entity, attributes in ruleset.entity_attributes.items():
        for attr in attributes:
            if (entity, attr) not in set_by_rules:
                findings.append(Diagnostic(Location("<clauses>"), f"attribute {entity}.{attr} is never set by a "
                                                                  "rule: it always keeps its initial value"))
    for rule in ruleset.rules:
        trigger = rule.trigger
        if trigger.kind == "date" and (trigger.owner, trigger.attr) not in set_by_rules:
            findings.append(_warning(rule.location, f"{rule.id} watches {trigger.owner}.{trigger.attr}, which no "
                                                    "rule sets: it can never fire"))
    return findings


def _unguarded(ruleset: RuleSet) -> list[Diagnostic]:
    """Conditions that order or add to a state attribute that may be absent, with no guard before or in them."""
    absent = {f"{entity}.{attr}" for entity, attributes in ruleset.entity_attributes.items()
              for attr, spec in attributes.items() if spec.initial is None}
    findings = []
    for rule in ruleset.rules:
        seen = ""
        for condition in ((rule.guard,) if rule.guard is not None else ()) + rule.conditions:
            seen += " " + condition.text
            for fact in sorted(absent):
                used = re.search(rf"(?<![\w.]){re.escape(fact)}\b\s*(<|>|\+|-)|(<|>|\+|-)=?\s*{re.escape(fact)}\b",
                                 condition.text)
                if used and not _guarded(fact, seen):
                    findings.append(_warning(condition.location, (
                        f"{rule.id}: the condition {condition.says!r} orders or counts from {fact}, which may not be "
                        f"set yet (it has no `initial`): while it is absent the condition does not hold; guard it "
                        f"with `{fact} != null and …` if that is not what is meant")))
    return findings


def _guarded(fact: str, text: str) -> bool:
    f = re.escape(fact)
    return bool(re.search(rf"{f}\s*(!=|==)\s*null|null\s*(!=|==)\s*{f}|known\(\s*{f}|coalesce\(\s*{f}", text))


def _binding_types(ruleset: RuleSet, rule, binding: str) -> set[str]:
    """The event types a rule's binding (`event` or a `let`) may hold, as far as the trigger tells."""
    if binding == "event":
        return {rule.trigger.owner}
    for let in rule.lets:
        if let.name == binding:
            match = re.fullmatch(r"event\.(\w+)", let.text.strip())
            if match and rule.trigger.kind == "event":
                field = ruleset.event_types[rule.trigger.owner].fields.get(match.group(1))
                if field is not None and field.type.kind == "event":
                    return set(field.type.events)
    return set(ruleset.event_types)


def _conflicts(ruleset: RuleSet) -> list[Diagnostic]:
    findings = []
    rules = [r for r in ruleset.rules if r.duty is None]
    for index, first in enumerate(rules):
        for second in rules[index + 1:]:
            if first.trigger.key != second.trigger.key or _exclusive(first, second):
                continue
            firsts = {(a.target, a.attr): a.text for a in first.then}
            for assignment in second.then:
                key = (assignment.target, assignment.attr)
                if key in firsts and _constant(firsts[key]) and _constant(assignment.text) \
                        and firsts[key].strip() != assignment.text.strip():
                    findings.append(_warning(second.location, (
                        f"{second.id} and {first.id} (at {first.location}) both set {assignment.label} on "
                        f"{first.trigger}, to {assignment.text.strip()} and {firsts[key].strip()}: where both apply, "
                        f"{second.id} silently wins; make their conditions exclusive")))
    return findings


def _constant(text: str) -> bool:
    return bool(re.fullmatch(r"\s*(true|false|null|-?\d+|'[^']*'|\"[^\"]*\")\s*", text))


def _exclusive(first, second) -> bool:
    """Whether two rules' guards are written as each other's negation."""
    if first.guard is None or second.guard is None:
        return False
    a, b = (" ".join(g.text.split()) for g in (first.guard, second.guard))
    return a == f"not {b}" or b == f"not {a}" or a == f"not ({b})" or b == f"not ({a})"


def _expression_texts(directory: Path, ruleset: RuleSet) -> str:
    """Every string of every clause file, joined: where names are looked for."""
    parts = []
    for name in ruleset.files:
        try:
            document = read_yaml(directory / name)
        except MouError:
            continue
        stack = [document.data]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, str):
                parts.append(node)
    return "\n".join(parts)


def _unused(ruleset: RuleSet, texts: str) -> list[Diagnostic]:
    findings = []
    for name, choice in ruleset.choices.items():
        if not re.search(rf"\bchoice\.{re.escape(name)}\b", texts):
            findings.append(_warning(choice.location, f"interpretive choice {name!r} is never read by any expression"))
    for name, parameter in ruleset.parameters.items():
        if not re.search(rf"param\(\s*['\"]{re.escape(name)}['\"]\s*\)", texts) and "param(name)" not in texts:
            findings.append(_warning(parameter.location, f"parameter {name!r} is never read by any expression"))
    used = {rule.trigger.owner for rule in ruleset.rules}
    used |= {d.settlement.act for d in ruleset.duties.values() if d.settlement}
    for definition in ruleset.event_types.values():
        for field in definition.fields.values():
            if field.type.kind == "event":
                used |= set(field.type.events)
    for question in ruleset.questions.values():
        for argument in question.args:
            if argument.type.kind == "event":
                used |= set(argument.type.events)
    for name, definition in ruleset.event_types.items():
        if name not in used and not re.search(rf"\b{re.escape(name)}\b", texts.replace(f"type: {name}", "")):
            findings.append(_warning(definition.location, f"event type {name!r} is used by no rule, duty or question"))
    return findings
