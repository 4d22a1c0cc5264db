"""The practice journal: round trips, validation, migrations, refusing foreign files, and
surviving a killed writer and two writers at once."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from stretchkit import load_course
from stretchkit.journal import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    JournalError,
    LessonEvent,
    QuizAnswer,
    SessionRecord,
    default_path,
)
from stretchkit.practice import Journal
from stretchkit.routine import Routine, RoutineItem

ROOT = Path(__file__).resolve().parents[1]
WRITER = Path(__file__).with_name("journal_writer.py")
T0 = datetime(2025, 3, 3, 7, 30)  # a Monday


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal(tmp_path / "journal.sqlite3") as j:
        yield j


def record(j: Journal, **overrides: Any) -> SessionRecord:
    values: dict[str, Any] = {
        "routine": "Morning",
        "started_at": T0,
        "duration_seconds": 300,
        "techniques": ["childs-pose", "cat-camel"],
    }
    values.update(overrides)
    return j.record_session(**values)


def rows(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM sessions").fetchone()[0])
    finally:
        conn.close()


# --- where it lives ------------------------------------------------------------------------


def test_default_path_follows_stretchkit_home_and_nothing_is_created_until_the_first_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home" / "nested"
    monkeypatch.setenv("STRETCHKIT_HOME", str(home))
    j = Journal()
    assert j.path == home / "journal.sqlite3" == default_path()
    assert j.sessions() == [] and j.quiz_history() == [] and j.minutes_per_day() == {}
    assert not home.exists(), "reading an empty journal must not create files"
    record(j)
    assert j.path.is_file()
    j.close()


def test_default_folder_without_the_override_is_the_per_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STRETCHKIT_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    if sys.platform.startswith("linux"):
        assert default_path() == tmp_path / ".local" / "share" / "stretchkit" / "journal.sqlite3"
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
        assert default_path() == tmp_path / "xdg" / "stretchkit" / "journal.sqlite3"


def test_a_new_journal_is_private_to_its_owner_even_with_a_permissive_umask(tmp_path: Path) -> None:
    # On a shared machine or a JupyterHub, other users must not read a learner's pain ratings.
    folder = tmp_path / "share" / "stretchkit"
    old = os.umask(0o002)  # group- and world-readable files by default
    try:
        with Journal(folder / "journal.sqlite3") as j:
            record(j, pain_before=7)
            files = [j.path, j.path.with_name("journal.sqlite3-wal"), j.path.with_name("journal.sqlite3-shm")]
            modes = {f.name: oct(f.stat().st_mode & 0o777) for f in files}  # WAL files exist while open
    finally:
        os.umask(old)
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert modes == dict.fromkeys(modes, "0o600"), modes


def test_a_folder_shared_on_purpose_stays_shared(tmp_path: Path) -> None:
    shared = tmp_path / "class-journals"
    shared.mkdir()
    shared.chmod(0o750)
    with Journal(shared / "journal.sqlite3") as j:
        record(j)
    assert oct(shared.stat().st_mode & 0o777) == "0o750"
    assert rows(shared / "journal.sqlite3") == 1


# --- round trips ----------------------------------------------------------------------------


def test_a_session_round_trips_with_every_field(journal: Journal) -> None:
    saved = record(journal, pain_before=6, pain_after=3, note="  Felt looser.  ", planned_seconds=280)
    assert saved.id > 0
    (back,) = journal.sessions()
    assert back == saved
    assert back.started_at == T0
    assert back.techniques == ("childs-pose", "cat-camel")
    assert back.duration_seconds == 300 and back.minutes == 5
    assert back.planned_seconds == 280
    assert (back.pain_before, back.pain_after, back.pain_change) == (6, 3, -3)
    assert back.note == "Felt looser."
    assert journal.session(saved.id) == saved


def test_a_routine_object_supplies_title_and_techniques(journal: Journal) -> None:
    routine = Routine(["hamstring-stretch", RoutineItem("cat-camel", reps=2)], title="Desk break")
    saved = journal.record_session(routine=routine, started_at=T0, duration_seconds=90)
    assert saved.routine == "Desk break"
    assert saved.techniques == ("hamstring-stretch", "cat-camel")


def test_pain_ratings_are_optional(journal: Journal) -> None:
    saved = record(journal)
    assert (saved.pain_before, saved.pain_after, saved.pain_change) == (None, None, None)


def test_sessions_come_back_oldest_first(journal: Journal) -> None:
    late = record(journal, started_at=T0 + timedelta(days=2))
    early = record(journal, started_at=T0)
    assert [s.id for s in journal.sessions()] == [early.id, late.id]


def test_update_session_sets_pain_after_and_note(journal: Journal) -> None:
    saved = record(journal, pain_before=5)
    updated = journal.update_session(saved.id, pain_before=5, pain_after=2, note="Better")
    assert (updated.pain_after, updated.note, updated.pain_change) == (2, "Better", -3)
    assert journal.sessions() == [updated]
    assert journal.update_session(saved.id, note="Much better").pain_after == 2, "fields not given are kept"
    cleared = journal.update_session(saved.id, pain_before=None)
    assert (cleared.pain_before, cleared.pain_after, cleared.note) == (None, 2, "Much better")
    updated = cleared
    with pytest.raises(ValueError, match="pain_after"):
        journal.update_session(saved.id, pain_after=12)
    with pytest.raises(ValueError, match="session_id 999"):
        journal.update_session(999, pain_after=1)
    assert journal.sessions() == [updated]


def test_the_file_is_in_wal_mode_with_our_schema_version(journal: Journal) -> None:
    record(journal)
    conn = sqlite3.connect(journal.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_a_second_journal_on_the_same_file_sees_the_sessions(journal: Journal) -> None:
    saved = record(journal)
    with Journal(journal.path) as other:
        assert other.sessions() == [saved]


# --- totals and streaks ---------------------------------------------------------------------


def test_minutes_per_day_and_week(journal: Journal) -> None:
    record(journal, started_at=T0, duration_seconds=300)
    record(journal, started_at=T0 + timedelta(hours=9), duration_seconds=150)
    record(journal, started_at=T0 + timedelta(days=1), duration_seconds=60)
    record(journal, started_at=T0 + timedelta(days=7), duration_seconds=120)
    assert journal.minutes_per_day() == {
        date(2025, 3, 3): 7.5,
        date(2025, 3, 4): 1.0,
        date(2025, 3, 10): 2.0,
    }
    assert journal.minutes_per_week() == {date(2025, 3, 3): 8.5, date(2025, 3, 10): 2.0}


def test_streaks(journal: Journal) -> None:
    for day in (0, 1, 2, 5, 6):
        record(journal, started_at=T0 + timedelta(days=day))
    assert journal.streak(today=date(2025, 3, 9)) == 2  # 8th and 9th
    assert journal.streak(today=date(2025, 3, 10)) == 2  # today not done yet: yesterday's streak counts
    assert journal.streak(today=date(2025, 3, 11)) == 0
    assert journal.streak(today=date(2025, 3, 5)) == 3
    assert journal.longest_streak() == 3
    assert Journal(journal.path.with_name("none.sqlite3")).streak() == 0


# --- bad input: ValueError naming the field, nothing written --------------------------------

BAD = [
    ({"pain_before": 11}, "pain_before must be a whole number from 0 to 10, got 11"),
    ({"pain_after": -1}, "pain_after must be a whole number from 0 to 10, got -1"),
    ({"pain_before": 4.5}, "pain_before"),
    ({"pain_before": "5"}, "pain_before"),
    ({"pain_after": True}, "pain_after"),
    ({"duration_seconds": -60}, "duration_seconds must be a positive number"),
    ({"duration_seconds": 0}, "duration_seconds"),
    ({"duration_seconds": float("nan")}, "duration_seconds"),
    ({"duration_seconds": "300"}, "duration_seconds"),
    ({"duration_seconds": 2 * 24 * 3600}, "duration_seconds"),
    ({"planned_seconds": -1}, "planned_seconds"),
    ({"techniques": ["toe-touch"]}, "techniques: unknown technique 'toe-touch'"),
    ({"techniques": []}, "techniques must name at least one"),
    ({"techniques": "childs-pose"}, "techniques must be a list"),
    ({"started_at": "2025-03-03"}, "started_at must be a datetime"),
    ({"started_at": date(2025, 3, 3)}, "started_at must be a datetime"),
    ({"routine": ""}, "routine must not be empty"),
    ({"routine": 42}, "routine must be a Routine or a routine name"),
    ({"note": 5}, "note must be text"),
    ({"note": "x" * 5000}, "note must be at most"),
    ({"done": []}, "done must name at least one technique: a session in which every stretch was skipped"),
    ({"done": ["piriformis-stretch"]}, "done: 'piriformis-stretch' is not one of this session's techniques"),
    ({"done": "childs-pose"}, "done must be a list"),
    ({"done": ["cat-camel", "cat-camel"]}, "done must name each technique once"),
    ({"techniques": ["cat-camel", "cat-camel"]}, "techniques must name each technique once"),
]


@pytest.mark.parametrize(("overrides", "message"), BAD, ids=[m.split()[0] for _, m in BAD])
def test_bad_input_names_the_field_and_writes_nothing(
    journal: Journal, overrides: dict[str, Any], message: str
) -> None:
    record(journal)
    before = journal.path.read_bytes()
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        record(journal, **overrides)
    assert rows(journal.path) == 1
    assert journal.path.read_bytes() == before


def test_bad_input_on_a_new_journal_creates_no_file(tmp_path: Path) -> None:
    j = Journal(tmp_path / "sub" / "journal.sqlite3")
    with pytest.raises(ValueError, match="pain_before"):
        record(j, pain_before=11)
    assert not (tmp_path / "sub").exists()


def test_techniques_are_required_with_a_routine_name(journal: Journal) -> None:
    with pytest.raises(ValueError, match="techniques must be given"):
        journal.record_session(routine="Morning", started_at=T0, duration_seconds=60)


def test_educator_techniques_are_accepted_with_their_course(tmp_path: Path) -> None:
    extra = tmp_path / "extra.toml"
    extra.write_text(
        'extends = "stretchkit"\n'
        "[[techniques]]\n"
        'slug = "knee-to-chest"\nname = "Knee to Chest"\nsummary = "s"\nstart_position = "Lying down."\n'
        'steps = ["Hug one knee."]\ntargets = ["lower back"]\nwhy = "w"\nper_side = true\nreps = 1\n'
        'cautions = [{ text = "c", source = "article" }]\nmistakes = [{ text = "m", source = "article" }]\n'
        'illustration_alt = "a"\nsource = "article"\nhold_seconds = 20\nhold_source = "article"\n',
        encoding="utf-8",
    )
    with Journal(tmp_path / "j.sqlite3", course=load_course(extra)) as j:
        assert record(j, techniques=["knee-to-chest"]).techniques == ("knee-to-chest",)


# --- quiz answers ---------------------------------------------------------------------------


def test_quiz_answers_round_trip(journal: Journal) -> None:
    journal.record_quiz_answer(
        QuizAnswer(
            quiz_id="faq",
            question_id="childs-pose-benefit",
            question="How does Child's Pose help?",
            choice=("It lengthens the spine",),
            correct=True,
            at=T0 + timedelta(minutes=1),
        )
    )
    journal.record_quiz_answer(QuizAnswer("faq", "q0", "First?", ("a", "b"), False, T0))
    history = journal.quiz_history()
    assert [a.question_id for a in history] == ["q0", "childs-pose-benefit"]
    assert history[0] == QuizAnswer("faq", "q0", "First?", ("a", "b"), False, T0)
    assert history[1].correct is True


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("quiz_id", ""),
        ("question_id", 3),
        ("question", None),
        ("choice", "a"),
        ("correct", 1),
        ("at", "today"),
    ],
)
def test_bad_quiz_answers_name_the_field(journal: Journal, field: str, value: Any) -> None:
    answer: dict[str, Any] = {
        "quiz_id": "faq",
        "question_id": "q",
        "question": "Q?",
        "choice": ["a"],
        "correct": True,
        "at": T0,
    }
    answer[field] = value
    with pytest.raises(ValueError, match=field):
        journal.record_quiz_answer(QuizAnswer(**answer))
    assert journal.quiz_history() == []


# --- lessons opened and finished ------------------------------------------------------------


def test_lessons_opened_and_finished_round_trip(journal: Journal) -> None:
    journal.record_lesson("cat-camel", "finished", T0 + timedelta(minutes=5))
    journal.record_lesson("cat-camel", "opened", T0)
    journal.record_lesson("safety", "opened", T0 + timedelta(days=1))
    assert journal.lesson_events() == [
        LessonEvent("cat-camel", "opened", T0),
        LessonEvent("cat-camel", "finished", T0 + timedelta(minutes=5)),
        LessonEvent("safety", "opened", T0 + timedelta(days=1)),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("yoga", "opened", T0),
            "lesson: unknown lesson 'yoga' (known: why, safety, habits, routine, check, childs-pose,",
        ),
        (("seated-knee-hug", "opened", T0), "lesson: unknown lesson 'seated-knee-hug'"),  # taught inside 02
        ((3, "opened", T0), "lesson: unknown lesson 3"),
        (("cat-camel", "skimmed", T0), "event must be 'opened' or 'finished', got 'skimmed'"),
        (("cat-camel", "opened", "Tuesday"), "at must be a datetime"),
    ],
)
def test_a_bad_lesson_record_is_refused_by_name_and_nothing_written(
    tmp_path: Path, args: tuple[Any, ...], message: str
) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal(path) as j:
        with pytest.raises(ValueError) as err:
            j.record_lesson(*args)
        assert message in str(err.value) and "\n" not in str(err.value)
        assert j.lesson_events() == []
    assert not path.exists(), "nothing was written, not even a new file"


# --- CSV export -----------------------------------------------------------------------------


def test_csv_export_has_a_row_per_session(journal: Journal, tmp_path: Path) -> None:
    record(journal, pain_before=6, pain_after=4, note="Tight hamstrings, better after")
    record(journal, started_at=T0 + timedelta(days=1), duration_seconds=90, note='=HYPERLINK("x")')
    out = journal.export_csv(tmp_path / "out" / "sessions.csv")
    with out.open(encoding="utf-8", newline="") as f:
        table = list(csv.DictReader(f))
    assert len(table) == 2
    first, second = table
    assert first["started_at"] == "2025-03-03T07:30:00"
    assert first["routine"] == "Morning"
    assert first["techniques"] == "childs-pose cat-camel"
    assert first["minutes"] == "5.00" and first["seconds_spent"] == "300"
    assert (first["status"], first["stretches_done"], first["stretches_skipped"]) == (
        "complete",
        "childs-pose cat-camel",
        "",
    )
    assert (first["pain_before"], first["pain_after"], first["pain_change"]) == ("6", "4", "-2")
    assert first["note"] == "Tight hamstrings, better after"
    assert second["pain_before"] == "" and second["minutes"] == "1.50"
    assert second["note"] == '\'=HYPERLINK("x")', "a note must never run as a spreadsheet formula"
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")], "no temporary file left behind"


def test_a_partial_session_keeps_what_was_done_and_skipped_and_says_so_in_the_csv(
    journal: Journal, tmp_path: Path
) -> None:
    techniques = ["childs-pose", "cat-camel", "hamstring-stretch"]
    saved = record(
        journal, techniques=techniques, done=["hamstring-stretch", "childs-pose"], duration_seconds=75.25
    )
    (back,) = journal.sessions()
    assert back == saved
    assert back.done == ("childs-pose", "hamstring-stretch"), "kept in the routine's order"
    assert back.skipped == ("cat-camel",)
    assert back.status == "partial" and back.partial
    assert record(journal, techniques=techniques).status == "complete"
    with journal.export_csv(tmp_path / "s.csv").open(encoding="utf-8", newline="") as f:
        first, second = csv.DictReader(f)
    assert (first["status"], first["stretches_done"], first["stretches_skipped"]) == (
        "partial",
        "childs-pose hamstring-stretch",
        "cat-camel",
    )
    assert first["seconds_spent"] == "75.2" and first["minutes"] == "1.25"
    assert second["status"] == "complete" and second["stretches_skipped"] == ""


def test_csv_export_of_an_empty_journal_has_just_the_header(tmp_path: Path) -> None:
    out = Journal(tmp_path / "none.sqlite3").export_csv(tmp_path / "empty.csv")
    assert out.read_text(encoding="utf-8").splitlines() == [
        "id,started_at,routine,techniques,status,stretches_done,stretches_skipped,minutes,seconds_spent,"
        "planned_seconds,pain_before,pain_after,pain_change,note,next_time,held_in_view_seconds"
    ]


# --- migrations -----------------------------------------------------------------------------


def make_v1(path: Path) -> None:
    """A journal as version 1 of stretchkit wrote it: sessions only, no note, no quiz table."""
    conn = sqlite3.connect(path)
    conn.execute(
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started_at TEXT NOT NULL,
            routine TEXT NOT NULL,
            techniques TEXT NOT NULL,
            duration_seconds REAL NOT NULL CHECK (duration_seconds > 0),
            pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
            pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10)
        )"""
    )
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO sessions (started_at, routine, techniques, duration_seconds, pain_before, pain_after)"
        " VALUES ('2024-12-01T08:00:00', 'Old routine', '[\"childs-pose\"]', 240, 7, 4)"
    )
    conn.commit()
    conn.close()


