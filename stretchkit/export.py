"""Exports: the journal as CSV, and a one-page printable PDF handout of a routine.

Both are written to a temporary file next to the target and then moved into place, so
an interrupted export never leaves a half-written file where the old one was.
"""

from __future__ import annotations

import csv
import os
import tempfile
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .content import Course, Technique, num
from .drawing import draw_pose
from .journal import SessionRecord
from .look import CARD_EDGE, INK, MUTED
from .wording import cite, duration

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["CSV_COLUMNS", "Printable", "handout_figure", "routine_handout", "write_sessions_csv"]


class Printable(Protocol):
    """What the handout reads of a routine: :class:`stretchkit.routine.Routine` is one.

    Declared here rather than imported, so ``export`` sits below ``routine`` (whose
    ``handout`` method calls :func:`routine_handout`) and the two never import each other.
    """

    @property
    def title(self) -> str: ...
    @property
    def course(self) -> Course: ...
    @property
    def rest_between(self) -> float: ...
    @property
    def total_seconds(self) -> float: ...
    @property
    def items(self) -> Sequence[Any]: ...
    def technique(self, slug: str) -> Technique: ...
    def describe(self, item: Any) -> str: ...


CSV_COLUMNS = (
    "id",
    "started_at",
    "routine",
    "techniques",
    "minutes",
    "duration_seconds",
    "planned_seconds",
    "pain_before",
    "pain_after",
    "pain_change",
    "note",
)

#: Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Text as a spreadsheet shows it, never as a formula (a note like '=1+1' stays text)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


