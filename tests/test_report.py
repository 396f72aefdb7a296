"""`mou report`: the page's content, its timeline picture, and that scenario text never becomes markup.

These tests read the page as data (with the standard library's HTML parser
and ElementTree), without a browser; `test_report_browser.py` opens the same
pages in Chromium.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from mou.cli import main
from mou.tools.report import report_text
from mou.tools.report.axis import BREAK_PX, MIN_LABEL_PX, Axis
from mou.tools.report.page import amended_parts, html, markdown
from mou.tools.report.readings import build
from mou.tools.report.svg import render
from mou.tools.report.timeline import Item, Timeline, Tick, timeline

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
DAY = date(2024, 1, 1)

HOSTILE = """\
scenario: "<script>window.pwned = 1</script><img src=x onerror=\\"window.pwned = 2\\">"
description: "</script><script>window.pwned = 3</script> & <b>bold</b> {{ 7*7 }}"
events:
  - {id: a1, type: amendment_proposal, from: IOM, to: ECO, form: letter, date: 2016-04-04,
     summary: "</title></svg><svg onload=\\"window.pwned = 4\\"><script>window.pwned = 5</script>",
     changes: {IX.3.notice_period: 3 months}}
  - {id: acc1, type: amendment_acceptance, amendment: a1, party: ECO, form: letter, date: 2016-05-02}
  - {id: acc2, type: amendment_acceptance, amendment: a1, party: IOM, form: letter, date: 2016-06-01}
  - {id: act1, type: activity, date: 2017-01-10, topics: ["<iframe src=//example.org>"]}
questions:
  - {ask: amendment_entry_into_force_date, amendment: a1}
  - {ask: activity_areas, activity: act1}
"""


class Elements(HTMLParser):
    """Every start tag of a page, with its attributes, and the text inside each `<script>`."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parse(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def notice_report(ruleset):
    from mou import Engine

    engine = Engine(ruleset=ruleset)
    return build(engine, engine.read(SCENARIOS / "ix3-notice-valid.yaml"), today=DAY)


def test_the_page_holds_every_answer_with_its_summary_and_the_record(notice_report):
    page = html(notice_report)
    assert "IOM gives notice of termination in 2020" in page
    assert "2024-01-01" in page and notice_report.record["clauses_sha256"] in page
    assert notice_report.record["agreement"] == "eco-iom-mou-2009"
    assert set(notice_report.record) == {"mou", "agreement", "clauses_sha256", "interpretation", "parameters"}
    assert set(notice_report.record["interpretation"]) == {c.name for c in notice_report.controls}  # every choice
    written = notice_report.written
    assert [a.asked for a in written.answers] == ["termination_notice_valid notice=n1", "status on=2020-06-01",
                                                  "in_force on=2020-11-12", "in_force on=2020-11-13",
                                                  "last_day_in_force", "status on=2020-11-13"]
    for answer in written.answers:
        assert answer.explanation["summary"].rstrip(".") in page.replace("&#39;", "'")
        assert answer.ok is True  # the scenario's own expectations
    assert written.answers[0].explanation["steps"], "the reading as written carries the full trace"


def test_every_choice_is_a_switch_and_the_single_flips_are_embedded(notice_report, ruleset):
    names = [control.name for control in notice_report.controls]
    assert names == list(ruleset.choices)
    assert not notice_report.complete and notice_report.total == 128
    flips = [reading.flipped for reading in notice_report.readings[1:]]
    assert {"notice_runs_from": "dispatch"} in flips and {"termination_effect": "on_period_end"} in flips
    assert all(len(flip) == 1 for flip in flips)
    dispatch = next(r for r in notice_report.readings if r.flipped == {"notice_runs_from": "dispatch"})
    changed = {a.asked: (a.written, a.text) for a in dispatch.answers if a.changed}
    assert changed == {"in_force on=2020-11-12": ("true", "false"), "last_day_in_force": ("2020-11-12", "2020-11-10")}
    assert len(notice_report.table) == 128  # every combination's answers, for the controls' other combinations
    page = parse(html(notice_report))
    selects = [attrs["data-choice"] for tag, attrs in page.tags if tag == "select"]
    assert selects == names


