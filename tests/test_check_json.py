"""`mou check --format json`, schema_version 2 (issue 32): what the text shows, in structure; written file by
file; a scenario's questions capped.

- every answer has its summary; the whole explanation is given where the answer fails its `expect` or is
  `unknown`, and for every answer with `--explain`, which gives what version 1 gave;
- the summary given alone is the summary of the whole explanation;
- the document written scenario by scenario is byte for byte the document built whole;
- a file with more questions than the limit is refused at reading time, located at the first one past it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mou import Engine
from mou import jsontext
from mou.answers.output import CHECK_VERSION, check_document, check_text
from mou.cli import main
from mou.errors import MouError
from mou.language.yamldoc import LIMITS
from mou.scenario.reader import too_many

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
# Between them: passing answers, unknown ones (uwm-iv1, v-funding), a property that fails on none, a scenario
# with its own reading (ix2), duties (obligations-worked-example).
SOME = [SCENARIOS / name for name in ("ix3-notice-valid.yaml", "uwm-iv1-missing-facts.yaml",
                                      "ix2-three-month-notice-period.yaml", "obligations-worked-example.yaml",
                                      "v-funding-facts-not-stated.yaml")]
FAILING = """\
scenario: a wrong expectation
events:
  - {id: n1, type: termination_notice, from: IOM, to: ECO, date: 2020-05-10, received: 2020-05-12, form: letter}
questions:
  - {ask: termination_notice_valid, notice: n1, expect: false}
  - {ask: in_force, on: 2020-11-12, expect: true}
