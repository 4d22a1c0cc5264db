"""The stretch timer: a plan of timed phases, and a widget that plays it in the browser.

The plan model is pure Python (no widgets), so it can be tested, printed and shown as
text where widgets cannot render. :class:`StretchTimer` syncs a plan to an ES module
(``static/timer.js``) that keeps time from ``performance.now()`` against end times, so
it neither drifts nor waits for a busy kernel; it tells Python only about phase
changes, state changes and completed runs, never every tick.
"""

from __future__ import annotations

import dataclasses
import html
import inspect
import math
import numbers
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from ._widget import StaticFallback
from .content import Course, Technique, load_course

__all__ = [
    "KINDS",
    "MAX_PLAN_SECONDS",
    "BreakReminder",
    "Phase",
    "Plan",
    "StretchTimer",
    "build_plan",
    "plan_for_technique",
]

STATIC = Path(__file__).parent / "static"

#: The phase kinds the front end knows. "sit" is only used by :class:`BreakReminder`.
KINDS = ("get-ready", "hold", "switch", "rest", "move", "sit", "done")
SIDES = ("", "left", "right")

#: A sane upper limit for one plan: two hours.
MAX_PLAN_SECONDS = 2 * 60 * 60

#: The longest sitting spell a :class:`BreakReminder` accepts, in minutes.
MAX_BREAK_MINUTES = 120

#: Step of the in-widget hold control, in seconds.
HOLD_STEP = 5


def adjust_range(kind: str, current: float, course: Course | None = None) -> list[float]:
    """[low, high, step] for the in-widget hold or reps control.

    The range is the course's sourced safe range for routines (``course.routine``: holds
    from ACSM, repeats from Mayo Clinic), widened only to include a value the content itself
    set, so a presenter can adjust in class but never beyond what the course supports.
    """
    limits = (course or load_course()).routine
    if kind == "hold":
        low, high, step = float(limits.hold_min), float(limits.hold_max), float(HOLD_STEP)
    else:
        low, high, step = float(limits.reps_min), float(limits.reps_max), 1.0
    return [min(low, current), max(high, current), step]


# --- validation ----------------------------------------------------------------------


