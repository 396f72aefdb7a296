"""The FastAPI application of `mou serve`: the `/v1` API, its OpenAPI description, the page and its assets.

Stage: web. Imports `web.guards`, `web.jobs` (the body models' names),
`web.pool`, `web.reference`, `web.workspace`; FastAPI and Starlette. The
routes only take bodies apart and hand them to the worker pool: every
evaluation runs there (`pool`), so a slow one cannot hold up the others.

Every answer other than a success is JSON `{"diagnostics": [{file, line,
column, severity, message}]}`, as `--format json` prints problems: 422 for
invalid input (a posted scenario is `<request>`, with the line and column in
the posted text), 413 for a body over 1 MB, 400 for a foreign Host, 404 for a
name the workspace does not list, 500 for a clause rule that failed (its
location, and no answer), 503 for a request past its time.
"""

from __future__ import annotations

from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from .guards import MAX_BODY, Guard
from .pool import Pool
from .reference import reference
from .workspace import Workspace

STATIC = Path(__file__).resolve().parent / "static"
REPORT = Path(__file__).resolve().parent.parent / "tools" / "report" / "templates"
SWAGGER = STATIC / "swagger-ui"
ASSETS = {"page.js": (STATIC, "text/javascript"), "page.css": (STATIC, "text/css"),
          "report.css": (REPORT, "text/css"),
          "swagger-ui-bundle.js": (SWAGGER, "text/javascript"), "swagger-ui.css": (SWAGGER, "text/css")}
"""The page's assets by name: a request names one of these, never a path. Swagger UI's two files (for
/docs) are swagger-ui-dist 5.36.0 as published, under the licence shipped beside them (static/swagger-ui/)."""

Value = str | int | float | bool | None
ScenarioField = Annotated[str | dict[str, Any], Field(
    description="the scenario: its YAML text (as a scenario file holds it), or the same as a JSON object")]


class Body(BaseModel):
    """What every evaluating request has: the scenario, and the readings that override its own."""

    model_config = ConfigDict(extra="forbid")
    scenario: ScenarioField
    interpretation: dict[str, Value] = Field(default_factory=dict, description="choices, as --interpret sets them")
    parameters: dict[str, Value] = Field(default_factory=dict, description="parameters, as --set sets them")


class CheckBody(Body):
    """`POST /v1/check`."""

    explain: bool = Field(True, description="false: answers without explanations (--no-explanations)")
    explain_all: bool = Field(False, description="true: the whole explanation of every answer (--explain)")


class AskBody(Body):
    """`POST /v1/ask`."""

    ask: str = Field(description="the question's name (GET /v1/reference lists them)")
    args: dict[str, Value] = Field(default_factory=dict, description="its arguments, e.g. {\"on\": \"2020-11-13\"}")
    explain: bool = True


class AgendaBody(Body):
    """`POST /v1/agenda`."""

    on: str | None = Field(None, description="the first day, YYYY-MM-DD or `today` (default: the scenario's as_of)")
    days: int = Field(90, ge=0, le=36_525, description="how many days ahead")


class TextBody(BaseModel):
    """`POST /v1/text`: no scenario gives the signed text."""

    model_config = ConfigDict(extra="forbid")
    scenario: ScenarioField | None = None
    on: str | None = Field(None, description="the date, YYYY-MM-DD (default: the scenario's as_of)")


class ReportBody(Body):
    """`POST /v1/report`."""

    date: str | None = Field(None, description="the report's date, YYYY-MM-DD (default: today)")


class RobustBody(BaseModel):
    """`POST /v1/robust`."""

    model_config = ConfigDict(extra="forbid")
    scenario: ScenarioField
    ranges: dict[str, list[Value]] = Field(default_factory=dict, description="as --range NAME=V1,V2,...")


class ValidateBody(BaseModel):
    """`POST /v1/validate`."""

    model_config = ConfigDict(extra="forbid")
    scenario: ScenarioField


DIAGNOSTICS = {"content": {"application/json": {"schema": {
    "type": "object", "required": ["diagnostics"],
    "properties": {"diagnostics": {"type": "array", "items": {"type": "object", "required": ["message"]}}}}}}}
ERRORS: dict[int | str, dict[str, Any]] = {
    **{code: {"description": what, **DIAGNOSTICS} for code, what in (
        (413, "the body is larger than 1 MB"), (422, "invalid input: the diagnostics, located"),
        (500, "a clause rule failed: its location, and no answer"), (503, "no answer within the time allowed"))}}
JSON_OK: dict[int | str, dict[str, Any]] = {200: {"content": {"application/json": {"schema": {"type": "object"}}}}}


def _diagnostics(status: int, message: str) -> JSONResponse:
    return JSONResponse({"diagnostics": [{"file": "<request>", "line": 0, "column": 0, "severity": "error",
                                          "message": message}]}, status_code=status)


