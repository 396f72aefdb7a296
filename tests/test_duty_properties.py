"""Properties of Articles I–VIII and of duties, over generated scenarios (hypothesis)."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from mou.errors import MouError
from mou.tools.strategies import as_document, scenario_data
from mou.values import to_json

ARTICLES_I_TO_VIII = ("meeting", "invitation", "cooperation_request", "cooperation_response",
                      "information_exchange", "special_arrangement", "body_established", "activity",
                      "work_programme", "funding_request", "consultation", "supplementary_arrangement", "publicized")
WITH_LIFECYCLE = ARTICLES_I_TO_VIII + ("signature", "termination_notice")
UNRELATED = ("activity", "information_exchange", "special_arrangement", "body_established",
             "supplementary_arrangement")
SWAP = {"ECO": "IOM", "IOM": "ECO", "II.1": "II.2", "II.2": "II.1"}


def read(engine, data):
    try:
        return engine.reader.from_document(as_document(data))
    except MouError:
        assume(False)
        raise  # pragma: no cover


def answers(engine, scenario):
    result = engine.check(scenario, explain=False)  # a rule that fails raises RuleError
    return [(item.call.ask, item.call.raw_args, to_json(item.answer)) for item in result.results]


def swapped(value):
    """ECO and IOM exchanged everywhere (and II.1 with II.2, the paragraph of each's duty)."""
    if isinstance(value, str):
        return SWAP.get(value, value)
    if isinstance(value, list):
        return [swapped(item) for item in value]
    if isinstance(value, tuple):
        return tuple(swapped(item) for item in value)
    if isinstance(value, dict):
        return {key: swapped(item) for key, item in value.items()}
    return value


def as_sets(found):
    """Answers with lists of obligation records compared as sets."""
    result = []
    for ask, args, value in found:
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value = sorted(repr(sorted(item.items())) for item in value)
        result.append((ask, args, value))
    return result


@given(st.data())
def test_ii1_and_ii2_are_mirror_images(native, data):
    scenario_dict = data.draw(scenario_data(native.ruleset, types=WITH_LIFECYCLE, max_events=10))
    original = answers(native, read(native, scenario_dict))
    mirrored = answers(native, read(native, swapped(scenario_dict)))
    assert as_sets(mirrored) == as_sets(swapped(original))


@given(st.data())
def test_a_breach_is_always_a_triggered_duty_listed_as_violated(native, data):
    scenario_dict = data.draw(scenario_data(native.ruleset, types=WITH_LIFECYCLE, max_events=12, questions=False))
    days = sorted({event["date"] for event in scenario_dict["events"]})
    scenario_dict["questions"] = [{"ask": ask, "on": day} for day in days for ask in ("obligations", "breaches")]
    found = answers(native, read(native, scenario_dict))
    for (_, _, obligations), (_, args, breaches) in zip(found[::2], found[1::2]):
        assert all(record["status"] == "violated" for record in breaches), args
        assert [r for r in obligations if r["status"] == "violated"] == breaches, args


@given(st.data(), st.sampled_from(UNRELATED))
def test_an_unrelated_event_changes_no_answer_about_other_events(native, data, extra_type):
    scenario_dict = data.draw(scenario_data(native.ruleset, types=WITH_LIFECYCLE, max_events=10))
    before = answers(native, read(native, scenario_dict))
    extra = data.draw(scenario_data(native.ruleset, types=(extra_type,), min_events=1, max_events=1,
                                    questions=False, choices=False))["events"]
    assume(extra)
    extra[0]["id"] = "unrelated"
    scenario_dict["events"] = scenario_dict["events"] + extra
    assert answers(native, read(native, scenario_dict)) == before


BARRED_MEETING = """\
scenario: an ECO meeting whose rules of procedure bar observers
events:
  - {id: m1, type: meeting, date: 2012-03-01, convened_by: ECO, igos_invited: true, topics: [i],
     observers_barred: true}
questions:
  - {ask: invitation_required, meeting: m1, expect: false}
  - {ask: in_force, "on": 2012-03-01, expect: true}
"""


def test_mou_check_reports_clause_files_whose_mirror_symmetry_is_broken(tmp_path):
    """`mou check` judges the clause files' symmetries on every scenario: here II.2 forgets the observers."""
    import shutil

    from click.testing import CliRunner

    from mou.cli import main
    from mou.language.corpus import shipped_clauses

    clauses = tmp_path / "clauses"
    shutil.copytree(shipped_clauses(), clauses)
    article = clauses / "article-2.yaml"
    condition = "      - whose rules of procedure are not shown to bar observers: not event.observers_barred\n"
    text = article.read_text(encoding="utf-8")
    second = text.index(condition, text.index(condition) + 1)  # II.2's copy of the condition
    article.write_text(text[:second] + text[second + len(condition):], encoding="utf-8")
    scenario = tmp_path / "barred.yaml"
    scenario.write_text(BARRED_MEETING, encoding="utf-8")

    broken = CliRunner().invoke(main, ["check", "--clauses", str(clauses), str(scenario)])
    assert broken.exit_code == 1, broken.output
    assert ("FAIL property II.1 II/mirror fails for invitation_required: II.1 and II.2 are mirror images; "
            "exchanging ECO and IOM in a scenario exchanges the answers (False here, but True with the "
            "parties exchanged (expected False))") in broken.stdout
    assert "in_force" not in broken.stdout.split("FAIL", 1)[1]  # an answer that does not read duties still mirrors

    shipped = CliRunner().invoke(main, ["check", str(scenario)])
    assert shipped.exit_code == 0, shipped.output
    assert "property" not in shipped.stdout


def test_every_answer_is_a_value_its_question_can_give(native):
    """The built-in property judges the answers the check computed, and says which one is not a value."""
    from mou.answers.properties import violations

    from conftest import SCENARIOS

    scenario = native.read(SCENARIOS / "ix3-notice-valid.yaml")
    result = native.check(scenario, explain=False, properties=True)
    assert result.violations == []
    plain = [item.raw for item in result.results]
    assert plain == [item.answer for item in result.results]  # nothing was weighed here
    replay = result.replay
    assert violations(native.ruleset, scenario, replay, plain=plain) == \
        violations(native.ruleset, scenario, replay) == []  # the same whether given or evaluated again

    wrong = list(plain)
    asked = next(i for i, item in enumerate(result.results) if isinstance(item.answer, bool))
    wrong[asked] = "2012-01-01"
    found = violations(native.ruleset, scenario, replay, plain=wrong)
    assert [(v.name, v.where) for v in found] == [("answers-are-values", f"for {scenario.questions[asked].ask}")]
    assert "answered '2012-01-01', not a bool" in found[0].detail
