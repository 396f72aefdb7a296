"""Blocks of rows as CSV or JSON Lines text, byte for byte what the row-by-row writer gives.

Stage: tools (vectorized sweeps). Imports numpy, `block` (the `Block` shape),
`vec`, and the sweep's `cell` (how one JSON value reads in a CSV cell).

Each column's distinct values are encoded once (a CSV cell quoted as the
`csv` module quotes it; a JSON Lines `"column": value` pair as `json.dumps`
writes it); a row is then the join of its columns' encodings. Columns whose
combined number of distinct values is small are joined once per distinct
combination, not once per row.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import numpy as np

from ...jsontext import SCHEMA_VERSION
from ..sweep import cell
from .block import Block
from .vec import dense

SPECIAL = re.compile(r'[,"\r\n]')


def csv_field(text: str) -> str:
    """One CSV field as `csv.writer` (minimal quoting) writes it inside a row."""
    if SPECIAL.search(text) is None:
        return text
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(["x", text])
    return buffer.getvalue()[2:-1]


def _fragments(data: np.ndarray, pool: list[Any], out_format: str, key: str) -> tuple[np.ndarray, list[str]]:
    """The encodings of the pool values a column uses, and the column's codes into them."""
    used, data = dense(data)
    values = [pool[i] for i in used.tolist()]
    if out_format == "csv":
        return data, [csv_field(value) if type(value) is str else csv_field(cell(value)) for value in values]
    prefix = json.dumps(key, ensure_ascii=False) + ": "
    return data, [prefix + json.dumps(value, ensure_ascii=False) for value in values]


def encode(block: Block, columns: list[str], out_format: str) -> str:
    """The text of a block's rows (each line ends with a newline)."""
    if block.size == 0:
        return ""
    order = list(range(len(columns)))
    if out_format != "csv":  # a JSON object keeps the first place and the last value of a repeated key
        last = {name: i for i, name in enumerate(columns)}
        order = [last[name] for name in dict.fromkeys(columns)]
    separator = "," if out_format == "csv" else ", "
    parts = [_fragments(np.broadcast_to(block.codes[i], (block.size,)), block.pools[i], out_format, columns[i])
             for i in order]
    joined = _join_small(parts, separator)
    texts = [np.asarray(fragments, dtype=object)[data].tolist() for data, fragments in joined]
    lines = map(separator.join, zip(*texts))
    if out_format == "csv":
        return "\n".join(lines) + "\n"
    start = '{"schema_version": %d, ' % SCHEMA_VERSION  # as the scalar path writes it (tools.sweep.write_rows)
    return start + ("}\n" + start).join(lines) + "}\n"


def _join_small(parts: list[tuple[np.ndarray, list[str]]], separator: str, limit: int = 4096):
    """Neighbouring columns with few distinct combinations, pre-joined into one column."""
    result: list[tuple[np.ndarray, list[str]]] = []
    for data, fragments in parts:
        if result:
            previous_data, previous = result[-1]
            if len(previous) * len(fragments) <= limit:
                key = previous_data * len(fragments) + data
                uniq, inverse = dense(key)
                combined = [previous[u // len(fragments)] + separator + fragments[u % len(fragments)]
                            for u in uniq.tolist()]
                result[-1] = (inverse.reshape(-1), combined)
                continue
        result.append((np.asarray(data), fragments))
    return result