def create_app(engine: Any, pool: Pool, workspace: Workspace, hosts: set[str], max_body: int = MAX_BODY) -> Any:
    """The application: `engine` for what needs no evaluation (the reference, the version), `pool` for the rest."""
    # FastAPI's own /docs and /redoc load their scripts from a CDN: the machine may be offline, and the
    # server reaches nothing outside. /docs is served below from the package's copy of Swagger UI.
    app = FastAPI(title="mou", version=installed_version("mou"), docs_url=None, redoc_url=None,
                  description="Answers about an agreement, with their reasons: the "
                              "commands of `mou` over HTTP. Every error is `{\"diagnostics\": [...]}`.")
    vocabulary = reference(engine.ruleset)
    record = engine.decision()
    about = {"mou": record["mou"], "agreement": record["agreement"], "clauses_sha256": record["clauses_sha256"]}
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    assets = {name: ((folder / name).read_bytes(), media) for name, (folder, media) in ASSETS.items()}

    @app.exception_handler(RequestValidationError)
    async def invalid_body(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = []
        for item in error.errors():
            where = ".".join(str(part) for part in item.get("loc", ()) if part != "body") or "the body"
            problems.append({"file": "<request>", "line": 0, "column": 0, "severity": "error",
                             "message": f"{where}: {item.get('msg', 'invalid')}"})
        return JSONResponse({"diagnostics": problems}, status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        return _diagnostics(error.status_code, str(error.detail))

    async def evaluate(name: str, body: BaseModel) -> Response:
        status, media, content = await pool.run(name, body.model_dump(mode="json"))
        return Response(content, status_code=status, media_type=media)

    @app.post("/v1/check", responses={**JSON_OK, **ERRORS}, summary="mou check --format json")
    async def check(body: CheckBody) -> Response:
        """Every question of the scenario, against its `expect`: what `mou check --format json` prints."""
        return await evaluate("check", body)

    @app.post("/v1/ask", responses={**JSON_OK, **ERRORS}, summary="mou ask QUESTION --format json")
    async def ask(body: AskBody) -> Response:
        """One question, answered with its explanation: what `mou ask --format json` prints."""
        return await evaluate("ask", body)

    @app.post("/v1/agenda", responses={**JSON_OK, **ERRORS}, summary="mou agenda --format json")
    async def agenda(body: AgendaBody) -> Response:
        """What falls due, takes effect or awaits action from a day on."""
        return await evaluate("agenda", body)

    @app.post("/v1/text", responses={**JSON_OK, **ERRORS}, summary="mou text --format json")
    async def text(body: TextBody) -> Response:
        """The MoU as in force on a date, the scenario's amendments consolidated; with no scenario, as signed."""
        return await evaluate("text", body)

    @app.post("/v1/report", responses={200: {"content": {"text/html": {}}}, **ERRORS}, summary="mou report")
    async def report(body: ReportBody) -> Response:
        """The report page of the scenario (HTML, self-contained), as `mou report` writes it."""
        return await evaluate("report", body)

    @app.post("/v1/whatif", responses={**JSON_OK, **ERRORS}, summary="mou whatif --format json")
    async def whatif(body: Body) -> Response:
        """Each question as written and under the body's `interpretation` and `parameters`, with what changed."""
        return await evaluate("whatif", body)

    @app.post("/v1/robust", responses={**JSON_OK, **ERRORS}, summary="mou robust --format json")
    async def robust(body: RobustBody) -> Response:
        """Every question under every combination of interpretive choices: which answers are safe."""
        return await evaluate("robust", body)

    @app.post("/v1/validate", responses={**JSON_OK, **ERRORS}, summary="read and check a scenario")
    async def validate(body: ValidateBody) -> Response:
        """The scenario read and checked, nothing evaluated: its diagnostics (422), else its data."""
        return await evaluate("validate", body)

    # Plain `def`: listing the directory reads files, so FastAPI runs these in its thread pool, off the loop.
    @app.get("/v1/scenarios", summary="the workspace's scenarios")
    def scenarios() -> dict:
        """The scenarios of the workspace (the shipped ones by default), as it holds them now: name and title."""
        return {"scenarios": workspace.listing()}

    @app.get("/v1/scenarios/{name}", responses={404: {"description": "no such scenario", **DIAGNOSTICS}},
             summary="one scenario of the workspace")
    def scenario(name: str) -> Any:
        """One scenario of the workspace, by a name `GET /v1/scenarios` lists: its YAML text."""
        entry = workspace.get(name)
        if entry is None:
            return _diagnostics(404, f"no scenario named {name!r} in the workspace; GET /v1/scenarios lists them")
        return entry.to_json(text=True)

    @app.get("/v1/reference", summary="what a scenario may say")
    async def vocabulary_() -> dict:
        """Event types and their fields, questions, interpretive choices and parameters, from the rule set."""
        return vocabulary

    @app.get("/healthz", summary="the server is up")
    async def healthz() -> dict:
        """`{"ok": true}` while the server answers."""
        return {"ok": True, "workers": len(pool.workers)}

    @app.get("/version", summary="mou's version, the agreement and its clause files' hash")
    async def version() -> dict:
        """The version of mou, the agreement's id and the SHA-256 of its clause files."""
        return about

    @app.get("/", include_in_schema=False)
    async def index() -> HTMLResponse:
        return HTMLResponse(page)

    docs = get_swagger_ui_html(
        openapi_url=app.openapi_url or "/openapi.json", title="mou: the HTTP API",
        swagger_js_url="/assets/swagger-ui-bundle.js", swagger_css_url="/assets/swagger-ui.css",
        swagger_favicon_url="data:,",  # no icon fetched from anywhere
        # no badge from Swagger's online validator: it would send the description out to be checked
        swagger_ui_parameters={"validatorUrl": None}).body

    @app.get("/docs", include_in_schema=False)
    async def interactive() -> HTMLResponse:
        return HTMLResponse(docs)

    @app.get("/assets/{name}", include_in_schema=False)
    async def asset(name: str) -> Response:
        if name not in assets:
            return _diagnostics(404, f"no asset named {name!r}")
        content, media = assets[name]
        return Response(content, media_type=media)

    app.add_middleware(Guard, hosts=hosts, max_body=max_body)
    return app
