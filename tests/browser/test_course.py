"""The whole course in a real JupyterLab and Chromium, used the way a learner uses it.

Each lesson is copied into the lab's root with its outputs cleared, opened in its own page,
and run with Run ▸ Run All Cells. Then, for every lesson: no cell failed or wrote to stderr,
every widget renders as a live widget (not as text), the learner's interactions work, axe-core
finds no serious or critical violation inside the course's widgets, every request stayed on
the lab's own server, and a screenshot is saved to test-output/screenshots/ for review.
Last, keys pressed on a widget's controls must stay with the widget (not notebook shortcuts).

Timers are exercised through their own controls (lower the hold, start, pause, resume, skip,
let a short last phase run out), so the suite needs no fake clock; the real-time accuracy
check lives in test_timer_lab.py and the slideshow in test_slides.py.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

import pytest

from stretchkit import Journal, Routine, RoutineItem, Technique, load_course, plan_for_technique
from stretchkit.charts import EMPTY as NO_SESSIONS
from stretchkit.lessons import lesson_stem
from stretchkit.routine import summary_line
from stretchkit.wording import plural
from tests.browser.course import (
    BUILDER,
    CHECK,
    CHECKLIST,
    NOTEBOOKS,
    QUIZ,
    SESSION,
    TIMER,
    Lesson,
    answer_rounds_with_keyboard,
    answer_with_keyboard,
    answer_with_mouse,
    build_and_follow_one_stretch,
    check_accessibility,
    check_answers_correct,
    check_local_requests,
    check_no_errors,
    check_no_page_errors,
    check_no_popups,
    check_widgets_render,
    clock,
    code_index,
    copy_fresh,
    dark_theme,
    exercise_timer,
    hide_and_show,
    lab_journal,
    lower_setting,
    open_lesson,
    quiz_in,
    run_all,
    save_screenshot,
    saved_answers,
    shortcut_leaks,
    tab_to,
    timer_text,
    type_into,
    wait_for,
    warm_matplotlib,
    whole_notebook_in_view,
)
from tests.browser.lab import Lab, write_notebook

pytestmark = pytest.mark.lab

COURSE = load_course()
TECHNIQUES = [t.slug for t in COURSE.techniques]
START, WHY = lesson_stem("safety"), lesson_stem("why")
HABITS = lesson_stem("habits")
ROUTINE, CHECK_YOURSELF = "08-your-routine", "09-check-yourself"
#: A Vega chart as vega-embed draws it, named by the chart's description (its alt text).
CHART = ".vega-embed [role='graphics-document'][aria-label^='{}']"
#: Each chart drawn in an element: its text under 12 px as drawn on the screen (font size times
#: the SVG's scale), and the angles its x axis's labels are turned by (0: level).
CHART_TEXT = """(root) => [...root.querySelectorAll(".vega-embed [role='graphics-document']")].map(chart => {
  const svg = chart.querySelector("svg.marks");
  const scale = svg.getBoundingClientRect().width / svg.width.baseVal.value;
  const small = [...svg.querySelectorAll("text")]
    .filter(t => t.textContent.trim())
    .map(t => [t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize) * scale])
    .filter(([, px]) => px < 12)
    .map(([text, px]) => `${text} at ${px.toFixed(1)} px`);
  const labels = svg.querySelectorAll("[aria-label^='X-axis'] .role-axis-label text");
  const angles = [...new Set([...labels].map(t => {
    const turn = (t.getAttribute("transform") || "").match(/rotate\\((-?[0-9.]+)/);
    return turn ? ((Number(turn[1]) % 360) + 360) % 360 : 0;
  }))];
  return { chart: chart.getAttribute("aria-label").slice(0, 40), small, angles };
})"""


@pytest.fixture(scope="module")
def course_lab(jupyterlab: Lab) -> Lab:
    """The lab with every lesson copied in fresh (no outputs), as a learner's checkout would be."""
    warm_matplotlib(jupyterlab)
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")):
        copy_fresh(path, jupyterlab)
    return jupyterlab


