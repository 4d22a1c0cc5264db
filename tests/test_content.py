"""The bundled content covers the article, and bad content files fail with one clear line."""

from __future__ import annotations

import dataclasses
import typing
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest

import stretchkit
from stretchkit import ContentError, content, load_course
from stretchkit.course import references

BUNDLED = (resources.files("stretchkit") / "data" / "course.toml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def course() -> stretchkit.Course:
    return load_course()


# --- the bundled course covers the article --------------------------------------------


def test_five_techniques_in_the_articles_order(course: stretchkit.Course) -> None:
    assert [t.name for t in course.techniques] == [
        "Child's Pose",
        "Cat-Camel Stretch",
        "Hamstring Stretch",
        "Piriformis Stretch",
        "Child's Pose with Rotation",
    ]


def test_article_facts_carried_over(course: stretchkit.Course) -> None:
    ham = course.technique("hamstring-stretch")
    assert ham.hold_seconds == 30 and ham.per_side and ham.hold_source == "article"
    assert any("towel or strap" in e for e in ham.equipment)
    piri = course.technique("piriformis-stretch")
    assert piri.hold_seconds == 30 and piri.per_side
    assert any("piriformis" in t for t in piri.targets)
    assert any("chair" in e for e in piri.equipment)
    cat = course.technique("cat-camel")
    assert cat.is_movement and [m.name for m in cat.movement] == ["Cat", "Camel"]
    assert cat.hold_seconds is None
    rot = course.technique("childs-pose-rotation")
    assert rot.per_side and any("right" in s for s in rot.steps)


def test_every_tip_from_the_article(course: stretchkit.Course) -> None:
    assert [t.slug for t in course.tips] == [
        "posture",
        "low-impact-activity",
        "sitting-breaks",
        "lifting",
        "professional-help",
    ]
    activity = course.tip("low-impact-activity")
    text = " ".join([activity.summary, *(a.text for a in activity.actions)]).lower()
    for sport in ("swimming", "walking", "cycling"):
        assert sport in text
    assert "knees" in " ".join(a.text for a in course.tip("lifting").actions).lower()


def test_four_faq_entries_and_closing_advice(course: stretchkit.Course) -> None:
    assert len(course.faq) == 4
    assert all(q.question.endswith("?") and q.correct and q.distractors for q in course.faq)
    assert len(course.closing) >= 3
    assert "may not" in course.closing[0]


def test_safety_section_names_red_flags_and_sources(course: stretchkit.Course) -> None:
    s = course.safety
    assert any("both legs" in f.text for f in s.emergency)
    assert any("bladder" in f.text for f in s.emergency)
    assert any("worse" in r.text for r in s.stop_when)
    assert s.see_professional
    for item in (*s.stop_when, *s.emergency, *s.urgent, *s.see_professional):
        assert course.source(item.source).publisher


def test_added_facts_name_a_source_beyond_the_article(course: stretchkit.Course) -> None:
    # Holds the article does not give come from a named source, not from nowhere.
    for t in course.techniques:
        if t.hold_seconds is not None:
            assert t.hold_source, t.slug
    assert course.technique("childs-pose").hold_source == "mayo-stretching"
    assert {"cochrane-hayden-2021", "owen-2020"} <= set(course.evidence.sources)


def _walk(value: object, path: str) -> list[str]:
    if isinstance(value, str):
        optional: tuple[str, ...] = ("url", "_source", "article_hold", "hold_note", "replaces_when")
        optional += ("tagline", "about", "timer_note", "position", "order_note", "short", "drawn_as", "level")
        return [path] if not value.strip() and not path.endswith(optional) else []
    if isinstance(value, tuple):
        return [p for i, v in enumerate(value) for p in _walk(v, f"{path}[{i}]")]
    if dataclasses.is_dataclass(value):
        return [
            p for f in dataclasses.fields(value) for p in _walk(getattr(value, f.name), f"{path}.{f.name}")
        ]
    return []


def test_no_empty_text_anywhere(course: stretchkit.Course) -> None:
    assert _walk(course, "course") == []


def test_course_is_frozen(course: stretchkit.Course) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        course.title = "x"  # type: ignore[misc]


def test_unknown_technique_lists_known_slugs(course: stretchkit.Course) -> None:
    with pytest.raises(KeyError) as info:
        course.technique("nope")
    message = str(info.value)
    assert "'nope'" in message
    for t in course.techniques:
        assert t.slug in message


def test_dose_summaries(course: stretchkit.Course) -> None:
    assert course.technique("hamstring-stretch").dose() == "2 sides x 30 s, 2 reps"
    assert course.technique("childs-pose").dose() == "30 s"
    assert course.technique("cat-camel").dose() == "5 reps of Cat 5 s + Camel 5 s"


# --- bad content files: one line naming file, entry, field and value ---------------------


def write(tmp_path: Path, text: str, name: str = "my_course.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def mutate(old: str, new: str, count: int = 1) -> str:
    assert old in BUNDLED, old
    return BUNDLED.replace(old, new, count)


HAMSTRING_HOLD = 'hold_seconds = 30\nhold_source = "article"'

BAD_FILES = {
    "negative hold": (
        mutate(HAMSTRING_HOLD, 'hold_seconds = -5\nhold_source = "article"'),
        "my_course.toml: techniques[2] (hamstring-stretch): hold_seconds must be a positive number"
        " of at most 600, got -5",
    ),
    "hold as text": (
        mutate(HAMSTRING_HOLD, 'hold_seconds = "thirty"\nhold_source = "article"'),
        "my_course.toml: techniques[2] (hamstring-stretch): hold_seconds must be a number, got 'thirty'",
    ),
    "hold as nan": (
        mutate(HAMSTRING_HOLD, 'hold_seconds = nan\nhold_source = "article"'),
        "my_course.toml: techniques[2] (hamstring-stretch): hold_seconds must be a number, got nan",
    ),
    "reps as float": (
        mutate("reps = 5\n", "reps = 2.5\n"),
        "my_course.toml: techniques[1] (cat-camel): reps must be a whole number, got 2.5",
    ),
    "reps out of range": (
        mutate("reps = 5\n", "reps = 0\n"),
        "my_course.toml: techniques[1] (cat-camel): reps must be between 1 and 20, got 0",
    ),
    "per_side as text": (
        mutate("per_side = true", 'per_side = "yes"'),
        "my_course.toml: techniques[0] (childs-pose): alternatives[0] (seated-knee-hug):"
        " per_side must be true or false, got 'yes'",
    ),
    "missing field": (
        mutate('why = "It lengthens the spine and lets tension in the back muscles go."\n', ""),
        "my_course.toml: techniques[0] (childs-pose): missing required field 'why'",
    ),
    "unknown field": (
        mutate(
            'per_side = false\nreps = 1\nequipment = []\nquiz_overlaps = ["cat-camel"',
            'per_side = false\nrep = 1\nreps = 1\nequipment = []\nquiz_overlaps = ["cat-camel"',
        ),
        "my_course.toml: techniques[0] (childs-pose): unknown field 'rep'",
    ),
    "duplicate slug": (
        mutate('slug = "piriformis-stretch"', 'slug = "hamstring-stretch"'),
        "my_course.toml: techniques[3] (hamstring-stretch): slug: duplicate slug 'hamstring-stretch'",
    ),
    "unknown slug in faq": (
        mutate('see = "piriformis-stretch"', 'see = "piriformis"'),
        "my_course.toml: faq[3] (piriformis-explained): see: unknown slug 'piriformis'",
    ),
    "unknown source": (
        mutate('hold_source = "mayo-stretching"', 'hold_source = "mayo"'),
        "my_course.toml: techniques[0] (childs-pose): hold_source: unknown source 'mayo'",
    ),
    "bad slug": (
        mutate('slug = "lifting"', 'slug = "Lifting Tips"'),
        "my_course.toml: tips[3] (Lifting Tips): slug must be a lowercase slug like 'hamstring-stretch',"
        " got 'Lifting Tips'",
    ),
    "empty text": (
        mutate('title = "Keep a good posture"', 'title = "   "'),
        "my_course.toml: tips[0] (posture): title must not be empty",
    ),
    "wrong section type": (
        mutate('closing = [\n  "Stretching', 'closing = "Stretching helps"\nold = [\n  "Stretching'),
        "my_course.toml: unknown field 'old'",
    ),
    "movement step out of range": (
        mutate('name = "Cat"\nseconds = 5', 'name = "Cat"\nseconds = 0'),
        "my_course.toml: techniques[1] (cat-camel):"
        " movement[0] (Cat): seconds must be between 1 and 120, got 0",
    ),
    "hold and movement": (
        mutate("reps = 5\nreps_max = 10", "hold_seconds = 30\nreps = 5\nreps_max = 10"),
        "my_course.toml: techniques[1] (cat-camel):"
        " hold_seconds: give either hold_seconds or movement, not both",
    ),
    "neither hold nor movement": (
        mutate(HAMSTRING_HOLD, 'hold_source = "article"'),
        "my_course.toml: techniques[2] (hamstring-stretch):"
        " hold_seconds: missing required field 'hold_seconds'",
    ),
    "more repeats than the stretch's source gives": (
        mutate("reps = 5\nreps_max = 10", "reps = 12\nreps_max = 10"),
        "my_course.toml: techniques[1] (cat-camel): reps must not exceed reps_max, got 12 > 10",
    ),
    "repeats without a source": (
        mutate('reps = 2\nreps_max = 3\nreps_source = "saintlukes-hamstring"', "reps = 2\nreps_max = 3"),
        "my_course.toml: techniques[2] (hamstring-stretch): reps_source: missing required field 'reps_source'"
        " (whose advice the repeats are)",
    ),
    "a hold without a source": (
        mutate(HAMSTRING_HOLD, "hold_seconds = 30"),
        "my_course.toml: techniques[2] (hamstring-stretch): hold_source: missing required field 'hold_source'"
        " (whose advice the hold is)",
    ),
    "check_first naming nothing": (
        mutate('check_first = ["recent-operation"]\nrecap', 'check_first = ["knees"]\nrecap'),
        "my_course.toml: techniques[3] (piriformis-stretch): check_first: unknown entry 'knees'"
        " (known entries: pregnancy, osteoporosis, recent-operation, red-flags)",
    ),
    "newer schema": (
        mutate("schema_version = 1", "schema_version = 2"),
        "my_course.toml: schema_version must be between 1 and 1, got 2",
    ),
    "side word of two words": (
        mutate('side_word = "leg"', 'side_word = "left leg"'),
        "my_course.toml: techniques[0] (childs-pose): alternatives[0] (seated-knee-hug): side_word must be"
        " one lowercase word like 'side' or 'leg', got 'left leg'",
    ),
    "break reminder names an unknown tip": (
        mutate('tip = "sitting-breaks"', 'tip = "sitting"'),
        "my_course.toml: break_reminder: tip: unknown tip 'sitting' (known tips: posture,",
    ),
    "break reminder action out of range": (
        mutate('tip = "sitting-breaks"\naction = 2', 'tip = "sitting-breaks"\naction = 9'),
        "my_course.toml: break_reminder: action must be between 1 and 3 (the actions of tip"
        " 'sitting-breaks'), got 9",
    ),
    "lesson title missing": (
        mutate('habits = "Everyday habits"\n', ""),
        "my_course.toml: lessons: missing required field 'habits'",
    ),
    "muscle group without words": (
        mutate('words = ["hip"]', "words = []"),
        "my_course.toml: muscle_groups[2] (hip): words must not be empty",
    ),
    "caution without a source": (
        mutate(
            '  { text = "Stop if your back pain gets worse.", source = "nhs-back-pain" },\n]\n'
            'hip_precautions = true\ncheck_first = ["osteoporosis", "recent-operation"]\nrecap',
            '  "Stop if your back pain gets worse.",\n]\nhip_precautions = true\n'
            'check_first = ["osteoporosis", "recent-operation"]\nrecap',
        ),
        "my_course.toml: techniques[0] (childs-pose): cautions[1] needs its own source:"
        ' write { text = "...", source = "article" } (or another source key),'
        " got 'Stop if your back pain gets worse.'",
    ),
    "mistake naming an unknown source": (
        mutate(
            'source = "nhs-lower-back-exercises" },\n  { text = "Holding',
            'source = "nhs" },\n  { text = "Holding',
        ),
        "my_course.toml: techniques[0] (childs-pose): mistakes[0]: source: unknown source 'nhs'",
    ),
    "tip action without a source": (
        mutate(
            '{ text = "Pick an activity you enjoy: swimming, walking or cycling.", source = "article" }',
            '{ text = "Pick an activity you enjoy: swimming, walking or cycling." }',
        ),
        "my_course.toml: tips[1] (low-impact-activity): actions[0]: missing required field 'source'",
    ),
    "red flag without a source": (
        mutate('  { text = "chest pain", source = "nhs-back-pain" },', '  "chest pain",'),
        "my_course.toml: safety: emergency[7] needs its own source",
    ),
    "version change without a source": (
        mutate(
            'only as high as feels comfortable.", source = "saintlukes-hamstring" }',
            'only as high as feels comfortable." }',
        ),
        "my_course.toml: techniques[2] (hamstring-stretch): versions[0] (hamstring-towel-behind-thigh):"
        " change: missing required field 'source'",
    ),
    "version hold without a source": (
        mutate('hold_seconds = 60\nhold_source = "saintlukes-hamstring"\n', "hold_seconds = 60\n"),
        "my_course.toml: techniques[2] (hamstring-stretch): versions[1] (hamstring-longer):"
        " hold_source: missing required field 'hold_source' (whose advice the hold is)",
    ),
    "version repeats without a source": (
        mutate('reps = 10\nreps_source = "nhs-inform-back-exercises"\n', "reps = 10\n"),
        "my_course.toml: techniques[1] (cat-camel): versions[1] (cat-camel-more):"
        " reps_source: missing required field 'reps_source' (whose advice the repeats are)",
    ),
    "version steps without a source": (
        mutate(
            'step_sources = ["saintlukes-hamstring"]\n\n[[techniques.versions]]', "[[techniques.versions]]"
        ),
        "my_course.toml: techniques[2] (hamstring-stretch): versions[0] (hamstring-towel-behind-thigh):"
        " step_sources: missing required field 'step_sources' (whose advice the steps are)",
    ),
    "version of no known level": (
        mutate('level = "harder"\nname = "Cat-Camel, more', 'level = "hard"\nname = "Cat-Camel, more'),
        "my_course.toml: techniques[1] (cat-camel): versions[1] (cat-camel-more):"
        " level must be one of easier, harder, got 'hard'",
    ),
    "alternative without who it is for": (
        mutate('replaces_when = "you cannot kneel or get down to the floor"\n', ""),
        "my_course.toml: techniques[0] (childs-pose): alternatives[0] (seated-knee-hug):"
        " missing required field 'replaces_when'",
    ),
    "unknown position": (
        mutate('position = "kneeling"', 'position = "floor"'),
        "my_course.toml: techniques[0] (childs-pose): position must be one of chair, standing, bed, lying,"
        " all-fours, kneeling, got 'floor'",
    ),
    "default order names an unknown stretch": (
        mutate('default_order = ["piriformis-stretch"', 'default_order = ["piriformis"'),
        "my_course.toml: routine: default_order: unknown technique 'piriformis'",
    ),
    "duplicate muscle group": (
        mutate('slug = "hip"', 'slug = "back"'),
        "my_course.toml: muscle_groups[2] (back): slug: duplicate slug 'back'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_content_gets_one_clear_line(tmp_path: Path, case: str) -> None:
    text, expected = BAD_FILES[case]
    with pytest.raises(ContentError) as info:
        load_course(write(tmp_path, text))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(expected), message


def test_empty_steps_are_refused(tmp_path: Path) -> None:
    text = BUNDLED.replace('"Kneel on the floor.",\n  "Sit back', '"Sit back', 1)
    text = text.replace(
        'steps = [\n  "Sit back so your bottom rests towards your heels.",\n'
        '  "Fold your upper body forward and down.",\n'
        '  "Reach your arms out along the floor in front of you, then let your back relax.",\n]',
        "steps = []",
    )
    with pytest.raises(ContentError) as info:
        load_course(write(tmp_path, text))
    assert str(info.value) == "my_course.toml: techniques[0] (childs-pose): steps must not be empty"


def test_malformed_toml_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as info:
        load_course(write(tmp_path, 'title = "ok"\nsteps = [\n  "a"\n  "b"\n]\n'))
    message = str(info.value)
    assert message.startswith("my_course.toml: not valid TOML:")
    assert "line 4" in message and "\n" not in message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"^nowhere\.toml: file not found$"):
        load_course(tmp_path / "nowhere.toml")


def test_content_error_is_a_value_error() -> None:
    assert issubclass(ContentError, ValueError)


# --- an educator's own content -----------------------------------------------------------


def test_complete_course_file_loads(tmp_path: Path) -> None:
    text = BUNDLED.replace('title = "Back Pain Relief with Stretching"', 'title = "Class of 2027"', 1)
    course = load_course(write(tmp_path, text))
    assert course.title == "Class of 2027"
    assert len(course.techniques) == 5


OVERLAY = """
extends = "stretchkit"

# Our clinic holds the hamstring stretch a little longer.
[[techniques]]
slug = "hamstring-stretch"
hold_seconds = 45
reps = 2

[[techniques]]
slug = "knee-to-chest"
name = "Knee-to-Chest Stretch"
summary = "Lying on your back, draw one knee towards your chest."
start_position = "Lying on your back, knees bent."
steps = ["Lie on your back with both knees bent.", "Draw one knee towards your chest with both hands."]
targets = ["the lower back"]
why = "It gently stretches the lower back."
hold_seconds = 5
hold_source = "mayo-back-exercises"
per_side = true
reps = 2
reps_source = "mayo-back-exercises"
cautions = [{ text = "Stop if your back pain gets worse.", source = "nhs-back-pain" }]
mistakes = [{ text = "Pulling hard on the knee.", source = "mayo-stretching" }]
illustration_alt = "Stick figure lying on the back hugging one knee to the chest."
source = "mayo-back-exercises"
"""


def test_overlay_overrides_and_adds_techniques(tmp_path: Path) -> None:
    course = load_course(write(tmp_path, OVERLAY, "clinic.toml"))
    ham = course.technique("hamstring-stretch")
    assert (ham.hold_seconds, ham.reps) == (45, 2)
    assert ham.name == "Hamstring Stretch"  # fields not given stay as bundled
    assert [t.slug for t in course.techniques][-1] == "knee-to-chest"
    assert len(course.techniques) == 6
    assert course.technique("knee-to-chest").hold_seconds == 5
    assert len(course.faq) == 4 and course.tips == load_course().tips


def test_overlay_new_entry_must_be_complete(tmp_path: Path) -> None:
    """A new slug with a few fields may be a new stretch half written, or an edit of a bundled one:
    the line says what each needs."""
    text = '[[techniques]]\nslug = "new-one"\nname = "New"\n'
    with pytest.raises(ContentError) as info:
        load_course(write(tmp_path, 'extends = "stretchkit"\n' + text, "clinic.toml"))
    assert str(info.value) == (
        "clinic.toml: techniques[0] (new-one): slug: unknown technique 'new-one': to change a bundled one, "
        "use its slug (childs-pose, cat-camel, hamstring-stretch, piriformis-stretch, childs-pose-rotation); "
        "a new one needs every field, and this one has no 'summary'"
    )
    # Nearly whole, it is a new stretch: the line names the field it lacks.
    whole = OVERLAY.split("[[techniques]]")[2].replace('why = "It gently stretches the lower back."\n', "")
    with pytest.raises(ContentError) as info:
        load_course(write(tmp_path, f'extends = "stretchkit"\n[[techniques]]{whole}', "clinic.toml"))
    assert str(info.value) == "clinic.toml: techniques[0] (knee-to-chest): missing required field 'why'"


def test_overlay_bad_override_names_the_entry_as_the_file_has_it(tmp_path: Path) -> None:
    """The educator's only entry is techniques[0], not the bundled stretch's place in the course."""
    text = 'extends = "stretchkit"\n[[techniques]]\nslug = "hamstring-stretch"\nhold_seconds = -5\n'
    with pytest.raises(ContentError) as info:
        load_course(write(tmp_path, text, "clinic.toml"))
    assert str(info.value).startswith(
        "clinic.toml: techniques[0] (hamstring-stretch): hold_seconds must be a positive number"
    )
    second = OVERLAY.replace("hold_seconds = 5\n", "hold_seconds = -5\n")
    with pytest.raises(ContentError) as info:
        load_course(write(tmp_path, second, "clinic.toml"))
    assert str(info.value).startswith("clinic.toml: techniques[1] (knee-to-chest): hold_seconds must be")


def test_overlay_misspelt_slug_names_the_closest_one(tmp_path: Path) -> None:
    """An edit of the bundled stretch under a misspelt slug is not taken for an incomplete new one."""
    text = 'extends = "stretchkit"\n[[techniques]]\nslug = "hamstring-strech"\nhold_seconds = 45\n'
    with pytest.raises(ContentError) as info:
        load_course(write(tmp_path, text, "clinic.toml"))
    assert str(info.value) == (
        "clinic.toml: techniques[0] (hamstring-strech): slug: unknown technique 'hamstring-strech' "
        "— did you mean 'hamstring-stretch'?"
    )
    tip = 'extends = "stretchkit"\n[[tips]]\nslug = "posture-checks"\ntitle = "Sit tall"\n'
    with pytest.raises(ContentError, match=r"^clinic.toml: tips\[0\] \(posture-checks\): slug: unknown tip "):
        load_course(write(tmp_path, tip, "clinic.toml"))
    # A whole new stretch whose slug is close to a bundled one is simply added.
    close = OVERLAY.replace('slug = "knee-to-chest"', 'slug = "hamstring-stretches"')
    assert load_course(write(tmp_path, close, "clinic.toml")).techniques[-1].slug == "hamstring-stretches"


def test_overlay_names_bundled_entries_it_broke_as_bundled(tmp_path: Path) -> None:
    """A file that replaces the sources breaks bundled entries that cite them: they are called bundled."""
    text = 'extends = "stretchkit"\n[[sources]]\nkey = "ours"\ntitle = "Leaflet"\npublisher = "Our clinic"\n'
    with pytest.raises(ContentError) as info:
        load_course(write(tmp_path, text, "clinic.toml"))
    assert str(info.value).startswith("clinic.toml: bundled ")
    assert "unknown source" in str(info.value)


def test_overlay_must_extend_stretchkit(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as info:
        load_course(write(tmp_path, 'extends = "other"\n', "clinic.toml"))
    assert str(info.value) == "clinic.toml: extends: must be \"stretchkit\" (the bundled course), got 'other'"


def test_a_failed_load_leaves_the_bundled_course_untouched(tmp_path: Path) -> None:
    before = load_course()
    with pytest.raises(ContentError):
        load_course(write(tmp_path, 'extends = "stretchkit"\n[[techniques]]\nslug = "cat-camel"\nreps = 0\n'))
    assert load_course() == before


def test_the_facts_the_code_shows_come_from_the_content(course: stretchkit.Course) -> None:
    assert course.technique("hamstring-stretch").side_word == "leg"
    assert course.technique("piriformis-stretch").side_word == "side"
    assert course.lessons.start == "Start here"
    assert [g.name for g in course.muscle_groups] == [
        "Back muscles",
        "Piriformis (buttock)",
        "Hip",
        "Hamstrings",
    ]
    assert course.break_reminder is not None and course.break_reminder.tip == "sitting-breaks"


def test_the_bundled_course_is_loaded_once(course: stretchkit.Course) -> None:
    assert load_course() is load_course()


# --- references: each content type declares them, one walker checks them -------------------

BAD = "no-such-entry"


def test_a_bad_source_in_a_nested_item_names_its_whole_path(tmp_path: Path) -> None:
    knee_hug_caution = (
        'gone too far.", source = "mayo-lower-back-stretches" },\n]\nhip_precautions = true\n'
        'check_first = ["recent-operation"]\nmistakes = [\n  { text = "Rounding'
    )
    assert BUNDLED.count(knee_hug_caution) == 1
    text = mutate(knee_hug_caution, knee_hug_caution.replace("mayo-lower-back-stretches", "mayo-lower"))
    with pytest.raises(ContentError) as info:
        load_course(write(tmp_path, text))
    assert str(info.value).startswith(
        "my_course.toml: techniques[0] (childs-pose): alternatives[0] (seated-knee-hug):"
        " cautions[0]: source: unknown source 'mayo-lower' (known sources: acsm-2021, article,"
    )


def test_an_unknown_technique_in_a_reference_field_is_refused(tmp_path: Path) -> None:
    text = mutate(
        'quiz_overlaps = ["cat-camel", "childs-pose-rotation"]', 'quiz_overlaps = ["cat-camel", "cat"]'
    )
    with pytest.raises(ContentError) as info:
        load_course(write(tmp_path, text))
    assert str(info.value).startswith(
        "my_course.toml: techniques[0] (childs-pose): quiz_overlaps: unknown technique 'cat'"
        " (known techniques: childs-pose, seated-knee-hug, cat-camel,"
    )


def _first_of_each_type(value: object, path: tuple[str | int, ...] = ()) -> dict[type, tuple[str | int, ...]]:
    """Where the first entry of each content type is in the course, as attribute names and indexes."""
    found: dict[type, tuple[str | int, ...]] = {}
    if isinstance(value, tuple):
        for i, x in enumerate(value):
            found = {**_first_of_each_type(x, (*path, i)), **found}
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        found[type(value)] = path
        for f in dataclasses.fields(value):
            found = {**_first_of_each_type(getattr(value, f.name), (*path, f.name)), **found}
    return found


def _replaced(value: object, path: tuple[str | int, ...], new: object) -> object:
    """A copy of frozen ``value`` with the field or item at ``path`` set to ``new``."""
    if not path:
        return new
    head, *rest = path
    if isinstance(head, int):
        assert isinstance(value, tuple)
        return (*value[:head], _replaced(value[head], tuple(rest), new), *value[head + 1 :])
    return dataclasses.replace(value, **{head: _replaced(getattr(value, head), tuple(rest), new)})  # type: ignore[type-var]


def _get(value: object, path: tuple[str | int, ...]) -> object:
    for step in path:
        value = value[step] if isinstance(step, int) else getattr(value, step)  # type: ignore[index]
    return value


def test_every_declared_reference_is_checked(course: stretchkit.Course) -> None:
    """Set each declared reference of the first entry of each type to a name nothing has: one problem,
    naming that field and value, each time."""
    assert list(content._bad_references(course)) == []
    kinds: set[str] = set()
    for cls, path in _first_of_each_type(course).items():
        for name, kind in references(cls).items():
            kinds.add(kind)
            bad_value = (BAD,) if isinstance(getattr(_get(course, path), name), tuple) else BAD
            bad = _replaced(course, (*path, name), bad_value)
            assert isinstance(bad, stretchkit.Course)
            problems = list(content._bad_references(bad))
            assert len(problems) == 1, (cls.__name__, name, problems)
            _, message = problems[0]
            assert message.startswith(f"{name}: unknown "), (cls.__name__, name, message)
            assert f"{BAD!r}" in message, message
    assert kinds == {"source", "technique", "tip", "lesson"}


def test_every_field_named_for_a_source_is_declared_one() -> None:
    """A new ``*_source`` or ``*sources`` text field is checked only if its type says it is a SourceKey."""
    from stretchkit import course as types_

    for cls in vars(types_).values():
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
            continue
        hints = typing.get_type_hints(cls)
        for name, tp in hints.items():
            if name.endswith(("source", "sources")) and tp in (str, tuple[str, ...]):
                assert references(cls).get(name) == "source", f"{cls.__name__}.{name} is not a SourceKey"


def test_the_pain_scale_range_is_in_the_data_and_the_journal_and_session_follow_it(tmp_path: Path) -> None:
    """A course with a 1-5 scale: the session offers 1 to 5, the journal refuses 6 by name."""
    from stretchkit.journal import JournalStore
    from stretchkit.session import GuidedSession

    bundled = load_course().pain_scale
    assert (bundled.lowest, bundled.highest) == (0, 10)
    course = load_course(write(tmp_path, 'extends = "stretchkit"\n[pain_scale]\nlowest = 1\nhighest = 5\n'))
    assert (course.pain_scale.lowest, course.pain_scale.highest) == (1, 5)
    store = JournalStore(tmp_path / "j.sqlite3", course=course)
    with pytest.raises(ValueError, match=r"^pain_before must be a whole number from 1 to 5, got 6$"):
        store.record_session(
            routine="R",
            started_at=datetime.now(UTC),
            duration_seconds=60,
            techniques=("cat-camel",),
            pain_before=6,
        )
    assert store.sessions() == [], "nothing was written"
    from stretchkit import Journal, Routine

    session = GuidedSession(Routine(course=course), journal=Journal(tmp_path / "s.sqlite3", course=course))
    assert session.pain_before.description == "Pain before (1-5)"
    assert [v for _, v in session.pain_before.options][1:] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    "bounds", ["lowest = 5\nhighest = 5", "lowest = 0\nhighest = 11", "lowest = -1\nhighest = 4"]
)
def test_a_pain_scale_outside_what_the_journal_keeps_is_refused(tmp_path: Path, bounds: str) -> None:
    text = f'extends = "stretchkit"\n[pain_scale]\n{bounds}\n'
    with pytest.raises(
        ContentError, match=r"pain_scale: lowest and highest must satisfy 0 <= lowest < highest <= 10"
    ):
        load_course(write(tmp_path, text))


# --- an educator's added stretch: every item, hold and repeat names its source ----------------

ADDED = """extends = "stretchkit"

[[techniques]]
slug = "knee-rolls"
name = "Knee Rolls"
position = "lying"
summary = "Lying on your back, knees bent, you roll them slowly from side to side."
start_position = "Lying on your back with your knees together and bent."
steps = ["Lie on your back with your knees bent.", "Roll your knees slowly from side to side."]
targets = ["the lower back"]
why = "It moves the lower back gently."
hold_seconds = 5
hold_source = "cuh-back-mobility"
per_side = true
reps = 1
illustration_alt = "Stick figure lying on the back with the knees rolled to one side."
source = "cuh-back-mobility"
mistakes = [{ text = "Rushing.", source = "cuh-back-mobility" }]
"""


@pytest.mark.parametrize(
    ("cautions", "expected"),
    [
        ('cautions = ["Stop if it hurts."]', "cautions[0] needs its own source"),
        ('cautions = [{ text = "Stop if it hurts." }]', "cautions[0]: missing required field 'source'"),
        ('cautions = [{ text = "Stop if it hurts.", source = "" }]', "cautions[0]: source must not be empty"),
        (
            'cautions = [{ text = "Stop if it hurts.", source = "blog" }]',
            "cautions[0]: source: unknown source 'blog'",
        ),
    ],
)
def test_an_added_stretch_without_a_source_for_each_item_is_refused(
    tmp_path: Path, cautions: str, expected: str
) -> None:
    with pytest.raises(ContentError) as info:
        load_course(write(tmp_path, ADDED + cautions + "\n", "clinic.toml"))
    # counted in the educator's own file, where the stretch is the first entry
    assert str(info.value).startswith(f"clinic.toml: techniques[0] (knee-rolls): {expected}"), info.value


def test_an_added_stretch_with_a_source_for_each_item_loads(tmp_path: Path) -> None:
    ok = (
        ADDED
        + 'cautions = [{ text = "Stop if it hurts.", source = "nhs-back-pain" }]\nhip_precautions = true\n'
    )
    t = load_course(write(tmp_path, ok, "clinic.toml")).technique("knee-rolls")
    assert [c.source for c in t.cautions] == ["leeds-hip-precautions", "nhs-back-pain"]


def test_every_stretch_that_bends_crosses_or_twists_the_hip_carries_the_one_hip_caution(
    course: stretchkit.Course,
) -> None:
    hip = course.safety.hip_precautions
    assert hip is not None and "skip this stretch until your surgical team says it is fine" in hip.text
    flagged = {t.slug for t in course.all_techniques if t.hip_precautions}
    assert flagged == {
        "childs-pose",
        "seated-knee-hug",
        "hamstring-stretch",
        "seated-hamstring-stretch",
        "piriformis-stretch",
        "childs-pose-rotation",
    }
    for t in course.all_techniques:
        leeds = [c for c in t.cautions if c.source == "leeds-hip-precautions"]
        assert leeds == ([hip] if t.slug in flagged else []), t.slug  # the same words, once
        assert not any("as your team allows" in c.text for c in t.cautions)


def test_each_stretch_has_its_own_sourced_repeats(course: stretchkit.Course) -> None:
    from stretchkit.routine import reps_range

    assert reps_range(course, course.technique("cat-camel")) == (1, 10, "nhs-inform-back-exercises")
    assert reps_range(course, course.technique("hamstring-stretch")) == (1, 3, "saintlukes-hamstring")
    assert reps_range(course, course.technique("seated-side-bend")) == (1, 4, "cuh-general-exercises")
    assert course.technique("cat-camel").reps == 5
    assert course.technique("hamstring-stretch").reps == 2


def test_the_rotations_chair_version_is_a_seated_side_bend(course: stretchkit.Course) -> None:
    (chair,) = course.technique("childs-pose-rotation").alternatives
    assert chair.slug == "seated-side-bend" and chair.source == "cuh-general-exercises"
    assert "twist" not in " ".join(chair.steps).lower()


# --- beyond stretching: two strengthening exercises, kept apart from the five stretches ---------


def test_the_strengthening_exercises_are_apart_from_the_five_stretches(course: stretchkit.Course) -> None:
    assert [t.slug for t in course.strengthening] == ["pelvic-tilt", "bridge"]
    assert len(course.techniques) == 5
    stretches = {t.slug for t in course.all_techniques}
    assert not stretches & {"pelvic-tilt", "bridge"}
    practised = [t.slug for t in course.practised]
    assert practised[-2:] == ["pelvic-tilt", "bridge"]  # a routine or journal may name them
    assert course.technique("bridge").name == "Bridge"
    assert course.parent("bridge") is None


def test_each_strengthening_exercises_dose_comes_from_its_own_source(course: stretchkit.Course) -> None:
    tilt, bridge = course.technique("pelvic-tilt"), course.technique("bridge")
    # NHS inform: press and hold for 2 seconds; 5 repetitions, adding 1 or 2 every few days.
    assert (tilt.reps, tilt.reps_source, tilt.source) == (
        5,
        "nhs-inform-back-exercises",
        "nhs-inform-back-exercises",
    )
    assert (tilt.movement[0].name, tilt.movement[0].seconds) == ("Press", 2)
    assert course.reps_range(tilt) == (1, 5, "nhs-inform-back-exercises")  # no most given: its own 5
    assert "2 seconds" in tilt.steps[1] and "5 repetitions, 3 times a day" in tilt.steps[-1]
    # Mount Nittany Health: hold 5 to 15 seconds, repeat 5 to 10 times.
    assert (bridge.reps, bridge.reps_max, bridge.reps_source) == (5, 10, "mountnittany-bridge")
    assert (bridge.movement[0].name, bridge.movement[0].seconds) == ("Lift and hold", 5)
    for t in (tilt, bridge):
        assert t.check_first == ("pregnancy", "recent-operation")  # lying on the back; down to the floor
        assert not t.hip_precautions  # neither bends the hip past a right angle, crosses or twists
        assert t.chair_note is not None and "physiotherapist" in t.chair_note.text
        assert "only the timer's calm pace" in t.timer_note  # the release's seconds are no source's


STRENGTH = """extends = "stretchkit"

[[strengthening]]
slug = "wall-sit"
name = "Wall Sit"
position = "standing"
summary = "Back against a wall, you slide down a little and hold."
start_position = "Standing with your back against a wall."
steps = ["Stand with your back against a wall.", "Slide down a little and hold."]
targets = ["the thighs"]
why = "It works the thighs."
hold_seconds = 10
hold_source = "cuh-general-exercises"
per_side = false
reps = 3
illustration_alt = "Stick figure with its back against a wall, knees a little bent."
source = "cuh-general-exercises"
mistakes = []
"""


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            'reps_source = "cuh-general-exercises"\ncautions = [{ text = "Stop if it hurts." }]',
            "cautions[0]: missing required field 'source'",
        ),
        ("cautions = []", "reps_source: missing required field 'reps_source' (whose advice the repeats are)"),
        (
            'reps_source = "cuh-general-exercises"\ncautions = []\n'
            'chair_note = { text = "Ask a physiotherapist." }',
            "chair_note: missing required field 'source'",
        ),
    ],
)
def test_an_added_strengthening_exercise_without_its_sources_is_refused(
    tmp_path: Path, extra: str, expected: str
) -> None:
    with pytest.raises(ContentError) as info:
        load_course(write(tmp_path, STRENGTH + extra + "\n", "clinic.toml"))
    assert str(info.value).startswith(f"clinic.toml: strengthening[0] (wall-sit): {expected}"), info.value


