"""The camera check's position rules (posecheck), and the browser's copy of them (camera.js).

Keypoints are made from the course's own side-view stick figures (as a camera would see the
drawn body, facing either way), and recorded from the real model once
(tests/data/keypoints-astronaut.json: one frame of tests/browser/test_pose_check.py's person video).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from stretchkit.drawing import drawing_for
from stretchkit.pose import Pose, joints
from stretchkit.posecheck import (
    KEYPOINTS,
    Angle,
    Keypoint,
    Position,
    check,
    position_from_poses,
    upright_upper_body,
)

ROOT = Path(__file__).resolve().parents[1]
CAMERA_JS = ROOT / "stretchkit" / "static" / "camera.js"
DATA = ROOT / "tests" / "data"
NODE = shutil.which("node")
#: The course's side-view positions (the others are drawn from the front or above).
SIDE = (
    "childs-pose",
    "cat-camel",
    "hamstring-stretch",
    "seated-knee-hug",
    "seated-cat-camel",
    "seated-hamstring-stretch",
)


def position(slug: str) -> Position:
    return position_from_poses(slug, drawing_for(slug).poses)


def seen_from_side(pose: Pose, *, facing: str = "right", scale: float = 400.0) -> list[Keypoint]:
    """The keypoints a camera sees of a drawn figure: pixels, y down, the near leg the left one
    when it faces right (its left side towards the camera), mirrored when it faces left."""
    j = joints(pose)
    sign = 1.0 if facing == "right" else -1.0
    near, far = ("left", "right") if facing == "right" else ("right", "left")

    def px(point: tuple[float, float]) -> tuple[float, float]:
        return (320 + sign * point[0] * scale, 400 - point[1] * scale)

    where = {"nose": j["head"]}
    for side, name in ((near, "near"), (far, "far")):
        where[f"{side}_shoulder"] = j["shoulders"]
        where[f"{side}_elbow"] = j[f"{name}_elbow"]
        where[f"{side}_wrist"] = j[f"{name}_wrist"]
        where[f"{side}_hip"] = j["pelvis"]
        where[f"{side}_knee"] = j[f"{name}_knee"]
        where[f"{side}_ankle"] = j[f"{name}_ankle"]
    return [Keypoint(n, *px(where[n]), 0.8) if n in where else Keypoint(n, 0.0, 0.0, 0.05) for n in KEYPOINTS]


def without(keypoints: list[Keypoint], *names: str) -> list[Keypoint]:
    return [Keypoint(k.name, k.x, k.y, 0.1) if k.name in names else k for k in keypoints]


@pytest.mark.parametrize("slug", SIDE)
@pytest.mark.parametrize("facing", ["right", "left"])
def test_each_side_view_position_is_in_position_in_its_own_drawing(slug: str, facing: str) -> None:
    for pose in drawing_for(slug).poses:
        verdict = check(position(slug), seen_from_side(pose, facing=facing))
        assert verdict.kind == "in position", verdict


def test_a_position_is_a_few_angles_from_its_drawing() -> None:
    hug = position("seated-knee-hug")
    (angles,) = hug.poses
    by = {a.measure: a.degrees for a in angles}
    assert by == {"trunk": 0.0, "hip": 150.0, "knee": 160.0, "other_hip": 90.0, "other_knee": 90.0}
    assert len(position("seated-cat-camel").poses) == 2  # the Cat and the Camel


@pytest.mark.parametrize(
    ("slug", "other", "why"),
    [
        ("seated-knee-hug", "seated-hamstring-stretch", "knee"),  # the straight leg is not hugged
        ("seated-hamstring-stretch", "seated-cat-camel", "knee"),  # both feet down: no straight leg
        ("seated-cat-camel", "hamstring-stretch", "trunk"),  # lying, not sitting
        ("hamstring-stretch", "seated-knee-hug", "trunk"),
        ("childs-pose", "cat-camel", "hip"),
    ],
)
def test_another_stretchs_position_is_out_of_position_with_the_angle_named(
    slug: str, other: str, why: str
) -> None:
    verdict = check(position(slug), seen_from_side(drawing_for(other).poses[0]))
    assert verdict.kind == "out of position", verdict
    assert verdict.reason.split(" ")[0].endswith(why), verdict.reason


def test_a_body_partly_out_of_view_is_not_in_view_and_says_what_cannot_be_measured() -> None:
    hug = drawing_for("seated-knee-hug").poses[0]
    feet_cut = without(seen_from_side(hug), "left_ankle", "right_ankle")
    verdict = check(position("seated-knee-hug"), feet_cut)
    assert verdict.kind == "not in view"
    assert verdict.reason == "cannot measure: knee, other_knee"


def test_an_empty_frame_is_nobody() -> None:
    empty = [Keypoint(n, 10.0, 10.0, 0.1) for n in KEYPOINTS]
    assert check(position("seated-knee-hug"), empty).kind == "nobody"


def test_tolerance_bounds_are_kept() -> None:
    bent = Position("t", ((Angle("trunk", 30.0, 10.0),),))
    upright = seen_from_side(drawing_for("seated-cat-camel").poses[1])  # trunk 0
    assert check(bent, upright).kind == "out of position"
    assert check(Position("t", ((Angle("trunk", 9.0, 10.0),),)), upright).kind == "in position"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Keypoint("neck", 0, 0, 1), "name: unknown keypoint 'neck'"),
        (lambda: Angle("spine", 0, 10), "measure: unknown 'spine'"),
        (lambda: Angle("trunk", 0, 0), "tolerance: must be between 0 and 180 degrees, got 0"),
        (lambda: position_from_poses("x", ()), "poses: 'x' needs at least one pose"),
        (
            lambda: position_from_poses("x", drawing_for("cat-camel").poses, measures=["neck"]),
            "measures: unknown 'neck'",
        ),
    ],
)
def test_bad_input_is_a_one_line_error_naming_the_parameter(build: object, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        build()  # type: ignore[operator]


def recorded(name: str) -> list[Keypoint]:
    return [Keypoint(**k) for k in json.loads((DATA / f"keypoints-{name}.json").read_text())["keypoints"]]


def test_the_models_keypoints_of_a_photo_from_the_waist_up() -> None:
    # The astronaut photo, as MoveNet found it: head, shoulders and a guess at the hips; no legs.
    astronaut = recorded("astronaut")
    assert check(upright_upper_body(), astronaut).kind == "in position"
    verdict = check(position("seated-knee-hug"), astronaut)
    assert verdict.kind == "not in view", verdict
    assert verdict.reason == "cannot measure: hip, knee, other_hip, other_knee"


# --- the browser's copy of the rules ---

RUNNER = """
import { readFileSync } from "node:fs";
const source = readFileSync(process.argv[1], "utf8");
const { check } = await import("data:text/javascript," + encodeURIComponent(source));
const cases = JSON.parse(readFileSync(0, "utf8"));
console.log(JSON.stringify(cases.map(([position, keypoints]) => check(position, keypoints))));
"""


def js_verdicts(cases: list[tuple[Position, list[Keypoint]]]) -> list[dict[str, str]]:
    if NODE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is needed for camera.js's rules in CI")
        pytest.skip("node is not installed")
    data = [[p.as_data(), [k.__dict__ for k in kps]] for p, kps in cases]
    run = subprocess.run(
        [NODE, "--input-type=module", "-e", RUNNER, str(CAMERA_JS)],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    out: list[dict[str, str]] = json.loads(run.stdout)
    return out


def test_the_browser_rules_give_the_same_verdicts_as_pythons() -> None:
    frames = [
        seen_from_side(p, facing=f) for s in SIDE for p in drawing_for(s).poses for f in ("left", "right")
    ]
    frames.append(without(frames[6], "left_ankle", "right_ankle", "left_knee"))
    frames.append([Keypoint(n, 1.0, 1.0, 0.2) for n in KEYPOINTS])
    frames.append(recorded("astronaut"))
    positions = [position(s) for s in SIDE] + [upright_upper_body()]
    cases = [(p, f) for p in positions for f in frames]
    got = js_verdicts(cases)
    want = [check(p, f) for p, f in cases]
    assert [g["kind"] for g in got] == [w.kind for w in want]
    assert [g["reason"].split(" ")[0] for g in got] == [w.reason.split(" ")[0] for w in want]
    assert {w.kind for w in want} == {"in position", "out of position", "not in view", "nobody"}
