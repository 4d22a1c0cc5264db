"""Course content as typed, frozen data, loaded from TOML.

Every fact the course shows lives in ``data/course.toml``. This module turns that file
(or an educator's own) into frozen dataclasses and refuses anything malformed with one
line that names the file, the entry and the field, so a typo never reaches a learner.
"""

from __future__ import annotations

import math
import os
import tomllib
import types
import typing
from dataclasses import MISSING, dataclass, fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, NamedTuple, TypeVar, Union, get_args, get_origin, get_type_hints

__all__ = [
    "FAQ",
    "POSITIONS",
    "POSTURES",
    "BreakReminderText",
    "ContentError",
    "Course",
    "Distractor",
    "Dose",
    "Evidence",
    "Floor",
    "Item",
    "LessonTitles",
    "MovementStep",
    "MuscleGroup",
    "PainScale",
    "Point",
    "PoseSpec",
    "RoutineLimits",
    "Safety",
    "Source",
    "Technique",
    "Tip",
    "check_course",
    "default_order",
    "held_dose",
    "is_number",
    "load_course",
    "num",
    "parse_toml",
    "read_toml",
    "resolve_technique",
]

BUNDLED = "course.toml"
SCHEMA_VERSION = 1

#: Where an FAQ entry's ``see`` may point besides a technique or tip slug.
LESSON_KEYS = ("why", "safety", "habits")

#: Where a technique is done, in the order a routine visits them: from a chair or standing,
#: then down to the floor once (lying, then all fours, then kneeling) and up once at the end.
POSITIONS = ("chair", "standing", "bed", "lying", "all-fours", "kneeling")


class ContentError(ValueError):
    """Bad course content, with a message that names file, entry and field."""


class Limits(NamedTuple):
    """Allowed range of a number field; ``lo == 0`` means 'positive' (zero excluded)."""

    lo: float
    hi: float


#: Marks a field that must be a lowercase slug such as 'hamstring-stretch'.
SLUG = "slug"
Slug = Annotated[str, SLUG]


@dataclass(frozen=True)
class Source:
    """A publication that a fact in the course comes from."""

    key: Slug
    title: str
    publisher: str
    url: str = ""


@dataclass(frozen=True)
class Item:
    """One line of advice (a mistake, a caution, an action, a red flag) and where it comes from.

    Every item names its own source: ``"article"`` for the course's source article, or
    the key of another entry in ``[[sources]]``. The loader refuses an item without one.
    """

    text: str
    source: str


@dataclass(frozen=True)
class Point:
    """One reason stretching helps."""

    title: str
    text: str
    source: str


@dataclass(frozen=True)
class Evidence:
    """What research says, so stretching is never oversold."""

    text: str
    sources: tuple[str, ...]
    #: What the evidence means for a learner, in plain words, with its sources.
    takeaway: str = ""
    takeaway_sources: tuple[str, ...] = ()


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
    source: str
    #: Where it is done (one of POSITIONS); a routine groups its stretches by it.
    position: str = ""
    hold_seconds: Annotated[float, Limits(0, 600)] | None = None
    hold_source: str = ""
    movement: tuple[MovementStep, ...] = ()
    reps_source: str = ""
    equipment: tuple[str, ...] = ()
    #: What a one-sided stretch changes between sides, in cues: "Switch to the other leg."
    side_word: str = "side"
    #: The pose to draw the stretch in; when given, it is drawn from this, not from any
    #: drawing stretchkit has for its slug (an educator's own stretch needs one to be drawn).
    pose: PoseSpec | None = None
    #: Sources of facts in the steps beyond ``source`` (e.g. where the other leg rests).
    step_sources: tuple[str, ...] = ()
    #: What the article itself says about the hold, when the timer's hold comes from elsewhere.
    article_hold: str = ""
    #: Says where the timer's hold comes from and how it relates to the article's.
    hold_note: str = ""
    #: What is specific to this stretch, for the lesson's recap.
    recap: tuple[str, ...] = ()
    #: Techniques whose facts overlap this one's, never used as its quiz's wrong options.
    quiz_overlaps: tuple[Slug, ...] = ()
    #: Adapted positions (on a chair, standing, on a bed): complete techniques of their own.
    alternatives: tuple[Technique, ...] = ()
    #: For an alternative: who it is for ("you cannot kneel or get down to the floor").
    replaces_when: str = ""
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
    source: str


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
    see: str
    correct: tuple[str, ...]
    distractors: tuple[Distractor, ...]
    source: str


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


