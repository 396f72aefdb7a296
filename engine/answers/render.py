"""Explanations for people: plain text for a terminal, Markdown for a memo.

Stage: answers. Imports only the standard library: it reads the JSON-ready
explanation (`explain.explanation`) and writes lines.

The text starts with the summary (the answer and its decisive reason), then
the decisive reasons in plain words, what was assumed (defaults and choices
that decided it, with how to state otherwise), the missing facts with what
each would decide, what would change the answer, and the paragraphs as in
force; `full=True` adds the whole trace. The memo (`render_markdown`) says
the same in prose, a section a question, about a page each. Lines wrap to a width
(`encoding.for_encoding` makes them writable where the output cannot encode their marks).
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any, Iterable

MARKS = {True: "✓", False: "✗", "unknown": "?"}


def plain(value: Any) -> str:
    """A JSON value in plain words: true, false, none, or the value (a record: its values, e.g. `VII ECO active`)."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "none"
    if isinstance(value, list):
        return "; ".join(plain(v) for v in value) if value else "none"
    if isinstance(value, dict):
        return " ".join(plain(v) for v in value.values() if v is not None)
    return str(value)


DUTY_RECORD = {"paragraph", "bearer", "event", "status"}

STATUS_SAID = {"active": "owed and not yet breached", "fulfilled": "met", "excused": "excused", "violated": "breached",
               "lapsed": "lapsed", "unknown": "not known", "not_triggered": "not arisen"}


def record_words(item: Any, words: dict[str, str] | None = None) -> str:
    """An item of a list answer in words: a duty instance as "ECO's duty under II.1 concerning m1: breached"."""
    if isinstance(item, dict) and DUTY_RECORD <= set(item):
        about = f" concerning {item['event']}" if item.get("event") else ""
        return f"{item['bearer']}'s duty under {item['paragraph']}{about}: {status_said(item, words)}"
    return plain(item)


def status_said(item: dict, words: dict[str, str] | None = None) -> str:
    """A duty instance's status in words: its duty's own (`statuses:`, by "PARAGRAPH STATUS": a best-efforts
    duty's "not shown to be met"), else the engine's ("breached")."""
    return (words or {}).get(f"{item['paragraph']} {item['status']}") or STATUS_SAID.get(item["status"],
                                                                                         item["status"])


def statuses_of(ruleset: Any) -> dict[str, str]:
    """The statuses duties word themselves, by "PARAGRAPH STATUS" (a duty instance's record names its paragraph)."""
    return {f"{duty.paragraph} {status}": said for duty in ruleset.duties.values() for status, said in duty.statuses}


def list_words(items: list, words: dict[str, str] | None = None) -> str:
    """A list answer in words, its items joined: "none" when empty."""
    return "; ".join(record_words(item, words) for item in items) if items else "none"


def _instance(item: Any) -> Any:
    """A list item's identity: a duty instance's (paragraph, bearer, event), whatever its status."""
    return (item.get("paragraph"), item.get("bearer"), item.get("event")) if isinstance(item, dict) else item


def answers_shown(answers: list[dict], words: dict[str, str] | None = None) -> list[str]:
    """The answers each value of a missing fact would give; for lists, only the items that differ."""
    values = [a["answer"] for a in answers]
    # The items every value gives are left out only where each value gives the same duties, their statuses
    # differing; where the duties differ, a part would read as the whole answer, so each is shown whole.
    common: list = []
    if values and all(isinstance(v, list) for v in values) and \
            len({frozenset(_instance(item) for item in v) for v in values}) == 1:
        common = [item for item in values[0] if all(item in other for other in values[1:])]
    lines = []
    for answer in answers:
        value = f"{answer['value']} {answer['range']}" if answer.get("range") else plain(answer["value"])
        value = {"true": "so", "false": "not"}.get(value, value)  # a yes-or-no fact: "if so", "if not"
        if answer.get("state"):
            value = f"{value} ({answer['state']})"
        shown = answer["answer"]
        if answer.get("says") and not common:
            listed = f": {list_words(shown, words)}" if isinstance(shown, list) and shown else ""
            lines.append(f"if {value}: {answer['says']}{listed}")
            continue
        if common:
            shown = [item for item in shown if item not in common] or shown
        lines.append(f"if {value}: {list_words(shown, words) if isinstance(shown, list) else plain(shown)}")
    return lines


