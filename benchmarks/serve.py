"""`mou serve` under load: 200 asks from 16 concurrent clients, then many requests in a row.

    python benchmarks/serve.py                      # 200 asks, 16 clients; then 10,000 in a row
    python benchmarks/serve.py --in-a-row 2000      # fewer in a row (the figures say how many)

Starts `python -m mou serve` on a free port (its default: one worker per
core), asks `in_force` of the DOMAIN.md example with its explanation, and
prints: failures, p50 and p99 latency, requests per second, and the peak
resident memory of the server and its workers together (from /proc, sampled
every 50 ms). Then asks one after another and prints the memory (the server's
and the workers') before, after every tenth and after the last, and the growth
per ask: from before the first to after the last, and over the last nine
tenths (once every worker has answered enough to have loaded all it uses).
Figures, not a test: run it on a machine like CI's (2 cores) and put what it
prints in docs/serve.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BODY = json.dumps({"scenario": (ROOT / "scenarios" / "ix3-notice-valid.yaml").read_text(encoding="utf-8"),
                   "ask": "in_force", "args": {"on": "2020-11-13"}}).encode()


def rss(pid: int) -> int:
    """Resident bytes of one process (0 if it has ended)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def split_rss(pid: int) -> tuple[int, int]:
    """Resident bytes of a process, and of its children (the workers) together."""
    try:
        children = [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        children = []
    return rss(pid), sum(rss(child) for child in children)


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and its children (the workers)."""
    return sum(split_rss(pid))


def mib(size: float) -> str:
    return f"{size / 2**20:.1f} MiB"


def one_ask(port: int) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("POST", "/v1/ask", BODY, {"content-type": "application/json"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--asks", type=int, default=200)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--in-a-row", type=int, default=10_000)
    options = parser.parse_args()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "mou", "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.02)
    print(f"mou serve answering after {time.perf_counter() - started:.2f} s ({os.cpu_count()} cores)")
    peak = [tree_rss(server.pid)]
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.wait(0.05):
            peak[0] = max(peak[0], tree_rss(server.pid))

    threading.Thread(target=sample, daemon=True).start()
    try:
        one_ask(port)  # warm: the first answer imports the explanation modules in each worker
        began = time.perf_counter()
        with ThreadPoolExecutor(options.clients) as clients:
            results = list(clients.map(lambda _: one_ask(port), range(options.asks)))
        wall = time.perf_counter() - began
        latencies = sorted(seconds for _, seconds in results)
        failed = sum(1 for status, _ in results if status != 200)
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        print(f"{options.asks} asks from {options.clients} concurrent clients: {failed} failed; "
              f"p50 {statistics.median(latencies) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
              f"{options.asks / wall:.1f} asks/s; peak memory (server and workers) {peak[0] / 2**20:.0f} MiB")
        count = options.in_a_row
        began = time.perf_counter()
        marks = [(0, split_rss(server.pid))]
        failed = 0
        for index in range(1, count + 1):
            status, _ = one_ask(port)
            failed += status != 200
            if index % max(1, count // 10) == 0 or index == count:
                marks.append((index, split_rss(server.pid)))
        wall = time.perf_counter() - began
        print(f"{count} asks in a row in {wall:.0f} s ({failed} failed); memory, server + workers:")
        print("  " + ", ".join(f"{index}: {mib(server_)} + {mib(workers)}" for index, (server_, workers) in marks))
        (_, before), (tenth, first), (last, after) = marks[0], marks[1], marks[-1]
        for who, part in (("server", 0), ("workers", 1), ("together", slice(None))):
            def size(pair: tuple[int, int]) -> int:
                return sum(pair[part]) if isinstance(part, slice) else pair[part]
            whole = size(after) - size(before)
            late = size(after) - size(first)
            print(f"  {who}: {mib(size(before))} before, {mib(size(after))} after {last} asks: "
                  f"{whole / last:+.0f} B an ask; over the last {last - tenth}: {late / max(1, last - tenth):+.0f} B an ask")
    finally:
        sampling.set()
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
