"""Routines: which stretches to do, for how long, and a guided session that plays them.

A :class:`Routine` is plain, validated data: every hold, repeat and rest is checked against
the safe ranges in ``course.routine`` (with their sources) so a learner or an educator's
routine file can never ask for more than the course supports. :class:`RoutineBuilder` is
the form that makes one, and :class:`GuidedSession` plays it on one timer and records the
finished session in the practice journal.
"""

from __future__ import annotations

import html
import json
import math
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ._widget import StaticFallback
from .content import Course, Technique, load_course, parse_toml, read_toml
from .journal import PAIN_MAX, PAIN_MIN

if TYPE_CHECKING:  # pragma: no cover
    from .journal import Journal, SessionRecord
    from .timer import Plan, StretchTimer

__all__ = ["DEFAULT_TITLE", "GuidedSession", "Routine", "RoutineBuilder", "RoutineItem", "cite"]

DEFAULT_TITLE = "My stretching routine"
MAX_TITLE = 80
#: Seconds to get into position before each stretch, and to change sides (the timer's defaults).
GET_READY = 5
SWITCH = 5


@cache
def _bundled() -> Course:
    return load_course()


def _pose(slug: str, course: Course) -> str:
    from .figures import pose_svg

    return pose_svg(slug, course)


def cite(course: Course, key: str) -> str:
    """A short name for a source in messages: 'ACSM', 'Mayo Clinic'."""
    publisher = course.source(key).publisher
    if len(publisher) <= 20:
        return publisher
    initials = "".join(w[0] for w in publisher.split() if w[:1].isupper())
    return initials if len(initials) >= 2 else publisher


def _num(x: float) -> str:
    return f"{x:g}"


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _duration(seconds: float) -> str:
    """'6 min 10 s', '45 s'."""
    total = round(seconds)
    minutes, secs = divmod(total, 60)
    if not minutes:
        return f"{secs} s"
    return f"{minutes} min {secs} s" if secs else f"{minutes} min"


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