_CODE = re.compile(r"`[^`]*`")
_KEEP = "\u00a0"  # textwrap breaks lines at ASCII whitespace only


def wrap(text: str, width: int, **options: Any) -> list[str]:
    """`textwrap.wrap`, never breaking inside a code span (`notice_runs_from: dispatch`) nor at hyphens."""
    kept = _CODE.sub(lambda match: match.group(0).replace(" ", _KEEP), text)
    lines = textwrap.wrap(kept, width=width, break_on_hyphens=False, break_long_words=False, **options)
    return [line.replace(_KEEP, " ") for line in lines]


class _Writer:
    def __init__(self, indent: str, width: int):
        self.indent = indent
        self.width = max(width, 40)
        self.lines: list[str] = []
        self.cited: set[str] = set()  # choices whose authority a reason already cited in full

    def say(self, text: str, level: int = 0, hanging: str = "") -> None:
        prefix = self.indent + "  " * level
        wrapped = wrap(text, self.width - len(prefix), subsequent_indent=" " * len(hanging)) or [""]
        self.lines.extend(prefix + line for line in wrapped)


def render_text(explained: dict, indent: str = "  ", width: int = 100, full: bool = False) -> list[str]:
    """The explanation as lines of plain text (no trailing newlines), in the order a memo takes.

    The summary (the answer and its decisive reason), why, what was
    assumed, what is missing and what each value would decide, what would
    change the answer, the facts not stated that do not matter, the text as
    in force, notes; `full` adds the whole trace.
    """
    out = _Writer(indent, width)
    out.say(sentence(explained["summary"]))
    if explained.get("reasons"):
        out.say("Why:")
        said: set[str] = set()
        for node in explained["reasons"]:
            if _line(node) not in said:  # one duty both parties owe, worded for both: once
                said.add(_line(node))
                _reason(out, node, 1)
    assumed = explained.get("assumed", ())
    if assumed:
        out.say("Assumed:")
        for item in assumed:
            out.say(f"- {item['says']}; {item['how_to_state']}" if item.get("event") or item.get("implied")
                    else f"- {item['says']}", 1, "- ")
    for item in explained.get("missing", ()):
        out.say(f"Missing: {item['says']}", 0, "Missing: ")
        for line in answers_shown(item.get("answers", []), explained.get("statuses")):
            out.say(f"- {line}", 1, "- ")
    if explained.get("established"):
        out.say("Established: " + "; ".join(explained["established"]), 0, "Established: ")
    if explained.get("counterfactuals"):
        out.say("What would change the answer:")
        for says in changes_said(explained["counterfactuals"]):
            out.say(f"- {says}", 1, "- ")
        if explained.get("search", {}).get("cut_short"):
            out.say("(there may be other such changes: not every combination was tried)", 1)
    if explained.get("unneeded"):
        out.say("Not stated, and it does not matter:")
        for item in explained["unneeded"]:
            out.say(f"- {item['says']}", 1, "- ")
    amended = [p for p in explained.get("paragraphs", ()) if p.get("amended_by")]
    if unquoted(explained):
        out.say(f"The paragraphs concerned: {', '.join(p['id'] for p in explained['paragraphs'])} (no reason rests on "
                "one of them, so none is quoted).", 0, "    ")
    for paragraph in () if unquoted(explained) else explained.get("paragraphs", ()):
        label = " (as in force)" if paragraph in amended else ""
        out.say(f"{paragraph['id']}{label} “{paragraph['text']}”", 0, "    ")
    for note in explained.get("notes", ()):
        out.say(f"Note: {note}", 0, "Note: ")
    if full:
        out.lines.extend(steps_text(explained.get("steps", ()), indent))
    return out.lines


def unquoted(explained: dict) -> bool:
    """Whether the paragraphs are only named: no reason rests on them, and they are more than a couple (every
    paragraph with a duty, for a list of duties that is empty)."""
    return not explained.get("reasons") and len(explained.get("paragraphs", ())) > 2


