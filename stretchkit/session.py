"""The routine widgets: a form that builds a routine, and a guided session that plays it.

:class:`RoutineBuilder` makes a :class:`~stretchkit.routine.Routine` within the course's
safe ranges; :class:`GuidedSession` plays it on one :class:`~stretchkit.timer.StretchTimer`
and keeps the finished session in the practice journal.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import html
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import traitlets

from ._widget import StaticFallback
from .camera import RoutineCameraCheck
from .content import default_order
from .course import Course, PainScale, Technique, num
from .export import MY_FILES
from .handout import handouts, illustrated_plan
from .journal import FINISHED, SessionRecord
from .lessons import Section, in_browser, note_lesson
from .next_time import NextTime
from .practice import Journal, keep_routine, kept_routine
from .routine import (
    DONE_SHARE,
    MAX_TITLE,
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
from .wording import all_of, cite, clean, duration, full_stop, join_and, limit_note, plural, quoted

__all__ = ["GuidedSession", "RoutineBuilder", "RoutineHandouts"]


# --- the routine builder --------------------------------------------------------------------

#: What a note quotes back of a typed text at most (a pasted paragraph is not shown whole).
ECHO_CHARS = 24

#: A whole number as typed, perhaps with its unit for a box in seconds ("30", " 30 s", "-5").
_WHOLE = re.compile(r"([+-]?[0-9]+)\s*(?:s|sec|secs|seconds?)?", re.IGNORECASE)


def _echo(text: str, limit: int = ECHO_CHARS) -> str:
    """What the learner typed, in quotes, cut with an ellipsis when long: '“1e3”', '“Morning st…”'."""
    text = clean(text)
    return quoted(text if len(text) <= limit else text[: limit - 1].rstrip() + "…")


def _status(text: str) -> str:
    return f'<span role="status">{html.escape(text)}</span>' if text else ""


class _NumberBox(widgets.HBox):  # type: ignore[misc]
    """A labelled box for a whole number, read in Python so whatever is typed gets an answer.

    ipywidgets' number boxes parse in the browser, where "1e3" became 13 and "12.5" or an
    empty box silently kept the old value. This box gets the text as typed, keeps or limits
    the number, writes what it holds back into the box and says beside it what it did.
    """

    value = traitlets.Int()

    def __init__(
        self,
        value: int,
        low: int,
        high: int,
        *,
        unit: str,
        span: str,
        hint: str = "",
        at_limit: Callable[[int], str] | None = None,
        **box: Any,
    ) -> None:
        self.min, self.max, self.unit, self.span, self.hint = low, high, unit, span, hint
        self._at_limit = at_limit
        self.box = widgets.Text(value=str(value), continuous_update=False, **box)
        self.note = widgets.HTML(layout=widgets.Layout(width="auto"))
        self.note.add_class("stretchkit-limit-note")
        super().__init__(
            [self.box, self.note], layout=widgets.Layout(align_items="center", flex_flow="row wrap")
        )
        self.value = value
        self._writing = False
        self.box.observe(self._typed, names="value")
        self._say(self._limit_text(value))

    @property
    def disabled(self) -> bool:
        return bool(self.box.disabled)

    @disabled.setter
    def disabled(self, off: bool) -> None:
        self.box.disabled = off

    def amount(self, n: int) -> str:
        """'30 s', or '3' for a box without a unit."""
        return f"{n}{self.unit}"

    def _limit_text(self, n: int) -> str:
        """The note for a number at the box's end ('60 s is the most this course suggests (ACSM)')."""
        if self._at_limit is not None and n in (self.min, self.max):
            return self._at_limit(n)
        return ""

    def _typed(self, change: Any) -> None:
        if self._writing:
            return
        typed = change["new"].strip()
        found = _WHOLE.fullmatch(typed)
        if not typed:
            note = f"The box was empty: kept {self.amount(self.value)}"
        elif found is None:
            note = f"{_echo(typed)} is not a whole number: kept {self.amount(self.value)}"
        else:
            digits = found.group(1)
            n = int(digits) if len(digits) <= 12 else (self.min - 1 if digits[0] == "-" else self.max + 1)
            made = min(max(n, self.min), self.max)
            note = self._limit_text(made) if made == n else f"{self.span}: made it {self.amount(made)}"
            self.value = made
        self._writing = True
        try:
            self.box.value = str(self.value)
        finally:
            self._writing = False
        self._say(note)

    def _say(self, note: str) -> None:
        self.note.value = _status(note) if note else html.escape(self.hint)

    def set(self, n: int) -> None:
        """Hold ``n`` (the caller keeps it in range) and show it, as if it had been typed."""
        self.value = min(max(n, self.min), self.max)
        self._writing = True
        try:
            self.box.value = str(self.value)
        finally:
            self._writing = False
        self._say(self._limit_text(self.value))


