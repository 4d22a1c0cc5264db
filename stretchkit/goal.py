"""Your everyday goal: an activity back pain makes hard, rated 0-10 now and then (ipywidgets).

A goal about life, not only pain. The learner names one everyday activity (a text box), says
how well they can do it today (a 0-10 list, a native select: keyboard and touch alike, each
control labelled for screen readers) and presses Save; the panel says in words what it kept, or
why it kept nothing. Below it, the goal's ratings are charted beside pain on the same dates
(:func:`~stretchkit.charts.goal_chart`). Its words and scale are the course's (``[goal]``), the
idea of the Patient-Specific Functional Scale, cited and said not to be that clinical instrument.
Lesson 08 shows it inside :class:`~stretchkit.progress.JournalView`.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime

import ipywidgets as widgets

from ._widget import StaticFallback
from .charts import Chart, goal_chart
from .course import GoalScale
from .journal import GoalRating, JournalStore
from .wording import cite, plural, quoted, times

__all__ = ["GoalPanel"]

#: The rating list's first entry: nothing chosen yet (a rating is never guessed).
NOT_CHOSEN = -1


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _when(at: datetime) -> str:
    return f"{at.day} {at:%b %Y} at {at:%H:%M}"


def _now() -> datetime:
    """Now, with this computer's time zone, as the guided session records a session's time."""
    return datetime.now().astimezone()


class GoalPanel(StaticFallback, widgets.VBox):  # type: ignore[misc]
    """The everyday goal of ``journal``'s learner: name an activity, rate it, Save; and its chart.

    ``clock`` says when a rating is given. With ``follow`` the panel redraws whenever the
    journal changes (a view that holds it, like ``JournalView``, may call :meth:`refresh` itself).
    """

    def __init__(
        self,
        journal: JournalStore,
        *,
        clock: Callable[[], datetime] = _now,
        follow: bool = True,
    ) -> None:
        scale = journal.course.goal
        if scale is None:
            raise ValueError("goal: this course has no goal scale (a [goal] table in its content)")
        self.journal = journal
        self.scale: GoalScale = scale
        self._clock = clock
        self.ratings: list[GoalRating] = []
        self.chart: Chart | None = None
        self.error = ""
        self.intro = widgets.HTML(self._intro_html())
        self.current = widgets.HTML()
        self.activity = widgets.Text(
            description="Activity",
            placeholder=scale.example,
            tooltip=scale.prompt,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="32em", max_width="100%"),
        )
        self.rating = widgets.Dropdown(
            options=[("choose", NOT_CHOSEN)] + [(str(n), n) for n in range(scale.lowest, scale.highest + 1)],
            value=NOT_CHOSEN,
            description=f"{scale.question} ({scale.lowest}-{scale.highest})",
            tooltip=f"{scale.low_anchor}; {scale.high_anchor}.",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto", max_width="100%"),
        )
        self.save_button = widgets.Button(
            description="Save rating",
            icon="check",
            tooltip="Keep this rating of your activity in your journal",
            layout=widgets.Layout(width="auto", flex="0 0 auto"),
        )
        self.save_button.on_click(lambda _button: self.save())
        self.status = widgets.HTML()
        self.output = widgets.Output()
        super().__init__(
            [
                self.intro,
                self.current,
                self.activity,
                widgets.HBox(
                    [self.rating, self.save_button],
                    layout=widgets.Layout(align_items="center", flex_flow="row wrap"),
                ),
                self.status,
                self.output,
            ]
        )
        self.add_class("stretchkit-goal")
        self._shown_goal = ""
        if follow:
            journal.on_change(self.refresh)
        self.refresh()

    # -- saving --

    def save(self) -> GoalRating | None:
        """Keep the activity and rating in the journal and say so; or say why nothing was kept."""
        low, high = self.scale.lowest, self.scale.highest
        if self.rating.value == NOT_CHOSEN:
            self._refused(f"rating: choose how well you can do it today, from {low} to {high}")
            return None
        before = self.journal.goal()
        previous = [r for r in self.ratings if r.activity == " ".join(str(self.activity.value).split())]
        try:
            kept = self.journal.rate_goal(self.activity.value, int(self.rating.value), self._clock())
        except ValueError as exc:  # includes JournalError: say so, keep nothing
            self._refused(str(exc))
            return None
        self.error = ""
        self.rating.value = NOT_CHOSEN
        self.activity.value = kept.activity
        self.refresh()
        self._say(f"Saved: {self._saved_words(kept, before, previous[-1] if previous else None)}")
        return kept

    def _saved_words(self, kept: GoalRating, before: str, last: GoalRating | None) -> str:
        rated = f"{quoted(kept.activity)}, {kept.rating} out of {self.scale.highest}, on {_when(kept.at)}."
        if last is not None:
            change = kept.rating - last.rating
            was = f"Last time ({last.at.day} {last.at:%b %Y}) it was {last.rating}"
            if change == 0:
                return f"{rated} {was}: the same."
            way = "up" if change > 0 else "down"
            return f"{rated} {was}: {way} {plural(abs(change), 'point')}."
        if before and before != kept.activity:
            return (
                f"{rated} This is your goal from now on; your ratings of {quoted(before)} stay in your "
                "journal and on the chart."
            )
        return f"{rated} Rate it again now and then to see how it changes."

    def _refused(self, reason: str) -> None:
        self.error = reason
        self._say(f"Not saved: {reason}.")

    def _say(self, text: str) -> None:
        self.status.value = f'<p role="status">{_e(text)}</p>'

    # -- showing --

    def refresh(self) -> None:
        """Read the goal's ratings again and redraw: the current goal, the box, the chart."""
        try:
            self.ratings = self.journal.goal_ratings()
            self.chart = goal_chart(self.journal)
        except ValueError as exc:  # a journal that cannot be read (JournalError): say so
            self.error = str(exc)
            self._say(f"Your goal cannot be shown: {exc}")
            return
        goal = self.ratings[-1].activity if self.ratings else ""
        if self.activity.value in ("", self._shown_goal):  # never overwrite what the learner is typing
            self.activity.value = goal
        self._shown_goal = goal
        self.current.value = self._current_html()
        bundle = self.chart._repr_mimebundle_()
        self.output.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)

    def _intro_html(self) -> str:
        s = self.scale
        return (
            f"<h4>{_e(s.name)}</h4><p>{_e(s.prompt)} {_e(s.question)} "
            f"{_e(s.low_anchor)}; {_e(s.high_anchor)}.</p>"
            f"<p>{_e(s.about.text)} <em>({_e(cite(self.journal.course, s.about.source))})</em> "
            f"{_e(s.not_clinical)}</p>"
        )

    def _current_html(self) -> str:
        if not self.ratings:
            return "<p>No goal yet: name an activity and choose a rating, then press Save rating.</p>"
        last = self.ratings[-1]
        count = sum(1 for r in self.ratings if r.activity == last.activity)
        return (
            f"<p>Your goal now: <strong>{_e(quoted(last.activity))}</strong>, rated "
            f"{times(count)}; most recently {last.rating} out of {self.scale.highest}, "
            f"on {_e(_when(last.at))}.</p>"
        )

    def __repr__(self) -> str:
        return f"GoalPanel({plural(len(self.ratings), 'rating')})"

    def _fallback_html(self) -> str:
        chart = f"<p>{_e(self.chart.text())}</p>" if self.chart is not None else ""
        return f"<div>{self._intro_html()}{self._current_html()}{chart}</div>"
