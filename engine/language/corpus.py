"""Where the shipped clause files are.

Stage: the clause language. Imports nothing from the engine.

The clause files live in the repository's top-level `clauses/` directory.
An installed package carries them as `mou/clauses` (package data, mapped
from `clauses/` by pyproject.toml), so `mou` finds them from a wheel as well
as from a source checkout.
"""

from __future__ import annotations

from pathlib import Path

MANIFEST = "agreement.yaml"


def shipped_clauses() -> Path:
    """The directory of the shipped clause files."""
    package = Path(__file__).resolve().parent.parent  # mou/ when installed, engine/ in a checkout
    for candidate in (package / "clauses", package.parent / "clauses"):
        if (candidate / MANIFEST).is_file():
            return candidate
    raise FileNotFoundError("the shipped clause files are missing (expected clauses/agreement.yaml); "
                            "reinstall the package")