@contextlib.contextmanager
def lesson_run(browser: Any, lab: Lab, stem: str, widgets: Mapping[str, int]) -> Iterator[Lesson]:
    """Open and run a lesson and check it renders; after the test's own steps, check the rest."""
    with open_lesson(browser, lab, f"{stem}.ipynb") as lesson:
        finished = False
        try:
            run_all(lesson)
            check_no_errors(lesson.page)
            check_widgets_render(lesson.page, widgets)
            yield lesson
            finished = True
        finally:
            if not finished:  # still keep a picture of what went wrong
                with contextlib.suppress(Exception):
                    save_screenshot(lesson.page, stem)
        with whole_notebook_in_view(lesson.page):
            save_screenshot(lesson.page, stem)
            check_accessibility(lesson.page)
            with dark_theme(lesson.page):
                save_screenshot(lesson.page, f"{stem}-dark")
                check_accessibility(lesson.page)
        check_no_page_errors(lesson)
        check_no_popups(lesson.page)
        check_local_requests(lesson.requests, lab, lesson.blocked)
        assert lesson.requests, "no requests were recorded at all"


def test_every_lesson_is_covered() -> None:
    covered = {START, WHY, *(lesson_stem(s) for s in TECHNIQUES), HABITS, ROUTINE, CHECK_YOURSELF}
    assert {p.stem for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")} == covered


def test_start_here_widget_check_answers(browser: Any, course_lab: Lab) -> None:
    with lesson_run(browser, course_lab, START, {CHECK: 1}) as lesson:
        # The contents list, where every lesson's "Contents" link leads, shows every lesson.
        contents = lesson.page.locator(".jp-MarkdownCell", has=lesson.page.locator("h2", has_text="Contents"))
        links = contents.locator("li a")
        hrefs = links.evaluate_all("els => els.map(e => new URL(e.href).pathname.split('/').pop())")
        assert hrefs == [p.name for p in sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))], hrefs
        assert all(t.strip() for t in links.all_text_contents())
        check = lesson.page.locator(CHECK)
        check.get_by_role("button", name="Check").click()
        status = check.get_by_role("status")
        wait_for(lambda: "kernel answered" in (status.text_content() or ""), "the kernel answered", 10)


def test_why_stretching_helps(browser: Any, course_lab: Lab) -> None:
    with lesson_run(browser, course_lab, WHY, {}) as lesson:
        assert lesson.page.locator(".jp-OutputArea-output img, .jp-OutputArea-output svg").count() > 0


@pytest.mark.parametrize("slug", TECHNIQUES)
def test_technique_lesson(browser: Any, course_lab: Lab, slug: str) -> None:
    technique = COURSE.technique(slug)
    stem = lesson_stem(slug)
    quiz = quiz_in(NOTEBOOKS / f"{stem}.ipynb")
    before = len(saved_answers(course_lab, quiz.quiz_id))
    timers = 1 + len(technique.alternatives)  # the stretch's own, then one per adapted position
    with lesson_run(browser, course_lab, stem, {TIMER: timers, QUIZ: 1}) as lesson:
        page = lesson.page

        # What the lesson shows, in order: the cautions and the chair version come before the
        # timers, so a learner reads when to stop before starting.
        def top(text: str) -> float:
            box = (
                page.locator(".jp-NotebookPanel .jp-RenderedHTMLCommon")
                .get_by_text(text)
                .first.bounding_box()
            )
            assert box is not None, f"{text!r} is not shown"
            return float(box["y"])

        with whole_notebook_in_view(page):
            timer_at = top("Try it with the timer")
            assert top("Cautions and common mistakes") < timer_at
            assert top(technique.cautions[0].text) < timer_at
            if technique.alternatives:
                assert top("If you can't get down to the floor") < timer_at
            for a in technique.alternatives:
                assert top(a.steps[0]) < timer_at
                label = page.locator(TIMER).nth(1 + technique.alternatives.index(a))
                assert a.name in (label.text_content() or "")
                assert page.locator(f'img[alt="{a.illustration_alt}"]').count() == 1

        # The timer: shorten it with its own control, then start, pause, resume, skip, complete.
        root = page.locator(TIMER).first
        assert root.get_attribute("role") == "timer" and root.get_attribute("data-state") == "idle"
        lowest = lower_setting(root)
        if technique.is_movement:
            assert lowest < technique.reps
            plan = plan_for_technique(technique, reps=int(lowest))
        else:
            assert technique.hold_seconds is not None and lowest < technique.hold_seconds
            plan = plan_for_technique(technique, hold=lowest)
        wait_for(
            lambda: timer_text(root, ".sk-plan-left") == f"{clock(plan.total_seconds)} left",
            "Python sent back the shorter plan",
            15,
        )
        exercise_timer(root, phases=len(plan.phases), last_seconds=plan.phases[-2].seconds)

        # The quiz with the mouse...
        quiz_root = page.locator(QUIZ)
        for q in quiz.questions:
            answer_with_mouse(quiz_root, q, quiz.solution()[q.id])
        check_answers_correct(quiz_root, quiz.questions)
        # ... then Try again and the new shuffle with the keyboard alone.
        tab_to(page, ".sk-quiz-retry")
        page.keyboard.press("Enter")
        quiz.try_again()
        ids = [q.id for q in quiz.questions]
        shown = quiz_root.locator("fieldset")
        wait_for(
            lambda: (
                shown.evaluate_all("els => els.map(e => e.dataset.id)") == ids
                and not quiz_root.locator(".sk-quiz-summary").text_content()
            ),
            "the reshuffled quiz came back from Python",
            10,
        )
        for q in quiz.questions:
            answer_with_keyboard(page, q, quiz.solution()[q.id])
        check_answers_correct(quiz_root, quiz.questions)

        # Python graded every answer and saved it to the journal.
        wanted = before + 2 * len(ids)
        try:
            wait_for(
                lambda: len(saved_answers(course_lab, quiz.quiz_id)) == wanted,
                "every answer was saved to the journal",
                30,  # twelve journal writes from the kernel: seconds on a busy two-core machine
            )
        except AssertionError as exc:  # say what the journal has, to tell a lost answer from an extra one
            got = saved_answers(course_lab, quiz.quiz_id)[before:]
            kept = [(a.question_id, a.correct) for a in got]
            notice = quiz_root.locator(".sk-quiz-notice").text_content()
            said = f"wanted {wanted - before} new answers, the journal has {kept}; the quiz says {notice!r}"
            raise AssertionError(f"{exc}: {said}\n{course_lab.log_tail()}") from None
        assert all(a.correct for a in saved_answers(course_lab, quiz.quiz_id)[before:])
        assert not quiz_root.locator(".sk-quiz-notice").text_content(), "the quiz reported a problem"


