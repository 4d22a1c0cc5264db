"""Quiz questions: made from the course content, graded, and given feedback in words.

Every question comes from the content data: the FAQ entries with their authored
distractors, and facts of the techniques (what each works on, how it starts, what it
needs, how it is timed, the order of its steps). A wrong option is always a real fact
of another technique, so the quiz invents nothing and follows any edit to the content.

Grading and every line of feedback are made here, in Python: the quiz widget's front
end (``static/quiz.js``) only displays the text it is sent, so the browser and
:meth:`stretchkit.quiz.Quiz.grade` can never word an answer differently.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .course import ContentError, Course, Technique
from .wording import clean, full_stop, join_and, plural, quoted, sentence, the, timing

__all__ = [
    "KINDS",
    "SCORE_MEANING",
    "WORDS",
    "Grade",
    "Option",
    "Question",
    "QuestionGrade",
    "Score",
    "Shown",
    "answer_key",
    "arrange",
    "check_question",
    "fail",
    "feedback",
    "first_try_score",
    "grade_question",
    "is_correct",
    "parse_choice",
    "questions_from_course",
    "quiz_words",
    "reveal_words",
    "round_words",
    "words_for",
]

#: single: one radio choice; multiple: checkboxes; order: put every option in sequence.
KINDS = ("single", "multiple", "order")

#: Short words and connectives that say nothing about what a fact is about.
_STOP_WORDS = frozenset({"from", "with", "into", "onto", "your", "that", "this", "then", "each", "both"})

#: The quiz's own words (not content): how to answer, and what a check says.
WORDS: dict[str, Any] = {
    "hint": {
        "single": "Choose one answer.",
        "multiple": "Choose all the answers that apply.",
        "order": "Put the steps in order with the Move up and Move down buttons.",
    },
    "empty": "Choose an answer first, then press Check.",
    "check": "Check",
    "retry": "Try again",
    "up": "Move up",
    "down": "Move down",
    "right": "✓ Correct.",
    "wrong": "✗ Not quite. Read why below, change your answer and press Check again (or Show the answer).",
    "revealed": "✗ Not quite. The right answer is shown below.",
    "show": "Show the answer",
    "in_order": "The steps in order:",
    "missing": "✗ At least one more answer is right: find it and tick it too.",
    "next": "Next round",
    # A question the learner answered before, due again (stretchkit.review): it comes first.
    "review": "for review",
}


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


#: What a quiz score means, wherever one is shown (the quiz's summary, past results, grades).
SCORE_MEANING = "The score counts your first check of each question."

#: A score in words; the page fills in ``{correct}`` (and ``{total}``) as a round goes on.
SCORE_LINE = "{correct} of {total} correct at the first try"


@dataclass(frozen=True)
class Score:
    """A quiz score: how many questions were right at their first check, of how many."""

    correct: int
    answered: int
    total: int

    @property
    def line(self) -> str:
        """'2 of 3 correct at the first try', with '(2 answered)' when some were not."""
        text = SCORE_LINE.format(correct=self.correct, total=self.total)
        return text if self.answered >= self.total else f"{text} ({self.answered} answered)"


def first_try_score(answers: Iterable[tuple[str, bool]], questions: Sequence[str]) -> Score:
    """The one way the course scores a quiz: each of ``questions`` counts by its first check.

    ``answers`` are (question id, correct) pairs in the order they were checked, in one
    pass through the quiz; a later check of the same question (after reading the
    feedback) does not change the score. Answers to other questions are ignored.
    """
    wanted = set(questions)
    first: dict[str, bool] = {}
    for question_id, correct in answers:
        if question_id in wanted:
            first.setdefault(question_id, bool(correct))
    return Score(sum(first.values()), len(first), len(wanted))


@dataclass(frozen=True)
class Grade:
    """The result of grading a set of answers: per question, and overall."""

    questions: tuple[QuestionGrade, ...]

    def scored(self) -> Score:
        answers = [(q.id, q.correct) for q in self.questions if q.answered]
        return first_try_score(answers, [q.id for q in self.questions])

    @property
    def score(self) -> int:
        return self.scored().correct

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def summary(self) -> str:
        """'2 of 3 correct at the first try': each answer graded counts as a first check."""
        return self.scored().line

    def __getitem__(self, question_id: str) -> QuestionGrade:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


# --- comparing texts (is a wrong option fair? one piece of equipment, however worded?) ---


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


def _norm(text: str) -> str:
    return clean(text).casefold()


# --- question generation -----------------------------------------------------------------


def fail(entry: str, message: str) -> ContentError:
    return ContentError(f"quiz: {entry}: {message}")


def check_question(q: Question, entry: str) -> None:
    """Refuse a question a learner could not answer fairly; the error names ``entry``."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9:-]*", q.id):
        raise fail(entry, f"id must be a lowercase id like 'order:cat-camel', got {q.id!r}")
    if q.kind not in KINDS:
        raise fail(entry, f"kind must be one of {', '.join(KINDS)}, got {q.kind!r}")
    if not q.prompt.strip():
        raise fail(entry, "prompt must not be empty")
    if len(q.options) < 2:
        raise fail(entry, f"needs at least 2 options, got {len(q.options)}")
    seen: dict[str, int] = {}
    for j, o in enumerate(q.options):
        if not o.text.strip():
            raise fail(entry, f"option {j}: text must not be empty")
        key = _norm(o.text)
        if key in seen:
            raise fail(entry, f"option {j}: {o.text!r} repeats option {seen[key]}")
        seen[key] = j
        if not o.correct and not o.why.strip():
            raise fail(entry, f"option {j} ({o.text!r}): a wrong option needs a 'why'")
        if o.correct and not (o.why.strip() or q.explanation.strip()):
            raise fail(entry, f"option {j} ({o.text!r}): a correct option needs a 'why' or an explanation")
    correct = sum(o.correct for o in q.options)
    if correct == 0:
        raise fail(entry, "needs at least 1 correct option")
    if q.kind == "single" and correct != 1:
        raise fail(entry, f"a single-choice question needs exactly 1 correct option, got {correct}")
    if q.kind == "order" and correct != len(q.options):
        raise fail(entry, "every option of an ordering question is a step and must be marked correct")
    if not q.see and not all(o.see for o in q.options):
        raise fail(entry, "see must name the lesson the feedback points back to")


