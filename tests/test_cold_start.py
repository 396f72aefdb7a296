"""What a cold `mou` process loads: only what its command needs.

People run `mou` in editors, pre-commit hooks and CI on every change, so a
command must not pay for libraries it does not use: `mou --version` and
`mou --help` compile nothing and load neither the clause language nor
pydantic; `mou check` loads neither hypothesis, numpy, the report templates,
the calendar nor the JUnit writer, nor the explanations when every answer is
as expected; and once its rule set is stored, not the compiler, Lark nor
pydantic either (a well-formed scenario is validated without it). (The time itself is measured by
`benchmarks/everyday.py`, not here.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import SCENARIOS

PROBE = """
import json, sys
from mou.cli import main
try:
    main(sys.argv[1:], prog_name="mou")
except SystemExit:
    pass
sys.stderr.write(json.dumps(sorted(sys.modules)))
"""

HEAVY = {"pydantic", "lark", "yaml", "hypothesis", "numpy", "jinja2", "junitparser", "icalendar", "num2words",
         "mou.language.compiler", "mou.language.model", "mou.api"}
EXPLAINING = {"mou.answers.explain", "mou.answers.counterfactuals", "mou.answers.reasons"}


def loaded(*arguments: str, cache: str | None = None) -> set[str]:
    """The top-level packages and mou modules a fresh `mou ARGUMENTS` process has imported when it ends."""
    environment = dict(os.environ) if cache is None else {**os.environ, "MOU_CACHE_DIR": cache}
    result = subprocess.run([sys.executable, "-c", PROBE, *arguments], capture_output=True, text=True, timeout=120,
                            env=environment)
    modules = json.loads(result.stderr.splitlines()[-1])
    return {name for name in modules if name in HEAVY | EXPLAINING or name.split(".")[0] in HEAVY}


@pytest.mark.parametrize("arguments", [["--version"], ["--help"], ["check", "--help"]])
def test_version_and_help_load_no_library_and_compile_nothing(arguments):
    assert loaded(*arguments) == set()


def test_checking_a_scenario_loads_only_what_checking_needs(tmp_path):
    modules = loaded("check", str(SCENARIOS / "ix3-notice-valid.yaml"), cache=str(tmp_path))
    assert {"mou.api", "mou.language.compiler", "mou.language.model", "pydantic", "lark", "yaml"} <= modules
    assert not modules & {"hypothesis", "numpy", "jinja2", "junitparser", "icalendar", "num2words"}


def test_the_next_check_reads_the_stored_rule_set_and_compiles_nothing(tmp_path):
    loaded("check", str(SCENARIOS / "ix3-notice-valid.yaml"), cache=str(tmp_path))  # compiles, and stores
    modules = loaded("check", str(SCENARIOS / "ix3-notice-valid.yaml"), cache=str(tmp_path))
    assert {"mou.api", "yaml"} <= modules
    assert not modules & {"mou.language.compiler", "mou.language.model", "lark", "pydantic"}  # a well-formed file


def test_explanations_are_loaded_only_when_one_is_shown(tmp_path):
    passing = SCENARIOS / "ix3-notice-valid.yaml"
    assert not loaded("check", str(passing), cache=str(tmp_path)) & EXPLAINING
    assert EXPLAINING <= loaded("check", "--format", "json", str(passing), cache=str(tmp_path))
    assert EXPLAINING <= loaded("check", "--explain", str(passing), cache=str(tmp_path))
