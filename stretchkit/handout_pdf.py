"""The PDF handout's layout: what a :class:`Sheet` says, placed on as many A4 pages as it needs.

:mod:`stretchkit.handout` decides what the handout says; this module only places it, in
sizes an older reader can read on paper (body text 11 pt, the safety notes 10 pt, a drawing's
labels at least 9 pt). Every line is wrapped to its measured width, so nothing is clipped
or overlaps: each stretch stays whole beside its drawing (a stretch taller than a page goes
on over the next), the safety notes close the last page, and the drawings are drawn as large
as the fewest pages allow. matplotlib, so not in the browser-only site.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .course import Technique
from .drawing import Pen, bounds, draw_pose, drawing_for, has_drawing, paint, pose_at
from .look import CARD_EDGE, INK, MUTED

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["A4", "BODY", "FOOTER", "LABEL", "Line", "Para", "Sheet", "Stretch", "pages"]

A4 = (8.27, 11.69)  # inches
MARGIN = 0.55  # inches on every side of the page (14 mm)
GAP = 0.25  # inches between a stretch's drawing and its words
PAD = 0.1  # inches above and below each stretch
#: Text sizes in points: the words, the safety notes and page line, a drawing's labels.
TITLE, NAME, BODY, FOOTER, LABEL = 20.0, 13.5, 11.0, 10.0, 9.0
LEADING = 1.2  # line pitch, as a multiple of the text size
#: Drawing widths tried, largest first: the largest that needs no more pages wins.
DRAWING_WIDTHS = (3.3, 2.9, 2.6, 2.3, 2.0, 1.8)
#: A hair of room at each line's end, for a PDF viewer's own rounding.
SLACK = 0.99


@dataclass(frozen=True)
class Para:
    """A paragraph: its words, optional bold words leading it, and a hanging marker ("1.")."""

    text: str
    size: float = BODY
    lead: str = ""
    bold: bool = False
    colour: str = INK
    marker: str = ""
    space_before: float = 0.0  # points


@dataclass(frozen=True)
class Stretch:
    """One stretch on the sheet: its drawing (of ``technique``) beside its paragraphs."""

    technique: Technique
    paras: tuple[Para, ...]


@dataclass(frozen=True)
class Sheet:
    """What the handout says: a heading, the stretches, and the closing (safety) notes."""

    title: str
    lead: tuple[Para, ...]
    stretches: tuple[Stretch, ...]
    footer: tuple[Para, ...]


@dataclass(frozen=True)
class Line:
    """One laid-out line: runs of (x offset in points, text, bold), its size and colour."""

    runs: tuple[tuple[float, str, bool], ...]
    size: float
    colour: str
    space_before: float = 0.0

    @property
    def height(self) -> float:  # inches
        return (self.space_before + self.size * LEADING) / 72


# --- measuring and wrapping -----------------------------------------------------------------------


@functools.cache
def _measurer() -> Any:
    from matplotlib.textpath import TextToPath

    return TextToPath()


@functools.cache
def _width(text: str, size: float, bold: bool) -> float:
    """How wide ``text`` is set, in points: the font's own advances, as the PDF sets them
    (a screen renderer's widths are hinted to whole pixels, too short for a long bold line)."""
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(size=size, weight="bold" if bold else "normal")
    return float(_measurer().get_text_width_height_descent(text, prop, ismath=False)[0])


def _tokens(para: Para, room: float) -> list[tuple[str, bool]]:
    """The paragraph's words, each marked bold or not; a word wider than the line is cut up."""
    words = [(w, True) for w in para.lead.split()] + [(w, para.bold) for w in para.text.split()]
    out: list[tuple[str, bool]] = []
    for word, bold in words:
        while _width(word, para.size, bold) > room and len(word) > 1:
            cut = max([1, *(k for k in range(1, len(word)) if _width(word[:k], para.size, bold) <= room)])
            out.append((word[:cut], bold))
            word = word[cut:]
        out.append((word, bold))
    return out


def _runs(words: Sequence[tuple[str, bool]], size: float, x: float) -> tuple[tuple[float, str, bool], ...]:
    """Words on one line as runs of one weight, each at its x offset (points)."""
    runs: list[tuple[float, str, bool]] = []
    for word, bold in words:
        if runs and runs[-1][2] == bold:
            runs[-1] = (runs[-1][0], f"{runs[-1][1]} {word}", bold)
        else:
            start = x
            if runs:  # after the last run and its space (measured before a bar: a space has no ink)
                at, text, was_bold = runs[-1]
                start = at + _width(f"{text} |", size, was_bold) - _width("|", size, was_bold)
            runs.append((start, word, bold))
    return tuple(runs)


def _line_width(words: Sequence[tuple[str, bool]], size: float) -> float:
    at, text, bold = _runs(words, size, 0.0)[-1]
    return at + _width(text, size, bold)


def wrap(para: Para, width: float) -> list[Line]:
    """``para`` as lines no wider than ``width`` inches, a marker hanging left of the words."""
    indent = _width("00.", para.size, False) + para.size * 0.6 if para.marker else 0.0
    room = width * 72 * SLACK - indent
    lines: list[list[tuple[str, bool]]] = [[]]
    for token in _tokens(para, room):
        candidate = [*lines[-1], token]
        if lines[-1] and _line_width(candidate, para.size) > room:
            lines.append([token])
        else:
            lines[-1] = candidate
    out = []
    for k, words in enumerate(lines):
        runs = _runs(words, para.size, indent) if words else ()
        if k == 0 and para.marker:
            runs = ((0.0, para.marker, para.bold), *runs)
        out.append(Line(runs, para.size, para.colour, para.space_before if k == 0 else 0.0))
    return out


# --- blocks: what goes on a page, measured ---------------------------------------------------------


@dataclass(frozen=True)
class Picture:
    """A stretch's drawing: each position's (width, height) in inches and its name, if it has one."""

    technique: Technique
    panels: tuple[tuple[float, float, str], ...]

    @property
    def height(self) -> float:
        return sum(h + (_TITLE_H if name else 0.0) for _, h, name in self.panels)

    @property
    def width(self) -> float:
        return max(w for w, _, _ in self.panels)


_TITLE_H = LABEL * 1.15 * LEADING / 72 + 0.04  # a position's name above its drawing


def _aspect(t: Technique, position: int) -> float:
    """Width over height of one position's drawing, as :func:`draw_pose` will draw it."""
    if not has_drawing(t):
        return 1.6  # the placeholder note
    drawing = drawing_for(t)
    probe = Pen(None, False)
    paint(probe, drawing, pose_at(t.slug, drawing, position))
    x0, x1, y0, y1 = bounds([probe], 0.03)
    return (x1 - x0) / (y1 - y0)


def _renderer(fig: Any) -> Any:
    """A renderer to measure ``fig``'s text with (an Agg canvas, unless it has one)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if hasattr(fig.canvas, "get_renderer") else FigureCanvasAgg(fig)
    return canvas.get_renderer()


def draw(ax: Any, t: Technique, position: int) -> None:
    """Draw one position of ``t`` with labels of at least :data:`LABEL` points, its limits
    widened to take them in (a label sticks out past the figure it names)."""
    draw_pose(ax, t, position=position, min_label=LABEL)
    if not ax.texts:
        return
    renderer = _renderer(ax.get_figure(root=True))
    for _ in range(3):  # each widening shrinks the drawing, and so moves the labels a little
        box = ax.get_window_extent(renderer)
        spans = [text.get_window_extent(renderer) for text in ax.texts]
        over = [
            max(0.0, box.x0 - min(b.x0 for b in spans) + 2),
            max(0.0, max(b.x1 for b in spans) - box.x1 + 2),
            max(0.0, box.y0 - min(b.y0 for b in spans) + 2),
            max(0.0, max(b.y1 for b in spans) - box.y1 + 2),
        ]
        if not any(over):
            return
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        per = max((x1 - x0) / box.width, (y1 - y0) / box.height)  # data units per point
        ax.set_xlim(x0 - over[0] * per, x1 + over[1] * per)
        ax.set_ylim(y0 - over[2] * per, y1 + over[3] * per)


@functools.cache
def _labels_fit(t: Technique, position: int, width: float, height: float) -> bool:
    """Whether the labels of a drawing this size stay clear of its mat's edge (or wholly on it)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch

    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    draw(ax, t, position)
    if not ax.texts:
        return True
    renderer = _renderer(fig)
    for text in ax.texts:
        box = text.get_window_extent(renderer)
        for mat in (p for p in ax.patches if isinstance(p, FancyBboxPatch)):
            edge = mat.get_window_extent(renderer)
            inside = edge.x0 <= box.x0 and box.x1 <= edge.x1 and edge.y0 <= box.y0 and box.y1 <= edge.y1
            if edge.overlaps(box) and not inside:
                return False
    return True


#: The widest a drawing grows (inches) so that its labels, at a readable size, fit its mat.
WIDEST = 3.6


def picture(t: Technique, width: float) -> Picture:
    """The drawing of ``t`` about ``width`` inches wide (wider if its labels need it to fit),
    never much taller than wide."""
    positions = [m.name for m in t.movement] if t.is_movement else [""]
    panels = []
    for k, name in enumerate(positions):
        aspect = _aspect(t, k)
        w = width
        while True:
            h = min(w / aspect, w * 1.1)
            if w >= WIDEST or _labels_fit(t, k, round(h * aspect, 2), round(h, 2)):
                break
            w += 0.1
        panels.append((h * aspect, h, name))
    return Picture(t, tuple(panels))


@dataclass(frozen=True)
class Block:
    """Lines in a column (and a drawing left of them), kept together on a page where it fits."""

    lines: tuple[Line, ...]
    left: float  # inches from the page's left edge to the words
    picture: Picture | None = None
    rule: bool = False  # a line across the page above it
    pad: float = 0.0
    closing: bool = False  # one of the safety notes that close the last page

    @property
    def text_height(self) -> float:
        return sum(line.height for line in self.lines)

    @property
    def height(self) -> float:
        drawn = self.picture.height if self.picture else 0.0
        return max(self.text_height, drawn) + 2 * self.pad


def _text_block(paras: Sequence[Para], **kw: Any) -> Block:
    width = A4[0] - 2 * MARGIN
    return Block(tuple(line for p in paras for line in wrap(p, width)), MARGIN, **kw)


def _stretch_block(stretch: Stretch, drawing_width: float, rule: bool) -> Block:
    drawn = picture(stretch.technique, drawing_width)
    left = MARGIN + max(drawing_width, drawn.width) + GAP
    width = A4[0] - MARGIN - left
    lines = tuple(line for p in stretch.paras for line in wrap(p, width))
    return Block(lines, left, drawn, rule=rule, pad=PAD)


def _split(block: Block, room: float) -> tuple[Block, Block]:
    """A block too tall for any page: the lines that fit ``room`` inches, then the rest."""
    used, k = 2 * block.pad, 0
    while k < len(block.lines) and used + block.lines[k].height <= room:
        used += block.lines[k].height
        k += 1
    k = max(k, 1)
    rest = block.lines[k:]
    if rest:  # the words go on at the top of the next page
        rest = (replace(rest[0], space_before=0.0), *rest[1:])
    return replace(block, lines=block.lines[:k]), replace(block, lines=rest, picture=None, rule=False)


# --- pages -------------------------------------------------------------------------------------------

_TOP = A4[1] - MARGIN
_BOTTOM = MARGIN + FOOTER * LEADING / 72 + 0.06  # above the page line ("page 1 of 2")
Page = list[tuple[Block, float]]  # each block and its top, in inches from the page's foot


def _flow(sheet: Sheet, drawing_width: float) -> list[Page]:
    """The sheet's blocks, page by page, with the drawings ``drawing_width`` inches wide."""
    header = _text_block([Para(sheet.title, TITLE, bold=True), *sheet.lead], pad=0.04)
    stretches = [_stretch_block(s, drawing_width, rule=True) for s in sheet.stretches]
    # The safety notes, each whole, may go on over a page; the first has a rule above it.
    footer = [
        _text_block([replace(p, space_before=p.space_before + (4 if k else 8))], rule=not k, closing=True)
        for k, p in enumerate(sheet.footer)
    ]
    body = _TOP - _BOTTOM
    pages: list[Page] = [[]]
    y = _TOP

    def new_page() -> None:
        nonlocal y
        pages.append([])
        y = _TOP

    for block in [header, *stretches, *footer]:
        while block.height > y - _BOTTOM:
            if pages[-1] and (block.height <= body or y - _BOTTOM < body / 2):
                new_page()  # it starts afresh on the next page
                continue
            first, block = _split(block, y - _BOTTOM)  # taller than a page: it goes on over the next
            pages[-1].append((first, y))
            new_page()
        pages[-1].append((block, y))
        y -= block.height
    last = pages[-1]
    block, top = last[-1]
    drop = top - block.height - _BOTTOM  # the safety notes close the last page, at its foot
    pages[-1] = [(b, t - drop) if b.closing else (b, t) for b, t in last]
    return pages


def _draw_lines(fig: Figure, block: Block, top: float) -> None:
    width, height = A4
    y = top - block.pad
    for line in block.lines:
        y -= line.space_before / 72
        baseline = y - line.size * (LEADING - 0.35) / 72
        for x, text, bold in line.runs:
            fig.text(
                (block.left + x / 72) / width,
                baseline / height,
                text,
                fontsize=line.size,
                weight="bold" if bold else "normal",
                color=line.colour,
                va="baseline",
            )
        y -= line.size * LEADING / 72


def _draw_picture(fig: Figure, picture: Picture, column: float, top: float) -> None:
    width, height = A4
    y = top
    for k, (w, h, name) in enumerate(picture.panels):
        left = MARGIN + (column - w) / 2
        if name:  # a paced movement's position, named above its drawing
            fig.text(
                (left + w / 2) / width,
                (y - 0.02) / height,
                name,
                fontsize=LABEL + 1,
                color=MUTED,
                ha="center",
                va="top",
            )
            y -= _TITLE_H
        ax = fig.add_axes((left / width, (y - h) / height, w / width, h / height))
        draw(ax, picture.technique, k)
        y -= h


def _rule(fig: Figure, y: float) -> None:
    from matplotlib.lines import Line2D

    width, height = A4
    xs = [MARGIN / width, 1 - MARGIN / width]
    fig.add_artist(Line2D(xs, [y / height] * 2, transform=fig.transFigure, color=CARD_EDGE, lw=0.8))


def _render(pages: list[Page], title: str) -> list[Figure]:
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    figures = []
    for n, placed in enumerate(pages, 1):
        fig = Figure(figsize=A4)
        for i, (block, top) in enumerate(placed):
            if block.rule and i > 0:
                _rule(fig, top)
            _draw_lines(fig, block, top)
            if block.picture is not None:
                _draw_picture(fig, block.picture, block.left - GAP - MARGIN, top - block.pad)
        if len(pages) > 1:
            line = f"{title}: page {n} of {len(pages)}"
            x, y = 1 - MARGIN / A4[0], (MARGIN + FOOTER * 0.3 / 72) / A4[1]  # its descenders above the margin
            fig.text(x, y, line, fontsize=FOOTER, color=MUTED, ha="right", va="baseline")
        for artist in fig.findobj(Text):  # content is text: a '$' in a step is a dollar sign, never maths
            artist.set_parse_math(False)
        figures.append(fig)
    return figures


def pages(sheet: Sheet) -> list[Figure]:
    """The sheet on A4 pages: the fewest it fits, with its drawings as large as those allow."""
    layouts = [_flow(sheet, w) for w in DRAWING_WIDTHS]
    fewest = min(len(layout) for layout in layouts)
    return _render(next(layout for layout in layouts if len(layout) == fewest), sheet.title)
