"""The static JupyterLite site (``make lite``): the course in the browser's own Python, offline.

The site is built once per session (or reused when ``_site/`` is newer than its sources) and
served on 127.0.0.1; every request to any other host is aborted, and each test asserts that
none was even attempted. Every lesson runs clean there, as a learner runs it (Run All),
with what each one shows checked; a timer and a quiz are operated; a guided session is saved
in lesson 08, the page is reloaded, and the session is still in the journal (the browser's
storage). The lessons share one browser context, as one learner's browser does, so the
site's files are fetched once and the journal outlives a reload.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import nbformat
import pytest

from stretchkit import load_course, plan_for_technique
from stretchkit.handout import PRINT_BUTTON, PRINT_ELSEWHERE
from stretchkit.lessons import lesson_stem
from stretchkit.spine import why_alt
from stretchkit.wording import plural
from tests.browser.course import (
    BUILDER,
    CHECK,
    CHECKLIST,
    NOTEBOOKS,
    QUIZ,
    SESSION,
    TIMER,
    answer_with_mouse,
    build_and_follow_one_stretch,
    check_answers_correct,
    check_no_errors,
    check_widgets_render,
    exercise_timer,
    hide_and_show,
    quiz_in,
    save_screenshot,
    wait_for,
)
from tests.browser.lab import CELL, run_all_cells, run_cell
from tests.browser.lite import (
    LitePage,
    LiteSite,
    close_all_tabs,
    new_lite_page,
    new_notebook,
    open_in_lite,
    type_and_run,
)

pytestmark = pytest.mark.lite

COURSE = load_course()
LESSONS = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
ROUTINE = "08-your-routine.ipynb"
#: A Vega chart as vega-embed draws it, named by the chart's description (its alt text).
CHART = ".vega-embed [role='graphics-document'][aria-label^='{}']"
#: The live widgets each lesson draws (the journal view is an ipywidgets box, checked apart).
WIDGETS: dict[str, dict[str, int]] = {
    "00": {CHECK: 1},
    "01": {},
    # A stretch's own timer, then one per adapted position (its chair version).
    **{lesson_stem(t.slug)[:2]: {TIMER: 1 + len(t.alternatives), QUIZ: 1} for t in COURSE.techniques},
    "07": {TIMER: 1, CHECKLIST: 1},
    "08": {BUILDER: 1, SESSION: 1, TIMER: 1},
    "09": {QUIZ: 1},
}


def check_offline(lp: LitePage) -> None:
    """Nothing left the site's own host: no request was blocked, none went elsewhere."""
    assert not lp.off_host(), "requests off the site's host:\n" + "\n".join(lp.off_host())
    assert not lp.errors, "uncaught errors in the page:\n" + "\n".join(lp.errors)
    # Pyodide itself came from the site, not from a CDN.
    assert any(p.startswith("/static/pyodide/pyodide.asm.wasm") for p in lp.site.served)


@pytest.fixture(scope="module")
def learner(browser: Any, lite_site: LiteSite) -> Iterator[LitePage]:
    """One learner's browser for the whole module: its storage (and journal) persists."""
    with new_lite_page(browser, lite_site) as lp:
        yield lp