@dataclass
class _Row:
    technique: Technique
    include: widgets.Checkbox
    hold: _NumberBox | None
    reps: _NumberBox
    rest: _NumberBox
    box: widgets.Box


def _builder_order(course: Course) -> list[Technique]:
    """The builder's rows: each stretch in the default routine's order, its easier and harder
    versions and its adapted positions (with theirs) after it."""
    order = [course.technique(s) for s in default_order(course)]
    parents = [course.parent(t.slug) or t for t in order]
    parents += [t for t in course.techniques if t not in parents]
    return [w for t in dict.fromkeys(parents) for u in (t, *t.alternatives) for w in (u, *course.versions(u))]


def _rest_box(course: Course, value: float, **box: Any) -> _NumberBox:
    """A rest in seconds, from none to the course's longest."""
    most = math.floor(course.routine.rest_max)
    return _NumberBox(round(value), 0, most, unit=" s", span=f"Rests stay between 0 and {most} s", **box)


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
        # As wide as its name needs (a version's is long), never cut short with "…".
        layout=widgets.Layout(width="auto", min_width="16em"),
    )
    controls: list[widgets.Widget] = [include]
    parent = course.parent(t.slug)
    if parent is not None:
        if t.level:  # an easier or harder version: what it changes
            kind, why = f"{t.level.capitalize()} version", t.summary.split(": ", 1)[-1]
        else:  # an adapted position: when to choose it
            kind, why = f"{t.position.capitalize()} version", f"for when {t.replaces_when}."
        include.tooltip = f"Include {t.name}, the {kind.lower()} of {parent.name} ({t.dose()})"
        controls.append(
            widgets.HTML(
                f"<span>{html.escape(kind)} of {html.escape(parent.name)}: {html.escape(why)}</span>",
                layout=widgets.Layout(width="100%"),
            )
        )
    hold = _hold_box(course, t, item)
    if hold is None:
        controls.append(
            widgets.HTML(
                "<span>Paced movement: hold does not apply.</span>", layout=widgets.Layout(width="22em")
            )
        )
    else:
        controls.append(hold)
    reps_lo, reps_hi, reps_source = reps_range(course, t)
    reps_tip = f"{reps_lo} to {reps_hi} ({cite(course, reps_source)})"
    reps = _NumberBox(
        item.reps or 1,
        reps_lo,
        reps_hi,
        unit="",
        span=f"Reps stay between {reps_lo} and {reps_hi} ({cite(course, reps_source)})",
        description="Reps",
        tooltip=f"Repeats of {t.name}: {reps_tip}",
        layout=widgets.Layout(width="11em"),
    )
    rest = _rest_box(
        course,
        item.rest,
        description="Rest (s)",
        tooltip=f"Rest between repeats of {t.name}, 0 to {num(limits.rest_max)} s",
        layout=widgets.Layout(width="13em"),
    )
    controls += [reps, rest]
    box = widgets.HBox(controls, layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
    return _Row(t, include, hold, reps, rest, box)


def _hold_words(course: Course, t: Technique) -> tuple[int, int, str]:
    """A held stretch's hold range and whose advice it is: (10, 60, 'ACSM'), or for a stretch
    whose own sourced hold lies outside the course's range (5, 60, "ACSM, and its own 5 s")."""
    low, high = hold_range(course, t)
    limits = course.routine
    whose = cite(course, limits.hold_source)
    if (low, high) != (limits.hold_min, limits.hold_max):
        whose += f", and its own {num(t.hold_seconds or 0)} s"
    return math.ceil(low), math.floor(high), whose


def _hold_box(course: Course, t: Technique, item: RoutineItem) -> _NumberBox | None:
    """A held stretch's hold box, which shows its own range; none for a paced movement."""
    if t.is_movement:
        return None
    low, high, whose = _hold_words(course, t)
    return _NumberBox(
        round(item.hold or 0),
        low,
        high,
        unit=" s",
        span=f"Holds of this stretch stay between {low} and {high} s ({whose})",
        hint=f"{low} to {high} s",
        at_limit=lambda n: limit_note(course, "hold", n, most=n == high),
        description="Hold (s)",
        tooltip=f"Hold for {t.name}{' (each side)' if t.per_side else ''}: {low} to {high} s ({whose})",
        layout=widgets.Layout(width="11em"),
    )


def _kept_words(kept: bool, problem: str) -> str:
    """What the builder says of the learner's routine from last time ('' for a new learner)."""
    if problem:
        return f"{full_stop(problem[:1].upper() + problem[1:])} The builder starts from the course's routine."
    if kept:
        return (
            "This is the routine you kept last time (saved beside your journal, on this device). "
            "Change it here; each change is kept for next time."
        )
    return ""


def _intro(course: Course) -> str:
    """The builder's opening lines: what to do, and the ranges, naming a stretch whose own differs."""
    limits = course.routine
    own = []
    for t in _builder_order(course):
        low, high, _ = _hold_words(course, t)
        if not t.is_movement and (low, high) != (limits.hold_min, limits.hold_max):
            advice = f"its own source advises {num(t.hold_seconds or 0)} s"
            own.append(f"for {html.escape(t.name)} {low} to {high} s ({advice})")
    others = f", and {join_and(own)}" if own else ""
    return (
        "<p>Tick the stretches to include and adjust each one. Holds stay within each stretch's "
        f"range, shown beside its box: {num(limits.hold_min)} to {num(limits.hold_max)} s "
        f"({html.escape(cite(course, limits.hold_source))}){others}. Each stretch's repeats stay "
        "within what its own source gives, shown beside its box; "
        f"rests between 0 and {num(limits.rest_max)} s. Type a whole number, then press Enter or Tab.</p>"
    )


def _title_problem(text: str) -> str:
    """Why a routine name cannot be used ('' when it can), quoting a long one only in part."""
    name = text.strip()
    if not name:
        return f"Give your routine a name (1 to {MAX_TITLE} characters)"
    if len(name) > MAX_TITLE:
        return f"A routine name has at most {MAX_TITLE} characters: {_echo(name)} has {len(name)}"
    return ""


class RoutineBuilder(StaticFallback, widgets.VBox):  # type: ignore[misc]
    """A form for building a routine: tick stretches, then adjust each within the safe ranges.

    Every control is a labelled checkbox or a box for a whole number, which says beside it
    what it did with what was typed (kept the last number, or made it the nearest the course
    allows). The current, always-valid result is :attr:`routine`; :meth:`on_change` reports
    updates, which a :class:`GuidedSession` made from the builder and :meth:`handouts` follow.
    Its rows, and so the routine it makes, follow the default routine's order (grouped by
    position), each adapted position (a chair version) beside its stretch, whatever the order
    of a routine it starts from; a routine file played as it is keeps its own order.
    """

    def __init__(
        self, routine: Routine | None = None, *, course: Course | None = None, remember: bool = True
    ) -> None:
        # With no routine given, a learner starts from the one they kept last time (``remember``).
        kept, problem = kept_routine(course) if routine is None and remember else (None, "")
        start = routine or kept or Routine(course=course)
        course = start.course
        self.course = course
        self.remember = remember
        self.kept = widgets.HTML(_status(_kept_words(kept is not None, problem)))
        self._callbacks: list[Callable[[Routine], None]] = []
        self.error = ""
        self.title = widgets.Text(
            value=start.title,
            description="Routine name",
            tooltip=f"1 to {MAX_TITLE} characters",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="28em", max_width="100%"),
        )
        self.title_note = widgets.HTML(layout=widgets.Layout(width="auto"))
        self._rows = [_row(course, t, start) for t in _builder_order(course)]
        self.rest_between = _rest_box(
            course,
            start.rest_between,
            description="Rest between stretches (s)",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="18em"),
        )
        self.summary = widgets.HTML()
        title = widgets.HBox(
            [self.title, self.title_note], layout=widgets.Layout(flex_flow="row wrap", align_items="center")
        )
        rows = [r.box for r in self._rows]
        super().__init__(
            [title, widgets.HTML(_intro(course)), self.kept, *rows, self.rest_between, self.summary]
        )
        self.add_class("stretchkit-routine-builder")
        self._routine = start
        self._quiet = False
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
        problem = _title_problem(self.title.value)
        if problem:
            raise ValueError(f"{problem}.")
        if not items:
            raise ValueError("Choose at least one stretch for the routine.")
        return Routine(
            items, title=self.title.value, rest_between=self.rest_between.value, course=self.course
        )

    def _changed(self, change: Any = None) -> None:
        if not self._quiet:
            self._refresh()
            self._keep()

    def _keep(self) -> None:
        """Keep the learner's valid routine for their next visit; a folder that cannot be written
        only says so (the routine here is not lost)."""
        if not self.remember or self.error:
            return
        try:
            keep_routine(self._routine)
        except OSError as exc:
            self.kept.value = _status(f"Your routine could not be kept for next time: {exc}")

    def set_routine(self, routine: Routine) -> None:
        """Show ``routine`` in the form (its stretches ticked, their settings in the boxes) and
        make it the builder's routine, telling what follows the builder once (an accepted
        "next time" suggestion changes the routine this way)."""
        if not isinstance(routine, Routine):
            raise TypeError(f"routine must be a Routine, got {routine!r}")
        self._quiet = True
        try:
            self.title.value = routine.title
            self.rest_between.set(round(routine.rest_between))
            for r in self._rows:
                chosen = r.technique.slug in routine.techniques
                r.include.value = chosen
                if chosen:
                    item = routine.item(r.technique.slug)
                    r.reps.set(item.reps or r.technique.reps)
                    r.rest.set(round(item.rest))
                    if r.hold is not None and item.hold is not None:
                        r.hold.set(round(item.hold))
        finally:
            self._quiet = False
        self._refresh()
        self._keep()

    def _refresh(self) -> None:
        for r in self._rows:
            for w in (r.hold, r.reps, r.rest):
                if w is not None:
                    w.disabled = not r.include.value
        self.title_note.value = _status(_title_problem(self.title.value))
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

    @property
    def routine(self) -> Routine:
        """The routine as currently set (the last valid one if the form is incomplete)."""
        return self._routine

    def on_change(self, callback: Callable[[Routine], None]) -> None:
        """Call ``callback(routine)`` each time the form makes a new valid routine."""
        if not callable(callback):
            raise TypeError(f"callback must be callable, got {callback!r}")
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
    ) -> RoutineHandouts:
        """The routine's handouts in the learner's folder, written again whenever it changes
        (see :class:`RoutineHandouts` and :func:`handout.handouts`)."""
        return RoutineHandouts(self, stem, folder=folder, browser=browser, blanks=blanks)

    def __repr__(self) -> str:
        return f"RoutineBuilder({self.routine.summary()})"

    def _fallback_html(self) -> str:
        return "<p>Routine builder (interactive in JupyterLab). The routine it makes:</p>" + routine_html(
            self.routine
        )


