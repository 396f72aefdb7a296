"""Fuzzing the reader: whatever the input, a result or located diagnostics, never a crash.

Four generators, all through the library (faster than the CLI):

- mutations of the shipped valid scenarios (lines deleted, duplicated, swapped;
  YAML special strings, vocabulary words and odd characters inserted; a
  character changed);
- random bytes, alone or after the start of a valid file;
- random YAML documents built from dicts, lists and scalars whose keys and
  values include the real field names, event types, questions and parties;
- valid generated scenarios (`engine.testing.scenario_data`) with one value
  replaced by a wrong one.

Every input must end either in a result with no rule `errors` or in a
`MouError` whose every diagnostic has a line and column ≥ 1 and a message;
any other exception is a failure. The CI profile (tests/conftest.py) makes the
runs derandomized; each test sets its own example count (`EXAMPLES`, 3,900 in
all per run).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mou import Engine, MouError
from mou.tools.strategies import scenario_data
from mou.language.yamlio import load_yaml
from conftest import effort

ENGINE = Engine(backend="native")
RULESET = ENGINE.ruleset
SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
VALID = [path.read_text(encoding="utf-8") for path in sorted(SCENARIOS.glob("*.yaml"))]
FILE = "fuzz.yaml"

EXAMPLES = {"mutations": 1500, "bytes": 500, "bytes_after_valid_start": 300, "random_yaml": 800,
            "corrupted_generated": 800}
"""Examples per run of each fuzz test under the mou-ci profile (derandomized: the same ones every run)."""


def fuzz_settings(name: str):
    return settings(max_examples=effort(EXAMPLES[name]), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


def outcome(source: str | bytes) -> str:
    """Read, validate and check `source`; 'valid' or 'invalid', or an AssertionError naming the crash."""
    try:
        if isinstance(source, bytes):
            scenario = ENGINE.reader.from_document(load_yaml(source, FILE))
        else:
            scenario = ENGINE.loads(source, FILE)
    except MouError as error:
        assert error.diagnostics, "a MouError without diagnostics"
        for diagnostic in error.diagnostics:
            assert diagnostic.location.file == FILE, diagnostic
            assert diagnostic.location.line >= 1 and diagnostic.location.column >= 1, \
                f"diagnostic without a position: {diagnostic}"
            assert diagnostic.message.strip(), f"diagnostic without a message: {diagnostic!r}"
            assert "Traceback" not in diagnostic.message
        return "invalid"
    ENGINE.check(scenario, properties=True)  # a rule that fails raises RuleError, which fails the test
    return "valid"


# -- vocabulary -----------------------------------------------------------------------------------

FIELDS = sorted({name for definition in RULESET.event_types.values() for name in definition.fields}
                | {"id", "type", "date", "ask", "expect", "on", "scenario", "description", "as_of",
                   "interpretation", "parameters", "events", "questions"}
                | {argument.name for question in RULESET.questions.values() for argument in question.args})
WORDS = sorted(set(FIELDS) | set(RULESET.event_types) | set(RULESET.questions) | set(RULESET.choices)
               | set(RULESET.parameters) | set(RULESET.parties)
               | {"EC0", "iom", "IOM.", "Turkey", "letter", "leter", "fax", "favourable", "declined",
                  "receipt", "dispatch", "6 months", "6 moths", "six months", "12 months", "n1", "m1", "sig-eco"})
SPECIALS = ["~", "&a ", "*a", "&a", "!!python/object:x", "!!python/object/apply:os.system [ls]", "!!str ",
            "!!int ", "!!binary ", "!custom ", ": :", "- -", "\t", " \t", "NO", "yes", "on", "off", "null",
            "2015-02-30", "2020-05-10T10:00:00+02:00", "10/05/2020", "6:00", "012", "0x1F", "0o17", "1e999",
            ".nan", "-.inf", "'", '"', "{", "}", "[", "]", ",", "#", "|", ">", "? ", "---", "...", "<<: *a",
            "%YAML 1.1", "\\", "é", "\u00a0", "\u200b", "\u2028", "“", "”", "\U0001f600", "\ufeff", "\r",
            "\r\n", "\x85", " " * 40, "a" * 200, "9" * 30]
TEXT_CHARS = st.characters(blacklist_categories=("Cs",))


# -- (a) mutations of valid scenarios -------------------------------------------------------------

@st.composite
def mutated(draw) -> str:
    text = draw(st.sampled_from(VALID))
    for _ in range(draw(st.integers(1, 3))):
        lines = text.split("\n")
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "insert_line", "change", "word"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert_line":
            indent = " " * draw(st.sampled_from([0, 2, 4, 5, 6]))
            lines.insert(i, indent + draw(st.sampled_from(SPECIALS + WORDS)) + draw(st.sampled_from(["", ": x", ":"])))
        else:
            line = lines[i]
            k = draw(st.integers(0, len(line)))
            if op == "insert":
                piece = draw(st.sampled_from(SPECIALS))
                line = line[:k] + piece + line[k:]
            elif op == "word":  # a real word (or near miss) in place of the next word
                end = k
                while end < len(line) and (line[end].isalnum() or line[end] in "_.-"):
                    end += 1
                line = line[:k] + draw(st.sampled_from(WORDS)) + line[end:]
            else:
                line = line[:k] + draw(st.text(TEXT_CHARS, min_size=1, max_size=1)) + line[k + 1:]
            lines[i] = line
        text = "\n".join(lines)
    return text


@fuzz_settings("mutations")
@given(mutated())
def test_mutated_scenarios_never_crash(text):
    outcome(text)


# -- (b) random bytes ----------------------------------------------------------------------------

@fuzz_settings("bytes")
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash(raw):
    outcome(raw)


@fuzz_settings("bytes_after_valid_start")
@given(st.sampled_from(VALID), st.floats(0, 1), st.binary(min_size=1, max_size=200))
def test_bytes_after_the_start_of_a_valid_file_never_crash(text, fraction, tail):
    raw = text.encode("utf-8")
    outcome(raw[: int(len(raw) * fraction)] + tail)


# -- (c) random YAML documents -------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(TEXT_CHARS, max_size=20), st.sampled_from(WORDS), st.sampled_from(SPECIALS),
    st.dates().map(lambda d: d.isoformat()),
)
KEYS = st.one_of(st.sampled_from(FIELDS), st.sampled_from(WORDS), st.text(TEXT_CHARS, max_size=10))
ODD_KEYS = st.one_of(KEYS, st.integers(-5, 5), st.booleans(), st.none())  # keys that are not text: refused
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(KEYS, inner, max_size=4)),
                      max_leaves=25)


@st.composite
def scenario_like(draw) -> dict:
    """A mapping shaped like a scenario (events and questions of real types) with random contents."""
    events = []
    for number in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(sorted(RULESET.event_types)))
        item = {"id": draw(st.sampled_from([f"e{number}", "e0", "n1"])), "type": kind,
                "date": draw(st.one_of(st.dates().map(lambda d: d.isoformat()), SCALARS))}
        for name in draw(st.lists(st.sampled_from(sorted(RULESET.event_types[kind].fields) + FIELDS), max_size=5)):
            item[name] = draw(VALUES)
        events.append(item)
    questions = []
    for _ in range(draw(st.integers(0, 3))):
        ask = draw(st.sampled_from(sorted(RULESET.questions)))
        item = {"ask": ask}
        for argument in RULESET.questions[ask].args:
            if draw(st.booleans()):
                item[argument.name] = draw(st.one_of(st.sampled_from(["e0", "e1", "n1"]), VALUES))
        if draw(st.booleans()):
            item["expect"] = draw(VALUES)
        questions.append(item)
    data = {"scenario": draw(st.one_of(st.just("fuzz"), SCALARS)), "events": events, "questions": questions}
    for key in draw(st.lists(ODD_KEYS, max_size=2)):
        data[key] = draw(VALUES)
    return data


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None)


@fuzz_settings("random_yaml")
@given(st.one_of(VALUES, scenario_like()))
def test_random_yaml_never_crashes(data):
    outcome(dump(data))


# -- (d) valid generated scenarios with one wrong value --------------------------------------------

def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, prefix + (index,))


@fuzz_settings("corrupted_generated")
@given(scenario_data(RULESET), st.data())
def test_generated_scenarios_with_one_wrong_value_never_crash(data, draw):
    everywhere = [p for p in paths(data) if p]
    deep = [p for p in everywhere if len(p) >= 3] or everywhere  # mostly a field of an event or question
    where = draw.draw(st.one_of(st.sampled_from(deep), st.sampled_from(deep), st.sampled_from(everywhere)))
    parent = data
    for part in where[:-1]:
        parent = parent[part]
    parent[where[-1]] = draw.draw(st.one_of(SCALARS, VALUES))
    outcome(dump(data))


# -- known inputs: the valid corpus, the caps, and crashes found so far ------------------------------

@pytest.mark.parametrize("text", VALID[:5], ids=[p.stem for p in sorted(SCENARIOS.glob("*.yaml"))][:5])
def test_the_judge_accepts_valid_scenarios(text):
    assert outcome(text) == "valid"


ALIAS_BOMB = "scenario: bomb\ndescription:\n  a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"  {chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))


@pytest.mark.parametrize("text", [
    ALIAS_BOMB,
    "scenario: deep\ndescription: " + "[" * 200 + "]" * 200 + "\n",
    "scenario: deep\ndescription:\n" + "".join("  " * i + "- \n" for i in range(1, 201)),
    "scenario: deep\ndescription: " + "{a: " * 200 + "x" + "}" * 200 + "\n",
], ids=["alias-bomb", "nesting-200-flow-lists", "nesting-200-block-lists", "nesting-200-flow-mappings"])
def test_alias_bomb_and_deep_nesting_are_refused_quickly(text):
    for source in (text, text.encode("utf-8")):
        start = time.perf_counter()
        assert outcome(source) == "invalid"
        assert time.perf_counter() - start < 1.0


NOTICE = """\
scenario: IOM gives notice of termination
events:
  - {id: n1, type: termination_notice, from: IOM, to: ECO, date: 2020-05-10, form: letter}
