"""Timer plans: the phases a stretch or a routine plays, their text, and the checks of their settings."""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchkit import Phase, Plan, build_plan, load_course, plan_for_technique
from stretchkit.course import Technique
from stretchkit.plan import MAX_PLAN_SECONDS

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
    half: Any = Fraction(5, 2)  # a real number that is not a float, as any caller may pass
    plan = build_plan(hold=half, get_ready=0.5)
    assert plan.phases[1].seconds == 2.5
    assert plan.total_seconds == 3.0


def test_a_two_sided_stretch_changes_sides_between_reps_when_there_is_no_rest() -> None:
    plan = build_plan(hold=10, sides=2, reps=2, rest=0, get_ready=0, switch=4)
    assert kinds(plan) == ["hold", "switch", "hold", "switch", "hold", "switch", "hold", "done"]
    assert [p.side for p in plan.phases if p.kind == "hold"] == ["left", "right", "left", "right"]
    assert plan.total_seconds == 4 * 10 + 3 * 4
    rested = build_plan(hold=10, sides=2, reps=2, rest=6, get_ready=0, switch=4)
    assert kinds(rested) == ["hold", "switch", "hold", "rest", "hold", "switch", "hold", "done"]


def test_plan_always_ends_with_exactly_one_done_phase_of_zero_seconds() -> None:
    plan = build_plan(sides=2, reps=2, rest=5)
    assert plan.phases[-1].kind == "done"
    assert plan.phases[-1].seconds == 0
    assert kinds(plan).count("done") == 1


# --- techniques ------------------------------------------------------------------------


def test_hamstring_plan_comes_from_the_technique() -> None:
    plan = plan_for_technique(HAMSTRING)
    # Saint Luke's: 2 to 3 times on each leg; the course starts at 2.
    assert plan.summary == "Hamstring Stretch: 2 sides x 30 s, 2 reps"
    assert plan.summary == f"{HAMSTRING.name}: {HAMSTRING.dose()}"
    # Between the reps the learner changes legs again: a switch, not a jump to the other leg.
    assert kinds(plan) == ["get-ready", "hold", "switch", "hold", "switch", "hold", "switch", "hold", "done"]
    assert plan.total_seconds == 5 + 2 * (30 + 5 + 30) + 5
    ready = plan.phases[0]
    assert HAMSTRING.name in ready.cue and HAMSTRING.start_position in ready.cue
    # The article says to change legs: the cues say "leg", not "side".
    assert plan.phases[1].cue == "Rep 1 of 2. Hold, left leg: 30 seconds."
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
        "Hamstring Stretch: 2 sides x 30 s, 2 reps (2 min 20 s in all)",
        f"1. Get ready, 5 s: Get ready for Hamstring Stretch. {HAMSTRING.start_position}",
        "2. Hold (left, rep 1 of 2), 30 s: Rep 1 of 2. Hold, left leg: 30 seconds.",
        "3. Switch sides (rep 1 of 2), 5 s: Switch to the other leg.",
        "4. Hold (right, rep 1 of 2), 30 s: Hold, right leg: 30 seconds.",
        "5. Switch sides (rep 2 of 2), 5 s: Switch to the other leg.",
        "6. Hold (left, rep 2 of 2), 30 s: Rep 2 of 2. Hold, left leg: 30 seconds.",
        "7. Switch sides (rep 2 of 2), 5 s: Switch to the other leg.",
        "8. Hold (right, rep 2 of 2), 30 s: Hold, right leg: 30 seconds.",
        "9. Done: Finished: Hamstring Stretch.",
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
    assert "Hamstring Stretch: Hold (left, rep 1 of 2)" in routine.to_text()


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
    # Between reps: the rest, or with none a change of sides for a two-sided stretch.
    between = rest if rest or sides == 1 else switch
    expected = get_ready + reps * (sides * hold + (sides - 1) * switch) + (reps - 1) * between
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
    value: Any  # anything at all, as untyped code may pass
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
