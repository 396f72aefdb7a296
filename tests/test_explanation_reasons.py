"""Regression tests for what an explanation cites as its deciding fact, and what its counterfactuals assume,
from the legal officers' readings of stop 39 (seeds 1357, 2468, 8080, 3141). Each reads as an example: a
shipped scenario, a question, and the words a reader must find (or must not)."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from mou.cli import main

from conftest import SCENARIOS


def ask(scenario: str, question: str, *arguments: str) -> str:
    result = CliRunner().invoke(main, ["ask", question, "--scenario", str(SCENARIOS / scenario), *arguments])
    assert result.exit_code == 0, result.output
    return " ".join(result.stdout.split())  # the words, whatever the wrapping


def ask_json(scenario: str, question: str, *arguments: str) -> dict:
    result = CliRunner().invoke(main, ["ask", question, "--scenario", str(SCENARIOS / scenario), *arguments,
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["explanation"]


def changes_part(text: str) -> str:
    return text.split("What would change the answer:")[1] if "What would change the answer:" in text else ""


def test_a_notice_not_valid_is_why_no_notice_ends_the_mou_and_its_form_what_would_change_it():
    text = ask("ix3-email-notice-not-writing.yaml", "last_day_in_force")
    assert "✗ IX.3 requires notice in writing, as this case reads it (`email_is_writing: false`): the notice n1 " \
           "was given by email" in text
    assert "if the notice n1 was given by letter, by note verbale or by fax" in changes_part(text)


def test_an_unauthorized_first_signature_is_cited_as_why_it_did_not_count():
    text = ask("ix1-unauthorized-then-authorized.yaml", "entry_into_force_date")
    assert "an earlier signature, IOM's signature of 2009-01-27, was not by a duly authorized " \
           "representative and does not count (IX.1)" in text
    assert "• IOM's signature of 2009-01-27 does not count towards the entry into force (IX.1) ✗ IX.1 requires a " \
           "signature by a duly authorized representative" in text
    assert "if IOM's signature of 2009-01-27 was signed by a duly authorized representative: the MoU would have " \
           "entered into force on 2009-01-27" in changes_part(text)


def test_no_counterfactual_signs_for_another_party():
    for question, arguments in [("entry_into_force_date", ()), ("in_force", ("--on", "2009-02-20"))]:
        explanation = ask_json("ix1-non-party-signs.yaml", question, *arguments)
        assert not [flip for flip in explanation["counterfactuals"]
                    if any(label.endswith(".party") for label in flip.get("change", {}))]


def test_a_counterfactual_names_the_default_its_outcome_rests_on():
    explanation = ask_json("ii-convened-by-turkey.yaml", "breaches", "--on", "2019-12-31")
    convened = [flip for flip in explanation["counterfactuals"] if "m1.convened_by" in flip.get("change", {})]
    assert convened and all(flip["assuming"] == [{"event": "m1", "field": "observers_barred", "says":
                                                  "the rules of procedure of the meeting m1 do not bar observers"}]
                            and flip["then"].endswith(", assuming that the rules of procedure of the meeting m1 "
                                                      "do not bar observers (not stated)") for flip in convened)


def test_a_default_the_answer_already_assumes_is_not_repeated_as_a_proviso():
    explanation = ask_json("ii-eco-meeting-not-invited.yaml", "invitation_obligation", "--meeting", "m1",
                           "--on", "2018-05-16")
    assert any(item.get("field") == "observers_barred" for item in explanation["assumed"])
    assert not any("assuming" in flip for flip in explanation["counterfactuals"])


def test_a_best_efforts_duty_is_not_said_breached_in_a_list():
    text = ask("uwm-i3-unstated-interest-declined-without-ground.yaml", "obligations", "--on", "2019-12-31")
    assert "IOM's duty under I.3 concerning r1: unmet, its endeavour not shown (no favourable response, and no " \
           "ground I.3 recognises)" in text
    assert not re.search(r"under I\.3 concerning r1: breached", text)


def test_a_parameter_at_the_mous_value_says_which_amendment_did_not_come_into_force_and_why():
    text = ask("ix2-email-acceptance-not-writing.yaml", "parameter", "--name", "IX.3.notice_period",
               "--on", "2016-12-01")
    assert "the amendment a1 has been accepted in writing by IOM only, and it enters into force only upon " \
           "acceptance in writing by the two parties (IX.2)" in text
    assert "✗ IX.2 requires an acceptance in writing, as this case reads it (`email_is_writing: false`): ECO's " \
           "acceptance of 2016-09-20 was given by email" in text
    assert "no written acceptance of the amendment a1 counts yet" not in text  # an earlier state, untrue now
    assert "`email_is_writing: false`, as set for this case" in text.split("Assumed:")[1]  # not a dangling "see"


def test_the_grounds_invoked_and_the_notice_that_ended_the_mou_are_named():
    text = ask("i-declined-with-grounds.yaml", "cooperation_response_compliant", "--request", "r4")
    assert "invoking its constituent instruments, a decision of its competent bodies and the impossibility of " \
           "responding favourably (ECO's response of 2014-09-15)" in text
    text = ask("i3-declined-after-last-day.yaml", "cooperation_response_compliant", "--request", "r1")
    assert "under IOM's notice of termination n1, received on 2019-10-03 (IX.3)" in text
    assert "IOM's response of 2020-04-04 came after the MoU's last day and is not judged under I.3" in text


def test_an_interval_under_a_month_is_weighed_in_days():
    text = ask("obligations-not-yet-in-force.yaml", "obligations", "--on", "2010-07-01")
    assert "if 15 days or less (`consultation_interval: 15 days`): ECO's duty under VII: breached" in text
    assert "if 16 days or more (`consultation_interval: 16 days`)" in text
    assert "Not stated, and it does not matter: the interpretive choice `consultation_interval`" not in text


def test_a_reading_the_stated_dates_rest_on_is_named_and_said_not_to_decide():
    explanation = ask_json("iv-outside-mou-life.yaml", "special_arrangement_valid", "--arrangement", "s2")
    behind = {item["name"] for item in explanation["choices"] if item.get("behind")}
    assert behind == {"notice_runs_from", "termination_effect"}
    assert all(not item["matters"] for item in explanation["choices"] if item.get("behind"))
    assumed = [item for item in explanation["assumed"] if item.get("behind")]
    assert {item["choice"] for item in assumed} == behind
    assert all(item["says"].endswith(("the reasons above read the case so, though the answer does not depend on it",
                                      "the reasons above, and what would change the answer below, read the case so, "
                                      "though the answer itself does not depend on it")) for item in assumed)


def test_what_would_change_the_answer_names_a_reading_it_rests_on_that_the_answer_does_not():
    """Had ECO accepted in writing by 2015-04-19, the oral proposal would be in force only as the case reads oral
    proposals (curable); Assumed said the answer did not depend on that reading and no more (seed 2323, 14-B)."""
    text = ask("ix2-oral-proposal-curable.yaml", "amendment_in_force", "--amendment", "a1", "--on", "2015-04-19")
    assumed = text.split("Assumed:")[1].split("What would change the answer:")[0]
    assert "(`oral_amendment_proposal: curable`; IX.2 says the proposal “should”, not “shall”, be made in " \
           "writing); the reasons above, and what would change the answer below, read the case so, though the " \
           "answer itself does not depend on it" in assumed
    assert "a proposal in writing, or an oral one the case reads as curable by both parties' written " \
           "acceptances" in text  # curable, not cured: ECO had yet to accept (seed 2323, 14-A)


def test_a_meeting_before_the_mou_entered_into_force_is_not_explained_by_its_end():
    """Before the MoU entered into force, whether it had ended decides nothing: the reasons name the signature still
    missing (IX.1), never IX.3 or a notice of termination (seed 3141, file 16)."""
    text = ask("ix1-events-before-the-signature-on-entry-day.yaml", "invitation_obligation", "--meeting", "m1",
               "--on", "2012-03-20")
    why = text.split("Why:")[1].split("Assumed:")[0]
    assert "as no duly authorized representative of IOM had yet signed by then (IX.1)" in text
    assert "IX.3" not in why and "has not ended" not in why


def test_a_counterfactual_that_passes_a_signature_assumes_the_signatory_authorized():
    """Held after IOM's signature, the meeting would raise a duty only if that signature counted: the
    counterfactual says so, since the scenario does not state the signatory's authority."""
    explanation = ask_json("ix1-events-before-the-signature-on-entry-day.yaml", "invitation_obligation",
                           "--meeting", "m1", "--on", "2012-03-20")
    moved = [flip for flip in explanation["counterfactuals"] if flip.get("move") == {"event": "m1", "after": "sig-iom"}]
    assert moved and {"event": "sig-iom", "field": "authorized"} in [
        {key: item[key] for key in ("event", "field")} for item in moved[0]["assuming"]]


