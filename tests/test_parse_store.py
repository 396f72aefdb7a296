"""Parsed expressions kept on disk between runs: the same trees as parsing, and never a reason to fail.

A cold `mou` reads the trees of the clause files' expressions from the
store instead of parsing them (and so never loads Lark). These tests hold it
to that: every stored tree is the parser's own tree, offsets included; a
damaged, foreign or unwritable store costs a parse and nothing else; a text
that does not parse is never stored, so its message is the parser's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SCENARIOS
from mou.language import cachefiles, parse_store
from mou.language.compiler import compile_corpus
from mou.language.corpus import shipped_clauses
from mou.language.expressions import ExpressionSyntaxError, parse
from mou.language.grammar import parse_text

EXPRESSIONS = [
    "is_party(event.from) and event.to == other(event.from)",
    "event.given + param('IX.3.notice_period')",
    "all(p in amendment.accepted_by for p in parties)",
    "if choice.termination_effect == 'after_period_end' then period_end + 1 day else period_end",
    "count(c for c in consultation) >= 2 or not in_force",
    "[a for a in area if a in event.topics] == [] and 2009-01-27 < on - 12 months",
    "-(3) + 0 != null and true and false",
]


@pytest.fixture
def store_dir(tmp_path):
    """A fresh store directory for one test; the suite's own store again afterwards."""
    yield tmp_path / "cache"
    parse_store.use(parse_store.default_directory())
    parse.cache_clear()


@pytest.mark.parametrize("text", EXPRESSIONS)
def test_a_stored_tree_is_the_parsers_tree_offsets_included(text):
    tree = parse_text(text)
    again = parse_store.decode(json.loads(json.dumps(parse_store.encode(tree))))
    assert again == tree and repr(again) == repr(tree)  # repr shows start and end, which == ignores


def test_every_expression_of_the_shipped_clauses_comes_back_the_same(store_dir):
    writer = parse_store.use(store_dir)
    parse.cache_clear()
    compile_corpus(_copy_of_shipped(store_dir.parent))
    writer.save()
    texts = sorted(json.loads(cachefiles.read_sealed(writer.path, parse_store.MOST_BYTES))["trees"])
    assert len(texts) > 100
    reader = parse_store.use(store_dir)
    for text in texts:
        stored = reader.get(text)
        assert stored is not None, text
        assert repr(stored) == repr(parse_text(text)), text


def _copy_of_shipped(into: Path) -> Path:
    """A copy of the shipped clause files, so the process's compiled rule set is not reused."""
    import shutil

    target = into / "clauses"
    shutil.copytree(shipped_clauses(), target)
    (target / "article-9.yaml").write_text((target / "article-9.yaml").read_text(encoding="utf-8") + "\n",
                                           encoding="utf-8")
    return target


def test_a_run_that_parsed_writes_the_store_and_the_next_reads_it(store_dir):
    store = parse_store.use(store_dir)
    parse.cache_clear()
    parse(EXPRESSIONS[0])
    assert not store_dir.exists()  # written when a compilation ends, not per text
    store.save()
    [file] = store_dir.iterdir()
    assert file.name == f"expressions-{parse_store.parser_version()}.json"
    assert parse_store.use(store_dir).get(EXPRESSIONS[0]) == parse_text(EXPRESSIONS[0])


def test_two_runs_writing_at_once_keep_both_their_trees(store_dir):
    first, second = parse_store.ParseStore(store_dir), parse_store.ParseStore(store_dir)
    first.add(EXPRESSIONS[0], parse_text(EXPRESSIONS[0]))
    second.add(EXPRESSIONS[1], parse_text(EXPRESSIONS[1]))
    first.save()
    second.save()  # merges what the first wrote after it started
    reader = parse_store.ParseStore(store_dir)
    assert reader.get(EXPRESSIONS[0]) is not None and reader.get(EXPRESSIONS[1]) is not None
    assert [p.name for p in store_dir.iterdir()] == [reader.path.name]  # no temporary file left behind


