"""`mou report`: one self-contained page a legal officer opens, or the same content as a memo.

Stage: cli. Imports `common`; the library (`mou.tools.report`) is imported
when the command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..tools.command import EXIT_OK, finish
from .common import DONE_CODES, clause_options, dated, echo, engine, examples, override_options, protect


@click.command(epilog=examples(DONE_CODES, "mou report scenarios/ix3-notice-valid.yaml -o report.html",
                               "mou report scenarios/ix3-notice-valid.yaml --format markdown > memo.md"))
@click.argument("path", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="write it here (default: stdout)")
@click.option("--format", "fmt", type=click.Choice(["html", "markdown"]), default="html", show_default=True,
              help="html: one self-contained page (works offline, prints on A4); markdown: the same for a memo")
@click.option("--date", "--on", "day", metavar="DATE", help="the report's date, YYYY-MM-DD or `today` (default: today)")
@override_options
@clause_options
def report(path: Path, output: Path | None, fmt: str, day: str | None, interpret: tuple[str, ...],
           settings: tuple[str, ...], backend: str, clauses: Path | None) -> None:
    """One page a legal officer opens: the timeline, every answer with its reasons, the readings switchable."""
    from ..scenario.command_line import overrides
    from ..tools.report import parse_day, report_text, write_page

    def run() -> int:
        protect([output], [path], clauses)
        when = parse_day(dated(day))
        with engine(clauses, backend) as mou:
            choices, parameters = overrides(mou.reader, interpret, settings)
            text = report_text(mou, mou.read(path), fmt, choices, parameters, when)
        write_page(output, text, echo)
        return EXIT_OK

    sys.exit(finish(run))
