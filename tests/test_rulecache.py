"""Stored rule sets: read back, they answer and explain as a fresh compile does; anything doubtful is compiled.

`mou.language.rulecache` writes a compiled rule set to the cache directory
(its data, and for each closure the syntax tree it was compiled from); the
next process reads it instead of compiling. These tests hold it to giving the
same answers and explanations, byte for byte, and to never trusting a file it
did not write.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SCENARIOS
from mou.api import Engine
from mou.errors import MouError
from mou.language import rulecache
from mou.language.compiler import compile_corpus
from mou.language.corpus import shipped_clauses
from mou.language.loading import load_ruleset
from mou.language.ruleset import NO_DEFAULT

FILES = sorted(SCENARIOS.glob("*.yaml"))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache directory, and no rule set kept in this process."""
    monkeypatch.setenv("MOU_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(rulecache, "_kept", {})
    return tmp_path


@pytest.fixture
def stored(cache):
    """The shipped rule set: compiled (and so stored), and read back from the store."""
    compiled = compile_corpus(shipped_clauses())
    key = rulecache.content_key(Path(shipped_clauses()))
    read = rulecache.read(key)
    assert read is not None, "the shipped rule set should be stored when compiled, and read back"
    return compiled, read


def checked(ruleset, files, explain):
    engine = Engine(ruleset=ruleset)
    return [json.dumps(engine.check(engine.read(file), explain=explain, properties=True).to_json(),
                       ensure_ascii=False) for file in files]


def test_a_stored_rule_set_answers_every_shipped_scenario_as_the_compiled_one(stored):
    compiled, read = stored
    assert read is not compiled
    assert checked(read, FILES, explain=False) == checked(compiled, FILES, explain=False)


def test_and_explains_them_the_same_word_for_word(stored):
    compiled, read = stored
    sample = FILES[::6]
    assert checked(read, sample, explain=True) == checked(compiled, sample, explain=True)


def without_addresses(value) -> str:
    """The repr of a value with each closure's address left out (closures are compiled again, so new)."""
    return re.sub(r" at 0x[0-9a-f]+>", ">", repr(value))


def test_its_data_is_the_compiled_data_closure_for_closure(stored):
    compiled, read = stored
    assert without_addresses(read) == without_addresses(compiled)
    assert "<function" in without_addresses(read)
    defaults = [spec.default for event in read.event_types.values() for spec in event.fields.values()]
    assert any(default is NO_DEFAULT for default in defaults)  # the marker keeps its identity


def test_a_command_reads_the_store_and_loads_neither_pydantic_models_nor_the_compiler(cache):
    probe = ("import sys; from mou.language.loading import load_ruleset; from mou.language.corpus import "
             "shipped_clauses; load_ruleset(shipped_clauses()); "
             "print(sorted(m for m in sys.modules if m in ('lark', 'mou.language.compiler', 'mou.language.model')))")
    environment = {**os.environ, "MOU_CACHE_DIR": str(cache)}
    first = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=environment, check=True)
    second = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=environment, check=True)
    assert first.stdout.strip() == "['lark', 'mou.language.compiler', 'mou.language.model']"
    assert second.stdout.strip() == "[]"


def only_file(cache: Path) -> Path:
    files = list(cache.glob("ruleset-*.pickle"))
    assert len(files) == 1
    return files[0]


