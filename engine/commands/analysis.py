"""`mou whatif`, `mou robust`, `mou sweep`: answers under other readings, for analysts.

Stage: cli. Imports `common`; the library is imported when a command runs.
"""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path

import click

from ..tools.command import EXIT_OK, GuardedWriter, finish
from ..tools.outputs import atomic_output, is_stdout
from ..tools.limits import MAX_VARIANTS
from ..tools.terminal import unescaped
from .common import (BACKENDS, COMMAND_LINE, DONE_CODES, MouError, echo, echo_json, engine, engine_options,
                     evaluator_options, examples, lines, override_options, protect)
from .completion import complete_vary


@click.command(epilog=examples(DONE_CODES, "mou whatif scenarios/ix3-notice-valid.yaml --interpret "
                                           "notice_runs_from=dispatch",
                               "mou whatif scenarios/ix3-notice-valid.yaml --set IX.3.notice_period='3 months' "
                               "--format json"))
@click.argument("path", type=click.Path(path_type=Path))
@override_options
@engine_options
def whatif(path: Path, interpret: tuple[str, ...], settings: tuple[str, ...], fmt: str, backend: str,
           clauses: Path | None) -> None:
    """Each question of a scenario as written and under other choices or parameters, with what changed."""
    from ..answers.analysis import whatif as compare, whatif_lines
    from ..answers.record import scenario_decision
    from ..scenario.command_line import overrides

    def run() -> int:
        with engine(clauses, backend) as mou:
            choices, parameters = overrides(mou.reader, interpret, settings)
            if not choices and not parameters:
                raise MouError.at(COMMAND_LINE, "give at least one --interpret NAME=VALUE or --set PARAM=VALUE "
                                                "to compare with")
            scenario = mou.read(path)
            results = compare(mou, scenario, choices, parameters)
            records = [scenario_decision(mou.ruleset, scenario, *given) for given in ((), (choices, parameters))]
        if fmt == "json":
            echo_json({"decision": records[0], "variant": {"decision": records[1]},
                       "results": [r.to_json() for r in results]})
        else:
            lines(whatif_lines(results))
        return EXIT_OK

    sys.exit(finish(run, fmt))


@click.command(epilog=examples(DONE_CODES, "mou robust scenarios/ix3-notice-valid.yaml",
                               "mou robust FILE --range IX.3.notice_period='3 months,6 months,12 months'"))
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--range", "ranges", multiple=True, metavar="NAME=V1,V2,...",
              help="also vary a parameter, or a choice without a fixed set of values")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="also write a page here: the table of answers under each reading")
@engine_options
@evaluator_options
def robust(path: Path, ranges: tuple[str, ...], html_path: Path | None, fmt: str, backend: str,
           clauses: Path | None) -> None:
    """Every question under every combination of interpretive choices: which answers are safe.

    An answer that holds under all readings is safe; for the others, the
    smallest set of choices it depends on, and the answer under each.
    """
    from ..answers.analysis import answer_table, describe, readings, robust as analyse
    from ..answers.output import counted
    from ..answers.record import scenario_decision
    from ..scenario.command_line import command_line_ranges
    from ..tools.report import write_page
    from ..tools.report.pages import robust_html

    def run() -> int:
        protect([html_path], [path], clauses)
        with engine(clauses, backend) as mou:
            scenario = mou.read(path)
            named = command_line_ranges(mou.reader, ranges)
            table = answer_table(mou, scenario, named)
            results, count = analyse(mou, scenario, table=table), len(table.combos)
            varied = readings(mou.ruleset, named)
            record = scenario_decision(mou.ruleset, scenario)
            if html_path:
                write_page(html_path, robust_html(mou, scenario, table, results), echo)
        if fmt == "json":
            echo_json({"decision": {**record, "varied": [name for name, _ in varied]}, "readings": count,
                       "results": [r.to_json() for r in results]})
        else:
            echo(f"{scenario.file}: {counted(len(results), 'question')} under {counted(count, 'reading')}")
            lines(describe(results))
        return EXIT_OK

    sys.exit(finish(run, fmt))


@click.command(epilog=examples(
    DONE_CODES, "mou sweep scenarios/ix3-notice-valid.yaml --vary n1.received=2020-01-01..2021-12-31",
    "mou sweep FILE --vary n1.received=2020-01-31..2022-01-31/1month "
    "--vary interpretation.notice_runs_from=receipt,dispatch --output-format jsonl -o out.jsonl"))
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--vary", "variations", multiple=True, required=True, metavar="FIELD=VALUES",
              shell_complete=complete_vary,
              help="EVENT.FIELD, interpretation.CHOICE or parameters.PARAM = a,b,c or START..END[/STEP]")
