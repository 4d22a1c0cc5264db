"""The timer widgets: a stretch timer that plays a plan in the browser, and a break reminder.

:class:`StretchTimer` syncs a :class:`~stretchkit.plan.Plan` to an ES module
(``static/timer.js``) that keeps time from ``performance.now()`` against end times, so
it neither drifts nor waits for a busy kernel; it tells Python only about phase
changes, state changes and completed runs, never every tick.
"""

from __future__ import annotations

import dataclasses
import inspect
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anywidget
import traitlets

from ._widget import STATIC, StaticFallback, stylesheet
from .content import check_course, load_course, resolve_technique
from .course import Course, Technique, num
from .plan import Phase, Plan, Run, build_plan, check_flag, check_text, plan_for_technique
from .wording import limit_note

__all__ = ["BreakReminder", "StretchTimer", "TimerOptions", "adjust_range"]

#: The longest sitting spell a :class:`BreakReminder` accepts, in minutes.
MAX_BREAK_MINUTES = 120

#: The shortest spell the reminder's own control goes down to, and its step, in minutes.
MIN_BREAK_MINUTES = 5
BREAK_STEP = 5

#: Step of the in-widget hold control, in seconds.
HOLD_STEP = 5


def adjust_range(
    kind: str, current: float, course: Course | None = None, technique: Technique | None = None
) -> list[float]:
    """[low, high, step] for the in-widget hold or reps control.

    The range is the course's sourced safe range for routines (``course.routine``: holds
    from ACSM, repeats from Mayo Clinic), or for repeats ``technique``'s own sourced range
    (``Course.reps_range``: NHS inform's build-up for Cat-Camel), widened only to include a
    value the content itself set, so a presenter can adjust in class but never beyond what
    the course supports.
    """
    course = course or load_course()
    limits = course.routine
    if kind == "hold":
        low, high, step = float(limits.hold_min), float(limits.hold_max), float(HOLD_STEP)
    elif technique is not None:
        lo, hi, _ = course.reps_range(technique)
        low, high, step = float(lo), float(hi), 1.0
    else:
        low, high, step = float(limits.reps_min), float(limits.reps_max), 1.0
    return [min(low, current), max(high, current), step]


#: What a break reminder says when the course names no tip for it.
PLAIN_BREAK = ("Break from sitting", "Stand up and move about for a moment.")


def _break_words(course: Course) -> tuple[str, str]:
    """(title, what to do when it goes off) for a break reminder, from the course's chosen tip."""
    settings = course.break_reminder
    if settings is None:
        return PLAIN_BREAK
    tip = course.tip(settings.tip)
    return tip.title, tip.summary if settings.action is None else tip.actions[settings.action - 1].text


# --- the options ---------------------------------------------------------------------


@dataclass(frozen=True)
class TimerOptions:
    """How a timer cues each change and shows itself, written once for every timer widget.

    Each field is also a synced trait of :class:`StretchTimer` (the browser's check boxes
    and Presenter view button change it) and a keyword of every widget that makes a timer
    (``StretchTimer(sound=False)``, ``GuidedSession(routine, presenter=True)``).
    """

    #: Large, for a projector.
    presenter: bool = False
    #: A tone at each change (Web Audio).
    sound: bool = True
    #: Spoken cues, where the browser can speak.
    speech: bool = False
    #: A flash of the whole timer at each change.
    flash: bool = True

    def __post_init__(self) -> None:
        for name in self.names():
            check_flag(name, getattr(self, name))

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def build(cls, options: TimerOptions | None = None, **flags: bool) -> TimerOptions:
        """``options`` (default: the defaults) with any field given as a keyword (``sound=False``)."""
        if options is not None and not isinstance(options, TimerOptions):
            raise TypeError(f"options must be TimerOptions, got {options!r}")
        unknown = sorted(set(flags) - set(cls.names()))
        if unknown:
            raise TypeError(f"unknown option {unknown[0]!r} (timer options: {', '.join(cls.names())})")
        return dataclasses.replace(options or cls(), **flags)

    @classmethod
    def traits(cls) -> dict[str, traitlets.Bool[bool, bool]]:
        """One synced trait per field, with the field's default."""
        defaults = cls()
        return {name: traitlets.Bool(getattr(defaults, name)).tag(sync=True) for name in cls.names()}