def sentence(text: str) -> str:
    """A summary as a sentence: its first letter capital, one full stop."""
    text = text.rstrip(".")
    first = text.split(" ", 1)[0]
    if first.isalpha() and first.islower():  # never an id (n1, m1), which the reader must find as written
        text = text[:1].upper() + text[1:]
    return text + "." if text else ""


STATUS_MARKS = {"fulfilled": "✓", "excused": "✓", "violated": "✗", "unknown": "?"}


def _mark(node: dict) -> str:
    """✓ ✗ ? for a condition or a duty's status; a bullet for a fact."""
    if "status" in node:
        return STATUS_MARKS.get(node["status"], "•")
    return MARKS.get(node.get("holds"), "•") if "sentence" in node else "•"


def _line(node: dict, seen: set[str] | None = None, inherited: str = "") -> str:
    """A reason as one line: its sentence (or what it says), where, and the facts it rests on. `inherited`: the
    choice the reason above it was cited to, which its conditions are not cited to again."""
    sentence = node.get("sentence") or node.get("says", "")
    if node.get("why"):
        sentence = f"{sentence}: {node['why']}"
    facts = [fact["says"] + (f" ({fact['paragraph']})" if fact.get("paragraph") else "")
             for fact in node.get("facts", ()) if fact["says"] != sentence and not fact.get("named")]
    shown = node.get("within") or node.get("paragraph")
    choice = (node.get("authority") or {}).get("choice")
    if choice and not node.get("within") and (choice == inherited or f"`{choice}`" in sentence):
        shown = ""  # cited to the choice just above, or naming it itself
    where = f" ({cited(node, seen)})" if shown and shown not in sentence else ""
    if node.get("read_as"):  # it failed on a reading the case sets, not the default: said as the case's reading
        where += f", as this case reads it ({', '.join(node['read_as'])})"
    return f"{_mark(node)} {sentence}{where}" + (f": {'; '.join(facts)}" if facts else "")


def cited(node: dict, seen: set[str] | None = None, brief: bool = False) -> str:
    """Where a reason comes from: its paragraph, or for a rule that exists by an interpretive choice, the choice
    and its authority (`notice_revocable`: …); once `seen` has the choice, the choice alone; `brief`: the choice
    and its authority without what the choice means (a memo's condition that says it already)."""
    if node.get("within"):  # a condition on the rule's scope, from the paragraph that sets it
        return node["within"]
    authority = node.get("authority")
    if authority and seen is not None and authority["choice"] in seen:
        return f"`{authority['choice']}`"
    if authority:
        if seen is not None:
            seen.add(authority["choice"])
        means = f"{authority['means']}: " if authority.get("means") and not brief else ""
        if authority.get("default") is False:  # the source argues for the default: a reading set is the case's own
            value = {True: "true", False: "false"}.get(authority["value"], authority["value"])
            return f"{means}`{authority['choice']}: {value}`, as set for this case"
        return f"{means}`{authority['choice']}`, {authority['source']}"
    return node.get("paragraph") or ""


def reason_line(node: dict) -> tuple[str, str]:
    """A reason's mark (✓ ✗ ? •) and its line without the mark, as the text and Markdown show them."""
    line = _line(node)
    mark = _mark(node)
    return mark, line[len(mark) + 1:]


def _reason(out: _Writer, node: dict, level: int, inherited: str = "") -> None:
    out.say(_line(node, out.cited, inherited), level, "  ")
    for child in node.get("because", ()):
        _reason(out, child, level + 1, (node.get("authority") or {}).get("choice", ""))


