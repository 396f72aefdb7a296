"""The `mou` command: a thin click layer over the `mou` library.

It parses options, calls the library, and prints: results on stdout,
diagnostics on stderr. Every command runs through `mou.tools.command.finish`,
which gives each way a command can end its exit code (the table is
`EXIT_CODES`, printed by `mou --help`; the README has the same).
"""

from __future__ import annotations

import json
import shutil
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from mou.tools.command import quiet_interrupts

quiet_interrupts()  # before the engine loads below: a Ctrl-C while it does ends quietly too

import click

from mou import Engine, MouError
from mou.answers.check import ScenarioResult
from mou.answers.explain import explanation
from mou.answers.output import asked, check_document, check_lines, check_markdown, plain
from mou.answers.render import for_encoding, render_markdown, render_text
from mou.errors import Diagnostic, Location, suggest
from mou.evaluation.backends import BACKENDS, DEFAULT_BACKEND
from mou.language.sources import scenario_files
from mou.scenario.command_line import command_line_question, command_line_value, overrides, question_args
from mou.tools.command import (EXIT_CODES, EXIT_FAILED, EXIT_INVALID, EXIT_OK, GuardedWriter, OutputError,
                               atomic_output, ended, finish, print_diagnostics, terminable, writing)
from mou.tools.sweep import MAX_VARIANTS
from mou.tools.terminal import escaped_output, unescaped
from mou.values import to_json

DONE_CODES = EXIT_CODES.replace("every expectation holds", "done").replace("  1    some `expect` does not hold\n", "")


def _echo(message: str = "") -> None:
    """One line of results on stdout, in an encoding it can write; a write that fails is an OutputError (exit 4)."""
    with writing("standard output"):
        click.echo(for_encoding(message, getattr(sys.stdout, "encoding", None)))


def _width() -> int:
    return shutil.get_terminal_size((100, 24)).columns