def _faq_questions(course: Course) -> list[tuple[str, Question]]:
    """The FAQ's questions, then the authored safety and everyday-habit questions."""
    out = []
    for section, prefix in (("faq", "faq"), ("safety_quiz", "safety"), ("habit_quiz", "habit")):
        out += _authored(course, section, prefix)
    return out


def _authored(course: Course, section: str, prefix: str) -> list[tuple[str, Question]]:
    slugs = {t.slug for t in course.techniques}
    out = []
    for i, f in enumerate(getattr(course, section)):
        entry = f"{section}[{i}] ({f.slug})"
        seen: dict[str, str] = {}
        texts = [(f"correct[{j}]", c) for j, c in enumerate(f.correct)]
        texts += [(f"distractors[{j}]", d.text) for j, d in enumerate(f.distractors)]
        for name, text in texts:
            if not text.strip():
                raise fail(entry, f"{name}: text must not be empty")
            if _norm(text) in seen:
                raise fail(entry, f"{name}: {text!r} repeats {seen[_norm(text)]}")
            seen[_norm(text)] = name
        for j, d in enumerate(f.distractors):
            if not d.why.strip():
                raise fail(entry, f"distractors[{j}] ({d.text!r}): why must not be empty")
        options = tuple(Option(clean(c), True) for c in f.correct) + tuple(
            Option(clean(d.text), False, sentence(d.why)) for d in f.distractors
        )
        kind = "single" if len(f.correct) == 1 else "multiple"
        question = Question(
            id=f"{prefix}:{f.slug}",
            kind=kind,
            prompt=clean(f.question),
            options=options,
            see=f.see,
            source=f.source,
            topic=f.see if f.see in slugs else "",
            explanation=sentence(f.answer),
        )
        out.append((entry, question))
    return out


