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
        own = steps.split("\n\n**Easier and harder**")[0]  # then any versions (tested below)
        assert own.count("\n") == len(t.steps) - 1
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


# --- the programme: who should check first, reassurance, outlook, a bad day, beyond stretching ---


def _code(stem: str) -> list[str]:
    import nbformat

    nb = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code"]


def _calls(stem: str, call: str) -> bool:
    return any(source.rstrip().endswith(call) for source in _code(stem))


def test_is_this_course_right_for_me_comes_before_the_first_stretch(course: Course) -> None:
    """Lesson 00 shows every entry, what to do and its source, then the red flags it points to."""
    assert _calls("00-start-here", "lessons.before_you_start()")
    shown = lessons.before_you_start(course).markdown
    assert shown.startswith(f"### {lessons.RIGHT_FOR_ME}")
    for check in course.right_for_me:
        assert f"**{check.who}.** {check.what}" in shown
    assert shown.index(lessons.RIGHT_FOR_ME) < shown.index("### Get help urgently")
    assert "16 weeks" in shown and "hip precautions" in shown  # pregnancy; after a hip replacement


@pytest.mark.parametrize("slug", [t.slug for t in load_course().all_techniques if t.check_first])
def test_each_affected_stretch_points_back_to_it(course: Course, slug: str) -> None:
    t = course.technique(slug)
    parent = course.parent(slug)
    block = (lessons.technique_alternative if parent else lessons.technique_safety)(slug, course).markdown
    line = next(x for x in block.splitlines() if x.startswith("*Check first"))
    assert f'"{lessons.RIGHT_FOR_ME}"' in line and "(00-start-here.ipynb)" in line
    for check in course.right_for_me:
        assert (check.who[1:] in line) == (check.slug in t.check_first), (slug, check.slug)


def test_reassurance_and_when_to_expect_improvement_open_the_course(course: Course) -> None:
    assert _calls("00-start-here", "lessons.about_this_course()")
    shown = lessons.about_this_course(course).markdown
    assert shown.index("### Your back is strong") < shown.index("### When to expect improvement")
    for item in (*course.programme.reassurance, *course.programme.outlook):
        assert item.text in shown
    assert "within 2 weeks" in shown and "4 to 6 weeks" in shown  # the NHS's words, not invented ones


def test_the_bad_day_card_follows_the_pain_scale_and_gives_no_figure(course: Course) -> None:
    """Only what the sources say: pacing, a pharmacist, the red flags; no "halve the repeats"."""
    assert _calls("08-your-routine", "lessons.pain_and_bad_days()")
    shown = lessons.pain_and_bad_days(course).markdown
    assert shown.index(course.pain_scale.name) < shown.index("### On a bad day")
    for item in course.programme.bad_day:
        assert item.text in shown
    assert "pharmacist" in shown
    assert not any(word in shown.lower() for word in ("halve", "half", "50%"))


def test_beyond_stretching_closes_the_evidence_lesson(course: Course) -> None:
    assert _calls("01-why-stretching-helps", "lessons.takeaway_and_beyond()")
    shown = lessons.takeaway_and_beyond(course).markdown
    assert shown.index(course.evidence.takeaway.split()[0]) < shown.index("### Beyond stretching")
    for item in course.programme.beyond:
        assert item.text in shown
    assert "strengthening" in shown


def test_a_course_without_a_programme_shows_only_its_own_sections(course: Course) -> None:
    import dataclasses

    from stretchkit.course import Programme

    bare = dataclasses.replace(course, right_for_me=(), programme=Programme())
    assert lessons.before_you_start(bare).markdown == lessons.safety_notice(bare).markdown
    assert lessons.about_this_course(bare).markdown == lessons.overview(bare).markdown


# --- easier and harder versions ------------------------------------------------------------------


@pytest.mark.parametrize("slug", [t.slug for t in load_course().all_techniques if t.versions])
def test_each_version_is_shown_with_its_change_source_steps_and_timer(course: Course, slug: str) -> None:
    from stretchkit.wording import timing

    t = course.technique(slug)
    shown = lessons.technique_steps(slug, course).markdown
    assert "**Easier and harder**" in shown and "08-your-routine.ipynb" in shown
    for v, vt in zip(t.versions, course.versions(t), strict=True):
        short = "the article" if v.change.source == "article" else course.source(v.change.source).publisher
        assert f"**{v.level.capitalize()}: {v.name}.** {v.change.text} *({short.split(' (')[0]})*" in shown
        assert f"Timer: {timing(vt, markdown=True)}." in shown
        for i, step in enumerate(v.steps, 1):
            assert f"   {i}. {step}" in shown


def test_every_stretch_offers_a_sourced_easier_or_harder_version(course: Course) -> None:
    """The four main stretches each have one; Child's Pose with Rotation's easier way is its chair version."""
    for slug in ("childs-pose", "cat-camel", "hamstring-stretch", "piriformis-stretch"):
        assert course.technique(slug).versions, slug
    towel = course.technique("hamstring-towel-behind-thigh")
    assert towel.level == "easier" and "back of one thigh" in towel.steps[1]
    assert course.technique("cat-camel-more").reps == 10  # NHS inform's build-up, up to about 10
    assert (
        course.technique("hamstring-longer").dose() == "2 sides x 60 s, 3 reps"
    )  # Saint Luke's 30-60 s, 2-3


