"""A self-check quiz made from the course content, as an anywidget.

Every question comes from the content data: the FAQ entries with their authored
distractors, and facts of the techniques (what each works on, how it starts, what it
needs, how it is timed, the order of its steps). A wrong option is always a real fact
of another technique, so the quiz invents nothing and follows any edit to the content.

The browser checks answers for instant feedback; Python grades too (``Quiz.grade``),
so tests and scripts need no browser, and every checked answer is saved to the
practice journal so a learner sees their history across sessions.
"""

from __future__ import annotations

import html
import random
import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import anywidget
import traitlets

from .content import ContentError, Course, Technique
from .journal import QuizAnswer
from .lessons import lesson_for

__all__ = [
    "KINDS",
    "Grade",
    "Option",
    "Question",
    "QuestionGrade",
    "Quiz",
    "QuizStore",
    "Result",
    "lesson_for",
    "questions_from_course",
]

_STATIC = Path(__file__).parent / "static"

#: single: one radio choice; multiple: checkboxes; order: put every option in sequence.
KINDS = ("single", "multiple", "order")

#: Short words and connectives that say nothing about what a fact is about.
_STOP_WORDS = frozenset({"from", "with", "into", "onto", "your", "that", "this", "then", "each", "both"})


# --- data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One answer option. For an ordering question every option is a step, in order."""

    text: str
    correct: bool
    why: str = ""
    #: The lesson this option's fact is taught in, when it differs from the question's.
    see: str = ""


@dataclass(frozen=True)
class Question:
    """A question with its options in their canonical order (the correct order for 'order')."""

    id: str
    kind: str
    prompt: str
    options: tuple[Option, ...]
    #: The lesson feedback points back to: an FAQ's ``see`` or a technique slug.
    see: str
    source: str
    #: The technique slug the question is about ('' for course-wide questions).
    topic: str = ""
    #: Shown once after checking, e.g. an FAQ's answer.
    explanation: str = ""


@dataclass(frozen=True)
class QuestionGrade:
    """How one question was answered, with the feedback a learner would see."""

    id: str
    prompt: str
    answered: bool
    correct: bool
    choice: tuple[str, ...]
    #: One line per option, in displayed order (learner's order for an ordering question).
    feedback: tuple[str, ...]
    explanation: str
    see: str
    href: str


@dataclass(frozen=True)
class Grade:
    """The result of grading a set of answers: per question, and overall."""

    questions: tuple[QuestionGrade, ...]

    @property
    def score(self) -> int:
        return sum(q.correct for q in self.questions)

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def summary(self) -> str:
        return f"{self.score} of {self.total} correct"

    def __getitem__(self, question_id: str) -> QuestionGrade:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


@dataclass(frozen=True)
class Result(QuizAnswer):
    """One answer checked in the widget: what the journal keeps, plus which attempt it was."""

    attempt: int


class QuizStore(Protocol):
    """Where answers are kept: :class:`stretchkit.journal.Journal`, or a fake in tests."""

    def record_quiz_answer(
        self, *, quiz_id: str, question_id: str, question: str, choice: list[str], correct: bool, at: datetime
    ) -> None: ...

    def quiz_history(self) -> Sequence[Any]: ...


# --- wording helpers (grammar only; every fact comes from the course) ---------------


def _clean(text: str) -> str:
    return " ".join(text.split())


def _sentence(text: str) -> str:
    text = _clean(text)
    return text[:1].upper() + text[1:]


def _the(name: str, *, start: bool = False) -> str:
    """'the Hamstring Stretch', but "Child's Pose": a possessive name takes no article."""
    words = name.split()
    out = name if words and ("'" in words[0] or "’" in words[0]) else f"the {name}"
    return out[:1].upper() + out[1:] if start else out


