"""The timer's ES module in real headless Chromium, with a mock model and a fake clock.

Whole plans run in milliseconds through Playwright's ``page.clock``, paused so that time
moves only when a test says so. The state each page
starts from is the real Python widget's synced state, so JS and Python agree on names.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import pytest

from stretchkit import (
    BreakReminder,
    GuidedSession,
    Journal,
    Phase,
    Plan,
    Routine,
    StretchTimer,
    build_plan,
    load_course,
)
from stretchkit.handout import illustrated_plan
from stretchkit.wording import cite
from tests.browser.conftest import WidgetPage
from tests.browser.course import FITS, save_screenshot, tab_to, too_small

COURSE = load_course()
HAMSTRING = COURSE.technique("hamstring-stretch")
CAT_CAMEL = COURSE.technique("cat-camel")
#: All the browser may tell Python on its own (``run``: what happened, with a completed run).
PYTHON_KEYS = {"state", "phase_index", "completed_runs", "run"}

OpenPage = Callable[..., WidgetPage]

STUB_AUDIO = """() => {
  window.tones = []; window.audioContexts = 0;
  window.AudioContext = class {
    constructor() {
      window.audioContexts++; this.currentTime = 0; this.state = "running"; this.destination = {};
    }
    createOscillator() {
      const osc = { type: "", frequency: { value: 0 }, connect() {}, stop() {},
                    start() { window.tones.push(osc.frequency.value); } };
      return osc;
    }
    createGain() {
      return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect() {} };
    }
    close() { return Promise.resolve(); }
  };
}"""

STUB_SPEECH = """() => {
  window.spoken = [];
  Object.defineProperty(window, "speechSynthesis",
    { configurable: true, value: { speak(u) { window.spoken.push(u.text); }, cancel() {} } });
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
}"""

WATCH_LIVE = """() => {
  window.announced = [];
  const live = document.querySelector(".sk-live");
  new MutationObserver(() => window.announced.push(live.textContent.trim()))
    .observe(live, { childList: true, characterData: true, subtree: true });
}"""


def synced_state(timer: StretchTimer) -> dict[str, Any]:
    """The timer's own synced traits, as Python would send them to the browser."""
    names = set(type(timer).class_trait_names(sync=True)) - set(
        anywidget.AnyWidget.class_trait_names(sync=True)
    )
    return {name: timer.get_state(name)[name] for name in sorted(names) if not name.startswith("_")}


def open_timer(widget_page: OpenPage, timer: StretchTimer, **options: Any) -> WidgetPage:
    wp = widget_page("timer.js", "timer.css", synced_state(timer), **options)
    wp.page.clock.pause_at(10_000)  # the fake clock moves only when a test runs it
    wp.page.evaluate(STUB_AUDIO)
    wp.page.evaluate(WATCH_LIVE)
    return wp


def attr(wp: WidgetPage, name: str) -> str | None:
    return wp.page.locator(".sk-timer").get_attribute(name)  # type: ignore[no-any-return]


def text(wp: WidgetPage, selector: str) -> str:
    return wp.page.locator(f".sk-timer {selector}").inner_text()  # type: ignore[no-any-return]


def button(wp: WidgetPage, name: str) -> Any:
    return wp.page.get_by_role("button", name=name, exact=True)


def run(wp: WidgetPage, ms: int) -> None:
    wp.page.clock.run_for(ms)


def progress(wp: WidgetPage, selector: str) -> float:
    return float(wp.page.locator(selector).evaluate("el => el.value"))


@pytest.fixture
def hamstring(widget_page: OpenPage) -> WidgetPage:
    return open_timer(widget_page, StretchTimer.for_technique(HAMSTRING, reps=1))


def test_renders_idle_with_roles_names_and_no_network(hamstring: WidgetPage) -> None:
    wp = hamstring
    root = wp.page.get_by_role("timer")
    assert root.get_attribute("aria-label") == "Hamstring Stretch timer"
    assert attr(wp, "data-state") == "idle" and attr(wp, "data-phase") == "get-ready"
    assert text(wp, ".sk-status") == "Ready"
    assert text(wp, ".sk-phase") == "Get ready"
    assert text(wp, ".sk-time") == "0:05"
    for name in ("Start", "Skip", "Reset"):
        assert button(wp, name).is_visible()
    assert button(wp, "Skip").is_disabled() and button(wp, "Reset").is_disabled()
    assert wp.page.get_by_role("progressbar", name="This phase").count() == 1
    assert wp.page.get_by_role("progressbar", name="Whole plan").count() == 1
    live = wp.page.locator(".sk-live")
    assert live.get_attribute("aria-live") == "polite"
    assert wp.page.get_by_role("group", name="Timer controls").is_visible()
    assert wp.page.get_by_role("checkbox", name="Tone").is_checked()
    assert not wp.page.get_by_role("checkbox", name="Spoken cues").is_checked()
    assert wp.page.get_by_role("checkbox", name="Flash").is_checked()
    assert button(wp, "Presenter view").get_attribute("aria-pressed") == "false"
    assert wp.blocked == []


