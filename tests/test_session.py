"""The routine widgets: the builder's form stays within the course's safe ranges and makes a
routine, and the guided session plays it and records what was done in the journal."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from stretchkit import load_course
from stretchkit.practice import Journal
from stretchkit.routine import DEFAULT_TITLE, Routine, RoutineItem, summary_line
from stretchkit.session import GuidedSession, RoutineBuilder
from stretchkit.wording import cite

COURSE = load_course()
LIMITS = COURSE.routine
HELD = [t.slug for t in COURSE.techniques if not t.is_movement]
MOVEMENT = next(t.slug for t in COURSE.techniques if t.is_movement)


# --- the builder widget ------------------------------------------------------------------------


def test_the_builder_starts_from_the_default_routine() -> None:
    b = RoutineBuilder()
    assert b.routine == Routine()
    assert repr(b) == f"RoutineBuilder({DEFAULT_TITLE}: 5 techniques)"
    assert "5 stretches" in b.summary.value


def test_the_builder_remembers_the_learners_routine_for_their_next_visit() -> None:
    from stretchkit.practice import kept_routine_path

    first = RoutineBuilder()
    assert first.kept.value == "" and not kept_routine_path().exists(), "a new learner: nothing said or kept"
    find_row(first, "childs-pose").include.value = False
    typed(find_row(first, "cat-camel").reps, "8")
    kept = first.routine
    assert "childs-pose" not in kept.techniques and kept.item("cat-camel").reps == 8
    assert Routine.load(kept_routine_path()) == kept, "each valid change is kept, whole"

    again = RoutineBuilder()  # the next visit
    assert again.routine == kept
    assert "the routine you kept last time" in again.kept.value
    assert RoutineBuilder(remember=False).routine == Routine(), "remember=False: the course's routine"
    assert RoutineBuilder(Routine(["cat-camel"])).routine == Routine(["cat-camel"]), "a given routine wins"

    again.title.value = ""  # not a valid routine: the one kept stays as it was
    assert again.error and Routine.load(kept_routine_path()) == kept

    easier = Routine(["hamstring-towel-behind-thigh", "cat-camel"])
    again.set_routine(easier)  # an accepted "next time" suggestion is kept too
    assert RoutineBuilder().routine.techniques == easier.techniques


def test_a_kept_routine_that_cannot_be_read_is_said_and_left_alone() -> None:
    from stretchkit.practice import kept_routine_path

    path = kept_routine_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('title = "Mine"\n[[techniques]]\nslug = "yoga"\n', encoding="utf-8")
    b = RoutineBuilder()
    assert b.routine == Routine()
    said = html.unescape(b.kept.value)
    assert said.startswith('<span role="status">Your saved routine (my-routine.toml) could not be read: ')
    assert "yoga" in said and said.endswith("The builder starts from the course's routine.</span>")
    assert "\n" not in said
    assert "yoga" in path.read_text(encoding="utf-8"), "the learner's file is left as it was"


def test_each_row_says_what_its_version_or_position_is() -> None:
    """A chair version says when to choose it; an easier or harder version what it changes; no
    row says "for when ." of a version, and no name is cut short."""
    b = RoutineBuilder(remember=False)
    said = {r.technique.slug: html.unescape(str(r.box.children[1].value)) for r in b._rows}
    assert said["seated-knee-hug"] == (
        "<span>Chair version of Child's Pose: for when you cannot kneel or get down to the floor.</span>"
    )
    towel = COURSE.technique("hamstring-towel-behind-thigh")
    assert said[towel.slug].startswith("<span>Easier version of Hamstring Stretch: Put the towel around")
    assert said["childs-pose-longer"].startswith("<span>Harder version of Child's Pose: ")
    assert not [slug for slug, text in said.items() if "for when ." in text or "for when  " in text]
    for r in b._rows:
        assert r.include.description == r.technique.name and r.include.layout.width == "auto"


def find_row(b: RoutineBuilder, slug: str) -> Any:
    return next(r for r in b._rows if r.technique.slug == slug)


def test_the_builder_controls_stay_within_the_safe_ranges_and_are_labelled() -> None:
    b = RoutineBuilder()
    for row in b._rows:
        assert row.include.description == row.technique.name
        # Each stretch's repeats come from its own source (NHS inform's up to 10 for Cat-Camel,
        # Saint Luke's 3 for the hamstring), else the course's range (Mayo Clinic's 1-3).
        low, high, source = COURSE.reps_range(row.technique)
        assert (row.reps.min, row.reps.max) == (low, high)
        assert f"{low} to {high} ({cite(COURSE, source)})" in row.reps.box.tooltip
        assert (row.rest.min, row.rest.max) == (0, LIMITS.rest_max)
        assert row.reps.box.description and row.rest.box.description and row.reps.box.tooltip
        if row.technique.is_movement:
            assert row.hold is None, "Cat-Camel has no hold control"
        else:
            assert row.hold is not None
            own = row.technique.hold_seconds  # the course's range, widened only to its own sourced hold
            assert own is not None
            assert (row.hold.min, row.hold.max) == (min(LIMITS.hold_min, own), max(LIMITS.hold_max, own))
            assert cite(COURSE, LIMITS.hold_source) in row.hold.box.tooltip


def typed(box: Any, text: str) -> str:
    """Type ``text`` into a number box (as the browser sends it); returns the note it says
    (not the range a hold box shows when it has nothing to say)."""
    box.box.value = text
    said = re.fullmatch(r'<span role="status">(.*)</span>', box.note.value)
    return html.unescape(said.group(1)) if said else ""


def test_the_builder_offers_each_stretch_its_own_sourced_repeats() -> None:
    b = RoutineBuilder()
    assert (find_row(b, "cat-camel").reps.max, find_row(b, "hamstring-stretch").reps.max) == (10, 3)
    assert "1 to 10 (NHS inform)" in find_row(b, "cat-camel").reps.box.tooltip
    assert "(Saint Luke's)" in find_row(b, "hamstring-stretch").reps.box.tooltip


def test_a_hold_typed_beyond_the_limit_is_capped_and_the_builder_says_so() -> None:
    b = RoutineBuilder()
    row = find_row(b, HELD[0])
    assert row.hold is not None
    assert row.hold.note.value == "10 to 60 s", "within the limits, the box shows its range"
    source = cite(COURSE, LIMITS.hold_source)
    # Typed into the box: it holds the course's most, and says why.
    assert typed(row.hold, "90") == f"Holds of this stretch stay between 10 and 60 s ({source}): made it 60 s"
    assert row.hold.box.value == "60" and row.hold.value == LIMITS.hold_max == 60
    assert b.routine.item(HELD[0]).hold == 60
    assert 'role="status"' in row.hold.note.value
    assert typed(row.hold, "30") == ""
    assert typed(row.hold, "60") == f"60 s is the most this course suggests ({source})"
    assert typed(row.hold, "5") == f"Holds of this stretch stay between 10 and 60 s ({source}): made it 10 s"
    typed(row.hold, "20")
    assert typed(row.hold, "10") == f"10 s is the least this course suggests ({source})"
    assert typed(row.hold, "31") == "" and row.hold.note.value == "10 to 60 s"


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("1e3", "“1e3” is not a whole number: kept 45 s"),
        ("12.5", "“12.5” is not a whole number: kept 45 s"),
        ("", "The box was empty: kept 45 s"),
        ("   ", "The box was empty: kept 45 s"),
        ("abc", "“abc” is not a whole number: kept 45 s"),
        ("9" * 300, "Holds of this stretch stay between 10 and 60 s (ACSM): made it 60 s"),
        ("x" * 300, f"“{'x' * 23}…” is not a whole number: kept 45 s"),
        (" 20 s", ""),
    ],
)
def test_every_text_typed_in_a_number_box_gets_an_answer(text: str, note: str) -> None:
    b = RoutineBuilder()
    row = find_row(b, HELD[0])
    assert row.hold is not None
    typed(row.hold, "45")
    assert typed(row.hold, text) == note
    kept = 20 if text == " 20 s" else 60 if text.startswith("9") else 45
    assert row.hold.box.value == str(kept), "the box shows the number it holds"
    assert b.routine.item(HELD[0]).hold == kept


def test_reps_and_rests_say_when_they_were_limited() -> None:
    b = RoutineBuilder()
    row = find_row(b, HELD[0])
    least, most, source = COURSE.reps_range(row.technique)  # the stretch's own sourced repeats
    reps = cite(COURSE, source)
    assert typed(row.reps, "99") == f"Reps stay between {least} and {most} ({reps}): made it {most}"
    assert row.reps.box.value == str(most) and b.routine.item(HELD[0]).reps == most
    assert typed(row.reps, "0") == f"Reps stay between {least} and {most} ({reps}): made it {least}"
    assert typed(row.reps, "2.5") == "“2.5” is not a whole number: kept 1"
    longest = round(LIMITS.rest_max)
    assert typed(row.rest, "99") == f"Rests stay between 0 and {longest} s: made it {longest} s"
    assert typed(b.rest_between, "-3") == f"Rests stay between 0 and {longest} s: made it 0 s"
    assert b.routine.rest_between == 0


def test_each_stretch_shows_its_own_hold_range() -> None:
    b = RoutineBuilder()
    intro = b.children[1].value
    assert f"{LIMITS.hold_min:g} to {LIMITS.hold_max:g} s (ACSM)" in intro
    for row in b._rows:
        t = row.technique
        if row.hold is None:
            continue
        low, high = min(LIMITS.hold_min, t.hold_seconds or 0), max(LIMITS.hold_max, t.hold_seconds or 0)
        assert row.hold.hint == f"{low:g} to {high:g} s"
        if (low, high) != (LIMITS.hold_min, LIMITS.hold_max):  # the NHS seated twist's own 5 s
            assert f"for {html.escape(t.name)} {low:g} to {high:g} s" in intro
            whose = f"ACSM, and its own {t.hold_seconds:g} s"
            span = f"Holds of this stretch stay between {low:g} and {high:g} s ({whose})"
            assert typed(row.hold, "1") == f"{span}: made it {low:g} s"


def test_a_long_routine_name_is_refused_and_quoted_only_in_part() -> None:
    b = RoutineBuilder()
    last = b.routine
    b.title.value = "Morning " * 40
    note = html.unescape(re.sub(r"<[^>]+>", "", b.title_note.value))
    assert note == "A routine name has at most 80 characters: “Morning Morning Morning…” has 319"
    assert b.error == f"{note}." and "Not ready" in b.summary.value and len(b.summary.value) < 200
    assert b.routine == last
    b.title.value = "  "
    assert "Give your routine a name (1 to 80 characters)" in b.title_note.value
    b.title.value = "Evening"
    assert b.title_note.value == "" and b.routine.title == "Evening"


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
    typed(row.hold, "45")
    typed(row.reps, "2")
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
    assert "Give your routine a name" in b.error


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
    assert "Saved to your journal" in g.status.value and "complete: both stretches done" in g.status.value
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
    with pytest.raises(TypeError, match="routine must be a Routine or a RoutineBuilder, got 'all'"):
        GuidedSession("all")  # type: ignore[arg-type]


def test_the_builder_has_a_row_for_each_easier_and_harder_version_after_its_stretch() -> None:
    b = RoutineBuilder()
    slugs = [r.technique.slug for r in b._rows]
    for t in COURSE.techniques:
        for v in t.versions:
            assert slugs.index(t.slug) < slugs.index(v.slug), v.slug
    row = find_row(b, "hamstring-longer")
    assert row.hold is not None and row.hold.value == 60 and row.reps.value == 3


# --- the session and the handouts follow the builder ---------------------------------------------


def two_stretches(b: RoutineBuilder) -> Routine:
    """Untick all but the first two stretches, and hold the first 45 s."""
    keep = [r for r in b._rows if r.include.value][:2]
    for r in b._rows:
        if r not in keep:
            r.include.value = False
    hold = next(r.hold for r in keep if r.hold is not None)
    typed(hold, "45")
    return b.routine


def test_a_session_made_from_the_builder_plays_its_routine_as_it_changes(tmp_path: Path) -> None:
    b = RoutineBuilder()
    g = GuidedSession(b, journal=Journal(tmp_path / "j.sqlite3"), clock=lambda: NOW, sound=False)
    assert g.routine == b.routine and g.timer.summary.startswith(f"{DEFAULT_TITLE}: 5 stretches")
    r = two_stretches(b)
    assert g.routine == r and g.plan.total_seconds == r.total_seconds
    assert [p["technique"] for p in g.timer.phases] == [p.technique for p in g.plan.phases]
    assert g.timer.summary.startswith(f"{DEFAULT_TITLE}: 2 stretches")
    assert summary_line(r) in g.heading.value and "2 stretches" in g.heading.value
    b.title.value = "Evening"
    assert g.timer.title == "Evening" and repr(g) == "GuidedSession(Evening: 2 techniques)"
    finish(g)
    (saved,) = g.journal.sessions()
    assert saved.routine == "Evening" and saved.techniques == r.techniques
    assert "complete: both stretches done" in g.status.value


def test_a_change_during_a_run_waits_until_it_ends(tmp_path: Path) -> None:
    b = RoutineBuilder()
    g = GuidedSession(b, journal=Journal(tmp_path / "j.sqlite3"), clock=lambda: NOW, sound=False)
    five = g.plan
    g.timer.set_state({"state": "running"})
    two = two_stretches(b)
    assert g.plan == five and g.pending == two, "the run under way keeps its plan"
    assert "plays the new routine once it ends" in g.waiting_note.value and g.waiting.layout.display is None
    g.timer.set_state({"state": "paused"})
    assert g.plan == five
    finish(g)  # the run's report is read against the plan it ran, then the change follows
    (saved,) = g.journal.sessions()
    assert len(saved.techniques) == 5
    assert g.routine == two and g.pending is None and g.waiting.layout.display == "none"
    assert g.timer.summary.startswith(f"{DEFAULT_TITLE}: 2 stretches")
    # Reset during a run (the browser says idle) brings the change in too.
    g.timer.set_state({"state": "running"})
    b.title.value = "Later"
    assert g.timer.title == DEFAULT_TITLE
    g.timer.set_state({"state": "idle"})
    assert g.timer.title == "Later"


def test_a_waiting_change_can_be_taken_at_once(tmp_path: Path) -> None:
    """A page closed during a run leaves the kernel's last word "running": the button still works."""
    b = RoutineBuilder()
    g = GuidedSession(b, journal=Journal(tmp_path / "j.sqlite3"))
    g.timer.set_state({"state": "running"})
    two = two_stretches(b)
    assert g.waiting.layout.display is None and g.use_now.description == "Play the changed routine now"
    g.use_now.click()
    assert g.routine == two and g.pending is None and g.waiting.layout.display == "none"
    assert g.timer.summary.startswith(f"{DEFAULT_TITLE}: 2 stretches")
    g.use_now.click()  # nothing waits: nothing happens
    assert g.routine == two


