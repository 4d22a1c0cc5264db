"""The practice journal's storage: completed sessions and quiz answers in a local SQLite file.

Storage only: sessions and quiz answers go in, records come out. It imports nothing of
the package but ``content``; routines, charts and CSV are added on top by
:class:`stretchkit.practice.Journal`, the journal a learner uses.

A learner's history is the one thing the course must never lose, so every write is one
transaction in WAL mode, input is checked before anything touches the file, and a file
that is not ours (or is newer than this code) is refused with a clear message and left
exactly as it was.

In the browser-only site (Pyodide, ``sys.platform == "emscripten"``) the notebook folder
``/drive`` is the browser's own storage, where SQLite cannot keep a live database
("database disk image is malformed", jupyterlite/pyodide-kernel#35). There the journal
is a snapshot: the live database is in memory, loaded from the file with
``Connection.deserialize()``, and after each write its ``serialize()``d bytes replace the
file (no WAL). The file is the same SQLite journal, checked and migrated the same way.
"""

from __future__ import annotations

import inspect
import json
import os
import sqlite3
import sys
import threading
import time
import traceback
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Self, TypeVar

from .content import Course, is_number, load_course

__all__ = [
    "COMPLETE",
    "PARTIAL",
    "SCHEMA_VERSION",
    "JournalError",
    "JournalStore",
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
#: The schema version this code writes; older files are migrated forward on open.
SCHEMA_VERSION = 3
#: SQLite ``application_id`` stamped into every journal ("STRK"), so we can tell ours from others.
APPLICATION_ID = 0x5354524B
#: The numeric rating scale runs from 0 (no pain) to 10 (worst imaginable); see course.pain_scale.
PAIN_MIN, PAIN_MAX = 0, 10
#: A session's status: every stretch done, or some of them skipped.
COMPLETE, PARTIAL = "complete", "partial"
#: Longest session we accept: a day. Anything longer is a clock or unit mistake.
MAX_DURATION = 24 * 60 * 60
MAX_NOTE = 2000
MAX_NAME = 200
BUSY_TIMEOUT_MS = 10_000
#: In the browser (Pyodide) the live database is kept in memory and saved whole after each write.
SNAPSHOT = sys.platform == "emscripten"
#: The site's journal folder, in the notebook folder that the browser keeps (IndexedDB).
BROWSER_DATA = Path("/drive/my-files/journal")
SQLITE_HEADER = b"SQLite format 3\x00"


class JournalError(ValueError):
    """The journal file cannot be used; the message says what was found and where."""


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


# --- schema ----------------------------------------------------------------------------

#: Version 1: sessions only. Kept verbatim: new files are created as v1 and migrated, so
#: the migration path that old journals take is the one every new journal takes too.
_V1 = (
    """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at TEXT NOT NULL,
        routine TEXT NOT NULL,
        techniques TEXT NOT NULL,
        duration_seconds REAL NOT NULL CHECK (duration_seconds > 0),
        pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
        pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10)
    )""",
    f"PRAGMA application_id = {APPLICATION_ID}",
    "PRAGMA user_version = 1",
)

#: Forward migrations: MIGRATIONS[n] takes a version-n journal to version n+1.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "ALTER TABLE sessions ADD COLUMN note TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE sessions ADD COLUMN planned_seconds REAL",
        "ALTER TABLE sessions ADD COLUMN routine_data TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX sessions_by_start ON sessions (started_at)",
        """CREATE TABLE quiz_answers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            quiz_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            question TEXT NOT NULL,
            choice TEXT NOT NULL,
            correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
            answered_at TEXT NOT NULL
        )""",
        "PRAGMA user_version = 2",
    ),
    # Sessions: the techniques done and skipped (JSON lists of slugs); NULL in sessions recorded
    # before, whose time was the routine's nominal length, not what was spent.
    2: (
        "ALTER TABLE sessions ADD COLUMN done TEXT",
        "ALTER TABLE sessions ADD COLUMN skipped TEXT",
        # Which pass through a quiz an answer belongs to: scores count first checks per pass.
        "ALTER TABLE quiz_answers ADD COLUMN run TEXT NOT NULL DEFAULT ''",
        "PRAGMA user_version = 3",
    ),
}

