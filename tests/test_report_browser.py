"""`mou report` pages in a real browser: the system's Chromium, headless, driven by Playwright.

Each page is opened from a file, as a legal officer would open an e-mail
attachment. The tests check what a person sees: the answers in the rendered
DOM, a switch that changes the marked answers, nothing fetched from the
network, no console errors, a screenshot that is not blank, an A4 print,
and scenario text that stays text.

Chromium is Debian's `chromium` package (`.ci/run` installs it where it is
missing). Without it the tests are skipped on a developer's machine, and fail
in CI (`CI` set), so that a missing browser cannot pass for a green run.
"""

from __future__ import annotations

import struct
import zlib
from datetime import date
from pathlib import Path

import pytest

from conftest import CHROMIUM, CHROMIUM_FLAGS, require_chromium

from mou.tools.report import report_text

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
DAY = date(2024, 1, 1)

require_chromium()
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


class Opened:
    """A page opened from a file, with every request it made and every error it logged."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1100, "height": 900})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.context.route("**/*", self._route)
        self.url = path.as_uri()
        self.page.goto(self.url)

    def _route(self, route):
        if route.request.url == self.url:
            route.continue_()
        else:
            route.abort()  # anything else would be a fetch: recorded in `requests`, and refused

    def visible_answers(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "section.reading:not([hidden]) article.answer .value", "nodes => nodes.map(n => n.textContent)")

    def marked(self) -> int:
        return self.page.eval_on_selector_all(
            "section.reading:not([hidden]) [data-changed=true]", "nodes => nodes.length")

    def __enter__(self) -> "Opened":
        return self

    def __exit__(self, *exc: object) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def notice_page(native, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    scenario = native.read(SCENARIOS / "ix3-notice-valid.yaml")
    path.write_text(report_text(native, scenario, today=DAY), encoding="utf-8")
    return path


def test_the_rendered_page_shows_every_answer_and_fetches_nothing(browser, notice_page):
    with Opened(browser, notice_page) as opened:
        assert opened.visible_answers() == ["true", "termination_pending", "true", "false", "2020-11-12", "terminated"]
        summary = opened.page.inner_text("section.reading:not([hidden]) article.answer .summary")
        assert summary.startswith("the notice n1 is a valid notice of termination")
        assert opened.page.is_visible("figure.picture svg.timeline")
        assert opened.page.inner_text("#reading-status") == "Shown: the reading as written."
        assert opened.requests == [opened.url]
        assert opened.errors == []


def test_switching_a_reading_changes_the_marked_answers(browser, notice_page):
    with Opened(browser, notice_page) as opened:
        page = opened.page
        assert opened.marked() == 0
        page.click("details.readings-box > summary")  # the readings are collapsed, under the answers
        page.select_option("select[data-choice=notice_runs_from]", label=page.eval_on_selector(
            "select[data-choice=notice_runs_from] option[value='\"dispatch\"']", "o => o.textContent").strip())
        assert opened.visible_answers() == ["true", "termination_pending", "false", "false", "2020-11-10", "terminated"]
        assert opened.marked() == 2
        assert "notice_runs_from = dispatch" in page.inner_text("#reading-status")
        # A second choice at once is not embedded in full: its answers come from the table of every reading.
        page.select_option("select[data-choice=termination_effect]", value='"on_period_end"')
        assert page.is_visible("#reading-other") and page.is_hidden("figure.picture")
        cells = page.eval_on_selector_all("#other-table tbody tr", "rows => rows.map(r => r.cells[1].textContent)")
        assert cells[4].startswith("2020-11-09") and opened.marked() >= 2
        page.click("#reset")
        assert opened.marked() == 0 and opened.visible_answers()[4] == "2020-11-12"
        assert opened.errors == [] and opened.requests == [opened.url]


def test_a_reading_can_be_linked_to(browser, notice_page):
    with Opened(browser, notice_page) as opened:
        opened.page.evaluate("location.hash = 'termination_effect=on_period_end'")
        assert opened.visible_answers()[4] == "2020-11-11" and opened.marked() == 2


def test_a_screenshot_is_not_blank(browser, notice_page, tmp_path):
    with Opened(browser, notice_page) as opened:
        box = opened.page.locator("figure.picture:not([hidden]) svg.timeline").bounding_box()
        assert box["width"] > 800 and box["height"] > 150
        bands = opened.page.eval_on_selector_all("figure.picture:not([hidden]) g.band", "nodes => nodes.length")
        assert bands == 4  # not yet in force, in force, termination pending, terminated
        shot = opened.page.locator("figure.picture:not([hidden]) svg.timeline").screenshot()
        colours = png_colours(shot)
        assert len(colours) > 20, "the timeline's screenshot has (almost) one colour"
        assert len(shot) > 20_000, "a blank picture of this size compresses to a few kilobytes"
        page_shot = opened.page.screenshot(full_page=True)
        assert png_size(page_shot)[1] > 2000 and len(page_shot) > 100_000


def test_the_print_view_is_an_a4_document_without_controls(browser, notice_page):
    with Opened(browser, notice_page) as opened:
        page = opened.page
        page.emulate_media(media="print")
        assert page.is_hidden("#readings") and page.is_hidden("details.trace pre")
        assert page.is_visible("#reading-status") and page.is_visible("svg.timeline")
        pdf = page.pdf(prefer_css_page_size=True)
        sizes = {tuple(round(float(v)) for v in box.split()[2:]) for box in _media_boxes(pdf)}
        assert sizes == {(595, 842)}, sizes  # A4 in points
        assert 2 <= len(_media_boxes(pdf)) <= 20


def test_the_first_screen_holds_the_title_every_answer_and_its_summary(browser, notice_page):
    """Issue 31: at 1280×800 the first screen shows the title, the answers and their summaries."""
    with Opened(browser, notice_page) as opened:
        page = opened.page
        page.set_viewport_size({"width": 1280, "height": 800})
        shown = page.eval_on_selector_all(
            "h1, section.reading:not([hidden]) ol.glance li .value, section.reading:not([hidden]) ol.glance li "
            ".glance-summary", "nodes => nodes.map(n => [n.textContent, n.getBoundingClientRect().bottom])")
        assert [text for text, _ in shown[1::2]] == opened.visible_answers()
        assert all(bottom <= 800 for _, bottom in shown), shown
        assert page.is_hidden("details.readings-box form")  # the readings are collapsed, below the answers


def test_the_print_starts_with_the_answers_on_page_1(browser, notice_page):
    """The first answer's block starts on page 1 (an A4 page is 182 × 263 mm inside its margins): it may run
    over a page, where a block kept whole used to leave page 1 two-thirds blank; its head stays together."""
    with Opened(browser, notice_page) as opened:
        page = opened.page
        page.emulate_media(media="print")
        page.set_viewport_size({"width": round(182 / 25.4 * 96), "height": round(263 / 25.4 * 96)})
        first = "section.reading:not([hidden]) article.answer"
        assert page.eval_on_selector(first, "n => getComputedStyle(n).breakInside") == "auto"
        assert page.eval_on_selector(first + " > header", "n => getComputedStyle(n).breakInside") == "avoid"
        page_height = 263 / 25.4 * 96
        assert page.eval_on_selector("section.reading:not([hidden]) ol.glance",
                                     "n => n.getBoundingClientRect().bottom") < page_height
        assert page.eval_on_selector(first, "n => n.getBoundingClientRect().top") < page_height
        assert page.is_hidden("#readings")


def test_scenario_text_cannot_inject_markup_or_script(browser, native, tmp_path):
    from test_report import HOSTILE

    path = tmp_path / "hostile.html"
    path.write_text(report_text(native, native.loads(HOSTILE, "hostile.yaml"), today=DAY), encoding="utf-8")
    with Opened(browser, path) as opened:
        page = opened.page
        assert page.evaluate("window.pwned") is None
        assert page.eval_on_selector_all("img, iframe, b, script[src]", "nodes => nodes.length") == 0
        assert page.eval_on_selector_all("script", "nodes => nodes.length") == 2
        assert page.inner_text("h1") == '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
        assert "</script><script>window.pwned = 3</script>" in page.inner_text("p.description")
        titles = page.eval_on_selector_all("svg title", "nodes => nodes.map(n => n.textContent).join(' ')")
        assert "<script>window.pwned = 5</script>" in titles
        assert opened.errors == [] and opened.requests == [opened.url]


def _media_boxes(pdf: bytes) -> list[str]:
    import re

    return [match.decode() for match in re.findall(rb"/MediaBox\s*\[([^\]]+)\]", pdf)]


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG."""
    return struct.unpack(">II", data[16:24])


def png_colours(data: bytes) -> set[tuple[int, ...]]:
    """The distinct colours of an 8-bit RGB(A) PNG, sampled every few pixels (filters undone)."""
    width, height = png_size(data)
    depth, kind = data[24], data[25]
    assert depth == 8 and kind in (2, 6), (depth, kind)
    channels = 3 if kind == 2 else 4
    chunks, position = [], 8
    while position < len(data):
        length, tag = struct.unpack(">I4s", data[position:position + 8])
        if tag == b"IDAT":
            chunks.append(data[position + 8:position + 8 + length])
        position += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    previous = bytearray(stride)
    colours = set()
    for row in range(height):
        start = row * (stride + 1)
        kind_of_filter, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind_of_filter == 1:
                line[i] = (line[i] + left) & 255
            elif kind_of_filter == 2:
                line[i] = (line[i] + up) & 255
            elif kind_of_filter == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind_of_filter == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        if row % 7 == 0:
            colours.update(tuple(line[i:i + 3]) for i in range(0, stride, channels * 5))
        previous = line
    return colours