def test_a_session_with_its_own_title_keeps_it(tmp_path: Path) -> None:
    b = RoutineBuilder()
    g = GuidedSession(b, journal=Journal(tmp_path / "j.sqlite3"), title="Class, Monday")
    two_stretches(b)
    assert g.timer.title == "Class, Monday" and g.timer.summary.startswith("Class, Monday: 2 stretches")


def handout_words(h: Any) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", h.status.value))


def test_the_handouts_follow_the_builder(tmp_path: Path) -> None:
    b = RoutineBuilder()
    h = b.handouts(folder=tmp_path, browser=True)
    page = tmp_path / "my-routine.html"
    assert handout_words(h) == f"Your handouts show {summary_line(b.routine)}"
    assert page.read_text(encoding="utf-8").count("<h2") == 5
    (shown,) = h.output.outputs
    assert shown["data"]["text/markdown"] == str(h.section) == repr(h)
    assert "my-routine.html" in repr(h)
    r = two_stretches(b)
    assert handout_words(h) == f"Your handouts show {summary_line(r)}"
    text = page.read_text(encoding="utf-8")
    assert text.count("<h2") == 2
    b.title.value = "Evening <b>"
    assert "<title>Evening &lt;b&gt;</title>" in page.read_text(encoding="utf-8")
    data = h._repr_mimebundle_()
    data = data[0] if isinstance(data, tuple) else data
    assert '<a href="' in data["text/html"] and "my-routine.html</a>" in data["text/html"]