def _seconds(name: str, value: object, *, allow_zero: bool = False) -> float:
    """A finite number of seconds (positive, or not negative), or a one-line error naming it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number of seconds, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number of seconds, got {value!r}")
    if allow_zero and number < 0:
        raise ValueError(f"{name} must be 0 or more seconds, got {value!r}")
    if not allow_zero and number <= 0:
        raise ValueError(f"{name} must be more than 0 seconds, got {value!r}")
    return number


def _count(name: str, value: object, *, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, got {value!r}")
    number = int(value)
    if number < low:
        raise ValueError(f"{name} must be at least {low}, got {value!r}")
    return number


def _text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{name} must be non-empty text, got {value!r}")
    return value.strip()


def _flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return value


def _check_total(total: float, what: str) -> None:
    if total > MAX_PLAN_SECONDS:
        raise ValueError(
            f"{what} gives a plan of {_num(total)} s, longer than the 2-hour limit ({MAX_PLAN_SECONDS} s)"
        )


def _num(x: float) -> str:
    return f"{x:g}"


def _duration(seconds: float) -> str:
    """Human text for a length of time: '45 s', '1 min 10 s', '30 min'."""
    whole = round(seconds)
    if abs(seconds - whole) > 1e-9 or whole < 60:
        return f"{_num(round(seconds, 3))} s"
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def _spoken(seconds: float) -> str:
    return "1 second" if seconds == 1 else f"{_num(round(seconds, 3))} seconds"


# --- the plan model ------------------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    """One step of a plan: what to show, for how long, and what to announce."""

    kind: str
    label: str
    seconds: float
    cue: str
    side: str = ""
    rep: int = 0
    reps: int = 0
    technique: str = ""
    image: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        _text("label", self.label)
        if not isinstance(self.cue, str):
            raise TypeError(f"cue must be text, got {self.cue!r}")
        if self.kind == "done":
            if self.seconds != 0:
                raise ValueError(f"seconds of a done phase must be 0, got {self.seconds!r}")
        else:
            object.__setattr__(self, "seconds", _seconds("seconds", self.seconds))
        if self.side not in SIDES:
            raise ValueError(f"side must be 'left', 'right' or '', got {self.side!r}")
        _count("rep", self.rep, low=0)
        _count("reps", self.reps, low=0)
        if self.rep > self.reps:
            raise ValueError(f"rep must not exceed reps, got rep={self.rep!r} of reps={self.reps!r}")

    def to_dict(self) -> dict[str, Any]:
        """The JSON-able form synced to the browser."""
        return dataclasses.asdict(self)

    def heading(self) -> str:
        """The label with side and rep, e.g. 'Hold (left, rep 2 of 3)'."""
        extra = [self.side] if self.side else []
        if self.reps > 1:
            extra.append(f"rep {self.rep} of {self.reps}")
        return f"{self.label} ({', '.join(extra)})" if extra else self.label


@dataclass(frozen=True)
class Plan:
    """An ordered list of phases ending in exactly one "done" phase.

    ``dose`` is the short description used in :attr:`summary` (e.g. "2 sides x 30 s");
    when empty the summary gives the plan's total length instead.
    """

    title: str
    phases: tuple[Phase, ...]
    dose: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", _text("title", self.title))
        phases = tuple(self.phases)
        object.__setattr__(self, "phases", phases)
        for i, phase in enumerate(phases):
            if not isinstance(phase, Phase):
                raise TypeError(f"phases[{i}] must be a Phase, got {phase!r}")
        if len(phases) < 2:
            raise ValueError(f"phases must hold at least one timed phase and a done phase, got {len(phases)}")
        done = [i for i, p in enumerate(phases) if p.kind == "done"]
        if done != [len(phases) - 1]:
            raise ValueError(f"phases must end with exactly one done phase, got done at {done}")
        _check_total(self.total_seconds, f"plan {self.title!r}")

    @property
    def total_seconds(self) -> float:
        return math.fsum(p.seconds for p in self.phases)

    @property
    def summary(self) -> str:
        """A one-line description, e.g. 'Hamstring Stretch: 2 sides x 30 s'."""
        return f"{self.title}: {self.dose or _duration(self.total_seconds)}"

    def to_dicts(self) -> list[dict[str, Any]]:
        return [p.to_dict() for p in self.phases]

    def to_text(self) -> str:
        """The plan as readable lines, for places where the widget cannot run."""
        lines = [f"{self.summary} ({_duration(self.total_seconds)} in all)"]
        width = len(str(len(self.phases)))
        for i, p in enumerate(self.phases, 1):
            name = p.heading()
            if p.technique and p.technique != self.title:
                name = f"{p.technique}: {name}"
            timing = "" if p.kind == "done" else f", {_duration(p.seconds)}"
            cue = f": {p.cue}" if p.cue else ""
            lines.append(f"{i:>{width}}. {name}{timing}{cue}")
        return "\n".join(lines)

    def to_html(self) -> str:
        """A static HTML rendering of :meth:`to_text`, escaped and deterministic."""
        head, *items = self.to_text().splitlines()
        entries = "".join(f"<li>{html.escape(item.split('. ', 1)[1])}</li>" for item in items)
        return (
            f'<div class="stretchkit-timer-static"><p><strong>{html.escape(head)}</strong></p>'
            f"<ol>{entries}</ol>"
            "<p><em>The interactive timer needs a running Jupyter kernel.</em></p></div>"
        )

    @classmethod
    def join(cls, title: str, plans: Iterable[Plan], rest_between: float = 0) -> Plan:
        """Play several plans as one (a routine), with one done phase at the end."""
        title = _text("title", title)
        plans = tuple(plans)
        if not plans:
            raise ValueError("plans must not be empty, got ()")
        for i, plan in enumerate(plans):
            if not isinstance(plan, Plan):
                raise TypeError(f"plans[{i}] must be a Plan, got {plan!r}")
        rest = _seconds("rest_between", rest_between, allow_zero=True)
        total = math.fsum(p.total_seconds for p in plans) + rest * (len(plans) - 1)
        _check_total(total, f"joining {len(plans)} plans")
        phases: list[Phase] = []
        for i, plan in enumerate(plans):
            if i and rest:
                nxt = plan.title
                phases.append(Phase("rest", "Rest", rest, f"Rest for {_spoken(rest)}. Next: {nxt}."))
            for p in plan.phases[:-1]:
                phases.append(p if p.technique else dataclasses.replace(p, technique=plan.title))
        phases.append(Phase("done", "Done", 0, f"Finished: {title}."))
        count = f"{len(plans)} stretch" if len(plans) == 1 else f"{len(plans)} stretches"
        return cls(title, tuple(phases), count)


def _dose(hold: float, sides: int, reps: int) -> str:
    """Same wording as :meth:`Technique.dose` for a held stretch."""
    two = "2 sides x " if sides == 2 else ""
    more = f", {reps} reps" if reps > 1 else ""
    return f"{two}{_num(hold)} s{more}"


def _held(
    title: str,
    hold: float,
    sides: int,
    reps: int,
    rest: float,
    get_ready: float,
    switch: float,
    *,
    ready_cue: str,
    side_word: str,
) -> Plan:
    sides_named = ("left", "right") if sides == 2 else ("",)
    phases: list[Phase] = []
    if get_ready:
        phases.append(Phase("get-ready", "Get ready", get_ready, ready_cue, technique=title))
    for rep in range(1, reps + 1):
        prefix = f"Rep {rep} of {reps}. " if reps > 1 else ""
        for n, side in enumerate(sides_named):
            if n and switch:
                cue = f"Switch to the other {side_word}."
                phases.append(Phase("switch", "Switch sides", switch, cue, "", rep, reps, title))
            where = f", {side} {side_word}" if side else ""
            cue = f"{prefix if n == 0 else ''}Hold{where}: {_spoken(hold)}."
            phases.append(Phase("hold", "Hold", hold, cue, side, rep, reps, title))
        if rest and rep < reps:
            cue = f"Rest for {_spoken(rest)}. Next: rep {rep + 1} of {reps}."
            phases.append(Phase("rest", "Rest", rest, cue, "", rep, reps, title))
    phases.append(Phase("done", "Done", 0, f"Finished: {title}.", technique=title))
    return Plan(title, tuple(phases), _dose(hold, sides, reps))


def _held_args(
    hold: object, sides: object, reps: object, rest: object, get_ready: object, switch: object
) -> tuple[float, int, int, float, float, float]:
    """Check a held stretch's settings, each error naming the parameter and its value."""
    h = _seconds("hold", hold)
    s = _count("sides", sides)
    if s not in (1, 2):
        raise ValueError(f"sides must be 1 or 2, got {sides!r}")
    n = _count("reps", reps)
    r = _seconds("rest", rest, allow_zero=True)
    g = _seconds("get_ready", get_ready, allow_zero=True)
    w = _seconds("switch", switch, allow_zero=True)
    total = g + n * (s * h + (s - 1) * w) + (n - 1) * r
    _check_total(total, f"hold={h:g}, sides={s}, reps={n}, rest={r:g}, get_ready={g:g}, switch={w:g}")
    return h, s, n, r, g, w


