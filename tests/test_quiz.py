"""The Quiz widget: it asks the content's questions, grades without a browser, shuffles
reproducibly, saves answers, and fails on bad data or bad answers with clear messages."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import stretchkit
from stretchkit import ContentError, load_course
from stretchkit.course import Distractor
from stretchkit.journal import QuizAnswer
from stretchkit.lessons import lesson_for
from stretchkit.questions import Option, Question, is_correct, questions_from_course
from stretchkit.quiz import Quiz
from tests.test_questions import by_id, with_faq

AT = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def course() -> stretchkit.Course:
    return load_course()


@dataclass
class FakeJournal:
    """Stands in for the practice journal (a `QuizStore`): keeps answers in a list."""

    answers: list[QuizAnswer] = field(default_factory=list)
    fail: Exception | None = None

    def record_quiz_answer(self, answer: QuizAnswer) -> None:
        if self.fail is not None:
            raise self.fail
        self.answers.append(answer)

    def quiz_history(self) -> list[QuizAnswer]:
        return list(self.answers)


def wrong_answer(quiz: Quiz, qid: str) -> list[int]:
    q = by_id(quiz.questions)[qid]
    right = quiz.solution()[qid]
    if q.kind == "order":
        return right[::-1]
    return [next(i for i, o in enumerate(q.options) if not o.correct)]


# --- the quiz made from the content -------------------------------------------------------


def test_bundled_quiz_covers_every_faq_entry_and_many_generated_questions(course: stretchkit.Course) -> None:
    quiz = Quiz.from_course(course, seed=1)
    ids = {q.id for q in quiz.questions}
    assert {f"faq:{f.slug}" for f in course.faq} <= ids
    generated = [i for i in ids if not i.startswith("faq:")]
    assert len(generated) >= 8
    assert {q.kind for q in quiz.questions} == {"single", "multiple", "order"}


def test_every_technique_has_at_least_two_questions_about_it(course: stretchkit.Course) -> None:
    questions = questions_from_course(course)
    for t in course.techniques:
        assert sum(q.topic == t.slug for q in questions) >= 3, t.slug
        check = Quiz.from_course(course, topic=t.slug, n=3, seed=7)
        assert len(check.questions) == 3
        assert all(q.topic == t.slug for q in check.questions)
        assert check.quiz_id == f"check:{t.slug}"
        assert t.name in check.heading


# --- lesson links -----------------------------------------------------------------------------


def test_feedback_points_back_to_the_lesson(course: stretchkit.Course) -> None:
    assert lesson_for("hamstring-stretch", course) == (
        "Lesson 04: Hamstring Stretch",
        "04-hamstring-stretch.ipynb",
    )
    assert lesson_for("why", course)[1] == "01-why-stretching-helps.ipynb"
    assert lesson_for("safety", course)[1] == "00-start-here.ipynb"
    assert lesson_for("posture", course)[1] == "07-everyday-habits.ipynb"
    quiz = Quiz.from_course(course, seed=2)
    grade = quiz.grade(quiz.solution())
    assert grade["order:cat-camel"].see == "See Lesson 03: Cat-Camel Stretch"
    assert grade["order:cat-camel"].href == "03-cat-camel.ipynb"
    assert grade["faq:how-stretching-helps"].href == "01-why-stretching-helps.ipynb"
    payload = {p["id"]: p for p in quiz.payload}
    per_side = payload["per-side"]
    assert per_side["see"] is None
    assert {o["see"]["href"] for o in per_side["options"]} == {
        f"{i + 2:02d}-{t.slug}.ipynb" for i, t in enumerate(course.techniques)
    }


def test_a_lessons_own_check_does_not_send_the_learner_to_that_lesson(course: stretchkit.Course) -> None:
    for t in course.techniques:
        title, here = lesson_for(t.slug, course)
        check = Quiz.from_course(course, topic=t.slug, seed=1)
        assert check.lesson == t.slug
        hrefs = {
            see["href"]
            for p in check.payload
            for see in (p["see"], *(o["see"] for o in p["options"]))
            if see is not None
        }
        assert here not in hrefs, t.slug
        grade = check.grade(check.solution())
        assert all(g.see != f"See {title}" and g.href != here for g in grade.questions), t.slug
        assert here not in check._repr_mimebundle_()[0]["text/html"]
    # The course quiz, in lesson 09, still points to every lesson.
    course_quiz = Quiz.from_course(course, seed=1)
    assert course_quiz.grade(course_quiz.solution())["order:hamstring-stretch"].see == (
        "See Lesson 04: Hamstring Stretch"
    )


def test_the_lesson_a_quiz_is_in_is_checked(course: stretchkit.Course) -> None:
    pool = questions_from_course(course)
    with pytest.raises(ValueError, match=r"^lesson: no lesson for 'yoga'; known: "):
        Quiz(pool, seed=1, course=course, lesson="yoga")
    with pytest.raises(TypeError, match=r"^lesson must be a lesson's slug .* or None, got 4$"):
        Quiz(pool, seed=1, course=course, lesson=4)  # type: ignore[arg-type]
    quiz = Quiz(pool, seed=1, course=course, lesson="safety")
    assert all(p["see"] is None or p["see"]["href"] != "00-start-here.ipynb" for p in quiz.payload)


# --- rounds ----------------------------------------------------------------------------------


def test_a_long_quiz_comes_in_rounds_of_ten(course: stretchkit.Course) -> None:
    quiz = Quiz.from_course(course, seed=1)
    total = len(quiz.questions)
    assert total > 40
    sizes = [len(r) for r in quiz.rounds]
    assert sizes == [10] * (total // 10) + ([total % 10] if total % 10 else [])
    assert [q for r in quiz.rounds for q in r] == list(quiz.questions)
    assert [p["round"] for p in quiz.payload] == [i // 10 for i in range(total)]
    rounds = quiz.words["rounds"]
    assert [r["title"] for r in rounds] == [f"Round {k} of {len(sizes)}" for k in range(1, len(sizes) + 1)]
    assert rounds[0]["size"] == "10 questions in this round."
    assert rounds[1]["done"] == (
        "Round 2 done: {correct} of 10 correct at the first try. Press Next round to go on."
    )
    assert rounds[-1]["result"] == f"Round {len(sizes)}: {{correct}} of {sizes[-1]} correct at the first try."
    assert quiz.words["so_far"] == "So far: {correct} of {total} correct at the first try."
    assert quiz.words["next"] == "Next round"
    # Numbering runs through the rounds; each round is one reshuffle's slice.
    assert quiz.payload[10]["legend"].startswith(f"Question 11 of {total}: ")
    quiz.try_again()
    assert [len(r) for r in quiz.rounds] == sizes


def test_round_size_sets_the_rounds_and_a_short_check_is_one_round(course: stretchkit.Course) -> None:
    quiz = Quiz.from_course(course, seed=1, round_size=20)
    assert [len(r) for r in quiz.rounds][:2] == [20, 20]
    check = Quiz.from_course(course, topic="hamstring-stretch", n=4, seed=3)
    assert len(check.rounds) == 1 and {p["round"] for p in check.payload} == {0}
    assert len(check.words["rounds"]) == 1


@pytest.mark.parametrize(
    ("round_size", "error", "message"),
    [
        (0, ValueError, "round_size must be at least 1 question, got 0"),
        (-3, ValueError, "round_size must be at least 1 question, got -3"),
        (2.5, TypeError, "round_size must be a whole number of questions, got 2.5"),
        ("10", TypeError, "round_size must be a whole number of questions, got '10'"),
        (True, TypeError, "round_size must be a whole number of questions, got True"),
    ],
)
def test_a_bad_round_size_is_refused(
    course: stretchkit.Course, round_size: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        Quiz.from_course(course, seed=1, round_size=round_size)


# --- a wrong answer: tried again before it is shown ----------------------------------------------


def test_the_first_wrong_check_has_lines_that_do_not_give_the_answer(course: stretchkit.Course) -> None:
    quiz = Quiz.from_course(course, seed=4)
    payload = {p["id"]: p for p in quiz.payload}
    order = payload["order:hamstring-stretch"]
    n = len(order["options"])
    right = quiz.solution()["order:hamstring-stretch"]
    for j, option in enumerate(order["options"]):
        step = right.index(j) + 1
        assert option["not_at"] == [f"✗ “{option['text']}” is not step {k}." for k in range(1, n + 1)]
        # Out of place, a step is told where it is not, never where it belongs.
        assert all(f"step {step}" not in line for k, line in enumerate(option["not_at"], 1) if k != step)
    index = quiz.payload.index(order)
    assert order["show"] == "Show the answer"
    assert order["show_label"] == f"Show the answer to question {index + 1}"
    assert order["revealed"] == "✗ Not quite. The right answer is shown below."
    assert order["wrong"].endswith("press Check again (or Show the answer).")
    assert order["in_order"] == "The steps in order:"
    assert payload["per-side"]["missing"] == "✗ At least one more answer is right: find it and tick it too."
    assert payload["equipment:towel-or-strap"]["missing"] == ""
    assert all(o["not_at"] == [] for o in payload["per-side"]["options"])


# --- grading -------------------------------------------------------------------------------


def test_grading_the_right_answers_scores_full_marks(course: stretchkit.Course) -> None:
    quiz = Quiz.from_course(course, seed=5)
    grade = quiz.grade(quiz.solution())
    assert grade.score == grade.total == len(quiz.questions)
    assert grade.summary == f"{grade.total} of {grade.total} correct at the first try"
    assert all(g.correct and g.answered for g in grade.questions)


def test_grading_wrong_and_missing_answers(course: stretchkit.Course) -> None:
    quiz = Quiz.from_course(course, n=6, seed=5)
    ids = [q.id for q in quiz.questions]
    answers: dict[str, int | list[int]] = {
        ids[0]: quiz.solution()[ids[0]],
        ids[1]: wrong_answer(quiz, ids[1]),
    }
    grade = quiz.grade(answers)
    assert (grade.score, grade.total, grade.summary) == (1, 6, "1 of 6 correct at the first try (2 answered)")
    assert grade[ids[1]].answered and not grade[ids[1]].correct
    assert not grade[ids[2]].answered and not grade[ids[2]].correct and grade[ids[2]].choice == ()


def test_feedback_explains_each_option(course: stretchkit.Course) -> None:
    quiz = Quiz.from_course(course, seed=11)
    q = by_id(quiz.questions)["faq:childs-pose-benefit"]
    wrong = next(i for i, o in enumerate(q.options) if not o.correct)
    g = quiz.grade({q.id: wrong})["faq:childs-pose-benefit"]
    assert not g.correct and g.choice == (q.options[wrong].text,)
    mine = g.feedback[wrong]
    assert mine.startswith("✗ Not correct (your choice)") and q.options[wrong].why in mine
    right = next(i for i, o in enumerate(q.options) if o.correct)
    assert g.feedback[right].startswith("✓ Correct answer:")
    assert g.explanation and g.see == "See Lesson 02: Child's Pose"


def test_ordering_questions_grade_the_whole_sequence(course: stretchkit.Course) -> None:
    quiz = Quiz.from_course(course, seed=4)
    q = by_id(quiz.questions)["order:hamstring-stretch"]
    right = quiz.solution()[q.id]
    assert [q.options[i].text for i in right] == list(course.technique("hamstring-stretch").steps)
    assert quiz.grade({q.id: right})[q.id].correct
    swapped = [right[1], right[0], *right[2:]]
    g = quiz.grade({q.id: swapped})[q.id]
    assert not g.correct
    assert g.feedback[0].startswith("✗") and "is step 2, not 1" in g.feedback[0]
    assert g.feedback[2].startswith("✓ Step 3 is in the right place")


def page_choices(kind: str, n: int) -> list[list[int]]:
    """Every choice quiz.js can send: steps in any order, else ticked boxes lowest first."""
    if kind == "order":
        return [list(p) for p in itertools.permutations(range(n))]
    sizes = [1] if kind == "single" else range(1, n + 1)
    return [list(c) for k in sizes for c in itertools.combinations(range(n), k)]


def test_the_page_grades_by_the_answer_key_python_sends(course: stretchkit.Course) -> None:
    """quiz.js checks an answer by comparing it with the key; it agrees with Python on every choice."""
    quiz = Quiz.from_course(course, seed=6)
    payload = {p["id"]: p for p in quiz.payload}
    for s in quiz._shown:
        q = s.question
        sent = payload[q.id]
        assert sent["answer"] == quiz.solution()[q.id]
        assert all(set(o) & {"correct", "position"} == set() for o in sent["options"]), "one key, no rules"
        choices = page_choices(q.kind, len(q.options))
        right = [c for c in choices if is_correct(s, c)]
        assert right == [sent["answer"]], q.id
        assert all((c == sent["answer"]) == is_correct(s, c) for c in choices)
        # Python also grades a choice given in any order, as grade() may be called.
        assert is_correct(s, sent["answer"][::-1]) == (q.kind != "order" or len(q.options) == 1)


def test_single_answers_may_be_an_index_or_a_one_item_list(course: stretchkit.Course) -> None:
    quiz = Quiz.from_course(course, seed=4)
    qid = "equipment:towel-or-strap"
    [right] = quiz.solution()[qid]
    assert quiz.grade({qid: right})[qid].correct
    assert quiz.grade({qid: [right]})[qid].correct


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"nope": 0, "faq:also-nope": [1]}, "unknown question ids 'nope', 'faq:also-nope'"),
        ({"equipment:towel-or-strap": 9}, "'equipment:towel-or-strap': option index 9 not in 0-4"),
        ({"per-side": [0, 7, -1]}, "'per-side': option indices 7, -1 not in 0-4"),
        ({"equipment:towel-or-strap": [0, 1]}, "single-choice question takes one option"),
        ({"order:cat-camel": [0, 1]}, "needs all 4 options in order"),
        ({"per-side": []}, "'per-side': no option chosen"),
        ({"per-side": [1, 1]}, "option indices repeat"),
        ({"per-side": [True]}, "option index True"),
        ({"per-side": "0"}, "answer must be an option index or a list of them"),
    ],
)
def test_grade_rejects_unknown_ids_and_bad_indices(
    course: stretchkit.Course, answers: dict[str, Any], message: str
) -> None:
    quiz = Quiz.from_course(course, seed=1)
    with pytest.raises(ValueError, match=re.escape(message)):
        quiz.grade(answers)


def test_grade_names_every_bad_answer_at_once(course: stretchkit.Course) -> None:
    quiz = Quiz.from_course(course, seed=1)
    with pytest.raises(ValueError) as err:
        quiz.grade({"per-side": [9], "equipment:steady-chair": 8})
    assert "'per-side'" in str(err.value) and "'equipment:steady-chair'" in str(err.value)


def test_grade_needs_a_mapping(course: stretchkit.Course) -> None:
    with pytest.raises(TypeError, match="answers must be a dict"):
        Quiz.from_course(course, seed=1).grade([0, 1])  # type: ignore[arg-type]


# --- seeded shuffling -------------------------------------------------------------------------


def test_same_seed_same_quiz(course: stretchkit.Course) -> None:
    a = Quiz.from_course(course, n=8, seed=42)
    b = Quiz.from_course(course, n=8, seed=42)
    assert a.payload == b.payload and a.questions == b.questions
    assert repr(a) == repr(b) == "Quiz(8 questions, seed 42)"
    assert a._repr_mimebundle_()[0]["text/html"] == b._repr_mimebundle_()[0]["text/html"]


def test_different_seeds_shuffle_differently(course: stretchkit.Course) -> None:
    orders = {tuple(q.id for q in Quiz.from_course(course, seed=s).questions) for s in range(5)}
    assert len(orders) == 5
    canonical = by_id(questions_from_course(course))
    quiz = Quiz.from_course(course, seed=9)
    moved = [q.id for q in quiz.questions if q.options != canonical[q.id].options]
    assert len(moved) > len(quiz.questions) // 2


def test_ordering_questions_never_start_in_order(course: stretchkit.Course) -> None:
    for seed in range(30):
        quiz = Quiz.from_course(course, seed=seed)
        for q in quiz.questions:
            if q.kind == "order":
                assert quiz.solution()[q.id] != list(range(len(q.options)))


def test_n_takes_the_first_n_after_a_seeded_shuffle(course: stretchkit.Course) -> None:
    total = len(questions_from_course(course))
    assert len(Quiz.from_course(course, seed=1).questions) == total
    five = {q.id for q in Quiz.from_course(course, n=5, seed=1).questions}
    assert len(five) == 5 and five != {q.id for q in Quiz.from_course(course, n=5, seed=2).questions}
    for bad in (0, total + 1):
        with pytest.raises(ValueError, match=rf"n must be between 1 and {total} .*got {bad}"):
            Quiz.from_course(course, n=bad, seed=1)


def test_try_again_reshuffles_the_same_questions_reproducibly(course: stretchkit.Course) -> None:
    a = Quiz.from_course(course, n=6, seed=3)
    b = Quiz.from_course(course, n=6, seed=3)
    first = a.payload
    a.try_again()
    b.receive({"type": "retry"})
    assert a.attempt == b.attempt == 1
    assert a.payload == b.payload != first
    assert {q["id"] for q in a.payload} == {q["id"] for q in first}
    a.try_again()
    assert a.payload != b.payload  # the next attempt is another shuffle


def test_a_reshuffle_reaches_the_page_as_one_update(
    course: stretchkit.Course, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The page stamps each answer with the attempt it holds; had the new questions come before
    # the new attempt, the first answer after "Try again" would be ignored as stale.
    quiz = Quiz.from_course(course, n=4, seed=3)
    sent: list[set[str]] = []
    monkeypatch.setattr(quiz, "send_state", lambda key=None: sent.append(set(key or ())))
    quiz.try_again()
    assert sent == [{"attempt", "payload"}]


def test_without_a_seed_one_is_chosen_and_shown(course: stretchkit.Course) -> None:
    quiz = Quiz.from_course(course, n=3)
    assert repr(quiz) == f"Quiz(3 questions, seed {quiz.seed})"
    again = Quiz.from_course(course, n=3, seed=quiz.seed)
    assert again.payload == quiz.payload


# --- results saved ---------------------------------------------------------------------------


def test_checked_answers_are_recorded_with_time_and_saved(course: stretchkit.Course) -> None:
    journal = FakeJournal()
    quiz = Quiz.from_course(course, topic="cat-camel", n=3, seed=1, journal=journal)
    quiz._clock = lambda: AT
    q = quiz.questions[0]
    right = quiz.solution()[q.id]
    result = quiz.receive({"type": "answer", "attempt": 0, "id": q.id, "choice": right})
    assert result is not None and result.correct
    wrong = wrong_answer(quiz, q.id)
    quiz.receive({"type": "answer", "attempt": 0, "id": q.id, "choice": wrong})
    run = journal.answers[0].run
    assert run, "each answer names its pass through the quiz"
    assert journal.answers == [
        QuizAnswer("check:cat-camel", q.id, q.prompt, tuple(q.options[i].text for i in right), True, AT, run),
        QuizAnswer(
            "check:cat-camel", q.id, q.prompt, tuple(q.options[i].text for i in wrong), False, AT, run
        ),
    ]
    quiz.try_again()
    q = quiz.questions[0]
    quiz.receive({"type": "answer", "attempt": 1, "id": q.id, "choice": quiz.solution()[q.id]})
    assert journal.answers[-1].run not in ("", run), "Try again starts a new pass"
    assert [r.correct for r in quiz.results] == [True, False, True]
    assert quiz.notice == ""


@pytest.mark.parametrize(
    "message",
    [
        {"type": "answer", "attempt": 1, "id": "order:cat-camel", "choice": [0, 1, 2, 3]},
        {"type": "answer", "attempt": 0, "id": "no-such-question", "choice": [0]},
        {"type": "answer", "attempt": 0, "id": "order:cat-camel", "choice": [0, 9]},
        {"type": "answer", "attempt": 0, "id": "order:cat-camel", "choice": "0"},
        {"type": "dance"},
        "not a message",
    ],
)
def test_stale_or_malformed_messages_are_ignored(course: stretchkit.Course, message: Any) -> None:
    journal = FakeJournal()
    quiz = Quiz.from_course(course, topic="cat-camel", seed=1, journal=journal)
    assert quiz.receive(message) is None
    assert journal.answers == [] and quiz.results == []


def test_an_answer_sent_again_is_kept_once_and_each_send_is_acknowledged(
    course: stretchkit.Course, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The page sends an answer again until Python says "saved": a resend must not count twice.
    journal = FakeJournal()
    quiz = Quiz.from_course(course, topic="cat-camel", seed=1, journal=journal)
    told: list[Any] = []
    monkeypatch.setattr(quiz, "send", told.append)
    q = quiz.questions[0]
    answer = {"type": "answer", "attempt": 0, "id": q.id, "choice": quiz.solution()[q.id], "view": "v1"}
    assert quiz.receive({**answer, "seq": 1}) is not None
    assert quiz.receive({**answer, "seq": 1}) is None, "the same answer again is not recorded again"
    assert quiz.receive({**answer, "view": "v2", "seq": 1}) is not None, "another tab's answer is its own"
    assert len(journal.answers) == 2
    assert told == [
        {"type": "saved", "view": "v1", "seq": 1},
        {"type": "saved", "view": "v1", "seq": 1},
        {"type": "saved", "view": "v2", "seq": 1},
    ]
    quiz.receive({**answer, "attempt": 5, "seq": 2})
    assert told[-1] == {"type": "saved", "view": "v1", "seq": 2}, "a stale answer is acknowledged, not kept"
    assert len(journal.answers) == 2


def test_a_journal_that_fails_does_not_lose_the_answer(course: stretchkit.Course) -> None:
    journal = FakeJournal(fail=ValueError("disk full"))
    quiz = Quiz.from_course(course, n=2, seed=1, journal=journal)
    qid = quiz.questions[0].id
    result = quiz.receive({"type": "answer", "attempt": 0, "id": qid, "choice": quiz.solution()[qid]})
    assert result is not None and quiz.results == [result]
    assert "could not be saved" in quiz.notice and "disk full" in quiz.notice


def test_past_results_score_the_last_pass_as_the_quiz_does(course: stretchkit.Course) -> None:
    journal = FakeJournal()
    quiz = Quiz.from_course(course, topic="hamstring-stretch", n=3, seed=1, journal=journal)
    quiz.receive({"type": "ready"})
    assert quiz.past == ""
    sol = quiz.solution()
    a, b, c = (q.id for q in quiz.questions)
    # Wrong, then right after reading why: the first check is what counts.
    quiz.receive({"type": "answer", "attempt": 0, "id": a, "choice": wrong_answer(quiz, a)})
    quiz.receive({"type": "answer", "attempt": 0, "id": a, "choice": sol[a]})
    quiz.receive({"type": "answer", "attempt": 0, "id": b, "choice": sol[b]})
    quiz.receive({"type": "answer", "attempt": 0, "id": c, "choice": sol[c]})
    assert quiz.score().line == "2 of 3 correct at the first try"
    assert quiz.words["summary"][quiz.score().correct].startswith(
        "Quiz complete: 2 of 3 correct at the first try."
    )
    journal.answers.append(QuizAnswer("course", a, "other quiz", ("x",), False, AT))
    later = Quiz.from_course(course, topic="hamstring-stretch", n=3, seed=1, journal=journal)
    later.receive({"type": "ready"})
    assert later.past == "2 of 3 correct at the first try", "the same score the quiz showed"
    assert len(later.history) == 4
    # A second pass (Try again) is a run of its own: the past line shows the latest pass.
    later.try_again()
    for q in later.questions[:2]:
        later.receive({"type": "answer", "attempt": 1, "id": q.id, "choice": later.solution()[q.id]})
    assert later.score().line == "2 of 3 correct at the first try (2 answered)"
    third = Quiz.from_course(course, topic="hamstring-stretch", n=3, seed=1, journal=journal)
    assert third.past_summary() == "2 of 3 correct at the first try (2 answered)"


def test_the_journal_opens_on_the_first_answer_and_keeps_history(course: stretchkit.Course) -> None:
    from stretchkit.journal import default_path
    from stretchkit.practice import Journal

    quiz = Quiz.from_course(course, n=2, seed=1)
    assert not default_path().exists()  # showing a quiz writes nothing
    qid = quiz.questions[0].id
    quiz.receive({"type": "answer", "attempt": 0, "id": qid, "choice": quiz.solution()[qid]})
    assert quiz.notice == ""
    saved = Journal().quiz_history()
    assert [(a.quiz_id, a.question_id, a.correct) for a in saved] == [("course", qid, True)]
    assert (
        Quiz.from_course(course, n=2, seed=1).past_summary() == "1 of 2 correct at the first try (1 answered)"
    )


# --- bad quiz data ---------------------------------------------------------------------------


def test_distractor_repeating_a_correct_answer_names_the_entry(course: stretchkit.Course) -> None:
    f = course.faq[2]
    bad = with_faq(course, 2, distractors=(Distractor(f.correct[0], "oops"), *f.distractors))
    with pytest.raises(ContentError, match=re.escape("quiz: faq[2] (childs-pose-benefit): distractors[0]")):
        Quiz.from_course(bad, seed=1)


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            Question("x", "single", "Q?", (Option("a", True, "y"),), "why", "article"),
            "needs at least 2 options",
        ),
        (
            Question("x", "single", " ", (Option("a", True, "y"), Option("b", False, "n")), "why", "a"),
            "prompt",
        ),
        (Question("x", "quiz", "Q?", (Option("a", True, "y"), Option("b", False, "n")), "why", "a"), "kind"),
        (
            Question("X Y", "single", "Q?", (Option("a", True, "y"), Option("b", False, "n")), "why", "a"),
            "id",
        ),
        (
            Question("x", "single", "Q?", (Option("a", False, "y"), Option("b", False, "n")), "why", "a"),
            "1 correct",
        ),
        (
            Question("x", "single", "Q?", (Option("a", True, "y"), Option("b", True, "n")), "why", "a"),
            "exactly 1",
        ),
        (
            Question("x", "single", "Q?", (Option("a", True, "y"), Option("b", False)), "why", "a"),
            "needs a 'why'",
        ),
        (Question("x", "order", "Q?", (Option("a", True, "y"), Option("b", False, "n")), "why", "a"), "step"),
        (
            Question("x", "single", "Q?", (Option("a", True, "y"), Option("b", False, "n")), "", "a"),
            "see must",
        ),
        (
            Question("x", "single", "Q?", (Option("a", True, "y"), Option("b", False, "n")), "nowhere", "a"),
            "see:",
        ),
    ],
)
def test_bad_questions_are_refused(question: Question, message: str) -> None:
    with pytest.raises(ContentError, match=re.escape(message)) as err:
        Quiz([question], seed=1)
    assert str(err.value).startswith("quiz: questions[0] (")


def test_duplicate_question_ids_are_refused(course: stretchkit.Course) -> None:
    q = questions_from_course(course)[0]
    with pytest.raises(ContentError, match="is used twice"):
        Quiz([q, q], seed=1)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"seed": True}, TypeError, "seed must be a whole number or None, got True"),
        ({"seed": "1"}, TypeError, "seed must be a whole number or None, got '1'"),
        ({"n": 2.5}, TypeError, "n must be a whole number or None, got 2.5"),
        ({"topic": "yoga"}, ValueError, "topic must be a technique slug"),
    ],
)
def test_bad_arguments_name_the_parameter(
    course: stretchkit.Course, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        Quiz.from_course(course, **kwargs)


def test_from_course_needs_a_course() -> None:
    with pytest.raises(TypeError, match="course must be a Course"):
        Quiz.from_course("course.toml")  # type: ignore[arg-type]


# --- display -------------------------------------------------------------------------------------


def test_reprs_are_deterministic_and_readable_without_widgets(course: stretchkit.Course) -> None:
    quiz = Quiz.from_course(course, n=10, seed=1)
    bundle, _ = quiz._repr_mimebundle_()
    assert bundle["text/plain"] == "Quiz(10 questions, seed 1)" == repr(quiz)
    assert "application/vnd.jupyter.widget-view+json" in bundle
    page = bundle["text/html"]
    assert not re.search(r"0x[0-9a-f]{6,}", page)
    for q in quiz.questions:
        assert q.prompt.replace("'", "&#x27;") in page
        for o in q.options:
            assert o.text.replace("'", "&#x27;") in page
    assert page.count("<details><summary>Answer</summary>") == 10
    assert Quiz.from_course(course, n=1, seed=1).__repr__() == "Quiz(1 question, seed 1)"


def test_quiz_is_exported_from_the_package() -> None:
    assert stretchkit.Quiz is Quiz
    static = Path(stretchkit.__file__).parent / "static"
    assert (static / "quiz.js").is_file() and (static / "quiz.css").is_file()


def test_a_technique_check_by_slug_or_object_from_the_bundled_course(course: stretchkit.Course) -> None:
    by_slug = Quiz.from_course(topic="cat-camel", n=3, seed=2)
    by_object = Quiz.from_course(course, 3, 2, topic=course.technique("cat-camel"))
    assert by_slug.payload == by_object.payload and by_slug.heading == "Check: Cat-Camel Stretch"


# --- one full stop ---------------------------------------------------------------------------

#: A full stop after a sentence that already ended ('“Lying on your back.”.', 'back..').
DOUBLED = re.compile(r"[.!?][\"'’”)\]]*\.(?=\s|$)")


def every_quiz_line(quiz: Quiz) -> list[str]:
    """Every line the quiz can show: per option chosen or not, per step at each place, and the rest."""
    lines = [*quiz.words["summary"], quiz.words["past"], quiz.words["shuffling"], quiz.words["so_far"]]
    lines += [line for r in quiz.words["rounds"] for line in r.values()]
    for question in quiz.payload:
        keys = ("legend", "hint", "empty", "right", "wrong", "revealed", "in_order", "missing", "explanation")
        lines += [question[k] for k in keys]
        for option in question["options"]:
            for value in option.values():
                if isinstance(value, list):
                    lines += [v for v in value if isinstance(v, str)]
                elif isinstance(value, str):
                    lines.append(value)
    return lines


def test_no_feedback_line_ends_in_two_full_stops(course: stretchkit.Course) -> None:
    quiz = Quiz.from_course(course, seed=3)
    lines = every_quiz_line(quiz)
    assert any(re.search(r"[.!?]”", line) for line in lines), "a quoted option that ends a sentence"
    doubled = [line for line in lines if DOUBLED.search(line)]
    assert not doubled, doubled
    grade = quiz.grade({q.id: quiz.solution()[q.id] for q in quiz.questions})
    assert not [line for g in grade.questions for line in g.feedback if DOUBLED.search(line)]


# --- review what you missed -------------------------------------------------------------------


def test_a_question_answered_wrong_comes_back_first_labelled_for_review(course: stretchkit.Course) -> None:
    """Lesson 09's quiz: a question missed in round 3 comes back first, and once answered right it waits."""
    from stretchkit.practice import Journal

    quiz = Quiz.from_course(course, seed=1)
    total = len(quiz.questions)
    missed = quiz.questions[25].id
    quiz.receive({"type": "answer", "attempt": 0, "id": missed, "choice": wrong_answer(quiz, missed)})
    again = Quiz.from_course(course, seed=1)
    assert again.payload[0]["id"] == missed
    assert again.payload[0]["legend"].startswith(f"Question 1 of {total} (for review): ")
    assert not any("(for review)" in p["legend"] for p in again.payload[1:]), "only the question missed"
    assert "(for review)" in again._fallback_html(), "the text shown without a live kernel says so too"
    again.receive({"type": "answer", "attempt": 0, "id": missed, "choice": again.solution()[missed]})
    rested = Quiz.from_course(course, seed=1)
    assert [q.id for q in rested.questions] == [q.id for q in quiz.questions], "answered right: not due today"
    assert [a.correct for a in Journal().quiz_history()] == [False, True]