class _Mou(click.Group):
    """The command group: all it writes goes out with control characters escaped; Ctrl-C and a closed pipe
    outside a command end as inside one (130, 141)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("color", True)  # click would strip "\e[…m" off a pipe: escape it, never hide it
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


def _options(function, formats=("text", "json")):
    function = click.option("--format", "fmt", type=click.Choice(list(formats)), default="text", show_default=True,
                            help="text for people, json for programs"
                                 + (", markdown for a memo" if "markdown" in formats else ""))(function)
    function = click.option("--backend", type=click.Choice(BACKENDS), default=DEFAULT_BACKEND, show_default=True,
                            help="where the rules run: native (fast, default) or durable (durable-rules)")(function)
    function = click.option("--clauses", type=click.Path(file_okay=False, path_type=Path), default=None,
                            help="clause directory (default: the shipped MoU)")(function)
    return function


def _memo_options(function):
    """`--format text|json|markdown` and `--trace`: for the commands that explain answers."""
    function = click.option("--trace", is_flag=True, help="add the full trace of every rule firing")(function)
    return _options(function, ("text", "json", "markdown"))


def _overrides(function):
    function = click.option("--interpret", "interpret", multiple=True, metavar="NAME=VALUE",
                            help="set an interpretive choice, e.g. notice_runs_from=dispatch")(function)
    function = click.option("--set", "settings", multiple=True, metavar="PARAM=VALUE",
                            help="set a parameter, e.g. IX.3.notice_period='3 months'")(function)
    return function


@click.group(cls=_Mou, epilog=EXIT_CODES + "\n\n\b\nExample:\n  mou check scenarios/\n  mou ask in_force --scenario "
                                 "scenarios/ix3-notice-valid.yaml --on 2020-11-13")
@click.version_option(package_name="mou", message="mou %(version)s")
def main() -> None:
    """mou: the ECO–IOM Memorandum of Understanding as executable clauses.

    Answers questions about scenarios (timelines of events), with the
    paragraphs, facts, conditions and interpretive choices behind each answer.
    """


@main.command(epilog=EXIT_CODES + "\n\n\b\nExample:\n  mou check scenarios/\n  mou check --format json "
                                  "scenarios/ix3-notice-valid.yaml")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--explain", "explain_all", is_flag=True, help="explain every answer, not only failures")
@_overrides
@_memo_options
def check(paths: tuple[Path, ...], explain_all: bool, interpret: tuple[str, ...], settings: tuple[str, ...],
          trace: bool, fmt: str, backend: str, clauses: Path | None) -> None:
    """Evaluate every question of the scenario files and compare with `expect`.

    PATHS are scenario files or directories (searched for *.yaml and *.yml).
    With --format markdown, a memo: one section per question.
    """
    code = finish(lambda: _check(paths, explain_all or trace, interpret, settings, fmt, backend, clauses,
                                 trace=trace), fmt)
    sys.exit(code)


def _check(paths, explain_all, interpret, settings, fmt, backend, clauses, properties=True, trace=False) -> int:
    diagnostics: list[Diagnostic] = []
    files = scenario_files(paths, diagnostics)
    with _engine(clauses, backend) as engine:
        choices, parameters = overrides(engine.reader, interpret, settings)
        results: list[ScenarioResult] = []
        for file in files:
            try:
                scenario = engine.read(file)
            except MouError as error:
                diagnostics.extend(error.diagnostics)
                continue
            results.append(engine.check(scenario, choices, parameters, properties=properties))
    print_diagnostics([*diagnostics, *(note for result in results for note in result.notes)])
    if fmt == "json":
        _echo(json.dumps(check_document(results, diagnostics), ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        for line in check_markdown(results):
            _echo(line)
    else:
        for line in check_lines(results, explain_all, width=_width(), trace=trace):
            _echo(line)
    if diagnostics:
        return EXIT_INVALID
    return EXIT_FAILED if any(r.failed for r in results) else EXIT_OK


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
              epilog=EXIT_CODES + "\n\n\b\nExample:\n  mou ask termination_notice_valid --scenario "
                                  "scenarios/ix3-notice-valid.yaml --notice n1\n  mou ask in_force --scenario "
                                  "scenarios/ix3-notice-valid.yaml --on 2020-11-13 --format json")
@click.argument("question")
@click.option("--scenario", "scenario_path", required=True, type=click.Path(path_type=Path),
              help="the scenario file whose events are used")
@click.option("--full", is_flag=True, hidden=True, help="the same as --trace")
@_overrides
@_memo_options
@click.pass_context
def ask(ctx: click.Context, question: str, scenario_path: Path, full: bool, interpret: tuple[str, ...],
        settings: tuple[str, ...], trace: bool, fmt: str, backend: str, clauses: Path | None) -> None:
    """Ask one QUESTION about a scenario, with the question's arguments as options.

    Arguments are given as --NAME VALUE, e.g. --on 2020-11-13, --notice n1,
    --name IX.3.notice_period; a date argument left out takes the scenario's
    `as_of`. The scenario's own questions are not asked.
    """
    code = finish(lambda: _ask(question, scenario_path, list(ctx.args), full or trace, interpret, settings, fmt,
                               backend, clauses), fmt)
    sys.exit(code)


def _ask(question, scenario_path, extra, full, interpret, settings, fmt, backend, clauses) -> int:
    values = question_args(extra)
    with _engine(clauses, backend) as engine:
        choices, parameters = overrides(engine.reader, interpret, settings)
        scenario = engine.read(scenario_path)
        call = command_line_question(engine.reader, scenario, question, values)
        case = engine.case(scenario, choices, parameters, asking=[call])
        print_diagnostics(case.base.stopped)
        found, resolution = case.answer(call)
        explained = explanation(case, found, resolution)
    value = to_json(resolution.value)
    if fmt == "json":
        _echo(json.dumps({"ask": question, "args": call.raw_args, "answer": value,
                          "explanation": explained}, ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        for line in render_markdown(asked(question, call.raw_args), value, explained):
            _echo(line)
    else:
        _echo(f"{asked(question, call.raw_args)}: {plain(value)}")
        for line in render_text(explained, indent="  ", width=_width(), full=full):
            _echo(line)
    return EXIT_OK


@main.command(epilog=DONE_CODES + "\n\n\b\nExample:\n"
                    "  mou text\n  mou text --scenario scenarios/ix2-three-month-notice-period.yaml --on 2017-01-01")
@click.option("--scenario", "scenario_path", type=click.Path(path_type=Path), default=None,
              help="consolidate the amendments of this scenario")
@click.option("--on", "on", default=None, metavar="DATE", help="the date (default: the scenario's as_of, else its end)")
@_options
def text(scenario_path: Path | None, on: str | None, fmt: str, backend: str, clauses: Path | None) -> None:
    """The MoU as in force on a date, amendments consolidated and marked; with no scenario, the signed text."""
    from mou.answers.consolidated import text_document, text_lines

    def run() -> int:
        with _engine(clauses, backend) as engine:
            document = text_document(engine, scenario_path, on)
        if fmt == "json":
            _echo(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            for line in text_lines(document, _width()):
                _echo(line)
        return EXIT_OK

    sys.exit(finish(run, fmt))


@main.command(epilog=DONE_CODES + "\n\n\b\nExample:\n"
                    "  mou whatif scenarios/ix3-notice-valid.yaml --interpret notice_runs_from=dispatch\n"
                    "  mou whatif scenarios/ix3-notice-valid.yaml --set IX.3.notice_period='3 months' --format json")
@click.argument("path", type=click.Path(path_type=Path))
@_overrides
@_options
def whatif(path: Path, interpret: tuple[str, ...], settings: tuple[str, ...], fmt: str, backend: str,
           clauses: Path | None) -> None:
    """Each question of a scenario as written and under other choices or parameters, with what changed."""
    from mou.answers.analysis import whatif as compare, whatif_lines

    def run() -> int:
        with _engine(clauses, backend) as engine:
            choices, parameters = overrides(engine.reader, interpret, settings)
            if not choices and not parameters:
                raise MouError.at(Location("<command line>"), "give at least one --interpret NAME=VALUE or "
                                                              "--set PARAM=VALUE to compare with")
            results = compare(engine, engine.read(path), choices, parameters)
        if fmt == "json":
            _echo(json.dumps({"results": [r.to_json() for r in results]}, ensure_ascii=False, indent=2))
            return EXIT_OK
        for line in whatif_lines(results):
            _echo(line)
        return EXIT_OK

    sys.exit(finish(run, fmt))


@main.command(epilog=DONE_CODES + "\n\n\b\nExample:\n"
                    "  mou robust scenarios/ix3-notice-valid.yaml\n"
                    "  mou robust FILE --range IX.3.notice_period='3 months,6 months,12 months'")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--range", "ranges", multiple=True, metavar="NAME=V1,V2,...",
              help="also vary a parameter, or a choice without a fixed set of values")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), help="also write a page here")
@_options
def robust(path: Path, ranges: tuple[str, ...], html_path: Path | None, fmt: str, backend: str,
           clauses: Path | None) -> None:
    """Every question under every combination of interpretive choices: which answers are safe.

    An answer that holds under all readings is safe; for the others, the
    smallest set of choices it depends on, and the answer under each.
    """
    from mou.answers.analysis import answer_table, describe, robust as analyse
    from mou.tools.report.pages import robust_html, write_page

    def run() -> int:
        with _engine(clauses, backend) as engine:
            scenario = engine.read(path)
            named: dict[str, list] = {}
            for item in ranges:
                name, sep, values = item.partition("=")
                kind = "choice" if name.strip() in engine.ruleset.choices else "parameter"
                if not sep:
                    raise MouError.at(Location("<command line>"), f"--range takes NAME=V1,V2,...; got {item!r}")
                named[name.strip()] = [command_line_value(engine.reader, kind, name.strip(), v.strip())
                                       for v in values.split(",")]
            table = answer_table(engine, scenario, named)
            results, count = analyse(engine, scenario, table=table), len(table.combos)
            if html_path:
                write_page(html_path, robust_html(engine, scenario, table, results, clauses), _echo)
        if fmt == "json":
            _echo(json.dumps({"readings": count, "results": [r.to_json() for r in results]},
                             ensure_ascii=False, indent=2))
        else:
            _echo(f"{scenario.file}: {len(results)} questions under {count} readings")
            for line in describe(results):
                _echo(line)
        return EXIT_OK

    sys.exit(finish(run, fmt))


@main.command(epilog=DONE_CODES + "\n\n\b\nExample:\n"
                    "  mou sweep scenarios/ix3-notice-valid.yaml --vary n1.received=2020-01-01..2021-12-31\n"
                    "  mou sweep FILE --vary n1.received=2020-01-31..2022-01-31/1month "
                    "--vary interpretation.notice_runs_from=receipt,dispatch --output-format jsonl -o out.jsonl")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--vary", "variations", multiple=True, required=True, metavar="FIELD=VALUES",
              help="EVENT.FIELD, interpretation.CHOICE or parameters.PARAM = a,b,c or START..END[/STEP]")
@click.option("--output-format", "out_format", type=click.Choice(["csv", "jsonl"]), default="csv",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="write rows here (default: stdout)")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="processes to use (at most one per partition of the variants)")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="also write a page plotting each answer against the values varied")
@click.option("--max-variants", type=click.IntRange(1), default=MAX_VARIANTS, show_default=True,
              help="refuse a sweep with more variants than this")
@click.option("--vector/--no-vector", default=True, show_default=True, help="use the vectorized kernels where "
              "they apply (--no-vector: the scalar engine for every row; the rows are the same)")
@_overrides
@click.option("--backend", type=click.Choice(BACKENDS), default="native", show_default=True)
@click.option("--clauses", type=click.Path(file_okay=False, path_type=Path), default=None)
def sweep(path: Path, variations: tuple[str, ...], out_format: str, output: Path | None, jobs: int,
          html_path: Path | None, max_variants: int, vector: bool, interpret: tuple[str, ...], settings: tuple[str, ...], backend: str,
          clauses: Path | None) -> None:
    """Evaluate every variant of a scenario; one row per variant, with the varied values and the answers.

    Rows are streamed (memory stays flat); a progress bar shows on a terminal.
    With -o, rows go to a temporary file beside it, renamed when complete.
    """
    from mou.tools.report.pages import SweepPlot, write_page
    from mou.tools.sweep import SweepSpec
    from mou.tools.vector.partition import stream

    def run() -> int:
        spec = SweepSpec(str(path), variations, interpret, settings, backend, str(clauses) if clauses else None)
        local = spec.build(max_variants)  # reads and checks everything before any work starts
        total = len(local)
        target = atomic_output(output) if output else nullcontext(GuardedWriter(sys.stdout, "standard output"))
        with target as out:
            out = SweepPlot(out, local, out_format) if html_path else out
            if sys.stderr.isatty():
                with click.progressbar(length=total, label="variants", file=unescaped(sys.stderr),
                                       show_pos=True) as bar:
                    stream(out, spec, local, out_format, vector, jobs, lambda count: bar.update(count - bar.pos))
            else:
                stream(out, spec, local, out_format, vector, jobs)
            out.flush()
        if output:
            click.echo(f"{total:,} variants written to {output}", err=True)
        if html_path:
            write_page(html_path, out.html(clauses), _echo)
        return EXIT_OK

    sys.exit(finish(run))


@main.command(epilog=DONE_CODES + "\n\n\b\nExample:\n  mou report scenarios/ix3-notice-valid.yaml -o report.html\n"
                    "  mou report scenarios/ix3-notice-valid.yaml --format markdown > memo.md")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="write it here (default: stdout)")
@click.option("--format", "fmt", type=click.Choice(["html", "markdown"]), default="html", show_default=True,
              help="html: one self-contained page (works offline, prints on A4); markdown: the same for a memo")
@click.option("--date", "day", metavar="DATE", help="the report's date (default: today)")
@_overrides
@click.option("--backend", type=click.Choice(BACKENDS), default=DEFAULT_BACKEND, show_default=True)
@click.option("--clauses", type=click.Path(file_okay=False, path_type=Path), default=None)
def report(path: Path, output: Path | None, fmt: str, day: str | None, interpret: tuple[str, ...],
           settings: tuple[str, ...], backend: str, clauses: Path | None) -> None:
    """One page a legal officer opens: the timeline, every answer with its reasons, the readings switchable."""
    from mou.tools.report import parse_day, report_text, write_page

    def run() -> int:
        with _engine(clauses, backend) as engine:
            choices, parameters = overrides(engine.reader, interpret, settings)
            text = report_text(engine, engine.read(path), fmt, choices, parameters, clauses, parse_day(day))
        write_page(output, text, _echo)
        return EXIT_OK

    sys.exit(finish(run))


@main.command(name="test", epilog=EXIT_CODES.replace("some `expect` does not hold",
                                                     "an expectation or a property fails")
              + "\n\n\b\nExample:\n  mou test scenarios/\n  mou test scenarios/ --examples 2000 --seed 7 "
                "--junit-xml report.xml")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--examples", type=click.IntRange(1, 1_000_000), default=200, show_default=True,
              help="generated scenarios tried per property")
@click.option("--seed", type=int, default=0, show_default=True, help="random seed of the search (reproducible)")
@click.option("--property", "only", multiple=True, metavar="NAME", help="search only these properties")
@click.option("--junit-xml", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="also write a JUnit XML report here")
@_options
def test_command(paths: tuple[Path, ...], examples: int, seed: int, only: tuple[str, ...], junit_xml: Path | None,
                 fmt: str, backend: str, clauses: Path | None) -> None:
    """Check scenario files, then search for counterexamples to every invariant and symmetry.

    A counterexample is shrunk and printed as a scenario file: save it into
    scenarios/ and `mou check` reproduces the failure.
    """
    from mou.tools.junit import write_junit
    from mou.tools.proptest import property_lines, search

    def run() -> int:
        diagnostics: list[Diagnostic] = []
        files = scenario_files(paths, diagnostics) if paths else []
        with _engine(clauses, backend) as engine:
            unknown = [name for name in only if name not in engine.ruleset.invariants
                       and name not in engine.ruleset.symmetries]
            if unknown:
                raise MouError.at(Location("<command line>"), f"unknown property {unknown[0]!r}"
                                  + suggest(unknown[0], [*engine.ruleset.invariants, *engine.ruleset.symmetries]))
            results = []
            for file in files:
                try:
                    results.append(engine.check(engine.read(file), properties=True))
                except MouError as error:
                    diagnostics.extend(error.diagnostics)
            properties = search(engine, examples, seed, set(only) or None)
        print_diagnostics(diagnostics)
        if junit_xml is not None:
            with atomic_output(junit_xml, binary=True) as report:
                write_junit(report, results, properties, diagnostics)
        if fmt == "json":
            document = check_document(results, diagnostics)
            document["properties"] = [p.to_json() for p in properties]
            _echo(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            if results:
                for line in check_lines(results, explain_all=False):
                    _echo(line)
            for line in property_lines(properties, _width()):
                _echo(line)
        if diagnostics:
            return EXIT_INVALID
        failed = any(r.failed for r in results) or any(not p.ok for p in properties)
        return EXIT_FAILED if failed else EXIT_OK

    sys.exit(finish(run, fmt))


@main.command(epilog=EXIT_CODES.replace("some `expect` does not hold", "a warning, with --strict")
               + "\n\n\b\nExample:\n  mou lint\n  mou lint --strict --format json clauses/")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="exit 1 on warnings too")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def lint(directory: Path | None, strict: bool, fmt: str) -> None:
    """Check clause files: verbatim text, citations, names, types, conflicts, unused vocabulary.

    DIRECTORY holds agreement.yaml and the clause files (default: the shipped MoU).
    """
    from mou.language.corpus import shipped_clauses
    from mou.tools.lint import lint as run_lint

    def run() -> int:
        findings = run_lint(directory or shipped_clauses())
        errors = [d for d in findings if d.severity == "error"]
        if fmt == "json":
            _echo(json.dumps({"diagnostics": [d.to_json() for d in findings]}, ensure_ascii=False, indent=2))
        for finding in findings:
            click.echo(str(finding), err=True)
        if fmt == "text" and not findings:
            _echo("no problems found")
        if errors:
            return EXIT_INVALID
        return EXIT_FAILED if strict and findings else EXIT_OK

    sys.exit(finish(run, fmt))


@main.command(epilog="\b\nExample:\n  mou schema scenario > scenario.schema.json\n  mou schema clause")
@click.argument("kind", type=click.Choice(["scenario", "clause"]))
@click.option("--clauses", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="clause directory whose vocabulary the scenario schema follows (default: the shipped MoU)")
def schema(kind: str, clauses: Path | None) -> None:
    """Print the JSON Schema of scenario files or of clause files (for editors and CI)."""
    from mou.tools.schemas import clause_schema, scenario_schema

    def run() -> int:
        if kind == "clause":
            document = clause_schema()
        else:
            with _engine(clauses, "native") as engine:
                document = scenario_schema(engine.reader)
        _echo(json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True))
        return EXIT_OK

    sys.exit(finish(run))


# -- shared helpers -----------------------------------------------------------------------


def _engine(clauses: Path | None, backend: str) -> Engine:
    """The engine for the clause files and backend asked for (MouError, exit 2, when they cannot be had)."""
    return Engine(clauses, backend=backend)


if __name__ == "__main__":  # pragma: no cover
    main()
