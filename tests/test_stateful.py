"""Stateful testing of the lifecycle: events fed one at a time equal a replay from scratch.

A hypothesis state machine feeds events in the order they take effect, as a
live system would, and after every event checks that (1) no event is lost and
(2) every date-bound answer on the last day fed is the one a fresh replay of
the same events gives.
"""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date, timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from mou import Engine, MouError
from mou.evaluation.backends.native import NativeBackend
from mou.answers.questions import answer
from mou.scenario.model import NOT_GIVEN, QuestionCall
from mou.tools.strategies import HypothesisPick, as_document, pick_event
from mou.evaluation.replay import Replay
from mou.values import Event, to_json

ENGINE = Engine(backend="native")
RULESET = ENGINE.ruleset
TYPES = ("signature", "termination_notice", "notice_withdrawal", "amendment_proposal", "amendment_acceptance",
         "meeting", "invitation", "cooperation_request", "cooperation_response", "publicized", "work_programme")


class Lifecycle(RuleBasedStateMachine):
    """Feeds events one by one into an incremental replay, and compares it with fresh replays."""

    def __init__(self) -> None:
        super().__init__()
        self.stack = ExitStack()
        self.fed: list[Event] = []
        self.raw: list[dict] = []
        self.day = date(2008, 6, 1)

    @initialize(runs_from=st.sampled_from(["receipt", "dispatch"]), revocable=st.booleans())
    def start(self, runs_from: str, revocable: bool) -> None:
        self.interpretation = {"notice_runs_from": runs_from, "notice_revocable": revocable}
        scenario = ENGINE.loads("scenario: empty\n")
        self.choices = scenario.choices(RULESET, self.interpretation)
        self.live = Replay(RULESET, (), self.choices, {}, explain=False)
        self.feed = self.stack.enter_context(self.live.incremental(NativeBackend()))

    @rule(data=st.data(), gap=st.integers(0, 400), type_name=st.sampled_from(TYPES))
    def feed_one(self, data, gap: int, type_name: str) -> None:
        self.day = min(self.day + timedelta(days=gap), date(2035, 12, 31))
        earlier: dict[str, list[tuple[str, date]]] = {}
        for event in self.fed:
            earlier.setdefault(event.type, []).append((event.id, event.date))
        item = pick_event(HypothesisPick(data.draw), RULESET, type_name, f"e{len(self.fed)}", self.day, earlier)
        if item is None:
            return
        item["date"] = max(date.fromisoformat(item["date"]), self.day).isoformat()
        item.pop("received", None)  # so it takes effect on its date, in the order fed
        try:
            scenario = ENGINE.reader.from_document(as_document(
                {"scenario": "live", "interpretation": self.interpretation, "events": [*self.raw, item]}))
        except MouError:  # an input the clauses refuse (e.g. a withdrawal before its notice) is not fed
            return
        event = scenario.events[-1]
        for name, value in event.fields.items():  # refer to the very events already fed
            if isinstance(value, Event):
                event.fields[name] = next(e for e in self.fed if e.id == value.id)
        self.day = event.date
        self.feed(event)
        self.fed.append(event)
        self.raw.append(item)

    @invariant()
    def no_event_is_lost(self) -> None:
        if not self.fed:
            return
        for type_name in TYPES:
            fed = [e.id for e in self.fed if e.type == type_name]
            assert [e.id for e in self.live.state.events(type_name, None)] == fed

    @invariant()
    def equals_a_replay_from_scratch(self) -> None:
        if not self.fed:
            return
        fresh = Replay(RULESET, tuple(self.fed), self.choices, {}, explain=False).run(NativeBackend())
        for call in self._questions():
            assert to_json(answer(self.live, call, explain=False).value) == \
                to_json(answer(fresh, call, explain=False).value), (call.ask, call.raw_args)

    def _questions(self) -> list[QuestionCall]:
        """Date-bound questions on the last day fed, and the validity of every notice."""
        on = self.day
        calls = [self._call("in_force", on=on), self._call("status", on=on), self._call("obligations", on=on),
                 self._call("parameter", name="IX.3.notice_period", on=on)]
        for event in self.fed:
            if event.type == "termination_notice":
                calls.append(self._call("termination_notice_valid", notice=event))
            elif event.type == "amendment_proposal":
                calls.append(self._call("amendment_in_force", amendment=event, on=on))
            elif event.type == "meeting":
                calls.append(self._call("invitation_obligation", meeting=event, on=on))
        return calls

    @staticmethod
    def _call(ask: str, **args) -> QuestionCall:
        raw = {k: (v.id if isinstance(v, Event) else str(v)) for k, v in args.items()}
        return QuestionCall(ask, args, raw, NOT_GIVEN, None, RULESET.questions[ask])

    def teardown(self) -> None:
        self.stack.close()


Lifecycle.TestCase.settings = settings(max_examples=100, stateful_step_count=15, deadline=None)
TestLifecycle = Lifecycle.TestCase
