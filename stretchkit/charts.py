"""The journal's charts: minutes stretched, pain before versus after, and streaks.

Each chart is a :class:`Chart`: a Vega-Lite specification with a title, labelled axes,
alt text and a caption. One chart path serves JupyterLab and the browser-only site: both
render ``application/vnd.vegalite.v5+json`` natively and offline (the
``@jupyterlab/vega5-extension`` renderer they ship), so no plotting library is needed in
the kernel. The chart sits on the course's light card, so it reads the same in light and
dark themes; series differ in shape, line style or labels as well as colour; the spec's
``description`` is the alt text (Vega gives it to screen readers), and anything that
cannot draw the spec shows the text fallback: title, alt text and caption. A spec holds
only the data and settings, so it is identical from run to run.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from .content import Course, load_course
from .journal import JournalStore, SessionRecord, longest_streak_of, streak_of
from .look import BLUE, CARD, CARD_EDGE, GREEN, GRID, INK, MUTED, VERMILLION
from .wording import plural

__all__ = ["MIMETYPE", "Chart", "minutes_chart", "pain_chart", "streak_chart"]

EMPTY = "No sessions yet. Finish a guided session and your practice shows up here."
#: The output type JupyterLab and JupyterLite both render with their built-in Vega renderer.
MIMETYPE = "application/vnd.vegalite.v5+json"
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # an identifier: never fetched
WIDTH = 520
FONT = "DejaVu Sans, Verdana, sans-serif"

#: The course's light card for every chart; text in ink; no actions that go online.
_CONFIG: dict[str, Any] = {
    "background": CARD,
    "padding": 12,
    "font": FONT,
    "view": {"stroke": None},
    "title": {
        "color": INK,
        "subtitleColor": MUTED,
        "anchor": "start",
        "fontSize": 15,
        "subtitleFontSize": 12,
    },
    "axis": {
        "labelColor": INK,
        "titleColor": INK,
        "domainColor": MUTED,
        "tickColor": MUTED,
        "gridColor": GRID,
        "labelFontSize": 11,
        "titleFontSize": 12,
    },
    "legend": {"labelColor": INK, "titleColor": INK, "labelFontSize": 12, "orient": "top"},
    "text": {"color": INK, "fontSize": 11},
}
_EMBED = {"renderer": "svg", "actions": {"export": True, "source": False, "compiled": False, "editor": False}}


@dataclass(frozen=True, eq=False)
class Chart:
    """A chart for a notebook: a Vega-Lite spec with its title, alt text and caption."""

    title: str
    alt: str
    caption: str
    spec: dict[str, Any] = field(repr=False)

    def __repr__(self) -> str:
        return f"Chart({self.title})"

    def text(self) -> str:
        """What a reader without the chart gets: title, alt text and caption."""
        return f"{self.title}\n{self.alt}\n{self.caption}"

    def to_json(self) -> str:
        """The Vega-Lite spec as JSON, the same bytes for the same data."""
        return json.dumps(self.spec, indent=1, sort_keys=True, ensure_ascii=False)

    def save(self, path: str | Path) -> Path:
        """Save the Vega-Lite spec as JSON (open it in any Vega-Lite viewer)."""
        p = Path(path)
        if p.suffix != ".json":
            raise ValueError(f"path: a chart is saved as a Vega-Lite .json file, got {str(path)!r}")
        p.write_text(self.to_json() + "\n", encoding="utf-8")
        return p

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {MIMETYPE: self.spec, "text/plain": self.text()}


def _spec(title: str, caption: str, alt: str, body: dict[str, Any], *, height: int = 220) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "description": alt,
        "title": {"text": title, "subtitle": _lines(caption)},
        "width": WIDTH,
        "height": height,
        "config": _CONFIG,
        "usermeta": {"embedOptions": _EMBED},
        **body,
    }


def _lines(text: str, width: int = 88) -> list[str]:
    return textwrap.wrap(text, width) or [""]


def _empty_layer(message: str) -> dict[str, Any]:
    """A message in the middle of the chart's frame, for a journal with nothing to show."""
    return {
        "data": {"values": [{"message": message}]},
        "mark": {"type": "text", "color": MUTED, "fontSize": 13, "lineBreak": "\n"},
        "encoding": {
            "text": {"field": "message"},
            "x": {"value": WIDTH / 2},
            "y": {"value": 100},
        },
    }


