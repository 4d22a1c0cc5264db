"""The timer shows a stretch's drawing as an inert SVG: nothing in it can run or inject markup.

The drawing is SVG made by Python (``figures.pose_svg``), so the timer must never treat it
as HTML: a script, an event handler, embedded HTML (``foreignObject``) or a ``javascript:``
link is dropped, and markup that is not an ``<svg>`` at all shows nothing.
"""

from __future__ import annotations

from stretchkit import Phase, Plan, StretchTimer
from tests.browser.test_timer_page import OpenPage, button, open_timer

HOSTILE = (
    '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Kept figure" viewBox="0 0 10 10" '
    'onload="window.__ran = (window.__ran || 0) + 1">'
    # (self-closed: the test page embeds the widget state in an inline <script> of its own)
    '<script href="data:text/javascript,window.__ran=(window.__ran||0)+1"/>'
    '<a href="javascript:window.__ran=1"><circle cx="5" cy="5" r="4" onmouseover="window.__ran=1"/></a>'
    '<foreignObject width="10" height="10"><img xmlns="http://www.w3.org/1999/xhtml" src="x" '
    'onerror="window.__ran = 1"/></foreignObject></svg>'
)
NOT_SVG = '<img src="x" onerror="window.__ran = 1"><b>bold</b>'


def test_a_drawing_is_shown_without_anything_that_runs(widget_page: OpenPage) -> None:
    first = Plan("One", (Phase("hold", "Hold", 3, "Hold.", image=HOSTILE), Phase("done", "Done", 0, "")))
    second = Plan("Two", (Phase("hold", "Hold", 3, "Hold.", image=NOT_SVG), Phase("done", "Done", 0, "")))
    wp = open_timer(widget_page, StretchTimer(Plan.join("Routine", [first, second])))
    button(wp, "Start").click()
    image = wp.page.locator(".sk-timer .sk-image")
    assert wp.page.get_by_role("img", name="Kept figure").is_visible(), "the drawing itself is shown"
    assert image.locator("circle").count() == 1
    for selector in ("script", "foreignObject", "img", "[onload]", "[onmouseover]", "a[href^='javascript']"):
        assert image.locator(selector).count() == 0, f"{selector} was let into the page"
    image.locator("circle").hover()
    wp.page.clock.run_for(3500)  # on to the second stretch, whose 'drawing' is not an SVG
    assert image.locator("img, b").count() == 0 and image.inner_text() == ""
    wp.page.clock.run_for(100)
    assert wp.page.evaluate("() => window.__ran ?? 0") == 0, "something in the drawing ran"