def steps_text(steps: Iterable[dict], indent: str) -> list[str]:
    """The full trace, one firing a paragraph, every condition with its facts (for `--trace`)."""
    lines = [f"{indent}Trace:"]
    for step in steps:
        subject = f" ({step['event']})" if step["event"] else ""
        outcome = {True: "applies", False: "does not apply", "unknown": "may apply"}.get(step["outcome"], "")
        lines.append(f"{indent}  {step['date']}  {step['paragraph']} {step['rule']}{subject}: {outcome}")
        for condition in step["conditions"]:
            mark = MARKS.get(condition["holds"], "?")
            facts = ", ".join(f"{k} = {plain(v)}" for k, v in condition["facts"].items())
            lines.append(f"{indent}      {mark} {condition['says']}" + (f"  [{facts}]" if facts else ""))
        if step["concluded"]:
            lines.append(f"{indent}      → " + ", ".join(f"{k} = {plain(v)}" for k, v in step["concluded"].items()))
        if step.get("error"):
            lines.append(f"{indent}      error: {step['error']}")
    return lines


ANSWER_WORDS = {True: "Yes", False: "No", "unknown": "Unknown"}


def render_markdown(asked: str, answer: Any, explained: dict, level: int = 3, width: int = 100,
                    said: set[str] | None = None) -> list[str]:
    """One memo section for one answer, about a page: the question in words as its heading, the answer and its
    decisive reason, then why, what was assumed, what would change it, and the text as in force.

    `asked` is the question as typed, used only where the explanation has no
    question in words. `said`: what earlier sections of the same memo already
    said (paragraphs quoted, assumptions, notes), which is not said again;
    updated.
    """
    said = set() if said is None else said
    heading = explained.get("asks") or asked
    lines = [f"{'#' * level} {heading}", ""]
    word = answer_word(explained, answer)
    summary = sentence(explained["summary"])
    answer_said = sentence(explained.get("answer_says") or "").rstrip(".")
    if not word and answer_said and summary.startswith(answer_said):  # the answer in bold, then its reason
        summary = f"**{answer_said}**{summary[len(answer_said):]}"
    lines += _wrapped((f"**{word}.** " if word else "") + summary, width)
    nodes, every = [], []
    for node in explained.get("reasons", ()):  # a reason whose grounds an earlier section gave: not twice
        grounds = json.dumps(node.get("because") or [], sort_keys=True, ensure_ascii=False)
        if node.get("because") and grounds in said:
            node = {**node, "because": []}
        every.append(node)
        background = f"background: {node['says']}"  # a fact of one line (the entry into force): once in a memo
        if node.get("brief") and background in said:
            continue
        said.update([background] if node.get("brief") else [])
        nodes.append(node)
    said.add(json.dumps(explained.get("reasons") or [], sort_keys=True, ensure_ascii=False))
    reasons = "; ".join(_memo_reasons(nodes, known=summary))
    whole = "; ".join(_memo_reasons(every, known=summary))  # with the background said before
    pieces = [piece.strip(" .") for piece in re.split(r"[;:] ", reasons)]
    if reasons and not all(piece in summary for piece in pieces):  # (a Why the answer's sentence says in full: once)
        lines += _item("Why", reasons if reasons not in said and whole not in said else "the same reasons as above",
                       width)
        said.update([reasons, whole])
    assumed = [item["says"] + (f"; {item['how_to_state']}" if item.get("event") else "")
               for item in explained.get("assumed", ())]
    if assumed:  # each a sentence of its own, as its parts are joined by semicolons (no parentheses in parentheses)
        fresh = [item for item in assumed if item not in said]
        said.update(assumed)
        again = len(assumed) - len(fresh)
        if again:
            fresh.append("what is assumed above")
        lines += _item("Assumed", ". ".join(item if at == 0 else item[:1].upper() + item[1:]
                                            for at, item in enumerate(fresh)), width)
    if explained.get("missing"):
        parts = []
        for item in explained["missing"]:
            shown = answers_shown(item.get("answers", []), explained.get("statuses"))
            parts.append(item["says"] + (f" ({'; '.join(shown)})" if shown else ""))
        open_ = answer == "unknown"  # an answer given whole, or a part of it the facts leave open
        lines += _item("What would decide it" if open_ else "What the facts leave open", "; ".join(parts), width)
    if explained.get("established"):
        lines += _item("Established", "; ".join(explained["established"]), width)
    if explained.get("counterfactuals"):
        short = " (there may be other such changes: not every combination was tried)" if (
            explained.get("search") or {}).get("cut_short") else ""
        lines += _item("What would change the answer", "; ".join(changes_said(explained["counterfactuals"])) + short,
                       width)
    if explained.get("unneeded"):
        lines += _item("Not stated, and it does not matter", "; ".join(item["says"] for item in explained["unneeded"]),
                       width)
    for note in explained.get("notes", ()):
        if note not in said:
            said.add(note)
            lines += _item("Note", note, width)
    if unquoted(explained):
        lines += _item("The paragraphs concerned", ", ".join(p["id"] for p in explained["paragraphs"]), width)
    lines.append("")
    for paragraph in () if unquoted(explained) else explained.get("paragraphs", ()):
        key = f"{paragraph['id']} “{paragraph['text']}”"
        if key in said:
            continue
        said.add(key)
        label = " (as in force)" if paragraph.get("amended_by") else ""
        lines += _wrapped(f"> **{paragraph['id']}**{label} “{paragraph['text']}”", width, "> ") + [""]
    return lines


