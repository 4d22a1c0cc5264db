"""The test of the test: the course suite's checks fail when the course is broken.

The checks in course.py pass on every real lesson (test_course.py). Here the same checks
meet a lesson with a cell that raises, broken copies of the timer's widget module, a widget
shown as its text fallback, an inaccessible control and a request that leaves localhost,
and each must raise ``AssertionError``. The last tests show the browser-test gate: without
Chromium, a local run skips and says how to enable the tests, and a CI run fails.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

from stretchkit.lessons import lesson_stem
from tests.browser.course import (
    NOTEBOOKS,
    QUIZ,
    ROOT,
    TIMER,
    check_accessibility,
    check_local_requests,
    check_no_errors,
    check_no_page_errors,
    check_widgets_render,
    copy_fresh,
    open_lesson,
    run_all,
    warm_matplotlib,
)
from tests.browser.lab import Lab, write_notebook

TIMER_JS = ROOT / "stretchkit" / "static" / "timer.js"
BROKEN = 'raise RuntimeError("a deliberately broken lesson cell")'


@pytest.fixture(scope="module")
def lab(jupyterlab: Lab) -> Lab:
    warm_matplotlib(jupyterlab)
    return jupyterlab


@pytest.mark.lab
def test_a_cell_that_raises_fails_the_error_check(browser: Any, lab: Lab) -> None:
    stem = lesson_stem("childs-pose")
    path = copy_fresh(NOTEBOOKS / f"{stem}.ipynb", lab, "broken-lesson.ipynb")
    nb = nbformat.read(path, as_version=4)
    first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells.insert(first_code + 1, nbformat.v4.new_code_cell(BROKEN))
    nbformat.write(nb, path)
    with open_lesson(browser, lab, path.name) as lesson:
        run_all(lesson)
        with pytest.raises(AssertionError, match="RuntimeError: a deliberately broken lesson cell") as caught:
            check_no_errors(lesson.page)
        assert "did not run" in str(caught.value)  # Run All stopped at the error
        # So the lesson's timer and quiz never appeared either.
        with pytest.raises(AssertionError, match=r"expected 1 live \.sk-timer but found 0"):
            check_widgets_render(lesson.page, {TIMER: 1, QUIZ: 1}, timeout_s=1)


def broken_modules(lab: Lab) -> dict[str, Path]:
    """Copies of the real timer module, broken two ways, in the lab's folder."""
    source = TIMER_JS.read_text(encoding="utf-8")
    marker = "function render({ model, el }) {"
    assert marker in source, "timer.js changed: update this test's way of breaking it"
    files = {
        # A module that does not parse (an edit gone wrong, a file cut short).
        "syntax": source[: len(source) // 2],
        # A module that loads but throws as soon as it draws.
        "throws": source.replace(marker, marker + '\n  throw new Error("a deliberately broken widget");'),
    }
    paths = {}
    for kind, text in files.items():
        paths[kind] = lab.root / f"broken-timer-{kind}.js"
        paths[kind].write_text(text, encoding="utf-8")
    return paths


@pytest.mark.lab
def test_broken_widgets_fail_the_render_checks(browser: Any, lab: Lab) -> None:
    broken = broken_modules(lab)
    cells = [
        # 0: the real timer: passes.
        "from pathlib import Path\n"
        "from stretchkit import Quiz, StretchTimer, load_course\n"
        "course = load_course()\n"
        'StretchTimer.for_technique(course.technique("childs-pose"))',
        # 1, 2: the timer with a broken copy of its module.
        f"class SyntaxBroken(StretchTimer):\n    _esm = Path({str(broken['syntax'])!r})\n"
        'SyntaxBroken.for_technique(course.technique("childs-pose"))',
        f"class ThrowsInRender(StretchTimer):\n    _esm = Path({str(broken['throws'])!r})\n"
        'ThrowsInRender.for_technique(course.technique("childs-pose"))',
        # 3: what a learner sees where widgets cannot render: the text and HTML fallback.
        "from IPython.display import HTML, display\n"
        'bundle = StretchTimer.for_technique(course.technique("childs-pose"))._repr_mimebundle_()\n'
        "data = bundle[0] if isinstance(bundle, tuple) else bundle\n"
        'display({k: v for k, v in data.items() if k.startswith("text/")}, raw=True)',
        # 4: the real quiz: passes.
        'Quiz.from_course(course, topic="childs-pose", n=3, seed=1)',
        # 5: a control with no accessible name inside a course widget's root.
        'HTML(\'<section class="sk-check"><button type="button"></button></section>\')',
        # 6: an output that asks another site for an image.
        'HTML(\'<img alt="" src="https://example.com/pixel.png">\')',
    ]
    write_notebook(lab, "broken-widgets.ipynb", cells)
    with open_lesson(browser, lab, "broken-widgets.ipynb") as lesson:
        run_all(lesson)
        page = lesson.page
        check_no_errors(page)  # Python is fine: only the front end is broken
        check_widgets_render(lesson.code_cell(0), {TIMER: 1})
        check_widgets_render(lesson.code_cell(4), {QUIZ: 1})
        with pytest.raises(AssertionError, match="failed to load"):
            check_widgets_render(lesson.code_cell(1), {TIMER: 1}, timeout_s=5)
        with pytest.raises(AssertionError, match="stayed empty"):
            check_widgets_render(lesson.code_cell(2), {TIMER: 1}, timeout_s=5)
        with pytest.raises(AssertionError, match="text fallback"):
            check_widgets_render(lesson.code_cell(3), {TIMER: 1}, timeout_s=5)
        with pytest.raises(AssertionError, match="a widget failed to load"):
            check_widgets_render(page, timeout_s=5)  # the whole notebook, as the suite checks it
        with pytest.raises(AssertionError, match="a deliberately broken widget"):
            check_no_page_errors(lesson)
        with pytest.raises(AssertionError, match=r"button-name \(critical\)"):
            check_accessibility(page, [".sk-check"])
        check_accessibility(page, [QUIZ])  # the real quiz is fine
        with pytest.raises(AssertionError, match=re.escape("https://example.com/pixel.png")):
            check_local_requests(lesson.requests, lab, lesson.blocked)
        assert set(lesson.blocked) == {"https://example.com/pixel.png"}


def test_requests_check_allows_only_the_labs_own_server() -> None:
    lab = Lab("http://127.0.0.1:8123/", "token", Path("/nowhere"), Path("/nowhere/log"))
    local = [
        "http://127.0.0.1:8123/lab/tree/x.ipynb",
        "ws://127.0.0.1:8123/api/kernels/1/channels",
        "data:image/svg+xml;base64,AAAA",
        "blob:http://127.0.0.1:8123/1234",
    ]
    check_local_requests(local, lab)
    for outside in ("https://cdn.example.org/x.js", "http://127.0.0.1:9999/", "http://localhost:8123/"):
        with pytest.raises(AssertionError, match="left localhost"):
            check_local_requests([*local, outside], lab)
    with pytest.raises(AssertionError, match="blocked"):
        check_local_requests(local, lab, blocked=["https://fonts.example.org/a.woff2"])


# --- the gate: no silent skip in CI ----------------------------------------------------------------


def run_without_chromium(ci: bool) -> subprocess.CompletedProcess[str]:
    """Run a small browser test file in a child pytest, with Chromium 'missing'."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS")}
    env["STRETCHKIT_CHROMIUM"] = "/nonexistent/chromium"
    if ci:
        env["CI"] = "true"
    small = "tests/browser/test_quiz_page.py"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", small]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_without_chromium_a_local_run_skips_and_says_how_to_enable() -> None:
    result = run_without_chromium(ci=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "browser tests were skipped" in result.stdout
    assert "apt-get install chromium" in result.stdout and "STRETCHKIT_CHROMIUM" in result.stdout
    assert " passed" not in result.stdout


def test_without_chromium_a_ci_run_fails() -> None:
    result = run_without_chromium(ci=True)
    assert result.returncode not in (0, 5), result.stdout + result.stderr
    assert "CI requires the browser tests" in result.stdout + result.stderr