@pytest.mark.parametrize("damage", ["flip a byte", "truncate", "empty"])
def test_a_damaged_file_is_ignored_and_the_clause_files_compiled(cache, damage):
    load_ruleset(shipped_clauses())
    path = only_file(cache)
    raw = bytearray(path.read_bytes())
    if damage == "flip a byte":
        raw[len(raw) // 2] ^= 0xFF
    elif damage == "truncate":
        raw = raw[: len(raw) // 2]
    else:
        raw = bytearray()
    path.write_bytes(bytes(raw))
    assert rulecache.read(rulecache.content_key(Path(shipped_clauses()))) is None
    rulecache._kept.clear()
    assert load_ruleset(shipped_clauses()).questions  # compiled again, and stored again
    assert rulecache.read(rulecache.content_key(Path(shipped_clauses()))) is not None


class Boom:
    def __reduce__(self):
        return (os.system, ("echo pwned > pwned.txt",))


def test_a_file_naming_anything_but_the_rule_sets_own_classes_is_refused_unrun(cache, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    key = rulecache.content_key(Path(shipped_clauses()))
    path = rulecache.file_for(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    for payload in (Boom(), [1, 2, 3]):
        data = pickle.dumps(payload)
        path.write_bytes(hashlib.sha256(data).digest() + data)  # a well-formed file of someone else's making
        assert rulecache.read(key) is None
    assert not (tmp_path / "pwned.txt").exists()


def test_an_edited_clause_file_is_compiled_again(cache, tmp_path):
    clauses = tmp_path / "clauses"
    clauses.mkdir()
    for file in Path(shipped_clauses()).iterdir():
        (clauses / file.name).write_bytes(file.read_bytes())
    before = load_ruleset(clauses)
    article = clauses / "article-9.yaml"
    article.write_text(article.read_text(encoding="utf-8").replace("six months", "six  months", 1), encoding="utf-8")
    rulecache._kept.clear()
    after = load_ruleset(clauses)
    assert after.sha256 != before.sha256
    assert len(list(cache.glob("ruleset-*.pickle"))) == 2


def test_nothing_is_stored_when_the_cache_is_off(cache, monkeypatch):
    monkeypatch.setenv("MOU_NO_CACHE", "1")
    load_ruleset(shipped_clauses())
    assert list(cache.iterdir()) == []


def test_clause_files_that_do_not_compile_are_never_stored(cache, tmp_path):
    clauses = tmp_path / "clauses"
    clauses.mkdir()
    for file in Path(shipped_clauses()).iterdir():
        (clauses / file.name).write_bytes(file.read_bytes())
    article = clauses / "article-9.yaml"
    article.write_text(article.read_text(encoding="utf-8") + "\nno_such_section: 1\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(MouError):
            load_ruleset(clauses)  # its problems are reported each time
    assert list(cache.glob("ruleset-*.pickle")) == []
    assert not [name for name in cache.iterdir() if name.name.endswith(".tmp")]


def test_only_the_most_recent_rule_sets_are_kept(cache, monkeypatch):
    monkeypatch.setattr(rulecache, "MOST_FILES", 2)
    for number in range(4):
        (cache / f"ruleset-old-{number}.pickle").write_bytes(b"x")
        os.utime(cache / f"ruleset-old-{number}.pickle", (number, number))
    load_ruleset(shipped_clauses())
    names = sorted(p.name for p in cache.glob("ruleset-*.pickle"))
    assert len(names) == 2 and "ruleset-old-3.pickle" in names


def test_concurrent_runs_each_read_or_write_a_whole_file(cache):
    probe = ("from mou.language.loading import load_ruleset; from mou.language.corpus import shipped_clauses; "
             "print(len(load_ruleset(shipped_clauses()).rules))")
    environment = {**os.environ, "MOU_CACHE_DIR": str(cache)}
    runs = [subprocess.Popen([sys.executable, "-c", probe], stdout=subprocess.PIPE, text=True, env=environment)
            for _ in range(4)]
    outputs = {run.communicate(timeout=120)[0] for run in runs}
    assert len(outputs) == 1 and all(run.returncode == 0 for run in runs)
    assert [p.name for p in cache.iterdir() if p.name.endswith(".tmp")] == []
    assert rulecache.read(rulecache.content_key(Path(shipped_clauses()))) is not None


def test_the_reader_refuses_a_closure_before_its_vocabulary():
    reader = rulecache._Reader(io.BytesIO(b""))
    with pytest.raises(pickle.UnpicklingError):
        reader.persistent_load(("expr", None, {}, False))