def test_everyday_habits_break_reminder(browser: Any, course_lab: Lab) -> None:
    with lesson_run(browser, course_lab, HABITS, {TIMER: 1, CHECKLIST: 1}) as lesson:
        root = lesson.page.locator(TIMER)
        # The lesson promises: choose the minutes, set it to repeat.
        assert root.locator(".sk-adjust").is_visible() and timer_text(root, ".sk-setting") == "30 min"
        assert root.get_by_role("checkbox", name="Repeat").is_visible()
        # The checklist's boxes tick, by mouse and by keyboard, in JupyterLab.
        checklist = lesson.page.locator(CHECKLIST)
        boxes = checklist.get_by_role("checkbox")
        assert boxes.count() == sum(len(t.actions) for t in COURSE.tips)
        boxes.nth(0).click()
        lesson.page.keyboard.press("Tab")
        lesson.page.keyboard.press("Space")
        assert boxes.nth(0).is_checked() and boxes.nth(1).is_checked() and not boxes.nth(2).is_checked()
        # One long sitting spell: Skip ends it, as the learner's "I'm getting up now".
        exercise_timer(root, phases=2, last_seconds=0, finish="skip")
        assert "break" in timer_text(root, ".sk-phase").lower()


def test_routine_records_a_session_that_shows_in_the_journal(browser: Any, course_lab: Lab) -> None:
    path = course_lab.root / f"{ROUTINE}.ipynb"
    with Journal(lab_journal(course_lab)) as journal:
        before = len(journal.sessions())
    with lesson_run(browser, course_lab, ROUTINE, {BUILDER: 1, SESSION: 1, TIMER: 1}) as lesson:
        page = lesson.page

        def keeps_its_most(row: Any, hold_box: Any) -> None:
            """90 s is more than the course suggests: the box keeps its most, and says so."""
            note = row.locator(".stretchkit-limit-note [role=status]")
            assert note.count() == 0
            type_into(page, hold_box, "90")
            least, most = f"{COURSE.routine.hold_min:g}", f"{COURSE.routine.hold_max:g}"
            wait_for(lambda: note.count() == 1 and note.is_visible(), "the hold box says why it made 60", 10)
            assert hold_box.input_value() == most
            said = f"Holds of this stretch stay between {least} and {most} s (ACSM): made it {most} s"
            assert note.inner_text() == said
            save_screenshot(row, f"{ROUTINE}-hold-limit")

        # Build a short routine (one stretch, its shortest hold), then follow it without
        # running another cell: the guided session follows the builder. Rate pain, play the
        # timer to the end.
        run = build_and_follow_one_stretch(page, pain_before=3, at_the_hold_box=keeps_its_most)
        first, hold, plan, started = run.technique, run.hold, run.plan, run.started
        session, root, status = run.session, run.timer, run.status
        assert "complete: the stretch done" in (status.text_content() or "")
        # What the browser timed: from Start to the end, less the pause and the waits for Ready
        # (down to the floor and up: no stretching time), in its own clock.
        times = root.evaluate("el => [el.dataset.startedAt, el.dataset.completedAt, el.dataset.pausedMs]")
        spent = (float(times[1]) - float(times[0]) - float(times[2])) / 1000 - run.waited
        assert run.waited > 2, run.waited  # both waits were seen before Ready was pressed

        # Add pain after and a note, and update the entry.
        session.locator(".widget-dropdown", has_text="Pain after").locator("select").select_option(label="1")
        session.locator("textarea").fill("Felt looser afterwards.")
        session.get_by_role("button", name="Update journal entry").click()
        wait_for(
            lambda: "Journal entry updated" in (status.text_content() or ""), "the entry was updated", 10
        )

        with Journal(lab_journal(course_lab)) as journal:
            sessions = journal.sessions()
        assert len(sessions) == before + 1
        record = sessions[-1]
        assert record.techniques == (first.slug,)
        # The time spent, not the routine's nominal length: most of getting ready was
        # skipped, and the pause and the waits are not counted; the start is when Start was pressed.
        assert record.duration_seconds == pytest.approx(spent, abs=0.25), (record, spent)
        assert hold <= record.duration_seconds < plan.total_seconds - 2
        assert record.planned_seconds == plan.total_seconds
        assert started - timedelta(seconds=1.5) <= record.started_at <= started + timedelta(seconds=1), (
            record.started_at,
            started,
        )
        assert (record.status, record.done, record.skipped) == ("complete", (first.slug,), ())
        assert (record.pain_before, record.pain_after, record.note) == (3, 1, "Felt looser afterwards.")

        # The journal's view, run once before the session, shows it without re-running its
        # cell: the status line, the minutes chart (Vega-Lite, drawn as SVG) and the CSV.
        view = lesson.code_cell(code_index(path, "JournalView()"))
        said = f"Your journal: {plural(before + 1, 'session')}, the last on"
        wait_for(lambda: said in (view.text_content() or ""), "the view counts the new session", 15)
        chart = view.locator(CHART.format("Bar chart of minutes stretched per day")).first
        wait_for(lambda: chart.count() > 0, "the minutes chart is drawn", 15)
        alt = chart.get_attribute("aria-label") or ""
        assert NO_SESSIONS not in alt and "practice in 1 of" in alt, alt
        assert "Minutes stretched per day" in (view.locator("svg").first.text_content() or "")
        # Every chart's words at 12 px or more; x labels level where they fit (one session's
        # pain, eight weeks of streak), and a fortnight's days slanted, never stood on end. The
        # fourth is the everyday goal's, below the three: empty (no labels) until a goal is rated.
        drawn_charts = view.locator(".vega-embed [role='graphics-document'] svg.marks")
        wait_for(lambda: drawn_charts.count() == 4, "the four charts are drawn", 15)
        drawn = view.evaluate(CHART_TEXT)
        assert [d["small"] for d in drawn] == [[], [], [], []], drawn
        assert [d["angles"] for d in drawn[:3]] == [[315], [0], [0]], drawn
        goal_alt = ("Your everyday goal beside your pain: No", "Line charts on one date axis. Your")
        assert drawn[3]["chart"].startswith(goal_alt) and drawn[3]["angles"] in ([], [0]), drawn
        view.scroll_into_view_if_needed()
        save_screenshot(lesson.page, "08-journal-view-after-a-session")
        with (course_lab.root / "my-files" / "my-sessions.csv").open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert len(rows) == before + 1 and "Felt looser afterwards." in rows[-1].values()
        assert (rows[-1]["status"], rows[-1]["stretches_done"]) == ("complete", first.slug)
        assert float(rows[-1]["seconds_spent"]) == pytest.approx(spent, abs=0.25)


