"""The camera check in Chromium with fake cameras: a person video gives keypoints, a video that
alternates a person and an empty room counts about half the hold, a person out of position
pauses the hold (in a plain page, in a real JupyterLab and in the static site, which fetches the
model's files from its own host only once the camera is turned on), an insecure address falls back
with its line, and no request leaves the host.

The model runs for real (MoveNet Lightning on the wasm backend, on the shared CPU), so the
videos are short and small (tests/browser/fake_camera.py). The position checked is
posecheck.upright_upper_body (the head over the shoulders): the only person photo shipped is
a waist-up portrait, and turning it on its side makes it out of position.
"""

from __future__ import annotations

import contextlib
import json
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from stretchkit.camera import POSE_FILES, SITE_POSE, WORDS
from stretchkit.posecheck import upright_upper_body
from tests.browser.course import check_accessibility, save_screenshot, wait_for
from tests.browser.fake_camera import (
    INSECURE,
    MODEL_S,
    SECURE,
    CameraPage,
    camera_browser,
    empty,
    lying,
    open_camera_page,
    person,
    state,
    video,
)
from tests.browser.lab import Lab, new_lab_page, open_notebook, run_cell, write_notebook


@pytest.fixture
def camera_page(playwright: Any) -> Iterator[Callable[..., CameraPage]]:
    """Open the camera check in a page whose camera plays a video (see fake_camera.open_camera_page)."""
    with contextlib.ExitStack() as stack:
        yield lambda *args, **kwargs: open_camera_page(playwright, stack, *args, **kwargs)


@pytest.fixture(scope="module")
def videos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("videos")
    return {
        "person": video(folder, "person", [(person(), 1.0)]),
        "alternating": video(folder, "alternating", [(person(), 1.0), (empty(), 1.0)]),
        "lying": video(folder, "lying", [(lying(), 1.0)]),
    }


def test_a_person_on_camera_gives_keypoints_drawn_on_a_mirrored_preview_and_nothing_leaves(
    camera_page: Callable[..., CameraPage], videos: dict[str, Path]
) -> None:
    cp = camera_page(videos["person"], state())
    intro = cp.page.locator(".sk-camera-intro").inner_text()
    assert "no picture is kept or sent anywhere" in intro and "head to feet" in intro
    assert cp.page.locator(".sk-camera-preview").is_hidden(), "no camera until the learner asks"
    cp.turn_on()
    cp.wait_for_frames(5)
    assert int(cp.preview("found")) >= 8, cp.preview("keypoints")
    names = {k["name"] for k in json.loads(cp.preview("keypoints"))}
    assert {"nose", "left_shoulder", "right_shoulder"} <= names
    wait_for(lambda: cp.status() == WORDS["in position"], "the status said In position", 10)
    assert cp.page.get_by_role("status").inner_text().strip() == WORDS["in position"]
    assert cp.page.get_by_role("button", name=WORDS["stop"]).get_attribute("aria-pressed") == "true"
    transform = cp.page.eval_on_selector(".sk-camera-preview", "el => getComputedStyle(el).transform")
    assert transform.startswith("matrix(-1"), f"the preview is mirrored: {transform}"
    assert cp.page.evaluate("() => window.model.sent") == [{"type": "files"}]
    check_accessibility(cp.page, [".sk-camera"])
    save_screenshot(cp.page, "pose-check-person")
    cp.page.set_viewport_size({"width": 390, "height": 844})
    save_screenshot(cp.page, "pose-check-person-phone")
    width = cp.page.eval_on_selector(".sk-camera", "el => el.scrollWidth <= el.clientWidth")
    assert width, "the check fits a 390 px phone"
    cp.page.get_by_role("button", name=WORDS["stop"]).click()
    assert cp.status() == WORDS["off"]
    assert cp.page.locator(".sk-camera-preview").is_hidden()
    assert cp.off_host == [], cp.off_host
    assert all(u.startswith(SECURE) for u in cp.requests)


def test_a_person_then_an_empty_room_counts_about_half_the_hold(
    camera_page: Callable[..., CameraPage], videos: dict[str, Path]
) -> None:
    cp = camera_page(videos["alternating"], state())
    cp.turn_on()
    cp.wait_for_frames(3)
    start_held = cp.page.evaluate("() => window.model.get('held_in_view')")
    t0 = time.monotonic()
    kinds: set[str] = set()
    while time.monotonic() - t0 < 12:
        kinds.add(cp.preview("kind"))
        time.sleep(0.1)
    elapsed = time.monotonic() - t0
    cp.page.get_by_role("button", name=WORDS["stop"]).click()  # saves "held N s in view"
    held = cp.model("held_in_view") - start_held
    assert {"in position", "nobody"} <= kinds, kinds
    assert 0.3 * elapsed <= held <= 0.7 * elapsed, f"held {held} s of {elapsed:.1f} s"
    assert cp.page.locator(".sk-camera-held").inner_text() == WORDS["held"].format(n=cp.model("held_in_view"))
    assert not cp.model("hold_paused"), "1 s away never pauses the hold (it takes 2 s)"
    assert cp.off_host == [], cp.off_host


