"""The `mou` command: a thin click layer over the `mou` library.

Each subcommand lives in `mou.commands` (one module per family); this file
gathers them into the `mou` group. A command parses its options, calls the
library, and prints: results on stdout, diagnostics on stderr. Every command
runs through `mou.tools.command.finish`, which gives each way a command can
end its exit code (the table is `EXIT_CODES`, printed by `mou --help`; the
README has the same).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from mou import collector
from mou.tools.command import closed_streams, quiet_interrupts

closed_streams()  # a closed stdout (exit 4 when written) or stderr (never a different exit code)
quiet_interrupts()  # before anything else loads: a Ctrl-C while it does ends quietly too
collector.untouched_at_exit()

with collector.paused():  # what the command loads lives as long as it: no garbage to look for (mou.collector)
    import click

    from mou.commands.agenda import agenda
    from mou.commands.analysis import robust, sweep, whatif
    from mou.commands.checking import check, test
    from mou.commands.common import SHIPPED_NOTE
    from mou.commands.examples import localize
    from mou.commands.questions import ask
    from mou.commands.report import report
    from mou.commands.serve import serve
    from mou.commands.texts import lint, schema, text
    from mou.tools.command import EXIT_CODES, OutputError, ended, terminable
    from mou.tools.terminal import escaped_output

    collector.keep()  # ... and is never walked: frozen, until a command's end (`collector.rarely`) thaws it


class _Mou(click.Group):
    """The command group: all it writes goes out with control characters escaped; Ctrl-C and a closed pipe
    outside a command end as inside one (130, 141)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("color", True)  # click would strip "\e[…m" off a pipe: escape it, never hide it
        with collector.rarely():
            if "_MOU_COMPLETE" in os.environ:  # the shell asks for completions: click writes them as bytes, for it
                return super().main(*args, **kwargs)
            with escaped_output():
                return super().main(*args, **kwargs)

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt as error:
            sys.exit(ended(error))

    def invoke(self, ctx: click.Context) -> object:
        try:
            with terminable():
                return super().invoke(ctx)
        except (KeyboardInterrupt, BrokenPipeError, OutputError) as error:
            sys.exit(ended(error))


@click.group(cls=_Mou, epilog=EXIT_CODES + "\n\n\b\nExample:\n  mou check my-case.yaml\n  mou check scenarios/\n"
                                 "  mou ask in_force --scenario scenarios/ix3-notice-valid.yaml --on 2020-11-13\n\n"
                                 + SHIPPED_NOTE)
@click.version_option(package_name="mou", message="mou %(version)s")
def main() -> None:
    """mou: the ECO–IOM Memorandum of Understanding as executable clauses.

    Answers questions about scenarios (timelines of events), with the
    paragraphs, facts, conditions and interpretive choices behind each answer.
    """


for command in (check, ask, text, whatif, robust, sweep, report, agenda, test, lint, schema, serve):
    main.add_command(localize(command))  # under --clauses, help gives that agreement's examples


if __name__ == "__main__":  # pragma: no cover
    main()
