"""Lesson figures: each technique's drawing laid out in panels, the committed SVGs, and display.

Every drawing is made by code (:mod:`stretchkit.pose`, :mod:`stretchkit.drawing`,
:mod:`stretchkit.spine`), so there are no copied images. The SVG files live in the
repository's ``assets/`` and ship inside the package as ``stretchkit.illustrations`` (read
with :mod:`importlib.resources`); they are rebuilt byte for byte with ``make figures``
(``python -m stretchkit.figures assets``). Showing them needs no matplotlib (the browser-only site has
none); matplotlib is imported only to draw one afresh (``make figures``, the PDF handout,
an educator's overlay course). ``import stretchkit`` stays cheap.

Notebooks show a figure with :func:`illustration` (one technique) or :func:`why_diagram`
(lesson 01); both inline the committed SVG as a data URI with the course's alt text, so the
figure works offline, on GitHub and in exported HTML, and their reprs are deterministic.
"""

from __future__ import annotations

import functools
import html
import importlib.resources
import io
import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .content import load_course, resolve_technique
from .course import ContentError, Course, Technique
from .drawing import Drawing, Pen, bounds, drawing_for, has_drawing, paint
from .lessons import lesson_stem as stem_for
from .look import CARD, CARD_EDGE, INK, MUTED, card_figure, figure_html, style, svg_img, svg_with_title
from .pose import Pose
from .spine import why_alt, why_figure
from .wording import SIDES, side_name

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure as MplFigure

__all__ = [
    "ASSETS",
    "WHY_STEM",
    "Illustration",
    "asset_stem",
    "illustration",
    "lesson_stem",
    "main",
    "panel_count",
    "panel_for",
    "pose_svg",
    "render_all",
    "technique_figure",
    "why_diagram",
    "why_svg",
]

#: The illustrations shipped inside the package (``assets/*.svg`` in the repository).
ASSETS = importlib.resources.files("stretchkit.illustrations")
#: File stem of lesson 01's diagram.
WHY_STEM = "01-why-stretching-helps-spine"

# --- figures and files ----------------------------------------------------------------------

#: Lesson figures on top of the course's look: transparent outside the card, never cropped.
_SALT = "stretchkit"
_RC: dict[str, Any] = {
    "svg.image_inline": True,
    "savefig.facecolor": "none",
    "savefig.edgecolor": "none",
    "savefig.transparent": False,
    "savefig.bbox": None,
}
_METADATA = {"Date": None, "Creator": "stretchkit.figures (matplotlib)"}
PAD = 0.18  # inches around the drawings, inside the card
LABEL = 0.34  # inches for a panel's label


def _svg_bytes(figure: Callable[[], MplFigure], title: str) -> bytes:
    """Draw ``figure()`` in the lesson figures' style and return its SVG, titled for screen readers."""
    with style(_SALT, _RC):
        buf = io.BytesIO()
        figure().savefig(buf, format="svg", metadata=_METADATA)
    return svg_with_title(buf.getvalue().decode("utf-8"), title).encode("utf-8")


def _panel_labels(technique: Technique, drawing: Drawing) -> list[tuple[Pose, bool, str]]:
    """The panels of a lesson figure: (pose, mirrored, label).

    A one-sided stretch gets a panel per side, in the timer's order and with the timer's
    words ("Left leg", "Right leg"); the drawing is mirrored for the side it does not show.
    """
    if len(drawing.poses) > 1:
        names = [m.name for m in technique.movement]
        if len(names) != len(drawing.poses):
            names = [f"Position {i + 1}" for i in range(len(drawing.poses))]
        return [(p, False, f"{n} ({drawing.view})") for p, n in zip(drawing.poses, names, strict=True)]
    pose = drawing.poses[0]
    if technique.per_side:
        drawn = pose.side or SIDES[0]
        return [
            (pose, side != drawn, f"{side_name(side, technique.side_word, start=True)} ({drawing.view})")
            for side in SIDES
        ]
    return [(pose, False, drawing.view.capitalize())]


