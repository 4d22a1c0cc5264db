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
from tests.browser.lite import (
    LitePage,
    LiteSite,
    close_all_tabs,
    new_lite_page,
    new_notebook,
    open_in_lite,
    type_and_run,
)
from tests.browser.test_lite import check_offline, outputs

pytestmark = pytest.mark.lite

CAT_CAMEL = "03-cat-camel.ipynb"
START = "00-start-here.ipynb"
QUIZ_LESSON = "09-check-yourself.ipynb"
ROUTINE = "08-your-routine.ipynb"
EASIER = "Hamstring Stretch, towel behind the thigh"

# Two sessions of the course's routine a day apart, each ending 3 points higher than it began,
# saved by the site's own journal (the browser's storage), as two guided sessions would.
TWO_WORSE_SESSIONS = """from datetime import datetime, timedelta, timezone
from stretchkit import Journal, Routine
now = datetime.now(timezone.utc)
with Journal() as j:
    for days in (2, 1):
        j.record_session(routine=Routine(), started_at=now - timedelta(days=days), duration_seconds=300,
                         pain_before=2, pain_after=5)
    print(len(j.sessions()), "sessions")"""


def shoot(page: Any, element: Any, name: str) -> None:
    """The page with ``element`` in view (the notebook draws only the cells on screen), and the element."""
    element.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    save_screenshot(page, name)
    element.screenshot(path=str(SCREENSHOTS / f"{name}-alone.png"))


def fold_files(page: Any) -> None:
    """Fold the file browser away (a reload opens it again), so the lesson has the screen."""
    current = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
    if current.count():
        current.first.click()


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
    fold_files(page)
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, first, "lite-09-review-first-phone")
    check_offline(learner)


def reopen(learner: LitePage, name: str) -> Any:
    """Reload the site (what the browser keeps stays) and run lesson ``name``; its page."""
    page = learner.page
    close_all_tabs(page)
    page.reload()
    open_in_lite(learner, name)
    fold_files(page)
    run_all_cells(page)
    check_no_errors(page)
    return page


def test_lesson_08_follows_the_journal_and_remembers_the_routine_and_goal_across_a_reload(
    learner: LitePage,
) -> None:
    """In the site: pain that rose twice brings the easier version with its reason and source;
    accepting it changes the routine, which (with the goal's rating) is still there after a reload,
    and the suggestion is not offered again."""
    learner.page.set_viewport_size({"width": 1366, "height": 900})  # a laptop: the cards and charts whole
    new_notebook(learner)
    assert "2 sessions" in type_and_run(learner.page, TWO_WORSE_SESSIONS)

    page = reopen(learner, ROUTINE)
    panel = page.locator(".stretchkit-next-time")
    panel.wait_for(timeout=30_000)
    text = " ".join((panel.text_content() or "").split())
    assert "Next time" in text and "not a diagnosis" in text
    reason = "Your last two Hamstring Stretch sessions ended 3 points higher than they began."
    assert reason in text, text
    assert "Sherwood Forest Hospitals" in text or "Saint Luke" in text, "the advice names its source"
    assert "While your pain is higher:" in text, "the stop rule and urgent-help signs when pain rose"
    card = panel.locator(".widget-vbox", has_text=reason).last
    shoot(page, card, "lite-08-next-time")
    card.get_by_role("button", name="Accept").click()
    status = panel.get_by_role("status")
    status.wait_for(timeout=30_000)
    assert (status.text_content() or "").startswith("Accepted: "), status.text_content()
    easier = page.get_by_role("checkbox", name=EASIER)
    assert easier.is_checked(), "the builder shows the accepted routine"

    goal = page.locator(".stretchkit-goal")
    goal.get_by_role("textbox").fill("Putting on socks")
    goal.get_by_role("combobox").select_option("4")
    goal.get_by_role("button", name="Save rating").click()
    saved = goal.get_by_role("status")
    saved.wait_for(timeout=30_000)
    assert (saved.text_content() or "").startswith("Saved: "), saved.text_content()

    page = reopen(learner, ROUTINE)
    builder = page.locator(".stretchkit-routine-builder")
    assert "the routine you kept last time" in (builder.text_content() or "")
    assert page.get_by_role("checkbox", name=EASIER).is_checked()
    panel_text = page.locator(".stretchkit-next-time").all_text_contents()
    assert not any(reason in t for t in panel_text), "an accepted suggestion is not offered again"
    goal_text = " ".join((page.locator(".stretchkit-goal").text_content() or "").split())
    assert "Putting on socks" in goal_text and "4" in goal_text, goal_text
    shoot(page, builder, "lite-08-kept-routine")
    check_offline(learner)
