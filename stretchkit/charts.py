"""The journal's charts: minutes stretched, pain before versus after, and streaks.

Each chart is a :class:`Chart`: a matplotlib figure with a title, labelled axes, alt text
and a caption. It is drawn on a light card so it reads the same in JupyterLab's light and
dark themes, uses shapes and line styles as well as colour, and shows in a notebook as an
inline SVG that is identical from run to run (so notebook tests can compare it).
matplotlib is imported only when a chart is drawn.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .content import Course, load_course
from .journal import JournalStore, SessionRecord, longest_streak_of, streak_of
from .look import (
    BLUE,
    CARD,
    CARD_EDGE,
    GREEN,
    GRID,
    INK,
    MUTED,
    VERMILLION,
    figure_html,
    style,
    svg_img,
    svg_with_title,
)
from .wording import plural

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["Chart", "minutes_chart", "pain_chart", "streak_chart"]

EMPTY = "No sessions yet. Finish a guided session and your practice shows up here."

#: Chart colours on top of the course's look: text and axes in ink.
_SALT = "stretchkit-charts"
_RC: dict[str, Any] = {
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": MUTED,
    "xtick.color": INK,
    "ytick.color": INK,
}
_SVG_METADATA = {"Date": None, "Creator": "stretchkit charts"}


def _style() -> Any:
    return style(_SALT, _RC)


@dataclass(frozen=True, eq=False)
class Chart:
    """A chart for a notebook: figure, title, alt text and caption, with a stable display."""

    title: str
    alt: str
    caption: str
    figure: Figure = field(repr=False)

    def __repr__(self) -> str:
        return f"Chart({self.title})"

    def svg(self) -> str:
        """The chart as SVG markup, byte-identical for the same data (no dates or random ids)."""
        buf = io.BytesIO()
        with _style():
            self.figure.savefig(
                buf, format="svg", metadata=_SVG_METADATA, facecolor=self.figure.get_facecolor()
            )
        return svg_with_title(buf.getvalue().decode("utf-8"), self.title)

    def png(self) -> bytes:
        buf = io.BytesIO()
        with _style():
            self.figure.savefig(buf, format="png", dpi=144, metadata={"Software": None})
        return buf.getvalue()

    def save(self, path: str | Path) -> Path:
        """Save as .svg, .png or .pdf (by the file's suffix)."""
        p = Path(path)
        if p.suffix == ".svg":
            p.write_text(self.svg(), encoding="utf-8")
        elif p.suffix == ".png":
            p.write_bytes(self.png())
        else:
            with _style():
                self.figure.savefig(p, metadata={"CreationDate": None} if p.suffix == ".pdf" else None)
        return p

    def _repr_html_(self) -> str:
        return figure_html("stretchkit-chart", svg_img(self.svg().encode("utf-8"), self.alt), self.caption)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {"text/plain": repr(self), "text/html": self._repr_html_()}


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


def _figure(width: float, height: float, rows: int = 1) -> tuple[Figure, list[Axes]]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), facecolor=CARD, edgecolor=CARD_EDGE, linewidth=1.5)
    axes = [fig.add_subplot(rows, 1, i + 1) for i in range(rows)]
    for ax in axes:
        ax.set_facecolor(CARD)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color=GRID, linewidth=0.8)
        ax.set_axisbelow(True)
    return fig, axes


