"""Lesson 01's diagram: a side view of the spine and the muscles the stretches work on.

Its labels come from the course: the muscle groups (``[[muscle_groups]]`` in the content)
and, under each, the stretches whose targets name it.
"""

from __future__ import annotations

import itertools
import math
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .content import load_course
from .course import ContentError, Course
from .look import FAR, INK, MUTED, card_figure
from .pose import Point

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes as MplAxes
    from matplotlib.figure import Figure as MplFigure

__all__ = ["stretches_for", "why_alt", "why_figure"]


#: Where each muscle group (by its slug in the content) sits on the drawing, and the
#: height of its label. A course's groups must be among these: the drawing shows them.
_ANCHORS: dict[str, tuple[Point, float]] = {
    "back": ((0.13, 0.64), 0.82),
    "piriformis": ((0.165, 0.325), 0.54),
    "hip": ((0.04, 0.285), 0.30),
    "hamstrings": ((0.11, 0.14), 0.12),
}


def stretches_for(group: str, course: Course | None = None) -> tuple[str, ...]:
    """Names of the course's stretches whose targets mention this muscle group."""
    course = course or load_course()
    words = {g.name: g.words for g in course.muscle_groups}.get(group)
    if words is None:
        known = ", ".join(g.name for g in course.muscle_groups)
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


def _anchor(slug: str) -> tuple[Point, float]:
    try:
        return _ANCHORS[slug]
    except KeyError:
        known = ", ".join(_ANCHORS)
        raise ContentError(
            f"muscle_groups: slug {slug!r} has no place on the spine diagram (it draws: {known})"
        ) from None


#: The bones' paint: off-white with an ink outline.
_BONE: dict[str, Any] = {"facecolor": "#fffdf8", "edgecolor": INK}


def why_figure(course: Course | None = None) -> MplFigure:
    """Lesson 01's diagram: a side view of the spine and the muscles the stretches work on."""
    course = course or load_course()
    fig = card_figure(7.8, 5.2)
    ax = fig.add_axes((0.02, 0.015, 0.96, 0.875))
    ax.set_xlim(-0.72, 1.12)
    ax.set_ylim(-0.04, 1.04)
    ax.set_aspect("equal")
    ax.set_axis_off()
    fig.text(0.5, 0.94, "The spine, and the muscles the stretches work on", ha="center", va="center",
             fontsize=12.5, fontweight="bold", color=INK)  # fmt: skip
    _draw_body(ax)
    region_points = _draw_spine(ax)
    region_points["Pelvis"], hip_joint = _draw_pelvis(ax)
    _draw_muscles(ax, hip_joint)
    _label_spine(ax, region_points)
    _label_muscles(ax, course)
    return fig


def _draw_body(ax: MplAxes) -> None:
    """A person from head to knee, seen from the side and facing left: the back is on the right."""
    from matplotlib.patches import Polygon

    body = [
        (0.03, 1.00), (0.10, 0.97), (0.125, 0.90), (0.10, 0.83), (0.09, 0.78), (0.15, 0.72), (0.175, 0.62),
        (0.15, 0.52), (0.135, 0.46), (0.165, 0.40), (0.175, 0.33), (0.145, 0.26), (0.125, 0.14),
        (0.11, 0.01), (-0.04, 0.00), (-0.055, 0.14), (-0.08, 0.28), (-0.12, 0.40), (-0.145, 0.50),
        (-0.15, 0.60), (-0.13, 0.70), (-0.07, 0.76), (-0.04, 0.80), (-0.075, 0.835), (-0.09, 0.87),
        (-0.115, 0.905), (-0.09, 0.925), (-0.07, 0.98),
    ]  # fmt: skip
    outline = _catmull(body, closed=True)
    ax.add_patch(Polygon(outline, closed=True, facecolor="#efe9df", edgecolor=FAR, lw=1.5, zorder=1))