def test_out_of_position_pauses_the_hold_with_a_spoken_cue(
    camera_page: Callable[..., CameraPage], videos: dict[str, Path]
) -> None:
    cp = camera_page(videos["lying"], state())
    cp.turn_on()
    cp.wait_for_frames(3)
    wait_for(lambda: cp.model("hold_paused"), "the hold was paused", 15)
    paused = f"{WORDS['out of position']}: {WORDS['paused']}"
    wait_for(lambda: cp.status() == paused, f"the status said {paused!r}", 5)
    assert cp.page.evaluate("() => window.spoken") == [paused]
    assert cp.preview("reason").startswith("head ")
    save_screenshot(cp.page, "pose-check-out-of-position")
    cp.page.evaluate("() => window.model.fromPython('phase_index', 2)")  # the hold ends: the pause with it
    wait_for(lambda: not cp.model("hold_paused"), "the pause ended with the hold", 5)
    assert cp.off_host == [], cp.off_host


def test_an_insecure_address_says_so_in_one_line_and_asks_for_no_camera(
    camera_page: Callable[..., CameraPage], videos: dict[str, Path]
) -> None:
    cp = camera_page(videos["person"], state(), origin=INSECURE)
    cp.turn_on()
    assert cp.status() == WORDS["insecure"]
    assert cp.page.locator(".sk-camera-preview").is_hidden()
    assert cp.page.evaluate("() => window.model.sent") == [], "no model is loaded"
    assert not cp.model("hold_paused")
    check_accessibility(cp.page, [".sk-camera"])
    save_screenshot(cp.page, "pose-check-insecure")
    cp.page.emulate_media(color_scheme="dark")
    check_accessibility(cp.page, [".sk-camera"])
    save_screenshot(cp.page, "pose-check-insecure-dark")
    assert cp.off_host == [], cp.off_host


# --- a timer that plays several stretches (the guided session): the current stretch's position ---

A, B = "Seated Knee Hug", "Piriformis Stretch"  # B: a stretch the check does not follow
ROUTINE_PHASES = [
    {"kind": "get-ready", "seconds": 5, "label": "Get ready", "technique": A},
    {"kind": "hold", "seconds": 30, "label": "Hold", "technique": A},
    {"kind": "rest", "seconds": 10, "label": "Rest", "technique": ""},
    {"kind": "get-ready", "seconds": 5, "label": "Get ready", "technique": B},
    {"kind": "hold", "seconds": 30, "label": "Hold", "technique": B},
    {"kind": "done", "seconds": 0, "label": "Done", "technique": ""},
]


def routine_state(**changes: Any) -> dict[str, Any]:
    return state(
        phases=ROUTINE_PHASES,
        positions={A: upright_upper_body().as_data()},
        intro=WORDS["routine intro"].format(names="the Seated Knee Hug"),
        **changes,
    )


def test_in_a_routine_the_check_follows_the_current_stretch_and_leaves_the_others_holds_alone(
    camera_page: Callable[..., CameraPage], videos: dict[str, Path]
) -> None:
    cp = camera_page(videos["lying"], routine_state())
    assert (
        cp.page.locator(".sk-camera-intro")
        .inner_text()
        .startswith("Optional: the camera can check that you are in the position of the Seated Knee Hug,")
    )
    cp.turn_on()
    cp.wait_for_frames(3)
    wait_for(lambda: cp.model("hold_paused"), "the followed stretch's hold was paused", 15)
    cp.page.evaluate("() => window.model.fromPython('phase_index', 4)")  # the next stretch's hold
    wait_for(lambda: not cp.model("hold_paused"), "the pause ended with that stretch", 5)
    wait_for(lambda: cp.status() == WORDS["not followed"], "the status said it does not follow it", 5)
    time.sleep(3)  # longer than the 2 s grace: out of position, yet not paused
    assert not cp.model("hold_paused")
    assert cp.preview("kind") == "not followed"
    save_screenshot(cp.page, "pose-check-routine-not-followed")
    assert cp.off_host == [], cp.off_host