@click.option("--output-format", "out_format", type=click.Choice(["csv", "jsonl", "parquet", "npz"]), default="csv",
              show_default=True, help="csv, jsonl (JSON Lines), or the CSV's rows as columns in a file (-o): parquet "
                                      "(needs pyarrow: the `arrow` extra) or npz (NumPy)")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="write rows here (default: stdout)")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="processes to use (at most one per partition of the variants)")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="also write a page plotting each answer against the first value varied")
@click.option("--max-variants", type=click.IntRange(1), default=MAX_VARIANTS, show_default=True,
              help="refuse a sweep with more variants than this")
@click.option("--vector/--no-vector", default=True, show_default=True, help="compute rows a block of variants at "
              "a time, with array arithmetic, where it applies (--no-vector: evaluate each variant in turn; "
              "the rows are the same)")
@override_options
@click.option("--backend", type=click.Choice(BACKENDS), default="native", show_default=True,
              help="where the scalar rows run")
@click.option("--clauses", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="clause directory (default: the shipped MoU)")
@evaluator_options
def sweep(path: Path, variations: tuple[str, ...], out_format: str, output: Path | None, jobs: int,
          html_path: Path | None, max_variants: int, vector: bool, interpret: tuple[str, ...], settings: tuple[str, ...], backend: str,
          clauses: Path | None) -> None:
    """Evaluate every variant of a scenario; one row per variant, with the varied values and the answers.

    Rows are streamed (memory stays flat); a progress bar shows on a terminal.
    With -o, rows go to a temporary file beside it, renamed when complete.
    """
    from ..tools.report import write_page
    from ..tools.report.pages import SweepPlot
    from ..tools.sweep import SweepSpec
    from ..tools.vector.partition import stream

    def run() -> int:
        protect([output, html_path], [path], clauses)
        if output is not None and html_path is not None and str(output) != "-" and str(output) == str(html_path):
            raise MouError.at(COMMAND_LINE, f"-o and --html name the same file {output}: give each its own")
        columnar = out_format in ("parquet", "npz")
        if columnar and (output is None or is_stdout(output)):
            raise MouError.at(COMMAND_LINE, f"--output-format {out_format} writes a file: give it with -o FILE")
        if columnar and html_path is not None:
            raise MouError.at(COMMAND_LINE, f"--html plots the rows of a csv or jsonl sweep, not of {out_format}: "
                                            "write the page from a CSV sweep")
        if out_format == "parquet":
            from ..tools.vector.columnar import arrow

            try:
                arrow()
            except ImportError as error:
                raise MouError.at(COMMAND_LINE, str(error)) from None
        meta = click.get_current_context().meta
        spec = SweepSpec(str(path), variations, interpret, settings, backend, str(clauses) if clauses else None,
                         meta.get("mou.evaluator") or "fast")
        local = spec.build(max_variants)  # reads and checks everything before any work starts
        total = len(local)
        if columnar:
            from ..tools.vector import columnar as columns

            with atomic_output(output, binary=True) as out:
                if sys.stderr.isatty():
                    with click.progressbar(length=total, label="variants", file=unescaped(sys.stderr),
                                           show_pos=True) as bar:
                        columns.write(out, spec, local, out_format, vector, jobs,
                                      lambda count: bar.update(count - bar.pos))
                else:
                    columns.write(out, spec, local, out_format, vector, jobs)
            click.echo(f"{total:,} variants written to {output}", err=True)
            return EXIT_OK
        to_file = output is not None and not is_stdout(output)
        target = atomic_output(output) if to_file else nullcontext(GuardedWriter(sys.stdout, "standard output"))
        with target as out:
            out = SweepPlot(out, local, out_format) if html_path else out
            if sys.stderr.isatty():
                with click.progressbar(length=total, label="variants", file=unescaped(sys.stderr),
                                       show_pos=True) as bar:
                    stream(out, spec, local, out_format, vector, jobs, lambda count: bar.update(count - bar.pos))
            else:
                stream(out, spec, local, out_format, vector, jobs)
            out.flush()
        if to_file:
            click.echo(f"{total:,} variants written to {output}", err=True)
        if html_path:
            write_page(html_path, out.html(), echo)
        return EXIT_OK

    sys.exit(finish(run))