def test_a_whole_two_sided_plan_runs_phase_by_phase(hamstring: WidgetPage) -> None:
    wp = hamstring
    button(wp, "Start").click()
    assert attr(wp, "data-state") == "running" and text(wp, ".sk-status") == "Running"
    seen = []
    for ms in (5000, 30_000, 5000):
        seen.append((attr(wp, "data-phase"), text(wp, ".sk-side"), text(wp, ".sk-time")))
        run(wp, ms)
    seen.append((attr(wp, "data-phase"), text(wp, ".sk-side"), text(wp, ".sk-time")))
    assert seen == [
        ("get-ready", "", "0:05"),
        ("hold", "Left leg", "0:30"),
        ("switch", "", "0:05"),
        ("hold", "Right leg", "0:30"),
    ]
    assert text(wp, ".sk-cue") == "Hold, right leg: 30 seconds."
    run(wp, 29_000)
    assert text(wp, ".sk-time") == "0:01" and attr(wp, "data-state") == "running"
    run(wp, 999)
    assert attr(wp, "data-state") == "running"
    run(wp, 1)
    assert attr(wp, "data-state") == "done" and attr(wp, "data-phase") == "done"
    assert text(wp, ".sk-status") == "Done" and text(wp, ".sk-time") == "0:00"
    started, completed = float(attr(wp, "data-started-at") or 0), float(attr(wp, "data-completed-at") or 0)
    assert completed - started == 70_000
    assert progress(wp, ".sk-plan-bar") == 1
    assert wp.model("completed_runs") == 1 and wp.model("state") == "done"
    assert button(wp, "Start").is_visible()  # run it again


def test_python_hears_phase_changes_and_completion_never_ticks(hamstring: WidgetPage) -> None:
    wp = hamstring
    button(wp, "Start").click()
    run(wp, 70_000)
    saved = wp.saved()
    assert all(set(s) <= PYTHON_KEYS for s in saved), saved
    assert saved == [
        {"state": "running"},
        {"phase_index": 1},
        {"phase_index": 2},
        {"phase_index": 3},
        {
            "state": "done",
            "phase_index": 4,
            "completed_runs": 1,
            "run": {"spent": [5, 30, 5, 30, 0], "skipped": [], "active": 70, "wall": 70, "paused": 0},
        },
    ]


def test_phase_changes_are_announced_politely_not_ticks(hamstring: WidgetPage) -> None:
    wp = hamstring
    button(wp, "Start").click()
    run(wp, 20_000)
    assert wp.page.evaluate("window.announced") == [
        f"Get ready for Hamstring Stretch. {HAMSTRING.start_position}",
        "Hold, left leg: 30 seconds.",
    ]
    run(wp, 50_000)
    announced = wp.page.evaluate("window.announced")
    assert announced[2:] == [
        "Switch to the other leg.",
        "Hold, right leg: 30 seconds.",
        "Finished: Hamstring Stretch.",
    ]


def test_progress_for_the_phase_and_the_whole_plan(hamstring: WidgetPage) -> None:
    wp = hamstring
    button(wp, "Start").click()
    run(wp, 5000 + 15_000)
    assert progress(wp, ".sk-phase-bar") == pytest.approx(0.5, abs=0.01)
    assert progress(wp, ".sk-plan-bar") == pytest.approx(20 / 70, abs=0.01)
    assert text(wp, ".sk-plan-left") == "0:50 left"
    bar = wp.page.get_by_role("progressbar", name="Whole plan")
    assert bar.get_attribute("aria-valuetext") == "0:50 left of 1:10"


