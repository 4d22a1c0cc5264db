"""Original lesson figures: stick-figure poses drawn from joint angles, and the spine diagram.

Every drawing is made by code from a small skeleton model, so there are no copied images and
the SVG files in ``assets/`` can be rebuilt byte for byte with ``python -m stretchkit.figures
assets``. matplotlib is imported only inside functions: ``import stretchkit`` stays cheap.

Notebooks show a figure with :func:`illustration` (one technique) or :func:`why_diagram`
(lesson 01); both inline the committed SVG as a data URI with the course's alt text, so the
figure works offline, on GitHub and in exported HTML, and their reprs are deterministic.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import math
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .content import Course, Technique, load_course

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure as MplFigure

__all__ = [
    "ASSETS",
    "MUSCLE_GROUPS",
    "WHY_STEM",
    "Illustration",
    "Pose",
    "draw_pose",
    "has_drawing",
    "illustration",
    "lesson_stem",
    "main",
    "pose_joints",
    "pose_svg",
    "render_all",
    "stretches_for",
    "technique_figure",
    "why_alt",
    "why_diagram",
    "why_figure",
    "why_svg",
]

#: The repo checkout's assets folder, where the committed SVG files live.
ASSETS = Path(__file__).resolve().parents[1] / "assets"
#: File stem of lesson 01's diagram.
WHY_STEM = "01-why-stretching-helps-spine"

Point = tuple[float, float]

# --- colours: a light card, so the figures read the same in light and dark themes ---------

CARD = "#fbfaf6"
CARD_EDGE = "#c9c4b8"
INK = "#1f2430"  # near limbs, trunk, head, text
FAR = "#8a919c"  # limbs on the far side of the body
PROP = "#8b6a4e"  # chair, mat edge
FLOOR = "#9a9384"
TOWEL = "#c2410c"
ACCENT = "#1d4ed8"  # arrows and the stretch marker
MUTED = "#5b6170"

# --- the skeleton model ---------------------------------------------------------------------

#: Segment lengths, in units of standing height (about 1.0).
TRUNK = (0.10, 0.10, 0.10)  # lumbar, lower thoracic, upper thoracic: three so the back can curve
NECK = 0.05
HEAD_R = 0.062
ARM = (0.16, 0.14, 0.05)  # upper arm, forearm, hand
LEG = (0.24, 0.23, 0.08)  # thigh, shin, foot
LINE = 4.2  # stroke width in points for the figure's bones


@dataclass(frozen=True)
class Pose:
    """One body position, as segment angles in degrees (0 = pointing right, 90 = up).

    Angles are absolute, so a pose reads like a description ("thigh straight up, shin
    level"); :func:`pose_joints` chains them outwards from the hip. ``near_*`` limbs are
    drawn in front and dark, ``far_*`` behind and grey (for a side view); for a front or
    top view the hip and shoulder widths set where each pair of limbs starts.
    ``shorten`` scales named segments for foreshortening (e.g. a thigh pointing at the
    viewer), and ``hidden`` names limbs that are out of sight (legs under the body).
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


def _step(p: Point, angle: float, length: float) -> Point:
    a = math.radians(angle)
    return (p[0] + length * math.cos(a), p[1] + length * math.sin(a))


def _joints(pose: Pose) -> dict[str, Point]:
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


def _bones(pose: Pose) -> list[tuple[str, tuple[str, ...]]]:
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

CHILDS_POSE = Pose(
    hip=(-0.20, 0.14),  # sitting back towards the heels
    trunk=(22.0, -2.0, -28.0),  # folded forward over the thighs, back gently rounded
    neck=-40.0,
    head=-30.0,  # forehead towards the floor
    near_arm=(-35.0, -5.0, 0.0),  # arms reaching forward along the floor
    far_arm=(-33.0, -4.0, 0.0),
    near_leg=(-24.0, 180.0, 185.0),  # thigh down to the knee, shin back along the floor
    far_leg=(-22.0, 181.0, 186.0),
)

_ALL_FOURS_LEGS = ((-90.0, 180.0, 182.0), (-88.0, 180.0, 182.0))  # knees under the hips

CAT = Pose(
    hip=(0.0, 0.27),
    trunk=(40.0, 10.0, -25.0),  # back rounded up towards the ceiling
    neck=-55.0,
    head=-80.0,  # chin tucked towards the chest
    near_arm=(-90.0, -90.0, 0.0),  # hands under the shoulders
    far_arm=(-88.0, -89.0, 0.0),
    near_leg=_ALL_FOURS_LEGS[0],
    far_leg=_ALL_FOURS_LEGS[1],
)

CAMEL = Pose(
    hip=(0.0, 0.27),
    trunk=(-22.0, 2.0, 38.0),  # belly sinking towards the floor
    neck=30.0,
    head=20.0,  # head lifted
    near_arm=(-90.0, -90.0, 0.0),
    far_arm=(-88.0, -89.0, 0.0),
    near_leg=_ALL_FOURS_LEGS[0],
    far_leg=_ALL_FOURS_LEGS[1],
)

HAMSTRING = Pose(
    hip=(0.0, 0.05),
    trunk=(180.0, 180.0, 180.0),  # lying on the back
    neck=175.0,
    head=172.0,
    near_arm=(78.0, 55.0, 60.0),  # hands holding the towel's ends
    far_arm=(76.0, 53.0, 58.0),
    near_leg=(104.0, 93.0, 183.0),  # raised, drawn towards the body, knee slightly bent
    far_leg=(0.0, -1.0, 88.0),  # the other leg rests on the floor
)

PIRIFORMIS = Pose(  # front view, seen a little from above: the crossed leg makes a "4"
    hip=(0.0, 0.31),
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
)


# --- drawing --------------------------------------------------------------------------------


class _Pen:
    """Draws in pose coordinates onto an Axes, mirrored left-right if asked.

    With ``ax=None`` it only records how far the drawing reaches, so a figure can be laid
    out before anything is drawn.
    """

    def __init__(self, ax: Axes | None, mirrored: bool) -> None:
        self.ax = ax
        self.mirrored = mirrored
        self.xs: list[float] = []
        self.ys: list[float] = []

    def pt(self, p: Point) -> Point:
        return (-p[0], p[1]) if self.mirrored else p

    def _seen(self, pts: Sequence[Point]) -> list[Point]:
        out = [self.pt(p) for p in pts]
        self.xs.extend(p[0] for p in out)
        self.ys.extend(p[1] for p in out)
        return out

    def line(self, pts: Sequence[Point], **kw: Any) -> None:
        out = self._seen(pts)
        if self.ax is not None:
            kw.setdefault("solid_capstyle", "round")
            kw.setdefault("solid_joinstyle", "round")
            self.ax.plot([p[0] for p in out], [p[1] for p in out], **kw)

    def circle(self, c: Point, r: float, **kw: Any) -> None:
        self._seen([(c[0] - r, c[1] - r), (c[0] + r, c[1] + r)])
        if self.ax is not None:
            from matplotlib.patches import Circle

            self.ax.add_patch(Circle(self.pt(c), r, **kw))

    def polygon(self, pts: Sequence[Point], **kw: Any) -> None:
        out = self._seen(pts)
        if self.ax is not None:
            from matplotlib.patches import Polygon

            self.ax.add_patch(Polygon(out, closed=True, **kw))

    def box(self, lo: Point, hi: Point, pad: float, **kw: Any) -> None:
        a, b = self.pt(lo), self.pt(hi)
        x0, x1 = sorted((a[0], b[0]))
        self._seen([lo, hi])
        if self.ax is not None:
            from matplotlib.patches import FancyBboxPatch

            style = f"round,pad=0,rounding_size={pad}"
            self.ax.add_patch(FancyBboxPatch((x0, a[1]), x1 - x0, b[1] - a[1], boxstyle=style, **kw))

    def text(self, p: Point, s: str, ha: str = "left", **kw: Any) -> None:
        if self.mirrored and ha != "center":
            ha = "right" if ha == "left" else "left"
        self._seen([p])
        if self.ax is not None:
            kw.setdefault("color", INK)
            kw.setdefault("fontsize", 9)
            self.ax.text(*self.pt(p), s, ha=ha, **kw)

    def arrow(self, a: Point, b: Point, rad: float = 0.0, **kw: Any) -> None:
        self._seen([a, b])
        if self.ax is not None:
            from matplotlib.patches import FancyArrowPatch

            kw.setdefault("color", ACCENT)
            kw.setdefault("lw", 1.6)
            kw.setdefault("arrowstyle", "-|>,head_length=5,head_width=3")
            style = f"arc3,rad={-rad if self.mirrored else rad}"
            self.ax.add_patch(FancyArrowPatch(self.pt(a), self.pt(b), connectionstyle=style, **kw))


def _draw_figure(pen: _Pen, pose: Pose, joints: dict[str, Point]) -> None:
    for limb, names in _bones(pose):
        colour = FAR if limb in pose.behind else INK
        z = 2 if limb in pose.behind else 4
        pen.line([joints[n] for n in names], color=colour, lw=LINE, zorder=z)
    pen.circle(joints["head"], HEAD_R, facecolor=CARD, edgecolor=INK, lw=LINE * 0.8, zorder=5)


def _floor(pen: _Pen, x0: float, x1: float) -> None:
    pen.line([(x0, 0.0), (x1, 0.0)], color=FLOOR, lw=2.0, zorder=1)
    step = 0.05
    x = x0 + step / 2
    while x < x1:  # a hatched floor: readable without relying on colour
        pen.line([(x, 0.0), (x - 0.025, -0.025)], color=FLOOR, lw=0.8, zorder=1)
        x += step


def _props_floor(x0: float, x1: float) -> Callable[[_Pen, dict[str, Point]], None]:
    def draw(pen: _Pen, j: dict[str, Point]) -> None:
        _floor(pen, x0, x1)

    return draw


def _props_hamstring(pen: _Pen, j: dict[str, Point]) -> None:
    _floor(pen, -0.56, 0.56)
    ankle, toe = j["near_ankle"], j["near_toe"]
    # The towel loops over the sole at the ball of the foot; both ends run to the hands.
    ux, uy = toe[0] - ankle[0], toe[1] - ankle[1]
    norm = math.hypot(ux, uy)
    nx, ny = -uy / norm, ux / norm  # the sole's side of the foot
    if ny < 0:
        nx, ny = -nx, -ny
    sole = [(ankle[0] + f * ux + 0.024 * nx, ankle[1] + f * uy + 0.024 * ny) for f in (0.35, 0.95)]
    towel = {"color": TOWEL, "lw": 3.2, "zorder": 3}
    pen.line(sole, **towel)
    pen.line([j["far_hand"], sole[0]], **towel)
    pen.line([j["near_hand"], sole[1]], **towel)
    pen.text((j["near_knee"][0] + 0.06, j["near_knee"][1] + 0.1), "towel", ha="left", color=TOWEL)


def _props_chair(pen: _Pen, j: dict[str, Point]) -> None:
    _floor(pen, -0.34, 0.34)
    wood = {"color": PROP, "lw": 3.0, "zorder": 1}
    back = {**wood, "color": "#b59c84", "lw": 2.5, "zorder": 0}
    # Seen a little from above: the seat is a trapezoid, its back edge higher up the page.
    for x in (-0.13, 0.13):
        pen.line([(x, 0.29), (x, 0.07)], **back)  # back legs
        pen.line([(x, 0.29), (x, 0.56)], **back)  # the backrest, behind the body
    for y in (0.48, 0.56):
        pen.line([(-0.13, y), (0.13, y)], **back)
    seat = [(-0.14, 0.29), (0.14, 0.29), (0.18, 0.21), (-0.18, 0.21)]
    pen.polygon(seat, facecolor="#e8dccb", edgecolor=PROP, lw=2.0, zorder=1)
    pen.polygon([(-0.18, 0.21), (0.18, 0.21), (0.18, 0.19), (-0.18, 0.19)], facecolor=PROP, edgecolor=PROP,
                lw=1.0, zorder=1)  # fmt: skip
    for x in (-0.17, 0.17):
        pen.line([(x, 0.19), (x, 0.0)], **wood)  # front legs
    pen.text((0.2, 0.1), "chair", ha="left", color=PROP)
    knee = j["near_knee"]
    pen.arrow((knee[0] - 0.06, knee[1] + 0.13), (knee[0] - 0.06, knee[1] + 0.03))
    pen.text((knee[0] - 0.08, knee[1] + 0.09), "press\ngently", ha="right", color=ACCENT, fontsize=8)


def _offset(pts: Sequence[Point], widths: Sequence[float]) -> list[Point]:
    """One edge of a band drawn along a polyline, ``widths`` to its left (negative: right)."""
    out = []
    for i, (p, w) in enumerate(zip(pts, widths, strict=True)):
        a, b = pts[max(i - 1, 0)], pts[min(i + 1, len(pts) - 1)]
        dx, dy = b[0] - a[0], b[1] - a[1]
        n = math.hypot(dx, dy)
        out.append((p[0] - w * dy / n, p[1] + w * dx / n))
    return out


def _props_rotation(pen: _Pen, j: dict[str, Point]) -> None:
    pen.box((-0.32, -0.17), (0.58, 0.80), 0.03, facecolor="#ece6da", edgecolor=PROP, lw=1.5, zorder=0)
    pen.text((0.56, -0.145), "mat", ha="right", color=PROP, fontsize=8)
    # The back seen from above: a soft band under the spine line.
    spine = [j["pelvis"], j["waist"], j["mid_back"], j["shoulders"]]
    half = [0.085, 0.08, 0.09, 0.11]
    left, right = _offset(spine, half), _offset(spine, [-w for w in half])
    pen.polygon([*left, *reversed(right)], facecolor="#d8cfbf", edgecolor="none", zorder=1)
    # Where the hands started (straight ahead), and an arrow to where they were walked.
    for dx in (-0.1, 0.1):
        pen.circle((dx, 0.64), 0.022, facecolor="none", edgecolor=MUTED, lw=1.2, ls=(0, (2, 2)), zorder=1)
    pen.text((0.0, 0.70), "hands start here", ha="center", color=MUTED, fontsize=8)
    pen.arrow((0.1, 0.67), (0.3, 0.6), rad=-0.45)
    # The side that is stretched: the outside of the curve.
    edge = _offset(spine, [w + 0.05 for w in half])
    pen.line(edge, color=ACCENT, lw=1.6, ls=(0, (3, 2)), zorder=3)
    pen.text(
        (edge[1][0] - 0.02, edge[1][1] + 0.03), "stretch\nfelt here", ha="right", color=ACCENT, fontsize=8
    )


@dataclass(frozen=True)
class _Drawing:
    """How one technique is drawn: its positions, props and the view it is seen from."""

    poses: tuple[Pose, ...]
    props: Callable[[_Pen, dict[str, Point]], None]
    view: str
    scale: float = 4.0  # inches per unit of standing height in the lesson figure


_DRAWINGS: dict[str, _Drawing] = {
    "childs-pose": _Drawing((CHILDS_POSE,), _props_floor(-0.36, 0.48), "side view", scale=5.5),
    "cat-camel": _Drawing((CAT, CAMEL), _props_floor(-0.36, 0.46), "side view"),
    "hamstring-stretch": _Drawing((HAMSTRING,), _props_hamstring, "side view"),
    "piriformis-stretch": _Drawing((PIRIFORMIS,), _props_chair, "front view"),
    "childs-pose-rotation": _Drawing((ROTATION,), _props_rotation, "seen from above"),
}


def has_drawing(slug: str) -> bool:
    """True when stretchkit has a drawing for this technique (an educator's may not)."""
    return slug in _DRAWINGS


def _drawing(slug: str) -> _Drawing:
    if not isinstance(slug, str):
        raise TypeError(f"slug must be a technique slug (text), got {slug!r}")
    try:
        return _DRAWINGS[slug]
    except KeyError:
        known = ", ".join(_DRAWINGS)
        raise ValueError(f"slug: no drawing for {slug!r}; drawings exist for: {known}") from None


def _check_position(slug: str, drawing: _Drawing, position: int) -> Pose:
    if isinstance(position, bool) or not isinstance(position, int):
        raise TypeError(f"position must be a whole number, got {position!r}")
    if not 0 <= position < len(drawing.poses):
        top = len(drawing.poses) - 1
        raise ValueError(f"position must be between 0 and {top} for {slug!r}, got {position!r}")
    return drawing.poses[position]


def pose_joints(slug: str, *, mirrored: bool = False, position: int = 0) -> dict[str, Point]:
    """Every joint of a technique's stick figure, as drawn (mirrored for the second side)."""
    drawing = _drawing(slug)
    pose = _check_position(slug, drawing, position)
    joints = _joints(pose)
    if mirrored:
        return {k: (-x, y) for k, (x, y) in joints.items()}
    return joints


def _paint(pen: _Pen, drawing: _Drawing, pose: Pose) -> None:
    joints = _joints(pose)
    drawing.props(pen, joints)
    _draw_figure(pen, pose, joints)


def _bounds(pens: Sequence[_Pen], margin: float) -> tuple[float, float, float, float]:
    xs = [x for p in pens for x in p.xs]
    ys = [y for p in pens for y in p.ys]
    return min(xs) - margin, max(xs) + margin, min(ys) - margin, max(ys) + margin


def _placeholder_text(ax: Axes, message: str) -> None:
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    ax.text(0.5, 0.5, "\n".join(textwrap.wrap(message, 34)), ha="center", va="center", color=MUTED, wrap=True)


def draw_pose(ax: Axes, slug: str, *, mirrored: bool = False, position: int = 0) -> None:
    """Draw one pose (with its props) onto a matplotlib Axes, e.g. for a printable handout.

    ``mirrored`` draws the second side; ``position`` picks Cat (0) or Camel (1) for a
    paced movement. A technique without a drawing gets a short text note instead.
    """
    if not isinstance(mirrored, bool):
        raise TypeError(f"mirrored must be True or False, got {mirrored!r}")
    if isinstance(slug, str) and not has_drawing(slug):
        _placeholder_text(ax, "No drawing for this stretch yet: follow the written steps.")
        return
    drawing = _drawing(slug)
    pose = _check_position(slug, drawing, position)
    probe = _Pen(None, mirrored)
    _paint(probe, drawing, pose)
    x0, x1, y0, y1 = _bounds([probe], 0.03)
    _paint(_Pen(ax, mirrored), drawing, pose)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()


# --- figures and files ----------------------------------------------------------------------

#: Settings that make the SVG identical on every machine and need no font in the browser.
_RC: Any = {
    "svg.hashsalt": "stretchkit",
    "svg.fonttype": "path",
    "svg.image_inline": True,
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "figure.dpi": 72,
    "savefig.dpi": 72,
    "savefig.facecolor": "none",
    "savefig.edgecolor": "none",
    "savefig.transparent": False,
    "savefig.bbox": None,
    "path.simplify": False,
}
_METADATA = {"Date": None, "Creator": "stretchkit.figures (matplotlib)"}
PAD = 0.18  # inches around the drawings, inside the card
LABEL = 0.34  # inches for a panel's label


@contextmanager
def _style() -> Iterator[None]:
    """matplotlib's defaults plus our settings, for this block only (global rcParams untouched)."""
    import matplotlib
    import matplotlib.style

    with matplotlib.style.context("default"), matplotlib.rc_context(_RC):
        yield


def _new_figure(width: float, height: float) -> MplFigure:
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch

    fig = Figure(figsize=(width, height))
    FigureCanvasSVG(fig)
    fig.patch.set_alpha(0.0)
    inset = 0.02 / width, 0.02 / height
    fig.add_artist(
        FancyBboxPatch(
            inset,
            1 - 2 * inset[0],
            1 - 2 * inset[1],
            boxstyle=f"round,pad=0,rounding_size={0.14 / height}",
            transform=fig.transFigure,
            facecolor=CARD,
            edgecolor=CARD_EDGE,
            lw=1.0,
            zorder=-10,
            mutation_aspect=height / width,
        )
    )
    return fig


def _svg_bytes(fig: MplFigure, title: str) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata=_METADATA)
    text = buf.getvalue().decode("utf-8")
    # A <title> names the picture for screen readers when the SVG is placed inline.
    head, sep, rest = text.partition("\n <metadata>")
    if sep:
        text = f"{head}\n <title>{html.escape(title, quote=False)}</title>{sep}{rest}"
    return text.encode("utf-8")


