"""Count issue 28's explanation violations: per check, over the shipped scenarios (and generated ones).

    python benchmarks/explanation_audit.py                     # every file of scenarios/, every check
    python benchmarks/explanation_audit.py --check hindsight --samples 10 scenarios/ix3-*.yaml
    python benchmarks/explanation_audit.py --generated 200 --seed 1      # also 200 seeded generated scenarios
    python benchmarks/explanation_audit.py --json > audit.json

The checks are tests/explanation_checks.py's (DOMAIN.md, "What an explanation must be"); the tests in
tests/test_explanation_properties.py fail on the same violations. Prints, per check, the number of violations,
the number of answers (or memos) with at least one, and the first few of them. Rerun after each change.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from explanation_checks import CHECKS, check_scenario  # noqa: E402
from mou import Engine  # noqa: E402
from mou.errors import MouError  # noqa: E402
from mou.language.yamlio import Document  # noqa: E402
from mou.testing import random_scenario_data  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="scenario files (default: scenarios/*.yaml)")
    parser.add_argument("--check", action="append", choices=CHECKS, help="only these checks (repeatable)")
    parser.add_argument("--samples", type=int, default=3, help="violations shown per check (default 3)")
    parser.add_argument("--generated", type=int, default=0, help="also this many generated scenarios")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated scenarios")
    parser.add_argument("--json", action="store_true", help="print every violation as JSON instead")
    options = parser.parse_args()
    only = options.check or CHECKS
    files = options.files or sorted((ROOT / "scenarios").glob("*.yaml"))
    engine = Engine(backend="native")
    found: dict[str, list[tuple[str, str]]] = {name: [] for name in only}
    started = time.perf_counter()
    questions = 0
    for file in files:
        scenario = engine.read(file)
        questions += len(scenario.questions)
        for name, items in check_scenario(engine, scenario, only).items():
            found[name] += items
    shipped = time.perf_counter() - started
    generated = {name: [] for name in only}
    rng = random.Random(options.seed)
    drawn = 0
    while drawn < options.generated:
        data = random_scenario_data(engine.ruleset, rng, max_events=10)
        try:
            scenario = engine.reader.from_document(Document(f"<generated {drawn}>", data))
        except MouError:
            continue
        drawn += 1
        for name, items in check_scenario(engine, scenario, only).items():
            generated[name] += items
    if options.json:
        print(json.dumps({"shipped": found, "generated": generated}, indent=1, ensure_ascii=False))
        return 0
    print(f"{len(files)} scenario files, {questions} questions, checked in {shipped:.1f} s"
          + (f"; {drawn} generated scenarios" if drawn else ""))
    for title, table in (("shipped", found), ("generated", generated if drawn else {})):
        for name, items in table.items():
            answers = Counter(subject for subject, _ in items)
            unit = "memos" if name == "memo" else "answers"
            print(f"\n{name} ({title}): {len(items)} violations in {len(answers)} {unit}")
            for _, item in items[: options.samples]:
                print(f"  - {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
