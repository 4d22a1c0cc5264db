"""The practice journal a learner uses: the journal's storage, plus routines, charts and CSV.

:class:`~stretchkit.journal.JournalStore` only stores; this :class:`Journal` adds what a
lesson does with the records (record a :class:`~stretchkit.routine.Routine`, draw the
charts, export CSV), so storage never depends on routines, matplotlib or files it writes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .charts import Chart, goal_chart, minutes_chart, pain_chart, streak_chart
from .course import Course
from .export import replacing, write_goal_csv, write_sessions_csv
from .journal import JournalStore, SessionRecord, data_dir
from .routine import Routine

__all__ = ["ROUTINE_FILE", "Journal", "keep_routine", "kept_routine", "kept_routine_path"]

#: The routine a learner last built or accepted (lesson 08), kept beside their journal so the
#: routine builder starts from it on their next visit (in the site too: the browser keeps it).
ROUTINE_FILE = "my-routine.toml"


def kept_routine_path() -> Path:
    """Where :func:`keep_routine` keeps the learner's routine: beside ``Journal()``'s file."""
    return data_dir() / ROUTINE_FILE


def kept_routine(course: Course | None = None) -> tuple[Routine | None, str]:
    """(the learner's kept routine, ''); (None, '') when they have kept none; (None, why, in one
    line) when the file cannot be read as a routine of ``course``: it is left as it is until the
    learner makes another routine."""
    path = kept_routine_path()
    if not path.is_file():
        return None, ""
    try:
        return Routine.load(path, course=course), ""
    except (OSError, ValueError) as exc:  # ContentError is a ValueError
        return None, f"your saved routine ({path.name}) could not be read: {exc}"


def keep_routine(routine: Routine) -> Path:
    """Keep ``routine`` as the learner's own (whole or not at all: written beside, then moved)."""
    if not isinstance(routine, Routine):
        raise TypeError(f"routine must be a Routine, got {routine!r}")
    with replacing(kept_routine_path()) as (target, f):
        f.write(routine.to_toml())
    return target


class Journal(JournalStore):
    """A learner's practice journal, stored in one SQLite file.

    ``Journal()`` uses ``$STRETCHKIT_HOME/journal.sqlite3`` (else the per-user data folder);
    nothing is created until the first write. An existing file is checked on open and
    migrated forward if it is from an older version.
    """

    def record_session(self, *, routine: Routine | str, **fields: Any) -> SessionRecord:
        """Record one completed session (see :meth:`JournalStore.record_session` for the fields).

        ``routine`` is a :class:`~stretchkit.Routine` (its title, techniques and settings are
        kept) or just a name; ``techniques`` defaults to the routine's.
        """
        if isinstance(routine, Routine):
            fields["routine_data"] = routine.to_dict()
            if fields.get("techniques") is None:
                fields["techniques"] = routine.techniques
            routine = routine.title
        return super().record_session(routine=routine, **fields)

    def export_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write every session to a CSV file (one row each, with the decisions on the suggestions
        made from it) and return its path."""
        return write_sessions_csv(self.sessions(), path, self.decisions())

    def export_goal_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write the everyday goal's ratings to a CSV file (one row each) and return its path."""
        scale = self.course.goal
        if scale is None:
            raise ValueError("goal: this course has no goal scale (a [goal] table in its content)")
        return write_goal_csv(self.goal_ratings(), path, scale)

    def goal_chart(self, **options: Any) -> Chart:
        """The everyday goal's ratings over time, beside pain on the same dates."""
        return goal_chart(self, **options)

    def minutes_chart(self, by: str = "day", **options: Any) -> Chart:
        """Bar chart of minutes stretched per day or week (see :func:`stretchkit.charts.minutes_chart`)."""
        return minutes_chart(self, by=by, **options)

    def pain_chart(self, **options: Any) -> Chart:
        """Pain before versus after each session, with the 2-point change marked."""
        return pain_chart(self, **options)

    def streak_chart(self, **options: Any) -> Chart:
        """Calendar of practice days with the current streak."""
        return streak_chart(self, **options)