def _panel_labels(technique: Technique, drawing: _Drawing) -> list[tuple[Pose, bool, str]]:
    """The panels of a lesson figure: (pose, mirrored, label)."""
    if len(drawing.poses) > 1:
        names = [m.name for m in technique.movement]
        if len(names) != len(drawing.poses):
            names = [f"Position {i + 1}" for i in range(len(drawing.poses))]
        return [(p, False, f"{n} ({drawing.view})") for p, n in zip(drawing.poses, names, strict=True)]
    pose = drawing.poses[0]
    if technique.per_side:
        return [(pose, False, f"Side 1 ({drawing.view})"), (pose, True, "Side 2 (mirrored)")]
    return [(pose, False, drawing.view.capitalize())]


def technique_figure(technique: Technique) -> MplFigure:
    """The lesson figure for one technique: each side or position in its own labelled panel."""
    drawing = _drawing(technique.slug)
    panels = _panel_labels(technique, drawing)
    probes = []
    for pose, mirrored, _ in panels:
        probe = _Pen(None, mirrored)
        _paint(probe, drawing, pose)
        probes.append(probe)
    y0, y1 = _bounds(probes, 0.03)[2:]
    widths = [(_bounds([p], 0.03)[1] - _bounds([p], 0.03)[0]) * drawing.scale for p in probes]
    height = (y1 - y0) * drawing.scale
    gap = 0.3
    fig_w = 2 * PAD + sum(widths) + gap * (len(panels) - 1)
    fig_h = 2 * PAD + height + LABEL
    fig = _new_figure(fig_w, fig_h)
    left = PAD
    for (pose, mirrored, label), probe, w in zip(panels, probes, widths, strict=True):
        ax = fig.add_axes((left / fig_w, PAD / fig_h, w / fig_w, height / fig_h))
        ax.set_axis_off()
        x0, x1 = _bounds([probe], 0.03)[:2]
        _paint(_Pen(ax, mirrored), drawing, pose)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal")
        fig.text(
            (left + w / 2) / fig_w,
            1 - (PAD + 0.12) / fig_h,
            label,
            ha="center",
            va="center",
            fontsize=11,
            fontweight="bold",
            color=INK,
        )
        left += w + gap
    return fig


