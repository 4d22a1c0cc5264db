"""The self-check quiz widget: questions from the course, instant feedback, results saved.

Questions, grading and every line of feedback come from :mod:`stretchkit.questions`;
this widget lays them out (a reproducible shuffle per attempt), sends them to its front
end (``static/quiz.js``), which only displays the text it is given and checks an answer
against the key it is sent (``questions.answer_key``), and saves every checked answer,
graded again here, to the practice journal so a learner sees their history across sessions.
A long quiz is shown in short rounds (``round_size`` questions each) so nobody scrolls
through dozens of questions before seeing a score; a lesson's own check never points the
learner to the lesson they are in (``lesson``).
"""

from __future__ import annotations

import html
import random
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import anywidget
import traitlets

from ._widget import STATIC, StaticFallback
from .content import check_course, load_course
from .course import Course, Technique
from .journal import JournalStore, QuizAnswer
from .lessons import lesson_for
from .questions import (
    WORDS,
    Grade,
    Question,
    QuestionGrade,
    Score,
    Shown,
    answer_key,
    arrange,
    check_question,
    fail,
    first_try_score,
    grade_question,
    is_correct,
    parse_choice,
    questions_from_course,
    quiz_words,
    reveal_words,
    round_words,
    words_for,
)
from .review import due, schedule
from .wording import plural

__all__ = ["Quiz", "QuizStore", "Result"]


@dataclass(frozen=True)
class Result(QuizAnswer):
    """One answer checked in the widget: what the journal keeps, plus which attempt it was."""

    attempt: int = 0


class QuizStore(Protocol):
    """Where answers are kept: the practice journal, or a fake in tests."""

    def record_quiz_answer(self, answer: QuizAnswer) -> None: ...

    def quiz_history(self) -> Sequence[Any]: ...


def _default_clock() -> datetime:
    return datetime.now().astimezone()


def _check_round_size(round_size: object) -> None:
    """A round is a whole number of questions, at least one."""
    if isinstance(round_size, bool) or not isinstance(round_size, int):
        raise TypeError(f"round_size must be a whole number of questions, got {round_size!r}")
    if round_size < 1:
        raise ValueError(f"round_size must be at least 1 question, got {round_size}")