def _empty_chart(title: str, x_title: str, y_title: str, message: str, caption: str) -> Chart:
    """A friendly chart for an empty journal: the frame, its axis titles and the message."""
    body = {
        "layer": [
            {
                "data": {"values": [{"x": "", "y": 0}]},
                "mark": {"type": "point", "opacity": 0},
                "encoding": {
                    "x": {"field": "x", "type": "nominal", "title": x_title, "axis": {"labels": False}},
                    "y": {"field": "y", "type": "quantitative", "title": y_title, "axis": {"labels": False}},
                },
            },
            _empty_layer("\n".join(_lines(message, 60))),
        ]
    }
    return Chart(title, f"{title}: {message}", caption, _spec(title, caption, f"{title}: {message}", body))


# --- helpers -------------------------------------------------------------------------------


def _sessions(source: JournalStore | Iterable[SessionRecord]) -> list[SessionRecord]:
    if isinstance(source, JournalStore):
        return source.sessions()
    if isinstance(source, (str, bytes)) or not isinstance(source, Iterable):
        raise TypeError(f"source must be a Journal or a list of sessions, got {source!r}")
    return sorted(source, key=lambda s: (s.started_at.isoformat(), s.id))


def _course(source: object, course: Course | None) -> Course:
    if course is not None:
        return course
    return source.course if isinstance(source, JournalStore) else load_course()


def _day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def _minutes(x: float) -> str:
    return f"{x:.0f}" if x >= 10 or x == int(x) else f"{x:.1f}"


# --- minutes per day / week ---------------------------------------------------------------------


def minutes_chart(
    source: JournalStore | Iterable[SessionRecord],
    *,
    by: str = "day",
    periods: int | None = None,
    today: date | None = None,
) -> Chart:
    """Bars of minutes stretched per day (last 14 days) or per week (last 8 weeks), up to ``today``."""
    if by not in ("day", "week"):
        raise ValueError(f"by must be 'day' or 'week', got {by!r}")
    count = periods if periods is not None else (14 if by == "day" else 8)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 366:
        raise ValueError(f"periods must be a whole number from 1 to 366, got {periods!r}")
    sessions = _sessions(source)
    title = f"Minutes stretched per {by}"
    x_title = "Day" if by == "day" else "Week starting (Monday)"
    if not sessions:
        return _empty_chart(title, x_title, "Minutes", EMPTY, EMPTY)
    end = today or date.today()
    step = timedelta(days=1 if by == "day" else 7)
    if by == "week":
        end -= timedelta(days=end.weekday())
    starts = [end - step * (count - 1 - i) for i in range(count)]
    totals = dict.fromkeys(starts, 0.0)
    for s in sessions:
        key = s.day if by == "day" else s.day - timedelta(days=s.day.weekday())
        if key in totals:
            totals[key] += s.minutes
    period = (
        f"{_day(starts[0])} to {_day(end)}" if by == "day" else f"the {count} weeks from {_day(starts[0])}"
    )
    values = [
        {
            "date": d.isoformat(),
            "label": f"{d:%a} {d.day} {d:%b}" if by == "day" else f"{d.day} {d:%b}",
            "minutes": round(totals[d], 2),
            "text": _minutes(totals[d]) if totals[d] else "",
        }
        for d in starts
    ]
    practised = [d for d in starts if totals[d]]
    total = sum(totals.values())
    unit = "days" if by == "day" else "weeks"
    if practised:
        best = max(practised, key=lambda d: totals[d])
        detail = (
            f"practice in {len(practised)} of {count} {unit}, {_minutes(total)} minutes in all; "
            f"the most was {_minutes(totals[best])} minutes "
            + (f"on {_day(best)}." if by == "day" else f"in the week of {_day(best)}.")
        )
    else:
        detail = f"no practice in this period (the last session was on {_day(sessions[-1].day)})."
    alt = f"Bar chart of minutes stretched per {by}, {period}: {detail}"
    caption = f"Minutes stretched per {by}, {period}. Each bar is labelled with its minutes."
    x = {
        "field": "label",
        "type": "ordinal",
        "sort": None,
        "title": x_title,
        "axis": {"labelAngle": -45 if by == "day" else 0},
    }
    body = {
        "data": {"values": values},
        "encoding": {"x": x},
        "layer": [
            {
                "mark": {"type": "bar", "color": BLUE, "stroke": INK, "strokeWidth": 0.6},
                "encoding": {
                    "y": {"field": "minutes", "type": "quantitative", "title": "Minutes"},
                    "tooltip": [
                        {"field": "label", "title": "Day" if by == "day" else "Week of"},
                        {"field": "text", "title": "Minutes"},
                    ],
                },
            },
            {
                "mark": {"type": "text", "dy": -8},
                "encoding": {"y": {"field": "minutes", "type": "quantitative"}, "text": {"field": "text"}},
            },
        ],
    }
    return Chart(title, alt, caption, _spec(title, caption, alt, body))


# --- pain before versus after ----------------------------------------------------------------