def upgrade(path: Path, versions: tuple[int, ...], *inserts: str) -> None:
    """Take a made journal through the migrations to each of ``versions`` and add rows as it wrote them."""
    conn = sqlite3.connect(path)
    for version in versions:
        for statement in MIGRATIONS[version - 1]:
            conn.execute(statement)
    for insert in inserts:
        conn.execute(insert)
    conn.commit()
    conn.close()


def snapshot(path: Path, tables: tuple[str, ...]) -> tuple[int, dict[str, list[Any]]]:
    """A journal's schema version and every row of ``tables``, to compare before and after opening it."""
    conn = sqlite3.connect(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        return version, {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in tables}
    finally:
        conn.close()


def pragma(path: Path, name: str) -> object:
    """One PRAGMA's value of a journal file, read beside the course's own connection."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def assert_current(path: Path) -> None:
    """The journal was migrated to this version of the course and is sound."""
    assert pragma(path, "user_version") == SCHEMA_VERSION
    assert pragma(path, "integrity_check") == "ok"


def test_a_version_1_journal_opens_and_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    make_v1(path)
    with Journal(path) as j:
        (old,) = j.sessions()
        assert (old.routine, old.techniques, old.duration_seconds) == ("Old routine", ("childs-pose",), 240)
        assert (old.pain_before, old.pain_after, old.note, old.planned_seconds) == (7, 4, "", None)
        # What was done is not known for an older session: it says so rather than guess.
        assert (old.done, old.skipped, old.status) == (None, (), "")
        new = record(j, note="after the upgrade")
        j.record_quiz_answer(QuizAnswer("faq", "q", "Q?", ("a",), True, T0))
        assert [s.id for s in j.sessions()] == [old.id, new.id]
        assert len(j.quiz_history()) == 1
    assert_current(path)


def make_v2(path: Path) -> None:
    """A journal as version 2 wrote it (a session saved at the routine's nominal length)."""
    make_v1(path)
    upgrade(
        path,
        (2,),
        "INSERT INTO sessions (started_at, routine, techniques, duration_seconds, planned_seconds, note)"
        " VALUES ('2025-01-05T08:00:00', 'Guided', '[\"childs-pose\", \"cat-camel\"]', 280, 280, 'ok')",
        "INSERT INTO quiz_answers (quiz_id, question_id, question, choice, correct, answered_at)"
        " VALUES ('course', 'faq:x', 'Q?', '[\"a\"]', 1, '2025-01-05T09:00:00')",
    )


def test_a_version_2_journal_keeps_its_data_and_learns_done_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite3"
    make_v2(path)
    with Journal(path) as j:
        old1, old2 = j.sessions()
        assert (old2.routine, old2.duration_seconds, old2.planned_seconds, old2.note) == (
            "Guided",
            280,
            280,
            "ok",
        )
        assert old1.status == old2.status == "" and old2.done is None
        (answer,) = j.quiz_history()
        assert (answer.question_id, answer.correct, answer.run) == ("faq:x", True, "")
        new = record(j, done=["cat-camel"])
        assert j.sessions()[-1] == new and new.skipped == ("childs-pose",)
    assert_current(path)


def make_v3(path: Path) -> None:
    """A journal as version 3 wrote it: a session with what was done and skipped, an answer with its run."""
    make_v2(path)
    upgrade(
        path,
        (3,),
        "INSERT INTO sessions (started_at, routine, techniques, duration_seconds, planned_seconds, note,"
        " routine_data, done, skipped) VALUES ('2025-02-10T08:00:00', 'Evening', '[\"childs-pose\","
        " \"cat-camel\"]', 200, 280, '', '', '[\"cat-camel\"]', '[\"childs-pose\"]')",
        "INSERT INTO quiz_answers (quiz_id, question_id, question, choice, correct, answered_at, run)"
        " VALUES ('course', 'faq:y', 'Q2?', '[\"b\"]', 0, '2025-02-10T09:00:00', 'r1')",
    )


def test_a_version_3_journal_keeps_its_data_and_learns_the_lessons_opened(tmp_path: Path) -> None:
    path = tmp_path / "v3.sqlite3"
    make_v3(path)
    with Journal(path) as j:
        *_, partial = j.sessions()
        assert (partial.routine, partial.done, partial.skipped, partial.status) == (
            "Evening",
            ("cat-camel",),
            ("childs-pose",),
            "partial",
        )
        assert [(a.question_id, a.correct, a.run) for a in j.quiz_history()] == [
            ("faq:x", True, ""),
            ("faq:y", False, "r1"),
        ]
        assert j.lesson_events() == [], "a journal from before version 4 has opened no lessons"
        j.record_lesson("cat-camel", "opened", T0)
        assert j.lesson_events() == [LessonEvent("cat-camel", "opened", T0)]
    assert_current(path)


def make_v4(path: Path) -> None:
    """A journal as version 4 wrote it: a session, an answer and a lesson opened."""
    make_v3(path)
    upgrade(
        path,
        (4,),
        "INSERT INTO sessions (started_at, routine, techniques, duration_seconds, planned_seconds,"
        " pain_before, pain_after, note, routine_data, done, skipped) VALUES ('2025-02-11T08:00:00', 'Chair',"
        " '[\"seated-knee-hug\"]', 90, 95, 5, 3, 'Fine', '', '[\"seated-knee-hug\"]', '[]')",
        "INSERT INTO lessons (lesson, event, at) VALUES ('cat-camel', 'finished', '2025-02-11T09:00:00')",
    )


def test_a_version_4_journal_keeps_everything_and_learns_the_seconds_held_in_view(tmp_path: Path) -> None:
    path = tmp_path / "v4.sqlite3"
    make_v4(path)
    tables = ("sessions", "quiz_answers", "lessons")
    _, before = snapshot(path, tables)
    with Journal(path) as j:
        sessions = j.sessions()
        assert [s.held_in_view for s in sessions] == [None] * len(sessions), "no camera before version 5"
        chair = sessions[-1]
        assert (chair.routine, chair.techniques, chair.pain_before, chair.pain_after, chair.note) == (
            "Chair",
            ("seated-knee-hug",),
            5,
            3,
            "Fine",
        )
        assert [e.event for e in j.lesson_events()] == ["finished"]
        saved = record(j, techniques=["seated-knee-hug"], held_in_view={"seated-knee-hug": 25})
        assert j.session(saved.id).held_in_view == {"seated-knee-hug": 25.0}
    assert_current(path)
    _, after = snapshot(path, tables)
    assert [row[:-1] for row in after["sessions"][: len(before["sessions"])]] == before["sessions"]
    assert [row[-1] for row in after["sessions"][: len(before["sessions"])]] == [None] * len(
        before["sessions"]
    )
    assert after["quiz_answers"] == before["quiz_answers"] and after["lessons"] == before["lessons"]


def make_v6(path: Path) -> None:
    """A journal as version 6 wrote it: a decision on a suggestion, a session with seconds held in view."""
    make_v4(path)
    upgrade(
        path,
        (5, 6),
        "INSERT INTO suggestion_decisions (rule, technique, evidence, decision, change, at)"
        " VALUES ('easier', 'cat-camel', '[1]', 'dismissed', '', '2025-02-12T09:00:00')",
        "INSERT INTO sessions (started_at, routine, techniques, duration_seconds, pain_before, pain_after,"
        " note, routine_data, done, skipped, held_in_view) VALUES ('2025-02-12T08:00:00', 'Camera',"
        " '[\"seated-knee-hug\"]', 60, 4, 2, '', '', '[\"seated-knee-hug\"]', '[]',"
        " '{\"seated-knee-hug\": 20.0}')",
    )


def test_a_version_6_journal_keeps_everything_and_learns_the_everyday_goal(tmp_path: Path) -> None:
    path = tmp_path / "v6.sqlite3"
    make_v6(path)
    tables = ("sessions", "quiz_answers", "lessons", "suggestion_decisions")
    version, before = snapshot(path, tables)
    assert version == 6
    with Journal(path) as j:
        assert j.goal_ratings() == [] and j.goal() == "", "a journal from before version 7 has no goal"
        assert j.sessions()[-1].held_in_view == {"seated-knee-hug": 20.0}
        assert [(d.rule, d.decision) for d in j.decisions()] == [("easier", "dismissed")]
        j.rate_goal("putting on my socks", 4, T0)
        assert j.goal() == "putting on my socks"
    assert_current(path)
    _, after = snapshot(path, tables)
    conn = sqlite3.connect(path)
    kept = conn.execute("SELECT activity, rating, at FROM goal_ratings").fetchall()
    conn.close()
    assert after == before, "nothing the learner had is changed or lost"
    assert kept == [("putting on my socks", 4, "2025-03-03T07:30:00")]


def test_the_seconds_held_in_view_are_kept_by_stretch_in_routine_order_and_in_the_csv(
    journal: Journal, tmp_path: Path
) -> None:
    techniques = ["seated-knee-hug", "childs-pose", "seated-hamstring-stretch"]
    saved = record(
        journal, techniques=techniques, held_in_view={"seated-hamstring-stretch": 12.4, "seated-knee-hug": 0}
    )
    (back,) = journal.sessions()
    assert back == saved
    assert list(back.held_in_view or {}) == ["seated-knee-hug", "seated-hamstring-stretch"]
    assert back.held_in_view == {"seated-knee-hug": 0.0, "seated-hamstring-stretch": 12.4}
    off = record(journal, techniques=techniques)
    assert off.held_in_view is None, "the camera was not on"
    updated = journal.update_session(off.id, held_in_view={"seated-knee-hug": 20})
    assert updated.held_in_view == {"seated-knee-hug": 20.0} and updated.note == off.note
    with journal.export_csv(tmp_path / "s.csv").open(encoding="utf-8", newline="") as f:
        first, second = csv.DictReader(f)
    assert first["held_in_view_seconds"] == "seated-knee-hug=0 seated-hamstring-stretch=12"
    assert second["held_in_view_seconds"] == "seated-knee-hug=20"
    record(journal)
    with journal.export_csv(tmp_path / "s.csv").open(encoding="utf-8", newline="") as f:
        *_, third = csv.DictReader(f)
    assert third["held_in_view_seconds"] == "", "the camera was not on"


@pytest.mark.parametrize(
    ("held", "message"),
    [
        ("25", "held_in_view must map technique slugs to seconds, got '25'"),
        ({"cat-camel": 5}, "held_in_view: 'cat-camel' is not one of this session's techniques"),
        ({"childs-pose": -1}, r"held_in_view\['childs-pose'\] must be seconds from 0 to 86400"),
        ({"childs-pose": "ten"}, r"held_in_view\['childs-pose'\] must be seconds .*got 'ten'"),
    ],
)
def test_bad_seconds_held_in_view_are_one_line_errors_and_nothing_is_written(
    journal: Journal, held: Any, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        record(journal, techniques=["childs-pose"], held_in_view=held)
    assert journal.sessions() == []
    saved = record(journal, techniques=["childs-pose"])
    with pytest.raises(ValueError, match=message):
        journal.update_session(saved.id, held_in_view=held)
    assert journal.session(saved.id) == saved
    with pytest.raises(ValueError, match="session_id 99 is not in the journal"):
        journal.update_session(99, held_in_view={})


def test_an_empty_file_becomes_a_journal(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    path.touch()
    with Journal(path) as j:
        record(j)
        assert len(j.sessions()) == 1


# --- files that are not ours: clear error, left byte for byte ----------------------------------


def assert_untouched(path: Path, before: bytes) -> None:
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name], "no -wal/-shm or other files"


def test_random_bytes_are_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    before = bytes(range(256)) * 16
    path.write_bytes(before)
    with pytest.raises(JournalError) as err:
        Journal(path)
    message = str(err.value)
    assert str(path) in message and "not a SQLite database" in message and "untouched" in message
    assert_untouched(path, before)


def test_a_text_file_is_described(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    path.write_text("my notes about stretching\n", encoding="utf-8")
    with pytest.raises(JournalError, match="text starting 'my notes about stretching"):
        Journal(path)


FOREIGN_DATABASES = {
    "another app's tables": (
        ["CREATE TABLE contacts (name TEXT, phone TEXT)", "INSERT INTO contacts VALUES ('Ada', '123')"],
        ["another application", "contacts"],
    ),
    # A WAL database: opening it must not leave -wal or -shm files behind either.
    "a WAL database": (["PRAGMA journal_mode = WAL", "CREATE TABLE notes (body TEXT)"], ["tables: notes"]),
    "another app's id in the header": (
        ["PRAGMA application_id = 1234", "CREATE TABLE sessions (id INTEGER)"],
        ["application id 1234"],
    ),
    "a sessions table that is not ours": (["CREATE TABLE sessions (token TEXT)"], ["another application"]),
}


@pytest.mark.parametrize("case", sorted(FOREIGN_DATABASES))
def test_a_foreign_sqlite_database_is_refused_and_left_alone(tmp_path: Path, case: str) -> None:
    statements, expected = FOREIGN_DATABASES[case]
    path = tmp_path / "journal.sqlite3"
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(JournalError) as err:
        Journal(path)
    message = str(err.value)
    assert str(path) in message
    for text in expected:
        assert text in message
    assert_untouched(path, before)


def test_a_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    make_v1(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(JournalError) as err:
        Journal(path)
    message = str(err.value)
    assert str(path) in message and "newer version of stretchkit" in message and "99" in message
    assert_untouched(path, before)


def test_a_damaged_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    make_v1(path)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # wreck the schema page after the header
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(JournalError, match="damaged SQLite database"):
        Journal(path)
    assert_untouched(path, before)


def test_a_folder_at_the_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="is a folder"):
        Journal(tmp_path)


def test_journal_error_is_a_value_error() -> None:
    assert issubclass(JournalError, ValueError)


# --- a killed writer loses nothing committed ---------------------------------------------------


def spawn(*args: str, stdin: bool = False) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(WRITER), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=ROOT,
    )


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def test_kill_9_mid_stream_loses_no_committed_session(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    proc = spawn(str(path), "loop")
    assert proc.stdout is not None
    committed = []
    for _ in range(40):
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else "writer ended early"
        committed.append(int(line))
    os.kill(proc.pid, signal.SIGKILL)  # while it is still writing
    rest = proc.stdout.read()
    committed += [int(x) for x in rest.split()]
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert integrity(path) == "ok"
    with Journal(path) as j:
        present = {s.id for s in j.sessions()}
        assert set(committed) <= present
        record(j)  # and the journal keeps working


def test_kill_9_inside_an_open_transaction_rolls_it_back(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal(path) as j:
        kept = record(j)
    proc = spawn(str(path), "hold")
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "in-transaction"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert integrity(path) == "ok"
    with Journal(path) as j:
        assert j.sessions() == [kept]
        assert record(j).id > kept.id  # the write lock died with the writer


# --- two writers at once both succeed -----------------------------------------------------------


def test_two_writers_at_once_both_succeed(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "journal.sqlite3"  # both race to create it, too
    procs = [spawn(str(path), "loop", "40", "--wait", stdin=True) for _ in range(2)]
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    outputs = [p.communicate(timeout=60) for p in procs]
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
    ids = [[int(x) for x in out.split()] for out, _ in outputs]
    assert [len(i) for i in ids] == [40, 40]
    assert not set(ids[0]) & set(ids[1])
    with Journal(path) as j:
        assert {s.id for s in j.sessions()} == set(ids[0]) | set(ids[1])
    assert integrity(path) == "ok"


def test_one_journal_written_from_several_threads_keeps_every_write(journal: Journal) -> None:
    """A kernel delivers widget messages (quiz answers, finished sessions) on another thread."""
    import threading

    record(journal)  # opened on this thread, as a notebook cell would
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(20):
                record(journal, note=f"thread {n} session {i}")
                journal.sessions()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(journal.sessions()) == 1 + 4 * 20
