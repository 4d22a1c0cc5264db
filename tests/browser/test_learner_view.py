"""The learner's view of the static site, on a phone and a tablet, as a learner taps through it.

The site's root opens lesson 00 in Jupyter Notebook's one-document view with no code shown;
each lesson runs by itself once Python has started in the browser (a plain status says so
meanwhile); the contents and previous/next links open lessons in the same view; a timer's
Start becomes usable with no Run All. One browser context per screen (touch, ``is_mobile``),
as one learner's device: the site's files are fetched once. Every request off the site's host
is aborted and none may even be attempted.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.browser.course import (
    NOTEBOOKS,
    SERIOUS,
    TIMER,
    WIDGET_ROOTS,
    axe_violations,
    describe_violations,
    save_screenshot,
    timer_text,
    too_small,
    wait_for,
)
from tests.browser.lab import block_off_host
from tests.browser.lite import LitePage, LiteSite

pytestmark = pytest.mark.lite

LESSONS = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}
STATUS = ".sk-LearnerBar-status"
#: A lesson's first start of Python in the browser (Pyodide and about 20 wheels), then its cells.
LIVE_TIMEOUT_S = 300
#: What does not fit the learner's screen: sideways scroll, small body text, small controls.
SCREEN_PROBLEMS = """() => {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) out.push(`the page scrolls sideways (${doc.scrollWidth} px)`);
  const lesson = '.jp-NotebookPanel .jp-WindowedPanel-outer, .jp-NotebookPanel .jp-Notebook';
  for (const el of document.querySelectorAll(lesson)) {
    const [wide, room] = [el.scrollWidth, el.clientWidth];
    if (wide > room + 1) out.push(`the lesson scrolls sideways (${wide} > ${room} px)`);
  }
  for (const p of document.querySelectorAll('.jp-RenderedMarkdown p, .jp-RenderedMarkdown li')) {
    const size = parseFloat(getComputedStyle(p).fontSize);
    if (p.getClientRects().length && size < 16) {
      out.push(`body text at ${size} px: ${p.textContent.slice(0, 40)}`);
      break;
    }
  }
  for (const el of document.querySelectorAll('.sk-LearnerBar a, .sk-LearnerBar button')) {
    const r = el.getBoundingClientRect();
    if (r.width < 44 || r.height < 44) out.push(`${el.textContent.trim()} is ${r.width}x${r.height} px`);
  }
  return out;
}"""
#: The course's widgets as the learner's view draws them, lesson 08's journal view among them.
WIDGETS = (*WIDGET_ROOTS, ".stretchkit-journal-view")
#: The lessons that show them: the check, a timer, the checklist, the builder, session and journal, the quiz.
WIDGET_LESSONS = (
    "00-start-here", "04-hamstring-stretch", "07-everyday-habits", "08-your-routine", "09-check-yourself",
)  # fmt: skip


@dataclass
class Device(LitePage):
    """A learner's page, with every dialog the page opened (a "leave site?" prompt among them)."""

    dialogs: list[str] = field(default_factory=list)

    def dismiss(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.accept()


@contextlib.contextmanager
def device(browser: Any, site: LiteSite, viewport: dict[str, int], scheme: str = "light") -> Iterator[Device]:
    """A touch device's browser (one context: its cache and storage kept across lessons)."""
    context = browser.new_context(
        viewport=viewport, is_mobile=True, has_touch=True, color_scheme="light", device_scale_factor=1
    )
    lp = Device(context.new_page(), site)
    lp.page.on("dialog", lp.dismiss)
    block_off_host(context, site.url, lp.blocked)
    context.on("request", lambda request: lp.requests.append(request.url))
    lp.page.on("pageerror", lambda exc: lp.errors.append(str(exc)))
    try:
        yield lp
    finally:
        context.close()


@pytest.fixture(scope="module")
def phone(browser: Any, lite_site: LiteSite) -> Iterator[Device]:
    with device(browser, lite_site, PHONE) as lp:
        yield lp


def view_url(site: LiteSite, name: str) -> str:
    return f"{site.url}notebooks/index.html?path={name}"


def status_text(page: Any) -> str:
    return str(page.locator(STATUS).text_content() or "").strip()


def wait_until_live(lp: LitePage, name: str) -> None:
    """The lesson's status came and went: every cell ran, none failed."""
    page = lp.page
    page.locator(STATUS).wait_for(state="attached", timeout=LIVE_TIMEOUT_S * 1000)
    wait_for(lambda: not status_text(page) or "wrong" in status_text(page), f"{name} ran", LIVE_TIMEOUT_S)
    assert not status_text(page), f"{name}: {status_text(page)}"
    assert not lp.errors, f"{name}: uncaught errors in the page:\n" + "\n".join(lp.errors)


def check_no_code(page: Any) -> None:
    shown = page.locator(".jp-CodeCell .jp-InputArea").evaluate_all(
        "els => els.filter(e => e.getClientRects().length).length"
    )
    assert shown == 0, f"{shown} code cells are shown"
    assert page.locator(".jp-MarkdownCell").count() > 0


def check_fits(page: Any, where: str) -> None:
    problems = page.evaluate(SCREEN_PROBLEMS)
    assert not problems, f"{where}:\n" + "\n".join(problems)


def check_offline(lp: Device) -> None:
    """No request left the site's host, and no page asked to save or leave."""
    assert not lp.off_host(), "requests off the site's host:\n" + "\n".join(lp.off_host())
    assert not lp.dialogs, "the pages opened dialogs:\n" + "\n".join(lp.dialogs)


def test_the_root_opens_lesson_00_with_no_code_then_it_runs_by_itself(phone: Device) -> None:
    page = phone.page
    page.goto(phone.site.url)
    page.wait_for_url(re.compile(r"/notebooks/index\.html\?path=00-start-here\.ipynb$"))
    page.locator(".jp-MarkdownCell").first.wait_for(timeout=120_000)
    # Saved outputs read correctly before anything runs: the urgent red flags as a heading and a list.
    urgent = page.locator(".jp-OutputArea h3", has_text="Get help urgently").first
    urgent.wait_for(timeout=60_000)
    page.locator(STATUS).wait_for(timeout=60_000)
    assert status_text(page).startswith("Getting the timers ready…")
    assert page.locator(STATUS).get_attribute("role") == "status"
    check_no_code(page)
    # The cell list is an ARIA feed: a screen reader moves through it article by article.
    roles = page.locator("[role=feed] > .jp-Cell").evaluate_all("els => els.map(e => e.getAttribute('role'))")
    assert roles and set(roles) == {"article"}, f"cells in the lesson's feed have roles {set(roles)}"
    check_fits(page, "lesson 00 on a phone while Python starts")
    lab = page.get_by_role("link", name="Open in JupyterLab")
    assert lab.get_attribute("href").endswith("lab/index.html?path=00-start-here.ipynb")
    save_screenshot(page, "learner-view-00-phone-starting")
    wait_until_live(phone, "00-start-here.ipynb")
    assert page.locator(".sk-check").count() == 1, "lesson 00's set-up check did not come alive"
    check_no_code(page)
    check_fits(page, "lesson 00 on a phone")
    assert not page.locator(".jp-Dialog").count(), "a dialog (kernel, restart or save) is open"
    check_offline(phone)


def test_a_contents_link_opens_lesson_04_whose_timer_starts_by_itself(phone: Device) -> None:
    page = phone.page
    if "00-start-here" not in page.url:
        page.goto(view_url(phone.site, "00-start-here.ipynb"))
    link = page.locator(".jp-RenderedMarkdown a", has_text="Hamstring Stretch").first
    link.scroll_into_view_if_needed()
    link.tap()
    page.wait_for_url(re.compile(r"/notebooks/index\.html\?path=04-hamstring-stretch\.ipynb"))
    start = page.locator(TIMER).first.get_by_role("button", name="Start", exact=True)
    start.wait_for(timeout=LIVE_TIMEOUT_S * 1000)
    wait_for(start.is_enabled, "lesson 04's Start is usable", 60)
    check_no_code(page)
    timer = page.locator(TIMER).first
    timer.scroll_into_view_if_needed()
    before = timer_text(timer, ".sk-time")
    start.tap()
    wait_for(lambda: timer_text(timer, ".sk-time") != before, "the clock counts down", 10)
    save_screenshot(page, "learner-view-04-phone-running")
    timer.get_by_role("button", name="Pause", exact=True).tap()
    check_fits(page, "lesson 04 on a phone")
    check_offline(phone)


def test_every_lesson_opens_live_in_the_learners_view(phone: Device) -> None:
    for name in LESSONS:
        phone.page.goto(view_url(phone.site, name))
        wait_until_live(phone, name)
        check_no_code(phone.page)
        check_fits(phone.page, f"{name} on a phone")
        bad = [v for v in axe_violations(phone.page, WIDGET_ROOTS) if v.get("impact") in SERIOUS]
        assert not bad, f"{name}: accessibility violations in the course's widgets:\n" + describe_violations(
            bad
        )
    check_offline(phone)


def test_the_course_widgets_have_16_px_text_and_44_px_controls_on_a_phone(phone: Device) -> None:
    """What a learner reads and taps in each widget, measured as drawn at 390x844."""
    page = phone.page
    page.set_viewport_size(PHONE)
    problems = []
    for name in WIDGET_LESSONS:
        page.goto(view_url(phone.site, f"{name}.ipynb"))
        wait_until_live(phone, name)
        found = page.evaluate("s => document.querySelectorAll(s).length", ", ".join(WIDGETS))
        assert found, f"{name}: no widget drawn"
        problems += [f"{name}: {p}" for p in too_small(page, WIDGETS)]
        check_fits(page, f"{name} on a phone")
    assert not problems, "too small to read or tap on a phone:\n" + "\n".join(problems)
    check_offline(phone)


@pytest.mark.parametrize("name", ["00-start-here", "04-hamstring-stretch"])
def test_lessons_00_and_04_pass_axe_in_the_learners_view(phone: Device, name: str) -> None:
    """The whole page a learner sees (the bar, the lesson and its widgets), light and dark."""
    page = phone.page
    page.set_viewport_size(PHONE)
    page.goto(view_url(phone.site, f"{name}.ipynb"))
    wait_until_live(phone, name)
    for scheme in ("light", "dark"):
        show_as(page, PHONE, scheme)
        bad = [v for v in axe_violations(page, ["body"]) if v.get("impact") in SERIOUS]
        assert not bad, f"{name}, {scheme}: accessibility violations in the learner's view:\n" + (
            describe_violations(bad)
        )
    show_as(page, PHONE, "light")
    check_offline(phone)


def show_as(page: Any, viewport: dict[str, int], scheme: str) -> None:
    """The same lesson on another screen or in the other theme (the site follows the device's)."""
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme=scheme)
    light = "true" if scheme == "light" else "false"
    page.wait_for_selector(f'body[data-jp-theme-light="{light}"]', state="attached", timeout=30_000)
    page.wait_for_timeout(800)  # the theme's stylesheet, then the widgets' redraw


def test_lessons_00_04_08_on_every_screen_light_and_dark(phone: Device) -> None:
    page = phone.page
    screens = {"phone": PHONE, "tablet": TABLET, "laptop": {"width": 1366, "height": 768}}
    for name in ("00-start-here.ipynb", "04-hamstring-stretch.ipynb", "08-your-routine.ipynb"):
        page.set_viewport_size(PHONE)
        page.goto(view_url(phone.site, name))
        wait_until_live(phone, name)
        for scheme in ("light", "dark"):
            for screen, viewport in screens.items():
                show_as(page, viewport, scheme)
                check_no_code(page)
                check_fits(page, f"{name}, {screen}, {scheme}")
                if name.startswith("04"):
                    page.locator(TIMER).first.scroll_into_view_if_needed()
                save_screenshot(page, f"learner-view-{name[:2]}-{screen}-{scheme}")
    show_as(page, PHONE, "light")
    check_offline(phone)