def test_a_routine_skipped_through_is_not_recorded_as_done(browser: Any, course_lab: Lab) -> None:
    with Journal(lab_journal(course_lab)) as journal:
        before = journal.sessions()
    with lesson_run(browser, course_lab, ROUTINE, {BUILDER: 1, SESSION: 1, TIMER: 1}) as lesson:
        session = lesson.page.locator(SESSION)
        root = session.locator(TIMER)
        # The builder's first routine: every stretch. Start it and skip straight through.
        root.get_by_role("button", name="Start", exact=True).click()
        skip = root.get_by_role("button", name="Skip", exact=True)
        for _ in range(200):
            if root.get_attribute("data-state") == "done":
                break
            skip.click()
        assert root.get_attribute("data-state") == "done"
        status = session.locator(".widget-html").last
        wait_for(
            lambda: "Not saved" in (status.text_content() or ""), "the session explains it was not saved", 10
        )
        said = status.text_content() or ""
        assert "every stretch was skipped" in said and "at least 50% of its holding" in said, said
        assert session.get_by_role("button", name="Save to journal").is_disabled()
        status.scroll_into_view_if_needed()
        save_screenshot(lesson.page, f"{ROUTINE}-skipped-through")
        with Journal(lab_journal(course_lab)) as journal:
            assert journal.sessions() == before, "nothing was recorded for a routine skipped through"


