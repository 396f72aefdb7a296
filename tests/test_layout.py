"""The shape of the code: stages as subpackages, imports flowing one way, rooms a reader can hold.

These tests read the source (with `ast`), so they document the architecture
as much as they check it: `STAGES` is the pipeline, first to last, and a
module may import only from its own stage or an earlier one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parent.parent / "engine"

STAGES = ["base", "language", "scenario", "evaluation", "answers", "api", "tools", "web", "cli"]
"""The pipeline, first to last; `base` is errors, dates, values, collector and jsontext, at the top of the package."""

BASE = {"errors", "dates", "values", "collector", "jsontext"}
MAX_LINES = 500
MAX_CLASS_LINES = 300


def modules() -> dict[str, Path]:
    """Every module of the package, by dotted name (`mou.language.compiler`)."""
    found = {}
    for path in sorted(ENGINE.rglob("*.py")):
        parts = list(path.relative_to(ENGINE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(["mou", *parts])] = path
    return found


def stage(module: str) -> str:
    """The stage a module belongs to."""
    parts = module.split(".")[1:]
    if not parts:
        return "api"  # the package itself: the public API
    if parts[0] in BASE:
        return "base"
    if parts[0] in ("testing",):
        return "tools"
    if parts[0] in ("__main__", "commands"):
        return "cli"
    return parts[0]


def imports(module: str, path: Path) -> set[str]:
    """The modules of the package that `module` imports (at any depth: lazy imports count too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "mou" or target.startswith("mou."):
                for alias in node.names:
                    candidate = f"{target}.{alias.name}"
                    found.add(candidate if candidate in modules() else target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name == "mou" or a.name.startswith("mou."))
    return {name for name in found if name in modules() and name != module}


GRAPH = {name: imports(name, path) for name, path in modules().items()}


def test_every_stage_is_a_subpackage_with_a_docstring_saying_what_it_may_import():
    for name in ("language", "scenario", "evaluation", "answers", "tools"):
        init = ENGINE / name / "__init__.py"
        assert init.is_file(), f"engine/{name}/ is not a package"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "May import" in doc, f"engine/{name}/__init__.py does not say what the stage may import"


def test_every_module_says_its_stage():
    for name, path in modules().items():
        if path.name in ("__init__.py", "__main__.py") or path.is_symlink():
            continue
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        assert doc, f"{name} has no module docstring"


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_flow_from_the_clause_language_to_the_tools(module):
    mine = STAGES.index(stage(module))
    for target in sorted(GRAPH[module]):
        if target == "mou" and stage(module) in ("tools", "cli"):
            continue  # the public API
        theirs = STAGES.index(stage(target))
        assert theirs <= mine, f"{module} ({stage(module)}) imports {target} ({stage(target)}), a later stage"


def test_no_two_modules_import_each_other_even_through_others():
    def cycle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        seen = set()
        while stack:
            node, path = stack.pop()
            for target in GRAPH.get(node, ()):
                if target == start:
                    return path + [start]
                if target not in seen:
                    seen.add(target)
                    stack.append((target, path + [target]))
        return None

    for module in GRAPH:
        if module == "mou":
            continue  # the package re-exports the API; its submodules never import it back
        cycle = cycle_from(module)
        assert cycle is None or "mou" in cycle, " → ".join(cycle or [])


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_room_over_500_lines_and_no_class_over_300(name):
    path = modules()[name]
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_LINES, f"{name}: {len(text.splitlines())} lines"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ClassDef):
            size = node.end_lineno - node.lineno + 1
            assert size <= MAX_CLASS_LINES, f"{name}.{node.name}: {size} lines"


def test_the_library_never_imports_click():
    for name, path in modules().items():
        if path.is_symlink() or stage(name) == "cli":
            continue  # the click layer itself: the top-level cli.py and mou.commands
        assert "click" not in {alias.name.split(".")[0] for node in ast.walk(ast.parse(path.read_text()))
                               if isinstance(node, (ast.Import, ast.ImportFrom))
                               for alias in (node.names if isinstance(node, ast.Import)
                                             else [ast.alias(node.module or "")])}, name


def test_every_package_of_the_engine_is_one_a_plain_install_ships():
    """pyproject.toml lists the packages a wheel carries: one left out installs without it, and a plain
    `pip install .` then fails on import (`mou.evaluation.fast` was, until CI's non-editable install said so)."""
    import tomllib

    root = Path(__file__).resolve().parent.parent
    listed = set(tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    engine = root / "engine"
    packages = {".".join(("mou", *path.parent.relative_to(engine).parts)) for path in engine.rglob("__init__.py")
                if "__pycache__" not in path.parts}
    assert packages <= listed, sorted(packages - listed)
