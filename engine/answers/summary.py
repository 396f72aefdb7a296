"""The summary of an answer: the question in words, the answer, and its decisive reason.

Stage: answers. Imports `case`, `questions`, `reasons` (a value in words), evaluation's `replay`, scenario
files' `model` and `variants`, the clause language's `context`, `ruleset`
and `wording`, and `mou.values`.

The clause files word each: `asks` (the question as a person asks it),
`answers` (the answer, per value) and `because` (the decisive reason, per
value, the first whose `if` holds). Where a question gives no `because`,
the decisive reason is taken from the reasons: every condition that failed,
else what the deciding rule did.
"""

from __future__ import annotations

import re

from typing import Any, Iterable, Iterator

from ..evaluation.replay import Replay
from ..language.context import Ctx
from ..language.ruleset import QuestionDef
from ..language.wording import fill, join, say
from ..scenario.model import QuestionCall
from ..scenario.variants import CHOICE
from ..values import Unknown, to_json
from .case import Case, Resolution
from .questions import Answer
from .reasons import plain_value


def head(replay: Replay, call: QuestionCall, value: Any, as_of: Any, would: bool = False) -> str:
    """The answer in one clause, from the question's `answers` templates; `would`: as what would follow, from its
    `would` templates where it gives one (a counterfactual's outcome), else None-free `answers` words."""
    question = call.definition
    key = answer_key(question, value, question.would) if would else None
    if key is not None:
        return fill(question.would[key], _ctx(replay, call, value, as_of))
    key = answer_key(question, value)
    if key is None and isinstance(value, Unknown):
        return f"{question.says}: the facts given do not decide it"
    if key is None:
        return f"{question.says}: {say(value)}"
    template = question.answers[key]
    return fill(template, _ctx(replay, call, value, as_of))


def verdict(replay: Replay, call: QuestionCall, value: Any, as_of: Any) -> str:
    """The answer in a word or two where a plain Yes or No would mislead (the question's `verdicts`), else ""."""
    question = call.definition
    key = answer_key(question, value, question.verdicts)
    return fill(question.verdicts[key], _ctx(replay, call, value, as_of)) if key is not None else ""


def asks(replay: Replay, call: QuestionCall, as_of: Any) -> str:
    """The question as a person asks it ("Is the MoU in force on 2020-11-12?"), from its `asks` template."""
    question = call.definition
    if not question.asks:
        return question.says[:1].upper() + question.says[1:]
    return fill(question.asks, Ctx(replay.state, replay.choices, dict(call.args), as_of=as_of))


def because(replay: Replay, call: QuestionCall, value: Any, as_of: Any) -> str:
    """The decisive reason the clause files word for this answer (the first of its `because` whose `if` holds)."""
    question = call.definition
    key = answer_key(question, value, question.because)
    if key is None:
        return ""
    ctx = _ctx(replay, call, value, as_of)
    for condition, template in question.because[key]:
        if condition is None or condition(ctx) is True:
            return fill(template, ctx)
    return ""


def _ctx(replay: Replay, call: QuestionCall, value: Any, as_of: Any) -> Ctx:
    """The context a question's templates are filled in: its arguments, its `let:` names and `answer`."""
    ctx = Ctx(replay.state, replay.choices, {**call.args, "answer": value}, as_of=as_of)
    for binding in call.definition.lets:
        ctx.env[binding.name] = binding.fn(ctx)
    return ctx


def answer_key(question: QuestionDef, value: Any, templates: Any = None) -> str | None:
    """The key of the question's `answers` (or other `templates`) that says `value` (None: there is none for it)."""
    templates = question.answers if templates is None else templates
    if isinstance(value, tuple) and not value and "none" in templates:
        return "none"  # an empty list: "no duty is breached"
    key = to_json(value)
    key_text = "true" if key is True else "false" if key is False else str(key)
    if key_text in templates:
        return key_text
    if isinstance(key, list) and len(key) == 1 and isinstance(key[0], str) and key[0] in templates:
        return key[0]  # a list of one value, worded by that value (`additional_field`)
    fallback = "none" if value is None else "value"
    return fallback if fallback in templates else None


