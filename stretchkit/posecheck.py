"""The camera check's rules: is the learner in a stretch's position, seen from the side?

A position is data: a few angles (the trunk from upright, each hip's and knee's bend, the
head over the shoulders), each with a tolerance, taken from the course's own side-view
stick figure (:func:`position_from_poses`). :func:`check` compares them with the 17 COCO
keypoints a pose model (MoveNet) finds in one camera frame. Pure Python, like
:mod:`stretchkit.pose`: nothing here sees a camera, and ``static/camera.js`` mirrors these
rules for the browser (``tests/test_posecheck.py`` holds both to the same fixtures).

Only what a side view shows is checked, loosely: this says whether the camera sees the
body in roughly the drawn position, never whether a stretch is done well.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from .pose import Point, Pose, joints

__all__ = [
    "BODY",
    "KEYPOINTS",
    "MEASURES",
    "MIN_SCORE",
    "Angle",
    "Keypoint",
    "Position",
    "Verdict",
    "check",
    "position_from_poses",
    "upright_upper_body",
]

#: MoveNet's keypoints, in its order (COCO's 17).
KEYPOINTS = (
    "nose",
    "left_eye",
    "right_eye",
    "left_ear",
    "right_ear",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
)

#: A keypoint counts as seen from this score up (MoveNet's own demos use 0.3).
MIN_SCORE = 0.3
#: Fewer keypoints seen than this: nobody is in front of the camera.
MIN_SEEN = 4

#: What each measured angle is (degrees), and how far from the drawing still counts, by default.
MEASURES: dict[str, tuple[str, float]] = {
    "trunk": ("the hip-to-shoulder line from straight up (0 upright, 90 level)", 25.0),
    "head": ("the shoulder-to-nose line from straight up", 45.0),
    "hip": ("the working hip's bend: 0 in line with the trunk", 35.0),
    "knee": ("the working knee's bend: 0 straight", 40.0),
    "other_hip": ("the other hip's bend", 35.0),
    "other_knee": ("the other knee's bend", 40.0),
}

#: The measures a technique's position checks by default: the head's tilt is left out, as it is
#: what some stretches move (the Cat and the Camel) and a side view finds the nose least surely.
BODY = ("trunk", "hip", "knee", "other_hip", "other_knee")

#: The keypoints each measure needs, per leg assignment (the working leg's side first).
_LEG = {"hip": ("shoulder", "hip", "knee"), "knee": ("hip", "knee", "ankle")}

Kind = Literal["in position", "not in view", "out of position", "nobody"]


@dataclass(frozen=True)
class Keypoint:
    """One keypoint in image pixels (y grows downwards, as a camera frame's does) and its score."""

    name: str
    x: float
    y: float
    score: float

    def __post_init__(self) -> None:
        if self.name not in KEYPOINTS:
            raise ValueError(f"name: unknown keypoint {self.name!r}; known: {', '.join(KEYPOINTS)}")


@dataclass(frozen=True)
class Angle:
    """One angle of a position: which measure, its value in the drawing, how far off still counts."""

    measure: str
    degrees: float
    tolerance: float

    def __post_init__(self) -> None:
        if self.measure not in MEASURES:
            raise ValueError(f"measure: unknown {self.measure!r}; known: {', '.join(MEASURES)}")
        if not 0 < self.tolerance <= 180:
            raise ValueError(f"tolerance: must be between 0 and 180 degrees, got {self.tolerance!r}")


@dataclass(frozen=True)
class Position:
    """A technique's position as the camera checks it: any one of ``poses`` (sets of angles).

    A stretch that moves between two shapes (the Cat and the Camel) has one set per shape.
    """

    slug: str
    poses: tuple[tuple[Angle, ...], ...]

    def as_data(self) -> dict[str, object]:
        """The position as JSON-ready data, for the browser's copy of :func:`check`."""
        return {
            "slug": self.slug,
            "poses": [
                [{"measure": a.measure, "degrees": a.degrees, "tolerance": a.tolerance} for a in p]
                for p in self.poses
            ],
            "min_score": MIN_SCORE,
            "min_seen": MIN_SEEN,
        }


@dataclass(frozen=True)
class Verdict:
    """What one frame shows: ``kind`` and, for the learner and the tests, why."""

    kind: Kind
    reason: str


def _angle_at(a: Point, b: Point, c: Point) -> float:
    """The bend at ``b`` in degrees: 0 when a, b and c lie in a straight line."""
    v1 = (a[0] - b[0], a[1] - b[1])
    v2 = (c[0] - b[0], c[1] - b[1])
    n = math.hypot(*v1) * math.hypot(*v2)
    if n == 0:
        return 0.0
    cos = max(-1.0, min(1.0, (v1[0] * v2[0] + v1[1] * v2[1]) / n))
    return 180.0 - math.degrees(math.acos(cos))


def _from_up(a: Point, b: Point) -> float:
    """The direction from a to b, in degrees from straight up (y up), either way round."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return 0.0
    return math.degrees(math.acos(max(-1.0, min(1.0, dy / math.hypot(dx, dy)))))


def _measures(points: Mapping[str, Point], near: str, far: str) -> dict[str, float]:
    """Every measure that ``points`` (y up) allow, the ``near`` side's leg taken as the working leg."""
    out: dict[str, float] = {}
    shoulder, hip = points.get("shoulder"), points.get("hip")
    if shoulder and hip:
        out["trunk"] = _from_up(hip, shoulder)
    if shoulder and "nose" in points:
        out["head"] = _from_up(shoulder, points["nose"])
    for prefix, side in (("", near), ("other_", far)):
        for name, (a, b, c) in _LEG.items():
            keys = [k if k == "shoulder" else f"{side}_{k}" for k in (a, b, c)]
            if all(k in points for k in keys):
                out[prefix + name] = _angle_at(*(points[k] for k in keys))
    return out


def _pose_points(pose: Pose) -> dict[str, Point]:
    """A stick figure's joints named as the camera's keypoints are (its shoulder and hip: the trunk's)."""
    j = joints(pose)
    out = {"shoulder": j["shoulders"], "hip": j["pelvis"], "nose": j["head"]}
    for side in ("near", "far"):
        for name, joint in (("hip", f"{side}_hip"), ("knee", f"{side}_knee"), ("ankle", f"{side}_ankle")):
            out[f"{side}_{name}"] = j[joint]
    return out


def position_from_poses(slug: str, poses: Sequence[Pose], *, measures: Sequence[str] = BODY) -> Position:
    """A technique's position from its side-view stick figures: their angles, default tolerances.

    The near leg is the working one (as the drawings draw it); ``measures`` chooses which
    angles are checked (:data:`BODY` by default).
    """
    if not poses:
        raise ValueError(f"poses: {slug!r} needs at least one pose")
    unknown = [m for m in measures if m not in MEASURES]
    if unknown:
        raise ValueError(f"measures: unknown {unknown[0]!r}; known: {', '.join(MEASURES)}")
    sets = []
    for pose in poses:
        got = _measures(_pose_points(pose), "near", "far")
        sets.append(tuple(Angle(m, round(got[m], 1), MEASURES[m][1]) for m in measures if m in got))
    return Position(slug, tuple(sets))


def upright_upper_body() -> Position:
    """Sitting or standing upright, seen from the waist up: the trunk and head upright (a test position)."""
    return Position("upright-upper-body", ((Angle("head", 0.0, MEASURES["head"][1]),),))


def _seen(keypoints: Sequence[Keypoint]) -> dict[str, Point]:
    """The keypoints seen well enough, y turned up; each side's pair merged into the trunk's."""
    seen = {k.name: (k.x, -k.y) for k in keypoints if k.score >= MIN_SCORE}
    for part in ("shoulder", "hip"):
        pair = [seen[f"{s}_{part}"] for s in ("left", "right") if f"{s}_{part}" in seen]
        if pair:
            seen[part] = (sum(p[0] for p in pair) / len(pair), sum(p[1] for p in pair) / len(pair))
    return seen


def _needed(angles: Sequence[Angle]) -> set[str]:
    """The measures a set of angles needs seen."""
    return {a.measure for a in angles}


def _worst(angles: Sequence[Angle], got: Mapping[str, float]) -> tuple[float, str]:
    """How far outside its tolerance the worst angle is (<= 0: all within), and which."""
    worst, reason = -math.inf, ""
    for a in angles:
        off = abs(got[a.measure] - a.degrees) - a.tolerance
        if off > worst:
            worst, reason = (
                off,
                f"{a.measure} {got[a.measure]:.0f}° (the position's: {a.degrees:.0f}° ± {a.tolerance:.0f}°)",
            )
    return worst, reason


def check(position: Position, keypoints: Sequence[Keypoint]) -> Verdict:
    """Whether one frame's keypoints show ``position``: in position, not in view, out of it, or nobody.

    Either leg may be the working one (the learner may face either way, and the preview is
    mirrored); the best fit of any of the position's poses decides.
    """
    seen = _seen(keypoints)
    found = sum(1 for k in keypoints if k.score >= MIN_SCORE)
    if found < MIN_SEEN:
        return Verdict("nobody", f"{found} keypoints seen (at least {MIN_SEEN} make a person)")
    best: tuple[float, str] | None = None
    missing: set[str] = set()
    for near, far in (("left", "right"), ("right", "left")):
        got = _measures(seen, near, far)
        for angles in position.poses:
            lacking = _needed(angles) - set(got)
            if lacking:
                missing |= lacking
                continue
            fit = _worst(angles, got)
            if best is None or fit[0] < best[0]:
                best = fit
    if best is None:
        return Verdict("not in view", f"cannot measure: {', '.join(sorted(missing))}")
    if best[0] <= 0:
        return Verdict("in position", best[1])
    return Verdict("out of position", best[1])
