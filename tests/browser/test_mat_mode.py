"""Mat mode: the current stretch on the whole screen of a phone or tablet, kept awake.

The timer's ES module in headless Chromium on the plain widget page (as in
test_timer_page.py), at phone (390x844) and tablet (820x1180) size with touch: the clock
large enough to read from a mat, a tap anywhere pausing and resuming, a screen wake lock
held while it runs (stubbed, and the real API), the one-line note where there is none, and
a routine between a chair and the floor that waits for Ready.
"""

from __future__ import annotations

from typing import Any

import pytest

from stretchkit import StretchTimer, load_course
from stretchkit.handout import illustrated_plan
from stretchkit.routine import Routine, RoutineItem
from tests.browser.conftest import WidgetPage
from tests.browser.course import save_screenshot
from tests.browser.test_timer_page import (
    STUB_AUDIO,
    STUB_SPEECH,
    OpenPage,
    attr,
    button,
    run,
    synced_state,
    text,
)

COURSE = load_course()
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}
SIZES = {"phone": PHONE, "tablet": TABLET}
NOTE = "This browser can't keep the screen awake here"

#: A navigator.wakeLock that records each request and release (run before the page's scripts).
STUB_WAKE_LOCK = """
window.wakeLog = [];
Object.defineProperty(navigator, "wakeLock", { configurable: true, value: {
  request(type) {
    window.wakeLog.push("request:" + type);
    const sentinel = { released: false, type,
      release() { sentinel.released = true; window.wakeLog.push("release"); return Promise.resolve(); },
      addEventListener() {} };
    return Promise.resolve(sentinel);
  } } });
"""

#: The browser's own wake lock, watched: each request and each sentinel's release recorded.
WATCH_REAL_WAKE_LOCK = """
window.wakeLog = [];
if (navigator.wakeLock) {
  const real = navigator.wakeLock.request.bind(navigator.wakeLock);
  navigator.wakeLock.request = async (type) => {
    window.wakeLog.push("request:" + type);
    try {
      const sentinel = await real(type);
      window.wakeLog.push("granted");
      sentinel.addEventListener("release", () => window.wakeLog.push("release"));
      return sentinel;
    } catch (error) { window.wakeLog.push("refused:" + error.name); throw error; }
  };
}
"""

#: The page hidden (another app in front) or shown again.
SHOW = """(state) => {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
  document.dispatchEvent(new Event("visibilitychange"));
}"""

NO_FULLSCREEN = "Element.prototype.requestFullscreen = undefined;"


def open_mat(
    widget_page: OpenPage,
    timer: StretchTimer,
    size: dict[str, int],
    *,
    init: str = STUB_WAKE_LOCK,
    **options: Any,
) -> WidgetPage:
    options.setdefault("secure", True)
    wp = widget_page(
        "timer.js", "timer.css", synced_state(timer), viewport=size, touch=True, init_script=init, **options
    )
    wp.page.clock.pause_at(10_000)
    wp.page.evaluate(STUB_AUDIO)
    return wp


def wake_log(wp: WidgetPage) -> list[str]:
    wp.page.wait_for_timeout(0)  # let the lock's promises settle
    return wp.page.evaluate("() => window.wakeLog")  # type: ignore[no-any-return]


def enter(wp: WidgetPage) -> None:
    button(wp, "Mat mode").tap()
    wp.page.locator(".sk-timer.sk-mat").wait_for()
    assert button(wp, "Leave mat mode").is_visible()


def small_controls(wp: WidgetPage) -> list[str]:
    return wp.page.evaluate(  # type: ignore[no-any-return]
        """() => [...document.querySelectorAll('.sk-timer button, .sk-timer label')]
          .filter((el) => el.getClientRects().length)
          .map((el) => [el.textContent.trim(), el.getBoundingClientRect()])
          .filter(([, r]) => r.width < 44 || r.height < 44)
          .map(([name, r]) => `${name}: ${Math.round(r.width)}x${Math.round(r.height)}`)"""
    )