def answer_word(explained: dict, answer: Any) -> str | None:
    """The answer in one word where a word answers the question ("Yes", "No", "Unknown", or the question's own
    verdict, such as "Not under V.3"); None where the summary's first words are the answer (a date, a state)."""
    return explained.get("verdict") or (ANSWER_WORDS.get(answer) if isinstance(answer, bool) or answer == "unknown"
                                        else None)


def question_line(explained: dict, answer: Any, asked: str, width: int = 100) -> list[str]:
    """The first line of an answer a person reads: the question in words and, where a word answers it, that word
    ("Is the MoU in force on 2020-11-12? Yes."); the question as typed only where the clauses give no words."""
    word = answer_word(explained, answer)
    return wrap(f"{explained.get('asks') or asked}" + (f" {word}." if word else ""), width, subsequent_indent="  ")


def changes_said(flips: list[dict]) -> list[str]:
    """The counterfactuals in words, those with one outcome said once: "if A, or if B: the MoU is not in force"."""
    outcomes: dict[str, list[str]] = {}
    for flip in flips:
        if "if" in flip and "then" in flip:
            outcomes.setdefault(flip["then"], []).append(flip["if"])
        else:
            outcomes.setdefault(flip["says"], [])
    said = []
    for outcome, conditions in outcomes.items():
        if not conditions:
            said.append(outcome)
        else:
            head = ", ".join(conditions[:-1]) + (", or " if len(conditions) > 1 else "") + conditions[-1]
            said.append(f"{head}: {conditional(outcome)}")
    return said


def conditional(outcome: str) -> str:
    """A counterfactual's outcome as what would follow, never as what happened: "the answer would be that ECO had
    to invite IOM to m1" (read alone, "ECO had to invite IOM to m1" is false). An outcome already worded in the
    conditional ("ECO's duty under II.1 would be breached") stands as it is."""
    return outcome if re.search(r"\bwould\b", outcome) else f"the answer would be that {outcome}"


def _item(label: str, text: str, width: int) -> list[str]:
    """One part of a memo section, as a list item: `- *Why:* …`, wrapped."""
    return wrap(f"- *{label}:* {text.rstrip('.')}.", width, subsequent_indent="  ")


