"""The quiz in real headless Chromium: answered with the mouse, and with the keyboard alone.

The page hosts quiz.js with a mock model; the test plays the kernel by handing what the
page sends to a real Python ``Quiz`` and pushing its new state back, so the round trip
(answers saved, Try again reshuffling) is the real one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from stretchkit import load_course
from stretchkit.journal import QuizAnswer
from stretchkit.questions import Question, questions_from_course
from stretchkit.quiz import Quiz
from tests.browser.conftest import WidgetPage
from tests.browser.course import focused, save_screenshot, tab_to, too_small

# One question of each kind, plus a second single choice.
IDS = ("faq:how-stretching-helps", "equipment:towel-or-strap", "order:cat-camel", "timing:hamstring-stretch")


class Recorder:
    """A fake journal that keeps what the quiz saves."""

    def __init__(self) -> None:
        self.answers: list[QuizAnswer] = []

    def record_quiz_answer(self, answer: QuizAnswer) -> None:
        self.answers.append(answer)

    def quiz_history(self) -> list[QuizAnswer]:
        return list(self.answers)


#: A phone's screen, in CSS pixels.
PHONE = {"width": 390, "height": 844}


def make_quiz(seed: int = 2) -> tuple[Quiz, Recorder]:
    course = load_course()
    pool = [q for q in questions_from_course(course) if q.id in IDS]
    journal = Recorder()
    return Quiz(
        pool, seed=seed, course=course, quiz_id="course", heading="Course quiz", journal=journal
    ), journal


def state(quiz: Quiz) -> dict[str, Any]:
    return {k: getattr(quiz, k) for k in ("payload", "words", "attempt", "heading", "past", "notice")}


class Kernel:
    """Plays Python for the page: delivers sent messages to the quiz, pushes state back."""

    def __init__(self, wp: WidgetPage, quiz: Quiz) -> None:
        self.wp, self.quiz, self.seen = wp, quiz, 0
        self.told: list[Any] = []  # what Python sends the page ("saved")
        quiz.send = self.told.append  # type: ignore[method-assign]

    def sent(self) -> list[dict[str, Any]]:
        return self.wp.page.evaluate("() => window.model.sent")  # type: ignore[no-any-return]

    def answers(self) -> list[dict[str, Any]]:
        """The answers the page sent, each once (the page sends one again until it hears "saved")."""
        first = {(m["view"], m["seq"]): m for m in reversed(self.sent()) if m["type"] == "answer"}
        return sorted(first.values(), key=lambda m: int(m["seq"]))

    def sync(self, deliver: bool = True) -> None:
        """Hand the page's new messages to Python and, if ``deliver``, Python's replies to the page."""
        before = state(self.quiz)
        messages = self.sent()
        for message in messages[self.seen :]:
            self.quiz.receive(message)
        self.seen = len(messages)
        told, self.told[:] = list(self.told), []
        for content in told if deliver else ():
            self.wp.page.evaluate("(c) => window.model.message(c)", content)
        after = state(self.quiz)
        for key in ("attempt", "past", "notice", "heading", "payload"):  # payload last: it rebuilds
            if after[key] != before[key]:
                self.wp.from_python(key, after[key])


@pytest.fixture
def open_quiz(
    widget_page: Callable[..., WidgetPage],
) -> Callable[..., tuple[WidgetPage, Quiz, Recorder, Kernel]]:
    def open_(seed: int = 2, **options: Any) -> tuple[WidgetPage, Quiz, Recorder, Kernel]:
        quiz, journal = make_quiz(seed)
        wp = widget_page("quiz.js", "quiz.css", state(quiz), **options)
        return wp, quiz, journal, Kernel(wp, quiz)

    return open_


def fieldset(wp: WidgetPage, q: Question) -> Any:
    return wp.page.locator(f'fieldset[data-id="{q.id}"]')


def summary(wp: WidgetPage) -> str:
    return wp.page.locator(".sk-quiz-summary").inner_text()  # type: ignore[no-any-return]


# --- mouse -----------------------------------------------------------------------------------


def arrange_with_mouse(wp: WidgetPage, q: Question, right: list[int]) -> None:
    """Click Move up until each step is in place (a selection sort, as a learner might)."""
    box = fieldset(wp, q)
    for place, index in enumerate(right):
        text = q.options[index].text
        while True:
            current = box.locator(".sk-quiz-step-text").all_inner_texts()
            if current.index(text) == place:
                break
            box.get_by_role("button", name=f"Move up: {text}").click()


def test_answer_the_whole_quiz_with_the_mouse(open_quiz: Callable[..., Any]) -> None:
    wp, quiz, journal, kernel = open_quiz()
    solution = quiz.solution()
    for q in quiz.questions:
        box = fieldset(wp, q)
        if q.kind == "order":
            arrange_with_mouse(wp, q, solution[q.id])
        else:
            for i in solution[q.id]:
                box.get_by_label(q.options[i].text, exact=True).click()
        box.get_by_role("button", name="Check").click()
        assert box.get_by_role("status").inner_text().startswith("✓ Correct.")
    assert "Quiz complete: 4 of 4 correct at the first try." in summary(wp)
    kernel.sync()
    assert [a.question_id for a in journal.answers] == [q.id for q in quiz.questions]
    assert all(a.correct for a in journal.answers)
    assert [r.correct for r in quiz.results] == [True] * 4
    assert wp.blocked == []


def test_an_answer_python_did_not_acknowledge_is_sent_again_until_it_does(
    open_quiz: Callable[..., Any],
) -> None:
    # A message lost on the way (a dropped connection) must not lose the answer: the page sends
    # it again until Python says "saved", and Python keeps it once.
    wp, quiz, journal, kernel = open_quiz()
    q = next(q for q in quiz.questions if q.kind == "single")
    box = fieldset(wp, q)
    box.get_by_label(q.options[quiz.solution()[q.id][0]].text, exact=True).click()
    box.get_by_role("button", name="Check").click()
    first = kernel.sent()[-1]
    wp.page.evaluate("() => { window.model.sent.length = 0; }")  # lost on the way: Python never had it
    kernel.seen = 0
    wp.page.wait_for_function("() => window.model.sent.length > 0", timeout=10_000)
    assert kernel.sent()[0] == first, "the same answer, with the same number, is sent again"
    kernel.sync()  # Python keeps it and says "saved"
    assert [a.question_id for a in journal.answers] == [q.id]
    sent = len(kernel.sent())
    wp.page.wait_for_timeout(5_000)
    assert len(kernel.sent()) == sent, "once saved, it is not sent again"
    kernel.sync()
    assert len(journal.answers) == 1


def test_wrong_answer_explains_points_to_the_lesson_and_allows_a_retry(open_quiz: Callable[..., Any]) -> None:
    wp, quiz, journal, kernel = open_quiz()
    q = next(q for q in quiz.questions if q.id == "equipment:towel-or-strap")
    box = fieldset(wp, q)
    status = box.get_by_role("status")
    box.get_by_role("button", name="Check").click()
    assert status.inner_text() == "Choose an answer first, then press Check."
    wrong = next(i for i, o in enumerate(q.options) if not o.correct)
    box.get_by_label(q.options[wrong].text, exact=True).click()
    box.get_by_role("button", name="Check").click()
    text = status.inner_text()
    assert text.startswith("✗ Not quite.")
    assert f"✗ Not correct (your choice): “{q.options[wrong].text}”. {q.options[wrong].why}" in text
    # The lesson to revisit would name the answer here (Lesson 04 teaches the towel stretch).
    link = status.get_by_role("link", name="See Lesson 04: Hamstring Stretch")
    assert link.count() == 0
    assert box.get_attribute("data-state") == "incorrect"
    [right] = quiz.solution()[q.id]
    box.get_by_label(q.options[right].text, exact=True).click()
    box.get_by_role("button", name="Check").click()
    assert status.inner_text().startswith("✓ Correct.")
    assert link.get_attribute("href") == "04-hamstring-stretch.ipynb"
    kernel.sync()
    assert [a.correct for a in journal.answers] == [False, True]
    assert journal.answers[0].choice == (q.options[wrong].text,)
    # The first check is what counts: answer the rest right and the score is 3 of 4.
    solution = quiz.solution()
    for other in quiz.questions:
        if other.id == q.id:
            continue
        other_box = fieldset(wp, other)
        if other.kind == "order":
            arrange_with_mouse(wp, other, solution[other.id])
        else:
            for i in solution[other.id]:
                other_box.get_by_label(other.options[i].text, exact=True).click()
        other_box.get_by_role("button", name="Check").click()
    assert "Quiz complete: 3 of 4 correct at the first try." in summary(wp)
    assert "The score counts your first check of each question." in summary(wp)
    # Shown again later, the past results give the same score, in the same words.
    kernel.sync()
    later, _ = make_quiz()
    later._journal = journal
    later.receive({"type": "ready"})
    wp.from_python("past", later.past)
    past = wp.page.locator(".sk-quiz-past").inner_text()
    assert past == "Your past results: last time, 3 of 4 correct at the first try.", past


# --- keyboard alone ------------------------------------------------------------------------------


def answer_with_keyboard(wp: WidgetPage, q: Question, right: list[int]) -> None:
    box = f'fieldset[data-id="{q.id}"]'
    keys = wp.page.keyboard
    if q.kind == "single":
        tab_to(wp.page, f"{box} input")
        assert focused(wp.page, f"{box} input[value='0']")
        if right[0] == 0:
            keys.press("Space")
        for _ in range(right[0]):
            keys.press("ArrowDown")
    elif q.kind == "multiple":
        for i in right:
            tab_to(wp.page, f"{box} input[value='{i}']")
            keys.press("Space")
    else:
        for place, index in enumerate(right):
            current = wp.page.locator(f"{box} li").evaluate_all(
                "els => els.map(e => Number(e.dataset.index))"
            )
            moves = current.index(index) - place
            if moves:
                tab_to(wp.page, f"{box} li[data-index='{index}'] button:first-of-type")
                for _ in range(moves):
                    keys.press("Enter")
    checked = wp.page.locator(f"{box} input:checked").evaluate_all("els => els.map(e => Number(e.value))")
    if q.kind != "order":
        assert sorted(checked) == sorted(right)
    tab_to(wp.page, f"{box} .sk-quiz-check")
    keys.press("Enter")


def test_complete_the_quiz_with_the_keyboard_alone(open_quiz: Callable[..., Any]) -> None:
    wp, quiz, journal, kernel = open_quiz(seed=5)
    page = wp.page
    page.keyboard.press("Tab")
    solution = quiz.solution()
    for q in quiz.questions:
        answer_with_keyboard(wp, q, solution[q.id])
        assert page.locator(f'fieldset[data-id="{q.id}"] [role=status]').inner_text().startswith("✓ Correct.")
    assert "Quiz complete: 4 of 4 correct at the first try." in summary(wp)
    sent = kernel.answers()
    assert [(m["id"], m["choice"]) for m in sent] == [(q.id, solution[q.id]) for q in quiz.questions]
    kernel.sync()
    assert len(journal.answers) == 4 and all(a.correct for a in journal.answers)

    # Try again, by keyboard too: Python reshuffles and the page shows the new order.
    layout = """() => [...document.querySelectorAll('fieldset')].map(f => [f.dataset.id,
        ...[...f.querySelectorAll('label, .sk-quiz-step-text')].map(e => e.textContent)])"""
    before = page.evaluate(layout)
    tab_to(wp.page, ".sk-quiz-retry")
    page.keyboard.press("Enter")
    assert kernel.sent()[-1] == {"type": "retry"}
    kernel.sync()
    assert quiz.attempt == 1
    assert page.evaluate(layout) != before
    assert [q.id for q in quiz.questions] == page.locator("fieldset").evaluate_all(
        "e => e.map(f => f.dataset.id)"
    )
    assert "complete" not in summary(wp)
    assert page.locator(".sk-quiz-retry").is_hidden()
    assert focused(wp.page, "fieldset:first-of-type input, fieldset:first-of-type button")
    # Answers after the reshuffle refer to the new order and are graded right in Python.
    q = quiz.questions[0]
    answer_with_keyboard(wp, q, quiz.solution()[q.id])
    kernel.sync()
    assert journal.answers[-1].question_id == q.id and journal.answers[-1].correct
    assert wp.blocked == []


# --- structure, themes, cleanup ------------------------------------------------------------------


def test_questions_are_labelled_fieldsets_with_named_controls(open_quiz: Callable[..., Any]) -> None:
    wp, quiz, _, _ = open_quiz()
    page = wp.page
    n = len(quiz.questions)
    for i, q in enumerate(quiz.questions, 1):
        group = page.get_by_role("group", name=f"Question {i} of {n}: {q.prompt}")
        assert group.count() == 1
        assert group.evaluate("e => e.tagName") == "FIELDSET"
        assert group.get_by_role("status").count() == 1
        assert page.get_by_role("button", name=f"Check question {i}", exact=True).count() == 1
        if q.kind == "single":
            assert group.get_by_role("radio").count() == len(q.options)
        elif q.kind == "multiple":
            assert group.get_by_role("checkbox").count() == len(q.options)
        else:
            for o in q.options:
                assert group.get_by_role("button", name=f"Move up: {o.text}").count() == 1
                assert group.get_by_role("button", name=f"Move down: {o.text}").count() == 1
    assert page.locator(".sk-quiz-summary[role=status]").count() == 1
    assert page.get_by_text("Course quiz").is_visible()
    assert [m["type"] for m in page.evaluate("() => window.model.sent")] == ["ready"]


def test_moving_a_step_keeps_focus_and_announces_it(open_quiz: Callable[..., Any]) -> None:
    wp, quiz, _, _ = open_quiz()
    q = next(q for q in quiz.questions if q.kind == "order")
    box = fieldset(wp, q)
    first = box.locator(".sk-quiz-step-text").first.inner_text()
    box.get_by_role("button", name=f"Move down: {first}").focus()
    wp.page.keyboard.press("Enter")
    assert box.locator(".sk-quiz-step-text").all_inner_texts()[1] == first
    assert focused(wp.page, f'fieldset[data-id="{q.id}"] li:nth-child(2) button:last-of-type')
    assert box.get_by_role("status").inner_text() == f"“{first}” moved to position 2 of {len(q.options)}."
    box.get_by_role("button", name=f"Move up: {first}").press("Enter")
    box.get_by_role("button", name=f"Move up: {first}").press("Enter")
    assert box.get_by_role("status").inner_text() == f"“{first}” is already first."


def test_past_results_and_save_problems_are_shown(open_quiz: Callable[..., Any]) -> None:
    wp, _, _, _ = open_quiz()
    assert wp.page.locator(".sk-quiz-past").is_hidden()
    wp.from_python("past", "3 of 4 correct at the first try")
    past = wp.page.locator(".sk-quiz-past").inner_text()
    assert past == "Your past results: last time, 3 of 4 correct at the first try."
    wp.from_python("notice", "Your answer was checked but could not be saved to your journal: disk full")
    assert "disk full" in wp.page.locator(".sk-quiz-notice[role=status]").inner_text()


def colours(wp: WidgetPage) -> tuple[str, str]:
    text, background = wp.page.evaluate(
        "() => { const s = getComputedStyle(document.querySelector('.sk-quiz'));"
        " return [s.color, s.backgroundColor]; }"
    )
    return text, background


def luminance(css: str) -> float:
    r, g, b = (int(x) for x in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_follows_light_and_dark_themes(open_quiz: Callable[..., Any]) -> None:
    light, _, _, _ = open_quiz(color_scheme="light")
    text, background = colours(light)
    assert luminance(text) < luminance(background)
    dark, _, _, _ = open_quiz(color_scheme="dark")
    text, background = colours(dark)
    assert luminance(text) > luminance(background)
    # Inside JupyterLab the theme's variables win.
    dark.page.add_style_tag(
        content=":root { --jp-layout-color1: rgb(1, 2, 3); --jp-ui-font-color1: rgb(250, 250, 250); }"
    )
    assert colours(dark) == ("rgb(250, 250, 250)", "rgb(1, 2, 3)")
    assert light.blocked == [] and dark.blocked == []


def test_cleanup_removes_the_quiz_and_its_listeners(open_quiz: Callable[..., Any]) -> None:
    wp, _, _, _ = open_quiz()
    assert wp.page.evaluate("() => window.model.listenerCount()") > 0
    wp.page.evaluate("() => window.cleanup()")
    assert wp.page.evaluate("() => window.model.listenerCount()") == 0
    assert wp.page.locator(".sk-quiz").count() == 0


def test_honours_reduced_motion(open_quiz: Callable[..., Any]) -> None:
    def transition(wp: WidgetPage) -> str:
        return wp.page.evaluate(  # type: ignore[no-any-return]
            "() => getComputedStyle(document.querySelector('.sk-quiz-check')).transitionDuration"
        )

    calm, _, _, _ = open_quiz(reduced_motion="reduce")
    assert set(transition(calm).split(", ")) == {"0s"}
    lively, _, _, _ = open_quiz(reduced_motion="no-preference")
    assert transition(lively) != "0s"


# --- a long quiz, in rounds ----------------------------------------------------------------------


@pytest.fixture
def open_widget(
    widget_page: Callable[..., WidgetPage],
) -> Callable[..., tuple[WidgetPage, Recorder, Kernel]]:
    """Open the page with any Quiz (its journal replaced by a Recorder)."""

    def open_(quiz: Quiz, **options: Any) -> tuple[WidgetPage, Recorder, Kernel]:
        journal = Recorder()
        quiz._journal = journal
        wp = widget_page("quiz.js", "quiz.css", state(quiz), **options)
        return wp, journal, Kernel(wp, quiz)

    return open_


def course_quiz() -> Quiz:
    """Lesson 09's quiz: every question of the course."""
    return Quiz.from_course(load_course(), seed=1)


