"""What CI servers' JUnit readers accept: the junit-10 XSD (vendored) and the junit-4 XSD's constraints.

`problems(xml_bytes)` lists what either refuses, and whatever `time` is not
an `xs:decimal`; empty when a report is valid. See tests/junit/README.md
for where each schema comes from.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

JUNIT10 = Path(__file__).resolve().parent / "junit" / "junit-10.xsd"

# The junit-4 XSD (dtkit-junit-model, junit-4.xsd), element by element: the attributes allowed, those
# required, and its children's content model as a regular expression over their tag names.
JUNIT4 = {
    "testsuites": ({"name", "time", "tests", "failures", "disabled", "errors"}, set(), r"(testsuite )*"),
    "testsuite": ({"name", "tests", "failures", "errors", "time", "disabled", "skipped", "timestamp", "hostname",
                   "id", "package"}, {"name", "tests"},
                  r"(properties )?(testcase )*(system-out )?(system-err )?"),
    "testcase": ({"name", "assertions", "time", "classname", "status"}, {"name"},
                 r"(skipped )?(error )*(failure )*(system-out )*(system-err )*"),
    "failure": ({"type", "message"}, set(), r""),
    "error": ({"type", "message"}, set(), r""),
    "skipped": (set(), set(), r""),
    "system-out": (set(), set(), r""),
    "system-err": (set(), set(), r""),
    "properties": (set(), set(), r"(property )+"),
    "property": ({"name", "value"}, {"name", "value"}, r""),
}
DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


@functools.cache
def _junit10():
    import xmlschema

    return xmlschema.XMLSchema(str(JUNIT10))


def junit4_problems(root: ET.Element) -> list[str]:
    """What the junit-4 XSD refuses in the document under `root`."""
    found = []
    if root.tag not in ("testsuites", "testsuite"):
        return [f"root <{root.tag}> is neither <testsuites> nor <testsuite>"]
    for element in root.iter():
        if element.tag not in JUNIT4:
            found.append(f"<{element.tag}> is not a junit-4 element")
            continue
        allowed, required, children = JUNIT4[element.tag]
        found += [f"<{element.tag}> may not carry {name!r}" for name in sorted(set(element.attrib) - allowed)]
        found += [f"<{element.tag}> lacks {name!r}" for name in sorted(required - set(element.attrib))]
        order = "".join(f"{child.tag} " for child in element)
        if not re.fullmatch(children, order):
            found.append(f"<{element.tag}>'s children {order.split()} are not in junit-4's order")
    return found


def problems(document: bytes) -> list[str]:
    """What the junit-10 XSD, the junit-4 XSD and `xs:decimal` times refuse in a JUnit report."""
    root = ET.fromstring(document)
    found = [f"junit-10: {error.reason} at {error.path}" for error in _junit10().iter_errors(document.decode())]
    found += [f"junit-4: {problem}" for problem in junit4_problems(root)]
    found += [f"<{element.tag} name={element.get('name')!r}> time {element.get('time')!r} is not an xs:decimal"
              for element in root.iter() if "time" in element.attrib and not DECIMAL.fullmatch(element.get("time"))]
    return found


def junit_reports(folder: Path) -> list[Path]:
    """The JUnit reports under `folder` (XML files whose root is <testsuites> or <testsuite>)."""
    found = []
    for path in sorted(folder.rglob("*.xml")):
        try:
            head = path.read_bytes()[:512]
        except OSError:
            continue
        if b"<testsuites" in head or b"<testsuite " in head:
            found.append(path)
    return found
