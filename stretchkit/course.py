"""The course's types: every kind of content entry as a typed, frozen dataclass.

A field's type says what the loader checks: ``Slug`` for a slug, ``Limits`` for a number's
safe range, and ``SourceKey``, ``TechniqueSlug``, ``TipSlug`` or ``LessonKey`` for a field that
names another entry (:func:`references` lists them), so a new field that names a source is
checked by being declared so. Loading, overlays and validation live in :mod:`stretchkit.content`.
"""

from __future__ import annotations

import dataclasses
import math
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, NamedTuple, TypeVar, Union, get_args, get_origin, get_type_hints

__all__ = [
    "FAQ",
    "LESSON_KEYS",
    "LEVELS",
    "POSE_ANGLES",
    "POSITIONS",
    "POSTURES",
    "SCHEMA_VERSION",
    "SLUG",
    "SUGGESTION_RULES",
    "BreakReminderText",
    "BuildUpRule",
    "Check",
    "ContentError",
    "Course",
    "Distractor",
    "Dose",
    "EasierRule",
    "Evidence",
    "Floor",
    "GoalScale",
    "Instead",
    "Item",
    "LessonKey",
    "LessonTitles",
    "Limits",
    "MovementStep",
    "MuscleGroup",
    "PainScale",
    "Point",
    "PoseSpec",
    "Programme",
    "Ref",
    "RestartRule",
    "RoutineLimits",
    "Safety",
    "Slug",
    "Source",
    "SourceKey",
    "SuggestionRules",
    "Technique",
    "TechniqueSlug",
    "Tip",
    "TipSlug",
    "Version",
    "as_version",
    "held_dose",
    "is_number",
    "num",
    "references",
]

SCHEMA_VERSION = 1

#: Where an FAQ entry's ``see`` may point besides a technique or tip slug.
#: The course-wide lessons' keys (a stretch's lesson is its slug): lesson 00's safety, 01's why,
#: 07's habits, 08's routine and 09's check.
LESSON_KEYS = ("why", "safety", "habits", "routine", "check")

#: Where a technique is done, in the order a routine visits them: from a chair or standing,
#: then down to the floor once (lying, then all fours, then kneeling) and up once at the end.
POSITIONS = ("chair", "standing", "bed", "lying", "all-fours", "kneeling")


class ContentError(ValueError):
    """Bad course content, with a message that names file, entry and field."""

    def _render_traceback_(self) -> list[str]:
        """What IPython shows in a notebook in place of the traceback: the one line, which names
        what to fix (the traceback would only show the course's own code, and bury the line)."""
        return [f"{type(self).__name__}: {self}"]


class Limits(NamedTuple):
    """Allowed range of a number field; ``lo == 0`` means 'positive' (zero excluded)."""

    lo: float
    hi: float


#: Marks a field that must be a lowercase slug such as 'hamstring-stretch'.
SLUG = "slug"
Slug = Annotated[str, SLUG]


class Ref(NamedTuple):
    """Marks a field that names another entry: a ``source`` key, a ``technique`` or ``tip`` slug,
    or a ``lesson`` (a technique's or tip's slug, or one of LESSON_KEYS)."""

    kind: str


SourceKey = Annotated[str, Ref("source")]
TechniqueSlug = Annotated[str, SLUG, Ref("technique")]
TipSlug = Annotated[str, SLUG, Ref("tip")]
LessonKey = Annotated[str, Ref("lesson")]


def references(cls: type) -> Mapping[str, str]:
    """The fields of content type ``cls`` that name another entry, and what each names."""
    if cls not in _REFERENCES:
        hints = get_type_hints(cls, include_extras=True)
        found = {name: kind for name, tp in hints.items() if (kind := _ref_kind(tp))}
        _REFERENCES[cls] = types.MappingProxyType(found)
    return _REFERENCES[cls]


#: references() by type, worked out once (a type's fields never change).
_REFERENCES: dict[type, Mapping[str, str]] = {}


def _ref_kind(tp: Any) -> str | None:
    """What a field of type ``tp`` names (also inside a tuple or an optional), or None."""
    origin = get_origin(tp)
    if origin is Annotated:
        return next((m.kind for m in get_args(tp)[1:] if isinstance(m, Ref)), None)
    if origin in (tuple, Union, types.UnionType):
        return next((kind for arg in get_args(tp) if (kind := _ref_kind(arg))), None)
    return None


