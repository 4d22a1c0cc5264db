"""The journal's charts: titled, labelled, described, stable, and friendly when empty."""

from __future__ import annotations

import html
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from stretchkit import load_course
from stretchkit.charts import EMPTY, Chart, minutes_chart, pain_chart, streak_chart
from stretchkit.journal import SessionRecord
from stretchkit.practice import Journal

COURSE = load_course()
MC = COURSE.pain_scale.meaningful_change
TODAY = date(2025, 3, 12)
T0 = datetime(2025, 3, 3, 7, 30)


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    j = Journal(tmp_path / "journal.sqlite3")
    ratings = [(6, 3), (5, 4), (None, None), (7, 5), (4, None), (6, 2)]
    for i, (before, after) in enumerate(ratings):
        j.record_session(
            routine="Morning",
            started_at=T0 + timedelta(days=i),
            duration_seconds=240 + 30 * i,
            techniques=["childs-pose"],
            pain_before=before,
            pain_after=after,
        )
    return j


@pytest.fixture
def empty(tmp_path: Path) -> Journal:
    return Journal(tmp_path / "empty.sqlite3")


CHARTS: dict[str, Callable[[Journal], Chart]] = {
    "day": lambda j: minutes_chart(j, today=TODAY),
    "week": lambda j: minutes_chart(j, by="week", today=TODAY),
    "pain": pain_chart,
    "streak": lambda j: streak_chart(j, today=TODAY),
}


@pytest.mark.parametrize("make", CHARTS.values(), ids=CHARTS.keys())
def test_every_chart_has_title_axis_labels_and_alt_text(
    journal: Journal, make: Callable[[Journal], Chart]
) -> None:
    chart = make(journal)
    assert chart.title and len(chart.alt) > 40 and chart.caption
    assert chart.figure.axes[0].get_title(loc="left") == chart.title
    for ax in chart.figure.axes:
        assert ax.get_xlabel() and ax.get_ylabel()
    assert repr(chart) == f"Chart({chart.title})"


@pytest.mark.parametrize("make", CHARTS.values(), ids=CHARTS.keys())
def test_an_empty_journal_gets_a_friendly_chart(empty: Journal, make: Callable[[Journal], Chart]) -> None:
    chart = make(empty)
    texts = [t.get_text() for ax in chart.figure.axes for t in ax.texts]
    assert EMPTY in texts
    assert "No sessions yet" in chart.alt
    for ax in chart.figure.axes:
        assert ax.get_xlabel() and ax.get_ylabel()


@pytest.mark.parametrize("make", CHARTS.values(), ids=CHARTS.keys())
def test_charts_display_the_same_every_time(journal: Journal, make: Callable[[Journal], Chart]) -> None:
    first, second = make(journal)._repr_mimebundle_(), make(journal)._repr_mimebundle_()
    assert first == second
    assert set(first) == {"text/plain", "text/html"}
    page = first["text/html"]
    assert f'alt="{html.escape(make(journal).alt, quote=True)}"' in page
    assert "data:image/svg+xml;base64," in page and "<figcaption" in page


def test_minutes_per_day_bars_match_the_journal(journal: Journal) -> None:
    chart = minutes_chart(journal, today=TODAY)
    ax = chart.figure.axes[0]
    heights = [round(p.get_height(), 2) for p in ax.patches]
    assert len(heights) == 14
    per_day = journal.minutes_per_day()
    assert heights[-14 + (date(2025, 3, 3) - (TODAY - timedelta(days=13))).days] == per_day[date(2025, 3, 3)]
    assert sum(heights) == pytest.approx(sum(per_day.values()), abs=0.05)
    assert chart.title == "Minutes stretched per day"
    assert ax.get_ylabel() == "Minutes"
    assert "practice in 6 of 14 days" in chart.alt