def test_the_page_fetches_nothing_and_forbids_fetching(notice_report):
    page = html(notice_report)
    tags = parse(page).tags
    assert not [attrs for tag, attrs in tags if tag in ("link", "img", "iframe", "object", "embed")]
    assert not [attrs for tag, attrs in tags if tag == "script" and "src" in attrs]
    policy = next(attrs["content"] for tag, attrs in tags if tag == "meta" and attrs.get("http-equiv"))
    assert policy.startswith("default-src 'none'")
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", page)
    assert "@import" not in page and "url(" not in page


def test_user_text_is_escaped_everywhere_it_lands(native):
    scenario = native.loads(HOSTILE, "hostile.yaml")
    page = report_text(native, scenario, today=DAY)
    parsed = parse(page)
    tags = [tag for tag, _ in parsed.tags]
    assert "img" not in tags and "iframe" not in tags and "b" not in tags
    assert tags.count("script") == 2  # the data and the switch: nothing the scenario wrote
    assert tags.count("svg") == len(build(native, scenario, today=DAY).pictures)
    assert not [attrs for _, attrs in parsed.tags if any(name.startswith("on") for name in attrs)]
    assert "window.pwned" not in parsed.scripts[1]
    data = json.loads(parsed.scripts[0])  # the embedded data stays one JSON document inside its element
    assert "</script>" not in parsed.scripts[0]
    assert isinstance(data["panels"], dict)
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in page  # the title, shown as text
    assert "{{ 7*7 }}" in page  # no template evaluates what a scenario says


def test_the_svg_escapes_its_text_and_titles_every_item():
    nasty = '</title><script>alert(1)</script>'
    line = Timeline(lanes=[("life", "the agreement"), ("A", nasty)], as_of=date(2020, 6, 1))
    line.items = [Item("A", nasty, date(2020, 1, 1), date(2020, 3, 1), f"says {nasty}", "event",
                       (Tick(date(2020, 3, 1), nasty),)),
                  Item("A", "d1", date(2019, 1, 1), None, "a duty", "duty-active", open_end=True)]
    drawn = render(line)
    root = ET.fromstring(drawn)
    assert not [el for el in root.iter() if el.tag.endswith("script")]
    titles = [el.text for el in root.iter() if el.tag.endswith("title")]
    assert f"says {nasty}" in titles and nasty in titles and "a duty" in titles
    assert nasty in [el.text for el in root.iter() if el.tag.endswith("text")]


def test_alike_duty_windows_are_one_thin_bar_and_no_axis_label_is_cut_off():
    line = Timeline(lanes=[("life", "the agreement"), ("A", "A"), ("duties of A", "duties of A")],
                    as_of=date(2020, 6, 1))
    standing = [Item("duties of A", paragraph, date(2019, 1, 1), None, f"{paragraph}: a duty", "duty-active",
                     open_end=True) for paragraph in ("I.1", "V.2", "VI")]
    line.items = [Item("A", "e1", date(2019, 3, 1), None, "an event", "event"), *standing,
                  Item("duties of A", "VII", date(2019, 1, 1), None, "VII: unknown", "duty-unknown", open_end=True)]
    root = ET.fromstring(render(line))
    bars = [el for el in root.iter() if el.get("class", "").startswith("item duty-")]
    assert len(bars) == 2
    labels = [el.text for bar in bars for el in bar if el.tag.endswith("text")]
    assert labels == ["I.1, V.2, VI", "VII"]
    assert bars[0].find("{http://www.w3.org/2000/svg}title").text == "I.1: a duty\nV.2: a duty\nVI: a duty"
    heights = {float(el.get("height")) for bar in bars for el in bar if el.tag.endswith("rect")}
    assert heights == {5.0}  # thinner than an event's row: duties are secondary
    width = float(root.get("width"))
    for tick in (el for el in root.iter() if el.get("class") == "tick"):
        assert float(tick.get("x")) + len(tick.text) * 6.6 <= width, tick.text
    # a tick near the right edge (the axis ends on 2017-12-31: its January 2018 label would be cut)
    edge = Timeline(lanes=[("A", "A")], as_of=date(2017, 12, 31))
    edge.items = [Item("A", "m", date(2017, 3, 1), None, "a meeting", "event")]
    for tick in (el for el in ET.fromstring(render(edge)).iter() if el.get("class") == "tick"):
        assert float(tick.get("x")) + len(tick.text) * 6.6 <= width, tick.text