def test_in_a_routine_the_seconds_held_in_view_are_kept_by_stretch(
    camera_page: Callable[..., CameraPage], videos: dict[str, Path]
) -> None:
    cp = camera_page(videos["person"], routine_state())
    cp.turn_on()
    cp.wait_for_frames(3)
    wait_for(lambda: cp.status() == WORDS["in position"], "the status said In position", 10)
    time.sleep(4)
    cp.page.evaluate("() => window.model.fromPython('phase_index', 4)")  # B's hold: not followed
    time.sleep(3)
    cp.page.evaluate("() => window.model.fromPython('phase_index', 5)")  # done: saved
    wait_for(lambda: cp.model("held_by_stretch"), "the seconds by stretch were saved", 5)
    held = cp.model("held_by_stretch")
    assert list(held) == [A], held
    assert 3 <= held[A] <= 7, held
    assert cp.model("held_in_view") == held[A]
    assert cp.off_host == [], cp.off_host


# --- in a real JupyterLab: the check pauses the real timer ---

LAB_CELLS = [
    "from stretchkit import StretchTimer\n"
    "from stretchkit.camera import with_camera_check\n"
    "from stretchkit.posecheck import upright_upper_body\n"
    'timer = StretchTimer.for_technique("seated-knee-hug", get_ready=3, hold=30, reps=1, sound=False)\n'
    'with_camera_check(timer, "seated-knee-hug", position=upright_upper_body())',
    'print(f"state={timer.state} camera_paused={timer.camera_paused}")',
]


@pytest.mark.lab
def test_in_jupyterlab_a_person_gives_keypoints_and_out_of_position_pauses_the_timer(
    jupyterlab: Lab, videos: dict[str, Path], tmp_path: Path, playwright: Any
) -> None:
    spells = video(tmp_path, "then-lying", [(person(), 8.0), (lying(), 8.0)])
    write_notebook(jupyterlab, "camera.ipynb", LAB_CELLS)
    with (
        camera_browser(playwright, spells) as browser,
        new_lab_page(browser, jupyterlab) as lp,
    ):
        page = lp.page
        open_notebook(page, jupyterlab, "camera.ipynb")
        run_cell(page, 0)
        page.get_by_role("button", name=WORDS["start"]).click()
        preview = page.locator(".sk-camera-preview")
        wait_for(lambda: int(preview.get_attribute("data-found") or 0) >= 8, "keypoints were found", MODEL_S)
        timer = page.locator(".sk-timer")
        timer.get_by_role("button", name="Start").click()
        wait_for(lambda: timer.get_attribute("data-state") == "paused", "the timer paused", 60)
        assert timer.get_attribute("data-camera-paused") == "true"
        status = page.get_by_role("status").filter(has_text=WORDS["paused"])
        assert status.count() == 1, page.locator(".sk-camera-status").inner_text()
        page.locator(".sk-camera").scroll_into_view_if_needed()
        save_screenshot(page, "pose-check-lab-paused")
        wait_for(lambda: timer.get_attribute("data-state") == "running", "the timer resumed", 30)
        assert lp.blocked == [], lp.blocked


SESSION_CELLS = [
    "from stretchkit import GuidedSession, Routine\n"
    "from stretchkit.posecheck import upright_upper_body\n"
    "from stretchkit.practice import Journal\n"
    "from stretchkit.routine import RoutineItem\n"
    'routine = Routine([RoutineItem("seated-knee-hug", hold=10, reps=1)], title="Camera")\n'
    'session = GuidedSession(routine, journal=Journal("camera-journal.sqlite3"), sound=False)\n'
    "# the only person photo is a waist-up portrait: follow the head over the shoulders\n"
    'session.camera.positions = {"Seated Knee Hug": upright_upper_body().as_data()}\n'
    "session",
    'print("held:", Journal("camera-journal.sqlite3").sessions()[-1].held_in_view)',
]