def test_what_the_facts_make_happen_after_the_day_the_case_is_stated_is_said_as_yet_to_come():
    """The case is stated as of 2026-12-01 (`as_of`); ECO's notice ends the MoU after 2026-12-30. An answer about a
    meeting of 2027 says the notice will end the MoU, not that it has, and offers the withdrawal ECO may still
    make as still open (seed 2468, file 16)."""
    text = ask("agenda-the-mou-ends-soon.yaml", "invitation_required", "--meeting", "m1")
    assert "the MoU will no longer be in force on 2027-01-15 and ECO's notice n1 will end the MoU unless " \
           "withdrawn (`notice_revocable`): its last day in force will be 2026-12-30 (IX.3)" in text
    assert "has been terminated" not in text
    assert "had ECO withdrawn its notice n1 in writing (`notice_revocable: true`) by 2026-12-30 (still open as of " \
           "2026-12-01)" in changes_part(text)


def test_the_signatures_behind_the_mou_s_end_are_said_not_to_matter_where_they_do_not():
    """The arrangement came after the MoU ended; that it ended rests on its having entered into force, so on
    two signatures whose signatories' authority the scenario does not state. The answer holds either way, and
    the explanation says so of each (seed 2468, file 18)."""
    text = ask("iv-outside-mou-life.yaml", "special_arrangement_valid", "--arrangement", "s2")
    moot = text.split("Not stated, and it does not matter:")[1]
    for signature in ("ECO's signature of 2010-03-01", "IOM's signature of 2010-06-15"):
        assert f"- whether {signature} was signed by a duly authorized representative (taken as so)" in moot


def test_a_counterfactual_that_rests_on_a_reading_the_case_sets_names_it():
    """The case reads a notice naming too early a date as not valid (`short_notice: invalid`); under the default
    it would be deferred and still end the MoU. The counterfactuals whose outcome rests on that say so; the oral
    notice's does not (seed 5511, file 14)."""
    explanation = ask_json("ix3-effective-period-end-on-period-end.yaml", "last_day_in_force")
    by_change = {next(iter(flip["change"])): flip for flip in explanation["counterfactuals"] if "change" in flip}
    assert by_change["n1.effective"]["then"].endswith(
        "assuming that a notice naming a date earlier than the notice period allows is not valid "
        "(`short_notice: invalid`, as set for this case)")
    assert "assuming" not in by_change["n1.form"]


def test_a_duty_that_never_arose_is_not_listed_among_those_that_did():
    """IOM convened nothing: "no duty under II.2 concerning m1 arose for IOM" is no duty of the list, and II.2 is
    not quoted (seed 5511, file 15)."""
    text = ask("obligations-worked-example.yaml", "obligations", "--on", "2019-12-31")
    assert "II.2" not in text
    assert "ECO breached its duty to invite IOM to m1" in text


