"""The journal's charts: titled, labelled, described, stable, and friendly when empty."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from stretchkit import load_course
from stretchkit.charts import EMPTY, MIMETYPE, Chart, goal_chart, minutes_chart, pain_chart, streak_chart
from stretchkit.journal import SessionRecord
from stretchkit.look import CARD, INK
from stretchkit.practice import Journal

COURSE = load_course()
MC = COURSE.pain_scale.meaningful_change
TODAY = date(2025, 3, 12)
T0 = datetime(2025, 3, 3, 7, 30)


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    j = Journal(tmp_path / "journal.sqlite3")
    j.rate_goal("putting on my socks", 3, T0)  # the everyday goal, for its chart
    j.rate_goal("putting on my socks", 5, T0 + timedelta(days=4))
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
#: Every chart, the everyday goal's too (its empty chart asks for a goal, not a session).
ALL_CHARTS: dict[str, Callable[[Journal], Chart]] = {**CHARTS, "goal": goal_chart}


def _layers(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every view in a spec (layers and concatenations, depth first), the spec itself first."""
    yield spec
    for key in ("layer", "vconcat", "hconcat"):
        for part in spec.get(key, []):
            yield from _layers(part)


def _data(spec: dict[str, Any], mark: str) -> list[dict[str, Any]]:
    """The data rows of the views that draw ``mark``, with their inherited data."""

    def walk(view: dict[str, Any], data: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        data = view.get("data", {}).get("values", data)
        kind = view.get("mark")
        if (kind if isinstance(kind, str) else (kind or {}).get("type")) == mark:
            yield data
        for key in ("layer", "vconcat", "hconcat"):
            for part in view.get(key, []):
                yield from walk(part, data)

    return [row for rows in walk(spec, []) for row in rows]


def _titles(spec: dict[str, Any], channel: str) -> list[str]:
    return [
        v["encoding"][channel]["title"]
        for v in _layers(spec)
        if channel in v.get("encoding", {}) and v["encoding"][channel].get("title")
    ]


@pytest.mark.parametrize("make", ALL_CHARTS.values(), ids=ALL_CHARTS.keys())
def test_every_chart_has_title_axis_labels_and_alt_text(
    journal: Journal, make: Callable[[Journal], Chart]
) -> None:
    chart = make(journal)
    assert chart.title and len(chart.alt) > 40 and chart.caption
    assert chart.spec["$schema"].endswith("vega-lite/v5.json")
    assert chart.spec["title"]["text"] == chart.title
    assert " ".join(chart.spec["title"]["subtitle"]) == chart.caption
    assert chart.spec["description"] == chart.alt, "the alt text is what Vega gives screen readers"
    assert _titles(chart.spec, "x") and _titles(chart.spec, "y")
    assert repr(chart) == f"Chart({chart.title})"


@pytest.mark.parametrize("make", ALL_CHARTS.values(), ids=ALL_CHARTS.keys())
def test_charts_sit_on_the_light_card_and_never_go_online(
    journal: Journal, make: Callable[[Journal], Chart]
) -> None:
    spec = make(journal).spec
    assert spec["config"]["background"] == CARD, "reads the same in light and dark themes"
    assert spec["config"]["title"]["color"] == INK and spec["config"]["axis"]["labelColor"] == INK
    assert spec["usermeta"]["embedOptions"]["actions"]["editor"] is False, "no 'Open in Vega Editor'"
    urls = [v["data"]["url"] for v in _layers(spec) if "url" in v.get("data", {})]
    assert urls == [], "the data is inline, nothing is fetched"


def _font_sizes(node: Any, path: str = "") -> Iterator[tuple[str, float]]:
    """Every font size a spec sets (config, marks, axes), with where it is set."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key.lower().endswith("fontsize"):
                yield f"{path}.{key}", value
            else:
                yield from _font_sizes(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _font_sizes(value, f"{path}[{i}]")


def _x_angles(spec: dict[str, Any]) -> list[float]:
    """The label angle of every labelled x axis in a spec."""
    return [
        v["encoding"]["x"]["axis"]["labelAngle"]
        for v in _layers(spec)
        if v.get("encoding", {}).get("x", {}).get("axis", {}).get("labels", True) is not False
        and "x" in v.get("encoding", {})
        and "field" in v["encoding"]["x"]
        and v["encoding"]["x"].get("type") == "ordinal"
    ]


@pytest.mark.parametrize("which", ["full", "empty"])
@pytest.mark.parametrize("make", ALL_CHARTS.values(), ids=ALL_CHARTS.keys())
def test_chart_text_is_at_least_12_px(
    journal: Journal, empty: Journal, make: Callable[[Journal], Chart], which: str
) -> None:
    """Subtitles, axis labels and titles, legends and values are all 12 px or more."""
    spec = make(journal if which == "full" else empty).spec
    config = spec["config"]
    assert config["title"]["subtitleFontSize"] >= 12
    assert config["axis"]["labelFontSize"] >= 12 and config["axis"]["titleFontSize"] >= 12
    assert config["legend"]["labelFontSize"] >= 12 and config["text"]["fontSize"] >= 12
    sizes = dict(_font_sizes(spec))
    assert sizes and all(size >= 12 for size in sizes.values()), sizes


def test_x_axis_labels_are_level_where_they_fit(journal: Journal) -> None:
    """Days, weeks and sessions are labelled in level text when each label fits its step."""
    level = {
        "five days": minutes_chart(journal, periods=5, today=TODAY),
        "eight weeks": minutes_chart(journal, by="week", today=TODAY),
        "five rated sessions": pain_chart(journal),
        "an eight-week calendar": streak_chart(journal, today=TODAY),
    }
    for name, chart in level.items():
        angles = _x_angles(chart.spec)
        assert angles and set(angles) == {0}, f"{name}: {angles}"
    # Fourteen day labels ("Wed 12 Mar") are too wide for their steps: they slant, not stand on end.
    crowded = {
        "two weeks of days": minutes_chart(journal, today=TODAY),
        "a year's calendar": streak_chart(journal, weeks=53, today=TODAY),
    }
    for name, chart in crowded.items():
        assert set(_x_angles(chart.spec)) == {-45}, name


@pytest.mark.parametrize("make", CHARTS.values(), ids=CHARTS.keys())
def test_an_empty_journal_gets_a_friendly_chart(empty: Journal, make: Callable[[Journal], Chart]) -> None:
    chart = make(empty)
    assert [row["message"].replace("\n", " ") for row in _data(chart.spec, "text")] == [EMPTY]
    assert "No sessions yet" in chart.alt
    assert _titles(chart.spec, "x") and _titles(chart.spec, "y")
    assert "No sessions yet" in chart._repr_mimebundle_()["text/plain"]


@pytest.mark.parametrize("make", ALL_CHARTS.values(), ids=ALL_CHARTS.keys())
def test_charts_display_the_same_every_time(journal: Journal, make: Callable[[Journal], Chart]) -> None:
    first, second = make(journal)._repr_mimebundle_(), make(journal)._repr_mimebundle_()
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert set(first) == {MIMETYPE, "text/plain"}, "one chart path: Vega-Lite, with a text fallback"
    chart = make(journal)
    assert first["text/plain"] == f"{chart.title}\n{chart.alt}\n{chart.caption}"


def _nulls(value: Any, where: str = "spec") -> Iterator[str]:
    """Where a spec holds a null."""
    if value is None:
        yield where
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _nulls(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _nulls(item, f"{where}[{i}]")


@pytest.mark.parametrize("make", ALL_CHARTS.values(), ids=ALL_CHARTS.keys())
def test_no_chart_holds_a_null_which_the_site_would_lose(
    journal: Journal, empty: Journal, make: Callable[[Journal], Chart]
) -> None:
    """In the browser-only site Pyodide hands None to the page as undefined: Vega-Lite would then sort
    the days by name and title the legends with field names."""
    for source in (journal, empty):
        assert list(_nulls(make(source).spec)) == []


def test_the_days_and_weeks_keep_their_order_by_date(journal: Journal) -> None:
    for by in ("day", "week"):
        chart = minutes_chart(journal, by=by, today=TODAY)
        bars = _data(chart.spec, "bar")
        assert chart.spec["encoding"]["x"]["sort"] == [row["label"] for row in bars]
        assert [row["date"] for row in bars] == sorted(row["date"] for row in bars)


def test_minutes_per_day_bars_match_the_journal(journal: Journal) -> None:
    chart = minutes_chart(journal, today=TODAY)
    bars = _data(chart.spec, "bar")
    assert len(bars) == 14
    per_day = journal.minutes_per_day()
    by_date = {row["date"]: row["minutes"] for row in bars}
    assert by_date["2025-03-03"] == per_day[date(2025, 3, 3)] == 4
    assert sum(by_date.values()) == pytest.approx(sum(per_day.values()), abs=0.05)
    assert [row["label"] for row in bars][-1] == "Wed 12 Mar"
    labels = {row["date"]: row["text"] for row in _data(chart.spec, "text")}
    assert labels["2025-03-03"] == "4" and labels["2025-03-01"] == "", "bars carry their minutes as text"
    assert chart.title == "Minutes stretched per day"
    assert _titles(chart.spec, "y") == ["Minutes"]
    assert "practice in 6 of 14 days" in chart.alt


def test_minutes_per_week(journal: Journal) -> None:
    chart = minutes_chart(journal, by="week", today=TODAY)
    assert chart.title == "Minutes stretched per week"
    bars = _data(chart.spec, "bar")
    assert len(bars) == 8
    assert sum(r["minutes"] for r in bars) == pytest.approx(sum(journal.minutes_per_week().values()))


def test_the_pain_chart_marks_the_meaningful_change_and_cites_it(journal: Journal) -> None:
    chart = pain_chart(journal)
    points = _data(chart.spec, "line")
    assert {(p["when"], p["pain"]) for p in points if p["session"].startswith("1:")} == {
        ("Before", 6),
        ("After", 3),
    }
    (line,) = [v for v in _layers(chart.spec) if v.get("mark", {}).get("type") == "line"]
    shapes = line["encoding"]["shape"]["scale"]["range"]
    dashes = line["encoding"]["strokeDash"]["scale"]["range"]
    assert shapes[0] != shapes[1] and dashes[0] != dashes[1], "before and after differ by shape and dash too"
    rules = _data(chart.spec, "rule")
    assert sorted(r["y"] for r in rules) == [-MC, MC], "dashed lines at -2 and +2 points"
    (rule,) = [v for v in _layers(chart.spec) if v.get("mark", {}).get("type") == "rule"]
    assert rule["mark"]["strokeDash"]
    for key in COURSE.pain_scale.sources:
        assert COURSE.source(key).title in chart.caption
    assert COURSE.pain_scale.meaningful_change_text in chart.caption
    # 5 sessions have a rating; 4 have both; 3 of those dropped by 2 points or more.
    assert "5 sessions" in chart.alt and "4 sessions rated both" in chart.alt
    assert f"3 showed a drop of {MC} points or more" in chart.alt
    bars = _data(chart.spec, "bar")
    assert [b["change"] for b in bars] == [-3, -1, -2, -4]
    marked = [b for b in bars if b["text"].endswith("✓")]
    assert len(marked) == 3, "meaningful drops are ticked in words, not only coloured"
    assert {b["kind"] for b in marked} == {f"Drop of {MC}+ points"}


def test_the_pain_chart_without_ratings(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.sqlite3")
    j.record_session(routine="R", started_at=T0, duration_seconds=60, techniques=["cat-camel"])
    chart = pain_chart(j)
    assert "No pain ratings yet" in chart.alt
    assert "No pain ratings yet" in _data(chart.spec, "text")[0]["message"]


def test_the_streak_chart(journal: Journal) -> None:
    chart = streak_chart(journal, today=date(2025, 3, 8))
    assert chart.title == "Practice streak"
    assert "Current streak 6 days" in chart.alt and "longest streak 6 days" in chart.alt
    assert "Current streak: 6 days in a row" in chart.caption
    cells = _data(chart.spec, "point")
    done = [c["date"] for c in cells if c["status"] == "Practised"]
    assert done == [f"{d} Mar 2025" for d in range(3, 9)]
    assert len(cells) == 7 * 7 + 6, "seven full weeks and this week up to Saturday"
    (view,) = [v for v in _layers(chart.spec) if v.get("mark", {}).get("type") == "point"]
    shapes = view["encoding"]["shape"]["scale"]
    assert dict(zip(shapes["domain"], shapes["range"], strict=True)) == {
        "Practised": "square",
        "No session": "circle",
    }, "practised days differ by shape, not only by fill"
    assert _data(chart.spec, "text")[-1]["label"] == "Today"


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
    saved = chart.save(tmp_path / "pain.json")
    assert json.loads(saved.read_text(encoding="utf-8")) == chart.spec
    with pytest.raises(
        ValueError, match=r"path: a chart is saved as a Vega-Lite \.json file, got '.*c\.png'"
    ):
        chart.save(tmp_path / "c.png")


def test_importing_stretchkit_and_drawing_charts_does_not_import_matplotlib(tmp_path: Path) -> None:
    code = (
        "import sys, stretchkit, stretchkit.journal, stretchkit.charts\n"
        "from stretchkit.practice import Journal\n"
        f"j = Journal({str(tmp_path / 'j.sqlite3')!r})\n"
        "import datetime\n"
        "j.record_session(routine='R', started_at=datetime.datetime(2025, 3, 3), duration_seconds=60,\n"
        "                 techniques=['cat-camel'], pain_before=5)\n"
        "[c._repr_mimebundle_() for c in (j.minutes_chart(), j.pain_chart(), j.streak_chart())]\n"
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
