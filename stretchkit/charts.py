"""The journal's charts: minutes stretched, pain before versus after, streaks, and the everyday goal.

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
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from .content import load_course
from .course import Course, GoalScale, PainScale
from .journal import GoalRating, JournalStore, SessionRecord, longest_streak_of, streak_of
from .look import BLUE, CARD, CARD_EDGE, GREEN, GRID, INK, MUTED, VERMILLION
from .wording import cite, plural, quoted, times

__all__ = ["MIMETYPE", "Chart", "goal_chart", "minutes_chart", "pain_chart", "streak_chart"]

EMPTY = "No sessions yet. Finish a guided session and your practice shows up here."
NO_GOAL = "No everyday goal yet. Name an activity your back pain makes hard, and rate it from 0 to 10."
#: The output type JupyterLab and JupyterLite both render with their built-in Vega renderer.
MIMETYPE = "application/vnd.vegalite.v5+json"
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # an identifier: never fetched
WIDTH = 520
FONT = "DejaVu Sans, Verdana, sans-serif"
#: The smallest text a chart draws (axis labels and titles, the subtitle, legends, values), in px:
#: at least 12 px for older eyes, with a little over for a chart drawn narrower than its spec.
TEXT_PX = 13
#: How wide DejaVu Sans draws a character, on average, as a share of the font size.
_CHAR_EM = 0.62

#: The course's light card for every chart; text in ink; no actions that go online. No spec holds a
#: null (None): in the browser-only site Pyodide hands Python's None to the page as undefined, which
#: Vega-Lite reads as "not set" (a default title, a default sort), so each is said another way.
_CONFIG: dict[str, Any] = {
    "background": CARD,
    "padding": 12,
    "font": FONT,
    "view": {"strokeWidth": 0},
    "title": {
        "color": INK,
        "subtitleColor": MUTED,
        "anchor": "start",
        "fontSize": 16,
        "subtitleFontSize": TEXT_PX,
    },
    "axis": {
        "labelColor": INK,
        "titleColor": INK,
        "domainColor": MUTED,
        "tickColor": MUTED,
        "gridColor": GRID,
        "labelFontSize": TEXT_PX,
        "titleFontSize": TEXT_PX,
    },
    "legend": {"labelColor": INK, "titleColor": INK, "labelFontSize": TEXT_PX, "orient": "top"},
    "text": {"color": INK, "fontSize": TEXT_PX},
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


def _chart(title: str, alt: str, caption: str, body: dict[str, Any], *, height: int | None = 220) -> Chart:
    """The chart for a Vega-Lite ``body``: alt text as its description, caption as its subtitle.

    Without a ``height`` the spec has no size of its own (a concatenation sizes its parts).
    """
    spec: dict[str, Any] = {
        "$schema": SCHEMA,
        "description": alt,
        "title": {"text": title, "subtitle": _lines(caption)},
    }
    if height is not None:
        spec |= {"width": WIDTH, "height": height}
    spec |= {"config": _CONFIG, "usermeta": {"embedOptions": _EMBED}, **body}
    return Chart(title, alt, caption, spec)


def _lines(text: str, width: int = 88) -> list[str]:
    return textwrap.wrap(text, width) or [""]


def _empty_layer(message: str) -> dict[str, Any]:
    """A message in the middle of the chart's frame, for a journal with nothing to show."""
    return {
        "data": {"values": [{"message": message}]},
        "mark": {"type": "text", "color": MUTED, "fontSize": TEXT_PX + 1, "lineBreak": "\n"},
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
    return _chart(title, f"{title}: {message}", caption, body)


# --- the specs' building blocks -------------------------------------------------------------


def _ordinal(field: str, order: list[str], title: str, **extra: Any) -> dict[str, Any]:
    """An axis of labelled steps (days, weeks, sessions) in the given order."""
    return {"field": field, "type": "ordinal", "sort": order, "title": title, **extra}


def _steps_along(field: str, labels: list[str], title: str) -> dict[str, Any]:
    """The x axis of labelled steps: its labels level when each fits its step, slanted when not.

    Vega-Lite stands the labels of such an axis on end by default; level text is easier to read,
    so they slant only when the widest label is wider than the chart divided by the steps.
    """
    widest = max((len(label) for label in labels), default=0) * _CHAR_EM * TEXT_PX
    fits = widest + TEXT_PX / 2 <= WIDTH / max(len(labels), 1)
    return _ordinal(field, labels, title, axis={"labelAngle": 0 if fits else -45})


def _quantity(field: str, title: str | None = None, domain: list[int] | None = None) -> dict[str, Any]:
    """A numeric axis; untitled where another layer already titles it."""
    channel: dict[str, Any] = {"field": field, "type": "quantitative"}
    if title is not None:
        channel["title"] = title
    if domain is not None:
        channel["scale"] = {"domain": domain}
    return channel


def _series(
    field: str, domain: list[str], values: list[Any], *, nominal: bool = False, ordered: bool = False
) -> dict[str, Any]:
    """A channel (colour, shape, dashes...) that tells the series apart; the legend names them itself."""
    channel: dict[str, Any] = {"field": field}
    if nominal:
        channel["type"] = "nominal"
    channel["title"] = ""
    if ordered:
        channel["sort"] = domain
    channel["scale"] = {"domain": domain, "range": values}
    return channel


def _text_layer(encoding: dict[str, Any], **mark: Any) -> dict[str, Any]:
    """A layer writing each row's ``text`` at its place, so values read without hovering."""
    return {"mark": {"type": "text", **mark}, "encoding": {**encoding, "text": {"field": "text"}}}


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


def _whole(name: str, value: object, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
        raise ValueError(f"{name} must be a whole number from 1 to {high}, got {value!r}")
    return value


def _day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def _short_day(d: date) -> str:
    return f"{d.day} {d:%b}"


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


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
    count = _whole("periods", periods if periods is not None else (14 if by == "day" else 8), 366)
    sessions = _sessions(source)
    title = f"Minutes stretched per {by}"
    x_title = "Day" if by == "day" else "Week starting (Monday)"
    if not sessions:
        return _empty_chart(title, x_title, "Minutes", EMPTY, EMPTY)
    end = today or date.today()
    totals = _totals(sessions, by, count, end)
    first = _day(next(iter(totals)))
    period = f"{first} to {_day(end)}" if by == "day" else f"the {count} weeks from {first}"
    alt = (
        f"Bar chart of minutes stretched per {by}, {period}: {_minutes_detail(by, totals, sessions[-1].day)}"
    )
    caption = f"Minutes stretched per {by}, {period}. Each bar is labelled with its minutes."
    return _chart(title, alt, caption, _minutes_body(by, x_title, totals))


def _totals(sessions: list[SessionRecord], by: str, count: int, end: date) -> dict[date, float]:
    """Minutes per period, by the period's first day, for the ``count`` periods up to ``end``."""
    step = timedelta(days=1 if by == "day" else 7)
    last = end if by == "day" else _monday(end)
    totals = dict.fromkeys((last - step * (count - 1 - i) for i in range(count)), 0.0)
    for s in sessions:
        key = s.day if by == "day" else _monday(s.day)
        if key in totals:
            totals[key] += s.minutes
    return totals


def _minutes_detail(by: str, totals: dict[date, float], last_session: date) -> str:
    """The alt text's account of the bars: how often, how much in all, and the most."""
    practised = [d for d, total in totals.items() if total]
    if not practised:
        return f"no practice in this period (the last session was on {_day(last_session)})."
    best = max(practised, key=lambda d: totals[d])
    unit = "days" if by == "day" else "weeks"
    total = _minutes(sum(totals.values()))
    return (
        f"practice in {len(practised)} of {len(totals)} {unit}, {total} minutes in all; "
        f"the most was {_minutes(totals[best])} minutes "
        + (f"on {_day(best)}." if by == "day" else f"in the week of {_day(best)}.")
    )


def _minutes_body(by: str, x_title: str, totals: dict[date, float]) -> dict[str, Any]:
    """The bars, each labelled with its minutes."""
    labels = [f"{d:%a} {d.day} {d:%b}" if by == "day" else _short_day(d) for d in totals]
    values = [
        {
            "date": d.isoformat(),
            "label": label,
            "minutes": round(total, 2),
            "text": _minutes(total) if total else "",
        }
        for label, (d, total) in zip(labels, totals.items(), strict=True)
    ]
    bars = {
        "mark": {"type": "bar", "color": BLUE, "stroke": INK, "strokeWidth": 0.6},
        "encoding": {
            "y": _quantity("minutes", "Minutes"),
            "tooltip": [
                {"field": "label", "title": "Day" if by == "day" else "Week of"},
                {"field": "text", "title": "Minutes"},
            ],
        },
    }
    x = _steps_along("label", labels, x_title)
    return {
        "data": {"values": values},
        "encoding": {"x": x},
        "layer": [bars, _text_layer({"y": _quantity("minutes")}, dy=-8)],
    }


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
        return _empty_chart(title, "Session", _pain_axis(scale), message, caption)
    labels = [f"{i}: {_short_day(s.day)}" for i, s in enumerate(rated, start=1)]
    x = _steps_along("session", labels, "Session (number: day)")
    body = {"vconcat": [_pain_lines(rated, labels, x, scale), _pain_changes(rated, labels, x, mc)]}
    return _chart(title, f"Line chart and bar chart. {_pain_summary(rated, mc)}", caption, body, height=None)


def _pain_axis(scale: PainScale) -> str:
    return f"Pain ({scale.lowest}-{scale.highest})"


def _pain_lines(
    rated: list[SessionRecord], labels: list[str], x: dict[str, Any], scale: PainScale
) -> dict[str, Any]:
    """The upper view: a line of pain before and one of pain after, told apart by more than colour."""
    points = _pain_points(rated, [{"session": label} for label in labels])
    return {
        "data": {"values": points},
        "height": 200,
        "mark": {"type": "line", "point": {"filled": True, "size": 70}, "strokeWidth": 2},
        "encoding": _pain_encoding(x, scale, [{"field": "session"}]),
        "width": WIDTH,
    }


_WHEN = ["Before", "After"]


def _pain_points(rated: list[SessionRecord], where: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each rated session's pain before and after, placed on the x axis by ``where``."""
    return [
        {**at, "when": when, "pain": value}
        for at, s in zip(where, rated, strict=True)
        for when, value in zip(_WHEN, (s.pain_before, s.pain_after), strict=True)
        if value is not None
    ]


def _pain_encoding(x: dict[str, Any], scale: PainScale, tooltip: list[dict[str, str]]) -> dict[str, Any]:
    """Pain before and after on the scale's axis, told apart by colour, shape and dash."""
    return {
        "x": x,
        "y": _quantity("pain", _pain_axis(scale), [scale.lowest, scale.highest]),
        "color": _series("when", _WHEN, [VERMILLION, BLUE], nominal=True, ordered=True),
        "shape": _series("when", _WHEN, ["circle", "square"], ordered=True),
        "strokeDash": _series("when", _WHEN, [[6, 3], [1, 0]], ordered=True),
        "tooltip": [*tooltip, {"field": "when"}, {"field": "pain"}],
    }


def _pain_changes(
    rated: list[SessionRecord], labels: list[str], x: dict[str, Any], mc: int
) -> dict[str, Any]:
    """The lower view: a bar of each session's change, with dashed rules at the meaningful change."""
    drop = f"Drop of {mc}+ points"
    changes: list[dict[str, Any]] = [
        {
            "session": label,
            "change": s.pain_change,
            "kind": drop if s.pain_change <= -mc else "Smaller change",
            "text": f"{s.pain_change:+d}" + (" ✓" if s.pain_change <= -mc else ""),
        }
        for label, s in zip(labels, rated, strict=True)
        if s.pain_change is not None
    ]
    low = min([-mc, *(c["change"] for c in changes)]) - 1
    high = max([mc, *(c["change"] for c in changes)]) + 1
    y_change = _quantity("change", "Change (after - before)", [low, high])
    bars = {
        "mark": {"type": "bar", "stroke": INK, "strokeWidth": 0.8, "width": {"band": 0.6}},
        "encoding": {
            "x": x,
            "y": y_change,
            "fill": _series("kind", [drop, "Smaller change"], [GREEN, CARD], nominal=True),
            "tooltip": [{"field": "session"}, {"field": "change"}, {"field": "kind"}],
        },
    }
    # Above the bar, or above the zero line for a drop, so the label never sits on it.
    labelled = {
        "transform": [{"calculate": "max(datum.change, 0)", "as": "top"}],
        **_text_layer({"x": x, "y": {**y_change, "field": "top"}}, dy=-8),
    }
    rules = {
        "data": {"values": [{"y": -mc, "text": f"{-mc} points"}, {"y": mc, "text": f"+{mc} points"}]},
        "layer": [
            {
                "mark": {"type": "rule", "color": INK, "strokeDash": [6, 4], "strokeWidth": 1.2},
                "encoding": {"y": _quantity("y")},
            },
            _text_layer({"y": _quantity("y")}, align="right", dy=-6, x=WIDTH, color=MUTED),
        ],
    }
    return {
        "height": 160,
        "layer": [{"data": {"values": changes}, "layer": [bars, labelled]}, rules],
        "width": WIDTH,
    }


def _pain_summary(rated: list[SessionRecord], mc: int) -> str:
    """The alt text's account: how many sessions, the average before and after, how many drops."""
    pairs = [s.pain_change for s in rated if s.pain_change is not None]
    span = f"from {_day(rated[0].day)} to {_day(rated[-1].day)}"
    summary = f"Pain ratings for {plural(len(rated), 'session')} {span}"
    if not pairs:
        return summary + ", none rated both before and after."
    drops = sum(1 for c in pairs if c <= -mc)
    mean_before = sum(s.pain_before or 0 for s in rated if s.pain_change is not None) / len(pairs)
    mean_after = sum(s.pain_after or 0 for s in rated if s.pain_change is not None) / len(pairs)
    return summary + (
        f". In the {plural(len(pairs), 'session')} rated both before and after, pain averaged "
        f"{mean_before:.1f} before and {mean_after:.1f} after; {drops} showed a drop of {mc} points "
        f"or more, the smallest change commonly cited as mattering "
        f"(dashed lines mark {mc} points each way)."
    )


# --- streaks -----------------------------------------------------------------------------------

_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def streak_chart(
    source: JournalStore | Iterable[SessionRecord], *, weeks: int = 8, today: date | None = None
) -> Chart:
    """A calendar of the last ``weeks`` weeks: a filled square for each day with practice."""
    weeks = _whole("weeks", weeks, 53)
    sessions = _sessions(source)
    title = "Practice streak"
    if not sessions:
        return _empty_chart(title, "Week starting (Monday)", "Day of the week", EMPTY, EMPTY)
    end = today or date.today()
    days = {s.day for s in sessions}
    current = plural(streak_of(days, end), "day")
    longest = plural(longest_streak_of(days), "day")
    first = _monday(end) - timedelta(weeks=weeks - 1)
    shown = {d for d in days if first <= d <= end}
    alt = (
        f"Calendar of the {weeks} weeks from {_day(first)} to {_day(end)}, one square per day, "
        f"filled on days with a session: practice on {plural(len(shown), 'day')}. "
        f"Current streak {current}; longest streak {longest}."
    )
    caption = f"Current streak: {current} in a row. Longest: {longest}."
    return _chart(title, alt, caption, _calendar(days, first, weeks, end), height=7 * 26)


def _calendar(days: set[date], first: date, weeks: int, end: date) -> dict[str, Any]:
    """A mark per day from ``first`` to ``end``, a week a column, and a frame around today."""
    mondays = [first + timedelta(weeks=w) for w in range(weeks)]
    cells = [
        {
            "week": _short_day(week),
            "weekday": _WEEKDAYS[d],
            "date": _day(week + timedelta(days=d)),
            "status": "Practised" if week + timedelta(days=d) in days else "No session",
        }
        for week in mondays
        for d in range(7)
        if week + timedelta(days=d) <= end
    ]
    order = [_short_day(week) for week in mondays]
    x = _steps_along("week", order, "Week starting (Monday)")
    y = _ordinal("weekday", _WEEKDAYS, "Day of the week")
    status = ["Practised", "No session"]
    marks = {
        "data": {"values": cells},
        "mark": {"type": "point", "filled": True, "size": 260, "strokeWidth": 1},
        "encoding": {
            "x": x,
            "y": y,
            "shape": _series("status", status, ["square", "circle"]),
            "fill": _series("status", status, [BLUE, CARD]),
            "stroke": _series("status", status, [INK, CARD_EDGE]),
            "tooltip": [{"field": "date"}, {"field": "status"}],
        },
    }
    today = {
        "data": {"values": [{"week": order[-1], "weekday": _WEEKDAYS[end.weekday()], "label": "Today"}]},
        "layer": [
            {"mark": {"type": "square", "filled": False, "size": 620, "stroke": INK, "strokeWidth": 2}},
            {
                "mark": {"type": "text", "dx": 22, "align": "left", "fontWeight": "bold"},
                "encoding": {"text": {"field": "label"}},
            },
        ],
        "encoding": {"x": x, "y": y},
    }
    return {"layer": [marks, today]}


# --- the everyday goal beside pain --------------------------------------------------------------

#: The channels that tell a view's series apart: each view of the goal chart has its own.
_SERIES = ("color", "shape", "strokeDash")
#: How the goal's activities are told apart, the one rated last first: colour, shape and line style.
_GOAL_LOOK = ((GREEN, "diamond", [1, 0]), (MUTED, "triangle-up", [4, 3]), (INK, "cross", [1, 3]))


def goal_chart(
    source: JournalStore | Iterable[GoalRating],
    *,
    sessions: Iterable[SessionRecord] | None = None,
    course: Course | None = None,
) -> Chart:
    """The everyday goal's ratings over time and, below them on the same dates, pain before and
    after each rated session: the goal higher is better, pain lower is better."""
    course = _course(source, course)
    scale = course.goal
    if scale is None:
        raise ValueError("goal: this course has no goal scale (a [goal] table in its content)")
    if isinstance(source, JournalStore):
        ratings = source.goal_ratings()
        sessions = source.sessions() if sessions is None else sessions
    elif isinstance(source, (str, bytes)) or not isinstance(source, Iterable):
        raise TypeError(f"source must be a Journal or a list of goal ratings, got {source!r}")
    else:
        ratings = sorted(source, key=lambda r: r.at)
    rated = [s for s in _sessions(sessions or []) if s.pain_before is not None or s.pain_after is not None]
    title = f"{scale.name} beside your pain"
    pain = course.pain_scale
    caption = (
        f"Your activity: {scale.low_anchor}; {scale.high_anchor} (higher is better). Your pain below, "
        f"on the same dates: {pain.low_anchor}; {pain.high_anchor} (lower is better). "
        f"After the idea of {scale.idea} ({cite(course, scale.about.source)})."
    )
    if not ratings:
        return _empty_chart(title, "Date", _goal_axis(scale), NO_GOAL, caption)
    # Each on the clock it was recorded by (a session's time has its zone, a rating's may not), as _when.
    times = [t.replace(tzinfo=None) for t in [*(r.at for r in ratings), *(s.started_at for s in rated)]]
    first, last = min(times).date(), max(times).date()
    x = {
        "field": "at",
        "type": "temporal",
        "title": "Date",
        "scale": {"domain": [_moment(first), _moment(last + timedelta(days=1))]},
        "axis": {
            "format": "%-d %b",
            "labelAngle": 0,
            "tickCount": {"interval": "day", "step": max(1, -(-((last - first).days + 1) // 7))},
        },
    }
    views = [_goal_view(ratings, x, scale)]
    if rated:
        views.append(_pain_by_date(rated, x, pain))
    body = {
        "vconcat": views,
        "resolve": {
            "scale": {"x": "shared", "y": "independent", **dict.fromkeys(_SERIES, "independent")},
            "legend": dict.fromkeys(_SERIES, "independent"),
        },
    }
    alt = (
        f"Line charts on one date axis. {_goal_summary(ratings, scale)} {_pain_by_date_summary(rated, pain)}"
    )
    return _chart(title, alt, caption, body, height=None)


def _moment(d: date) -> dict[str, int]:
    """A day's start as a Vega-Lite DateTime: the chart's own clock, as the data's times are."""
    return {"year": d.year, "month": d.month, "date": d.day, "hours": 0}


def _when(at: datetime) -> str:
    """A time as the spec holds it: no time zone, so it is read as the learner's own clock."""
    return at.replace(tzinfo=None).isoformat(timespec="seconds")


def _goal_axis(scale: GoalScale) -> str:
    return f"How well you can do it ({scale.lowest}-{scale.highest})"


def _activities(ratings: list[GoalRating]) -> list[str]:
    """The activities rated, the one rated last first, then the earlier ones from the latest."""
    order: list[str] = []
    for r in reversed(ratings):
        if r.activity not in order:
            order.append(r.activity)
    return order


def _goal_view(ratings: list[GoalRating], x: dict[str, Any], scale: GoalScale) -> dict[str, Any]:
    """The upper view: a line of ratings for each activity named, each labelled with its rating."""
    names = _activities(ratings)
    looks = [_GOAL_LOOK[min(i, len(_GOAL_LOOK) - 1)] for i in range(len(names))]
    points = [
        {
            "at": _when(r.at),
            "day": _day(r.at.date()),
            "activity": r.activity,
            "rating": r.rating,
            "text": str(r.rating),
        }
        for r in ratings
    ]
    y = _quantity("rating", _goal_axis(scale), [scale.lowest, scale.highest])
    line = {
        "mark": {"type": "line", "point": {"filled": True, "size": 90}, "strokeWidth": 2.5},
        "encoding": {
            "color": {
                **_series("activity", names, [c for c, _, _ in looks], nominal=True, ordered=True),
                "legend": {"labelLimit": WIDTH},  # the learner's own words, whole where they fit
            },
            "shape": _series("activity", names, [m for _, m, _ in looks], ordered=True),
            "strokeDash": _series("activity", names, [d for _, _, d in looks], ordered=True),
            "tooltip": [{"field": "day", "title": "Day"}, {"field": "activity"}, {"field": "rating"}],
        },
    }
    return {
        "data": {"values": points},
        "height": 170,
        "width": WIDTH,
        "encoding": {"x": x, "y": y},
        "layer": [line, _text_layer({}, dy=-12)],
    }


def _pain_by_date(rated: list[SessionRecord], x: dict[str, Any], scale: PainScale) -> dict[str, Any]:
    """The lower view: pain before and after each rated session, at the session's time."""
    points = _pain_points(rated, [{"at": _when(s.started_at), "day": _day(s.day)} for s in rated])
    return {
        "data": {"values": points},
        "height": 150,
        "width": WIDTH,
        "mark": {"type": "line", "point": {"filled": True, "size": 60}, "strokeWidth": 1.5},
        "encoding": _pain_encoding(x, scale, [{"field": "day", "title": "Day"}]),
    }


def _goal_summary(ratings: list[GoalRating], scale: GoalScale) -> str:
    """The alt text's account of the goal: each activity's ratings, the one rated last first."""
    parts = []
    for i, name in enumerate(_activities(ratings)):
        own = [r for r in ratings if r.activity == name]
        said = quoted(name) if i == 0 else f"before that, {quoted(name)}"
        if len(own) == 1:
            parts.append(f"{said}, rated once: {own[0].rating} on {_day(own[0].at.date())}")
        else:
            low, high = min(r.rating for r in own), max(r.rating for r in own)
            parts.append(
                f"{said}, rated {times(len(own))} from {_day(own[0].at.date())} to "
                f"{_day(own[-1].at.date())}: "
                f"{own[0].rating} at first and {own[-1].rating} most recently (lowest {low}, highest {high})"
            )
    return f"Your everyday goal, {'; '.join(parts)}. On its scale {scale.low_anchor} and {scale.high_anchor}."


def _pain_by_date_summary(rated: list[SessionRecord], scale: PainScale) -> str:
    if not rated:
        return "No pain ratings yet to show below it."
    before = [s.pain_before for s in rated if s.pain_before is not None]
    after = [s.pain_after for s in rated if s.pain_after is not None]
    averages = [
        f"{sum(values) / len(values):.1f} {word}"
        for word, values in (("before", before), ("after", after))
        if values
    ]
    return (
        f"Below, pain ratings for {plural(len(rated), 'session')} from {_day(rated[0].day)} to "
        f"{_day(rated[-1].day)}, averaging {' and '.join(averages)} "
        f"({scale.lowest} to {scale.highest}, lower is better)."
    )
