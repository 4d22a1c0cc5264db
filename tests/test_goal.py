"""The everyday goal: one activity back pain makes hard, rated 0-10 now and then, beside pain.

Storage (a renamed goal keeps its history; bad input refused by name, nothing written), the
course's words and source, the chart on one date axis with pain, the CSV of its own, and the
panel a learner uses in lesson 08 (what Save says, in words, for each case).
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import io
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from stretchkit import GoalPanel, load_course
from stretchkit import journal as storage
from stretchkit.charts import MIMETYPE, NO_GOAL, goal_chart
from stretchkit.export import GOAL_CSV_COLUMNS
from stretchkit.journal import GoalRating
from stretchkit.practice import Journal
from stretchkit.progress import JournalView

COURSE = load_course()
assert COURSE.goal is not None, "the course asks for an everyday goal"
SCALE = COURSE.goal
T0 = datetime(2025, 3, 3, 7, 30)


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return Journal(tmp_path / "journal.sqlite3")


class Clock:
    """A clock a test moves on by hand."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def goal_rows(path: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT activity, rating, at FROM goal_ratings ORDER BY id").fetchall()
    finally:
        conn.close()


def spec_views(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return list(spec.get("vconcat", []))


# --- the course's words and source --------------------------------------------------------------


def test_the_goal_scale_is_the_courses_data_with_its_source_and_says_it_is_not_the_clinical_scale() -> None:
    assert SCALE is not None
    assert (SCALE.lowest, SCALE.highest) == (0, 10)
    assert "putting on my socks" in SCALE.example and "sitting through a film" in SCALE.example
    assert SCALE.low_anchor.startswith("0 ") and "cannot do it" in SCALE.low_anchor
    assert SCALE.high_anchor.startswith("10 ") and "as well as before" in SCALE.high_anchor
    source = COURSE.source(SCALE.about.source)
    assert "Stratford" in source.title and "Physiotherapy Canada 1995;47(4):258-263" in source.title
    assert "Patient-Specific Functional Scale" in SCALE.about.text
    assert "0 (unable to do it) to 10 (able to do it at the same level as before" in SCALE.about.text
    assert "not the clinical scale" in SCALE.not_clinical and "not a test result or a diagnosis" in (
        SCALE.not_clinical
    )


# --- storage ------------------------------------------------------------------------------------


def test_ratings_are_kept_and_a_renamed_goal_keeps_its_history(journal: Journal) -> None:
    assert journal.goal_ratings() == [] and journal.goal() == ""
    journal.rate_goal("  putting on   my socks ", 3, T0)
    journal.rate_goal("putting on my socks", 5, T0 + timedelta(days=7))
    journal.rate_goal("sitting through a film", 4, T0 + timedelta(days=9))
    assert journal.goal() == "sitting through a film"
    assert journal.goal_ratings() == [
        GoalRating("putting on my socks", 3, T0),
        GoalRating("putting on my socks", 5, T0 + timedelta(days=7)),
        GoalRating("sitting through a film", 4, T0 + timedelta(days=9)),
    ], "the words are tidied, so the same activity is one line; the earlier name keeps its ratings"
    # A rating given for an earlier day sorts by its day.
    journal.rate_goal("sitting through a film", 2, T0 - timedelta(days=1))
    assert journal.goal_ratings()[0].rating == 2 and journal.goal() == "sitting through a film"


@pytest.mark.parametrize(
    ("activity", "rating", "at", "message"),
    [
        ("putting on my socks", 11, T0, "rating must be a whole number from 0 to 10, got 11"),
        ("putting on my socks", -1, T0, "rating must be a whole number from 0 to 10, got -1"),
        ("putting on my socks", 5.5, T0, "rating must be a whole number from 0 to 10, got 5.5"),
        ("putting on my socks", True, T0, "rating must be a whole number from 0 to 10, got True"),
        ("putting on my socks", "7", T0, "rating must be a whole number from 0 to 10, got '7'"),
        ("x" * 10_000, 5, T0, "activity must be at most 200 characters, got 10000"),
        ("", 5, T0, "activity must not be empty"),
        ("   ", 5, T0, "activity must not be empty"),
        (None, 5, T0, "activity must be text, got None"),
        ("putting on my socks", 5, "today", "at must be a datetime (date and time), got 'today'"),
    ],
)
def test_bad_input_is_refused_by_name_and_nothing_is_written(
    journal: Journal, activity: Any, rating: Any, at: Any, message: str
) -> None:
    journal.rate_goal("putting on my socks", 3, T0)
    before = journal.path.read_bytes()
    with pytest.raises(ValueError) as err:
        journal.rate_goal(activity, rating, at)
    assert str(err.value) == message and "\n" not in str(err.value)
    assert goal_rows(journal.path) == [("putting on my socks", 3, "2025-03-03T07:30:00")]
    assert journal.path.read_bytes() == before


def test_bad_input_on_a_new_journal_creates_no_file(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    with pytest.raises(ValueError, match="rating must be a whole number from 0 to 10, got 11"):
        Journal(path).rate_goal("putting on my socks", 11, T0)
    assert not path.exists()


def test_the_file_itself_refuses_a_rating_outside_0_to_10(journal: Journal) -> None:
    """Even a write that goes round the checks is stopped by the schema."""
    journal.rate_goal("putting on my socks", 3, T0)
    conn = sqlite3.connect(journal.path)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO goal_ratings (activity, rating, at) VALUES ('x', 11, '2025-03-03T08:00:00')"
        )
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO goal_ratings (activity, rating, at) VALUES ('', 3, '2025-03-03T08:00:00')")
    conn.close()


def test_in_the_site_a_rating_is_saved_to_the_file_whole(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The site's journal is the same SQLite code, kept in memory and saved whole after each write."""
    monkeypatch.setattr(storage, "SNAPSHOT", True)
    path = tmp_path / "journal.sqlite3"
    Journal(path).rate_goal("sitting through a film", 6, T0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal.sqlite3"], "no -wal or -shm files"
    assert Journal(path).goal_ratings() == [GoalRating("sitting through a film", 6, T0)]
    with pytest.raises(ValueError, match="rating must be"):
        Journal(path).rate_goal("sitting through a film", 11, T0)
    assert goal_rows(path) == [("sitting through a film", 6, "2025-03-03T07:30:00")]


def test_a_course_without_a_goal_scale_asks_for_no_goal(tmp_path: Path) -> None:
    course = dataclasses.replace(COURSE, goal=None)
    j = Journal(tmp_path / "j.sqlite3", course=course)
    with pytest.raises(ValueError, match=r"goal: this course has no goal scale"):
        j.rate_goal("putting on my socks", 3, T0)
    view = JournalView(j, csv=tmp_path / "s.csv", goal_csv=tmp_path / "g.csv", browser=False)
    assert view.goal is None and "everyday goal" not in view._fallback_html()


# --- the CSV -------------------------------------------------------------------------------------


def test_the_goal_csv_has_a_row_per_rating_with_the_scale_in_words(journal: Journal, tmp_path: Path) -> None:
    journal.rate_goal("=putting on my socks", 3, T0)  # a spreadsheet must not run it as a formula
    journal.rate_goal("sitting through a film", 7, T0 + timedelta(days=3))
    out = journal.export_goal_csv(tmp_path / "my-goal.csv")
    with out.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    assert tuple(header) == GOAL_CSV_COLUMNS == ("rated_at", "activity", "rating", "scale")
    assert [r[:3] for r in rows] == [
        ["2025-03-03T07:30:00", "'=putting on my socks", "3"],
        ["2025-03-06T07:30:00", "sitting through a film", "7"],
    ]
    assert rows[0][3] == f"{SCALE.low_anchor}; {SCALE.high_anchor}"


# --- the chart -----------------------------------------------------------------------------------


def test_the_chart_shows_the_goal_above_pain_on_one_date_axis(journal: Journal) -> None:
    for i, (before, after) in enumerate([(6, 3), (5, 4)]):
        journal.record_session(
            routine="Morning",
            started_at=T0 + timedelta(days=2 * i),
            duration_seconds=300,
            techniques=["cat-camel"],
            pain_before=before,
            pain_after=after,
        )
    journal.rate_goal("putting on my socks", 3, T0)
    journal.rate_goal("putting on my socks", 6, T0 + timedelta(days=4, hours=2))
    chart = journal.goal_chart()
    goal, pain = spec_views(chart.spec)
    assert chart.spec["resolve"]["scale"]["x"] == "shared", "one date axis for both"
    assert goal["encoding"]["x"]["type"] == pain["encoding"]["x"]["type"] == "temporal"
    assert goal["encoding"]["x"]["scale"] == pain["encoding"]["x"]["scale"]
    assert goal["encoding"]["x"]["scale"]["domain"] == [
        {"year": 2025, "month": 3, "date": 3, "hours": 0},
        {"year": 2025, "month": 3, "date": 8, "hours": 0},
    ], "from the first day shown to the end of the last"
    assert [(r["at"], r["rating"], r["text"]) for r in goal["data"]["values"]] == [
        ("2025-03-03T07:30:00", 3, "3"),
        ("2025-03-07T09:30:00", 6, "6"),
    ]
    assert goal["encoding"]["y"]["title"] == "How well you can do it (0-10)"
    assert goal["encoding"]["y"]["scale"]["domain"] == [0, 10]
    assert [(r["when"], r["pain"]) for r in pain["data"]["values"]] == [
        ("Before", 6),
        ("After", 3),
        ("Before", 5),
        ("After", 4),
    ]
    assert chart.title == "Your everyday goal beside your pain"
    assert chart.alt == (
        "Line charts on one date axis. Your everyday goal, “putting on my socks”, rated twice from "
        "3 Mar 2025 to 7 Mar 2025: 3 at first and 6 most recently (lowest 3, highest 6). On its scale "
        "0 means you cannot do it at all and 10 means you can do it as well as before your back pain. "
        "Below, pain ratings for 2 sessions from 3 Mar 2025 to 5 Mar 2025, averaging 5.5 before and "
        "3.5 after (0 to 10, lower is better)."
    )
    assert "(higher is better)" in chart.caption and "(lower is better)" in chart.caption
    assert "Patient-Specific Functional Scale (Physiotherapy Canada)" in chart.caption
    assert chart.spec["description"] == chart.alt
    assert chart.text() == f"{chart.title}\n{chart.alt}\n{chart.caption}"


def test_a_renamed_goal_is_a_line_of_its_own_told_apart_by_more_than_colour(journal: Journal) -> None:
    journal.rate_goal("putting on my socks", 3, T0)
    journal.rate_goal("sitting through a film", 5, T0 + timedelta(days=2))
    chart = goal_chart(journal)
    (goal,) = spec_views(chart.spec)  # no pain ratings yet: the goal alone
    line = goal["layer"][0]["encoding"]
    names = ["sitting through a film", "putting on my socks"]
    for channel in ("color", "shape", "strokeDash"):
        assert line[channel]["scale"]["domain"] == names, "the goal rated last comes first"
        first, second = line[channel]["scale"]["range"]
        assert first != second, channel
    assert "“sitting through a film”, rated once: 5 on 5 Mar 2025; before that, “putting on my socks”" in (
        chart.alt
    )
    assert chart.alt.endswith("No pain ratings yet to show below it.")


def test_with_no_goal_the_chart_says_how_to_start(journal: Journal) -> None:
    chart = goal_chart(journal)
    assert NO_GOAL in chart.alt and NO_GOAL in chart.text()
    assert chart.spec["layer"][1]["data"]["values"][0]["message"].replace("\n", " ") == NO_GOAL


def test_the_chart_takes_a_list_of_ratings_too(journal: Journal) -> None:
    ratings = [
        GoalRating("putting on my socks", 2, T0 + timedelta(days=1)),
        GoalRating("putting on my socks", 1, T0),
    ]
    chart = goal_chart(ratings, sessions=[], course=COURSE)
    assert [r["rating"] for r in chart.spec["vconcat"][0]["data"]["values"]] == [1, 2]
    with pytest.raises(TypeError, match="source must be a Journal or a list of goal ratings"):
        goal_chart("putting on my socks", course=COURSE)  # type: ignore[arg-type]


# --- the panel -----------------------------------------------------------------------------------


def test_saving_a_rating_says_what_it_kept(journal: Journal) -> None:
    clock = Clock()
    panel = GoalPanel(journal, clock=clock)
    assert "No goal yet" in panel.current.value and repr(panel) == "GoalPanel(0 ratings)"
    assert panel.activity.description == "Activity" and panel.activity.placeholder == SCALE.example
    assert panel.rating.description == "How well can you do it today? (0-10)"
    assert [v for _, v in panel.rating.options][1:] == list(range(11))
    assert "Patient-Specific Functional Scale" in panel.intro.value and "(Physiotherapy Canada)" in (
        panel.intro.value
    )
    panel.activity.value = "putting on my socks"
    panel.rating.value = 3
    panel.save_button.click()
    assert 'role="status"' in panel.status.value
    assert "Saved: “putting on my socks”, 3 out of 10, on 3 Mar 2025 at 07:30." in panel.status.value
    assert "Rate it again now and then" in panel.status.value
    assert panel.rating.value == -1, "the list is back to 'choose', so a second click saves nothing twice"
    assert "Your goal now: <strong>“putting on my socks”</strong>, rated once" in panel.current.value
    clock.now = T0 + timedelta(days=7)
    panel.rating.value = 5
    panel.save_button.click()
    assert "Last time (3 Mar 2025) it was 3: up 2 points." in panel.status.value
    clock.now = T0 + timedelta(days=8)
    panel.rating.value = 5
    panel.save()
    assert "it was 5: the same." in panel.status.value
    clock.now = T0 + timedelta(days=9)
    panel.activity.value = "sitting through a film"
    panel.rating.value = 4
    panel.save()
    assert "This is your goal from now on; your ratings of “putting on my socks” stay" in panel.status.value
    assert [r.rating for r in journal.goal_ratings()] == [3, 5, 5, 4]
    spec = panel.output.outputs[0]["data"][MIMETYPE]
    assert [r["activity"] for r in spec["vconcat"][0]["data"]["values"]][-1] == "sitting through a film"
    assert repr(panel) == "GoalPanel(4 ratings)"


@pytest.mark.parametrize(
    ("activity", "rating", "said"),
    [
        ("", 5, "Not saved: activity must not be empty."),
        ("x" * 10_000, 5, "Not saved: activity must be at most 200 characters, got 10000."),
        ("putting on my socks", -1, "Not saved: rating: choose how well you can do it today, from 0 to 10."),
    ],
)
def test_the_panel_says_why_nothing_was_saved(
    journal: Journal, activity: str, rating: int, said: str
) -> None:
    panel = GoalPanel(journal, clock=Clock())
    panel.activity.value = activity
    panel.rating.value = rating
    panel.save_button.click()
    assert said in panel.status.value and panel.error
    assert not journal.path.exists(), "nothing written"
    assert panel.rating.value == rating, "what the learner chose is left for them to correct"


def test_the_panel_follows_the_journal_but_never_overwrites_what_is_being_typed(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    panel = GoalPanel(Journal(path), clock=Clock())
    Journal(path).rate_goal("putting on my socks", 4, T0)  # another cell, the same file
    assert panel.activity.value == "putting on my socks" and "rated once" in panel.current.value
    panel.activity.value = "sitting through"
    Journal(path).rate_goal("putting on my socks", 5, T0 + timedelta(days=1))
    assert panel.activity.value == "sitting through" and "most recently 5" in panel.current.value


def test_the_panels_text_fallback(journal: Journal) -> None:
    journal.rate_goal("putting on my socks", 4, T0)
    bundle = GoalPanel(journal)._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert data["text/plain"] == "GoalPanel(1 rating)"
    assert "Your everyday goal" in data["text/html"] and "Your goal now" in data["text/html"]
    assert "rated once: 4 on 3 Mar 2025" in data["text/html"]


# --- in lesson 08's journal view -----------------------------------------------------------------


def test_the_journal_view_shows_the_goal_and_writes_its_csv(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    view = JournalView(
        Journal(path), csv=tmp_path / "s.csv", goal_csv=tmp_path / "g.csv", browser=False, clock=Clock()
    )
    assert view.goal is not None and view.goal in view.children
    assert view.children.index(view.goal) > view.children.index(view.outputs[-1]), "below the charts"
    assert "Download your goal" not in view.download.value, "no link to an empty file"
    assert (tmp_path / "g.csv").read_text(encoding="utf-8").strip() == ",".join(GOAL_CSV_COLUMNS)
    view.goal.activity.value = "sitting through a film"
    view.goal.rating.value = 2
    view.goal.save_button.click()
    assert "Saved: “sitting through a film”, 2 out of 10" in view.goal.status.value
    rows = list(csv.DictReader((tmp_path / "g.csv").open(encoding="utf-8")))
    assert [(r["activity"], r["rating"]) for r in rows] == [("sitting through a film", "2")]
    link = view.download.value
    assert 'download="g.csv"' in link and "Download your goal&#x27;s ratings (g.csv, CSV)" in link
    data = link.split('download="g.csv" href="data:text/csv;base64,', 1)[1].split('"', 1)[0]
    (row,) = csv.DictReader(io.StringIO(base64.b64decode(data).decode("utf-8")))
    assert row["rating"] == "2"
    assert "“sitting through a film”, rated once: 2" in view._fallback_html()


def test_the_view_reads_a_goal_rated_in_another_tab_when_shown_again(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    view = JournalView(Journal(path), csv=tmp_path / "s.csv", goal_csv=tmp_path / "g.csv", browser=False)
    Journal(path).rate_goal("putting on my socks", 3, T0)
    assert view.goal is not None and len(view.goal.ratings) == 1, "heard in this kernel"
    other = sqlite3.connect(path)  # another tab's kernel: nothing in this one hears it
    other.execute(
        "INSERT INTO goal_ratings (activity, rating, at) VALUES ('putting on my socks', 6, ?)",
        ((T0 + timedelta(days=3)).isoformat(),),
    )
    other.commit()
    other.close()
    assert len(view.goal.ratings) == 1
    view.page_shown._handle_custom_msg({"event": "visible"}, [])
    assert len(view.goal.ratings) == 2 and "most recently 6" in view.goal.current.value
    rows = list(csv.DictReader((tmp_path / "g.csv").open(encoding="utf-8")))
    assert [r["rating"] for r in rows] == ["3", "6"], "and the goal's CSV"


def test_a_bad_goal_csv_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"goal_csv: the export is a \.csv file, got 'goal.txt'"):
        JournalView(Journal(tmp_path / "j.sqlite3"), csv=tmp_path / "s.csv", goal_csv="goal.txt")


def test_the_learners_words_are_shown_as_text_never_as_markup(journal: Journal) -> None:
    panel = GoalPanel(journal, clock=Clock())
    panel.activity.value = "<b>lifting</b> & carrying"
    panel.rating.value = 4
    panel.save()
    for shown in (panel.status.value, panel.current.value, panel._fallback_html()):
        assert "&lt;b&gt;lifting&lt;/b&gt; &amp; carrying" in shown and "<b>lifting" not in shown


def test_a_rating_saved_beside_sessions_the_guided_session_timed_is_charted(tmp_path: Path) -> None:
    """A guided session's time has its time zone and a rating's clock may not: the panel still
    saves, says so and draws both (the site's lesson 08 once kept nothing and said nothing)."""
    from datetime import UTC

    j = Journal(tmp_path / "journal.sqlite3")
    now = datetime.now(UTC)
    for days in (2, 1):
        j.record_session(
            routine="R",
            techniques=["cat-camel"],
            started_at=now - timedelta(days=days),
            duration_seconds=300,
            pain_before=2,
            pain_after=5,
        )
    j.rate_goal("Putting on socks", 3, datetime.now())  # a naive clock, as an older panel's
    view = JournalView(j, csv=tmp_path / "s.csv", goal_csv=tmp_path / "g.csv", browser=False)
    assert view.goal is not None
    view.goal.activity.value = "Putting on socks"
    view.goal.rating.value = 4
    assert view.goal.save() is not None
    assert (
        "Saved: “Putting on socks”, 4 out of 10" in view.goal.status.value
        and "up 1 point" in view.goal.status.value
    )
    assert view.goal.ratings[-1].at.tzinfo is not None, "the panel's own clock has the time zone"
    spec = goal_chart(j).spec
    assert len(spec["vconcat"]) == 2, "the goal above pain, on one date axis"
