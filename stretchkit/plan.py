"""Timer plans: the timed phases a stretch, a routine or a break reminder is played as.

The plan model is pure Python (no widgets), so it can be tested, printed and shown as
text where widgets cannot render; :class:`~stretchkit.timer.StretchTimer` plays a plan
in the browser.
"""

from __future__ import annotations

import dataclasses
import html
import math
import numbers
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .course import POSITIONS, Floor, Technique, held_dose, num
from .wording import SIDES as SIDE_ORDER
from .wording import duration, full_stop, plural, side_name, spoken

__all__ = [
    "KINDS",
    "MAX_PLAN_SECONDS",
    "WAITING",
    "Phase",
    "Plan",
    "Run",
    "build_plan",
    "check_flag",
    "check_seconds",
    "check_text",
    "floor_moves",
    "plan_for_technique",
]

#: The phase kinds the front end knows. "sit" is only used by :class:`BreakReminder`; "wait"
#: (no clock: the learner presses Ready) by a routine moving between a chair and the floor.
KINDS = ("get-ready", "hold", "switch", "rest", "move", "sit", "wait", "done")
SIDES = ("", *SIDE_ORDER)
#: The kinds with no time of their own (0 s): the end, and waiting for the learner's Ready.
WAITING = ("wait", "done")

#: Where a technique is done on the floor, and where it is done off it (content.POSITIONS):
#: moving between the two waits for the learner. A bed is neither.
ON_THE_FLOOR = ("lying", "all-fours", "kneeling")
OFF_THE_FLOOR = ("chair", "standing")
#: The lesson that teaches getting down to the floor and back up (lessons.lesson_for("safety")).
FLOOR_LESSON = "lesson 00"

#: A sane upper limit for one plan: two hours.
MAX_PLAN_SECONDS = 2 * 60 * 60

# --- validation ----------------------------------------------------------------------


def check_seconds(name: str, value: object, *, allow_zero: bool = False) -> float:
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


def check_text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{name} must be non-empty text, got {value!r}")
    return value.strip()


def check_flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return value


