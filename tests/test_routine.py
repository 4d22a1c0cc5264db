"""Routines: validated against the course's safe ranges, saved as files, made into one timer
plan with each stretch's drawing, and printed as a handout (the builder and the guided
session that play them are tested in test_session.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchkit import load_course
from stretchkit.handout import illustrated_plan, write_handout
from stretchkit.routine import DEFAULT_TITLE, Routine, RoutineItem
from stretchkit.wording import cite

COURSE = load_course()
LIMITS = COURSE.routine
HELD = [t.slug for t in COURSE.techniques if not t.is_movement]
MOVEMENT = next(t.slug for t in COURSE.techniques if t.is_movement)
HOLD_RANGE = f"between {LIMITS.hold_min:g} and {LIMITS.hold_max:g} s ({cite(COURSE, LIMITS.hold_source)})"
CAT_CAMEL = COURSE.technique(MOVEMENT)
assert CAT_CAMEL.reps_max is not None
#: Cat-Camel's own repeats: NHS inform's build-up, up to about 10, not the course-wide fallback.
REPS_RANGE = f"between {LIMITS.reps_min} and {CAT_CAMEL.reps_max} ({cite(COURSE, CAT_CAMEL.reps_source)})"


# --- the routine -----------------------------------------------------------------------------


def test_the_default_routine_is_all_five_grouped_by_position_with_course_values() -> None:
    r = Routine()
    assert r.techniques == COURSE.routine.default_order
    assert sorted(r.techniques) == sorted(t.slug for t in COURSE.techniques)
    # one trip down to the floor and one back up: chair first, then lying, all fours, kneeling
    positions = [COURSE.technique(s).position for s in r.techniques]
    assert positions == ["chair", "lying", "all-fours", "kneeling", "kneeling"]
    assert r.title == DEFAULT_TITLE and r.rest_between == 0
    for item, t in zip(r.items, (COURSE.technique(s) for s in r.techniques), strict=True):
        assert item.hold == t.hold_seconds  # None for the paced movement
        assert item.reps == t.reps
        assert item.rest == 0


def test_a_chosen_subset_keeps_its_order_and_settings() -> None:
    r = Routine([HELD[1], RoutineItem(MOVEMENT, reps=LIMITS.reps_min)], title="Desk break", rest_between=10)
    assert r.techniques == (HELD[1], MOVEMENT)
    assert r.item(MOVEMENT).reps == LIMITS.reps_min
    assert r.rest_between == 10
    assert repr(r) == "Routine(Desk break: 2 techniques)"


@pytest.mark.parametrize("hold", [LIMITS.hold_min - 1, LIMITS.hold_max + 30, 0, -10])
def test_a_hold_out_of_range_names_field_technique_range_and_source(hold: float) -> None:
    slug = HELD[2]
    with pytest.raises(ValueError) as err:
        Routine([RoutineItem(slug, hold=hold)])
    assert str(err.value) == f"hold for {slug} must be {HOLD_RANGE}, got {hold!r}"


def test_a_hold_of_90_s_says_the_range_and_whose_advice_it_is() -> None:
    with pytest.raises(
        ValueError, match=r"^hold for hamstring-stretch must be between 10 and 60 s \(ACSM\), got 90$"
    ):
        Routine([RoutineItem("hamstring-stretch", hold=90)])


@pytest.mark.parametrize("hold", ["30", None.__class__, True, float("inf"), float("nan")])
def test_a_hold_of_the_wrong_type_is_refused(hold: Any) -> None:
    with pytest.raises(ValueError, match=f"hold for {HELD[0]} must be a number of seconds"):
        Routine([RoutineItem(HELD[0], hold=hold)])


def test_the_paced_movement_has_no_hold() -> None:
    with pytest.raises(ValueError, match=f"hold does not apply to {MOVEMENT}: it is a paced movement"):
        Routine([RoutineItem(MOVEMENT, hold=30)])


@pytest.mark.parametrize("reps", [LIMITS.reps_min - 1, CAT_CAMEL.reps_max + 1])
def test_reps_out_of_range(reps: int) -> None:
    with pytest.raises(ValueError) as err:
        Routine([RoutineItem(MOVEMENT, reps=reps)])
    assert str(err.value) == f"reps for {MOVEMENT} must be {REPS_RANGE}, got {reps!r}"


@pytest.mark.parametrize("reps", [1.5, "2", True])
def test_reps_must_be_whole_numbers(reps: Any) -> None:
    with pytest.raises(ValueError, match=f"reps for {HELD[0]} must be a whole number"):
        Routine([RoutineItem(HELD[0], reps=reps)])


@pytest.mark.parametrize("rest", [-1, LIMITS.rest_max + 1, "5", None])
def test_rest_out_of_range(rest: Any) -> None:
    with pytest.raises(ValueError, match=f"rest for {HELD[0]} must be between 0 and {LIMITS.rest_max:g} s"):
        Routine([RoutineItem(HELD[0], rest=rest)])


@pytest.mark.parametrize("rest", [-5, LIMITS.rest_max + 1, "10"])
def test_rest_between_out_of_range(rest: Any) -> None:
    with pytest.raises(ValueError, match=f"rest_between must be between 0 and {LIMITS.rest_max:g} s"):
        Routine(rest_between=rest)


def test_unknown_technique_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"technique must be one of childs-pose, .*, got 'toe-touch'"):
        Routine(["toe-touch"])


@pytest.mark.parametrize(
    ("techniques", "message"),
    [
        ([], "at least one technique"),
        ("childs-pose", "techniques must be a list"),
        (5, "techniques must be a list"),
        ([3], "techniques entries must be technique slugs or RoutineItems"),
        (["childs-pose", "childs-pose"], "childs-pose appears twice"),
    ],
)
def test_bad_technique_lists(techniques: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Routine(techniques)


@pytest.mark.parametrize("title", ["", "   ", "x" * 81, 7])
def test_bad_titles(title: Any) -> None:
    with pytest.raises(ValueError, match="title must be text of 1 to 80 characters"):
        Routine(title=title)


def test_with_settings_returns_a_validated_copy() -> None:
    r = Routine()
    changed = r.with_settings(HELD[0], hold=45, reps=2, rest=10)
    assert changed.item(HELD[0]) == RoutineItem(HELD[0], 45, 2, 10)
    assert r.item(HELD[0]).hold == COURSE.technique(HELD[0]).hold_seconds, "the original is unchanged"
    with pytest.raises(ValueError, match="hold for"):
        r.with_settings(HELD[0], hold=LIMITS.hold_max + 1)
    with pytest.raises(KeyError, match="not in this routine"):
        Routine([HELD[0]]).with_settings(HELD[1], reps=2)


@settings(max_examples=40, deadline=None)
@given(
    hold=st.integers(int(LIMITS.hold_min), int(LIMITS.hold_max)),
    reps=st.integers(LIMITS.reps_min, LIMITS.reps_max),
    rest=st.integers(0, int(LIMITS.rest_max)),
    between=st.integers(0, int(LIMITS.rest_max)),
)
def test_every_in_range_setting_is_accepted_and_survives_a_file(
    hold: int, reps: int, rest: int, between: int
) -> None:
    items = [RoutineItem(s, hold=hold, reps=reps, rest=rest) for s in HELD] + [
        RoutineItem(MOVEMENT, reps=reps)
    ]
    r = Routine(items, title="Class routine", rest_between=between)
    assert Routine.from_toml(r.to_toml()) == r
    assert Routine.from_dict(r.to_dict()) == r


# --- routine files ----------------------------------------------------------------------------


def test_save_and_load(tmp_path: Path) -> None:
    r = Routine(
        [RoutineItem(HELD[0], hold=45, reps=2, rest=15), MOVEMENT], title="Morning class", rest_between=10
    )
    path = r.save(tmp_path / "morning.toml")
    text = path.read_text(encoding="utf-8")
    assert 'title = "Morning class"' in text and "[[techniques]]" in text
    assert Routine.load(path) == r


FILE_ERRORS = {
    "hold": (
        '[[techniques]]\nslug = "hamstring-stretch"\nhold = 90\n',
        "techniques[0] (hamstring-stretch): hold for",
    ),
    "reps": (
        '[[techniques]]\nslug = "childs-pose"\n\n[[techniques]]\nslug = "cat-camel"\nreps = 11\n',
        "techniques[1] (cat-camel): reps for cat-camel must be between",
    ),
    "typo": (
        '[[techniques]]\nslug = "childs-pose"\nhodl = 30\n',
        "techniques[0] (childs-pose): unknown field 'hodl'",
    ),
    "no-slug": ("[[techniques]]\nhold = 30\n", "techniques[0]: missing required field 'slug'"),
    "unknown": (
        '[[techniques]]\nslug = "toe-touch"\n',
        "techniques[0] (toe-touch): technique must be one of",
    ),
    "title": ('title = ""\n', "title must be text"),
    "rest": ("rest_between = 120\n", "rest_between must be between 0 and"),
    "field": ('colour = "red"\n', "unknown field 'colour'"),
    "list": ('techniques = "all"\n', "techniques must be a list"),
    "entry": ("techniques = [3]\n", "techniques[0]: must be a table"),
    "toml": ("title = \n", "not valid TOML"),
}


@pytest.mark.parametrize(("toml", "message"), FILE_ERRORS.values(), ids=FILE_ERRORS.keys())
def test_routine_file_errors_name_file_entry_and_field(toml: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"class.toml: {message}")):
        Routine.from_toml(toml, source="class.toml")


def test_a_file_may_list_plain_slugs_and_leave_out_techniques() -> None:
    assert Routine.from_toml('techniques = ["cat-camel"]\n').techniques == ("cat-camel",)
    assert Routine.from_toml('title = "All"\n').techniques == Routine().techniques


def test_loading_a_missing_or_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"nope.toml: file not found"):
        Routine.load(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\xff\xfe")
    with pytest.raises(ValueError, match=r"bad\.toml: cannot be read"):
        Routine.load(bad)


# --- the plan for the guided session -----------------------------------------------------------


def test_the_plan_names_each_stretch_and_shows_its_illustration() -> None:
    r = Routine(
        [HELD[0], RoutineItem(MOVEMENT, reps=2, rest=5), RoutineItem(HELD[2], hold=20)], rest_between=10
    )
    plan = illustrated_plan(r)
    timed = [p for p in plan.phases if p.kind not in ("done", "rest") or p.technique]
    names = {COURSE.technique(s).name for s in r.techniques}
    assert {p.technique for p in timed} == names
    for p in timed:
        assert p.image.lstrip().startswith(("<svg", "<?xml")), "every phase shows its stretch's drawing"
    order = list(dict.fromkeys(p.technique for p in timed))
    assert order == [COURSE.technique(s).name for s in r.techniques]
    holds = [
        p.seconds for p in plan.phases if p.kind == "hold" and p.technique == COURSE.technique(HELD[2]).name
    ]
    assert holds == [20, 20]  # both sides
    assert plan.phases[-1].kind == "done"
    assert sum(1 for p in plan.phases if p.kind == "rest" and p.reps == 0) == 2  # between the 3 stretches
    assert r.total_seconds == plan.total_seconds


def _svg_title(svg: str) -> str:
    match = re.search(r"<title>(.*?)</title>", svg, re.S)
    assert match, "the drawing has a title for screen readers"
    return match.group(1)


def test_the_session_shows_the_position_of_the_moment_alone() -> None:
    """Cat during Cat, Camel during Camel, each side while it is held: one panel, not the whole figure."""
    r = Routine([RoutineItem(MOVEMENT, reps=2), RoutineItem("hamstring-stretch", hold=20), "childs-pose"])
    plan = illustrated_plan(r)
    for p in plan.phases:
        if not p.image:
            continue
        assert p.image.count('<g id="axes_') == 1, f"{p.label}: one position only"
        title = _svg_title(p.image)
        if p.kind == "move":
            assert title.endswith(f": {p.label} (side view)")
        if p.kind == "hold" and p.side:
            assert f"{p.side.capitalize()} leg" in title
        if p.kind == "switch":
            assert "Right leg" in title  # the side to come
    moves = [p for p in plan.phases if p.kind == "move"]
    assert moves[0].image != moves[1].image and moves[0].image == moves[2].image
    # Large enough to follow from a mat: the single panel is drawn at the lesson figure's scale.
    width = float(re.search(r'width="([\d.]+)pt"', moves[0].image).group(1))  # type: ignore[union-attr]
    assert width >= 250


def test_a_routine_title_ending_in_a_stop_is_not_given_another() -> None:
    plan = Routine(["cat-camel"], title="Morning stretch.").plan()
    assert plan.phases[-1].cue == "Finished: Morning stretch."


# --- the printable handout -----------------------------------------------------------------------
# Its sizes, margins, cautions, red flags and blanks are read from the PDF in test_handout.py.


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


@pytest.mark.parametrize(
    ("routine", "pages"), [(Routine(title="Morning class", rest_between=10), 3), (Routine([MOVEMENT]), 1)]
)
def test_the_handout_is_a_pdf_of_as_few_pages_as_fit(tmp_path: Path, routine: Routine, pages: int) -> None:
    path = write_handout(routine, tmp_path / "handout.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert pdf_pages(data) == pages
    assert [p.name for p in tmp_path.iterdir()] == ["handout.pdf"]


def _handout_texts(routine: Routine) -> tuple[list[Any], list[Any]]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from stretchkit.handout import handout_pages

    figures = handout_pages(routine)
    texts = []
    for fig in figures:
        FigureCanvasAgg(fig).draw()  # type: ignore[no-untyped-call]  # matplotlib's Agg canvas is untyped
        texts += [*fig.texts, *(t for ax in fig.axes for t in (*ax.texts, ax.title))]
    return figures, [t for t in texts if t.get_text().strip()]


def test_the_handout_shows_names_steps_and_holds() -> None:
    r = Routine([RoutineItem(HELD[2], hold=45, reps=2)], title="Class")
    figures, texts = _handout_texts(r)
    text = " ".join(t.get_text() for t in texts)
    t = COURSE.technique(HELD[2])
    assert "Class" in text and t.name in text
    assert "2 sides x 45 s, 2 reps" in text
    assert t.steps[0].split()[0] in text
    assert COURSE.safety.stop_when[0].text.split(",")[0] in text
    drawn = [ax for fig in figures for ax in fig.axes if ax.lines or ax.patches or ax.collections]
    assert len(drawn) >= 1, "the drawing is there"


def test_the_handout_steps_use_the_routines_own_hold() -> None:
    """Hamstring held 20 s: no step or caution on the page may still say 30 seconds."""
    t = COURSE.technique("hamstring-stretch")
    assert any("30 seconds" in step for step in t.steps)  # the course's own wording states its hold
    r = Routine([RoutineItem("hamstring-stretch", hold=20), RoutineItem("childs-pose-rotation", hold=15)])
    _, texts = _handout_texts(r)
    page = " ".join(" ".join(x.get_text().split()) for x in texts)
    step = "Hold for about 20 seconds, then lower the leg and change sides. Do each leg 2 or 3 times."
    assert "2 sides x 20 s, 2 reps" in page and step in page
    assert "2 sides x 15 s" in page  # Child's Pose with Rotation's own hold
    assert "30 seconds" not in page
    # The course's own holds still read as written.
    _, texts = _handout_texts(Routine(["hamstring-stretch"]))
    assert "Hold for about 30 seconds" in " ".join(x.get_text() for x in texts)


@pytest.mark.parametrize(
    "routine",
    [
        Routine(title="Morning class", rest_between=10),
        Routine([RoutineItem("childs-pose-rotation", hold=20)]),
    ],
)
def test_no_handout_text_runs_out_of_its_box(routine: Routine) -> None:
    """Every label inside a drawing stays inside it (and inside the mat); page text stays on the page."""
    from matplotlib.patches import FancyBboxPatch

    _, texts = _handout_texts(routine)
    for text in texts:
        fig = text.get_figure(root=True)
        renderer = fig.canvas.get_renderer()
        page = fig.bbox
        box = text.get_window_extent(renderer)
        assert page.x0 + 20 <= box.x0 and box.x1 <= page.x1 - 20, f"{text.get_text()!r} runs off the page"
        ax = text.axes
        if ax is None or text is ax.title:
            continue
        inner = ax.get_window_extent(renderer)
        assert inner.x0 - 0.5 <= box.x0 and box.x1 <= inner.x1 + 0.5, (
            f"{text.get_text()!r} leaves its drawing"
        )
        assert inner.y0 - 0.5 <= box.y0 and box.y1 <= inner.y1 + 0.5, (
            f"{text.get_text()!r} leaves its drawing"
        )
        for mat in (p for p in ax.patches if isinstance(p, FancyBboxPatch)):
            edge = mat.get_window_extent(renderer)
            if edge.overlaps(box):
                assert edge.x0 <= box.x0 and box.x1 <= edge.x1, (
                    f"{text.get_text()!r} crosses the mat's border"
                )
                assert edge.y0 <= box.y0 and box.y1 <= edge.y1, (
                    f"{text.get_text()!r} crosses the mat's border"
                )


def test_a_routine_can_use_an_easier_or_harder_version_with_its_own_settings() -> None:
    r = Routine(["hamstring-towel-behind-thigh", "cat-camel-more", "piriformis-longer"])
    towel, more, longer = (r.technique(i.technique) for i in r.items)
    assert towel.steps[1].startswith("Put a towel around the back of one thigh")
    assert (more.reps, longer.hold_seconds) == (10, 60)
    plan = r.plan()
    assert {p.seconds for p in plan.phases if p.technique == longer.name and p.kind == "hold"} == {60}
    assert max(p.rep for p in plan.phases if p.technique == more.name) == 10
    # Beyond a version's own sourced repeats is refused, naming its source.
    with pytest.raises(ValueError, match=r"reps for cat-camel-more must be between 1 and 10 \(NHS inform\)"):
        Routine([RoutineItem("cat-camel-more", reps=11)])


def test_a_version_is_drawn_as_its_stretch_only_when_done_the_stretchs_way() -> None:
    from stretchkit.drawing import has_drawing

    assert has_drawing(COURSE.technique("cat-camel-more"))  # the same movement, more repeats
    assert has_drawing(COURSE.technique("piriformis-longer"))
    # Its own steps (a towel behind the thigh): the stretch's drawing (towel under the foot) would mislead.
    assert not has_drawing(COURSE.technique("hamstring-towel-behind-thigh"))


def test_a_versions_handout_says_what_changes(tmp_path: Path) -> None:
    r = Routine(["childs-pose-partway"])
    _, texts = _handout_texts(r)
    page = " ".join(" ".join(x.get_text().split()) for x in texts)
    change = COURSE.technique("childs-pose").versions[0].change.text
    assert " ".join(change.split()) in page


def test_a_routine_can_include_the_strengthening_exercises() -> None:
    """Lesson 01's pelvic tilt and bridge are practised techniques: a routine times them from their data."""
    routine = Routine(["piriformis-stretch", "pelvic-tilt", "bridge"])
    moves = [p for p in routine.plan().phases if p.kind == "move"]
    assert {p.technique for p in moves} == {"Pelvic Tilt", "Bridge"}
    assert [p.label for p in moves[:2]] == ["Press", "Release"]
    with pytest.raises(ValueError, match="reps for bridge"):
        Routine([RoutineItem("bridge", reps=11)])  # Mount Nittany Health's most is 10