def technique_figure(technique: Technique, panel: int | None = None) -> MplFigure:
    """The lesson figure for one technique: each side or position in its own labelled panel.

    ``panel`` draws that one panel alone (e.g. only Cat, or only the left leg), as the
    guided session shows the position of the moment.
    """
    drawing = drawing_for(technique)
    panels = _panel_labels(technique, drawing)
    if panel is not None:
        panels = [panels[panel]]
    probes = []
    for pose, mirrored, _ in panels:
        probe = Pen(None, mirrored)
        paint(probe, drawing, pose)
        probes.append(probe)
    y0, y1 = bounds(probes, 0.03)[2:]
    widths = [(bounds([p], 0.03)[1] - bounds([p], 0.03)[0]) * drawing.scale for p in probes]
    height = (y1 - y0) * drawing.scale
    gap = 0.3
    fig_w = 2 * PAD + sum(widths) + gap * (len(panels) - 1)
    fig_h = 2 * PAD + height + LABEL
    fig = card_figure(fig_w, fig_h)
    left = PAD
    for (pose, mirrored, label), probe, w in zip(panels, probes, widths, strict=True):
        ax = fig.add_axes((left / fig_w, PAD / fig_h, w / fig_w, height / fig_h))
        ax.set_axis_off()
        x0, x1 = bounds([probe], 0.03)[:2]
        paint(Pen(ax, mirrored), drawing, pose)
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
    slug = technique.slug if isinstance(technique, Technique) else technique
    if not isinstance(slug, str):
        raise TypeError(f"technique must be a Technique or a slug, got {technique!r}")
    course = course or load_course()
    if slug not in {t.slug for t in course.techniques}:
        raise ValueError(f"technique: {slug!r} is not in the course")
    return stem_for(slug, course)


# --- rendering and files -------------------------------------------------------------------


def _technique_svg(technique: Technique) -> bytes:
    return _svg_bytes(lambda: technique_figure(technique), technique.illustration_alt)


def why_svg(course: Course | None = None) -> str:
    """The spine diagram's SVG markup (the shipped file for the bundled course)."""
    path = ASSETS / f"{WHY_STEM}.svg"
    if (course is None or course == load_course()) and path.is_file():
        return path.read_text(encoding="utf-8")
    return _why_bytes(course).decode("utf-8")


def _why_bytes(course: Course | None = None) -> bytes:
    return _svg_bytes(lambda: why_figure(course), why_alt(course))


def render_all(folder: str | Path, course: Course | None = None) -> list[Path]:
    """Write every lesson figure to ``folder`` as SVG; returns the files written."""
    course = course or load_course()
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    files = {f"{WHY_STEM}.svg": _why_bytes(course)}
    for t in (*course.all_techniques, *course.strengthening):
        if has_drawing(t):
            stem = asset_stem(t, course)
            files[f"{stem}.svg"] = _technique_svg(t)
            for panel in range(panel_count(t)):  # the guided session's one-position drawings
                files[panel_file(stem, panel)] = _panel_bytes(t, panel)
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


def asset_stem(technique: Technique, course: Course) -> str:
    """A figure's file stem: its lesson's stem, and for an adapted position or a strengthening
    exercise the lesson's stem and its own slug (``02-childs-pose-seated-knee-hug``,
    ``01-why-stretching-helps-bridge``); '' for a technique not in ``course``."""
    if technique.slug in {s.slug for s in course.strengthening}:
        return f"{stem_for(technique.slug, course)}-{technique.slug}"
    parent = course.parent(technique.slug)
    try:
        if parent is not None:
            return f"{lesson_stem(parent, course)}-{technique.slug}"
        return lesson_stem(technique, course)
    except ValueError:
        return ""


def _technique_bytes(technique: Technique, course: Course) -> bytes | None:
    """The committed SVG when there is one, else a fresh render; None without a drawing.

    The committed file is the one named by the technique's figure stem (:func:`asset_stem`),
    so a technique whose lesson has a committed figure gets that file, even when the course
    changed it; one without (an educator's own stretch) is drawn fresh.
    """
    if not has_drawing(technique):
        return None
    stem = asset_stem(technique, course)
    path = ASSETS / f"{stem}.svg"
    if stem and path.is_file():
        return path.read_bytes()
    return _technique_svg(technique)


def panel_count(technique: Technique) -> int:
    """How many panels a technique's figure has (sides or positions); 0 without a drawing."""
    if not has_drawing(technique.slug):
        return 0
    return len(_panel_labels(technique, drawing_for(technique.slug)))


def panel_for(technique: Technique, *, side: str = "", position: str = "") -> int:
    """Which panel shows a moment of a stretch: the side being held, or the position moved to.

    ``side`` is "left" or "right" (as the timer names them), ``position`` a movement's name
    ("Cat"); anything else (getting ready, resting) is the first panel.
    """
    names = [m.name for m in technique.movement]
    if position in names and panel_count(technique) == len(names):
        return names.index(position)
    if side in SIDES and technique.per_side and panel_count(technique) == len(SIDES):
        return SIDES.index(side)
    return 0


