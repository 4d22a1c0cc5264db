"""The wording helpers, each on its own: exact outputs for the cases every caller relies on."""

from __future__ import annotations

import dataclasses

import pytest

from stretchkit import load_course
from stretchkit.wording import (
    SIDES,
    all_of,
    cite,
    clean,
    duration,
    full_stop,
    held_for,
    join_and,
    limit_note,
    md,
    plural,
    quoted,
    sentence,
    side_name,
    spoken,
    stop_rule,
    the,
    timing,
    urgent_care,
)

COURSE = load_course()
HAMSTRING = COURSE.technique("hamstring-stretch")
CAT_CAMEL = COURSE.technique("cat-camel")


# --- text ----------------------------------------------------------------------------------


def test_clean_makes_every_run_of_white_space_one_space() -> None:
    assert clean("Hold  for\n   about 30 seconds ") == "Hold for about 30 seconds"
    assert clean("\t") == ""


def test_sentence_is_clean_text_with_a_capital_first_letter() -> None:
    assert sentence("  ease   into it ") == "Ease into it"
    assert sentence("NHS advice") == "NHS advice"
    assert sentence("") == ""


@pytest.mark.parametrize(
    ("text", "ended"),
    [
        ("Done", "Done."),
        ("Finished: Morning ", "Finished: Morning."),
        ("Done.", "Done."),
        ("Ready?", "Ready?"),
        ("Go!", "Go!"),
        ("Well…", "Well…"),
        ("(as shown.)", "(as shown.)"),
        ("“Lying on your back.”", "“Lying on your back.”"),
        ("“A towel”", "“A towel”."),
    ],
)
def test_full_stop_keeps_every_ending_a_sentence_may_already_have(text: str, ended: str) -> None:
    assert full_stop(text) == ended


def test_full_stop_adds_one_only_where_a_sentence_has_no_ending() -> None:
    assert full_stop(quoted("Lying on your back.")) == "“Lying on your back.”"
    assert full_stop(quoted("A towel")) == "“A towel”."
    assert full_stop("Ready?") == "Ready?" and full_stop("Finished: Morning ") == "Finished: Morning."


def test_quoted_puts_curly_quotes_around_the_text_as_it_is() -> None:
    assert quoted("Lying on your back.") == "“Lying on your back.”"
    assert quoted("") == "“”"


def test_the_gives_a_name_its_article_unless_it_is_possessive() -> None:
    assert the("Hamstring Stretch") == "the Hamstring Stretch"
    assert the("Child's Pose") == "Child's Pose"
    assert the("Child’s Pose with Rotation") == "Child’s Pose with Rotation"
    assert the("Hamstring Stretch", start=True) == "The Hamstring Stretch"
    assert the("child's pose", start=True) == "Child's pose"


def test_join_and_lists_items_with_commas_and_a_last_and() -> None:
    assert join_and(["the hamstrings"]) == "the hamstrings"
    assert join_and(["hips", "lower back"]) == "hips and lower back"
    assert join_and(["hips", " lower\n back ", "thighs"]) == "hips, lower back and thighs"


def test_all_of_counts_as_a_person_does() -> None:
    assert all_of(1, "stretch", "stretches") == "the stretch"
    assert all_of(2, "stretch", "stretches") == "both stretches"
    assert all_of(5, "stretch", "stretches") == "all 5 stretches"
    assert all_of(3, "day") == "all 3 days"


def test_plural_counts_with_the_right_form_of_the_word() -> None:
    assert plural(1, "day") == "1 day"
    assert plural(0, "day") == "0 days"
    assert plural(3, "day") == "3 days"
    assert plural(1, "stretch", "stretches") == "1 stretch"
    assert plural(2, "stretch", "stretches") == "2 stretches"


