"""The agenda (`mou agenda`): what falls due, takes effect or awaits action, and when.

Worked scenarios and their expected agendas are the first tests: each agenda in
`tests/golden/agenda/` was written by hand from the scenario's description and
the MoU, then compared with the output. When an agenda changes on purpose,
regenerate them with `MOU_GOLDEN=update python -m pytest tests/test_agenda.py`
and review the diff before committing it.

Then the claims the design makes: every item's wording comes from the clause
files (remove the agenda's keys and the agenda is empty; no engine module on
the way names an act); the renewal agreement's items appear from its YAML
alone; the iCalendar file imports with `icalendar`; `--watch` keeps an agenda
current that equals the one a fresh run gives.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from mou import Engine, MouError
from mou.answers.agenda import agenda
from mou.cli import main
from mou.language.corpus import shipped_clauses
from mou.tools.calendar import Watcher, agenda_ics, agenda_lines, apply, watch

from conftest import ROOT, SCENARIOS

GOLDEN = Path(__file__).resolve().parent / "golden" / "agenda"
RENEWAL = Path(__file__).resolve().parent / "clauses" / "renewal"

CASES = [  # (golden name, scenario, options): a desk's agendas, and the renewal agreement's
    ("desk-december-2026", SCENARIOS / "agenda-desk-december-2026.yaml", ["--days", "180"]),
    ("on-the-meeting-day", SCENARIOS / "agenda-on-the-meeting-day.yaml", []),
    ("the-mou-ends-soon", SCENARIOS / "agenda-the-mou-ends-soon.yaml", []),
    ("renewal-before-the-notice-deadline", RENEWAL / "agenda" / "before-the-notice-deadline.yaml",
     ["--days", "400", "--clauses", str(RENEWAL)]),
    ("renewal-notice-given-in-time", RENEWAL / "agenda" / "notice-given-in-time.yaml",
     ["--days", "180", "--clauses", str(RENEWAL)]),
]


def run(*args: str, expect: int = 0) -> str:
    result = CliRunner().invoke(main, ["agenda", *args], env={"COLUMNS": "100"})
    assert result.exit_code == expect, result.output
    return result.stdout


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("MOU_GOLDEN") == "update":
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden file {path.name}: run with MOU_GOLDEN=update and review it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file (see the module docstring)"


@pytest.mark.parametrize("name,scenario,options", CASES, ids=[case[0] for case in CASES])
@pytest.mark.parametrize("backend", ["native", "durable"])
def test_each_worked_scenario_gives_its_expected_agenda(name, scenario, options, backend):
    if backend == "durable":
        pytest.importorskip("durable_rules_engine")
    document = json.loads(run(str(scenario), "--format", "json", "--backend", backend, *options))
    document.pop("decision")  # the clause files' hash and the version change without the agenda changing
    assert document.pop("schema_version") == 1
    golden(f"{name}.json", json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def test_the_desk_agenda_as_text_for_people():
    golden("desk-december-2026.txt", run(str(CASES[0][1]), "--days", "180"))


def test_the_json_has_the_contract_shape():
    document = json.loads(run(str(CASES[0][1]), "--format", "json", "--days", "180"))
    assert list(document) == ["schema_version", "decision", "on", "until", "items"]  # the version, then a decision record
    assert document["decision"] == Engine().decision({"consultation_interval": "12 months"})  # the scenario's reading
    for item in document["items"]:
        assert list(item) == ["date", "kind", "paragraph", "party", "event", "says"]
        assert item["kind"] in ("deadline", "takes_effect", "awaiting")
    dates = [item["date"] for item in document["items"]]
    assert dates == sorted(dates, key=lambda d: (d is None, d or ""))  # by date, undated last


def test_the_issue_s_four_kinds_of_item_are_there_with_paragraph_party_and_event():
    items = json.loads(run(str(CASES[0][1]), "--format", "json", "--days", "180"))["items"]
    found = {(i["kind"], i["paragraph"], i["party"], i["event"], i["date"]) for i in items}
    assert ("deadline", "II.1", "ECO", "m7", "2027-01-20") in found  # an invitation deadline
    assert ("deadline", "VII", "ECO", None, "2027-02-10") in found  # the consultation due under the interval
    assert ("takes_effect", "IX.3", "IOM", "n1", "2027-05-28") in found  # the day the notice ends the MoU
    assert ("awaiting", "IX.2", "IOM", "a3", "2027-05-27") in found  # the amendment awaiting acceptance


def test_the_window_bounds_what_falls_due_but_not_what_awaits_action_now():
    items = json.loads(run(str(CASES[0][1]), "--format", "json", "--days", "30"))["items"]
    assert [i["kind"] for i in items if i["date"] and i["date"] > "2026-12-31"] == ["awaiting", "awaiting"]
    assert not any(i["kind"] == "takes_effect" for i in items)


def test_interpret_and_set_give_the_agenda_under_another_reading():
    scenario = str(CASES[2][1])
    plain = json.loads(run(scenario, "--format", "json"))["items"]
    assert any(i["paragraph"] == "IX.3" and i["kind"] == "awaiting" for i in plain)
    fixed = json.loads(run(scenario, "--format", "json", "--interpret", "notice_revocable=false"))
    assert not any(i["paragraph"] == "IX.3" and i["kind"] == "awaiting" for i in fixed["items"])
    assert fixed["decision"]["interpretation"]["notice_revocable"] is False  # the record names the reading used
    longer = json.loads(run(scenario, "--format", "json", "--set", "IX.3.notice_period=7 months"))
    assert [i["date"] for i in longer["items"] if i["kind"] == "takes_effect"] == ["2027-01-31"]  # 2026-06-30 + 7 months + 1
    assert longer["decision"]["parameters"]["IX.3.notice_period"] == "7 months"


def test_a_continuing_duty_past_its_due_day_stays_on_the_agenda_as_overdue():
    def consultation_items(on: str) -> list[tuple]:
        items = json.loads(run(str(CASES[0][1]), "--format", "json", "--on", on, "--days", "5"))["items"]
        return [(i["date"], i["kind"], i["party"], i["says"]) for i in items if i["paragraph"] == "VII"]

    due_today = consultation_items("2027-02-10")  # the last day of the 12-month interval: still due
    assert [(d, k, p) for d, k, p, _ in due_today] == [("2027-02-10", "deadline", "ECO"), ("2027-02-10", "deadline", "IOM")]
    assert all("is due by 2027-02-10" in says for *_, says in due_today)
    late = consultation_items("2027-02-11")  # a day later: breached, and still to be held
    assert [(d, k, p) for d, k, p, _ in late] == [("2027-02-10", "deadline", "ECO"), ("2027-02-10", "deadline", "IOM")]
    assert all(says.endswith("was due by 2027-02-10, 12 months after the last one: it is overdue")
               for *_, says in late)
    # An instant duty breached in the past (II.1: m7 was held on 2027-01-20 and IOM never invited) has no
    # `overdue:` words: the invitation can no longer be sent, so it is not on the agenda.
    items = json.loads(run(str(CASES[0][1]), "--format", "json", "--on", "2027-02-11", "--days", "5"))["items"]
    assert not [i for i in items if i["paragraph"] == "II.1"]


def test_on_defaults_to_as_of_and_a_scenario_without_either_is_invalid_input(tmp_path):
    assert json.loads(run(str(CASES[1][1]), "--format", "json"))["on"] == "2026-03-10"
    assert json.loads(run(str(CASES[1][1]), "--format", "json", "--on", "2026-03-01"))["on"] == "2026-03-01"
    bare = tmp_path / "bare.yaml"
    bare.write_text("scenario: no date\nevents: []\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["agenda", str(bare)])
    assert result.exit_code == 2 and "the agenda needs a date: give --on DATE" in result.stderr
    result = CliRunner().invoke(main, ["agenda", str(bare), "--on", "2026-02-30"])
    assert result.exit_code == 2 and "<command line>: --on takes a date YYYY-MM-DD" in result.stderr
    assert "February 2026 has 28 days" in result.stderr
    assert CliRunner().invoke(main, ["agenda", str(bare), "--on", "2026-01-01", "--days", "-1"]).exit_code == 2


def test_an_empty_agenda_says_why_when_the_mou_has_ended(native):
    text = run(str(CASES[2][1]), "--on", "2027-02-01")
    assert "0 items" in text and "nothing falls due, takes effect or awaits action: the MoU ended on 2026-12-30" in text
    in_force = agenda(native.case(native.read(CASES[2][1]), explain=False))
    assert in_force.ended is None
    empty = agenda_lines(replace(in_force, items=()))
    assert empty[1] == "  nothing falls due, takes effect or awaits action in these days"


def test_an_agenda_is_byte_identical_across_runs():
    for fmt in ("text", "json", "ics"):
        assert run(str(CASES[0][1]), "--format", fmt) == run(str(CASES[0][1]), "--format", fmt)


# -- the calendar ---------------------------------------------------------------------------------

def test_the_ics_file_has_an_event_per_dated_entry_and_a_to_do_per_undated_one(tmp_path):
    """Issue 34: an undated item is a to-do with no date, not an event on the agenda's first day."""
    target = tmp_path / "agenda.ics"
    assert run(str(CASES[0][1]), "--days", "180", "--format", "ics", "-o", str(target)) == ""
    document = json.loads(run(str(CASES[0][1]), "--days", "180", "--format", "json"))
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    events, todos = list(calendar.walk("VEVENT")), list(calendar.walk("VTODO"))
    entries: dict[tuple, list[dict]] = {}  # the items that differ only in their party are one entry
    for item in document["items"]:
        entries.setdefault((item["paragraph"], item["kind"], item["event"], item["date"]), []).append(item)
    dated = [group for key, group in entries.items() if key[3]]
    undated = [group for key, group in entries.items() if not key[3]]
    assert len(events) == len(dated) and len(todos) == len(undated) and undated
    assert len({str(e["UID"]) for e in events + todos}) == len(events) + len(todos)
    for event, group in zip(events, dated):
        start = event.decoded("DTSTART")
        assert start == date.fromisoformat(group[0]["date"])
        assert event.decoded("DTEND") == start + timedelta(days=1)  # an all-day event
        assert group[0]["says"] in str(event["SUMMARY"]) and str(event["SUMMARY"]).startswith(group[0]["paragraph"])
        description = str(event["DESCRIPTION"])
        assert group[0]["says"] in description and f"Paragraph {group[0]['paragraph']}: “" in description
    for todo, group in zip(todos, undated):
        assert "DTSTART" not in todo and "DUE" not in todo
        assert str(todo["SUMMARY"]).startswith(f"{group[0]['paragraph']} (no date): ")
    assert "ECO shall invite IOM to send representatives" in str(events[0]["DESCRIPTION"])  # II.1's own text