@dataclass(frozen=True)
class Source:
    """A publication that a fact in the course comes from."""

    key: Slug
    title: str
    publisher: str
    url: str = ""
    #: What messages call it ("NHS inform", "Saint Luke's") when the publisher is too long to
    #: say whole and its initials would mean nothing to a reader.
    short: str = ""


@dataclass(frozen=True)
class Item:
    """One line of advice (a mistake, a caution, an action, a red flag) and where it comes from.

    Every item names its own source: ``"article"`` for the course's source article, or
    the key of another entry in ``[[sources]]``. The loader refuses an item without one.
    """

    text: str
    source: SourceKey


@dataclass(frozen=True)
class Instead:
    """Another technique the course teaches, as an easier choice than a stretch, and the source
    that says why it suits: for when no source describes an easier form of the stretch itself."""

    technique: TechniqueSlug
    text: str
    source: SourceKey


@dataclass(frozen=True)
class Point:
    """One reason stretching helps."""

    title: str
    text: str
    source: SourceKey


@dataclass(frozen=True)
class Evidence:
    """What research says, so stretching is never oversold."""

    text: str
    sources: tuple[SourceKey, ...]
    #: What the evidence means for a learner, in plain words, with its sources.
    takeaway: str = ""
    takeaway_sources: tuple[SourceKey, ...] = ()


@dataclass(frozen=True)
class MovementStep:
    """One position of a paced movement such as Cat-Camel."""

    name: str
    seconds: Annotated[float, Limits(1, 120)]
    cue: str = ""


#: The base postures a technique's ``[techniques.pose]`` may start from (the drawing knows each).
POSTURES = ("lying on back", "seated", "standing", "kneeling", "all fours")

#: The joint angles a ``[techniques.pose]`` may set, in degrees, with their allowed ranges.
POSE_ANGLES: dict[str, tuple[float, float]] = {
    "hip": (-30, 150),
    "knee": (0, 160),
    "other_hip": (-30, 150),
    "other_knee": (0, 160),
    "lean": (-30, 90),
    "shoulder": (0, 180),
    "elbow": (0, 160),
}


@dataclass(frozen=True)
class PoseSpec:
    """How an educator's own stretch is drawn: a base posture and a few joint angles.

    Angles are in degrees, as a physiotherapist measures them: ``hip`` and ``knee`` are the
    flexion of the working leg (0 = straight, in line with the trunk; hip 90 = thigh at right
    angles to the trunk), ``other_hip`` and ``other_knee`` the other leg's, ``lean`` bends the
    trunk forward from the base posture, ``shoulder`` raises both arms forward (0 = by the
    sides, 90 = straight ahead, 180 = overhead) and ``elbow`` bends them. Unset angles keep
    the base posture's own.
    """

    base: str
    hip: float | None = None
    knee: float | None = None
    other_hip: float | None = None
    other_knee: float | None = None
    lean: float | None = None
    shoulder: float | None = None
    elbow: float | None = None

    def angles(self) -> dict[str, float]:
        """The angles that are set, by name."""
        return {name: v for name in POSE_ANGLES if (v := getattr(self, name)) is not None}


#: The versions a stretch may offer beside its own way.
LEVELS = ("easier", "harder")


@dataclass(frozen=True)
class Version:
    """An easier or harder way to do a stretch: what changes, with the source that gives it,
    and its own timer settings (each naming its source). ``Course.technique(slug)`` makes it a
    complete technique, so timers and routines use it by slug like any stretch."""

    slug: Slug
    level: str
    name: str
    change: Item
    hold_seconds: Annotated[float, Limits(0, 600)] | None = None
    hold_source: SourceKey = ""
    reps: Annotated[int, Limits(1, 20)] | None = None
    reps_source: SourceKey = ""
    #: Steps of its own in place of the stretch's, with the sources that give them.
    steps: tuple[str, ...] = ()
    step_sources: tuple[SourceKey, ...] = ()