def _empty(ax: Axes, message: str) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color=MUTED, wrap=True)


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
    title = f"Minutes stretched per {by}"
    period = (
        f"{_day(starts[0])} to {_day(end)}" if by == "day" else f"the {count} weeks from {_day(starts[0])}"
    )
    with _style():
        fig, (ax,) = _figure(7.5, 3.6)
        ax.set_title(title, loc="left", fontsize=13, weight="bold")
        ax.set_xlabel("Day" if by == "day" else "Week starting (Monday)")
        ax.set_ylabel("Minutes")
        if not sessions:
            _empty(ax, EMPTY)
            return Chart(title, f"{title}: {EMPTY}", EMPTY, fig)
        xs = list(range(count))
        values = [totals[d] for d in starts]
        bars = ax.bar(xs, values, color=BLUE, edgecolor=INK, linewidth=0.6, width=0.7, label="Minutes")
        ax.bar_label(bars, labels=[_minutes(v) if v else "" for v in values], padding=2, fontsize=8)
        labels = [f"{d:%a}\n{d.day} {d:%b}" if by == "day" else f"{d.day} {d:%b}" for d in starts]
        ax.set_xticks(xs, labels, fontsize=8)
        ax.set_ylim(0, max([*values, 1.0]) * 1.2)
        fig.tight_layout()
    practised = [d for d in starts if totals[d]]
    total = sum(values)
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
    return Chart(title, alt, caption, fig)


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
    with _style():
        fig, (top, bottom) = _figure(7.5, 5.6, rows=2)
        top.set_title(title, loc="left", fontsize=13, weight="bold")
        top.set_ylabel("Pain (0-10)")
        top.set_xlabel("Session")
        bottom.set_ylabel("Change (after - before)")
        bottom.set_xlabel("Session")
        line = f"{mc}-point change"
        for y in (-mc, mc):
            bottom.axhline(y, color=INK, linestyle="--", linewidth=1.2, label=line if y < 0 else None)
        bottom.axhline(0, color=MUTED, linewidth=0.8)
        if not rated:
            message = (
                EMPTY if not sessions else "No pain ratings yet. Rate your pain before and after a session."
            )
            _empty(top, message)
            bottom.set_xticks([])
            bottom.set_ylim(-10.5, 10.5)
            bottom.legend(loc="upper right", frameon=False, fontsize=8)
            fig.tight_layout()
            return Chart(title, f"{title}: {message}", caption, fig)
        xs = list(range(1, len(rated) + 1))
        before = [s.pain_before for s in rated]
        after = [s.pain_after for s in rated]
        before_line = [float("nan") if v is None else v for v in before]
        after_line = [float("nan") if v is None else v for v in after]
        top.plot(xs, before_line, linestyle="--", marker="o", markerfacecolor=CARD, color=VERMILLION)
        top.lines[-1].set(linewidth=1.4, markersize=7, label="Before")
        top.plot(xs, after_line, linestyle="-", marker="s", color=BLUE, linewidth=1.6, markersize=6)
        top.lines[-1].set_label("After")
        top.set_ylim(-0.5, 10.5)
        top.set_yticks(range(0, 11, 2))
        top.legend(loc="upper right", ncols=2, frameon=False, fontsize=8)
        changes = [s.pain_change for s in rated]
        heights = [0 if c is None else c for c in changes]
        meaningful = [c is not None and c <= -mc for c in changes]
        colours = [GREEN if m else CARD for m in meaningful]
        bars = bottom.bar(xs, heights, color=colours, edgecolor=INK, linewidth=0.8, width=0.6)
        for bar, m in zip(bars, meaningful, strict=True):
            if m:
                bar.set_hatch("//")
        from matplotlib.patches import Patch

        handles, _labels = bottom.get_legend_handles_labels()
        handles.append(Patch(facecolor=GREEN, edgecolor=INK, hatch="//", label=f"Drop of {mc}+ points"))
        low = min([*heights, -mc]) - 1
        high = max([*heights, mc]) + 1
        bottom.set_ylim(low, high)
        bottom.legend(handles=handles, loc="upper right", ncols=2, frameon=False, fontsize=8)
        ticks = xs if len(xs) <= 12 else xs[:: max(1, len(xs) // 10)]
        labels = [f"{rated[i - 1].day.day} {rated[i - 1].day:%b}" for i in ticks]
        for ax in (top, bottom):
            ax.set_xticks(ticks, labels, fontsize=8)
            ax.set_xlim(0.4, len(xs) + 0.6)
        fig.tight_layout()
    pairs = [c for c in changes if c is not None]
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
    return Chart(title, f"Line chart and bar chart. {summary}", caption, fig)


# --- streaks -----------------------------------------------------------------------------------


def streak_chart(
    source: JournalStore | Iterable[SessionRecord], *, weeks: int = 8, today: date | None = None
) -> Chart:
    """A calendar of the last ``weeks`` weeks: a filled square for each day with practice."""
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= 53:
        raise ValueError(f"weeks must be a whole number from 1 to 53, got {weeks!r}")
    sessions = _sessions(source)
    end = today or date.today()
    days = {s.day for s in sessions}
    current = streak_of(days, end)
    longest = longest_streak_of(days)
    first = end - timedelta(days=end.weekday()) - timedelta(weeks=weeks - 1)
    title = "Practice streak"
    weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    with _style():
        fig, (ax,) = _figure(7.5, 3.4)
        ax.grid(False)
        ax.set_title(title, loc="left", fontsize=13, weight="bold")
        ax.set_xlabel("Week starting (Monday)")
        ax.set_ylabel("Day of the week")
        if not sessions:
            _empty(ax, EMPTY)
            return Chart(title, f"{title}: {EMPTY}", EMPTY, fig)
        done_x: list[int] = []
        done_y: list[int] = []
        open_x: list[int] = []
        open_y: list[int] = []
        for w in range(weeks):
            for d in range(7):
                day = first + timedelta(weeks=w, days=d)
                if day > end:
                    continue
                (done_x if day in days else open_x).append(w)
                (done_y if day in days else open_y).append(d)
        ax.scatter(
            open_x,
            open_y,
            marker="s",
            s=150,
            facecolor=CARD,
            edgecolor=MUTED,
            linewidth=1,
            label="No session",
        )
        ax.scatter(
            done_x, done_y, marker="s", s=150, facecolor=BLUE, edgecolor=INK, linewidth=1, label="Practised"
        )
        ax.scatter(
            [weeks - 1],
            [end.weekday()],
            marker="s",
            s=290,
            facecolor="none",
            edgecolor=INK,
            linewidth=2,
            label="Today",
        )
        ax.set_yticks(range(7), weekdays, fontsize=8)
        ax.invert_yaxis()
        starts = [first + timedelta(weeks=w) for w in range(weeks)]
        ax.set_xticks(range(weeks), [f"{d.day} {d:%b}" for d in starts], fontsize=8)
        ax.set_xlim(-0.7, weeks - 0.3)
        ax.set_ylim(6.7, -0.7)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
        note = f"Current streak:\n{plural(current, 'day')}\nLongest:\n{plural(longest, 'day')}"
        ax.text(1.02, 0.05, note, transform=ax.transAxes, fontsize=9, va="bottom")
        fig.tight_layout()
    shown = {d for d in days if first <= d <= end}
    alt = (
        f"Calendar of the {weeks} weeks from {_day(first)} to {_day(end)}, one square per day, "
        f"filled on days with a session: practice on {plural(len(shown), 'day')}. "
        f"Current streak {plural(current, 'day')}; longest streak {plural(longest, 'day')}."
    )
    caption = f"Current streak: {plural(current, 'day')} in a row. Longest: {plural(longest, 'day')}."
    return Chart(title, alt, caption, fig)
