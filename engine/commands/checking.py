"""`mou check` and `mou test`: scenario files against their expectations, and the clauses' properties.

Stage: cli. Imports `common`; the library is imported when a command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import Diagnostic, suggest
from ..tools.command import EXIT_CODES, EXIT_FAILED, EXIT_INVALID, EXIT_OK, finish, print_diagnostics
from ..tools.outputs import atomic_output
from .common import (COMMAND_LINE, MouError, echo_json, echo_pieces, engine, engine_options, evaluator_options,
                     examples, lean_conflicts, lines, memo_options, override_options, protect, scenario_paths, width)


@click.command(epilog=examples(EXIT_CODES, "mou check my-case.yaml", "mou check scenarios/",
                               "mou check --format json scenarios/ix3-notice-valid.yaml"))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--explain", "explain_all", is_flag=True, help="explain every answer, not only failures")
@override_options
@memo_options
@evaluator_options
def check(paths: tuple[Path, ...], explain_all: bool, interpret: tuple[str, ...], settings: tuple[str, ...],
          lean: bool, trace: bool, fmt: str, backend: str, clauses: Path | None) -> None:
    """Evaluate every question of the scenario files and compare with `expect`.

    PATHS are scenario files, or directories searched for scenario files
    (*.yaml and *.yml whose top-level mapping has a `scenario:` key; other
    YAML is skipped and counted). With --format markdown, a memo: one section
    per question.
    """
    from ..answers.output import CHECK_VERSION, check_lines, check_markdown, check_text
    from ..scenario.command_line import overrides

    def run() -> int:
        lean_conflicts(lean, fmt, trace, explain_all)
        diagnostics: list[Diagnostic] = []
        files = scenario_paths(paths, diagnostics)
        with engine(clauses, backend) as mou:
            choices, parameters = overrides(mou.reader, interpret, settings)
            if fmt == "json":
                return json_run(mou, files, choices, parameters, diagnostics)
            # Text shows the explanations of failures only (unless --explain or --trace): the others are
            # answered without them, and a scenario that fails is checked again, explained.
            shown_only = fmt == "text" and not (explain_all or trace)
            results, problems = mou.check_files(files, choices, parameters, explain=not (lean or shown_only))
            if shown_only and not lean:
                results = [mou.check(result.scenario, choices, parameters, explain=True, properties=True)
                           if result.failed else result for result in results]
        diagnostics.extend(problems)
        print_diagnostics([*diagnostics, *first_horizon_note(note for result in results for note in result.notes)])
        if diagnostics and not results:
            pass  # no file read: nothing to sum up on stdout (the problems are on stderr)
        elif fmt == "markdown":
            lines(check_markdown(results))
        else:
            lines(check_lines(results, explain_all or trace, width=width(), trace=trace))
        if diagnostics:
            return EXIT_INVALID
        return EXIT_FAILED if any(r.failed for r in results) else EXIT_OK

    def json_run(mou, files, choices, parameters, diagnostics: list[Diagnostic]) -> int:
        """The JSON document, written scenario by scenario as each file is read and answered (check_text)."""
        notes: list[Diagnostic] = []
        failed = False

        def each():
            nonlocal failed
            for result in mou.check_each(files, diagnostics, choices, parameters, explain=not lean, later=True):
                notes.extend(result.notes)
                failed = failed or bool(result.failed)
                yield result

        echo_pieces(check_text(each(), diagnostics, mou.decision(choices, parameters), explain_all or trace,
                               head={"schema_version": CHECK_VERSION}))
        print_diagnostics([*diagnostics, *first_horizon_note(notes)])
        if diagnostics:
            return EXIT_INVALID
        return EXIT_FAILED if failed else EXIT_OK

    sys.exit(finish(run, fmt))


@click.command(name="test", epilog=examples(
    EXIT_CODES.replace("some `expect` does not hold", "an expectation or a property fails, or coverage is short"),
    "mou test scenarios/", "mou test scenarios/ --examples 2000 --seed 7 --junit-xml report.xml",
    "mou test scenarios/ --coverage --min-coverage 100",
    "mou test --save-counterexample found/ && mou check found/"))
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--examples", "count", type=click.IntRange(1, 1_000_000), default=200, show_default=True,
              help="generated scenarios tried per property")
@click.option("--seed", type=int, default=0, show_default=True, help="random seed of the search (reproducible)")
@click.option("--property", "only", multiple=True, metavar="NAME", help="search only these properties")
@click.option("--junit-xml", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="also write a JUnit XML report here: one case per question and per property")
@click.option("--junit-times/--no-junit-times", default=True, show_default=True,
              help="write measured times into the JUnit report (without them two runs write the same bytes)")
@click.option("--save-counterexample", "save_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              metavar="DIR", help="write each counterexample found into DIR as a scenario file `mou check` reads")
@click.option("--coverage", "show_coverage", is_flag=True,
              help="report what the scenario files exercised of the clause logic, and what they never did")
@click.option("--min-coverage", type=click.FloatRange(0, 100), default=None, metavar="N",
              help="exit 1 when the coverage of the clause logic is below N percent (implies --coverage)")
@engine_options
@evaluator_options
def test(paths: tuple[Path, ...], count: int, seed: int, only: tuple[str, ...], junit_xml: Path | None,
         junit_times: bool, save_dir: Path | None, show_coverage: bool, min_coverage: float | None, fmt: str,
         backend: str, clauses: Path | None) -> None:
    """Check scenario files, then search for counterexamples to every invariant and symmetry.

    A counterexample is shrunk and printed as a scenario file: save it with
    your scenario files and `mou check` reproduces the failure.
    """
    from ..answers.output import check_document, check_lines
    from ..tools.coverage import coverage
    from ..tools.junit import write_junit
    from ..tools.proptest import property_lines, save_counterexamples, search

    def run() -> int:
        protect([junit_xml], paths, clauses)
        diagnostics: list[Diagnostic] = []
        files = scenario_paths(paths, diagnostics) if paths else []
        with engine(clauses, backend) as mou:
            known = [*mou.ruleset.invariants, *mou.ruleset.symmetries]
            unknown = [name for name in only if name not in known]
            if unknown:
                raise MouError.at(COMMAND_LINE, f"unknown property {unknown[0]!r}{suggest(unknown[0], known)}")
            # Text without coverage shows the explanations of failures only: the files are answered without
            # them (by the fast evaluator), and a file that fails is checked again, explained.
            lean_files = fmt == "text" and not (show_coverage or min_coverage is not None)
            results, problems = mou.check_files(files, explain=not lean_files)
            if lean_files:
                results = [mou.check(result.scenario, properties=True) if result.failed else result
                           for result in results]
            properties = search(mou, count, seed, set(only) or None)
            decision = mou.decision()
            covered = coverage(mou.ruleset, results) if show_coverage or min_coverage is not None else None
        diagnostics.extend(problems)
        print_diagnostics(diagnostics)
        if junit_xml is not None:
            with atomic_output(junit_xml, binary=True) as report:
                write_junit(report, results, properties, diagnostics, times=junit_times)
        if save_dir is not None:
            for saved in save_counterexamples(properties, save_dir):
                click.echo(f"mou: counterexample saved as {saved}", err=True)
        if fmt == "json":
            document = check_document(results, diagnostics, decision)
            document["properties"] = [p.to_json() for p in properties]
            if covered is not None:
                document["coverage"] = covered.to_json()
            echo_json(document)
        else:
            if results:
                lines(check_lines(results, explain_all=False, width=width()))
            lines(property_lines(properties, width()))
            if covered is not None:
                lines(covered.lines())
        if diagnostics:
            return EXIT_INVALID
        failed = any(r.failed for r in results) or any(not p.ok for p in properties)
        if covered is not None and min_coverage is not None and covered.below(min_coverage):
            click.echo(f"mou: coverage {covered.percent()}% is below --min-coverage {min_coverage:g}", err=True)
            failed = True
        return EXIT_FAILED if failed else EXIT_OK

    sys.exit(finish(run, fmt))


def first_horizon_note(notes):
    """The notes, with at most one about the evaluation horizon in a run (the first): they all say the same."""
    shown = False
    for note in notes:
        if "past the evaluation horizon" in note.message:
            if shown:
                continue
            shown = True
        yield note
