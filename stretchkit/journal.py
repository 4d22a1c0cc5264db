"""The practice journal's storage: completed sessions and quiz answers in a local SQLite file.

Storage only: sessions and quiz answers go in, records come out. It imports nothing of
the package but ``content`` and ``journal_file``; routines, charts and CSV are added on
top by :class:`stretchkit.practice.Journal`, the journal a learner uses.

Here are the records, where the file lives, and the checks of every input, made before
anything touches the file. The file itself (opening it, refusing foreign ones, the schema
and its migrations, and the browser-only site's in-memory snapshot) is
:mod:`stretchkit.journal_file`'s; its marks (``SCHEMA_VERSION``, ``APPLICATION_ID``,
``MIGRATIONS``, ``SQLITE_HEADER``) and :class:`JournalError` are named here too.
"""

from __future__ import annotations

import inspect
import json
import os
import sqlite3
import sys
import traceback
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Self

from .content import load_course
from .course import SUGGESTION_RULES, Course, is_number
from .journal_file import APPLICATION_ID as APPLICATION_ID
from .journal_file import MIGRATIONS as MIGRATIONS
from .journal_file import SCHEMA_VERSION, JournalError, JournalFile
from .journal_file import SQLITE_HEADER as SQLITE_HEADER

__all__ = [
    "ACCEPTED",
    "COMPLETE",
    "DISMISSED",
    "FINISHED",
    "MAX_ACTIVITY",
    "OPENED",
    "PARTIAL",
    "SCHEMA_VERSION",
    "Decision",
    "GoalRating",
    "JournalError",
    "JournalStore",
    "LessonEvent",
    "QuizAnswer",
    "SessionRecord",
    "data_dir",
    "default_path",
    "longest_streak_of",
    "streak_of",
]

#: Name of the journal file inside the data folder.
FILENAME = "journal.sqlite3"
#: Environment variable that moves the data folder (tests, shared classroom machines).
HOME_ENV = "STRETCHKIT_HOME"
#: A session's status: every stretch done, or some of them skipped.
COMPLETE, PARTIAL = "complete", "partial"
#: What the journal notes about a lesson: its first cell ran, or its recap did.
OPENED, FINISHED = "opened", "finished"
#: What a learner did with a "next time" suggestion.
ACCEPTED, DISMISSED = "accepted", "dismissed"
#: The most sessions one suggestion is made from (its evidence): a sanity bound, not a rule.
MAX_EVIDENCE = 1000
#: Longest session we accept: a day. Anything longer is a clock or unit mistake.
MAX_DURATION = 24 * 60 * 60
MAX_NOTE = 2000
MAX_NAME = 200
#: The longest everyday activity a goal may name: a few words ("putting on my socks"), not a note.
MAX_ACTIVITY = 200
#: In the browser (Pyodide) the journal's file is a snapshot: the live database is kept in
#: memory and saved whole after each write (see :class:`~stretchkit.journal_file.JournalFile`).
SNAPSHOT = sys.platform == "emscripten"
#: The site's journal folder, in the notebook folder that the browser keeps (IndexedDB).
BROWSER_DATA = Path("/drive/my-files/journal")