def sideways(wp: WidgetPage) -> int:
    return wp.page.evaluate(  # type: ignore[no-any-return]
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def shot(wp: WidgetPage, name: str) -> None:
    """A screenshot once the phase change's flash is over."""
    wp.page.wait_for_timeout(900)
    save_screenshot(wp.page, name)


def tap_surface(wp: WidgetPage) -> None:
    """Tap the mat-mode surface away from every control: on the clock."""
    wp.page.locator(".sk-time").tap()


def hamstring() -> StretchTimer:
    return StretchTimer(illustrated_plan(Routine([RoutineItem("hamstring-stretch")])))


@pytest.mark.parametrize("size", ["phone", "tablet"])
def test_mat_mode_fills_the_screen_with_a_large_clock_and_a_tap_pauses(
    widget_page: OpenPage, size: str
) -> None:
    viewport = SIZES[size]
    wp = open_mat(widget_page, hamstring(), viewport)
    enter(wp)
    box = wp.page.locator(".sk-timer").bounding_box()
    assert box == {"x": 0, "y": 0, "width": viewport["width"], "height": viewport["height"]}
    digits = wp.page.locator(".sk-time").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert digits >= 0.2 * min(viewport.values()), digits
    assert wp.page.get_by_role("img").first.is_visible()  # the drawing of the moment
    assert small_controls(wp) == []
    assert sideways(wp) == 0
    button(wp, "Start").tap()
    run(wp, 500)  # past the double-press moment
    button(wp, "Ready").tap()  # down on the floor
    run(wp, 6000)  # on to the first hold
    assert text(wp, ".sk-phase") == "Hold" and text(wp, ".sk-side") == "Left leg"
    assert "Left leg" in str(wp.page.locator(".sk-image svg title").first.text_content())
    run(wp, 500)  # a tap this soon after a press is a double tap
    tap_surface(wp)
    assert attr(wp, "data-state") == "paused" and text(wp, ".sk-status") == "Paused"
    left = text(wp, ".sk-time")
    run(wp, 5000)
    assert text(wp, ".sk-time") == left
    wp.page.locator(".sk-image").tap()  # anywhere: the drawing too
    assert attr(wp, "data-state") == "running"
    run(wp, 2000)
    assert text(wp, ".sk-time") != left
    shot(wp, f"timer-mat-{size}-light")


@pytest.mark.parametrize("size", ["phone", "tablet"])
def test_mat_mode_in_dark_while_waiting_for_ready(widget_page: OpenPage, size: str) -> None:
    wp = open_mat(widget_page, hamstring(), SIZES[size], color_scheme="dark")
    enter(wp)
    background = wp.page.locator(".sk-timer").evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(30, 30, 30)"
    button(wp, "Start").tap()
    assert text(wp, ".sk-phase") == "Down to the floor"
    assert small_controls(wp) == [] and sideways(wp) == 0
    shot(wp, f"timer-mat-{size}-dark-ready")
    run(wp, 500)  # past the double-press moment
    button(wp, "Ready").tap()
    run(wp, 6000)
    shot(wp, f"timer-mat-{size}-dark")


def test_escape_and_the_leave_button_leave_mat_mode(widget_page: OpenPage) -> None:
    wp = open_mat(widget_page, hamstring(), PHONE)
    enter(wp)
    wp.page.keyboard.press("Escape")
    assert wp.page.locator(".sk-timer.sk-mat").count() == 0 and button(wp, "Mat mode").is_visible()
    enter(wp)
    button(wp, "Leave mat mode").tap()
    assert wp.page.locator(".sk-timer.sk-mat").count() == 0
    assert wp.page.evaluate("() => document.fullscreenElement") is None


def test_without_fullscreen_an_overlay_covers_the_page_and_goes_back(widget_page: OpenPage) -> None:
    wp = open_mat(widget_page, hamstring(), PHONE, init=STUB_WAKE_LOCK + NO_FULLSCREEN)
    wp.page.evaluate("() => document.body.insertAdjacentHTML('afterbegin', '<p>Lesson text</p>'.repeat(80))")
    enter(wp)
    assert wp.page.evaluate("() => document.querySelector('.sk-timer').parentElement.localName") == "body"
    box = wp.page.locator(".sk-timer").bounding_box()
    assert box == {"x": 0, "y": 0, "width": 390, "height": 844}
    wp.page.keyboard.press("Escape")
    assert wp.page.evaluate("() => document.querySelector('.sk-timer').parentElement.id") == "root"


def test_a_wake_lock_is_held_while_running_in_mat_mode_and_released_on_pause(widget_page: OpenPage) -> None:
    wp = open_mat(widget_page, hamstring(), PHONE)
    button(wp, "Start").tap()
    assert wake_log(wp) == []  # not in mat mode: no lock
    button(wp, "Skip").tap()  # past the way down to the floor
    enter(wp)
    assert wake_log(wp) == ["request:screen"]
    run(wp, 500)  # a tap this soon after a press is a double tap
    tap_surface(wp)
    assert wake_log(wp) == ["request:screen", "release"]
    run(wp, 500)  # a tap this soon after a press is a double tap
    tap_surface(wp)
    assert wake_log(wp) == ["request:screen", "release", "request:screen"]
    button(wp, "Leave mat mode").tap()
    assert wake_log(wp)[-1] == "release"
    enter(wp)
    run(wp, 200_000)  # to coming up slowly, which waits for Ready
    run(wp, 500)  # past the double-press moment
    button(wp, "Ready").tap()
    assert attr(wp, "data-state") == "done"
    assert wake_log(wp)[-2:] == ["request:screen", "release"]
    assert wp.page.locator(".sk-wake-note").is_hidden()


def test_the_lock_is_asked_for_again_when_the_page_is_shown_again(widget_page: OpenPage) -> None:
    wp = open_mat(widget_page, hamstring(), PHONE)
    enter(wp)
    button(wp, "Start").tap()
    assert wake_log(wp) == ["request:screen"]
    # The browser lets go of a lock when the page is hidden; shown again, the timer asks again.
    wp.page.evaluate(SHOW, "hidden")
    assert wake_log(wp)[-1] == "release"
    wp.page.evaluate(SHOW, "visible")
    assert wake_log(wp)[-1] == "request:screen"


def test_the_real_wake_lock_is_taken_and_released_where_the_browser_has_one(widget_page: OpenPage) -> None:
    wp = open_mat(widget_page, hamstring(), PHONE, init=WATCH_REAL_WAKE_LOCK)
    assert wp.page.evaluate("() => window.isSecureContext && 'wakeLock' in navigator")
    enter(wp)
    button(wp, "Start").tap()
    button(wp, "Skip").tap()
    log = wake_log(wp)
    assert log[0] == "request:screen", log
    if "granted" in log:
        run(wp, 500)  # a tap this soon after a press is a double tap
        tap_surface(wp)
        wp.page.wait_for_function("() => window.wakeLog.includes('release')")
        assert wp.page.locator(".sk-wake-note").is_hidden()
    else:  # headless Chromium may refuse: the timer says so and keeps going
        assert log[1].startswith("refused:"), log
        assert wp.page.locator(".sk-wake-note").is_visible()
        run(wp, 3000)
        assert attr(wp, "data-state") == "running"


@pytest.mark.parametrize("where", ["no API", "plain http"])
def test_without_a_wake_lock_one_line_says_so_and_the_timer_runs(widget_page: OpenPage, where: str) -> None:
    if where == "no API":
        wp = open_mat(widget_page, hamstring(), PHONE, init="delete Navigator.prototype.wakeLock;")
    else:  # http://widget.test is not a secure context: the browser offers no wake lock there
        wp = open_mat(widget_page, hamstring(), PHONE, init="", secure=False)
        assert wp.page.evaluate("() => window.isSecureContext") is False
    note = wp.page.locator(".sk-wake-note")
    assert note.is_hidden()  # said in mat mode only
    enter(wp)
    assert note.is_visible() and note.inner_text().startswith(NOTE)
    assert wp.page.locator(".sk-timer").get_by_text(NOTE).count() == 1  # once
    button(wp, "Start").tap()
    run(wp, 500)  # past the double-press moment
    button(wp, "Ready").tap()
    run(wp, 3000)
    assert attr(wp, "data-state") == "running" and text(wp, ".sk-time") == "0:02"
    assert note.is_visible()


def test_spoken_cues_are_on_in_mat_mode_unless_switched_off_there(widget_page: OpenPage) -> None:
    wp = open_mat(widget_page, hamstring(), TABLET)
    wp.page.evaluate(STUB_SPEECH)
    wp.page.evaluate("() => { document.querySelector('.sk-speech-option').hidden = false; }")
    speech = wp.page.get_by_role("checkbox", name="Spoken cues")
    assert not speech.is_checked()
    enter(wp)
    assert speech.is_checked() and wp.model("speech") is True
    button(wp, "Start").tap()
    assert wp.page.evaluate("() => window.spoken")[0].startswith("Next: Hamstring Stretch, on the floor.")
    button(wp, "Leave mat mode").tap()
    assert not speech.is_checked() and wp.model("speech") is False  # as it was
    enter(wp)
    speech.tap()  # off, in mat mode
    button(wp, "Leave mat mode").tap()
    enter(wp)
    assert not speech.is_checked()


def test_a_chair_to_floor_routine_waits_for_ready_and_ends_coming_up_slowly(widget_page: OpenPage) -> None:
    routine = Routine(
        [RoutineItem("piriformis-stretch", hold=15), RoutineItem("hamstring-stretch", hold=15, reps=1)]
    )
    timer = StretchTimer(illustrated_plan(routine, get_ready=2, switch=2))
    wp = open_mat(widget_page, timer, PHONE)
    enter(wp)
    button(wp, "Start").tap()
    run(wp, 2000 + 15_000 + 2000 + 15_000)  # the chair stretch, both sides
    assert text(wp, ".sk-phase") == "Down to the floor"
    assert text(wp, ".sk-technique") == "Hamstring Stretch"
    assert wp.page.locator(".sk-time").is_hidden()  # no countdown
    steps = wp.page.locator(".sk-steps li").all_inner_texts()
    assert steps == list(COURSE.floor.down)
    assert "lesson 00" in text(wp, ".sk-cue")
    assert button(wp, "Ready").is_visible() and text(wp, ".sk-status") == "Waiting for you"
    tap_surface_wait = wp.page.locator(".sk-cue")
    tap_surface_wait.tap()  # a tap elsewhere is not Ready
    run(wp, 600_000)  # it waits as long as it takes
    assert text(wp, ".sk-phase") == "Down to the floor" and attr(wp, "data-state") == "running"
    run(wp, 500)  # past the double-press moment
    button(wp, "Ready").tap()
    assert text(wp, ".sk-phase") == "Get ready" and text(wp, ".sk-time") == "0:02"
    run(wp, 2000 + 15_000 + 2000 + 15_000)
    assert text(wp, ".sk-phase") == "Come up slowly"
    assert wp.page.locator(".sk-steps li").all_inner_texts() == list(COURSE.floor.up)
    assert wp.page.locator(".sk-time").is_hidden()
    shot(wp, "timer-mat-phone-come-up-slowly")
    run(wp, 500)  # past the double-press moment
    button(wp, "Ready").tap()
    assert attr(wp, "data-state") == "done"
    report = wp.model("run")
    plan = timer.plan
    waits = [i for i, p in enumerate(plan.phases) if p.kind == "wait"]
    assert [report["spent"][i] for i in waits] == [0, 0]
    assert report["active"] == pytest.approx(4 * 15 + 4 * 2)
    assert report["wall"] >= report["active"] + 600
    timer.run = report
    assert routine.outcome(timer.last_run, get_ready=2, switch=2).complete


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_timer_in_its_page_has_large_controls_and_fits_a_phone(
    widget_page: OpenPage, scheme: str
) -> None:
    from stretchkit import BreakReminder

    for timer, name in (
        (StretchTimer.for_technique("hamstring-stretch"), "stretch"),
        (BreakReminder(), "reminder"),
    ):
        wp = open_mat(widget_page, timer, PHONE, color_scheme=scheme)
        assert small_controls(wp) == [] and sideways(wp) == 0
        boxes = wp.page.locator(".sk-options input[type=checkbox]:visible")
        for i in range(boxes.count()):
            box = boxes.nth(i).bounding_box()
            assert box is not None and box["width"] >= 24 and box["height"] >= 24, box
        shot(wp, f"timer-page-phone-{name}-{scheme}")
