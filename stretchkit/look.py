"""The course's look in one place: palette, matplotlib style, SVG titles and figure HTML.

Lesson figures, journal charts and the printable handout share one light card and one
set of colours, so they read the same in JupyterLab's light and dark themes; every SVG
is made byte-identical from run to run (notebook tests compare them). matplotlib is
imported only inside :func:`style`, when something is drawn.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "ACCENT",
    "BLUE",
    "CARD",
    "CARD_EDGE",
    "FAR",
    "FLOOR",
    "GREEN",
    "GRID",
    "INK",
    "MUTED",
    "PROP",
    "TOWEL",
    "VERMILLION",
    "card_figure",
    "figure_html",
    "style",
    "svg_img",
    "svg_with_title",
]

# --- palette: a light card, so pictures read the same in light and dark themes -------------

CARD = "#fbfaf6"
CARD_EDGE = "#c9c4b8"
INK = "#1f2430"  # text, and the near limbs, trunk and head of a figure
MUTED = "#5b6170"
GRID = "#e4e0d6"
FAR = "#8a919c"  # limbs on the far side of the body
PROP = "#8b6a4e"  # chair, mat edge
FLOOR = "#9a9384"
TOWEL = "#c2410c"
ACCENT = "#1d4ed8"  # arrows and the stretch marker
# Okabe-Ito colours for chart series, distinguishable with common colour-vision
# differences; every series also differs in marker or line style.
BLUE = "#0072B2"
VERMILLION = "#D55E00"
GREEN = "#009E73"
#: Caption text in a notebook, with JupyterLab's theme colour first.
CAPTION_INK = "#4b5160"

# --- matplotlib --------------------------------------------------------------------------------

#: Settings every drawing shares: no font needed in the browser, the same bytes on every machine.
_RC: dict[str, Any] = {
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "figure.dpi": 72,
    "savefig.dpi": 72,
    "path.simplify": False,
    # Content text is text: a '$' in a stretch's name is a dollar sign, never maths.
    "text.parse_math": False,
}


@contextmanager
def style(salt: str, extra: Mapping[str, Any] | None = None) -> Iterator[None]:
    """matplotlib's defaults plus ours, for this block only (the user's rcParams stay as they are).

    ``salt`` seeds the SVG element ids, so each kind of picture keeps its own stable ids.
    """
    import matplotlib
    import matplotlib.style

    rc: Any = {**_RC, "svg.hashsalt": salt, **(extra or {})}
    with matplotlib.style.context("default"), matplotlib.rc_context(rc):
        yield


def svg_with_title(svg: str, title: str) -> str:
    """matplotlib's SVG with a ``<title>``, which names the picture when it is placed inline."""
    head, sep, rest = svg.partition("\n <metadata>")
    if not sep:
        return svg
    return f"{head}\n <title>{html.escape(title, quote=False)}</title>{sep}{rest}"


def card_figure(width: float, height: float) -> Figure:
    """A figure drawn on the course's light card with rounded corners, transparent around it."""
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


# --- notebook HTML -----------------------------------------------------------------------------


def svg_img(svg: bytes, alt: str) -> str:
    """An ``<img>`` holding the SVG as a data URI: works offline, on GitHub and in exported HTML."""
    data = base64.b64encode(svg).decode("ascii")
    return (
        f'<img src="data:image/svg+xml;base64,{data}" alt="{html.escape(alt, quote=True)}" '
        'style="max-width:100%;height:auto">'
    )


def figure_html(css_class: str, body: str, caption: str, *, centered: bool = False) -> str:
    """A ``<figure>`` with a caption, coloured from JupyterLab's theme with light fallbacks."""
    layout = (
        "margin:1em 0;padding:0;max-width:100%;text-align:center;"
        if centered
        else "margin:1em 0;max-width:100%;"
    )
    caption_style = f"font-size:0.92em;margin-top:0.4em;color:var(--jp-content-font-color2,{CAPTION_INK})"
    return (
        f'<figure class="{css_class}" style="{layout}color:var(--jp-content-font-color1,{INK})">{body}'
        f'<figcaption style="{caption_style}">{html.escape(caption)}</figcaption></figure>'
    )
