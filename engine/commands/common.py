"""What the `mou` subcommands share: options, printing, the engine, the scenario files of PATHS.

Stage: cli. Imports `mou.tools.command`, `mou.errors` and the backends'
names; the engine and the rest of the library are imported when a command
runs.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import click

from .. import collector, jsontext
from ..answers.encoding import for_encoding
from ..errors import Location, MouError
from ..evaluation import BACKENDS, DEFAULT_BACKEND
from ..tools.command import EXIT_CODES, writing
from ..tools.outputs import refuse_inputs

if TYPE_CHECKING:
    from ..api import Engine
    from ..errors import Diagnostic

DONE_CODES = EXIT_CODES.replace("every expectation holds", "done").replace("  1    some `expect` does not hold\n", "")
COMMAND_LINE = Location("<command line>")


def echo(message: str = "") -> None:
    """One line of results on stdout, in an encoding it can write; a write that fails is an OutputError (exit 4)."""
    with writing("standard output"):
        click.echo(for_encoding(message, getattr(sys.stdout, "encoding", None)))


def echo_json(document: dict) -> None:
    """A JSON document on stdout, as every `--format json` prints it."""
    echo(jsontext.dumps(document))


SPOOL_BYTES = 16 << 20
"""A document written in pieces is held in memory up to this size, then in a temporary file (`echo_pieces`)."""


def echo_pieces(pieces: Any) -> None:
    """A JSON document written in pieces (`answers.output.check_text`), then on stdout as `echo_json` prints it.

    The pieces go to a spool as they come, so what is kept of a long run is
    its text, in memory up to `SPOOL_BYTES` and on disk past that, never the
    answers it was made of. Stdout gets the text once it is complete: a run
    that ends with a failed clause rule (exit 3) prints no answer, as always.
    """
    import tempfile

    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+", encoding="utf-8") as spool:
        for piece in pieces:
            spool.write(piece)
        spool.seek(0)
        encoding = getattr(sys.stdout, "encoding", None)
        with writing("standard output"):
            while True:
                text = spool.read(1 << 20)
                if not text:
                    break
                click.echo(for_encoding(text, encoding), nl=False)
            click.echo("")


def width() -> int:
    """The terminal's width, for wrapping explanations (100 off a terminal)."""
    return shutil.get_terminal_size((100, 24)).columns


# Said under examples that name the repository's shipped scenarios, which `pip install` does not give.
SHIPPED_NOTE = ("\b\nThe files under scenarios/ are the shipped scenarios of a checkout of the\n"
                "repository, run from its directory; with mou installed by pip, download\n"
                "them from the documentation site (Getting started), or give a scenario\n"
                "file of your own.")


def examples(codes: str, *lines: str) -> str:
    """A command's epilog: its exit codes, then examples, kept as written by click (and, when they name
    the shipped scenarios, where those come from)."""
    note = "\n\n" + SHIPPED_NOTE if any("scenarios/" in line for line in lines) else ""
    return codes + "\n\n\b\nExample:\n" + "\n".join(f"  {line}" for line in lines) + note


def engine_options(function: Callable, formats: tuple[str, ...] = ("text", "json")) -> Callable:
    """`--format`, `--backend`, `--clauses`: for every command that evaluates."""
    function = click.option("--format", "fmt", type=click.Choice(list(formats)), default="text", show_default=True,
                            help="text for people, json for programs"
                                 + (", markdown for a memo" if "markdown" in formats else ""))(function)
    return clause_options(function)


def clause_options(function: Callable) -> Callable:
    """`--backend` and `--clauses`."""
    function = click.option("--backend", type=click.Choice(BACKENDS), default=DEFAULT_BACKEND, show_default=True,
                            help="where the rules run: native (the default) or durable (durable-rules "
                                 "routes the facts)")(function)
    return click.option("--clauses", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help="clause directory (default: the shipped MoU)")(function)


EVALUATORS = ("fast", "full", "auto")
"""`--evaluator`: as `mou.answers.fast.EVALUATORS` (named here so that the options load nothing)."""


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    ctx.meta["mou." + param.name] = value
    return value