def _memo_reasons(nodes: Iterable[dict], depth: int = 0, within: str = "", known: str = "") -> list[str]:
    """Reasons in a memo's prose; conditions of one rule that held read as one requirement ("notice given by a
    party, to the other party and in writing (IX.3)"), followed by the facts of the case that met them which
    the answer's sentence (`known`) does not already give ("the notice n1 was given by letter")."""
    result: list[str] = []
    run: list[dict] = []

    def flush() -> None:
        if run:
            first = run[0].get("sentence") or run[0]["says"]
            first = first[len("that "):] if first.startswith("that ") else first
            text = ", ".join([first, *(node["says"] for node in run[1:])])
            where = cited(run[0], brief=True)
            text = f"{text} ({where})" if where and where != within else text
            every = [fact for node in run for fact in node.get("facts", ())
                     if fact.get("value") != "unknown" and not fact.get("named")]
            # the facts that met the conditions that the answer's sentence does not give; where it gives them
            # all, the agreement's state that met them ("the MoU was in force on 2016-02-01"), never a bare rule
            facts = list(dict.fromkeys(fact["says"] for fact in every if _telling(fact, known)))
            if facts:  # then each condition's own fact, a yes-or-no too: one fact never stands for three conditions
                facts = list(dict.fromkeys(fact["says"] for fact in every if _telling(fact, known) or (
                    fact.get("event") and isinstance(fact.get("value"), bool) and fact["says"] not in known)))
            facts = facts or [fact["says"] for fact in every if not fact.get("event") and fact["says"] not in known][:1]
            result.append(f"{text}: {'; '.join(facts)}" if facts else text)
            run.clear()

    seen: set[str] = set()
    for node in nodes:
        if node.get("says") in seen and "status" in node:
            continue  # one duty both parties owe, worded for both: once
        seen.add(node.get("says"))
        if "sentence" in node and node.get("holds") is True and not node.get("because") and \
                (not run or cited(run[0]) == cited(node)):
            run.append(node)
            continue
        flush()
        if "sentence" in node and node.get("holds") is True and not node.get("because"):
            run.append(node)
        else:
            result.append(_memo_reason(node, depth, within, known))
    flush()
    return result


def _telling(fact: dict, known: str) -> bool:
    """A fact of the scenario a memo's reasons give beside the conditions it met: a field an event states (or takes
    by default) whose value the answer's sentence does not already say."""
    value = fact.get("value")
    if fact.get("event") and "`" in fact["says"] and fact["says"] not in known:
        return True  # a fact the case reads so by a choice it names (an oral proposal read as curable)
    if not fact.get("event") or not fact.get("field") or not isinstance(value, (str, list)) or not value or \
            value == "unknown":  # (a fact not stated is said where it is missing, not as a reason)
        return False
    shown = value if isinstance(value, list) else [value]
    return fact["says"] not in known and not all(
        isinstance(item, str) and re.search(rf"(?<!\w){re.escape(item)}(?!\w)", known) for item in shown)


def _memo_reason(node: dict, depth: int = 0, within: str = "", known: str = "") -> str:
    """A reason in a memo's prose: what it says, where from, and the conditions or facts behind it."""
    mark = node.get("holds")
    text = node.get("sentence") if mark is False or mark == "unknown" else None
    text = text or node.get("says", "")
    if node.get("why"):
        text = f"{text}: {node['why']}"
    where = cited(node)
    if where and where not in text and where != within:
        text = f"{text} ({where})"
    if node.get("read_as") and mark is False:
        text = f"{text}, as this case reads it ({', '.join(node['read_as'])})"
    facts = [fact["says"] for fact in node.get("facts", ()) if fact["says"] not in text and not fact.get("named")]
    if facts and (mark is False or mark == "unknown"):  # a condition that failed: the fact that made it fail
        text = f"{text}: {'; '.join(facts)}"
    elif depth and any("`" in fact["says"] for fact in node.get("facts", ()) if fact.get("event")):
        text = f"{text}: {'; '.join(fact['says'] for fact in node['facts'] if _telling(fact, known))}"
    children = node.get("because", ()) if depth < 1 else ()  # a memo goes one level down; the text, all the way
    failed = [_memo_reason(child, depth + 1, where, known) for child in children if child.get("holds") is not True]
    if failed:
        text += ": " + "; ".join(failed)
    elif children and mark is not False:  # (what held behind a condition that failed is not why it failed)
        # behind a fact, the conditions that held say something only with the facts of the case that met them
        told = [child for child in children if "sentence" not in child or child.get("because")
                or any(_telling(fact, known) for fact in child.get("facts", ()))]
        if told:
            text += ": " + "; ".join(_memo_reasons(told, depth + 1, where, known))
    return text


def _wrapped(text: str, width: int, prefix: str = "") -> list[str]:
    """Markdown prose wrapped to `width` columns (a soft line break inside a paragraph changes nothing)."""
    body = text[len(prefix):] if prefix and text.startswith(prefix) else text
    return wrap(body, width, initial_indent=prefix, subsequent_indent=prefix) or [prefix.rstrip()]
