"""Exports: the journal as CSV, and a routine's printable handout (a one-page PDF, or HTML).

Both are written to a temporary file next to the target and then moved into place, so
an interrupted export never leaves a half-written file where the old one was.
"""

from __future__ import annotations

import csv
import html
import os
import tempfile
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .content import Course, Technique, num
from .drawing import draw_pose
from .journal import SessionRecord
from .look import CARD_EDGE, INK, MUTED
from .wording import cite, duration, held_for, stop_rule, urgent_care

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "CSV_COLUMNS",
    "MY_FILES",
    "Printable",
    "handout_figure",
    "routine_handout",
    "routine_handout_html",
    "write_sessions_csv",
]


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


#: One row per session. ``minutes`` and ``seconds_spent`` are the time actually spent (pauses
#: excluded), ``planned_seconds`` the routine's nominal length; ``status`` is complete (every
#: stretch done), partial (``stretches_skipped`` lists the rest) or empty for a session
#: recorded before the journal kept it.
CSV_COLUMNS = (
    "id",
    "started_at",
    "routine",
    "techniques",
    "status",
    "stretches_done",
    "stretches_skipped",
    "minutes",
    "seconds_spent",
    "planned_seconds",
    "pain_before",
    "pain_after",
    "pain_change",
    "note",
)

#: Where the lessons save what they make for a learner (the CSV, the handouts): the
#: learner's own folder beside the lessons, never among them (notebooks/my-files/).
MY_FILES = Path("my-files")

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
                    s.status,
                    "" if s.done is None else " ".join(s.done),
                    " ".join(s.skipped),
                    f"{s.minutes:.2f}",
                    num(round(s.duration_seconds, 1)),
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
    hold = getattr(item, "hold", None)
    lines = [("name", f"{index + 1}. {t.name}"), ("dose", routine.describe(item))]
    for n, step in enumerate(t.steps, 1):
        wrapped = _wrap(held_for(step, t, hold), width - 4)
        lines.append(("step", f"{n}. {wrapped[0]}"))
        lines += [("step", f"    {w}") for w in wrapped[1:]]
    if t.cautions:
        caution = held_for(t.cautions[0].text, t, hold)
        lines += [("caution", w) for w in _wrap(f"Take care: {caution}", width)]
    return lines


def _footer(course: Course) -> list[str]:
    """The handout's closing paragraphs, the same on paper and on the web page: the stop rule,
    when to get urgent care, and the limits the routine's holds and repeats stay within."""
    r = course.routine
    return [
        f"Safety: {stop_rule(course)}",
        f"Urgent care: {urgent_care(course)}",
        f"Holds stay within {num(r.hold_min)}-{num(r.hold_max)} s ({cite(course, r.hold_source)}); "
        f"repeats within {r.reps_min}-{r.reps_max} ({cite(course, r.reps_source)}). Made with stretchkit.",
    ]


def handout_figure(routine: Printable) -> Figure:
    """The handout page as a matplotlib Figure (A4 portrait)."""
    from matplotlib.figure import Figure
    from matplotlib.text import Text

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
        slot = (row - 0.2) / positions  # a paced movement's positions one above the other
        title = 0.16 if t.is_movement else 0.0
        for k in range(positions):
            bottom = top - 0.1 - (k + 1) * slot
            ax = fig.add_axes((MARGIN / width, bottom / height, PICTURE / width, (slot - title) / height))
            draw_pose(ax, t, position=k)
            ax.set_title(t.movement[k].name if t.is_movement else "", fontsize=7, color=MUTED, pad=2)
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
    footer = _footer(course)
    y = FOOTER - 0.15
    fig.add_artist(_rule(fig, FOOTER / height, CARD_EDGE))
    for paragraph in footer:
        for line in _wrap(paragraph, int((width - 2 * MARGIN) / 0.058)):
            fig.text(MARGIN / width, y / height, line, fontsize=7.5, color=INK, va="top")
            y -= 7.5 * 1.4 / 72
        y -= 0.05
    for artist in fig.findobj(Text):  # content is text: a '$' in a step is a dollar sign, never maths
        artist.set_parse_math(False)
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