# --- the widget ----------------------------------------------------------------------

PlanBuilder = Callable[[float, int], Plan]


class StretchTimer(StaticFallback, anywidget.AnyWidget):  # type: ignore[misc]
    """A timer that plays a :class:`Plan` in the browser, with tones, spoken cues and a flash.

    Time is kept in the browser, so the timer stays accurate while the kernel is busy.
    Python hears only about phase changes (``phase_index``), ``state`` and completed runs,
    each with a report of what happened in it (:attr:`last_run`): register
    ``timer.on_complete(callback)`` to log practice. How it cues is a :class:`TimerOptions`
    (``options=``) or any of its fields as keywords (``sound=False``).
    """

    _esm = STATIC / "timer.js"
    _css = stylesheet("timer.css")

    title = traitlets.Unicode("").tag(sync=True)
    summary = traitlets.Unicode("").tag(sync=True)
    phases = traitlets.List(traitlets.Dict()).tag(sync=True)
    images = traitlets.List(traitlets.Unicode()).tag(sync=True)
    # presenter, sound, speech, flash: one trait per TimerOptions field, made from it.
    locals().update(TimerOptions.traits())
    repeat = traitlets.Bool(False).tag(sync=True)
    #: Which setting the in-widget control changes: "hold", "reps" or "" (none).
    adjust = traitlets.Unicode("").tag(sync=True)
    hold = traitlets.Float(0.0).tag(sync=True)
    reps = traitlets.Int(0).tag(sync=True)
    #: Minutes of sitting before a :class:`BreakReminder` goes off (its "minutes" control).
    minutes = traitlets.Float(0.0).tag(sync=True)
    #: Whether the widget offers a "Repeat" check box (a break reminder does).
    repeat_option = traitlets.Bool(False).tag(sync=True)
    #: [min, max, step] of the adjustable setting.
    adjust_range = traitlets.List(traitlets.Float(), default_value=[0.0, 0.0, 1.0]).tag(sync=True)
    #: What the control says at its lowest and its highest setting, and whose advice the limit is.
    adjust_notes = traitlets.List(traitlets.Unicode(), default_value=["", ""]).tag(sync=True)
    # Written by the browser.
    state = traitlets.Unicode("idle").tag(sync=True)
    phase_index = traitlets.Int(0).tag(sync=True)
    completed_runs = traitlets.Int(0).tag(sync=True)
    #: What happened in the last completed run (sent with ``completed_runs``): per phase the
    #: seconds spent, pauses excluded, the phases skipped, and the clock time (see ``plan.Run``).
    run = traitlets.Dict().tag(sync=True)
    #: Set by a camera check (``camera.CameraCheck``, linked in the browser): pause the hold
    #: while it cannot see the learner in position, resume when it can.
    camera_paused = traitlets.Bool(False).tag(sync=True)

    def __init__(
        self,
        plan: Plan | None = None,
        *,
        title: str | None = None,
        options: TimerOptions | None = None,
        **flags: bool,
    ) -> None:
        self._callbacks: list[tuple[Callable[..., Any], bool]] = []
        self._rebuild: PlanBuilder | None = None
        self._adjusting = False
        if title is not None:
            title = check_text("title", title)
        if plan is None:
            name = title or "Stretch"
            plan = build_plan(title=name)
            self._rebuild = lambda hold, reps: build_plan(hold=hold, title=name)
        elif not isinstance(plan, Plan):
            raise TypeError(f"plan must be a Plan (see build_plan), got {plan!r}")
        elif title is not None:
            plan = dataclasses.replace(plan, title=title)
        super().__init__(**dataclasses.asdict(TimerOptions.build(options, **flags)))
        self._plan = plan
        self._sync_plan()
        if self._rebuild is not None:
            self._set_adjust("hold", plan)

    # -- construction --

    @classmethod
    def for_technique(cls, technique: str | Technique, **overrides: Any) -> StretchTimer:
        """A timer for one technique, by slug or Technique: ``StretchTimer.for_technique("cat-camel")``.

        ``overrides`` are :func:`plan_for_technique` settings (hold, reps, rest, get_ready,
        switch) or widget options (title, and :class:`TimerOptions` or its fields). ``course`` is
        where a slug is looked up and gives the safe range for the in-widget hold control
        (default: the bundled course).
        """
        course = check_course(overrides.pop("course", None))
        if isinstance(technique, str):
            technique, course = resolve_technique(technique, course, name="technique")
        plan_keys = {"hold", "reps", "rest", "get_ready", "switch"}
        widget_keys = {"title", "options", *TimerOptions.names()}
        unknown = sorted(set(overrides) - plan_keys - widget_keys)
        if unknown:
            known = ", ".join(sorted(plan_keys | widget_keys))
            raise TypeError(f"unknown option {unknown[0]!r} for for_technique (known: {known})")
        settings = {k: v for k, v in overrides.items() if k in plan_keys}
        plan = plan_for_technique(technique, **settings)
        timer = cls(plan, **{k: v for k, v in overrides.items() if k in widget_keys})
        fixed = {k: v for k, v in settings.items() if k not in ("hold", "reps")}
        title = timer.title

        def rebuild(hold: float, reps: int) -> Plan:
            if technique.is_movement:
                new = plan_for_technique(technique, reps=reps, **fixed)
            else:
                new = plan_for_technique(technique, hold=hold, reps=settings.get("reps"), **fixed)
            return dataclasses.replace(new, title=title)

        timer._rebuild = rebuild
        timer._set_adjust("reps" if technique.is_movement else "hold", plan, course, technique)
        return timer

    @property
    def options(self) -> TimerOptions:
        """The options as they are now (the learner may have changed them in the browser)."""
        return TimerOptions(**{name: getattr(self, name) for name in TimerOptions.names()})

    # -- the plan --

    @property
    def plan(self) -> Plan:
        return self._plan

    @plan.setter
    def plan(self, plan: Plan) -> None:
        if not isinstance(plan, Plan):
            raise TypeError(f"plan must be a Plan (see build_plan), got {plan!r}")
        self._plan = plan
        self._rebuild = None
        self.adjust = ""
        self._sync_plan()

    @property
    def phase(self) -> Phase:
        """The phase the browser last reported."""
        index = min(max(self.phase_index, 0), len(self._plan.phases) - 1)
        return self._plan.phases[index]

    def _sync_plan(self) -> None:
        # A routine repeats each stretch's drawing on every one of its phases; send each
        # drawing once in ``images`` and let phases refer to it by index (-1 for none).
        images = list(dict.fromkeys(p.image for p in self._plan.phases if p.image))
        phases = [
            {**p.to_dict(), "image": images.index(p.image) if p.image else -1} for p in self._plan.phases
        ]
        with self.hold_sync():
            self.title = self._plan.title
            self.summary = self._plan.summary
            self.images = images
            self.phases = phases

    def _set_adjust(
        self, kind: str, plan: Plan, course: Course | None = None, technique: Technique | None = None
    ) -> None:
        self._adjusting = True
        course = course or load_course()
        try:
            if kind == "hold":
                holds = [p.seconds for p in plan.phases if p.kind == "hold"]
                self.hold = holds[0] if holds else 0.0
                self.adjust_range = adjust_range("hold", self.hold, course)
            else:
                self.reps = max(p.reps for p in plan.phases)
                self.adjust_range = adjust_range("reps", self.reps, course, technique)
            low, high, _ = self.adjust_range
            self.adjust_notes = [
                limit_note(course, kind, low, most=False, technique=technique),
                limit_note(course, kind, high, most=True, technique=technique),
            ]
            self.adjust = kind
        finally:
            self._adjusting = False

    @traitlets.observe("hold", "reps", "minutes")
    def _adjusted(self, change: Any) -> None:
        """The browser's hold, reps or minutes control changed: rebuild and sync the plan, or undo."""
        if self._adjusting or self._rebuild is None or change["name"] != self.adjust:
            return
        low, high, _ = self.adjust_range
        try:
            value = change["new"]
            if not low <= value <= high:
                raise ValueError(
                    f"{change['name']} must be between {num(low)} and {num(high)}, got {value!r}"
                )
            plan = self._rebuild(float(self.hold), int(self.reps))
        except (TypeError, ValueError):
            self._adjusting = True
            try:
                setattr(self, change["name"], change["old"])
            finally:
                self._adjusting = False
            return
        self._plan = plan
        self._sync_plan()

    # -- completion --

    @property
    def last_run(self) -> Run:
        """What happened in the last completed run; ValueError if the browser sent no valid report."""
        return Run.from_report(self._plan, self.run)

    def on_complete(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        """Call ``callback()`` or ``callback(timer)`` once each time a run completes."""
        if not callable(callback):
            raise TypeError(f"callback must be callable, got {callback!r}")
        try:
            inspect.signature(callback).bind(self)
            wants_timer = True
        except TypeError:
            wants_timer = False
        except ValueError:  # no signature (some builtins): pass the timer
            wants_timer = True
        self._callbacks.append((callback, wants_timer))
        return callback

    @traitlets.observe("completed_runs")
    def _completed(self, change: Any) -> None:
        for _ in range(max(0, change["new"] - change["old"])):
            for callback, wants_timer in list(self._callbacks):
                if wants_timer:
                    callback(self)
                else:
                    callback()

    # -- reprs --

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.summary})"

    def _fallback_html(self) -> str:
        return self._plan.to_html()