def data_dir() -> Path:
    """The per-user data folder: ``$STRETCHKIT_HOME``, else the platform's usual place."""
    override = os.environ.get(HOME_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    if sys.platform == "emscripten":  # the browser-only site: the home folder is lost on reload
        return BROWSER_DATA
    home = Path.home()
    if sys.platform == "win32":  # pragma: no cover - platform specific
        base = os.environ.get("APPDATA") or str(home / "AppData" / "Roaming")
        return Path(base) / "stretchkit"
    if sys.platform == "darwin":  # pragma: no cover - platform specific
        return home / "Library" / "Application Support" / "stretchkit"
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    return (Path(xdg) if xdg else home / ".local" / "share") / "stretchkit"


def default_path() -> Path:
    """Where ``Journal()`` keeps its file when no path is given."""
    return data_dir() / FILENAME


@dataclass(frozen=True)
class SessionRecord:
    """One completed practice session as stored in the journal."""

    id: int
    started_at: datetime
    routine: str
    techniques: tuple[str, ...]
    duration_seconds: float
    planned_seconds: float | None = None
    pain_before: int | None = None
    pain_after: int | None = None
    note: str = ""
    #: The techniques done, and those skipped, in routine order; ``done`` is None for a
    #: session recorded before the journal kept this (schema version 2 or older).
    done: tuple[str, ...] | None = None
    skipped: tuple[str, ...] = ()
    #: The routine's settings as played (``Routine.to_dict()`` as JSON), '' when not kept.
    routine_data: str = ""
    #: Seconds the camera check saw the learner in position, by technique slug (in routine
    #: order); None when the camera was not on (and for a session recorded before schema 5).
    held_in_view: dict[str, float] | None = None

    @property
    def status(self) -> str:
        """'complete' (every stretch done), 'partial' (some skipped) or '' (not known: an older entry)."""
        if self.done is None:
            return ""
        return PARTIAL if self.skipped else COMPLETE

    @property
    def partial(self) -> bool:
        return self.status == PARTIAL

    @property
    def minutes(self) -> float:
        return self.duration_seconds / 60

    @property
    def day(self) -> date:
        return self.started_at.date()

    @property
    def pain_change(self) -> int | None:
        """Pain after minus pain before (negative is relief), or None if either is missing."""
        if self.pain_before is None or self.pain_after is None:
            return None
        return self.pain_after - self.pain_before


@dataclass(frozen=True)
class QuizAnswer:
    """One answer given in a quiz, right or wrong, and when."""

    quiz_id: str
    question_id: str
    question: str
    choice: tuple[str, ...]
    correct: bool
    at: datetime
    #: Which pass through the quiz this answer belongs to ('' for answers saved before
    #: the journal kept it), so a score can count each question's first check in a run.
    run: str = ""


@dataclass(frozen=True)
class Decision:
    """What a learner did with a "next time" suggestion (``decision``: accepted or dismissed):
    its rule (one of ``SUGGESTION_RULES``), the stretch ('' for the whole routine), the ids of
    the sessions it was made from (``evidence``), the change it proposed in words, and when."""

    rule: str
    technique: str
    evidence: tuple[int, ...]
    decision: str
    change: str
    at: datetime


@dataclass(frozen=True)
class LessonEvent:
    """A lesson opened or finished (``event``), and when: lesson 00 says where to go on from these."""

    lesson: str
    event: str
    at: datetime


@dataclass(frozen=True)
class GoalRating:
    """One rating of the learner's everyday goal: the activity as they named it then, how well
    they can do it on the course's goal scale (``[goal]``: 0 cannot, 10 as well as before), and when."""

    activity: str
    rating: int
    at: datetime


#: Marks an argument that was not given (so None can mean "not recorded").
_KEEP: Any = object()


# --- change callbacks ------------------------------------------------------------------

#: Callbacks per journal file (resolved path), called after each write.
_LISTENERS: dict[Path, list[Callable[[], Callable[[], None] | None]]] = {}


def _key(path: Path) -> Path:
    return path.expanduser().resolve()


def _notify(path: Path) -> None:
    """Tell the file's listeners it changed; a failing listener never undoes or hides the write."""
    refs = _LISTENERS.get(_key(path), [])
    refs[:] = [ref for ref in refs if ref() is not None]
    for ref in list(refs):
        callback = ref()
        if callback is None:
            continue
        try:
            callback()
        except Exception:
            traceback.print_exc()


# --- validation (before any write) -----------------------------------------------------


def _check_pain(name: str, value: object, course: Course) -> int | None:
    if value is None:
        return None
    return _check_whole(name, value, course.pain_scale.lowest, course.pain_scale.highest)


def _check_whole(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}")
    return value


def _check_seconds(name: str, value: object, *, optional: bool = False) -> float | None:
    if value is None and optional:
        return None
    if not is_number(value) or not 0 < float(value) <= MAX_DURATION:  # type: ignore[arg-type]
        raise ValueError(
            f"{name} must be a positive number of seconds of at most {MAX_DURATION} (24 hours), got {value!r}"
        )
    return float(value)  # type: ignore[arg-type]


def _check_datetime(name: str, value: object) -> datetime:
    if not isinstance(value, datetime):
        raise ValueError(f"{name} must be a datetime (date and time), got {value!r}")
    return value


def _check_text(name: str, value: object, *, limit: int, required: bool) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, got {value!r}")
    text = value.strip()
    if required and not text:
        raise ValueError(f"{name} must not be empty")
    if len(text) > limit:
        raise ValueError(f"{name} must be at most {limit} characters, got {len(text)}")
    return text


def _check_techniques(value: object, course: Course) -> tuple[str, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ValueError(f"techniques must be a list of technique slugs, got {value!r}")
    slugs = tuple(value)
    if not slugs:
        raise ValueError("techniques must name at least one technique")
    if len(set(slugs)) != len(slugs):
        raise ValueError(f"techniques must name each technique once, got {list(slugs)!r}")
    known = [t.slug for t in course.practised]
    for slug in slugs:
        if slug not in known:
            raise ValueError(f"techniques: unknown technique {slug!r} (known: {', '.join(known)})")
    return slugs


def _check_lesson(value: object, course: Course) -> str:
    """A lesson's key: one of the course-wide topics or a stretch's slug (as ``see`` names them)."""
    known = course.lesson_keys
    if not isinstance(value, str) or value not in known:
        raise ValueError(f"lesson: unknown lesson {value!r} (known: {', '.join(known)})")
    return value


def _check_held(value: object, techniques: tuple[str, ...]) -> dict[str, float] | None:
    """Seconds held in view by slug, each one of ``techniques``, in their order (None: camera off)."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValueError(f"held_in_view must map technique slugs to seconds, got {value!r}")
    for slug, seconds in value.items():
        if slug not in techniques:
            raise ValueError(
                f"held_in_view: {slug!r} is not one of this session's techniques ({', '.join(techniques)})"
            )
        if not is_number(seconds) or not 0 <= float(seconds) <= MAX_DURATION:
            raise ValueError(
                f"held_in_view[{slug!r}] must be seconds from 0 to {MAX_DURATION} (24 hours), got {seconds!r}"
            )
    return {t: float(value[t]) for t in techniques if t in value}


def _check_done(value: object, techniques: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(done, skipped) in the session's order: ``done`` lists some of ``techniques`` (None: all)."""
    if value is None:
        return techniques, ()
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ValueError(f"done must be a list of the technique slugs done, got {value!r}")
    done = list(value)
    for slug in done:
        if slug not in techniques:
            raise ValueError(
                f"done: {slug!r} is not one of this session's techniques ({', '.join(techniques)})"
            )
    if len(set(done)) != len(done):
        raise ValueError(f"done must name each technique once, got {done!r}")
    if not done:
        raise ValueError(
            "done must name at least one technique: "
            "a session in which every stretch was skipped is not recorded"
        )
    return tuple(t for t in techniques if t in done), tuple(t for t in techniques if t not in done)


# --- the journal -----------------------------------------------------------------------


class JournalStore:
    """A learner's practice journal, stored in one SQLite file.

    ``JournalStore()`` uses ``$STRETCHKIT_HOME/journal.sqlite3`` (else the per-user data folder);
    nothing is created until the first write. An existing file is checked on open and
    migrated forward if it is from an older version.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, course: Course | None = None) -> None:
        self.path = Path(path).expanduser() if path is not None else default_path()
        self._course = course
        self._file = JournalFile(self.path, snapshot=SNAPSHOT)
        if self.path.exists():
            self._file.open()

    # -- lifecycle ----------------------------------------------------------------------

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file; the journal reopens it on next use."""
        self._file.close()

    @property
    def course(self) -> Course:
        if self._course is None:
            self._course = load_course()
        return self._course

    @property
    def _conn(self) -> sqlite3.Connection | None:
        """The file's open connection, if any (the browser test checks it is in memory)."""
        return self._file.connection

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (see :meth:`JournalFile.write`), then the file's listeners hear of it."""
        with self._file.write() as conn:
            yield conn
        _notify(self.path)

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` after every write to this journal's file, from any ``JournalStore``
        open on it in this kernel (a chart view hears the guided session's save).

        A bound method is held weakly, so a view that is gone stops listening."""
        if not callable(callback):
            raise TypeError(f"callback must be callable, got {callback!r}")
        ref = weakref.WeakMethod(callback) if inspect.ismethod(callback) else (lambda: callback)
        _LISTENERS.setdefault(_key(self.path), []).append(ref)

    # -- sessions -----------------------------------------------------------------------

    def record_session(
        self,
        *,
        routine: str,
        started_at: datetime,
        duration_seconds: float,
        techniques: Sequence[str] | None = None,
        pain_before: int | None = None,
        pain_after: int | None = None,
        note: str = "",
        planned_seconds: float | None = None,
        routine_data: Mapping[str, Any] | None = None,
        done: Sequence[str] | None = None,
        held_in_view: Mapping[str, float] | None = None,
    ) -> SessionRecord:
        """Record one session; everything is checked first, then written in one go.

        ``routine`` is the routine's name and ``routine_data`` its settings as plain data
        (kept so a session can be replayed). ``duration_seconds`` is the time actually
        spent, ``planned_seconds`` the routine's nominal length. ``done`` lists the
        techniques done (default: all of them); the others are kept as skipped and the
        session counts as partial. Pain ratings use the 0-10 numeric rating scale and may
        be left out. ``held_in_view`` is the seconds the camera check saw the learner in
        position, by technique slug (None: the camera was not on); never an image.
        """
        if not isinstance(routine, str):
            raise ValueError(f"routine must be a Routine or a routine name, got {routine!r}")
        name = _check_text("routine", routine, limit=MAX_NAME, required=True)
        if techniques is None:
            raise ValueError("techniques must be given when routine is a name rather than a Routine")
        data = "" if routine_data is None else json.dumps(dict(routine_data), sort_keys=True)
        slugs = _check_techniques(techniques, self.course)
        done_slugs, skipped = _check_done(done, slugs)
        record = SessionRecord(
            id=0,
            started_at=_check_datetime("started_at", started_at),
            routine=name,
            techniques=slugs,
            done=done_slugs,
            skipped=skipped,
            duration_seconds=_check_seconds("duration_seconds", duration_seconds) or 0.0,
            planned_seconds=_check_seconds("planned_seconds", planned_seconds, optional=True),
            pain_before=_check_pain("pain_before", pain_before, self.course),
            pain_after=_check_pain("pain_after", pain_after, self.course),
            note=_check_text("note", note, limit=MAX_NOTE, required=False),
            routine_data=data,
            held_in_view=_check_held(held_in_view, slugs),
        )
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO sessions (started_at, routine, techniques, duration_seconds, pain_before,"
                " pain_after, note, planned_seconds, routine_data, done, skipped, held_in_view)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.started_at.isoformat(timespec="seconds"),
                    record.routine,
                    json.dumps(list(record.techniques)),
                    record.duration_seconds,
                    record.pain_before,
                    record.pain_after,
                    record.note,
                    record.planned_seconds,
                    data,
                    json.dumps(list(done_slugs)),
                    json.dumps(list(skipped)),
                    _held_json(record.held_in_view),
                ),
            )
            new_id = cur.lastrowid
        assert new_id is not None
        return replace(record, id=new_id)

    def update_session(
        self,
        session_id: int,
        *,
        pain_before: int | None = _KEEP,
        pain_after: int | None = _KEEP,
        note: str = _KEEP,
        held_in_view: Mapping[str, float] | None = _KEEP,
    ) -> SessionRecord:
        """Change a recorded session's pain ratings, note or seconds held in view; fields not
        given stay as they are.

        The guided session saves on completion, then uses this for pain after and a note (and
        for the camera check's seconds, should they reach Python after the run's report).
        """
        if isinstance(session_id, bool) or not isinstance(session_id, int):
            raise ValueError(f"session_id must be a whole number, got {session_id!r}")
        changes: dict[str, object] = {}
        if pain_before is not _KEEP:
            changes["pain_before"] = _check_pain("pain_before", pain_before, self.course)
        if pain_after is not _KEEP:
            changes["pain_after"] = _check_pain("pain_after", pain_after, self.course)
        if note is not _KEEP:
            changes["note"] = _check_text("note", note, limit=MAX_NOTE, required=False)
        if held_in_view is not _KEEP:
            try:
                techniques = self.session(session_id).techniques
            except KeyError:
                raise ValueError(f"session_id {session_id} is not in the journal") from None
            changes["held_in_view"] = _held_json(_check_held(held_in_view, techniques))
        if not changes:
            return self.session(session_id)
        assignments = ", ".join(f"{name} = ?" for name in changes)  # names from the fixed list above
        with self._write() as conn:
            cur = conn.execute(
                f"UPDATE sessions SET {assignments} WHERE id = ?", (*changes.values(), session_id)
            )
            if cur.rowcount != 1:
                raise ValueError(f"session_id {session_id} is not in the journal")
        return self.session(session_id)

    def session(self, session_id: int) -> SessionRecord:
        """The session with this id (KeyError if there is none)."""
        rows = self._file.rows(f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise KeyError(f"no session {session_id} in {self.path}")
        return _session(rows[0])

    def sessions(self) -> list[SessionRecord]:
        """Every recorded session, oldest first."""
        rows = self._file.rows(f"SELECT {_SESSION_COLUMNS} FROM sessions ORDER BY started_at, id")
        return [_session(r) for r in rows]

    def minutes_per_day(self) -> dict[date, float]:
        """Minutes stretched on each day that has a session, in date order."""
        totals: dict[date, float] = {}
        for s in self.sessions():
            totals[s.day] = totals.get(s.day, 0.0) + s.minutes
        return dict(sorted(totals.items()))

    def minutes_per_week(self) -> dict[date, float]:
        """Minutes stretched per week (keyed by the week's Monday), in date order."""
        totals: dict[date, float] = {}
        for day, minutes in self.minutes_per_day().items():
            monday = day - timedelta(days=day.weekday())
            totals[monday] = totals.get(monday, 0.0) + minutes
        return totals

    def streak(self, today: date | None = None) -> int:
        """Days in a row with a session, up to today (or yesterday, if today's is still to come).

        A partial session counts for its day like a complete one: a session is only kept
        when at least one stretch was done, and leaving out a stretch that hurts is right.
        Its minutes count only as the time actually spent.
        """
        return streak_of(set(self.minutes_per_day()), today or date.today())

    def longest_streak(self) -> int:
        """The most days in a row with a session, ever."""
        return longest_streak_of(set(self.minutes_per_day()))

    # -- quiz ---------------------------------------------------------------------------

    def record_quiz_answer(self, answer: QuizAnswer) -> None:
        """Keep one quiz answer, so a learner can see which questions to revisit.

        ``run`` names the pass through the quiz it was given in (a shuffle shown once).
        """
        qid = _check_text("quiz_id", answer.quiz_id, limit=MAX_NAME, required=True)
        question_key = _check_text("question_id", answer.question_id, limit=MAX_NAME, required=True)
        text = _check_text("question", answer.question, limit=MAX_NOTE, required=True)
        choice: Any = answer.choice
        if isinstance(choice, str) or not isinstance(choice, (list, tuple)):
            raise ValueError(f"choice must be a list of the chosen answers, got {choice!r}")
        chosen = [_check_text(f"choice[{i}]", c, limit=MAX_NOTE, required=True) for i, c in enumerate(choice)]
        if not isinstance(answer.correct, bool):
            raise ValueError(f"correct must be True or False, got {answer.correct!r}")
        when = _check_datetime("at", answer.at)
        run_id = _check_text("run", answer.run, limit=MAX_NAME, required=False)
        with self._write() as conn:
            conn.execute(
                "INSERT INTO quiz_answers (quiz_id, question_id, question, choice, correct, answered_at, run)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    qid,
                    question_key,
                    text,
                    json.dumps(chosen),
                    int(answer.correct),
                    when.isoformat(timespec="seconds"),
                    run_id,
                ),
            )

    def quiz_history(self) -> list[QuizAnswer]:
        """Every quiz answer, oldest first."""
        rows = self._file.rows(
            "SELECT quiz_id, question_id, question, choice, correct, answered_at, run FROM quiz_answers"
            " ORDER BY answered_at, id"
        )
        return [
            QuizAnswer(
                quiz_id=r[0],
                question_id=r[1],
                question=r[2],
                choice=tuple(json.loads(r[3])),
                correct=bool(r[4]),
                at=datetime.fromisoformat(r[5]),
                run=r[6],
            )
            for r in rows
        ]

    # -- lessons --------------------------------------------------------------------------

    def record_lesson(self, lesson: str, event: str, at: datetime) -> LessonEvent:
        """Note that a lesson was opened (its first cell ran) or finished (its recap ran)."""
        key = _check_lesson(lesson, self.course)
        if event not in (OPENED, FINISHED):
            raise ValueError(f"event must be {OPENED!r} or {FINISHED!r}, got {event!r}")
        note = LessonEvent(key, event, _check_datetime("at", at))
        with self._write() as conn:
            conn.execute(
                "INSERT INTO lessons (lesson, event, at) VALUES (?, ?, ?)",
                (key, event, note.at.isoformat(timespec="seconds")),
            )
        return note

    def lesson_events(self) -> list[LessonEvent]:
        """Every lesson opened and finished, oldest first."""
        rows = self._file.rows("SELECT lesson, event, at FROM lessons ORDER BY at, id")
        return [LessonEvent(r[0], r[1], datetime.fromisoformat(r[2])) for r in rows]

    # -- suggestions ----------------------------------------------------------------------

    def record_decision(
        self,
        *,
        rule: str,
        technique: str,
        evidence: Sequence[int],
        decision: str,
        at: datetime,
        change: str = "",
    ) -> Decision:
        """Keep what the learner did with a "next time" suggestion (see :mod:`stretchkit.suggest`).

        ``evidence`` lists the ids of the sessions it was made from, each one in this journal;
        everything is checked first, and nothing is written if any of it is wrong.
        """
        if rule not in SUGGESTION_RULES:
            raise ValueError(f"rule must be one of {', '.join(SUGGESTION_RULES)}, got {rule!r}")
        known = [t.slug for t in self.course.practised]
        if technique != "" and technique not in known:
            raise ValueError(f"technique: unknown technique {technique!r} (known: {', '.join(known)})")
        ids = _check_evidence(evidence)
        if decision not in (ACCEPTED, DISMISSED):
            raise ValueError(f"decision must be {ACCEPTED!r} or {DISMISSED!r}, got {decision!r}")
        kept = Decision(
            rule,
            technique,
            ids,
            decision,
            _check_text("change", change, limit=MAX_NOTE, required=False),
            _check_datetime("at", at),
        )
        with self._write() as conn:
            marks = ", ".join("?" * len(ids))
            saved = {r[0] for r in conn.execute(f"SELECT id FROM sessions WHERE id IN ({marks})", ids)}
            missing = [i for i in ids if i not in saved]
            if missing:  # raised inside the transaction: it is rolled back, nothing is written
                raise ValueError(f"evidence: session {missing[0]} is not in the journal")
            conn.execute(
                "INSERT INTO suggestion_decisions (rule, technique, evidence, decision, change, at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    rule,
                    technique,
                    json.dumps(list(ids)),
                    decision,
                    kept.change,
                    kept.at.isoformat(timespec="seconds"),
                ),
            )
        return kept

    def decisions(self) -> list[Decision]:
        """Every decision on a suggestion, oldest first."""
        rows = self._file.rows(
            "SELECT rule, technique, evidence, decision, change, at FROM suggestion_decisions ORDER BY at, id"
        )
        return [
            Decision(r[0], r[1], tuple(json.loads(r[2])), r[3], r[4], datetime.fromisoformat(r[5]))
            for r in rows
        ]

    # -- the everyday goal ---------------------------------------------------------------

    def rate_goal(self, activity: str, rating: int, at: datetime) -> GoalRating:
        """Keep a rating of the learner's everyday goal: an activity back pain makes hard, and how
        well they can do it now, on the course's goal scale (``[goal]``, 0 to 10).

        The activity is the one rated last unless the learner names another: a new name starts a
        new line in the chart, and the earlier ratings stay under the name they had. Everything is
        checked first; nothing is written if any of it is wrong.
        """
        scale = self.course.goal
        if scale is None:
            raise ValueError("goal: this course has no goal scale (a [goal] table in its content)")
        name = " ".join(_check_text("activity", activity, limit=MAX_ACTIVITY, required=True).split())
        kept = GoalRating(
            name, _check_whole("rating", rating, scale.lowest, scale.highest), _check_datetime("at", at)
        )
        with self._write() as conn:
            conn.execute(
                "INSERT INTO goal_ratings (activity, rating, at) VALUES (?, ?, ?)",
                (kept.activity, kept.rating, kept.at.isoformat(timespec="seconds")),
            )
        return kept

    def goal_ratings(self) -> list[GoalRating]:
        """Every rating of the everyday goal, oldest first, each with its activity as named then."""
        rows = self._file.rows("SELECT activity, rating, at FROM goal_ratings ORDER BY at, id")
        return [GoalRating(r[0], r[1], datetime.fromisoformat(r[2])) for r in rows]

    def goal(self) -> str:
        """The everyday activity rated last ('' before the first rating)."""
        rows = self._file.rows("SELECT activity FROM goal_ratings ORDER BY at DESC, id DESC LIMIT 1")
        return str(rows[0][0]) if rows else ""


def _check_evidence(value: object) -> tuple[int, ...]:
    """The ids of the sessions a suggestion was made from: at least one, each a whole number once."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ValueError(f"evidence must be a list of session ids, got {value!r}")
    ids = tuple(value)
    if not ids or len(ids) > MAX_EVIDENCE:
        raise ValueError(f"evidence must list 1 to {MAX_EVIDENCE} session ids, got {len(ids)}")
    for i in ids:
        if isinstance(i, bool) or not isinstance(i, int) or i < 1:
            raise ValueError(f"evidence must list session ids (whole numbers from 1), got {i!r}")
    if len(set(ids)) != len(ids):
        raise ValueError(f"evidence must name each session once, got {list(ids)!r}")
    return ids


def streak_of(days: set[date], today: date) -> int:
    """Days in a row in ``days`` ending today, or yesterday when today has no session yet."""
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def longest_streak_of(days: set[date]) -> int:
    """The longest run of consecutive days in ``days``."""
    best = 0
    for d in days:
        if d - timedelta(days=1) not in days:
            run = 1
            while d + timedelta(days=run) in days:
                run += 1
            best = max(best, run)
    return best


_SESSION_COLUMNS = (
    "id, started_at, routine, techniques, duration_seconds, planned_seconds, pain_before, pain_after, note,"
    " done, skipped, routine_data, held_in_view"
)


def _held_json(held: Mapping[str, float] | None) -> str | None:
    return None if held is None else json.dumps(dict(held))


def _session(r: Sequence[Any]) -> SessionRecord:
    return SessionRecord(
        id=r[0],
        started_at=datetime.fromisoformat(r[1]),
        routine=r[2],
        techniques=tuple(json.loads(r[3])),
        duration_seconds=r[4],
        planned_seconds=r[5],
        pain_before=r[6],
        pain_after=r[7],
        note=r[8],
        done=None if r[9] is None else tuple(json.loads(r[9])),
        skipped=() if r[10] is None else tuple(json.loads(r[10])),
        routine_data=r[11],
        held_in_view=None if r[12] is None else dict(json.loads(r[12])),
    )