def answer(wp: WidgetPage, quiz: Quiz, q: Question, right: bool = True) -> None:
    """Answer one question with the mouse, right or wrong, and press Check."""
    box = fieldset(wp, q)
    key = quiz.solution()[q.id]
    if q.kind == "order":
        arrange_with_mouse(wp, q, key if right else [*key[1:], key[0]])
    else:
        chosen = key if right else [next(i for i, o in enumerate(q.options) if not o.correct)]
        for i, o in enumerate(q.options):
            if q.kind == "multiple" or i in chosen:
                box.get_by_label(o.text, exact=True).set_checked(i in chosen)
    box.get_by_role("button", name="Check").click()


def shown_ids(wp: WidgetPage) -> list[str]:
    return wp.page.locator("fieldset").evaluate_all("e => e.map(f => f.dataset.id)")  # type: ignore[no-any-return]


def progress(wp: WidgetPage) -> str:
    return wp.page.locator(".sk-quiz-progress").inner_text()  # type: ignore[no-any-return]


def test_a_long_quiz_comes_in_rounds_with_a_running_score(open_widget: Callable[..., Any]) -> None:
    quiz = course_quiz()
    wp, journal, kernel = open_widget(quiz)
    page = wp.page
    total = len(quiz.questions)
    rounds = -(-total // 10)
    assert total > 40
    assert [len(r) for r in quiz.rounds] == [10] * (total // 10) + [total % 10] * (total % 10 > 0)
    next_round = page.get_by_role("button", name="Next round")
    for r, questions in enumerate(quiz.rounds, 1):
        # One round on the page: its heading, its questions, numbered through the quiz.
        assert page.get_by_role("heading", name=f"Round {r} of {rounds}").is_visible()
        assert shown_ids(wp) == [q.id for q in questions]
        first = (r - 1) * 10 + 1
        assert page.get_by_role("group", name=re.compile(f"^Question {first} of {total}: ")).is_visible()
        assert progress(wp).startswith(f"{len(questions)} questions in this round.")
        assert next_round.is_hidden()
        for k, q in enumerate(questions):
            answer(wp, quiz, q, right=k != 0)  # the first of each round wrong at the first try
            if k == 0:  # the running score, from the first answer of the round
                assert progress(wp).endswith(f"So far: {first - r} of {first} correct at the first try.")
        checked = first - 1 + len(questions)
        assert progress(wp).endswith(f"So far: {checked - r} of {checked} correct at the first try.")
        if r < rounds:
            status = page.locator(".sk-quiz-round-status[role=status]").inner_text()
            assert status == (
                f"Round {r} done: {len(questions) - 1} of {len(questions)} correct at the first try. "
                "Press Next round to go on."
            )
            assert summary(wp) == ""
            next_round.click()
            assert focused(page, "h3.sk-quiz-round-title")
    # The last round: no Next round, the summary, and each round's score.
    assert next_round.is_hidden()
    assert page.locator(".sk-quiz-round-status").inner_text() == ""
    assert summary(wp).startswith(f"Quiz complete: {total - rounds} of {total} correct at the first try.")
    results = page.locator(".sk-quiz-round-results li").all_inner_texts()
    assert results[0] == "Round 1: 9 of 10 correct at the first try."
    assert len(results) == rounds
    assert page.get_by_role("button", name="Try again").is_visible()
    page.get_by_role("button", name="Try again").scroll_into_view_if_needed()
    save_screenshot(page, "quiz-rounds-summary")
    # The journal keeps every answer, as before rounds.
    kernel.sync()
    assert [a.question_id for a in journal.answers] == [q.id for q in quiz.questions]
    assert sum(a.correct for a in journal.answers) == total - rounds
    assert wp.blocked == []


def test_one_round_with_the_keyboard_alone(open_widget: Callable[..., Any]) -> None:
    quiz = course_quiz()
    wp, journal, kernel = open_widget(quiz)
    page = wp.page
    page.keyboard.press("Tab")
    for q in quiz.rounds[0]:
        answer_with_keyboard(wp, q, quiz.solution()[q.id])
        assert fieldset(wp, q).get_by_role("status").inner_text().startswith("✓ Correct.")
    status = page.locator(".sk-quiz-round-status")
    assert status.get_attribute("role") == "status"
    assert status.inner_text().startswith("Round 1 done: 10 of 10 correct at the first try.")
    # Next round comes after the round's last question; Enter moves to round 2's heading.
    tab_to(page, ".sk-quiz-next")
    assert page.get_by_role("button", name="Next round").evaluate("e => e === document.activeElement")
    page.keyboard.press("Enter")
    rounds = len(quiz.rounds)
    assert page.evaluate("() => document.activeElement.textContent") == f"Round 2 of {rounds}"
    assert page.evaluate("() => document.activeElement.tagName") == "H3"
    assert status.inner_text() == ""
    page.keyboard.press("Tab")
    second = quiz.rounds[1][0]
    assert focused(page, f'fieldset[data-id="{second.id}"] input, fieldset[data-id="{second.id}"] button')
    kernel.sync()
    assert len(journal.answers) == 10 and all(a.correct for a in journal.answers)


def test_a_short_check_has_no_rounds(open_quiz: Callable[..., Any]) -> None:
    wp, quiz, _, _ = open_quiz()
    page = wp.page
    assert len(shown_ids(wp)) == len(quiz.questions) == 4
    assert page.get_by_role("heading").count() == 0
    assert page.locator(".sk-quiz-round").is_hidden()
    for q in quiz.questions:
        answer(wp, quiz, q)
    assert page.get_by_role("button", name="Next round").is_hidden()
    assert page.locator(".sk-quiz-round-results").is_hidden()
    assert "Quiz complete: 4 of 4 correct at the first try." in summary(wp)


# --- ordering: the ends -------------------------------------------------------------------------


def test_move_up_on_the_first_step_and_down_on_the_last_are_unavailable(
    open_quiz: Callable[..., Any],
) -> None:
    wp, quiz, _, _ = open_quiz()
    q = next(q for q in quiz.questions if q.kind == "order")
    box = fieldset(wp, q)

    def steps() -> list[str]:
        return box.locator(".sk-quiz-step-text").all_inner_texts()  # type: ignore[no-any-return]

    def unavailable() -> list[str]:
        return [  # type: ignore[no-any-return]
            b.get_attribute("aria-label") for b in box.get_by_role("button", name="Move", disabled=True).all()
        ]

    first, *_, last = steps()
    assert unavailable() == [f"Move up: {first}", f"Move down: {last}"]
    assert box.get_by_role("button", name=f"Move up: {first}").is_disabled()
    assert box.get_by_role("button", name=f"Move down: {steps()[1]}").is_enabled()
    # Pressed anyway (it keeps the focus, so a keyboard user can), it says why nothing moved.
    box.get_by_role("button", name=f"Move up: {first}").press("Enter")
    assert steps()[0] == first
    assert box.get_by_role("status").inner_text() == f"“{first}” is already first."
    box.get_by_role("button", name=f"Move down: {last}").press("Enter")
    assert box.get_by_role("status").inner_text() == f"“{last}” is already last."
    # After a move the ends follow the steps.
    box.get_by_role("button", name=f"Move down: {first}").press("Enter")
    second = steps()[0]
    assert unavailable() == [f"Move up: {second}", f"Move down: {last}"]
    box.get_by_role("button", name=f"Move up: {first}").press("Enter")
    assert unavailable() == [f"Move up: {first}", f"Move down: {last}"]
    assert focused(wp.page, f'fieldset[data-id="{q.id}"] li:first-child button:first-of-type')


# --- a wrong answer: try again before it is shown -------------------------------------------------


def test_one_wrong_try_does_not_give_the_answer_and_a_second_does(open_quiz: Callable[..., Any]) -> None:
    wp, quiz, journal, kernel = open_quiz()
    q = next(q for q in quiz.questions if q.id == "equipment:towel-or-strap")
    box = fieldset(wp, q)
    status = box.get_by_role("status")
    [right] = quiz.solution()[q.id]
    wrong = [i for i, o in enumerate(q.options) if not o.correct]
    box.get_by_label(q.options[wrong[0]].text, exact=True).click()
    box.get_by_role("button", name="Check").click()
    text = status.inner_text()
    assert text.startswith("✗ Not quite. Read why below, change your answer and press Check again")
    assert f"✗ Not correct (your choice): “{q.options[wrong[0]].text}”" in text
    assert q.options[right].text not in text and "✓ Correct answer" not in text
    index = quiz.questions.index(q) + 1
    show = box.get_by_role("button", name=f"Show the answer to question {index}")
    assert show.is_visible() and show.inner_text() == "Show the answer"
    # A second wrong try shows the answer.
    box.get_by_label(q.options[wrong[1]].text, exact=True).click()
    box.get_by_role("button", name="Check").click()
    text = status.inner_text()
    assert text.startswith("✗ Not quite. The right answer is shown below.")
    assert f"✓ Correct answer: “{q.options[right].text}”" in text
    assert f"✗ Not correct (your choice): “{q.options[wrong[1]].text}”" in text
    assert show.is_hidden()
    kernel.sync()
    assert [a.correct for a in journal.answers] == [False, False]


def test_a_partly_right_multiple_choice_says_one_is_missing_not_which(open_quiz: Callable[..., Any]) -> None:
    wp, quiz, _, _ = open_quiz()
    q = next(q for q in quiz.questions if q.id == "faq:how-stretching-helps")
    box = fieldset(wp, q)
    status = box.get_by_role("status")
    first, *others = quiz.solution()[q.id]
    assert others, "a question with two right answers or more"
    box.get_by_label(q.options[first].text, exact=True).check()
    box.get_by_role("button", name="Check").click()
    text = status.inner_text()
    assert f"✓ Correct answer (your choice): “{q.options[first].text}”" in text
    assert "✗ At least one more answer is right: find it and tick it too." in text
    assert all(q.options[i].text not in text for i in others)
    assert q.explanation not in text
    box.get_by_role("button", name="Show the answer").click()
    text = status.inner_text()
    assert all(f"✓ Correct answer: “{q.options[i].text}”" in text for i in others)
    assert q.explanation in text and "At least one more" not in text


def test_an_ordering_question_says_which_steps_are_out_of_place_not_where_they_go(
    open_quiz: Callable[..., Any],
) -> None:
    wp, quiz, _, _ = open_quiz()
    q = next(q for q in quiz.questions if q.kind == "order")
    box = fieldset(wp, q)
    status = box.get_by_role("status")
    key = quiz.solution()[q.id]
    arrange_with_mouse(wp, q, [key[1], key[0], *key[2:]])
    box.get_by_role("button", name="Check").click()
    text = status.inner_text()
    first, second = q.options[key[0]].text, q.options[key[1]].text
    assert f"✗ “{second}” is not step 1." in text and f"✗ “{first}” is not step 2." in text
    assert "is step" not in text and "The steps in order" not in text
    assert "✓ Step 3 is in the right place" in text
    # On request: the answer, with the steps in order; the focus goes back to Check.
    box.get_by_role("button", name="Show the answer").press("Enter")
    text = status.inner_text()
    assert text.startswith("✗ Not quite. The right answer is shown below.")
    assert f"✗ “{second}” is step 2, not 1." in text
    assert box.locator(".sk-quiz-answer li").all_inner_texts() == [q.options[i].text for i in key]
    assert box.get_by_role("button", name="Show the answer").is_hidden()
    assert focused(wp.page, f'fieldset[data-id="{q.id}"] .sk-quiz-check')
    # Put right, it is correct (the score still counts the first check).
    arrange_with_mouse(wp, q, key)
    box.get_by_role("button", name="Check").click()
    assert status.inner_text().startswith("✓ Correct.")


# --- a lesson's own check ------------------------------------------------------------------------


def test_lesson_04s_own_check_does_not_send_the_learner_to_lesson_04(open_widget: Callable[..., Any]) -> None:
    quiz = Quiz.from_course(load_course(), topic="hamstring-stretch", seed=3)
    wp, _, _ = open_widget(quiz)
    page = wp.page
    for q in quiz.questions:  # every feedback line: wrong twice, so the answer is shown too
        answer(wp, quiz, q, right=False)
        answer(wp, quiz, q, right=False)
        assert "The right answer is shown below." in fieldset(wp, q).get_by_role("status").inner_text()
    text = page.locator(".sk-quiz").inner_text()
    assert "Lesson 04" not in text, text
    assert page.locator('a[href="04-hamstring-stretch.ipynb"]').count() == 0
    # The course quiz (lesson 09) still points there.
    whole = course_quiz()
    course, _, _ = open_widget(whole)
    q = next(q for q in whole.rounds[0] if q.topic == "hamstring-stretch")
    answer(course, whole, q, right=False)
    answer(course, whole, q, right=False)
    assert fieldset(course, q).get_by_role("link", name="See Lesson 04: Hamstring Stretch").count() == 1


# --- how a round looks ------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_of_a_round(open_widget: Callable[..., Any], width: int, scheme: str) -> None:
    quiz = course_quiz()
    height = 844 if width == 390 else 900
    wp, _, _ = open_widget(quiz, viewport={"width": width, "height": height}, color_scheme=scheme)
    page = wp.page
    first = quiz.rounds[0]
    answer(wp, quiz, first[0], right=False)
    save_screenshot(page, f"quiz-round-{width}-{scheme}-top")
    order = next(q for q in first if q.kind == "order")
    fieldset(wp, order).scroll_into_view_if_needed()
    save_screenshot(page, f"quiz-round-{width}-{scheme}-order")
    answer(wp, quiz, order, right=False)
    fieldset(wp, order).get_by_role("button", name="Show the answer").click()
    fieldset(wp, order).locator(".sk-quiz-answer").scroll_into_view_if_needed()
    save_screenshot(page, f"quiz-round-{width}-{scheme}-shown")
    for q in first[1:]:
        answer(wp, quiz, q)
    page.get_by_role("button", name="Next round").scroll_into_view_if_needed()
    save_screenshot(page, f"quiz-round-{width}-{scheme}-end")
    page.get_by_role("button", name="Next round").press("Enter")
    save_screenshot(page, f"quiz-round-{width}-{scheme}-next")
    # Nothing wider than the page, at phone size too.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_its_text_is_16_px_and_every_control_44_px(
    open_widget: Callable[..., Any], scheme: str
) -> None:
    """Each option's label, each move and Check, as drawn at 390x844 with touch."""
    quiz = course_quiz()
    wp, _, _ = open_widget(quiz, viewport=PHONE, touch=True, color_scheme=scheme)
    assert too_small(wp.page, [".sk-quiz"]) == []
    for q in quiz.rounds[0][:3]:
        answer(wp, quiz, q, right=False)  # the feedback: why, the answer, a link to the lesson
    assert too_small(wp.page, [".sk-quiz"]) == []
    assert wp.page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    fieldset(wp, quiz.rounds[0][0]).scroll_into_view_if_needed()
    save_screenshot(wp.page, f"quiz-phone-{scheme}")
