"""Every lesson has the same shape, thin code cells, slide metadata, fresh navigation links,
committed outputs, and no course fact typed into its prose."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from stretchkit import load_course

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}


def read(path: Path) -> nbformat.NotebookNode:
    nb: nbformat.NotebookNode = nbformat.read(path, as_version=4)
    return nb


def headings(nb: nbformat.NotebookNode) -> list[str]:
    return [
        line[3:].strip()
        for c in nb.cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("## ")
    ]


def test_the_course_has_its_lessons() -> None:
    names = [p.stem for p in NOTEBOOKS]
    assert names[0] == "00-start-here" and names[1] == "01-why-stretching-helps"
    for i, t in enumerate(load_course().techniques):
        assert f"{i + 2:02d}-{t.slug}" in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_shape(path: Path) -> None:
    nb = read(path)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    h = headings(nb)
    assert h[0] == "What you will learn", h
    assert h[-1] == "Recap", h
    assert nb.cells[1].source.startswith("<!--NAVIGATION-->")
    assert nb.cells[-1].source.startswith("<!--NAVIGATION-->")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_lesson_calls_the_ranges_safety_limits(path: Path) -> None:
    """The routine's ranges come from flexibility advice (ACSM, each stretch's source): not
    safety limits, so no lesson's text or output calls them "safe limits"."""
    nb = read(path)
    texts = [c.source for c in nb.cells] + [
        "".join(o.get("data", {}).get("text/markdown", "")) for c in nb.cells for o in c.get("outputs", [])
    ]
    said = [t for t in texts if re.search(r"\bsafe (limits?|ranges?)\b", t, re.I)]
    assert not said, said


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_cell_has_slide_metadata(path: Path) -> None:
    nb = read(path)
    for cell in nb.cells:
        assert cell.metadata.get("slideshow", {}).get("slide_type") in SLIDE_TYPES, cell.source[:40]
    assert nb.cells[0].metadata.slideshow.slide_type == "slide"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_code_cells_are_thin(path: Path) -> None:
    """An import and a call or two: the logic lives in stretchkit."""
    for cell in read(path).cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        calls = [n for n in tree.body if not isinstance(n, ast.Import | ast.ImportFrom)]
        assert len(calls) <= 2, cell.source
        for node in calls:
            assert isinstance(node, ast.Expr | ast.Assign), cell.source
            assert not any(
                isinstance(n, ast.FunctionDef | ast.For | ast.While | ast.ClassDef) for n in ast.walk(node)
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_executed_in_order_without_errors(path: Path) -> None:
    cells = [c for c in read(path).cells if c.cell_type == "code"]
    counts = [c.execution_count for c in cells]
    assert None not in counts, f"{path.name} has unexecuted cells: run `make notebooks`"
    assert counts == list(range(1, len(cells) + 1)), f"{path.name} was not run top to bottom"
    for c in cells:
        assert c.outputs, f"{path.name}: a code cell has no output: {c.source[:40]}"
        assert all(o.output_type != "error" for o in c.outputs)
        assert all(o.get("name") != "stderr" for o in c.outputs), (
            f"{path.name}: stderr output in {c.source[:40]}"
        )


def test_navigation_links_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "nav.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_contents_list_links_every_lesson() -> None:
    """Lesson 00's Contents section (where every lesson's "Contents" link leads) lists them all."""
    start = read(NOTEBOOKS[0])
    cell = next(c for c in start.cells if c.cell_type == "markdown" and c.source.startswith("## Contents"))
    linked = [line.split("](")[1].rstrip(")") for line in cell.source.splitlines() if line.startswith("- [")]
    assert linked == [p.name for p in NOTEBOOKS]


def test_no_course_fact_is_typed_into_a_notebook() -> None:
    """Steps, cautions, tips and answers come from the content data, never copied into prose."""
    course = load_course()
    facts = [q.answer for q in course.faq]
    items = [i.text for t in course.all_techniques for i in (*t.cautions, *t.mistakes)]
    facts += [s for t in course.all_techniques for s in (*t.steps, t.why, t.summary, *t.recap)]
    facts += [a for tip in course.tips for a in (*(i.text for i in tip.actions), tip.why, tip.summary)]
    facts += [*course.closing, *(i.text for i in (*course.safety.emergency, *course.safety.urgent))]
    facts += [*items, *(i.text for i in (*course.dose.guidance, *course.dose.listen))]
    prose = "\n".join(c.source for p in NOTEBOOKS for c in read(p).cells if c.cell_type == "markdown")
    copied = [f for f in facts if f in prose]
    assert copied == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_outputs_read_without_a_running_kernel(path: Path) -> None:
    """No stale widget views (they could never render); every output has readable text instead."""
    for cell in read(path).cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            assert "application/vnd.jupyter.widget-view+json" not in data, "run `make notebooks`"
            if output.output_type in ("display_data", "execute_result"):
                assert "text/plain" in data
                assert "0x" not in data["text/plain"], data["text/plain"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_name_no_machine_specific_paths(path: Path) -> None:
    """Strict nbval compares outputs on other machines: no absolute or temporary paths."""
    text = path.read_text()
    for marker in (str(ROOT), "/tmp/", "/home/", "/root/", "/Users/"):
        assert marker not in text, f"{path.name} shows a path containing {marker!r}"
