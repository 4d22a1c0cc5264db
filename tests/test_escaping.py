"""Content is text: an educator's file that looks like HTML or Markdown is shown as typed.

``tests/data/markup-content.toml`` puts ``<img src=x onerror=...>``, links, ``*stars*``,
backticks, ``$`` signs and a leading ``#`` into every kind of content. Each lesson
section is rendered to HTML the way a notebook front end does (Markdown with raw HTML
allowed), each widget's HTML fallback is parsed, and the handout's text is read: no
element or link from the content appears, and the content's text is there, as typed.
"""

from __future__ import annotations

import html
import json
from html.parser import HTMLParser
from pathlib import Path

import mistune
import pytest

import stretchkit
from stretchkit import StretchTimer, lessons, load_course
from stretchkit.course import Course
from stretchkit.figures import illustration, pose_svg
from stretchkit.quiz import Quiz
from stretchkit.routine import Routine, routine_html
from stretchkit.session import GuidedSession, RoutineBuilder
from stretchkit.wording import md

FIXTURE = Path(__file__).parent / "data" / "markup-content.toml"
EVIL = "https://evil.example"


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(FIXTURE)


class Page(HTMLParser):
    """The elements and the visible text of an HTML fragment."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.parts: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def assert_shown_as_text(markup: str, *texts: str) -> None:
    """No element that content could have injected, and each text visible exactly as typed."""
    page = Page(markup)
    names = [tag for tag, _ in page.tags]
    for tag in ("b", "i", "u", "script", "del", "s", "h1"):
        assert tag not in names, f"<{tag}> from the content was rendered as an element"
    for tag, attrs in page.tags:
        assert not (tag == "img" and attrs.get("src") == "x"), "an injected image"
        assert EVIL not in (attrs.get("href") or ""), "an injected link"
        assert not any(k.startswith("on") for k in attrs), f"an event handler on <{tag}>"
    for text in texts:
        assert " ".join(text.split()) in page.text, f"{text!r} is not shown as typed"


def markdown_html(section: lessons.Section) -> str:
    """A lesson section as a notebook shows it: Markdown to HTML, raw HTML let through."""
    return str(mistune.create_markdown(escape=False, plugins=["strikethrough", "url"])(section.markdown))


def test_md_keeps_text_as_typed() -> None:
    typed = '<img src=x onerror="alert(1)"> *a* _b_ [c](d) `e` $f$ ~~g~~ | &lt; A&E &#60; \\'
    assert_shown_as_text(markdown_html(lessons.Section(md(typed))), typed)
    for start in ("# heading", "- item", "+ item", "1. item", "2) item", "> quote", "=== rule"):
        assert Page(markdown_html(lessons.Section(md(start)))).text == start
    assert md("Plain words, stay plain.") == "Plain words, stay plain."
    # No '$' for a notebook's maths to find in the source, and none sharing a text node in the page.
    money = md("It costs $0 and takes $1 of effort.")
    assert "$" not in money
    assert Page(markdown_html(lessons.Section(money))).text == "It costs $0 and takes $1 of effort."
    assert all(part.count("$") <= 1 for part in Page(markdown_html(lessons.Section(money))).parts)


def test_every_lesson_section_shows_content_as_text(course: Course) -> None:
    t = course.technique("markup-stretch")
    tip = course.tip("markup-tip")
    question = next(f for f in course.faq if f.slug == "markup-question")
    cases = [
        (lessons.overview(course), [course.overview]),
        (lessons.safety_notice(course), [course.safety.emergency_heading]),
        (lessons.pain_scale(course), [course.pain_scale.name]),
        (lessons.technique_facts(t, course), [t.name, t.summary, t.start_position, t.targets[0], t.why]),
        (lessons.technique_facts(t, course), [t.equipment[0]]),
        (lessons.technique_steps(t, course), list(t.steps)),
        (lessons.technique_safety(t, course), [t.cautions[0].text, t.mistakes[0].text]),
        (
            lessons.habit("markup-tip", course),
            [tip.title, tip.summary, tip.why, *(a.text for a in tip.actions)],
        ),
        (lessons.habits(course), [tip.title, tip.summary]),
        (lessons.faq(course), [question.question, question.answer]),
    ]
    for section, texts in cases:
        assert_shown_as_text(markdown_html(section), *texts)
    steps = markdown_html(lessons.technique_steps(t, course))
    assert steps.count("<li>") == 3 and "<h1>" not in steps, "the course's own list stays a list"
    facts = markdown_html(lessons.technique_facts(t, course))
    assert "<strong>Works on:</strong>" in facts, "the course's own bold labels still work"


def test_widget_fallbacks_show_content_as_text(course: Course, tmp_path: Path) -> None:
    t = course.technique("markup-stretch")
    quiz = Quiz.from_course(course, seed=1)
    question = next(f for f in course.faq if f.slug == "markup-question")
    assert_shown_as_text(quiz._fallback_html(), question.question, question.correct[0], t.name)
    check = Quiz.from_course(course, seed=1, topic="markup-stretch")
    assert_shown_as_text(check._fallback_html(), t.name, t.steps[0])
    timer = StretchTimer.for_technique("markup-stretch", course=course, sound=False)
    assert_shown_as_text(timer._fallback_html(), t.name)
    routine = Routine(["markup-stretch"], title="Class <b>one</b>", course=course)
    assert_shown_as_text(routine_html(routine), t.name, "Class <b>one</b>")
    assert_shown_as_text(RoutineBuilder(routine)._fallback_html(), t.name)
    journal = stretchkit.Journal(tmp_path / "j.sqlite3", course=course)
    assert_shown_as_text(GuidedSession(routine, journal=journal, sound=False)._fallback_html(), t.name)
    figure = illustration(t, course)._repr_html_()
    assert_shown_as_text(figure, f"{t.name}: {t.summary}")
    assert html.escape(t.illustration_alt, quote=True) in figure, "the alt text is an escaped attribute"
    assert "<img src=x" not in pose_svg(t, course) and "<b>" not in pose_svg(t, course)
    from stretchkit.charts import pain_chart

    # A chart is a Vega-Lite spec: Vega draws its title and caption as text, never as markup.
    chart = pain_chart([], course=course)
    bundle = chart._repr_mimebundle_()
    assert set(bundle) == {"application/vnd.vegalite.v5+json", "text/plain"}
    assert course.pain_scale.name in bundle["text/plain"]
    assert course.pain_scale.name in json.dumps(bundle["application/vnd.vegalite.v5+json"]["title"])


def test_the_handout_prints_content_as_typed(course: Course) -> None:
    from matplotlib.text import Text

    from stretchkit.handout import handout_pages

    t = course.technique("markup-stretch")
    pages = handout_pages(Routine(["markup-stretch"], course=course))
    texts = [x for fig in pages for x in fig.findobj(Text)]
    assert all(not x.get_parse_math() for x in texts), "a '$' pair would be typeset as maths"
    assert t.name in "\n".join(x.get_text() for x in texts)
