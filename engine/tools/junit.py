"""A JUnit XML report of checked scenarios and searched properties, for CI systems.

Stage: tools. Imports answers' `check` and `output`, `terminal` and
`mou.values`; the XML is written by junitparser (a maintained library that
CI tools' own JUnit readers are tested against), not by hand.

The report has one `testsuite` per scenario file, with one `testcase` per
question (its time is the time to answer it) and one per property the file
breaks; a file that cannot be read is a suite whose one case is an `error`
(the input is invalid: nothing was tested), not a `failure`. The properties
searched by `mou test` are one more suite, `properties`, one case each,
timed. An answer that differs from its `expect` is a `failure` whose text
says what was expected and what was answered; a question without `expect`
is `skipped` ("answered, nothing to compare"), as the pytest plugin reports
it.

What CI servers' readers accept: the report validates against the junit-4
XSD of Jenkins' xunit plugin (dtkit) and against its junit-10 XSD (vendored
in tests/junit/). So `time` is a plain decimal (`0.000048`, never `4.8e-05`),
three places on suites (junit-10's SUREFIRE_TIME allows no more), six on
cases; `<testsuites>` carries no `skipped` (neither XSD allows it); a
`<skipped>` holds text and no attribute (junit-4 gives it none). Without
times (`times=False`, `mou test --no-junit-times`) two runs write the same
bytes: everything else is in the files' and the rule set's own order.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from junitparser import Error, Failure, JUnitXml, Skipped, TestCase, TestSuite

from ..answers.check import ScenarioResult
from ..answers.output import asked, plain
from ..values import to_json
from .terminal import escape_controls


NOTHING_TO_COMPARE = "answered, nothing to compare"


def junit_report(results: list[ScenarioResult], properties: list, diagnostics: list, *,
                 times: bool = True) -> JUnitXml:
    """The report, as junitparser's document (see the module docstring for its shape)."""
    report = JUnitXml("mou")
    for result in results:
        suite = TestSuite(_clean(result.scenario.file))
        for item in result.results:
            case = TestCase(_clean(asked(item.call.ask, item.call.raw_args)), classname=_class(result.scenario.file),
                            time=item.seconds)
            if item.ok is False:
                expected, answer = plain(item.to_json()["expected"]), plain(to_json(item.answer))
                failure = Failure(_clean(f"expected {expected}, answered {answer}"), "expectation")
                failure.text = _clean(f"{item.call.location}: {item.call.ask} answered {answer}; "
                                      f"the scenario expects {expected}")
                case.result = [failure]
            elif item.ok is None:
                case.result = [Skipped()]
            suite.add_testcase(case)
        for violation in result.violations:
            case = TestCase(_clean(f"property {violation.name}"), classname=_class(result.scenario.file))
            case.result = [Failure(_clean(str(violation)), "property")]
            suite.add_testcase(case)
        suite.time = result.seconds
        report.add_testsuite(suite)
    for file in sorted({d.location.file for d in diagnostics}):
        suite = TestSuite(_clean(file))
        case = TestCase("read", classname=_class(file))
        error = Error("invalid input: nothing in it was tested", "invalid")
        error.text = _clean("\n".join(str(d) for d in diagnostics if d.location.file == file))
        case.result = [error]
        suite.add_testcase(case)
        report.add_testsuite(suite)
    if properties:
        suite = TestSuite("properties")
        for prop in properties:
            case = TestCase(prop.name, classname=f"properties.{prop.paragraph}", time=prop.seconds)
            if not prop.ok:
                failure = Failure(_clean(str(prop.violation) if prop.violation else prop.says), "counterexample")
                failure.text = _clean(prop.counterexample or "")
                case.result = [failure]
            suite.add_testcase(case)
        report.add_testsuite(suite)
    for suite in report:
        suite.update_statistics()
    report.update_statistics()
    _conform(report, times)
    return report


def write_junit(path: Path | BinaryIO, results: list[ScenarioResult], properties: list, diagnostics: list, *,
                times: bool = True) -> None:
    """Write the JUnit XML report to a path or a binary file."""
    junit_report(results, properties, diagnostics, times=times).write(path, pretty=True)


def _conform(report: JUnitXml, times: bool) -> None:
    """Make junitparser's document what the junit-4 and junit-10 XSDs accept (see the module docstring)."""
    root = report._elem  # junitparser writes `skipped` and float reprs; the XSDs want neither
    root.attrib.pop("skipped", None)
    for element in root.iter():
        if "time" not in element.attrib:
            continue
        if not times:
            del element.attrib["time"]
            continue
        places = 6 if element.tag == "testcase" else 3
        element.set("time", _decimal(float(element.get("time")), places))
    for skipped in root.iter("skipped"):
        skipped.attrib.clear()
        skipped.text = NOTHING_TO_COMPARE


def _decimal(seconds: float, places: int) -> str:
    """Seconds as an `xs:decimal` (`0.000048`): Python's repr would write `4.8e-05`, which no XSD reads."""
    return f"{max(seconds, 0.0):.{places}f}"


def _class(file: str) -> str:
    """A test case's class: its file, as CI tools group cases by it (`scenarios/a.yaml` → `scenarios.a`)."""
    parts = [part for part in Path(file).with_suffix("").parts if part not in ("/", "\\") and not part.endswith(":\\")]
    return _clean(".".join(parts))  # an absolute path gives no leading dot (`/tmp/a.yaml` → `tmp.a`)


def _clean(text: str) -> str:
    """XML 1.0 cannot hold control characters: a raw one would make the report unreadable."""
    return escape_controls(text)