# --- lesson 08's widgets follow each other, and say what they did --------------------------------

PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}


def builder_row(page: Any, t: Technique) -> Any:
    """The builder's line for stretch ``t`` (its check box, hold, reps and rest)."""
    return page.locator(BUILDER).locator(".widget-hbox", has=page.get_by_label(t.name, exact=True))


def note_of(page: Any, row: Any, label: str) -> Any:
    """The note beside the number box labelled ``label`` in ``row``."""
    return row.locator(".widget-hbox", has=page.get_by_label(label, exact=True)).locator(
        ".stretchkit-limit-note"
    )


def text(element: Any) -> str:
    """What an element says (textContent: cells off screen are not laid out, so innerText is empty)."""
    return (element.text_content() or "").strip()


def at_both_sizes(page: Any, target: Any, name: str) -> None:
    """Screenshots of ``target`` on a phone (390 px) and a laptop (1280 px), for a person to look at."""
    size = page.viewport_size
    for label, viewport in (("390", PHONE), ("1280", LAPTOP)):
        page.set_viewport_size(viewport)
        page.wait_for_timeout(400)
        for _ in range(2):  # once more after the cells around it have been laid out at this width
            target.evaluate("e => e.scrollIntoView({ block: 'start' })")
            page.wait_for_timeout(500)
        save_screenshot(page, f"{name}-{label}")
    page.set_viewport_size(size)


