"""A JUnit XML report of checked scenarios and searched properties, for CI systems.

Stage: tools. Imports answers' `check`, `terminal` and `mou.values`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import BinaryIO

from ..answers.check import ScenarioResult
from ..values import to_json
from .terminal import escape_controls


def write_junit(path: Path | BinaryIO, results: list[ScenarioResult], properties: list, diagnostics: list) -> None:
    """A JUnit XML report, to a path or a binary file: one test case per scenario file, per property, per invalid file."""
    suite = ET.Element("testsuite", name="mou")
    cases = 0
    failures = 0
    for result in results:
        case = ET.SubElement(suite, "testcase", classname="scenarios", name=result.scenario.file)
        cases += 1
        problems = [f"{r.call.ask} {r.call.raw_args}: expected {r.to_json()['expected']!r}, got "
                    f"{to_json(r.answer)!r}" for r in result.results if r.ok is False]
        problems += [str(v) for v in result.violations]
        if problems:
            failures += 1
            ET.SubElement(case, "failure", message=problems[0]).text = "\n".join(problems)
    for file in sorted({d.location.file for d in diagnostics}):
        case = ET.SubElement(suite, "testcase", classname="scenarios", name=file)
        cases += 1
        failures += 1
        text = "\n".join(str(d) for d in diagnostics if d.location.file == file)
        ET.SubElement(case, "failure", message="invalid input").text = text
    for prop in properties:
        case = ET.SubElement(suite, "testcase", classname=f"properties.{prop.paragraph}", name=prop.name)
        cases += 1
        if not prop.ok:
            failures += 1
            message = str(prop.violation) if prop.violation else prop.says
            ET.SubElement(case, "failure", message=message).text = prop.counterexample
    suite.set("tests", str(cases))
    suite.set("failures", str(failures))
    for element in suite.iter():  # XML 1.0 cannot hold control characters: a raw one makes the report unreadable
        element.text = escape_controls(element.text) if element.text else element.text
        for key, value in element.attrib.items():
            element.set(key, escape_controls(value))
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