# --- Markdown ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("Plain words, stay plain.", "Plain words, stay plain."),
        ("a  b\n   c", "a b c"),
        ("**bold** _it_", r"\*\*bold\*\* \_it\_"),
        ("[a](b) `c` ~d~ | \\", r"\[a\](b) \`c\` \~d\~ \| \\"),
        ("<b>x</b> & y &lt;", "&lt;b&gt;x&lt;/b&gt; & y &amp;lt;"),
        ("It costs $5", "It costs <span>&#36;</span>5"),
        ("see https://x.org or www.x.org", r"see https\://x.org or www\.x.org"),
        ("# heading", r"\# heading"),
        ("=== rule", r"\=\=\= rule"),
        ("- item", r"\- item"),
        ("+ item", r"\+ item"),
        ("> quote", "&gt; quote"),
        ("1. item", r"1\. item"),
        ("2) item", r"2\) item"),
        ("10 reps, 2. not a list", "10 reps, 2. not a list"),
        ("a # or a - inside stays", "a # or a - inside stays"),
    ],
)
def test_md_escapes_what_markdown_or_html_would_read_as_syntax(typed: str, escaped: str) -> None:
    assert md(typed) == escaped


# --- time ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 s"),
        (45, "45 s"),
        (45.0, "45 s"),
        (45.5, "45.5 s"),
        (0.25, "0.25 s"),
        (1 / 3, "0.333 s"),
        (59, "59 s"),
        (60, "1 min"),
        (70, "1 min 10 s"),
        (90.5, "90.5 s"),
        (1800, "30 min"),
        (3599, "59 min 59 s"),
        (7200, "120 min"),
    ],
)
def test_duration_is_whole_minutes_and_seconds_or_seconds_to_a_thousandth(seconds: float, text: str) -> None:
    assert duration(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(1, "1 second"), (1.0, "1 second"), (2, "2 seconds"), (30.0, "30 seconds"), (2.5, "2.5 seconds")],
)
def test_spoken_says_seconds_as_a_cue_speaks_them(seconds: float, text: str) -> None:
    assert spoken(seconds) == text


def test_sides_and_their_names() -> None:
    assert SIDES == ("left", "right")
    assert side_name("left") == "left side"
    assert side_name("right", "leg") == "right leg"
    assert side_name("left", "leg", start=True) == "Left leg"
    with pytest.raises(ValueError, match="side must be 'left' or 'right', got 'middle'"):
        side_name("middle")


# --- techniques ----------------------------------------------------------------------------


def test_timing_says_how_a_stretch_is_timed_in_words() -> None:
    assert timing(COURSE.technique("childs-pose")) == "Hold about 30 seconds"
    assert timing(HAMSTRING) == "Hold about 30 seconds on each side, 2 times"
    assert timing(COURSE.technique("seated-knee-hug")) == "Hold about 30 seconds on each side"
    assert timing(CAT_CAMEL) == "5 rounds of Cat (about 5 seconds), then Camel (about 5 seconds)"
    assert timing(COURSE.technique("childs-pose-rotation")) == (
        "Hold for a few breaths (the article's words), about 30 seconds in the timer on each side"
    )


def test_timing_in_markdown_puts_the_numbers_in_bold() -> None:
    assert timing(COURSE.technique("childs-pose"), markdown=True) == "Hold for about **30 seconds**"
    assert timing(HAMSTRING, markdown=True) == "Hold for about **30 seconds** on each side, 2 times"
    assert timing(CAT_CAMEL, markdown=True) == "5 rounds of **Cat** (about 5 s), then **Camel** (about 5 s)"
    assert timing(COURSE.technique("childs-pose-rotation"), markdown=True) == (
        "Hold for a few breaths (the article's words), about **30 seconds** in the timer on each side"
    )


def test_held_for_tells_the_stated_hold_as_the_routines_own() -> None:
    step = "Hold for about 30 seconds, then lower the leg and change sides."
    assert held_for(step, HAMSTRING, 20) == "Hold for about 20 seconds, then lower the leg and change sides."
    assert held_for(step, HAMSTRING, 1) == "Hold for about 1 second, then lower the leg and change sides."
    assert held_for(step, HAMSTRING, 30) == step  # the course's own hold
    assert held_for(step, HAMSTRING, None) == step  # no hold of the routine's own
    assert held_for("Hold 130 seconds.", HAMSTRING, 20) == "Hold 130 seconds."  # another number
    assert held_for("Hold 30 seconds.", CAT_CAMEL, 20) == "Hold 30 seconds."  # a movement has no hold


