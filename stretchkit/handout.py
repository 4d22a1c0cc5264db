"""A routine on paper and on screen: its handouts (PDF and a page to print) and its drawings.

The :class:`~stretchkit.routine.Routine` model knows the stretches, their doses and the timer
plan; this page-layer module draws it: the picture for each moment of a guided session, what
its handout says (every caution of each stretch, both tiers of red flags; or blanks for an
educator to fill in), as a PDF (laid out by :mod:`stretchkit.handout_pdf`; matplotlib, so not
in the browser-only site) and as an HTML page to print from a browser, and the lesson's words
on where they were saved.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import handout_pdf as pdf
from .course import Course, Technique, num
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
    "handout_pages",
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


def write_handout(routine: Routine, path: str | os.PathLike[str], *, blanks: bool = False) -> Path:
    """Write a printable handout of ``routine`` (drawings, steps, holds) for a class.

    A ``.pdf`` path gets the PDF (matplotlib, so not in the browser-only site); an ``.html``
    path gets the same facts as a web page to print from a browser. ``blanks=True`` leaves
    the holds and repeats blank for an educator to fill in by hand ("Hold ____ s").
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".html":
        return routine_handout_html(routine, path, blanks=blanks)
    if suffix != ".pdf":
        raise ValueError(f"path: a handout is a .pdf or .html file, got {str(path)!r}")
    return routine_handout(routine, path, blanks=blanks)


def handouts(
    routine: Routine,
    stem: str = "my-routine",
    *,
    folder: str | os.PathLike[str] = MY_FILES,
    browser: bool | None = None,
    blanks: bool = False,
) -> Section:
    """Write the handouts into the learner's own folder and say how to print them.

    In JupyterLab: the PDF and the HTML page. In the browser-only site, where no PDF can
    be made, the lesson says so plainly and offers the HTML page as a download: the site's
    file viewer cannot print (its frame is sandboxed), a downloaded page can.
    """
    if not isinstance(stem, str) or not stem.strip() or "/" in stem or "\\" in stem:
        raise ValueError(f"stem: a file name without a folder or suffix, got {stem!r}")
    if not isinstance(blanks, bool):
        raise TypeError(f"blanks: True or False, got {blanks!r}")
    page = write_handout(routine, Path(folder) / f"{stem}.html", blanks=blanks)
    kind = "handout with blanks for the holds and repeats" if blanks else "routine handout"
    if browser if browser is not None else in_browser():
        data = base64.b64encode(page.read_bytes()).decode("ascii")
        link = f'<a href="data:text/html;base64,{data}" download="{page.name}">Download {page.name}</a>'
        return Section(
            "**The PDF handout needs the course installed on a computer** (its PDF maker does not run "
            f"in the browser). Here you get the same {kind} as a web page, saved as {page.name} in "
            f"{page.parent.as_posix()}. To print it: {link}, open the downloaded page in your web "
            'browser and press its "Print this handout" button (or Ctrl+P, Cmd+P on a Mac); choose '
            '"Save as PDF" in the print dialog for a PDF file. (The file viewer here cannot print.)'
        )
    pdf = write_handout(routine, Path(folder) / f"{stem}.pdf", blanks=blanks)
    return Section(
        f"Saved your {kind}: [{pdf.name}]({pdf.as_posix()}), to print, and the same handout as a web "
        f"page, [{page.name}]({page.as_posix()}), to print from a web browser (download it first: "
        "right-click it in the file browser, then Download)."
    )


# --- what the handout says (the same on paper and on the web page) ------------------------------

#: A blank for an educator to fill in by hand, as physiotherapists' exercise sheets have.
BLANK = "______"


def _lead(routine: Routine, blanks: bool) -> list[str]:
    """The paragraphs under the title: how long in all (or the blanks to fill in), the closing note."""
    if blanks:
        rest = f"Rest {BLANK} s between stretches. " if routine.rest_between else ""
        return [
            f"For: {BLANK}{BLANK}   Given by: {BLANK}{BLANK}   Date: {BLANK}",
            f"{rest}Do this routine {BLANK} times a day. {routine.course.closing[0]}",
        ]
    total = f"About {duration(routine.total_seconds)} in all, with time to get ready and change sides. "
    rest = f"Rest {num(routine.rest_between)} s between stretches. " if routine.rest_between else ""
    return [f"{total}{rest}{routine.course.closing[0]}"]


def _blank_dose(t: Technique) -> str:
    """How a stretch is timed, with blanks for its numbers: 'Each side: hold ____ s, repeat ____ times'."""
    if t.is_movement:
        pace = ", ".join(f"{m.name} {BLANK} s" for m in t.movement)
        return f"{pace}; repeat {BLANK} times"
    return f"{'Each side: hold' if t.sides == 2 else 'Hold'} {BLANK} s, repeat {BLANK} times"