def test_a_duty_both_parties_owe_is_one_calendar_entry_naming_both():
    document = json.loads(run(str(CASES[0][1]), "--format", "json"))
    consultations = [item for item in document["items"] if item["paragraph"] == "VII"]
    assert {item["party"] for item in consultations} == {"ECO", "IOM"}  # the agenda lists each party's duty
    calendar = icalendar.Calendar.from_ical(CliRunner().invoke(main, ["agenda", str(CASES[0][1]), "--format",
                                                                      "ics"]).stdout_bytes)
    (entry,) = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith("VII:")]
    assert "Parties: ECO and IOM" in str(entry["DESCRIPTION"])


def test_the_ics_goes_to_standard_output_as_bytes_with_crlf_lines():
    result = CliRunner().invoke(main, ["agenda", str(CASES[2][1]), "--format", "ics"])
    data = result.stdout_bytes  # (click's `stdout` would turn CRLF into LF)
    assert result.exit_code == 0 and data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    calendar = icalendar.Calendar.from_ical(data)
    assert len(calendar.walk("VEVENT")) == 3 and len(calendar.walk("VTODO")) == 1  # r1 has no date: a to-do


def test_control_characters_are_escaped_in_the_calendar(native):
    # The shipped clauses never put a name that is not a party's into an item; other clause files might.
    document = agenda(native.case(native.read(CASES[2][1]), explain=False))
    odd = replace(document.items[0], party="Tu\x1b[2Jrkey", says="a \x1b]0;title\x07 b")
    data = agenda_ics(replace(document, items=(odd,)), native.ruleset.paragraphs)
    assert b"\x1b" not in data and b"\x07" not in data
    assert "a \\u001b]0;title\\u0007 b" in str(icalendar.Calendar.from_ical(data).walk("VEVENT")[0]["SUMMARY"])