def test_the_signed_original_is_not_said_signed_in_an_answer_about_an_earlier_day():
    """An arrangement of 2008: the MoU signed in 2009 is a later fact; what the answer rests on is that neither
    party had signed by then (seed 5511, file 13)."""
    text = ask("viii-supplementary-arrangements.yaml", "supplementary_arrangement_valid", "--arrangement", "a3")
    assert "the facts give no signature, so the MoU is taken as the signed original, as its text records: " \
           "neither party had signed it by 2008-11-01" in text
    assert "2009-01-27" not in text


def test_a_memo_gives_each_condition_its_own_fact():
    """IV.1's three requirements of an arrangement, met by three facts of it: the memo gives all three, not the
    parties' agreement alone (seed 5511, file 04)."""
    result = CliRunner().invoke(main, ["ask", "special_arrangement_valid", "--scenario",
                                       str(SCENARIOS / "iv-valid-arrangement.yaml"), "--arrangement", "s1",
                                       "--format", "markdown"])
    memo = " ".join(result.stdout.split())
    why = memo.split("*Why:*")[1].split("*Assumed:*")[0]
    for fact in ("the arrangement s1 was agreed by ECO and IOM",
                 "the arrangement s1 defines the modalities of each Organization's participation",
                 "the arrangement s1 determines the expenses payable by each Organization"):
        assert fact in why


def test_the_mou_on_a_meeting_day_after_the_day_asked_is_said_as_yet_to_come():
    """Asked on 2016-09-05 about a meeting of 2016-10-12: the MoU will be in force then; "was in force" would
    state a later fact as known (seed 6606, file 02)."""
    text = ask("ii-eco-meeting-invited-in-time.yaml", "invitation_obligation", "--meeting", "m1", "--on", "2016-09-05")
    assert "the MoU will be in force on 2016-10-12" in text
    assert "the MoU was in force on 2016-10-12" not in text


def test_an_act_before_both_signatures_is_not_explained_by_a_signature_that_came_after_it():
    """x1 stands before both signatures of the day: ECO's signature, which came after it, is no reason why the
    MoU was not yet in force for it (seed 6606, file 03)."""
    text = ask("eif-day-same-day-signatures.yaml", "information_exchange", "--exchange", "x1")
    assert "the MoU was not yet in force at that moment of 2012-05-02" in text
    assert "ECO's signature of 2012-05-02 counts towards the entry into force" not in text
    assert "no duly authorized representative of IOM had yet signed" not in text


def test_outside_the_mou_s_life_after_its_end_the_scope_is_cited_to_the_paragraph_that_ended_it_too():
    """A request after the MoU ended falls outside V.3, whose scope is the MoU's life: it began under IX.1 and
    ended under IX.3, by IOM's notice (seeds 6606 and 7717, file 19 and file 05, one reader asking for each)."""
    text = ask("v-funding-outside-mou-life.yaml", "funding_request_admissible", "--request", "f2")
    assert "V.3 covers only a funding request made while the MoU is in force (IX.1, IX.3)" in text


def test_a_withdrawal_that_did_not_take_effect_is_named_with_why():
    """IOM withdrew its notice on 2020-08-01, but this case reads notices as irrevocable: the notice is valid
    because that withdrawal did not take effect, which the summary says, citing the case's reading and not the
    authority for the default (seed 7717, file 07)."""
    text = ask("ix3-withdrawn-not-revocable.yaml", "termination_notice_valid", "--notice", "n1")
    assert "IOM's withdrawal of 2020-08-01 did not take effect" in text.split("Why:")[0]
    assert "(a notice, once given, cannot be withdrawn: `notice_revocable: false`, as set for this case)" in text
    assert "cannot be withdrawn: `notice_revocable`, VCLT" not in text


def test_a_withdrawal_by_email_is_why_the_notice_still_ends_the_mou_and_a_letter_what_would_change_it():
    """The case reads email as not writing: the withdrawal by email did not take effect (seed 7717, file 14)."""
    text = ask("ix3-withdrawn-by-email-not-writing.yaml", "last_day_in_force")
    assert "✗ a withdrawal in writing is required, as this case reads it (`email_is_writing: false`): IOM's " \
           "withdrawal of 2020-08-01 was made by email" in text
    assert "if IOM's withdrawal of 2020-08-01 was made by letter, by note verbale or by fax" in changes_part(text)


def test_no_consultation_is_not_said_to_be_consultation_at_every_interval():
    """No consultation took place in the first year; the VII duty is owed and not yet breached, and is said so
    without claiming consultations that never happened (seed 7717, file 15)."""
    text = ask("vii-no-consultation-gap-to-on.yaml", "obligations", "--on", "2010-01-27")
    assert "have consulted each other at least every" not in text
    assert "no more than 12 months has yet passed without a consultation between the Secretariat of ECO and the " \
           "Administration of IOM since 2009-01-27, when the MoU began to apply (their consultations recorded by " \
           "2010-01-27: none)" in text


def test_a_fact_of_the_act_that_did_not_make_its_condition_fail_is_not_given_as_a_reason():
    """The interest stated (ECO alone) decides; the meeting's topic, an area of V.1, would point the other way and
    is no reason for "no" (seed 7717, file 02), only the presumption the statement sets aside (seed 6868, 02)."""
    text = ask("ii-of-interest-to.yaml", "invitation_required", "--meeting", "m2")
    overridden = "though its topics include area (ii) of V.1 (border management), from which interest to both " \
                 "parties would otherwise be presumed: what the case states prevails"
    assert f"the matters of the meeting m2 are stated to be of interest to ECO alone, {overridden}" in text
    assert "border management" not in text.split("What would change the answer:")[0].replace(overridden, "")


def test_a_parameter_the_case_sets_is_named_under_assumed_with_the_text_s_own():
    """The case sets the notice period to 180 days where IX.3 says six months (seed 8818, file 14)."""
    text = ask("ix3-period-in-days.yaml", "parameter", "--name", "IX.3.notice_period", "--on", "2020-05-12")
    assert "the length of the notice of termination is 180 days, as set for this case, where the text says six " \
           "months (`IX.3.notice_period: 180 days`)" in text.split("Assumed:")[1]