def _draw_spine(ax: MplAxes) -> dict[str, Point]:
    """The vertebrae along the spine's three curves; returns the middle of each region, for its label.

    The neck and lower back curve inwards, the upper back outwards.
    """
    from matplotlib.patches import Ellipse

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
                Ellipse((cx, cy), size * 1.9, size * 0.8, angle=angle + 90, lw=1.0, zorder=4, **_BONE)
            )
        region_points[name] = _along(spine, (s0 + s1) / 2)[0]
    return region_points


def _draw_pelvis(ax: MplAxes) -> tuple[Point, Point]:
    """A simplified hip bone, the sacrum at its back and the hip joint low in front, with the thigh bone.

    Returns where the pelvis's label points and the hip joint.
    """
    from matplotlib.patches import Ellipse, Polygon

    pelvis = _catmull([(0.08, 0.41), (0.02, 0.43), (-0.06, 0.39), (-0.07, 0.33), (-0.02, 0.28), (0.05, 0.26),
                       (0.10, 0.30)], 10, closed=True)  # fmt: skip
    ax.add_patch(Polygon(pelvis, closed=True, lw=1.2, zorder=3, **_BONE))
    ax.add_patch(Polygon([(0.065, 0.37), (0.11, 0.35), (0.115, 0.30), (0.10, 0.27)], closed=True,
                         facecolor="#e4dccd", edgecolor=INK, lw=1.0, zorder=4))  # fmt: skip
    hip_joint = (0.005, 0.30)
    ax.plot([hip_joint[0], 0.03, 0.035], [hip_joint[1], 0.26, 0.03], color=INK, lw=3.0, zorder=4,
            solid_capstyle="round")  # fmt: skip
    ax.add_patch(Ellipse(hip_joint, 0.035, 0.035, lw=1.2, zorder=5, **_BONE))
    return (-0.04, 0.36), hip_joint


def _draw_muscles(ax: MplAxes, hip_joint: Point) -> None:
    """The muscle groups: each has its own pattern as well as its colour (and a text label)."""
    from matplotlib.patches import Ellipse

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


def _leader(ax: MplAxes, text: str, to: Point, at: Point, ha: str, **kw: Any) -> None:
    """A label at ``at`` with a thin line to the part it names."""
    relpos = (0.0, 0.5) if ha == "left" else (1.0, 0.5)
    arrow = {"arrowstyle": "-", "color": MUTED, "lw": 0.8, "shrinkA": 4, "shrinkB": 1, "relpos": relpos}
    ax.annotate(text, to, xytext=at, ha=ha, va="center", color=INK, zorder=7, fontsize=10.5,
                arrowprops=arrow, **kw)  # fmt: skip


def _label_spine(ax: MplAxes, region_points: dict[str, Point]) -> None:
    """The spine's parts, on the left."""
    ax.text(-0.70, 1.0, "The spine", fontsize=11, fontweight="bold", color=INK, va="center")
    for name, y in {"Neck": 0.86, "Upper back": 0.66, "Lower back": 0.46, "Pelvis": 0.26}.items():
        _leader(ax, name, region_points[name], (-0.32, y), "right")


def _label_muscles(ax: MplAxes, course: Course) -> None:
    """The course's muscle groups, on the right, each with the stretches that work on it."""
    ax.text(0.40, 1.0, "Muscles, and their stretches", fontsize=11, fontweight="bold", color=INK,
            va="center")  # fmt: skip
    for group in course.muscle_groups:
        anchor, y = _anchor(group.slug)
        names = stretches_for(group.name, course)
        _leader(ax, group.name, anchor, (0.40, y), "left", fontweight="bold")
        listing = "\n".join(textwrap.wrap(", ".join(names), 38)) if names else "(none in this course)"
        ax.text(0.40, y - 0.035, listing, ha="left", va="top", fontsize=9.5, color=MUTED)


def why_alt(course: Course | None = None) -> str:
    """Alt text for the spine diagram, built from the same data the labels use."""
    course = course or load_course()
    parts = [f"{g.name}: {', '.join(stretches_for(g.name, course)) or 'none'}" for g in course.muscle_groups]
    return (
        "Simplified side view of a person showing the spine's neck, upper back and lower back above "
        "the pelvis, with the muscle groups the stretches work on labelled. " + "; ".join(parts) + "."
    )