def pain_chart(source: JournalStore | Iterable[SessionRecord], *, course: Course | None = None) -> Chart:
    """Pain before and after each rated session, and the change, with the meaningful change marked."""
    sessions = _sessions(source)
    course = _course(source, course)
    scale = course.pain_scale
    mc = scale.meaningful_change
    rated = [s for s in sessions if s.pain_before is not None or s.pain_after is not None]
    title = "Pain before versus after each session"
    cited = "; ".join(course.source(k).title for k in scale.sources)
    caption = (
        f"{scale.name}: {scale.low_anchor}; {scale.high_anchor}. "
        f"{scale.meaningful_change_text} Sources: {cited}."
    )
    if not rated:
        message = EMPTY if not sessions else "No pain ratings yet. Rate your pain before and after a session."
        return _empty_chart(title, "Session", "Pain (0-10)", message, caption)
    points: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    for i, s in enumerate(rated, start=1):
        label = f"{i}: {s.day.day} {s.day:%b}"
        for when, value in (("Before", s.pain_before), ("After", s.pain_after)):
            if value is not None:
                points.append({"session": label, "when": when, "pain": value})
        change = s.pain_change
        if change is not None:
            meaningful = change <= -mc
            changes.append(
                {
                    "session": label,
                    "change": change,
                    "kind": f"Drop of {mc}+ points" if meaningful else "Smaller change",
                    "text": f"{change:+d}" + (" ✓" if meaningful else ""),
                }
            )
    order = [f"{i}: {s.day.day} {s.day:%b}" for i, s in enumerate(rated, start=1)]
    x = {"field": "session", "type": "ordinal", "sort": order, "title": "Session (number: day)"}
    top = {
        "data": {"values": points},
        "height": 200,
        "mark": {"type": "line", "point": {"filled": True, "size": 70}, "strokeWidth": 2},
        "encoding": {
            "x": x,
            "y": {
                "field": "pain",
                "type": "quantitative",
                "title": "Pain (0-10)",
                "scale": {"domain": [0, 10]},
            },
            "color": {
                "field": "when",
                "type": "nominal",
                "title": None,
                "sort": ["Before", "After"],
                "scale": {"domain": ["Before", "After"], "range": [VERMILLION, BLUE]},
            },
            "shape": {
                "field": "when",
                "sort": ["Before", "After"],
                "scale": {"domain": ["Before", "After"], "range": ["circle", "square"]},
                "title": None,
            },
            "strokeDash": {
                "field": "when",
                "sort": ["Before", "After"],
                "scale": {"domain": ["Before", "After"], "range": [[6, 3], [1, 0]]},
                "title": None,
            },
            "tooltip": [{"field": "session"}, {"field": "when"}, {"field": "pain"}],
        },
    }
    low = min([-mc, *(c["change"] for c in changes)]) - 1
    high = max([mc, *(c["change"] for c in changes)]) + 1
    y_change = {
        "field": "change",
        "type": "quantitative",
        "title": "Change (after - before)",
        "scale": {"domain": [low, high]},
    }
    rules = {
        "data": {"values": [{"y": -mc, "text": f"{-mc} points"}, {"y": mc, "text": f"+{mc} points"}]},
        "layer": [
            {
                "mark": {"type": "rule", "color": INK, "strokeDash": [6, 4], "strokeWidth": 1.2},
                "encoding": {"y": {"field": "y", "type": "quantitative"}},
            },
            {
                "mark": {"type": "text", "align": "right", "dy": -6, "x": WIDTH, "color": MUTED},
                "encoding": {"y": {"field": "y", "type": "quantitative"}, "text": {"field": "text"}},
            },
        ],
    }
    bars = {
        "data": {"values": changes},
        "layer": [
            {
                "mark": {"type": "bar", "stroke": INK, "strokeWidth": 0.8, "width": {"band": 0.6}},
                "encoding": {
                    "x": x,
                    "y": y_change,
                    "fill": {
                        "field": "kind",
                        "type": "nominal",
                        "title": None,
                        "scale": {
                            "domain": [f"Drop of {mc}+ points", "Smaller change"],
                            "range": [GREEN, CARD],
                        },
                    },
                    "tooltip": [{"field": "session"}, {"field": "change"}, {"field": "kind"}],
                },
            },
            {
                # Above the bar, or above the zero line for a drop, so the label never sits on it.
                "transform": [{"calculate": "max(datum.change, 0)", "as": "top"}],
                "mark": {"type": "text", "dy": -8},
                "encoding": {
                    "x": x,
                    "y": {**y_change, "field": "top", "title": None},
                    "text": {"field": "text"},
                },
            },
        ],
    }
    bottom = {"height": 160, "layer": [bars, rules]}
    pairs = [s.pain_change for s in rated if s.pain_change is not None]
    span = f"from {_day(rated[0].day)} to {_day(rated[-1].day)}"
    summary = f"Pain ratings for {plural(len(rated), 'session')} {span}"
    if pairs:
        drops = sum(1 for c in pairs if c <= -mc)
        mean_before = sum(s.pain_before or 0 for s in rated if s.pain_change is not None) / len(pairs)
        mean_after = sum(s.pain_after or 0 for s in rated if s.pain_change is not None) / len(pairs)
        summary += (
            f". In the {plural(len(pairs), 'session')} rated both before and after, pain averaged "
            f"{mean_before:.1f} before and {mean_after:.1f} after; {drops} showed a drop of {mc} points "
            f"or more, the smallest change commonly cited as mattering "
            f"(dashed lines mark {mc} points each way)."
        )
    else:
        summary += ", none rated both before and after."
    alt = f"Line chart and bar chart. {summary}"
    body = {"vconcat": [top, bottom]}
    spec = _spec(title, caption, alt, body)
    del spec["height"], spec["width"]
    for part in (top, bottom):
        part["width"] = WIDTH
    return Chart(title, alt, caption, spec)