def test_a_running_notice_given_as_a_reason_says_when_it_ends_the_mou():
    """'one valid notice of termination is running' said alone leaves the reader to find when (seed 8818,
    file 09)."""
    text = ask("agenda-the-mou-ends-soon.yaml", "invitation_required", "--meeting", "m2")
    assert "a valid notice of termination is running: ECO's notice n1, ending the MoU after 2026-12-30 " \
           "(IX.3)" in text


def test_a_withdrawal_that_failed_is_in_the_summary_of_the_state_it_left():
    """(seed 8818, file 07)"""
    text = ask("ix3-withdrawn-by-email-not-writing.yaml", "status", "--on", "2020-08-01")
    assert "IOM's withdrawal of 2020-08-01 did not take effect (see Why)" in text.split("Why:")[0]
    assert "IX.3 requires a withdrawal" not in text


def test_an_answer_about_2009_does_not_rest_on_readings_of_a_2020_notice():
    """The MoU had not ended on the day it entered into force; the notice that ended it in 2020 and the readings
    its dates rest on are no part of when it entered into force (seed 9919, file 07)."""
    text = ask("ix3-iom-letter-2020.yaml", "entry_into_force_date")
    assert "the MoU had not yet ended" in text
    assert "notice_runs_from" not in text and "termination_effect" not in text


def test_a_duty_that_lapsed_with_the_mou_names_the_readings_its_last_day_rests_on():
    """(seed 9919, file 15)"""
    text = ask("i3-declined-after-last-day.yaml", "breaches", "--on", "2020-06-01")
    assert "(`notice_runs_from: receipt`" in text.split("Assumed:")[1]
    assert "(`termination_effect: after_period_end`" in text.split("Assumed:")[1]


def test_an_activity_in_no_listed_area_is_an_additional_field():
    """(seed 9919, file 19)"""
    text = ask("v-activity-areas-free-text.yaml", "activity_areas", "--activity", "a3")
    assert "falls in no area V.1 lists: it is an additional field of cooperation, which V.1 does not exclude" in text


def test_a_parameter_at_the_text_s_value_names_every_amendment_that_did_not_enter_into_force():
    """Neither a1 (ECO's acceptance only) nor a2 (IOM's only) had both: the summary and the reasons name both
    (seed 9919, file 14)."""
    text = ask("ix2-acceptances-around-termination.yaml", "parameter", "--name", "IX.3.notice_period",
               "--on", "2020-11-11")
    assert "the amendments a1 and a2 have each been accepted in writing by one party only" in text
    why = text.split("Why:")[1]
    assert "the amendment a1 has been accepted in writing by ECO only" in why
    assert "the amendment a2 has been accepted in writing by IOM only" in why


def test_a_request_to_a_non_party_is_asked_and_answered_as_outside_i3():
    """UNHCR is no party: the MoU puts no duty on it (seed 1212, file 08)."""
    text = ask("i-request-not-between-parties.yaml", "cooperation_response_compliant", "--request", "r2")
    assert text.startswith("Is ECO's request for cooperation r2, made to UNHCR, outside I.3? Yes.")
    assert "I.3 binds only the two parties, one to the other" in text


def test_a_signature_not_authorized_would_leave_the_mou_never_in_force_not_without_end():
    """(seed 1212, file 14)"""
    text = ask("v2-ix1-acts-on-last-day.yaml", "last_day_in_force")
    assert "were that not so, the MoU would never have entered into force" in text
    assert "were that not so, no notice would end the MoU" not in text
    assert "no withdrawal of the notice n1 had taken effect" in text


def test_both_parties_signed_is_shown_by_both_signatures():
    """'both parties had signed' rested on IOM's signature alone; ECO's is as much a reason (seed 9919, file 07)."""
    text = ask("ix3-iom-letter-2020.yaml", "entry_into_force_date")
    both = text.split("that both parties have signed (IX.1):")[1].split("Assumed:")[0]
    assert "ECO's signature of 2009-01-27 counts towards the entry into force" in both
    assert "IOM's signature of 2009-01-27 counts towards the entry into force" in both


def test_an_amendment_not_in_force_is_summarised_by_the_acceptance_missing_not_by_a_rule_that_did_not_apply():
    """The decisive fact is that only IOM had accepted in writing; why ECO's oral proposal did not count as its
    acceptance is a reason beside it, not the summary (seed 2323, file 14)."""
    text = ask("ix2-oral-proposal-curable.yaml", "amendment_in_force", "--amendment", "a1", "--on", "2015-04-19")
    summary = text.split("Why:")[0]
    assert "the amendment a1 has been accepted in writing by IOM only, and IX.2 requires that it is accepted in " \
           "writing by the two parties" in summary
    assert "requires that the proposal is in writing" not in summary


def test_an_oral_proposal_is_not_said_to_be_against_ix2_nor_cured_before_both_acceptances():
    """IX.2 says the proposal "should" be in writing, and the case reads an oral one as curable: "IX.2 requires that
    the proposal is in writing" was FALSE, and "the written acceptances cure this", on a day only one party had
    accepted, rested on an acceptance after the day asked (seed 2323, file 14: FALSE, HINDSIGHT)."""
    text = ask("ix2-oral-proposal-curable.yaml", "amendment_in_force", "--amendment", "a1", "--on", "2015-04-19")
    assert "requires that the proposal is in writing" not in text
    assert "proposal_counts_as_acceptance" not in text.split("Assumed:")[0]
    assert "the written acceptances cure this" not in text
    assert "under `oral_amendment_proposal: curable` that is cured once both parties have accepted it in writing" \
        in text