def lesson_stem(technique: Technique | str, course: Course | None = None) -> str:
    """The lesson file stem for a technique, e.g. ``04-hamstring-stretch``.

    A thin wrapper over :func:`stretchkit.lessons.lesson_stem`, where the numbering rule lives,
    that also accepts a Technique and insists on a technique.
    """
    from .lessons import lesson_stem as stem_for

    slug = technique.slug if isinstance(technique, Technique) else technique
    if not isinstance(slug, str):
        raise TypeError(f"technique must be a Technique or a slug, got {technique!r}")
    course = course or load_course()
    if slug not in {t.slug for t in course.techniques}:
        raise ValueError(f"technique: {slug!r} is not in the course")
    return stem_for(slug, course)


# --- the "why stretching helps" diagram ------------------------------------------------------

#: The diagram's muscle groups, and words in a technique's ``targets`` that link it to one.
MUSCLE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Back muscles", ("back muscles", "lower back", "spine", "trunk")),
    ("Piriformis (buttock)", ("piriformis", "buttock")),
    ("Hip", ("hip",)),
    ("Hamstrings", ("hamstring", "thigh")),
)


def stretches_for(group: str, course: Course | None = None) -> tuple[str, ...]:
    """Names of the course's stretches whose targets mention this muscle group."""
    course = course or load_course()
    words = dict(MUSCLE_GROUPS).get(group)
    if words is None:
        known = ", ".join(g for g, _ in MUSCLE_GROUPS)
        raise ValueError(f"group: unknown muscle group {group!r}; known: {known}")
    return tuple(
        t.name for t in course.techniques if any(w in target.lower() for target in t.targets for w in words)
    )