questions:
  - {ask: termination_notice_valid, notice: n1}
"""


@pytest.mark.parametrize("text", [
    # An integer of more than 4,300 digits: int() raises ValueError in yamlio.resolve_plain.
    NOTICE.replace("form: letter", "form: " + "1" * 5000),
    NOTICE.replace("notice: n1}", "notice: n1, expect: " + "1" * 5000 + "}"),
    # Hexadecimal: int() works, then repr() in the diagnostic raises ValueError.
    NOTICE.replace("form: letter", "form: 0x" + "f" * 4000),
    # With !!int the ValueError becomes a diagnostic that speaks of sys.set_int_max_str_digits().
    NOTICE.replace("form: letter", "form: !!int " + "1" * 5000),
    # Dates and periods past the calendar: refused at their field by the calendar rule (mou.dates).
    NOTICE.replace("date: 2020-05-10", "date: 9999-12-01"),
    NOTICE.replace("date: 2020-05-10", "date: 9999-06-01, received: 9999-12-30"),
    NOTICE.replace("events:", "parameters: {IX.3.notice_period: 999999 years}\nevents:"),
], ids=["5000-digit-integer", "5000-digit-expect", "4000-digit-hexadecimal", "5000-digit-tagged-int",
        "notice-in-9999", "received-in-9999", "notice-period-999999-years"])
def test_crashes_found_by_fuzzing(text):
    """Inputs that crashed (exception other than MouError, or rule errors) when this file was written."""
    outcome(text)
    try:
        ENGINE.loads(text, FILE)
    except MouError as error:
        assert all("set_int_max_str_digits" not in d.message for d in error.diagnostics), error
