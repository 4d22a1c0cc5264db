"""The Python side of the stretch timer and break reminder widgets (no browser)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import pytest

from stretchkit import (
    BreakReminder,
    GuidedSession,
    Journal,
    Phase,
    Plan,
    StretchTimer,
    TimerOptions,
    build_plan,
    load_course,
    plan_for_technique,
)
from tests.test_plan import kinds

ROOT = Path(__file__).resolve().parents[1]

COURSE = load_course()
HAMSTRING = COURSE.technique("hamstring-stretch")
CAT_CAMEL = COURSE.technique("cat-camel")


# --- the widget (Python side) ----------------------------------------------------------


def test_timer_for_technique_syncs_its_plan_as_json() -> None:
    timer = StretchTimer.for_technique(HAMSTRING)
    assert timer.plan == plan_for_technique(HAMSTRING)
    assert timer.title == HAMSTRING.name
    # Saint Luke's: 2 to 3 times on each leg; the course starts at 2.
    assert timer.summary == "Hamstring Stretch: 2 sides x 30 s, 2 reps"
    assert timer.phases == [{**p.to_dict(), "image": -1} for p in timer.plan.phases]
    assert timer.images == []
    assert (timer.state, timer.phase_index, timer.completed_runs) == ("idle", 0, 0)
    assert (timer.presenter, timer.sound, timer.speech, timer.flash) == (False, True, False, True)
    assert (timer.adjust, timer.hold) == ("hold", 30)
    # The control stays in the course's sourced safe range (ACSM holds of 10-60 s), and says so
    # at either end, with the limit and the source from the content data.
    assert timer.adjust_range == [10.0, 60.0, 5.0]
    assert timer.adjust_notes == [
        "10 s is the least this course suggests (ACSM)",
        "60 s is the most this course suggests (ACSM)",
    ]


def test_each_drawing_is_synced_once_however_many_phases_show_it() -> None:
    svg = "<svg><circle r='1'/></svg>"
    held = Phase("hold", "Hold", 3, "", image=svg)
    one = Plan("One", (held, held, Phase("done", "Done", 0, "")))
    two = build_plan(hold=4, get_ready=0, title="Two")
    timer = StretchTimer(Plan.join("Routine", [one, two]))
    assert timer.images == [svg]
    assert [p["image"] for p in timer.phases] == [0, 0, -1, -1]


def test_stable_text_repr_and_static_html_fallback() -> None:
    timer = StretchTimer.for_technique(HAMSTRING)
    assert repr(timer) == "StretchTimer(Hamstring Stretch: 2 sides x 30 s, 2 reps)"
    data, _ = timer._repr_mimebundle_()
    assert data["text/plain"] == "StretchTimer(Hamstring Stretch: 2 sides x 30 s, 2 reps)"
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == timer.model_id
    assert data["text/html"] == timer.plan.to_html()
    assert "Switch to the other leg." in data["text/html"]
    again, _ = StretchTimer.for_technique(HAMSTRING)._repr_mimebundle_()
    assert again["text/html"] == data["text/html"] and again["text/plain"] == data["text/plain"]
    assert "0x" not in data["text/plain"]


def test_default_timer_and_options() -> None:
    timer = StretchTimer(title="Calf stretch", presenter=True, speech=True, sound=False, flash=False)
    assert repr(timer) == "StretchTimer(Calf stretch: 30 s)"
    assert (timer.presenter, timer.sound, timer.speech, timer.flash) == (True, False, True, False)
    plain = StretchTimer(build_plan(hold=12, title="Plain"))
    assert plain.adjust == "" and repr(plain) == "StretchTimer(Plain: 12 s)"
    renamed = StretchTimer(build_plan(hold=12), title="Renamed")
    assert renamed.title == "Renamed" and renamed.plan.title == "Renamed"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"plan": "hamstring"}, TypeError, "plan must be a Plan (see build_plan), got 'hamstring'"),
        ({"presenter": "yes"}, TypeError, "presenter must be True or False, got 'yes'"),
        ({"sound": 1}, TypeError, "sound must be True or False, got 1"),
        ({"speech": None}, TypeError, "speech must be True or False, got None"),
        ({"flash": "off"}, TypeError, "flash must be True or False, got 'off'"),
        ({"title": ""}, TypeError, "title must be non-empty text, got ''"),
    ],
)
def test_widget_options_are_validated(kwargs: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error) as info:
        StretchTimer(**kwargs)
    assert str(info.value) == message


def test_the_options_are_one_type_every_timer_widget_takes(tmp_path: Path) -> None:
    chosen = TimerOptions(presenter=True, speech=True)
    assert StretchTimer(options=chosen).options == chosen
    assert StretchTimer(options=chosen, speech=False).options == dataclasses.replace(chosen, speech=False)
    assert BreakReminder(20, sound=False).options == TimerOptions(sound=False)
    assert GuidedSession(journal=Journal(tmp_path / "j.sqlite3"), options=chosen).timer.options == chosen
    assert StretchTimer.for_technique(HAMSTRING, options=chosen).options == chosen
    # One synced trait per field, with its default: the browser toggles them.
    timer = StretchTimer()
    for f in dataclasses.fields(TimerOptions):
        assert timer.trait_metadata(f.name, "sync") and getattr(timer, f.name) == f.default
    timer.set_state({"presenter": True})  # the Presenter view button
    assert timer.options == TimerOptions(presenter=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        chosen.sound = False  # type: ignore[misc]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: TimerOptions(flash="off"), "flash must be True or False, got 'off'"),  # type: ignore[arg-type]
        (lambda: BreakReminder(30, sound=1), "sound must be True or False, got 1"),  # type: ignore[arg-type]
        (
            lambda: GuidedSession(presenter="yes"),  # type: ignore[arg-type]
            "presenter must be True or False, got 'yes'",
        ),
        (
            lambda: StretchTimer(colour=True),
            "unknown option 'colour' (timer options: presenter, sound, speech, flash)",
        ),
        (
            lambda: StretchTimer(options={"sound": False}),  # type: ignore[arg-type]
            "options must be TimerOptions, got {'sound': False}",
        ),
    ],
)
def test_bad_options_name_the_parameter_and_the_value(make: Callable[[], Any], message: str) -> None:
    with pytest.raises(TypeError) as info:
        make()
    assert str(info.value) == message


def test_the_front_ends_model_typedef_names_every_synced_trait() -> None:
    """timer.js's JSDoc typedef of its model (TimerState) lists exactly the traits Python syncs."""
    source = (ROOT / "stretchkit" / "static" / "timer.js").read_text(encoding="utf-8")
    block = source[source.index("@typedef {object} TimerState") :].split("*/", 1)[0]
    documented = re.findall(r"^ \* @property \{.*\} (\w+)", block, re.MULTILINE)
    own = set(StretchTimer.class_trait_names(sync=True)) - set(
        anywidget.AnyWidget.class_trait_names(sync=True)
    )
    assert sorted(documented) == sorted(n for n in own if not n.startswith("_"))