def _catmull(points: Sequence[Point], n: int = 12, closed: bool = False) -> list[Point]:
    """A smooth curve through the points (Catmull-Rom), for organic outlines."""
    pts = list(points)
    pts = [pts[-1], *pts, pts[0], pts[1]] if closed else [pts[0], *pts, pts[-1]]
    out: list[Point] = []
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for k in range(n):
            t = k / n
            t2, t3 = t * t, t * t * t
            out.append(
                tuple(  # type: ignore[arg-type]
                    0.5
                    * (
                        2 * p1[d]
                        + (-p0[d] + p2[d]) * t
                        + (2 * p0[d] - 5 * p1[d] + 4 * p2[d] - p3[d]) * t2
                        + (-p0[d] + 3 * p1[d] - 3 * p2[d] + p3[d]) * t3
                    )
                    for d in (0, 1)
                )
            )
    out.append(pts[-2])
    return out


def _along(curve: Sequence[Point], s: float) -> tuple[Point, float]:
    """The point at fraction ``s`` of a polyline's length, and the direction there (degrees)."""
    seg = [math.dist(a, b) for a, b in itertools.pairwise(curve)]
    target = s * sum(seg)
    for (a, b), length in zip(itertools.pairwise(curve), seg, strict=True):
        if target <= length or b == curve[-1]:
            f = target / length if length else 0.0
            angle = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
            return (a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])), angle
        target -= length
    raise AssertionError("unreachable")  # pragma: no cover


