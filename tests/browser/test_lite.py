"""The static JupyterLite site (``make lite``): the course in the browser's own Python, offline.

The site is built once per session (or reused when ``_site/`` is newer than its sources) and
served on 127.0.0.1; every request to any other host is aborted, and each test asserts that
none was even attempted. What runs here is what the current package allows: lesson 00 and
widgets that need neither matplotlib nor numpy (see docs/lite.md for the rest).
"""

from __future__ import annotations

import pytest

from tests.browser.course import CHECK, TIMER, check_no_errors, check_widgets_render
from tests.browser.lab import run_all_cells
from tests.browser.lite import LitePage, new_notebook, open_in_lite, type_and_run

pytestmark = pytest.mark.lite


def check_offline(lp: LitePage) -> None:
    """Nothing left the site's own host: no request was blocked, none went elsewhere."""
    assert not lp.off_host(), "requests off the site's host:\n" + "\n".join(lp.off_host())
    assert not lp.errors, "uncaught errors in the page:\n" + "\n".join(lp.errors)
    # Pyodide itself came from the site, not from a CDN.
    assert any(p.startswith("/static/pyodide/pyodide.asm.wasm") for p in lp.site.served)


def test_lesson_00_runs_offline_and_its_widget_answers(lite_page: LitePage) -> None:
    open_in_lite(lite_page, "00-start-here.ipynb")
    page = lite_page.page
    run_all_cells(page)
    check_no_errors(page)
    check_widgets_render(page, {CHECK: 1})
    # A widget message both ways: the button's press reaches Python, its answer comes back.
    page.locator(f"{CHECK} button", has_text="Check").click()
    page.locator(f"{CHECK} .sk-check-status", has_text="The kernel answered").wait_for(timeout=30_000)
    check_offline(lite_page)


def test_course_imports_and_a_timer_render_in_a_new_notebook(lite_page: LitePage) -> None:
    new_notebook(lite_page)
    page = lite_page.page
    # No %pip cell: the course and its widget libraries are preloaded from the site's own lock.
    out = type_and_run(
        page,
        "import anywidget, ipywidgets, sqlite3, stretchkit\n"
        "db = sqlite3.connect(':memory:')\n"
        "print('ok', stretchkit.__version__, anywidget.__version__, ipywidgets.__version__,"
        " db.execute('select sqlite_version()').fetchone()[0])",
    )
    assert out.strip().startswith("ok 0.1.0 "), out
    # %pip finds the bundled wheels too, with PyPI switched off.
    out = type_and_run(page, "%pip install stretchkit")
    assert "error" not in out.lower(), out
    type_and_run(page, "course = stretchkit.load_course()")
    type_and_run(page, "stretchkit.StretchTimer.for_technique(course.technique('cat-camel'))")
    check_widgets_render(page, {TIMER: 1})
    start = page.locator(f"{TIMER} button:text-is('Start')")
    assert start.is_enabled()
    start.click()
    page.locator(f"{TIMER}[data-state=running]").wait_for(timeout=10_000)
    check_offline(lite_page)