# --- the handouts, following the builder ------------------------------------------------------

#: Seconds of quiet after the last change before the PDF is drawn again (it takes a few seconds,
#: and the kernel is busy while it does: typing in three boxes draws it once, not three times).
HANDOUT_DELAY = 1.0


_DOWNLOAD_LINK = re.compile(r'(<a href="data:[^"<>]*" download="[^"<>]*">[^<>]*</a>)')


def _markdown_links(markdown: str) -> str:
    """The handouts' message as HTML, for where widgets do not run: its links and bold words.

    The site's message holds one raw download link (``handout.handouts`` writes it as HTML,
    since a data address is no Markdown link); it is kept as it is, the rest is escaped.
    """
    parts = _DOWNLOAD_LINK.split(markdown)
    text = "".join(part if i % 2 else html.escape(part, quote=True) for i, part in enumerate(parts))
    text = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", r'<a href="\2">\1</a>', text)
    return "<p>" + re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text) + "</p>"


class RoutineHandouts(StaticFallback, widgets.VBox):  # type: ignore[misc]
    """A builder's routine as handouts in the learner's folder, rewritten when the routine changes.

    The message says which routine the files show and links them (as lesson Markdown, so a
    link opens the file in JupyterLab). Where a PDF is made, it is drawn again once the form
    has been still for :data:`HANDOUT_DELAY` seconds; the web page alone is written at once.
    """

    def __init__(
        self,
        builder: RoutineBuilder,
        stem: str = "my-routine",
        *,
        folder: str | os.PathLike[str] = MY_FILES,
        browser: bool | None = None,
        blanks: bool = False,
        delay: float = HANDOUT_DELAY,
    ) -> None:
        if not isinstance(builder, RoutineBuilder):
            raise TypeError(f"builder must be a RoutineBuilder, got {builder!r}")
        self.browser = in_browser() if browser is None else browser
        self.delay = delay
        self._write = functools.partial(
            handouts, stem=stem, folder=folder, browser=self.browser, blanks=blanks
        )
        self.routine = builder.routine
        self.section: Section = self._write(self.routine)  # a bad stem is a ValueError here
        note_lesson("routine", FINISHED, builder.course)  # lesson 08's last section
        self.status = widgets.HTML()
        self.output = widgets.Output()
        self._pending: asyncio.TimerHandle | None = None
        super().__init__([self.status, self.output])
        self.add_class("stretchkit-handouts")
        self._show()
        builder.on_change(self._changed)

    def _changed(self, routine: Routine) -> None:
        self.routine = routine
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        loop = _running_loop()
        if self.browser or loop is None:  # the web page alone, or no kernel loop to wait on
            self._rewrite()
            return
        self.status.value = _status(f"Writing your handouts for {_routine_words(routine)}…")
        self._pending = loop.call_later(self.delay, self._rewrite)

    def _rewrite(self) -> None:
        self._pending = None
        try:
            self.section = self._write(self.routine)
        except (OSError, ValueError) as exc:
            self.status.value = _status(f"The handouts could not be written: {exc}")
            return
        self._show()

    def _show(self) -> None:
        self.status.value = _status(f"Your handouts show {_routine_words(self.routine)}.")
        data = {"text/markdown": str(self.section), "text/plain": str(self.section)}
        self.output.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)

    def __repr__(self) -> str:
        return str(self.section)

    def _fallback_html(self) -> str:
        return _markdown_links(str(self.section))