def test_pause_keeps_the_time_left_and_resume_carries_on(hamstring: WidgetPage) -> None:
    wp = hamstring
    button(wp, "Start").click()
    run(wp, 10_000)  # 5 s into the left hold
    button(wp, "Pause").click()
    assert attr(wp, "data-state") == "paused" and text(wp, ".sk-status") == "Paused"
    assert text(wp, ".sk-time") == "0:25"
    run(wp, 60_000)
    assert attr(wp, "data-phase") == "hold" and text(wp, ".sk-time") == "0:25"
    button(wp, "Resume").click()
    assert attr(wp, "data-state") == "running"
    run(wp, 24_999)
    assert text(wp, ".sk-side") == "Left leg"
    run(wp, 1)
    assert attr(wp, "data-phase") == "switch"
    run(wp, 35_000)
    assert attr(wp, "data-state") == "done"
    assert float(attr(wp, "data-paused-ms") or 0) == 60_000
    assert [s.get("state") for s in wp.saved() if "state" in s] == ["running", "paused", "running", "done"]


def double_click_timer(which: str, tmp_path: Path) -> StretchTimer:
    """A stretch's own timer, or the guided session's (lesson 08's), whose Start is the same."""
    if which == "stretch timer":
        return StretchTimer.for_technique(HAMSTRING, reps=1)
    return GuidedSession(Routine(), journal=Journal(tmp_path / "journal.sqlite3")).timer


@pytest.mark.parametrize("which", ["stretch timer", "guided session"])
def test_a_double_click_on_start_starts_and_does_not_pause(
    widget_page: OpenPage, tmp_path: Path, which: str
) -> None:
    """Older learners double-click: the second click of a double-click is not a Pause."""
    wp = open_timer(widget_page, double_click_timer(which, tmp_path))
    button(wp, "Start").dblclick()
    assert attr(wp, "data-state") == "running" and text(wp, ".sk-status") == "Running"
    assert button(wp, "Pause").is_visible()
    save_screenshot(wp.page, f"timer-after-a-double-click-{which.replace(' ', '-')}")
    start = text(wp, ".sk-time")
    run(wp, 2000)
    assert text(wp, ".sk-time") != start and text(wp, ".sk-status") == "Running"
    button(wp, "Pause").dblclick()  # a double-click pauses too, and stays paused
    assert text(wp, ".sk-status") == "Paused" and button(wp, "Resume").is_visible()
    run(wp, 1000)
    button(wp, "Resume").click()
    run(wp, 300)
    button(wp, "Pause").click()  # a moment after Resume: the rest of a slow double-click
    assert text(wp, ".sk-status") == "Running"
    assert [s["state"] for s in wp.saved() if "state" in s] == ["running", "paused", "running"]


@pytest.mark.parametrize("which", ["stretch timer", "guided session"])
def test_two_presses_well_apart_still_start_then_pause(
    widget_page: OpenPage, tmp_path: Path, which: str
) -> None:
    wp = open_timer(widget_page, double_click_timer(which, tmp_path))
    button(wp, "Start").click()
    run(wp, 1000)
    button(wp, "Pause").click()
    assert text(wp, ".sk-status") == "Paused" and button(wp, "Resume").is_visible()
    run(wp, 1000)
    button(wp, "Resume").click()
    assert text(wp, ".sk-status") == "Running"


def test_skip_moves_on_running_or_paused_and_can_finish(hamstring: WidgetPage) -> None:
    wp = hamstring
    button(wp, "Start").click()
    run(wp, 2000)
    button(wp, "Skip").click()
    assert attr(wp, "data-phase") == "hold" and text(wp, ".sk-time") == "0:30"
    run(wp, 30_000)
    assert attr(wp, "data-phase") == "switch"  # the skipped phase's time is not owed
    button(wp, "Pause").click()
    button(wp, "Skip").click()
    assert attr(wp, "data-state") == "paused" and text(wp, ".sk-side") == "Right leg"
    assert text(wp, ".sk-time") == "0:30"
    button(wp, "Skip").click()
    assert attr(wp, "data-state") == "done" and wp.model("completed_runs") == 1
    # Python is told what really happened: 2 s of getting ready, the first hold in full,
    # the switch and the right hold skipped at once while paused (so no time spent).
    assert wp.model("run") == {
        "spent": [2, 30, 0, 0, 0],
        "skipped": [0, 2, 3],
        "active": 32,
        "wall": 32,
        "paused": 0,
    }


def test_reset_returns_to_the_start(hamstring: WidgetPage) -> None:
    wp = hamstring
    button(wp, "Start").click()
    run(wp, 12_000)
    button(wp, "Reset").click()
    assert attr(wp, "data-state") == "idle" and attr(wp, "data-phase") == "get-ready"
    assert text(wp, ".sk-time") == "0:05" and progress(wp, ".sk-plan-bar") == 0
    run(wp, 100_000)
    assert attr(wp, "data-state") == "idle"
    assert wp.model("state") == "idle" and wp.model("phase_index") == 0