def summary(case: Case, found: Answer, resolution: Resolution, reasons: list[dict], missing: list[dict]) -> str:
    """One sentence: the answer and its decisive reason, in the clause files' words."""
    value = resolution.value
    text = head(case.base, found.call, value, found.as_of)
    if isinstance(value, Unknown):
        asks = [_not_given(m["says"], m["event"], m["choice"]) for m in missing] or [
            _not_given(str(m), m.subject not in ("interpretation", "question"), m.subject == "interpretation")
            for m in sorted(value.missing)]
        return f"{text}: {join(asks, 'and')}" if asks else text
    if resolution.weighed:
        return f"{text}, {whichever(case, resolution.weighed)}"
    worded = because(case.base, found.call, value, found.as_of)
    if worded:
        return f"{text}{worded}" if worded.startswith((",", ";")) else f"{text}: {worded}"
    if len(reasons) == 1 and "status" in reasons[0] and reasons[0]["says"].split()[:5] == text.split()[:5]:
        return reasons[0]["says"]  # a duty's status in its own words, which say more (the act, its date)
    because_ = decisive_phrase(reasons, empty=isinstance(value, tuple) and not value)
    if because_ and because_.split(" (")[0] in text and len(reasons) == 1 and reasons[0]["because"]:
        because_ = decisive_phrase(reasons[0]["because"])  # the fact is the answer itself: say why it holds
    if because_ and because_.split()[:5] == text.split()[:5]:  # the reason says the answer again, and maybe more
        return because_ if len(because_) > len(text) else text
    if because_ and isinstance(value, tuple) and not value:  # none listed; what could yet list one is a caveat
        return f"{text}; {because_}"
    return f"{text}: {because_}" if because_ else text


def _not_given(says: str, event: Any, choice: Any) -> str:
    """A missing fact as the summary says it: "whether … is not stated", "the interpretive choice … is not set";
    a fact the clause files word whole (`unknown(…)` of a question) as they word it."""
    return f"{says} is not set" if choice else f"{says} is not stated" if event else says


def whichever(case: Case, weighed: Iterable[Any]) -> str:
    """"whether or not …" for facts that were missing and did not matter."""
    parts = []
    for fact in weighed:
        kind, target, name = fact.change_of
        if kind == CHOICE:
            parts.append(f"whichever value the interpretive choice `{target}` takes")
            continue
        event = case.base.by_id.get(target)
        spec = case.ruleset.event_types[event.type].fields.get(name) if event is not None else None
        says = spec.says if spec is not None and spec.says else name
        parts.append(f"whether or not {says} ({target}, not stated)" if fact.values == (True, False)
                     else f"whatever {says} ({target}, not stated)")
    return join(parts) + " (the facts not given do not change it)"


def decisive_phrase(reasons: list[dict], empty: bool = False) -> str:
    """The reason in words: the failed conditions with their facts, else the conditions or facts that held.
    `empty`: the answer is an empty list (no duty breached): only what could have put a duty on it is said
    (one that cannot be judged, one that did not arise for want of one fact, one an act of the case raised);
    the reasons give the standing duties."""
    statuses = [node["status"] for node in reasons if "status" in node]
    if len(statuses) == 1 and len(reasons) == 1 and reasons[0].get("why"):
        return f"{reasons[0]['says']}: {reasons[0]['why']}"
    held = [node for node in reasons if node.get("status") is True and node.get("because")]
    if len(held) == 1 and all(child.get("holds") is True for child in held[0]["because"]):
        conditions = [child for child in held[0]["because"] if "sentence" in child]
        if conditions:  # a duty that arose: the conditions that made it arise
            return f"{_requirements(conditions)} ({held[0]['paragraph']})"
    if statuses and all(status is False or status == "not_triggered" for status in statuses):
        misses = [list(_failed(reason["because"])) for reason in reasons]
        nearest = min((len(found) for found in misses if found), default=0)
        failed = [node for found in misses if len(found) == nearest for node in found]
        if failed:  # why no duty arose: what the paragraph nearest to applying requires and the fact that fails it
            return "; ".join(dict.fromkeys(_with_facts(node) for node in failed))  # (not one a party could never owe)
    if statuses and all(status == "unknown" for status in statuses):
        return join(list(dict.fromkeys(node["says"] for node in reasons)))
    if statuses and len(statuses) == len(reasons):  # a list of duty instances: each in words, once, breaches first
        groups: dict[Any, list[str]] = {}
        for node in sorted(reasons, key=lambda node: STATUS_ORDER.get(node["status"], len(STATUS_ORDER))):
            if empty and node["status"] not in STATUS_ORDER and not node.get("subject"):
                continue  # (a duty on an act of the case, a request declined on a ground, is said all the same)
            failed = [child for child in node.get("because", ()) if child.get("holds") is False and child.get("facts")]
            said = f"{node['says']}, as {failed[0]['facts'][0]['says']}" if failed and \
                node["status"] == "not_triggered" else node["says"]  # why no duty arose: the fact that failed it
            groups.setdefault(STATUS_ORDER.get(node["status"], len(STATUS_ORDER)), []).append(said)
        return "; ".join(join(list(dict.fromkeys(said))) for said in groups.values())
    failed = list(_failed(reasons))
    if failed:  # every condition that failed: a second reason is not a replacement for the first
        return "; ".join(_with_facts(node) for node in failed)
    conditions = [node for node in reasons if "sentence" in node]
    if conditions:  # the answer is one rule's conclusion: its conditions held; and an act that would have undone
        # it did not take effect (a withdrawal): why not, beside it
        undone = [f"{node['says']}: {_with_facts(failed)}" for node in reasons if node.get("kind") == "attempt"
                  for failed in list(_failed(node["because"]))[:1]]
        return "; ".join([_applied(conditions, reasons), *undone])
    shown = [_cited(node.get("by", {}).get("applied") or node["says"], node.get("paragraph"), _paragraphs(reasons))
             for node in reasons[:2] if node.get("says")]
    return "; ".join(shown)


