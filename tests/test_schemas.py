"""The JSON Schemas in schemas/ accept what the engine accepts, as an editor's YAML language server reads it.

Each file is read as YAML 1.2 (the engine's own loader: `on:` is a key, dates
are text), then validated with the `jsonschema` package, Draft 2020-12. The
schemas are not vacuous: a few files the engine refuses are refused by them
too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from jsonschema import Draft202012Validator

from mou.language.yamlio import load_yaml
from mou.testing import scenario_data

from conftest import shipped_engine

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
CLAUSE_FILES = sorted(path for path in (ROOT / "clauses").glob("*.yaml") if path.name != "agreement.yaml")


def validator(kind: str) -> Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


SCENARIO_SCHEMA = validator("scenario")
CLAUSE_SCHEMA = validator("clause")


def problems(schema: Draft202012Validator, data: object) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message[:200]}" for error in schema.iter_errors(data)]


def as_editor_reads_it(path: Path) -> object:
    return load_yaml(path.read_bytes(), str(path)).data


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: path.name)
def test_every_shipped_scenario_is_valid_under_the_scenario_schema(path):
    assert problems(SCENARIO_SCHEMA, as_editor_reads_it(path)) == []


@pytest.mark.parametrize("path", CLAUSE_FILES, ids=lambda path: path.name)
def test_every_shipped_clause_file_is_valid_under_the_clause_schema(path):
    assert problems(CLAUSE_SCHEMA, as_editor_reads_it(path)) == []


def test_a_single_value_where_a_list_is_allowed_is_valid():
    """`grounds` takes one value or a list (DOMAIN.md, I.3); an editor must not mark the single one."""
    response = {"id": "d1", "type": "cooperation_response", "request": "r1", "from": "IOM", "date": "2014-03-01",
                "outcome": "declined"}
    request = {"id": "r1", "type": "cooperation_request", "from": "ECO", "to": "IOM", "date": "2014-02-01"}
    for grounds in ("not_possible", ["not_possible", "constituent_instruments"]):
        document = {"scenario": "grounds", "events": [request, {**response, "grounds": grounds}]}
        assert problems(SCENARIO_SCHEMA, document) == []
        shipped_engine().reader.from_document(load_yaml(json.dumps(document), "<grounds>"))  # and the engine agrees


@pytest.mark.parametrize("document, where", [
    ({"events": []}, ""),  # no `scenario:` title
    ({"scenario": "x", "events": [{"id": "a", "type": "no_such_event", "date": "2020-01-01"}]}, "events/0"),
    ({"scenario": "x", "questions": [{"ask": "in_force", "on": "2020-01-01", "colour": "red"}]}, "questions/0"),
    ({"scenario": "x", "interpretation": {"notice_runs_from": "sunrise"}}, "interpretation"),
])
def test_what_the_engine_refuses_the_schema_refuses(document, where):
    found = problems(SCENARIO_SCHEMA, document)
    assert found and any(problem.startswith(where) for problem in found)


@settings(max_examples=60, deadline=None)
@given(scenario_data(shipped_engine().ruleset, questions=True))
def test_generated_scenarios_are_valid_under_the_scenario_schema(data):
    text = json.dumps(data, default=str)  # dates and durations as the text a file holds
    document = load_yaml(text, "<generated>")
    shipped_engine().reader.from_document(document)  # the engine takes it...
    assert problems(SCENARIO_SCHEMA, document.data) == []  # ...and so does the schema
