"""`mou serve`'s OpenAPI, tested by schemathesis: bodies drawn from the schema (and off it) for every operation.

What must hold for every request: no 5xx but a clause rule's failure (500
with a diagnostic of severity `internal`) or a request past its time (503);
every 4xx says what was wrong, as `{"diagnostics": [...]}` with a message.

Run once per CI run, on the first Python (the `mou-ci` profile): the
`mou-ci-quick` profile of the other two skips it, since the server's Python
code is the same on each and the search costs a minute.
"""

from __future__ import annotations

import os

import pytest

if os.environ.get("HYPOTHESIS_PROFILE") == "mou-ci-quick":
    pytest.skip("the schemathesis search runs once, under the mou-ci profile (CI's first Python)",
                allow_module_level=True)
schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

from mou import Engine  # noqa: E402
from mou.web.app import create_app  # noqa: E402
from mou.web.pool import Pool  # noqa: E402
from mou.web.workspace import Workspace, shipped_scenarios  # noqa: E402


ENGINE = Engine()
# The server's own limit (10 s), so that a request past it is answered 503 as `mou serve` answers it. One
# worker: hypothesis sends one request at a time, and under a loaded CI (pytest -n auto beside the other
# Pythons' installs) a second worker per test process only adds a fork and a core's worth of contention.
POOL = Pool(ENGINE, 1, 10, start=False)  # forked at the first request: collecting this file forks nothing
CLIENT_TIMEOUT = POOL.timeout * 3 + 30
"""How long the test waits for an answer. Schemathesis's own default is 10 s, the server's limit too: on
a loaded machine a request near the limit raced the two clocks, and the client's, firing first, failed the
test with a ReadTimeout where the server was about to answer 503 (as it must). Waiting well past the
server's limit lets the server's answer, 503 included, be what is checked."""
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(ENGINE, POOL, Workspace(shipped_scenarios()), {"testserver", "localhost"}))


@pytest.fixture(scope="module", autouse=True)
def workers():
    yield
    POOL.close()


@schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_error_and_every_4xx_has_diagnostics(case):
    response = case.call(timeout=CLIENT_TIMEOUT)
    status = response.status_code
    if status >= 500:
        assert status in (500, 503), f"{case.method} {case.formatted_path}: {status} {response.text[:500]}"
        diagnostics = response.json()["diagnostics"]
        if status == 500:
            assert diagnostics[0]["severity"] == "internal" and diagnostics[0]["file"] != "<server>", \
                f"{case.method} {case.formatted_path}: a bug, not a rule failure: {response.text[:800]}"
    elif status >= 400:
        diagnostics = response.json().get("diagnostics")
        assert diagnostics and all(item.get("message") for item in diagnostics), \
            f"{case.method} {case.formatted_path}: {status} without diagnostics: {response.text[:500]}"
