"""Course content loaded from TOML: reading, overlays, conversion and validation.

Every fact the course shows lives in ``data/course.toml``. This module turns that file
(or an educator's own) into the frozen dataclasses of :mod:`stretchkit.course` and refuses
anything malformed with one line that names the file, the entry and the field, so a typo
never reaches a learner. The types themselves live in :mod:`stretchkit.course`; import them
from there.
"""

from __future__ import annotations

import difflib
import os
import tomllib
import types
import typing
from collections.abc import Iterator
from dataclasses import MISSING, fields, is_dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, NamedTuple, TypeVar, Union, get_args, get_origin, get_type_hints

from .course import (
    LESSON_KEYS,
    LEVELS,
    PAIN_RANGE,
    POSE_ANGLES,
    POSITIONS,
    POSTURES,
    SLUG,
    ContentError,
    Course,
    GoalScale,
    Item,
    Limits,
    PainScale,
    PoseSpec,
    Ref,
    RoutineLimits,
    Technique,
    Version,
    is_number,
    num,
    references,
)

__all__ = [
    "check_course",
    "default_order",
    "load_course",
    "parse_toml",
    "read_toml",
    "resolve_technique",
]

BUNDLED = "course.toml"


def default_order(course: Course) -> tuple[str, ...]:
    """The default routine's stretches: the course's grouped order, then any stretch it does
    not list (an educator's added stretch joins the routine) in course order."""
    listed = course.routine.default_order
    return (*listed, *(t.slug for t in course.techniques if t.slug not in listed))


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


# --- reading and converting --------------------------------------------------------

T = TypeVar("T")


class _Where:
    """Builds the ``file: entry: field`` prefix of a ContentError, naming each entry as the file
    it came from has it."""

    def __init__(self, file: str) -> None:
        self.file = file
        #: For an overlay, each section's entries that came from (or were changed by) the file:
        #: their index in the merged course -> their index in the file. None for a whole course.
        self.placed: dict[str, dict[int, int]] | None = None

    def fail(self, entry: str, message: str) -> typing.NoReturn:
        prefix = f"{self.file}: {entry}: " if entry else f"{self.file}: "
        raise ContentError(prefix + message)

    def entry(self, parent: str, section: str, index: int, entry: Any) -> str:
        """``entry``, the ``index``-th of list ``section`` in ``parent`` ("" for the course itself).

        An overlay's own entries are counted in the educator's file, not in the merged course;
        an entry it left as bundled is called so.
        """
        if parent or self.placed is None:
            return _join(parent, _entry_name(section, index, entry))
        mine = self.placed.get(section, {})
        if index in mine:
            return _entry_name(section, mine[index], entry)
        return "bundled " + _entry_name(section, index, entry)


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


def _entry_name(section: str, index: int, entry: Any) -> str:
    """``techniques[2] (hamstring-stretch)``: an entry (a TOML table or the dataclass made from it)
    by its place, and by its slug, key or name when it has one."""
    name = f"{section}[{index}]"

    def get(attr: str) -> Any:
        return entry.get(attr) if isinstance(entry, dict) else getattr(entry, attr, None)

    label = get("slug") or get("key") or get("name")
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
    if origin is Annotated:  # a slug or Limits to check; a Ref is checked once the course is whole
        base, *extras = get_args(tp)
        checks = [e for e in extras if not isinstance(e, Ref)]
        return _value(base, raw, checks[0] if checks else None, where, entry, name)
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
        return tuple(_convert(item, x, where, where.entry(entry, name, i, x)) for i, x in enumerate(raw))
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
    "distractors",
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


#: Sections whose entries carry a slug, so an overlay file can replace or add them, and what
#: one entry is called.
_KEYED = {
    "techniques": "technique",
    "tips": "tip",
    "faq": "FAQ entry",
    "safety_quiz": "safety quiz question",
    "habit_quiz": "habit quiz question",
    "strengthening": "strengthening exercise",
}


