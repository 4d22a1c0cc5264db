"""Quiz questions made from the content: what each kind asks, its wrong options, its ids, its
one score, and content that cannot make a fair question refused with the entry named."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

import stretchkit
from stretchkit import ContentError, load_course
from stretchkit.course import Distractor
from stretchkit.questions import Question, first_try_score, questions_from_course
from stretchkit.quiz import Quiz
from stretchkit.wording import join_and


@pytest.fixture(scope="module")
def course() -> stretchkit.Course:
    return load_course()


def by_id(questions: tuple[Question, ...]) -> dict[str, Question]:
    return {q.id: q for q in questions}


# --- questions from the content ---------------------------------------------------------


def test_faq_questions_use_the_authored_answers_and_distractors(course: stretchkit.Course) -> None:
    questions = by_id(questions_from_course(course))
    for f in course.faq:
        q = questions[f"faq:{f.slug}"]
        assert q.prompt == f.question
        assert q.kind == ("single" if len(f.correct) == 1 else "multiple")
        assert [o.text for o in q.options if o.correct] == list(f.correct)
        assert [(o.text, o.why) for o in q.options if not o.correct] == [
            (d.text, d.why) for d in f.distractors
        ]
        assert q.explanation == " ".join(f.answer.split())
        assert q.see == f.see


def test_generated_questions_ask_about_technique_facts(course: stretchkit.Course) -> None:
    questions = by_id(questions_from_course(course))
    ham = course.technique("hamstring-stretch")
    towel = questions["equipment:towel-or-strap"]
    assert towel.prompt == f"Which stretch uses {ham.equipment[0]}?"
    assert [o.text for o in towel.options if o.correct] == [ham.name]
    piri = course.technique("piriformis-stretch")
    why = {o.text: o.why for o in towel.options}
    assert why[piri.name] == f"The {piri.name} uses {piri.equipment[0]}."

    targets = questions["targets:piriformis-stretch"]
    assert "piriformis" in next(o.text for o in targets.options if o.correct).lower()

    cat = course.technique("cat-camel")
    order = questions["order:cat-camel"]
    assert order.kind == "order" and [o.text for o in order.options] == list(cat.steps)

    timing = questions["timing:hamstring-stretch"]
    right = next(o.text for o in timing.options if o.correct)
    assert f"{ham.hold_seconds:g} seconds" in right and "each side" in right

    per_side = questions["per-side"]
    assert per_side.kind == "multiple"
    assert {o.text for o in per_side.options if o.correct} == {
        t.name for t in course.techniques if t.per_side
    }


def test_every_wrong_option_is_a_real_fact_of_another_technique(course: stretchkit.Course) -> None:
    def facts(t: stretchkit.Technique) -> set[str]:
        text = {t.name, t.start_position, *t.targets, " and ".join(t.targets), ", ".join(t.targets)}
        return {s.casefold() for s in text}

    for q in questions_from_course(course):
        if q.id.startswith(("start:", "targets:", "equipment:")):
            subject = q.topic
            for o in q.options:
                if o.correct:
                    continue
                owners = [t for t in course.all_techniques if o.text.casefold() in facts(t)]
                family = {subject, *(a.slug for a in course.technique(subject).alternatives)}
                assert owners and not family & {t.slug for t in owners}, (q.id, o.text)
                assert any(t.name in o.why for t in owners), (q.id, o.why)


def test_question_ids_are_stable_and_readable(course: stretchkit.Course) -> None:
    ids = [q.id for q in questions_from_course(course)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9:-]+", i) for i in ids)
    assert {"faq:how-stretching-helps", "order:cat-camel", "equipment:towel-or-strap"} <= set(ids)


OVERLAY = """
extends = "stretchkit"

[[faq]]
slug = "childs-pose-benefit"
question = "Why try Child's Pose when your back aches?"
correct = ["It stretches the spine gently"]

[[faq.distractors]]
text = "It builds up the calves"
why = "Nothing in Child's Pose works the calves."

[[faq]]
slug = "new-question"
question = "Is stretching a complete cure?"
answer = "No: it is one part of staying active."
see = "why"
correct = ["No, it is one part of staying active"]
source = "article"

[[faq.distractors]]
text = "Yes, always"
why = "The course says stretching alone may not make back pain go away."

