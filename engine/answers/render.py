"""Explanations for people: plain text for a terminal, Markdown for a memo.

Stage: answers. Imports only the standard library: it reads the JSON-ready
explanation (`explain.explanation`) and writes lines.

The text starts with the summary, then the decisive reasons in plain words,
the paragraphs as in force, the choices that mattered with their authority,
the missing facts with what each would decide, and what would change the
answer; `full=True` adds the whole trace. Lines wrap to a width, and
`for_encoding` replaces the few non-ASCII marks (✓ ✗ → “ ” …) where the
output cannot encode them.
"""

from __future__ import annotations

import textwrap
from typing import Any, Iterable

MARKS = {True: "✓", False: "✗", "unknown": "?"}
ASCII = {"✓": "+", "✗": "x", "→": "->", "“": '"', "”": '"', "…": "...", "—": "--", "–": "-", "’": "'",
         "‘": "'", "§": "s.", "×": "x", "≥": ">=", "≤": "<="}


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


def answers_shown(answers: list[dict]) -> list[str]:
    """The answers each value of a missing fact would give; for lists, only the items that differ."""
    values = [a["answer"] for a in answers]
    common: list = []
    if values and all(isinstance(v, list) for v in values):
        common = [item for item in values[0] if all(item in other for other in values[1:])]
    lines = []
    for answer in answers:
        value = f"{answer['value']} {answer['range']}" if answer.get("range") else plain(answer["value"])
        shown = answer["answer"]
        if common:
            shown = [item for item in shown if item not in common] or shown
        lines.append(f"if {value}: {plain(shown)}")
    return lines


class _Writer:
    def __init__(self, indent: str, width: int):
        self.indent = indent
        self.width = max(width, 40)
        self.lines: list[str] = []

    def say(self, text: str, level: int = 0, hanging: str = "") -> None:
        prefix = self.indent + "  " * level
        wrapped = textwrap.wrap(text, width=self.width - len(prefix), break_on_hyphens=False,
                                break_long_words=False, subsequent_indent=" " * len(hanging)) or [""]
        self.lines.extend(prefix + line for line in wrapped)


def render_text(explained: dict, indent: str = "  ", width: int = 100, full: bool = False) -> list[str]:
    """The explanation as lines of plain text (no trailing newlines)."""
    out = _Writer(indent, width)
    out.say(explained["summary"].rstrip(".") + ".")
    if explained.get("reasons"):
        out.say("Why:")
        for node in explained["reasons"]:
            _reason(out, node, 1)
    for item in explained.get("missing", ()):
        out.say(f"Missing: {item['says']}", 0, "Missing: ")
        for line in answers_shown(item.get("answers", [])):
            out.say(f"- {line}", 1, "- ")
    for item in explained.get("unneeded", ()):
        out.say(f"Not stated, and it does not matter: {item['says']}", 0, "Not stated: ")
    amended = [p for p in explained.get("paragraphs", ()) if p.get("amended_by")]
    for paragraph in explained.get("paragraphs", ()):
        label = " (as in force)" if paragraph in amended else ""
        out.say(f"{paragraph['id']}{label} “{paragraph['text']}”", 0, "    ")
    mattered = [c for c in explained.get("choices", ()) if c.get("matters")]
    for choice in mattered:
        default = "the default" if choice["default"] else "not the default"
        out.say(f"Choice that matters: {choice['name']} = {plain(choice['value'])} ({default}; {choice['source']})",
                0, "Choice: ")
    if explained.get("counterfactuals"):
        out.say("What would change the answer:")
        for flip in explained["counterfactuals"]:
            out.say(f"- {flip['says']}", 1, "- ")
        if explained.get("search", {}).get("cut_short"):
            out.say("(the search for changes was cut short; there may be more)", 1)
    for note in explained.get("notes", ()):
        out.say(f"Note: {note}", 0, "Note: ")
    if full:
        out.lines.extend(steps_text(explained.get("steps", ()), indent))
    return out.lines