# -- the wording comes from the clause files --------------------------------------------------------

AGENDA_KEYS = ("agenda", "upcoming", "awaits")


def without_agenda_keys(source: Path, target: Path) -> Path:
    """A copy of a clause directory without the agenda's keys (each a block of a rule or duty, 4 spaces in)."""
    shutil.copytree(source, target)
    for path in target.glob("*.yaml"):
        kept, skipping = [], False
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            if re.match(r"    (agenda|upcoming|awaits):\s*$", line):
                skipping = True
                continue
            if skipping and (line.startswith("      ") or not line.strip()):
                continue
            skipping = False
            kept.append(line)
        path.write_text("".join(kept), encoding="utf-8")
    return target


@pytest.mark.parametrize("name,scenario,options", CASES, ids=[case[0] for case in CASES])
def test_without_the_clause_files_words_there_is_no_agenda(name, scenario, options, tmp_path):
    clauses = RENEWAL if "--clauses" in options else shipped_clauses()
    bare = without_agenda_keys(Path(clauses), tmp_path / "clauses")
    options = [option if option != str(RENEWAL) else str(bare) for option in options]
    if "--clauses" not in options:
        options += ["--clauses", str(bare)]
    assert json.loads(run(str(scenario), "--format", "json", *options))["items"] == []


