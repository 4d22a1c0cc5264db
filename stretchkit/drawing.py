"""Drawing a technique: the pen, each stretch's props, and a pose drawn onto matplotlib axes.

Which poses, props and view each technique is drawn with lives here, keyed by slug. An
educator's own technique is drawn from the pose its content describes
(``[techniques.pose]``, see :mod:`stretchkit.posture`); without one it has no drawing
(see :func:`has_drawing`) and gets a placeholder. matplotlib is imported only when
something is drawn.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .course import Technique
from .look import ACCENT, CARD, FAR, FLOOR, INK, MUTED, PROP, TOWEL
from .pose import (
    BRIDGE,
    CAMEL,
    CAT,
    CHILDS_POSE,
    HAMSTRING,
    HEAD_R,
    LINE,
    PELVIC_TILT,
    PIRIFORMIS,
    ROTATION,
    SEAT,
    SEATED_CAMEL,
    SEATED_CAT,
    SEATED_HAMSTRING,
    SEATED_KNEE_HUG,
    SEATED_SIDE_BEND,
    SIDE_SEAT,
    Point,
    Pose,
    bones,
    joints,
)
from .posture import posture

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "Drawing",
    "Pen",
    "bounds",
    "draw_pose",
    "drawing_for",
    "has_drawing",
    "paint",
    "pose_at",
    "pose_joints",
]


#: Labels in a drawing shrink with it (so they stay where they belong, e.g. inside the mat);
#: below this size in points they would be unreadable, and are left out.
MIN_LABEL = 4.5


class Pen:
    """Draws in pose coordinates onto an Axes, mirrored left-right if asked.

    With ``ax=None`` it only records how far the drawing reaches, so a figure can be laid
    out before anything is drawn.
    """

    def __init__(
        self, ax: Axes | None, mirrored: bool, font_scale: float = 1.0, min_label: float | None = None
    ) -> None:
        self.ax = ax
        self.mirrored = mirrored
        self.font_scale = font_scale
        self.min_label = min_label
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
        size = kw.pop("fontsize", 9) * self.font_scale
        if self.min_label is not None:
            size = max(size, self.min_label)
        if self.ax is not None and size >= MIN_LABEL:
            kw.setdefault("color", INK)
            self.ax.text(*self.pt(p), s, ha=ha, fontsize=size, **kw)

    def arrow(self, a: Point, b: Point, rad: float = 0.0, **kw: Any) -> None:
        self._seen([a, b])
        if self.ax is not None:
            from matplotlib.patches import FancyArrowPatch

            kw.setdefault("color", ACCENT)
            kw.setdefault("lw", 1.6)
            kw.setdefault("arrowstyle", "-|>,head_length=5,head_width=3")
            style = f"arc3,rad={-rad if self.mirrored else rad}"
            self.ax.add_patch(FancyArrowPatch(self.pt(a), self.pt(b), connectionstyle=style, **kw))


def _draw_figure(pen: Pen, pose: Pose, joints: dict[str, Point]) -> None:
    for limb, names in bones(pose):
        colour = FAR if limb in pose.behind else INK
        z = 2 if limb in pose.behind else 4
        pen.line([joints[n] for n in names], color=colour, lw=LINE, zorder=z)
    pen.circle(joints["head"], HEAD_R, facecolor=CARD, edgecolor=INK, lw=LINE * 0.8, zorder=5)


def _floor(pen: Pen, x0: float, x1: float) -> None:
    pen.line([(x0, 0.0), (x1, 0.0)], color=FLOOR, lw=2.0, zorder=1)
    step = 0.05
    x = x0 + step / 2
    while x < x1:  # a hatched floor: readable without relying on colour
        pen.line([(x, 0.0), (x - 0.025, -0.025)], color=FLOOR, lw=0.8, zorder=1)
        x += step


def _props_floor(x0: float, x1: float) -> Callable[[Pen, dict[str, Point]], None]:
    def draw(pen: Pen, j: dict[str, Point]) -> None:
        _floor(pen, x0, x1)

    return draw


def _props_hamstring(pen: Pen, j: dict[str, Point]) -> None:
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


def _props_chair(pen: Pen, j: dict[str, Point]) -> None:
    _floor(pen, -0.34, 0.34)
    wood = {"color": PROP, "lw": 3.0, "zorder": 1}
    back = {**wood, "color": "#b59c84", "lw": 2.5, "zorder": 0}
    # Seen a little from above: the seat is a trapezoid, its back edge (SEAT) higher up the page.
    front, edge = SEAT - 0.08, SEAT - 0.10
    for x in (-0.13, 0.13):
        pen.line([(x, SEAT), (x, 0.07)], **back)  # back legs
        pen.line([(x, SEAT), (x, 0.56)], **back)  # the backrest, behind the body
    for y in (0.48, 0.56):
        pen.line([(-0.13, y), (0.13, y)], **back)
    seat = [(-0.14, SEAT), (0.14, SEAT), (0.18, front), (-0.18, front)]
    pen.polygon(seat, facecolor="#e8dccb", edgecolor=PROP, lw=2.0, zorder=1)
    pen.polygon([(-0.18, front), (0.18, front), (0.18, edge), (-0.18, edge)], facecolor=PROP, edgecolor=PROP,
                lw=1.0, zorder=1)  # fmt: skip
    for x in (-0.17, 0.17):
        pen.line([(x, edge), (x, 0.0)], **wood)  # front legs
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


def _props_rotation(pen: Pen, j: dict[str, Point]) -> None:
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


def _props_side_chair(pen: Pen, j: dict[str, Point]) -> None:
    """A plain chair seen from the side, under the sitter (the adapted positions' props)."""
    _floor(pen, -0.3, 0.5)
    wood = {"color": PROP, "lw": 3.0, "zorder": 0}
    seat_y, front, back = SIDE_SEAT, j["pelvis"][0] + 0.08, j["pelvis"][0] - 0.2
    pen.line([(back, seat_y), (front, seat_y)], **{**wood, "lw": 4.0})
    pen.line([(back, seat_y), (back - 0.02, 0.56)], **wood)  # the backrest
    for x in (back + 0.01, front - 0.01):
        pen.line([(x, seat_y), (x, 0.0)], **wood)
    pen.text((back - 0.03, 0.1), "chair", ha="right", color=PROP)


def _props_side_bend(pen: Pen, j: dict[str, Point]) -> None:
    """A steady chair seen from the front, and an arrow showing the sideways bend."""
    _floor(pen, -0.32, 0.32)
    wood = {"color": PROP, "lw": 3.0, "zorder": 0}
    pen.polygon([(-0.17, 0.2), (0.17, 0.2), (0.17, 0.26), (-0.17, 0.26)], facecolor="#e8dccb",
                edgecolor=PROP, lw=2.0, zorder=0)  # fmt: skip
    for x in (-0.16, 0.16):
        pen.line([(x, 0.2), (x, 0.0)], **wood)
    pen.text((0.2, 0.1), "chair", ha="left", color=PROP)
    top = j["shoulders"]
    pen.arrow((top[0] + 0.02, top[1] + 0.2), (top[0] + 0.17, top[1] + 0.04), rad=-0.35)
    pen.text((top[0] + 0.16, top[1] + 0.19), "bend", ha="left", color=ACCENT, fontsize=8)


def _props_pelvic_tilt(pen: Pen, j: dict[str, Point]) -> None:
    """The floor, and an arrow at the small of the back: press it gently down."""
    _floor(pen, -0.52, 0.4)
    x = j["waist"][0]
    pen.arrow((x, j["waist"][1] + 0.13), (x, j["waist"][1] + 0.03))
    pen.text((x - 0.02, j["waist"][1] + 0.08), "press gently\ndown", ha="right", color=ACCENT, fontsize=8)


def _props_bridge(pen: Pen, j: dict[str, Point]) -> None:
    """The floor, and when the hips are up an arrow under them: lift."""
    _floor(pen, -0.52, 0.4)
    hip = j["pelvis"]
    if hip[1] > 0.1:
        pen.arrow((hip[0] + 0.04, 0.03), (hip[0] + 0.04, hip[1] - 0.03))
        pen.text((hip[0] + 0.06, 0.05), "lift", ha="left", color=ACCENT, fontsize=8)


@dataclass(frozen=True)
class Drawing:
    """How one technique is drawn: its positions, props and the view it is seen from."""

    poses: tuple[Pose, ...]
    props: Callable[[Pen, dict[str, Point]], None]
    view: str
    scale: float = 4.0  # inches per unit of standing height in the lesson figure


_DRAWINGS: dict[str, Drawing] = {
    "childs-pose": Drawing((CHILDS_POSE,), _props_floor(-0.36, 0.48), "side view", scale=5.5),
    "cat-camel": Drawing((CAT, CAMEL), _props_floor(-0.36, 0.46), "side view"),
    "hamstring-stretch": Drawing((HAMSTRING,), _props_hamstring, "side view"),
    "piriformis-stretch": Drawing((PIRIFORMIS,), _props_chair, "front view"),
    "childs-pose-rotation": Drawing((ROTATION,), _props_rotation, "seen from above"),
    # The adapted positions: chair versions of the floor stretches.
    "seated-knee-hug": Drawing((SEATED_KNEE_HUG,), _props_side_chair, "side view"),
    "seated-cat-camel": Drawing((SEATED_CAT, SEATED_CAMEL), _props_side_chair, "side view"),
    "seated-hamstring-stretch": Drawing((SEATED_HAMSTRING,), _props_side_chair, "side view"),
    "seated-side-bend": Drawing((SEATED_SIDE_BEND,), _props_side_bend, "front view"),
    # Lesson 01's strengthening exercises: the bridge lifted, then lowered to where it started.
    "pelvic-tilt": Drawing((PELVIC_TILT,), _props_pelvic_tilt, "side view"),
    "bridge": Drawing((BRIDGE, PELVIC_TILT), _props_bridge, "side view"),
}


def _props_described_floor(pen: Pen, j: dict[str, Point]) -> None:
    xs = [p[0] for p in j.values()]
    _floor(pen, min(xs) - 0.1, max(xs) + 0.1)


def _props_described_chair(pen: Pen, j: dict[str, Point]) -> None:
    """A chair seen from the side under a seated figure, its back behind the pelvis."""
    hip = j["pelvis"]
    xs = [p[0] for p in j.values()]
    _floor(pen, min(min(xs), hip[0] - 0.2) - 0.08, max(xs) + 0.1)
    wood = {"color": PROP, "lw": 3.0, "zorder": 1}
    top = hip[1] - 0.03  # the seat, just under the pelvis
    back, front = hip[0] - 0.1, hip[0] + 0.2
    pen.line([(back, top), (front, top)], **{**wood, "lw": 4.0})
    for x in (back + 0.01, front - 0.01):
        pen.line([(x, top), (x, 0.0)], **wood)
    pen.line([(back, top), (back - 0.03, top + 0.3)], **wood)  # the backrest
    pen.text((back - 0.02, top / 2), "chair", ha="right", color=PROP)


def _described(t: Technique) -> Drawing | None:
    """The drawing of a technique whose content describes its pose, else None."""
    if t.pose is None:
        return None
    spec = t.pose
    pose = posture(spec.base, **spec.angles())
    props = _props_described_chair if spec.base == "seated" else _props_described_floor
    return Drawing((pose,), props, "side view")


def has_drawing(slug: str | Technique) -> bool:
    """True when a technique can be drawn: stretchkit draws it, or its content describes its pose.

    Given a slug, only stretchkit's own drawings count (an educator's technique may have none).
    """
    if isinstance(slug, Technique):
        return slug.pose is not None or _slug(slug) in _DRAWINGS
    return slug in _DRAWINGS


def _slug(slug: str | Technique) -> str:
    """The drawing's slug: a technique's own, or for an easier or harder version its stretch's."""
    if isinstance(slug, Technique):
        return slug.drawn_as or slug.slug
    return slug


def drawing_for(slug: str | Technique) -> Drawing:
    """How a technique (a slug or a Technique) is drawn; a ValueError names the known drawings.

    A Technique whose content describes its pose is drawn from that description.
    """
    if isinstance(slug, Technique) and (described := _described(slug)) is not None:
        return described
    slug = _slug(slug)
    if not isinstance(slug, str):
        raise TypeError(f"slug must be a technique slug (text), got {slug!r}")
    try:
        return _DRAWINGS[slug]
    except KeyError:
        known = ", ".join(_DRAWINGS)
        raise ValueError(f"slug: no drawing for {slug!r}; drawings exist for: {known}") from None


def pose_at(slug: str, drawing: Drawing, position: int) -> Pose:
    if isinstance(position, bool) or not isinstance(position, int):
        raise TypeError(f"position must be a whole number, got {position!r}")
    if not 0 <= position < len(drawing.poses):
        top = len(drawing.poses) - 1
        raise ValueError(f"position must be between 0 and {top} for {slug!r}, got {position!r}")
    return drawing.poses[position]


def pose_joints(slug: str | Technique, *, mirrored: bool = False, position: int = 0) -> dict[str, Point]:
    """Every joint of a technique's stick figure, as drawn (mirrored for the second side)."""
    drawing = drawing_for(slug)
    pose = pose_at(_slug(slug), drawing, position)
    points = joints(pose)
    if mirrored:
        return {k: (-x, y) for k, (x, y) in points.items()}
    return points


def paint(pen: Pen, drawing: Drawing, pose: Pose) -> None:
    points = joints(pose)
    drawing.props(pen, points)
    _draw_figure(pen, pose, points)


def bounds(pens: Sequence[Pen], margin: float) -> tuple[float, float, float, float]:
    xs = [x for p in pens for x in p.xs]
    ys = [y for p in pens for y in p.ys]
    return min(xs) - margin, max(xs) + margin, min(ys) - margin, max(ys) + margin


def _placeholder_text(ax: Axes, message: str) -> None:
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    ax.text(0.5, 0.5, "\n".join(textwrap.wrap(message, 34)), ha="center", va="center", color=MUTED, wrap=True)


def draw_pose(
    ax: Axes,
    slug: str | Technique,
    *,
    mirrored: bool = False,
    position: int = 0,
    min_label: float | None = None,
) -> None:
    """Draw one pose (with its props) onto a matplotlib Axes, e.g. for a printable handout.

    ``mirrored`` draws the second side; ``position`` picks Cat (0) or Camel (1) for a
    paced movement. Labels shrink with the drawing, unless ``min_label`` (points) keeps
    them readable: a printed handout's small drawing. A technique without a drawing gets a
    short text note instead.
    """
    if not isinstance(mirrored, bool):
        raise TypeError(f"mirrored must be True or False, got {mirrored!r}")
    if isinstance(slug, (str, Technique)) and not has_drawing(slug):
        _placeholder_text(ax, "No drawing for this stretch yet: follow the written steps.")
        return
    drawing = drawing_for(slug)
    pose = pose_at(_slug(slug), drawing, position)
    probe = Pen(None, mirrored)
    paint(probe, drawing, pose)
    x0, x1, y0, y1 = bounds([probe], 0.03)
    # Inches per unit of height on these axes, against the lesson figure's: labels shrink alike.
    box = ax.get_position()
    root = ax.get_figure(root=True)
    fig_w, fig_h = root.get_size_inches() if root is not None else (box.width, box.height)
    scale = min(box.width * fig_w / (x1 - x0), box.height * fig_h / (y1 - y0))
    paint(Pen(ax, mirrored, font_scale=min(1.0, scale / drawing.scale), min_label=min_label), drawing, pose)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()
