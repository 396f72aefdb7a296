"""Report pages: one self-contained HTML file (or a Markdown memo) a legal officer opens and attaches.

Stage: tools. May import: everything below it, including the public API
(`mou.api`), and Jinja2 for the templates in `templates/` (package data).
Every page carries the decision record of `mou.answers.record`.

- `timeline`: the case's timeline as data, from the rule set and the replay;
- `axis` and `svg`: the timeline drawn as inline SVG (and `charts`: a
  sweep's answers plotted against the value varied);
- `readings`: everything the page shows, computed ahead for each reading
  it embeds, so that switching readings needs no server;
- `page`: the HTML page (Jinja2, autoescaped) and the Markdown memo;
- `pages`: the `--html` pages of `mou robust` and `mou sweep`.

`report_text(engine, scenario, …)` is what `mou report` writes. Its agenda
section holds what `mou agenda` gives (`mou.answers.agenda`) from the
scenario's `as_of` (else the report's date), for 90 days, in SCENARIOS.md's
`mou agenda` item shape (`{date, kind, paragraph, party, event, says}`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ...errors import Location, MouError


def parse_day(text: str | None) -> date | None:
    """`--date YYYY-MM-DD` (None when not given); a bad date is a MouError on the command line."""
    if text is None:
        return None
    from ...dates import DateError, parse_date

    try:
        return parse_date(text)
    except DateError as error:
        raise MouError.at(Location("<command line>"), f"--date: {error}") from None


def report_text(engine: Any, scenario: Any, fmt: str = "html", choices: dict | None = None,
                parameters: dict | None = None, today: date | None = None,
                agenda: list[dict] | None = None) -> str:
    """The report of a scenario as HTML (one self-contained page) or Markdown (a memo).

    `agenda`: the items of its agenda section; by default, the scenario's own
    agenda (`agenda_items`). An empty list leaves the section out.
    """
    from .page import html, markdown
    from .readings import build

    window = ""
    if agenda is None:
        agenda, window = agenda_items(engine, scenario, choices, parameters, scenario.as_of or today or date.today())
    report = build(engine, scenario, choices, parameters, today, agenda)
    report.agenda_window = window
    return html(report) if fmt == "html" else "\n".join(markdown(report))


def agenda_items(engine: Any, scenario: Any, choices: dict | None, parameters: dict | None,
                 on: date) -> tuple[list[dict], str]:
    """The scenario's agenda from `on`, as `mou agenda` gives it: its items as JSON, and the days it covers."""
    from ...answers.agenda import DEFAULT_DAYS, agenda

    found = agenda(engine.case(scenario, choices or {}, parameters or {}), on, DEFAULT_DAYS)
    return [item.to_json() for item in found.items], f"from {found.on} to {found.until}"


def write_page(output: Any, text: str, echo: Any) -> None:
    """A page or memo: to the path `output` (written whole under another name, then renamed), else by `echo`."""
    if output is None or str(output) == "-":
        echo(text.rstrip("\n"))
        return
    import sys

    from ..outputs import atomic_output

    with atomic_output(output) as out:
        out.write(text)
    print(f"written to {output}", file=sys.stderr)
