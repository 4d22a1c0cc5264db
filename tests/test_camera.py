"""The camera check widget (camera.CameraCheck) without a browser, and its hold logic
(HoldWatch in static/camera.js) in node: when a hold pauses, resumes, and what counts as held."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from stretchkit import StretchTimer, load_course
from stretchkit.camera import POSE, POSE_FILES, WORDS, CameraCheck, camera_limits, followed, with_camera_check
from stretchkit.posecheck import upright_upper_body

CAMERA_JS = Path(__file__).resolve().parents[1] / "stretchkit" / "static" / "camera.js"
NODE = shutil.which("node")


def technique(slug: str) -> Any:
    return load_course().technique(slug)


def test_only_chair_positions_seen_from_the_side_are_followed() -> None:
    course = load_course()
    every = {t.slug: followed(t) for t in course.all_techniques}
    assert [s for s, why in every.items() if not why] == [
        "seated-knee-hug",
        "seated-cat-camel",
        "seated-hamstring-stretch",
    ]
    assert "a side view does not show it" in every["piriformis-stretch"]
    assert "only stretches on a chair" in every["hamstring-stretch"]


def test_a_followed_technique_sends_its_position_and_words() -> None:
    timer = StretchTimer.for_technique("seated-knee-hug")
    check = CameraCheck(timer, "seated-knee-hug")
    assert check.not_followed == ""
    assert [a["measure"] for a in check.position["poses"][0]] == [
        "trunk",
        "hip",
        "knee",
        "other_hip",
        "other_knee",
    ]
    assert check.words == WORDS
    assert check.phases == timer.phases
    assert repr(check) == "Camera check for Seated Knee Hug: off until you turn it on."


def test_a_technique_it_cannot_follow_says_so_and_has_no_position() -> None:
    check = CameraCheck(StretchTimer.for_technique("childs-pose"), "childs-pose")
    assert check.position == {}
    assert check.not_followed.startswith("The camera check does not follow")
    assert repr(check) == check.not_followed


def test_with_camera_check_puts_the_check_below_the_timer() -> None:
    timer = StretchTimer.for_technique("seated-cat-camel")
    box = with_camera_check(timer, "seated-cat-camel")
    assert box.children[0] is timer and isinstance(box.children[1], CameraCheck)
    bundle = box._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert data["text/plain"] == f"{timer!r}\nCamera check for Seated Cat-Camel: off until you turn it on."
    assert "Seated Cat-Camel" in data["text/html"] and "Camera check" in data["text/html"]


def test_the_lesson_says_what_the_check_is_not_where_to_put_the_device_and_what_it_follows() -> None:
    text = camera_limits().markdown
    assert "**not a medical or form assessment**" in text
    assert "**Place the device to your side** (a side view)" in text and "head to feet" in text
    assert "the Seated Knee Hug, the Seated Cat-Camel and the Seated Hamstring Stretch." in text
    assert "**It does not follow** Child's Pose, the Cat-Camel Stretch and the Hamstring Stretch" in text
    assert "not with people doing these stretches" in text


def test_lesson_08_says_the_same_limits_of_the_guided_sessions_check() -> None:
    """The guided session offers the check too: lesson 08 says what it can and cannot do, once."""
    import nbformat

    text = camera_limits(routine=True).markdown
    assert text.startswith("**Optional: the camera check below the session's timer**, offered while your")
    assert text.split("\n", 1)[1] == camera_limits().markdown.split("\n", 1)[1], "the same limits"
    nb = nbformat.read(Path(__file__).parents[1] / "notebooks" / "08-your-routine.ipynb", as_version=4)
    (cell,) = [c for c in nb.cells if "camera_limits" in c.source]
    assert cell.metadata["slideshow"]["slide_type"] == "skip", "not on the slides a class sees"
    (shown,) = [o["data"]["text/markdown"] for o in cell.outputs]
    assert shown == text


def test_the_browser_gets_the_model_files_when_it_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    check = CameraCheck(StretchTimer(), "seated-knee-hug", position=upright_upper_body())
    sent: list[tuple[Any, Any]] = []
    monkeypatch.setattr(check, "send", lambda content, buffers=None: sent.append((content, buffers)))
    check._on_msg(check, {"type": "files"}, [])
    ((content, buffers),) = sent
    assert content == {"type": "files", "names": list(POSE_FILES)}
    assert [len(b) for b in buffers] == [(POSE / n).stat().st_size for n in POSE_FILES]


def test_missing_model_files_are_said(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import stretchkit.camera as camera

    monkeypatch.setattr(camera, "POSE", tmp_path)
    check = CameraCheck(StretchTimer(), "seated-knee-hug")
    sent: list[Any] = []
    monkeypatch.setattr(check, "send", lambda content, buffers=None: sent.append(content))
    check._on_msg(check, {"type": "files"}, [])
    assert sent == [{"type": "missing"}]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("not a timer", "seated-knee-hug"), "timer must be a StretchTimer, got 'not a timer'"),
        ((None, "nope"), "technique"),
    ],
)
def test_bad_input_is_a_one_line_error_naming_the_parameter(args: tuple[Any, str], message: str) -> None:
    timer, slug = args
    with pytest.raises((TypeError, KeyError, ValueError), match=message):
        CameraCheck(StretchTimer() if timer is None else timer, slug)


# --- HoldWatch, in node ---

RUNNER = """
import { readFileSync } from "node:fs";
const source = readFileSync(process.argv[1], "utf8");
const { HoldWatch } = await import("data:text/javascript," + encodeURIComponent(source));
const w = new HoldWatch();
const frames = JSON.parse(readFileSync(0, "utf8"));
const out = frames.map(([kind, t, counting]) => [w.see(kind, t, counting), w.paused, w.heldMs]);
console.log(JSON.stringify(out));
"""


def watch(frames: Sequence[tuple[str, float, bool]]) -> list[list[Any]]:
    if NODE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is needed for camera.js's hold logic in CI")
        pytest.skip("node is not installed")
    run = subprocess.run(
        [NODE, "--input-type=module", "-e", RUNNER, str(CAMERA_JS)],
        input=json.dumps(frames),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    out: list[list[Any]] = json.loads(run.stdout)
    return out


def test_two_seconds_out_of_position_pauses_the_hold_and_the_first_frame_back_resumes_it() -> None:
    frames = [
        ("in position", 0, True),
        ("nobody", 1000, True),
        ("nobody", 2500, True),
        ("nobody", 3000, True),
    ]
    frames += [("in position", 3200, True), ("in position", 4200, True)]
    got = watch(frames)
    assert [g[0] for g in got] == [None, None, None, "pause", "resume", None]
    assert got[-1][2] == 1000 + 1000  # held: 0-1 s, and 3.2-4.2 s; never while out or paused


def test_a_short_look_away_does_not_pause() -> None:
    got = watch([("in position", 0, True), ("out of position", 500, True), ("in position", 1900, True)])
    assert [g[0] for g in got] == [None, None, None]


def test_nothing_counts_or_pauses_outside_a_hold_and_a_pause_ends_with_the_hold() -> None:
    got = watch(
        [("nobody", 0, True), ("nobody", 2100, True), ("nobody", 2300, False), ("nobody", 9000, False)]
    )
    assert [g[0] for g in got] == [None, "pause", "resume", None]
    assert got[-1][2] == 0


def test_in_the_site_without_the_files_the_browser_is_told_where_on_the_site_they_are(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import stretchkit.camera as camera

    monkeypatch.setattr(camera, "POSE", tmp_path)
    monkeypatch.setattr(sys, "platform", "emscripten")
    check = CameraCheck(StretchTimer(), "seated-knee-hug")
    sent: list[tuple[Any, Any]] = []
    monkeypatch.setattr(check, "send", lambda content, buffers=None: sent.append((content, buffers)))
    check._on_msg(check, {"type": "files"}, [])
    assert sent == [({"type": "fetch", "base": camera.SITE_POSE, "names": list(POSE_FILES)}, None)]
    assert camera.SITE_POSE == "pose-model/", "site-relative: the site may live in any folder"