def _said(text: str, t: Technique, hold: float | None, blanks: bool) -> str:
    """A step or caution as this handout says it: the routine's own hold, or a blank for it."""
    if blanks and t.hold_seconds is not None:
        return re.sub(rf"\b{re.escape(num(t.hold_seconds))} seconds\b", f"{BLANK} seconds", text)
    return held_for(text, t, hold)


@dataclass(frozen=True)
class _Item:
    """One stretch as the handout says it."""

    technique: Technique
    name: str
    dose: str
    steps: tuple[str, ...]
    cautions: tuple[str, ...]


def _items(routine: Routine, blanks: bool) -> list[_Item]:
    out = []
    for i, item in enumerate(routine.items):
        t = routine.technique(item.technique)
        hold = getattr(item, "hold", None)
        out.append(
            _Item(
                t,
                f"{i + 1}. {t.name}",
                _blank_dose(t) if blanks else routine.describe(item),
                tuple(_said(step, t, hold, blanks) for step in t.steps),
                tuple(_said(c.text, t, hold, blanks) for c in t.cautions),  # every caution, never only one
            )
        )
    return out


def _footer(course: Course) -> list[tuple[str, str]]:
    """The handout's closing notes as (bold heading, text): the stop rule, both tiers of red
    flags (999 at once; 111 or an urgent GP appointment), and the limits of holds and repeats."""
    s, r = course.safety, course.routine
    notes = [
        ("Safety:", stop_rule(course)),
        (s.emergency_heading, urgent_care(course, "emergency", heading=False)),
        (s.urgent_heading, urgent_care(course, "urgent", heading=False)),
    ]
    if s.red_flags_note is not None:
        notes.append(("", s.red_flags_note.text))
    notes.append(
        (
            "",
            f"Holds stay within {num(r.hold_min)}-{num(r.hold_max)} s ({cite(course, r.hold_source)}); "
            "each stretch's repeats stay within what its own source gives. Made with stretchkit.",
        )
    )
    return notes


# --- the PDF handout ----------------------------------------------------------------------------

_PDF_METADATA = {"Creator": "stretchkit", "CreationDate": None, "ModDate": None}


def _sheet(routine: Routine, blanks: bool) -> pdf.Sheet:
    """What the PDF says, as paragraphs for :mod:`handout_pdf` to place."""
    stretches = []
    for item in _items(routine, blanks):
        paras = [
            pdf.Para(item.name, pdf.NAME, bold=True),
            pdf.Para(item.dose, bold=True, colour=MUTED, space_before=1),
            *(pdf.Para(step, marker=f"{n}.", space_before=1.5) for n, step in enumerate(item.steps, 1)),
        ]
        if item.cautions:
            paras.append(pdf.Para("", lead="Take care:", space_before=4))
            paras += [pdf.Para(c, marker="•", space_before=1) for c in item.cautions]
        stretches.append(pdf.Stretch(item.technique, tuple(paras)))
    lead = [pdf.Para(text, colour=MUTED, space_before=4) for text in _lead(routine, blanks)]
    footer = [
        pdf.Para(text, pdf.FOOTER, lead=head, colour=INK if head else MUTED)
        for head, text in _footer(routine.course)
    ]
    return pdf.Sheet(routine.title, tuple(lead), tuple(stretches), tuple(footer))


def handout_pages(routine: Routine, *, blanks: bool = False) -> list[Figure]:
    """The PDF handout's pages as matplotlib Figures (A4 portrait): one or two for most routines."""
    return pdf.pages(_sheet(routine, blanks))


def routine_handout(routine: Routine, path: str | os.PathLike[str], *, blanks: bool = False) -> Path:
    """Write the routine as a printable PDF: drawings, steps, holds and safety notes, for a class."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    figures = handout_pages(routine, blanks=blanks)
    # TrueType fonts keep the text selectable and readable by screen readers.
    with (
        matplotlib.rc_context({"pdf.fonttype": 42}),
        replacing(path, "wb") as (target, f),
        PdfPages(f, metadata=_PDF_METADATA) as book,
    ):
        for figure in figures:
            book.savefig(figure)
    return target


# --- the printable HTML handout (the browser-only site has no PDF maker) -----------------------

_HANDOUT_CSS = f"""
body {{ font-family: "DejaVu Sans", Verdana, sans-serif; color: {INK}; background: #fff;
  max-width: 46em; margin: 1.5em auto; padding: 0 1em; line-height: 1.4; }}