def why_figure(course: Course | None = None) -> MplFigure:
    """Lesson 01's diagram: a side view of the spine and the muscles the stretches work on."""
    from matplotlib.patches import Ellipse, Polygon

    course = course or load_course()
    width, height = 7.8, 5.2
    fig = _new_figure(width, height)
    ax = fig.add_axes((0.02, 0.015, 0.96, 0.875))
    ax.set_xlim(-0.72, 1.12)
    ax.set_ylim(-0.04, 1.04)
    ax.set_aspect("equal")
    ax.set_axis_off()
    fig.text(0.5, 0.94, "The spine, and the muscles the stretches work on", ha="center", va="center",
             fontsize=12.5, fontweight="bold", color=INK)  # fmt: skip
    bone: dict[str, Any] = {"facecolor": "#fffdf8", "edgecolor": INK}

    # A person from head to knee, seen from the side and facing left: the back is on the right.
    body = [
        (0.03, 1.00), (0.10, 0.97), (0.125, 0.90), (0.10, 0.83), (0.09, 0.78), (0.15, 0.72), (0.175, 0.62),
        (0.15, 0.52), (0.135, 0.46), (0.165, 0.40), (0.175, 0.33), (0.145, 0.26), (0.125, 0.14),
        (0.11, 0.01), (-0.04, 0.00), (-0.055, 0.14), (-0.08, 0.28), (-0.12, 0.40), (-0.145, 0.50),
        (-0.15, 0.60), (-0.13, 0.70), (-0.07, 0.76), (-0.04, 0.80), (-0.075, 0.835), (-0.09, 0.87),
        (-0.115, 0.905), (-0.09, 0.925), (-0.07, 0.98),
    ]  # fmt: skip
    outline = _catmull(body, closed=True)
    ax.add_patch(Polygon(outline, closed=True, facecolor="#efe9df", edgecolor=FAR, lw=1.5, zorder=1))

    # The spine's three curves: neck and lower back curve inwards, the upper back outwards.
    spine = _catmull(
        [(0.045, 0.86), (0.035, 0.80), (0.05, 0.75), (0.085, 0.66), (0.085, 0.56), (0.06, 0.49), (0.05, 0.43),
         (0.065, 0.38)],
        16,
    )  # fmt: skip
    regions = (("Neck", 0.0, 0.22, 7, 0.020), ("Upper back", 0.22, 0.74, 12, 0.026),
               ("Lower back", 0.74, 1.0, 5, 0.034))  # fmt: skip
    region_points: dict[str, Point] = {}
    for name, s0, s1, count, size in regions:
        for k in range(count):
            (cx, cy), angle = _along(spine, s0 + (s1 - s0) * (k + 0.5) / count)
            ax.add_patch(
                Ellipse((cx, cy), size * 1.9, size * 0.8, angle=angle + 90, lw=1.0, zorder=4, **bone)
            )
        region_points[name] = _along(spine, (s0 + s1) / 2)[0]
    # The pelvis: a simplified hip bone, the sacrum at its back and the hip joint low in front.
    pelvis = _catmull([(0.08, 0.41), (0.02, 0.43), (-0.06, 0.39), (-0.07, 0.33), (-0.02, 0.28), (0.05, 0.26),
                       (0.10, 0.30)], 10, closed=True)  # fmt: skip
    ax.add_patch(Polygon(pelvis, closed=True, lw=1.2, zorder=3, **bone))
    ax.add_patch(Polygon([(0.065, 0.37), (0.11, 0.35), (0.115, 0.30), (0.10, 0.27)], closed=True,
                         facecolor="#e4dccd", edgecolor=INK, lw=1.0, zorder=4))  # fmt: skip
    region_points["Pelvis"] = (-0.04, 0.36)
    hip_joint = (0.005, 0.30)
    ax.plot([hip_joint[0], 0.03, 0.035], [hip_joint[1], 0.26, 0.03], color=INK, lw=3.0, zorder=4,
            solid_capstyle="round")  # fmt: skip
    ax.add_patch(Ellipse(hip_joint, 0.035, 0.035, lw=1.2, zorder=5, **bone))

    # Muscle groups: each has its own pattern as well as its colour, and a text label.
    back = _catmull([(0.095, 0.80), (0.125, 0.68), (0.125, 0.57), (0.10, 0.48), (0.105, 0.41)], 8)
    ax.plot(*zip(*back, strict=True), color="#c2410c", lw=10, alpha=0.35, zorder=2, solid_capstyle="round")
    ax.plot(*zip(*back, strict=True), color="#7c2d12", lw=1.2, ls=(0, (3, 2)), zorder=2)
    ax.add_patch(Ellipse((0.12, 0.335), 0.11, 0.04, angle=-28, facecolor="#fecdd3", edgecolor="#9f1239",
                         hatch="////", lw=1.2, zorder=5))  # fmt: skip
    ham = _catmull([(0.115, 0.25), (0.105, 0.14), (0.09, 0.04)], 8)
    ax.plot(*zip(*ham, strict=True), color="#15803d", lw=10, alpha=0.35, zorder=2, solid_capstyle="round")
    ax.plot(*zip(*ham, strict=True), color="#14532d", lw=1.2, ls=(0, (1, 2)), zorder=2)
    ax.add_patch(Ellipse(hip_joint, 0.08, 0.07, facecolor="none", edgecolor="#6d28d9", lw=1.6, ls="--",
                         zorder=6))  # fmt: skip

    def leader(text: str, to: Point, at: Point, ha: str, **kw: Any) -> None:
        relpos = (0.0, 0.5) if ha == "left" else (1.0, 0.5)
        arrow = {"arrowstyle": "-", "color": MUTED, "lw": 0.8, "shrinkA": 4, "shrinkB": 1, "relpos": relpos}
        ax.annotate(text, to, xytext=at, ha=ha, va="center", color=INK, zorder=7, fontsize=10.5,
                    arrowprops=arrow, **kw)  # fmt: skip

    # The spine's parts, on the left.
    ax.text(-0.70, 1.0, "The spine", fontsize=11, fontweight="bold", color=INK, va="center")
    for name, y in {"Neck": 0.86, "Upper back": 0.66, "Lower back": 0.46, "Pelvis": 0.26}.items():
        leader(name, region_points[name], (-0.32, y), "right")

    # The muscle groups, on the right, each with the stretches that work on it.
    ax.text(0.40, 1.0, "Muscles, and their stretches", fontsize=11, fontweight="bold", color=INK,
            va="center")  # fmt: skip
    anchors = {"Back muscles": (0.13, 0.64), "Piriformis (buttock)": (0.165, 0.325), "Hip": (0.04, 0.285),
               "Hamstrings": (0.11, 0.14)}  # fmt: skip
    ys = {"Back muscles": 0.82, "Piriformis (buttock)": 0.54, "Hip": 0.30, "Hamstrings": 0.12}
    for group, _ in MUSCLE_GROUPS:
        names = stretches_for(group, course)
        leader(group, anchors[group], (0.40, ys[group]), "left", fontweight="bold")
        listing = "\n".join(textwrap.wrap(", ".join(names), 38)) if names else "(none in this course)"
        ax.text(0.40, ys[group] - 0.035, listing, ha="left", va="top", fontsize=9.5, color=MUTED)
    return fig