def panel_file(stem: str, panel: int) -> str:
    """The shipped file of one panel of a figure: ``03-cat-camel.panel-1.svg`` (a dot, which
    no slug has, so it never collides with an adapted position's figure)."""
    return f"{stem}.panel-{panel + 1}.svg"


def _panel_bytes(technique: Technique, panel: int) -> bytes:
    label = _panel_labels(technique, drawing_for(technique.slug))[panel][2]
    title = f"{technique.name}, drawn as a stick figure: {label}"
    return _svg_bytes(lambda: technique_figure(technique, panel), title)


@functools.lru_cache(maxsize=64)
def _panel_svg(technique: Technique, course: Course, panel: int) -> str:
    """One panel alone: the shipped file for a bundled technique (no matplotlib needed, as in
    the browser-only site), else drawn fresh and kept for the session."""
    stem = asset_stem(technique, course)
    path = ASSETS / panel_file(stem, panel)
    if stem and path.is_file():
        text = path.read_text(encoding="utf-8")
    else:
        text = _panel_bytes(technique, panel).decode("utf-8")
    return text[text.index("<svg") :]


def pose_svg(slug: str | Technique, course: Course | None = None, *, panel: int | None = None) -> str:
    """A technique's figure as inline SVG markup (e.g. for the guided routine's timer).

    It starts at ``<svg`` so it can go straight into HTML; a technique without a drawing
    gets a small text card rather than an error. ``panel`` gives one side or position
    alone (see :func:`panel_for`), drawn fresh and kept for the session.
    """
    technique, course = resolve_technique(slug, course)
    data = _technique_bytes(technique, course)
    if data is None:
        return _placeholder_svg(technique)
    if panel is not None:
        if not 0 <= panel < panel_count(technique):
            raise ValueError(f"panel must be between 0 and {panel_count(technique) - 1}, got {panel!r}")
        return _panel_svg(technique, course, panel)
    text = data.decode("utf-8")
    return text[text.index("<svg") :]  # no XML prolog or doctype: ready to place inline in HTML


# --- notebook display ----------------------------------------------------------------------


@dataclass(frozen=True)
class Illustration:
    """A lesson figure for a notebook: an inline SVG with its alt text and caption."""

    name: str
    alt: str
    caption: str
    svg: bytes | None

    def _repr_html_(self) -> str:
        if self.svg is None:
            body = (
                '<div role="note" style="display:inline-block;max-width:36em;padding:1em 1.4em;'
                f"border:2px dashed {CARD_EDGE};border-radius:10px;background:{CARD};color:{INK};"
                'text-align:left">'
                "<strong>No drawing for this stretch yet.</strong> "
                f"Picture it from the description: {html.escape(self.alt)}</div>"
            )
        else:
            body = svg_img(self.svg, self.alt)
        return figure_html("stretchkit-figure", body, self.caption, centered=True)

    def __repr__(self) -> str:
        return f"Illustration({self.name})\n{self.alt}"


def illustration(slug_or_technique: str | Technique, course: Course | None = None) -> Illustration:
    """A technique's lesson figure for a notebook, or a friendly placeholder if it has none."""
    technique, course = resolve_technique(slug_or_technique, course)
    data = _technique_bytes(technique, course)
    stem = asset_stem(technique, course) or technique.slug
    name = f"{stem}.svg" if data is not None else f"{stem}: no drawing yet"
    caption = f"{technique.name}: {technique.summary}"
    return Illustration(name=name, alt=technique.illustration_alt, caption=caption, svg=data)


def why_diagram(course: Course | None = None) -> Illustration:
    """Lesson 01's spine diagram for a notebook."""
    caption = "Where the stretches work: the spine from neck to pelvis, and the muscles around it."
    data = why_svg(course).encode("utf-8")
    return Illustration(name=f"{WHY_STEM}.svg", alt=why_alt(course), caption=caption, svg=data)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m stretchkit.figures FOLDER [--course FILE]``: regenerate every lesson figure.

    With ``--course`` (an educator's overlay file) their own stretches are drawn too, into the
    same folder (``assets/``), so they ship with the course like the bundled ones.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    course: Course | None = None
    if len(args) == 3 and args[1] == "--course":
        try:
            course = load_course(args[2])
        except ContentError as exc:
            print(f"figures: {exc}", file=sys.stderr)
            return 1
        args = args[:1]
    if len(args) != 1:
        print("usage: python -m stretchkit.figures FOLDER [--course FILE]", file=sys.stderr)
        return 2
    for path in render_all(args[0], course):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
