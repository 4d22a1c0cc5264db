"""The routine widgets: a form that builds a routine, and a guided session that plays it.

:class:`RoutineBuilder` makes a :class:`~stretchkit.routine.Routine` within the course's
safe ranges; :class:`GuidedSession` plays it on one :class:`~stretchkit.timer.StretchTimer`
and keeps the finished session in the practice journal.
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from ._widget import StaticFallback
from .content import default_order
from .course import Course, PainScale, Technique, num
from .export import MY_FILES
from .handout import handouts, illustrated_plan
from .journal import SessionRecord
from .lessons import Section
from .practice import Journal
from .routine import (
    DONE_SHARE,
    Outcome,
    Routine,
    RoutineItem,
    hold_range,
    reps_range,
    resolve_item,
    routine_html,
    summary_line,
)
from .timer import StretchTimer, TimerOptions
from .wording import cite, duration, join_and, limit_note, plural

__all__ = ["GuidedSession", "RoutineBuilder"]


# --- the routine builder --------------------------------------------------------------------


@dataclass
class _Row:
    technique: Technique
    include: widgets.Checkbox
    hold: widgets.BoundedIntText | None
    #: Says so when the hold is at the course's limit (typing 90 leaves 60 in the box).
    hold_note: widgets.HTML | None
    reps: widgets.BoundedIntText
    rest: widgets.BoundedIntText
    box: widgets.Box


def _builder_order(course: Course) -> list[Technique]:
    """The builder's rows: each stretch in the default routine's order, its easier and harder
    versions and its adapted positions (with theirs) after it."""
    order = [course.technique(s) for s in default_order(course)]
    parents = [course.parent(t.slug) or t for t in order]
    parents += [t for t in course.techniques if t not in parents]
    return [w for t in dict.fromkeys(parents) for u in (t, *t.alternatives) for w in (u, *course.versions(u))]


def _row(course: Course, t: Technique, start: Routine) -> _Row:
    """One stretch's line of the builder: include it, and its hold, repeats and rest."""
    limits = course.routine
    chosen = t.slug in start.techniques
    item = start.item(t.slug) if chosen else resolve_item(course, t.slug)
    include = widgets.Checkbox(
        value=chosen,
        description=t.name,
        indent=False,
        tooltip=f"Include {t.name} ({t.dose()})",
        layout=widgets.Layout(width="16em"),
    )
    controls: list[widgets.Widget] = [include]
    parent = course.parent(t.slug)
    if parent is not None:
        include.tooltip = f"Include {t.name}, the {t.position} version of {parent.name} ({t.dose()})"
        controls.append(
            widgets.HTML(
                f"<span>{html.escape(t.position.capitalize())} version of "
                f"{html.escape(parent.name)}: for when {html.escape(t.replaces_when)}.</span>",
                layout=widgets.Layout(width="100%"),
            )
        )
    hold, hold_note = _hold_controls(course, t, item)
    if hold is None:
        controls.append(
            widgets.HTML(
                "<span>Paced movement: hold does not apply.</span>", layout=widgets.Layout(width="22em")
            )
        )
    else:
        controls += [hold, hold_note]
    reps_lo, reps_hi, reps_source = reps_range(course, t)
    reps_tip = f"{reps_lo} to {reps_hi} ({cite(course, reps_source)})"
    reps = widgets.BoundedIntText(
        value=item.reps or 1,
        min=reps_lo,
        max=reps_hi,
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
        tooltip=f"Rest between repeats of {t.name}, 0 to {num(limits.rest_max)} s",
        continuous_update=False,
        layout=widgets.Layout(width="20em"),
    )
    controls += [reps, rest]
    box = widgets.HBox(controls, layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
    return _Row(t, include, hold, hold_note, reps, rest, box)


def _hold_controls(
    course: Course, t: Technique, item: RoutineItem
) -> tuple[widgets.BoundedIntText | None, widgets.HTML | None]:
    """A held stretch's hold box and the note beside it; none for a paced movement."""
    if t.is_movement:
        return None, None
    limits = course.routine
    hold_tip = f"{num(limits.hold_min)} to {num(limits.hold_max)} s ({cite(course, limits.hold_source)})"
    hold = widgets.BoundedIntText(
        value=round(item.hold or 0),
        min=math.ceil(hold_range(course, t)[0]),
        max=math.floor(hold_range(course, t)[1]),
        description="Hold (s)",
        tooltip=f"Hold for {t.name}{' (each side)' if t.per_side else ''}: {hold_tip}",
        continuous_update=False,
        layout=widgets.Layout(width="22em"),
    )
    hold_note = widgets.HTML(layout=widgets.Layout(width="auto"))
    hold_note.add_class("stretchkit-limit-note")
    return hold, hold_note


class RoutineBuilder(StaticFallback, widgets.VBox):  # type: ignore[misc]
    """A form for building a routine: tick stretches, then adjust each within the safe ranges.

    Every control is a labelled checkbox or number box (arrow keys change the value; the
    boxes are used rather than sliders, whose handles have no accessible name). The
    current, always-valid result is :attr:`routine`; :meth:`on_change` reports updates.
    Its rows, and so the routine it makes, follow the default routine's order (grouped by
    position), each adapted position (a chair version) beside its stretch, whatever the order
    of a routine it starts from; a routine file played as it is keeps its own order.
    """

    def __init__(self, routine: Routine | None = None, *, course: Course | None = None) -> None:
        start = routine or Routine(course=course)
        course = start.course
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
            f"{num(limits.hold_min)} and {num(limits.hold_max)} s "
            f"({html.escape(cite(course, limits.hold_source))}); each stretch's repeats "
            "stay within what its own source gives (hover over its Reps box).</p>"
        )
        self._rows = [_row(course, t, start) for t in _builder_order(course)]
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
            if r.hold is not None and r.hold_note is not None:
                r.hold_note.value = self._hold_note(r.hold)
        try:
            routine = self._build()
        except ValueError as exc:
            self.error = str(exc)
            self.summary.value = f"<p><strong>Not ready:</strong> {html.escape(self.error)}</p>"
            return
        self.error = ""
        self._routine = routine
        self.summary.value = f"<p>{html.escape(summary_line(routine))}</p>"
        for cb in self._callbacks:
            cb(routine)

    def _hold_note(self, box: widgets.BoundedIntText) -> str:
        """A visible note when a hold is at the box's limit, where a typed 90 was made 60."""
        if box.value >= box.max:
            text = limit_note(self.course, "hold", box.max, most=True)
        elif box.value <= box.min:
            text = limit_note(self.course, "hold", box.min, most=False)
        else:
            return ""
        return f'<span role="status">{html.escape(text)}</span>'

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

    def handouts(
        self,
        stem: str = "my-routine",
        *,
        folder: str | os.PathLike[str] = MY_FILES,
        browser: bool | None = None,
        blanks: bool = False,
    ) -> Section:
        """Write the current routine's handouts into the learner's folder (see :func:`handout.handouts`)."""
        return handouts(self.routine, stem, folder=folder, browser=browser, blanks=blanks)

    def __repr__(self) -> str:
        return f"RoutineBuilder({self.routine.summary()})"

    def _fallback_html(self) -> str:
        return "<p>Routine builder (interactive in JupyterLab). The routine it makes:</p>" + routine_html(
            self.routine
        )


