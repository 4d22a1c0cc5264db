"""Lesson 08's journal view: charts and CSV that follow the journal without re-running a cell."""

from __future__ import annotations

import base64
import csv
import io
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from stretchkit.charts import EMPTY, MIMETYPE
from stretchkit.practice import Journal
from stretchkit.progress import JournalView

T0 = datetime(2025, 3, 3, 7, 30)


def shown(view: JournalView) -> list[dict[str, Any]]:
    """The Vega-Lite specs the view's outputs hold, as the front end receives them."""
    return [out.outputs[0]["data"][MIMETYPE] for out in view.outputs]


def bars(spec: dict[str, Any]) -> dict[str, float]:
    return {row["date"]: row["minutes"] for row in spec["data"]["values"]}


def test_a_saved_session_shows_up_without_re_running_the_cell(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    view = JournalView(Journal(path), csv=tmp_path / "my-sessions.csv", today=date(2025, 3, 4), browser=False)
    minutes, pain, streak = shown(view)
    assert EMPTY in minutes["description"] and EMPTY in streak["description"]
    assert "no sessions yet" in view.status.value
    # The guided session saves through its own Journal on the same file.
    Journal(path).record_session(
        routine="Morning", started_at=T0, duration_seconds=300, techniques=["cat-camel"], pain_before=5
    )
    minutes, pain, streak = shown(view)
    assert bars(minutes)["2025-03-03"] == 5
    assert "Pain ratings for 1 session" in pain["description"]
    assert "Current streak 1 day" in streak["description"]
    assert "1 session, the last on 3 Mar 2025 at 07:30" in view.status.value
    rows = list(csv.DictReader((tmp_path / "my-sessions.csv").open(encoding="utf-8")))
    assert [r["routine"] for r in rows] == ["Morning"], "the CSV export follows the journal too"
    link = view.download.value
    data = link.split("base64,", 1)[1].split('"', 1)[0]
    (row,) = csv.DictReader(io.StringIO(base64.b64decode(data).decode("utf-8")))
    assert row["minutes"] == "5.00"
    assert 'download="my-sessions.csv"' in link


def save_behind_its_back(path: Path) -> None:
    """Another process (another tab's kernel) saves a session on 4 Mar 2025 to the same file."""
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO sessions (started_at, routine, techniques, duration_seconds) "
        "SELECT '2025-03-04T08:00:00', 'R', techniques, 60 FROM sessions"
    )
    conn.commit()
    conn.close()


def test_the_refresh_button_reads_the_journal_again(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    view = JournalView(Journal(path), csv=tmp_path / "s.csv", browser=False)
    # A write the view cannot hear: another process (or notebook kernel) on the same file.
    Journal(path).record_session(routine="R", started_at=T0, duration_seconds=60, techniques=["cat-camel"])
    save_behind_its_back(path)
    assert view.sessions == 1
    view.refresh_button.click()
    assert view.sessions == 2 and repr(view) == "JournalView(2 sessions)"


def test_the_view_reads_the_journal_again_when_its_page_is_shown_again(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    Journal(path).record_session(routine="R", started_at=T0, duration_seconds=60, techniques=["cat-camel"])
    view = JournalView(Journal(path), csv=tmp_path / "s.csv", browser=False)
    assert "Your journal: 1 session," in view.status.value
    # Another tab (another kernel) saves a session: nothing in this kernel hears it.
    save_behind_its_back(path)
    assert view.sessions == 1
    # The learner comes back to this tab: the page's visibilitychange reaches Python.
    assert view.page_shown in view.children and view.page_shown.layout.display == "none"
    assert "visibilitychange" in str(view.page_shown._esm)  # static/visibility.js
    view.page_shown._handle_custom_msg({"event": "visible"}, [])
    assert view.sessions == 2 and "Your journal: 2 sessions, the last on 4 Mar 2025" in view.status.value
    rows = list(csv.DictReader((tmp_path / "s.csv").open(encoding="utf-8")))
    assert len(rows) == 2, "and the CSV export"
    # Shown again with nothing new: nothing is redrawn.
    before = view.outputs[0].outputs
    view.page_shown._handle_custom_msg({"event": "visible"}, [])
    view.page_shown._handle_custom_msg({"event": "other"}, [])
    assert view.outputs[0].outputs is before


def test_where_the_journal_lives_is_said_for_each_version(tmp_path: Path) -> None:
    lab = JournalView(Journal(tmp_path / "j.sqlite3"), csv=tmp_path / "s.csv", browser=False)
    assert "a file on this computer" in lab.notice.value
    site = JournalView(Journal(tmp_path / "j.sqlite3"), csv=tmp_path / "s.csv", browser=True)
    notice = site.notice.value
    assert "lives in this web browser" in notice and "Clearing this browser's data" in notice
    assert "download your sessions as a CSV file" in notice


def test_the_text_fallback_has_every_chart(tmp_path: Path) -> None:
    view = JournalView(Journal(tmp_path / "j.sqlite3"), csv=tmp_path / "s.csv", browser=False)
    bundle = view._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert data["text/plain"] == "JournalView(0 sessions)"
    for title in ("Minutes stretched per day", "Pain before versus after", "Practice streak"):
        assert title in data["text/html"]


def test_a_bad_csv_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"csv: the export is a \.csv file, got 'sessions.xlsx'"):
        JournalView(Journal(tmp_path / "j.sqlite3"), csv="sessions.xlsx")
