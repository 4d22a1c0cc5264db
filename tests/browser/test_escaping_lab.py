"""Content is text in a real JupyterLab: an educator's file with markup injects nothing.

``tests/data/markup-content.toml`` holds ``<img src=x onerror=...>``, ``<a href=...>``,
``<script>``, ``[text](url)`` links, ``*stars*`` and tags in every kind of content. A
notebook shows it through the lesson sections, the quiz, the timer, the routine builder
and the figure; the page must contain no injected image, link, script or tag, no dialog
may open, and the text must be visible exactly as it was typed.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from stretchkit import load_course
from tests.browser.course import save_screenshot
from tests.browser.lab import LabPage, open_notebook, run_all_cells, write_notebook

pytestmark = pytest.mark.lab

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "markup-content.toml"
NOTEBOOK = "markup_content.ipynb"
CELLS = [
    "from stretchkit import Quiz, StretchTimer, lessons, load_course\n"
    "from stretchkit.figures import illustration\n"
    "from stretchkit.routine import Routine\n"
    "from stretchkit.session import RoutineBuilder\n"
    'course = load_course("markup-content.toml")',
    "lessons.overview(course)",
    'lessons.technique_facts("markup-stretch", course)',
    'lessons.technique_steps("markup-stretch", course)',
    'lessons.technique_safety("markup-stretch", course)',
    'lessons.habit("markup-tip", course)',
    'illustration("markup-stretch", course)',
    'Quiz.from_course(course, seed=1, topic="markup-stretch")',
    'StretchTimer.for_technique("markup-stretch", course=course, sound=False)',
    'RoutineBuilder(Routine(["markup-stretch"], title="Class <b>one</b>", course=course))',
]

#: What content could inject, as CSS selectors inside the notebook.
INJECTED = [
    "img[src='x']",
    "a[href*='evil.example']",
    ".jp-OutputArea script",
    ".jp-OutputArea b",
    ".jp-OutputArea u",
    ".jp-RenderedMarkdown h1",
    ".jp-OutputArea [onerror]",
    "mjx-container",  # '$0 and takes $1' typeset as maths
]


def test_markup_in_content_is_shown_as_text(lab_page: LabPage) -> None:
    page, lab = lab_page.page, lab_page.lab
    course = load_course(FIXTURE)
    t = course.technique("markup-stretch")
    shutil.copy(FIXTURE, lab.root / FIXTURE.name)
    write_notebook(lab, NOTEBOOK, CELLS)
    dialogs: list[str] = []

    def dismiss(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    open_notebook(page, lab, NOTEBOOK)
    outputs = run_all_cells(page)
    assert len(outputs) == len(CELLS)
    page.locator(".sk-quiz").first.wait_for(state="visible", timeout=30_000)
    page.locator(".sk-timer").first.wait_for(state="visible", timeout=30_000)
    page.locator(".stretchkit-routine-builder, .widget-checkbox").first.wait_for(
        state="visible", timeout=30_000
    )
    notebook = page.locator(".jp-Notebook")
    for selector in INJECTED:
        assert notebook.locator(selector).count() == 0, f"content injected {selector}"
    assert dialogs == [], "a script from the content ran"
    shown = " ".join(notebook.inner_text().split())
    expected = [
        course.overview,  # Markdown output of a lesson section
        t.summary,
        t.why,  # 'It costs $0 and takes $1 of effort.'
        t.steps[0],
        t.steps[2],  # '# Not a heading...' stays a line of text
        t.cautions[0].text,
        course.tip("markup-tip").title,
        f"Check: {t.name}",  # the quiz's own display (quiz.js)
        t.start_position,  # a quiz option
    ]
    for text in expected:
        assert " ".join(text.split()) in shown, f"{text!r} is not visible as typed"
    timer = page.locator(".sk-timer").first
    timer.scroll_into_view_if_needed()
    page.wait_for_timeout(300)  # let JupyterLab draw the cells scrolled into view
    assert t.name in " ".join(timer.inner_text().split()), "the timer shows the name as typed"
    save_screenshot(page, "markup-content-timer")
    builder_label = page.locator(".widget-checkbox").filter(has_text=t.name)
    builder_label.scroll_into_view_if_needed()
    assert builder_label.count() == 1, "the routine builder labels the stretch as typed"
    save_screenshot(page, "markup-content-routine-builder")
    page.locator(".jp-RenderedMarkdown").first.scroll_into_view_if_needed()
    save_screenshot(page, "markup-content-lessons")
