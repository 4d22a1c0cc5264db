"""The journal's file on its own: a new file's schema, migrations keeping rows, foreign files
refused, and the browser-only site's snapshot saved whole (beside the file, then renamed)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from stretchkit import journal_file
from stretchkit.journal_file import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, JournalError, JournalFile
from tests.test_journal import assert_untouched, make_v1, pragma

BOTH = pytest.mark.parametrize("snapshot", [False, True], ids=["file", "snapshot"])
SESSION = (
    "INSERT INTO sessions (started_at, routine, techniques, duration_seconds)"
    " VALUES ('2025-03-03T07:30:00', 'Morning', '[\"cat-camel\"]', 60)"
)


def schema(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Each table's columns (name, type, not null, default, key) and each index's, to compare files."""
    conn = sqlite3.connect(path)
    try:
        names = conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
        info = {"table": "table_info", "index": "index_info"}
        return {name: conn.execute(f"PRAGMA {info[kind]}({name})").fetchall() for kind, name in names}
    finally:
        conn.close()


def new_journal(path: Path) -> None:
    f = JournalFile(path, snapshot=False)
    with f.write():
        pass
    f.close()


@BOTH
def test_a_new_file_is_created_on_the_first_write_at_the_current_version(
    snapshot: bool, tmp_path: Path
) -> None:
    path = tmp_path / "sub" / "journal.sqlite3"
    f = JournalFile(path, snapshot=snapshot)
    assert f.rows("SELECT * FROM sessions") == [], "reading a journal never written reads nothing"
    assert not path.parent.exists(), "nothing is created by a read"
    with f.write() as conn:
        conn.execute(SESSION)
    assert f.rows("SELECT routine FROM sessions") == [("Morning",)]
    f.close()
    assert pragma(path, "user_version") == SCHEMA_VERSION
    assert pragma(path, "application_id") == APPLICATION_ID
    assert {"sessions", "quiz_answers", "sessions_by_start"} <= set(schema(path))
    assert pragma(path, "journal_mode") == ("delete" if snapshot else "wal")
    if not snapshot:  # a snapshot is saved as a new file; in the browser its mode means nothing
        assert (path.stat().st_mode & 0o777, path.parent.stat().st_mode & 0o777) == (0o600, 0o700)


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_an_older_file_is_migrated_keeping_its_rows(version: int, tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    make_v1(old)  # one session, as version 1 wrote it
    conn = sqlite3.connect(old)
    for step in range(1, version):
        for statement in MIGRATIONS[step]:
            conn.execute(statement)
    conn.execute(SESSION)
    conn.commit()
    conn.close()
    f = JournalFile(old, snapshot=False)
    f.open()
    assert f.rows("SELECT routine, duration_seconds FROM sessions ORDER BY id") == [
        ("Old routine", 240),
        ("Morning", 60),
    ]
    f.close()
    fresh = tmp_path / "new.sqlite3"
    new_journal(fresh)
    assert pragma(old, "user_version") == SCHEMA_VERSION
    assert schema(old) == schema(fresh), "a migrated journal has the schema of a new one"


@BOTH
def test_a_foreign_sqlite_file_is_refused_in_one_line_naming_it(snapshot: bool, tmp_path: Path) -> None:
    path = tmp_path / "recipes.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    f = JournalFile(path, snapshot=snapshot)
    with pytest.raises(JournalError) as err:
        f.open()
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{path} is not a stretchkit journal") and "recipes" in message
    with pytest.raises(JournalError), f.write():
        pass
    assert f.connection is None
    assert_untouched(path, before)


def test_a_file_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    new_journal(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(JournalError, match=f"newer version of stretchkit .*version {SCHEMA_VERSION + 1}"):
        JournalFile(path, snapshot=False).open()


def test_the_snapshot_is_saved_beside_the_file_then_renamed_over_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "journal.sqlite3"
    f = JournalFile(path, snapshot=True)
    with f.write() as conn:
        conn.execute(SESSION)
    before = path.read_bytes()
    renames: list[tuple[Path, Path, bytes]] = []
    real_replace = os.replace

    def replace(src: Path, dst: Path) -> None:
        assert dst.read_bytes() == before, "the file is whole until the rename"
        renames.append((Path(src), Path(dst), Path(src).read_bytes()))
        real_replace(src, dst)

    monkeypatch.setattr("stretchkit.journal_file.os.replace", replace)
    with f.write() as conn:
        conn.execute(SESSION)
    ((spare, target, written),) = renames
    assert (spare.parent, spare.name, target) == (tmp_path, "journal.sqlite3.saving", path)
    assert path.read_bytes() == written and written.startswith(journal_file.SQLITE_HEADER)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal.sqlite3"], "no spare left behind"
    assert len(JournalFile(path, snapshot=True).rows("SELECT id FROM sessions")) == 2


def test_a_snapshot_save_that_fails_before_the_rename_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "journal.sqlite3"
    f = JournalFile(path, snapshot=True)
    with f.write() as conn:
        conn.execute(SESSION)
    before = path.read_bytes()

    def fail(src: Path, dst: Path) -> None:
        raise OSError("the browser's storage is full")

    monkeypatch.setattr("stretchkit.journal_file.os.replace", fail)
    with pytest.raises(OSError, match="storage is full"), f.write() as conn:
        conn.execute(SESSION)
    assert path.read_bytes() == before
    assert len(JournalFile(path, snapshot=True).rows("SELECT id FROM sessions")) == 1


@BOTH
def test_a_write_that_fails_is_rolled_back_and_saves_nothing(snapshot: bool, tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    f = JournalFile(path, snapshot=snapshot)
    with f.write() as conn:
        conn.execute(SESSION)
    with pytest.raises(RuntimeError), f.write() as conn:
        conn.execute(SESSION)
        raise RuntimeError("stop")
    assert len(f.rows("SELECT id FROM sessions")) == 1
    f.close()
    assert len(JournalFile(path, snapshot=snapshot).rows("SELECT id FROM sessions")) == 1


def test_opening_an_up_to_date_snapshot_does_not_rewrite_the_file(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    new_journal(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")  # as the site keeps it
    conn.close()
    stamp = path.stat().st_mtime_ns, path.stat().st_ino
    f = JournalFile(path, snapshot=True)
    f.open()
    assert f.rows("SELECT count(*) FROM sessions") == [(0,)]
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == stamp
