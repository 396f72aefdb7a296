"""The decision record a report carries: which program, agreement, clause files and reading gave its answers.

Stage: tools (report pages). Imports the clause language's `corpus` and
`mou.values`.

Issue 12 adds a decision record to every JSON document; until it lands, the
report computes the same record here, in this one function, so that the
integrator can switch it over to the shared one.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path
from typing import Any, Mapping

from ...language.corpus import shipped_clauses
from ...values import to_json

MANIFEST = "agreement.yaml"


def version() -> str:
    """The installed version of mou."""
    try:
        return metadata.version("mou")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree that is not installed
        return "unknown"


def clauses_sha256(ruleset: Any, clauses: str | Path | None) -> str:
    """SHA-256 of the manifest and each clause file it names, in order (name, NUL, bytes, for each)."""
    directory = Path(clauses) if clauses is not None else Path(shipped_clauses())
    digest = hashlib.sha256()
    for name in (MANIFEST, *ruleset.files):
        path = directory / name
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"")
        digest.update(b"\0")
    return digest.hexdigest()


def decision_record(ruleset: Any, clauses: str | Path | None, interpretation: Mapping[str, Any],
                    parameters: Mapping[str, Any]) -> dict:
    """`{"mou", "agreement", "clauses_sha256", "interpretation", "parameters"}` (issue 12's shape)."""
    return {"mou": version(), "agreement": ruleset.agreement, "clauses_sha256": clauses_sha256(ruleset, clauses),
            "interpretation": {name: to_json(value) for name, value in sorted(interpretation.items())},
            "parameters": {name: to_json(value) for name, value in sorted(parameters.items())}}