def templates(ruleset) -> list[tuple]:
    """The literal parts of every agenda template of the rule set."""
    found = []
    for duty in ruleset.duties.values():
        if duty.agenda:
            found += list(duty.agenda.says.templates.values())
    for rule in ruleset.rules:
        if rule.upcoming:
            found.append(rule.upcoming.says)
        if rule.awaits:
            found += list(rule.awaits.says.templates.values())
    return [tuple(part for part in template if isinstance(part, str)) for template in found]


@pytest.mark.parametrize("name,scenario,options", CASES, ids=[case[0] for case in CASES])
def test_every_item_says_what_a_template_of_its_clause_file_says(name, scenario, options):
    engine = Engine(RENEWAL if "--clauses" in options else None)
    parts = templates(engine.ruleset)
    items = json.loads(run(str(scenario), "--format", "json", *options))["items"]
    assert items
    for item in items:
        assert any(parts_ and _fits(parts_, item["says"]) for parts_ in parts), item["says"]


def _fits(parts: tuple, says: str) -> bool:
    position = 0
    for part in parts:
        found = says.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


AGENDA_MODULES = ["answers/agenda.py", "language/agenda.py", "tools/calendar.py"]
ACTS = re.compile(r"(?i:invit|amend|notice|consult|renew|publici|withdraw|meeting|request|terminat)|\bECO\b|\bIOM\b")