class Quiz(StaticFallback, anywidget.AnyWidget):  # type: ignore[misc]
    """A self-check quiz: questions from the course, instant feedback, results saved.

    Build one with :meth:`Quiz.from_course`. Option indices (in :meth:`grade` and in what
    the browser sends) refer to the displayed order, which is shuffled by ``seed``.
    """

    _esm = STATIC / "quiz.js"
    _css = STATIC / "quiz.css"

    payload = traitlets.List(traitlets.Dict()).tag(sync=True)
    #: Lines about the whole quiz (summary by score, past results), made by ``questions``.
    words = traitlets.Dict().tag(sync=True)
    attempt = traitlets.Int(0).tag(sync=True)
    heading = traitlets.Unicode("Quiz").tag(sync=True)
    past = traitlets.Unicode("").tag(sync=True)
    notice = traitlets.Unicode("").tag(sync=True)

    def __init__(
        self,
        questions: Iterable[Question],
        *,
        n: int | None = None,
        seed: int | None = None,
        course: Course | None = None,
        quiz_id: str = "quiz",
        heading: str = "Quiz",
        journal: QuizStore | None = None,
        clock: Callable[[], datetime] | None = None,
        round_size: int = 10,
        lesson: str | None = None,
    ) -> None:
        pool = tuple(questions)
        for q in pool:
            if not isinstance(q, Question):
                raise TypeError(f"questions must be Question objects, got {q!r}")
        ids: set[str] = set()
        for i, q in enumerate(pool):
            check_question(q, f"questions[{i}] ({q.id})")
            if q.id in ids:
                raise fail(f"questions[{i}] ({q.id})", f"id {q.id!r} is used twice")
            ids.add(q.id)
        if not pool:
            raise ValueError("questions must not be empty")
        if n is not None and (isinstance(n, bool) or not isinstance(n, int)):
            raise TypeError(f"n must be a whole number or None, got {n!r}")
        if n is not None and not 1 <= n <= len(pool):
            raise ValueError(f"n must be between 1 and {len(pool)} (the questions available), got {n}")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise TypeError(f"seed must be a whole number or None, got {seed!r}")
        if not isinstance(quiz_id, str) or not quiz_id.strip():
            raise ValueError(f"quiz_id must be non-empty text, got {quiz_id!r}")
        _check_round_size(round_size)
        super().__init__()
        self.seed: int = secrets.randbelow(2**31) if seed is None else seed
        self.quiz_id = quiz_id
        self.results: list[Result] = []
        self._course = course
        self._journal: QuizStore | None = journal
        self._clock = clock or _default_clock
        self.round_size = round_size
        self.lesson = lesson
        here = self._lesson_href(lesson)
        # 'See Lesson 04' links, but none to the lesson this quiz is in: the learner is there.
        self._links: dict[str, tuple[str, str]] = {}
        self._runs: set[str] = set()
        #: The page's answers already received, by view and number: a resent one is kept once.
        self._received: set[tuple[str, int]] = set()
        for i, q in enumerate(pool):
            for see in dict.fromkeys(x for x in (q.see, *(o.see for o in q.options)) if x):
                text, href = self._resolve(see, f"questions[{i}] ({q.id})")
                if href != here:
                    self._links[see] = (text, href)
        picked = list(pool)
        random.Random(f"stretchkit-quiz:{self.seed}:pick").shuffle(picked)
        #: The questions due for review (stretchkit.review): picked first, shown first, labelled.
        self.due: frozenset[str] = self._due_ids([q.id for q in pool])
        picked = self._due_first(picked)
        self._selection = tuple(picked[:n] if n is not None else picked)
        self._shown: tuple[Shown, ...] = ()
        self.heading = heading
        self.words = {**quiz_words(len(self._selection)), **round_words(len(self._selection), round_size)}
        self._show(0)
        self.on_msg(self._on_msg)

    @classmethod
    def from_course(
        cls,
        course: Course | None = None,
        n: int | None = None,
        seed: int | None = None,
        *,
        topic: str | Technique | None = None,
        journal: QuizStore | None = None,
        round_size: int = 10,
    ) -> Quiz:
        """The course quiz, or the check for one technique (``topic``: a slug or a Technique).

        ``course`` defaults to the bundled course. A technique's check is shown in that
        technique's lesson, so its feedback does not point to that lesson.
        """
        course = check_course(course) or load_course()
        if isinstance(topic, Technique):
            topic = topic.slug
        pool = questions_from_course(course)
        if topic is None:
            return cls(
                pool,
                n=n,
                seed=seed,
                course=course,
                quiz_id="course",
                heading="Course quiz",
                journal=journal,
                round_size=round_size,
            )
        slugs = [t.slug for t in course.techniques]
        if topic not in slugs:
            raise ValueError(f"topic must be a technique slug ({', '.join(slugs)}), got {topic!r}")
        about = [q for q in pool if q.topic == topic]
        name = course.technique(topic).name
        return cls(
            about,
            n=n,
            seed=seed,
            course=course,
            quiz_id=f"check:{topic}",
            heading=f"Check: {name}",
            journal=journal,
            round_size=round_size,
            lesson=topic,
        )

    # -- display ----------------------------------------------------------------------------

    def _due_ids(self, ids: Sequence[str]) -> frozenset[str]:
        """Which of these questions the journal's answers make due now; none if it cannot be read."""
        try:
            history = self._store().quiz_history()
        except Exception:  # no journal, or one that cannot be read: nothing is due
            return frozenset()
        return frozenset(due(schedule(history), self._clock(), among=ids))

    def _due_first(self, questions: Sequence[Question]) -> list[Question]:
        """The questions due for review first, each group in the order it had."""
        return sorted(questions, key=lambda q: q.id not in self.due)

    def _lesson_href(self, lesson: object) -> str | None:
        """The notebook the quiz is shown in (``lesson``: what a question's ``see`` names)."""
        if lesson is None:
            return None
        if not isinstance(lesson, str):
            raise TypeError(f"lesson must be a lesson's slug (like a technique's) or None, got {lesson!r}")
        try:
            return lesson_for(lesson, self._course)[1]
        except KeyError as exc:
            raise ValueError(f"lesson: {exc.args[0]}") from None

    def _resolve(self, see: str, entry: str) -> tuple[str, str]:
        try:
            title, href = lesson_for(see, self._course)
        except KeyError as exc:
            raise fail(entry, f"see: {exc.args[0]}") from None
        return f"See {title}", href

    def _show(self, attempt: int) -> None:
        """Lay the selected questions out for ``attempt``: a new, reproducible shuffle each time."""
        rng = random.Random(f"stretchkit-quiz:{self.seed}:{attempt}")
        order = list(self._selection)
        if attempt:
            rng.shuffle(order)
        order = self._due_first(order)
        self._shown = tuple(arrange(q, rng) for q in order)
        # Each pass through the quiz is its own run in the journal, so a score counts the
        # first check of each question in that pass.
        self._run = secrets.token_hex(8)
        self._runs.add(self._run)
        total = len(self._shown)
        payload = [self._payload(s, i, total) for i, s in enumerate(self._shown)]
        # One message for both: a page that drew the new questions before it heard the new
        # attempt sent its first answer as stale, and the journal lost it.
        with self.hold_sync():
            self.attempt = attempt
            self.payload = payload

    def _payload(self, s: Shown, index: int, total: int) -> dict[str, Any]:
        q = s.question

        def link(see: str) -> dict[str, str] | None:
            if see not in self._links:
                return None
            text, href = self._links[see]
            return {"text": text, "href": href}

        words = words_for(s, index, total, review=q.id in self.due)
        reveal = reveal_words(s, index)
        not_at = reveal.pop("not_at") or [[] for _ in q.options]
        return {
            **words,
            **reveal,
            "id": q.id,
            "round": index // self.round_size,
            "kind": q.kind,
            "prompt": q.prompt,
            "explanation": q.explanation,
            "see": link(q.see),
            # The page checks an answer at once against this key; Python grades it again to save it.
            "answer": answer_key(s),
            "options": [
                {"text": o.text, "see": link(o.see), **lines, "not_at": places}
                for o, lines, places in zip(q.options, words["options"], not_at, strict=True)
            ],
        }

    @property
    def questions(self) -> tuple[Question, ...]:
        """The questions as displayed now: shuffled order, options in displayed order."""
        return tuple(s.question for s in self._shown)

    @property
    def rounds(self) -> tuple[tuple[Question, ...], ...]:
        """The questions as displayed now, in the rounds the page shows them (one for a short quiz)."""
        shown = self.questions
        return tuple(shown[i : i + self.round_size] for i in range(0, len(shown), self.round_size))

    def solution(self) -> dict[str, list[int]]:
        """The right answer to each question, as displayed option indices (for tests and teachers)."""
        return {s.question.id: answer_key(s) for s in self._shown}

    def try_again(self) -> None:
        """Reshuffle the same questions with the next seed in a fixed sequence."""
        self._show(self.attempt + 1)

    # -- grading ------------------------------------------------------------------------------

    def _grade_one(self, s: Shown, choice: list[int] | None) -> QuestionGrade:
        return grade_question(s, choice, *self._links.get(s.question.see, ("", "")))

    def grade(self, answers: Mapping[str, int | Sequence[int]]) -> Grade:
        """Grade answers (question id -> displayed option index or indices) without a browser.

        Unanswered questions count as incorrect. Unknown ids or bad indices raise
        ValueError naming every one of them.
        """
        if not isinstance(answers, Mapping):
            raise TypeError(
                f"answers must be a dict of question id -> option index or indices, got {answers!r}"
            )
        shown = {s.question.id: s for s in self._shown}
        unknown = [k for k in answers if k not in shown]
        if unknown:
            raise ValueError(
                f"answers: unknown question ids {', '.join(map(repr, unknown))} "
                f"(this quiz has {', '.join(map(repr, shown))})"
            )
        chosen: dict[str, list[int]] = {}
        problems = []
        for qid, answer in answers.items():
            choice = parse_choice(shown[qid], answer)
            if isinstance(choice, str):
                problems.append(f"{qid!r}: {choice}")
            else:
                chosen[qid] = choice
        if problems:
            raise ValueError("answers: " + "; ".join(problems))
        return Grade(tuple(self._grade_one(s, chosen.get(s.question.id)) for s in self._shown))

    # -- results from the browser -----------------------------------------------------------

    def _on_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        self.receive(content)

    def receive(self, message: Mapping[str, Any]) -> Result | None:
        """Handle a message from the browser: a checked answer, 'try again', or 'ready'.

        Malformed or stale messages (from before a reshuffle) are ignored: they must never
        raise in the kernel. Returns the recorded result for an answer.
        """
        if not isinstance(message, Mapping):
            return None
        kind = message.get("type")
        if kind == "retry":
            self.try_again()
        elif kind == "ready":
            self.past = self.past_summary()
        elif kind == "answer":
            return self._answer(message)
        return None

    def _answer(self, message: Mapping[str, Any]) -> Result | None:
        """Record a checked answer once, however often the page sends it, and say it arrived.

        The page numbers its answers and sends one again until it hears "saved", so none is
        lost on the way; an answer seen before is only acknowledged again.
        """
        seq = message.get("seq")
        key = (str(message.get("view")), seq) if isinstance(seq, int) else None
        result = None
        if key is None or key not in self._received:
            if key is not None:
                self._received.add(key)
            result = self._grade_message(message)
        if key is not None:
            self.send({"type": "saved", "view": key[0], "seq": seq})
        return result

    def _grade_message(self, message: Mapping[str, Any]) -> Result | None:
        if message.get("attempt") != self.attempt:
            return None  # from before a reshuffle
        shown = {s.question.id: s for s in self._shown}
        s = shown.get(str(message.get("id")))
        if s is None:
            return None
        choice = parse_choice(s, message.get("choice"))
        return None if isinstance(choice, str) else self.record(s.question.id, choice)

    def record(self, question_id: str, choice: list[int]) -> Result:
        """Grade one displayed answer, keep it, and save it to the journal."""
        s = next(s for s in self._shown if s.question.id == question_id)
        answer = QuizAnswer(
            quiz_id=self.quiz_id,
            question_id=question_id,
            question=s.question.prompt,
            choice=tuple(s.question.options[i].text for i in choice),
            correct=is_correct(s, choice),
            at=self._clock(),
            run=self._run,
        )
        result = Result(**vars(answer), attempt=self.attempt)
        self.results.append(result)
        try:
            self._store().record_quiz_answer(answer)
        except Exception as exc:  # a failed save must not lose the answer or break the widget
            self.notice = f"Your answer was checked but could not be saved to your journal: {exc}"
        return result

    def _store(self) -> QuizStore:
        """The journal, opened on first use: showing a quiz reads it (what is due) but never writes."""
        if self._journal is None:
            self._journal = JournalStore()
        return self._journal

    @property
    def history(self) -> list[Any]:
        """Saved answers to this quiz (every session), oldest first."""
        return [a for a in self._store().quiz_history() if getattr(a, "quiz_id", None) == self.quiz_id]

    def score(self) -> Score:
        """This pass's score so far, as the quiz's summary shows it (first check of each question)."""
        answers = [(r.question_id, r.correct) for r in self.results if r.run == self._run]
        return first_try_score(answers, [s.question.id for s in self._shown])

    def past_summary(self) -> str:
        """'6 of 8 correct at the first try': the last pass through these questions before this quiz.

        Scored as the quiz's own summary is (:func:`~stretchkit.questions.first_try_score`),
        so the two never disagree. Answers saved before the journal kept passes count as one.
        """
        try:
            history = self.history
        except Exception:  # no journal yet, or one that cannot be read: show no past results
            return ""
        ids = [q.id for q in self._selection]
        earlier = [a for a in history if a.question_id in ids and getattr(a, "run", "") not in self._runs]
        if not earlier:
            return ""
        last = getattr(earlier[-1], "run", "")
        answers = [(a.question_id, bool(a.correct)) for a in earlier if getattr(a, "run", "") == last]
        return first_try_score(answers, ids).line

    # -- reprs ----------------------------------------------------------------------------------

    def __repr__(self) -> str:
        count = len(self._shown)
        return f"Quiz({plural(count, 'question')}, seed {self.seed})"

    def _fallback_html(self) -> str:
        e = html.escape
        items = []
        for s in self._shown:
            q = s.question
            if q.kind == "order":
                options = "".join(f"<li>{e(o.text)}</li>" for o in q.options)
                steps = sorted(range(len(s.positions)), key=lambda i: s.positions[i])
                answer = "<ol>" + "".join(f"<li>{e(q.options[i].text)}</li>" for i in steps) + "</ol>"
                body = f"<ul>{options}</ul>"
            else:
                body = "<ul>" + "".join(f"<li>{e(o.text)}</li>" for o in q.options) + "</ul>"
                answer = "<p>" + "; ".join(e(o.text) for o in q.options if o.correct) + "</p>"
            extra = f"<p>{e(q.explanation)}</p>" if q.explanation else ""
            link = self._links.get(q.see)
            see = f'<p><a href="{e(link[1])}">{e(link[0])}</a></p>' if link else ""
            hint = WORDS["hint"][q.kind]
            review = f" ({WORDS['review']})" if q.id in self.due else ""
            items.append(
                f"<li><p><strong>{e(q.prompt)}</strong>{review} <em>{hint}</em></p>{body}"
                f"<details><summary>Answer</summary>{answer}{extra}{see}</details></li>"
            )
        return (
            f'<section class="sk-quiz-fallback" aria-label="{e(self.heading)}">'
            f"<p><strong>{e(self.heading)}</strong>: {len(self._shown)} questions. "
            "Run this notebook in JupyterLab to answer them with instant feedback.</p>"
            f"<ol>{''.join(items)}</ol></section>"
        )