# --- streaks -----------------------------------------------------------------------------------


def streak_chart(
    source: JournalStore | Iterable[SessionRecord], *, weeks: int = 8, today: date | None = None
) -> Chart:
    """A calendar of the last ``weeks`` weeks: a filled square for each day with practice."""
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= 53:
        raise ValueError(f"weeks must be a whole number from 1 to 53, got {weeks!r}")
    sessions = _sessions(source)
    title = "Practice streak"
    if not sessions:
        return _empty_chart(title, "Week starting (Monday)", "Day of the week", EMPTY, EMPTY)
    end = today or date.today()
    days = {s.day for s in sessions}
    current = streak_of(days, end)
    longest = longest_streak_of(days)
    first = end - timedelta(days=end.weekday()) - timedelta(weeks=weeks - 1)
    weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    cells = []
    for w in range(weeks):
        week = first + timedelta(weeks=w)
        for d in range(7):
            day = week + timedelta(days=d)
            if day > end:
                continue
            cells.append(
                {
                    "week": f"{week.day} {week:%b}",
                    "weekday": weekdays[d],
                    "date": _day(day),
                    "status": "Practised" if day in days else "No session",
                }
            )
    order = [f"{(first + timedelta(weeks=w)).day} {first + timedelta(weeks=w):%b}" for w in range(weeks)]
    x = {"field": "week", "type": "ordinal", "sort": order, "title": "Week starting (Monday)"}
    y = {"field": "weekday", "type": "ordinal", "sort": weekdays, "title": "Day of the week"}
    body = {
        "height": 7 * 26,
        "layer": [
            {
                "data": {"values": cells},
                "mark": {"type": "point", "filled": True, "size": 260, "strokeWidth": 1},
                "encoding": {
                    "x": x,
                    "y": y,
                    "shape": {
                        "field": "status",
                        "title": None,
                        "scale": {"domain": ["Practised", "No session"], "range": ["square", "circle"]},
                    },
                    "fill": {
                        "field": "status",
                        "title": None,
                        "scale": {"domain": ["Practised", "No session"], "range": [BLUE, CARD]},
                    },
                    "stroke": {
                        "field": "status",
                        "title": None,
                        "scale": {"domain": ["Practised", "No session"], "range": [INK, CARD_EDGE]},
                    },
                    "tooltip": [{"field": "date"}, {"field": "status"}],
                },
            },
            {
                "data": {
                    "values": [{"week": order[-1], "weekday": weekdays[end.weekday()], "label": "Today"}]
                },
                "layer": [
                    {
                        "mark": {
                            "type": "square",
                            "filled": False,
                            "size": 620,
                            "stroke": INK,
                            "strokeWidth": 2,
                        }
                    },
                    {
                        "mark": {"type": "text", "dx": 22, "align": "left", "fontWeight": "bold"},
                        "encoding": {"text": {"field": "label"}},
                    },
                ],
                "encoding": {"x": x, "y": y},
            },
        ],
    }
    shown = {d for d in days if first <= d <= end}
    alt = (
        f"Calendar of the {weeks} weeks from {_day(first)} to {_day(end)}, one square per day, "
        f"filled on days with a session: practice on {plural(len(shown), 'day')}. "
        f"Current streak {plural(current, 'day')}; longest streak {plural(longest, 'day')}."
    )
    caption = f"Current streak: {plural(current, 'day')} in a row. Longest: {plural(longest, 'day')}."
    return Chart(title, alt, caption, _spec(title, caption, alt, body, height=7 * 26))
