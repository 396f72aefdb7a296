"""The pytest plugin's ids and outcomes (issue 34, item 5)."""

from __future__ import annotations


SCENARIO = """
    scenario: plugin
    events:
      - {id: n1, type: termination_notice, from: IOM, to: ECO, date: 2020-05-10, form: letter}
    questions:
      - {ask: termination_notice_valid, notice: n1, expect: true}
      - {ask: in_force, on: 2020-11-11}
      - {ask: last_day_in_force, expect: 2020-11-10}
    """


def test_ids_read_file_question_args(pytester):
    pytester.makefile(".yaml", good=SCENARIO)
    result = pytester.runpytest("good.yaml", "--collect-only", "-q")
    result.stdout.fnmatch_lines(["good.yaml::termination_notice_valid(notice=n1)",
                                 "good.yaml::in_force(on=2020-11-11)",
                                 "good.yaml::last_day_in_force()",
                                 "good.yaml::properties"])
    assert "[]" not in result.stdout.str()


def test_a_question_without_expect_is_skipped_with_the_reason(pytester):
    pytester.makefile(".yaml", good=SCENARIO)
    result = pytester.runpytest("good.yaml", "-rs")
    result.assert_outcomes(passed=3, skipped=1)
    result.stdout.fnmatch_lines(["SKIPPED*answered, nothing to compare*"])


def test_an_id_selects_its_question(pytester):
    pytester.makefile(".yaml", good=SCENARIO)
    result = pytester.runpytest("good.yaml::termination_notice_valid(notice=n1)")
    result.assert_outcomes(passed=1)


def test_the_same_question_twice_has_two_ids(pytester):
    pytester.makefile(".yaml", twice="""
        scenario: twice
        questions:
          - {ask: in_force, on: 2020-01-01, expect: true}
          - {ask: in_force, on: 2020-01-01, expect: true}
        """)
    result = pytester.runpytest("twice.yaml", "--collect-only", "-q")
    result.stdout.fnmatch_lines(["twice.yaml::in_force(on=2020-01-01)", "twice.yaml::in_force(on=2020-01-01)#2"])