def why_alt(course: Course | None = None) -> str:
    """Alt text for the spine diagram, built from the same data the labels use."""
    course = course or load_course()
    parts = [f"{group}: {', '.join(stretches_for(group, course)) or 'none'}" for group, _ in MUSCLE_GROUPS]
    return (
        "Simplified side view of a person showing the spine's neck, upper back and lower back above "
        "the pelvis, with the muscle groups the stretches work on labelled. " + "; ".join(parts) + "."
    )


# --- rendering and files -------------------------------------------------------------------


def _technique_svg(technique: Technique) -> bytes:
    with _style():
        return _svg_bytes(technique_figure(technique), technique.illustration_alt)


def why_svg(course: Course | None = None) -> str:
    """The spine diagram's SVG markup (from assets/ when committed there)."""
    path = ASSETS / f"{WHY_STEM}.svg"
    if (course is None or course == load_course()) and path.is_file():
        return path.read_text(encoding="utf-8")
    return _why_bytes(course).decode("utf-8")


def _why_bytes(course: Course | None = None) -> bytes:
    with _style():
        return _svg_bytes(why_figure(course), why_alt(course))


def render_all(folder: str | Path, course: Course | None = None) -> list[Path]:
    """Write every lesson figure to ``folder`` as SVG; returns the files written."""
    course = course or load_course()
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    files = {f"{WHY_STEM}.svg": _why_bytes(course)}
    for t in course.techniques:
        if has_drawing(t.slug):
            files[f"{lesson_stem(t, course)}.svg"] = _technique_svg(t)
    for name, data in files.items():
        path = out / name
        path.write_bytes(data)
        written.append(path)
    return written


