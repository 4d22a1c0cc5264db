"""Lesson 07's checklist: every habit's actions as real check boxes a learner can tick.

The actions come from the course's tips (``course.toml``), so the list never drifts from
the lesson text. Ticks live in the widget (``checked``), for the learner's own use.
"""

from __future__ import annotations

import html
from typing import Any

import anywidget
import traitlets

from ._widget import STATIC, StaticFallback, stylesheet
from .content import check_course, load_course
from .course import Course
from .wording import sentence

__all__ = ["HabitChecklist", "habit_checklist"]


class HabitChecklist(StaticFallback, anywidget.AnyWidget):  # type: ignore[misc]
    """Each tip's actions, grouped under the tip's title, as check boxes (keyboard: Tab, Space).

    ``groups`` is ``[{"title", "items": [{"id", "text"}]}]``; ``checked`` the ids ticked.
    """

    _esm = STATIC / "checklist.js"
    _css = stylesheet("checklist.css")

    title = traitlets.Unicode("").tag(sync=True)
    groups = traitlets.List(traitlets.Dict()).tag(sync=True)
    checked = traitlets.List(traitlets.Unicode()).tag(sync=True)

    def __init__(self, course: Course | None = None, **kwargs: Any) -> None:
        course = check_course(course) or load_course()
        groups = [
            {
                "title": tip.title,
                "items": [
                    {"id": f"{tip.slug}-{n}", "text": sentence(a.text)} for n, a in enumerate(tip.actions, 1)
                ],
            }
            for tip in course.tips
        ]
        super().__init__(title="Your everyday checklist", groups=groups, **kwargs)

    @traitlets.validate("checked")
    def _known(self, proposal: Any) -> list[str]:
        known = {item["id"] for g in self.groups for item in g["items"]}
        bad = [c for c in proposal["value"] if c not in known]
        if bad:
            raise traitlets.TraitError(f"checked: no checklist item {bad[0]!r}")
        return list(proposal["value"])

    @property
    def items(self) -> list[str]:
        """Every action's text, in order."""
        return [item["text"] for g in self.groups for item in g["items"]]

    def __repr__(self) -> str:
        total = len(self.items)
        return f"HabitChecklist({len(self.checked)} of {total} ticked)"

    def _fallback_html(self) -> str:
        parts = [f"<p><strong>{html.escape(self.title)}</strong></p>"]
        for g in self.groups:
            rows = "".join(f"<li>&#9744; {html.escape(i['text'])}</li>" for i in g["items"])
            parts.append(f"<p><strong>{html.escape(g['title'])}</strong></p><ul>{rows}</ul>")
        return "".join(parts)


def habit_checklist(course: Course | None = None) -> HabitChecklist:
    """Lesson 07's checklist of every habit's actions, from the course's tips."""
    return HabitChecklist(course)
