"""Report pages written out: one self-contained HTML file, or the same content as a Markdown memo.

Stage: tools (report pages). Imports `readings`, answers' `render`, and
Jinja2 (templates in `templates/`, package data).

Templates are rendered with autoescaping on, so every text of a scenario
(title, description, free-text fields, ids) is escaped wherever it lands;
the only markup inserted as is is the SVG of `svg`, which ElementTree has
escaped itself. The data the page's script reads is embedded with Jinja's
`tojson`, which escapes `<`, `>`, `&` and quotes, so it cannot close its
`<script>` element. The stylesheet and script are inline, and a Content
Security Policy forbids every fetch: the page works from a file, offline and
as an e-mail attachment.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ...answers.render import answers_shown, plain, reason_line, render_markdown, steps_text
from .readings import Report, shown, value_key

TEMPLATES = Path(__file__).resolve().parent / "templates"
AMENDED = re.compile(r"(\[as amended by [^\]]*\])")


def amended_parts(text: str) -> list[tuple[str, bool]]:
    """A paragraph's text in pieces: (text, True) for each `[as amended by …]` mark, (text, False) between."""
    return [(piece, bool(AMENDED.fullmatch(piece))) for piece in AMENDED.split(text) if piece]


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment of the report templates (autoescaping on, undefined names are errors)."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals.update(plain=plain, shown=shown, value_key=value_key, reason_line=reason_line,
                       answers_shown=answers_shown, amended_parts=amended_parts, steps_text=steps_text,
                       value_class=value_class)
    return env


def value_class(value: Any) -> str:
    """The CSS class of an answer's value: true, false, unknown or other."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value == "unknown":
        return "unknown"
    return "other"


def html(report: Report) -> str:
    """The report as one HTML document (text)."""
    return environment().get_template("report.html.j2").render(report=report, data=report.script_data(),
                                                                coverage=_coverage(report))


def page(template: str, **values: Any) -> str:
    """Another page of the same kind (`robust.html.j2`, `sweep.html.j2`), from its template."""
    return environment().get_template(template).render(**values)


def markdown(report: Report) -> list[str]:
    """The same content as a memo: the record, the timeline in words, every answer, the other readings."""
    lines = [f"# {report.title}", ""]
    if report.description:
        lines += [report.description, ""]
    record = report.record
    lines += [f"- **Scenario file:** {report.file}", f"- **Report date:** {report.date}"]
    if report.as_of:
        lines.append(f"- **As of:** {report.as_of}")
    lines += [f"- **Agreement:** {report.agreement} (`{record['agreement']}`)",
              f"- **mou:** {record['mou']}; clause files SHA-256 `{record['clauses_sha256']}`",
              "- **Reading:** " + (", ".join(f"{k} = {shown(v)}" for k, v in record["interpretation"].items())
                                   or "every choice at its default"), ""]
    if report.parameters:
        lines[-1:] = ["- **Parameters:** " + ", ".join(f"{k} = {plain(v)}" for k, v in report.parameters.items()),
                      ""]
    written = report.written
    lines += ["## Timeline", ""]
    lines += [f"- {day}: {text}" for day, text in report.pictures[written.picture][1]]
    lines += ["", "## Answers", ""]
    said: set[str] = set()  # what an earlier section said (a paragraph quoted, a reading assumed): not again
    for answer in written.answers:
        lines.extend(render_markdown(answer.asked, answer.answer, answer.explanation, said=said))
    lines += ["## Other readings", ""]
    lines.append(_coverage(report))
    lines.append("")
    for reading in report.readings[1:]:
        changed = [a for a in reading.answers if a.changed]
        lines.append(f"- **{reading.label}**: " + ("; ".join(
            f"{a.asked}: {a.text} (as written: {a.written})" for a in changed) if changed else "no answer changes"))
    lines += ["", "## Under every reading", ""]
    lines.extend(robust_lines(report.robust))
    if report.agenda:
        lines += ["", "## Agenda", ""]
        if report.agenda_window:
            lines += [f"What falls due, takes effect or awaits action {report.agenda_window}.", ""]
        lines.extend(f"- {item.get('date')}: {item.get('says')} ({item.get('paragraph')})" for item in report.agenda)
    lines.append("")
    return lines


def robust_lines(results: Iterable[Any]) -> list[str]:
    """Which answers hold under every reading, and what the others depend on (Markdown list items)."""
    lines = []
    for item in results:
        data = item.to_json()
        asked = " ".join([data["ask"], *(f"{k}={v}" for k, v in data["args"].items())])
        if data["robust"]:
            lines.append(f"- `{asked}`: {plain(data['answer'])} under every reading")
            continue
        lines.append(f"- `{asked}` depends on {', '.join(data['depends_on'])}:")
        for case in data["cases"]:
            when = ", ".join(f"{n} = {shown(v)}" for n, v in case["when"].items())
            lines.append(f"  - {when}: {plain(case['answer'])}")
    return lines


def _coverage(report: Report) -> str:
    if report.complete:
        return f"All {report.total} readings of the choices are embedded in full."
    return (f"The choices give {report.total} readings. Embedded in full: the reading as written and every "
            f"single-choice flip ({len(report.readings) - 1}); the answers alone under every combination.")
