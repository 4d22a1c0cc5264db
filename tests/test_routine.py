"""Routines: validated against the course's safe ranges, saved as files, built in a form,
played as one guided session that lands in the journal, and printed as a one-page handout."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchkit import load_course
from stretchkit.practice import Journal
from stretchkit.routine import DEFAULT_TITLE, Routine, RoutineItem
from stretchkit.session import GuidedSession, RoutineBuilder
from stretchkit.wording import cite

COURSE = load_course()
LIMITS = COURSE.routine
HELD = [t.slug for t in COURSE.techniques if not t.is_movement]
MOVEMENT = next(t.slug for t in COURSE.techniques if t.is_movement)
HOLD_RANGE = f"between {LIMITS.hold_min:g} and {LIMITS.hold_max:g} s ({cite(COURSE, LIMITS.hold_source)})"
REPS_RANGE = f"between {LIMITS.reps_min} and {LIMITS.reps_max} ({cite(COURSE, LIMITS.reps_source)})"


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


def test_cite_shortens_long_publishers() -> None:
    assert cite(COURSE, "acsm-2021") == "ACSM"
    assert cite(COURSE, "mayo-back-exercises") == "Mayo Clinic"


@pytest.mark.parametrize("hold", [LIMITS.hold_min - 1, LIMITS.hold_max + 30, 0, -10])
def test_a_hold_out_of_range_names_field_technique_range_and_source(hold: float) -> None:
    slug = HELD[2]
    with pytest.raises(ValueError) as err:
        Routine([RoutineItem(slug, hold=hold)])
    assert str(err.value) == f"hold for {slug} must be {HOLD_RANGE}, got {hold!r}"


def test_the_issue_example_message() -> None:
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


@pytest.mark.parametrize("reps", [LIMITS.reps_min - 1, LIMITS.reps_max + 1])
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
        '[[techniques]]\nslug = "childs-pose"\n\n[[techniques]]\nslug = "cat-camel"\nreps = 9\n',
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
    plan = r.plan()
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


# --- the builder widget ------------------------------------------------------------------------


def test_the_builder_starts_from_the_default_routine() -> None:
    b = RoutineBuilder()
    assert b.routine == Routine()
    assert repr(b) == f"RoutineBuilder({DEFAULT_TITLE}: 5 techniques)"
    assert "5 stretches" in b.summary.value


def find_row(b: RoutineBuilder, slug: str) -> Any:
    return next(r for r in b._rows if r.technique.slug == slug)


def test_the_builder_controls_stay_within_the_safe_ranges_and_are_labelled() -> None:
    b = RoutineBuilder()
    for row in b._rows:
        assert row.include.description == row.technique.name
        assert (row.reps.min, row.reps.max) == (LIMITS.reps_min, LIMITS.reps_max)
        assert (row.rest.min, row.rest.max) == (0, LIMITS.rest_max)
        assert row.reps.description and row.rest.description and row.reps.tooltip
        if row.technique.is_movement:
            assert row.hold is None, "Cat-Camel has no hold control"
        else:
            assert row.hold is not None
            own = row.technique.hold_seconds  # the course's range, widened only to its own sourced hold
            assert (row.hold.min, row.hold.max) == (min(LIMITS.hold_min, own), max(LIMITS.hold_max, own))
            assert cite(COURSE, LIMITS.hold_source) in row.hold.tooltip


def test_the_builder_offers_each_adapted_position_beside_its_stretch() -> None:
    b = RoutineBuilder()
    slugs = [r.technique.slug for r in b._rows]
    for t in COURSE.techniques:
        for a in t.alternatives:
            assert slugs.index(a.slug) > slugs.index(t.slug)
            row = find_row(b, a.slug)
            assert not row.include.value  # the default routine uses the floor version
            assert f"version of {html.escape(t.name)}" in row.box.children[1].value
    chair = [r for r in b._rows if r.technique.position == "chair"]
    for r in b._rows:
        r.include.value = r in chair
    routine = b.routine
    assert set(routine.techniques) == {r.technique.slug for r in chair}
    assert all(COURSE.technique(s).position == "chair" for s in routine.techniques)


def test_changing_the_form_makes_a_new_routine() -> None:
    b = RoutineBuilder()
    seen: list[Routine] = []
    b.on_change(seen.append)
    row = find_row(b, HELD[2])
    assert row.hold is not None
    row.hold.value = 45
    row.reps.value = 2
    find_row(b, MOVEMENT).include.value = False
    b.title.value = "Evening"
    r = b.routine
    assert r.title == "Evening"
    assert MOVEMENT not in r.techniques
    assert r.item(HELD[2]).hold == 45 and r.item(HELD[2]).reps == 2
    assert seen[-1] == r
    assert find_row(b, MOVEMENT).reps.disabled, "controls of an unticked stretch are disabled"


def test_unticking_everything_explains_and_keeps_the_last_routine() -> None:
    b = RoutineBuilder(Routine([HELD[0]]))
    last = b.routine
    find_row(b, HELD[0]).include.value = False
    assert b.error == "Choose at least one stretch for the routine."
    assert "Choose at least one stretch" in b.summary.value
    assert b.routine == last
    b.title.value = ""
    find_row(b, HELD[0]).include.value = True
    assert "title must be text" in b.error


def test_the_builder_saves_a_routine_file(tmp_path: Path) -> None:
    b = RoutineBuilder(Routine([RoutineItem(HELD[1], hold=40)], title="Handout"))
    assert Routine.load(b.save(tmp_path / "r.toml")) == b.routine


def test_the_builder_repr_is_deterministic_with_a_readable_fallback() -> None:
    bundles = [RoutineBuilder()._repr_mimebundle_() for _ in range(2)]
    data = [b[0] if isinstance(b, tuple) else b for b in bundles]
    assert data[0]["text/plain"] == data[1]["text/plain"] == f"RoutineBuilder({DEFAULT_TITLE}: 5 techniques)"
    assert data[0]["text/html"] == data[1]["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in data[0]
    for t in COURSE.techniques:
        assert t.name.replace("'", "&#x27;") in data[0]["text/html"]
    assert not re.search(r"0x[0-9a-f]{6,}", data[0]["text/plain"] + data[0]["text/html"])


# --- the guided session ------------------------------------------------------------------------

NOW = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)


def session(tmp_path: Path, routine: Routine | None = None) -> GuidedSession:
    return GuidedSession(
        routine, journal=Journal(tmp_path / "journal.sqlite3"), clock=lambda: NOW, sound=False
    )


def test_completing_the_timer_records_the_session(tmp_path: Path) -> None:
    r = Routine([HELD[0], MOVEMENT], title="Quick")
    g = session(tmp_path, r)
    assert g.timer.plan == g.plan
    g.pain_before.value = 6
    assert g.save_button.disabled and g.journal.sessions() == []
    g.timer.completed_runs += 1  # what the browser does when the run finishes
    (saved,) = g.journal.sessions()
    total = g.plan.total_seconds
    assert saved == g.record
    assert saved.routine == "Quick" and saved.techniques == r.techniques
    assert saved.duration_seconds == saved.planned_seconds == total
    assert saved.started_at == NOW - timedelta(seconds=total)
    assert (saved.pain_before, saved.pain_after) == (6, None)
    assert g.journal.minutes_per_day() == {date(2025, 3, 3): total / 60}
    chart = g.journal.minutes_chart(today=date(2025, 3, 3))
    assert "practice in 1 of 14 days" in chart.alt, "and it shows in the journal's chart"
    assert "1 session" in g.journal.pain_chart().alt
    assert "Saved to your journal" in g.status.value
    assert not g.save_button.disabled and g.save_button.description == "Update journal entry"


def test_pain_after_and_a_note_update_the_same_entry(tmp_path: Path) -> None:
    g = session(tmp_path)
    g.timer.completed_runs += 1
    g.pain_after.value = 3
    g.note.value = "Hips looser"
    assert "Changes not saved yet" in g.status.value
    g.save_button.click()
    (saved,) = g.journal.sessions()
    assert (saved.pain_before, saved.pain_after, saved.note) == (None, 3, "Hips looser")
    assert "updated" in g.status.value


def test_each_completed_run_is_its_own_session(tmp_path: Path) -> None:
    g = session(tmp_path)
    g.timer.completed_runs += 1
    g.timer.completed_runs += 1
    assert len(g.journal.sessions()) == 2


def test_saving_before_the_timer_completes_explains(tmp_path: Path) -> None:
    g = session(tmp_path)
    assert g.save() is None
    assert "saved when the timer completes" in g.status.value
    assert g.journal.sessions() == []


def test_a_journal_problem_is_shown_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    g = GuidedSession(Routine([HELD[0]]), journal=Journal(path), clock=lambda: NOW)
    path.write_text("not a database", encoding="utf-8")  # something replaced the file meanwhile
    g.timer.completed_runs += 1
    assert "Not saved" in g.status.value and "not a SQLite database" in g.error
    assert path.read_text(encoding="utf-8") == "not a database"


def test_the_session_uses_the_default_journal(tmp_path: Path) -> None:
    g = GuidedSession(Routine([HELD[0]]), clock=lambda: NOW)
    g.timer.completed_runs += 1
    assert len(Journal().sessions()) == 1


def test_pain_pickers_offer_not_recorded_and_0_to_10(tmp_path: Path) -> None:
    g = session(tmp_path)
    labels = [label for label, _ in g.pain_before.options]
    assert labels == ["not recorded", *map(str, range(11))]
    assert COURSE.pain_scale.low_anchor in g.pain_before.tooltip


def test_the_session_repr_is_deterministic(tmp_path: Path) -> None:
    g = session(tmp_path, Routine([HELD[0]], title="One"))
    bundle = g._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert data["text/plain"] == repr(g) == "GuidedSession(One: 1 technique)"
    assert COURSE.technique(HELD[0]).name.replace("'", "&#x27;") in data["text/html"]


def test_the_session_refuses_a_non_routine() -> None:
    with pytest.raises(TypeError, match="routine must be a Routine"):
        GuidedSession("all")  # type: ignore[arg-type]


# --- the printable handout -----------------------------------------------------------------------


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


@pytest.mark.parametrize("routine", [Routine(title="Morning class", rest_between=10), Routine([MOVEMENT])])
def test_the_handout_is_a_one_page_pdf(tmp_path: Path, routine: Routine) -> None:
    path = routine.handout(tmp_path / "handout.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert pdf_pages(data) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["handout.pdf"]


def test_the_handout_shows_names_steps_and_holds() -> None:
    from stretchkit.export import handout_figure

    r = Routine([RoutineItem(HELD[2], hold=45, reps=2)], title="Class")
    fig = handout_figure(r)
    text = "\n".join(t.get_text() for t in fig.texts)
    t = COURSE.technique(HELD[2])
    assert "Class" in text and t.name in text
    assert "2 sides x 45 s, 2 reps" in text
    assert t.steps[0] in text
    assert COURSE.safety.stop_when[0].text.split(",")[0] in text
    assert sum(1 for ax in fig.axes if ax.lines or ax.patches or ax.collections) >= 1, "the drawing is there"
