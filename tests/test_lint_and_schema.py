"""`mou lint` finds what compiles but is wrong; `mou schema` matches the shipped schemas."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mou.cli import main
from mou.language.corpus import shipped_clauses
from mou.tools.lint import lint

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def corpus(tmp_path):
    target = tmp_path / "clauses"
    shutil.copytree(shipped_clauses(), target)
    return target


def edit(corpus: Path, file: str, old: str, new: str) -> None:
    path = corpus / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def messages(corpus: Path) -> list[str]:
    return [str(d) for d in lint(corpus)]


def test_the_shipped_clauses_are_clean():
    assert lint(shipped_clauses()) == []


def test_a_paragraph_that_differs_from_the_signed_text(corpus):
    edit(corpus, "article-9.yaml", "by giving six months written notice", "by giving three months written notice")
    found = messages(corpus)
    assert any("article-9.yaml:" in m and "IX.3" not in m.split(":")[0] and "six months" in m for m in found), found
    assert any("no paragraph quotes this part of the signed text" in m for m in found), found


def test_an_unlisted_clause_file(corpus):
    (corpus / "article-10.yaml").write_text("article: X\ntitle: x\nparagraphs: []\n", encoding="utf-8")
    assert any("article-10.yaml is not listed in agreement.yaml" in m for m in messages(corpus))


def test_an_attribute_no_rule_sets(corpus):
    edit(corpus, "article-9.yaml", "      withdrawn: {type: bool, initial: false, says: the notice has been withdrawn,",
         "      forgotten: {type: bool, initial: false, says: nothing sets this}\n"
         "      withdrawn: {type: bool, initial: false, says: the notice has been withdrawn,")
    assert any("attribute 'forgotten' of termination_notice is never set" in m for m in messages(corpus))


def test_conflicting_rules(corpus):
    edit(corpus, "article-3.yaml", "    applies_if: not event.public_domain\n", "")
    found = messages(corpus)
    assert any("III.2/project-information and III.1/public-information" in m and "silently wins" in m
               for m in found), found


def test_an_unused_choice(corpus):
    edit(corpus, "article-9.yaml", "choice.short_notice == 'defer'", "true")
    edit(corpus, "article-9.yaml", " and choice.short_notice == 'defer'", "")
    assert any("interpretive choice 'short_notice' is never read" in m for m in messages(corpus))


def test_lint_command_exit_codes(corpus):
    runner = CliRunner()
    assert runner.invoke(main, ["lint", str(corpus)]).exit_code == 0
    edit(corpus, "article-9.yaml", "by giving six months written notice", "by giving three months written notice")
    result = runner.invoke(main, ["lint", "--format", "json", str(corpus)])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["diagnostics"][0]["line"] > 0


@pytest.mark.parametrize("kind", ["scenario", "clause"])
def test_the_shipped_schemas_are_up_to_date(kind):
    result = CliRunner().invoke(main, ["schema", kind])
    assert result.exit_code == 0
    shipped = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert json.loads(result.stdout) == shipped, f"regenerate with: mou schema {kind} > schemas/{kind}.schema.json"


def test_the_scenario_schema_names_every_event_type_and_question(ruleset):
    document = json.loads((ROOT / "schemas" / "scenario.schema.json").read_text(encoding="utf-8"))
    definitions = document["$defs"]
    assert {f"Event_{name}" for name in ruleset.event_types} <= set(definitions)
    assert {f"Question_{name}" for name in ruleset.questions} <= set(definitions)
    assert definitions["Event_termination_notice"]["properties"]["form"]["enum"] == [
        "letter", "note_verbale", "fax", "email", "oral"]
    assert "from" in definitions["Event_termination_notice"]["required"]


def test_invalid_input_with_json_format_prints_json_diagnostics(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("scenario: x\nevents:\n  - {id: a, type: signatur, party: ECO, date: 2009-01-01}\n")
    result = CliRunner().invoke(main, ["check", "--format", "json", str(path)])
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["diagnostics"][0] == {"file": str(path), "line": 3, "column": 19, "severity": "error",
                                          "message": "unknown event type 'signatur'; did you mean 'signature'?"}
