"""Messages that are true and located (issue 33): a manifest that lists a file twice is named as the place to
fix; a name with a letter of another script is told so even when it looks like no known name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mou.errors import MouError, suggest
from mou.language.compiler import compile_corpus
from mou.language.corpus import shipped_clauses


def copy(tmp_path: Path) -> Path:
    target = tmp_path / "clauses"
    shutil.copytree(shipped_clauses(), target)
    return target


@pytest.mark.parametrize("again", ["article-9.yaml", "./article-9.yaml"])
def test_a_manifest_listing_a_file_twice_names_the_manifest(tmp_path, again):
    clauses = copy(tmp_path)
    manifest = clauses / "agreement.yaml"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    at = lines.index("  - signature.yaml")
    lines.insert(at + 1, f"  - {again}")
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(MouError) as raised:
        compile_corpus(clauses)
    [diagnostic] = raised.value.diagnostics  # one problem: not every paragraph of the file "already defined"
    first = lines.index("  - article-9.yaml") + 1
    assert str(diagnostic) == (f"{manifest}:{at + 2}:5: {again!r} is listed twice in the manifest (also at line "
                               f"{first}, as 'article-9.yaml'); list each clause file once")


PARAGRAPHS = ["I.1", "I.2", "I.3", "II.1", "IX.1", "IX.3"]


@pytest.mark.parametrize("word, expected", [
    ("\u0406X.3", "; did you mean 'IX.3'? ('\u0406X.3' uses Cyrillic letters)"),
    ("I\u0406.3", "; did you mean 'I.3'? ('I\u0406.3' has a Cyrillic '\u0406' (U+0406), which looks like the Latin 'I')"),
    ("\u0406\u0406\u0406", " ('\u0406\u0406\u0406' has a Cyrillic '\u0406' (U+0406), which looks like the Latin 'I')"),
    ("X\u0456.1", "; did you mean 'IX.1'? ('X\u0456.1' has a Cyrillic '\u0456' (U+0456), which looks like the Latin 'i')"),
    ("I.4", "; did you mean 'I.3'?"),
    ("\u00dcber", ""),  # a Latin letter with a diacritic is no look-alike
])
def test_a_letter_of_another_script_is_named_even_without_a_twin(word, expected):
    assert suggest(word, PARAGRAPHS) == expected


def test_a_cited_paragraph_with_a_cyrillic_letter_says_so_where_it_is_cited(tmp_path):
    clauses = copy(tmp_path)
    article = clauses / "article-9.yaml"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("    paragraph: IX.3\n", "    paragraph: I\u0406.3\n", 1), encoding="utf-8")
    with pytest.raises(MouError) as raised:
        compile_corpus(clauses)
    message = str(raised.value.diagnostics[0])
    assert message.startswith(f"{article}:") and "a Cyrillic '\u0406' (U+0406)" in message
