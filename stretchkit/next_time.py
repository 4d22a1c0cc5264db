"""'Next time': the journal's suggestions for a routine, each to accept or dismiss (ipywidgets).

The suggestions are :mod:`stretchkit.suggest`'s, made again whenever the journal changes (a
guided session saved) or the routine does. **Accept** keeps the decision in the journal, then
hands the suggestion's routine to whatever plays it (a :class:`~stretchkit.session.RoutineBuilder`
shows it, and its guided session follows); **Dismiss** keeps the decision, so the same
suggestion is not offered again for the same sessions. When pain rose, the course's stop rule,
its bad-day card and when to get help urgently are shown once, below the suggestions.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime

import ipywidgets as widgets

from ._widget import StaticFallback
from .journal import ACCEPTED, DISMISSED, JournalStore
from .lessons import BAD_DAY
from .routine import Routine
from .suggest import Suggestion, suggest
from .wording import cite, full_stop

__all__ = ["NextTime"]

#: What the panel says above its suggestions.
INTRO = (
    "Made from your journal by the course's rules, each with its source. They are suggestions, "
    "not a diagnosis: you choose. Accept changes your routine; dismiss keeps it as it is."
)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


class NextTime(StaticFallback, widgets.VBox):  # type: ignore[misc]
    """The "next time" suggestions for ``routine`` from ``journal``, at the time ``clock`` says.

    ``apply(routine)`` is called with an accepted suggestion's routine (by default the panel
    just follows it). A new learner, or a journal that suggests nothing, shows nothing.
    """

    def __init__(
        self,
        routine: Routine,
        *,
        journal: JournalStore,
        clock: Callable[[], datetime],
        apply: Callable[[Routine], None] | None = None,
    ) -> None:
        if not isinstance(routine, Routine):
            raise TypeError(f"routine must be a Routine, got {routine!r}")
        self.routine = routine
        self.journal = journal
        self._clock = clock
        self._apply = apply or self.follow
        self.suggestions: list[Suggestion] = []
        self.error = ""
        self.status = widgets.HTML()
        super().__init__([])
        self.add_class("stretchkit-next-time")
        journal.on_change(self.refresh)
        self.refresh()

    def follow(self, routine: Routine) -> None:
        """Make the suggestions for ``routine`` from now on."""
        self.routine = routine
        self.refresh()

    def refresh(self) -> None:
        """Make the suggestions again from the journal as it is now."""
        try:
            self.suggestions = suggest(
                self.journal.sessions(), self.routine, now=self._clock(), decisions=self.journal.decisions()
            )
        except ValueError as exc:  # a journal that cannot be read (JournalError) suggests nothing
            self.suggestions = []
            self.error = str(exc)
        self._draw()

    # -- deciding --

    def accept(self, suggestion: Suggestion) -> None:
        """Keep the decision in the journal, then change the routine as the suggestion says."""
        if suggestion.routine is None:
            raise ValueError("suggestion: it changes nothing to accept; dismiss it instead")
        if self._decide(suggestion, ACCEPTED):
            self._apply(suggestion.routine)
            self._say(f"Accepted: {full_stop(suggestion.change)} Your journal keeps your choice.")

    def dismiss(self, suggestion: Suggestion) -> None:
        """Keep the decision in the journal: the same suggestion is not offered again for these sessions."""
        if self._decide(suggestion, DISMISSED):
            self._say(
                "Dismissed: your routine stays as it is, and this suggestion will not come back "
                "for the same sessions."
            )

    def _decide(self, s: Suggestion, decision: str) -> bool:
        try:
            self.journal.record_decision(
                rule=s.rule,
                technique=s.technique,
                evidence=s.evidence,
                decision=decision,
                at=self._clock(),
                change=s.change,
            )
        except ValueError as exc:  # includes JournalError: say so, change nothing
            self.error = str(exc)
            self._say(f"Not saved: {self.error}")
            return False
        self.error = ""  # the journal's change has made the suggestions again (on_change)
        return True

    def _say(self, text: str) -> None:
        self.status.value = f'<p role="status">{_e(text)}</p>'
        self._draw()

    # -- showing --

    def _draw(self) -> None:
        if not self.suggestions:
            self.children = (self.status,) if self.status.value else ()
            return
        parts: list[widgets.Widget] = [widgets.HTML(self._intro_html())]
        for s, advice in zip(self.suggestions, _advice_once(self.suggestions), strict=True):
            parts.append(self._card(s, advice))
        if any(s.pain_rose for s in self.suggestions):
            parts.append(widgets.HTML(self._safety_html()))
        parts.append(self.status)
        self.children = tuple(parts)

    def _card(self, s: Suggestion, advice: bool) -> widgets.Widget:
        # Each button names what it is for, so a screen reader's list of buttons tells the
        # cards apart (ipywidgets' buttons take their accessible name from their words).
        what = self.routine.course.technique(s.technique).name if s.technique else "my routine"
        buttons = []
        if s.routine is not None:
            accept = widgets.Button(
                description=f"Accept for {what}",
                tooltip="Change my routine this way",
                layout=widgets.Layout(width="auto"),
            )
            accept.on_click(lambda _b, s=s: self.accept(s))
            buttons.append(accept)
        dismiss = widgets.Button(
            description=f"Dismiss for {what}" if s.routine is not None else "Got it",
            tooltip="Keep my routine as it is",
            layout=widgets.Layout(width="auto"),
        )
        dismiss.on_click(lambda _b, s=s: self.dismiss(s))
        buttons.append(dismiss)
        return widgets.VBox(
            [
                widgets.HTML(_card_html(s, advice)),
                widgets.HBox(buttons, layout=widgets.Layout(flex_flow="row wrap")),
            ]
        )

    @staticmethod
    def _intro_html() -> str:
        return f"<h4>Next time</h4><p>{_e(INTRO)}</p>"

    def _safety_html(self) -> str:
        """The course's stop rule, its bad-day card and when to get help urgently, said once."""
        course = self.routine.course
        first = next(s for s in self.suggestions if s.pain_rose)
        bad = "".join(f"<li>{_e(i.text)} <em>({_e(cite(course, i.source))})</em></li>" for i in first.bad_day)
        note = course.safety.red_flags_note
        return (
            f"<p><strong>While your pain is higher:</strong> {_e(first.stop_rule)}</p>"
            + (f"<p><strong>{_e(BAD_DAY)}</strong> (also in lesson 08):</p><ul>{bad}</ul>" if bad else "")
            + "".join(f"<p>{_e(tier)}</p>" for tier in first.urgent)
            + (f"<p>{_e(note.text)}</p>" if note is not None else "")
        )

    def __repr__(self) -> str:
        return f"NextTime({len(self.suggestions)} suggestions)"

    def _fallback_html(self) -> str:
        if not self.suggestions:
            return ""
        cards = "".join(
            _card_html(s, a) for s, a in zip(self.suggestions, _advice_once(self.suggestions), strict=True)
        )
        safety = self._safety_html() if any(s.pain_rose for s in self.suggestions) else ""
        return self._intro_html() + cards + safety


def _advice_once(suggestions: list[Suggestion]) -> list[bool]:
    """Whether each suggestion's card says its advice: the first one that follows it does."""
    seen: set[str] = set()
    first = []
    for s in suggestions:
        first.append(s.advice.text not in seen)
        seen.add(s.advice.text)
    return first


def _card_html(s: Suggestion, advice: bool = True) -> str:
    """One suggestion: the change, why (the learner's own numbers), and the advice with its source
    (said on the first card that follows it, not again under each stretch it is given for)."""
    said = f"<p>{_e(s.advice.text)} <em>({_e(s.source)})</em></p>" if advice else ""
    return f"<p><strong>{_e(full_stop(s.change))}</strong> {_e(s.reason)}</p>{said}"
