"""A routine on paper and on screen: its handouts (PDF and a page to print) and its drawings.

The :class:`~stretchkit.routine.Routine` model knows the stretches, their doses and the timer
plan; this page-layer module draws it: the picture for each moment of a guided session, the
one-page PDF handout (matplotlib, so not in the browser-only site), the same handout as an
HTML page to print from a browser, and the lesson's words on where they were saved.
"""

from __future__ import annotations

import html
import os
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .content import Course, Technique, num
from .drawing import draw_pose
from .export import MY_FILES, replacing
from .figures import panel_count, panel_for, pose_svg
from .lessons import Section, in_browser
from .look import CARD_EDGE, INK, MUTED
from .plan import Phase, Plan
from .routine import GET_READY, SWITCH, Routine
from .wording import SIDES, cite, duration, held_for, stop_rule, urgent_care

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "handout_figure",
    "handouts",
    "illustrated_plan",
    "phase_image",
    "routine_handout",
    "routine_handout_html",
    "write_handout",
]


# --- the guided session's drawings --------------------------------------------------------


def phase_image(routine: Routine, t: Technique, phase: Phase) -> str:
    """The drawing for one moment: the position moved to, or the side held (large, alone)."""
    if not panel_count(t):
        return pose_svg(t, routine.course)
    if phase.kind == "switch":  # changing sides: show the side to come
        return pose_svg(t, routine.course, panel=panel_for(t, side=SIDES[-1]))
    return pose_svg(t, routine.course, panel=panel_for(t, side=phase.side, position=phase.label))


def illustrated_plan(routine: Routine, *, get_ready: float = GET_READY, switch: float = SWITCH) -> Plan:
    """The routine's timer plan with each phase's drawing, for the guided session."""
    return routine.plan(
        get_ready=get_ready, switch=switch, image=lambda t, phase: phase_image(routine, t, phase)
    )


# --- writing the handouts --------------------------------------------------------------------


def write_handout(routine: Routine, path: str | os.PathLike[str]) -> Path:
    """Write a printable handout of ``routine`` (drawings, steps, holds) for a class.

    A ``.pdf`` path gets the one-page PDF (matplotlib, so not in the browser-only site);
    an ``.html`` path gets the same facts as a web page to print from a browser.
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".html":
        return routine_handout_html(routine, path)
    if suffix != ".pdf":
        raise ValueError(f"path: a handout is a .pdf or .html file, got {str(path)!r}")
    return routine_handout(routine, path)


def handouts(
    routine: Routine,
    stem: str = "my-routine",
    *,
    folder: str | os.PathLike[str] = MY_FILES,
    browser: bool | None = None,
) -> Section:
    """Write the handouts into the learner's own folder and say how to print them.

    In JupyterLab: the PDF and the HTML page. In the browser-only site, where no PDF
    can be made, the lesson says so plainly and offers the HTML page to print.
    """
    if not isinstance(stem, str) or not stem.strip() or "/" in stem or "\\" in stem:
        raise ValueError(f"stem: a file name without a folder or suffix, got {stem!r}")
    page = write_handout(routine, Path(folder) / f"{stem}.html")
    howto = (
        f"open [{page.name}]({page.as_posix()}) in your web browser and print it (Ctrl+P, or Cmd+P on a "
        'Mac); choose "Save as PDF" in the print dialog for a PDF file.'
    )
    if browser if browser is not None else in_browser():
        return Section(
            "**The PDF handout needs the course installed on a computer** (its PDF maker does not run "
            f"in the browser). Here you get the same handout as a web page, {page.name}: download it "
            "(right-click it in the file browser on the left, then Download), then " + howto
        )
    pdf = write_handout(routine, Path(folder) / f"{stem}.pdf")
    return Section(
        f"Saved your routine handout: [{pdf.name}]({pdf.as_posix()}), one printable page, and the same "
        f"handout as a web page, [{page.name}]({page.as_posix()}), to print from a web browser."
    )


# --- the printable handout ---------------------------------------------------------------

A4 = (8.27, 11.69)  # inches
MARGIN = 0.55
HEADER = 1.25
FOOTER = 1.35
PICTURE = 1.9  # inches of width for each stretch's drawing
_PDF_METADATA = {"Creator": "stretchkit", "CreationDate": None, "ModDate": None}


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width) or [""]


def _item_lines(routine: Routine, index: int, width: int) -> list[tuple[str, str]]:
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


def handout_figure(routine: Routine) -> Figure:
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


def routine_handout(routine: Routine, path: str | os.PathLike[str]) -> Path:
    """Write a one-page printable PDF of the routine: drawings, steps and holds, for a class."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    fig = handout_figure(routine)
    # TrueType fonts keep the text selectable and readable by screen readers.
    with (
        matplotlib.rc_context({"pdf.fonttype": 42}),
        replacing(path, "wb") as (target, f),
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


def routine_handout_html(routine: Routine, path: str | os.PathLike[str]) -> Path:
    """Write the routine as a printable HTML page: drawings, steps, holds and the safety notes.

    The same facts as the PDF handout, for where no PDF can be made (the browser-only site):
    open the file in a web browser and print it, or save it as PDF from the print dialog.
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
            f'<section aria-labelledby="item-{i + 1}"><div>{pose_svg(t.slug, course)}</div><div>'
            f'<h2 id="item-{i + 1}">{i + 1}. {e(t.name)}</h2><p class="dose">{e(routine.describe(item))}</p>'
            f"<ol>{steps}</ol>{caution}</div></section>"
        )
    footer = _footer(course)
    parts.append("</main><footer>" + "".join(f"<p>{e(p)}</p>" for p in footer) + "</footer></body></html>\n")
    with replacing(path) as (target, f):
        f.write("\n".join(parts))
    return target