"""


@pytest.fixture(scope="module")
def engine():
    return Engine()


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_every_answer_has_its_summary_and_only_failures_and_unknowns_the_rest(tmp_path):
    failing = tmp_path / "failing.yaml"
    failing.write_text(FAILING, encoding="utf-8")
    code, out, _ = run("check", "--format", "json", *map(str, SOME), str(failing))
    assert code == 1
    document = json.loads(out)
    assert document["schema_version"] == CHECK_VERSION == 2
    whole = lean = 0
    for scenario in document["scenarios"]:
        for result in scenario["results"]:
            explanation = result["explanation"]
            assert explanation["summary"]
            if result["ok"] is False or result["answer"] == "unknown":
                assert {"reasons", "counterfactuals", "steps", "facts"} <= set(explanation)
                whole += 1
            else:
                assert set(explanation) == {"summary"}
                lean += 1
    assert whole >= 3 and lean >= 10


def test_explain_gives_every_answer_what_version_1_gave_and_the_summaries_agree(engine):
    _, explained, _ = run("check", "--format", "json", "--explain", *map(str, SOME))
    _, default, _ = run("check", "--format", "json", *map(str, SOME))
    explained, default = json.loads(explained), json.loads(default)
    results = [engine.check(engine.read(path), properties=True) for path in SOME]
    version_1 = {"schema_version": CHECK_VERSION, **check_document(results, [], explained["decision"])}
    assert explained == version_1  # version 1's document, each answer explained in full
    assert default["summary"] == explained["summary"]
    for lean, whole in zip(default["scenarios"], explained["scenarios"]):
        for a, b in zip(lean["results"], whole["results"]):
            assert a["explanation"]["summary"] == b["explanation"]["summary"]
            assert {k: v for k, v in a.items() if k != "explanation"} == {k: v for k, v in b.items()
                                                                           if k != "explanation"}


@pytest.mark.parametrize("explain_all", [False, True], ids=["default", "explain"])
def test_the_document_written_file_by_file_is_the_document_built_whole(engine, tmp_path, explain_all):
    missing = tmp_path / "missing.yaml"
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: x\nevents:\n  - {id: a, type: terminaton_notice}\n", encoding="utf-8")
    files = [*SOME, bad, missing]
    problems: list = []
    decision = engine.decision()
    pieces = check_text(engine.check_each(files, problems), problems, decision, explain_all,
                        head={"schema_version": CHECK_VERSION})
    streamed = "".join(pieces)
    results, diagnostics = engine.check_files(files)
    whole = jsontext.dumps({"schema_version": CHECK_VERSION, **check_document(results, diagnostics, decision,
                                                                               explain_all)})
    assert diagnostics and streamed == whole


def test_an_empty_document_written_in_pieces_is_the_same(engine):
    problems: list = []
    decision = engine.decision()
    assert "".join(check_text(iter(()), problems, decision, False)) == jsontext.dumps(
        check_document([], problems, decision))


def test_the_command_prints_the_document_built_whole(engine):
    code, out, _ = run("check", "--format", "json", *map(str, SOME))
    results, diagnostics = engine.check_files(SOME)
    expected = jsontext.dumps({"schema_version": CHECK_VERSION,
                               **check_document(results, diagnostics, engine.decision(), explain_all=False)})
    assert code == 0 and out == expected + "\n"


def questions(count: int) -> str:
    head = ("scenario: many questions\nevents:\n"
            "  - {id: n1, type: termination_notice, from: IOM, to: ECO, date: 2020-05-10, form: letter}\nquestions:\n")
    return head + "  - {ask: in_force, on: 2020-11-12}\n" * count


def test_a_scenario_with_more_questions_than_the_limit_is_refused_at_its_line(tmp_path):
    path = tmp_path / "many.yaml"
    path.write_text(questions(LIMITS.max_questions + 1), encoding="utf-8")
    code, out, err = run("check", str(path))
    assert code == 2 and "Traceback" not in err
    # the first question past the limit: four lines before the questions, then one a line
    assert f"{path}:{LIMITS.max_questions + 5}:5: the scenario asks 10,001 questions; the limit is 10,000" in err


def test_the_limit_itself_is_read(engine):
    document = engine.reader.loads(questions(3), "few.yaml")
    assert len(document.questions) == 3
    from mou.language.yamlio import load_yaml

    too_many(load_yaml(questions(3), "few.yaml"), limit=3)  # at the limit: read
    with pytest.raises(MouError) as raised:
        too_many(load_yaml(questions(4), "four.yaml"), limit=3)
    [diagnostic] = raised.value.diagnostics
    assert (diagnostic.location.line, diagnostic.location.column) == (8, 5)


def test_the_limit_is_documented():
    contract = (ROOT / "docs" / "contract" / "SCENARIOS.md").read_text(encoding="utf-8")
    assert f"{LIMITS.max_questions:,} questions" in contract


def test_explanations_made_later_are_the_explanations(engine):
    # `later`: a scenario whose questions are all about a day is answered without explanations, and each is
    # explained from the case as of its day (the whole case replayed explained only when one rests on it)
    dated = [path for path in sorted(SCENARIOS.glob("*.yaml"))
             if all(call.definition.at is not None for call in engine.read(path).questions)]
    assert len(dated) >= 10
    for path in dated:
        scenario = engine.read(path)
        now = engine.check(scenario, properties=True).to_json()
        later = engine.check(scenario, properties=True, later=True)
        assert later.to_json() == now, path.name
        assert not later.replay.explain  # answered without explanations


def test_the_decision_records_version_is_importlib_metadatas(tmp_path, monkeypatch):
    """`record.version` reads the metadata itself (importing importlib.metadata cost a cold JSON run): it finds
    what importlib.metadata finds, here and from a directory whose own metadata comes first on the path."""
    import importlib.metadata
    import sys

    from mou.answers.record import _metadata_version

    assert _metadata_version("mou") == importlib.metadata.version("mou")
    (tmp_path / "mou-9.8.7.dist-info").mkdir()
    (tmp_path / "mou-9.8.7.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: mou\nVersion: 9.8.7\n\n"
                                                              "Version: not this\n", encoding="utf-8")
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    assert _metadata_version("mou") == importlib.metadata.version("mou") == "9.8.7"