def test_keyboard_alone_space_toggles_and_buttons_work(hamstring: WidgetPage) -> None:
    wp = hamstring
    page = wp.page
    active = "() => document.activeElement.getAttribute('role') || document.activeElement.textContent"
    page.keyboard.press("Tab")
    assert page.evaluate(active) == "timer"
    page.keyboard.press("Space")
    assert attr(wp, "data-state") == "running"
    run(wp, 1000)
    page.keyboard.press("Space")
    assert attr(wp, "data-state") == "paused"
    page.keyboard.press("Space")
    assert attr(wp, "data-state") == "running"
    page.keyboard.press("Tab")
    assert page.evaluate(active) == "Pause"
    page.keyboard.press("Enter")
    assert attr(wp, "data-state") == "paused"
    page.keyboard.press("Tab")
    assert page.evaluate(active) == "Skip"
    page.keyboard.press("Space")  # a button's own Space: skip, not pause/resume
    assert attr(wp, "data-state") == "paused" and attr(wp, "data-phase") == "hold"
    page.keyboard.press("Tab")
    assert page.evaluate(active) == "Reset"
    page.keyboard.press("Enter")
    assert attr(wp, "data-state") == "idle"
    assert page.evaluate(active) == "Start"  # Reset is now disabled: focus is not lost
    page.keyboard.press("Enter")
    assert attr(wp, "data-state") == "running"
    for _ in range(4):
        page.keyboard.press("Tab")  # Pause -> Skip -> Reset -> Mat mode -> (hold buttons disabled) Tone
    assert page.evaluate("() => document.activeElement.className") == "sk-opt-sound"
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert wp.model("speech") is True
    assert {"speech": True} in wp.saved()


def test_space_on_the_timer_never_reaches_the_page_around_it(hamstring: WidgetPage) -> None:
    """A reveal.js slideshow listens for Space on the document to go to the next slide."""
    wp = hamstring
    page = wp.page
    page.evaluate(
        "() => { window.__pageSpaces = 0;"
        " document.addEventListener('keydown', e => { if (e.key === ' ') window.__pageSpaces++; }); }"
    )
    button(wp, "Start").focus()
    page.keyboard.press("Space")  # the button's own Space starts the timer
    assert attr(wp, "data-state") == "running"
    page.locator(".sk-timer").focus()
    page.keyboard.press("Space")  # Space on the timer itself pauses
    assert attr(wp, "data-state") == "paused"
    assert page.evaluate("() => window.__pageSpaces") == 0


def test_skip_to_the_end_by_keyboard_keeps_focus(hamstring: WidgetPage) -> None:
    wp = hamstring
    button(wp, "Start").click()
    button(wp, "Skip").focus()
    for _ in range(4):
        wp.page.keyboard.press("Enter")
    assert attr(wp, "data-state") == "done"
    assert wp.page.evaluate("() => document.activeElement.textContent") == "Start"


def test_a_tone_at_each_phase_change_from_an_audio_context_made_on_start(hamstring: WidgetPage) -> None:
    wp = hamstring
    assert wp.page.evaluate("window.audioContexts") == 0
    button(wp, "Start").click()
    assert wp.page.evaluate("window.audioContexts") == 1
    run(wp, 70_000)
    # One beep per phase, and a two-note ending.
    assert wp.page.evaluate("window.tones") == [880, 880, 880, 880, 660, 880]


def test_tone_can_be_switched_off(hamstring: WidgetPage) -> None:
    wp = hamstring
    wp.page.get_by_role("checkbox", name="Tone").uncheck()
    assert wp.saved()[-1] == {"sound": False}
    button(wp, "Start").click()
    run(wp, 70_000)
    assert wp.page.evaluate("window.tones") == []
    assert wp.page.evaluate("window.audioContexts") == 0


def test_spoken_cues_are_off_by_default_and_can_be_switched_on(hamstring: WidgetPage) -> None:
    wp = hamstring
    wp.page.evaluate(STUB_SPEECH)
    button(wp, "Start").click()
    run(wp, 6000)
    assert wp.page.evaluate("window.spoken") == []
    wp.page.get_by_role("checkbox", name="Spoken cues").check()
    run(wp, 64_000)
    assert wp.page.evaluate("window.spoken") == [
        "Switch to the other leg.",
        "Hold, right leg: 30 seconds.",
        "Finished: Hamstring Stretch.",
    ]