def test_the_axis_folds_a_quiet_decade_and_keeps_dates_in_order():
    days = [date(2009, 1, 27), date(2020, 5, 10), date(2020, 5, 12), date(2020, 11, 12), date(2020, 11, 13)]
    axis = Axis(days, 100, 900)
    assert len(axis.folds) == 1 and axis.folds[0].x1 - axis.folds[0].x0 == pytest.approx(BREAK_PX)
    xs = [axis.x(day) for day in days]
    assert xs == sorted(xs) and xs[1] < xs[2]
    assert xs[3] - xs[1] > 300, "the six months of 2020 get most of the width"
    ticks = [x for x, _ in axis.ticks()]
    assert all(b - a >= MIN_LABEL_PX for a, b in zip(ticks, ticks[1:]))
    linear = Axis(days, 100, 900, fold=False)
    assert not linear.folds and linear.x(days[3]) - linear.x(days[1]) < 50


def test_the_timeline_comes_from_the_rule_set_and_the_replay(native):
    scenario = native.read(SCENARIOS / "ix2-three-month-notice-period.yaml")
    line = timeline(native.case(scenario))
    states = [(band.value, band.start, band.end) for band in line.bands]
    assert states == [("not_in_force", date.min, date(2009, 1, 26)),
                      ("in_force", date(2009, 1, 27), date(2017, 2, 13)),
                      ("termination_pending", date(2017, 2, 14), date(2017, 5, 14)),
                      ("terminated", date(2017, 5, 15), None)]
    items = {item.label: item for item in line.items}
    assert items["a1"].lane == "IOM" and items["n1"].lane == "ECO" and items["signed-ECO"].kind == "implied"
    assert [t.says for t in items["a1"].ticks] == ["the amendment a1 entered into force on 2016-06-01"]
    assert "the notice period of n1 ends on 2017-05-14" in [t.says for t in items["n1"].ticks]
    assert any(item.kind.startswith("duty-") and item.lane == "duties of ECO" for item in line.items)
    words = [text for _, text in line.words()]
    assert "the MoU's last day in force is 2017-05-14" in words


def test_duty_windows_run_from_trigger_to_deadline_or_act(native):
    scenario = native.read(SCENARIOS / "obligations-worked-example.yaml")
    line = timeline(native.case(scenario), scenario.as_of)
    windows = [item for item in line.items if item.kind.startswith("duty-")]
    assert windows and all(item.says.startswith(item.label.split()[0]) for item in windows)
    violated = [item for item in windows if item.kind == "duty-violated"]
    assert violated and all(any(t.kind == "deadline" for t in item.ticks) for item in violated)


def test_another_agreement_gets_its_timeline_from_its_own_clause_files():
    from mou import Engine

    clauses = ROOT / "tests" / "clauses" / "renewal"
    with Engine(clauses) as engine:
        scenario = engine.read(clauses / "scenarios" / "notice-in-time.yaml")
        report = build(engine, scenario, today=DAY)
    assert report.record["agreement"] != "eco-iom-mou-2009"
    bands = [band.value for band in report.written.timeline.bands]
    assert bands[0] != bands[-1] and len(bands) >= 3
    assert html(report).count("<article") == len(scenario.questions)


