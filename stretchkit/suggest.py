"""A routine that follows your back: "next time" suggestions made from the journal.

Pure Python, no storage and no widgets: the journal's sessions (which stretches each did,
pain before and after, when), the learner's earlier decisions and a routine go in; the
suggestions come out, each made by one of the course's rules (``[suggestions]`` in
``course.toml``, each with its source):

- **easier**: pain after a stretch's sessions rose by ``rise`` points or more, ``times``
  sessions in a row: its easier version, else a shorter hold, else fewer repeats (else leave
  it out for now), with the bad-day card, the stop rule and when to get help urgently;
- **build-up**: a stretch kept up for ``days`` days (no break as long as a restart's), each
  session ending with pain the same or lower: a repeat or two more, else a longer hold;
- **restart**: no session for the restart's ``days``: start again at the level last found
  comfortable.

Every change stays within the routine's ranges (:meth:`Course.reps_range`,
``routine.hold_range``): a suggestion's routine is a validated :class:`Routine`. A suggestion
only says what the learner's own numbers show and what its source advises: it never says
why pain rose. A decision (accepted or dismissed) is kept in the journal with the sessions the
suggestion was made from, and a rule never uses those sessions again for that stretch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from .course import SUGGESTION_RULES, Course, Item, Technique, num
from .routine import Routine, RoutineItem, hold_range
from .wording import cite, day_words, join_and, plural, quoted, stop_rule, the, urgent_care

__all__ = ["BUILD_UP", "EASIER", "RESTART", "Decided", "Session", "Suggestion", "suggest"]

EASIER, BUILD_UP, RESTART = SUGGESTION_RULES
_DAY = 24 * 60 * 60


class Session(Protocol):
    """What the rules read of one saved session (the journal's ``SessionRecord`` has these)."""

    @property
    def id(self) -> int: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def techniques(self) -> tuple[str, ...]: ...
    @property
    def done(self) -> tuple[str, ...] | None: ...
    @property
    def pain_change(self) -> int | None: ...
    @property
    def routine_data(self) -> str: ...


class Decided(Protocol):
    """What the rules read of a saved decision (the journal's ``Decision`` has these)."""

    @property
    def rule(self) -> str: ...
    @property
    def technique(self) -> str: ...
    @property
    def evidence(self) -> tuple[int, ...]: ...


@dataclass(frozen=True)
class Suggestion:
    """One "next time" suggestion: its rule, the stretch ('' for the whole routine), the routine
    with the change made (None when there is nothing to change), the change and the reason in
    words, the advice it follows and its source's short name, and the sessions it was made from.

    When pain rose, ``stop_rule`` and ``urgent`` (the course's own words for when to stop and
    when to get help urgently, both tiers) and ``bad_day`` (the flare-up card's lines) are set.
    """

    rule: str
    technique: str
    routine: Routine | None
    change: str
    reason: str
    advice: Item
    source: str
    evidence: tuple[int, ...]
    stop_rule: str = ""
    urgent: tuple[str, ...] = ()
    bad_day: tuple[Item, ...] = ()

    @property
    def pain_rose(self) -> bool:
        return bool(self.stop_rule)

    @property
    def key(self) -> tuple[str, str, tuple[int, ...]]:
        """What makes it the same suggestion: its rule, its stretch and its sessions."""
        return self.rule, self.technique, self.evidence


def suggest(
    sessions: Iterable[Session],
    routine: Routine,
    *,
    now: datetime,
    decisions: Iterable[Decided] = (),
) -> list[Suggestion]:
    """The suggestions for ``routine`` at ``now``, from the journal's sessions and decisions.

    A restart (for the whole routine) comes first, then each stretch's in routine order. A new
    learner (no sessions), or a course without ``[suggestions]``, gets none.
    """
    course = routine.course
    rules = course.suggestions
    history = sorted(sessions, key=lambda s: (s.started_at.timestamp(), s.id))
    if rules is None or not history:
        return []
    used: dict[tuple[str, str], int] = {}
    for d in decisions:
        key = (d.rule, d.technique)
        used[key] = max(used.get(key, 0), *d.evidence, 0)
    out: list[Suggestion] = []
    latest = history[-1]
    away = (now.timestamp() - latest.started_at.timestamp()) / _DAY
    if away >= rules.restart.days and used.get((RESTART, ""), 0) < latest.id:
        out.append(_restart(course, routine, history, now))
    for item in routine.items:
        slug = item.technique
        mine = [s for s in history if slug in _done(s)]
        easier = _easier(course, routine, item, [s for s in mine if s.id > used.get((EASIER, slug), 0)])
        if easier is not None:
            out.append(easier)
        elif away < rules.restart.days:
            since = max((v for (_, t), v in used.items() if t == slug), default=0)
            built = _build_up(course, routine, item, [s for s in mine if s.id > since])
            if built is not None:
                out.append(built)
    return out


def _done(s: Session) -> tuple[str, ...]:
    """The stretches a session did (all of them for a session saved before the journal kept it)."""
    return s.techniques if s.done is None else s.done


def _count(n: int) -> str:
    return "two" if n == 2 else str(n)


# --- pain rose: an easier way ------------------------------------------------------------------


def _easier(
    course: Course, routine: Routine, item: RoutineItem, sessions: Sequence[Session]
) -> Suggestion | None:
    rules = course.suggestions
    assert rules is not None
    rule = rules.easier
    rated = [s for s in sessions if s.pain_change is not None]
    last = rated[-rule.times :]
    if len(last) < rule.times or any((s.pain_change or 0) < rule.rise for s in last):
        return None
    t = course.technique(item.technique)
    rises = [str(s.pain_change) for s in last]
    points = rises[0] if len(set(rises)) == 1 else join_and(rises)
    reason = f"Your last {_count(len(last))} {t.name} sessions ended {points} points higher than they began."
    new, change = _gentler(course, routine, item, t)
    return Suggestion(
        EASIER,
        t.slug,
        new,
        change,
        reason,
        rule.advice,
        cite(course, rule.advice.source),
        tuple(s.id for s in last),
        stop_rule=stop_rule(course),
        urgent=(urgent_care(course, "emergency"), urgent_care(course, "urgent")),
        bad_day=course.programme.bad_day,
    )


def _gentler(course: Course, routine: Routine, item: RoutineItem, t: Technique) -> tuple[Routine | None, str]:
    """The routine with ``item`` made gentler, and the change in words: its easier version, a
    shorter hold, fewer repeats, or (already at its gentlest) left out for now."""
    rules = course.suggestions
    assert rules is not None
    for v in t.versions:
        if v.level == "easier" and v.slug not in routine.techniques:
            swapped = _replaced(routine, item, v.slug)
            if swapped is not None:
                return swapped, (
                    f"Swap {the(t.name)} for its easier version, {quoted(v.name)} "
                    f"({cite(course, v.change.source)}): {v.change.text}"
                )
    if not t.is_movement and item.hold is not None:
        low, _ = hold_range(course, t)
        hold = max(low, item.hold - rules.hold_step)
        if hold < item.hold:
            return routine.with_settings(t.slug, hold=hold), (
                f"Hold {the(t.name)} for {num(hold)} s, not {num(item.hold)} s"
            )
    reps = item.reps or t.reps
    low_reps, _, _ = course.reps_range(t)
    fewer = max(low_reps, reps - rules.easier.fewer_reps)
    if fewer < reps:
        return routine.with_settings(t.slug, reps=fewer), (
            f"Do {plural(fewer, 'repeat')} of {the(t.name)}, not {reps}"
        )
    if len(routine.items) > 1:
        rest = [i for i in routine.items if i.technique != t.slug]
        left = Routine(rest, title=routine.title, rest_between=routine.rest_between, course=course)
        return left, f"Leave {the(t.name)} out of your routine until your pain has settled"
    return None, f"{the(t.name, start=True)} is already at the gentlest this course has"


def _replaced(routine: Routine, item: RoutineItem, slug: str) -> Routine | None:
    """``routine`` with ``slug`` in ``item``'s place, keeping its settings where they fit (else
    the new technique's own); None if neither fits."""
    for new in (
        RoutineItem(slug, item.hold, item.reps, item.rest),
        RoutineItem(slug, rest=item.rest),
    ):
        items = [new if i.technique == item.technique else i for i in routine.items]
        try:
            return Routine(
                items, title=routine.title, rest_between=routine.rest_between, course=routine.course
            )
        except ValueError:
            continue
    return None


# --- two comfortable weeks: build up ---------------------------------------------------------------


def _build_up(
    course: Course, routine: Routine, item: RoutineItem, sessions: Sequence[Session]
) -> Suggestion | None:
    rules = course.suggestions
    assert rules is not None
    rule, gap = rules.build_up, rules.restart.days
    streak: list[Session] = []
    for s in reversed(sessions):  # the latest run of comfortable sessions, without a break
        rise = s.pain_change
        if rise is None or rise > 0:
            break
        if streak and (streak[-1].started_at.timestamp() - s.started_at.timestamp()) / _DAY >= gap:
            break
        streak.append(s)
    streak.reverse()
    if len(streak) < 2:
        return None
    days = (streak[-1].started_at.timestamp() - streak[0].started_at.timestamp()) / _DAY
    if days < rule.days:
        return None
    t = course.technique(item.technique)
    reps = item.reps or t.reps
    _, most, reps_source = course.reps_range(t)
    if reps < most:
        more = min(most, reps + rule.more_reps)
        new = routine.with_settings(t.slug, reps=more)
        change = (
            f"Do {plural(more, 'repeat')} of {the(t.name)}, not {reps} "
            f"(at most {most}: {cite(course, reps_source)})"
        )
        advice = rule.advice
    elif not t.is_movement and item.hold is not None and item.hold < hold_range(course, t)[1]:
        high = hold_range(course, t)[1]
        hold = min(high, item.hold + rules.hold_step)
        new = routine.with_settings(t.slug, hold=hold)
        change = (
            f"Hold {the(t.name)} for {num(hold)} s, not {num(item.hold)} s "
            f"(at most {num(high)} s: {cite(course, course.routine.hold_source)})"
        )
        advice = rule.hold_advice
    else:
        return None  # already at the most this course suggests
    reason = (
        f"Your last {plural(len(streak), f'{t.name} session')}, over {round(days)} days since "
        f"{day_words(streak[0].started_at.date(), streak[-1].started_at.date()).removeprefix('on ')}, "
        f"all ended with pain the same as or lower than they began."
    )
    return Suggestion(
        BUILD_UP,
        t.slug,
        new,
        change,
        reason,
        advice,
        cite(course, advice.source),
        tuple(s.id for s in streak),
    )


# --- a week away: restart gently ---------------------------------------------------------------------


def _restart(course: Course, routine: Routine, history: Sequence[Session], now: datetime) -> Suggestion:
    rules = course.suggestions
    assert rules is not None
    rule = rules.restart
    latest = history[-1]
    items: list[RoutineItem] = []
    lowered: list[str] = []
    for item in routine.items:
        t = course.technique(item.technique)
        level = _comfortable(history, item.technique)
        hold, reps = item.hold, item.reps
        if level is not None:
            if hold is not None and level.hold is not None and level.hold < hold:
                hold = level.hold
            if reps is not None and level.reps is not None and level.reps < reps:
                reps = level.reps
        if (hold, reps) != (item.hold, item.reps):
            new = RoutineItem(item.technique, hold, reps, item.rest)
            try:
                Routine([new], course=course)
            except ValueError:  # an old session's settings the course no longer allows
                new = item
            if new != item:
                lowered.append(_lowered(t, item, new))
            item = new
        items.append(item)
    new_routine = (
        Routine(items, title=routine.title, rest_between=routine.rest_between, course=course)
        if lowered
        else None
    )
    change = (
        f"Start again at the level you last found comfortable: {join_and(lowered)}"
        if lowered
        else "Start again with your routine as it is, the level you last found comfortable"
    )
    away = int((now.timestamp() - latest.started_at.timestamp()) // _DAY)
    reason = (
        f"Your last session was {plural(away, 'day')} ago, {day_words(latest.started_at.date(), now.date())}."
    )
    return Suggestion(
        RESTART, "", new_routine, change, reason, rule.advice, cite(course, rule.advice.source), (latest.id,)
    )


def _lowered(t: Technique, old: RoutineItem, new: RoutineItem) -> str:
    """'Cat-Camel Stretch: 5 repeats, not 8', 'Piriformis Stretch: hold 30 s, not 40 s, 2 repeats, not 3'."""
    parts = []
    if new.hold != old.hold and new.hold is not None and old.hold is not None:
        parts.append(f"hold {num(new.hold)} s, not {num(old.hold)} s")
    if new.reps != old.reps and new.reps is not None:
        parts.append(f"{plural(new.reps, 'repeat')}, not {old.reps}")
    return f"{t.name}: {', '.join(parts)}"


def _comfortable(history: Sequence[Session], slug: str) -> RoutineItem | None:
    """``slug``'s settings in the latest session that did it and ended with pain the same or lower
    (None if there is none, or its settings were not kept)."""
    for s in reversed(history):
        if slug in _done(s) and s.pain_change is not None and s.pain_change <= 0:
            return _settings(s.routine_data, slug)
    return None


def _settings(data: str, slug: str) -> RoutineItem | None:
    """One stretch's hold and repeats as a session kept them (``Routine.to_dict()`` as JSON)."""
    try:
        parsed: Any = json.loads(data) if data else {}
    except ValueError:
        return None
    entries = parsed.get("techniques") if isinstance(parsed, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and entry.get("slug") == slug:
            hold, reps = entry.get("hold"), entry.get("reps")
            return RoutineItem(
                slug,
                float(hold) if isinstance(hold, (int, float)) and not isinstance(hold, bool) else None,
                reps if isinstance(reps, int) and not isinstance(reps, bool) else None,
            )
    return None