# --- guided session --------------------------------------------------------------------

NOT_RECORDED = -1

#: How the guided session decides what was done, as it tells the learner.
_DONE_RULE = (
    f"A stretch counts as done when at least {round(DONE_SHARE * 100)}% of its holding "
    "(or moving) time was spent on it; "
    "the journal keeps only sessions with at least one stretch done."
)


def _how_it_went(routine: Routine, outcome: Outcome) -> str:
    """'complete: all 3 stretches done' or 'partial: 1 of 3 stretches done; skipped: Cat-Camel'."""
    n = len(outcome.stretches)
    if outcome.complete:
        return f"complete: {'the stretch' if n == 1 else f'all {n} stretches'} done"
    names = join_and([routine.technique(s).name for s in outcome.skipped])
    return f"partial: {len(outcome.done)} of {plural(n, 'stretch', 'stretches')} done; skipped: {names}"


#: How a partial session counts, said when one is saved.
_PARTIAL_COUNTS = "A partial session counts for your streak, with the minutes you actually spent. "


def _pain_picker(when: str, scale: PainScale) -> widgets.Dropdown:
    """'Pain before (0-10)': a rating on the course's own scale, or none."""
    numbers = range(scale.lowest, scale.highest + 1)
    return widgets.Dropdown(
        options=[("not recorded", NOT_RECORDED)] + [(str(n), n) for n in numbers],
        value=NOT_RECORDED,
        description=f"Pain {when} ({scale.lowest}-{scale.highest})",
        tooltip=f"Optional. {scale.low_anchor}; {scale.high_anchor}.",
        style={"description_width": "initial"},
        layout=widgets.Layout(width="18em"),
    )


