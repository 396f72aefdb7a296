"""The JSON output is what its schemas in schemas/output/ say (docs/ci/json.md), and the schemas have teeth.

Real output of `check`, `ask`, `agenda` and `sweep --output-format jsonl` is validated against each
schema (Draft 2020-12), and each schema refuses a document that lacks a field it requires.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from mou.answers.output import CHECK_VERSION
from mou.cli import main
from mou.jsontext import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas" / "output"
# Scenarios whose explanations between them hold every part: reasons and counterfactuals, missing facts
# (unknown answers), an amended paragraph, choices that matter, duties and their breaches.
SCENARIOS = ["ix3-notice-valid.yaml", "ix3-telephone-notice.yaml", "uwm-iv1-missing-facts.yaml",
             "ix2-three-month-notice-period.yaml", "obligations-worked-example.yaml",
             "v-funding-facts-not-stated.yaml", "vii-consultation-gap.yaml"]


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def errors(name: str, document) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator(name).iter_errors(document)]


def check_document(*more: str):
    return json.loads(run("check", "--format", "json", *more, *(str(ROOT / "scenarios" / name) for name in SCENARIOS)))


def explained_check_document():
    return check_document("--explain")


def ask_document():
    return json.loads(run("ask", "termination_notice_valid", "--scenario",
                          str(ROOT / "scenarios/ix3-telephone-notice.yaml"), "--notice", "n1", "--format", "json"))


def agenda_document():
    return json.loads(run("agenda", str(ROOT / "scenarios/agenda-desk-december-2026.yaml"), "--days", "180",
                          "--format", "json"))


def sweep_rows(*more: str):
    text = run("sweep", str(ROOT / "scenarios/ix3-notice-valid.yaml"), "--vary", "n1.received=2020-05-08..2020-05-14",
               "--vary", "interpretation.notice_runs_from=receipt,dispatch", "--output-format", "jsonl", *more)
    return [json.loads(line) for line in text.splitlines()]


DOCUMENTS = {"check": check_document, "ask": ask_document, "agenda": agenda_document}
VERSIONS = {"check": CHECK_VERSION, "ask": SCHEMA_VERSION, "agenda": SCHEMA_VERSION}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_real_output_matches_its_schema(name):
    document = DOCUMENTS[name]()
    assert document["schema_version"] == VERSIONS[name] == (2 if name == "check" else 1)
    assert errors(name, document) == []


def test_the_explained_check_document_matches_its_schema():
    assert errors("check", explained_check_document()) == []


def test_version_1_of_the_check_document_is_what_explain_gives():
    # --explain gives every answer what version 1 gave: its schema, kept beside, takes the document
    document = explained_check_document()
    document["schema_version"] = 1
    assert errors("check-v1", document) == []
    assert errors("check-v1", check_document()) != []


def test_the_check_document_holds_explanations_of_every_part():
    # so that the tests above validated each part of an explanation against the schema, not an empty list
    for document, parts in ((explained_check_document(), ("counterfactuals", "choices", "paragraphs")),
                            (check_document(), ())):  # the default's whole explanations are the unknowns'
        explanations = [r["explanation"] for s in document["scenarios"] for r in s["results"]]
        for part in ("reasons", "missing", *parts):
            assert any(e.get(part) for e in explanations), part


@pytest.mark.parametrize("more", [(), ("--no-vector",)], ids=["vectorized", "scalar"])
def test_every_sweep_line_matches_its_schema(more):
    rows = sweep_rows(*more)
    assert len(rows) == 14
    for row in rows:
        assert row["schema_version"] == 1
        assert errors("sweep-row", row) == []


@pytest.mark.parametrize("name, path", [
    ("check", ("summary",)), ("check", ("decision", "clauses_sha256")), ("check", ("scenarios", 0, "results", 0, "ok")),
    ("check", ("schema_version",)), ("ask", ("answer",)), ("ask", ("explanation", "summary")),
    ("agenda", ("items", 0, "says")), ("agenda", ("on",)), ("sweep-row", ("invalid",)),
    ("sweep-row", ("schema_version",)),
])
def test_a_schema_refuses_a_document_missing_a_required_field(name, path):
    document = sweep_rows()[0] if name == "sweep-row" else DOCUMENTS[name]()
    assert errors(name, document) == []
    broken = copy.deepcopy(document)
    holder = broken
    for key in path[:-1]:
        holder = holder[key]
    del holder[path[-1]]
    assert any(repr(path[-1]) in message for message in errors(name, broken)), errors(name, broken)


def test_an_explanation_may_gain_fields():
    # the explanations issue adds fields (an `assumed` list, counterfactuals with `add`): version 1 allows them
    document = ask_document()
    document["explanation"]["assumed"] = [{"says": "a new kind of item"}]
    document["explanation"]["counterfactuals"].append({"add": {"type": "termination_notice"}, "says": "…"})
    document["explanation"]["a_field_not_yet_invented"] = {"x": 1}
    assert errors("ask", document) == []


def test_a_wrong_version_is_refused():
    document = ask_document()
    document["schema_version"] = 2
    assert errors("ask", document)
