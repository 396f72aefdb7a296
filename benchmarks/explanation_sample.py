"""Draw a seeded sample of explanations across Articles I–IX, for a legal officer to read.

    python benchmarks/explanation_sample.py --seed 2812 --count 20 --out /tmp/sample

Each shipped scenario's questions are grouped by the Article of their question's first paragraph; the
sample takes questions from every Article in turn (I, II, …, IX, then again), each drawn at random with
the seed. For each it writes the scenario (the facts of the case), the command a reader can run, the text
`mou ask` prints and the memo section (`--format markdown`), one file per explanation, and an index. The same seed draws the same sample.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from explanation_checks import ask  # noqa: E402
from mou import Engine  # noqa: E402

ARTICLES = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--out", type=Path, required=True)
    options = parser.parse_args()
    engine = Engine(backend="native")
    by_article: dict[str, list] = defaultdict(list)
    for file in sorted((ROOT / "scenarios").glob("*.yaml")):
        scenario = engine.read(file)
        for call in scenario.questions:
            article = call.definition.paragraphs[0].split(".")[0] if call.definition.paragraphs else ""
            by_article[article].append((file, scenario, call))
    rng = random.Random(options.seed)
    pools = {article: rng.sample(items, len(items)) for article, items in sorted(by_article.items())}
    order = [article for article in ARTICLES if pools.get(article)]
    drawn = []
    while len(drawn) < options.count and any(pools[a] for a in order):
        for article in order:
            if pools[article] and len(drawn) < options.count:
                drawn.append((article, *pools[article].pop()))
    options.out.mkdir(parents=True, exist_ok=True)
    index = []
    for number, (article, file, scenario, call) in enumerate(drawn, 1):
        asked = ask(engine, scenario, call)
        arguments = " ".join(f"--{name} {value}" for name, value in call.raw_args.items())
        command = f"mou ask {call.ask} --scenario scenarios/{file.name} {arguments}".strip()
        name = f"{number:02d}-{article}-{file.stem}.txt"
        (options.out / name).write_text(
            f"--- the scenario (the facts of the case) ---\n\n{file.read_text(encoding='utf-8')}\n"
            f"--- the question and its explanation ---\n\n$ {command}\n\n" + "\n".join(asked.text)
            + "\n\n--- as a memo section ---\n\n" + "\n".join(asked.markdown) + "\n", encoding="utf-8")
        index.append(f"{name}: {command}")
    (options.out / "INDEX.txt").write_text("\n".join(index) + "\n", encoding="utf-8")
    print(f"{len(drawn)} explanations (seed {options.seed}) in {options.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