def test_speech_is_silently_absent_where_the_browser_lacks_it(widget_page: OpenPage) -> None:
    timer = StretchTimer.for_technique(HAMSTRING, reps=1, speech=True)
    wp = open_timer(widget_page, timer)
    errors: list[str] = []
    wp.page.on("pageerror", lambda exc: errors.append(str(exc)))
    wp.page.evaluate(
        """async () => {
          window.cleanup();
          Object.defineProperty(window, "speechSynthesis", { configurable: true, value: undefined });
          const mod = await import("/static/timer.js");
          window.cleanup = mod.default.render({ model: window.model, el: document.getElementById("root") });
        }"""
    )
    assert wp.page.locator(".sk-speech-option").is_hidden()
    button(wp, "Start").click()
    run(wp, 70_000)
    assert attr(wp, "data-state") == "done" and errors == []


def test_visual_flash_at_phase_changes_can_be_switched_off(hamstring: WidgetPage) -> None:
    wp = hamstring
    root = wp.page.locator(".sk-timer")
    button(wp, "Start").click()
    assert "sk-flash" in (root.get_attribute("class") or "")
    assert root.evaluate("el => getComputedStyle(el).animationName") == "sk-flash"
    run(wp, 1000)
    assert "sk-flash" not in (root.get_attribute("class") or "")
    wp.page.get_by_role("checkbox", name="Flash").uncheck()
    run(wp, 4000)
    assert attr(wp, "data-phase") == "hold"
    assert "sk-flash" not in (root.get_attribute("class") or "")


def test_reduced_motion_replaces_the_flash_with_a_steady_outline(widget_page: OpenPage) -> None:
    wp = open_timer(widget_page, StretchTimer.for_technique(HAMSTRING, reps=1), reduced_motion="reduce")
    root = wp.page.locator(".sk-timer")
    button(wp, "Start").click()
    style = root.evaluate(
        "el => { const s = getComputedStyle(el); return [s.animationName, s.outlineStyle]; }"
    )
    assert style == ["none", "solid"]


def test_presenter_view_by_option_and_by_toggle(widget_page: OpenPage) -> None:
    wp = open_timer(widget_page, StretchTimer.for_technique(HAMSTRING, reps=1, presenter=True))
    root = wp.page.locator(".sk-timer")
    toggle = button(wp, "Presenter view")
    assert "sk-presenter" in (root.get_attribute("class") or "")
    assert toggle.get_attribute("aria-pressed") == "true"
    big = wp.page.locator(".sk-time").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "false" and wp.saved()[-1] == {"presenter": False}
    small = wp.page.locator(".sk-time").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert big >= 2 * small
    wp.from_python("presenter", True)
    assert toggle.get_attribute("aria-pressed") == "true"


@pytest.mark.parametrize("column", [None, 700])
@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
@pytest.mark.parametrize("what", ["routine", "reminder"])
def test_presenter_view_fits_the_screen(
    widget_page: OpenPage, size: tuple[int, int], what: str, column: int | None
) -> None:
    """Everything an educator needs shows without scrolling, and the last digit stays in its box.

    ``column`` puts the timer in a narrower notebook column (JupyterLab with its side bar open,
    or two panels side by side), where digits sized by the screen alone ran past the border.
    """
    from stretchkit.routine import Routine

    if what == "routine":
        timer: StretchTimer = StretchTimer(illustrated_plan(Routine()), presenter=True)
    else:
        timer = BreakReminder(59, presenter=True)  # "59:00", the widest clock a reminder shows
    width, height = size
    wp = open_timer(widget_page, timer, viewport={"width": width, "height": height})
    if column:
        wp.page.evaluate("w => { document.getElementById('root').style.width = `${w}px`; }", column)
    button(wp, "Start").click()
    if what == "routine":
        for _ in range(9):  # on to the Hamstring Stretch: a wide drawing beside the clock
            button(wp, "Skip").click()
    run(wp, 1000)
    save_screenshot(wp.page, f"timer-presenter-{what}-{width}x{height}{f'-in-{column}px' if column else ''}")
    problems = wp.page.evaluate(FITS)
    assert problems == [], "; ".join(problems)
    assert wp.page.evaluate("() => document.documentElement.scrollHeight") <= height