@dataclass(frozen=True)
class Technique:
    """A stretch: what to do, what it works on, and how the timer paces it."""

    slug: Slug
    name: str
    summary: str
    start_position: str
    steps: tuple[str, ...]
    targets: tuple[str, ...]
    why: str
    per_side: bool
    reps: Annotated[int, Limits(1, 20)]
    cautions: tuple[Item, ...]
    mistakes: tuple[Item, ...]
    illustration_alt: str
    source: SourceKey
    #: Where it is done (one of POSITIONS); a routine groups its stretches by it.
    position: str = ""
    hold_seconds: Annotated[float, Limits(0, 600)] | None = None
    hold_source: SourceKey = ""
    movement: tuple[MovementStep, ...] = ()
    reps_source: SourceKey = ""
    #: The most repeats ``reps_source`` supports for this stretch (a routine may go up to it);
    #: without it a routine keeps to the course's ``[routine]`` reps_max.
    reps_max: Annotated[int, Limits(1, 20)] | None = None
    #: It bends the hip past a right angle, crosses the legs, lifts the knee above the hip or
    #: twists: the loader adds the course's one hip-precautions caution (``[safety]``) first.
    hip_precautions: bool = False
    #: Which entries of "Is this course right for me?" (``[[right_for_me]]`` slugs) apply to it.
    check_first: tuple[Slug, ...] = ()
    equipment: tuple[str, ...] = ()
    #: What a one-sided stretch changes between sides, in cues: "Switch to the other leg."
    side_word: str = "side"
    #: The pose to draw the stretch in; when given, it is drawn from this, not from any
    #: drawing stretchkit has for its slug (an educator's own stretch needs one to be drawn).
    pose: PoseSpec | None = None
    #: Sources of facts in the steps beyond ``source`` (e.g. where the other leg rests).
    step_sources: tuple[SourceKey, ...] = ()
    #: What the article itself says about the hold, when the timer's hold comes from elsewhere.
    article_hold: str = ""
    #: Says where the timer's hold comes from and how it relates to the article's.
    hold_note: str = ""
    #: What is specific to this stretch, for the lesson's recap.
    recap: tuple[str, ...] = ()
    #: Techniques whose facts overlap this one's, never used as its quiz's wrong options.
    quiz_overlaps: tuple[TechniqueSlug, ...] = ()
    #: Adapted positions (on a chair, standing, on a bed): complete techniques of their own.
    alternatives: tuple[Technique, ...] = ()
    #: For an alternative: who it is for ("you cannot kneel or get down to the floor").
    replaces_when: str = ""
    #: Easier and harder ways to do it, each sourced, each with its own timer settings.
    versions: tuple[Version, ...] = ()
    #: An easier choice that is another technique of the course (taught in its own lesson).
    easier_instead: Instead | None = None
    #: For a floor exercise with no chair version (a strengthening exercise): what to do if you
    #: cannot get down to the floor or lie on your back, with its source.
    chair_note: Item | None = None
    #: For a version: the stretch whose drawing it is shown with (its own slug has none).
    drawn_as: str = ""
    #: For a version: "easier" or "harder" (one of LEVELS).
    level: str = ""
    #: Lesson prose: a one-line subtitle, what is special about it, and a word before its timer.
    tagline: str = ""
    about: str = ""
    timer_note: str = ""

    @property
    def is_movement(self) -> bool:
        """True for a paced movement (Cat-Camel) rather than a held stretch."""
        return bool(self.movement)

    @property
    def sides(self) -> int:
        return 2 if self.per_side else 1

    def dose(self, *, hold: float | None = None, reps: int | None = None, rest: float = 0) -> str:
        """How the stretch is timed, in short: '2 sides x 30 s', '3 reps of Cat 5 s + Camel 5 s'.

        ``hold`` and ``reps`` override the technique's own (a routine's or a timer's
        settings); ``rest`` between repeats is added when there is more than one.
        """
        n = self.reps if reps is None else reps
        if self.is_movement:
            pace = " + ".join(f"{m.name} {num(m.seconds)} s" for m in self.movement)
            text = f"{n} reps of {pace}"
        else:
            seconds = (self.hold_seconds or 0) if hold is None else hold
            text = held_dose(seconds, self.sides, n)
        if rest and n > 1:
            text += f", {num(rest)} s rest"
        return text


@dataclass(frozen=True)
class Tip:
    """An everyday habit from the article, made concrete."""

    slug: Slug
    title: str
    summary: str
    why: str
    actions: tuple[Item, ...]
    source: SourceKey


@dataclass(frozen=True)
class Distractor:
    """A plausible wrong answer for the quiz, with the reason it is wrong."""

    text: str
    why: str


@dataclass(frozen=True)
class FAQ:
    """One of the article's questions, its answer, and its quiz options."""

    slug: Slug
    question: str
    answer: str
    see: LessonKey
    correct: tuple[str, ...]
    distractors: tuple[Distractor, ...]
    source: SourceKey


