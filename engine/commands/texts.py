"""`mou text`, `mou lint`, `mou schema`: the agreement's text, and its clause and scenario files.

Stage: cli. Imports `common`; the library is imported when a command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..tools.command import EXIT_CODES, EXIT_FAILED, EXIT_INVALID, EXIT_OK, finish
from .common import DONE_CODES, dated, echo, echo_json, engine, engine_options, examples, lines, width


@click.command(epilog=examples(DONE_CODES, "mou text",
                               "mou text --scenario scenarios/ix2-three-month-notice-period.yaml --on 2017-01-01"))
@click.option("--scenario", "scenario_path", type=click.Path(path_type=Path), default=None,
              help="consolidate the amendments of this scenario")
@click.option("--on", "on", default=None, metavar="DATE",
              help="the date, YYYY-MM-DD or `today` (default: the scenario's as_of, else its end)")
@engine_options
def text(scenario_path: Path | None, on: str | None, fmt: str, backend: str, clauses: Path | None) -> None:
    """The MoU as in force on a date, amendments consolidated and marked; with no scenario, the signed text."""
    from ..answers.consolidated import text_document, text_lines

    def run() -> int:
        with engine(clauses, backend) as mou:
            document = text_document(mou, scenario_path, dated(on))
        if fmt == "json":
            echo_json(document)
        else:
            lines(text_lines(document, width()))
        return EXIT_OK

    sys.exit(finish(run, fmt))


@click.command(epilog=examples(EXIT_CODES.replace("some `expect` does not hold", "a warning, with --strict"),
                               "mou lint", "mou lint --strict --format json my-agreement/"))
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="exit 1 on warnings too")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def lint(directory: Path | None, strict: bool, fmt: str) -> None:
    """Check clause files: verbatim text, citations, names, types, conflicts, unused vocabulary.

    DIRECTORY holds agreement.yaml and the clause files (default: the shipped MoU).
    """
    from ..language.corpus import shipped_clauses
    from ..tools.lint import lint as run_lint

    def run() -> int:
        findings = run_lint(directory or shipped_clauses())
        errors = [d for d in findings if d.severity == "error"]
        if fmt == "json":
            echo_json({"diagnostics": [d.to_json() for d in findings]})
        for finding in findings:
            click.echo(str(finding), err=True)
        if fmt == "text" and not findings:
            echo("no problems found")
        if errors:
            return EXIT_INVALID
        return EXIT_FAILED if strict and findings else EXIT_OK

    sys.exit(finish(run, fmt))


@click.command(epilog="\b\nExample:\n  mou schema scenario > scenario.schema.json\n  mou schema clause")
@click.argument("kind", type=click.Choice(["scenario", "clause"]))
@click.option("--clauses", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="clause directory whose vocabulary the scenario schema follows (default: the shipped MoU)")
def schema(kind: str, clauses: Path | None) -> None:
    """Print the JSON Schema of scenario files or of clause files (for editors and CI)."""
    import json

    from ..tools.schemas import clause_schema, scenario_schema

    def run() -> int:
        if kind == "clause":
            document = clause_schema()
        else:
            with engine(clauses, "native") as mou:
                document = scenario_schema(mou.reader)
        echo(json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True))
        return EXIT_OK

    sys.exit(finish(run))