def test_follows_light_dark_and_jupyterlab_theme_colours(widget_page: OpenPage) -> None:
    background = "el => getComputedStyle(el).backgroundColor"
    light = open_timer(widget_page, StretchTimer.for_technique(HAMSTRING, reps=1))
    dark = open_timer(widget_page, StretchTimer.for_technique(HAMSTRING, reps=1), color_scheme="dark")
    assert light.page.locator(".sk-timer").evaluate(background) == "rgb(255, 255, 255)"
    assert dark.page.locator(".sk-timer").evaluate(background) == "rgb(30, 30, 30)"
    dark.page.add_style_tag(
        content=":root { --jp-layout-color1: rgb(1, 2, 3); --jp-ui-font-color1: rgb(4, 5, 6); }"
    )
    colours = dark.page.locator(".sk-timer").evaluate(
        "el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]"
    )
    assert colours == ["rgb(1, 2, 3)", "rgb(4, 5, 6)"]


def test_hold_control_changes_the_hold_only_while_idle(widget_page: OpenPage) -> None:
    timer = StretchTimer.for_technique(HAMSTRING, reps=1)
    wp = open_timer(widget_page, timer)
    group = wp.page.get_by_role("group", name="Hold time")
    assert group.is_visible() and text(wp, ".sk-setting") == "Hold 30 s"
    button(wp, "+5 s").click()
    assert wp.saved()[-1] == {"hold": 35}
    timer.set_state({"hold": 35.0})  # what Python does with it
    wp.from_python("phases", timer.phases)
    assert text(wp, ".sk-setting") == "Hold 35 s" and text(wp, ".sk-plan-left") == "1:20 left"
    button(wp, "Start").click()
    assert button(wp, "+5 s").is_disabled() and button(wp, "\u22125 s").is_disabled()
    run(wp, 5000)
    assert text(wp, ".sk-time") == "0:35"


def test_hold_control_stops_at_its_limits(widget_page: OpenPage) -> None:
    wp = open_timer(widget_page, StretchTimer.for_technique(HAMSTRING, reps=1, hold=15))
    less = button(wp, "\u22125 s")
    less.click()  # a click focuses the button, which its own press then disables
    assert wp.saved()[-1] == {"hold": 10}
    assert less.is_disabled()  # 10 s is the shortest hold in the course's safe range
    assert wp.page.evaluate("() => document.activeElement.textContent") == "+5 s", "focus stays in the timer"
    note = wp.page.locator(".sk-adjust [role=status]")
    assert note.inner_text() == "10 s is the least this course suggests (ACSM)"
    more = button(wp, "+5 s")
    more.click()
    assert note.inner_text() == "", "no note between the limits"
    while not more.is_disabled():
        more.click()
    # The most the control allows, and it says so, with the limit from the content data.
    assert wp.saved()[-1] == {"hold": COURSE.routine.hold_max}
    assert note.is_visible() and note.inner_text() == "60 s is the most this course suggests (ACSM)"


def test_cat_camel_paces_reps_and_its_control_changes_reps(widget_page: OpenPage) -> None:
    wp = open_timer(widget_page, StretchTimer.for_technique(CAT_CAMEL))
    assert wp.page.get_by_role("group", name="Repetitions").is_visible()
    assert text(wp, ".sk-setting") == f"{CAT_CAMEL.reps} reps"
    button(wp, "Start").click()
    run(wp, 5000)
    first, second = CAT_CAMEL.movement
    assert attr(wp, "data-phase") == "move" and text(wp, ".sk-phase") == first.name
    assert text(wp, ".sk-rep") == f"Rep 1 of {CAT_CAMEL.reps}" and first.cue in text(wp, ".sk-cue")
    run(wp, int(first.seconds * 1000))
    assert text(wp, ".sk-phase") == second.name and second.cue in text(wp, ".sk-cue")
    run(wp, int(second.seconds * 1000))
    assert text(wp, ".sk-phase") == first.name and text(wp, ".sk-rep") == f"Rep 2 of {CAT_CAMEL.reps}"
    button(wp, "Reset").click()
    button(wp, "\u22121 rep").click()
    assert wp.saved()[-1] == {"reps": CAT_CAMEL.reps - 1}


def test_cat_camel_reps_stop_at_its_own_sources_most(widget_page: OpenPage) -> None:
    _, most, source = COURSE.reps_range(CAT_CAMEL)
    wp = open_timer(widget_page, StretchTimer.for_technique(CAT_CAMEL, reps=most))
    assert button(wp, "+1 rep").is_disabled()  # Cat-Camel's own source gives its most repeats
    assert text(wp, ".sk-adjust-note").startswith(f"{most} reps is the most this course suggests")
    assert cite(COURSE, source) in text(wp, ".sk-adjust-note")


