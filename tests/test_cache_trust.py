"""A cache that cannot be forged or confused: a file the user's key did not seal never changes an answer.

Each case is a way a hostile or careless party could put a file into the
cache (issue 33): a rule set re-pickled with a shorter notice period and its
checksum recomputed, one from another clause directory copied under this
one's name, an expression store that says a telephone call is "in writing",
files in a directory others can write, trees that explode when walked. In
each, the answers are those of a fresh compile, and nothing is a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import pickle
import shutil
import time
from pathlib import Path

import pytest

from conftest import SCENARIOS
from mou.api import Engine
from mou.language import cachefiles, parse_store, rulecache
from mou.language.compiler import compile_corpus
from mou.language.corpus import shipped_clauses
from mou.language.expressions import parse
from mou.language.loading import load_ruleset
from mou.language.syntax import BoolOp, Literal, Name

NOTICE = SCENARIOS / "ix3-notice-valid.yaml"
FILES = [NOTICE, *sorted(SCENARIOS.glob("ix3-*.yaml"))[:6]]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache directory, the user's key in a config directory of its own, nothing kept."""
    directory = tmp_path / "cache"
    directory.mkdir(mode=0o700)
    monkeypatch.setenv("MOU_CACHE_DIR", str(directory))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(rulecache, "_kept", {})
    monkeypatch.setattr(cachefiles, "_warned", set())
    parse_store.use(directory)
    parse.cache_clear()
    yield directory
    parse_store.use(parse_store.default_directory())
    parse.cache_clear()


def copy_of_shipped(into: Path, name: str = "clauses", edit: tuple[str, str] | None = None) -> Path:
    """A copy of the shipped clause files (its own content key), optionally with one text replaced."""
    target = into / name
    shutil.copytree(shipped_clauses(), target)
    article = target / "article-9.yaml"
    text = article.read_text(encoding="utf-8") + "\n"
    if edit is not None:
        assert edit[0] in text
        text = text.replace(*edit)
    article.write_text(text, encoding="utf-8")
    return target


def answers(ruleset) -> list[str]:
    engine = Engine(ruleset=ruleset)
    return [json.dumps(engine.check(engine.read(file), explain=False).to_json(), ensure_ascii=False)
            for file in FILES]


def fresh(directory: Path) -> list[str]:
    """What the clause files answer compiled now, with no cache at all."""
    parse_store.use(None)
    parse.cache_clear()
    rulecache._kept.clear()
    saved = os.environ.pop("MOU_CACHE_DIR")
    os.environ["MOU_NO_CACHE"] = "1"
    try:
        return answers(compile_corpus(directory))
    finally:
        os.environ["MOU_CACHE_DIR"] = saved
        del os.environ["MOU_NO_CACHE"]
        parse_store.use(Path(saved))
        parse.cache_clear()
        rulecache._kept.clear()


def loaded(directory: Path):
    """The rule set a new process gets: nothing kept in this one, so the cache is read if it is trusted."""
    rulecache._kept.clear()
    parse.cache_clear()
    parse_store.use(Path(os.environ["MOU_CACHE_DIR"]))
    return load_ruleset(directory)


@pytest.fixture
def forged(cache, tmp_path):
    """A clause directory, and the stored rule set of a copy whose notice period is one month."""
    honest = copy_of_shipped(tmp_path)
    short = copy_of_shipped(tmp_path, "short", ("default: 6 months", "default: 1 months"))
    load_ruleset(short)
    rulecache._kept.clear()
    [stored] = cache.glob("ruleset-*.pickle")
    raw = stored.read_bytes()
    stored.unlink()
    expected = fresh(honest)
    assert answers(load_ruleset(short)) != expected, "the forgery must be one that would change an answer"
    return honest, raw, expected


def sealed_with(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest() + data


def test_a_rule_set_from_another_clause_directory_under_this_ones_name_is_compiled_again(forged):
    honest, raw, expected = forged
    path = rulecache.file_for(rulecache.content_key(honest))
    path.write_bytes(raw)  # sealed with the user's key, but compiled for another directory
    path.chmod(0o600)
    assert rulecache.read(rulecache.content_key(honest)) is None
    assert answers(loaded(honest)) == expected


def test_a_rule_set_re_pickled_with_its_checksum_recomputed_is_never_used(forged):
    honest, raw, expected = forged
    key = rulecache.content_key(honest)
    body = raw[32:].partition(b"\n")[2]  # the one-month rule set's pickle
    header = rulecache._header(key)
    path = rulecache.file_for(key)
    for forgery in (hashlib.sha256(body).digest() + body,  # the old layout, checksum recomputed
                    hashlib.sha256(header + body).digest() + header + body,
                    sealed_with(b"\0" * 32, header + body),  # sealed with a key that is not the user's
                    sealed_with(os.urandom(32), header + body)):
        path.write_bytes(forgery)
        assert rulecache.read(key) is None
        assert answers(loaded(honest)) == expected
        assert rulecache.read(key) is not None  # compiled, and stored again with the user's seal


def test_a_cache_restored_from_elsewhere_is_compiled_again(forged, tmp_path, monkeypatch):
    honest, _, expected = forged
    loaded(honest)  # stored, sealed with this user's key
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "another-machine"))  # another user's key
    assert rulecache.read(rulecache.content_key(honest)) is None
    assert answers(loaded(honest)) == expected