def test_the_source_article_is_introduced_once_not_at_the_end_of_every_section() -> None:
    """What the lessons show: the article's unknown author is said once, in lesson 00."""
    import json

    from stretchkit.content import load_course

    publisher = load_course().source("article").publisher
    said = {}
    for path in sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        shown = [
            "".join(o.get("data", {}).get("text/markdown", "")) for c in cells for o in c.get("outputs", [])
        ]
        text = "\n".join([*shown, *("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")])
        said[path.stem] = text.count(publisher) + text.count("author and address unknown")
    assert said.pop("00-start-here") == 1, "lesson 00 introduces the source article once"
    assert not any(said.values()), {k: v for k, v in said.items() if v}


# --- beyond stretching: the pelvic tilt and the bridge, taught like the stretches ----------------


@pytest.mark.parametrize("slug", ["pelvic-tilt", "bridge"])
def test_lesson_01_teaches_each_strengthening_exercise_with_its_drawing_and_timer(
    course: Course, slug: str
) -> None:
    """Lesson 01 shows its drawing, then what it works on, its steps, cautions (each with its source)
    and what to do without a chair version, then its own timer."""
    code = "\n".join(_code("01-why-stretching-helps"))
    assert f'display(illustration("{slug}"), lessons.strengthening("{slug}"))' in code
    assert f'StretchTimer.for_technique("{slug}")' in code
    t = course.technique(slug)
    shown = lessons.strengthening(slug, course).markdown
    assert shown.startswith(f"### {t.name}")
    for step in t.steps:
        assert step in shown
    for item in (*t.cautions, *t.mistakes):
        short = course.source(item.source).publisher.split(" (")[0]
        assert f"- {item.text} *({short})*" in shown
    assert "**Take care**" in shown and shown.index("**Take care**") < shown.index("**If you cannot get down")
    assert t.chair_note is not None and t.chair_note.text in shown
    assert "getting down to the floor and back up in [Lesson 00: Start here](00-start-here.ipynb)" in shown
    check = next(x for x in shown.splitlines() if x.startswith("*Check first"))
    assert "you are pregnant" in check and "operation recently" in check
    assert "**Why it may help:**" in shown and t.why in shown
    assert t.timer_note in shown  # the release's seconds are called the timer's pace, no source's
    assert lessons.lesson_for(slug, course) == (
        "Lesson 01: Why stretching helps",
        "01-why-stretching-helps.ipynb",
    )


def test_the_pelvic_tilt_says_nhs_informs_dose(course: Course) -> None:
    shown = lessons.strengthening("pelvic-tilt", course).markdown
    assert "hold it there for 2 seconds" in shown
    assert "Start with 5 repetitions, 3 times a day, and add 1 or 2 more every few days" in shown
    assert "[NHS inform (NHS 24, Scotland), *Exercises for back pain*]" in shown


def test_the_bridge_says_its_sources_dose_and_how_high_to_lift(course: Course) -> None:
    shown = lessons.strengthening("bridge", course).markdown
    assert "Hold for about 5 seconds" in shown and "Repeat 5 to 10 times" in shown
    assert "do not push higher" in shown
    assert "Mount Nittany Health" in shown and "Mayo Clinic" in shown


def test_beyond_stretching_names_the_two_exercises_and_mayos_claim_modestly(course: Course) -> None:
    shown = lessons.takeaway_and_beyond(course).markdown
    assert "pelvic tilt and the bridge" in shown
    assert "may help manage" in shown  # Mayo Clinic's claim, worded modestly


def test_a_stretch_is_not_shown_as_a_strengthening_exercise(course: Course) -> None:
    with pytest.raises(ValueError, match="slug: 'cat-camel' is not a strengthening exercise"):
        lessons.strengthening("cat-camel", course)


def test_the_piriformis_lesson_offers_the_seated_knee_hug_as_its_easier_choice(course: Course) -> None:
    shown = lessons.technique_steps("piriformis-stretch", course).markdown
    hug = course.technique("seated-knee-hug")
    line = next(x for x in shown.splitlines() if x.startswith("- **Easier: the Seated Knee Hug instead.**"))
    assert "cannot lift your ankle onto the other knee" in line and "*(Mayo Clinic)*" in line
    assert "[Lesson 02: Child's Pose](02-childs-pose.ipynb)" in line
    for i, step in enumerate(hug.steps, 1):
        assert f"   {i}. {step}" in shown
    assert shown.index("Easier: the Seated Knee Hug") < shown.index("Harder: Piriformis Stretch, held longer")
    safety = lessons.technique_safety("piriformis-stretch", course).markdown
    assert "If your knee hurts, do not press on it" in safety