def test_a_new_plan_from_python_resets_the_timer(hamstring: WidgetPage) -> None:
    wp = hamstring
    button(wp, "Start").click()
    run(wp, 8000)
    other = StretchTimer(build_plan(hold=12, get_ready=0, title="Other"))
    wp.from_python("title", other.title)
    wp.from_python("phases", other.phases)
    assert attr(wp, "data-state") == "idle" and text(wp, ".sk-time") == "0:12"
    assert wp.saved()[-1] == {"state": "idle", "phase_index": 0}
    assert wp.page.get_by_role("timer").get_attribute("aria-label") == "Other timer"
    run(wp, 60_000)
    assert attr(wp, "data-state") == "idle"


def test_routine_phases_show_technique_names_and_images(widget_page: OpenPage) -> None:
    svg = '<svg role="img" aria-label="A test figure" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>'
    with_image = Plan("Child", (Phase("hold", "Hold", 3, "Hold.", image=svg), Phase("done", "Done", 0, "")))
    routine = Plan.join("Routine", [with_image, build_plan(hold=4, get_ready=0, title="Second")])
    wp = open_timer(widget_page, StretchTimer(routine))
    button(wp, "Start").click()
    assert text(wp, ".sk-technique") == "Child"
    assert wp.page.get_by_role("img", name="A test figure").is_visible()
    run(wp, 3000)
    assert text(wp, ".sk-technique") == "Second" and wp.page.locator(".sk-image").is_hidden()
    run(wp, 4000)
    assert attr(wp, "data-state") == "done"


def test_the_guided_session_drawing_is_large_and_follows_the_phases(widget_page: OpenPage) -> None:
    from stretchkit.routine import Routine, RoutineItem

    routine = Routine([RoutineItem("cat-camel", reps=1), "hamstring-stretch"])
    timer = StretchTimer(illustrated_plan(routine, get_ready=1, switch=1))
    wp = open_timer(widget_page, timer, viewport={"width": 1280, "height": 900})
    image = wp.page.locator(".sk-image svg")

    def shown() -> str:
        return str(wp.page.locator(".sk-image svg title").first.text_content())

    button(wp, "Start").click()
    assert text(wp, ".sk-phase") == "Down to the floor"  # it starts on the floor: wait for Ready
    assert "Cat (side view)" in shown()  # the first position, to get down into
    run(wp, 500)  # a press right after Start would be the rest of a double-click
    button(wp, "Ready").click()
    assert "Cat (side view)" in shown()  # getting ready: the first position
    box = image.bounding_box()
    assert box is not None and box["width"] >= 300 and box["height"] >= 120, box
    seen = []
    for _ in range(4):
        button(wp, "Skip").click()
        seen.append((text(wp, ".sk-phase"), shown()))
    assert seen[0][0] == "Cat" and seen[0][1].endswith(": Cat (side view)")
    assert seen[1][0] == "Camel" and seen[1][1].endswith(": Camel (side view)")
    assert seen[3][0] == "Hold" and "Left leg (side view)" in seen[3][1]
    assert text(wp, ".sk-side") == "Left leg"  # the clock names the side as the drawing does
    assert wp.page.locator(".sk-image svg").count() == 1
    save_screenshot(wp.page, "timer-guided-drawing")


def test_break_reminder_repeats_and_counts_each_spell(widget_page: OpenPage) -> None:
    reminder = BreakReminder(minutes=1, repeat=True)
    wp = open_timer(widget_page, reminder)
    assert text(wp, ".sk-phase") == "Sitting" and text(wp, ".sk-time") == "1:00"
    assert text(wp, ".sk-setting") == "1 min"
    assert wp.page.get_by_role("checkbox", name="Repeat").is_checked()
    button(wp, "Start").click()
    run(wp, 60_000)
    assert wp.model("completed_runs") == 1
    assert attr(wp, "data-state") == "running" and text(wp, ".sk-time") == "1:00"
    assert wp.page.evaluate("window.announced")[-1] == reminder.plan.phases[-1].cue
    run(wp, 60_000)
    assert wp.model("completed_runs") == 2