@pytest.mark.lab
def test_in_jupyterlab_the_guided_session_keeps_the_seconds_held_in_view_in_the_journal(
    jupyterlab: Lab, videos: dict[str, Path], playwright: Any
) -> None:
    write_notebook(jupyterlab, "camera-session.ipynb", SESSION_CELLS)
    with (
        camera_browser(playwright, videos["person"]) as browser,
        new_lab_page(browser, jupyterlab) as lp,
    ):
        page = lp.page
        open_notebook(page, jupyterlab, "camera-session.ipynb")
        run_cell(page, 0)
        intro = page.locator(".sk-camera-intro").inner_text()
        assert intro.startswith(
            "Optional: the camera can check that you are in the position of the Seated Knee Hug"
        )
        page.get_by_role("button", name=WORDS["start"]).click()
        preview = page.locator(".sk-camera-preview")
        wait_for(lambda: int(preview.get_attribute("data-found") or 0) >= 8, "keypoints were found", MODEL_S)
        timer = page.locator(".sk-timer")
        timer.get_by_role("button", name="Start").click()
        wait_for(lambda: timer.get_attribute("data-state") == "done", "the session's run completed", 90)
        page.get_by_text("Saved to your journal").first.wait_for(timeout=20_000)
        out = ""
        for _ in range(10):  # the camera's seconds may reach the kernel just after the run's report
            out = run_cell(page, 1)
            if "seated-knee-hug" in out:
                break
            time.sleep(1)
        held = float(out.split("'seated-knee-hug': ")[1].split("}")[0])
        assert 12 <= held <= 21, f"two 10 s holds, seen in position: {out}"
        page.locator(".sk-camera").scroll_into_view_if_needed()
        save_screenshot(page, "pose-check-lab-session-saved")
        assert lp.blocked == [], lp.blocked


# --- in the static site: the model's files are the site's own, fetched only on switch-on ---

SITE_CODE = (
    "from stretchkit import StretchTimer, with_camera_check\n"
    "from stretchkit.posecheck import upright_upper_body\n"
    'timer = StretchTimer.for_technique("seated-knee-hug", get_ready=3, hold=30, reps=1, sound=False)\n'
    'with_camera_check(timer, "seated-knee-hug", position=upright_upper_body())'
)


def _site_wheel_files(site: Path) -> list[str]:
    (wheel,) = (site / "static" / "pyodide").glob("stretchkit-*.whl")
    with zipfile.ZipFile(wheel) as z:
        return z.namelist()


@pytest.mark.lite
@pytest.mark.parametrize("folder", ["", "course/"], ids=["at-the-root", "in-a-folder"])
def test_in_the_site_a_person_gives_keypoints_out_of_position_pauses_the_timer_and_nothing_leaves(
    tmp_path: Path, playwright: Any, folder: str
) -> None:
    """The model's files are fetched from the site only once the camera is turned on, also when
    the site lives in a folder of its host (as on GitHub Pages)."""
    from tests.browser.lite import build_site, new_lite_page, new_notebook, serve_site, type_and_run

    root = build_site()
    in_wheel = [n for n in _site_wheel_files(root) if "/pose-model/" in n]
    assert in_wheel == [], f"the site's course wheel carries the pose model: {in_wheel}"
    spells = video(tmp_path, "then-lying", [(person(), 8.0), (lying(), 8.0)])
    served = root
    if folder:  # the host's root holds the site in a folder of its own
        served = tmp_path / "host"
        served.mkdir()
        (served / folder.rstrip("/")).symlink_to(root, target_is_directory=True)
    with serve_site(served) as site, camera_browser(playwright, spells) as browser:
        site.url += folder
        with new_lite_page(browser, site) as lp:
            page = lp.page
            model_urls = [f"{site.url}{SITE_POSE}{name}" for name in POSE_FILES]

            def fetched() -> list[str]:
                return [u for u in lp.requests if "pose-model" in u or u.split("?")[0] in model_urls]

            new_notebook(lp)
            type_and_run(page, SITE_CODE, timeout_ms=120_000)
            page.wait_for_timeout(1000)
            assert fetched() == [], f"the pose model was fetched before the camera was turned on: {fetched()}"
            page.get_by_role("button", name=WORDS["start"]).click()
            preview = page.locator(".sk-camera-preview")
            wait_for(
                lambda: int(preview.get_attribute("data-found") or 0) >= 8, "keypoints were found", MODEL_S
            )
            assert sorted({u.split("?")[0] for u in fetched()}) == sorted(model_urls), fetched()
            assert {f"/{folder}{SITE_POSE}{name}" for name in POSE_FILES} <= {
                p.split("?")[0] for p in site.served
            }
            timer = page.locator(".sk-timer")
            timer.get_by_role("button", name="Start").click()
            wait_for(lambda: timer.get_attribute("data-state") == "paused", "the timer paused", 60)
            assert page.get_by_role("status").filter(has_text=WORDS["paused"]).count() == 1
            page.locator(".sk-camera").scroll_into_view_if_needed()
            save_screenshot(page, f"pose-check-site-paused{'-in-a-folder' if folder else ''}")
            # In a folder, JupyterLite's service worker sends its heartbeat to the host's /api/:
            # the same host, outside the site's folder (jupyterlite's own, not the camera's).
            host = site.url[: -len(folder)] if folder else site.url
            off_host = [u for u in lp.off_host() if not u.startswith(host)]
            assert off_host == [], off_host
            assert not lp.errors, lp.errors