def test_the_session_and_the_handouts_follow_the_builder(browser: Any, course_lab: Lab) -> None:
    path = course_lab.root / f"{ROUTINE}.ipynb"
    page_file = course_lab.root / "my-files" / "my-routine.html"
    with lesson_run(browser, course_lab, ROUTINE, {BUILDER: 1, SESSION: 1, TIMER: 1}) as lesson:
        page = lesson.page
        session = page.locator(SESSION)
        root = session.locator(TIMER)
        handouts = lesson.code_cell(code_index(path, "handouts()"))
        every = Routine()
        assert timer_text(root, ".sk-plan-left") == f"{clock(every.total_seconds)} left"
        wait_for(lambda: page_file.exists(), "the handouts were written", 60)
        assert page_file.read_text(encoding="utf-8").count("<h2") == len(every.items)

        # Keep the default routine's first two stretches, the first held 45 s; run no cell.
        first, second = (COURSE.technique(s) for s in every.techniques[:2])
        for t in COURSE.techniques:
            if t not in (first, second):
                page.locator(BUILDER).get_by_label(t.name, exact=True).uncheck()
        type_into(page, builder_row(page, first).get_by_label("Hold (s)", exact=True), "45")
        two = Routine([RoutineItem(first.slug, hold=45), RoutineItem(second.slug)])
        words = summary_line(two)
        wait_for(
            lambda: timer_text(root, ".sk-plan-left") == f"{clock(two.total_seconds)} left",
            "the guided session plays the two stretches without its cell run again",
            15,
        )
        assert words in (session.locator(".widget-html").first.text_content() or "")
        assert timer_text(root, ".sk-title") == two.title
        wait_for(
            lambda: f"Your handouts show {words}" in (handouts.text_content() or ""),
            "the handouts cell says it shows the new routine",
            90,
        )
        text = page_file.read_text(encoding="utf-8")
        assert text.count("<h2") == 2 and first.name.replace("'", "&#x27;") in text
        at_both_sizes(page, session, f"{ROUTINE}-session-follows")
        at_both_sizes(page, handouts, f"{ROUTINE}-handouts-follow")
        # The message links the files, and a link opens its file in JupyterLab.
        assert handouts.get_by_role("link", name="my-routine.pdf").count() == 1
        handouts.get_by_role("link", name="my-routine.html").click()
        opened = page.locator(".lm-TabBar-tab", has_text="my-routine.html")
        wait_for(lambda: opened.count() > 0, "the handout's web page opened in a JupyterLab tab", 20)
        page.locator(".lm-TabBar-tab", has_text=f"{ROUTINE}.ipynb").first.click()

        # A change while the timer runs waits: the run goes on as it started, until Reset.
        root.get_by_role("button", name="Start", exact=True).click()
        page.locator(BUILDER).get_by_label(second.name, exact=True).uncheck()
        waiting = session.locator("[role=status]", has_text="You changed the routine")
        wait_for(lambda: waiting.count() == 1, "the session says the change waits", 10)
        assert root.get_attribute("data-state") == "running"
        assert session.get_by_role("button", name="Play the changed routine now").is_visible()
        root.get_by_role("button", name="Pause", exact=True).click()
        at_both_sizes(page, session, f"{ROUTINE}-session-change-waits")
        one = Routine([RoutineItem(first.slug, hold=45)])
        root.get_by_role("button", name="Reset", exact=True).click()
        wait_for(
            lambda: timer_text(root, ".sk-plan-left") == f"{clock(one.total_seconds)} left",
            "after Reset the session plays the changed routine",
            15,
        )
        assert waiting.count() == 0
        assert session.get_by_role("button", name="Play the changed routine now").is_hidden()


def test_number_boxes_say_what_they_did_with_what_was_typed(browser: Any, course_lab: Lab) -> None:
    with lesson_run(browser, course_lab, ROUTINE, {BUILDER: 1, SESSION: 1, TIMER: 1}) as lesson:
        page = lesson.page
        builder = page.locator(BUILDER)
        t = next(t for t in COURSE.techniques if not t.is_movement)
        row = builder_row(page, t)
        hold, reps = row.get_by_label("Hold (s)", exact=True), row.get_by_label("Reps", exact=True)
        note, reps_note = note_of(page, row, "Hold (s)"), note_of(page, row, "Reps")
        limits = COURSE.routine
        least, most = f"{limits.hold_min:g}", f"{limits.hold_max:g}"
        assert text(note) == f"{least} to {most} s", "each hold box shows its stretch's range"
        own = f"{t.hold_seconds:g}"
        for typed, said, holds in [
            ("1e3", f"“1e3” is not a whole number: kept {own} s", own),
            ("12.5", f"“12.5” is not a whole number: kept {own} s", own),
            ("", f"The box was empty: kept {own} s", own),
            ("99", f"Holds of this stretch stay between {least} and {most} s (ACSM): made it {most} s", most),
        ]:
            type_into(page, hold, typed)
            wait_for(lambda: text(note) == said, f"the hold box answers {typed!r}", 10)  # noqa: B023
            assert hold.input_value() == holds
        type_into(page, reps, "9")
        low, high = limits.reps_min, limits.reps_max
        said = f"Reps stay between {low} and {high} (Mayo Clinic): made it {high}"
        wait_for(lambda: text(reps_note) == said, "the reps box says it was limited", 10)
        assert reps.input_value() == str(high)
        # A stretch whose own source advises a shorter hold (the seated twist's 5 s) goes down to it.
        for a in (a for p in COURSE.techniques for a in p.alternatives):
            if a.hold_seconds is not None and a.hold_seconds < limits.hold_min:
                shown = text(note_of(page, builder_row(page, a), "Hold (s)"))
                assert shown == f"{a.hold_seconds:g} s is the least for this stretch", shown
                assert f"for {a.name} {a.hold_seconds:g} to {most} s" in (builder.text_content() or "")
        # A pasted paragraph as the routine's name is refused, and quoted only in part.
        title = builder.get_by_label("Routine name", exact=True)
        title.fill("Morning " * 40)
        title.press("Tab")
        title_note = builder.locator("[role=status]", has_text="A routine name has at most 80 characters")
        wait_for(lambda: title_note.count() == 1, "the name box says it is too long", 10)
        assert len(text(title_note)) < 90 and "…" in text(title_note)
        at_both_sizes(page, row, f"{ROUTINE}-number-notes")
        title.fill("Evening")
        title.press("Tab")
        wait_for(lambda: title_note.count() == 0, "a good name clears the note", 10)


