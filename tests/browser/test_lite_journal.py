"""The site remembers a learner across a reload (the browser's storage): lesson 00 says where
to go on after lesson 03 and how many questions are due; lesson 09 asks the question missed
in lesson 03's check first, labelled for review. A learner's own browser, fresh for this module."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.course import (
    NOTEBOOKS,
    QUIZ,
    SCREENSHOTS,
    answer_with_mouse,
    check_no_errors,
    quiz_in,
    save_screenshot,
)
from tests.browser.lab import run_all_cells
from tests.browser.lite import LitePage, LiteSite, close_all_tabs, new_lite_page, open_in_lite
from tests.browser.test_lite import check_offline, outputs

pytestmark = pytest.mark.lite

CAT_CAMEL = "03-cat-camel.ipynb"
START = "00-start-here.ipynb"
QUIZ_LESSON = "09-check-yourself.ipynb"


def shoot(page: Any, element: Any, name: str) -> None:
    """The page with ``element`` in view (the notebook draws only the cells on screen), and the element."""
    element.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    save_screenshot(page, name)
    element.screenshot(path=str(SCREENSHOTS / f"{name}-alone.png"))


@pytest.fixture(scope="module")
def learner(browser: Any, lite_site: LiteSite) -> Iterator[LitePage]:
    with new_lite_page(browser, lite_site) as lp:
        yield lp


def test_lesson_00_continues_after_lesson_03_and_lesson_09_reviews_its_miss(learner: LitePage) -> None:
    page = learner.page
    open_in_lite(learner, START)
    run_all_cells(page)
    # A new learner: the cell shows nothing (JupyterLab keeps its prompt; the learner's view hides it).
    shown = outputs(page, START, "welcome_back()").locator(".jp-OutputArea-output").all_text_contents()
    assert [t.strip() for t in shown] == [""], shown

    check = quiz_in(NOTEBOOKS / CAT_CAMEL)
    missed = next(q for q in check.questions if q.kind == "single")
    wrong = next(i for i, o in enumerate(missed.options) if not o.correct)
    open_in_lite(learner, CAT_CAMEL)
    run_all_cells(page)
    check_no_errors(page)
    box = page.locator(QUIZ).locator(f'fieldset[data-id="{missed.id}"]')
    answer_with_mouse(page.locator(QUIZ), missed, [wrong])
    assert (box.get_by_role("status").text_content() or "").startswith("✗ Not quite.")

    close_all_tabs(page)  # else the reload restores lesson 03's tab beside lesson 00
    page.reload()
    open_in_lite(learner, START)
    run_all_cells(page)
    check_no_errors(page)
    said = outputs(page, START, "welcome_back()")
    text = " ".join((said.text_content() or "").split())
    assert "Continue: Lesson 04: Hamstring Stretch, the lesson after Lesson 03: Cat-Camel Stretch, " in text
    assert "which you finished today." in text and "✓ Lesson 03: Cat-Camel Stretch: finished today" in text
    assert "For review: 1 quiz question you answered before is due again" in text, text
    assert said.get_by_role("link", name="Lesson 04: Hamstring Stretch").get_attribute("href", timeout=5000)
    shoot(page, said, "lite-00-welcome-back")

    open_in_lite(learner, QUIZ_LESSON)
    run_all_cells(page)
    check_no_errors(page)
    first = page.locator(QUIZ).locator("fieldset").first
    assert first.get_attribute("data-id") == missed.id
    legend = first.locator("legend").text_content() or ""
    assert legend.startswith("Question 1 of ") and f"(for review): {missed.prompt}" in legend, legend
    shoot(page, first, "lite-09-review-first")
    page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").first.click()  # fold the files
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, first, "lite-09-review-first-phone")
    check_offline(learner)
