"""The stretch timer's plan model and the Python side of its widget (no browser)."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import anywidget
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
from stretchkit.content import Technique
from stretchkit.plan import MAX_PLAN_SECONDS

ROOT = Path(__file__).resolve().parents[1]

COURSE = load_course()
HAMSTRING = COURSE.technique("hamstring-stretch")
CAT_CAMEL = COURSE.technique("cat-camel")


def kinds(plan: Plan) -> list[str]:
    return [p.kind for p in plan.phases]


# --- build_plan ------------------------------------------------------------------------


def test_default_plan_is_get_ready_hold_done() -> None:
    plan = build_plan()
    assert kinds(plan) == ["get-ready", "hold", "done"]
    assert [p.seconds for p in plan.phases] == [5, 30, 0]
    assert plan.total_seconds == 35
    assert plan.summary == "Stretch: 30 s"
    assert [p.label for p in plan.phases] == ["Get ready", "Hold", "Done"]


def test_two_sides_hold_left_then_switch_then_right() -> None:
    plan = build_plan(hold=20, sides=2, get_ready=3, switch=4, title="Side stretch")
    assert kinds(plan) == ["get-ready", "hold", "switch", "hold", "done"]
    holds = [p for p in plan.phases if p.kind == "hold"]
    assert [p.side for p in holds] == ["left", "right"]
    assert "left" in holds[0].cue and "right" in holds[1].cue
    assert plan.phases[2].cue == "Switch to the other side."
    assert plan.total_seconds == 3 + 20 + 4 + 20
    assert plan.summary == "Side stretch: 2 sides x 20 s"


def test_reps_and_rest_rest_comes_between_reps_only() -> None:
    plan = build_plan(hold=10, sides=2, reps=3, rest=15)
    assert kinds(plan) == ["get-ready"] + ["hold", "switch", "hold", "rest"] * 2 + [
        "hold",
        "switch",
        "hold",
        "done",
    ]
    holds = [p for p in plan.phases if p.kind == "hold"]
    assert [(p.rep, p.reps, p.side) for p in holds] == [
        (r, 3, side) for r in (1, 2, 3) for side in ("left", "right")
    ]
    rests = [p for p in plan.phases if p.kind == "rest"]
    assert rests[0].cue == "Rest for 15 seconds. Next: rep 2 of 3."
    assert holds[2].cue.startswith("Rep 2 of 3.")
    assert plan.summary == "Stretch: 2 sides x 10 s, 3 reps"


def test_zero_get_ready_switch_and_rest_leave_those_phases_out() -> None:
    plan = build_plan(hold=10, sides=2, reps=2, rest=0, get_ready=0, switch=0)
    assert kinds(plan) == ["hold", "hold", "hold", "hold", "done"]
    assert plan.total_seconds == 40


def test_fractional_seconds_and_other_real_numbers_are_accepted() -> None:
    plan = build_plan(hold=Fraction(5, 2), get_ready=0.5)
    assert plan.phases[1].seconds == 2.5
    assert plan.total_seconds == 3.0


def test_plan_always_ends_with_exactly_one_done_phase_of_zero_seconds() -> None:
    plan = build_plan(sides=2, reps=2, rest=5)
    assert plan.phases[-1].kind == "done"
    assert plan.phases[-1].seconds == 0
    assert kinds(plan).count("done") == 1


# --- techniques ------------------------------------------------------------------------


def test_hamstring_plan_comes_from_the_technique() -> None:
    plan = plan_for_technique(HAMSTRING)
    assert plan.summary == "Hamstring Stretch: 2 sides x 30 s"
    assert plan.summary == f"{HAMSTRING.name}: {HAMSTRING.dose()}"
    assert kinds(plan) == ["get-ready", "hold", "switch", "hold", "done"]
    assert plan.total_seconds == 5 + 30 + 5 + 30
    ready = plan.phases[0]
    assert HAMSTRING.name in ready.cue and HAMSTRING.start_position in ready.cue
    # The article says to change legs: the cues say "leg", not "side".
    assert plan.phases[1].cue == "Hold, left leg: 30 seconds."
    assert plan.phases[2].cue == "Switch to the other leg."
    assert {p.technique for p in plan.phases} == {HAMSTRING.name}


@pytest.mark.parametrize("technique", COURSE.techniques, ids=lambda t: t.slug)
def test_every_course_technique_gives_a_plan_matching_its_dose(technique: Technique) -> None:
    plan = plan_for_technique(technique)
    assert plan.title == technique.name
    assert plan.summary == f"{technique.name}: {technique.dose()}"
    holds = [p for p in plan.phases if p.kind == "hold"]
    if technique.is_movement:
        assert not holds
    else:
        assert len(holds) == technique.sides * technique.reps
        assert all(p.seconds == technique.hold_seconds for p in holds)
        if technique.per_side:
            assert [p.side for p in holds[:2]] == ["left", "right"]


def test_cat_camel_paces_reps_of_its_movement_with_its_breathing_cues() -> None:
    plan = plan_for_technique(CAT_CAMEL)
    moves = [p for p in plan.phases if p.kind == "move"]
    steps = CAT_CAMEL.movement
    assert len(moves) == CAT_CAMEL.reps * len(steps)
    assert [p.label for p in moves] == [m.name for m in steps] * CAT_CAMEL.reps
    for phase, step in zip(moves, steps * CAT_CAMEL.reps, strict=True):
        assert step.cue in phase.cue
        assert phase.seconds == step.seconds
    assert [p.rep for p in moves[:: len(steps)]] == list(range(1, CAT_CAMEL.reps + 1))
    assert moves[len(steps)].cue.startswith(f"Rep 2 of {CAT_CAMEL.reps}.")
    assert not [p for p in plan.phases if p.kind == "hold"]


def test_cat_camel_reps_can_change_but_not_its_hold() -> None:
    plan = plan_for_technique(CAT_CAMEL, reps=5, rest=4)
    assert max(p.rep for p in plan.phases) == 5
    assert kinds(plan).count("rest") == 4
    assert plan.summary.startswith(f"{CAT_CAMEL.name}: 5 reps of ")
    with pytest.raises(ValueError, match=r"hold .*paced movement.*20"):
        plan_for_technique(CAT_CAMEL, hold=20)


def test_technique_overrides_are_validated() -> None:
    assert (
        plan_for_technique(HAMSTRING, hold=45, reps=2).summary == "Hamstring Stretch: 2 sides x 45 s, 2 reps"
    )
    with pytest.raises(ValueError, match=r"hold must be more than 0 seconds, got -1"):
        plan_for_technique(HAMSTRING, hold=-1)
    with pytest.raises(TypeError, match=r"reps must be a whole number, got 1.5"):
        plan_for_technique(CAT_CAMEL, reps=1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"technique must be a Technique.*'hamstring-stretch'"):
        plan_for_technique("hamstring-stretch")  # type: ignore[arg-type]


# --- text ------------------------------------------------------------------------------


def test_to_text_lists_every_phase_readably() -> None:
    text = plan_for_technique(HAMSTRING).to_text()
    assert text.splitlines() == [
        "Hamstring Stretch: 2 sides x 30 s (1 min 10 s in all)",
        f"1. Get ready, 5 s: Get ready for Hamstring Stretch. {HAMSTRING.start_position}",
        "2. Hold (left), 30 s: Hold, left leg: 30 seconds.",
        "3. Switch sides, 5 s: Switch to the other leg.",
        "4. Hold (right), 30 s: Hold, right leg: 30 seconds.",
        "5. Done: Finished: Hamstring Stretch.",
    ]


def test_to_html_is_escaped_and_deterministic() -> None:
    plan = build_plan(title="<b>Tom & Jerry's</b>")
    page = plan.to_html()
    assert "<b>" not in page and "&lt;b&gt;Tom &amp; Jerry" in page
    assert page == build_plan(title="<b>Tom & Jerry's</b>").to_html()
    assert page.count("<li>") == len(plan.phases)


# --- Plan and Phase invariants ---------------------------------------------------------


def test_join_plays_plans_in_order_with_one_done_and_rests_between() -> None:
    plans = [plan_for_technique(t) for t in COURSE.techniques]
    routine = Plan.join("Morning routine", plans, rest_between=10)
    assert kinds(routine).count("done") == 1 and routine.phases[-1].kind == "done"
    assert kinds(routine).count("rest") == len(plans) - 1
    assert math.isclose(routine.total_seconds, sum(p.total_seconds for p in plans) + 10 * (len(plans) - 1))
    names = [p.technique for p in routine.phases if p.kind in ("hold", "move")]
    assert list(dict.fromkeys(names)) == [t.name for t in COURSE.techniques]
    rests = [p for p in routine.phases if p.kind == "rest"]
    assert rests[0].cue.endswith(f"Next: {COURSE.techniques[1].name}.")
    assert routine.summary == f"Morning routine: {len(plans)} stretches"
    assert "Hamstring Stretch: Hold (left)" in routine.to_text()


def test_join_fills_in_technique_names_and_checks_its_arguments() -> None:
    a = Plan("A", (Phase("hold", "Hold", 3, "Hold."), Phase("done", "Done", 0, "")))
    joined = Plan.join("Both", [a, a])
    assert [p.technique for p in joined.phases[:-1]] == ["A", "A"]
    with pytest.raises(ValueError, match="plans must not be empty"):
        Plan.join("None", [])
    with pytest.raises(TypeError, match=r"plans\[1\] must be a Plan, got 'x'"):
        Plan.join("Bad", [a, "x"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r"rest_between must be 0 or more seconds, got -2"):
        Plan.join("Bad", [a], rest_between=-2)
    long = build_plan(hold=3600, get_ready=0)
    with pytest.raises(ValueError, match="2-hour limit"):
        Plan.join("Too long", [long, long, long])


@pytest.mark.parametrize(
    ("phases", "message"),
    [
        ((), "at least one timed phase"),
        ((Phase("done", "Done", 0, ""),), "at least one timed phase"),
        ((Phase("hold", "Hold", 5, ""), Phase("hold", "Hold", 5, "")), "exactly one done"),
        (
            (Phase("done", "Done", 0, ""), Phase("hold", "Hold", 5, ""), Phase("done", "Done", 0, "")),
            "exactly one",
        ),
        ((Phase("hold", "Hold", 5, ""), "done"), r"phases\[1\] must be a Phase"),
    ],
)
def test_plan_rejects_malformed_phase_lists(phases: tuple[Any, ...], message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        Plan("Bad", phases)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "jump"}, "kind must be one of"),
        ({"label": ""}, "label must be non-empty text"),
        ({"seconds": 0}, "seconds must be more than 0 seconds, got 0"),
        ({"seconds": float("nan")}, "seconds must be a finite number"),
        ({"side": "middle"}, "side must be 'left', 'right' or '', got 'middle'"),
        ({"rep": 3, "reps": 2}, "rep must not exceed reps"),
        ({"cue": None}, "cue must be text, got None"),
    ],
)
def test_phase_rejects_bad_fields(kwargs: dict[str, Any], message: str) -> None:
    fields = {"kind": "hold", "label": "Hold", "seconds": 5, "cue": "Hold.", **kwargs}
    with pytest.raises((ValueError, TypeError), match=message):
        Phase(**fields)


def test_done_phase_must_last_zero_seconds() -> None:
    with pytest.raises(ValueError, match="seconds of a done phase must be 0, got 5"):
        Phase("done", "Done", 5, "")


def test_phases_are_frozen_and_json_able() -> None:
    phase = build_plan().phases[1]
    with pytest.raises(dataclasses.FrozenInstanceError):
        phase.seconds = 1  # type: ignore[misc]
    assert phase.to_dict() == {
        "kind": "hold",
        "label": "Hold",
        "seconds": 30.0,
        "cue": "Hold: 30 seconds.",
        "side": "",
        "rep": 1,
        "reps": 1,
        "technique": "Stretch",
        "image": "",
        "side_label": "",
        "steps": [],
    }


# --- bad input -------------------------------------------------------------------------

BAD = [
    ("hold", 0, ValueError, "hold must be more than 0 seconds, got 0"),
    ("hold", -5, ValueError, "hold must be more than 0 seconds, got -5"),
    ("hold", float("nan"), ValueError, "hold must be a finite number of seconds, got nan"),
    ("hold", float("inf"), ValueError, "hold must be a finite number of seconds, got inf"),
    ("hold", "30", TypeError, "hold must be a number of seconds, got '30'"),
    ("hold", True, TypeError, "hold must be a number of seconds, got True"),
    ("hold", None, TypeError, "hold must be a number of seconds, got None"),
    ("sides", 3, ValueError, "sides must be 1 or 2, got 3"),
    ("sides", 0, ValueError, "sides must be at least 1, got 0"),
    ("sides", 2.0, TypeError, "sides must be a whole number, got 2.0"),
    ("reps", 0, ValueError, "reps must be at least 1, got 0"),
    ("reps", 2.5, TypeError, "reps must be a whole number, got 2.5"),
    ("reps", False, TypeError, "reps must be a whole number, got False"),
    ("reps", "3", TypeError, "reps must be a whole number, got '3'"),
    ("rest", -1, ValueError, "rest must be 0 or more seconds, got -1"),
    ("rest", float("-inf"), ValueError, "rest must be a finite number of seconds, got -inf"),
    ("get_ready", -0.5, ValueError, "get_ready must be 0 or more seconds, got -0.5"),
    ("get_ready", "5", TypeError, "get_ready must be a number of seconds, got '5'"),
    ("switch", float("nan"), ValueError, "switch must be a finite number of seconds, got nan"),
    ("title", "", TypeError, "title must be non-empty text, got ''"),
    ("title", 7, TypeError, "title must be non-empty text, got 7"),
]


@pytest.mark.parametrize(("name", "value", "error", "message"), BAD, ids=[f"{b[0]}={b[1]!r}" for b in BAD])
def test_bad_input_is_rejected_with_a_message_naming_it(
    name: str, value: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as info:
        build_plan(**{name: value})  # type: ignore[arg-type]
    assert str(info.value) == message
    assert "\n" not in str(info.value)


def test_plans_longer_than_two_hours_are_rejected() -> None:
    assert build_plan(hold=MAX_PLAN_SECONDS - 5).total_seconds == MAX_PLAN_SECONDS
    with pytest.raises(ValueError, match=r"hold=7200.*longer than the 2-hour limit \(7200 s\)"):
        build_plan(hold=7200)
    with pytest.raises(ValueError, match=r"reps=1000000000.*2-hour limit"):
        build_plan(hold=30, reps=10**9)  # rejected before any phase is built
    with pytest.raises(ValueError, match="2-hour limit"):
        plan_for_technique(CAT_CAMEL, reps=1000)


# --- property tests --------------------------------------------------------------------

seconds = st.floats(min_value=0.001, max_value=600, allow_nan=False, allow_infinity=False) | st.integers(
    1, 600
)
gaps = st.floats(min_value=0, max_value=60, allow_nan=False) | st.integers(0, 60)


@settings(max_examples=200, deadline=None)
@given(
    hold=seconds,
    sides=st.sampled_from([1, 2]),
    reps=st.integers(1, 8),
    rest=gaps,
    get_ready=gaps,
    switch=gaps,
)
def test_phases_always_sum_to_the_total(
    hold: float, sides: int, reps: int, rest: float, get_ready: float, switch: float
) -> None:
    expected = get_ready + reps * (sides * hold + (sides - 1) * switch) + (reps - 1) * rest
    if expected > MAX_PLAN_SECONDS:
        with pytest.raises(ValueError, match="2-hour limit"):
            build_plan(hold, sides, reps, rest, get_ready, switch)
        return
    plan = build_plan(hold, sides, reps, rest, get_ready, switch)
    assert math.isclose(math.fsum(p.seconds for p in plan.phases), plan.total_seconds)
    assert math.isclose(plan.total_seconds, expected, rel_tol=1e-9, abs_tol=1e-9)
    assert plan.phases[-1].kind == "done" and kinds(plan).count("done") == 1
    holds = [p for p in plan.phases if p.kind == "hold"]
    assert len(holds) == sides * reps
    assert [p.side for p in holds] == (["left", "right"] if sides == 2 else [""]) * reps
    assert all(p.seconds > 0 for p in plan.phases[:-1])


@settings(max_examples=50, deadline=None)
@given(reps=st.integers(1, 20), rest=gaps, get_ready=gaps)
def test_movement_phases_always_sum_to_the_total(reps: int, rest: float, get_ready: float) -> None:
    plan = plan_for_technique(CAT_CAMEL, reps=reps, rest=rest, get_ready=get_ready)
    cycle = sum(m.seconds for m in CAT_CAMEL.movement)
    assert math.isclose(plan.total_seconds, get_ready + reps * cycle + (reps - 1) * rest)
    assert math.isclose(sum(p.seconds for p in plan.phases), plan.total_seconds)


not_a_number = st.one_of(
    st.text(max_size=5), st.booleans(), st.none(), st.lists(st.integers(), max_size=2), st.just(object())
)
bad_seconds = st.one_of(
    not_a_number,
    st.sampled_from([float("nan"), float("inf"), float("-inf")]),
    st.floats(max_value=0, allow_nan=False),
    st.integers(max_value=0),
)
bad_count = st.one_of(
    not_a_number,
    st.integers(max_value=0),
    st.floats(allow_nan=True),
)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), name=st.sampled_from(["hold", "sides", "reps", "rest", "get_ready", "switch"]))
def test_invalid_input_is_always_rejected(data: st.DataObject, name: str) -> None:
    if name == "hold":
        value = data.draw(bad_seconds)
    elif name in ("sides", "reps"):
        value = data.draw(bad_count | st.integers(min_value=3)) if name == "sides" else data.draw(bad_count)
    else:
        value = data.draw(
            not_a_number
            | st.sampled_from([float("nan"), float("inf")])
            | st.floats(max_value=-1e-9, allow_nan=False)
            | st.integers(max_value=-1)
        )
    with pytest.raises((TypeError, ValueError)) as info:
        build_plan(**{name: value})
    assert str(info.value).startswith(f"{name} must be ")


# --- the widget (Python side) ----------------------------------------------------------


def test_timer_for_technique_syncs_its_plan_as_json() -> None:
    timer = StretchTimer.for_technique(HAMSTRING)
    assert timer.plan == plan_for_technique(HAMSTRING)
    assert timer.title == HAMSTRING.name
    assert timer.summary == "Hamstring Stretch: 2 sides x 30 s"
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
    assert repr(timer) == "StretchTimer(Hamstring Stretch: 2 sides x 30 s)"
    data, _ = timer._repr_mimebundle_()
    assert data["text/plain"] == "StretchTimer(Hamstring Stretch: 2 sides x 30 s)"
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
    assert timer.presenter and timer.summary == "Hamstring Stretch: 2 sides x 20 s"
    assert timer.plan.phases[0].kind == "hold"
    with pytest.raises(TypeError, match="unknown option 'colour' for for_technique"):
        StretchTimer.for_technique(HAMSTRING, colour="red")
    with pytest.raises(ValueError, match="hold must be more than 0 seconds, got 0"):
        StretchTimer.for_technique(HAMSTRING, hold=0)


def test_browser_hold_control_rebuilds_the_plan() -> None:
    timer = StretchTimer.for_technique(HAMSTRING, get_ready=0)
    timer.set_state({"hold": 35.0})  # what the "+5 s" button sends
    assert timer.summary == "Hamstring Stretch: 2 sides x 35 s"
    assert [p["seconds"] for p in timer.phases if p["kind"] == "hold"] == [35.0, 35.0]
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
    # Mayo Clinic's back exercises are repeated two or three times: the course's range is 1-3.
    assert timer.adjust_range == [1.0, 3.0, 1.0]
    timer.set_state({"reps": 2})
    assert max(p["rep"] for p in timer.phases) == 2
    for bad in (0, 4):
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
