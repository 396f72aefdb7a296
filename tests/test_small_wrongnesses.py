"""Issue 34's small wrongnesses, one test each: plurals, `--on today`, robust's order and its reading as
written, and the sweep plot's lines told apart by style. (The agenda's and the calendar's are in
test_agenda.py.)"""

from __future__ import annotations

import datetime
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from mou.answers.output import counted
from mou.cli import main
from mou.dates import Duration
from mou.answers.analysis import natural
from mou.tools.report import charts

ROOT = Path(__file__).resolve().parent.parent
NOTICE = str(ROOT / "scenarios" / "ix3-notice-valid.yaml")
SVG = "{http://www.w3.org/2000/svg}"


def test_counts_agree_with_their_nouns(tmp_path):
    assert (counted(1, "question"), counted(2, "question"), counted(0, "question")) == (
        "1 question", "2 questions", "0 questions")
    assert counted(1, "property", "properties") == "1 property"
    assert counted(3, "property", "properties") == "3 properties"
    one = tmp_path / "one.yaml"
    one.write_text("scenario: one\nquestions:\n  - {ask: in_force, on: 2020-01-01, expect: true}\n")
    result = CliRunner().invoke(main, ["check", str(one)])
    assert result.stdout.splitlines()[-1] == "1 question: 1 passed, 0 failed, 0 without expect"
    robust = CliRunner().invoke(main, ["robust", str(one)])
    assert "1 question under 128 readings" in robust.stdout


@pytest.mark.parametrize("command", [
    ["ask", "in_force", "--scenario", NOTICE, "--on", "today"],
    ["text", "--on", "today"],
    ["report", NOTICE, "--on", "today", "--format", "markdown"],
    ["report", NOTICE, "--date", "today", "--format", "markdown"],
    ["agenda", NOTICE, "--on", "today"],
])
def test_on_today_is_taken_wherever_a_date_is(command):
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 0, result.output
    assert datetime.date.today().isoformat() in result.stdout


def test_durations_sort_by_length():
    written = [Duration(12, "months"), Duration(3, "months"), Duration(2, "years"), Duration(40, "days")]
    assert [str(d) for d in sorted(written, key=natural)] == ["40 days", "3 months", "12 months", "2 years"]


def test_robust_sorts_durations_by_length_and_marks_the_reading_as_written():
    result = CliRunner().invoke(main, ["robust", NOTICE, "--range", "IX.3.notice_period=12 months,3 months,6 months"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = lines.index("needs in_force on=2020-11-13: depends on IX.3.notice_period")
    assert lines[start + 1:start + 4] == ["        IX.3.notice_period = 3 months → false",
                                          "        IX.3.notice_period = 6 months → false  (as written)",
                                          "        IX.3.notice_period = 12 months → true"]
    assert sum("(as written)" in line for line in lines) == sum(line.startswith("needs ") for line in lines)
    document = json.loads(CliRunner().invoke(main, ["robust", NOTICE, "--format", "json"]).stdout)
    last = next(r for r in document["results"] if r["ask"] == "last_day_in_force")
    (mine,) = [case for case in last["cases"] if case.get("as_written")]
    assert mine["when"] == {"notice_runs_from": "receipt", "termination_effect": "after_period_end"}


def test_the_sweep_plots_lines_in_distinct_styles(tmp_path):
    target = tmp_path / "sweep.html"
    result = CliRunner().invoke(main, ["sweep", NOTICE, "--vary", "n1.received=2020-05-10..2020-06-10",
                                       "--vary", "interpretation.notice_runs_from=receipt,dispatch",
                                       "--vary", "interpretation.termination_effect=after_period_end,on_period_end",
                                       "-o", str(tmp_path / "rows.csv"), "--html", str(target)])
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    svg = ET.fromstring(re.findall(r"<svg.*?</svg>", page, re.S)[0])
    groups = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "series-group"]
    assert len(groups) == 4
    styles = {(g.get("stroke"), g.get("stroke-dasharray")) for g in groups}
    assert len(styles) == 4 and len({dash for _, dash in styles}) == 4  # the dash alone tells them apart
    assert "(dashed)" in page  # the legend names each line's pattern
    assert len({charts.style(i)[1:] for i in range(charts.MAX_SERIES)}) == charts.MAX_SERIES