def _routine_words(routine: Routine) -> str:
    """'My routine: 2 stretches, about 1 min 30 s with getting ready and changing sides'."""
    return summary_line(routine).removesuffix(".")


def _running_loop() -> asyncio.AbstractEventLoop | None:
    """The kernel's event loop, when this runs in one (a widget's message or a cell)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


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
        return f"complete: {all_of(n, 'stretch', 'stretches')} done"
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


#: What a session says while a change to its routine waits for the run to end.
_WAITING = (
    "You changed the routine: this run goes on as it started, and the session plays the new "
    "routine once it ends (or when you press Reset, or the button here)."
)


class GuidedSession(StaticFallback, widgets.VBox):  # type: ignore[misc]
    """Play a whole routine on one timer, then keep the session in the practice journal.

    Made from a :class:`RoutineBuilder`, it follows the builder: a changed routine replaces
    the timer's plan, title and summary at once, or, while a run is under way, when it ends.
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
        routine: Routine | RoutineBuilder | None = None,
        *,
        journal: Journal | None = None,
        title: str | None = None,
        options: TimerOptions | None = None,
        clock: Callable[[], datetime] | None = None,
        **flags: bool,
    ) -> None:
        builder = routine if isinstance(routine, RoutineBuilder) else None
        if builder is not None:
            routine = builder.routine
        if routine is not None and not isinstance(routine, Routine):
            raise TypeError(f"routine must be a Routine or a RoutineBuilder, got {routine!r}")
        settings = TimerOptions.build(options, **flags)  # checked before the journal is opened
        self.routine = routine or Routine()
        self.journal = journal if journal is not None else Journal(course=self.routine.course)
        self._clock = clock or (lambda: datetime.now().astimezone())
        self.plan = illustrated_plan(self.routine)
        self.timer: StretchTimer = StretchTimer(self.plan, title=title, options=settings)
        self._title = title
        self.timer.on_complete(self._completed)
        #: The opt-in camera check below the timer, for the routine's stretches it follows
        #: (hidden when there are none): it pauses their holds while it cannot see the learner.
        self.camera = RoutineCameraCheck(self.timer, self._techniques())
        self.camera.observe(self._held_changed, names="held_by_stretch")
        self.timer.observe(self._run_started, names="state")
        self.record: SessionRecord | None = None
        #: What happened in the last completed run (None until one completes).
        self.outcome: Outcome | None = None
        #: A routine from the builder that waits for the run under way to end.
        self.pending: Routine | None = None
        self.error = ""
        self.heading = widgets.HTML(self._heading_html())
        self.waiting_note = widgets.HTML()
        # The browser may have been closed during a run (a phone reloads a tab), leaving the
        # kernel's last word "running": the learner can always take the change at once.
        self.use_now = widgets.Button(
            description="Play the changed routine now",
            tooltip="Stop this run and load the routine as it is now in the builder",
            layout=widgets.Layout(width="auto"),
        )
        self.use_now.on_click(lambda _b: self.follow(self.pending, now=True) if self.pending else None)
        self.waiting = widgets.HBox(  # shown while a change waits
            [self.waiting_note, self.use_now],
            layout=widgets.Layout(display="none", flex_flow="row wrap", align_items="center"),
        )
        self._make_controls()
        self._builder = builder
        #: "Next time": the journal's suggestions for this routine, made again after each save.
        self.next_time = NextTime(self.routine, journal=self.journal, clock=self._clock, apply=self._accepted)
        super().__init__(
            [
                self.heading,
                self.waiting,
                self.scale_help,
                self.pain_before,
                self.timer,
                self.camera,
                self.pain_after,
                self.note,
                self.save_button,
                self.status,
                self.next_time,
            ]
        )
        self.add_class("stretchkit-guided-session")
        for w in (self.pain_before, self.pain_after, self.note):
            w.observe(self._edited, names="value")
        if builder is not None:
            builder.on_change(self.follow)
            self.timer.observe(self._state_changed, names="state")
            self.timer.on_complete(self._run_ended)  # after _completed has kept the run

    def _make_controls(self) -> None:
        scale = self.routine.course.pain_scale
        self.pain_before = _pain_picker("before", scale)
        self.pain_after = _pain_picker("after", scale)
        self.note = widgets.Textarea(
            description="Note",
            placeholder="How did it go? (optional)",
            layout=widgets.Layout(width="32em", max_width="100%", height="4em"),
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
        self.scale_help = widgets.HTML(
            f"<p>Rating pain is optional ({html.escape(scale.name)}: {html.escape(scale.low_anchor)}; "
            f"{html.escape(scale.high_anchor)}).</p>"
        )

    def _heading_html(self) -> str:
        return f"<p>{html.escape(summary_line(self.routine))}</p>"

    def _techniques(self) -> list[Technique]:
        return [self.routine.technique(slug) for slug in self.routine.techniques]

    # -- following the builder --

    def _accepted(self, routine: Routine) -> None:
        """An accepted suggestion's routine: shown in the builder (which this session follows),
        else played from now on."""
        if self._builder is not None:
            self._builder.set_routine(routine)
        else:
            self.follow(routine)

    def follow(self, routine: Routine, *, now: bool = False) -> None:
        """Play ``routine`` from now on; while a run is under way, once it ends (unless ``now``)."""
        if not isinstance(routine, Routine):
            raise TypeError(f"routine must be a Routine, got {routine!r}")
        if not now and self.timer.state in ("running", "paused"):
            self.pending = routine
            self.waiting_note.value = f"<p>{_status(_WAITING)}</p>"
            self.waiting.layout.display = None
            return
        self.pending = None
        self.waiting_note.value = ""
        self.waiting.layout.display = "none"
        self.routine = routine
        self.plan = illustrated_plan(routine)
        self.timer.plan = (
            self.plan if self._title is None else dataclasses.replace(self.plan, title=self._title)
        )
        self.heading.value = self._heading_html()
        self.next_time.follow(routine)
        self.camera.follow(self._techniques())

    def _state_changed(self, change: Any) -> None:
        # Reset (or a new plan) brings the timer back to idle. A run that completes ends in
        # "done", heard before its report: _run_ended follows once the run has been kept.
        if change["new"] == "idle" and self.pending is not None:
            self.follow(self.pending)

    def _run_ended(self) -> None:
        if self.pending is not None:
            self.follow(self.pending)

    # -- the camera check's seconds held in view --

    def _run_started(self, change: Any) -> None:
        if change["new"] == "running" and change["old"] in ("idle", "done"):
            self.camera.held_by_stretch = {}  # the browser starts this run's own, too

    def _held_in_view(self) -> dict[str, float] | None:
        """This run's seconds held in view by technique slug; None when the camera was not on."""
        slugs = {t.name: t.slug for t in self.camera.stretches}
        held = {slugs[name]: float(n) for name, n in self.camera.held_by_stretch.items() if name in slugs}
        return held or None

    def _held_changed(self, change: Any) -> None:
        # The camera's seconds may reach Python just after the run's report: keep them too.
        if self.record is None or self.timer.state != "done":
            return
        held = self._held_in_view()
        if held is None or held == self.record.held_in_view:
            return
        try:
            self.record = self.journal.update_session(self.record.id, held_in_view=held)
        except ValueError as exc:
            self._failed(exc)

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
                held_in_view=self._held_in_view(),
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
            "finished session is saved to your practice journal.</p>"
            + routine_html(self.routine)
            + self.next_time._fallback_html()
        )