def _urgency_question(course: Course) -> Question | None:
    """Which symptom needs 999 or A&E?  Wrong options: red flags of the other tiers, each named."""
    s = course.safety
    if not s.emergency or len(s.urgent) < 2 or not s.see_professional:
        return None
    urgent = f"That needs urgent help too, but it is in this list: {s.urgent_heading}"
    options = (
        Option(sentence(s.emergency[0].text), True, f"It is in this list: {s.emergency_heading}"),
        *(Option(sentence(u.text), False, urgent) for u in s.urgent[:2]),
        Option(
            sentence(s.see_professional[0].text),
            False,
            "See a doctor or physiotherapist, but it is not an emergency.",
        ),
    )
    action, joined, _ = s.emergency_heading.partition(" if ")
    prompt = (
        f"Which of these, coming with back pain, is a reason to {action[:1].lower()}{action[1:]}?"
        if joined
        else f"{s.emergency_heading.rstrip(':')}: which of these is one of them?"
    )
    return Question("safety:urgency", "single", prompt, options, "safety", s.emergency[0].source)


def _question(
    t: Technique,
    kind: str,
    what: str,
    prompt: str,
    options: Sequence[Option],
    source: str = "",
    topic: str = "",
) -> Question:
    """A question about technique ``t`` that points back to its own lesson."""
    return Question(
        f"{what}:{t.slug}", kind, prompt, tuple(options), t.slug, source or t.source, topic or t.slug
    )


def _distinct(options: Sequence[Option]) -> list[Option]:
    """Options with the same text once only (the first kept), so a stretch and its adapted
    position sharing a fact never make a question with a repeated option."""
    seen: dict[str, Option] = {}
    for o in options:
        seen.setdefault(_norm(o.text), o)
    return list(seen.values())


#: At most this many wrong options from other techniques' facts, so a course with many
#: stretches still asks short questions.
MAX_DISTRACTORS = 4


def _distractors(
    t: Technique, right: str, facts: Sequence[tuple[Technique, str]], why: Callable[[str, bool], str]
) -> list[Option]:
    """Wrong options for a question about ``t`` whose right answer is ``right``.

    ``facts`` are (technique, text) pairs in course order. A text that cannot be read as
    also true of ``t`` is fair; texts that read the same (two stretches that both start
    "Lying on your back.") become one option whose reason names them all, and none repeats
    the right answer, so every question can be answered and none is refused for a fact
    shared by two other stretches. ``why(names, one)`` words the reason for the named
    techniques (``one``: a single technique).
    """
    fair: dict[str, tuple[str, list[Technique]]] = {}
    for u, text in facts:
        key = _norm(text)
        if key == _norm(right) or not _unrelated(t, right, u, text):
            continue
        fair.setdefault(key, (text, []))[1].append(u)
    out = []
    for text, users in list(fair.values())[:MAX_DISTRACTORS]:
        names = join_and([the(u.name) for u in users])
        out.append(Option(sentence(text), False, why(names, len(users) == 1)))
    return out


def _start_question(t: Technique, others: Sequence[Technique]) -> Question | None:
    """How does it start?  Wrong options: other techniques' start positions."""
    facts = [(u, u.start_position) for u in others if _unrelated(t, t.start_position, u, u.start_position)]
    starts = _distractors(
        t, t.start_position, facts, lambda names, one: f"That is how {names} start{'s' if one else ''}."
    )
    if not starts:
        return None
    right = Option(sentence(t.start_position), True, f"That is how {the(t.name)} starts.")
    options = _distinct([right, *starts])
    if len(options) < 2:
        return None
    return _question(t, "single", "start", f"How do you get into position for {the(t.name)}?", options)


def _targets_question(t: Technique, others: Sequence[Technique]) -> Question | None:
    """What does it work on?  Wrong options: what other techniques work on."""
    mine = join_and(t.targets)
    facts = [(u, join_and(u.targets)) for u in others if _unrelated(t, mine, u, join_and(u.targets))]
    targets = _distractors(
        t, mine, facts, lambda names, one: f"That is what {names} work{'s' if one else ''} on."
    )
    if not targets:
        return None
    right = Option(sentence(mine), True, sentence(t.why))
    options = _distinct([right, *targets])
    if len(options) < 2:
        return None
    return _question(t, "single", "targets", f"What does {the(t.name)} work on?", options)