[[techniques]]
slug = "hamstring-stretch"
name = "Towel Hamstring Stretch"
hold_seconds = 45
equipment = ["a long towel"]
"""


def test_modified_course_changes_the_quiz(tmp_path: Path) -> None:
    path = tmp_path / "clinic.toml"
    path.write_text(OVERLAY, encoding="utf-8")
    course = load_course(path)
    questions = by_id(questions_from_course(course))
    benefit = questions["faq:childs-pose-benefit"]
    assert benefit.prompt == "Why try Child's Pose when your back aches?"
    assert [o.text for o in benefit.options] == ["It stretches the spine gently", "It builds up the calves"]
    assert questions["faq:new-question"].kind == "single"
    assert "equipment:towel-or-strap" not in questions
    towel = questions["equipment:long-towel"]
    assert towel.prompt == "Which stretch uses a long towel?"
    assert [o.text for o in towel.options if o.correct] == ["Towel Hamstring Stretch"]
    timing = questions["timing:hamstring-stretch"]
    assert next(o.text for o in timing.options if o.correct) == "Hold about 45 seconds on each side, 2 times"
    assert "Towel Hamstring Stretch" in timing.prompt
    quiz = Quiz.from_course(course, seed=3)
    assert len(quiz.questions) == len(questions)


# --- the score ---------------------------------------------------------------------------------


def test_one_function_scores_every_quiz_by_first_checks() -> None:
    answers = [("a", False), ("a", True), ("b", True), ("x", True), ("c", True), ("b", False)]
    assert first_try_score(answers, ["a", "b", "c"]).line == "2 of 3 correct at the first try"
    assert first_try_score([], ["a"]).line == "0 of 1 correct at the first try (0 answered)"


# --- bad quiz data ---------------------------------------------------------------------------


def with_faq(course: stretchkit.Course, index: int, **changes: Any) -> stretchkit.Course:
    faq = list(course.faq)
    faq[index] = dataclasses.replace(faq[index], **changes)
    return dataclasses.replace(course, faq=tuple(faq))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"correct": ("Same", "same ")}, "correct[1]: 'same ' repeats correct[0]"),
        (
            {"distractors": (Distractor("A", "x"), Distractor("a", "y"))},
            "distractors[1]: 'a' repeats distractors[0]",
        ),
        ({"distractors": (Distractor("A", " "),)}, "distractors[0] ('A'): why must not be empty"),
        ({"correct": ("  ",)}, "correct[0]: text must not be empty"),
        ({"distractors": ()}, "needs at least 2 options"),
    ],
)
def test_malformed_faq_quiz_data_names_the_entry(
    course: stretchkit.Course, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ContentError, match=re.escape(f"quiz: faq[3] (piriformis-explained): {message}")):
        questions_from_course(with_faq(course, 3, **changes))


def test_malformed_faq_in_a_content_file_names_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "clinic.toml"
    path.write_text(
        'extends = "stretchkit"\n[[faq]]\nslug = "how-stretching-helps"\n'
        '[[faq.distractors]]\ntext = "It improves posture"\nwhy = "Copied by mistake."\n',
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match=re.escape("quiz: faq[0] (how-stretching-helps): distractors[0]")):
        questions_from_course(load_course(path))


def test_repeated_steps_name_the_technique(course: stretchkit.Course) -> None:
    ts = list(course.techniques)
    ts[1] = dataclasses.replace(ts[1], steps=("Breathe.", "breathe."))
    with pytest.raises(ContentError, match=re.escape("quiz: techniques[1] (cat-camel): option 1")):
        questions_from_course(dataclasses.replace(course, techniques=tuple(ts)))


# --- safety and habits in the quiz, and no partly true or contested options -------------------


def test_the_quiz_asks_about_safety_and_everyday_habits(course: stretchkit.Course) -> None:
    questions = questions_from_course(course)
    safety = [q for q in questions if q.id.startswith("safety:")]
    habits = [q for q in questions if q.id.startswith("habit:")]
    assert len(safety) >= 3 and len(habits) >= 3
    prompts = " ".join(q.prompt for q in safety).lower()
    assert "sharp pain" in prompts and "numbness" in prompts  # when to stop; what needs urgent help
    for q in safety + habits:
        assert course.source(q.source)  # every one names its source
    assert {q.see for q in habits} <= {t.slug for t in course.tips}


def test_the_urgency_question_is_made_from_the_red_flag_tiers(course: stretchkit.Course) -> None:
    q = next(q for q in questions_from_course(course) if q.id == "safety:urgency")
    s = course.safety
    right = [o for o in q.options if o.correct]
    assert [o.text.lower() for o in right] == [s.emergency[0].text.lower()]
    wrong = {o.text.lower() for o in q.options if not o.correct}
    assert {u.text.lower() for u in s.urgent[:2]} <= wrong
    assert all(
        s.urgent_heading in o.why for o in q.options if o.text.lower() in {u.text.lower() for u in s.urgent}
    )


def test_no_partly_true_wrong_options_for_the_spine_stretches(course: stretchkit.Course) -> None:
    """Cat-Camel and the rotation never get each other's (overlapping) targets as wrong answers."""
    by_id = {q.id: q for q in questions_from_course(course)}
    spine = {"childs-pose", "cat-camel", "childs-pose-rotation"}
    assert "targets:cat-camel" in by_id and "targets:childs-pose-rotation" in by_id
    for slug in spine:
        q = by_id.get(f"targets:{slug}")
        if q is None:  # no fair wrong option left (Child's Pose): no question rather than a partly true one
            continue
        for o in q.options:
            if not o.correct:
                text = o.text.lower().rstrip(".")
                owners = [t.slug for t in course.all_techniques if text == join_and(t.targets).lower()]
                assert owners and not set(owners) & (spine | {"seated-cat-camel", "seated-knee-hug"}), (
                    slug,
                    o.text,
                )


def test_no_question_tests_a_timer_default(course: stretchkit.Course) -> None:
    ids = {q.id for q in questions_from_course(course)}
    for t in course.all_techniques:
        if t.is_movement:
            assert f"timing:{t.slug}" not in ids  # Cat-Camel's 5 s is the timer's pace, not a fact
    rotation = next(q for q in questions_from_course(course) if q.id == "timing:childs-pose-rotation")
    right = next(o for o in rotation.options if o.correct)
    assert "a few breaths" in right.text and "30 seconds" in right.text  # the article's words and the timer's


def test_contested_claims_are_asked_according_to_the_article(course: stretchkit.Course) -> None:
    faq = {f.slug: f for f in course.faq}
    for slug in ("how-stretching-helps", "childs-pose-benefit", "piriformis-explained"):
        assert faq[slug].question.startswith("According to the article")
    assert "which of these" not in faq["effective-techniques"].question.lower()
    assert "four stretches" in faq["effective-techniques"].question
    pir = faq["piriformis-explained"]
    body = ("thigh", "abdominal", "calf", "buttock")
    assert all(any(b in d.text for b in body) for d in pir.distractors)  # every option names a body part
