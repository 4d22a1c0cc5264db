"""The skeleton model: a stick figure as segment angles, and the course's poses.

A pose reads like a description ("thigh straight up, shin level"); forward kinematics
turns it into joint positions. Pure Python: nothing here draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "BRIDGE",
    "CAMEL",
    "CAT",
    "CHILDS_POSE",
    "FLOOR",
    "HAMSTRING",
    "HEAD_R",
    "LINE",
    "PELVIC_TILT",
    "PIRIFORMIS",
    "REST",
    "ROTATION",
    "SEAT",
    "SEATED_CAMEL",
    "SEATED_CAT",
    "SEATED_HAMSTRING",
    "SEATED_KNEE_HUG",
    "SEATED_SIDE_BEND",
    "SIDE_SEAT",
    "Point",
    "Pose",
    "bones",
    "joints",
    "on",
    "rest_height",
]

Point = tuple[float, float]


#: Segment lengths, in units of standing height (about 1.0).
TRUNK = (0.10, 0.10, 0.10)  # lumbar, lower thoracic, upper thoracic: three so the back can curve
NECK = 0.05
HEAD_R = 0.062
ARM = (0.16, 0.14, 0.05)  # upper arm, forearm, hand
LEG = (0.24, 0.23, 0.08)  # thigh, shin, foot
LINE = 4.2  # stroke width in points for the figure's bones
FLOOR = 0.0  # height of the floor
SEAT = 0.29  # height of a chair's seat (its back edge, in a front view seen a little from above)
SIDE_SEAT = 0.23  # a chair's seat seen from the side, low enough for a sitter's feet to be flat on the floor
#: How far above its surface a resting joint (the middle of a bone) may be drawn: about a
#: bone's half width plus a hair. Further up and the limb visibly floats.
REST = 0.02


@dataclass(frozen=True)
class Pose:
    """One body position, as segment angles in degrees (0 = pointing right, 90 = up).

    Angles are absolute, so a pose reads like a description ("thigh straight up, shin
    level"); :func:`pose_joints` chains them outwards from the hip. ``near_*`` limbs are
    drawn in front and dark, ``far_*`` behind and grey (for a side view); for a front or
    top view the hip and shoulder widths set where each pair of limbs starts.
    ``shorten`` scales named segments for foreshortening (e.g. a thigh pointing at the
    viewer), and ``hidden`` names limbs that are out of sight (legs under the body).

    ``rests_on`` says which joints rest on a surface and its height (:data:`FLOOR`,
    :data:`SEAT`); ``"head"`` means the bottom of the head. A test holds every pose to it.
    ``side`` is the side of the body a one-sided stretch works as drawn ("left" or
    "right"); the mirrored drawing shows the other side.
    """

    hip: Point
    trunk: tuple[float, float, float]
    neck: float
    head: float
    near_arm: tuple[float, float, float]
    far_arm: tuple[float, float, float]
    near_leg: tuple[float, float, float]
    far_leg: tuple[float, float, float]
    hip_width: float = 0.0
    shoulder_width: float = 0.0
    shorten: tuple[tuple[str, float], ...] = ()
    hidden: tuple[str, ...] = ()
    behind: tuple[str, ...] = ("far_arm", "far_leg")
    rests_on: tuple[tuple[str, float], ...] = ()
    side: str = ""


def on(surface: float, *names: str) -> tuple[tuple[str, float], ...]:
    """``rests_on`` entries: these joints rest on a surface at this height."""
    return tuple((n, surface) for n in names)


def rest_height(pose: Pose, name: str) -> float:
    """How far above its surface a resting joint is drawn (the head: its lowest point)."""
    points = joints(pose)
    surface = dict(pose.rests_on)[name]
    if name == "head":
        return points["head"][1] - HEAD_R - surface
    return points[name][1] - surface


def _step(p: Point, angle: float, length: float) -> Point:
    a = math.radians(angle)
    return (p[0] + length * math.cos(a), p[1] + length * math.sin(a))


def joints(pose: Pose) -> dict[str, Point]:
    """Forward kinematics: every joint's position, from the hip outwards."""
    scale = dict(pose.shorten)
    j: dict[str, Point] = {"pelvis": pose.hip}
    p = pose.hip
    for name, angle, length in zip(("waist", "mid_back", "shoulders"), pose.trunk, TRUNK, strict=True):
        p = _step(p, angle, length * scale.get(name, 1.0))
        j[name] = p
    j["neck"] = _step(p, pose.neck, NECK * scale.get("neck", 1.0))
    j["head"] = _step(j["neck"], pose.head, HEAD_R)
    for side in ("near", "far"):
        sign = 1.0 if side == "near" else -1.0
        roots = (
            ("arm", pose.shoulder_width, pose.trunk[2], j["shoulders"], ("elbow", "wrist", "hand")),
            ("leg", pose.hip_width, pose.trunk[0], pose.hip, ("knee", "ankle", "toe")),
        )
        for limb, width, base, centre, names in roots:
            root = _step(centre, base + 90.0 * sign, width / 2)
            j[f"{side}_{'shoulder' if limb == 'arm' else 'hip'}"] = root
            angles = pose.near_arm if (limb, side) == ("arm", "near") else pose.far_arm
            if limb == "leg":
                angles = pose.near_leg if side == "near" else pose.far_leg
            lengths = ARM if limb == "arm" else LEG
            q = root
            for joint, angle, length in zip(names, angles, lengths, strict=True):
                q = _step(q, angle, length * scale.get(f"{side}_{joint}", 1.0))
                j[f"{side}_{joint}"] = q
    return j


def bones(pose: Pose) -> list[tuple[str, tuple[str, ...]]]:
    """The polylines a stick figure is drawn with, each tagged with its limb.

    A limb named in ``pose.hidden`` is left out; a joint named there hides the segment
    that ends at it (e.g. the thighs under the body in a view from above).
    """
    chains: list[tuple[str, tuple[str, ...]]] = []
    for side in ("far", "near"):
        chains.append((f"{side}_leg", (f"{side}_hip", f"{side}_knee", f"{side}_ankle", f"{side}_toe")))
        chains.append((f"{side}_arm", (f"{side}_shoulder", f"{side}_elbow", f"{side}_wrist", f"{side}_hand")))
    chains.append(("trunk", ("pelvis", "waist", "mid_back", "shoulders", "neck")))
    if pose.hip_width:
        chains.append(("trunk", ("far_hip", "pelvis", "near_hip")))
    if pose.shoulder_width:
        chains.append(("trunk", ("far_shoulder", "shoulders", "near_shoulder")))
    out: list[tuple[str, tuple[str, ...]]] = []
    for limb, names in chains:
        if limb in pose.hidden:
            continue
        run = [names[0]]
        for joint in names[1:]:
            if joint in pose.hidden:
                if len(run) > 1:
                    out.append((limb, tuple(run)))
                run = [joint]
            else:
                run.append(joint)
        if len(run) > 1:
            out.append((limb, tuple(run)))
    return out


# --- the poses ------------------------------------------------------------------------------

_KNEELING = ("near_knee", "near_ankle", "near_toe", "far_knee", "far_ankle", "far_toe")

CHILDS_POSE = Pose(
    hip=(-0.20, 0.145),  # sitting back, the bottom over the heels
    trunk=(32.0, 6.0, -14.0),  # folded forward over the thighs, back gently rounded
    neck=-90.0,
    head=-80.0,  # forehead resting on the floor, between the arms
    near_arm=(-35.0, -35.0, 0.0),  # arms straight, reaching forward to the floor
    far_arm=(-34.0, -34.0, 0.0),
    near_leg=(-33.6, 180.0, 182.0),  # thigh down to the knee, shin and foot back along the floor
    far_leg=(-32.0, 181.0, 182.0),
    rests_on=on(FLOOR, *_KNEELING, "near_wrist", "near_hand", "far_wrist", "far_hand", "head"),
)

_ALL_FOURS_LEGS = ((-90.0, 180.0, 181.0), (-88.0, 180.0, 181.0))  # knees under the hips
_ALL_FOURS = on(FLOOR, *_KNEELING, "near_wrist", "near_hand", "far_wrist", "far_hand")

CAT = Pose(
    hip=(0.0, 0.255),
    trunk=(42.0, 12.0, -22.0),  # back rounded up towards the ceiling
    neck=-10.0,
    head=-60.0,  # head hanging, chin tucked towards the chest
    near_arm=(-90.0, -90.0, 0.0),  # hands under the shoulders
    far_arm=(-91.0, -90.0, 0.0),
    near_leg=_ALL_FOURS_LEGS[0],
    far_leg=_ALL_FOURS_LEGS[1],
    rests_on=_ALL_FOURS,
)

CAMEL = Pose(
    hip=(0.0, 0.255),
    trunk=(-15.0, 5.0, 45.0),  # belly sinking towards the floor
    neck=30.0,
    head=20.0,  # head lifted
    near_arm=(-90.0, -90.0, 0.0),
    far_arm=(-91.0, -90.0, 0.0),
    near_leg=_ALL_FOURS_LEGS[0],
    far_leg=_ALL_FOURS_LEGS[1],
    rests_on=_ALL_FOURS,
)

HAMSTRING = Pose(
    hip=(0.0, 0.015),
    trunk=(180.0, 180.0, 180.0),  # lying on the back
    neck=160.0,
    head=150.0,  # the back of the head on the floor
    near_arm=(78.0, 55.0, 60.0),  # hands holding the towel's ends
    far_arm=(76.0, 53.0, 58.0),
    near_leg=(104.0, 93.0, 183.0),  # raised, drawn towards the body, knee slightly bent
    far_leg=(54.0, -61.0, 0.0),  # the other knee bent, its foot flat on the floor (as the steps say)
    rests_on=on(FLOOR, "pelvis", "waist", "mid_back", "shoulders", "head", "far_ankle", "far_toe"),
    side="right",  # the near leg is raised: lying with the head to the left, that is the right leg
)

PIRIFORMIS = Pose(  # front view, seen a little from above: the crossed leg makes a "4"
    hip=(0.0, 0.30),
    trunk=(90.0, 90.0, 90.0),
    neck=90.0,
    head=90.0,
    near_arm=(-120.0, -88.0, -100.0),  # hand pressing gently on the raised knee
    far_arm=(-95.0, -93.0, -90.0),  # hand resting on the crossed ankle
    near_leg=(168.0, -22.0, -5.0),  # knee out to the side, ankle crossed over the other knee
    far_leg=(-72.0, -90.0, -10.0),  # thigh towards the viewer, foot flat on the floor
    hip_width=0.13,
    shoulder_width=0.18,
    shorten=(
        ("near_hand", 0.7),
        ("near_knee", 0.55),
        ("near_ankle", 1.15),
        ("far_knee", 0.5),
        ("far_ankle", 0.8),
        ("far_toe", 0.6),
    ),
    behind=("far_leg",),
    rests_on=(*on(SEAT, "pelvis"), *on(FLOOR, "far_ankle", "far_toe")),
    side="right",  # the figure faces us: its right ankle crosses over its left knee
)

ROTATION = Pose(  # seen from above, head up the page, hands walked to the figure's right
    hip=(0.0, 0.0),
    trunk=(88.0, 80.0, 70.0),  # the trunk curves towards the hands
    neck=62.0,
    head=58.0,
    near_arm=(52.0, 40.0, 36.0),  # the figure's left arm reaching across
    far_arm=(50.0, 38.0, 34.0),
    near_leg=(92.0, -90.0, -80.0),  # knees and shins under the body, feet behind the hips
    far_leg=(88.0, -90.0, -100.0),
    hip_width=0.16,
    shoulder_width=0.24,
    shorten=(("near_knee", 0.8), ("far_knee", 0.8), ("near_ankle", 0.8), ("far_ankle", 0.8)),
    hidden=("near_knee", "far_knee", "near_ankle", "far_ankle"),
    behind=(),
    side="left",  # hands walked to the right stretch the left side (seen from above, nothing rests)
)

# --- adapted positions: chair versions of the floor stretches (side view unless said) ------

_SEAT_HIP = (0.0, SIDE_SEAT + 0.012)  # sitting: hip just above the seat, feet flat on the floor
_FOOT_FLAT = (0.0, -90.0, 0.0)  # thigh level, shin straight down, foot flat on the floor

SEATED_KNEE_HUG = Pose(
    hip=_SEAT_HIP,
    trunk=(90.0, 90.0, 90.0),  # sitting upright
    neck=88.0,
    head=85.0,
    near_arm=(-100.0, -10.0, 30.0),  # hands clasped under (behind) the raised thigh
    far_arm=(-98.0, -8.0, 32.0),
    near_leg=(60.0, -100.0, 0.0),  # knee drawn up towards the chest
    far_leg=_FOOT_FLAT,
    rests_on=(*on(SIDE_SEAT, "pelvis"), *on(FLOOR, "far_ankle", "far_toe")),
)

SEATED_CAT = Pose(
    hip=_SEAT_HIP,
    trunk=(104.0, 82.0, 55.0),  # slumped: the back rounds forward
    neck=25.0,
    head=-30.0,  # head bowed
    near_arm=(-55.0, -30.0, -20.0),  # hands resting on the thighs
    far_arm=(-53.0, -28.0, -18.0),
    near_leg=_FOOT_FLAT,
    far_leg=(-2.0, -90.0, 0.0),
    rests_on=(*on(SIDE_SEAT, "pelvis"), *on(FLOOR, "near_ankle", "near_toe", "far_ankle", "far_toe")),
)

SEATED_CAMEL = Pose(
    hip=_SEAT_HIP,
    trunk=(78.0, 92.0, 100.0),  # sitting tall, a gentle hollow in the lower back, chest lifted
    neck=95.0,
    head=92.0,
    near_arm=(-80.0, -15.0, -10.0),
    far_arm=(-78.0, -13.0, -8.0),
    near_leg=_FOOT_FLAT,
    far_leg=(-2.0, -90.0, 0.0),
    rests_on=(*on(SIDE_SEAT, "pelvis"), *on(FLOOR, "near_ankle", "near_toe", "far_ankle", "far_toe")),
)

SEATED_HAMSTRING = Pose(
    hip=_SEAT_HIP,
    trunk=(58.0, 56.0, 55.0),  # leaning forward from the hips with a straight back
    neck=48.0,
    head=40.0,
    near_arm=(-62.0, -38.0, -38.0),  # hands resting on the straight leg
    far_arm=(-60.0, -36.0, -36.0),
    near_leg=(-25.0, -33.0, 70.0),  # leg straight out in front, resting on the heel, toes up
    far_leg=_FOOT_FLAT,
    rests_on=(*on(SIDE_SEAT, "pelvis"), *on(FLOOR, "near_ankle", "far_ankle", "far_toe")),
)

SEATED_SIDE_BEND = Pose(  # front view: sitting upright, bending sideways, one hand sliding down
    hip=(0.0, 0.305),
    trunk=(86.0, 76.0, 68.0),  # the trunk curving over to one side from the waist
    neck=66.0,
    head=66.0,
    near_arm=(-96.0, -92.0, -90.0),  # the upper side's arm hanging by the side
    far_arm=(-76.0, -84.0, -88.0),  # the hand sliding down the side it bends towards
    near_leg=(-108.0, -90.0, -175.0),  # thighs towards the viewer, feet flat, knees forward
    far_leg=(-72.0, -90.0, -5.0),
    hip_width=0.13,
    shoulder_width=0.17,
    shorten=(("near_knee", 0.5), ("far_knee", 0.5), ("near_ankle", 0.8), ("far_ankle", 0.8)),
    behind=(),
    rests_on=(*on(SEAT, "pelvis"), *on(FLOOR, "near_ankle", "far_ankle")),
)


# --- the strengthening exercises (lesson 01's "Beyond stretching") -------------------------------

_BENT_KNEES = ((54.0, -61.0, 0.0), (53.0, -60.0, 0.0))  # knees bent, feet flat on the floor
_FEET_AND_HANDS = ("near_ankle", "near_toe", "far_ankle", "far_toe", "near_hand", "far_hand")

PELVIC_TILT = Pose(
    hip=(0.0, 0.015),
    trunk=(180.0, 180.0, 180.0),  # lying on the back
    neck=160.0,
    head=150.0,  # the back of the head on the floor, as in HAMSTRING
    near_arm=(0.0, 0.0, 0.0),  # arms resting by the sides, along the floor
    far_arm=(0.0, 0.0, 0.0),
    near_leg=_BENT_KNEES[0],
    far_leg=_BENT_KNEES[1],
    rests_on=on(FLOOR, "pelvis", "waist", "mid_back", "shoulders", "head", *_FEET_AND_HANDS),
)

BRIDGE = Pose(
    hip=(0.0, 0.142),  # hips lifted: knees, hips and shoulders in one straight line
    trunk=(205.0, 205.0, 205.0),  # sloping down to the shoulders, which stay on the floor
    neck=160.0,
    head=150.0,
    near_arm=(0.0, 0.0, 0.0),  # arms resting by the sides, palms on the floor
    far_arm=(0.0, 0.0, 0.0),
    near_leg=(25.0, -90.0, 0.0),  # thigh in line with the trunk, shin straight down, foot flat
    far_leg=(24.0, -89.0, 0.0),
    rests_on=on(FLOOR, "shoulders", "head", *_FEET_AND_HANDS),
)