def test_a_lessons_short_check_picks_its_missed_question_first(course: stretchkit.Course) -> None:
    check = Quiz.from_course(course, topic="cat-camel", n=4, seed=2)
    others = [q for q in questions_from_course(course) if q.topic == "cat-camel"]
    left_out = next(q for q in others if q.id not in {s.id for s in check.questions})
    journal = FakeJournal(
        [QuizAnswer("course", left_out.id, left_out.prompt, ("x",), False, datetime.now(UTC))]
    )
    again = Quiz.from_course(course, topic="cat-camel", n=4, seed=2, journal=journal)
    assert again.payload[0]["id"] == left_out.id
    assert again.payload[0]["legend"] == f"Question 1 of 4 (for review): {left_out.prompt}"
    assert len(again.questions) == 4


def test_a_journal_that_cannot_be_read_leaves_nothing_due(course: stretchkit.Course) -> None:
    class Broken(FakeJournal):
        def quiz_history(self) -> list[QuizAnswer]:
            raise OSError("disk gone")

    quiz = Quiz.from_course(course, topic="cat-camel", n=4, seed=2, journal=Broken())
    assert quiz.due == frozenset()
    assert [q.id for q in quiz.questions] == [
        q.id for q in Quiz.from_course(course, topic="cat-camel", n=4, seed=2).questions
    ]
