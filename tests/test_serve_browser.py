"""`mou serve`'s page in a real browser, as a legal officer meets it: the system's Chromium, driven by Playwright.

A real server (`python -m mou serve` on a free port) and two flows: the
officer builds a timeline by the form, asks whether the MoU is in force,
reads the answer and its decisive reason, flips `notice_runs_from` and sees
the answer change; then a YAML error is shown at its line and fixed.
Screenshots of the first screen are kept in tests/artifacts/ (not committed).

Chromium is Debian's `chromium`; as in tests/test_report_browser.py, the
tests skip without it on a developer's machine and fail in CI. They run once
per CI run, under the `mou-ci` profile: the `mou-ci-quick` profile of the
other two Pythons skips them (the page is the same JavaScript on each).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import CHROMIUM, CHROMIUM_FLAGS, require_chromium

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"

if os.environ.get("HYPOTHESIS_PROFILE") == "mou-ci-quick":
    pytest.skip("the page's browser flows run once, under the mou-ci profile (CI's first Python)",
                allow_module_level=True)
require_chromium()
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "mou", "serve", "--port", str(port), "--workers", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        pytest.fail(f"mou serve did not start: {process.stdout.read().decode()}")
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    opened = context.new_page()
    opened.errors = []
    opened.foreign = []
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    # A 422 is the page's own validation answering (a YAML error the flow makes on purpose): not a page error.
    opened.on("console", lambda message: opened.errors.append(message.text)
              if message.type == "error" and "status of 422" not in message.text else None)
    opened.on("request", lambda request: None if request.url.startswith(server) or request.url.startswith("data:")
              else opened.foreign.append(request.url))
    opened.goto(server)
    # the page marks itself ready once start() has drawn the form and its YAML; typing earlier is overwritten
    opened.wait_for_selector("html[data-ready=true]", state="attached")
    yield opened
    assert opened.errors == [], opened.errors
    assert opened.foreign == [], f"the page fetched from elsewhere: {opened.foreign}"
    context.close()


def set_date(page, selector: str, day: str) -> None:
    page.fill(selector, day)
    page.dispatch_event(selector, "change")


def test_an_officer_builds_a_timeline_asks_and_flips_a_reading(page):
    ARTIFACTS.mkdir(exist_ok=True)
    # the heading names the agreement the server runs on, from its rule set (`--clauses`), not a fixed text
    assert page.text_content("h1") == "Ask about the ECO–IOM MoU"
    assert page.title() == "mou — ask about the ECO–IOM MoU"
    page.screenshot(path=str(ARTIFACTS / "serve-first-screen.png"))
    page.select_option("#add-type", "termination_notice")
    page.click("#add")
    page.select_option("#f-notice1-from", "IOM")
    page.select_option("#f-notice1-to", "ECO")
    page.select_option("#f-notice1-form", "letter")
    set_date(page, "#f-notice1-date", "2020-05-10")
    set_date(page, "#f-notice1-received", "2020-05-12")
    assert "received: 2020-05-12" in page.input_value("#yaml")
    assert page.text_content("#question option:checked") == "Is the MoU in force on a date?"
    page.fill("#arg-on", "2020-11-12")
    page.click("#ask")
    page.wait_for_selector("#verdict")
    assert page.text_content("#verdict") == "Yes"
    assert "IX.3" in page.text_content("#answer .why")
    page.screenshot(path=str(ARTIFACTS / "serve-answer.png"))
    page.click("#readings-box summary")
    page.select_option("#choice-notice_runs_from", "dispatch")
    page.wait_for_function("document.getElementById('verdict') && document.getElementById('verdict').textContent === 'No'")
    assert "changed" in page.text_content("#answer .changed-badge")


def test_a_yaml_error_is_shown_at_its_line_and_fixed(page):
    page.fill("#yaml", "scenario: typed by hand\nevents:\n  - {id: n1, type: terminaton_notice, from: IOM, to: ECO, "
                       "date: 2020-05-10, form: letter}\nquestions: []\n")
    page.dispatch_event("#yaml", "input")
    page.wait_for_selector("#problems li:not(.ok)")
    problem = page.text_content("#problems li")
    assert problem.startswith("Line 3") and "did you mean 'termination_notice'" in problem
    assert page.text_content("#gutter .bad").strip() == "3"
    page.screenshot(path=str(ARTIFACTS / "serve-yaml-error.png"))
    page.fill("#yaml", page.input_value("#yaml").replace("terminaton_notice", "termination_notice"))
    page.dispatch_event("#yaml", "input")
    page.wait_for_selector("#problems li.ok")
    assert page.locator("ol.events li[data-id=n1]").count() == 1  # the form follows the YAML


def test_docs_render_with_every_other_host_blocked(browser, server):
    """/docs draws the API's operations from the package's Swagger UI, with the network beyond the server cut."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    foreign = []

    def only_the_server(route):
        if route.request.url.startswith(server) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_server)
    opened = context.new_page()
    errors = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.goto(server + "docs")
    opened.wait_for_selector(".opblock-summary-path[data-path='/v1/check']")
    assert opened.locator(".opblock").count() >= 11
    assert errors == [] and foreign == [], (errors, foreign)
    context.close()


def test_an_officer_asks_whether_eco_had_to_invite_iom_ticking_areas_and_parties(page):
    """Found by walking the page as an officer: topics are the areas of V.1 in words (ticked, not their ids
    typed), the parties a meeting concerns are ticked, and an amendment's acceptance is not named like a
    second amendment."""
    page.select_option("#add-type", "meeting")
    page.click("#add")
    set_date(page, "#f-meeting1-date", "2019-06-10")
    page.select_option("#f-meeting1-convened_by", "ECO")
    assert page.text_content("label[for=f-meeting1-igos_invited]").startswith("IGOs invited")
    page.select_option("#f-meeting1-igos_invited", "true")
    assert "health needs of migrants" in page.text_content("label:has(#f-meeting1-topics-iv)")
    page.check("#f-meeting1-topics-iv")
    page.check("#f-meeting1-of_interest_to-IOM")
    assert "topics: [iv]" in page.input_value("#yaml") and "of_interest_to: [IOM]" in page.input_value("#yaml")
    page.select_option("#question", "invitation_required")
    page.click("#ask")
    page.wait_for_selector("#verdict")
    assert page.text_content("#verdict") == "Yes"
    assert page.text_content("#answer .summary").startswith("ECO had to invite IOM to meeting1")
    page.select_option("#add-type", "amendment_proposal")
    page.click("#add")
    page.select_option("#add-type", "amendment_acceptance")
    page.click("#add")
    assert page.eval_on_selector_all("ol.events li", "n => n.map(o => o.dataset.id)") == [
        "meeting1", "proposal1", "acceptance1"]
    changes = '[id="f-proposal1-changes-IX.3.notice_period"]'  # a new value in words, not a mapping typed
    assert "as signed: 6 months" in page.text_content(f"label:has({changes})")
    page.fill(changes, "3 months")
    page.dispatch_event(changes, "change")
    assert 'IX.3.notice_period: "3 months"' in page.input_value("#yaml")
