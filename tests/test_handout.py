"""The handouts as a reader gets them: the PDF read back from the file itself (pdfminer.six
reports each character's size and place), the HTML page's words, and an educator's sheet
with blanks for the holds and repeats.

The PDF's words are at least 11 pt, its safety notes 10 pt and its drawings' labels 9 pt;
everything stays inside the page's margins, no two lines overlap, and a routine of all five
stretches fits two pages. It carries every caution of each stretch and both tiers of red
flags, as the web page does.
"""

from __future__ import annotations

import base64
import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTPage, LTTextLine

from stretchkit import handout_pdf, load_course
from stretchkit.handout import BLANK, PRINT_BUTTON, PRINT_ELSEWHERE, handouts, write_handout
from stretchkit.routine import Routine, RoutineItem

COURSE = load_course()
SAFETY = COURSE.safety
FIVE = Routine(title="Morning class", rest_between=10)
TWO = Routine(["cat-camel", "childs-pose"])


@dataclass(frozen=True)
class TextLine:
    """One line of text as the PDF sets it: its words, sizes (pt) and box (pt from the foot)."""

    page: int
    text: str
    sizes: frozenset[float]
    box: tuple[float, float, float, float]
    chars: tuple[tuple[float, float, float, float], ...]


def read_pdf(path: Path) -> tuple[list[LTPage], list[TextLine]]:
    pages = list(extract_pages(path))
    lines: list[TextLine] = []

    def walk(n: int, node: object) -> None:
        if isinstance(node, LTTextLine):
            chars = [c for c in node if isinstance(c, LTChar) and c.get_text().strip()]
            if chars:
                lines.append(
                    TextLine(
                        n,
                        " ".join(node.get_text().split()),
                        frozenset(round(c.size, 2) for c in chars),
                        node.bbox,
                        tuple(c.bbox for c in chars),
                    )
                )
        elif hasattr(node, "__iter__"):
            for child in node:  # type: ignore[attr-defined]
                walk(n, child)

    for n, page in enumerate(pages, 1):
        walk(n, page)
    return pages, lines


def words(lines: list[TextLine]) -> str:
    """The words in reading order: page by page, top down, left to right; the drawings'
    labels (beside the words, between their lines) left out."""
    labels = _label_lines()
    ordered = sorted(lines, key=lambda line: (line.page, -round(line.box[3]), line.box[0]))
    return " ".join(line.text for line in ordered if line.text not in labels)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def five(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[LTPage], list[TextLine]]:
    return read_pdf(write_handout(FIVE, tmp_path_factory.mktemp("five") / "h.pdf"))


@functools.cache
def _label_lines() -> frozenset[str]:
    """Every line of every label the course's drawings carry, and a movement's position names."""
    from matplotlib.figure import Figure

    found = set()
    for t in COURSE.techniques:
        for k in range(len(t.movement) if t.is_movement else 1):
            ax = Figure(figsize=(3, 3)).add_axes((0, 0, 1, 1))
            handout_pdf.draw(ax, t, k)
            found |= {flat(line) for x in ax.texts for line in x.get_text().splitlines()}
        found |= {m.name for m in t.movement}
    return frozenset(found)


def test_every_word_is_set_large_enough_to_read(five: tuple[list[LTPage], list[TextLine]]) -> None:
    """Body text 11 pt or more; only the safety notes (and page line) at 10 pt; labels at 9 pt."""
    _, lines = five
    footer = flat(" ".join(f"{h} {t}" for h, t in _closing_notes()))
    labels = _label_lines()
    assert lines and min(min(line.sizes) for line in lines) >= handout_pdf.LABEL
    for line in lines:
        smallest = min(line.sizes)
        if smallest < handout_pdf.FOOTER:
            assert line.text in labels, f"{line.text!r} at {smallest} pt is not a drawing's label"
        elif smallest < handout_pdf.BODY:
            page_line = re.fullmatch(r"Morning class: page \d of 3", line.text)
            assert line.text in footer or line.text in labels or page_line, (
                f"{line.text!r} at {smallest} pt: only the safety notes are under 11 pt"
            )
    body = [line for line in lines if min(line.sizes) >= handout_pdf.BODY]
    assert any(COURSE.technique("cat-camel").steps[0][:30] in line.text for line in body)


