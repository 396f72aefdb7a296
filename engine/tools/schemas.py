"""JSON Schemas of scenario and clause files, for editors (YAML language server) and CI.

Stage: tools. Imports scenario files' `reader` and the clause language's `model`.
"""

from __future__ import annotations

from ..language.model import ClauseFile
from ..scenario.reader import ScenarioReader

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def scenario_schema(reader: ScenarioReader) -> dict:
    """The JSON Schema of scenario files for the reader's rule set."""
    document = reader.model.model_json_schema()
    document["$schema"] = SCHEMA_DIALECT
    document["title"] = f"mou scenario ({reader.ruleset.agreement})"
    document["description"] = ("A timeline of events and the questions to ask about it; "
                               "see docs/contract/SCENARIOS.md. "
                               "YAML 1.2: only true/false are booleans; dates are YYYY-MM-DD.")
    return document


def clause_schema() -> dict:
    """The JSON Schema of clause files (one Article each)."""
    document = ClauseFile.model_json_schema(by_alias=True)
    document["$schema"] = SCHEMA_DIALECT
    document["title"] = "mou clause file"
    return document
