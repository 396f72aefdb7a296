"""Blocks of rows as CSV or JSON Lines text, byte for byte what the row-by-row writer gives.

Stage: tools (vectorized sweeps). Imports numpy, `block` (the `Block` shape)
and the sweep's `cell` (how one JSON value reads in a CSV cell).

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
from typing import Any

import numpy as np

from ..sweep import cell
from .block import Block

SPECIAL = (",", '"', "\r", "\n")


def csv_field(text: str) -> str:
    """One CSV field as `csv.writer` (minimal quoting) writes it inside a row."""
    if not any(char in text for char in SPECIAL):
        return text
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(["x", text])
    return buffer.getvalue()[2:-1]


def _fragments(pool: list[Any], out_format: str, key: str) -> list[str]:
    if out_format == "csv":
        return [csv_field(cell(value)) for value in pool]
    prefix = json.dumps(key, ensure_ascii=False) + ": "
    return [prefix + json.dumps(value, ensure_ascii=False) for value in pool]


def encode(block: Block, columns: list[str], out_format: str) -> str:
    """The text of a block's rows (each line ends with a newline)."""
    if block.size == 0:
        return ""
    order = list(range(len(columns)))
    if out_format != "csv":  # a JSON object keeps the first place and the last value of a repeated key
        last = {name: i for i, name in enumerate(columns)}
        order = [last[name] for name in dict.fromkeys(columns)]
    separator = "," if out_format == "csv" else ", "
    parts = [(block.codes[i], _fragments(block.pools[i], out_format, columns[i])) for i in order]
    joined = _join_small(parts, separator)
    texts = [np.asarray(fragments, dtype=object)[data].tolist() for data, fragments in joined]
    lines = map(separator.join, zip(*texts))
    if out_format == "csv":
        return "\n".join(lines) + "\n"
    return "{" + "}\n{".join(lines) + "}\n"


def _join_small(parts: list[tuple[np.ndarray, list[str]]], separator: str, limit: int = 4096):
    """Neighbouring columns with few distinct combinations, pre-joined into one column."""
    result: list[tuple[np.ndarray, list[str]]] = []
    for data, fragments in parts:
        if result:
            previous_data, previous = result[-1]
            if len(previous) * len(fragments) <= limit:
                key = previous_data * len(fragments) + data
                uniq, inverse = np.unique(key, return_inverse=True)
                combined = [previous[u // len(fragments)] + separator + fragments[u % len(fragments)]
                            for u in uniq.tolist()]
                result[-1] = (inverse.reshape(-1), combined)
                continue
        result.append((np.asarray(data), fragments))
    return result