def build_plan(
    hold: float = 30,
    sides: int = 1,
    reps: int = 1,
    rest: float = 0,
    get_ready: float = 5,
    switch: float = 5,
    *,
    title: str = "Stretch",
) -> Plan:
    """A plan for a held stretch: get ready, then each rep holds each side, then done.

    With two sides the first is "left" and the second "right", with a ``switch`` phase
    between them; ``rest`` comes between reps (not after the last). A zero ``get_ready``,
    ``switch`` or ``rest`` leaves that phase out.
    """
    title = _text("title", title)
    args = _held_args(hold, sides, reps, rest, get_ready, switch)
    return _held(title, *args, ready_cue=f"Get ready for {title}.", side_word="side")


def _side_word(technique: Technique) -> str:
    """'leg' when the technique's own steps say to change legs, else 'side' (the article's wording)."""
    steps = " ".join(technique.steps).lower()
    return "leg" if "change legs" in steps or "other leg" in steps else "side"


def plan_for_technique(
    technique: Technique,
    *,
    hold: float | None = None,
    reps: int | None = None,
    rest: float = 0,
    get_ready: float = 5,
    switch: float = 5,
) -> Plan:
    """The plan for one technique, from its own data; ``hold`` and ``reps`` override it.

    A held stretch holds each side for its ``hold_seconds``. A paced movement (Cat-Camel)
    has no hold: each rep steps through its movement positions with their breathing cues.
    """
    if not isinstance(technique, Technique):
        raise TypeError(f"technique must be a Technique from load_course(), got {technique!r}")
    ready = f"Get ready for {technique.name}. {technique.start_position}"
    if not technique.is_movement:
        return _held_for(technique, hold, reps, rest, get_ready, switch, ready)
    if hold is not None:
        raise ValueError(
            f"hold does not apply to {technique.name}, a paced movement; change reps instead, got {hold!r}"
        )
    n = technique.reps if reps is None else _count("reps", reps)
    rest = _seconds("rest", rest, allow_zero=True)
    get_ready = _seconds("get_ready", get_ready, allow_zero=True)
    cycle = math.fsum(m.seconds for m in technique.movement)
    _check_total(get_ready + n * cycle + (n - 1) * rest, f"reps={n}, rest={rest:g}")
    title = technique.name
    phases: list[Phase] = []
    if get_ready:
        phases.append(Phase("get-ready", "Get ready", get_ready, ready, technique=title))
    for rep in range(1, n + 1):
        for i, step in enumerate(technique.movement):
            prefix = f"Rep {rep} of {n}. " if n > 1 and i == 0 else ""
            cue = f"{prefix}{step.name}: {step.cue}" if step.cue else f"{prefix}{step.name}."
            phases.append(Phase("move", step.name, step.seconds, cue, "", rep, n, title))
        if rest and rep < n:
            cue = f"Rest for {_spoken(rest)}. Next: rep {rep + 1} of {n}."
            phases.append(Phase("rest", "Rest", rest, cue, "", rep, n, title))
    phases.append(Phase("done", "Done", 0, f"Finished: {title}.", technique=title))
    pace = " + ".join(f"{m.name} {_num(m.seconds)} s" for m in technique.movement)
    return Plan(title, tuple(phases), f"{n} reps of {pace}")


