"""The worker processes that evaluate requests: forked once the rule set is loaded, killed when overdue.

Stage: web. Imports `web.jobs` and `mou.jsontext`.

A request's evaluation runs in a worker process, not a thread: a thread
cannot be stopped, and one past its time would keep burning a core. Each
worker is forked from the server after the rule set is compiled, so it
starts with it in memory (shared, copy-on-write) and compiles nothing. A
worker answers one job at a time over a pipe; the server waits for its
answer without blocking (the event loop watches the pipe). One that has not
answered by the deadline is killed and a fresh one forked in its place; the
request gets 503 and the server carries on.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
from multiprocessing.connection import Connection
from typing import Any, Callable

from .. import jsontext

MAX_JOBS: int | None = None
"""Jobs a worker answers before a fresh fork takes its place (None: no limit). Measured, retiring a worker
every 1,000 jobs made the processes' memory grow faster, not slower (benchmarks/serve.py), so by default
a worker lives until it is late."""

Runner = Callable[[Any, str, dict], tuple[int, Any]]
Reply = tuple[int, str, bytes]
"""A job's status, media type and body, as the server sends them."""


def _serve(engine: Any, runner: Runner, conn: Connection) -> None:
    """A worker's life: take a job, run it, send back its reply; end when the server closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle; it ends the workers
    while True:
        try:
            name, body = conn.recv()
        except (EOFError, OSError):
            return
        try:
            status, payload = runner(engine, name, body)
        except Exception as error:  # noqa: BLE001 - a bug: said as such, and the worker goes on
            status, payload = 500, {"diagnostics": [{
                "file": "<server>", "line": 0, "column": 0, "severity": "internal",
                "message": f"internal error ({type(error).__name__}: {error}); please report it with the input"}]}
        if isinstance(payload, str):
            reply: Reply = (status, "text/html; charset=utf-8", payload.encode("utf-8"))
        else:
            reply = (status, "application/json", jsontext.dumps(payload).encode("utf-8"))
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


class Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, engine: Any, runner: Runner):
        context = multiprocessing.get_context("fork")  # the rule set is inherited, not compiled again
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(engine, runner, child), daemon=True,
                                       name="mou-serve-worker")
        self.process.start()
        child.close()
        self.jobs = 0

    def kill(self) -> None:
        """End the process at once (it may be deep in an evaluation) and close its pipe."""
        try:
            os.kill(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, TypeError):
            pass
        self.process.join(5)
        self.conn.close()


class Pool:
    """`size` workers; `run` gives a job to an idle one and waits at most `timeout` seconds in all.

    `runner(engine, name, body)` is what a worker does with a job
    (`jobs.run`). `replaced` counts the workers killed for being late or
    found dead: each was replaced at once.
    """

    def __init__(self, engine: Any, size: int, timeout: float, runner: Runner | None = None, start: bool = True,
                 max_jobs: int | None = MAX_JOBS):
        from .jobs import run

        self.engine = engine
        self.runner = runner or run
        self.timeout = timeout
        self.size = max(1, size)
        self.max_jobs = max_jobs
        self.workers = [Worker(engine, self.runner) for _ in range(self.size)] if start else []
        self.replaced = 0
        self._idle: asyncio.Queue | None = None

    def _queue(self) -> asyncio.Queue:
        if self._idle is None:  # made in the server's event loop, on its first request
            self._idle = asyncio.Queue()
            if not self.workers:  # `start=False`: forked now, on the first request
                self.workers = [Worker(self.engine, self.runner) for _ in range(self.size)]
            for worker in self.workers:
                self._idle.put_nowait(worker)
        return self._idle

    async def run(self, name: str, body: dict) -> Reply:
        """The reply to one job; 503 when it (with its wait for a worker) took longer than the timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        idle = self._queue()
        try:
            worker = await asyncio.wait_for(idle.get(), self.timeout)
        except TimeoutError:
            return _late(self.timeout, "every worker was busy")
        answered = loop.create_future()
        fd = worker.conn.fileno()
        loop.add_reader(fd, lambda: answered.done() or answered.set_result(None))
        keep = False
        try:
            worker.conn.send((name, body))
            await asyncio.wait_for(answered, max(0.0, deadline - loop.time()))
            reply = worker.conn.recv()
            keep = True
            worker.jobs += 1
            return reply
        except TimeoutError:
            return _late(self.timeout, "the evaluation took too long; it was stopped")
        except (EOFError, OSError):
            return 500, "application/json", jsontext.dumps({"diagnostics": [{
                "file": "<server>", "line": 0, "column": 0, "severity": "internal",
                "message": "internal error: the worker evaluating the request ended (out of memory?); "
                           "please report it with the input"}]}).encode()
        finally:
            loop.remove_reader(fd)
            if keep and (self.max_jobs is None or worker.jobs < self.max_jobs):
                idle.put_nowait(worker)
            elif keep:  # retired after its share of jobs: what its evaluations left behind goes with it
                self._replace(worker, late=False)
                idle.put_nowait(self.workers[-1])
            else:  # late, dead, or its request was cancelled mid-job: a fresh worker takes its place
                self._replace(worker)
                idle.put_nowait(self.workers[-1])

    def _replace(self, worker: Worker, late: bool = True) -> None:
        worker.kill()
        self.workers.remove(worker)
        self.workers.append(Worker(self.engine, self.runner))
        self.replaced += late

    def pids(self) -> list[int]:
        """The workers' process ids (for tests and the benchmark's memory figures)."""
        return [worker.process.pid for worker in self.workers]

    def close(self) -> None:
        """End every worker. A later job forks fresh ones (as `start=False` does), never takes a closed one.

        The idle queue goes with them: it held the ended workers, and the next
        job took one and failed on its closed pipe (OSError). A test module
        whose pool is closed between two of its tests (pytest-xdist's work
        stealing interleaves modules) met exactly that.
        """
        for worker in self.workers:
            worker.kill()
        self.workers = []
        self._idle = None


def _late(timeout: float, why: str) -> Reply:
    return 503, "application/json", jsontext.dumps({"diagnostics": [{
        "file": "<request>", "line": 0, "column": 0, "severity": "error",
        "message": f"no answer within {timeout:g} s: {why}. The server is still up; try a smaller request"}]}).encode()