def _timing_question(t: Technique, ts: Sequence[Technique]) -> Question | None:
    """How long is it held?  Options: other held stretches' timings (at most three).

    Only a held stretch with a sourced hold is asked about: a paced movement's seconds are
    the timer's calm default, not a fact worth testing.
    """
    if t.is_movement or not t.hold_source:
        return None
    by_timing: dict[str, list[Technique]] = {}
    for u in ts:
        if not u.is_movement:
            by_timing.setdefault(timing(u), []).append(u)
    mine = timing(t)
    others = [text for text in by_timing if text != mine][:3]
    if not others:
        return None
    options = []
    for text in [mine, *others]:
        users = by_timing[text]
        verb = "is" if len(users) == 1 else "are"
        why = f"That is how {join_and([the(u.name) for u in users])} {verb} timed."
        options.append(Option(text, text == mine, why))
    source = t.hold_source or t.reps_source or t.source
    return _question(t, "single", "timing", f"How is {the(t.name)} timed in this course?", options, source)


def _order_question(t: Technique) -> Question | None:
    """Put the steps in order."""
    n = len(t.steps)
    if n < 2:
        return None
    steps = [Option(sentence(s), True, f"Step {k} of {n}.") for k, s in enumerate(t.steps, 1)]
    return _question(t, "order", "order", f"Put the steps of {the(t.name)} in order.", steps)


def _needs(u: Technique) -> str:
    if u.equipment:
        return f"{the(u.name, start=True)} uses {join_and(u.equipment)}."
    return f"{the(u.name, start=True)} needs no equipment."


def _equipment_questions(ts: Sequence[Technique]) -> list[tuple[Technique, Question]]:
    """Which stretch uses this equipment?  Options: every technique, with what it needs."""
    out = []
    # One question per item, however each technique words it ('a steady chair', 'A steady chair').
    items = dict.fromkeys(_slug(e) for t in ts for e in t.equipment)
    for key in items:
        users = [t for t in ts if key in {_slug(e) for e in t.equipment}]
        item = next(e for e in users[0].equipment if _slug(e) == key)
        single = len(users) == 1
        prompt = (
            f"Which stretch uses {clean(item)}?" if single else f"Which of these stretches use {clean(item)}?"
        )
        options = tuple(Option(u.name, u in users, _needs(u)) for u in ts)
        first = users[0]
        q = Question(
            f"equipment:{_slug(item)}",
            "single" if single else "multiple",
            prompt,
            options,
            first.slug,
            first.source,
            first.slug if single else "",
        )
        out.append((first, q))
    return out


def _per_side_question(ts: Sequence[Technique]) -> Question | None:
    """Which stretches are done on each side?"""
    sided = [t for t in ts if t.per_side]
    if not sided or len(sided) == len(ts):
        return None
    options = tuple(
        Option(
            u.name,
            u.per_side,
            f"{the(u.name, start=True)} is done on one side, then the other."
            if u.per_side
            else f"{the(u.name, start=True)} is not done one side at a time.",
            see=u.slug,
        )
        for u in ts
    )
    prompt = "Which of these stretches are done on each side in turn?"
    return Question("per-side", "multiple", prompt, options, "", "article")


def _related(course: Course, t: Technique) -> set[str]:
    """Slugs whose facts may also be true of ``t``: itself, its stretch's family (the stretch
    and its adapted positions) and any technique either side names in ``quiz_overlaps``."""
    family = course.parent(t.slug) or t
    out = {t.slug, family.slug, *(a.slug for a in family.alternatives), *t.quiz_overlaps}
    out |= {u.slug for u in course.all_techniques if t.slug in u.quiz_overlaps}
    return out