def cell_index(name: str, contains: str) -> int:
    """The index (among all cells) of the first code cell of lesson ``name`` containing ``contains``."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and contains in c.source)


def outputs(page: Any, name: str, contains: str) -> Any:
    return page.locator(CELL).nth(cell_index(name, contains)).locator(".jp-Cell-outputArea")


def images(scope: Any) -> list[dict[str, str]]:
    found: list[dict[str, str]] = scope.locator("img").evaluate_all(
        "els => els.map(e => ({alt: e.alt, src: e.src.slice(0, 30), width: String(e.naturalWidth)}))"
    )
    return found


def test_saved_outputs_read_correctly_before_any_cell_runs(learner: LitePage) -> None:
    """Lesson 00's safety notice, as saved, is lists under their headings before anything runs.

    The site's copy of a notebook keeps no list of lines for the page to show unjoined
    (jupyterlite/jupyterlite#1105): each red flag is an item of its own.
    """
    name = LESSONS[0]
    open_in_lite(learner, name)
    notice = outputs(
        learner.page, name, "before_you_start()"
    )  # "Is this course right for me?", then the notice
    headings = [h.strip().rstrip("¶") for h in notice.locator("h3").all_text_contents()]
    wanted = ["While you stretch", "Get help urgently", "See a doctor or physiotherapist if"]
    assert [h for h in headings if h in wanted] == wanted, headings
    items = [i.strip().lower() for i in notice.locator("li").all_text_contents()]
    safety = COURSE.safety
    flags = [*safety.stop_when, *safety.emergency, *safety.urgent, *safety.see_professional]
    rest = iter(items)  # each stop rule and red flag is a list item of its own, in order
    for flag in flags:
        start = flag.text.rstrip(".")[:40].lower()
        assert any(item.startswith(start) for item in rest), (flag.text, items)
    text = notice.text_content() or ""
    assert "###" not in text and ", ,-" not in text, text
    notice.scroll_into_view_if_needed()
    save_screenshot(learner.page, "lite-00-saved-safety-notice")
    check_offline(learner)


@pytest.mark.parametrize("name", LESSONS)
def test_every_lesson_runs_clean_offline(learner: LitePage, name: str) -> None:
    open_in_lite(learner, name)
    page = learner.page
    run_all_cells(page)
    check_no_errors(page)
    check_widgets_render(page, WIDGETS[name[:2]])
    stem = name.removesuffix(".ipynb")
    technique = next((t for t in COURSE.techniques if lesson_stem(t.slug) == stem), None)
    if name.startswith("00"):
        said = outputs(page, name, "check_environment()").text_content() or ""
        assert "All set, in the browser version" in said and "matplotlib" not in said, said
    elif name.startswith("01") or technique is not None:
        # The illustration, from the SVG shipped in the package, with the course's alt text.
        where = outputs(page, name, "why_diagram(" if technique is None else "illustration(")
        alt = why_alt() if technique is None else technique.illustration_alt
        (img,) = images(where)
        assert img["alt"] == alt and img["src"].startswith("data:image/svg+xml") and int(img["width"]) > 100
    elif name == ROUTINE:
        view = outputs(page, name, "JournalView()")
        assert "Your journal lives in this web browser" in (view.text_content() or "")
        chart = view.locator(CHART.format("Minutes stretched per day")).first
        wait_for(lambda: chart.count() > 0, "the minutes chart is drawn by the site's Vega renderer", 20)
        handout = outputs(page, name, "handouts()").text_content() or ""
        assert "The PDF handout needs the course installed on a computer" in handout, handout
    save_screenshot(page, f"lite-{stem}")
    check_offline(learner)


def test_a_timer_and_a_quiz_work_in_the_site(learner: LitePage) -> None:
    name = f"{lesson_stem('cat-camel')}.ipynb"
    quiz = quiz_in(NOTEBOOKS / name)
    open_in_lite(learner, name)
    page = learner.page
    run_all_cells(page)
    technique = COURSE.technique("cat-camel")
    check_widgets_render(page, WIDGETS[name[:2]])
    root = page.locator(TIMER).first  # the stretch's own timer; its chair version's comes after
    exercise_timer(root, phases=len(plan_for_technique(technique).phases), last_seconds=0, finish="skip")
    quiz_root = page.locator(QUIZ)
    for q in quiz.questions:
        answer_with_mouse(quiz_root, q, quiz.solution()[q.id])
    check_answers_correct(quiz_root, quiz.questions)
    assert not quiz_root.locator(".sk-quiz-notice").text_content(), "the quiz reported a problem"
    check_offline(learner)


def test_a_guided_session_is_saved_and_survives_a_reload(learner: LitePage) -> None:
    page = learner.page
    open_in_lite(learner, ROUTINE)
    run_all_cells(page)
    check_widgets_render(page, WIDGETS["08"])
    view = outputs(page, ROUTINE, "JournalView()")
    before = view.text_content() or ""
    assert "Your journal: no sessions yet." in before, before

    # Build a one-stretch routine at its shortest hold, follow it to the end.
    run = build_and_follow_one_stretch(
        page,
        run_session=lambda: run_cell(page, cell_index(ROUTINE, "GuidedSession(")),
        pain_before=4,
        timeout_s=15,
    )
    # The journal view follows without re-running its cell.
    wait_for(lambda: "Your journal: 1 session" in (view.text_content() or ""), "the view shows it", 20)
    bars = view.locator(CHART.format("Bar chart of minutes stretched per day")).first
    wait_for(lambda: bars.count() > 0, "the minutes chart shows the session", 20)
    assert "practice in 1 of 14 days" in (bars.get_attribute("aria-label") or "")
    save_screenshot(page, "lite-08-session-saved")

    # Reload the page: the journal is read back from the browser's storage.
    page.reload()
    open_in_lite(learner, ROUTINE)
    run_all_cells(page)
    check_no_errors(page)
    view = outputs(page, ROUTINE, "JournalView()")
    wait_for(lambda: "Your journal: 1 session" in (view.text_content() or ""), "the session outlived", 20)
    out = type_and_run_below(
        page, "from stretchkit import Journal\n[(s.techniques, s.pain_before) for s in Journal().sessions()]"
    )
    assert f"[(('{run.technique.slug}',), 4)]" in out, out
    check_offline(learner)


def test_a_journal_view_counts_a_session_saved_in_another_tab(learner: LitePage) -> None:
    """Two tabs of the site on lesson 08, each with its own Python: a session saved in the
    second shows in the first's journal view once the learner comes back to it."""
    first = learner.page
    open_in_lite(learner, ROUTINE)
    run_all_cells(first)
    view = outputs(first, ROUTINE, "JournalView()")
    wait_for(lambda: "Your journal: " in (view.text_content() or ""), "the journal view is drawn", 20)
    said = view.text_content() or ""
    before = 0 if "no sessions yet" in said else int(said.split("Your journal: ", 1)[1].split()[0])
    second = LitePage(first.context.new_page(), learner.site)
    try:
        open_in_lite(second, ROUTINE)
        run_all_cells(second.page)
        check_no_errors(second.page)
        build_and_follow_one_stretch(second.page, pain_before=1, timeout_s=20)
    finally:
        second.page.close()
    first.bring_to_front()
    counted = f"Your journal: {plural(before, 'session')}," if before else "Your journal: no sessions yet"
    assert counted in (view.text_content() or ""), "nothing in the first tab's Python heard the save"
    hide_and_show(first)
    now = f"Your journal: {plural(before + 1, 'session')}, the last on"
    wait_for(lambda: now in (view.text_content() or ""), "the first tab counts the second tab's session", 30)
    for _ in range(2):  # the cells around it are laid out as they come into view
        view.evaluate("e => e.scrollIntoView({ block: 'start' })")
        first.wait_for_timeout(500)
    save_screenshot(first, "lite-08-journal-after-another-tab")
    # The charts as the site draws them: the days in date order, the legends untitled (a spec's
    # null reaches the page as undefined in the site: the days would sort by name).
    days = view.locator(".vega-embed svg.marks").first.evaluate(CHART_X_LABELS)
    assert len(days) > 1 and days == sorted(days, key=_shown_day), days
    words = [t.strip() for t in view.locator(".vega-embed svg.marks text").all_text_contents()]
    assert "when" not in words and "kind" not in words, "a legend is titled with its field's name"
    check_offline(learner)


#: The x axis's labels of a chart's SVG, left to right.
CHART_X_LABELS = (
    "svg => [...svg.querySelectorAll(\"[aria-label^='X-axis'] .role-axis-label text\")]"
    ".map(t => t.textContent)"
)


def _shown_day(label: str) -> date:
    """The date a minutes chart's label ('Wed 2 Dec') names: the last such day up to today."""
    today = date.today()
    day = datetime.strptime(f"{label.split(' ', 1)[1]} {today.year}", "%d %b %Y").date()
    return day if day <= today else day.replace(year=today.year - 1)


def type_and_run_below(page: Any, code: str) -> str:
    """Add a cell at the end of the notebook, then type and run ``code`` in it."""
    last = page.locator(CELL).count() - 1
    page.locator(CELL).nth(last).click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    return type_and_run(page, code)


def test_course_imports_and_a_timer_render_in_a_new_notebook(learner: LitePage) -> None:
    new_notebook(learner)
    page = learner.page
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
    check_offline(learner)


#: Counts the print dialogs a page asked for, in place of opening one.
STUB_PRINT = "window.print = () => { window.printed = (window.printed || 0) + 1; };"


def _prints(page: Any) -> None:
    """The page's Print button is there, and pressing it asks for the print dialog once."""
    page.get_by_role("button", name="Print this handout").click()
    wait_for(lambda: page.evaluate("window.printed || 0") == 1, "the print dialog was asked for", 10)
    assert page.locator("#sk-howto").text_content() == PRINT_BUTTON


def test_the_handout_prints_from_the_site(learner: LitePage, browser: Any, tmp_path: Path) -> None:
    """The site's file viewer is a sandboxed frame that ignores window.print(). The lesson's
    download link gives the handout, which prints once opened; in the viewer the page says
    where printing works instead of showing a button that does nothing, and the file browser's
    Download it points to gives the same page. (Its "Open in New Browser Tab" is no way out
    here: tried in this site, the new tab stayed blank, so the page does not suggest it.)"""
    page = learner.page
    page.context.add_init_script(STUB_PRINT)
    open_in_lite(learner, ROUTINE)
    run_all_cells(page)
    link = outputs(page, ROUTINE, "handouts()").get_by_role("link", name="Download my-routine.html")
    link.scroll_into_view_if_needed()
    save_screenshot(page, "lite-08-handout-download")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "my-routine.html"
    saved = tmp_path / download.suggested_filename  # as the browser saves it, in the Downloads
    download.save_as(saved)
    got = saved.read_bytes()
    stored = type_and_run_below(
        page,
        "import hashlib; print(hashlib.sha256(open('my-files/my-routine.html', 'rb').read()).hexdigest())",
    )
    assert stored.strip() == hashlib.sha256(got).hexdigest(), "the download is the handout the lesson wrote"

    # Opened from the downloads, outside the site, the page prints.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        opened = context.new_page()
        opened.add_init_script(STUB_PRINT)
        opened.goto(saved.as_uri())
        _prints(opened)
        save_screenshot(opened, "lite-handout-downloaded-390")
    finally:
        context.close()

    # In the site's HTML viewer: the note, and no button, trusted (its script runs) or not.
    close_all_tabs(page)
    page.goto(learner.site.lab_url("my-files/my-routine.html"))
    frame = page.frame_locator(".jp-HTMLViewer iframe")
    note = frame.locator("#sk-howto")
    for trusted in (False, True):
        if trusted:
            page.get_by_role("button", name="Trust HTML").click()
        wait_for(lambda: note.count() == 1 and note.text_content() == PRINT_ELSEWHERE, "the note", 20)
        assert not frame.locator("#sk-print").is_visible(), "no button that cannot print"
    save_screenshot(page, "lite-handout-viewer")

    # The note's other way out: the file browser's Download gives the same page.
    listing = page.locator(".jp-DirListing-item")
    if not listing.filter(has_text="my-routine.html").count():  # the learner's folder, from the top
        listing.filter(has_text="my-files").first.dblclick()
    item = listing.filter(has_text="my-routine.html").first
    item.wait_for(timeout=10_000)
    item.click(button="right")
    with page.expect_download() as info:
        page.locator(".lm-Menu-item", has_text="Download").first.click()
    again = tmp_path / "again.html"
    info.value.save_as(again)
    assert again.read_bytes() == got
    check_offline(learner)
