"""The journal in the browser-only site: a snapshot in memory, saved whole after each write.

Pyodide cannot keep a live SQLite database in the notebook folder (the browser's storage),
so there the journal loads the file into memory and writes it back after each write. These
tests switch that mode on in CPython (``journal.SNAPSHOT``); tests/browser/test_lite.py
checks it in the real site across a page reload.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from stretchkit import journal as storage
from stretchkit.journal import SCHEMA_VERSION, SQLITE_HEADER, JournalError
from stretchkit.practice import Journal
from tests.test_journal import T0, assert_untouched, make_v1, record


@pytest.fixture
def snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "SNAPSHOT", True)


def test_each_write_saves_the_whole_journal_with_no_wal_files(snapshot: None, tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    j = Journal(path)
    assert not path.exists(), "nothing is created until the first write"
    record(j, pain_before=6)
    assert path.read_bytes().startswith(SQLITE_HEADER)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal.sqlite3"], "no -wal, -shm or spare files"
    saved = path.read_bytes()
    j.update_session(j.sessions()[0].id, pain_after=3, note="better")
    assert path.read_bytes() != saved, "an update is saved too"
    # Another kernel (or the page after a reload) reads the file: everything is there.
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT pain_before, pain_after, note FROM sessions").fetchall() == [(6, 3, "better")]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    again = Journal(path)
    assert [(s.pain_before, s.pain_after, s.note) for s in again.sessions()] == [(6, 3, "better")]


def test_the_live_database_is_in_memory(snapshot: None, tmp_path: Path) -> None:
    j = Journal(tmp_path / "journal.sqlite3")
    record(j)
    assert j._conn is not None
    files = [row[2] for row in j._conn.execute("PRAGMA database_list")]
    assert files == [""], "an in-memory database, not a file SQLite keeps open in the browser's storage"


def test_an_old_journal_is_migrated_and_saved(snapshot: None, tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    make_v1(path)
    with Journal(path) as j:
        (old,) = j.sessions()
        assert old.routine == "Old routine"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_foreign_files_are_refused_and_left_alone(snapshot: None, tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(JournalError, match="not a stretchkit journal"):
        Journal(path)
    assert_untouched(path, before)


def test_bad_input_writes_nothing(snapshot: None, tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    j = Journal(path)
    record(j)
    before = path.read_bytes()
    with pytest.raises(ValueError, match="pain_before"):
        record(j, pain_before=11)
    assert path.read_bytes() == before


def test_the_site_keeps_the_journal_in_the_notebook_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(storage.HOME_ENV, raising=False)
    monkeypatch.setattr(sys, "platform", "emscripten")
    assert storage.default_path() == Path("/drive/my-files/journal/journal.sqlite3")


def test_every_journal_on_a_file_hears_each_write(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    heard: list[int] = []

    class View:
        def refresh(self) -> None:
            heard.append(len(Journal(path).sessions()))

    view = View()
    Journal(path).on_change(view.refresh)
    writer = Journal(path)
    record(writer)
    record(writer, started_at=T0.replace(day=4))
    assert heard == [1, 2], "called after each write, with the write visible"
    Journal(tmp_path / "other.sqlite3").record_session(
        routine="R", started_at=T0, duration_seconds=60, techniques=["cat-camel"]
    )
    assert heard == [1, 2], "another file's writes are not heard"
    del view
    record(writer, started_at=T0.replace(day=5))
    assert heard == [1, 2], "a view that is gone stops listening"
    with pytest.raises(TypeError, match="callback must be callable"):
        writer.on_change("refresh")  # type: ignore[arg-type]


def test_two_journals_on_one_file_never_write_over_each_other(snapshot: None, tmp_path: Path) -> None:
    # The quiz, the guided session and the journal view each hold a Journal on the same file.
    path = tmp_path / "journal.sqlite3"
    quiz, session = Journal(path), Journal(path)
    record(quiz)
    assert len(session.sessions()) == 1, "the other journal reads what was saved since"
    record(session, started_at=T0.replace(day=4))
    record(quiz, started_at=T0.replace(day=5))
    assert [s.day.day for s in Journal(path).sessions()] == [3, 4, 5], "no write was lost"
