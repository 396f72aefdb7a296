"""The shipped files the site's pages cite, copied into the site as it builds, so a reader can download them.

A reader of the built site, with `mou` installed by pip, has no checkout: `scenarios/`, `schemas/` and
the example agreement of the tutorial (`examples/cooperation/`) are not in the package. This hook
adds to the site, from the repository as it is when the site builds (never a copy kept by hand):

- `scenarios/NAME.yaml`: every shipped scenario a page of the site cites as `scenarios/NAME.yaml`;
- `schemas/…`: the JSON Schemas of scenario and clause files and of the JSON output (`schemas/output/`);
- `examples/cooperation/…`: the example agreement the clause tutorial reads (its clause files and scenarios).

Pages link them by these paths (`[ix3-notice-valid.yaml](../scenarios/ix3-notice-valid.yaml)`), and
`mkdocs build --strict` fails on a link to a file this hook did not add.

A page that holds the line `<!-- mou:cited-scenarios -->` gets there the list of the cited scenarios,
each linked, with its title (Getting started has it).

    python docs/hooks/downloads.py          # lists what the site would carry
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
# `scenarios/NAME.yaml` as a page writes it, not the tail of another path (`…/cooperation/scenarios/x.yaml`).
CITED = re.compile(r"(?<![\w/.-])scenarios/([A-Za-z0-9][\w.-]*\.yaml)\b")
EXAMPLE = ROOT / "examples" / "cooperation"


def cited_scenarios(docs_dir: Path = DOCS) -> list[str]:
    """The shipped scenarios the pages under docs_dir cite, by file name."""
    names: set[str] = set()
    for page in docs_dir.rglob("*.md"):
        names.update(CITED.findall(page.read_text(encoding="utf-8")))
    return sorted(name for name in names if (ROOT / "scenarios" / name).is_file())


def downloads(docs_dir: Path = DOCS) -> dict[str, Path]:
    """Each file the site carries, by its path in the site, with the repository file it is copied from."""
    found = {f"scenarios/{name}": ROOT / "scenarios" / name for name in cited_scenarios(docs_dir)}
    found.update({path.relative_to(ROOT).as_posix(): path for path in sorted((ROOT / "schemas").rglob("*.json"))})
    found.update({f"examples/cooperation/{path.relative_to(EXAMPLE).as_posix()}": path
                  for path in sorted(EXAMPLE.rglob("*")) if path.is_file() and path.suffix in (".yaml", ".txt")})
    return found


def on_files(files, config):
    """mkdocs hook: add the downloads to the site's files, so pages may link them."""
    from mkdocs.structure.files import File
    for path, source in downloads(Path(config["docs_dir"])).items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=source.read_bytes()))
    return files


MARKER = "<!-- mou:cited-scenarios -->"


def scenario_list(page_path: str, docs_dir: Path = DOCS) -> str:
    """The cited scenarios as a Markdown list, linked from the page at page_path (under docs/)."""
    import posixpath
    import yaml
    up = posixpath.relpath("scenarios", posixpath.dirname(page_path) or ".")
    lines = []
    for name in cited_scenarios(docs_dir):
        data = yaml.safe_load((ROOT / "scenarios" / name).read_text(encoding="utf-8"))
        title = str(data.get("scenario", "")).strip() if isinstance(data, dict) else ""
        lines.append(f"    - [{name}]({up}/{name})" + (f": {title}" if title else ""))
    return "\n".join(lines)


def on_page_markdown(markdown, page, config, files):
    """mkdocs hook: the list of cited scenarios where a page asks for it."""
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, scenario_list(page.file.src_uri, Path(config["docs_dir"])))
    return markdown


if __name__ == "__main__":
    for path, source in downloads().items():
        print(f"{path}  <-  {source.relative_to(ROOT)}")