@contextmanager
def _replacing(path: str | os.PathLike[str], mode: str = "w") -> Iterator[tuple[Path, Any]]:
    """Write to a temporary file beside ``path`` and move it into place only when complete."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        if "b" in mode:
            with os.fdopen(fd, mode) as f:
                yield target, f
        else:
            with os.fdopen(fd, mode, encoding="utf-8", newline="") as f:
                yield target, f
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_sessions_csv(sessions: Sequence[SessionRecord], path: str | os.PathLike[str]) -> Path:
    """Write sessions to CSV (UTF-8, one row each, a header row first) and return the path."""
    with _replacing(path) as (target, f):
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        for s in sessions:
            writer.writerow(
                [
                    s.id,
                    s.started_at.isoformat(timespec="seconds"),
                    _cell(s.routine),
                    " ".join(s.techniques),
                    f"{s.minutes:.2f}",
                    num(s.duration_seconds),
                    "" if s.planned_seconds is None else num(s.planned_seconds),
                    "" if s.pain_before is None else s.pain_before,
                    "" if s.pain_after is None else s.pain_after,
                    "" if s.pain_change is None else s.pain_change,
                    _cell(s.note),
                ]
            )
    return target


# --- the printable handout ---------------------------------------------------------------

A4 = (8.27, 11.69)  # inches
MARGIN = 0.55
HEADER = 1.25
FOOTER = 1.35
PICTURE = 1.9  # inches of width for each stretch's drawing
_PDF_METADATA = {"Creator": "stretchkit", "CreationDate": None, "ModDate": None}


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width) or [""]


def _item_lines(routine: Printable, index: int, width: int) -> list[tuple[str, str]]:
    """(style, line) pairs for one stretch: name, dose, numbered steps, the first caution."""
    item = routine.items[index]
    t = routine.technique(item.technique)
    lines = [("name", f"{index + 1}. {t.name}"), ("dose", routine.describe(item))]
    for n, step in enumerate(t.steps, 1):
        wrapped = _wrap(step, width - 4)
        lines.append(("step", f"{n}. {wrapped[0]}"))
        lines += [("step", f"    {w}") for w in wrapped[1:]]
    if t.cautions:
        lines += [("caution", w) for w in _wrap(f"Take care: {t.cautions[0].text}", width)]
    return lines


def handout_figure(routine: Printable) -> Figure:
    """The handout page as a matplotlib Figure (A4 portrait)."""
    from matplotlib.figure import Figure

    course = routine.course
    fig = Figure(figsize=A4)
    width, height = A4
    fig.text(MARGIN / width, 1 - 0.6 / height, routine.title, fontsize=18, weight="bold", color=INK)
    total = f"About {duration(routine.total_seconds)} in all, with time to get ready and change sides. "
    rest = f"Rest {num(routine.rest_between)} s between stretches. " if routine.rest_between else ""
    subtitle = _wrap(f"{total}{rest}{course.closing[0]}", int((width - 2 * MARGIN) / 0.066))
    for k, line in enumerate(subtitle[:2]):
        fig.text(MARGIN / width, 1 - (0.85 + 0.17 * k) / height, line, fontsize=9, color=MUTED)
    n = len(routine.items)
    body = height - HEADER - FOOTER
    row = min(body / n, 2.4)
    text_left = MARGIN + PICTURE + 0.25
    chars = int((width - text_left - MARGIN) / 0.062)  # ~8 pt DejaVu Sans
    for i, item in enumerate(routine.items):
        top = height - HEADER - i * row
        lines = _item_lines(routine, i, chars)
        size = min(8.5, (row - 0.15) * 72 / (1.38 * len(lines)))
        step = size * 1.38 / 72
        t = routine.technique(item.technique)
        positions = len(t.movement) if t.is_movement else 1
        slot = PICTURE / positions
        for k in range(positions):
            ax = fig.add_axes(
                (
                    (MARGIN + k * slot) / width,
                    (top - row + 0.1) / height,
                    (slot - 0.08) / width,
                    (row - 0.2) / height,
                )
            )
            draw_pose(ax, t.slug, position=k)
            ax.set_title(t.movement[k].name if t.is_movement else "", fontsize=7, color=MUTED)
        y = top - 0.12
        for style, text in lines:
            weight = "bold" if style == "name" else "normal"
            colour = MUTED if style in ("dose", "caution") else INK
            extra = 1.15 if style == "name" else 1.0
            fig.text(
                text_left / width,
                y / height,
                text,
                fontsize=size * extra,
                weight=weight,
                color=colour,
                va="top",
            )
            y -= step * extra
        if i < n - 1:
            fig.add_artist(_rule(fig, (top - row) / height, CARD_EDGE))
    safety = course.safety
    footer = [
        "Safety: " + " ".join(i.text for i in safety.stop_when[:2]),
        f"Urgent care: {safety.emergency_heading} {'; '.join(i.text for i in safety.emergency)}. "
        f"{safety.emergency_intl}",
        f"Holds stay within {num(course.routine.hold_min)}-{num(course.routine.hold_max)} s "
        f"({cite(course, course.routine.hold_source)}); repeats within {course.routine.reps_min}-"
        f"{course.routine.reps_max} ({cite(course, course.routine.reps_source)}). Made with stretchkit.",
    ]
    y = FOOTER - 0.15
    fig.add_artist(_rule(fig, FOOTER / height, CARD_EDGE))
    for paragraph in footer:
        for line in _wrap(paragraph, int((width - 2 * MARGIN) / 0.058)):
            fig.text(MARGIN / width, y / height, line, fontsize=7.5, color=INK, va="top")
            y -= 7.5 * 1.4 / 72
        y -= 0.05
    return fig


def _rule(fig: Figure, y: float, colour: str) -> Any:
    from matplotlib.lines import Line2D

    width = A4[0]
    return Line2D(
        [MARGIN / width, 1 - MARGIN / width], [y, y], transform=fig.transFigure, color=colour, lw=0.8
    )


def routine_handout(routine: Printable, path: str | os.PathLike[str]) -> Path:
    """Write a one-page printable PDF of the routine: drawings, steps and holds, for a class."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    fig = handout_figure(routine)
    # TrueType fonts keep the text selectable and readable by screen readers.
    with (
        matplotlib.rc_context({"pdf.fonttype": 42}),
        _replacing(path, "wb") as (target, f),
        PdfPages(f, metadata=_PDF_METADATA) as pdf,
    ):
        pdf.savefig(fig)
    return target
