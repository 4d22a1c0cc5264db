"""Review what you missed: a Leitner box schedule of the quiz questions a learner has answered.

Pure Python, no storage: the journal's quiz answers go in, each question's box and the time
it is next due come out. Every question starts in box 1 when first answered, and that answer
moves it as any other does: a right answer moves it up a box (at most to the last), a wrong
one sends it back to box 1. Each box waits its own interval before the question is due
again (box 1 none: a question missed is asked again the next time a quiz is shown), so a
question answered right keeps coming back less often: a right answer never brings a
question back sooner (its due date never moves backwards); only a wrong answer does.

Only the first check of a question in each pass through a quiz counts (a later check, after
reading the feedback, is not what the learner remembered), as in the quiz's own score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

__all__ = ["INTERVALS", "Card", "Checked", "answer", "due", "schedule"]

#: Days each box waits before its questions are due again: box 1 (index 0) none, then
#: longer and longer. A course choice of spacing, not health advice.
INTERVALS: tuple[int, ...] = (0, 1, 3, 7, 14)


class Checked(Protocol):
    """What the schedule reads of one saved answer (the journal's ``QuizAnswer`` has these)."""

    @property
    def question_id(self) -> str: ...
    @property
    def correct(self) -> bool: ...
    @property
    def at(self) -> datetime: ...
    @property
    def run(self) -> str: ...


@dataclass(frozen=True)
class Card:
    """One question's place in the schedule: its box (1 to the number of boxes), last answer and due time."""

    question_id: str
    box: int
    last: datetime
    due: datetime


def answer(card: Card | None, question_id: str, correct: bool, at: datetime) -> Card:
    """The card after one answer (``card`` None: the question's first answer).

    Time never runs backwards for a card: an answer stamped before its last one (a clock
    that was put back) counts as given at that last one.
    """
    when = at if card is None or at.timestamp() >= card.last.timestamp() else card.last
    box = min((card.box if card else 1) + 1, len(INTERVALS)) if correct else 1
    return Card(question_id, box, when, when + timedelta(days=INTERVALS[box - 1]))


def schedule(answers: Iterable[Checked]) -> dict[str, Card]:
    """Each answered question's card, from the saved answers (oldest first, as the journal gives them)."""
    cards: dict[str, Card] = {}
    counted: set[tuple[str, str]] = set()
    for i, a in enumerate(answers):
        run = a.run or f"before passes were kept: {i}"  # an old answer counts on its own
        if (run, a.question_id) in counted:
            continue
        counted.add((run, a.question_id))
        cards[a.question_id] = answer(cards.get(a.question_id), a.question_id, bool(a.correct), a.at)
    return cards


def due(cards: Mapping[str, Card], now: datetime, among: Sequence[str] | None = None) -> list[str]:
    """The questions due for review at ``now`` (of ``among``, if given), longest overdue first."""
    wanted = set(cards) if among is None else set(among)
    # Compared as timestamps: a time without a zone is local time, so old and new answers mix.
    ready = [c for c in cards.values() if c.question_id in wanted and c.due.timestamp() <= now.timestamp()]
    return [c.question_id for c in sorted(ready, key=lambda c: (c.due.timestamp(), c.question_id))]