def test_for_technique_passes_overrides_and_rejects_unknown_ones() -> None:
    timer = StretchTimer.for_technique(HAMSTRING, hold=20, presenter=True, get_ready=0)
    assert timer.presenter and timer.summary == "Hamstring Stretch: 2 sides x 20 s, 2 reps"
    assert timer.plan.phases[0].kind == "hold"
    with pytest.raises(TypeError, match="unknown option 'colour' for for_technique"):
        StretchTimer.for_technique(HAMSTRING, colour="red")
    with pytest.raises(ValueError, match="hold must be more than 0 seconds, got 0"):
        StretchTimer.for_technique(HAMSTRING, hold=0)


def test_browser_hold_control_rebuilds_the_plan() -> None:
    timer = StretchTimer.for_technique(HAMSTRING, get_ready=0)
    timer.set_state({"hold": 35.0})  # what the "+5 s" button sends
    assert timer.summary == "Hamstring Stretch: 2 sides x 35 s, 2 reps"
    assert [p["seconds"] for p in timer.phases if p["kind"] == "hold"] == [35.0] * 4
    assert timer.plan.phases[0].kind == "hold"  # other overrides are kept


@pytest.mark.parametrize("bad", [0.0, -5.0, 5.0, 65.0, float("nan")])
def test_out_of_range_hold_from_the_browser_is_undone(bad: float) -> None:
    timer = StretchTimer.for_technique(HAMSTRING)
    before = timer.phases
    timer.set_state({"hold": bad})
    assert timer.hold == 30 and timer.phases == before


def test_cat_camel_control_changes_reps() -> None:
    timer = StretchTimer.for_technique(CAT_CAMEL)
    assert (timer.adjust, timer.reps) == ("reps", CAT_CAMEL.reps)
    # Cat-Camel's own repeats: NHS inform's build-up from 5, up to about 10 (not the course-wide 1-3),
    # and the control says whose advice its limit is.
    assert timer.adjust_range == [1.0, 10.0, 1.0]
    assert timer.adjust_notes == [
        "1 rep is the least this course suggests (NHS inform)",
        "10 reps is the most this course suggests (NHS inform)",
    ]
    timer.set_state({"reps": 10})
    assert max(p["rep"] for p in timer.phases) == 10
    timer.set_state({"reps": 2})
    assert max(p["rep"] for p in timer.phases) == 2
    for bad in (0, 11):
        timer.set_state({"reps": bad})
        assert timer.reps == 2
    timer.set_state({"hold": 40.0})  # not this timer's setting: ignored
    assert max(p["rep"] for p in timer.phases) == 2