# --- sources, limits and safety --------------------------------------------------------------


def test_cite_shortens_long_publishers() -> None:
    assert cite(COURSE, "acsm-2021") == "ACSM"
    assert cite(COURSE, "mayo-back-exercises") == "Mayo Clinic"


def test_cite_never_makes_up_initials_a_reader_would_not_know() -> None:
    """A source is named by its publisher, part of its words, or the short name its entry gives:
    "NHS inform", not "NS"; "Saint Luke's", not "SLHSC"."""
    assert cite(COURSE, "nhs-inform-back-exercises") == "NHS inform"
    assert cite(COURSE, "saintlukes-hamstring") == "Saint Luke's"
    for source in COURSE.sources:
        named = cite(COURSE, source.key)
        assert named == source.short or named in source.publisher, (source.key, named)
        assert source.key == "article" or len(named) <= 40, (source.key, named)


def test_cite_keeps_a_long_name_without_initials_whole() -> None:
    assert cite(COURSE, "article") == COURSE.source("article").publisher


@pytest.mark.parametrize(
    ("kind", "value", "most", "note"),
    [
        ("hold", 60, True, "60 s is the most this course suggests (ACSM)"),
        ("hold", 10, False, "10 s is the least this course suggests (ACSM)"),
        ("hold", 90, True, "90 s is the most for this stretch"),
        ("hold", 5, False, "5 s is the least for this stretch"),
        ("reps", 3, True, "3 reps is the most this course suggests (Mayo Clinic)"),
        ("reps", 1, False, "1 rep is the least this course suggests (Mayo Clinic)"),
        ("reps", 5, True, "5 reps is the most for this stretch"),
    ],
)
def test_limit_note_says_the_limit_and_whose_advice_it_is(
    kind: str, value: float, most: bool, note: str
) -> None:
    assert limit_note(COURSE, kind, value, most=most) == note


def test_stop_rule_is_the_courses_first_two_stop_lines() -> None:
    first, second, *rest = COURSE.safety.stop_when
    lines = (
        dataclasses.replace(first, text="Stop if it hurts."),
        dataclasses.replace(second, text="Ease in gently."),
        *(dataclasses.replace(i, text="Not in the rule.") for i in rest),
    )
    course = dataclasses.replace(COURSE, safety=dataclasses.replace(COURSE.safety, stop_when=lines))
    assert stop_rule(course) == "Stop if it hurts. Ease in gently."


def test_urgent_care_is_one_paragraph_of_the_emergency_red_flags() -> None:
    flag = COURSE.safety.emergency[0]
    safety = dataclasses.replace(
        COURSE.safety,
        emergency_heading="Call 999 if back pain comes with any of these:",
        emergency=(dataclasses.replace(flag, text="chest pain"), dataclasses.replace(flag, text="a fall")),
        emergency_intl="Elsewhere: call your local emergency number.",
    )
    assert urgent_care(dataclasses.replace(COURSE, safety=safety)) == (
        "Call 999 if back pain comes with any of these: chest pain; a fall. "
        "Elsewhere: call your local emergency number."
    )


def test_urgent_care_says_the_urgent_tier_too_with_or_without_its_heading() -> None:
    s = COURSE.safety
    urgent = urgent_care(COURSE, "urgent")
    assert urgent.startswith(s.urgent_heading) and urgent.endswith(s.urgent_intl)
    assert all(i.text in urgent for i in s.urgent) and s.emergency[0].text not in urgent
    assert urgent_care(COURSE, "urgent", heading=False) == urgent.removeprefix(s.urgent_heading + " ")
    with pytest.raises(ValueError, match="tier: 'emergency' or 'urgent', got 'soon'"):
        urgent_care(COURSE, "soon")
