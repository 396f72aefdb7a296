"""What every request meets first: a Host this server answers to, and a body of at most 1 MB.

Stage: web. Imports `mou.jsontext` and `mou.errors`; a plain ASGI middleware.

The Host check stops DNS rebinding: a page elsewhere whose name comes to
resolve to 127.0.0.1 would send its own name as Host, and is refused. The
body is read here, whole, up to the limit (a larger one is refused with
413 before any of it is parsed), then handed on.
"""

from __future__ import annotations

from typing import Any, Iterable

from .. import jsontext

MAX_BODY = 1_000_000
"""The largest body a request may have, in bytes (1 MB)."""
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def host_names(host: str, allowed: Iterable[str] = ()) -> set[str]:
    """The Host names a server bound to `host` answers to: that host, those named, and loopback's if it is one."""
    names = {host.strip("[]").lower(), *(name.lower() for name in allowed)}
    if names & LOOPBACK:
        names |= LOOPBACK
    return names


def _host(header: str) -> str:
    """The name of a Host header, without its port (`[::1]:8000` → `::1`)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].partition("]")[0]
    return header.rpartition(":")[0] if header.count(":") == 1 else header


def _refusal(status: int, message: str) -> tuple[int, bytes]:
    return status, jsontext.dumps({"diagnostics": [{"file": "<request>", "line": 0, "column": 0, "severity": "error",
                                                    "message": message}]}).encode()


class Guard:
    """ASGI middleware: refuse a foreign Host (400) and a body over `max_body` bytes (413)."""

    def __init__(self, app: Any, hosts: set[str], max_body: int = MAX_BODY):
        self.app = app
        self.hosts = hosts
        self.max_body = max_body

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        host = _host(headers.get("host", ""))
        if host not in self.hosts:
            return await _send(send, *_refusal(400, f"this server does not answer to the host {host!r} "
                                                    "(a page elsewhere may not drive it); start it with "
                                                    f"--allowed-host {host or 'NAME'} to allow it"))
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            return await _send(send, *self._too_large())
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return await _send(send, *self._too_large())
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay() -> dict:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _too_large(self) -> tuple[int, bytes]:
        return _refusal(413, f"the request body is larger than {self.max_body:,} bytes; post a smaller scenario")


async def _send(send: Any, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