def test_before_the_mou_entered_into_force_its_end_is_no_reason_nor_a_non_partys_signature_a_failed_condition():
    """On 2009-02-15 only ECO had signed: "the MoU had not yet ended (IX.3)" decided nothing, and Turkey's signature,
    which fails on both parties having signed too, was shown as a condition that failed (seed 2323, file 07)."""
    text = ask("ix1-non-party-signs.yaml", "in_force", "--on", "2009-02-15")
    why = text.split("Why:")[1].split("What would change the answer:")[0]
    assert "not yet ended" not in why and "IX.3" not in text
    assert "sig-tr" not in why
    assert why.count("IX.1 requires that both parties have signed") == 1
    assert "no duly authorized representative of IOM had yet signed by then" in why


def test_an_act_before_a_same_day_entry_into_force_says_the_signatures_authority_did_not_matter():
    """"It entered into force with a signature given later that day" rests on both signatures being by duly
    authorized representatives, which the case does not state (seed 2323, file 03: UNDISCLOSED)."""
    text = ask("eif-day-same-day-signatures.yaml", "information_exchange", "--exchange", "x1")
    moot = text.split("Not stated, and it does not matter:")[1]
    assert "whether ECO's signature of 2012-05-02 was signed by a duly authorized representative (taken as so)" in moot
    assert "whether IOM's signature of 2012-05-02 was signed by a duly authorized representative (taken as so)" in moot


def test_a_consultation_duty_owed_in_the_mous_last_days_names_the_notice_that_ends_it():
    """VII is owed, not lapsed, on 2020-07-14 only because ECO's notice ends the MoU after 2020-07-15: the notice
    must be named where the duty is (seed 9919, file 08: MISLEADING)."""
    text = ask("vii-gap-to-last-day-exceeded.yaml", "obligations", "--on", "2020-07-14")
    assert "the duty runs while the MoU is in force, and ECO's notice n1 ends the MoU after 2020-07-15 under IX.3" \
        in text.split("Why:")[0]


def test_a_withdrawal_the_case_reads_as_impossible_is_cited_to_that_reading_not_to_ix3():
    """The right to withdraw a notice exists by a reading (`notice_revocable`), not by IX.3: where the case reads
    notices as irrevocable, the withdrawal failed on that reading, said in its words (seed 3434, file 14: WRONG
    PARAGRAPH; "a withdrawal of a notice that may be withdrawn" where none may)."""
    text = ask("ix3-withdrawn-not-revocable.yaml", "status", "--on", "2020-08-01")
    assert "✗ as this case reads it, a notice, once given, cannot be withdrawn (`notice_revocable: false`)" in text
    assert "does not read IX.3" not in text and "a notice that may be withdrawn" not in text


def test_a_duty_with_no_deadline_is_owed_not_awaiting_a_breach():
    """V.2 and IX.1 set no deadline: such a duty is never breached, so "owed and not yet breached" misleads
    (seed 3434, file 15: MISLEADING)."""
    text = ask("i-request-lapses-unanswered.yaml", "obligations", "--on", "2016-01-01")
    assert "ECO's duty under V.2 would be owed (V.2 sets no deadline) rather than lapsed" in text
    assert "ECO's duty under IX.1 would be owed (IX.1 sets no deadline) rather than lapsed" in text
    assert "under V.2 would be owed and not yet breached" not in text


def test_a_duty_owed_or_judged_up_to_the_mous_end_names_the_notice_that_ends_it():
    """I.3 owed on the MoU's last day, and VII judged up to it, rest on IOM's notice: the notice is named, and the
    readings its last day rests on are under Assumed (seeds 5656 and 4545, file 15: MISLEADING, UNDISCLOSED)."""
    text = ask("i3-unanswered-when-mou-ends.yaml", "obligations", "--on", "2020-04-03")
    assert "the duty runs while the MoU is in force, and IOM's notice n1 ends the MoU after 2020-04-03 under IX.3" \
        in text.split("Why:")[0]
    text = ask("i3-unstated-interest-unanswered-when-mou-ends.yaml", "obligations", "--on", "2020-06-01")
    assert "to 2020-04-03, its last day in force under IOM's notice n1 (IX.3)" in text.split("Why:")[0]
    assumed = text.split("Assumed:")[1]
    assert "`notice_runs_from: receipt`" in assumed and "`termination_effect: after_period_end`" in assumed


def test_that_a_signature_is_its_partys_first_is_not_shown_by_its_party():
    """'✓ … the party's first signature to count: IOM's signature … was signed for IOM' shows nothing of the sort
    (seeds 4545, file 14, and 5656, file 07: MISLEADING)."""
    text = ask("eif-day-amendment-acceptance-before-signature.yaml", "entry_into_force_date")
    assert "✓ a signature that is the party's first signature to count (IX.1) ✓" in text
    assert "first signature to count (IX.1): IOM's signature of 2010-06-15 was signed for IOM" not in text


def test_an_act_not_taken_on_the_day_of_the_act_asked_about_is_listed_before_it_not_a_day_early():
    """A signature listed before the request on 5 April 2010 would have let the request count: "signed by
    2010-04-04" was a day early (seed 5656, files 12 and 18). The JSON says where the act goes in its day."""
    text = ask("v-funding-outside-mou-life.yaml", "funding_request_admissible", "--request", "f1")
    assert "had IOM's duly authorized representative signed the MoU by 2010-04-05, before f1 that day: the " \
           "answer would be that IOM could consider f1 under V.3" in text
    added, = [flip for flip in ask_json("v-funding-outside-mou-life.yaml", "funding_request_admissible",
                                        "--request", "f1")["counterfactuals"] if "add" in flip]
    assert (added["add"]["date"], added["before"]) == ("2010-04-05", "f1")


def test_an_act_not_taken_that_counts_listed_last_in_its_day_names_no_event_it_must_precede():
    """Asked about the day itself, the MoU is in force from a signature made that day, wherever it is listed."""
    text = ask("v-funding-outside-mou-life.yaml", "in_force", "--on", "2010-04-05")
    assert "had IOM's duly authorized representative signed the MoU by 2010-04-05: the MoU would be in force " \
           "on 2010-04-05" in text
    assert "that day" not in text