def test_the_footer_never_caps_repeats_below_a_stretchs_own() -> None:
    """Cat-Camel starts at 5 repeats (NHS inform): the footer may not say repeats stay within 1-3."""
    footer = flat(" ".join(f"{h} {t}" for h, t in _closing_notes()))
    most = max(t.reps for t in COURSE.all_techniques)
    assert most > COURSE.routine.reps_max
    for _low, high in re.findall(r"repeats within (\d+)-(\d+)", footer):
        assert int(high) >= most, footer
    assert "each stretch's repeats stay within what its own source gives" in footer


def _closing_notes() -> list[tuple[str, str]]:
    from stretchkit.handout import _footer

    return _footer(COURSE)


def test_everything_stays_inside_the_margins(five: tuple[list[LTPage], list[TextLine]]) -> None:
    pages, lines = five
    edge = handout_pdf.MARGIN * 72 - 0.5  # 14 mm
    for line in lines:
        page = pages[line.page - 1]
        for x0, y0, x1, y1 in line.chars:
            assert edge <= x0 and x1 <= page.width - edge, f"{line.text!r} runs into the side margin"
            assert edge <= y0 and y1 <= page.height - edge, f"{line.text!r} runs into the top or foot"


@pytest.mark.parametrize(
    ("routine", "pages"),
    # Every caution of each stretch (the hip line too) and both tiers of red flags: five
    # stretches take three pages, two take two (the red flags on the second).
    [(FIVE, 3), (TWO, 2), (Routine(["piriformis-stretch"]), 1), (Routine(["childs-pose-rotation"] * 1), 1)],
    ids=["five", "two", "one-with-labels", "rotation"],
)
def test_a_routine_fits_its_pages_and_no_lines_overlap(tmp_path: Path, routine: Routine, pages: int) -> None:
    found, lines = read_pdf(write_handout(routine, tmp_path / "h.pdf"))
    assert len(found) == pages
    for page in range(1, pages + 1):
        on_page = [line for line in lines if line.page == page]
        for i, a in enumerate(on_page):
            for b in on_page[i + 1 :]:
                ax0, ay0, ax1, ay1 = a.box
                bx0, by0, bx1, by1 = b.box
                apart = ax1 <= bx0 + 0.1 or bx1 <= ax0 + 0.1 or ay1 <= by0 + 0.1 or by1 <= ay0 + 0.1
                assert apart, f"page {page}: {a.text!r} overlaps {b.text!r}"
    said = flat(words(lines))
    for item in routine.items:  # each stretch is on the pages, whole
        t = routine.technique(item.technique)
        assert t.name in said and all(flat(step) in said for step in t.steps)


def test_the_pdf_has_every_caution_of_each_stretch(five: tuple[list[LTPage], list[TextLine]]) -> None:
    said = flat(words(five[1]))
    childs = COURSE.technique("childs-pose")
    assert len(childs.cautions) > 1  # the first alone would lose the rest (the hip line among them)
    for t in COURSE.techniques:
        for caution in t.cautions:
            assert flat(caution.text) in said, f"{t.name}: {caution.text!r} is missing"


def test_the_pdf_and_the_page_close_with_both_tiers_of_red_flags(
    five: tuple[list[LTPage], list[TextLine]], tmp_path: Path
) -> None:
    pages, lines = five
    last = flat(words([line for line in lines if line.page == len(pages)]))
    page = flat(html.unescape(write_handout(FIVE, tmp_path / "h.html").read_text(encoding="utf-8")))
    for said in (last, page):
        for heading, items, intl in (
            (SAFETY.emergency_heading, SAFETY.emergency, SAFETY.emergency_intl),
            (SAFETY.urgent_heading, SAFETY.urgent, SAFETY.urgent_intl),
        ):
            assert flat(heading) in said and flat(intl) in said
            assert all(flat(i.text) in said for i in items)
        assert flat(SAFETY.stop_when[0].text) in said
    assert last.index(flat(SAFETY.emergency_heading)) < last.index(flat(SAFETY.urgent_heading))


