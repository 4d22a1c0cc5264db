"""Exports: the journal as CSV (its sessions, and its everyday goal's ratings), and the one safe
way to write a learner's file.

Every export (this CSV, the handouts in :mod:`stretchkit.handout`) is written to a temporary
file next to the target and then moved into place, so an interrupted export never leaves a
half-written file where the old one was.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .course import GoalScale, num
from .journal import Decision, GoalRating, SessionRecord

__all__ = ["CSV_COLUMNS", "GOAL_CSV_COLUMNS", "MY_FILES", "replacing", "write_goal_csv", "write_sessions_csv"]


#: One row per session. ``minutes`` and ``seconds_spent`` are the time actually spent (pauses
#: excluded), ``planned_seconds`` the routine's nominal length; ``status`` is complete (every
#: stretch done), partial (``stretches_skipped`` lists the rest) or empty for a session
#: recorded before the journal kept it. ``next_time`` lists the learner's decisions on the
#: "next time" suggestions made from sessions up to this one ("accepted: ..." or "dismissed: ...").
#: ``held_in_view_seconds`` is what the camera check saw,
#: ``slug=seconds`` per stretch it followed (empty when the camera was not on): never an image.
CSV_COLUMNS = (
    "id",
    "started_at",
    "routine",
    "techniques",
    "status",
    "stretches_done",
    "stretches_skipped",
    "minutes",
    "seconds_spent",
    "planned_seconds",
    "pain_before",
    "pain_after",
    "pain_change",
    "note",
    "next_time",
    "held_in_view_seconds",
)

#: The everyday goal's ratings, one row each, oldest first: a file of their own, since a rating is
#: given on a day of the learner's choosing, not with a session (extra columns in the sessions' file
#: would be empty on most rows, or tie a rating to a session it has nothing to do with). Like a
#: physiotherapist's record of the Patient-Specific Functional Scale: the activity, the date and
#: the score; ``scale`` says in words what 0 and 10 mean, so the file reads on its own.
GOAL_CSV_COLUMNS = ("rated_at", "activity", "rating", "scale")

#: Where the lessons save what they make for a learner (the CSV, the handouts): the
#: learner's own folder beside the lessons, never among them (notebooks/my-files/).
MY_FILES = Path("my-files")

#: Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Text as a spreadsheet shows it, never as a formula (a note like '=1+1' stays text)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _held(held: dict[str, float] | None) -> str:
    """Seconds held in view by stretch, as ``slug=seconds`` words ("" when the camera was off)."""
    return "" if held is None else " ".join(f"{slug}={num(round(n))}" for slug, n in held.items())


@contextmanager
def replacing(path: str | os.PathLike[str], mode: str = "w") -> Iterator[tuple[Path, Any]]:
    """Write to a temporary file beside ``path`` and move it into place only when complete."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        if "b" in mode:
            with os.fdopen(fd, mode) as f:
                yield target, f
        else:
            with os.fdopen(fd, mode, encoding="utf-8", newline="") as f:
                yield target, f
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_sessions_csv(
    sessions: Sequence[SessionRecord], path: str | os.PathLike[str], decisions: Sequence[Decision] = ()
) -> Path:
    """Write sessions to CSV (UTF-8, one row each, a header row first) and return the path.

    Each decision on a suggestion goes with the last session it was made from.
    """
    decided: dict[int, list[str]] = {}
    for d in decisions:
        decided.setdefault(max(d.evidence), []).append(
            f"{d.decision}: {d.change}" if d.change else d.decision
        )
    with replacing(path) as (target, f):
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        for s in sessions:
            writer.writerow(
                [
                    s.id,
                    s.started_at.isoformat(timespec="seconds"),
                    _cell(s.routine),
                    " ".join(s.techniques),
                    s.status,
                    "" if s.done is None else " ".join(s.done),
                    " ".join(s.skipped),
                    f"{s.minutes:.2f}",
                    num(round(s.duration_seconds, 1)),
                    "" if s.planned_seconds is None else num(s.planned_seconds),
                    "" if s.pain_before is None else s.pain_before,
                    "" if s.pain_after is None else s.pain_after,
                    "" if s.pain_change is None else s.pain_change,
                    _cell(s.note),
                    _cell("; ".join(decided.get(s.id, []))),
                    _held(s.held_in_view),
                ]
            )
    return target


def write_goal_csv(ratings: Sequence[GoalRating], path: str | os.PathLike[str], scale: GoalScale) -> Path:
    """Write the everyday goal's ratings to CSV (UTF-8, one row each, a header row first)."""
    words = f"{scale.low_anchor}; {scale.high_anchor}"
    with replacing(path) as (target, f):
        writer = csv.writer(f)
        writer.writerow(GOAL_CSV_COLUMNS)
        for r in ratings:
            writer.writerow([r.at.isoformat(timespec="seconds"), _cell(r.activity), r.rating, words])
    return target