def _join_and(items: Sequence[str]) -> str:
    items = [_clean(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _num(x: float) -> str:
    return f"{x:g}"


def _words(text: str) -> set[str]:
    """Content words, cut to 4 letters so 'kneeling' and 'knees' (or 'muscle(s)') count as one."""
    return {w[:4] for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 4 and w not in _STOP_WORDS}


def _unrelated(a: Technique, a_text: str, b: Technique, b_text: str) -> bool:
    """True when ``b_text`` cannot be read as also true of ``a``, so it is fair as a wrong option:
    no shared content word, and neither names the other technique ('In Child's Pose')."""
    if _words(a_text) & _words(b_text):
        return False
    return a.name.lower() not in b_text.lower() and b.name.lower() not in a_text.lower()


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    if len(words) > 1 and words[0] in {"a", "an", "the"}:
        words = words[1:]
    return "-".join(words)


def _timing(t: Technique) -> str:
    """How the course times a technique, in words: the same facts as ``Technique.dose``."""
    if t.is_movement:
        pace = ", then ".join(f"{m.name} (about {_num(m.seconds)} seconds)" for m in t.movement)
        return f"{t.reps} rounds of {pace}"
    side = " on each side" if t.per_side else ""
    reps = f", {t.reps} times" if t.reps > 1 else ""
    return f"Hold about {_num(t.hold_seconds or 0)} seconds{side}{reps}"


def _norm(text: str) -> str:
    return _clean(text).casefold()


# --- question generation -----------------------------------------------------------------


def _fail(entry: str, message: str) -> ContentError:
    return ContentError(f"quiz: {entry}: {message}")


def check_question(q: Question, entry: str) -> None:
    """Refuse a question a learner could not answer fairly; the error names ``entry``."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9:-]*", q.id):
        raise _fail(entry, f"id must be a lowercase id like 'order:cat-camel', got {q.id!r}")
    if q.kind not in KINDS:
        raise _fail(entry, f"kind must be one of {', '.join(KINDS)}, got {q.kind!r}")
    if not q.prompt.strip():
        raise _fail(entry, "prompt must not be empty")
    if len(q.options) < 2:
        raise _fail(entry, f"needs at least 2 options, got {len(q.options)}")
    seen: dict[str, int] = {}
    for j, o in enumerate(q.options):
        if not o.text.strip():
            raise _fail(entry, f"option {j}: text must not be empty")
        key = _norm(o.text)
        if key in seen:
            raise _fail(entry, f"option {j}: {o.text!r} repeats option {seen[key]}")
        seen[key] = j
        if not o.correct and not o.why.strip():
            raise _fail(entry, f"option {j} ({o.text!r}): a wrong option needs a 'why'")
        if o.correct and not (o.why.strip() or q.explanation.strip()):
            raise _fail(entry, f"option {j} ({o.text!r}): a correct option needs a 'why' or an explanation")
    correct = sum(o.correct for o in q.options)
    if correct == 0:
        raise _fail(entry, "needs at least 1 correct option")
    if q.kind == "single" and correct != 1:
        raise _fail(entry, f"a single-choice question needs exactly 1 correct option, got {correct}")
    if q.kind == "order" and correct != len(q.options):
        raise _fail(entry, "every option of an ordering question is a step and must be marked correct")
    if not q.see and not all(o.see for o in q.options):
        raise _fail(entry, "see must name the lesson the feedback points back to")


def _faq_questions(course: Course) -> list[tuple[str, Question]]:
    slugs = {t.slug for t in course.techniques}
    out = []
    for i, f in enumerate(course.faq):
        entry = f"faq[{i}] ({f.slug})"
        seen: dict[str, str] = {}
        texts = [(f"correct[{j}]", c) for j, c in enumerate(f.correct)]
        texts += [(f"distractors[{j}]", d.text) for j, d in enumerate(f.distractors)]
        for name, text in texts:
            if not text.strip():
                raise _fail(entry, f"{name}: text must not be empty")
            if _norm(text) in seen:
                raise _fail(entry, f"{name}: {text!r} repeats {seen[_norm(text)]}")
            seen[_norm(text)] = name
        for j, d in enumerate(f.distractors):
            if not d.why.strip():
                raise _fail(entry, f"distractors[{j}] ({d.text!r}): why must not be empty")
        options = tuple(Option(_clean(c), True) for c in f.correct) + tuple(
            Option(_clean(d.text), False, _sentence(d.why)) for d in f.distractors
        )
        kind = "single" if len(f.correct) == 1 else "multiple"
        question = Question(
            id=f"faq:{f.slug}",
            kind=kind,
            prompt=_clean(f.question),
            options=options,
            see=f.see,
            source=f.source,
            topic=f.see if f.see in slugs else "",
            explanation=_sentence(f.answer),
        )
        out.append((entry, question))
    return out


def _technique_questions(course: Course) -> list[tuple[str, Question]]:
    ts = course.techniques
    entries = {t.slug: f"techniques[{i}] ({t.slug})" for i, t in enumerate(ts)}
    out: list[tuple[str, Question]] = []
    for t in ts:
        entry = entries[t.slug]
        others = [u for u in ts if u.slug != t.slug]

        # How does it start?  Wrong options: other techniques' start positions.
        starts = [
            Option(_sentence(u.start_position), False, f"That is how {_the(u.name)} starts.")
            for u in others
            if _unrelated(t, t.start_position, u, u.start_position)
        ]
        if starts:
            right = Option(_sentence(t.start_position), True, f"That is how {_the(t.name)} starts.")
            out.append(
                (
                    entry,
                    Question(
                        f"start:{t.slug}",
                        "single",
                        f"How do you get into position for {_the(t.name)}?",
                        (right, *starts),
                        t.slug,
                        t.source,
                        t.slug,
                    ),
                )
            )

        # What does it work on?  Wrong options: what other techniques work on.
        mine = _join_and(t.targets)
        targets = [
            Option(_sentence(_join_and(u.targets)), False, f"That is what {_the(u.name)} works on.")
            for u in others
            if _unrelated(t, mine, u, _join_and(u.targets))
        ]
        if targets:
            right = Option(_sentence(mine), True, _sentence(t.why))
            out.append(
                (
                    entry,
                    Question(
                        f"targets:{t.slug}",
                        "single",
                        f"What does {_the(t.name)} work on?",
                        (right, *targets),
                        t.slug,
                        t.source,
                        t.slug,
                    ),
                )
            )

        # How is it timed?  Options: every distinct timing in the course.
        by_timing: dict[str, list[Technique]] = {}
        for u in ts:
            by_timing.setdefault(_timing(u), []).append(u)
        if len(by_timing) > 1:
            timings: list[Option] = []
            for text, users in by_timing.items():
                verb = "is" if len(users) == 1 else "are"
                why = f"That is how {_join_and([_the(u.name) for u in users])} {verb} timed."
                timings.append(Option(text, text == _timing(t), why))
            source = t.hold_source or t.reps_source or t.source
            out.append(
                (
                    entry,
                    Question(
                        f"timing:{t.slug}",
                        "single",
                        f"How is {_the(t.name)} timed in this course?",
                        tuple(timings),
                        t.slug,
                        source,
                        t.slug,
                    ),
                )
            )

        # Put the steps in order.
        if len(t.steps) >= 2:
            n = len(t.steps)
            steps = tuple(Option(_sentence(s), True, f"Step {k} of {n}.") for k, s in enumerate(t.steps, 1))
            out.append(
                (
                    entry,
                    Question(
                        f"order:{t.slug}",
                        "order",
                        f"Put the steps of {_the(t.name)} in order.",
                        steps,
                        t.slug,
                        t.source,
                        t.slug,
                    ),
                )
            )

    # Which stretch uses this equipment?  Options: every technique, with what it needs.
    def needs(u: Technique) -> str:
        if u.equipment:
            return f"{_the(u.name, start=True)} uses {_join_and(u.equipment)}."
        return f"{_the(u.name, start=True)} needs no equipment."

    equipment = dict.fromkeys(e for t in ts for e in t.equipment)
    for item in equipment:
        users = [t for t in ts if item in t.equipment]
        single = len(users) == 1
        prompt = (
            f"Which stretch uses {_clean(item)}?"
            if single
            else f"Which of these stretches use {_clean(item)}?"
        )
        options = tuple(Option(u.name, u in users, needs(u)) for u in ts)
        q = Question(
            f"equipment:{_slug(item)}",
            "single" if single else "multiple",
            prompt,
            options,
            users[0].slug,
            users[0].source,
            users[0].slug if single else "",
        )
        out.append((entries[users[0].slug], q))

    # Which stretches are done on each side?
    sided = [t for t in ts if t.per_side]
    if sided and len(sided) < len(ts):
        options = tuple(
            Option(
                u.name,
                u.per_side,
                f"{_the(u.name, start=True)} is done on one side, then the other."
                if u.per_side
                else f"{_the(u.name, start=True)} is not done one side at a time.",
                see=u.slug,
            )
            for u in ts
        )
        q = Question(
            "per-side",
            "multiple",
            "Which of these stretches are done on each side in turn?",
            options,
            "",
            "article",
        )
        out.append(("techniques (per_side)", q))
    return out


def questions_from_course(course: Course) -> tuple[Question, ...]:
    """Every question the course supports: the FAQ first, then facts of the techniques.

    Raises :class:`ContentError` naming the entry when the data cannot make a fair question.
    """
    made = [*_faq_questions(course), *_technique_questions(course)]
    ids: dict[str, str] = {}
    for entry, q in made:
        check_question(q, entry)
        if q.id in ids:
            raise _fail(entry, f"question id {q.id!r} is already used by {ids[q.id]}")
        ids[q.id] = entry
    return tuple(q for _, q in made)


# --- the widget ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Shown:
    """A question as displayed: options in display order, and where each belongs."""

    question: Question
    #: For each displayed option, its index in the canonical ``Question.options``.
    positions: tuple[int, ...]


def _arrange(q: Question, rng: random.Random) -> _Shown:
    n = len(q.options)
    order = list(range(n))
    rng.shuffle(order)
    if q.kind == "order":  # never show the steps already in order
        for _ in range(20):
            if order != sorted(order):
                break
            rng.shuffle(order)
        else:
            order = order[1:] + order[:1]
    shown = Question(
        q.id, q.kind, q.prompt, tuple(q.options[i] for i in order), q.see, q.source, q.topic, q.explanation
    )
    return _Shown(shown, tuple(order))


def _is_correct(s: _Shown, choice: Sequence[int]) -> bool:
    if s.question.kind == "order":
        return [s.positions[i] for i in choice] == list(range(len(s.positions)))
    right = {i for i, o in enumerate(s.question.options) if o.correct}
    return set(choice) == right


def _feedback(s: _Shown, choice: Sequence[int]) -> tuple[str, ...]:
    """One line per option: right or not, whether it was chosen, and why."""
    q = s.question
    if q.kind == "order":
        lines = []
        for place, i in enumerate(choice):
            step = s.positions[i] + 1
            text = q.options[i].text
            if step == place + 1:
                lines.append(f"✓ Step {step} is in the right place: “{text}”")
            else:
                lines.append(f"✗ “{text}” is step {step}, not {place + 1}.")
        return tuple(lines)
    chosen = set(choice)
    lines = []
    for i, o in enumerate(q.options):
        mark = "✓ Correct answer" if o.correct else "✗ Not correct"
        mine = " (your choice)" if i in chosen else ""
        why = f" {o.why}" if o.why else ""
        lines.append(f"{mark}{mine}: “{o.text}”.{why}")
    return tuple(lines)


def _default_clock() -> datetime:
    return datetime.now().astimezone()


class Quiz(anywidget.AnyWidget):  # type: ignore[misc]
    """A self-check quiz: questions from the course, instant feedback, results saved.

    Build one with :meth:`Quiz.from_course`. Option indices (in :meth:`grade` and in what
    the browser sends) refer to the displayed order, which is shuffled by ``seed``.
    """

    _esm = _STATIC / "quiz.js"
    _css = _STATIC / "quiz.css"

    payload = traitlets.List(traitlets.Dict()).tag(sync=True)
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
    ) -> None:
        pool = tuple(questions)
        for q in pool:
            if not isinstance(q, Question):
                raise TypeError(f"questions must be Question objects, got {q!r}")
        ids: set[str] = set()
        for i, q in enumerate(pool):
            check_question(q, f"questions[{i}] ({q.id})")
            if q.id in ids:
                raise _fail(f"questions[{i}] ({q.id})", f"id {q.id!r} is used twice")
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
        super().__init__()
        self.seed: int = secrets.randbelow(2**31) if seed is None else seed
        self.quiz_id = quiz_id
        self.results: list[Result] = []
        self._course = course
        self._journal: QuizStore | None = journal
        self._clock = clock or _default_clock
        self._links: dict[str, tuple[str, str]] = {}
        for i, q in enumerate(pool):
            for see in dict.fromkeys(x for x in (q.see, *(o.see for o in q.options)) if x):
                self._links[see] = self._resolve(see, f"questions[{i}] ({q.id})")
        picked = list(pool)
        random.Random(f"stretchkit-quiz:{self.seed}:pick").shuffle(picked)
        self._selection = tuple(picked[:n] if n is not None else picked)
        self._shown: tuple[_Shown, ...] = ()
        self.heading = heading
        self._show(0)
        self.on_msg(self._on_msg)

    @classmethod
    def from_course(
        cls,
        course: Course,
        n: int | None = None,
        seed: int | None = None,
        *,
        topic: str | None = None,
        journal: QuizStore | None = None,
    ) -> Quiz:
        """The course quiz, or the check for one technique (``topic``, a technique slug)."""
        if not isinstance(course, Course):
            raise TypeError(f"course must be a Course from load_course(), got {course!r}")
        pool = questions_from_course(course)
        if topic is None:
            return cls(
                pool, n=n, seed=seed, course=course, quiz_id="course", heading="Course quiz", journal=journal
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
        )

    # -- display ----------------------------------------------------------------------------

    def _resolve(self, see: str, entry: str) -> tuple[str, str]:
        try:
            title, href = lesson_for(see, self._course)
        except KeyError as exc:
            raise _fail(entry, f"see: {exc.args[0]}") from None
        return f"See {title}", href

    def _show(self, attempt: int) -> None:
        """Lay the selected questions out for ``attempt``: a new, reproducible shuffle each time."""
        rng = random.Random(f"stretchkit-quiz:{self.seed}:{attempt}")
        order = list(self._selection)
        if attempt:
            rng.shuffle(order)
        self._shown = tuple(_arrange(q, rng) for q in order)
        self.payload = [self._payload(s) for s in self._shown]
        self.attempt = attempt

    def _payload(self, s: _Shown) -> dict[str, Any]:
        q = s.question

        def link(see: str) -> dict[str, str] | None:
            if not see:
                return None
            text, href = self._links[see]
            return {"text": text, "href": href}

        return {
            "id": q.id,
            "kind": q.kind,
            "prompt": q.prompt,
            "explanation": q.explanation,
            "see": link(q.see),
            "options": [
                {"text": o.text, "correct": o.correct, "why": o.why, "position": p, "see": link(o.see)}
                for o, p in zip(q.options, s.positions, strict=True)
            ],
        }

    @property
    def questions(self) -> tuple[Question, ...]:
        """The questions as displayed now: shuffled order, options in displayed order."""
        return tuple(s.question for s in self._shown)

    def solution(self) -> dict[str, list[int]]:
        """The right answer to each question, as displayed option indices (for tests and teachers)."""
        out = {}
        for s in self._shown:
            if s.question.kind == "order":
                out[s.question.id] = sorted(range(len(s.positions)), key=lambda i: s.positions[i])
            else:
                out[s.question.id] = [i for i, o in enumerate(s.question.options) if o.correct]
        return out

    def try_again(self) -> None:
        """Reshuffle the same questions with the next seed in a fixed sequence."""
        self._show(self.attempt + 1)

    # -- grading ------------------------------------------------------------------------------

    def _choice(self, s: _Shown, answer: object) -> list[int] | str:
        """The answer as a list of option indices, or a description of what is wrong with it."""
        raw = [answer] if isinstance(answer, int) and not isinstance(answer, bool) else answer
        if isinstance(raw, str | bytes) or not isinstance(raw, Sequence):
            return f"answer must be an option index or a list of them, got {answer!r}"
        n = len(s.question.options)
        bad = [i for i in raw if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < n]
        if bad:
            which = "index" if len(bad) == 1 else "indices"
            return f"option {which} {', '.join(map(repr, bad))} not in 0-{n - 1}"
        if not raw:
            return "no option chosen"
        if len(set(raw)) != len(raw):
            return f"option indices repeat: {list(raw)!r}"
        kind = s.question.kind
        if kind == "single" and len(raw) != 1:
            return f"a single-choice question takes one option, got {list(raw)!r}"
        if kind == "order" and len(raw) != n:
            return f"an ordering question needs all {n} options in order, got {list(raw)!r}"
        return list(raw)

    def _grade_one(self, s: _Shown, choice: list[int] | None) -> QuestionGrade:
        q = s.question
        link = self._links.get(q.see, ("", ""))
        if choice is None:
            return QuestionGrade(q.id, q.prompt, False, False, (), (), q.explanation, *link)
        return QuestionGrade(
            q.id,
            q.prompt,
            True,
            _is_correct(s, choice),
            tuple(q.options[i].text for i in choice),
            _feedback(s, choice),
            q.explanation,
            *link,
        )

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
            choice = self._choice(shown[qid], answer)
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
        elif kind == "answer" and message.get("attempt") == self.attempt:
            shown = {s.question.id: s for s in self._shown}
            s = shown.get(str(message.get("id")))
            if s is not None:
                choice = self._choice(s, message.get("choice"))
                if not isinstance(choice, str):
                    return self.record(s.question.id, choice)
        return None

    def record(self, question_id: str, choice: list[int]) -> Result:
        """Grade one displayed answer, keep it, and save it to the journal."""
        s = next(s for s in self._shown if s.question.id == question_id)
        result = Result(
            self.quiz_id,
            question_id,
            s.question.prompt,
            tuple(s.question.options[i].text for i in choice),
            _is_correct(s, choice),
            self._clock(),
            self.attempt,
        )
        self.results.append(result)
        try:
            self._store().record_quiz_answer(
                quiz_id=result.quiz_id,
                question_id=result.question_id,
                question=result.question,
                choice=list(result.choice),
                correct=result.correct,
                at=result.at,
            )
        except Exception as exc:  # a failed save must not lose the answer or break the widget
            self.notice = f"Your answer was checked but could not be saved to your journal: {exc}"
        return result

    def _store(self) -> QuizStore:
        """The journal, opened on first use so displaying a quiz never touches the disk."""
        if self._journal is None:
            from .journal import Journal

            self._journal = Journal()
        return self._journal

    @property
    def history(self) -> list[Any]:
        """Saved answers to this quiz (every session), oldest first."""
        return [a for a in self._store().quiz_history() if getattr(a, "quiz_id", None) == self.quiz_id]

    def past_summary(self) -> str:
        """'Last time: 6 of 8 correct': the latest saved answer to each of these questions."""
        try:
            history = self.history
        except Exception:  # no journal yet, or one that cannot be read: show no past results
            return ""
        ids = {q.id for q in self._selection}
        latest: dict[str, bool] = {}
        for a in history:
            if a.question_id in ids:
                latest[a.question_id] = bool(a.correct)
        if not latest:
            return ""
        return f"Last time: {sum(latest.values())} of {len(latest)} correct"

    # -- reprs ----------------------------------------------------------------------------------

    def __repr__(self) -> str:
        count = len(self._shown)
        return f"Quiz({count} question{'s' if count != 1 else ''}, seed {self.seed})"

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
            hint = {"single": "Choose one.", "multiple": "Choose all that apply.", "order": "Put in order."}[
                q.kind
            ]
            items.append(
                f"<li><p><strong>{e(q.prompt)}</strong> <em>{hint}</em></p>{body}"
                f"<details><summary>Answer</summary>{answer}{extra}{see}</details></li>"
            )
        return (
            f'<section class="sk-quiz-fallback" aria-label="{e(self.heading)}">'
            f"<p><strong>{e(self.heading)}</strong>: {len(self._shown)} questions. "
            "Run this notebook in JupyterLab to answer them with instant feedback.</p>"
            f"<ol>{''.join(items)}</ol></section>"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle: Any = super()._repr_mimebundle_(**kwargs)
        data: dict[str, Any] = bundle[0] if isinstance(bundle, tuple) else bundle
        data["text/plain"] = repr(self)
        data["text/html"] = self._fallback_html()
        return bundle
