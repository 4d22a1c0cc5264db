"""The journal's file: opening the SQLite file, refusing foreign ones, migrating its schema.

:class:`~stretchkit.journal.JournalStore` keeps records; this module keeps the file they
live in, so the records' code never touches SQLite's pragmas, headers or schema history.
It imports nothing of the package.

A learner's history is the one thing the course must never lose, so every write is one
transaction in WAL mode, and a file that is not ours (or is newer than this code) is
refused with a one-line :class:`JournalError` naming it, and left exactly as it was.

In the browser-only site (Pyodide) the notebook folder ``/drive`` is the browser's own
storage, where SQLite cannot keep a live database ("database disk image is malformed",
jupyterlite/pyodide-kernel#35). There a :class:`JournalFile` is opened with
``snapshot=True``: the live database is in memory, loaded from the file with
``Connection.deserialize()``, and after each write its ``serialize()``d bytes replace the
file (no WAL). The file is the same SQLite journal, checked and migrated the same way.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

__all__ = [
    "APPLICATION_ID",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SQLITE_HEADER",
    "JournalError",
    "JournalFile",
]

#: The schema version this code writes; older files are migrated forward on open.
SCHEMA_VERSION = 7
#: SQLite ``application_id`` stamped into every journal ("STRK"), so we can tell ours from others.
APPLICATION_ID = 0x5354524B
#: How long a write waits for another process's transaction on the same file.
BUSY_TIMEOUT_MS = 10_000
SQLITE_HEADER = b"SQLite format 3\x00"


class JournalError(ValueError):
    """The journal file cannot be used; the message says what was found and where."""


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
    # The lessons a learner opened and finished (one row per event), so lesson 00 can say
    # where to go on and mark the lessons finished.
    3: (
        """CREATE TABLE lessons (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            lesson TEXT NOT NULL,
            event TEXT NOT NULL CHECK (event IN ('opened', 'finished')),
            at TEXT NOT NULL
        )""",
        "PRAGMA user_version = 4",
    ),
    # A learner's decisions on "next time" suggestions (accepted or dismissed), each with the
    # sessions it was made from (a JSON list of their ids), so the same suggestion is not
    # offered again for the same sessions.
    4: (
        """CREATE TABLE suggestion_decisions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            rule TEXT NOT NULL CHECK (rule IN ('easier', 'build-up', 'restart')),
            technique TEXT NOT NULL,
            evidence TEXT NOT NULL,
            decision TEXT NOT NULL CHECK (decision IN ('accepted', 'dismissed')),
            change TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL
        )""",
        "PRAGMA user_version = 5",
    ),
    # Sessions: the seconds the camera check saw the learner in position, by technique (a JSON
    # object of slugs to seconds); NULL when the camera was not on, and in sessions recorded before.
    5: (
        "ALTER TABLE sessions ADD COLUMN held_in_view TEXT",
        "PRAGMA user_version = 6",
    ),
    # A goal about life, not only pain: one everyday activity the learner names, rated 0-10 now
    # and then (one row per rating, with the activity as named then: a renamed activity keeps
    # its earlier ratings under its earlier name).
    6: (
        """CREATE TABLE goal_ratings (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            activity TEXT NOT NULL CHECK (length(activity) BETWEEN 1 AND 200),
            rating INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 10),
            at TEXT NOT NULL
        )""",
        "PRAGMA user_version = 7",
    ),
}

_OUR_TABLES = {"sessions"}
_ADVICE = "The file was left untouched; move it aside or pass another path to Journal(path=...)."
_T = TypeVar("_T")


# --- the file ---------------------------------------------------------------------------


class JournalFile:
    """One journal file and the one connection to it, opened on first use.

    A kernel may deliver widget messages (a quiz answer, a finished session) on another
    thread than the one that opened the journal; the sqlite3 module is serialized, so
    sharing the connection is safe, and a lock keeps each transaction (and each read) whole.
    Nothing is created until the first write. With ``snapshot`` (the browser-only site) the
    connection is to an in-memory copy, read afresh before each read and write (another
    journal in this kernel may have saved since) and saved whole after each write.
    """

    def __init__(self, path: Path, *, snapshot: bool) -> None:
        self.path = path
        self.snapshot = snapshot
        #: The open connection, or None until the file is opened (and after :meth:`close`).
        self.connection: sqlite3.Connection | None = None
        self._lock = threading.RLock()

    def close(self) -> None:
        """Close the connection; the file is opened again on next use."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def open(self) -> sqlite3.Connection:
        """Check the file, open it for writing, and bring its schema up to date."""
        if self.connection is not None:
            return self.connection
        _inspect(self.path, snapshot=self.snapshot)
        if self.snapshot:
            conn = _snapshot(self.path, isolation_level=None, check_same_thread=False)
        else:
            conn = sqlite3.connect(
                self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not self.snapshot:
                _enable_wal(conn)
            conn.execute("PRAGMA synchronous = FULL")
            _migrate(conn, self.path)
            if self.snapshot:
                _save_snapshot(conn, self.path)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise JournalError(f"{self.path} could not be opened as a journal: {exc}") from None
        except BaseException:
            conn.close()
            raise
        self.connection = conn
        return conn

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """Rows of a read; a journal that has never been written to has none."""
        with self._lock:
            if self.snapshot:
                self.close()  # another journal in this kernel may have saved since: read it afresh
            if self.connection is None and self.path.exists():
                self.open()
            if self.connection is None:
                return []
            return self.connection.execute(sql, params).fetchall()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; the folder and file are created on the first write."""
        with self._lock:
            if self.snapshot:
                self.close()  # write on top of the file as it is now, never on a stale copy
            if self.connection is None:
                _create_private(self.path)
            conn = self.open()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            if self.snapshot:
                _save_snapshot(conn, self.path)


# --- checking a file (before anything writes to it) ------------------------------------


def _inspect(path: Path, *, snapshot: bool) -> None:
    """Refuse anything that is not a stretchkit journal we can read, without writing to it.

    The SQLite header says whose file it is (``application_id``), so a foreign file is
    recognised from its first 100 bytes; only an unlabelled one is opened, immutably
    (no locks, no -wal/-shm files), to see whether it has tables.
    """
    if not path.exists():
        return  # created on first write
    if path.is_dir():
        raise JournalError(f"{path} is a folder, not a journal file; pass a file path to Journal(path=...)")
    try:
        with path.open("rb") as f:
            head = f.read(100)
    except OSError as exc:
        raise JournalError(f"{path} cannot be read: {exc.strerror or exc}") from None
    if not head:
        return  # an empty file: SQLite treats it as a new database
    if not head.startswith(SQLITE_HEADER):
        raise JournalError(
            f"{path} is not a stretchkit journal: it is not a SQLite database "
            f"(found {_describe_bytes(head)}). {_ADVICE}"
        )
    if len(head) < 100:
        raise JournalError(f"{path} is a damaged SQLite database (shorter than its own header). {_ADVICE}")
    app_id = int.from_bytes(head[68:72], "big")
    if app_id == 0:
        try:
            tables = _query(path, _tables, snapshot=snapshot, immutable=True)
        except JournalError:  # perhaps caught mid-checkpoint by another writer: read it properly
            tables = _query(path, _tables, snapshot=snapshot)
        if tables:
            raise _foreign(path, tables, app_id)
        return  # an empty database: safe to set up
    if app_id != APPLICATION_ID:
        raise _foreign(path, [], app_id)
    version, tables, check = _query(
        path,
        lambda c: (
            c.execute("PRAGMA user_version").fetchone()[0],
            _tables(c),
            c.execute("PRAGMA quick_check").fetchone()[0],
        ),
        snapshot=snapshot,
    )
    if check != "ok":
        raise JournalError(f"{path} is a damaged SQLite database (integrity check: {check}). {_ADVICE}")
    _check_version(path, version)
    if not set(tables) >= _OUR_TABLES:
        raise _foreign(path, tables, app_id)


def _query(
    path: Path, read: Callable[[sqlite3.Connection], _T], *, snapshot: bool, immutable: bool = False
) -> _T:
    """Read from the file through a read-only connection; SQLite errors mean a damaged file."""
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
    try:
        conn = _snapshot(path) if snapshot else sqlite3.connect(uri, uri=True)
        try:
            return read(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise JournalError(f"{path} is a damaged SQLite database ({exc}). {_ADVICE}") from None


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return sorted(r[0] for r in rows if not r[0].startswith("sqlite_"))


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


def _describe_bytes(head: bytes) -> str:
    text = head[:40]
    if text and all(32 <= b < 127 or b in (9, 10, 13) for b in text):
        return f"text starting {text.decode('ascii').strip()!r}"
    return f"binary data starting {text[:8].hex(' ')}"


# --- opening and migrating ---------------------------------------------------------------


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Create or upgrade the schema in one transaction (another process may race us).

    Everything is checked again inside the transaction, since the file may have
    changed since :func:`_inspect` looked at it.
    """
    if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        _check_version(path, version)
        if version == 0:
            tables = _tables(conn)
            if tables or app_id:
                raise _foreign(path, tables, app_id)
            for statement in _V1:
                conn.execute(statement)
            version = 1
        elif app_id != APPLICATION_ID:
            raise _foreign(path, _tables(conn), app_id)
        while version < SCHEMA_VERSION:
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            version += 1
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


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


# --- the browser-only site's snapshot ---------------------------------------------------


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