def _applied(conditions: list[dict], reasons: list[dict]) -> str:
    """What the rule whose conditions held did, cited to its paragraph, or for a rule that exists by an
    interpretive choice (a withdrawal), not one of its conditions, to the choice."""
    applied = conditions[0].get("by", {}).get("applied")
    authority = conditions[0].get("authority")
    if authority and all(node.get("authority") == authority for node in conditions):
        cited = f"`{authority['choice']}`, {authority['source']}" if authority.get("default") is not False else \
            f"`{authority['choice']}: {plain_value(authority['value'])}`, as set for this case"
        return f"{applied or _requirements(conditions)} ({cited})"
    return _cited(applied or _requirements(conditions), conditions[0]["paragraph"], _paragraphs(reasons))


def _paragraphs(nodes: list[dict]) -> set[str]:
    """Every paragraph the reasons cite, as a rule's or as the one a condition reads (`within`)."""
    found: set[str] = set()
    for node in nodes:
        found.update(p for p in (node.get("paragraph"), node.get("within")) if isinstance(p, str))
        found |= _paragraphs(node.get("because", []))
    return found


def _cited(said: str, paragraph: str | None, known: set[str]) -> str:
    """A sentence with its paragraph after it, unless it names that paragraph already ("as VIII provides") or ends
    on a citation of its own ("while the MoU was in force (IX.1)": a second pair of brackets reads as a typo)."""
    if not paragraph or re.search(rf"(?<![\w.]){re.escape(paragraph)}(?![\w.])", said) \
            or any(said.endswith(f"({other})") for other in known):
        return said
    return f"{said} ({paragraph})"


STATUS_ORDER = {"violated": 0, "unknown": 1, "not_triggered": 2}
"""The order a list of duty instances is said in: breaches first, then those that cannot be judged, then the rest
(each group joined with "and", the groups with ";": a duty that cannot be judged is never read as breached)."""


def _requirements(conditions: list[dict]) -> str:
    """`notice given by a party, to the other party and in writing`: the rule's noun once, then each condition."""
    sentences = [node["sentence"] for node in conditions]
    says = [node["says"] for node in conditions]
    first = sentences[0]
    return join([first, *says[1:]]) if first.endswith(says[0]) else join(sentences)


def _failed(nodes: list[dict]) -> Iterator[dict]:
    """The deepest conditions that failed or are unknown, in order (not those behind a fact a condition read:
    the condition is the reason, the fact's own reasons are its grounds)."""
    for node in nodes:
        if "sentence" in node and node["holds"] is not True:
            deeper = list(_failed([child for child in node["because"] if "sentence" in child and not child.get("aside")]))
            if deeper:
                yield from deeper
            else:
                yield node
        elif node.get("kind") != "attempt":  # (an act that did not take effect is said beside the answer)
            yield from _failed(node["because"])


def _with_facts(node: dict) -> str:
    """A failed condition with the facts that fail it, each with its paragraph where it is not the rule's."""
    says = [fact["says"] for fact in node["facts"]]
    facts = [fact["says"] + (f" ({fact['paragraph']})" if fact.get("paragraph") else "") for fact in node["facts"]]
    grounds = [_ground(child) for child in node.get("because", ())
               if "sentence" not in child and child.get("paragraph") and child["says"] not in says]
    if grounds and facts and ", as " not in facts[0]:  # (a fact that says why itself needs no ground)
        facts = [f"{facts[0]}, as {join(grounds)}", *facts[1:]]
    sentence = node["sentence"] + (f" ({node['within']})" if node.get("within") else "")
    if node.get("read_as"):  # it failed on a reading set for the case, not the default: say so where it is decided
        sentence += f", as this case reads it ({join(node['read_as'])}, as set; see Assumed)"
    return f"{join(facts)}, and {sentence}" if facts else sentence


def _ground(node: dict) -> str:
    """Why a fact a condition read holds, in one phrase: the fact that failed the rule behind it where one did
    ("no signature of IOM had counted by then (IX.1)", not "the MoU had not entered into force"), else the fact."""
    failed = [child for child in _failed(node.get("because", ())) if child.get("facts")]
    if failed:
        fact = failed[0]["facts"][0]
        return f"{fact['says']} ({fact.get('paragraph') or failed[0]['paragraph']})"
    return f"{node['says']} ({node['paragraph']})"

