"""Lesson blocks show the content data, so every fact reaches the learner from one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from stretchkit import lessons, load_course
from stretchkit.course import Course

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course()


def test_technique_blocks_carry_every_fact(course: Course) -> None:
    for t in course.techniques:
        facts = lessons.technique_facts(t.slug).markdown
        assert t.name in facts
        for target in t.targets:
            assert target in facts
        steps = lessons.technique_steps(t.slug).markdown
        assert steps.count("\n") == len(t.steps) - 1
        for n, step in enumerate(t.steps, 1):
            assert f"{n}. {step}" in steps
        care = lessons.technique_safety(t.slug).markdown
        for item in (*t.mistakes, *t.cautions):
            assert item.text in care
            named = "the article" if item.source == "article" else course.source(item.source).publisher
            assert f"{item.text} *({named.split(' (')[0]})*" in care  # each line names its own source


def test_timing_is_described_from_the_data(course: Course) -> None:
    assert "**30 seconds** on each side" in lessons.technique_facts("hamstring-stretch").markdown
    cat = lessons.technique_facts("cat-camel").markdown
    assert "not a hold" in cat and "**Cat**" in cat and "**Camel**" in cat


def test_edited_content_shows_in_the_lesson(tmp_path: Path) -> None:
    f = tmp_path / "clinic.toml"
    f.write_text('extends = "stretchkit"\n[[techniques]]\nslug = "hamstring-stretch"\nhold_seconds = 45\n')
    custom = load_course(f)
    assert "**45 seconds** on each side" in lessons.technique_facts("hamstring-stretch", custom).markdown


def test_safety_notice_lists_every_red_flag(course: Course) -> None:
    text = lessons.safety_notice().markdown
    for flag in (*course.safety.emergency, *course.safety.urgent, *course.safety.stop_when):
        assert flag.text[1:] in text  # first letter may be capitalised
    assert course.safety.emergency_intl in text and course.safety.urgent_intl in text
    assert "Mayo Clinic" in text and "NHS" in text


def test_every_habit_and_the_closing_advice(course: Course) -> None:
    for tip in course.tips:
        block = lessons.habit(tip.slug).markdown
        assert tip.title in block
        for action in tip.actions:
            assert action.text in block
    assert all(line in lessons.closing().markdown for line in course.closing)
    assert lessons.habits().markdown.count("- [ ]") == len(course.tips)


def test_faq_points_to_existing_lessons(course: Course) -> None:
    text = lessons.faq().markdown
    for q in course.faq:
        assert q.question in text
        _, link = lessons.lesson_for(q.see)
        assert (ROOT / "notebooks" / link).exists(), link


def test_lesson_stems_match_the_notebooks(course: Course) -> None:
    for t in course.techniques:
        assert (ROOT / "notebooks" / f"{lessons.lesson_stem(t.slug)}.ipynb").exists()
    assert lessons.lesson_stem("lifting") == "07-everyday-habits"
    with pytest.raises(KeyError, match="no lesson for 'nope'"):
        lessons.lesson_stem("nope")


def test_sources_and_evidence_name_their_publishers(course: Course) -> None:
    assert "Cochrane" in lessons.evidence().markdown
    refs = lessons.sources().markdown
    for s in course.sources:
        assert s.title in refs or s.key == "article"


def test_pain_scale_block(course: Course) -> None:
    text = lessons.pain_scale().markdown
    assert "0 means no pain" in text and "Childs" in text


def test_section_reprs_are_the_text() -> None:
    block = lessons.why_stretching()
    assert repr(block) == block._repr_markdown_() == str(block)


def test_environment_check_all_clear_names_no_versions() -> None:
    text = lessons.check_environment().markdown
    assert text.startswith("**All set:**")
    assert not any(ch.isdigit() for ch in text)


def test_environment_check_says_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata as md

    real = md.version

    def fake(name: str) -> str:
        if name == "anywidget":
            raise md.PackageNotFoundError(name)
        if name == "ipywidgets":
            return "7.8.1"
        return real(name)

    monkeypatch.setattr(md, "version", fake)
    text = lessons.check_environment().markdown
    assert "`anywidget` is not installed" in text and "make lab" in text
    assert "`ipywidgets` 7.8.1 is too old (need 8.0 or newer)" in text


def test_widget_check_has_a_text_fallback() -> None:
    from stretchkit.check import widget_check

    w = widget_check()
    bundle = w._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert "application/vnd.jupyter.widget-view+json" in data
    assert "make lab" in data["text/plain"] and "0x" not in data["text/plain"]
    w.presses = 1
    assert "widgets are working" in w.answer


def test_saved_files_get_a_relative_link(tmp_path: Path) -> None:
    assert lessons.saved("my-routine.pdf", "routine handout").markdown == (
        "Saved your routine handout: [my-routine.pdf](my-routine.pdf)"
    )


def test_lesson_01_has_its_own_introduction_not_lesson_00s_overview(course: Course) -> None:
    """Lesson 00 gives the overview; lesson 01 says what it adds, from the course's points."""
    import nbformat

    intro = lessons.why_intro(course).markdown
    assert course.overview.split(".")[0] not in intro
    assert all(p.title in intro for p in course.why)
    assert "(00-start-here.ipynb)" in intro

    def shown(stem: str) -> str:
        nb = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
        out = []
        for cell in nb.cells:
            out.append(cell.source)
            for o in cell.get("outputs", []):
                out.append(str(o.get("data", {}).get("text/markdown", "")))
        return "\n".join(out)

    first = " ".join(course.overview.split())[:60]
    assert first in " ".join(shown("00-start-here").split())
    assert first not in " ".join(shown("01-why-stretching-helps").split())
    assert course.why[0].title in shown("01-why-stretching-helps")