def test_break_reminder_minutes_and_repeat_are_set_in_the_widget_by_keyboard(widget_page: OpenPage) -> None:
    """The lesson promises: choose how many minutes, and set it to repeat. No code needed."""
    reminder = BreakReminder(minutes=30)
    wp = open_timer(widget_page, reminder)
    group = wp.page.get_by_role("group", name="Minutes of sitting before the reminder")
    assert group.is_visible() and text(wp, ".sk-setting") == "30 min"
    repeat = wp.page.get_by_role("checkbox", name="Repeat")
    assert repeat.is_visible() and not repeat.is_checked()
    # Keyboard alone: Tab to "+5 min", press Enter twice; Tab to Repeat, press Space.
    tab_to(wp.page, ".sk-more")
    wp.page.keyboard.press("Enter")
    assert wp.saved()[-1] == {"minutes": 35}
    reminder.set_state({"minutes": 35.0})  # what Python does with it: a new 35-minute plan
    wp.from_python("phases", reminder.phases)
    assert text(wp, ".sk-setting") == "35 min" and text(wp, ".sk-time") == "35:00"
    tab_to(wp.page, ".sk-opt-repeat")
    wp.page.keyboard.press("Space")
    assert repeat.is_checked() and wp.saved()[-1] == {"repeat": True}
    reminder.set_state({"repeat": True})
    assert repr(reminder).endswith("reminder every 35 min)")
    # It repeats: one spell ends, the next begins at once.
    button(wp, "Start").click()
    assert button(wp, "+5 min").is_disabled()  # not while a spell runs
    run(wp, 35 * 60_000)
    assert wp.model("completed_runs") == 1 and attr(wp, "data-state") == "running"
    assert text(wp, ".sk-time") == "35:00"


def test_break_reminder_minutes_stop_at_their_limits(widget_page: OpenPage) -> None:
    wp = open_timer(widget_page, BreakReminder(minutes=5))
    assert button(wp, "\u22125 min").is_disabled() and not button(wp, "+5 min").is_disabled()
    wp = open_timer(widget_page, BreakReminder(minutes=120))
    assert button(wp, "+5 min").is_disabled() and not button(wp, "\u22125 min").is_disabled()


def test_break_reminder_without_repeat_stops(widget_page: OpenPage) -> None:
    wp = open_timer(widget_page, BreakReminder(minutes=1))
    button(wp, "Start").click()
    run(wp, 120_000)
    assert attr(wp, "data-state") == "done" and wp.model("completed_runs") == 1
    assert text(wp, ".sk-phase") == "Time for a break"


def test_cleanup_removes_listeners_and_timers(hamstring: WidgetPage) -> None:
    wp = hamstring
    button(wp, "Start").click()
    run(wp, 1000)
    saves = len(wp.saved())
    wp.page.evaluate("window.cleanup()")
    assert wp.page.evaluate("window.model.listenerCount()") == 0
    assert wp.page.locator(".sk-timer").count() == 0
    run(wp, 100_000)
    assert len(wp.saved()) == saves


def test_the_habit_checklist_ticks_by_mouse_and_keyboard(widget_page: OpenPage) -> None:
    from stretchkit.checklist import HabitChecklist

    checklist = HabitChecklist()
    state = {"title": checklist.title, "groups": checklist.groups, "checked": []}
    wp = widget_page("checklist.js", "checklist.css", state)
    first, second = checklist.groups[0]["items"][:2]
    box = wp.page.get_by_role("checkbox", name=first["text"])
    assert box.is_visible() and box.is_enabled() and not box.is_checked()
    assert wp.page.get_by_role("group", name=checklist.groups[0]["title"]).is_visible()
    box.click()
    assert box.is_checked() and wp.saved()[-1] == {"checked": [first["id"]]}
    wp.page.keyboard.press("Tab")
    wp.page.keyboard.press("Space")
    assert wp.page.get_by_role("checkbox", name=second["text"]).is_checked()
    assert wp.saved()[-1] == {"checked": [first["id"], second["id"]]}
    assert wp.page.get_by_role("checkbox").count() == len(checklist.items)
    save_screenshot(wp.page, "habit-checklist")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_checklist_on_a_phone_has_16_px_text_and_44_px_targets(
    widget_page: OpenPage, scheme: str
) -> None:
    """Each habit's label is its target, as drawn at 390x844 with touch."""
    from stretchkit.checklist import HabitChecklist

    checklist = HabitChecklist()
    state = {"title": checklist.title, "groups": checklist.groups, "checked": []}
    phone = {"viewport": {"width": 390, "height": 844}, "touch": True, "color_scheme": scheme}
    wp = widget_page("checklist.js", "checklist.css", state, **phone)
    assert too_small(wp.page, [".sk-checklist"]) == []
    assert wp.page.evaluate("() => document.documentElement.scrollWidth") <= 390
    save_screenshot(wp.page, f"habit-checklist-phone-{scheme}")
