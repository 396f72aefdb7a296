"""Models of what clause files say about acts to come: the agenda's wording and the acts a party may take.

Stage: after yamlio. Imports `model_base`. `model` uses them in rules and duties.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictStr

from .model_base import Expression, Reads, Strict


class Upcoming(Strict):
    """How the agenda says what a rule that watches a date (`at:`) will do on that day, before it comes."""

    says: StrictStr = Field(description="a sentence with {expressions} (`today` is the watched day), e.g. "
                                         "`the MoU's last day in force is {today - 1 day}; it ends on {today}`")
    party: Expression | None = Field(None, description="the party the item concerns (e.g. `event.from`)")


class Act(Strict):
    """An act a party could take, as an event, for the counterfactuals an explanation offers ("had IOM withdrawn
    its notice n1 in writing by 2020-07-31").

    `fields` are the event's fields as expressions (in the scope of the
    `awaits:` or duty that gives it); the fields left out take their
    defaults, so every required field without one must be given. The
    engine looks for the latest day the act could have been taken that
    changes the answer.
    """

    type: StrictStr | None = Field(None, description="the event type of the act (default: the rule's trigger, or "
                                                     "the act that settles the duty)")
    says: StrictStr = Field(description="the act as it completes “had …”, with {expressions} (e.g. `{party} "
                                        "invited the other party to {event}`)")
    fields: dict[str, Expression] = {}


class Awaits(Strict):
    """What a rule triggered by an act waits for, so that the agenda can list it while it is pending.

    Judged on the day the agenda is made: for each event of `for_each` (bound
    as `event`; without it, once) where `when` holds, one item per actor of
    `from` (bound as `party`; without it, one item with no party), dated
    `until` (the last day to act, or none).
    """

    says: Reads = Field(description="a sentence with {expressions} (`event`, `party`, `until`), or one per "
                                    "value of `until` (`value`, `none`)")
    for_each: StrictStr | None = Field(None, description="an event type: one item per such event (as `event`)")
    when: Expression | None = Field(None, description="the act is still awaited (e.g. `event.pending`)")
    from_: Expression | None = Field(None, alias="from", description="who is to act: an actor, or a list of them")
    until: Expression | None = Field(None, description="the last day to act (none: no limit)")
    kind: Literal["awaiting", "deadline"] = Field("awaiting", description="`deadline`: listed only when `until` "
                                                                          "falls within the agenda's days")
    act: Act | None = Field(None, description="the act awaited, as an event: offered as a counterfactual where "
                                              "taking it would change an answer")


class DutyAgenda(Strict):
    """How the agenda says an open instance of a duty."""

    says: Reads = Field(description="a sentence with {expressions} (`event`, `bearer`, `counterparty`, `due`, "
                                    "`on`, and `missing`: the facts an unknown lacks), or one per status the agenda lists (`active`, `unknown`, "
                                    "`violated`: a continuing duty breached before, still to be performed; "
                                    "`overdue`: its `due` day has passed)")
    due: Expression | None = Field(None, description="the day it is next due, for a duty without a deadline "
                                                     "(e.g. a continuing one); default: the deadline")