def test_amended_wording_is_marked():
    text = "by giving three months [as amended by a1, in force from 2016-06-01] written notice"
    assert amended_parts(text) == [("by giving three months ", False),
                                   ("[as amended by a1, in force from 2016-06-01]", True), (" written notice", False)]


def test_the_markdown_memo_has_the_same_content(notice_report):
    memo = "\n".join(markdown(notice_report))
    for heading in ("## Timeline", "## Answers", "## Other readings", "## Under every reading"):
        assert heading in memo
    for answer in notice_report.written.answers:
        assert f"### {answer.explanation['asks']}" in memo  # each question as a person asks it
    assert "notice_runs_from = dispatch" in memo and "128 readings" in memo


def test_agenda_items_show_as_a_section_when_given(notice_report):
    assert 'id="agenda-title"' not in html(notice_report)
    notice_report.agenda = [{"date": "2020-11-12", "kind": "takes_effect", "paragraph": "IX.3", "party": "IOM",
                             "event": "n1", "says": "the MoU's last day in force is <2020-11-12>"}]
    try:
        page = html(notice_report)
    finally:
        notice_report.agenda = None
    assert 'id="agenda-title"' in page and "the MoU&#39;s last day in force is &lt;2020-11-12&gt;" in page


def test_the_same_inputs_give_the_same_bytes(native):
    scenario = native.read(SCENARIOS / "ix3-withdrawn-before-effect.yaml")
    assert report_text(native, scenario, today=DAY) == report_text(native, scenario, today=DAY)


def test_mou_report_writes_one_file(tmp_path):
    target = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(SCENARIOS / "vii-interval-unset.yaml"), "-o", str(target),
                                       "--date", "2024-01-01"])
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert "consultation_interval" in page and list(tmp_path.iterdir()) == [target]
    memo = CliRunner().invoke(main, ["report", str(SCENARIOS / "vii-interval-unset.yaml"), "--format", "markdown",
                                     "--date", "2024-01-01", "--interpret", "consultation_interval=12 months"])
    assert memo.exit_code == 0 and memo.output.startswith("# ")
    assert "consultation_interval = 12 months" in memo.output


def test_mou_report_refuses_a_bad_date_with_exit_2():
    result = CliRunner().invoke(main, ["report", str(SCENARIOS / "ix3-notice-valid.yaml"), "--date", "2024-13-01"])
    assert result.exit_code == 2 and "<command line>" in result.output and "--date" in result.output


def test_mou_robust_writes_the_table_of_every_reading(tmp_path):
    target = tmp_path / "robust.html"
    result = CliRunner().invoke(main, ["robust", str(SCENARIOS / "ix3-notice-valid.yaml"), "--html", str(target)])
    assert result.exit_code == 0, result.output
    assert "under 128 readings" in result.output  # the text output is unchanged
    parsed = parse(target.read_text(encoding="utf-8"))
    rows = [attrs for tag, attrs in parsed.tags if tag == "tr"]
    assert len(rows) == 1 + 6 + 1 + 128  # the safe table's header and questions, the grid's header and readings
    assert [attrs for tag, attrs in parsed.tags if tag == "tr" and attrs.get("class") == "written"]
    assert not [attrs for tag, attrs in parsed.tags if tag == "script"]
    # one column names the reading by what differs from the reading as written: that one first, then single flips
    page = target.read_text(encoding="utf-8")
    labels = re.findall(r'<td class="reading-label">(.*?)</td>', page)
    assert len(labels) == 128 and labels[0] == "as written"
    assert all(label.count(" = ") == 1 for label in labels[1:8])
    assert [label.count(" = ") for label in labels] == sorted(label.count(" = ") for label in labels)
    assert labels[-1].count(" = ") == 7  # every choice changed


