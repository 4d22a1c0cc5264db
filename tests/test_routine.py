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
from stretchkit.handout import illustrated_plan, write_handout
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


def test_a_hold_typed_beyond_the_limit_is_capped_and_the_builder_says_so() -> None:
    b = RoutineBuilder()
    row = find_row(b, HELD[0])
    assert row.hold is not None and row.hold_note is not None
    assert row.hold_note.value == "", "no note within the limits"
    row.hold.value = 90  # typed into the box: the box keeps the course's most
    assert row.hold.value == LIMITS.hold_max == 60 and b.routine.item(HELD[0]).hold == 60
    source = cite(COURSE, LIMITS.hold_source)
    assert (
        row.hold_note.value == f'<span role="status">60 s is the most this course suggests ({source})</span>'
    )
    row.hold.value = 5
    assert row.hold.value == LIMITS.hold_min
    assert "10 s is the least this course suggests" in row.hold_note.value
    row.hold.value = 30
    assert row.hold_note.value == ""


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


def finish(
    g: GuidedSession,
    spent: list[float] | None = None,
    skipped: list[int] | None = None,
    paused: float = 0,
) -> None:
    """What the browser sends when a run completes: its report and the new count, in one message.

    ``spent`` defaults to every phase played in full; ``paused`` seconds are on the clock only.
    """
    phases = g.plan.phases
    seconds = [p.seconds for p in phases] if spent is None else spent
    report = {"spent": seconds, "skipped": skipped or [], "wall": sum(seconds) + paused}
    g.timer.set_state(
        {
            "state": "done",
            "phase_index": len(phases) - 1,
            "run": report,
            "completed_runs": g.timer.completed_runs + 1,
        }
    )


def skim(g: GuidedSession, seconds: float) -> list[float]:
    """Every phase skipped after ``seconds`` (or less when shorter): a routine skipped through."""
    return [min(seconds, p.seconds) for p in g.plan.phases]


def test_completing_the_timer_records_the_session(tmp_path: Path) -> None:
    r = Routine([HELD[0], MOVEMENT], title="Quick")
    g = session(tmp_path, r)
    assert g.timer.plan == g.plan
    g.pain_before.value = 6
    assert g.save_button.disabled and g.journal.sessions() == []
    finish(g)  # played through, no pauses
    (saved,) = g.journal.sessions()
    total = g.plan.total_seconds
    assert saved == g.record
    assert saved.routine == "Quick" and saved.techniques == r.techniques
    assert saved.duration_seconds == saved.planned_seconds == total
    assert saved.started_at == NOW - timedelta(seconds=total)
    assert (saved.status, saved.done, saved.skipped) == ("complete", r.techniques, ())
    assert (saved.pain_before, saved.pain_after) == (6, None)
    assert g.journal.minutes_per_day() == {date(2025, 3, 3): total / 60}
    chart = g.journal.minutes_chart(today=date(2025, 3, 3))
    assert "practice in 1 of 14 days" in chart.alt, "and it shows in the journal's chart"
    assert "1 session" in g.journal.pain_chart().alt
    assert "Saved to your journal" in g.status.value and "complete: all 2 stretches done" in g.status.value
    assert not g.save_button.disabled and g.save_button.description == "Update journal entry"


def test_pauses_are_not_time_spent_and_the_start_is_when_it_started(tmp_path: Path) -> None:
    g = session(tmp_path, Routine([HELD[0]]))
    total = g.plan.total_seconds
    finish(g, paused=600)  # a ten-minute pause (the phone rang)
    (saved,) = g.journal.sessions()
    assert saved.duration_seconds == total
    assert saved.started_at == NOW - timedelta(seconds=total + 600)


def test_a_routine_skipped_through_in_seconds_is_not_saved_and_says_why(tmp_path: Path) -> None:
    g = session(tmp_path, Routine(title="All five"))
    n = len(g.plan.phases)
    finish(g, skim(g, 0.2), skipped=list(range(n - 1)))
    assert g.journal.sessions() == [] and g.record is None
    assert g.outcome is not None and g.outcome.done == () and g.outcome.active_seconds < 0.2 * n
    assert "Not saved to your journal" in g.status.value and "every stretch was skipped" in g.status.value
    assert "at least 50% of its holding (or moving) time" in g.status.value
    assert g.save_button.disabled
    assert g.save() is None and g.journal.sessions() == []


def test_a_routine_partly_skipped_is_saved_as_partial_with_the_time_spent(tmp_path: Path) -> None:
    r = Routine([HELD[0], MOVEMENT, HELD[1]], title="Three")
    g = session(tmp_path, r)
    first = [p.technique for p in g.plan.phases].index(COURSE.technique(MOVEMENT).name)
    last = [p.technique for p in g.plan.phases].index(COURSE.technique(HELD[1]).name)
    # The first stretch played in full; the movement skipped after 1 s of each phase; the
    # last one's holds half done (so it counts), its get-ready skipped.
    spent = [p.seconds for p in g.plan.phases[:first]]
    spent += [min(1.0, p.seconds) for p in g.plan.phases[first:last]]
    spent += [p.seconds / 2 if p.kind == "hold" else 0.0 for p in g.plan.phases[last:]]
    skipped = list(range(first, len(spent) - 1))
    finish(g, spent, skipped, paused=30)
    (saved,) = g.journal.sessions()
    assert saved.status == "partial"
    assert saved.done == (HELD[0], HELD[1]) and saved.skipped == (MOVEMENT,)
    assert saved.duration_seconds == pytest.approx(sum(spent))
    assert saved.duration_seconds < saved.planned_seconds == g.plan.total_seconds  # type: ignore[operator]
    assert saved.started_at == NOW - timedelta(seconds=sum(spent) + 30)
    name = COURSE.technique(MOVEMENT).name
    assert f"partial: 2 of 3 stretches done; skipped: {name}" in g.status.value
    assert "A partial session counts for your streak, with the minutes you actually spent." in g.status.value
    minutes = g.journal.minutes_per_day()[NOW.date()]
    assert minutes == pytest.approx(sum(spent) / 60), "the charts' minutes are the minutes spent"