def _placeholder_svg(technique: Technique) -> str:
    """A friendly text card for a technique that has no drawing, as SVG markup."""
    lines = [
        "No drawing for this stretch yet.",
        "Follow the written steps:",
        *textwrap.wrap(technique.name, 40),
    ]
    width, height = 360, 40 + 22 * len(lines)
    label = html.escape(technique.illustration_alt)
    texts = "".join(
        f'<text x="{width // 2}" y="{34 + 22 * i}" text-anchor="middle" font-size="15" '
        f'font-family="DejaVu Sans, sans-serif" fill="{INK if i == len(lines) - 1 else MUTED}">'
        f"{html.escape(line)}</text>"
        for i, line in enumerate(lines)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{label}">'
        f'<rect x="1" y="1" width="{width - 2}" height="{height - 2}" rx="10" fill="{CARD}" '
        f'stroke="{CARD_EDGE}" stroke-dasharray="6 4"/>{texts}</svg>'
    )


def _resolve(slug_or_technique: str | Technique, course: Course | None) -> tuple[Technique, Course]:
    course = course or load_course()
    if isinstance(slug_or_technique, Technique):
        return slug_or_technique, course
    if not isinstance(slug_or_technique, str):
        raise TypeError(f"slug_or_technique must be a slug or a Technique, got {slug_or_technique!r}")
    try:
        return course.technique(slug_or_technique), course
    except KeyError as exc:
        raise ValueError(f"slug_or_technique: {exc.args[0]}") from None