@dataclass(frozen=True)
class Floor:
    """Getting down to the floor and back up safely, step by step, with sources."""

    title: str
    intro: Item
    down: tuple[str, ...]
    down_source: str
    up: tuple[str, ...]
    up_source: str
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
    hold_source: str
    reps_min: Annotated[int, Limits(1, 20)]
    reps_max: Annotated[int, Limits(1, 20)]
    reps_source: str
    rest_max: Annotated[float, Limits(0, 600)]
    #: The default routine's order, grouped by position, and why.
    default_order: tuple[Slug, ...] = ()
    order_note: str = ""
    order_sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class PainScale:
    """The 0-10 numeric rating scale and the change that matters, with sources."""

    name: str
    low_anchor: str
    high_anchor: str
    meaningful_change: Annotated[int, Limits(1, 10)]
    meaningful_change_text: str
    sources: tuple[str, ...]


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
    #: How the timer works, said once for every technique lesson.
    timer_intro: str = ""
    #: Said before a stretch's adapted positions.
    alternatives_note: str = ""


@dataclass(frozen=True)
class BreakReminderText:
    """Which tip the break reminder speaks from, and which of its actions it says when it goes off.

    ``action`` counts from 1; without it the reminder says the tip's summary.
    """

    tip: Slug
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
    closing_source: str
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

    @property
    def all_techniques(self) -> tuple[Technique, ...]:
        """Every technique a timer or routine can use: each stretch, then its adapted positions."""
        return tuple(u for t in self.techniques for u in (t, *t.alternatives))

    def technique(self, slug: str) -> Technique:
        """The technique (or adapted position) with this slug; a KeyError lists the known ones."""
        return _find(self.all_techniques, "slug", slug, "technique")

    def parent(self, slug: str) -> Technique | None:
        """The stretch an adapted position stands in for (None for a stretch itself)."""
        for t in self.techniques:
            if any(a.slug == slug for a in t.alternatives):
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


def default_order(course: Course) -> tuple[str, ...]:
    """The default routine's stretches: the course's grouped order, then any stretch it does
    not list (an educator's added stretch joins the routine) in course order."""
    listed = course.routine.default_order
    return (*listed, *(t.slug for t in course.techniques if t.slug not in listed))


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


def check_course(course: object, name: str = "course", *, optional: bool = True) -> Course | None:
    """``course`` if it is a Course (or None, when optional); else a TypeError naming the parameter."""
    if (course is not None or not optional) and not isinstance(course, Course):
        raise TypeError(f"{name} must be a Course from load_course(), got {course!r}")
    return course


def resolve_technique(
    slug_or_technique: str | Technique, course: Course | None = None, *, name: str = "slug_or_technique"
) -> tuple[Technique, Course]:
    """The one calling convention: a slug or a Technique, and the course (default: the bundled one).

    A bad value is a TypeError or ValueError naming the parameter ``name``.
    """
    course = course or load_course()
    if isinstance(slug_or_technique, Technique):
        return slug_or_technique, course
    if not isinstance(slug_or_technique, str):
        raise TypeError(f"{name} must be a slug or a Technique, got {slug_or_technique!r}")
    try:
        return course.technique(slug_or_technique), course
    except KeyError as exc:
        raise ValueError(f"{name}: {exc.args[0]}") from None


# --- loading -----------------------------------------------------------------------

T = TypeVar("T")