@dataclass(frozen=True)
class Safety:
    """When to stop, red flags that need urgent care, and when to see a professional.

    The ``*_intl`` lines say the same for readers outside the UK (no 999 or 111 there).
    """

    stop_when: tuple[Item, ...]
    emergency_heading: str
    emergency_intl: str
    emergency: tuple[Item, ...]
    urgent_heading: str
    urgent_intl: str
    urgent: tuple[Item, ...]
    see_professional: tuple[Item, ...]
    red_flags_note: Item | None = None
    #: The one caution every stretch marked ``hip_precautions`` carries, written once here.
    hip_precautions: Item | None = None


@dataclass(frozen=True)
class Check:
    """One entry of "Is this course right for me?": who should take care, and what to do."""

    slug: Slug
    who: str
    what: str
    sources: tuple[SourceKey, ...]


@dataclass(frozen=True)
class Programme:
    """Beyond the stretches: reassurance, when to expect improvement, a bad day, strengthening.

    Each list is lines of advice (:class:`Item`), every one naming its own source.
    """

    reassurance: tuple[Item, ...] = ()
    outlook: tuple[Item, ...] = ()
    bad_day: tuple[Item, ...] = ()
    beyond: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Floor:
    """Getting down to the floor and back up safely, step by step, with sources."""

    title: str
    intro: Item
    down: tuple[str, ...]
    down_source: SourceKey
    up: tuple[str, ...]
    up_source: SourceKey
    cautions: tuple[Item, ...]


@dataclass(frozen=True)
class Dose:
    """How much and how often to stretch, how to start, and what 'listen to your body' means."""

    guidance: tuple[Item, ...]
    listen: tuple[Item, ...]
    note: Item


@dataclass(frozen=True)
class RoutineLimits:
    """The safe ranges a routine's holds and repeats must stay within, with sources."""

    hold_min: Annotated[float, Limits(1, 600)]
    hold_max: Annotated[float, Limits(1, 600)]
    hold_source: SourceKey
    reps_min: Annotated[int, Limits(1, 20)]
    reps_max: Annotated[int, Limits(1, 20)]
    reps_source: SourceKey
    rest_max: Annotated[float, Limits(0, 600)]
    #: The default routine's order, grouped by position, and why.
    default_order: tuple[TechniqueSlug, ...] = ()
    order_note: str = ""
    order_sources: tuple[SourceKey, ...] = ()


#: The widest pain range a journal's file keeps (its schema checks each rating lies in it);
#: a course's own scale (``[pain_scale]`` lowest and highest) lies within it.
PAIN_RANGE = (0, 10)


@dataclass(frozen=True)
class PainScale:
    """The numeric rating scale (its range and anchors) and the change that matters, with sources."""

    name: str
    #: The scale's range: every pain rating the course asks for, keeps and charts lies in it
    #: (within 0-10, the range the journal's file keeps).
    lowest: int
    highest: int
    low_anchor: str
    high_anchor: str
    meaningful_change: Annotated[int, Limits(1, 10)]
    meaningful_change_text: str
    sources: tuple[SourceKey, ...]


@dataclass(frozen=True)
class GoalScale:
    """A goal about life, not only pain: one everyday activity back pain makes hard, named by the
    learner (``prompt``, ``example``) and rated now and then (``question``) from ``lowest`` (its
    ``low_anchor``) to ``highest`` (its ``high_anchor``), within 0-10 as the journal's file keeps.
    ``about`` says, with its source, the clinical scale whose idea this is (``idea``, its name);
    ``not_clinical`` that the course borrows the idea and is not that instrument."""

    name: str
    idea: str
    prompt: str
    example: str
    question: str
    lowest: int
    highest: int
    low_anchor: str
    high_anchor: str
    about: Item
    not_clinical: str


#: The rules a "next time" suggestion is made by (:mod:`stretchkit.suggest`), as the journal
#: records a learner's decision on one: pain rose (an easier way), two comfortable weeks (build
#: up), a week without a session (restart gently).
SUGGESTION_RULES = ("easier", "build-up", "restart")


