"""A sweep's rows as columns in a file: Parquet (through pyarrow, the `arrow` extra) or NumPy's `.npz`.

Stage: tools (vectorized sweeps). Imports numpy, `block` (the `Block`
shape), `vec` and the sweep (`tools.sweep`: `cell`, `Sweep`, `SweepSpec`);
pyarrow only when a Parquet file is written.

Both hold the rows of the CSV, cell for cell: one text column per CSV
column, named by its header, each value the text of the CSV cell (before
CSV's quoting; an empty cell is ""). Reading a file back and writing its
rows as CSV gives the bytes `--output-format csv` gives. From the kernels,
a column goes over as it is computed: the codes of its rows into the texts
of its distinct values (a Parquet dictionary column; no text per row is
made in Python). Without them (`--no-vector`, or `--jobs N`, whose workers
send text), the CSV text of each partition is read back into columns.

Parquet is written a row group per partition, so memory stays flat. An
`.npz` file is a zip of one array per column, written when every row is
known (NumPy has no appendable array format); its entries carry a fixed
date, so the same sweep gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import IO, Any, Callable, Iterator

import numpy as np

from ..sweep import Sweep, SweepSpec, cell
from .block import Block
from .vec import dense

FORMATS = ("parquet", "npz")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
"""The date of every entry of an `.npz` file: the earliest a zip file can give, the same on every run."""


def block_columns(block: Block, count: int) -> list[tuple[np.ndarray, list[str]]]:
    """The first `count` columns of a block: each as its rows' codes into the texts of the values it uses."""
    columns = []
    for codes, pool in zip(block.codes[:count], block.pools[:count]):
        used, data = dense(np.broadcast_to(codes, (block.size,)))
        texts = [value if type(value) is str else cell(value) for value in (pool[i] for i in used.tolist())]
        columns.append((data, texts))
    return columns


def text_columns(text: str, count: int) -> list[tuple[np.ndarray, list[str]]]:
    """The rows of CSV text (no header) as `block_columns` gives them."""
    rows = list(csv.reader(io.StringIO(text)))
    columns = []
    for index in range(count):
        found: dict[str, int] = {}
        data = np.fromiter((found.setdefault(row[index], len(found)) for row in rows), np.int64, len(rows))
        columns.append((data, list(found)))
    return columns


def parts(spec: SweepSpec, sweep: Sweep, vector: bool, jobs: int) -> Iterator[tuple[int, list]]:
    """Each partition's row count and columns, in order."""
    from .block import VectorSweep
    from .partition import PARTITION, SCALAR_PARTITION, partitions, texts

    count = len(sweep.columns)
    if vector and jobs <= 1:
        vectors = VectorSweep(sweep)
        for start, stop in partitions(len(sweep), PARTITION):
            yield stop - start, block_columns(vectors.block(start, stop), count)
        return
    size = PARTITION if vector else SCALAR_PARTITION
    for rows, text in texts(spec, sweep, VectorSweep(sweep) if vector else None, "csv", jobs, size):
        yield rows, text_columns(text, count)


def write(handle: IO[bytes], spec: SweepSpec, sweep: Sweep, out_format: str, vector: bool = True, jobs: int = 1,
          progress: Callable[[int], None] | None = None) -> None:
    """Write a whole sweep to the binary `handle` as Parquet or `.npz`; `progress(count)` after each partition."""
    columns = sweep.columns
    done = 0

    def counted(items: Iterator[tuple[int, list]]) -> Iterator[list]:
        nonlocal done
        for rows, part in items:
            done += rows
            yield part
            if progress is not None:
                progress(done)

    if out_format == "parquet":
        _parquet(handle, columns, counted(parts(spec, sweep, vector, jobs)))
    else:
        _npz(handle, columns, counted(parts(spec, sweep, vector, jobs)))
    if progress is not None and not done:
        progress(0)


def arrow() -> Any:
    """pyarrow and its Parquet writer, or an ImportError that says which extra brings them."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as error:
        raise ImportError("--output-format parquet needs pyarrow: pip install 'mou[arrow]'") from error
    return pyarrow


def _parquet(handle: IO[bytes], names: list[str], items: Iterator[list]) -> None:
    pa = arrow()
    kind = pa.dictionary(pa.int32(), pa.string())
    schema = pa.schema([pa.field(name, kind) for name in names])
    with pa.parquet.ParquetWriter(pa.PythonFile(_Sink(handle), mode="w"), schema) as writer:
        for part in items:
            arrays = [pa.DictionaryArray.from_arrays(pa.array(data.astype(np.int32)), pa.array(texts, pa.string()))
                      for data, texts in part]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))


class _Sink:
    """A binary writer (`outputs.atomic_output`'s, whose failed writes say what failed) as pyarrow writes to
    a Python file: it asks whether it is closed, and where it stands."""

    closed = False

    def __init__(self, handle: IO[bytes]):
        self.handle = handle
        self.position = 0

    def write(self, data: Any) -> int:
        self.handle.write(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        self.handle.flush()

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def close(self) -> None:
        pass  # the handle is closed (and renamed into place) by whoever opened it


def _npz(handle: IO[bytes], names: list[str], items: Iterator[list]) -> None:
    gathered: list[list[np.ndarray]] = [[] for _ in names]
    for part in items:
        for index, (data, texts) in enumerate(part):
            gathered[index].append(np.asarray(texts, dtype=np.str_)[data] if texts else np.zeros(0, np.str_))
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, pieces in zip(names, gathered):
            array = np.concatenate(pieces) if pieces else np.zeros(0, np.str_)
            entry = zipfile.ZipInfo(f"{name}.npy", date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(entry, "w", force_zip64=True) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)