class _Where:
    """Builds the ``file: entry: field`` prefix of a ContentError."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, entry: str, message: str) -> typing.NoReturn:
        prefix = f"{self.file}: {entry}: " if entry else f"{self.file}: "
        raise ContentError(prefix + message)


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return repr(value) if len(value) < 60 else repr(value[:57] + "...")
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _join(entry: str, name: str) -> str:
    return f"{entry}: {name}" if entry else name


def _entry_name(section: str, index: int, raw: Any) -> str:
    name = f"{section}[{index}]"
    if isinstance(raw, dict):
        label = raw.get("slug") or raw.get("key") or raw.get("name")
        if isinstance(label, str) and label:
            name += f" ({label})"
    return name


def _convert(cls: type[T], raw: Any, where: _Where, entry: str) -> T:
    """Build dataclass ``cls`` from a TOML table, checking every field."""
    if not isinstance(raw, dict):
        where.fail(entry, f"must be a table, got {_describe(raw)}")
    hints = get_type_hints(cls, include_extras=True)
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(raw) - known)
    if unknown:
        where.fail(entry, f"unknown field {unknown[0]!r} (known fields: {', '.join(sorted(known))})")
    values: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name not in raw:
            if f.default is MISSING and f.default_factory is MISSING:
                where.fail(entry, f"missing required field {f.name!r}")
            continue
        values[f.name] = _value(hints[f.name], raw[f.name], None, where, entry, f.name)
    return cls(**values)


def _value(tp: Any, raw: Any, meta: Any, where: _Where, entry: str, name: str) -> Any:
    """Check one field's value against its type (and Annotated limits); return it converted."""
    origin = get_origin(tp)
    if origin is Annotated:
        base, *extras = get_args(tp)
        return _value(base, raw, extras[0], where, entry, name)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(tp) if a is not type(None)]
        return _value(inner[0], raw, meta, where, entry, name)
    if origin is tuple:
        item = get_args(tp)[0]
        if not isinstance(raw, list):
            where.fail(entry, f"{name} must be a list, got {_describe(raw)}")
        if not raw and name in _NON_EMPTY_LISTS:
            where.fail(entry, f"{name} must not be empty")
        if item is Item:
            for i, x in enumerate(raw):
                if not isinstance(x, dict):
                    where.fail(
                        entry,
                        f'{name}[{i}] needs its own source: write {{ text = "...", source = "article" }} '
                        f"(or another source key), got {_describe(x)}",
                    )
            return tuple(_convert(Item, x, where, _join(entry, f"{name}[{i}]")) for i, x in enumerate(raw))
        if item is str or get_origin(item) is Annotated:
            out = []
            for i, x in enumerate(raw):
                out.append(_value(item, x, None, where, entry, f"{name}[{i}]"))
            return tuple(out)
        return tuple(
            _convert(item, x, where, _join(entry, _entry_name(name, i, x))) for i, x in enumerate(raw)
        )
    if tp is str:
        if not isinstance(raw, str):
            where.fail(entry, f"{name} must be text, got {_describe(raw)}")
        text = raw.strip()
        if not text and name not in _MAY_BE_EMPTY:
            where.fail(entry, f"{name} must not be empty")
        if meta == SLUG and not _is_slug(text):
            where.fail(entry, f"{name} must be a lowercase slug like 'hamstring-stretch', got {raw!r}")
        return text
    if tp is bool:
        if not isinstance(raw, bool):
            where.fail(entry, f"{name} must be true or false, got {_describe(raw)}")
        return raw
    if tp in (int, float):
        ok = isinstance(raw, int) if tp is int else isinstance(raw, (int, float))
        if not ok or not is_number(raw):
            kind = "a whole number" if tp is int else "a number"
            where.fail(entry, f"{name} must be {kind}, got {_describe(raw)}")
        if isinstance(meta, Limits) and not _in_range(raw, meta):
            lo, hi = meta
            if lo == 0:
                where.fail(entry, f"{name} must be a positive number of at most {num(hi)}, got {raw!r}")
            where.fail(entry, f"{name} must be between {num(lo)} and {num(hi)}, got {raw!r}")
        return tp(raw)
    if tp is Item and not isinstance(raw, dict):
        where.fail(
            entry,
            f'{name} needs its own source: write {{ text = "...", source = "article" }} '
            f"(or another source key), got {_describe(raw)}",
        )
    if isinstance(tp, type) and hasattr(tp, "__dataclass_fields__"):
        return _convert(tp, raw, where, _join(entry, name))
    raise TypeError(f"unsupported field type {tp!r}")  # pragma: no cover - programming error


def _in_range(value: float, limits: Limits) -> bool:
    if limits.lo == 0:
        return 0 < value <= limits.hi
    return limits.lo <= value <= limits.hi


