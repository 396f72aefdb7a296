"""`mou serve`: the web page for legal officers and the HTTP API, on uvicorn.

Stage: cli. Imports `common`; `mou.web` (FastAPI, uvicorn) is imported when
the command runs, so other commands never load it.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import click

from ..tools.command import EXIT_OK, finish
from .common import COMMAND_LINE, DONE_CODES, MouError, echo, engine, examples

TIMEOUT = 10.0
"""Seconds a request may take before it is answered 503 and its worker killed."""
SERVER_THRESHOLDS = (700, 10, 10)
"""The collector's thresholds while the server runs: Python's own. A command runs with the collector all but
off (`mou.collector.rarely`), right for a process that ends; a server does not end, and asyncio leaves one
reference cycle per connection (its transport, socket and protocol, some 1 KB): with the command's
thresholds those were collected only after about 100,000 connections, and memory grew by 1 KB an ask
(benchmarks/serve.py)."""


@click.command(epilog=examples(DONE_CODES, "mou serve", "mou serve --port 8080 --workspace my-scenarios/",
                               "mou serve --host 0.0.0.0 --allowed-host mou.example.org"))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="the address to listen on (localhost only, unless another is named)")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="the port")
@click.option("--clauses", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="clause directory (default: the shipped MoU)")
@click.option("--workspace", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="the directory of scenario files the page offers (default: the shipped scenarios)")
@click.option("--allowed-host", "allowed", multiple=True, metavar="NAME",
              help="another name the server answers to in the Host header (e.g. behind a proxy)")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="worker processes evaluating requests (default: one per core)")
def serve(host: str, port: int, clauses: Path | None, workspace: Path | None, allowed: tuple[str, ...],
          workers: int | None) -> None:
    """Serve the page at / for legal officers and the HTTP API under /v1 (OpenAPI at /docs).

    The rule set is compiled once, then worker processes are forked to
    evaluate requests; one taking over 10 s is stopped (503) and replaced.
    Nothing is written to disk, and no path from a request is opened.
    """

    def run() -> int:
        try:
            import uvicorn

            from ..web.app import create_app
            from ..web.guards import host_names
            from ..web.pool import Pool
            from ..web.workspace import Workspace, shipped_scenarios
        except ImportError as error:  # pragma: no cover - a plain install has them
            raise MouError.at(COMMAND_LINE, f"mou serve needs FastAPI and uvicorn ({error}); "
                                            "reinstall mou with pip") from None
        mou = engine(clauses, "native")
        listed = Workspace(workspace if workspace is not None else shipped_scenarios())
        # What is loaded now lives as long as the server: frozen, the collector never walks it, and the
        # workers forked next keep sharing its pages (a walk would write to every object it visits).
        gc.freeze()
        previous = gc.get_threshold()
        gc.set_threshold(*SERVER_THRESHOLDS)
        pool = Pool(mou, workers or os.cpu_count() or 1, TIMEOUT)
        try:
            app = create_app(mou, pool, listed, host_names(host, allowed))
            shown = f"[{host}]" if ":" in host else host
            echo(f"mou serve: http://{shown}:{port}/ ({len(pool.workers)} workers, "
                 f"{len(listed.entries)} scenarios; Ctrl-C to stop)")
            uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
        finally:
            pool.close()
            gc.set_threshold(*previous)
        return EXIT_OK

    sys.exit(finish(run))