def test_the_expression_store_cannot_make_a_telephone_notice_written(cache, tmp_path):
    honest = copy_of_shipped(tmp_path)
    expected = fresh(honest)
    text = "in_writing(event.form)"
    lie = parse_store.encode(Literal(True, start=0, end=len(text)))
    path = parse_store.ParseStore(cache).path
    body = json.dumps({"format": parse_store.FORMAT, "parser": parse_store.parser_version(),
                       "trees": {text: lie}}).encode()
    for forgery in (body, sealed_with(os.urandom(32), body)):
        path.write_bytes(forgery)
        assert answers(loaded(honest)) == expected


def test_a_damaged_store_is_never_reported_as_an_error_in_a_clause_file(cache, tmp_path):
    honest = copy_of_shipped(tmp_path)
    text = "in_writing(event.form)"
    wrong = parse_store.encode(Name("no_such_name_anywhere", start=0, end=5))
    path = parse_store.ParseStore(cache).path
    body = json.dumps({"format": parse_store.FORMAT, "parser": parse_store.parser_version(),
                       "trees": {text: wrong}}).encode()
    path.write_bytes(cachefiles.seal(body))  # even sealed with the user's own key (a bug of ours)
    assert loaded(honest).questions  # compiled again from the texts alone: no error in article-9.yaml


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_a_cache_directory_others_can_write_is_not_used(cache, tmp_path, capfd):
    honest = copy_of_shipped(tmp_path)
    loaded(honest)
    cache.chmod(0o777)
    try:
        assert rulecache.read(rulecache.content_key(honest)) is None
        err = capfd.readouterr().err
        assert err.count("\n") == 1 and "writable by group or others (mode 0777)" in err and str(cache) in err
        before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
        assert loaded(honest).questions
        assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == before  # nor written
    finally:
        cache.chmod(0o700)


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="chown needs root")
def test_cache_files_owned_by_another_user_are_not_used(cache, tmp_path, capfd):
    honest = copy_of_shipped(tmp_path)
    loaded(honest)
    [stored] = cache.glob("ruleset-*.pickle")
    os.chown(stored, 65534, 65534)
    assert rulecache.read(rulecache.content_key(honest)) is None
    assert "owned by another user (uid 65534)" in capfd.readouterr().err


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_a_key_others_can_read_is_not_used(cache, tmp_path, capfd):
    honest = copy_of_shipped(tmp_path)
    loaded(honest)
    cachefiles.key_file().chmod(0o644)
    assert rulecache.read(rulecache.content_key(honest)) is None
    assert "readable by group or others" in capfd.readouterr().err
    assert loaded(honest).questions


def test_the_key_is_made_on_first_use_outside_the_cache_with_mode_0600(cache, tmp_path):
    loaded(copy_of_shipped(tmp_path))
    key = cachefiles.key_file()
    assert key.is_file() and not key.is_relative_to(cache)
    assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_bytes()) == cachefiles.KEY_BYTES


def dag(levels: int):
    """A tree of 2**levels paths in `levels` objects: each level uses the one below twice."""
    node = Literal(True, start=0, end=4)
    for _ in range(levels):
        node = BoolOp("and", (node, node), start=0, end=4)
    return node


def test_a_tree_that_shares_its_branches_is_refused_without_walking_them_all():
    started = time.monotonic()
    with pytest.raises(pickle.UnpicklingError):
        rulecache.bounded(dag(64))
    assert time.monotonic() - started < 1
    assert rulecache.bounded(dag(5)) is not None


def test_a_sealed_rule_set_holding_an_exploding_tree_or_a_wrong_type_is_compiled_again(cache, tmp_path):
    honest = copy_of_shipped(tmp_path)
    key = rulecache.content_key(honest)
    compiled = loaded(honest)
    vocabulary = rulecache.Vocabulary(("A", "B"), {}, {}, {}, {}, {}, (), (), {})
    header = rulecache._header(key)
    for payload in ((vocabulary, ("expr", dag(64), {}, False)), (vocabulary, "not a rule set"),
                    (vocabulary, [1, 2, 3]), ("not a vocabulary",)):
        buffer = io.BytesIO()
        for part in payload:
            recipe = isinstance(part, tuple) and part and part[0] == "expr"
            _RecipePickler(buffer, protocol=5).dump(_Persistent(part) if recipe else part)
        rulecache.file_for(key).write_bytes(cachefiles.seal(header + buffer.getvalue()))
        started = time.monotonic()
        assert rulecache.read(key) is None
        assert time.monotonic() - started < 2
    assert answers(loaded(honest)) == answers(compiled)


class _Persistent:
    """A closure's recipe, which `_RecipePickler` writes as the cache writes one (a persistent id)."""

    def __init__(self, recipe):
        self.recipe = recipe


class _RecipePickler(pickle.Pickler):
    def persistent_id(self, obj):
        return obj.recipe if isinstance(obj, _Persistent) else None


def test_temporary_files_of_killed_writers_are_removed(cache, tmp_path):
    dead = cache / f".ruleset-abc-{2**22 + 12345}-x1y2.tmp"  # no such process
    old = cache / ".expressions-abc-q1w2.tmp"
    mine = cache / f".ruleset-abc-{os.getpid()}-live.tmp"
    unrelated = cache / "notes.txt"
    for file in (dead, old, mine, unrelated):
        file.write_bytes(b"partial")
    os.utime(old, (1, 1))
    loaded(copy_of_shipped(tmp_path))
    assert not dead.exists() and not old.exists()
    assert mine.exists() and unrelated.exists()
