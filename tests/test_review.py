"""The review schedule: Leitner boxes, property-tested (a wrong answer goes back to box 1, a
right one moves up a box, due dates never move backwards for a right answer), and picking the
questions due from a journal's answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from stretchkit.journal import QuizAnswer
from stretchkit.review import INTERVALS, Card, answer, due, schedule

T0 = datetime(2025, 3, 3, 9, 0)
#: Answers to one question: (correct, minutes after the one before; negative: a clock put back).
steps = st.lists(st.tuples(st.booleans(), st.integers(min_value=-600, max_value=60 * 24 * 40)), max_size=30)


@given(steps)
def test_each_answer_moves_the_question_as_the_boxes_say(history: list[tuple[bool, int]]) -> None:
    card: Card | None = None
    at = T0
    for correct, minutes in history:
        at += timedelta(minutes=minutes)
        before = card
        card = answer(card, "q", correct, at)
        assert 1 <= card.box <= len(INTERVALS)
        assert card.due == card.last + timedelta(days=INTERVALS[card.box - 1])
        assert card.due >= card.last
        if before is not None:
            assert card.last == max(at, before.last), "time never runs backwards for a question"
        if not correct:
            assert card.box == 1, "a wrong answer goes back to box 1"
            assert card.due == card.last, "and the question is due again at once"
        else:
            assert card.box == min((before.box if before else 1) + 1, len(INTERVALS)), "up one box"
            if before is not None:
                assert card.due >= before.due, "a right answer never brings a question back sooner"


@given(steps)
def test_a_question_is_due_exactly_when_its_box_has_waited(history: list[tuple[bool, int]]) -> None:
    card: Card | None = None
    at = T0
    for correct, minutes in history:
        at += timedelta(minutes=max(minutes, 0))
        card = answer(card, "q", correct, at)
    if card is None:
        assert due({}, at) == []
        return
    assert due({"q": card}, card.due) == ["q"]
    assert due({"q": card}, card.due - timedelta(seconds=1)) == []
    assert due({"q": card}, card.due + timedelta(days=1), among=["other"]) == []


def qa(question: str, correct: bool, at: datetime, run: str = "r1") -> QuizAnswer:
    return QuizAnswer("course", question, f"{question}?", ("a",), correct, at, run)


def test_only_the_first_check_in_a_pass_counts() -> None:
    cards = schedule(
        [
            qa("a", False, T0),
            qa("a", True, T0 + timedelta(seconds=20)),  # the same pass, after reading the feedback
            qa("b", True, T0),
        ]
    )
    assert (cards["a"].box, cards["a"].due) == (1, T0)
    assert (cards["b"].box, cards["b"].due) == (2, T0 + timedelta(days=INTERVALS[1]))
    later = schedule([qa("a", False, T0), qa("a", True, T0 + timedelta(days=1), run="r2")])
    assert later["a"].box == 2, "a right answer in the next pass moves it up"


def test_the_due_questions_are_the_missed_and_the_waited_longest_overdue_first() -> None:
    cards = schedule(
        [
            qa("missed", False, T0 + timedelta(hours=1)),
            qa("known", True, T0),
            qa("older-miss", False, T0),
            qa("old", False, T0, run=""),  # saved before passes were kept: each answer counts
            qa("old", True, T0 + timedelta(minutes=1), run=""),
        ]
    )
    assert due(cards, T0 + timedelta(hours=2)) == ["older-miss", "missed"]
    assert due(cards, T0 + timedelta(days=1, minutes=1)) == ["older-miss", "missed", "known", "old"]
    assert due(cards, T0 + timedelta(hours=2), among=["missed", "known"]) == ["missed"]


def test_times_with_and_without_a_zone_mix() -> None:
    aware = T0.astimezone()
    cards = schedule([qa("a", False, T0), qa("b", False, aware + timedelta(minutes=1), run="r2")])
    assert due(cards, aware + timedelta(minutes=2)) == ["a", "b"]
