"""yamlio: YAML 1.2 core scalars, positions, and refusing what loses or hides data."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, strategies as st

from mou.errors import MouError
from mou.language import yamldoc as Y
from mou.language.yamlio import LIMITS, load_yaml, resolve_plain


def problems(source, file="f.yaml"):
    with pytest.raises(MouError) as caught:
        load_yaml(source, file)
    return [str(d) for d in caught.value.diagnostics]


def test_yaml_1_2_core_schema_keeps_words_and_dates_as_text():
    data = load_yaml("a: no\nb: on\nc: NO\nd: 2009-01-27\ne: 6:00\nf: true\ng: 012\nh: ~\n", "f.yaml").data
    assert data == {"a": "no", "b": "on", "c": "NO", "d": "2009-01-27", "e": "6:00", "f": True, "g": 12,
                    "h": None}


def test_every_node_has_its_line_and_column():
    document = load_yaml("events:\n  - {id: n1, type: signature}\n", "f.yaml")
    assert str(document.location(("events", 0, "type"))) == "f.yaml:2:20"
    assert str(document.key_location(("events",))) == "f.yaml:1:1"
    assert str(document.location(("events", 0, "missing"))) == "f.yaml:2:5"


@pytest.mark.parametrize("source, expected", [
    ("a: 1\na: 2\n", "f.yaml:2:1: duplicate key 'a' (first given at line 1)"),
    ("x:\n  from: IOM\n  from: ECO\n", "f.yaml:3:3: duplicate key 'from'"),
    ("1: x\n", "f.yaml:1:1: key 1 is not text"),
    ("true: x\n", "f.yaml:1:1: key true is not text"),
    ("a: &x [1]\nb: *x\n", "f.yaml:1:4: anchors (&x) are not allowed"),
    ("a: !!python/object/apply:os.system [ls]\n", "is not allowed; only plain YAML values are"),
    ("a: !custom 1\n", "tag '!custom' is not allowed"),
    ("", "f.yaml:1:1: file is empty"),
    ("a: 1\n---\nb: 2\n", "more than one YAML document"),
    ("a: [1, 2\n", "f.yaml:2:1: the [ opened at line 1, column 4 is not closed"),
    ("a:\n\t- b\n", "f.yaml:2:1: a tab stands here; YAML indents and separates with spaces"),
    ("x: |\n  a\nb: c: d\n", "f.yaml:3:5: unexpected ': ' here: if this value is text containing ': ', put it in quotes"),
    ("a: [1, 2]\nnote: x\u00a0y: z\n", "f.yaml:2:8: a no-break space (U+00A0)"),
    ("a:\n  from:IOM\n  to: ECO\n", "f.yaml:2:3: a key needs a space after its colon: write `from: IOM`"),
    ("a: " + "9" * 500 + "\n", "f.yaml:1:4: a number of 500 digits is too long"),
    ("a: !!int x\n", "'x' is not a valid int"),
])
def test_refused_inputs_are_located(source, expected):
    assert any(expected in problem for problem in problems(source)), problems(source)


def test_bad_utf8_is_located():
    assert problems(b"a: 1\nb: caf\xe9\n") == ["f.yaml:2:7: byte 0xe9 is not valid UTF-8; save the file as UTF-8"]


def test_control_characters_are_located():
    assert problems("a: 1\nb: x\x07y\n") == ["f.yaml:2:5: control character U+0007 is not allowed in YAML"]


def test_depth_and_size_are_capped():
    assert any("nesting is deeper than" in p for p in problems("a: " + "[" * 200 + "]" * 200))
    assert any("the limit is" in p for p in problems(b"a: " + b"x" * (LIMITS.max_bytes + 1)))


def test_alias_bomb_is_refused_quickly():
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))
    assert any("aliases" in p or "anchors" in p for p in problems(bomb))



NAN = object()


def resolved_rule_by_rule(text):
    """The YAML 1.2 core schema's rules for a plain scalar, tried one by one."""
    if Y._NULL.fullmatch(text):
        return None
    if text in Y._BOOL:
        return Y._BOOL[text]
    if Y._INT10.fullmatch(text):
        return int(text)
    if Y._INT8.fullmatch(text):
        return int(text[2:], 8)
    if Y._INT16.fullmatch(text):
        return int(text[2:], 16)
    if Y._FLOAT.fullmatch(text):
        return float(text)
    if Y._INF.fullmatch(text):
        return -math.inf if text.startswith("-") else math.inf
    if Y._NAN.fullmatch(text):
        return NAN
    return text


@given(st.text(max_size=8) | st.from_regex(r"[-+]?(0x|0o|\.)?[0-9a-fA-F.]{0,4}([eE][-+]?[0-9]{1,2})?", fullmatch=True)
       | st.sampled_from(["~", "null", "Null", "NULL", "", "true", "True", "TRUE", "false", "FALSE", ".inf",
                          "-.Inf", ".NaN", "0o17", "0x1F", "1e3", "+.5", "no", "yes", "On", "nULL", "tRUE"]))
def test_resolving_a_plain_scalar_gives_what_the_rules_one_by_one_give(text):
    # `resolve_plain` first tests one pattern that every value other than text matches, for speed.
    expected, got = resolved_rule_by_rule(text), resolve_plain(text)
    if expected is NAN:
        assert isinstance(got, float) and math.isnan(got)
    else:
        assert got == expected and type(got) is type(expected)
