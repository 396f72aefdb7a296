"""Where the shipped clause files are.

Stage: first. Imports nothing from the engine.

The clause files live in the repository's top-level `clauses/` directory.
An installed package carries them as `engine/clauses` (package data, mapped
from `clauses/` by pyproject.toml), so `mou` finds them from a wheel as well
as from a source checkout.
"""

from __future__ import annotations

from pathlib import Path

MANIFEST = "agreement.yaml"


def shipped_clauses() -> Path:
    """The directory of the shipped clause files."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "clauses", here.parent / "clauses"):
        if (candidate / MANIFEST).is_file():
            return candidate
    raise FileNotFoundError("the shipped clause files are missing (expected clauses/agreement.yaml); "
                            "reinstall the package")
