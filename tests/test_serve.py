"""`mou serve`'s HTTP API, as other systems call it: same answers as the CLI, located errors, its limits.

The application runs in-process under FastAPI's TestClient, with the real
worker pool (forked processes). `/v1/check` is compared with `mou check
--format json` on every shipped scenario.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from mou import Engine  # noqa: E402
from mou.web.app import create_app  # noqa: E402
from mou.web.pool import Pool  # noqa: E402
from mou.web.workspace import Workspace, shipped_scenarios  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
NOTICE = (ROOT / "scenarios" / "ix3-notice-valid.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def engine():
    with Engine() as loaded:
        yield loaded


@pytest.fixture(scope="module")
def client(engine):
    pool = Pool(engine, 2, 60)
    with TestClient(create_app(engine, pool, Workspace(shipped_scenarios()), {"testserver"})) as test_client:
        test_client.pool = pool
        yield test_client
    pool.close()


def ask(client, **body):
    return client.post("/v1/ask", json={"scenario": NOTICE, "ask": "in_force", **body})


def test_ask_answers_with_the_explanation(client):
    response = ask(client, args={"on": "2020-11-13"})
    assert response.status_code == 200
    document = response.json()
    assert document["answer"] is False
    assert document["explanation"]["asks"] == "Is the MoU in force on 2020-11-13?"
    assert "IX.3" in document["explanation"]["summary"]


def test_interpretation_in_the_body_overrides_as_interpret_does(client):
    assert ask(client, args={"on": "2020-11-12"}).json()["answer"] is True
    flipped = ask(client, args={"on": "2020-11-12"}, interpretation={"notice_runs_from": "dispatch"}).json()
    assert flipped["answer"] is False
    assert flipped["decision"]["interpretation"]["notice_runs_from"] == "dispatch"


def test_ask_equals_the_cli(client):
    cli = subprocess.run([sys.executable, "-m", "mou", "ask", "in_force", "--scenario",
                          str(ROOT / "scenarios" / "ix3-notice-valid.yaml"), "--on", "2020-11-13", "--format", "json"],
                         capture_output=True, text=True, check=True)
    assert ask(client, args={"on": "2020-11-13"}).json() == json.loads(cli.stdout)


def test_a_posted_scenario_is_request_with_its_line_and_column(client):
    response = client.post("/v1/check", json={"scenario": "scenario: x\nevents:\n  - {id: a, type: terminaton_notice}\n"
                                                           "questions: []\n"})
    assert response.status_code == 422
    [problem] = response.json()["diagnostics"]
    assert (problem["file"], problem["line"], problem["column"]) == ("<request>", 3, 19)
    assert "did you mean 'termination_notice'" in problem["message"]


def test_a_scenario_as_a_json_object(client):
    scenario = {"scenario": "notice", "events": [{"id": "n1", "type": "termination_notice", "from": "IOM", "to": "ECO",
                                                   "date": "2020-05-10", "received": "2020-05-12", "form": "letter"}],
                "questions": [{"ask": "in_force", "on": "2020-11-13", "expect": False}]}
    response = client.post("/v1/check", json={"scenario": scenario})
    assert response.status_code == 200, response.text
    assert response.json()["summary"]["passed"] == 1


def test_unknown_choice_is_422_in_words_of_the_body(client):
    response = ask(client, interpretation={"notice_runs_frm": "dispatch"})
    assert response.status_code == 422
    assert "notice_runs_from" in response.json()["diagnostics"][0]["message"]


@pytest.mark.parametrize("path,body", [
    ("/v1/agenda", {}), ("/v1/text", {}), ("/v1/whatif", {"parameters": {"IX.3.notice_period": "3 months"}}),
    ("/v1/robust", {}), ("/v1/validate", {})])
def test_every_command_has_its_route(client, path, body):
    response = client.post(path, json={"scenario": NOTICE, **body})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")


def test_report_is_the_page(client):
    response = client.post("/v1/report", json={"scenario": NOTICE, "date": "2024-01-01"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<svg" in response.text


def test_workspace_is_its_listing(client):
    listed = client.get("/v1/scenarios").json()["scenarios"]
    assert {item["name"] for item in listed} == {path.stem for path in SCENARIOS}
    assert client.get("/v1/scenarios/ix3-notice-valid").json()["scenario"] == NOTICE
    for name in ("..%2Fpyproject", "%2Fetc%2Fpasswd", "ix3-notice-valid.yaml"):
        response = client.get(f"/v1/scenarios/{name}")
        assert response.status_code == 404 and response.json()["diagnostics"]


def test_the_workspace_is_listed_when_asked(engine, tmp_path):
    """A scenario saved into the workspace while the server runs is offered at once; one removed is gone."""
    pool = Pool(engine, 1, 10, start=False)  # nothing here evaluates: no worker is forked
    with TestClient(create_app(engine, pool, Workspace(tmp_path), {"testserver"})) as local:
        assert local.get("/v1/scenarios").json() == {"scenarios": []}
        (tmp_path / "saved.yaml").write_text(NOTICE, encoding="utf-8")
        (tmp_path / "notes.yaml").write_text("just: notes\n", encoding="utf-8")  # not a scenario
        assert [item["name"] for item in local.get("/v1/scenarios").json()["scenarios"]] == ["saved"]
        assert local.get("/v1/scenarios/saved").json()["scenario"] == NOTICE
        (tmp_path / "saved.yaml").write_text(NOTICE.replace("IOM gives notice", "Changed"), encoding="utf-8")
        assert "Changed" in local.get("/v1/scenarios/saved").json()["scenario"]
        (tmp_path / "saved.yaml").unlink()
        assert local.get("/v1/scenarios/saved").status_code == 404
        assert local.get("/v1/scenarios").json() == {"scenarios": []}
        for name in ("..%2Fsaved", "saved.yaml", "notes"):
            assert local.get(f"/v1/scenarios/{name}").status_code == 404
    pool.close()


def test_a_closed_pool_forks_fresh_workers_for_its_next_job(engine):
    pool = Pool(engine, 1, 30, start=False)
    with TestClient(create_app(engine, pool, Workspace(None), {"testserver"})) as local:
        assert local.post("/v1/validate", json={"scenario": NOTICE}).status_code == 200
        first = pool.pids()
        pool.close()  # as a test module's fixture does between two of its tests under work stealing
        assert local.post("/v1/validate", json={"scenario": NOTICE}).status_code == 200
        assert pool.pids() and pool.pids() != first
    pool.close()


def test_reference_health_and_version(client, engine):
    reference = client.get("/v1/reference").json()
    assert "termination_notice" in reference["events"] and "in_force" in reference["questions"]
    assert reference["choices"]["notice_runs_from"]["authority"]
    assert client.get("/healthz").json()["ok"] is True
    assert client.get("/version").json()["clauses_sha256"] == engine.decision()["clauses_sha256"]


def test_openapi_describes_v1(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/check", "/v1/ask", "/v1/agenda", "/v1/text", "/v1/report", "/v1/whatif", "/v1/robust",
            "/v1/validate", "/v1/scenarios", "/v1/scenarios/{name}", "/v1/reference"} <= set(paths)
    assert client.get("/docs").status_code == 200


def test_docs_fetch_nothing_from_another_host(client):
    """/docs is Swagger UI from the package: every script, stylesheet and icon it names is served here."""
    import re

    page = client.get("/docs")
    assert page.status_code == 200 and "SwaggerUIBundle" in page.text
    named = re.findall(r'(?:src|href)="([^"]*)"', page.text) + re.findall(r"url: '([^']*)'", page.text)
    assert named and all(url.startswith("/") or url.startswith("data:") for url in named), named
    assert "http://" not in page.text and "https://" not in page.text
    assert '"validatorUrl": null' in page.text  # no badge from Swagger's online validator
    for url in named:
        if url.startswith("/"):
            assert client.get(url).status_code == 200, url
    script = client.get("/assets/swagger-ui-bundle.js")
    assert script.headers["content-type"].startswith("text/javascript") and len(script.content) > 100_000
    assert client.get("/assets/swagger-ui.css").headers["content-type"].startswith("text/css")
    assert client.get("/redoc").status_code == 404  # FastAPI's ReDoc page would load its script from a CDN


def test_the_server_collects_its_garbage(monkeypatch, tmp_path):
    """`mou serve` runs with the collector's usual thresholds, not a command's (`mou.collector.rarely`).

    asyncio leaves a reference cycle for every connection: with a command's
    thresholds they were collected only after some 100,000 requests, and the
    server grew by 1 KB a request (benchmarks/serve.py measures it).
    """
    import gc

    import uvicorn
    from click.testing import CliRunner

    from mou.cli import main
    from mou.commands.serve import SERVER_THRESHOLDS

    seen = {}

    def run(app, **options):
        seen["threshold"] = gc.get_threshold()
        seen["frozen"] = gc.get_freeze_count()

    monkeypatch.setattr(uvicorn, "run", run)
    before = gc.get_threshold()
    result = CliRunner().invoke(main, ["serve", "--workers", "1", "--workspace", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert seen["threshold"] == SERVER_THRESHOLDS
    assert seen["frozen"] > 0  # the rule set, loaded before the workers fork: never walked
    assert gc.get_threshold() == before


def test_a_body_over_1_mb_is_413(client):
    response = client.post("/v1/check", content=b"{" + b" " * 1_000_001 + b"}",
                           headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["diagnostics"]


def test_a_foreign_host_is_refused(client):
    response = client.get("/healthz", headers={"host": "attacker.example:8000"})
    assert response.status_code == 400
    assert "attacker.example" in response.json()["diagnostics"][0]["message"]


def test_bad_json_is_422_with_diagnostics(client):
    response = client.post("/v1/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["diagnostics"]
    assert client.post("/v1/ask", json={"scenario": NOTICE}).status_code == 422  # no `ask`


def _failing(engine, name, body):
    from mou.errors import Location, RuleError
    from mou.web.jobs import JOBS, run

    def fails(engine, body):
        raise RuleError(Location("clauses/ix.yaml", 12, 5), "division by zero", "rule", "IX.3/notice", "IX.3", "n1")

    return run(engine, name, body, {**JOBS, "check": fails})


def test_a_rule_failure_is_500_with_its_location(engine):
    pool = Pool(engine, 1, 30, runner=_failing)
    with TestClient(create_app(engine, pool, Workspace(None), {"testserver"})) as test_client:
        response = test_client.post("/v1/check", json={"scenario": NOTICE})
    pool.close()
    assert response.status_code == 500
    [failure] = response.json()["diagnostics"]
    assert (failure["file"], failure["line"], failure["severity"]) == ("clauses/ix.yaml", 12, "internal")
    assert "answer" not in response.json()


def _sleepy(engine, name, body):
    if name == "check":
        time.sleep(600)
    from mou.web.jobs import run

    return run(engine, name, body)


def test_a_request_past_its_time_is_503_and_its_worker_replaced(engine):
    pool = Pool(engine, 1, 1.0, runner=_sleepy)
    with TestClient(create_app(engine, pool, Workspace(None), {"testserver"})) as test_client:
        before = pool.pids()
        response = test_client.post("/v1/check", json={"scenario": NOTICE})
        assert response.status_code == 503 and response.json()["diagnostics"]
        assert pool.replaced == 1 and pool.pids() != before
        with pytest.raises(ProcessLookupError):
            os.kill(before[0], 0)  # the late worker is gone, not burning a core
        again = test_client.post("/v1/validate", json={"scenario": NOTICE})
        assert again.status_code == 200  # the server is still up, with a fresh worker
    pool.close()


def test_check_equals_the_cli_on_every_shipped_scenario(client):
    cli = subprocess.run([sys.executable, "-m", "mou", "check", "--format", "json", str(ROOT / "scenarios")],
                         capture_output=True, text=True, cwd=ROOT)
    expected = json.loads(cli.stdout)
    by_file = {Path(item["file"]).name: item for item in expected["scenarios"]}
    assert len(by_file) == len(SCENARIOS)
    for path in SCENARIOS:
        response = client.post("/v1/check", json={"scenario": path.read_text(encoding="utf-8")})
        assert response.status_code == 200, f"{path.name}: {response.text[:300]}"
        served = response.json()
        assert served["decision"] == expected["decision"], path.name
        [scenario] = served["scenarios"]
        text = json.dumps(scenario).replace('"<request>"', json.dumps(by_file[path.name]["file"]))
        assert json.loads(text) == by_file[path.name], f"{path.name}: /v1/check differs from mou check --format json"