def test_a_running_notices_end_date_stated_in_a_reason_names_the_readings_it_rests_on():
    """"A valid notice of termination is running: ECO's notice n1, ending the MoU after 2026-12-30": that date
    rests on how the notice period is counted, though the answer (a meeting on 20 December) does not (seed
    4545, file 02)."""
    text = ask("agenda-the-mou-ends-soon.yaml", "invitation_required", "--meeting", "m2")
    assert "ECO's notice n1, ending the MoU after 2026-12-30 (IX.3)" in text
    assumed = text.split("Assumed:")[1].split("What would change the answer:")[0]
    for reading in ("`notice_runs_from: receipt`", "`termination_effect: after_period_end`"):
        assert reading in assumed
    assert assumed.count("the reasons above read the case so, though the answer does not depend on it") == 2


def test_a_memos_assumptions_are_sentences_with_no_parentheses_inside_parentheses():
    """A memo's "Assumed" part gives each assumption as a sentence: "(not stated) (were that not so, … (state …
    to say so))" nested one aside in another (seed 4545)."""
    result = CliRunner().invoke(main, ["ask", "invitation_required", "--meeting", "m2", "--format", "markdown",
                                       "--scenario", str(SCENARIOS / "agenda-the-mou-ends-soon.yaml")])
    assumed = " ".join(result.stdout.split("*Assumed:*")[1].split("\n- *")[0].split())
    assert "do not bar observers (not stated); were that not so, neither party would have had to invite the " \
           "other to m2 (state `observers_barred: true` on m2 to say so). To whom the matters" in assumed
    from mou.api import Engine

    for choice in Engine().ruleset.choices.values():  # an authority is cited as written: "Art. 3(2)(c)"
        assumed = assumed.replace(choice.source, "the source")
    depth = 0
    for character in assumed:
        depth += {"(": 1, ")": -1}.get(character, 0)
        assert depth <= 1, assumed


TWO_SIGNATURES_ONE_DAY = """\
scenario: ECO signs twice on one day, first without authority
events:
  - {id: sig-eco-1, type: signature, party: ECO, date: 2009-01-20, authorized: false}
  - {id: sig-eco-2, type: signature, party: ECO, date: 2009-01-20}
  - {id: sig-iom, type: signature, party: IOM, date: 2009-01-27}
"""


def test_two_acts_that_would_be_called_alike_each_keep_their_id(tmp_path):
    """An event is named by its fields (`called:`, "ECO's signature of 2009-01-20"); where two would be named
    alike, each keeps its id beside the name, so the reader can tell which one counted."""
    path = tmp_path / "two-signatures.yaml"
    path.write_text(TWO_SIGNATURES_ONE_DAY)
    result = CliRunner().invoke(main, ["ask", "in_force", "--on", "2009-01-27", "--scenario", str(path)])
    text = " ".join(result.stdout.split())
    assert "ECO's signature of 2009-01-20 (sig-eco-2) was signed by a duly authorized representative" in text
    assert "IOM's signature of 2009-01-27 was signed" in text  # named alike by no other: no id
    assert "ECO's signature of 2009-01-20 was" not in text


def test_an_act_both_parties_agreed_to_would_fail_had_either_not_joined_in():
    """A valid arrangement had no "what would change the answer" (seed 5656, files 04 and 06): had one party
    not agreed to it, VIII would not provide for it."""
    text = ask("viii-supplementary-arrangements.yaml", "supplementary_arrangement_valid", "--arrangement", "a1")
    assert "if the arrangement a1 was agreed to by IOM alone, or if the arrangement a1 was agreed to by ECO " \
           "alone: VIII would not provide for a1" in changes_part(text)


def test_a_notice_that_did_not_end_the_mou_is_named_in_the_summary_with_why():
    """In force on 2020-11-13 because IOM's notice was given by telephone: the summary said only "no notice of
    termination has ended it" (seed 5656, file 14; rule 2: the deciding fact first)."""
    summary = ask("ix3-telephone-notice.yaml", "in_force", "--on", "2020-11-13").split(" Why:")[0]
    assert "no notice of termination has ended it: IOM's notice n1 was given orally, and IX.3 requires written " \
           "notice" in summary


def test_free_text_topics_are_disclosed_as_not_matched_to_the_areas_where_a_missing_fact_rests_on_them():
    """Whether a request about "regional statistical yearbook" concerns a matter of common interest is missing
    because free text is not compared with the areas of V.1, which the explanation did not say (seed 6767,
    file 01)."""
    text = ask("uwm-i3-unstated-interest-declined-without-ground.yaml", "obligations", "--on", "2019-12-31")
    assert "Missing: whether the request r1 (topics: regional statistical yearbook, free text that is not " \
           "matched to the areas of V.1; where a topic falls in one, state that area's id, i to x, among the " \
           "topics) concerns a matter of common interest (`common_interest`)" in text


def test_a_reading_the_answer_rests_on_is_said_as_a_reading_not_as_the_words_of_the_mou():
    """Seed 7878: "as no deadline is set, this is no breach (IX.1)" (file 08) and "V.3 covers only a funding
    request within the receiving party's mandate" (file 19) gave agreed readings as if the MoU said them; and
    "the activity of the funding request f2" named an activity f2 does not give (seed 6767, file 19)."""
    text = ask("uwm-i3-unstated-interest-declined-without-ground.yaml", "obligations", "--on", "2019-12-31")
    assert "and as IX.1's “upon its entry into force” is read as setting no deadline, this is no breach (IX.1)" in text
    text = ask("uwm-v3-missing-facts-not-deciding.yaml", "funding_request_admissible", "--request", "f2")
    assert "what the funding request f2 asks to fund does not fall within the mandate and priorities of ECO, and " \
           "V.3 covers only a funding request within the mandate and priorities of the party asked, as V.3's " \
           "“their respective mandates” is read" in text
    assert "activity of" not in text


