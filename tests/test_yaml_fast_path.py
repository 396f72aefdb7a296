"""The fast way of reading YAML gives what the full way gives, or gives up.

`yamltree.load_fast` lets libyaml compose a plain file and looks positions
up when asked; `yamlevents.load_full` builds the data from the event stream
and records every mark. Every answer of a fast document (its data, and the
position and style of any path) must be the full reader's, and a file with
anything to report must be left to the full reader, which words it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from mou.errors import MouError
from mou.language.yamldoc import LIMITS, Limits
from mou.language.yamlevents import load_full
from mou.language.yamlio import decode, load_yaml
from mou.language.yamltree import load_fast

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "clauses").glob("*.yaml"))
CORPUS = sorted((ROOT / "tests" / "bad_inputs").iterdir())


def paths_of(data, path=()):
    """Every path into the data, and one step past each (which no node has)."""
    yield path
    yield path + ("no-such-key",)
    yield path + (10_000,)
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths_of(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths_of(value, path + (index,))


def assert_same(fast, full):
    assert fast.data == full.data
    assert fast.problems == full.problems == []
    for path in paths_of(full.data):
        assert fast.location(path) == full.location(path), path
        assert fast.key_location(path) == full.key_location(path), path
        assert fast.style(path) == full.style(path), path
    for path, location in full.marks.items():
        assert fast.location(path) == location, path


def read_both(text: str, limits: Limits = LIMITS):
    try:
        full = load_full(text, "f.yaml", limits, keep_going=True)
    except MouError:
        full = None
    return load_fast(text, "f.yaml", limits), full


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_file_is_read_fast_and_the_same(path):
    text = decode(path.read_bytes(), str(path))
    fast, full = read_both(text)
    assert fast is not None, "a shipped file is plain YAML: it should take the fast path"
    assert_same(fast, full)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_a_bad_input_is_read_the_same_or_left_to_the_full_reader(path):
    try:
        text = decode(path.read_bytes(), str(path))
    except MouError:
        return  # refused before either reader runs
    fast, full = read_both(text)
    if fast is not None:
        assert full is not None, "the fast path accepted what the full reader refuses"
        assert_same(fast, full)


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",  # anchor and alias
    "a: !!str 1\n",  # a tag
    "a: 1\na: 2\n",  # a duplicate key
    "1: one\n",  # a key that is not text
    "[a]: b\n",  # a key that is a list
    "a: 1\n---\nb: 2\n",  # two documents
    "",  # nothing
    "~\n",  # null
    "a: [1, 2\n",  # broken
    "\"a\\x07\": 1\n",  # a control character in a key
    "n: " + "9" * 101 + "\n",  # a number too long
    "[" * 100_000 + "]" * 100_000,  # too deep for libyaml's composer, which recurses in C
])
def test_what_the_full_reader_must_word_is_left_to_it(text):
    assert load_fast(text, "f.yaml", LIMITS) is None


def test_limits_are_the_full_readers():
    text = "a:\n  b:\n    c: [1, 2, 3]\n"
    assert load_fast(text, "f.yaml", Limits(max_depth=2)) is None
    assert load_fast(text, "f.yaml", Limits(max_nodes=5)) is None
    assert load_fast("a: abcdef\n", "f.yaml", Limits(max_scalar_chars=5)) is None
    assert load_fast(text, "f.yaml", LIMITS) is not None


def test_deep_nesting_is_still_refused_with_its_message():
    with pytest.raises(MouError) as caught:
        load_yaml("[" * 100_000 + "]" * 100_000, "deep.yaml")
    assert str(caught.value) == "deep.yaml:1:1001: invalid YAML: exceeded maximum nesting depth"  # libyaml's cap
    with pytest.raises(MouError) as caught:
        load_yaml("[" * 100 + "]" * 100, "deep.yaml")
    assert str(caught.value) == "deep.yaml:1:66: nesting is deeper than 64 levels"


def test_lines_are_counted_as_editors_count_them():
    text = "a: \"x\u2028y\"\nb: \"p\u0085q\"\nc: 3\n"  # U+2028 and NEL end no line
    fast, full = read_both(text)
    assert fast is not None
    assert fast.location(("c",)).line == 3
    assert_same(fast, full)


scalars = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
    st.integers(-10**6, 10**6), st.booleans(), st.none(),
    st.sampled_from(["no", "on", "2009-01-27", "1e3", "0x1F", ".inf", "null", "~", "6 months", "a: b", "- x"]),
)
keys = st.text(alphabet="abcdefgh_ -:.é", min_size=1, max_size=6)
trees = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
                     max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(trees, st.booleans(), st.sampled_from([None, "'", '"']))
def test_generated_yaml_reads_the_same_both_ways(data, flow, quote):
    text = yaml.safe_dump({"root": data}, default_flow_style=flow, default_style=quote, allow_unicode=True,
                          sort_keys=False)
    fast, full = read_both(text)
    if fast is not None:
        assert full is not None
        assert_same(fast, full)


@pytest.mark.parametrize("text", ["a: !!str 0o17\n", "a: !!bool yes\n", "a: !!str hello\n", "a: !foo x\n",
                                  "a: !!map {b: 1}\n", "a: ! 12\n", "a: '12'\n", "a: x != y\n", "a: !=\n"])
def test_a_written_tag_is_seen_in_the_tree(text):
    fast, full = read_both(text)
    if fast is not None:
        assert full is not None
        assert_same(fast, full)
    if "!!" in text or "!foo" in text or "! " in text:
        assert fast is None
