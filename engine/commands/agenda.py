"""`mou agenda`: what falls due, takes effect or awaits action, and when; as text, JSON or a calendar file.

Stage: cli. Imports `common`; the library (`mou.tools.calendar`, which builds on `mou.answers.agenda`)
is imported when the command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..tools.command import finish
from ..tools.outputs import is_stdout
from .common import DONE_CODES, clause_options, echo, engine, examples, override_options, protect, width

FORMATS = ("text", "json", "ics")


@click.command(epilog=examples(DONE_CODES, "mou agenda scenarios/agenda-desk-december-2026.yaml --days 120",
                               "mou agenda FILE --on 2027-01-01 --format ics -o agenda.ics",
                               "mou agenda log.yaml --watch --on today"))
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--on", default=None, metavar="DATE", help="the first day (default: the scenario's as_of; or `today`)")
@click.option("--days", type=click.IntRange(0, 36_525), default=90, show_default=True, help="how many days ahead")
@click.option("--watch", "watching", is_flag=True, help="re-read PATH when it changes and print what changed")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="write here, not to stdout")
@override_options
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True,
              help="text for people, json for programs, ics for a calendar program")
@clause_options
def agenda(path: Path, on: str | None, days: int, watching: bool, output: Path | None, interpret: tuple[str, ...],
           settings: tuple[str, ...], fmt: str, backend: str, clauses: Path | None) -> None:
    """What falls due, takes effect or awaits action from a day on, and when (--format ics: a calendar file).

    With --watch, PATH is read again whenever it changes (an event log that
    grows) and what changed in the agenda is printed (JSON: one line a
    change), until Ctrl-C.
    """
    from ..scenario.command_line import overrides
    from ..tools.calendar import run_agenda

    def run() -> int:
        protect([output], [path], clauses)
        target = None if is_stdout(output) else output
        with engine(clauses, backend) as mou:
            readings = overrides(mou.reader, interpret, settings)
            return run_agenda(mou, path, on, days, watching, readings, fmt, echo, target, width())

    sys.exit(finish(run, fmt))