def evaluator_options(function: Callable) -> Callable:
    """`--evaluator fast|full|auto` and `--stats`: for the commands that give answers without explanations.

    Neither reaches the command's function: `engine()` reads them, and prints
    the stats on stderr when the command ends.
    """
    function = click.option("--stats", is_flag=True, expose_value=False, callback=_remember,
                            help="print on stderr how many scenarios the fast evaluator answered, and how "
                                 "many it left to the full one")(function)
    return click.option("--evaluator", type=click.Choice(EVALUATORS), default="fast", show_default=True,
                        expose_value=False, callback=_remember,
                        help="answers without explanations: fast (falls back to full per scenario where a "
                             "fact that matters is unknown; auto is the same) or full (the three-valued "
                             "evaluator only); the answers are the same")(function)


def memo_options(function: Callable) -> Callable:
    """`--format text|json|markdown`, `--trace` and `--no-explanations`: for the commands that explain answers."""
    function = click.option("--trace", is_flag=True, help="add the full trace of every rule firing")(function)
    function = click.option("--no-explanations", "lean", is_flag=True,
                            help="answers only, without their explanations (lean JSON)")(function)
    return engine_options(function, ("text", "json", "markdown"))


def override_options(function: Callable) -> Callable:
    """`--interpret NAME=VALUE` and `--set PARAM=VALUE`, each as often as needed."""
    from .completion import complete_interpret, complete_set

    function = click.option("--interpret", "interpret", multiple=True, metavar="NAME=VALUE",
                            shell_complete=complete_interpret,
                            help="set an interpretive choice, e.g. notice_runs_from=dispatch")(function)
    return click.option("--set", "settings", multiple=True, metavar="PARAM=VALUE", shell_complete=complete_set,
                        help="set a parameter, e.g. IX.3.notice_period='3 months'")(function)


TODAY = "today"


def dated(value: str | None) -> str | None:
    """A date given on the command line: `today` is the day the command runs (YYYY-MM-DD), any other as written.

    Every option that takes a date takes `today` (`ask --on`, `text --on`,
    `report --date`, `agenda --on`); the library parses the rest and says
    what is wrong with it.
    """
    if value is not None and value.strip() == TODAY:
        import datetime

        return datetime.date.today().isoformat()
    return value


def lean_conflicts(lean: bool, fmt: str, trace: bool, explain: bool = False) -> None:
    """--no-explanations with an option that asks for explanations: say so rather than pick one."""
    wanted = [flag for flag, given in (("--explain", explain), ("--trace", trace),
                                       ("--format markdown", fmt == "markdown")) if given]
    if lean and wanted:
        raise MouError.at(COMMAND_LINE, f"--no-explanations contradicts {wanted[0]}, "
                                                  "which shows explanations; give one of them")


def engine(clauses: Path | None, backend: str) -> Engine:
    """The engine for the clause files and backend asked for (MouError, exit 2, when they cannot be had).

    Loading it (the engine's modules, the compiled rule set, the scenario
    model) makes only objects that live as long as the command: the
    collector is paused meanwhile (see `mou.collector`).
    """
    with collector.paused():
        from ..api import Engine

        context = click.get_current_context(silent=True)
        meta = context.meta if context is not None else {}
        made = Engine(clauses, backend=backend, evaluator=meta.get("mou.evaluator") or "fast")
        if meta.get("mou.stats"):
            context.call_on_close(lambda: click.echo("mou: " + made.tally.line(), err=True))
        return made


def scenario_paths(paths: tuple[Path, ...], diagnostics: list[Diagnostic]) -> list[Path]:
    """The scenario files under PATHS; the YAML files skipped beside them are counted on stderr."""
    from ..language.sources import scenario_files

    files, skipped = scenario_files(paths, diagnostics)
    if skipped:
        what = "YAML file that is not a scenario" if len(skipped) == 1 else "YAML files that are not scenarios"
        click.echo(f"mou: skipped {len(skipped)} {what} (no top-level `scenario:` key)", err=True)
    return files


def protect(outputs: Any, inputs: Any, clauses: Path | None) -> None:
    """Refuse (OutputError, exit 4) before any work an output path that is one of the command's inputs (a
    scenario file, a file in the clause directory) or a directory: an output never destroys an input."""
    from ..language.corpus import shipped_clauses

    for output in outputs:
        if output is not None:
            refuse_inputs(output, inputs, (clauses if clauses is not None else shipped_clauses(),))


def lines(items: Any) -> None:
    """Print lines of text on stdout."""
    for line in items:
        echo(line)
