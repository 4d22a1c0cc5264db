"""Write the previous / contents / next links into every notebook, and the contents list.

The links are generated from the notebooks' file names and titles, never edited by hand:
run `make nav` (or `make notebooks`) after adding or renaming a lesson. `--check` only
reports notebooks whose links are out of date (the test suite uses it).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAV = "<!--NAVIGATION-->"
CONTENTS = "<!--CONTENTS-->"
START = "00-start-here.ipynb"


def title_of(nb: nbformat.NotebookNode, path: Path) -> str:
    """The lesson's title: the first heading of its first cell."""
    first = nb.cells[0]
    match = re.match(r"#\s+(.+)", first.source.strip()) if first.cell_type == "markdown" else None
    if not match:
        raise SystemExit(f"{path.name}: the first cell must be a Markdown title ('# ...')")
    return match.group(1).strip()


def nav_cell_source(prev: tuple[str, str] | None, nxt: tuple[str, str] | None) -> str:
    parts = [f"[← {prev[1]}]({prev[0]})" if prev else "", f"[Contents]({START}#Contents)"]
    parts.append(f"[{nxt[1]} →]({nxt[0]})" if nxt else "")
    return NAV + "\n" + " | ".join(p for p in parts if p)


def contents_source(before: str, lessons: list[tuple[str, str]]) -> str:
    """The contents cell: whatever precedes the marker (its heading), then the generated list."""
    return before + CONTENTS + "\n" + "\n".join(f"- [{title}]({name})" for name, title in lessons)


def nav_cell(source: str, cell_id: str) -> nbformat.NotebookNode:
    """A navigation cell; fixed ids keep re-runs from churning the files."""
    cell: nbformat.NotebookNode = nbformat.v4.new_markdown_cell(source, id=cell_id)
    cell.metadata = {"slideshow": {"slide_type": "skip"}, "tags": ["nav"]}
    return cell


def update(paths: list[Path]) -> dict[Path, nbformat.NotebookNode]:
    """Return the notebooks whose links or contents list would change."""
    books = {p: nbformat.read(p, as_version=4) for p in paths}
    lessons = [(p.name, title_of(nb, p)) for p, nb in books.items()]
    changed = {}
    for i, (path, nb) in enumerate(books.items()):
        before = nbformat.writes(nb)
        prev = lessons[i - 1] if i > 0 else None
        nxt = lessons[i + 1] if i + 1 < len(lessons) else None
        source = nav_cell_source(prev, nxt)
        cells = [c for c in nb.cells if not (c.cell_type == "markdown" and c.source.startswith(NAV))]
        top, bottom = nav_cell(source, "nav-top"), nav_cell(source, "nav-bottom")
        nb.cells = [cells[0], top, *cells[1:], bottom]
        for cell in nb.cells:
            if cell.cell_type == "markdown" and CONTENTS in cell.source:
                cell.source = contents_source(cell.source.split(CONTENTS)[0], lessons)
        if nbformat.writes(nb) != before:
            changed[path] = nb
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="report out-of-date links, change nothing")
    args = parser.parse_args(argv)
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    start = NOTEBOOKS / START
    if not any(CONTENTS in c.source for c in nbformat.read(start, as_version=4).cells):
        raise SystemExit(f"{START}: no cell holds the {CONTENTS} marker, so the contents list has no place")
    changed = update(paths)
    if args.check:
        for p in changed:
            print(f"{p.name}: navigation links are out of date (run `make nav`)")
        return 1 if changed else 0
    for p, nb in changed.items():
        nbformat.write(nb, p)
        print(f"updated links in {p.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