h1 {{ font-size: 1.6em; margin: 0 0 0.2em; }}
.lead, .dose {{ color: {MUTED}; }}
.dose {{ font-weight: bold; margin: 0.2em 0; }}
.print {{ font: inherit; font-size: 1.05em; padding: 0.45em 1.1em; margin: 0.6em 0 1em;
  border: 2px solid {INK}; border-radius: 6px; background: #fff; color: {INK}; cursor: pointer; }}
.print:focus-visible {{ outline: 3px solid #1d4ed8; outline-offset: 2px; }}
.howto {{ border-left: 4px solid {CARD_EDGE}; padding-left: 0.6em; }}
section {{ display: grid; grid-template-columns: 15em 1fr; gap: 1em; padding: 0.8em 0;
  border-top: 1px solid {CARD_EDGE}; break-inside: avoid; }}
section svg {{ width: 100%; height: auto; }}
h2 {{ font-size: 1.15em; margin: 0; }}
ol, ul {{ margin: 0.3em 0; padding-left: 1.4em; }}
.caution {{ margin: 0.5em 0 0; }}
footer {{ border-top: 1px solid {CARD_EDGE}; padding-top: 0.6em; font-size: 0.95em; }}
.blank {{ display: inline-block; min-width: 4em; border-bottom: 1.5px solid {INK}; }}
.sr {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }}
@media (max-width: 36em) {{ section {{ grid-template-columns: 1fr; }}
  section svg {{ max-width: 20em; }} }}
@media print {{ .print, .howto {{ display: none; }} body {{ margin: 0; max-width: none; }}
  @page {{ size: A4; margin: 12mm; }} }}
"""

#: What the page says about printing, chosen by its script: inside a viewer that cannot print
#: (also the page's words when scripts do not run there), with the print button, or by the keys.
PRINT_ELSEWHERE = (
    "This viewer cannot print. Download the handout (in Jupyter: right-click it in the file browser, "
    "then Download; or use the lesson's download link), open the downloaded file in your web browser "
    "and print it there."
)
PRINT_BUTTON = (
    'To print, press the button or Ctrl+P (Cmd+P on a Mac); choose "Save as PDF" there for a PDF file.'
)
PRINT_KEYS = (
    'To print, press Ctrl+P (Cmd+P on a Mac) or use your browser\'s Print menu; choose "Save as PDF" '
    "there for a PDF file."
)

# A sandboxed frame without allow-modals (JupyterLab's and JupyterLite's HTML viewer) ignores
# window.print(); an opaque origin (a server's "sandbox" policy) does too. Neither gets a button
# that does nothing: the page says where printing works instead.
_PRINT_SCRIPT = """<script>
(function () {
  var howto = document.getElementById("sk-howto"), button = document.getElementById("sk-print");
  var framed = true, frame = null;
  try { framed = window.self !== window.top; frame = window.frameElement; } catch (e) {}
  var blocked = frame ? frame.hasAttribute("sandbox") && !frame.sandbox.contains("allow-modals") : framed;
  if (framed && blocked) return;
  if (window.origin === "null" && location.protocol !== "file:") { howto.textContent = %s; return; }
  howto.textContent = %s;
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
</script>"""


def _html_text(text: str) -> str:
    """Content text for the page, escaped, its blanks drawn as lines a reader hears as 'blank'."""
    return html.escape(text).replace(BLANK, '<span class="blank"><span class="sr">blank</span></span>')


def _html_item(i: int, item: _Item, course: Course) -> str:
    e = _html_text
    steps = "".join(f"<li>{e(step)}</li>" for step in item.steps)
    cautions = (
        '<p class="caution"><strong>Take care:</strong></p><ul>'
        + "".join(f"<li>{e(c)}</li>" for c in item.cautions)
        + "</ul>"
        if item.cautions
        else ""
    )
    return (
        f'<section aria-labelledby="item-{i}"><div>{pose_svg(item.technique.slug, course)}</div><div>'
        f'<h2 id="item-{i}">{e(item.name)}</h2><p class="dose">{e(item.dose)}</p>'
        f"<ol>{steps}</ol>{cautions}</div></section>"
    )


def routine_handout_html(routine: Routine, path: str | os.PathLike[str], *, blanks: bool = False) -> Path:
    """Write the routine as a printable HTML page: drawings, steps, holds and the safety notes.

    The same facts as the PDF handout, for where no PDF can be made (the browser-only site):
    open the file in a web browser and print it, or save it as PDF from the print dialog.
    """
    course = routine.course
    e = _html_text
    script = _PRINT_SCRIPT % (json.dumps(PRINT_KEYS), json.dumps(PRINT_BUTTON))
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(routine.title)}</title><style>{_HANDOUT_CSS}</style></head><body>",
        f"<header><h1>{e(routine.title)}</h1>",
        *(f'<p class="lead">{e(text)}</p>' for text in _lead(routine, blanks)),
        f'<p class="howto" id="sk-howto">{e(PRINT_ELSEWHERE)}</p>',
        '<button class="print" id="sk-print" type="button" hidden>Print this handout</button>',
        "</header><main>",
        *(_html_item(i, item, course) for i, item in enumerate(_items(routine, blanks), 1)),
        "</main><footer>",
        *(
            f"<p><strong>{e(head)}</strong> {e(text)}</p>" if head else f"<p>{e(text)}</p>"
            for head, text in _footer(course)
        ),
        f"</footer>{script}</body></html>\n",
    ]
    with replacing(path) as (target, f):
        f.write("\n".join(parts))
    return target