def _overlay(base: dict[str, Any], extra: dict[str, Any], where: _Where) -> dict[str, Any]:
    """Merge an educator's file into the bundled content, entry by entry (by slug), noting in
    ``where`` which merged entries are the file's."""
    merged = dict(base)
    where.placed = {}
    for key, value in extra.items():
        if key == "extends":
            continue
        if key in _KEYED:
            merged[key], where.placed[key] = _overlay_entries(key, base[key], value, where)
        elif key in base and isinstance(base[key], dict) and isinstance(value, dict):
            merged[key] = {**base[key], **value}
        else:
            merged[key] = value
            if isinstance(value, list):  # the file's list replaces the bundled one
                where.placed[key] = {i: i for i in range(len(value))}
    return merged


def _overlay_entries(
    key: str, bundled: list[dict[str, Any]], value: Any, where: _Where
) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """One keyed section merged: the entries, and for each of the file's, merged index -> its index."""
    if not isinstance(value, list):
        where.fail(key, f"must be a list of tables ([[{key}]]), got {_describe(value)}")
    entries = [dict(e) for e in bundled]
    index = {e["slug"]: i for i, e in enumerate(entries)}
    placed: dict[int, int] = {}
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
            _check_new_entry(key, item, [e["slug"] for e in bundled], where, name)
            index[slug] = len(entries)
            entries.append(item)
        placed[index[slug]] = i
    return entries, placed


def _check_new_entry(key: str, item: dict[str, Any], known: list[str], where: _Where, name: str) -> None:
    """An entry whose slug is new but which lacks fields a new one needs is most likely an edit of
    a bundled entry under a misspelt slug: say so, with the closest slug (or all of them)."""
    cls = get_args(get_type_hints(Course)[key])[0]
    required = [f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING]
    missing = [f for f in required if f not in item]
    if not missing:
        return
    one, slug = _KEYED[key], item["slug"]
    close = difflib.get_close_matches(slug, known, n=1)
    if close:
        where.fail(name, f"slug: unknown {one} {slug!r} — did you mean {close[0]!r}?")
    if len(missing) > len(required) / 2:  # a few fields, as an edit has
        where.fail(
            name,
            f"slug: unknown {one} {slug!r}: to change a bundled one, use its slug ({', '.join(known)}); "
            f"a new one needs every field, and this one has no {missing[0]!r}",
        )


# --- what a field's type cannot say ---------------------------------------------------


def _check(course: Course, where: _Where) -> None:
    """Names are unique, references name what exists, and values agree with each other."""
    _check_sources(course, where)
    _check_unique(course, where)
    _check_references(course, where)
    _check_routine(course.routine, where)
    _check_pain_scale(course.pain_scale, where)
    _check_suggestions(course, where)
    _check_goal(course.goal, where)
    for entry, technique, stretch in _technique_entries(course, where):
        _check_technique(technique, entry, where, adapted=stretch is not None)
    for i, t in enumerate(course.strengthening):
        if t.alternatives:
            where.fail(
                where.entry("", "strengthening", i, t),
                "alternatives: a strengthening exercise has no adapted positions (give a chair_note instead)",
            )
    _check_break_reminder(course, where)
    _check_right_for_me(course, where)


def _check_right_for_me(course: Course, where: _Where) -> None:
    """A stretch's ``check_first`` names entries of "Is this course right for me?"; a stretch
    marked ``hip_precautions`` needs the course's hip caution in ``[safety]``."""
    checks = [c.slug for c in course.right_for_me]
    for entry, t, _ in _technique_entries(course, where):
        for slug in t.check_first:
            if slug not in checks:
                where.fail(entry, f"check_first: unknown entry {slug!r} (known entries: {', '.join(checks)})")
        if t.hip_precautions and course.safety.hip_precautions is None:
            where.fail(entry, "hip_precautions: the course has no [safety] hip_precautions caution to add")