class GuidedSession(StaticFallback, widgets.VBox):  # type: ignore[misc]
    """Play a whole routine on one timer, then keep the session in the practice journal.

    Before starting, a learner may rate their pain (0-10, or leave it "not recorded").
    When the timer completes, the session is saved automatically, so it is never lost:
    the time actually spent (pauses excluded), the real start time, and which stretches
    were done or skipped (partial when any was). A run in which every stretch was skipped
    is not saved, and the learner is told why. Pain after and a note can then be added
    and saved with "Update journal entry". The timer's :class:`~stretchkit.timer.TimerOptions`
    are given as ``options=`` or as keywords (``sound=False``).
    """

    def __init__(
        self,
        routine: Routine | None = None,
        *,
        journal: Journal | None = None,
        title: str | None = None,
        options: TimerOptions | None = None,
        clock: Callable[[], datetime] | None = None,
        **flags: bool,
    ) -> None:
        if routine is not None and not isinstance(routine, Routine):
            raise TypeError(f"routine must be a Routine, got {routine!r}")
        settings = TimerOptions.build(options, **flags)  # checked before the journal is opened
        self.routine = routine or Routine()
        self.journal = journal if journal is not None else Journal(course=self.routine.course)
        self._clock = clock or (lambda: datetime.now().astimezone())
        self.plan = illustrated_plan(self.routine)
        self.timer: StretchTimer = StretchTimer(self.plan, title=title, options=settings)
        self.timer.on_complete(self._completed)
        self.record: SessionRecord | None = None
        #: What happened in the last completed run (None until one completes).
        self.outcome: Outcome | None = None
        self.error = ""
        scale = self.routine.course.pain_scale
        self.pain_before = _pain_picker("before", scale)
        self.pain_after = _pain_picker("after", scale)
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
        self.status = widgets.HTML(
            "<p>The session is saved to your journal when the timer completes, with the time you "
            "actually spent and the stretches you did or skipped.</p>"
        )
        scale_help = widgets.HTML(
            f"<p>Rating pain is optional ({html.escape(scale.name)}: {html.escape(scale.low_anchor)}; "
            f"{html.escape(scale.high_anchor)}).</p>"
        )
        super().__init__(
            [
                widgets.HTML(f"<p>{html.escape(summary_line(self.routine))}</p>"),
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
        # The browser keeps time and reports, with each completed run, the seconds spent
        # in every phase (pauses excluded), the skips, and the time on the clock: the
        # journal keeps what happened, never the routine's nominal length.
        end = self._clock()
        try:
            outcome = self.routine.outcome(self.timer.last_run)
        except ValueError as exc:
            self._failed(exc)
            return
        self.outcome = outcome
        if not outcome.done:
            self.record = None
            self.save_button.disabled = True
            self.save_button.description = "Save to journal"
            self.error = ""
            self.status.value = (
                '<p role="status"><strong>Not saved to your journal:</strong> every stretch was skipped '
                f"({html.escape(duration(round(outcome.stretching_seconds, 1)))} of stretching). "
                f"{html.escape(_DONE_RULE)} Press Start to play the routine again.</p>"
            )
            return
        try:
            self.record = self.journal.record_session(
                routine=self.routine,
                started_at=end - timedelta(seconds=outcome.wall_seconds),
                duration_seconds=outcome.active_seconds,
                planned_seconds=float(self.plan.total_seconds),
                done=outcome.done,
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
            f"{html.escape(duration(round(self.record.duration_seconds)))} "
            f"({html.escape(_how_it_went(self.routine, outcome))}). "
            f"{'' if outcome.complete else _PARTIAL_COUNTS}Add pain after or a note, "
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
            "finished session is saved to your practice journal.</p>" + routine_html(self.routine)
        )
