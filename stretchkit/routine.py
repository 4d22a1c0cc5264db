"""Routines: which stretches to do, for how long, and the routine files that hold them.

A :class:`Routine` is plain, validated data: every hold, repeat and rest is checked against
the safe ranges in ``course.routine`` (with their sources) so a learner or an educator's
routine file can never ask for more than the course supports. The widgets that make and
play one (:class:`~stretchkit.session.RoutineBuilder`, :class:`~stretchkit.session.GuidedSession`)
live in ``session``.
"""

from __future__ import annotations

import html
import json
import math
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .content import default_order, load_course, parse_toml, read_toml
from .course import Course, Technique, is_number, num
from .plan import Phase, Plan, Run, plan_for_technique
from .wording import cite, duration, plural

__all__ = [
    "DEFAULT_TITLE",
    "DONE_SHARE",
    "Outcome",
    "Routine",
    "RoutineItem",
    "StretchOutcome",
    "hold_range",
    "reps_range",
    "resolve_item",
    "routine_html",
    "summary_line",
]

DEFAULT_TITLE = "My stretching routine"
MAX_TITLE = 80
#: Seconds to get into position before each stretch, and to change sides (the timer's defaults).
GET_READY = 5
SWITCH = 5
#: A stretch in a guided session counts as done when at least this share of its holding
#: (or moving) time was spent on it; skipping a get-ready, a rest or a change of sides
#: does not matter.
DONE_SHARE = 0.5
#: The phases in which a learner is stretching (not getting ready, resting or changing sides).
STRETCHING = ("hold", "move")


@dataclass(frozen=True)
class RoutineItem:
    """One stretch in a routine. ``None`` means the course's own value for that stretch.

    ``hold`` is seconds per hold (per side for one-sided stretches; it does not apply to a
    paced movement such as Cat-Camel), ``reps`` how many times, ``rest`` seconds of rest
    between repeats.
    """

    technique: str
    hold: float | None = None
    reps: int | None = None
    rest: float = 0


_UNSET: Any = object()


@dataclass(frozen=True)
class StretchOutcome:
    """How one stretch of a routine went in a guided session: seconds planned and spent stretching."""

    technique: str
    planned_seconds: float
    spent_seconds: float

    @property
    def done(self) -> bool:
        """At least :data:`DONE_SHARE` of its stretching time was spent (a skipped stretch is not done)."""
        return self.spent_seconds >= DONE_SHARE * self.planned_seconds - 1e-9


@dataclass(frozen=True)
class Outcome:
    """What happened when a routine was played: per stretch, and the time in all."""

    stretches: tuple[StretchOutcome, ...]
    #: Seconds the timer played, pauses excluded (getting ready, rests and changes of sides included).
    active_seconds: float
    #: Seconds from start to end on the clock, pauses included.
    wall_seconds: float
    planned_seconds: float

    @property
    def done(self) -> tuple[str, ...]:
        return tuple(s.technique for s in self.stretches if s.done)

    @property
    def skipped(self) -> tuple[str, ...]:
        return tuple(s.technique for s in self.stretches if not s.done)

    @property
    def complete(self) -> bool:
        return not self.skipped

    @property
    def stretching_seconds(self) -> float:
        return math.fsum(s.spent_seconds for s in self.stretches)


