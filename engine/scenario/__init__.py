"""Scenario files: a case as a timeline of events and the questions asked about it.

In pipeline order: `models` (pydantic models built from a rule set's
vocabulary) and `validators` check a file read by `language.yamlio`;
`reader.ScenarioReader` reports every problem with its line; `builder` turns
a valid file into a `model.Scenario`; `command_line` reads the same values
from options; `dump` writes a scenario back as YAML.

May import: `mou.errors`, `mou.dates`, `mou.values` and the clause language
(`mou.language`). Nothing of evaluation, answers or tools.
"""
