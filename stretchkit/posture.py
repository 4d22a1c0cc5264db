"""Poses described in words and angles: a base posture and a few joint angles, as a stick figure.

An educator's own stretch has no hand-made drawing, but its content file may describe it
(``[techniques.pose]``: a base posture such as "lying on back" and joint angles such as a
hip bent to 120 degrees). :func:`posture` turns such a description into a side-view
:class:`~stretchkit.pose.Pose` that rests on the floor (or on a chair's seat) the way the
base posture does. Pure Python, like :mod:`stretchkit.pose`: nothing here draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .pose import HEAD_R, LEG, Pose, joints

__all__ = ["BASES", "SEAT", "posture"]

#: Height of a chair's seat (for "seated"), in units of standing height.
SEAT = LEG[1] + 0.04
#: How far the lowest point of the body sits above the floor line (the stroke's width).
_GROUND = 0.015


@dataclass(frozen=True)
class _Base:
    """A base posture: the trunk's direction (degrees; the body faces +x when upright) and its
    default joint angles (body-relative flexion, as in :class:`stretchkit.course.PoseSpec`)."""

    trunk: float
    hip: float
    knee: float
    other_hip: float
    other_knee: float
    shoulder: float
    elbow: float
    #: Feet pointed along the floor (kneeling, all fours) rather than at right angles to the shin.
    pointed_feet: bool = False
    #: Hands flat on the floor, fingers forward (all fours).
    hands_down: bool = False


#: The base postures, by the names content files use (``stretchkit.course.POSTURES``).
BASES: dict[str, _Base] = {
    "lying on back": _Base(180.0, 0.0, 0.0, 0.0, 0.0, 10.0, 10.0),
    "seated": _Base(90.0, 90.0, 90.0, 90.0, 90.0, 25.0, 70.0),
    "standing": _Base(90.0, 0.0, 0.0, 0.0, 0.0, 5.0, 10.0),
    "kneeling": _Base(90.0, 0.0, 90.0, 0.0, 90.0, 5.0, 10.0, pointed_feet=True),
    "all fours": _Base(0.0, 90.0, 90.0, 90.0, 90.0, 90.0, 0.0, pointed_feet=True, hands_down=True),
}


#: Height of the spine above the floor lying down, and of an ankle over a planted foot.
_SPINE = 0.065
_ANKLE = 0.035


def _leg(base: _Base, hip: float, knee: float) -> tuple[float, float, float]:
    thigh = base.trunk + 180.0 + hip  # hip flexion swings the thigh forward from in line with the trunk
    shin = thigh - knee  # knee flexion folds the shin back
    if math.sin(math.radians(shin)) < -0.5:  # standing on the foot: foot flat, toes forward
        foot = 0.0
    elif base.pointed_feet and abs(math.sin(math.radians(shin))) < 0.5:  # shin along the floor
        foot = shin + 8.0
    else:
        foot = shin + 90.0
    return (thigh, shin, foot)


def _plant(leg: tuple[float, float, float], hip_y: float) -> tuple[float, float, float]:
    """A leg standing on its foot, its shin turned at the knee so the foot rests on the floor."""
    thigh, shin, foot = leg
    if foot != 0.0:
        return leg
    knee_y = hip_y + LEG[0] * math.sin(math.radians(thigh))
    rise = (_ANKLE - knee_y) / LEG[1]
    if not -1.0 <= rise <= 0.0:
        return leg  # the foot cannot reach the floor from here: keep the angles given
    forward = math.cos(math.radians(shin)) >= 0
    turned = math.degrees(math.atan2(rise, math.sqrt(1 - rise * rise) * (1 if forward else -1)))
    return (thigh, turned, 0.0)


def _arm(base: _Base, trunk: float, shoulder: float, elbow: float) -> tuple[float, float, float]:
    upper = trunk + 180.0 + shoulder  # shoulder flexion raises the arm forward
    fore = upper + elbow
    hand = 0.0 if base.hands_down else fore
    return (upper, fore, hand)


def posture(
    base: str,
    *,
    hip: float | None = None,
    knee: float | None = None,
    other_hip: float | None = None,
    other_knee: float | None = None,
    lean: float | None = None,
    shoulder: float | None = None,
    elbow: float | None = None,
) -> Pose:
    """A side-view pose from a base posture and body-relative joint angles (degrees).

    ``hip``/``knee`` bend the working leg (drawn in front), ``other_hip``/``other_knee`` the
    other one, both measured from the base posture's trunk; ``lean`` bends the trunk forward
    at the hips (the legs stay where they are); ``shoulder``/``elbow`` set both arms, from
    the leaned trunk. The figure is then set down as its base posture rests: lying with the
    spine on the floor, seated on a chair's seat, anything else with its lowest point on the
    floor. A foot that stands on the floor (its shin pointing down) is set flat on it, the
    knee turned as needed. An unknown base is a ValueError naming the known ones.
    """
    if base not in BASES:
        raise ValueError(f"base: unknown posture {base!r}; known: {', '.join(BASES)}")
    b = BASES[base]
    trunk = b.trunk - (lean or 0.0)
    near_leg = _leg(b, b.hip if hip is None else hip, b.knee if knee is None else knee)
    far_leg = _leg(
        b, b.other_hip if other_hip is None else other_hip, b.other_knee if other_knee is None else other_knee
    )
    rests = {"lying on back": _SPINE, "seated": SEAT}.get(base)
    if rests is not None:
        near_leg, far_leg = _plant(near_leg, rests), _plant(far_leg, rests)
    s = b.shoulder if shoulder is None else shoulder
    e = b.elbow if elbow is None else elbow
    near_arm, far_arm = _arm(b, trunk, s, e), _arm(b, trunk, s - 3.0, e)
    neck = trunk - 5.0 if base == "lying on back" else trunk - 10.0  # the head follows the trunk

    def at(y: float) -> Pose:
        return Pose(
            hip=(0.0, y),
            trunk=(trunk, trunk, trunk),
            neck=neck,
            head=neck,
            near_arm=near_arm,
            far_arm=far_arm,
            near_leg=near_leg,
            far_leg=far_leg,
        )

    points = joints(at(0.0))
    lowest = min(min(y for name, (_, y) in points.items() if name != "head"), points["head"][1] - HEAD_R)
    lift = _GROUND - lowest  # the lowest point on the floor
    if rests is not None:  # resting on the spine or the seat, unless something would go through the floor
        lift = max(rests, lift)
    return at(lift)