def _check_total(total: float, what: str) -> None:
    if total > MAX_PLAN_SECONDS:
        raise ValueError(
            f"{what} gives a plan of {num(total)} s, longer than the 2-hour limit ({MAX_PLAN_SECONDS} s)"
        )


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
    #: The side as the stretch names it ("Left leg"); shown beside the clock, as drawings say it.
    side_label: str = ""
    #: Numbered steps shown (and spoken) with the cue: a "wait" phase's way down to the floor or up.
    steps: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        check_text("label", self.label)
        if not isinstance(self.cue, str):
            raise TypeError(f"cue must be text, got {self.cue!r}")
        if isinstance(self.steps, str) or not isinstance(self.steps, Iterable):
            raise TypeError(f"steps must be a list of texts, got {self.steps!r}")
        object.__setattr__(self, "steps", tuple(check_text("steps", x) for x in self.steps))
        if self.kind in WAITING:
            if self.seconds != 0:
                raise ValueError(f"seconds of a {self.kind} phase must be 0, got {self.seconds!r}")
        else:
            object.__setattr__(self, "seconds", check_seconds("seconds", self.seconds))
        if self.side not in SIDES:
            raise ValueError(f"side must be 'left', 'right' or '', got {self.side!r}")
        _count("rep", self.rep, low=0)
        _count("reps", self.reps, low=0)
        if self.rep > self.reps:
            raise ValueError(f"rep must not exceed reps, got rep={self.rep!r} of reps={self.reps!r}")

    def to_dict(self) -> dict[str, Any]:
        """The JSON-able form synced to the browser."""
        return {**dataclasses.asdict(self), "steps": list(self.steps)}

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
    when empty the summary gives the plan's total length instead. ``position`` is where
    the stretch is done (one of content's POSITIONS, or "" when not known or mixed), so
    :meth:`join` knows when a routine moves between a chair and the floor.
    """

    title: str
    phases: tuple[Phase, ...]
    dose: str = ""
    position: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", check_text("title", self.title))
        if self.position and self.position not in POSITIONS:
            raise ValueError(f"position must be one of {', '.join(POSITIONS)} or '', got {self.position!r}")
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
        return f"{self.title}: {self.dose or duration(self.total_seconds)}"

    def to_text(self) -> str:
        """The plan as readable lines, for places where the widget cannot run."""
        lines = [f"{self.summary} ({duration(self.total_seconds)} in all)"]
        width = len(str(len(self.phases)))
        for i, p in enumerate(self.phases, 1):
            name = p.heading()
            if p.technique and p.technique != self.title:
                name = f"{p.technique}: {name}"
            timing = {"done": "", "wait": ", no clock: press Ready"}.get(p.kind, f", {duration(p.seconds)}")
            cue = " ".join([p.cue, *p.steps]).strip()
            cue = f": {cue}" if cue else ""
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
    def join(
        cls, title: str, plans: Iterable[Plan], rest_between: float = 0, *, floor: Floor | None = None
    ) -> Plan:
        """Play several plans as one (a routine), with one done phase at the end.

        With the course's ``floor`` guidance, a routine that moves between a chair and the
        floor waits for the learner's Ready there (see :func:`floor_moves`).
        """
        title = check_text("title", title)
        plans = tuple(plans)
        if not plans:
            raise ValueError("plans must not be empty, got ()")
        for i, plan in enumerate(plans):
            if not isinstance(plan, Plan):
                raise TypeError(f"plans[{i}] must be a Plan, got {plan!r}")
        if floor is not None and not isinstance(floor, Floor):
            raise TypeError(f"floor must be the course's Floor guidance (course.floor), got {floor!r}")
        rest = check_seconds("rest_between", rest_between, allow_zero=True)
        total = math.fsum(p.total_seconds for p in plans) + rest * (len(plans) - 1)
        _check_total(total, f"joining {len(plans)} plans")
        phases: list[Phase] = []
        for i, plan in enumerate(plans):
            if i and rest:
                nxt = plan.title
                phases.append(Phase("rest", "Rest", rest, f"Rest for {spoken(rest)}. Next: {nxt}."))
            if floor is not None:
                phases += floor_moves(floor, plans[i - 1] if i else None, plan)
            for p in plan.phases[:-1]:
                phases.append(p if p.technique else dataclasses.replace(p, technique=plan.title))
        if floor is not None:
            phases += floor_moves(floor, plans[-1], None)
        phases.append(Phase("done", "Done", 0, full_stop(f"Finished: {title}")))
        return cls(title, tuple(phases), plural(len(plans), "stretch", "stretches"))


def floor_moves(floor: Floor, before: Plan | None, after: Plan | None) -> tuple[Phase, ...]:
    """The step between ``before`` and ``after`` (None: the routine's start or end) that waits for Ready.

    Getting down to the floor or back up takes as long as it takes, so it has no clock:
    the learner presses Ready. Its steps are the course's own (``floor.down`` and
    ``floor.up``, taught in lesson 00), never new advice. A routine is taken to start off
    the floor; one that ends on it ends with coming up slowly.
    """
    was_on = before is not None and before.position in ON_THE_FLOOR
    was_off = before is None or before.position in OFF_THE_FLOOR
    if after is None:
        if not was_on:
            return ()
        cue = f"Come up slowly, as {FLOOR_LESSON} shows, then press Ready."
        return (Phase("wait", "Come up slowly", 0, cue, steps=floor.up),)
    image = after.phases[0].image
    if was_off and after.position in ON_THE_FLOOR:
        label, steps, how = "Down to the floor", floor.down, "on the floor. Get down to the floor"
    elif was_on and after.position in OFF_THE_FLOOR:
        label, steps, how = "Up from the floor", floor.up, "off the floor. Get up"
    else:
        return ()
    cue = f"Next: {after.title}, {how} as {FLOOR_LESSON} shows, then press Ready."
    return (Phase("wait", label, 0, cue, technique=after.title, image=image, steps=steps),)


#: Rounding slack between the browser's milliseconds and a phase's seconds.
_SLACK = 0.002


@dataclass(frozen=True)
class Run:
    """What happened in one run of a plan, as the timer in the browser reported it.

    ``spent`` is, per phase of the plan, the seconds actually spent in it (pauses
    excluded; a phase that ran out counts in full, a skipped one only up to the skip);
    ``skipped`` the indices of the phases skipped; ``wall_seconds`` the time from start to
    end on the clock, pauses included.
    """

    spent: tuple[float, ...]
    skipped: frozenset[int]
    wall_seconds: float

    @property
    def active_seconds(self) -> float:
        """Seconds the run was playing: every phase's time spent, pauses excluded."""
        return math.fsum(self.spent)

    @classmethod
    def from_report(cls, plan: Plan, report: object) -> Run:
        """Check the browser's report of a run of ``plan``; a ValueError names the field and the value."""
        try:
            return cls._from_report(plan, report)
        except TypeError as exc:  # a value of the wrong type: still just a bad report
            raise ValueError(str(exc)) from None

    @classmethod
    def _from_report(cls, plan: Plan, report: object) -> Run:
        if not isinstance(report, dict) or not report:
            raise ValueError(
                f"the timer's run report must be a table of spent, skipped and wall, got {report!r}"
            )
        spent = report.get("spent")
        n = len(plan.phases)
        if not isinstance(spent, list) or len(spent) != n:
            raise ValueError(
                f"run report: spent must list the seconds of each of the {n} phases, got {spent!r}"
            )
        seconds = []
        for i, (value, phase) in enumerate(zip(spent, plan.phases, strict=True)):
            number = check_seconds(f"run report: spent[{i}]", value, allow_zero=True)
            if number > phase.seconds + _SLACK:
                raise ValueError(
                    f"run report: spent[{i}] must be at most the phase's {num(phase.seconds)} s, "
                    f"got {value!r}"
                )
            seconds.append(min(number, phase.seconds))
        skipped = report.get("skipped", [])
        if not isinstance(skipped, list) or any(
            isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < n - 1 for i in skipped
        ):
            raise ValueError(
                f"run report: skipped must list phase indices from 0 to {n - 2}, got {skipped!r}"
            )
        wall = check_seconds("run report: wall", report.get("wall"), allow_zero=True)
        if wall + 1 < math.fsum(seconds):
            raise ValueError(
                f"run report: wall ({num(wall)} s) must not be shorter than the time spent "
                f"({num(math.fsum(seconds))} s)"
            )
        return cls(tuple(seconds), frozenset(skipped), wall)


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
    sides_named = SIDE_ORDER if sides == 2 else ("",)

    def one_rep(rep: int, prefix: str) -> list[Phase]:
        phases = []
        for n, side in enumerate(sides_named):
            # Between reps of a two-sided stretch with no rest, the learner still changes sides.
            back = n == 0 and rep > 1 and sides == 2 and not rest
            if (n or back) and switch:
                cue = f"Switch to the other {side_word}."
                phases.append(Phase("switch", "Switch sides", switch, cue, "", rep, reps, title))
            where = f", {side_name(side, side_word)}" if side else ""
            cue = f"{prefix if n == 0 else ''}Hold{where}: {spoken(hold)}."
            label = side_name(side, side_word, start=True) if side else ""
            phases.append(Phase("hold", "Hold", hold, cue, side, rep, reps, title, side_label=label))
        return phases

    return _repeated(title, get_ready, ready_cue, reps, rest, one_rep, held_dose(hold, sides, reps))


def _repeated(
    title: str,
    get_ready: float,
    ready_cue: str,
    reps: int,
    rest: float,
    one_rep: Callable[[int, str], list[Phase]],
    dose: str,
) -> Plan:
    """Get ready, then ``reps`` repeats from ``one_rep(rep, "Rep 2 of 3. ")`` with rest between, then done."""
    phases: list[Phase] = []
    if get_ready:
        phases.append(Phase("get-ready", "Get ready", get_ready, ready_cue, technique=title))
    for rep in range(1, reps + 1):
        phases += one_rep(rep, f"Rep {rep} of {reps}. " if reps > 1 else "")
        if rest and rep < reps:
            cue = f"Rest for {spoken(rest)}. Next: rep {rep + 1} of {reps}."
            phases.append(Phase("rest", "Rest", rest, cue, "", rep, reps, title))
    phases.append(Phase("done", "Done", 0, full_stop(f"Finished: {title}"), technique=title))
    return Plan(title, tuple(phases), dose)


def _held_args(
    hold: object, sides: object, reps: object, rest: object, get_ready: object, switch: object
) -> tuple[float, int, int, float, float, float]:
    """Check a held stretch's settings, each error naming the parameter and its value."""
    h = check_seconds("hold", hold)
    s = _count("sides", sides)
    if s not in (1, 2):
        raise ValueError(f"sides must be 1 or 2, got {sides!r}")
    n = _count("reps", reps)
    r = check_seconds("rest", rest, allow_zero=True)
    g = check_seconds("get_ready", get_ready, allow_zero=True)
    w = check_seconds("switch", switch, allow_zero=True)
    # A two-sided stretch changes sides between reps too when there is no rest.
    between = r if r or s == 1 else w
    total = g + n * (s * h + (s - 1) * w) + (n - 1) * between
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
    title = check_text("title", title)
    args = _held_args(hold, sides, reps, rest, get_ready, switch)
    return _held(title, *args, ready_cue=f"Get ready for {title}.", side_word="side")


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
    rest = check_seconds("rest", rest, allow_zero=True)
    get_ready = check_seconds("get_ready", get_ready, allow_zero=True)
    cycle = math.fsum(m.seconds for m in technique.movement)
    _check_total(get_ready + n * cycle + (n - 1) * rest, f"reps={n}, rest={rest:g}")
    title = technique.name

    def one_rep(rep: int, prefix: str) -> list[Phase]:
        phases = []
        for i, step in enumerate(technique.movement):
            start = prefix if i == 0 else ""
            cue = f"{start}{step.name}: {step.cue}" if step.cue else f"{start}{step.name}."
            phases.append(Phase("move", step.name, step.seconds, cue, "", rep, n, title))
        return phases

    plan = _repeated(title, get_ready, ready, n, rest, one_rep, technique.dose(reps=n))
    return dataclasses.replace(plan, position=technique.position)


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
    plan = _held(technique.name, *args, ready_cue=ready, side_word=technique.side_word)
    return dataclasses.replace(plan, position=technique.position)