def test_the_pdf_is_drawn_once_the_form_is_still(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    import stretchkit.session as session_module
    from stretchkit.handout import handouts as real

    written: list[str] = []

    def counting(routine: Routine, stem: str, **kw: Any) -> Any:
        written.append(routine.title)
        return real(routine, stem, **{**kw, "browser": True})  # the web page alone: quick

    monkeypatch.setattr(session_module, "handouts", counting)
    b = RoutineBuilder()

    async def edit() -> Any:
        h = b.handouts(folder=tmp_path, browser=False)
        h.delay = 0.05
        for title in ("A", "B", "C"):  # three changes in quick succession
            b.title.value = title
        assert "Writing your handouts for C:" in handout_words(h)
        await asyncio.sleep(0.3)
        return h

    h = asyncio.run(edit())
    assert written == [DEFAULT_TITLE, "C"], "drawn when made, then once for the last change"
    assert handout_words(h).startswith("Your handouts show C:")


def test_handouts_refuse_a_bad_file_name(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="stem: a file name without a folder"):
        RoutineBuilder().handouts("a/b", folder=tmp_path, browser=True)


# --- the camera check in the session ---------------------------------------------------------

CHAIR = ["seated-knee-hug", "piriformis-stretch", "seated-hamstring-stretch"]


def test_the_session_offers_the_camera_check_for_the_chair_stretches_it_follows(tmp_path: Path) -> None:
    from stretchkit.camera import WORDS, RoutineCameraCheck, position_for

    g = session(tmp_path, Routine(CHAIR, title="Chair"))
    camera = g.camera
    assert isinstance(camera, RoutineCameraCheck)
    assert g.children.index(camera) == g.children.index(g.timer) + 1, "just below the timer"
    knee, hamstring = COURSE.technique(CHAIR[0]), COURSE.technique(CHAIR[2])
    # The piriformis stretch is drawn from the front: a side view cannot follow it.
    assert camera.positions == {t.name: position_for(t).as_data() for t in (knee, hamstring)}
    assert camera.layout.display is None and camera.not_followed == ""
    assert camera.intro == WORDS["routine intro"].format(
        names="the Seated Knee Hug and the Seated Hamstring Stretch"
    )
    assert repr(camera) == (
        "Camera check for the Seated Knee Hug and the Seated Hamstring Stretch: off until you turn it on."
    )
    # Each phase names its stretch, which the browser looks up in positions.
    named = {p["technique"] for p in camera.phases if p["kind"] == "hold"}
    assert named == {knee.name, COURSE.technique(CHAIR[1]).name, hamstring.name}
    assert camera.phases == g.timer.phases


def test_the_camera_check_is_hidden_when_the_routine_has_no_stretch_it_follows_and_follows_changes(
    tmp_path: Path,
) -> None:
    b = RoutineBuilder()
    g = GuidedSession(b, journal=Journal(tmp_path / "j.sqlite3"), clock=lambda: NOW, sound=False)
    assert g.camera.layout.display == "none" and g.camera.positions == {}
    assert repr(g.camera) == "The camera check follows none of this routine's stretches."
    g.follow(Routine(["seated-cat-camel", "childs-pose"]))
    assert list(g.camera.positions) == ["Seated Cat-Camel"] and g.camera.layout.display is None
    g.follow(Routine(["childs-pose"]))
    assert g.camera.positions == {} and g.camera.layout.display == "none"


def test_the_routine_camera_check_refuses_what_is_not_a_list_of_techniques(tmp_path: Path) -> None:
    from stretchkit.camera import RoutineCameraCheck
    from stretchkit.timer import StretchTimer

    with pytest.raises(TypeError, match="techniques must be a list of Techniques, got 'seated-knee-hug'"):
        RoutineCameraCheck(StretchTimer(), "seated-knee-hug")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"techniques\[0\] must be a Technique, got 'seated-knee-hug'"):
        RoutineCameraCheck(StretchTimer(), ["seated-knee-hug"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="timer must be a StretchTimer, got None"):
        RoutineCameraCheck(None, [])  # type: ignore[arg-type]


def test_a_run_with_the_camera_on_keeps_the_seconds_held_in_view_by_stretch(tmp_path: Path) -> None:
    g = session(tmp_path, Routine(CHAIR, title="Chair"))
    g.timer.set_state({"state": "running"})
    # What the browser saved during the run: seconds by the stretch's name, 0 for one never in view.
    g.camera.set_state({"held_by_stretch": {"Seated Knee Hug": 24, "Seated Hamstring Stretch": 0}})
    finish(g)
    (saved,) = g.journal.sessions()
    assert saved.held_in_view == {"seated-knee-hug": 24.0, "seated-hamstring-stretch": 0.0}
    # The next run starts its own count; the camera's last word can come after the run's report.
    g.timer.set_state({"state": "running"})
    assert g.camera.held_by_stretch == {}
    finish(g)
    second = g.journal.sessions()[-1]
    assert second.held_in_view is None, "the camera had said nothing yet"
    g.camera.set_state({"held_by_stretch": {"Seated Knee Hug": 12}})
    assert g.journal.session(second.id).held_in_view == {"seated-knee-hug": 12.0}
    assert g.record is not None and g.record.held_in_view == {"seated-knee-hug": 12.0}


def test_a_run_with_the_camera_off_keeps_no_seconds_held_in_view(tmp_path: Path) -> None:
    g = session(tmp_path, Routine(CHAIR, title="Chair"))
    finish(g)
    (saved,) = g.journal.sessions()
    assert saved.held_in_view is None
