"""compiler: clause files → a checked rule set; every mistake located."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from mou.language.compiler import compile_corpus
from mou.language.corpus import shipped_clauses
from mou.errors import MouError


def test_the_shipped_corpus_compiles(ruleset):
    assert ruleset.parties == ("ECO", "IOM")
    assert {"IX.1", "IX.2", "IX.3", "V.1.x", "preamble.1"} <= set(ruleset.paragraphs)
    assert ruleset.parameters["IX.3.notice_period"].default.count == 6
    assert set(ruleset.choices) >= {"notice_runs_from", "termination_effect", "short_notice", "email_is_writing",
                                    "notice_revocable", "oral_amendment_proposal", "proposal_counts_as_acceptance"}


def test_every_rule_cites_an_existing_paragraph(ruleset):
    assert ruleset.rules
    for rule in ruleset.rules:
        assert rule.paragraph in ruleset.paragraphs, rule.id


def test_every_choice_has_a_default_or_says_what_unset_leaves_open(ruleset):
    for choice in ruleset.choices.values():
        assert choice.default is not None or choice.unset, choice.name
        assert choice.source, choice.name


def test_the_engine_names_no_party_and_no_paragraph():
    engine_dir = Path(__file__).resolve().parent.parent / "engine"
    words = ("ECO", "IOM", "termination", "amendment", "IX.", "notice")
    for path in engine_dir.rglob("*.py"):
        if path.is_symlink() or path.parent.name == "commands":
            continue  # the click layer (cli.py, mou.commands): its help quotes the shipped MoU's examples
        text = path.read_text(encoding="utf-8")
        code = _without_docstrings("\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
        for word in words:
            assert not re.search(rf"\b{re.escape(word)}", code, re.IGNORECASE), f"{path.name} mentions {word!r}"


def _without_docstrings(code: str) -> str:
    import ast
    import io
    import tokenize

    docstrings = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
                docstrings.add(node.body[0].lineno)
    kept = []
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        if token.type == tokenize.STRING and token.start[0] in docstrings:
            continue
        kept.append(token.string)
    return " ".join(kept)


@pytest.fixture
def corpus(tmp_path):
    """A copy of the shipped clauses to break on purpose."""
    target = tmp_path / "clauses"
    shutil.copytree(shipped_clauses(), target)
    return target


def broken(corpus: Path, old: str, new: str, file: str = "article-9.yaml") -> list[str]:
    path = corpus / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(MouError) as caught:
        compile_corpus(corpus)
    return [str(d) for d in caught.value.diagnostics]


@pytest.mark.parametrize("old, new, expected", [
    ("      - given by a party: is_party(event.from)", "      - given by a party: is_party(event.fromm)",
     "a termination_notice event has no field or attribute 'fromm'; did you mean 'from'?"),
    ("in_writing(event.form)\n      - given while", "in_writng(event.form)\n      - given while",
     "unknown function 'in_writng'; did you mean 'in_writing'?"),
    ("    paragraph: IX.3\n    says: a party terminates", "    paragraph: IX.4\n    says: a party terminates",
     "cites paragraph 'IX.4', which no clause file defines"),
    ("choice.short_notice == 'defer'", "choice.short_notice == 'defr'", "'defr' is not a short_notice"),
    ("event.valid: true", "event.valid: event.date", "event.valid is a bool; this value is a date"),
    ("on: termination_notice\n    let:", "on: terminaton_notice\n    let:",
     "unknown event type 'terminaton_notice'; did you mean 'termination_notice'?"),
    ("      - in writing: in_writing(event.form)\n      - given", "      - in writing: event.form = 'letter'\n      - given",
     "syntax error: unexpected character '=' (write = as ==)"),
    ("agreement.last_day: today - 1 day", "agreement.last_dy: today - 1 day",
     "agreement has no attribute 'last_dy'; did you mean 'last_day'?"),
    ("    default: 6 months", "    default: 6 moths", "expected a duration"),
])
def test_mistakes_in_clause_files_are_located(corpus, old, new, expected):
    found = broken(corpus, old, new)
    assert any(expected in problem for problem in found), found
    assert all(problem.startswith(str(corpus)) for problem in found)
    assert all(":" in problem.split(" ")[0] for problem in found)


def test_a_rule_without_a_paragraph_is_refused(corpus):
    found = broken(corpus, "  - id: IX.3/withdrawal\n    paragraph: IX.3\n", "  - id: IX.3/withdrawal\n")
    assert any("missing required key 'paragraph'" in problem for problem in found), found


def test_unknown_keys_are_refused(corpus):
    found = broken(corpus, "    says: a party terminates", "    sayz: x\n    says: a party terminates")
    assert any("unknown key 'sayz'; did you mean 'says'?" in problem for problem in found), found
    found = broken(corpus, "      from: {type: actor, required: true, says: who gives the notice,",
                   "      from: {type: actor, requird: true, says: who gives the notice,")
    assert any("unknown key 'requird'; did you mean 'required'?" in problem for problem in found), found


def test_free_text_words_need_the_enum_the_free_text_is_not_a_value_of(corpus):
    said = broken(corpus, 'topics: {type: "list[text]", default: [], typos_of: area, free_text:',
                  'topics: {type: "list[text]", default: [], free_text:', "article-1.yaml")
    assert any("`free_text:` needs `typos_of:`" in line and "article-1.yaml:" in line for line in said), said