@dataclass(frozen=True, init=False)
class Routine:
    """A validated routine: stretches in order, each with its hold, repeats and rest.

    ``Routine()`` is all five stretches in course order with the course's holds and
    repeats. Pass slugs or :class:`RoutineItem` values to choose and adjust::

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
        course = course or _bundled()
        object.__setattr__(self, "course", course)
        object.__setattr__(self, "title", _check_title(title))
        object.__setattr__(self, "rest_between", _check_rest(course, "rest_between", rest_between))
        if techniques is None:
            techniques = [t.slug for t in course.techniques]
        elif isinstance(techniques, (str, bytes)) or not isinstance(techniques, Iterable):
            raise ValueError(
                f"techniques must be a list of technique slugs or RoutineItems, got {techniques!r}"
            )
        items = tuple(_resolve(course, raw) for raw in techniques)
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
        t = self.technique(item.technique)
        reps = item.reps or 1
        if t.is_movement:
            pace = " + ".join(f"{m.name} {_num(m.seconds)} s" for m in t.movement)
            text = f"{reps} reps of {pace}"
        else:
            sides = "2 sides x " if t.per_side else ""
            text = f"{sides}{_num(item.hold or 0)} s" + (f", {reps} reps" if reps > 1 else "")
        if item.rest and reps > 1:
            text += f", {_num(item.rest)} s rest"
        return text

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

    def plan(self, *, get_ready: float = GET_READY, switch: float = SWITCH, images: bool = True) -> Plan:
        """One timer plan for the whole routine; each phase names its stretch and shows its pose.

        ``images=False`` leaves the drawings out (for timing only).
        """
        from .timer import Plan, plan_for_technique

        plans = []
        for item in self.items:
            t = self.technique(item.technique)
            part = plan_for_technique(
                t, hold=item.hold, reps=item.reps, rest=item.rest, get_ready=get_ready, switch=switch
            )
            image = _pose(t.slug, self.course) if images else ""
            phases = tuple(replace(p, technique=t.name, image=image) for p in part.phases)
            plans.append(replace(part, phases=phases))
        return Plan.join(self.title, plans, rest_between=self.rest_between)

    @property
    def total_seconds(self) -> float:
        """How long the guided session takes, including getting ready and changing sides."""
        return float(self.plan(images=False).total_seconds)

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
        course = course or _bundled()
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
            raw_items = [t.slug for t in course.techniques]
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
                items.append(_resolve(course, item))
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

    def handout(self, path: str | os.PathLike[str]) -> Path:
        """Write a one-page printable PDF of this routine (drawings, steps, holds) for a class."""
        from .export import routine_handout

        return routine_handout(self, path)

    # -- display ------------------------------------------------------------------------

    def summary(self) -> str:
        n = len(self.items)
        return f"{self.title}: {n} technique{'s' if n != 1 else ''}"

    def __repr__(self) -> str:
        return f"Routine({self.summary()})"

    def _repr_html_(self) -> str:
        return _routine_html(self)


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
    if not _is_number(value) or not 0 <= float(value) <= limit:  # type: ignore[arg-type]
        raise ValueError(f"{name} must be between 0 and {_num(limit)} s, got {value!r}")
    return float(value)  # type: ignore[arg-type]


def _resolve(course: Course, raw: object) -> RoutineItem:
    """Check one item against the course's safe ranges and fill in the course's defaults."""
    if isinstance(raw, str):
        raw = RoutineItem(raw)
    if not isinstance(raw, RoutineItem):
        raise ValueError(f"techniques entries must be technique slugs or RoutineItems, got {raw!r}")
    known = [t.slug for t in course.techniques]
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
        if not _is_number(value):
            raise ValueError(f"hold for {slug} must be a number of seconds, got {value!r}")
        assert value is not None
        if not limits.hold_min <= value <= limits.hold_max:
            raise ValueError(
                f"hold for {slug} must be between {_num(limits.hold_min)} and {_num(limits.hold_max)} s "
                f"({cite(course, limits.hold_source)}), got {value!r}"
            )
        hold = float(value)
    reps = t.reps if raw.reps is None else raw.reps
    if isinstance(reps, bool) or not isinstance(reps, int):
        raise ValueError(f"reps for {slug} must be a whole number, got {reps!r}")
    if not limits.reps_min <= reps <= limits.reps_max:
        raise ValueError(
            f"reps for {slug} must be between {limits.reps_min} and {limits.reps_max} "
            f"({cite(course, limits.reps_source)}), got {reps!r}"
        )
    rest = _check_rest(course, f"rest for {slug}", raw.rest)
    return RoutineItem(slug, hold, reps, rest)


def _routine_html(routine: Routine) -> str:
    rows = "".join(
        f"<li><strong>{html.escape(routine.technique(i.technique).name)}</strong>: "
        f"{html.escape(routine.describe(i))}</li>"
        for i in routine.items
    )
    rest = f" {_num(routine.rest_between)} s rest between stretches." if routine.rest_between else ""
    return f"<p><strong>{html.escape(routine.title)}</strong>.{rest}</p><ol>{rows}</ol>"


# --- builder widget --------------------------------------------------------------------


@dataclass
class _Row:
    technique: Technique
    include: widgets.Checkbox
    hold: widgets.BoundedIntText | None
    reps: widgets.BoundedIntText
    rest: widgets.BoundedIntText
    box: widgets.Box


class RoutineBuilder(StaticFallback, widgets.VBox):  # type: ignore[misc]
    """A form for building a routine: tick stretches, then adjust each within the safe ranges.

    Every control is a labelled checkbox or number box (arrow keys change the value; the
    boxes are used rather than sliders, whose handles have no accessible name). The
    current, always-valid result is :attr:`routine`; :meth:`on_change` reports updates.
    Stretches play in course order; a routine file can set another order.
    """

    def __init__(self, routine: Routine | None = None, *, course: Course | None = None) -> None:
        course = routine.course if routine is not None else (course or _bundled())
        start = routine or Routine(course=course)
        self.course = course
        limits = course.routine
        self._callbacks: list[Callable[[Routine], None]] = []
        self.error = ""
        self.title = widgets.Text(
            value=start.title,
            description="Routine name",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="28em"),
        )
        intro = widgets.HTML(
            "<p>Tick the stretches to include and adjust each one. Holds stay between "
            f"{_num(limits.hold_min)} and {_num(limits.hold_max)} s "
            f"({html.escape(cite(course, limits.hold_source))}) "
            f"and repeats between {limits.reps_min} and {limits.reps_max} "
            f"({html.escape(cite(course, limits.reps_source))}).</p>"
        )
        hold_tip = (
            f"{_num(limits.hold_min)} to {_num(limits.hold_max)} s ({cite(course, limits.hold_source)})"
        )
        reps_tip = f"{limits.reps_min} to {limits.reps_max} ({cite(course, limits.reps_source)})"
        self._rows: list[_Row] = []
        for t in course.techniques:
            chosen = t.slug in start.techniques
            item = start.item(t.slug) if chosen else _resolve(course, t.slug)
            include = widgets.Checkbox(
                value=chosen,
                description=t.name,
                indent=False,
                tooltip=f"Include {t.name} ({t.dose()})",
                layout=widgets.Layout(width="16em"),
            )
            hold: widgets.BoundedIntText | None = None
            controls: list[widgets.Widget] = [include]
            if t.is_movement:
                controls.append(
                    widgets.HTML(
                        "<span>Paced movement: hold does not apply.</span>",
                        layout=widgets.Layout(width="22em"),
                    )
                )
            else:
                hold = widgets.BoundedIntText(
                    value=round(item.hold or 0),
                    min=math.ceil(limits.hold_min),
                    max=math.floor(limits.hold_max),
                    description="Hold (s)",
                    tooltip=f"Hold for {t.name}{' (each side)' if t.per_side else ''}: {hold_tip}",
                    continuous_update=False,
                    layout=widgets.Layout(width="22em"),
                )
                controls.append(hold)
            reps = widgets.BoundedIntText(
                value=item.reps or 1,
                min=limits.reps_min,
                max=limits.reps_max,
                description="Reps",
                tooltip=f"Repeats of {t.name}: {reps_tip}",
                continuous_update=False,
                layout=widgets.Layout(width="16em"),
            )
            rest = widgets.BoundedIntText(
                value=round(item.rest),
                min=0,
                max=math.floor(limits.rest_max),
                description="Rest (s)",
                tooltip=f"Rest between repeats of {t.name}, 0 to {_num(limits.rest_max)} s",
                continuous_update=False,
                layout=widgets.Layout(width="20em"),
            )
            controls += [reps, rest]
            box = widgets.HBox(controls, layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
            self._rows.append(_Row(t, include, hold, reps, rest, box))
        self.rest_between = widgets.BoundedIntText(
            value=round(start.rest_between),
            min=0,
            max=math.floor(limits.rest_max),
            description="Rest between stretches (s)",
            style={"description_width": "initial"},
            continuous_update=False,
            layout=widgets.Layout(width="28em"),
        )
        self.summary = widgets.HTML()
        super().__init__([self.title, intro, *(r.box for r in self._rows), self.rest_between, self.summary])
        self.add_class("stretchkit-routine-builder")
        self._routine = start
        for w in self._inputs():
            w.observe(self._changed, names="value")
        self._refresh()

    def _inputs(self) -> list[widgets.Widget]:
        out: list[widgets.Widget] = [self.title, self.rest_between]
        for r in self._rows:
            out += [r.include, r.reps, r.rest] + ([r.hold] if r.hold is not None else [])
        return out

    def _build(self) -> Routine:
        items = [
            RoutineItem(
                r.technique.slug,
                None if r.hold is None else r.hold.value,
                r.reps.value,
                r.rest.value,
            )
            for r in self._rows
            if r.include.value
        ]
        if not items:
            raise ValueError("Choose at least one stretch for the routine.")
        return Routine(
            items, title=self.title.value, rest_between=self.rest_between.value, course=self.course
        )

    def _changed(self, change: Any = None) -> None:
        self._refresh()

    def _refresh(self) -> None:
        for r in self._rows:
            for w in (r.hold, r.reps, r.rest):
                if w is not None:
                    w.disabled = not r.include.value
        try:
            routine = self._build()
        except ValueError as exc:
            self.error = str(exc)
            self.summary.value = f"<p><strong>Not ready:</strong> {html.escape(self.error)}</p>"
            return
        self.error = ""
        self._routine = routine
        self.summary.value = f"<p>{html.escape(_summary_line(routine))}</p>"
        for cb in self._callbacks:
            cb(routine)

    @property
    def routine(self) -> Routine:
        """The routine as currently set (the last valid one if the form is incomplete)."""
        return self._routine

    def on_change(self, callback: Callable[[Routine], None]) -> None:
        """Call ``callback(routine)`` each time the form makes a new valid routine."""
        self._callbacks.append(callback)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the current routine to a routine file."""
        return self.routine.save(path)

    def __repr__(self) -> str:
        return f"RoutineBuilder({self.routine.summary()})"

    def _fallback_html(self) -> str:
        return "<p>Routine builder (interactive in JupyterLab). The routine it makes:</p>" + _routine_html(
            self.routine
        )


