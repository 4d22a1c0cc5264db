"""The journal's view in lesson 08: its charts, the everyday goal and the CSV exports, kept up to date.

:class:`JournalView` draws the three charts, shows the everyday goal (a
:class:`~stretchkit.goal.GoalPanel`: name an activity, rate it, its chart beside pain) and writes
the CSV exports (sessions, and the goal's ratings), and does all of it again
whenever the journal's file changes in this kernel (a guided session saved, a rating
updated), so a learner never needs to re-run a cell to see a session they just saved.
Another notebook's kernel, or in the browser-only site another tab, may save a session too:
the view reads the journal again when its page becomes visible again (a small anywidget,
``static/visibility.js``, hears the page's ``visibilitychange``), and a Refresh button does
so on request. It says where the journal lives: a file on this computer, or this
browser's storage in the browser-only site, with a download link for the CSV.
"""

from __future__ import annotations

import base64
import html
import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets

from ._widget import STATIC, StaticFallback
from .charts import Chart
from .export import MY_FILES
from .goal import GoalPanel
from .journal import GoalRating, SessionRecord
from .lessons import in_browser
from .practice import Journal
from .wording import plural

__all__ = ["JournalView"]


def _now() -> datetime:
    """Now, with this computer's time zone, as the guided session records a session's time."""
    return datetime.now().astimezone()


class PageShown(anywidget.AnyWidget):  # type: ignore[misc]
    """Hears the page becoming visible again and calls ``callback()``; shows nothing itself."""

    _esm = STATIC / "visibility.js"

    def __init__(self, callback: Callable[[], object]) -> None:
        super().__init__(layout=widgets.Layout(display="none"))
        self._callback = callback
        self.on_msg(self._message)

    def _message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("event") == "visible":
            self._callback()

    def __repr__(self) -> str:
        return "PageShown()"