def test_minutes_per_week(journal: Journal) -> None:
    chart = minutes_chart(journal, by="week", today=TODAY)
    assert chart.title == "Minutes stretched per week"
    heights = [p.get_height() for p in chart.figure.axes[0].patches]
    assert len(heights) == 8
    assert sum(heights) == pytest.approx(sum(journal.minutes_per_week().values()))


def test_the_pain_chart_marks_the_meaningful_change_and_cites_it(journal: Journal) -> None:
    chart = pain_chart(journal)
    top, bottom = chart.figure.axes
    assert [line.get_label() for line in top.lines] == ["Before", "After"]
    assert top.lines[0].get_marker() != top.lines[1].get_marker(), "before and after differ by shape too"
    marked = [line for line in bottom.lines if sorted(set(line.get_ydata())) in ([-MC], [MC])]
    assert len(marked) == 2, "dashed lines at -2 and +2 points"
    assert all(line.get_linestyle() == "--" for line in marked)
    legend = [t.get_text() for t in bottom.get_legend().get_texts()]
    assert f"{MC}-point change" in legend
    for key in COURSE.pain_scale.sources:
        assert COURSE.source(key).title in chart.caption
    assert COURSE.pain_scale.meaningful_change_text in chart.caption
    # 5 sessions have a rating; 4 have both; 3 of those dropped by 2 points or more.
    assert "5 sessions" in chart.alt and "4 sessions rated both" in chart.alt
    assert f"3 showed a drop of {MC} points or more" in chart.alt
    hatched = [p for p in bottom.patches if p.get_hatch()]
    assert len(hatched) == 3, "meaningful drops are hatched, not only coloured"


def test_the_pain_chart_without_ratings(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.sqlite3")
    j.record_session(routine="R", started_at=T0, duration_seconds=60, techniques=["cat-camel"])
    chart = pain_chart(j)
    assert "No pain ratings yet" in chart.alt
    assert any(line.get_label() == f"{MC}-point change" for line in chart.figure.axes[1].lines)


def test_the_streak_chart(journal: Journal) -> None:
    chart = streak_chart(journal, today=date(2025, 3, 8))
    assert chart.title == "Practice streak"
    assert "Current streak 6 days" in chart.alt and "longest streak 6 days" in chart.alt
    assert "Current streak: 6 days in a row" in chart.caption
    legend = [t.get_text() for t in chart.figure.axes[0].get_legend().get_texts()]
    assert legend == ["No session", "Practised", "Today"]


def test_charts_accept_a_list_of_sessions(journal: Journal) -> None:
    sessions: list[SessionRecord] = journal.sessions()
    assert minutes_chart(sessions, today=TODAY).alt == minutes_chart(journal, today=TODAY).alt


def test_journal_shortcuts(journal: Journal) -> None:
    assert journal.minutes_chart(today=TODAY).title == "Minutes stretched per day"
    assert journal.pain_chart().title == pain_chart(journal).title
    assert journal.streak_chart(today=TODAY).alt == streak_chart(journal, today=TODAY).alt


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda j: minutes_chart(j, by="month"), "by must be 'day' or 'week'"),
        (lambda j: minutes_chart(j, periods=0), "periods must be a whole number"),
        (lambda j: streak_chart(j, weeks=0), "weeks must be a whole number"),
    ],
)
def test_bad_chart_options(empty: Journal, call: Callable[[Journal], Chart], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call(empty)


def test_bad_source() -> None:
    with pytest.raises(TypeError, match="source must be a Journal"):
        minutes_chart("journal.sqlite3")  # type: ignore[arg-type]


def test_saving_charts(journal: Journal, tmp_path: Path) -> None:
    chart = pain_chart(journal)
    assert chart.save(tmp_path / "c.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert chart.save(tmp_path / "c.png").read_bytes().startswith(b"\x89PNG")
    assert chart.save(tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")
    assert "<title>Pain before versus after each session</title>" in chart.svg()


def test_importing_stretchkit_and_the_journal_does_not_import_matplotlib() -> None:
    code = "import sys, stretchkit, stretchkit.journal, stretchkit.charts; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