def _summary_line(routine: Routine) -> str:
    n = len(routine.items)
    try:
        total = f", about {_duration(routine.total_seconds)} with getting ready and changing sides"
    except ImportError:  # pragma: no cover - timer not installed
        total = ""
    return f"{routine.title}: {n} stretch{'es' if n != 1 else ''}{total}."


# --- guided session --------------------------------------------------------------------

NOT_RECORDED = -1


def _pain_picker(description: str, tooltip: str) -> widgets.Dropdown:
    options = [("not recorded", NOT_RECORDED)] + [(str(n), n) for n in range(PAIN_MIN, PAIN_MAX + 1)]
    return widgets.Dropdown(
        options=options,
        value=NOT_RECORDED,
        description=description,
        tooltip=tooltip,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="18em"),
    )


class GuidedSession(StaticFallback, widgets.VBox):  # type: ignore[misc]
    """Play a whole routine on one timer, then keep the session in the practice journal.

    Before starting, a learner may rate their pain (0-10, or leave it "not recorded").
    When the timer completes, the session is saved automatically, so it is never lost;
    pain after and a note can then be added and saved with "Update journal entry".
    """

    def __init__(
        self,
        routine: Routine | None = None,
        *,
        journal: Journal | None = None,
        title: str | None = None,
        presenter: bool = False,
        sound: bool = True,
        speech: bool = False,
        flash: bool = True,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        from .journal import Journal
        from .timer import StretchTimer

        if routine is not None and not isinstance(routine, Routine):
            raise TypeError(f"routine must be a Routine, got {routine!r}")
        self.routine = routine or Routine()
        self.journal = journal if journal is not None else Journal(course=self.routine.course)
        self._clock = clock or (lambda: datetime.now().astimezone())
        self.plan = self.routine.plan()
        self.timer: StretchTimer = StretchTimer(
            self.plan, title=title, presenter=presenter, sound=sound, speech=speech, flash=flash
        )
        self.timer.on_complete(self._completed)
        self.record: SessionRecord | None = None
        self.error = ""
        scale = self.routine.course.pain_scale
        self.pain_before = _pain_picker(
            f"Pain before ({PAIN_MIN}-{PAIN_MAX})", f"Optional. {scale.low_anchor}; {scale.high_anchor}."
        )
        self.pain_after = _pain_picker(
            f"Pain after ({PAIN_MIN}-{PAIN_MAX})", f"Optional. {scale.low_anchor}; {scale.high_anchor}."
        )
        self.note = widgets.Textarea(
            description="Note",
            placeholder="How did it go? (optional)",
            layout=widgets.Layout(width="32em", height="4em"),
        )
        self.save_button = widgets.Button(
            description="Save to journal",
            disabled=True,
            tooltip="Saved automatically when the session completes; press again to save changes",
            icon="book",
            layout=widgets.Layout(width="auto"),  # room for "Update journal entry"
        )
        self.save_button.on_click(lambda _b: self.save())
        self.status = widgets.HTML("<p>The session is saved to your journal when the timer completes.</p>")
        scale_help = widgets.HTML(
            f"<p>Rating pain is optional ({html.escape(scale.name)}: {html.escape(scale.low_anchor)}; "
            f"{html.escape(scale.high_anchor)}).</p>"
        )
        super().__init__(
            [
                widgets.HTML(f"<p>{html.escape(_summary_line(self.routine))}</p>"),
                scale_help,
                self.pain_before,
                self.timer,
                self.pain_after,
                self.note,
                self.save_button,
                self.status,
            ]
        )
        self.add_class("stretchkit-guided-session")
        for w in (self.pain_before, self.pain_after, self.note):
            w.observe(self._edited, names="value")

    @staticmethod
    def _pain(picker: widgets.Dropdown) -> int | None:
        value = picker.value
        return None if value == NOT_RECORDED else int(value)

    def _completed(self, *args: Any) -> None:
        # The timer keeps time in the browser and reports only completed runs, so the
        # duration recorded is the plan's (nominal) length; the plan length is kept too.
        duration = float(self.plan.total_seconds)
        try:
            self.record = self.journal.record_session(
                routine=self.routine,
                started_at=self._clock() - timedelta(seconds=duration),
                duration_seconds=duration,
                planned_seconds=float(self.plan.total_seconds),
                pain_before=self._pain(self.pain_before),
                pain_after=self._pain(self.pain_after),
                note=self.note.value,
            )
        except ValueError as exc:  # includes JournalError: say so on screen, never crash the timer
            self._failed(exc)
            return
        self.error = ""
        self.save_button.description = "Update journal entry"
        self.save_button.disabled = False
        self.status.value = (
            f'<p role="status"><strong>Saved to your journal:</strong> {html.escape(self.routine.title)}, '
            f"{html.escape(_duration(self.record.duration_seconds))}. Add pain after or a note, "
            "then press Update journal entry.</p>"
        )

    def _failed(self, exc: Exception) -> None:
        self.error = str(exc)
        self.status.value = f'<p role="status"><strong>Not saved:</strong> {html.escape(self.error)}</p>'

    def _edited(self, change: Any) -> None:
        if self.record is not None:
            self.status.value = '<p role="status">Changes not saved yet: press Update journal entry.</p>'

    def save(self) -> SessionRecord | None:
        """Save pain ratings and note to this session's journal entry (after the timer completed)."""
        if self.record is None:
            self.status.value = (
                '<p role="status">Nothing to save yet: the session is saved when the timer completes.</p>'
            )
            return None
        try:
            self.record = self.journal.update_session(
                self.record.id,
                pain_before=self._pain(self.pain_before),
                pain_after=self._pain(self.pain_after),
                note=self.note.value,
            )
        except ValueError as exc:
            self._failed(exc)
            return None
        self.error = ""
        self.status.value = '<p role="status"><strong>Journal entry updated.</strong></p>'
        return self.record

    def __repr__(self) -> str:
        return f"GuidedSession({self.routine.summary()})"

    def _fallback_html(self) -> str:
        return (
            "<p>Guided session (interactive in JupyterLab): one timer plays the routine below, and the "
            "finished session is saved to your practice journal.</p>" + _routine_html(self.routine)
        )
