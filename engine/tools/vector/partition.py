"""A sweep as a pure function over partitions of its variants, and the streaming of its text.

Stage: tools (vectorized sweeps). Imports `block`, `output` and the sweep
(`tools.sweep`: `SweepSpec`, `Sweep`, `write_rows`).

The variants of a sweep are numbered 0 … N-1 (the product of the
variations, the last varying fastest). `partitions(N)` cuts them into
consecutive ranges, and `run_partition(spec, start, stop)` gives the text of
the rows of one range: it depends on nothing but its arguments, builds what
it needs, and its results, joined in order after the header, are the sweep's
output. So the same partitions run in this process (`--jobs 1`), in a pool of
local processes (`--jobs N`), or on a cluster engine, for instance::

    import dask
    texts = [dask.delayed(run_partition)(spec, a, b) for a, b in partitions(total)]
    body = "".join(dask.compute(*texts))                   # Dask

    import ray
    task = ray.remote(run_partition)
    body = "".join(ray.get([task.remote(spec, a, b) for a, b in partitions(total)]))   # Ray

with `header(columns)` written first. No scheduler is built here.
"""

from __future__ import annotations

import csv
import io
import os
import signal
from contextlib import closing
from typing import Callable, Iterator, TextIO

from ..sweep import Sweep, SweepSpec, write_rows
from .block import VectorSweep
from .output import encode

PARTITION = 32_768
"""Variants per partition of the kernels: large enough for their arrays, small enough for flat memory and a
moving progress bar."""
SCALAR_PARTITION = 2_000
"""Variants per partition of the scalar engine (about a second of work: the progress bar moves)."""

_BUILT: dict[SweepSpec, tuple[Sweep, VectorSweep]] = {}


def partitions(total: int, size: int = PARTITION) -> list[tuple[int, int]]:
    """The variants `0 … total-1` as consecutive `(start, stop)` ranges of at most `size`."""
    return [(start, min(start + size, total)) for start in range(0, total, size)]


def header(columns: list[str], out_format: str = "csv") -> str:
    """What comes before the rows: the CSV header line (JSON Lines has none)."""
    if out_format != "csv":
        return ""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(columns)
    return buffer.getvalue()


def built(spec: SweepSpec) -> tuple[Sweep, VectorSweep]:
    """The sweep of a spec, read and compiled once per process."""
    found = _BUILT.get(spec)
    if found is None:
        if len(_BUILT) > 4:
            _BUILT.clear()
        sweep = spec.build()
        found = _BUILT[spec] = (sweep, VectorSweep(sweep))
    return found


def run_partition(spec: SweepSpec, start: int, stop: int, out_format: str = "csv", vector: bool = True) -> str:
    """The text of rows `start` to `stop` of the sweep `spec` describes (a pure function of its arguments)."""
    sweep, vectors = built(spec)
    return partition_text(sweep, vectors if vector else None, start, stop, out_format)


def partition_text(sweep: Sweep, vectors: VectorSweep | None, start: int, stop: int, out_format: str) -> str:
    """The rows `start` to `stop` as text: from the kernels, or (without them) row by row."""
    if vectors is not None:
        return encode(vectors.block(start, stop), sweep.columns, out_format)
    buffer = io.StringIO()
    write_rows(buffer, out_format, sweep.columns, sweep.rows(start, stop), header=False)
    return buffer.getvalue()


def _ignore_interrupts() -> None:
    """A worker's start: Ctrl-C is for the parent, which stops the workers by leaving the pool."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def cores() -> int:
    """The processors this process may run on (its affinity where the system says, else all)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def texts(spec: SweepSpec, sweep: Sweep, vectors: VectorSweep | None, out_format: str, jobs: int,
          size: int = PARTITION) -> Iterator[tuple[int, str]]:
    """Each partition's row count and text, in order: in this process, or in `jobs` processes."""
    ranges = partitions(len(sweep), size)
    jobs = min(jobs, len(ranges), cores())  # no more processes than partitions, nor than cores
    if jobs <= 1:
        for start, stop in ranges:
            yield stop - start, partition_text(sweep, vectors, start, stop, out_format)
        return
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited by the workers: Ctrl-C is the parent's
    try:
        pool = context.Pool(jobs, initializer=_ignore_interrupts)
    finally:
        signal.signal(signal.SIGINT, handler)
    with pool:
        pending = []
        window = 2 * jobs  # partitions computed ahead of the writer: memory stays flat
        for start, stop in ranges:
            pending.append((stop - start, pool.apply_async(run_partition,
                                                           (spec, start, stop, out_format, vectors is not None))))
            if len(pending) >= window:
                count, result = pending.pop(0)
                yield count, result.get()
        for count, result in pending:
            yield count, result.get()


def stream(handle: TextIO, spec: SweepSpec, sweep: Sweep, out_format: str = "csv", vector: bool = True,
           jobs: int = 1, progress: Callable[[int], None] | None = None, size: int | None = None) -> VectorSweep | None:
    """Write a whole sweep to `handle`, partition by partition; `progress(count)` after each one."""
    vectors = VectorSweep(sweep) if vector else None
    size = size or (PARTITION if vector else SCALAR_PARTITION)
    handle.write(header(sweep.columns, out_format))
    done = 0
    with closing(texts(spec, sweep, vectors, out_format, jobs, size)) as parts:  # closing stops the workers
        for count, text in parts:
            handle.write(text)
            done += count
            if progress is not None:
                progress(done)
    if progress is not None and not done:
        progress(0)
    return vectors