@pytest.mark.parametrize("module", AGENDA_MODULES)
def test_no_module_on_the_agenda_s_way_names_an_act(module):
    tree = ast.parse((ROOT / "engine" / module).read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            assert not ACTS.search(node.value), (module, node.value)
        if isinstance(node, ast.Name | ast.Attribute | ast.arg | ast.FunctionDef):
            name = getattr(node, "id", None) or getattr(node, "attr", None) or getattr(node, "arg", None) or node.name
            assert not ACTS.search(name), (module, name)


def test_the_renewal_items_come_from_its_yaml_alone():
    # The renewal agreement is not the MoU: its `awaits:` and `upcoming:` words are all it took.
    items = json.loads(run(str(CASES[3][1]), "--format", "json", "--days", "3650", "--clauses", str(RENEWAL)))["items"]
    assert [(i["kind"], i["date"]) for i in items] == [
        ("deadline", "2024-09-15"), ("takes_effect", "2025-03-16"),  # this term's last day for notice, its renewal
        ("deadline", "2029-09-15"), ("takes_effect", "2030-03-16")]  # and the next term's, within the ten years
    assert "when its current term expires on 2030-03-15" in items[2]["says"]


def test_misplaced_agenda_words_are_located_compile_errors(tmp_path):
    clauses = tmp_path / "renewal"
    shutil.copytree(RENEWAL, clauses)
    rules = clauses / "duration.yaml"
    text = rules.read_text(encoding="utf-8")
    text = text.replace("    awaits:\n      kind: deadline\n", "    upcoming:\n      says: too early\n    awaits:\n"
                                                               "      kind: deadline\n      for_each: non_renewal\n", 1)
    text = text.replace('    upcoming:\n      says: "the term expiring', '    awaits:\n      says: {soon: x}\n'
                                                                       '    upcoming:\n      says: "the term expiring', 1)
    rules.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", str(clauses)])
    assert result.exit_code == 2
    assert all(line.startswith(f"{rules}:") for line in result.stderr.splitlines())  # FILE:LINE:COLUMN: message
    messages = [line.split(": ", 1)[1] for line in result.stderr.splitlines()]
    assert any(m.startswith("`upcoming:` says what a rule that watches a date") for m in messages), messages
    assert any("unknown event type 'non_renewal'; did you mean 'non_renewal_notice'?" in m for m in messages)
    assert any(m.startswith("`awaits:` says which act a rule triggered by an event") for m in messages)


# -- watching a log ---------------------------------------------------------------------------------

HEAD = "scenario: a live log\nas_of: 2026-12-01\ninterpretation: {consultation_interval: 12 months}\nevents:\n"
LOG = [  # events as a desk appends them
    "  - {id: sig-eco, type: signature, party: ECO, date: 2025-03-01}",
    "  - {id: sig-iom, type: signature, party: IOM, date: 2025-03-01}",
    "  - {id: m7, type: meeting, convened_by: ECO, igos_invited: true, topics: [ii], date: 2027-01-20}",
    "  - {id: c1, type: consultation, parties: [ECO, IOM], date: 2026-02-10}",
    "  - {id: a3, type: amendment_proposal, from: ECO, to: IOM, form: letter, date: 2026-10-01}",
    "  - {id: n1, type: termination_notice, from: IOM, to: ECO, form: letter, date: 2026-11-20, received: 2026-11-27}",
    "  - {id: i7, type: invitation, meeting: m7, from: ECO, to: IOM, date: 2026-11-28}",
    "  - {id: acc1, type: amendment_acceptance, amendment: a3, party: ECO, form: letter, date: 2026-11-29}",
    "  - {id: w1, type: notice_withdrawal, notice: n1, from: IOM, form: letter, date: 2026-11-30}",
]


def write_log(path: Path, lines: list[str]) -> None:
    path.write_text(HEAD + "".join(line + "\n" for line in lines) + ("" if lines else "  []\n"), encoding="utf-8")


def test_the_watcher_prints_what_changed_and_nothing_when_nothing_did(native, tmp_path):
    log = tmp_path / "log.yaml"
    write_log(log, LOG[:6])
    watcher = Watcher(native, log, days=180)
    first = watcher.poll()
    assert first.first and first.lines()[0].startswith("Agenda of “a live log” from 2026-12-01 to 2027-05-30")
    assert watcher.poll() is None  # the file did not change
    write_log(log, LOG[:7])  # the invitation to m7 is sent
    change = watcher.poll()
    assert [(i.paragraph, i.event) for i in change.removed] == [("II.1", "m7")] and change.added == []
    assert change.lines()[0] == f"{log} changed: 0 new, 1 no longer on the agenda (2026-12-01 to 2027-05-30: 10 items)"
    assert change.lines()[1].startswith("- 2027-01-20  deadline      II.1  ECO  event m7")
    log.write_text(HEAD + "  - {id: x, type: signature, party: ECO, date: 2026-02-30}\n", encoding="utf-8")
    broken = watcher.poll()
    assert broken.agenda is None and "February 2026 has 28 days" in str(broken.diagnostics[0])
    assert watcher.current.items == change.agenda.items  # the last agenda stands
    write_log(log, LOG)
    change = watcher.poll()
    assert {(i.kind, i.paragraph) for i in change.removed} >= {("takes_effect", "IX.3"), ("awaiting", "IX.3")}
    assert json.loads(json.dumps(change.to_json()))["removed"]


@settings(max_examples=25, deadline=None)
@given(order=st.permutations(range(len(LOG))), cut=st.lists(st.integers(0, len(LOG)), max_size=4))
def test_the_agenda_kept_by_watching_equals_a_fresh_one_after_every_change(tmp_path_factory, order, cut):
    """Events appended in any order, some steps skipped: the agenda known from the changes alone is a fresh run's."""
    from conftest import shipped_engine

    engine = shipped_engine()
    log = tmp_path_factory.mktemp("watch") / "log.yaml"
    watcher = Watcher(engine, log, days=180)
    known: list = []
    for step in range(len(LOG) + 1):
        if step in cut:
            continue
        write_log(log, [LOG[index] for index in sorted(order[:step])])
        change = watcher.poll()
        try:
            fresh = agenda(engine.case(engine.read(log), explain=False), None, 180)
        except MouError:  # an act before what it refers to: the watcher says so, and its agenda stands
            assert change is not None and change.agenda is None and change.diagnostics
            continue
        if change is not None:
            known = apply(known, change)
        assert known == list(fresh.items)


def test_watch_polls_and_shows_each_change(native, tmp_path):
    log = tmp_path / "log.yaml"
    write_log(log, LOG[:3])
    shown = []
    steps = iter([lambda: None, lambda: write_log(log, LOG[:7]), lambda: None])
    watch(Watcher(native, log), shown.append, interval=0, sleep=lambda _: next(steps)(), polls=3)
    assert [change.first for change in shown] == [True, False]


def test_watch_ends_on_ctrl_c_with_130_and_no_traceback(tmp_path):
    log = tmp_path / "log.yaml"
    write_log(log, LOG[:6])
    process = subprocess.Popen([sys.executable, "-m", "mou", "agenda", str(log), "--watch", "--format", "json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = process.stdout.readline()  # the whole agenda, on one line
    assert json.loads(first)["on"] == "2026-12-01"
    write_log(log, LOG[:7])
    change = json.loads(process.stdout.readline())
    assert [i["event"] for i in change["removed"]] == ["m7"] and change["added"] == []
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130 and "Traceback" not in err and "mou: interrupted" in err


def test_watch_rewrites_an_ics_file_at_each_change(tmp_path):
    log, target = tmp_path / "log.yaml", tmp_path / "agenda.ics"
    write_log(log, LOG[:6])
    process = subprocess.Popen([sys.executable, "-m", "mou", "agenda", str(log), "--watch", "--format", "ics",
                                "-o", str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().startswith("Agenda of")  # the file is written before the agenda is shown
    before = len(list(icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")))
    write_log(log, LOG[:7])
    while not process.stdout.readline().startswith(f"{log} changed"):
        pass
    after = len(list(icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")))
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=30)
    assert after == before - 1


def test_watch_with_ics_needs_a_file():
    result = CliRunner().invoke(main, ["agenda", str(CASES[0][1]), "--watch", "--format", "ics"])
    assert result.exit_code == 2 and "--watch --format ics rewrites a calendar file: give -o FILE" in result.stderr


def test_an_agenda_expression_on_an_absent_fact_gives_no_item_not_a_failure(tmp_path):
    """`agreement.expiry - 1 day` before any expiry is set is absent (none), not a rule failure (exit 3)."""
    clauses = tmp_path / "renewal"
    shutil.copytree(RENEWAL, clauses)
    rules = clauses / "duration.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("      when: in_force\n      until: agreement.notice_deadline\n",
                                  "      until: agreement.expiry - 1 day\n", 1), encoding="utf-8")
    scenario = RENEWAL / "scenarios" / "one-signature.yaml"  # never in force: no expiry to count back from
    result = CliRunner().invoke(main, ["agenda", "--clauses", str(clauses), str(scenario)])
    assert result.exit_code == 0, result.output
    assert "0 items" in result.stdout