def _technique_entries(course: Course, where: _Where) -> Iterator[tuple[str, Technique, Technique | None]]:
    """Each technique, then its adapted positions, then the strengthening exercises: where it is
    in the file, it, and the stretch it adapts (None for a stretch or a strengthening exercise)."""
    for i, t in enumerate(course.techniques):
        entry = where.entry("", "techniques", i, t)
        yield entry, t, None
        for j, a in enumerate(t.alternatives):
            yield f"{entry}: {_entry_name('alternatives', j, a)}", a, t
    for i, t in enumerate(course.strengthening):
        yield where.entry("", "strengthening", i, t), t, None


def _check_sources(course: Course, where: _Where) -> None:
    """Source keys are unique and each url is a web address."""
    seen: set[str] = set()
    for i, s in enumerate(course.sources):
        entry = where.entry("", "sources", i, s)
        if s.key in seen:
            where.fail(entry, f"key: duplicate source key {s.key!r}")
        seen.add(s.key)
        if s.url and (not s.url.startswith(("https://", "http://")) or any(c.isspace() for c in s.url)):
            where.fail(entry, f"url must be a web address starting https://, got {s.url!r}")


#: Sections whose entries each carry a slug that must be unique within the section.
_SLUGGED = ("techniques", "tips", "muscle_groups", "faq", "safety_quiz", "habit_quiz", "strengthening")


def _check_unique(course: Course, where: _Where) -> None:
    """Slugs are unique in their section, an adapted position's and a strengthening exercise's
    among all techniques, and so is every technique's name (in any case or spacing)."""
    for section in _SLUGGED:
        seen: set[str] = set()
        for i, e in enumerate(getattr(course, section)):
            if e.slug in seen:
                where.fail(where.entry("", section, i, e), f"slug: duplicate slug {e.slug!r}")
            seen.add(e.slug)
    slugs = {t.slug for t in course.techniques}
    names: dict[str, str] = {}
    for entry, t, stretch in _technique_entries(course, where):
        if stretch is not None or t in course.strengthening:
            if t.slug in slugs:
                where.fail(entry, f"slug: duplicate slug {t.slug!r}")
            slugs.add(t.slug)
        key = " ".join(t.name.casefold().split())
        if key in names:
            where.fail(entry, f"name: {t.name!r} is already the name of {names[key]}")
        names[key] = entry
    for entry, t, _ in _technique_entries(course, where):
        for j, v in enumerate(t.versions):
            if v.slug in slugs:
                where.fail(f"{entry}: {_entry_name('versions', j, v)}", f"slug: duplicate slug {v.slug!r}")
            slugs.add(v.slug)


class _Known(NamedTuple):
    """What one kind of reference may name, in the order a message lists them."""

    names: tuple[str, ...]
    #: How a message calls one ("unknown source 'x'") and the known ones ("known sources: ...").
    one: str
    many: str

    def unknown(self, key: str) -> str:
        return f"unknown {self.one} {key!r} (known {self.many}: {', '.join(self.names)})"


def _check_references(course: Course, where: _Where) -> None:
    """Every field a content type declares a reference (see ``course.references``) names something."""
    for entry, message in _bad_references(course, where):
        where.fail(entry, message)


def _bad_references(course: Course, where: _Where | None = None) -> Iterator[tuple[str, str]]:
    """(entry, message) for each declared reference in the course that names nothing."""
    techniques = tuple(t.slug for t in (*course.all_techniques, *course.strengthening))
    tips = tuple(t.slug for t in course.tips)
    known = {
        "source": _Known(tuple(sorted(s.key for s in course.sources)), "source", "sources"),
        "technique": _Known(techniques, "technique", "techniques"),
        "tip": _Known(tips, "tip", "tips"),
        "lesson": _Known(tuple(sorted({*LESSON_KEYS, *techniques, *tips})), "slug", "lessons"),
    }
    return _walk_references(course, "", known, where or _Where(""))


