"""`mou.jsontext.dumps` writes exactly `json.dumps(document, ensure_ascii=False, indent=2)`, whoever writes it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from enum import Enum

import pytest
from hypothesis import given, settings, strategies as st

from mou import jsontext

texts = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\x00\x1f\x7f\x85\u2028\"\\/\b\f\n\r\t"),
                max_size=10)
scalars = (texts | st.integers(-2**70, 2**70) | st.booleans() | st.none()
           | st.floats(allow_nan=True, allow_infinity=True))
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                         | st.lists(inner, max_size=3).map(tuple)
                         | st.dictionaries(texts, inner, max_size=4), max_leaves=25)


def standard(document):
    return json.dumps(document, ensure_ascii=False, indent=2)


@settings(max_examples=500)
@given(documents)
def test_the_text_is_the_standard_librarys(document):
    assert jsontext.dumps(document) == standard(document)


class Colour(str, Enum):
    RED = "red"


class Count(int):
    pass


@dataclass
class Point:
    x: int


@pytest.mark.parametrize("document", [
    {"big": 2**64}, {"float": 1e16}, {"small": 1e-5}, {"nan": float("nan")}, {1: "key not text"},
    {"lone surrogate": "\ud800"}, {"enum": Colour.RED}, {"subclass": Count(3)}, [[], {}, ()],
    {"nested": [{"a": [1, "b", None, True]}]}, "just text", 7, None,
])
def test_what_orjson_writes_its_own_way_is_left_to_the_standard_library(document):
    assert jsontext.dumps(document) == standard(document)


@pytest.mark.parametrize("document", [{"when": date(2020, 1, 1)}, {"point": Point(1)}, {"set": {1}}])
def test_what_the_standard_library_refuses_is_still_refused(document):
    with pytest.raises(TypeError):
        standard(document)
    with pytest.raises(TypeError):
        jsontext.dumps(document)


def test_the_shipped_scenarios_json_takes_the_fast_writer(monkeypatch):
    written = []
    monkeypatch.setattr(json, "dumps", lambda *args, **kwargs: written.append(args) or "")
    document = {"scenario": "t", "answers": [{"answer": True, "says": "ECO and IOM", "on": "2020-01-01"}]}
    assert jsontext.dumps(document).startswith("{\n  \"scenario\": \"t\"")
    assert written == []