_NON_EMPTY_LISTS = {
    "steps",
    "targets",
    "actions",
    "correct",
    "closing",
    "emergency",
    "urgent",
    "stop_when",
    "words",
    "see_professional",
    "down",
    "up",
    "guidance",
    "listen",
}
_MAY_BE_EMPTY = {"url", "cue", "hold_source", "reps_source"}


def _is_slug(text: str) -> bool:
    return bool(text) and all(c.islower() or c.isdigit() or c == "-" for c in text) and text[0].isalpha()


def read_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a TOML file an educator wrote; any problem is a one-line ContentError naming the file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(f"{p.name}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"{p.name}: cannot be read ({exc})") from None
    return parse_toml(text, p.name)


def parse_toml(text: str, label: str) -> dict[str, Any]:
    """Parse TOML text; a syntax error is a ContentError naming ``label`` and the line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{label}: not valid TOML: {exc}") from None


def _bundled_raw() -> dict[str, Any]:
    ref = resources.files("stretchkit") / "data" / BUNDLED
    return tomllib.loads(ref.read_text(encoding="utf-8"))


#: Sections whose entries carry a slug, so an overlay file can replace or add them.
_KEYED = ("techniques", "tips", "faq", "safety_quiz", "habit_quiz")


def _overlay(base: dict[str, Any], extra: dict[str, Any], where: _Where) -> dict[str, Any]:
    """Merge an educator's file into the bundled content, entry by entry (by slug)."""
    merged = dict(base)
    for key, value in extra.items():
        if key == "extends":
            continue
        if key in _KEYED:
            if not isinstance(value, list):
                where.fail(key, f"must be a list of tables ([[{key}]]), got {_describe(value)}")
            entries = [dict(e) for e in base[key]]
            index = {e["slug"]: i for i, e in enumerate(entries)}
            for i, item in enumerate(value):
                name = _entry_name(key, i, item)
                if not isinstance(item, dict):
                    where.fail(name, f"must be a table, got {_describe(item)}")
                slug = item.get("slug")
                if not isinstance(slug, str) or not slug:
                    where.fail(name, "missing required field 'slug'")
                if slug in index:  # a partial override of a bundled entry
                    entries[index[slug]] = {**entries[index[slug]], **item}
                else:  # a new entry: must be complete, checked below
                    index[slug] = len(entries)
                    entries.append(item)
            merged[key] = entries
        elif key in base and isinstance(base[key], dict) and isinstance(value, dict):
            merged[key] = {**base[key], **value}
        else:
            merged[key] = value
    return merged


def _check_references(course: Course, where: _Where) -> None:
    """Slugs are unique and every cross-reference points at something that exists."""
    source_keys = {s.key for s in course.sources}
    seen: set[str] = set()
    for i, s in enumerate(course.sources):
        if s.key in seen:
            where.fail(f"sources[{i}] ({s.key})", f"key: duplicate source key {s.key!r}")
        seen.add(s.key)
        if s.url and (not s.url.startswith(("https://", "http://")) or any(c.isspace() for c in s.url)):
            where.fail(
                f"sources[{i}] ({s.key})", f"url must be a web address starting https://, got {s.url!r}"
            )

    def need_source(entry: str, name: str, key: str) -> None:
        if key and key not in source_keys:
            where.fail(
                entry, f"{name}: unknown source {key!r} (known sources: {', '.join(sorted(source_keys))})"
            )

    lessons = set(LESSON_KEYS)
    for section in ("techniques", "tips"):
        seen = set()
        for i, item in enumerate(getattr(course, section)):
            entry = f"{section}[{i}] ({item.slug})"
            if item.slug in seen:
                where.fail(entry, f"slug: duplicate slug {item.slug!r}")
            seen.add(item.slug)
            need_source(entry, "source", item.source)
        lessons |= seen
    lessons |= {a.slug for t in course.techniques for a in t.alternatives}
    for i, p in enumerate(course.why):
        need_source(f"why[{i}]", "source", p.source)
    for key in course.evidence.sources:
        need_source("evidence", "sources", key)
    need_source("closing_source", "closing_source", course.closing_source)
    need_source("routine", "hold_source", course.routine.hold_source)
    need_source("routine", "reps_source", course.routine.reps_source)
    for key in course.pain_scale.sources:
        need_source("pain_scale", "sources", key)
    limits = course.routine
    if limits.hold_min > limits.hold_max:
        where.fail(
            "routine", f"hold_min must not exceed hold_max, got {limits.hold_min!r} > {limits.hold_max!r}"
        )
    if limits.reps_min > limits.reps_max:
        where.fail(
            "routine", f"reps_min must not exceed reps_max, got {limits.reps_min!r} > {limits.reps_max!r}"
        )

    def need_items(entry: str, name: str, items: tuple[Item, ...]) -> None:
        for j, item in enumerate(items):
            need_source(entry, f"{name}[{j}]: source", item.source)

    all_slugs = [u.slug for u in course.all_techniques]
    for i, t in enumerate(course.techniques):
        entry = f"techniques[{i}] ({t.slug})"
        for j, u in enumerate((t, *t.alternatives)):
            at = entry if j == 0 else f"{entry}: alternatives[{j - 1}] ({u.slug})"
            _check_technique(u, at, where, need_source, need_items, all_slugs)
            if j and u.alternatives:
                where.fail(at, "alternatives: an adapted position cannot have adapted positions of its own")
            if j and not u.replaces_when:
                where.fail(at, "missing required field 'replaces_when' (who the adapted position is for)")
            if j and u.slug in {v.slug for v in course.techniques}:
                where.fail(at, f"slug: duplicate slug {u.slug!r}")
    for i, t in enumerate(course.techniques):
        if t.pose is not None:
            _check_pose(t.pose, where, f"techniques[{i}] ({t.slug}): pose")
            if t.movement:
                where.fail(
                    f"techniques[{i}] ({t.slug})",
                    f"pose: describes one position, but the paced movement has {len(t.movement)}; "
                    "leave pose out (the lessons then show a placeholder)",
                )
    names: dict[str, str] = {}
    for i, t in enumerate(course.techniques):
        for j, u in enumerate((t, *t.alternatives)):
            at = f"techniques[{i}] ({t.slug})" + (f": alternatives[{j - 1}] ({u.slug})" if j else "")
            key = " ".join(u.name.casefold().split())
            if key in names:
                where.fail(at, f"name: {u.name!r} is already the name of {names[key]}")
            names[key] = at
    seen = set()
    for u in course.all_techniques:
        if u.slug in seen:
            where.fail(f"techniques ({u.slug})", f"slug: duplicate slug {u.slug!r}")
        seen.add(u.slug)
    for i, habit in enumerate(course.tips):
        need_items(f"tips[{i}] ({habit.slug})", "actions", habit.actions)
    safety = course.safety
    for name in ("stop_when", "emergency", "urgent", "see_professional"):
        need_items("safety", name, getattr(safety, name))
    if safety.red_flags_note is not None:
        need_source("safety", "red_flags_note: source", safety.red_flags_note.source)
    need_items("dose", "guidance", course.dose.guidance)
    need_items("dose", "listen", course.dose.listen)
    need_source("dose", "note: source", course.dose.note.source)
    f = course.floor
    need_source("floor", "intro: source", f.intro.source)
    need_source("floor", "down_source", f.down_source)
    need_source("floor", "up_source", f.up_source)
    need_items("floor", "cautions", f.cautions)
    for key in course.evidence.takeaway_sources:
        need_source("evidence", "takeaway_sources", key)
    for key in course.routine.order_sources:
        need_source("routine", "order_sources", key)
    for slug in course.routine.default_order:
        if slug not in all_slugs:
            where.fail(
                "routine", f"default_order: unknown technique {slug!r} (known: {', '.join(all_slugs)})"
            )
    seen = set()
    for i, g in enumerate(course.muscle_groups):
        if g.slug in seen:
            where.fail(f"muscle_groups[{i}] ({g.slug})", f"slug: duplicate slug {g.slug!r}")
        seen.add(g.slug)
    reminder = course.break_reminder
    if reminder is not None:
        tips = {t.slug: t for t in course.tips}
        tip = tips.get(reminder.tip)
        if tip is None:
            where.fail("break_reminder", f"tip: unknown tip {reminder.tip!r} (known tips: {', '.join(tips)})")
        if reminder.action is not None and reminder.action > len(tip.actions):
            where.fail(
                "break_reminder",
                f"action must be between 1 and {len(tip.actions)} (the actions of tip {tip.slug!r}), "
                f"got {reminder.action!r}",
            )
    for section in ("faq", "safety_quiz", "habit_quiz"):
        seen = set()
        for i, q in enumerate(getattr(course, section)):
            entry = f"{section}[{i}] ({q.slug})"
            if q.slug in seen:
                where.fail(entry, f"slug: duplicate slug {q.slug!r}")
            seen.add(q.slug)
            need_source(entry, "source", q.source)
            if q.see not in lessons:
                where.fail(entry, f"see: unknown slug {q.see!r} (known: {', '.join(sorted(lessons))})")
            if not q.distractors:
                where.fail(entry, "distractors must not be empty")


def _check_technique(
    t: Technique,
    entry: str,
    where: _Where,
    need_source: typing.Callable[[str, str, str], None],
    need_items: typing.Callable[[str, str, tuple[Item, ...]], None],
    all_slugs: list[str],
) -> None:
    """One technique's (or adapted position's) sources, timing, position and wording."""
    need_source(entry, "source", t.source)
    need_source(entry, "hold_source", t.hold_source)
    need_source(entry, "reps_source", t.reps_source)
    for key in t.step_sources:
        need_source(entry, "step_sources", key)
    need_items(entry, "cautions", t.cautions)
    need_items(entry, "mistakes", t.mistakes)
    if t.movement and t.hold_seconds is not None:
        where.fail(entry, "hold_seconds: give either hold_seconds or movement, not both")
    if not t.movement and t.hold_seconds is None:
        where.fail(entry, "hold_seconds: missing required field 'hold_seconds' (or a paced 'movement')")
    if not (t.side_word.isalpha() and t.side_word.islower()):
        where.fail(entry, f"side_word must be one lowercase word like 'side' or 'leg', got {t.side_word!r}")
    if t.position and t.position not in POSITIONS:
        where.fail(entry, f"position must be one of {', '.join(POSITIONS)}, got {t.position!r}")
    for slug in t.quiz_overlaps:
        if slug not in all_slugs:
            where.fail(entry, f"quiz_overlaps: unknown technique {slug!r} (known: {', '.join(all_slugs)})")


def _check_pose(pose: PoseSpec, where: _Where, entry: str) -> None:
    """A pose names a known base posture, and each angle stays in its anatomical range."""
    if pose.base not in POSTURES:
        known = ", ".join(repr(p) for p in POSTURES)
        where.fail(entry, f"base must be one of {known}, got {pose.base!r}")
    for name, value in pose.angles().items():
        lo, hi = POSE_ANGLES[name]
        if not lo <= value <= hi:
            where.fail(entry, f"{name} must be between {num(lo)} and {num(hi)} degrees, got {value!r}")


def load_course(path: str | Path | None = None) -> Course:
    """Load the bundled course, or an educator's content file.

    A file with ``extends = "stretchkit"`` at the top adds to the bundled course:
    ``[[techniques]]``, ``[[tips]]`` or ``[[faq]]`` entries whose slug is already known
    replace just the fields they give; new slugs are appended and must be complete.
    Any other file must be a complete course. Nothing half-loaded is ever returned:
    the first problem raises :class:`ContentError`.
    """
    if path is None:
        return _bundled_course()
    p = Path(path)
    where = _Where(p.name)
    raw = read_toml(p)
    extends = raw.get("extends")
    if extends is not None:
        if extends != "stretchkit":
            where.fail("extends", f'must be "stretchkit" (the bundled course), got {_describe(extends)}')
        raw = _overlay(_bundled_raw(), raw, where)
    return _build(raw, where)


@cache
def _bundled_course() -> Course:
    """The bundled course, parsed once per process: it is frozen, so every caller can share it."""
    return _build(_bundled_raw(), _Where(f"stretchkit/data/{BUNDLED}"))


def _build(raw: dict[str, Any], where: _Where) -> Course:
    course = _convert(Course, raw, where, "")
    _check_references(course, where)
    return course