def _walk_references(
    value: Any, entry: str, known: dict[str, _Known], where: _Where
) -> Iterator[tuple[str, str]]:
    """Check one content dataclass's references, then those of the dataclasses it holds.

    ``entry`` is where ``value`` is, as a ContentError names it: ``techniques[2] (hamstring-stretch):
    cautions[1]``. An empty reference (an optional field left out) names nothing and is fine.
    """
    refs = references(type(value))
    for f in fields(value):
        item = getattr(value, f.name)
        if f.name in refs:
            kind = known[refs[f.name]]
            for key in item if isinstance(item, tuple) else (item,):
                if key and key not in kind.names:
                    yield entry, f"{f.name}: {kind.unknown(key)}"
        elif isinstance(item, tuple):
            for i, x in enumerate(item):
                if is_dataclass(x):
                    yield from _walk_references(x, where.entry(entry, f.name, i, x), known, where)
        elif is_dataclass(item):
            yield from _walk_references(item, _join(entry, f.name), known, where)


def _check_pain_scale(scale: PainScale, where: _Where) -> None:
    """A pain scale runs from low to high, within the 0-10 the journal's file keeps."""
    if not PAIN_RANGE[0] <= scale.lowest < scale.highest <= PAIN_RANGE[1]:
        where.fail(
            "pain_scale",
            f"lowest and highest must satisfy {PAIN_RANGE[0]} <= lowest < highest <= {PAIN_RANGE[1]}, "
            f"got {scale.lowest!r} and {scale.highest!r}",
        )


def _check_goal(scale: GoalScale | None, where: _Where) -> None:
    """The everyday goal's scale runs from low to high, within the 0-10 the journal's file keeps."""
    if scale is not None and not PAIN_RANGE[0] <= scale.lowest < scale.highest <= PAIN_RANGE[1]:
        where.fail(
            "goal",
            f"lowest and highest must satisfy {PAIN_RANGE[0]} <= lowest < highest <= {PAIN_RANGE[1]}, "
            f"got {scale.lowest!r} and {scale.highest!r}",
        )


def _check_suggestions(course: Course, where: _Where) -> None:
    """A pain rise the suggestions wait for fits on the course's pain scale."""
    rules, scale = course.suggestions, course.pain_scale
    if rules is None:
        return
    span = scale.highest - scale.lowest
    if rules.easier.rise > span:
        where.fail(
            "suggestions: easier",
            f"rise must be at most {span} (the pain scale runs from {scale.lowest} to {scale.highest}), "
            f"got {rules.easier.rise!r}",
        )


def _check_routine(limits: RoutineLimits, where: _Where) -> None:
    """A routine's safe ranges run from low to high."""
    if limits.hold_min > limits.hold_max:
        where.fail(
            "routine", f"hold_min must not exceed hold_max, got {limits.hold_min!r} > {limits.hold_max!r}"
        )
    if limits.reps_min > limits.reps_max:
        where.fail(
            "routine", f"reps_min must not exceed reps_max, got {limits.reps_min!r} > {limits.reps_max!r}"
        )


def _check_technique(t: Technique, entry: str, where: _Where, *, adapted: bool) -> None:
    """One technique's (or adapted position's) timing, position, wording and pose."""
    if t.movement and t.hold_seconds is not None:
        where.fail(entry, "hold_seconds: give either hold_seconds or movement, not both")
    if not t.movement and t.hold_seconds is None:
        where.fail(entry, "hold_seconds: missing required field 'hold_seconds' (or a paced 'movement')")
    if not (t.side_word.isalpha() and t.side_word.islower()):
        where.fail(entry, f"side_word must be one lowercase word like 'side' or 'leg', got {t.side_word!r}")
    if t.position and t.position not in POSITIONS:
        where.fail(entry, f"position must be one of {', '.join(POSITIONS)}, got {t.position!r}")
    if adapted and t.alternatives:
        where.fail(entry, "alternatives: an adapted position cannot have adapted positions of its own")
    if adapted and not t.replaces_when:
        where.fail(entry, "missing required field 'replaces_when' (who the adapted position is for)")
    _check_dose_sources(t, entry, where)
    for j, v in enumerate(t.versions):
        _check_version(t, v, f"{entry}: {_entry_name('versions', j, v)}", where)
    if t.pose is not None:
        _check_pose(t.pose, where, f"{entry}: pose")
        if t.movement:
            where.fail(
                entry,
                f"pose: describes one position, but the paced movement has {len(t.movement)}; "
                "leave pose out (the lessons then show a placeholder)",
            )