def test_a_notice_is_valid_for_the_period_in_force_when_it_was_given_and_says_so():
    """An amendment to twelve months came into force while IOM's notice ran; the notice keeps six, and the
    explanation, as known on the notice's day, says which period it takes, not the later amendment (seed 6767,
    file 14)."""
    text = ask("ix2-notice-before-amendment-keeps-six-months.yaml", "termination_notice_valid", "--notice", "n1")
    assert "its notice period of 6 months, the one in force when it was given, runs from 2020-05-12 to " \
           "2020-11-12 (IX.3)" in text


def test_a_period_set_for_the_case_is_not_called_amended_and_a_month_end_is_explained():
    """A 13-month period set in the scenario's parameters was "as amended (IX.2)" (FALSE, WRONG PARAGRAPH), and
    2023-01-31 + 13 months = 2024-02-29 rested on an unnamed counting rule (seed 9191, file 14)."""
    text = ask("ix3-thirteen-month-period-2023-01-31.yaml", "last_day_in_force")
    assert "its notice period of 13 months, as set for this case, ran from 2023-01-31 to 2024-02-29, the last " \
           "day of that month, which is where Regulation (EEC, Euratom) No 1182/71, Art. 3(2)(c), ends a period " \
           "counted in months or years when the month is too short to have the day it began on (IX.3)" in text
    assert "amended" not in text


def test_consultations_before_the_entry_into_force_are_said_not_to_count():
    """"Consultations recorded by 2011-06-01: 2010-12-01" left out two earlier ones without a word (seed 9191,
    file 15); and no stray "none" follows the list (seed 7878, file 15: "none)none")."""
    text = ask("vii-consultations-before-entry-into-force-ignored.yaml", "obligations", "--on", "2011-06-01")
    assert "(their consultations recorded by 2011-06-01: 2010-12-01; 2008-01-10 and 2010-04-20, before the MoU " \
           "applied, do not count) (VII)" in text
    assert ")none" not in ask("vii-no-consultation-gap-to-on.yaml", "obligations", "--on", "2010-01-27")


def test_a_statement_that_overrides_the_area_presumption_says_so():
    """Border statistics stated to be of no common interest: the topic is area (ii), which the explanation did
    not say, nor that the statement set the presumption aside (seed 8989, file 10)."""
    text = ask("iii-public-common-interest-false.yaml", "information_exchange", "--exchange", "e1")
    assert "the information of e1 is stated not to concern a matter of common interest, though its topics " \
           "include area (ii) of V.1 (border management), from which it would otherwise be presumed: what the " \
           "case states prevails" in text


def test_an_oral_proposal_is_not_called_duly_proposed_and_the_memo_says_it_was_oral():
    """"The amendment a1 was duly proposed" of an oral proposal, and a memo that never said "orally" (seed 8989,
    file 14): IX.2 says a proposal "should" be in writing; the written acceptances cure it, as the case reads."""
    text = ask("ix2-oral-proposal-curable.yaml", "amendment_entry_into_force_date", "--amendment", "a1")
    assert "duly proposed" not in text.replace("of an amendment duly proposed, or proposed orally", "")
    result = CliRunner().invoke(main, ["ask", "amendment_entry_into_force_date", "--amendment", "a1", "--format",
                                       "markdown", "--scenario", str(SCENARIOS / "ix2-oral-proposal-curable.yaml")])
    why = " ".join(result.stdout.split("*Why:*")[1].split("\n- *")[0].split())
    assert "the amendment a1 was proposed orally, not in writing as IX.2 says it should be, which this case reads " \
           "as cured once both parties accept it in writing (`oral_amendment_proposal: curable`)" in why


def test_a_notice_given_the_day_an_amendment_changed_its_period_names_the_days_order():
    """IOM's notice and ECO's acceptance that brought a 12-month period into force fall on one day: the notice
    runs six months only because it is listed first, which the explanation did not say (seed 9191, file 07)."""
    text = ask("ix2-same-day-acceptance-after-notice.yaml", "amendment_in_force", "--amendment", "a1",
               "--on", "2020-11-12")
    assert "the events of 2020-05-12 took place in the order given: n1 before ECO's acceptance of 2020-05-12, " \
           "which changed the MoU's terms that day; list the day's events in the order they took place" in text


def test_a_duty_whose_words_name_when_a_notice_ends_the_mou_names_the_readings_that_date_rests_on():
    """"The duty runs while the MoU is in force, and IOM's notice n1 ends the MoU after 2027-05-27": that date
    rests on how the notice period is counted; and m8's presumed interest, which no answer here turns on, is
    not said to be what the answer rests on (seed 8989, file 15)."""
    text = ask("agenda-desk-december-2026.yaml", "breaches", "--on", "2026-12-01")
    assumed = text.split("Assumed:")[1].split("What would change the answer:")[0]
    assert "IOM's notice n1 ends the MoU after 2027-05-27 under IX.3" in text
    assert "`notice_runs_from: receipt`" in assumed and "`termination_effect: after_period_end`" in assumed
    assert "m8" not in assumed
    assert "to whom the matters of the meeting m8 are of interest" in text.split("it does not matter:")[1]


def test_a_special_arrangement_says_how_iv1s_common_interest_is_read():
    """IV.1 limits joint action to "projects that are of common interest"; the answer reads both parties'
    agreement as showing it and checked nothing else, without saying so (seed 9191, file 11)."""
    text = ask("iv-valid-arrangement.yaml", "special_arrangement_valid", "--arrangement", "s1")
    assert "is agreed by both parties, whose agreement is read as showing that the project is of common " \
           "interest, with no separate test of it" in text


def test_a_notice_received_the_day_an_amendment_lengthened_its_period_names_the_days_order():
    """The notice, dated earlier, is received the day ECO's acceptance brings a 12-month period into force; it
    takes twelve months because it is listed after the acceptance (seed 1212, file 07)."""
    text = ask("ix2-same-day-notice-dated-earlier.yaml", "last_day_in_force")
    assert "the events of 2020-05-12 took place in the order given: n1 after ECO's acceptance of 2020-05-12, " \
           "which changed the MoU's terms that day" in text