def test_mou_sweep_plots_each_answer_and_keeps_its_rows(tmp_path):
    rows, target = tmp_path / "rows.csv", tmp_path / "sweep.html"
    args = ["sweep", str(SCENARIOS / "ix3-notice-valid.yaml"), "--vary", "n1.received=2020-05-10..2020-12-31",
            "--vary", "interpretation.notice_runs_from=receipt,dispatch", "-o", str(rows), "--html", str(target)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    plain = CliRunner().invoke(main, args[:-4])
    assert rows.read_text(encoding="utf-8") == plain.output  # the page changes nothing in the rows
    page = target.read_text(encoding="utf-8")
    svgs = [ET.fromstring(svg) for svg in re.findall(r"<svg.*?</svg>", page, re.S)]
    assert len(svgs) == 6  # one chart per question
    last_day = svgs[4]
    runs = [el.find("{http://www.w3.org/2000/svg}title").text for el in last_day.iter()
            if el.get("class") == "series run"]
    assert "interpretation.notice_runs_from=dispatch: n1.received 2020-05-10 to 2020-12-31: 2020-11-10" in runs
    assert any(run.startswith("interpretation.notice_runs_from=receipt: n1.received 2020-06-01: 2020-12-01")
               for run in runs)


def test_a_sweep_page_samples_a_large_sweep(native):
    from mou.tools.report.pages import MAX_POINTS, SweepPlot
    from mou.tools.sweep import SweepSpec
    from mou.tools.vector.partition import stream
    import io

    spec = SweepSpec(str(SCENARIOS / "ix3-notice-valid.yaml"), ("n1.received=2020-05-10..2077-05-01",))
    sweep = spec.build()
    out = io.StringIO()
    plot = SweepPlot(out, sweep, "csv")
    stream(plot, spec, sweep, "csv")
    assert plot.seen == len(sweep) > MAX_POINTS
    assert len(plot.rows) <= MAX_POINTS and plot.stride > 1
    assert out.getvalue().count("\n") == len(sweep) + 1
    assert "one in every" in plot.html()


def test_a_case_keeps_the_calls_it_answered_alive_so_no_other_call_gets_their_answers(native):
    """The case caches answers by the call's id: a call that died could hand its id to a new one (the
    timeline's state questions, asked on one day after another, met this on Python 3.13)."""
    import gc
    import weakref

    from mou.errors import Location
    from mou.scenario.model import NOT_GIVEN, QuestionCall

    scenario = native.read(SCENARIOS / "ix3-notice-valid.yaml")
    case = native.case(scenario)
    question = native.ruleset.questions["in_force"]
    answers = {}
    for day in (date(2020, 6, 1), date(2020, 11, 13), date(2020, 6, 2), date(2020, 11, 14)):
        call = QuestionCall("in_force", {"on": day}, {"on": day.isoformat()}, NOT_GIVEN, Location("<test>"), question)
        answers[day] = case.value(call)
        held = weakref.ref(call)
        del call
        gc.collect()
        assert held() is not None
    assert answers == {date(2020, 6, 1): True, date(2020, 11, 13): False, date(2020, 6, 2): True,
                       date(2020, 11, 14): False}


def test_the_report_holds_the_scenarios_agenda_from_its_as_of(native):
    scenario = native.read(SCENARIOS / "agenda-the-mou-ends-soon.yaml")
    page = report_text(native, scenario, today=DAY)
    assert 'id="agenda-title"' in page and "from 2026-12-01 to 2027-03-01" in page
    assert "ECO must invite IOM to m2 by 2026-12-20, the day of the meeting" in page
    memo = report_text(native, scenario, "markdown", today=DAY)
    assert "- 2026-12-20: ECO must invite IOM to m2 by 2026-12-20, the day of the meeting (II.1)" in memo
    assert "## Agenda" not in report_text(native, scenario, "markdown", today=DAY, agenda=[])