_OUR_TABLES = {"sessions"}


#: Marks an argument that was not given (so None can mean "not recorded").
_KEEP: Any = object()
_ADVICE = "The file was left untouched; move it aside or pass another path to Journal(path=...)."
_T = TypeVar("_T")


def _foreign(path: Path, tables: Sequence[str], app_id: int) -> JournalError:
    found = f"tables: {', '.join(tables)}" if tables else "none of the journal's tables"
    return JournalError(
        f"{path} is not a stretchkit journal: it is a SQLite database from another application "
        f"({found}; application id {app_id}). {_ADVICE}"
    )


def _check_version(path: Path, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise JournalError(
            f"{path} was written by a newer version of stretchkit (journal schema version {version}; "
            f"this version reads up to {SCHEMA_VERSION}). The file was left untouched; "
            "upgrade stretchkit to open it."
        )


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL, retrying while another process does the same: that switch ignores busy_timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _create_private(path: Path) -> None:
    """Create the journal's folder (0700) and an empty file (0600) if missing: private to the learner.

    On a shared machine or a JupyterHub every learner's journal stays theirs. SQLite gives
    the -wal and -shm files the main file's permissions. A folder or file that already
    exists is left as it is, so one shared on purpose stays shared.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with suppress(FileExistsError):  # another process (or an earlier run) created it first
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


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


def _snapshot(path: Path, **options: Any) -> sqlite3.Connection:
    """An in-memory database holding the file's contents (an empty one for a new or empty file)."""
    conn: sqlite3.Connection = sqlite3.connect(":memory:", **options)
    data = path.read_bytes() if path.is_file() else b""
    if data:
        try:
            conn.deserialize(data)
        except BaseException:
            conn.close()
            raise
    return conn


def _save_snapshot(conn: sqlite3.Connection, path: Path) -> None:
    """Replace the file with the in-memory database, whole: written beside it, then renamed over it."""
    data = conn.serialize()
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    spare = path.with_name(path.name + ".saving")
    spare.write_bytes(data)
    os.replace(spare, path)


def _describe_bytes(head: bytes) -> str:
    text = head[:40]
    if text and all(32 <= b < 127 or b in (9, 10, 13) for b in text):
        return f"text starting {text.decode('ascii').strip()!r}"
    return f"binary data starting {text[:8].hex(' ')}"


# --- validation (before any write) -----------------------------------------------------


def _check_pain(name: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not PAIN_MIN <= value <= PAIN_MAX:
        raise ValueError(f"{name} must be a whole number from {PAIN_MIN} to {PAIN_MAX}, got {value!r}")
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
    known = [t.slug for t in course.all_techniques]
    for slug in slugs:
        if slug not in known:
            raise ValueError(f"techniques: unknown technique {slug!r} (known: {', '.join(known)})")
    return slugs


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
        self._conn: sqlite3.Connection | None = None
        # One connection, used from the kernel's main thread and its widget-message thread:
        # the lock keeps each transaction (and each read) whole.
        self._lock = threading.RLock()
        if self.path.exists():
            self._open()

    # -- lifecycle ----------------------------------------------------------------------

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file; the journal reopens it on next use."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @property
    def course(self) -> Course:
        if self._course is None:
            self._course = load_course()
        return self._course

    def _inspect(self) -> None:
        """Refuse anything that is not a stretchkit journal we can read, without writing to it.

        The SQLite header says whose file it is (``application_id``), so a foreign file is
        recognised from its first 100 bytes; only an unlabelled one is opened, immutably
        (no locks, no -wal/-shm files), to see whether it has tables.
        """
        p = self.path
        if not p.exists():
            return  # created on first write
        if p.is_dir():
            raise JournalError(f"{p} is a folder, not a journal file; pass a file path to Journal(path=...)")
        try:
            with p.open("rb") as f:
                head = f.read(100)
        except OSError as exc:
            raise JournalError(f"{p} cannot be read: {exc.strerror or exc}") from None
        if not head:
            return  # an empty file: SQLite treats it as a new database
        if not head.startswith(SQLITE_HEADER):
            raise JournalError(
                f"{p} is not a stretchkit journal: it is not a SQLite database "
                f"(found {_describe_bytes(head)}). {_ADVICE}"
            )
        if len(head) < 100:
            raise JournalError(f"{p} is a damaged SQLite database (shorter than its own header). {_ADVICE}")
        app_id = int.from_bytes(head[68:72], "big")
        if app_id == 0:
            try:
                tables = self._query(self._tables, immutable=True)
            except JournalError:  # perhaps caught mid-checkpoint by another writer: read it properly
                tables = self._query(self._tables)
            if tables:
                raise _foreign(p, tables, app_id)
            return  # an empty database: safe to set up
        if app_id != APPLICATION_ID:
            raise _foreign(p, [], app_id)
        version, tables, check = self._query(
            lambda c: (
                c.execute("PRAGMA user_version").fetchone()[0],
                self._tables(c),
                c.execute("PRAGMA quick_check").fetchone()[0],
            )
        )
        if check != "ok":
            raise JournalError(f"{p} is a damaged SQLite database (integrity check: {check}). {_ADVICE}")
        _check_version(p, version)
        if not set(tables) >= _OUR_TABLES:
            raise _foreign(p, tables, app_id)

    @staticmethod
    def _tables(conn: sqlite3.Connection) -> list[str]:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return sorted(r[0] for r in rows if not r[0].startswith("sqlite_"))

    def _query(self, read: Callable[[sqlite3.Connection], _T], *, immutable: bool = False) -> _T:
        """Read from the file through a read-only connection; SQLite errors mean a damaged file."""
        uri = f"{self.path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
        try:
            conn = _snapshot(self.path) if SNAPSHOT else sqlite3.connect(uri, uri=True)
            try:
                return read(conn)
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            raise JournalError(f"{self.path} is a damaged SQLite database ({exc}). {_ADVICE}") from None

    def _open(self) -> sqlite3.Connection:
        """Check the file, open it for writing, and bring its schema up to date."""
        if self._conn is not None:
            return self._conn
        self._inspect()
        # A kernel may deliver widget messages (a quiz answer, a finished session) on another
        # thread than the one that opened the journal; the sqlite3 module is serialized, so
        # sharing the connection is safe, and each write is still one transaction.
        if SNAPSHOT:
            conn = _snapshot(self.path, isolation_level=None, check_same_thread=False)
        else:
            conn = sqlite3.connect(
                self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not SNAPSHOT:
                _enable_wal(conn)
            conn.execute("PRAGMA synchronous = FULL")
            self._migrate(conn, self.path)
            if SNAPSHOT:
                _save_snapshot(conn, self.path)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise JournalError(f"{self.path} could not be opened as a journal: {exc}") from None
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        return conn

    @classmethod
    def _migrate(cls, conn: sqlite3.Connection, path: Path) -> None:
        """Create or upgrade the schema in one transaction (another process may race us).

        Everything is checked again inside the transaction, since the file may have
        changed since :meth:`_inspect` looked at it.
        """
        if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            _check_version(path, version)
            if version == 0:
                tables = cls._tables(conn)
                if tables or app_id:
                    raise _foreign(path, tables, app_id)
                for statement in _V1:
                    conn.execute(statement)
                version = 1
            elif app_id != APPLICATION_ID:
                raise _foreign(path, cls._tables(conn), app_id)
            while version < SCHEMA_VERSION:
                for statement in MIGRATIONS[version]:
                    conn.execute(statement)
                version += 1
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """Rows of a read; a journal that has never been written to has none."""
        with self._lock:
            if SNAPSHOT:
                self.close()  # another JournalStore in this kernel may have saved since: read it afresh
            if self._conn is None and self.path.exists():
                self._open()
            if self._conn is None:
                return []
            return self._conn.execute(sql, params).fetchall()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; the folder and file are created on the first write."""
        with self._lock:
            if SNAPSHOT:
                self.close()  # write on top of the file as it is now, never on a stale copy
            if self._conn is None:
                _create_private(self.path)
            conn = self._open()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            if SNAPSHOT:
                _save_snapshot(conn, self.path)
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
    ) -> SessionRecord:
        """Record one session; everything is checked first, then written in one go.

        ``routine`` is the routine's name and ``routine_data`` its settings as plain data
        (kept so a session can be replayed). ``duration_seconds`` is the time actually
        spent, ``planned_seconds`` the routine's nominal length. ``done`` lists the
        techniques done (default: all of them); the others are kept as skipped and the
        session counts as partial. Pain ratings use the 0-10 numeric rating scale and may
        be left out.
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
            pain_before=_check_pain("pain_before", pain_before),
            pain_after=_check_pain("pain_after", pain_after),
            note=_check_text("note", note, limit=MAX_NOTE, required=False),
        )
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO sessions (started_at, routine, techniques, duration_seconds, pain_before,"
                " pain_after, note, planned_seconds, routine_data, done, skipped)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
    ) -> SessionRecord:
        """Change a recorded session's pain ratings or note; fields not given stay as they are.

        The guided session saves on completion, then uses this for pain after and a note.
        """
        if isinstance(session_id, bool) or not isinstance(session_id, int):
            raise ValueError(f"session_id must be a whole number, got {session_id!r}")
        changes: dict[str, object] = {}
        if pain_before is not _KEEP:
            changes["pain_before"] = _check_pain("pain_before", pain_before)
        if pain_after is not _KEEP:
            changes["pain_after"] = _check_pain("pain_after", pain_after)
        if note is not _KEEP:
            changes["note"] = _check_text("note", note, limit=MAX_NOTE, required=False)
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
        rows = self._rows(f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise KeyError(f"no session {session_id} in {self.path}")
        return _session(rows[0])

    def sessions(self) -> list[SessionRecord]:
        """Every recorded session, oldest first."""
        rows = self._rows(f"SELECT {_SESSION_COLUMNS} FROM sessions ORDER BY started_at, id")
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

    def record_quiz_answer(
        self,
        *,
        quiz_id: str,
        question_id: str,
        question: str,
        choice: list[str],
        correct: bool,
        at: datetime,
        run: str = "",
    ) -> None:
        """Keep one quiz answer, so a learner can see which questions to revisit.

        ``run`` names the pass through the quiz it was given in (a shuffle shown once).
        """
        qid = _check_text("quiz_id", quiz_id, limit=MAX_NAME, required=True)
        question_key = _check_text("question_id", question_id, limit=MAX_NAME, required=True)
        text = _check_text("question", question, limit=MAX_NOTE, required=True)
        if isinstance(choice, str) or not isinstance(choice, (list, tuple)):
            raise ValueError(f"choice must be a list of the chosen answers, got {choice!r}")
        chosen = [_check_text(f"choice[{i}]", c, limit=MAX_NOTE, required=True) for i, c in enumerate(choice)]
        if not isinstance(correct, bool):
            raise ValueError(f"correct must be True or False, got {correct!r}")
        when = _check_datetime("at", at)
        run_id = _check_text("run", run, limit=MAX_NAME, required=False)
        with self._write() as conn:
            conn.execute(
                "INSERT INTO quiz_answers (quiz_id, question_id, question, choice, correct, answered_at, run)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    qid,
                    question_key,
                    text,
                    json.dumps(chosen),
                    int(correct),
                    when.isoformat(timespec="seconds"),
                    run_id,
                ),
            )

    def quiz_history(self) -> list[QuizAnswer]:
        """Every quiz answer, oldest first."""
        rows = self._rows(
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
    " done, skipped"
)


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
    )