def _held_for(
    technique: Technique,
    hold: float | None,
    reps: int | None,
    rest: float,
    get_ready: float,
    switch: float,
    ready: str,
) -> Plan:
    args = _held_args(
        technique.hold_seconds if hold is None else hold,
        technique.sides,
        technique.reps if reps is None else reps,
        rest,
        get_ready,
        switch,
    )
    return _held(technique.name, *args, ready_cue=ready, side_word=_side_word(technique))


# --- the widget ----------------------------------------------------------------------

PlanBuilder = Callable[[float, int], Plan]


class StretchTimer(StaticFallback, anywidget.AnyWidget):  # type: ignore[misc]
    """A timer that plays a :class:`Plan` in the browser, with tones, spoken cues and a flash.

    Time is kept in the browser, so the timer stays accurate while the kernel is busy.
    Python hears only about phase changes (``phase_index``), ``state`` and completed runs:
    register ``timer.on_complete(callback)`` to log practice.
    """

    _esm = STATIC / "timer.js"
    _css = STATIC / "timer.css"

    title = traitlets.Unicode("").tag(sync=True)
    summary = traitlets.Unicode("").tag(sync=True)
    phases = traitlets.List(traitlets.Dict()).tag(sync=True)
    images = traitlets.List(traitlets.Unicode()).tag(sync=True)
    presenter = traitlets.Bool(False).tag(sync=True)
    sound = traitlets.Bool(True).tag(sync=True)
    speech = traitlets.Bool(False).tag(sync=True)
    flash = traitlets.Bool(True).tag(sync=True)
    repeat = traitlets.Bool(False).tag(sync=True)
    #: Which setting the in-widget control changes: "hold", "reps" or "" (none).
    adjust = traitlets.Unicode("").tag(sync=True)
    hold = traitlets.Float(0.0).tag(sync=True)
    reps = traitlets.Int(0).tag(sync=True)
    #: [min, max, step] of the adjustable setting.
    adjust_range = traitlets.List(traitlets.Float(), default_value=[0.0, 0.0, 1.0]).tag(sync=True)
    # Written by the browser.
    state = traitlets.Unicode("idle").tag(sync=True)
    phase_index = traitlets.Int(0).tag(sync=True)
    completed_runs = traitlets.Int(0).tag(sync=True)

    def __init__(
        self,
        plan: Plan | None = None,
        *,
        title: str | None = None,
        presenter: bool = False,
        sound: bool = True,
        speech: bool = False,
        flash: bool = True,
    ) -> None:
        self._callbacks: list[tuple[Callable[..., Any], bool]] = []
        self._rebuild: PlanBuilder | None = None
        self._adjusting = False
        if title is not None:
            title = _text("title", title)
        if plan is None:
            name = title or "Stretch"
            plan = build_plan(title=name)
            self._rebuild = lambda hold, reps: build_plan(hold=hold, title=name)
        elif not isinstance(plan, Plan):
            raise TypeError(f"plan must be a Plan (see build_plan), got {plan!r}")
        elif title is not None:
            plan = dataclasses.replace(plan, title=title)
        options = {
            name: _flag(name, value)
            for name, value in (
                ("presenter", presenter),
                ("sound", sound),
                ("speech", speech),
                ("flash", flash),
            )
        }
        super().__init__(**options)
        self._plan = plan
        self._sync_plan()
        if self._rebuild is not None:
            self._set_adjust("hold", plan)

    # -- construction --

    @classmethod
    def for_technique(cls, technique: Technique, **overrides: Any) -> StretchTimer:
        """A timer for one technique, e.g. ``StretchTimer.for_technique(course.technique("cat-camel"))``.

        ``overrides`` are :func:`plan_for_technique` settings (hold, reps, rest, get_ready,
        switch) or widget options (title, presenter, sound, speech, flash). ``course`` gives
        the safe range for the in-widget hold control (default: the bundled course).
        """
        course = overrides.pop("course", None)
        if course is not None and not isinstance(course, Course):
            raise TypeError(f"course must be a Course from load_course(), got {course!r}")
        plan_keys = {"hold", "reps", "rest", "get_ready", "switch"}
        widget_keys = {"title", "presenter", "sound", "speech", "flash"}
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
        timer._set_adjust("reps" if technique.is_movement else "hold", plan, course)
        return timer

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

    def _set_adjust(self, kind: str, plan: Plan, course: Course | None = None) -> None:
        self._adjusting = True
        try:
            if kind == "hold":
                holds = [p.seconds for p in plan.phases if p.kind == "hold"]
                self.hold = holds[0] if holds else 0.0
                self.adjust_range = adjust_range("hold", self.hold, course)
            else:
                self.reps = max(p.reps for p in plan.phases)
                self.adjust_range = adjust_range("reps", self.reps, course)
            self.adjust = kind
        finally:
            self._adjusting = False

    @traitlets.observe("hold", "reps")
    def _adjusted(self, change: Any) -> None:
        """The browser's hold/reps control changed: rebuild and sync the plan, or undo."""
        if self._adjusting or self._rebuild is None or change["name"] != self.adjust:
            return
        low, high, _ = self.adjust_range
        try:
            value = change["new"]
            if not low <= value <= high:
                raise ValueError(
                    f"{change['name']} must be between {_num(low)} and {_num(high)}, got {value!r}"
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
    spell as soon as one ends. Its wording comes from the course's "sitting-breaks" tip.
    """

    def __init__(
        self,
        minutes: float = 30,
        *,
        repeat: bool = False,
        course: Course | None = None,
        title: str | None = None,
        presenter: bool = False,
        sound: bool = True,
        speech: bool = False,
        flash: bool = True,
    ) -> None:
        if isinstance(minutes, bool) or not isinstance(minutes, numbers.Real):
            raise TypeError(f"minutes must be a number, got {minutes!r}")
        if not math.isfinite(minutes) or not 0 < minutes <= MAX_BREAK_MINUTES:
            raise ValueError(f"minutes must be more than 0 and at most {MAX_BREAK_MINUTES}, got {minutes!r}")
        repeat = _flag("repeat", repeat)
        if course is not None and not isinstance(course, Course):
            raise TypeError(f"course must be a Course from load_course(), got {course!r}")
        tip = (course or load_course()).tip("sitting-breaks")
        name = _text("title", title) if title is not None else tip.title
        # The tip's own action for when the reminder goes off, else its summary.
        stand = next((a for a in tip.actions if "stand" in a.lower()), tip.summary)
        spell = float(minutes) * 60
        sit_cue = f"Sitting: a reminder in {_num(float(minutes))} minutes."
        phases = (
            Phase("sit", "Sitting", spell, sit_cue, technique=name),
            Phase("done", "Time for a break", 0, f"Time for a break. {stand}", technique=name),
        )
        how = "every" if repeat else "in"
        plan = Plan(name, phases, f"reminder {how} {_num(float(minutes))} min")
        super().__init__(plan, presenter=presenter, sound=sound, speech=speech, flash=flash)
        self.minutes = float(minutes)
        self.repeat = repeat