STATUS_MARKS = {"fulfilled": "✓", "excused": "✓", "violated": "✗", "unknown": "?"}


def _mark(node: dict) -> str:
    """✓ ✗ ? for a condition or a duty's status; a bullet for a fact."""
    if "status" in node:
        return STATUS_MARKS.get(node["status"], "•")
    return MARKS.get(node.get("holds"), "•") if "sentence" in node else "•"


def _line(node: dict) -> str:
    """A reason as one line: its sentence (or what it says), where, and the facts it rests on."""
    sentence = node.get("sentence") or node.get("says", "")
    if node.get("why"):
        sentence = f"{sentence}: {node['why']}"
    facts = [fact["says"] for fact in node.get("facts", ()) if fact["says"] != sentence]
    where = f" ({node['paragraph']})" if node.get("paragraph") and node["paragraph"] not in sentence else ""
    return f"{_mark(node)} {sentence}{where}" + (f": {'; '.join(facts)}" if facts else "")


def reason_line(node: dict) -> tuple[str, str]:
    """A reason's mark (✓ ✗ ? •) and its line without the mark, as the text and Markdown show them."""
    line = _line(node)
    mark = _mark(node)
    return mark, line[len(mark) + 1:]


def _reason(out: _Writer, node: dict, level: int) -> None:
    out.say(_line(node), level, "  ")
    for child in node.get("because", ()):
        _reason(out, child, level + 1)


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


def render_markdown(asked: str, answer: Any, explained: dict, level: int = 3) -> list[str]:
    """One memo section for one answer: heading, summary, reasons, text, choices, missing, what would change it."""
    lines = [f"{'#' * level} {asked}: {plain(answer)}", "", explained["summary"].rstrip(".") + ".", ""]
    if explained.get("reasons"):
        lines += ["**Reasons**", ""]
        for node in explained["reasons"]:
            lines.extend(_markdown_reason(node, 0))
        lines.append("")
    if explained.get("paragraphs"):
        lines += ["**The text as in force**", ""]
        for paragraph in explained["paragraphs"]:
            lines += [f"> **{paragraph['id']}** {paragraph['text']}", ">"]
        lines[-1] = ""
    mattered = [c for c in explained.get("choices", ()) if c.get("matters")]
    if mattered:
        lines += ["**Interpretive choices that matter**", ""]
        lines += [f"- `{c['name']}` = {plain(c['value'])} ({'default' if c['default'] else 'not the default'}): "
                  f"{c['source']}" for c in mattered]
        lines.append("")
    if explained.get("missing"):
        lines += ["**Facts not given that decide it**", ""]
        for item in explained["missing"]:
            lines.append(f"- {item['says']}")
            lines.extend(f"  - {line}" for line in answers_shown(item.get("answers", [])))
        lines.append("")
    if explained.get("unneeded"):
        lines += ["**Facts not given that do not matter**", ""]
        lines += [f"- {item['says']}" for item in explained["unneeded"]]
        lines.append("")
    if explained.get("counterfactuals"):
        lines += ["**What would change the answer**", ""]
        lines += [f"- {flip['says']}" for flip in explained["counterfactuals"]]
        lines.append("")
    for note in explained.get("notes", ()):
        lines += [f"*Note:* {note}", ""]
    return lines


def _markdown_reason(node: dict, level: int) -> list[str]:
    lines = ["  " * level + f"- {_line(node)}"]
    for child in node.get("because", ()):
        lines.extend(_markdown_reason(child, level + 1))
    return lines


def for_encoding(text: str, encoding: str | None) -> str:
    """The text, with marks the encoding cannot write replaced by ASCII (and anything else escaped)."""
    if not encoding:
        return text
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        pass
    for mark, replacement in ASCII.items():
        text = text.replace(mark, replacement)
    try:
        return text.encode(encoding, errors="backslashreplace").decode(encoding)
    except LookupError:
        return text.encode("ascii", errors="backslashreplace").decode("ascii")