def test_an_added_strengthening_exercise_with_its_sources_loads_beside_the_bundled_ones(
    tmp_path: Path,
) -> None:
    ok = STRENGTH + 'reps_source = "cuh-general-exercises"\ncautions = []\n'
    course = load_course(write(tmp_path, ok, "clinic.toml"))
    assert [t.slug for t in course.strengthening] == ["pelvic-tilt", "bridge", "wall-sit"]
    assert course.technique("wall-sit").hold_seconds == 10
    clash = ok.replace('slug = "wall-sit"', 'slug = "cat-camel"')
    with pytest.raises(
        ContentError, match="strengthening\\[0\\] \\(cat-camel\\): slug: duplicate slug 'cat-camel'"
    ):
        load_course(write(tmp_path, clash, "clinic.toml"))


def test_the_piriformis_stretchs_easier_choice_is_the_sourced_seated_knee_hug(
    course: stretchkit.Course, tmp_path: Path
) -> None:
    """No NHS or Mayo Clinic page describes an easier form of the stretch itself: the easier
    choice is the Seated Knee Hug, whose own source says what it stretches."""
    t = course.technique("piriformis-stretch")
    instead = t.easier_instead
    assert instead is not None and instead.technique == "seated-knee-hug"
    assert instead.source == course.technique("seated-knee-hug").source == "mayo-lower-back-stretches"
    assert "cannot lift your ankle onto the other knee" in instead.text
    assert any("If your knee hurts, do not press on it" in c.text for c in t.cautions)
    bad = mutate(
        'easier_instead = { technique = "seated-knee-hug"', 'easier_instead = { technique = "knee-hug"'
    )
    with pytest.raises(ContentError, match="easier_instead: technique: unknown technique 'knee-hug'"):
        load_course(write(tmp_path, bad))