def _technique_bytes(technique: Technique, course: Course) -> bytes | None:
    """The committed SVG when there is one, else a fresh render; None without a drawing."""
    if not has_drawing(technique.slug):
        return None
    try:
        stem = lesson_stem(technique, course)
    except ValueError:
        stem = ""
    path = ASSETS / f"{stem}.svg"
    if stem and path.is_file():
        return path.read_bytes()
    return _technique_svg(technique)


def pose_svg(slug: str, course: Course | None = None) -> str:
    """A technique's figure as inline SVG markup (e.g. for the guided routine's timer).

    It starts at ``<svg`` so it can go straight into HTML; a technique without a drawing
    gets a small text card rather than an error.
    """
    technique, course = _resolve(slug, course)
    data = _technique_bytes(technique, course)
    if data is None:
        return _placeholder_svg(technique)
    text = data.decode("utf-8")
    return text[text.index("<svg") :]  # no XML prolog or doctype: ready to place inline in HTML


# --- notebook display ----------------------------------------------------------------------

_FIGURE_STYLE = (
    "margin:1em 0;padding:0;max-width:100%;text-align:center;color:var(--jp-content-font-color1,#1f2430)"
)
_CAPTION_STYLE = "font-size:0.92em;margin-top:0.4em;color:var(--jp-content-font-color2,#4b5160)"


@dataclass(frozen=True)
class Illustration:
    """A lesson figure for a notebook: an inline SVG with its alt text and caption."""

    name: str
    alt: str
    caption: str
    svg: bytes | None

    def _repr_html_(self) -> str:
        caption = f'<figcaption style="{_CAPTION_STYLE}">{html.escape(self.caption)}</figcaption>'
        if self.svg is None:
            note = (
                '<div role="note" style="display:inline-block;max-width:36em;padding:1em 1.4em;'
                "border:2px dashed #c9c4b8;border-radius:10px;background:#fbfaf6;color:#1f2430;"
                'text-align:left">'
                "<strong>No drawing for this stretch yet.</strong> "
                f"Picture it from the description: {html.escape(self.alt)}</div>"
            )
            return f'<figure class="stretchkit-figure" style="{_FIGURE_STYLE}">{note}{caption}</figure>'
        data = base64.b64encode(self.svg).decode("ascii")
        img = (
            f'<img src="data:image/svg+xml;base64,{data}" alt="{html.escape(self.alt, quote=True)}" '
            'style="max-width:100%;height:auto">'
        )
        return f'<figure class="stretchkit-figure" style="{_FIGURE_STYLE}">{img}{caption}</figure>'

    def __repr__(self) -> str:
        return f"Illustration({self.name})\n{self.alt}"


def illustration(slug_or_technique: str | Technique, course: Course | None = None) -> Illustration:
    """A technique's lesson figure for a notebook, or a friendly placeholder if it has none."""
    technique, course = _resolve(slug_or_technique, course)
    data = _technique_bytes(technique, course)
    try:
        stem = lesson_stem(technique, course)
    except ValueError:
        stem = technique.slug
    name = f"{stem}.svg" if data is not None else f"{stem}: no drawing yet"
    caption = f"{technique.name}: {technique.summary}"
    return Illustration(name=name, alt=technique.illustration_alt, caption=caption, svg=data)


def why_diagram(course: Course | None = None) -> Illustration:
    """Lesson 01's spine diagram for a notebook."""
    caption = "Where the stretches work: the spine from neck to pelvis, and the muscles around it."
    data = why_svg(course).encode("utf-8")
    return Illustration(name=f"{WHY_STEM}.svg", alt=why_alt(course), caption=caption, svg=data)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m stretchkit.figures FOLDER``: regenerate every lesson figure into FOLDER."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m stretchkit.figures FOLDER", file=sys.stderr)
        return 2
    for path in render_all(args[0]):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
