"""The fast evaluator of answers against the three-valued one: the same answers, or it falls back.

`mou.answers.fast` answers a scenario two-valued and gives FALLBACK where a
fact that matters is unknown (or a rule fails); the engine then answers it
the three-valued way. This is the contract between the two evaluators:
on every shipped scenario (those of `scenarios/` and of the test clause
directories) and on generated ones (5,000 under the `mou-ci` profile), the
answers, their `ok`, the properties broken and the notes are the same with
`--evaluator fast` and `--evaluator full`, and a scenario on which a rule
fails fails the same way. Most scenarios must take the fast path (90% of the
generated ones), or the fast evaluator would be a detour.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from conftest import effort
from mou import Engine, MouError
from mou.answers.fast import FALLBACK, Tally, answers
from mou.errors import RuleError
from mou.tools.strategies import as_document, random_scenario_data
from mou.values import to_json

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
TEST_CLAUSES = sorted(path for path in (ROOT / "tests" / "clauses").iterdir()
                      if (path / "scenarios").is_dir())


def outcome(engine: Engine, scenario, **options) -> object:
    """What a check without explanations gives: every answer, its ok, the properties broken, the notes."""
    try:
        result = engine.check(scenario, explain=False, properties=True, **options)
    except RuleError as error:
        return ("rule error", str(error))
    return ([(item.call.ask, to_json(item.call.raw_args), to_json(item.answer), type(item.answer).__name__,
              item.ok) for item in result.results],
            sorted(v.name for v in result.violations), [note.message for note in result.notes], result.failed)


def engines(ruleset) -> tuple[Engine, Engine]:
    return Engine(ruleset=ruleset), Engine(ruleset=ruleset, evaluator="full")


def test_every_shipped_scenario_gets_the_same_answers(ruleset):
    fast, full = engines(ruleset)
    for path in SHIPPED:
        scenario = fast.read(path)
        assert outcome(fast, scenario) == outcome(full, scenario), path.name
    assert full.tally.fast == 0 and full.tally.full == len(SHIPPED)
    assert fast.tally.total == len(SHIPPED)
    assert fast.tally.fast >= 0.8 * len(SHIPPED)  # the shipped scenarios are full of unknowns on purpose


@pytest.mark.parametrize("clauses", TEST_CLAUSES, ids=lambda path: path.name)
def test_the_scenarios_of_other_clause_directories_get_the_same_answers(clauses):
    fast, full = Engine(clauses), Engine(clauses, evaluator="full")
    files = sorted((clauses / "scenarios").rglob("*.yaml"))
    assert files
    for path in files:
        try:
            scenario = fast.read(path)
        except MouError:
            continue
        assert outcome(fast, scenario) == outcome(full, scenario), path.name
    assert fast.tally.fast > 0


def generated(ruleset, count: int, seed: int, reader):
    rng = random.Random(seed)
    made = 0
    while made < count:
        data = random_scenario_data(ruleset, rng, min_events=1, max_events=20)
        try:
            scenario = reader.from_document(as_document(data))
        except MouError:
            continue
        made += 1
        yield scenario


def test_generated_scenarios_get_the_same_answers_and_most_take_the_fast_path(ruleset):
    count = effort(5000)  # 5,000 under the mou-ci profile
    fast, full = engines(ruleset)
    for scenario in generated(ruleset, count, 1932, fast.reader):
        assert outcome(fast, scenario) == outcome(full, scenario), scenario.file
    assert fast.tally.total == count
    assert fast.tally.fast >= 0.9 * count, fast.tally.line()


def test_generated_scenarios_under_other_readings_get_the_same_answers(ruleset):
    """Choices and parameters on top (as robust and sweep give them): the same answers too."""
    fast, full = engines(ruleset)
    rng = random.Random(77)
    choices = [(name, choice.values) for name, choice in ruleset.choices.items() if choice.values]
    for scenario in generated(ruleset, effort(500), 77, fast.reader):
        reading = {name: rng.choice(list(values)) for name, values in rng.sample(choices, min(2, len(choices)))}
        assert outcome(fast, scenario, interpretation=reading) == outcome(full, scenario, interpretation=reading)


def test_an_unknown_answer_is_weighed_by_the_three_valued_case_on_the_fast_replay(ruleset):
    """An answer `unknown` is the three-valued evaluator's to weigh: counted as a fallback, without a second
    replay of the scenario, and the answers are those of `--evaluator full`."""
    engine = Engine(ruleset=ruleset)
    scenario = engine.read(ROOT / "scenarios" / "i-common-interest.yaml")  # answers `unknown`, as expected
    tally = Tally()
    found = answers(ruleset, scenario, tally=tally)
    assert "unknown" in [to_json(value) for value in found.values]
    assert (tally.fast, tally.fallbacks, tally.weighed) == (0, 1, 1)
    assert "1 of them only to weigh an unknown answer" in tally.line()
    full = Engine(ruleset=ruleset, evaluator="full")
    assert outcome(engine, scenario) == outcome(full, scenario)
    assert engine.tally.fallbacks == 1


def test_stats_report_the_fallbacks_and_full_forces_the_old_path():
    from click.testing import CliRunner

    from mou.cli import main

    files = [str(ROOT / "scenarios" / name) for name in ("i-common-interest.yaml", "ix3-notice-valid.yaml")]
    fast = CliRunner().invoke(main, ["check", "--stats", *files])
    full = CliRunner().invoke(main, ["check", "--stats", "--evaluator", "full", *files])
    assert fast.exit_code == full.exit_code == 0
    assert fast.stdout == full.stdout
    assert "1 of 2 scenarios answered by the fast evaluator (50.0%), 1 fell back" in fast.stderr
    assert "2 scenarios answered by the full evaluator" in full.stderr


def _replays(engine: Engine, scenario, kind):
    """The scenario replayed for answers only by `kind` (a lean or a fast replay), duties included."""
    from mou.answers.fast import _replay

    with pytest.MonkeyPatch.context() as patch:
        if kind == "fast":
            import mou.answers.fast as fast

            patch.setattr(fast, "LeanReplay", fast.FastReplay)
        return _replay(engine.ruleset, scenario, None, None, None, True, scenario.questions)


def test_the_lean_replay_leaves_the_facts_the_stepping_replay_leaves(ruleset):
    """Every fact, with its history, every event in order, every duty instance, and the notes past the horizon."""
    engine = Engine(ruleset=ruleset)
    scenarios = [engine.read(path) for path in SHIPPED] + list(generated(ruleset, effort(500), 5, engine.reader))
    for scenario in scenarios:
        try:
            lean, fast = (_replays(engine, scenario, kind) for kind in ("lean", "fast"))
        except RuleError:
            continue
        assert type(lean).__name__ == "LeanReplay" and type(fast).__name__ == "FastReplay"
        assert lean.state._history == fast.state._history, scenario.file
        assert lean.order == fast.order, scenario.file
        assert [(i.duty.id, i.event, i.bearer, i.counterparty, i.arose, i.day) for i in lean.state.instances] == \
            [(i.duty.id, i.event, i.bearer, i.counterparty, i.arose, i.day) for i in fast.state.instances]
        assert [note.message for note in lean.stopped] == [note.message for note in fast.stopped], scenario.file


def test_the_lean_horizon_is_the_horizon(ruleset):
    """`horizon.Walk` looks only where a date or a duration can be, and finds the day `scenario_horizon` finds."""
    from mou.evaluation.fast import program
    from mou.evaluation.horizon import scenario_horizon

    engine = Engine(ruleset=ruleset)
    walk = program(ruleset).walk
    for scenario in [engine.read(path) for path in SHIPPED] + list(generated(ruleset, effort(500), 9,
                                                                            engine.reader)):
        readings = [*scenario.parameters.values(), *scenario.choices(ruleset).values()]
        asked = [value for call in scenario.questions for value in call.args.values()
                 if type(value).__name__ == "date"]
        assert walk.horizon(ruleset, list(scenario.events), asked, readings) == \
            scenario_horizon(ruleset, list(scenario.events), asked, readings), scenario.file


def test_a_timeline_whose_watched_dates_keep_coming_round_is_left_to_the_stepping_replay(monkeypatch):
    """Past `lean.QUIET` watched dates after an event, the lean replay hands the timeline over (`Unusual`): with
    none allowed, every timeline with a watched date goes to `FastReplay`, and the answers stay the full ones."""
    import mou.evaluation.fast.lean as lean

    clauses = ROOT / "tests" / "clauses" / "renewal"
    fast, full = Engine(clauses), Engine(clauses, evaluator="full")
    handed = []
    original = lean.LeanReplay._due

    def due(self, on_date, until):
        try:
            original(self, on_date, until)
        except lean.Unusual:
            handed.append(self)
            raise

    monkeypatch.setattr(lean, "QUIET", 0)
    monkeypatch.setattr(lean.LeanReplay, "_due", due)
    for path in sorted((clauses / "scenarios").rglob("*.yaml")):
        scenario = fast.read(path)
        assert outcome(fast, scenario) == outcome(full, scenario), path.name
    assert handed


def test_a_duty_instance_judged_for_its_status_alone_has_the_judgements_status(ruleset):
    """`fast.duties.status` against `duties.judge`, for every instance, on every day a question asks about and at
    the end of the timeline, on the shipped scenarios and on generated ones."""
    from mou.evaluation import duties
    from mou.evaluation.fast import duties as fast_duties

    engine = Engine(ruleset=ruleset)
    judged = 0
    for scenario in [engine.read(path) for path in SHIPPED] + list(generated(ruleset, effort(500), 11,
                                                                            engine.reader)):
        try:
            replay = _replays(engine, scenario, "lean")
        except RuleError:
            continue
        days = {value for call in scenario.questions for value in call.args.values()
                if type(value).__name__ == "date"} | {None}
        for instance in replay.state.instances:
            for day in days:
                try:
                    expected = duties.judge(replay.state, instance, day).status
                except RuleError:
                    continue
                assert to_json(fast_duties.status(replay.state, instance, day)) == to_json(expected), scenario.file
                judged += 1
    assert judged > 1000