def _technique_questions(course: Course) -> list[tuple[str, Question]]:
    ts = course.techniques
    everything = course.all_techniques
    entries = {t.slug: f"techniques[{i}] ({t.slug})" for i, t in enumerate(ts)}
    for i, t in enumerate(ts):
        for j, a in enumerate(t.alternatives):
            entries[a.slug] = f"techniques[{i}] ({t.slug}): alternatives[{j}] ({a.slug})"
    out: list[tuple[str, Question]] = []
    for t in everything:
        related = _related(course, t)
        others = [u for u in everything if u.slug not in related]
        parent = course.parent(t.slug)
        topic = parent.slug if parent is not None else t.slug
        made = (
            _start_question(t, others),
            _targets_question(t, others),
            _timing_question(t, everything),
            _order_question(t),
        )
        out += [(entries[t.slug], replace(q, topic=topic)) for q in made if q is not None]
    out += [(entries[t.slug], q) for t, q in _equipment_questions(ts)]
    per_side = _per_side_question(ts)
    if per_side is not None:
        out.append(("techniques (per_side)", per_side))
    return out


def questions_from_course(course: Course) -> tuple[Question, ...]:
    """Every question the course supports: the FAQ first, then facts of the techniques.

    Raises :class:`ContentError` naming the entry when the data cannot make a fair question.
    """
    urgency = _urgency_question(course)
    made = [
        *_faq_questions(course),
        *([("safety (emergency, urgent)", urgency)] if urgency is not None else []),
        *_technique_questions(course),
    ]
    ids: dict[str, str] = {}
    for entry, q in made:
        check_question(q, entry)
        if q.id in ids:
            raise fail(entry, f"question id {q.id!r} is already used by {ids[q.id]}")
        ids[q.id] = entry
    return tuple(q for _, q in made)


# --- showing and grading -----------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A question as displayed: options in display order, and where each belongs."""

    question: Question
    #: For each displayed option, its index in the canonical ``Question.options``.
    positions: tuple[int, ...]


def arrange(q: Question, rng: random.Random) -> Shown:
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
    return Shown(shown, tuple(order))


def answer_key(s: Shown) -> list[int]:
    """The right answer as displayed option indices, as the front end sends a choice.

    An ordering question's steps in order; otherwise the right options, lowest first (the
    order in which the page lists its ticked boxes). The page grades at once by comparing
    its choice with this key, so the rule of what is right is written here only.
    """
    if s.question.kind == "order":
        return sorted(range(len(s.positions)), key=lambda i: s.positions[i])
    return [i for i, o in enumerate(s.question.options) if o.correct]


def is_correct(s: Shown, choice: Sequence[int]) -> bool:
    """Whether ``choice`` (displayed option indices) is the :func:`answer_key`; only steps keep order."""
    given = list(choice) if s.question.kind == "order" else sorted(choice)
    return given == answer_key(s)


def _option_line(o: Option, chosen: bool) -> str:
    mark = "✓ Correct answer" if o.correct else "✗ Not correct"
    mine = " (your choice)" if chosen else ""
    why = f" {o.why}" if o.why else ""
    return f"{mark}{mine}: {full_stop(quoted(o.text))}{why}"


def _step_line(text: str, step: int, place: int) -> str:
    """Feedback on one step of an ordering question put at ``place`` (both count from 1)."""
    if step == place:
        return f"✓ Step {step} is in the right place: “{text}”"
    return f"✗ “{text}” is step {step}, not {place}."


def feedback(s: Shown, choice: Sequence[int]) -> tuple[str, ...]:
    """One line per option: right or not, whether it was chosen, and why."""
    q = s.question
    if q.kind == "order":
        return tuple(
            _step_line(q.options[i].text, s.positions[i] + 1, place) for place, i in enumerate(choice, 1)
        )
    chosen = set(choice)
    return tuple(_option_line(o, i in chosen) for i, o in enumerate(q.options))


