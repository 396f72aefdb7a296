"""DOMAIN.md's settled rules that are input errors, not answers: acts standing before the act they answer.

"Same-day events apply in file order, so an act that refers to another event
and stands before it in the file on the same date has nothing to act on yet
[...] a `notice_withdrawal` there is invalid input, like one dated before its
notice ("w1 withdraws n1, which comes later on the same day")." The answers
of the other settled rules are scenario files in `scenarios/` (their
descriptions cite DOMAIN.md).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mou.errors import MouError
from mou.language.compiler import compile_corpus

WITHDRAWAL_FIRST = """\
scenario: the withdrawal stands before its notice, on the same day
events:
  - {id: w1, type: notice_withdrawal, notice: n1, from: IOM, form: letter, date: 2020-05-12}
  - {id: n1, type: termination_notice, from: IOM, to: ECO, form: letter, date: 2020-05-12}
questions: []
"""

RESPONSE_FIRST = """\
scenario: the response stands before its request, on the same day
events:
  - {id: resp1, type: cooperation_response, request: r1, from: ECO, outcome: favourable, date: 2015-03-01}
  - {id: r1, type: cooperation_request, from: IOM, to: ECO, topics: [ii], date: 2015-03-01}
questions: []
"""


def problems(engine, text: str) -> list[str]:
    with pytest.raises(MouError) as caught:
        engine.loads(text, "case.yaml")
    return [str(d) for d in caught.value.diagnostics]


def test_a_withdrawal_standing_before_its_notice_on_the_same_day_is_invalid_input(native):
    assert problems(native, WITHDRAWAL_FIRST) == [
        "case.yaml:3:47: w1 withdraws n1, which comes later on the same day "
        "(event.date != event.notice.date or event.position > event.notice.position)"]


def test_standing_after_its_notice_it_is_valid(native):
    lines = WITHDRAWAL_FIRST.splitlines()
    swapped = "\n".join([*lines[:2], lines[3], lines[2], *lines[4:]]) + "\n"
    scenario = native.loads(swapped, "case.yaml")
    assert [event.id for event in scenario.events][-2:] == ["n1", "w1"]


def test_a_withdrawal_dated_before_its_notice_keeps_its_message(native):
    earlier = WITHDRAWAL_FIRST.replace("date: 2020-05-12}\n  - {id: n1", "date: 2020-05-11}\n  - {id: n1")
    assert [p.split(": ", 1)[1] for p in problems(native, earlier)] == [
        "a withdrawal cannot be dated before the notice it withdraws (event.date >= event.notice.date)"]


def test_a_response_standing_before_its_request_on_the_same_day_is_invalid_input(native):
    assert problems(native, RESPONSE_FIRST) == [
        "case.yaml:3:54: resp1 answers r1, which comes later on the same day "
        "(event.date != event.request.date or event.position > event.request.position)"]


def test_a_check_message_names_only_fields_of_its_event(tmp_path):
    clauses = tmp_path / "clauses"
    shutil.copytree(Path(__file__).resolve().parent / "clauses" / "failing", clauses)
    rules = clauses / "reports.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("""    attributes:
      timely:""", """    checks:
      - valid: event.due == null or event.due >= event.date
        message: "{id} is due on {deu}, before it was made"
    attributes:
      timely:"""), encoding="utf-8")
    with pytest.raises(MouError) as caught:
        compile_corpus(clauses)
    [problem] = caught.value.diagnostics
    assert problem.message == "{deu}: a message names a field of the event, its id or its date; did you mean 'due'?"
    assert problem.location.file == str(rules)