@dataclass(frozen=True)
class EasierRule:
    """Pain after a stretch's sessions rose by ``rise`` points or more, ``times`` sessions in a
    row: suggest its easier version, else a hold ``hold_step`` s shorter, else ``fewer_reps``
    fewer repeats (within the routine's ranges), with ``advice``, its source's."""

    advice: Item
    rise: Annotated[int, Limits(1, 10)]
    times: Annotated[int, Limits(1, 10)]
    fewer_reps: Annotated[int, Limits(1, 5)]


@dataclass(frozen=True)
class BuildUpRule:
    """A stretch's sessions, kept up for ``days`` days (no gap of a restart's ``days``), each
    ending with pain the same or lower: suggest up to ``more_reps`` more repeats (``advice``),
    or at its most repeats a hold ``hold_step`` s longer (``hold_advice``), within the ranges."""

    advice: Item
    hold_advice: Item
    days: Annotated[int, Limits(1, 365)]
    more_reps: Annotated[int, Limits(1, 5)]


@dataclass(frozen=True)
class RestartRule:
    """No session for ``days`` days: suggest starting again at the level last found comfortable."""

    advice: Item
    days: Annotated[int, Limits(1, 365)]


@dataclass(frozen=True)
class SuggestionRules:
    """A routine that follows your back: the rules of the "next time" suggestions, each with
    its source, and the numbers they go by (the course's choices, said in ``course.toml``)."""

    #: Seconds a suggestion makes a hold shorter or longer by.
    hold_step: Annotated[float, Limits(1, 60)]
    easier: EasierRule
    build_up: BuildUpRule
    restart: RestartRule


@dataclass(frozen=True)
class MuscleGroup:
    """A muscle group on lesson 01's diagram, and the words in a technique's targets that link it."""

    slug: Slug
    name: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class LessonTitles:
    """Titles of the lessons that are not about one technique, for 'see the lesson' links."""

    start: str
    why: str
    habits: str
    routine: str
    check: str
    #: How the timer works, said once for every technique lesson.
    timer_intro: str = ""
    #: Said before a stretch's adapted positions.
    alternatives_note: str = ""


@dataclass(frozen=True)
class BreakReminderText:
    """Which tip the break reminder speaks from, and which of its actions it says when it goes off.

    ``action`` counts from 1; without it the reminder says the tip's summary.
    """

    tip: TipSlug
    action: Annotated[int, Limits(1, 20)] | None = None