class BreakReminder(StretchTimer):
    """A reminder to get up after a spell of sitting, for the everyday-habits lesson.

    The learner chooses ``minutes``; the default of 30 is only a starting setting, not a
    recommended interval and not medical advice. With ``repeat=True`` it starts the next
    spell as soon as one ends. Its wording comes from the tip the course names in
    ``[break_reminder]``; a course without one gets plain wording.
    """

    _adjusting = False  # set before traits are, as the minutes trait is observed

    def __init__(
        self,
        minutes: float = 30,
        *,
        repeat: bool = False,
        course: Course | None = None,
        title: str | None = None,
        options: TimerOptions | None = None,
        **flags: bool,
    ) -> None:
        if isinstance(minutes, bool) or not isinstance(minutes, numbers.Real):
            raise TypeError(f"minutes must be a number, got {minutes!r}")
        if not math.isfinite(minutes) or not 0 < minutes <= MAX_BREAK_MINUTES:
            raise ValueError(f"minutes must be more than 0 and at most {MAX_BREAK_MINUTES}, got {minutes!r}")
        repeat = check_flag("repeat", repeat)
        settings = TimerOptions.build(options, **flags)
        heading, stand = _break_words(check_course(course) or load_course())
        self._name: str = check_text("title", title) if title is not None else heading
        self._stand: str = stand
        self._adjusting = True
        super().__init__(self._reminder_plan(float(minutes), repeat), options=settings)
        try:
            self.minutes = float(minutes)
            self.repeat = repeat
            self.repeat_option = True
            low = min(MIN_BREAK_MINUTES, float(minutes))
            self.adjust_range = [low, float(MAX_BREAK_MINUTES), float(BREAK_STEP)]
            self.adjust = "minutes"
        finally:
            self._adjusting = False
        self._rebuild = lambda hold, reps: self._reminder_plan(self.minutes, self.repeat)

    def _reminder_plan(self, minutes: float, repeat: bool) -> Plan:
        spell = minutes * 60
        sit_cue = f"Sitting: a reminder in {num(minutes)} minutes."
        phases = (
            Phase("sit", "Sitting", spell, sit_cue, technique=self._name),
            Phase("done", "Time for a break", 0, f"Time for a break. {self._stand}", technique=self._name),
        )
        how = "every" if repeat else "in"
        return Plan(self._name, phases, f"reminder {how} {num(minutes)} min")

    @traitlets.observe("repeat")
    def _repeat_changed(self, change: Any) -> None:
        """The Repeat box: say so in the summary; the spell itself carries on as it is."""
        if self._adjusting or self._rebuild is None:
            return
        self._plan = dataclasses.replace(self._plan, dose=self._reminder_plan(self.minutes, self.repeat).dose)
        self.summary = self._plan.summary