# --- the printable HTML handout (the browser-only site has no PDF maker) -----------------------

_HANDOUT_CSS = f"""
body {{ font-family: "DejaVu Sans", Verdana, sans-serif; color: {INK}; background: #fff;
  max-width: 46em; margin: 1.5em auto; padding: 0 1em; line-height: 1.4; }}
h1 {{ font-size: 1.6em; margin: 0 0 0.2em; }}
.lead, .dose, .caution, footer {{ color: {MUTED}; }}
.print {{ font: inherit; font-size: 1.05em; padding: 0.45em 1.1em; margin: 0.6em 0 1em;
  border: 2px solid {INK}; border-radius: 6px; background: #fff; color: {INK}; cursor: pointer; }}
.print:focus-visible {{ outline: 3px solid #1d4ed8; outline-offset: 2px; }}
section {{ display: grid; grid-template-columns: 15em 1fr; gap: 1em; padding: 0.8em 0;
  border-top: 1px solid {CARD_EDGE}; break-inside: avoid; }}
section svg {{ width: 100%; height: auto; }}
h2 {{ font-size: 1.15em; margin: 0; }}
ol {{ margin: 0.3em 0; padding-left: 1.4em; }}
footer {{ border-top: 1px solid {CARD_EDGE}; padding-top: 0.6em; font-size: 0.85em; }}
@media print {{ .print, .howto {{ display: none; }} body {{ margin: 0; max-width: none; }}
  @page {{ size: A4; margin: 12mm; }} }}
"""


def routine_handout_html(
    routine: Printable, path: str | os.PathLike[str], pictures: Callable[[str], str]
) -> Path:
    """Write the routine as a printable HTML page: drawings, steps, holds and the safety notes.

    The same facts as the PDF handout, for where no PDF can be made (the browser-only site):
    open the file in a web browser and print it, or save it as PDF from the print dialog.
    ``pictures(slug)`` gives a technique's drawing as inline SVG markup.
    """
    course = routine.course
    e = html.escape
    total = f"About {duration(routine.total_seconds)} in all, with time to get ready and change sides. "
    rest = f"Rest {num(routine.rest_between)} s between stretches. " if routine.rest_between else ""
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(routine.title)}</title><style>{_HANDOUT_CSS}</style></head><body>",
        f'<header><h1>{e(routine.title)}</h1><p class="lead">{e(total + rest + course.closing[0])}</p>',
        '<p class="howto">To print, press the button or Ctrl+P (Cmd+P on a Mac); choose '
        '"Save as PDF" there for a PDF file.</p>',
        '<button class="print" type="button" onclick="window.print()">Print this handout</button></header>',
        "<main>",
    ]
    for i, item in enumerate(routine.items):
        t = routine.technique(item.technique)
        hold = getattr(item, "hold", None)
        steps = "".join(f"<li>{e(held_for(step, t, hold))}</li>" for step in t.steps)
        # A web page has room for every caution (the one-page PDF keeps the first, in a readable size).
        cautions = " ".join(e(held_for(c.text, t, hold)) for c in t.cautions)
        caution = f'<p class="caution">Take care: {cautions}</p>' if t.cautions else ""
        parts.append(
            f'<section aria-labelledby="item-{i + 1}"><div>{pictures(t.slug)}</div><div>'
            f'<h2 id="item-{i + 1}">{i + 1}. {e(t.name)}</h2><p class="dose">{e(routine.describe(item))}</p>'
            f"<ol>{steps}</ol>{caution}</div></section>"
        )
    footer = _footer(course)
    parts.append("</main><footer>" + "".join(f"<p>{e(p)}</p>" for p in footer) + "</footer></body></html>\n")
    with _replacing(path) as (target, f):
        f.write("\n".join(parts))
    return target