@dataclass(frozen=True, init=False)
class Routine:
    """A validated routine: stretches in order, each with its hold, repeats and rest.

    ``Routine()`` is the default routine: the course's stretches grouped by position
    (``course.routine.default_order``), with the course's holds and repeats. Pass slugs or
    :class:`RoutineItem` values to choose and adjust::

        Routine(["childs-pose", RoutineItem("hamstring-stretch", hold=45, reps=2)])

    Anything outside the safe ranges raises ``ValueError`` naming the field, the stretch,
    the allowed range and its source.
    """

    items: tuple[RoutineItem, ...]
    title: str
    rest_between: float
    course: Course = field(compare=False, repr=False)

    def __init__(
        self,
        techniques: Iterable[str | RoutineItem] | None = None,
        *,
        title: str = DEFAULT_TITLE,
        rest_between: float = 0,
        course: Course | None = None,
    ) -> None:
        course = course or load_course()
        object.__setattr__(self, "course", course)
        object.__setattr__(self, "title", _check_title(title))
        object.__setattr__(self, "rest_between", _check_rest(course, "rest_between", rest_between))
        if techniques is None:
            techniques = default_order(course)
        elif isinstance(techniques, (str, bytes)) or not isinstance(techniques, Iterable):
            raise ValueError(
                f"techniques must be a list of technique slugs or RoutineItems, got {techniques!r}"
            )
        items = tuple(resolve_item(course, raw) for raw in techniques)
        if not items:
            raise ValueError("techniques must include at least one technique")
        seen: set[str] = set()
        for item in items:
            if item.technique in seen:
                raise ValueError(f"techniques: {item.technique} appears twice; include each technique once")
            seen.add(item.technique)
        object.__setattr__(self, "items", items)

    # -- reading ------------------------------------------------------------------------

    @property
    def techniques(self) -> tuple[str, ...]:
        """The technique slugs, in the order the routine plays them."""
        return tuple(i.technique for i in self.items)

    def item(self, slug: str) -> RoutineItem:
        for i in self.items:
            if i.technique == slug:
                return i
        raise KeyError(f"{slug!r} is not in this routine; it has: {', '.join(self.techniques)}")

    def technique(self, slug: str) -> Technique:
        return self.course.technique(slug)

    def describe(self, item: RoutineItem) -> str:
        """A short human summary of one item: '2 sides x 45 s, 2 reps, 10 s rest'."""
        return self.technique(item.technique).dose(hold=item.hold, reps=item.reps or 1, rest=item.rest)

    def with_settings(
        self, slug: str, *, hold: float | None = _UNSET, reps: int = _UNSET, rest: float = _UNSET
    ) -> Routine:
        """A copy with one stretch's hold, reps or rest changed (validated)."""
        current = self.item(slug)
        changes: dict[str, Any] = {}
        if hold is not _UNSET:
            changes["hold"] = hold
        if reps is not _UNSET:
            changes["reps"] = reps
        if rest is not _UNSET:
            changes["rest"] = rest
        new = replace(current, **changes)
        items = [new if i.technique == slug else i for i in self.items]
        return Routine(items, title=self.title, rest_between=self.rest_between, course=self.course)

    # -- timing -------------------------------------------------------------------------

    def plan(
        self,
        *,
        get_ready: float = GET_READY,
        switch: float = SWITCH,
        image: Callable[[Technique, Phase], str] | None = None,
    ) -> Plan:
        """One timer plan for the whole routine; each phase names its stretch.

        ``image(technique, phase)``, when given, is each phase's drawing: the model draws
        nothing itself (:func:`stretchkit.handout.illustrated_plan` passes the drawings).
        """
        plans = []
        for item, part in zip(self.items, self._parts(get_ready, switch), strict=True):
            t = self.technique(item.technique)
            phases = tuple(
                replace(p, technique=t.name, image=image(t, p) if image else "") for p in part.phases
            )
            plans.append(replace(part, phases=phases))
        return Plan.join(self.title, plans, rest_between=self.rest_between, floor=self.course.floor)

    def _parts(self, get_ready: float, switch: float) -> list[Plan]:
        return [
            plan_for_technique(
                self.technique(item.technique),
                hold=item.hold,
                reps=item.reps,
                rest=item.rest,
                get_ready=get_ready,
                switch=switch,
            )
            for item in self.items
        ]

    def outcome(self, run: Run, *, get_ready: float = GET_READY, switch: float = SWITCH) -> Outcome:
        """What a run of :meth:`plan` (with the same ``get_ready`` and ``switch``) did, stretch by stretch."""
        plan = self.plan(get_ready=get_ready, switch=switch)
        if len(plan.phases) != len(run.spent):
            raise ValueError(
                f"the run has {len(run.spent)} phases, but this routine's plan has {len(plan.phases)}"
            )
        # Which item each stretching phase belongs to, by the stretch it names.
        owners = {self.technique(item.technique).name: i for i, item in enumerate(self.items)}
        planned = [0.0] * len(self.items)
        spent = [0.0] * len(self.items)
        for phase, seconds in zip(plan.phases, run.spent, strict=True):
            owner = owners.get(phase.technique)
            if owner is not None and phase.kind in STRETCHING:
                planned[owner] += phase.seconds
                spent[owner] += seconds
        stretches = tuple(
            StretchOutcome(item.technique, planned[i], spent[i]) for i, item in enumerate(self.items)
        )
        return Outcome(stretches, run.active_seconds, run.wall_seconds, plan.total_seconds)

    @property
    def total_seconds(self) -> float:
        """How long the guided session takes, including getting ready and changing sides."""
        return float(self.plan().total_seconds)

    # -- files --------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the shape of a routine file)."""
        entries = []
        for item in self.items:
            entry: dict[str, Any] = {"slug": item.technique}
            if item.hold is not None:
                entry["hold"] = _plain(item.hold)
            entry["reps"] = item.reps
            entry["rest"] = _plain(item.rest)
            entries.append(entry)
        return {"title": self.title, "rest_between": _plain(self.rest_between), "techniques": entries}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, course: Course | None = None, source: str = "") -> Routine:
        """Build a routine from plain data; errors name the source, the entry and the field."""
        course = course or load_course()
        prefix = f"{source}: " if source else ""
        if not isinstance(data, Mapping):
            raise ValueError(f"{prefix}a routine must be a table of settings, got {data!r}")
        unknown = sorted(set(data) - _TOP_KEYS)
        if unknown:
            raise ValueError(
                f"{prefix}unknown field {unknown[0]!r} (known fields: {', '.join(sorted(_TOP_KEYS))})"
            )
        raw_items = data.get("techniques")
        if raw_items is None:
            raw_items = list(default_order(course))
        if not isinstance(raw_items, list):
            raise ValueError(f"{prefix}techniques must be a list ([[techniques]] tables), got {raw_items!r}")
        items: list[RoutineItem] = []
        for i, raw in enumerate(raw_items):
            entry = f"{prefix}techniques[{i}]"
            if isinstance(raw, str):
                raw = {"slug": raw}
            if not isinstance(raw, Mapping):
                raise ValueError(f"{entry}: must be a table with a slug, got {raw!r}")
            if isinstance(raw.get("slug"), str):
                entry += f" ({raw['slug']})"
            bad = sorted(set(raw) - _ITEM_KEYS)
            if bad:
                raise ValueError(
                    f"{entry}: unknown field {bad[0]!r} (known fields: {', '.join(sorted(_ITEM_KEYS))})"
                )
            if "slug" not in raw:
                raise ValueError(f"{entry}: missing required field 'slug'")
            item = RoutineItem(raw["slug"], raw.get("hold"), raw.get("reps"), raw.get("rest", 0))
            try:
                items.append(resolve_item(course, item))
            except ValueError as exc:
                raise ValueError(f"{entry}: {exc}") from None
        try:
            return cls(
                items,
                title=data.get("title", DEFAULT_TITLE),
                rest_between=data.get("rest_between", 0),
                course=course,
            )
        except ValueError as exc:
            raise ValueError(f"{prefix}{exc}") from None

    def to_toml(self) -> str:
        """The routine as a TOML file an educator can hand out and learners can load."""
        data = self.to_dict()
        lines = [
            "# A stretchkit routine: load it with stretchkit.Routine.load(path).",
            "# hold and rest are seconds; hold is per side for one-sided stretches.",
            f"title = {_toml_str(data['title'])}",
            f"rest_between = {data['rest_between']}",
        ]
        for entry in data["techniques"]:
            lines += ["", "[[techniques]]"]
            lines += [f"{k} = {_toml_str(v) if isinstance(v, str) else v}" for k, v in entry.items()]
        return "\n".join(lines) + "\n"

    @classmethod
    def from_toml(cls, text: str, *, course: Course | None = None, source: str = "routine.toml") -> Routine:
        return cls.from_dict(parse_toml(text, source), course=course, source=source)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the routine file and return its path."""
        p = Path(path)
        p.write_text(self.to_toml(), encoding="utf-8")
        return p

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, course: Course | None = None) -> Routine:
        """Read a routine file; a problem raises ValueError naming the file, entry and field."""
        return cls.from_dict(read_toml(path), course=course, source=Path(path).name)

    # -- display ------------------------------------------------------------------------

    def summary(self) -> str:
        n = len(self.items)
        return f"{self.title}: {plural(n, 'technique')}"

    def __repr__(self) -> str:
        return f"Routine({self.summary()})"

    def _repr_html_(self) -> str:
        return routine_html(self)


_TOP_KEYS = {"title", "rest_between", "techniques"}
_ITEM_KEYS = {"slug", "hold", "reps", "rest"}


def _plain(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


def _toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _check_title(title: object) -> str:
    if not isinstance(title, str) or not title.strip() or len(title.strip()) > MAX_TITLE:
        raise ValueError(f"title must be text of 1 to {MAX_TITLE} characters, got {title!r}")
    return title.strip()


def _check_rest(course: Course, name: str, value: object) -> float:
    limit = course.routine.rest_max
    if not is_number(value) or not 0 <= float(value) <= limit:  # type: ignore[arg-type]
        raise ValueError(f"{name} must be between 0 and {num(limit)} s, got {value!r}")
    return float(value)  # type: ignore[arg-type]


def hold_range(course: Course, t: Technique) -> tuple[float, float]:
    """The holds a routine allows for ``t``: the course's recommended range, widened to take in
    the technique's own sourced hold (the NHS seated twist's 5 s, say) so it can always be used."""
    limits = course.routine
    own = t.hold_seconds if t.hold_seconds is not None else limits.hold_min
    return min(limits.hold_min, own), max(limits.hold_max, own)


def reps_range(course: Course, t: Technique) -> tuple[int, int, str]:
    """The repeats a routine allows for ``t`` and whose advice the most is: the stretch's own
    sourced limit (NHS inform's build-up for Cat-Camel, Saint Luke's 2 to 3 for the hamstring),
    else the course's ``[routine]`` range; widened to take in the stretch's own default."""
    return course.reps_range(t)


def resolve_item(course: Course, raw: object) -> RoutineItem:
    """Check one item against the course's safe ranges and fill in the course's defaults."""
    if isinstance(raw, str):
        raw = RoutineItem(raw)
    if not isinstance(raw, RoutineItem):
        raise ValueError(f"techniques entries must be technique slugs or RoutineItems, got {raw!r}")
    known = [t.slug for t in course.practised]
    if raw.technique not in known:
        raise ValueError(f"technique must be one of {', '.join(known)}, got {raw.technique!r}")
    t = course.technique(raw.technique)
    limits = course.routine
    slug = t.slug
    if t.is_movement:
        if raw.hold is not None:
            raise ValueError(
                f"hold does not apply to {slug}: it is a paced movement, so adjust reps only, "
                f"got {raw.hold!r}"
            )
        hold = None
    else:
        value = t.hold_seconds if raw.hold is None else raw.hold
        if not is_number(value):
            raise ValueError(f"hold for {slug} must be a number of seconds, got {value!r}")
        assert value is not None
        lo, hi = hold_range(course, t)
        if not lo <= value <= hi:
            raise ValueError(
                f"hold for {slug} must be between {num(lo)} and {num(hi)} s "
                f"({cite(course, limits.hold_source)}), got {value!r}"
            )
        hold = float(value)
    reps = t.reps if raw.reps is None else raw.reps
    if isinstance(reps, bool) or not isinstance(reps, int):
        raise ValueError(f"reps for {slug} must be a whole number, got {reps!r}")
    reps_lo, reps_hi, reps_source = reps_range(course, t)
    if not reps_lo <= reps <= reps_hi:
        raise ValueError(
            f"reps for {slug} must be between {reps_lo} and {reps_hi} "
            f"({cite(course, reps_source)}), got {reps!r}"
        )
    rest = _check_rest(course, f"rest for {slug}", raw.rest)
    return RoutineItem(slug, hold, reps, rest)


def routine_html(routine: Routine) -> str:
    """The routine as static HTML: title, rest, and each stretch with its dose."""
    rows = "".join(
        f"<li><strong>{html.escape(routine.technique(i.technique).name)}</strong>: "
        f"{html.escape(routine.describe(i))}</li>"
        for i in routine.items
    )
    rest = f" {num(routine.rest_between)} s rest between stretches." if routine.rest_between else ""
    return f"<p><strong>{html.escape(routine.title)}</strong>.{rest}</p><ol>{rows}</ol>"


def summary_line(routine: Routine) -> str:
    """'My routine: 5 stretches, about 6 min 10 s with getting ready and changing sides.'"""
    n = len(routine.items)
    total = f", about {duration(routine.total_seconds)} with getting ready and changing sides"
    return f"{routine.title}: {plural(n, 'stretch', 'stretches')}{total}."