def _check_dose_sources(t: Technique, entry: str, where: _Where) -> None:
    """A hold, more than one repeat and a repeat limit each name the source that gives them."""
    if t.hold_seconds is not None and not t.hold_source:
        where.fail(entry, "hold_source: missing required field 'hold_source' (whose advice the hold is)")
    if (t.reps > 1 or t.reps_max is not None) and not t.reps_source:
        where.fail(entry, "reps_source: missing required field 'reps_source' (whose advice the repeats are)")
    if t.reps_max is not None and t.reps > t.reps_max:
        where.fail(entry, f"reps must not exceed reps_max, got {t.reps!r} > {t.reps_max!r}")


def _check_version(t: Technique, v: Version, entry: str, where: _Where) -> None:
    """An easier or harder version names its level, and a source for each thing it changes:
    the change itself (an Item), its steps, its hold and its repeats."""
    if v.level not in LEVELS:
        where.fail(entry, f"level must be one of {', '.join(LEVELS)}, got {v.level!r}")
    if v.steps and not v.step_sources:
        where.fail(entry, "step_sources: missing required field 'step_sources' (whose advice the steps are)")
    if v.hold_seconds is not None:
        if t.is_movement:
            where.fail(entry, f"hold_seconds: {t.name} is a paced movement; change reps instead")
        if not v.hold_source:
            where.fail(entry, "hold_source: missing required field 'hold_source' (whose advice the hold is)")
    if v.reps is not None and not v.reps_source:
        where.fail(entry, "reps_source: missing required field 'reps_source' (whose advice the repeats are)")


def _check_pose(pose: PoseSpec, where: _Where, entry: str) -> None:
    """A pose names a known base posture, and each angle stays in its anatomical range."""
    if pose.base not in POSTURES:
        known = ", ".join(repr(p) for p in POSTURES)
        where.fail(entry, f"base must be one of {known}, got {pose.base!r}")
    for name, value in pose.angles().items():
        lo, hi = POSE_ANGLES[name]
        if not lo <= value <= hi:
            where.fail(entry, f"{name} must be between {num(lo)} and {num(hi)} degrees, got {value!r}")


def _check_break_reminder(course: Course, where: _Where) -> None:
    """The reminder's action is one its tip has (the tip itself is a checked reference)."""
    reminder = course.break_reminder
    if reminder is None or reminder.action is None:
        return
    tip = course.tip(reminder.tip)
    if reminder.action > len(tip.actions):
        where.fail(
            "break_reminder",
            f"action must be between 1 and {len(tip.actions)} (the actions of tip {tip.slug!r}), "
            f"got {reminder.action!r}",
        )


# --- the bundled course, or an educator's file ------------------------------------------


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
    _check(course, where)
    return _with_hip_caution(course)


def _with_hip_caution(course: Course) -> Course:
    """Each stretch marked ``hip_precautions`` gets the course's one hip caution first, so every
    page that shows a stretch's cautions (lesson, handout, quiz) shows it in the same words."""
    item = course.safety.hip_precautions
    if item is None:
        return course

    def add(t: Technique) -> Technique:
        cautions = (item, *t.cautions) if t.hip_precautions and item not in t.cautions else t.cautions
        return replace(t, cautions=cautions, alternatives=tuple(add(a) for a in t.alternatives))

    return replace(
        course,
        techniques=tuple(add(t) for t in course.techniques),
        strengthening=tuple(add(t) for t in course.strengthening),
    )
