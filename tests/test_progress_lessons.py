"""Where a learner left off: lessons note when they are opened and finished, and lesson 00
says where to go on and which lessons are finished (nothing at all for a new learner)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from stretchkit import lessons
from stretchkit.journal import FINISHED, OPENED, JournalStore, default_path
from stretchkit.wording import day_words

ROOT = Path(__file__).resolve().parents[1]
TUESDAY = datetime(2025, 3, 4, 18, 5)
TODAY = date(2025, 3, 10)  # the Monday after
NOW = datetime(2025, 3, 10, 9, 30)


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (date(2025, 3, 10), "today"),
        (date(2025, 3, 9), "yesterday"),
        (date(2025, 3, 4), "last Tuesday"),
        (date(2025, 3, 3), "on 3 March"),
        (date(2024, 12, 25), "on 25 December 2024"),
        (date(2025, 3, 11), "today"),  # a clock that was ahead never says 'tomorrow'
    ],
)
def test_dates_are_said_in_plain_words(day: date, words: str) -> None:
    assert day_words(day, TODAY) == words


def test_a_new_learner_sees_nothing(tmp_path: Path) -> None:
    assert lessons.welcome_back().markdown == ""
    assert not default_path().exists(), "looking does not create a journal"


def test_it_says_where_to_go_on_and_marks_the_lessons_finished(tmp_path: Path) -> None:
    with JournalStore(tmp_path / "j.sqlite3") as j:
        j.record_lesson("childs-pose", OPENED, TUESDAY - timedelta(days=8))
        j.record_lesson("childs-pose", FINISHED, TUESDAY - timedelta(days=8))
        j.record_lesson("cat-camel", OPENED, TUESDAY)
        text = lessons.welcome_back(journal=j, now=NOW).markdown
    assert text.splitlines() == [
        "### Where you left off",
        "",
        "**Continue:** [Lesson 03: Cat-Camel Stretch](03-cat-camel.ipynb), opened last Tuesday.",
        "",
        "Lessons you have finished:",
        "",
        "- ✓ [Lesson 02: Child's Pose](02-childs-pose.ipynb): finished on 24 February",
    ]


def test_after_a_finished_lesson_it_offers_the_next(tmp_path: Path) -> None:
    with JournalStore(tmp_path / "j.sqlite3") as j:
        j.record_lesson("cat-camel", OPENED, TUESDAY)
        j.record_lesson("cat-camel", FINISHED, TUESDAY + timedelta(minutes=20))
        text = lessons.welcome_back(journal=j, now=NOW).markdown
    assert (
        "**Continue:** [Lesson 04: Hamstring Stretch](04-hamstring-stretch.ipynb), the lesson after "
        "[Lesson 03: Cat-Camel Stretch](03-cat-camel.ipynb), which you finished last Tuesday."
    ) in text
    assert "- ✓ [Lesson 03: Cat-Camel Stretch](03-cat-camel.ipynb): finished last Tuesday" in text


def test_a_lessons_facts_note_it_opened_and_its_recap_finished() -> None:
    lessons.technique_facts("seated-knee-hug")  # an adapted position is taught inside lesson 02
    assert not default_path().exists()
    lessons.technique_facts("hamstring-stretch")
    lessons.technique_recap("hamstring-stretch")
    with JournalStore() as j:
        events = j.lesson_events()
    assert [(e.lesson, e.event) for e in events] == [
        ("hamstring-stretch", OPENED),
        ("hamstring-stretch", FINISHED),
    ]
    assert all(abs(e.at - datetime.now().astimezone()) < timedelta(minutes=1) for e in events)


@pytest.mark.parametrize(
    ("lesson", "opens", "finishes"),
    [
        ("why", lambda: lessons.why_intro(), lambda: lessons.takeaway_and_beyond()),
        ("habits", lambda: lessons.habit("posture"), lambda: lessons.closing()),
        ("routine", lambda: lessons.pain_and_bad_days(), lambda: _handouts()),
        ("check", lambda: lessons.faq(), lambda: lessons.sources()),
    ],
)
def test_the_course_wide_lessons_note_themselves_too(
    lesson: str, opens: Callable[[], object], finishes: Callable[[], object]
) -> None:
    """Lessons 01, 07, 08 and 09 note their first section opened and their last finished, as a
    stretch's lesson does; lesson 00, the home, notes nothing; a later habit or a short list of
    sources is not the lesson's start or end."""
    lessons.about_this_course()
    lessons.welcome_back()
    lessons.habit("lifting")
    lessons.sources(["nhs-back-pain"])
    assert not default_path().exists()
    opens()
    finishes()
    with JournalStore() as j:
        assert [(e.lesson, e.event) for e in j.lesson_events()] == [(lesson, OPENED), (lesson, FINISHED)]