class JournalView(StaticFallback, widgets.VBox):  # type: ignore[misc]
    """The practice journal's charts and CSV export, redrawn whenever the journal changes."""

    def __init__(
        self,
        journal: Journal | None = None,
        *,
        csv: str | os.PathLike[str] = MY_FILES / "my-sessions.csv",
        goal_csv: str | os.PathLike[str] = MY_FILES / "my-goal.csv",
        browser: bool | None = None,
        today: date | None = None,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.journal = journal if journal is not None else Journal()
        self.csv_path = Path(csv)
        self.goal_csv_path = Path(goal_csv)
        for name, given in (("csv", csv), ("goal_csv", goal_csv)):
            if Path(given).suffix.lower() != ".csv":
                raise ValueError(f"{name}: the export is a .csv file, got {str(given)!r}")
        self.browser = in_browser() if browser is None else browser
        self.today = today
        self.notice = widgets.HTML(self._notice_html())
        self.status = widgets.HTML()
        self.refresh_button = widgets.Button(
            description="Refresh",
            icon="refresh",
            tooltip="Read the journal again and redraw the charts",
            layout=widgets.Layout(width="auto", flex="0 0 auto"),  # never squeezed to its icon on a phone
        )
        self.refresh_button.on_click(lambda _button: self.refresh())
        self.charts: list[Chart] = []
        self.outputs = [widgets.Output() for _ in range(3)]
        self.download = widgets.HTML()
        self.sessions = 0
        self._shown: tuple[list[SessionRecord], list[GoalRating]] | None = None
        self.page_shown = PageShown(self._page_shown)
        #: The everyday goal, when the course has one (``[goal]``); redrawn with the charts.
        self.goal = GoalPanel(self.journal, clock=clock, follow=False) if self.journal.course.goal else None
        super().__init__(
            [
                self.page_shown,
                self.notice,
                widgets.HBox(
                    [self.status, self.refresh_button],
                    layout=widgets.Layout(align_items="center", flex_flow="row wrap"),
                ),
                *self.outputs,
                *([self.goal] if self.goal is not None else []),
                self.download,
            ]
        )
        self.add_class("stretchkit-journal-view")
        self.journal.on_change(self.refresh)
        self.refresh()

    def _page_shown(self) -> None:
        """The page is visible again: redraw if the journal changed meanwhile (another tab saved)."""
        if (self.journal.sessions(), self.journal.goal_ratings()) != self._shown:
            self.refresh()

    def refresh(self) -> None:
        """Read the journal, redraw the charts and the goal, and write the CSV exports again."""
        sessions = self.journal.sessions()
        self._shown = (sessions, self.journal.goal_ratings())
        self.sessions = len(sessions)
        self.charts = [
            self.journal.minutes_chart(today=self.today),
            self.journal.pain_chart(),
            self.journal.streak_chart(today=self.today),
        ]
        for out, chart in zip(self.outputs, self.charts, strict=True):
            bundle = chart._repr_mimebundle_()
            out.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)
        csv = self.journal.export_csv(self.csv_path)
        goal_link = ""
        if self.goal is not None:
            self.goal.refresh()
            goal_csv = self.journal.export_goal_csv(self.goal_csv_path)
            if self.goal.ratings:
                goal_link = _link(
                    goal_csv,
                    "Download your goal's ratings",
                    f"the activity, the date and your rating ({self.goal.scale.low_anchor}; "
                    f"{self.goal.scale.high_anchor})",
                )
        if sessions:
            last = sessions[-1].started_at
            said = f"{plural(len(sessions), 'session')}, the last on {last.day} {last:%b %Y} at {last:%H:%M}."
        else:
            said = "no sessions yet."
        self.status.value = (
            f'<p role="status" style="margin:0.3em 0.8em 0.3em 0">Your journal: {html.escape(said)} '
            "The charts and the CSV file update by themselves when a session is saved.</p>"
        )
        data = base64.b64encode(csv.read_bytes()).decode("ascii")
        self.download.value = (
            f'<p><a download="{html.escape(csv.name)}" href="data:text/csv;base64,{data}" '
            'style="font-weight:bold;text-decoration:underline">'
            f"Download your sessions ({html.escape(csv.name)}, CSV)</a> to keep a copy on your "
            f"computer, for example to take to an appointment. The same file is next to this notebook "
            f"({html.escape(csv.as_posix())}) and opens in any spreadsheet program.</p>"
        ) + goal_link

    def _notice_html(self) -> str:
        if self.browser:
            text = (
                "<strong>Your journal lives in this web browser.</strong> This course runs entirely in "
                "the page, so your journal is kept in this browser's storage for this site, on this "
                "computer only: nothing is sent anywhere. Clearing this browser's data for the site "
                "(or using another browser or computer) starts an empty journal, so download your "
                "sessions as a CSV file (the link below the charts) before you do."
            )
        else:
            text = (
                "<strong>Your journal is a file on this computer</strong> "
                f"(<code>{html.escape(self.journal.path.name)}</code> in your stretchkit data folder): "
                "nothing is sent anywhere."
            )
        return f'<p role="note">{text}</p>'

    def __repr__(self) -> str:
        return f"JournalView({plural(self.sessions, 'session')})"

    def _fallback_html(self) -> str:
        texts = "".join(f"<p>{html.escape(chart.text())}</p>" for chart in self.charts)
        goal = self.goal._fallback_html() if self.goal is not None else ""
        return f"<div>{self._notice_html()}{texts}{goal}</div>"


def _link(path: Path, words: str, holds: str) -> str:
    """A download link for a CSV export the view wrote, and where the same file is."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (
        f'<p><a download="{html.escape(path.name)}" href="data:text/csv;base64,{data}" '
        'style="font-weight:bold;text-decoration:underline">'
        f"{html.escape(words)} ({html.escape(path.name)}, CSV)</a>: {html.escape(holds)}. The same file "
        f"is next to this notebook ({html.escape(path.as_posix())}).</p>"
    )