def test_control_range_includes_a_hold_the_content_set(tmp_path: Path) -> None:
    f = tmp_path / "clinic.toml"
    f.write_text('extends = "stretchkit"\n[[techniques]]\nslug = "hamstring-stretch"\nhold_seconds = 90\n')
    course = load_course(f)
    timer = StretchTimer.for_technique(course.technique("hamstring-stretch"), course=course)
    assert timer.adjust_range == [10.0, 90.0, 5.0]
    assert timer.adjust_notes[1] == "90 s is the most for this stretch"


def test_setting_a_plan_replaces_it_and_disables_the_control() -> None:
    timer = StretchTimer.for_technique(HAMSTRING)
    timer.plan = build_plan(hold=10, title="Other")
    assert timer.title == "Other" and timer.adjust == "" and len(timer.phases) == 3
    timer.set_state({"hold": 50.0})
    assert timer.plan.title == "Other" and timer.plan.phases[1].seconds == 10
    with pytest.raises(TypeError, match="plan must be a Plan"):
        timer.plan = None  # type: ignore[assignment]


def test_on_complete_is_called_once_per_completed_run() -> None:
    timer = StretchTimer.for_technique(HAMSTRING)
    calls: list[Any] = []
    timer.on_complete(lambda: calls.append("plain"))

    @timer.on_complete
    def with_timer(t: StretchTimer) -> None:
        calls.append(t.completed_runs)

    timer.set_state({"state": "done", "phase_index": 4, "completed_runs": 1})
    assert calls == ["plain", 1]
    timer.set_state({"completed_runs": 2})
    assert calls == ["plain", 1, "plain", 2]
    timer.completed_runs = 0  # a reset from Python is not a completed run
    assert len(calls) == 4
    assert timer.phase == timer.plan.phases[4]
    with pytest.raises(TypeError, match="callback must be callable, got 3"):
        timer.on_complete(3)  # type: ignore[arg-type]


# --- BreakReminder ---------------------------------------------------------------------


def test_break_reminder_plan_uses_the_sitting_breaks_tip() -> None:
    tip = COURSE.tip("sitting-breaks")
    reminder = BreakReminder(minutes=45)
    assert kinds(reminder.plan) == ["sit", "done"]
    assert reminder.plan.phases[0].seconds == 45 * 60
    assert reminder.plan.phases[0].label == "Sitting"
    done = reminder.plan.phases[-1]
    assert any(action.text in done.cue for action in tip.actions)
    assert "stand up" in done.cue and "walk" in done.cue
    assert reminder.title == tip.title
    assert repr(reminder) == f"BreakReminder({tip.title}: reminder in 45 min)"
    assert not reminder.repeat and reminder.adjust == "minutes" and reminder.repeat_option