def _handouts() -> object:
    from stretchkit import RoutineBuilder

    return RoutineBuilder().handouts(folder=default_path().parent / "files", browser=True)


def test_after_lesson_07_it_offers_lesson_08_and_after_lesson_09_says_it_was_the_last(tmp_path: Path) -> None:
    with JournalStore(tmp_path / "j.sqlite3") as j:
        j.record_lesson("habits", OPENED, TUESDAY)
        j.record_lesson("habits", FINISHED, TUESDAY + timedelta(minutes=20))
        text = lessons.welcome_back(journal=j, now=NOW).markdown
        assert (
            "**Continue:** [Lesson 08: Your routine](08-your-routine.ipynb), the lesson after "
            "[Lesson 07: Everyday habits](07-everyday-habits.ipynb), which you finished last Tuesday."
        ) in text
        j.record_lesson("check", OPENED, NOW - timedelta(hours=1))
        j.record_lesson("check", FINISHED, NOW - timedelta(minutes=50))
        text = lessons.welcome_back(journal=j, now=NOW).markdown
    assert (
        "You finished [Lesson 09: Check yourself](09-check-yourself.ipynb), the last lesson, today." in text
    )
    assert "- ✓ [Lesson 07: Everyday habits](07-everyday-habits.ipynb): finished last Tuesday" in text


def test_a_journal_that_cannot_be_used_never_stops_a_lesson() -> None:
    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("my notes\n", encoding="utf-8")
    assert "Hamstring Stretch" in lessons.technique_facts("hamstring-stretch").markdown
    assert lessons.welcome_back().markdown == ""
    assert path.read_text(encoding="utf-8") == "my notes\n"


def _run(stem: str, sources: list[str], home: Path) -> list[str]:
    """Run these code cells of a committed lesson (found by their source) in a kernel; their Markdown."""
    nb = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and any(s in c.source for s in sources)]
    assert len(cells) == len(sources), sources
    nb.cells = cells
    os.environ["STRETCHKIT_HOME"] = str(home)  # the kernel inherits it (the fixture's monkeypatch undoes it)
    NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(home.parent)}}).execute()
    return ["".join(o.get("data", {}).get("text/markdown", "")) for c in nb.cells for o in c.outputs]


def test_executing_lesson_00_after_lesson_03_offers_to_continue_with_it(tmp_path: Path) -> None:
    home = tmp_path / "home"
    welcome = ["from stretchkit import lessons", "lessons.welcome_back()"]
    assert _run("00-start-here", welcome, home)[-1] == "", "a new learner sees nothing extra"
    _run("03-cat-camel", ["lessons.technique_facts("], home)
    shown = _run("00-start-here", welcome, home)[-1]
    assert "**Continue:** [Lesson 03: Cat-Camel Stretch](03-cat-camel.ipynb), opened today." in shown
    assert "finished" not in shown
    _run("03-cat-camel", ["from stretchkit import Quiz", "lessons.technique_recap("], home)
    shown = _run("00-start-here", welcome, home)[-1]
    assert "- ✓ [Lesson 03: Cat-Camel Stretch](03-cat-camel.ipynb): finished today" in shown
    assert "**Continue:** [Lesson 04: Hamstring Stretch](04-hamstring-stretch.ipynb)" in shown
    with JournalStore(home / "journal.sqlite3") as j:
        assert [e.event for e in j.lesson_events()] == [OPENED, OPENED, FINISHED]


def test_it_says_how_many_questions_are_due_for_review(tmp_path: Path) -> None:
    from stretchkit import load_course
    from stretchkit.journal import QuizAnswer
    from stretchkit.questions import questions_from_course

    q1, q2, q3 = (q.id for q in questions_from_course(load_course())[:3])
    with JournalStore(tmp_path / "j.sqlite3") as j:
        j.record_quiz_answer(QuizAnswer("course", q1, "Q1?", ("a",), False, NOW - timedelta(days=2), "r"))
        j.record_quiz_answer(QuizAnswer("course", q2, "Q2?", ("a",), True, NOW - timedelta(hours=1), "r"))
        j.record_quiz_answer(QuizAnswer("course", "gone", "Q?", ("a",), False, NOW, "r"))  # not in the course
        assert lessons.welcome_back(journal=j, now=NOW).markdown == (
            "### Where you left off\n\n**For review:** 1 quiz question you answered before is due again: "
            "every quiz shows it first, marked *for review*."
        )
        j.record_quiz_answer(QuizAnswer("course", q3, "Q3?", ("a",), False, NOW, "r"))
        assert (
            "**For review:** 2 quiz questions you answered before are due again: every quiz shows them first"
            in (lessons.welcome_back(journal=j, now=NOW).markdown)
        )