@pytest.mark.parametrize("content", [
    b"", b"not json", b"[]", b'{"format": 99, "trees": {}}', b"\xff\xfe garbage", b"[" * 100_000,
    json.dumps({"format": parse_store.FORMAT, "trees": {EXPRESSIONS[0]: ["Exec", 0, 0, "os.system"]}}).encode(),
    json.dumps({"format": parse_store.FORMAT, "trees": {EXPRESSIONS[0]: ["Name", 0, 0]}}).encode(),
    json.dumps({"format": parse_store.FORMAT, "trees": {EXPRESSIONS[0]: ["Literal", 0, 0, {"date": "2009-13-45"}]}}).encode(),
    json.dumps({"format": parse_store.FORMAT, "trees": {EXPRESSIONS[0]: ["Literal", 0, 0, {"set": [1]}]}}).encode(),
], ids=["empty", "not-json", "a-list", "another-format", "binary", "deep", "unknown-node", "short-node", "bad-date",
        "unknown-value"])
@pytest.mark.parametrize("sealed", [False, True], ids=["unsealed", "sealed-with-the-users-key"])
def test_a_damaged_store_costs_a_parse_and_nothing_else(store_dir, content, sealed):
    store = parse_store.use(store_dir)
    store_dir.mkdir(mode=0o700)
    if sealed and content.startswith(b"{"):
        content = json.dumps({**json.loads(content), "parser": parse_store.parser_version()}).encode()
    store.path.write_bytes(cachefiles.seal(content) if sealed else content)
    parse.cache_clear()
    assert parse(EXPRESSIONS[0]) == parse_text(EXPRESSIONS[0])


def test_a_text_that_does_not_parse_is_never_stored_and_keeps_the_parsers_message(store_dir):
    store = parse_store.use(store_dir)
    parse.cache_clear()
    for attempt in range(2):
        with pytest.raises(ExpressionSyntaxError) as raised:
            parse("event.from = 'ECO'")
        assert str(raised.value) == "unexpected character '=' (write = as ==)" and raised.value.offset == 11
    store.save()
    assert not store_dir.exists()


def test_an_unwritable_store_directory_is_left_alone(store_dir):
    store_dir.parent.mkdir(exist_ok=True)
    store_dir.write_text("a file where the directory should be", encoding="utf-8")
    store = parse_store.use(store_dir)
    store.add(EXPRESSIONS[0], parse_text(EXPRESSIONS[0]))
    store.save()  # no error: the next run parses again
    assert store_dir.read_text(encoding="utf-8") == "a file where the directory should be"


def test_the_environment_chooses_the_place_or_turns_the_store_off(monkeypatch, tmp_path):
    monkeypatch.setenv("MOU_CACHE_DIR", str(tmp_path))
    assert parse_store.default_directory() == tmp_path
    monkeypatch.setenv("MOU_NO_CACHE", "1")
    assert parse_store.default_directory() is None
    monkeypatch.delenv("MOU_NO_CACHE")
    monkeypatch.delenv("MOU_CACHE_DIR")
    assert parse_store.default_directory().name == "mou"  # the user's cache directory (platformdirs)


PROBE = """
import sys
from mou.cli import main
try:
    main(sys.argv[1:], prog_name="mou")
except SystemExit as end:
    sys.stderr.write(f"exit {end.code} lark loaded: {'lark' in sys.modules}")
"""


def test_a_cold_check_with_its_trees_stored_does_not_load_the_parser(tmp_path):
    scenario = str(SCENARIOS / "ix3-notice-valid.yaml")
    environment = {"MOU_CACHE_DIR": str(tmp_path), "PATH": "", "COLUMNS": "100"}
    runs = [subprocess.run([sys.executable, "-c", PROBE, "check", scenario], capture_output=True, text=True,
                           env=environment, timeout=120) for _ in range(2)]
    assert runs[0].stderr.endswith("exit 0 lark loaded: True"), runs[0].stderr  # the first run parses
    assert runs[1].stderr.endswith("exit 0 lark loaded: False"), runs[1].stderr  # the second reads the store
    assert runs[0].stdout == runs[1].stdout
