"""The JSON Schemas in schemas/ accept what the engine accepts, as an editor's YAML language server reads it.

Each file is read as YAML 1.2 (the engine's own loader: `on:` is a key, dates
are text), then validated with the `jsonschema` package, Draft 2020-12. The
schemas are not vacuous: a few files the engine refuses are refused by them
too.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from jsonschema import Draft202012Validator

from mou.language.yamlio import load_yaml
from mou.testing import scenario_data
from mou.tools.schemas import scenario_schema

from conftest import shipped_engine

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
# Where clause directories lie: the shipped one, examples/ (when there is one) and the suite's own.
CLAUSE_ROOTS = [ROOT / "clauses", ROOT / "examples", ROOT / "tests" / "clauses"]


def _yaml_files() -> list[Path]:
    return sorted(path for root in CLAUSE_ROOTS if root.is_dir() for path in root.rglob("*.yaml"))


def _is_scenario(path: Path) -> bool:
    data = load_yaml(path.read_bytes(), str(path)).data
    return isinstance(data, dict) and "scenario" in data


def _clause_directory(path: Path) -> Path | None:
    """The clause directory a scenario file under CLAUSE_ROOTS is written for (None: the shipped MoU)."""
    for folder in path.parents:
        if (folder / "agreement.yaml").is_file():
            return None if folder == ROOT / "clauses" else folder
    return None


# Every clause file and manifest, and every scenario file beside them, wherever they lie.
CLAUSE_FILES = [path for path in _yaml_files() if not _is_scenario(path)]
OTHER_SCENARIOS = [path for path in _yaml_files() if _is_scenario(path)]


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


@pytest.mark.parametrize("path", CLAUSE_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_clause_file_and_manifest_is_valid_under_the_clause_schema(path):
    """clauses/, examples/ and tests/clauses/: agreement.yaml too (issue 34: the schema refused it)."""
    assert problems(CLAUSE_SCHEMA, as_editor_reads_it(path)) == []


def test_the_clause_files_checked_include_every_manifest():
    names = {str(path.relative_to(ROOT)) for path in CLAUSE_FILES}
    assert {"clauses/agreement.yaml", "tests/clauses/renewal/agreement.yaml"} <= names


@functools.cache
def scenario_validator_for(clauses: Path | None) -> Draft202012Validator:
    if clauses is None:
        return SCENARIO_SCHEMA
    from mou import Engine

    return Draft202012Validator(scenario_schema(Engine(clauses).reader))


@pytest.mark.parametrize("path", OTHER_SCENARIOS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_scenario_beside_clause_files_is_valid_under_its_scenario_schema(path):
    """Scenario files of the suite's clause directories, under the schema `mou schema scenario --clauses` gives."""
    assert problems(scenario_validator_for(_clause_directory(path)), as_editor_reads_it(path)) == []


NOTICE = {"id": "n1", "type": "termination_notice", "date": "2020-05-10", "from": "IOM", "to": "ECO",
          "form": "letter"}


@pytest.mark.parametrize("event, field, event_type", [
    ({**{k: v for k, v in NOTICE.items() if k != "form"}, "fomr": "letter"}, "fomr", "termination_notice"),
    ({**NOTICE, "form": "e-mail"}, "form", "termination_notice"),
    ({"id": "s1", "type": "signature", "party": "ECO", "dat": "2009-01-27"}, "dat", "signature"),
    ({"id": "m1", "type": "meeting", "date": "2012-03-01", "convened_by": "ECO", "igos_invite": True},
     "igos_invite", "meeting"),
    ({"id": "d1", "type": "cooperation_response", "request": "r1", "from": "IOM", "date": "2014-03-01",
      "outcome": "declined", "ground": "not_possible"}, "ground", "cooperation_response"),
], ids=["fomr", "e-mail", "dat", "igos_invite", "ground"])
def test_a_typo_is_reported_with_the_field_and_the_event_type(event, field, event_type):
    """Each error comes from the event type the event says it is (its `if`/`then` branch), never another.

    As an editor shows it: the path to the event or field, the title of the
    schema the error comes from ("event termination_notice") and the message.
    """
    errors = list(SCENARIO_SCHEMA.iter_errors({"scenario": "typo", "events": [event]}))
    shown = [f"{'/'.join(map(str, e.absolute_path))}: {e.schema.get('title')}: {e.message}" for e in errors]
    assert errors, "the typo was accepted"
    assert all(str(e.schema.get("title")).startswith(f"event {event_type}") for e in errors), shown
    assert any(f"event {event_type}" in line and (f"'{field}'" in line or line.startswith(f"events/0/{field}:"))
               for line in shown), shown
    assert not any("oneOf" in e.validator or "is not valid under any" in e.message for e in errors), shown


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