def test_break_reminder_repeat_and_defaults() -> None:
    reminder = BreakReminder(repeat=True, title="Desk break")
    assert reminder.repeat and reminder.minutes == 30
    assert repr(reminder) == "BreakReminder(Desk break: reminder every 30 min)"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"minutes": 0}, ValueError, "minutes must be more than 0 and at most 120, got 0"),
        ({"minutes": -10}, ValueError, "minutes must be more than 0 and at most 120, got -10"),
        ({"minutes": 121}, ValueError, "minutes must be more than 0 and at most 120, got 121"),
        ({"minutes": float("nan")}, ValueError, "minutes must be more than 0 and at most 120, got nan"),
        ({"minutes": float("inf")}, ValueError, "minutes must be more than 0 and at most 120, got inf"),
        ({"minutes": "30"}, TypeError, "minutes must be a number, got '30'"),
        ({"minutes": True}, TypeError, "minutes must be a number, got True"),
        ({"repeat": "yes"}, TypeError, "repeat must be True or False, got 'yes'"),
        (
            {"course": "course.toml"},
            TypeError,
            "course must be a Course from load_course(), got 'course.toml'",
        ),
    ],
)
def test_break_reminder_rejects_bad_input(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as info:
        BreakReminder(**kwargs)
    assert str(info.value) == message


def test_a_course_without_the_break_tip_still_has_a_reminder(tmp_path: Path) -> None:
    text = (ROOT / "stretchkit" / "data" / "course.toml").read_text(encoding="utf-8")
    start = text.index("[break_reminder]")
    text = text[:start] + text[text.index("[lessons]") :]
    text = text.replace('slug = "sitting-breaks"', 'slug = "get-up"')
    text = text.replace('see = "sitting-breaks"', 'see = "get-up"')
    path = tmp_path / "no_break_tip.toml"
    path.write_text(text, encoding="utf-8")
    course = load_course(path)
    assert course.break_reminder is None
    reminder = BreakReminder(minutes=20, course=course)
    assert reminder.title == "Break from sitting"
    assert reminder.plan.phases[-1].cue == "Time for a break. Stand up and move about for a moment."


def test_break_reminder_minutes_from_the_widget_rebuild_the_plan() -> None:
    reminder = BreakReminder(minutes=30)
    assert reminder.adjust == "minutes" and reminder.minutes == 30
    assert reminder.adjust_range == [5.0, 120.0, 5.0]
    reminder.minutes = 45  # as the browser's "+5 min" control sets it
    assert reminder.plan.phases[0].seconds == 45 * 60
    assert reminder.phases[0]["seconds"] == 45 * 60 and reminder.phases[0]["cue"].endswith("in 45 minutes.")
    assert repr(reminder).endswith("reminder in 45 min)")
    reminder.repeat = True  # the Repeat box
    assert repr(reminder).endswith("reminder every 45 min)") and reminder.plan.phases[0].seconds == 45 * 60


@pytest.mark.parametrize("bad", [0, 2.5, 121, -5])
def test_break_reminder_refuses_minutes_outside_its_range(bad: float) -> None:
    reminder = BreakReminder(minutes=30)
    reminder.minutes = bad
    assert reminder.minutes == 30 and reminder.plan.phases[0].seconds == 30 * 60


def test_a_short_reminder_keeps_its_own_minutes_in_range() -> None:
    reminder = BreakReminder(minutes=1)
    assert reminder.adjust_range == [1.0, 120.0, 5.0]


def test_the_break_reminder_says_the_action_the_course_names() -> None:
    course = load_course()
    assert course.break_reminder is not None and course.break_reminder.action is not None
    tip = course.tip(course.break_reminder.tip)
    reminder = BreakReminder(minutes=5)
    assert reminder.title == tip.title
    assert (
        reminder.plan.phases[-1].cue
        == f"Time for a break. {tip.actions[course.break_reminder.action - 1].text}"
    )


def test_a_timer_for_a_technique_by_slug_or_object_is_the_same() -> None:
    course = load_course()
    by_slug = StretchTimer.for_technique("hamstring-stretch")
    by_object = StretchTimer.for_technique(course.technique("hamstring-stretch"), course=course)
    assert by_slug.plan == by_object.plan and by_slug.adjust_range == by_object.adjust_range
    with pytest.raises(ValueError, match="technique: no technique 'nope'"):
        StretchTimer.for_technique("nope")


def test_an_easier_or_harder_version_has_its_own_timer() -> None:
    assert (
        StretchTimer.for_technique("hamstring-longer").summary
        == "Hamstring Stretch, held longer: 2 sides x 60 s, 3 reps"
    )
    harder = StretchTimer.for_technique("cat-camel-more")
    assert (harder.adjust, harder.reps, harder.adjust_range) == ("reps", 10, [1.0, 10.0, 1.0])


@pytest.mark.parametrize(
    ("slug", "reps", "most", "first"),
    [
        # NHS inform: press and hold 2 seconds, 5 repetitions; it gives no most, so its own 5.
        ("pelvic-tilt", 5, ("5 reps is the most this course suggests (NHS inform)"), ("Press", 2.0)),
        # Mount Nittany Health: hold 5 to 15 seconds, repeat 5 to 10 times.
        (
            "bridge",
            5,
            ("10 reps is the most this course suggests (Mount Nittany Health)"),
            ("Lift and hold", 5.0),
        ),
    ],
)
def test_each_strengthening_exercise_has_its_own_timer_from_its_data(
    slug: str, reps: int, most: str, first: tuple[str, float]
) -> None:
    t = COURSE.technique(slug)
    timer = StretchTimer.for_technique(slug)
    assert timer.title == t.name and timer.adjust == "reps" and timer.reps == reps
    assert timer.adjust_notes[1] == most  # whose advice the most is, never the course-wide Mayo Clinic 3
    moves = [p for p in timer.phases if p["kind"] == "move"]
    assert len(moves) == reps * len(t.movement)
    assert (moves[0]["label"], moves[0]["seconds"]) == first
    assert [m["cue"].split(": ", 1)[-1] for m in moves[:2]] == [m.cue for m in t.movement]
    assert timer.phases[0]["cue"].endswith(t.start_position)
