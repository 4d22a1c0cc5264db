"""A tiny widget that proves widgets work, and explains how to fix it where they do not."""

from __future__ import annotations

import html
from typing import Any

import anywidget
import traitlets

from ._widget import STATIC, StaticFallback, stylesheet

FALLBACK = (
    "Widget check: if you can read this text instead of a panel with a 'Check' button, "
    "interactive widgets are not showing here. Open the course in JupyterLab 4 with `make lab` "
    "(or `jupyter lab` in the course's environment), then run the notebook's cells from the top. "
    "Static copies (GitHub, nbviewer, exported HTML) show the text of each widget only."
)


class WidgetCheck(StaticFallback, anywidget.AnyWidget):
    """A button that round-trips to the kernel: if it answers, timers and quizzes will work."""

    _esm = STATIC / "check.js"
    _css = stylesheet("check.css")
    presses = traitlets.Int(0).tag(sync=True)
    answer = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.observe(self._on_press, names="presses")

    def _on_press(self, change: dict[str, Any]) -> None:
        # Answered by Python, so a reply proves the kernel connection, not just the page.
        self.answer = f"The kernel answered (check {change['new']}): widgets are working."

    def __repr__(self) -> str:
        return FALLBACK

    def _fallback_html(self) -> str:
        return f"<p>{html.escape(FALLBACK)}</p>"


def widget_check() -> WidgetCheck:
    """The widget check shown in the Start here lesson."""
    return WidgetCheck()