def test_a_best_efforts_duty_that_never_arose_is_not_said_to_be_met():
    """"Has ECO met I.3 as to IOM's request r1? Yes." where the duty never arose, the request being stated not to
    concern a matter of common interest, and the summary not saying so (seed 1212, file 15)."""
    text = ask("uwm-i3-interest-false-declined-without-ground.yaml", "cooperation_response_compliant",
               "--request", "r1")
    assert text.startswith("Has ECO met I.3 as to IOM's request for cooperation r1? No duty arose. ")
    assert "no duty to respond arose: IOM's request r1 of 2019-03-01 is stated not to concern a matter of " \
           "common interest, though its topics include area (ii) of V.1 (border management)" in text


def test_a_notice_period_counterfactual_is_the_agreements_own_term_and_its_boundary():
    """"If the length of the notice of termination were 24 months" read as if accepting IOM's later proposal of
    24 months would have saved the amendment; any period over six months would (seed 4646, file 07)."""
    text = ask("ix2-acceptances-around-termination.yaml", "amendment_in_force", "--amendment", "a1",
               "--on", "2020-11-13")
    assert "if the MoU set the length of the notice of termination at 7 months or longer" in changes_part(text)
    assert "24 months" not in changes_part(text)


def test_an_activity_in_no_area_says_its_free_text_topics_are_not_matched():
    """"Cultural festival" is in no area of V.1 only because free text is not compared with the areas (seed 4646,
    file 12)."""
    text = ask("v-activity-areas-free-text.yaml", "activity_areas", "--activity", "a2")
    assert "as its topics (cultural festival) are free text, which is not matched to the areas of V.1 (where one " \
           "applies, state that area's id, i to x, among the topics)" in text


def test_a_period_in_years_that_ends_on_a_shorter_month_names_its_counting_rule():
    """Two years from 2020-02-29 end on 2022-02-28 only as the month-end rule counts them (seed 4646, file 14)."""
    text = ask("ix3-period-in-years-leap-day.yaml", "in_force", "--on", "2022-03-01")
    assert "its notice period of 2 years having run from 2020-02-29 to 2022-02-28, the last day of that month, " \
           "which is where Regulation (EEC, Euratom) No 1182/71, Art. 3(2)(c), ends a period counted in months or " \
           "years when the month is too short to have the day it began on (IX.3)" in text


def test_no_breach_says_a_duty_not_yet_due_is_none():
    """"No duty is shown to be breached" while ECO still has to invite IOM to m7 and IOM ECO to m9, meetings still
    to come: a reader took it that nothing was left to do under Article II (seed 5757, file 01)."""
    summary = ask("agenda-desk-december-2026.yaml", "breaches", "--on", "2026-12-01").split(" Why:")[0]
    assert "No duty is shown to be breached on 2026-12-01, a duty being breached only once it falls due (an " \
           "invitation to a meeting still to come is not yet due, and one with no deadline never falls due)" in summary


def test_a_counterfactual_exchange_expected_on_a_presumed_interest_says_so():
    """"III.1 would expect this exchange (public information on a matter of common interest)" stated as a fact
    what the case leaves to the presumption from its topic (seed 4646, file 17)."""
    text = ask("eif-day-same-day-signatures.yaml", "information_exchange", "--exchange", "x1")
    assert "III.1 would expect this exchange (public information on a matter of common interest, which the case " \
           "does not state but its topics presume)" in changes_part(text)


def test_readings_and_acts_that_do_not_count_are_said_where_a_duty_stands():
    """Seed 6868: an invitation sent the day of the meeting was "in time" without saying it came that day, as
    II.1 is read (file 09); ECO's publicizing before the entry into force was silently left out (file 15); and a
    receipt the case does not state was given as a fact (file 07)."""
    text = ask("ii-invitation-on-meeting-day.yaml", "invitation_obligation", "--meeting", "m1", "--on", "2019-06-10")
    assert "ECO invited IOM to m1 in time (ECO's invitation of 2019-06-10, the day of the meeting, which II.1, " \
           "setting no time limit, is read to allow) (II.1)" in text
    text = ask("v2-ix1-acts-before-entry-into-force.yaml", "breaches", "--on", "2011-02-01")
    assert "no publicizing of the MoU by ECO among its personnel is recorded since its entry into force on " \
           "2010-06-15 (ECO's publicizing of the MoU on 2010-05-05 came before it and does not count)" in text
    summary = ask("ix3-dispatch-same-day-receipt.yaml", "in_force", "--on", "2020-11-13").split(" Why:")[0]
    assert "received" not in summary


def test_seed_7979_an_act_of_one_party_a_reading_of_iii2_and_a_later_date_named_are_said():
    """"If the work programme was adopted by IOM" for one both adopted (files 01, 15: "alone" was missing);
    III.2 permitted an exchange stated to be of no common interest on a reading never named (file 03); and a
    notice naming a later date read as ending the MoU with its period (file 14)."""
    text = ask("ix3-effective-later-honoured.yaml", "termination_notice_valid", "--notice", "n1")
    assert "runs from 2018-01-10 to 2018-07-10; it names 2019-01-01 as the first day the MoU is no longer in " \
           "force, later than its period requires, and a later date named is honoured (IX.3)" in text
    text = ask("vii-leap-year-gap-one-year.yaml", "obligations", "--on", "2014-02-28")
    assert "if the work programme of 2011-04-01 was adopted by IOM alone, or if the work programme of " \
           "2011-04-01 was adopted by ECO alone" in changes_part(text)
    text = ask("iii-internal-documents.yaml", "information_exchange", "--exchange", "e3")
    assert "III.2 is read to set no condition of common interest, which III.1 sets for public information" in text