def words_for(s: Shown, index: int, total: int, *, review: bool = False) -> dict[str, Any]:
    """Every line the front end may show for question ``index`` of ``total`` displayed, ready made.

    The browser checks an answer at once, without the kernel, so it is sent each line it
    could need: per option, its line when chosen or not (or, for a step, at each place)
    and what moving it says. A question due for ``review`` says so in its legend.
    """
    q = s.question
    n = len(q.options)
    label = f" ({WORDS['review']})" if review else ""
    options: list[dict[str, Any]] = []
    for o, p in zip(q.options, s.positions, strict=True):
        if q.kind == "order":
            options.append(
                {
                    "at": [_step_line(o.text, p + 1, place) for place in range(1, n + 1)],
                    "moved": [f"“{o.text}” moved to position {k} of {n}." for k in range(1, n + 1)],
                    "first": f"“{o.text}” is already first.",
                    "last": f"“{o.text}” is already last.",
                    "up": f"{WORDS['up']}: {o.text}",
                    "down": f"{WORDS['down']}: {o.text}",
                }
            )
        else:
            options.append({"lines": [_option_line(o, False), _option_line(o, True)]})
    return {
        "legend": f"Question {index + 1} of {total}{label}: {q.prompt}",
        "check": WORDS["check"],
        "check_label": f"{WORDS['check']} question {index + 1}",
        "hint": WORDS["hint"][q.kind],
        "empty": WORDS["empty"],
        "right": WORDS["right"],
        "wrong": WORDS["wrong"],
        "options": options,
    }


def quiz_words(count: int) -> dict[str, Any]:
    """The lines the front end shows about the whole quiz: its summary (by score) and the like."""
    return {
        "summary": [
            f"Quiz complete: {Score(k, count, count).line}. {SCORE_MEANING}" for k in range(count + 1)
        ],
        "past": "Your past results: last time, {}.",
        "shuffling": "Shuffling the questions…",
        "retry": WORDS["retry"],
        "up": WORDS["up"],
        "down": WORDS["down"],
    }


def reveal_words(s: Shown, index: int) -> dict[str, Any]:
    """The lines of a wrong answer before the answer is shown, and of showing it.

    After a first wrong check the page explains only the learner's own choices, says a
    right answer is still missing, or which steps are not in place without saying where
    they go (``not_at``, per displayed option and place), so trying again is worth it; the
    answer is shown after a second wrong check or when the learner presses Show the answer.
    """
    q = s.question
    n = len(q.options)
    not_at = [[f"✗ “{o.text}” is not step {place}." for place in range(1, n + 1)] for o in q.options]
    return {
        "revealed": WORDS["revealed"],
        "show": WORDS["show"],
        "show_label": f"{WORDS['show']} to question {index + 1}",
        "in_order": WORDS["in_order"],
        "missing": WORDS["missing"] if q.kind == "multiple" else "",
        "not_at": not_at if q.kind == "order" else [],
    }


def round_words(count: int, round_size: int) -> dict[str, Any]:
    """What the page says about rounds of ``round_size`` of ``count`` questions.

    ``{correct}`` and ``{total}`` in a line are filled in by the page as answers are checked.
    """
    rounds = -(-count // round_size)
    sizes = [min(round_size, count - r * round_size) for r in range(rounds)]
    return {
        "next": WORDS["next"],
        "so_far": f"So far: {SCORE_LINE}.",
        "rounds": [
            {
                "title": f"Round {r} of {rounds}",
                "size": f"{plural(size, 'question')} in this round.",
                "done": f"Round {r} done: {SCORE_LINE.format(correct='{correct}', total=size)}. "
                f"Press {WORDS['next']} to go on.",
                "result": f"Round {r}: {SCORE_LINE.format(correct='{correct}', total=size)}.",
            }
            for r, size in enumerate(sizes, 1)
        ],
    }


def parse_choice(s: Shown, answer: object) -> list[int] | str:
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


def grade_question(s: Shown, choice: list[int] | None, see: str = "", href: str = "") -> QuestionGrade:
    """How one displayed question was answered (``None``: not at all), with its feedback."""
    q = s.question
    if choice is None:
        return QuestionGrade(q.id, q.prompt, False, False, (), (), q.explanation, see, href)
    return QuestionGrade(
        q.id,
        q.prompt,
        True,
        is_correct(s, choice),
        tuple(q.options[i].text for i in choice),
        feedback(s, choice),
        q.explanation,
        see,
        href,
    )