@dataclass(frozen=True)
class Course:
    """The whole course: read-only, validated, in course order."""

    title: str
    overview: str
    why: tuple[Point, ...]
    evidence: Evidence
    techniques: tuple[Technique, ...]
    tips: tuple[Tip, ...]
    closing: tuple[str, ...]
    closing_source: SourceKey
    faq: tuple[FAQ, ...]
    safety: Safety
    dose: Dose
    floor: Floor
    routine: RoutineLimits
    pain_scale: PainScale
    sources: tuple[Source, ...]
    lessons: LessonTitles
    muscle_groups: tuple[MuscleGroup, ...]
    schema_version: Annotated[int, Limits(SCHEMA_VERSION, SCHEMA_VERSION)] = SCHEMA_VERSION
    #: Optional: a course without it gets a plain reminder.
    break_reminder: BreakReminderText | None = None
    #: Authored quiz questions on safety and on everyday habits (FAQ-shaped).
    safety_quiz: tuple[FAQ, ...] = ()
    habit_quiz: tuple[FAQ, ...] = ()
    #: "Is this course right for me?": who should check first, shown before the first stretch.
    right_for_me: tuple[Check, ...] = ()
    programme: Programme = Programme()
    #: The "next time" suggestions' rules; a course without them makes none.
    suggestions: SuggestionRules | None = None
    #: The everyday goal's wording and scale; a course without it asks for no goal.
    goal: GoalScale | None = None
    #: Lesson 01's strengthening exercises ("Beyond stretching"), taught like the stretches but
    #: kept apart from them: not in ``techniques`` or ``all_techniques`` (the five stretch
    #: lessons, their quiz and diagram), yet a timer, routine or journal may name them.
    strengthening: tuple[Technique, ...] = ()

    @property
    def lesson_keys(self) -> tuple[str, ...]:
        """Every lesson's key, as the journal records it: the course-wide topics, then each stretch."""
        return (*LESSON_KEYS, *(t.slug for t in self.techniques))

    @property
    def all_techniques(self) -> tuple[Technique, ...]:
        """Every technique a timer or routine can use: each stretch, then its adapted positions."""
        return tuple(u for t in self.techniques for u in (t, *t.alternatives))

    @property
    def practised(self) -> tuple[Technique, ...]:
        """Everything a routine or a journal entry may name: the techniques, their adapted
        positions, each one's easier and harder versions, then the strengthening exercises."""
        stretches = tuple(w for u in self.all_techniques for w in (u, *self.versions(u)))
        return (*stretches, *self.strengthening)

    def technique(self, slug: str) -> Technique:
        """The technique (adapted position, easier or harder version, or strengthening exercise)
        with this slug; a KeyError lists the known ones."""
        made = [as_version(t, v) for t in self.all_techniques for v in t.versions if v.slug == slug]
        if made:
            return made[0]
        return _find((*self.all_techniques, *self.strengthening), "slug", slug, "technique")

    def versions(self, t: Technique) -> tuple[Technique, ...]:
        """``t``'s easier and harder versions as complete techniques, for timers and routines."""
        return tuple(as_version(t, v) for v in t.versions)

    def reps_range(self, t: Technique) -> tuple[int, int, SourceKey]:
        """The repeats ``t`` may have and whose advice the most is: the stretch's own sourced
        limit (``reps_max``, ``reps_source``), else the course's ``[routine]`` range; widened to
        take in the stretch's own default. Routines, the builder and the timer all keep to it."""
        limits = self.routine
        if t.reps_max is not None:
            hi, source = t.reps_max, t.reps_source
        else:
            hi, source = limits.reps_max, limits.reps_source
        if t.reps > hi and t.reps_source:  # the most is then the technique's own sourced default
            source = t.reps_source
        return min(limits.reps_min, t.reps), max(hi, t.reps), source

    def parent(self, slug: str) -> Technique | None:
        """The stretch an adapted position stands in for (None for a stretch itself)."""
        for t in self.techniques:
            if any(a.slug == slug for a in t.alternatives):
                return t
            if any(v.slug == slug for u in (t, *t.alternatives) for v in u.versions):
                return t
        return None

    def tip(self, slug: str) -> Tip:
        """The everyday tip with this slug; a KeyError lists the known ones."""
        return _find(self.tips, "slug", slug, "tip")

    def source(self, key: str) -> Source:
        """The source with this key; a KeyError lists the known ones."""
        return _find(self.sources, "key", key, "source")


E = TypeVar("E")


def _find(items: tuple[E, ...], attr: str, value: str, kind: str) -> E:
    for item in items:
        if getattr(item, attr) == value:
            return item
    known = ", ".join(getattr(i, attr) for i in items)
    raise KeyError(f"no {kind} {value!r}; known {kind}s: {known}")


def num(x: float) -> str:
    """A number as the course writes it: '30', '2.5', never '30.0'."""
    return f"{x:g}"


def held_dose(hold: float, sides: int, reps: int) -> str:
    """How a held stretch is timed, in short: '2 sides x 30 s, 2 reps' (see :meth:`Technique.dose`)."""
    two = "2 sides x " if sides == 2 else ""
    more = f", {reps} reps" if reps > 1 else ""
    return f"{two}{num(hold)} s{more}"


def is_number(value: object) -> bool:
    """A real, finite number (not a bool), as every checked setting must be."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def as_version(t: Technique, v: Version) -> Technique:
    """``t`` done the way version ``v`` says: its name, steps and timer settings where it gives
    them, otherwise the stretch's own; drawn as the stretch unless its steps are its own."""
    hold = None if t.is_movement else (v.hold_seconds if v.hold_seconds is not None else t.hold_seconds)
    return dataclasses.replace(
        t,
        slug=v.slug,
        name=v.name,
        summary=f"A {v.level} way to do the {t.name}: {v.change.text}",
        # Without steps of its own, the stretch's steps and then what changes, so a handout
        # (which prints the steps) says it too.
        steps=v.steps or (*t.steps, v.change.text),
        step_sources=v.step_sources if v.steps else (*t.step_sources, v.change.source),
        hold_seconds=hold,
        hold_source=v.hold_source or t.hold_source,
        reps=t.reps if v.reps is None else v.reps,
        reps_source=v.reps_source or t.reps_source,
        alternatives=(),
        versions=(),
        recap=(),
        # Drawn as the stretch only when done the stretch's way: steps of its own (a towel
        # behind the thigh, not under the foot) would not match the stretch's drawing.
        drawn_as="" if v.steps else (t.drawn_as or t.slug),
        level=v.level,
    )