# --- an educator's sheet: blanks for the holds and repeats ------------------------------------------


def test_an_educators_pdf_has_blanks_for_holds_and_repeats(tmp_path: Path) -> None:
    items: list[str | RoutineItem] = [RoutineItem("hamstring-stretch", hold=20), "cat-camel", "childs-pose"]
    routine = Routine(items, rest_between=10)
    _, lines = read_pdf(write_handout(routine, tmp_path / "h.pdf", blanks=True))
    said = flat(words(lines))
    assert f"Each side: hold {BLANK} s, repeat {BLANK} times" in said  # the hamstring, one leg at a time
    assert f"Cat {BLANK} s, Camel {BLANK} s; repeat {BLANK} times" in said
    assert f"Hold {BLANK} s, repeat {BLANK} times" in said  # Child's Pose
    assert f"Hold for about {BLANK} seconds" in said, "a step that states the hold leaves it blank too"
    assert f"Rest {BLANK} s between stretches" in said and f"Date: {BLANK}" in said
    for item in routine.items:
        assert routine.describe(item) not in said
    assert not re.search(r"\b(20|30) (s|seconds)\b", said), "no hold is printed"
    assert "About" not in said.split("1.")[0], "no total time: it depends on what is filled in"


def test_an_educators_web_page_has_the_same_blanks(tmp_path: Path) -> None:
    raw = write_handout(Routine(["hamstring-stretch"]), tmp_path / "h.html", blanks=True).read_text("utf-8")
    blank = '<span class="blank"><span class="sr">blank</span></span>'
    assert f"Each side: hold {blank} s, repeat {blank} times" in raw
    assert f"Hold for about {blank} seconds" in raw and "30 seconds" not in raw


def test_the_lesson_writes_both_handouts_with_blanks(tmp_path: Path) -> None:
    text = str(handouts(Routine(["childs-pose"]), "class", folder=tmp_path, browser=False, blanks=True))
    assert "handout with blanks for the holds and repeats" in text
    _, lines = read_pdf(tmp_path / "class.pdf")
    assert f"Hold {BLANK} s, repeat {BLANK} times" in words(lines)
    assert "blank" in (tmp_path / "class.html").read_text(encoding="utf-8")
    with pytest.raises(TypeError, match="blanks: True or False, got 'yes'"):
        handouts(Routine(), folder=tmp_path, blanks="yes")  # type: ignore[arg-type]


# --- printing the web page ---------------------------------------------------------------------------


def test_the_web_page_says_where_to_print_until_its_script_finds_it_can(tmp_path: Path) -> None:
    """Without scripts (an untrusted viewer) the page says how to print elsewhere; the button that
    calls window.print() starts hidden, so it never sits there doing nothing."""
    raw = write_handout(TWO, tmp_path / "h.html").read_text(encoding="utf-8")
    assert f'<p class="howto" id="sk-howto">{html.escape(PRINT_ELSEWHERE)}</p>' in raw
    assert '<button class="print" id="sk-print" type="button" hidden>Print this handout</button>' in raw
    assert "allow-modals" in raw and "window.print()" in raw and PRINT_BUTTON.replace('"', '\\"') in raw


def test_in_the_site_the_lesson_offers_the_page_as_a_download(tmp_path: Path) -> None:
    text = str(handouts(TWO, folder=tmp_path, browser=True))
    link = r'<a href="data:text/html;base64,([A-Za-z0-9+/=]+)" download="my-routine.html">'
    (data,) = re.findall(link, text)
    assert base64.b64decode(data) == (tmp_path / "my-routine.html").read_bytes()
    assert "Download my-routine.html</a>, open the downloaded page in your web browser" in text


def test_the_routine_builder_writes_an_educators_sheet_too(tmp_path: Path) -> None:
    from stretchkit.session import RoutineBuilder

    text = str(RoutineBuilder().handouts("sheet", folder=tmp_path, browser=True, blanks=True))
    assert "handout with blanks for the holds and repeats" in text
    assert f"Hold {BLANK}" in (tmp_path / "sheet.html").read_text(encoding="utf-8").replace(
        '<span class="blank"><span class="sr">blank</span></span>', BLANK
    )