def test_a_journal_view_counts_a_session_saved_in_another_tab(browser: Any, course_lab: Lab) -> None:
    path = course_lab.root / f"{ROUTINE}.ipynb"
    other = copy_fresh(NOTEBOOKS / f"{ROUTINE}.ipynb", course_lab, f"{ROUTINE}-second-tab.ipynb")
    with Journal(lab_journal(course_lab)) as journal:
        before = len(journal.sessions())
    with lesson_run(browser, course_lab, ROUTINE, {BUILDER: 1, SESSION: 1, TIMER: 1}) as lesson:
        view = lesson.code_cell(code_index(path, "JournalView()"))
        said = f"Your journal: {plural(before, 'session')}" if before else "Your journal: no sessions yet"
        wait_for(lambda: said in (view.text_content() or ""), "the view counts the sessions so far", 15)
        # The same lesson in a second tab, with a kernel of its own: a session is saved there.
        with open_lesson(browser, course_lab, other.name) as second:
            run_all(second)
            check_no_errors(second.page)
            build_and_follow_one_stretch(second.page, pain_before=2)
        assert said in (view.text_content() or ""), "nothing in this tab's kernel heard the save"
        # The learner comes back to the first tab.
        hide_and_show(lesson.page)
        now = f"Your journal: {plural(before + 1, 'session')}, the last on"
        wait_for(lambda: now in (view.text_content() or ""), "the view counts the other tab's session", 15)
        at_both_sizes(lesson.page, view, f"{ROUTINE}-journal-after-another-tab")


def test_check_yourself_with_the_keyboard_alone(browser: Any, course_lab: Lab) -> None:
    quiz = quiz_in(NOTEBOOKS / f"{CHECK_YOURSELF}.ipynb")
    before = len(saved_answers(course_lab, quiz.quiz_id))
    with lesson_run(browser, course_lab, CHECK_YOURSELF, {QUIZ: 1}) as lesson:
        page = lesson.page
        quiz_root = page.locator(QUIZ)
        # The learner has tabbed into the quiz (the tab order through JupyterLab is not ours).
        quiz_root.locator("input, button").first.focus()
        assert len(quiz.rounds) > 1, "the course quiz comes in rounds"
        answer_rounds_with_keyboard(page, quiz_root, quiz)
        assert quiz_root.locator(".sk-quiz-retry").is_visible()
        n = len(quiz.questions)
        wait_for(
            lambda: len(saved_answers(course_lab, quiz.quiz_id)) == before + n, "the answers were saved", 10
        )


@pytest.fixture(scope="module")
def widgets_page(browser: Any, course_lab: Lab) -> Iterator[Lesson]:
    """One notebook with the timer, a quiz and the widget check, run and rendered."""
    write_notebook(
        course_lab,
        "widget-keys.ipynb",
        [
            "from stretchkit import Quiz, StretchTimer, load_course\n"
            "from stretchkit.check import widget_check\n"
            "course = load_course()\n"
            'StretchTimer.for_technique(course.technique("childs-pose"))',
            'Quiz.from_course(course, topic="cat-camel", n=3, seed=1)',
            "widget_check()",
        ],
    )
    with open_lesson(browser, course_lab, "widget-keys.ipynb") as lesson:
        run_all(lesson)
        check_widgets_render(lesson.page, {TIMER: 1, QUIZ: 1, CHECK: 1})
        yield lesson


@pytest.mark.parametrize("root", [QUIZ, CHECK, TIMER])
def test_keys_on_widget_controls_stay_with_the_widget(widgets_page: Lesson, root: str) -> None:
    leaks = shortcut_leaks(widgets_page.page, root)
    assert not leaks, "notebook shortcuts fired from the widget's controls:\n" + "\n".join(leaks)