def test_a_run_without_a_valid_report_is_not_saved(tmp_path: Path) -> None:
    g = session(tmp_path)
    g.timer.completed_runs += 1  # an old front end that sends no report
    assert g.journal.sessions() == [] and "Not saved" in g.status.value and "run report" in g.error
    g = session(tmp_path)
    finish(g, [10_000.0] * len(g.plan.phases))  # more time than the phases have
    assert g.journal.sessions() == [] and "spent[0] must be at most" in g.error
    for report, message in [
        ({"spent": [0] * len(g.plan.phases), "skipped": []}, "run report: wall must be a number"),
        ({"spent": ["1"] * len(g.plan.phases), "wall": 1}, r"run report: spent\[0\] must be a number"),
        ({"spent": [1], "wall": 1}, "spent must list the seconds of each of the"),
        ({"spent": [0] * len(g.plan.phases), "skipped": [99], "wall": 1}, "skipped must list phase indices"),
    ]:
        g.timer.set_state({"run": report, "completed_runs": g.timer.completed_runs + 1})
        assert re.search(message, g.error), (message, g.error)
    assert g.journal.sessions() == []


def test_pain_after_and_a_note_update_the_same_entry(tmp_path: Path) -> None:
    g = session(tmp_path)
    finish(g)
    g.pain_after.value = 3
    g.note.value = "Hips looser"
    assert "Changes not saved yet" in g.status.value
    g.save_button.click()
    (saved,) = g.journal.sessions()
    assert (saved.pain_before, saved.pain_after, saved.note) == (None, 3, "Hips looser")
    assert "updated" in g.status.value


def test_each_completed_run_is_its_own_session(tmp_path: Path) -> None:
    g = session(tmp_path)
    finish(g)
    finish(g)
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
    finish(g)
    assert "Not saved" in g.status.value and "not a SQLite database" in g.error
    assert path.read_text(encoding="utf-8") == "not a database"


def test_the_session_uses_the_default_journal(tmp_path: Path) -> None:
    g = GuidedSession(Routine([HELD[0]]), clock=lambda: NOW)
    finish(g)
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


# --- the printable handout -----------------------------------------------------------------------


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


@pytest.mark.parametrize("routine", [Routine(title="Morning class", rest_between=10), Routine([MOVEMENT])])
def test_the_handout_is_a_one_page_pdf(tmp_path: Path, routine: Routine) -> None:
    path = write_handout(routine, tmp_path / "handout.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert pdf_pages(data) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["handout.pdf"]


def test_the_handout_shows_names_steps_and_holds() -> None:
    from stretchkit.handout import handout_figure

    r = Routine([RoutineItem(HELD[2], hold=45, reps=2)], title="Class")
    fig = handout_figure(r)
    text = "\n".join(t.get_text() for t in fig.texts)
    t = COURSE.technique(HELD[2])
    assert "Class" in text and t.name in text
    assert "2 sides x 45 s, 2 reps" in text
    assert t.steps[0] in text
    assert COURSE.safety.stop_when[0].text.split(",")[0] in text
    assert sum(1 for ax in fig.axes if ax.lines or ax.patches or ax.collections) >= 1, "the drawing is there"


def _handout_texts(routine: Routine) -> tuple[Any, list[Any]]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from stretchkit.handout import handout_figure

    fig = handout_figure(routine)
    FigureCanvasAgg(fig).draw()
    texts = [*fig.texts, *(t for ax in fig.axes for t in (*ax.texts, ax.title))]
    return fig, [t for t in texts if t.get_text().strip()]


def test_the_handout_steps_use_the_routines_own_hold() -> None:
    """Hamstring held 20 s: no step or caution on the page may still say 30 seconds."""
    t = COURSE.technique("hamstring-stretch")
    assert any("30 seconds" in step for step in t.steps)  # the course's own wording states its hold
    r = Routine([RoutineItem("hamstring-stretch", hold=20), RoutineItem("childs-pose-rotation", hold=15)])
    _, texts = _handout_texts(r)
    page = " ".join(" ".join(x.get_text().split()) for x in texts)
    assert (
        "2 sides x 20 s" in page and "Hold for about 20 seconds, then lower the leg and change sides." in page
    )
    assert "2 sides x 15 s" in page  # Child's Pose with Rotation's own hold
    assert "30 seconds" not in page
    # The course's own holds still read as written.
    _, texts = _handout_texts(Routine(["hamstring-stretch"]))
    assert "Hold for about 30 seconds" in "\n".join(x.get_text() for x in texts)


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

    fig, texts = _handout_texts(routine)
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    for text in texts:
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
