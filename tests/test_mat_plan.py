"""A routine that moves between a chair and the floor waits for the learner's Ready there.

The waiting steps are plan phases of kind "wait": no clock (0 s), the course's own floor
guidance as their steps (never new words of advice), and no stretching time in a run's report.
"""

from __future__ import annotations

import pytest

from stretchkit import Phase, Plan, build_plan, load_course, plan_for_technique
from stretchkit.lessons import lesson_for
from stretchkit.plan import FLOOR_LESSON, Run, floor_moves
from stretchkit.routine import Routine, RoutineItem

COURSE = load_course()
FLOOR = COURSE.floor
CHAIR = "piriformis-stretch"  # on a chair
LYING = "hamstring-stretch"  # lying on the floor
KNEELING = "childs-pose"  # kneeling on the floor
SEATED = "seated-knee-hug"  # on a chair


def waits(plan: Plan) -> list[Phase]:
    return [p for p in plan.phases if p.kind == "wait"]


def test_the_positions_the_examples_rely_on() -> None:
    positions = {s: COURSE.technique(s).position for s in (CHAIR, LYING, KNEELING, SEATED)}
    assert positions == {CHAIR: "chair", LYING: "lying", KNEELING: "kneeling", SEATED: "chair"}


def test_a_technique_plan_knows_where_it_is_done() -> None:
    assert plan_for_technique(COURSE.technique(LYING)).position == "lying"
    assert plan_for_technique(COURSE.technique("cat-camel")).position == "all-fours"
    assert build_plan().position == ""
    with pytest.raises(ValueError, match=r"position must be one of chair, .* got 'sofa'"):
        Plan("X", build_plan().phases, position="sofa")


def test_chair_to_floor_waits_for_ready_with_the_way_down_and_ends_coming_up_slowly() -> None:
    plan = Routine([CHAIR, LYING]).plan()
    down, up = waits(plan)
    kinds = [p.kind for p in plan.phases]
    assert kinds.index("wait") == kinds.index("get-ready", 1) - 1  # just before the floor stretch
    assert down.label == "Down to the floor" and down.seconds == 0
    assert down.technique == COURSE.technique(LYING).name
    assert down.steps == FLOOR.down  # the course's own words, every step
    assert down.cue == (
        "Next: Hamstring Stretch, on the floor. Get down to the floor as lesson 00 shows, then press Ready."
    )
    assert plan.phases[-2] is up and plan.phases[-1].kind == "done"
    assert up.label == "Come up slowly" and up.steps == FLOOR.up and up.seconds == 0
    assert up.cue == "Come up slowly, as lesson 00 shows, then press Ready."


def test_the_pointer_names_the_lesson_that_teaches_the_floor() -> None:
    title, link = lesson_for("safety", COURSE)
    assert title.lower().startswith(FLOOR_LESSON) and link.startswith("00-")
    assert "floor" in FLOOR.title.lower()


def test_floor_to_chair_waits_with_the_way_up_and_no_come_up_at_the_end() -> None:
    plan = Routine([KNEELING, SEATED]).plan()
    down, up = waits(plan)  # a routine is taken to start off the floor: it first gets down
    assert down.label == "Down to the floor" and plan.phases[0] is down
    assert up.label == "Up from the floor" and up.steps == FLOOR.up
    assert up.technique == COURSE.technique(SEATED).name
    assert up.cue == "Next: Seated Knee Hug, off the floor. Get up as lesson 00 shows, then press Ready."
    assert plan.phases[-2].kind == "hold"  # ends on the chair: no coming up


def test_a_routine_that_starts_on_the_floor_begins_with_the_way_down() -> None:
    plan = Routine([LYING, KNEELING]).plan()
    assert plan.phases[0].kind == "wait" and plan.phases[0].label == "Down to the floor"
    assert [p.label for p in waits(plan)] == ["Down to the floor", "Come up slowly"]


def test_staying_on_one_level_never_waits() -> None:
    assert waits(Routine([CHAIR, SEATED]).plan()) == []
    assert [p.label for p in waits(Routine([LYING, "cat-camel", KNEELING]).plan())] == [
        "Down to the floor",
        "Come up slowly",
    ]


def test_the_default_routine_goes_down_once_and_comes_up_once() -> None:
    plan = Routine().plan()
    assert [p.label for p in waits(plan)] == ["Down to the floor", "Come up slowly"]
    assert plan.phases[-2].label == "Come up slowly"


def test_the_drawing_of_the_next_stretch_shows_while_waiting() -> None:
    from stretchkit.handout import illustrated_plan

    plan = illustrated_plan(Routine([CHAIR, LYING], course=COURSE))
    down, come_up = waits(plan)
    first = next(p for p in plan.phases if p.technique == down.technique and p.kind == "get-ready")
    assert down.image and down.image == first.image
    assert come_up.image == ""


def test_waiting_counts_no_time_and_no_stretching() -> None:
    routine = Routine([RoutineItem(CHAIR, hold=20), RoutineItem(LYING, hold=20)])
    plan = routine.plan()
    assert plan.total_seconds == routine.total_seconds
    assert plan.total_seconds == sum(p.seconds for p in plan.phases if p.kind != "wait")
    spent = [p.seconds for p in plan.phases]
    run = Run.from_report(plan, {"spent": spent, "skipped": [], "wall": plan.total_seconds + 90})
    outcome = routine.outcome(run)
    assert outcome.complete and [s.spent_seconds for s in outcome.stretches] == [
        s.planned_seconds for s in outcome.stretches
    ]
    with pytest.raises(ValueError, match=r"spent\[4\] must be at most the phase's 0 s, got 3"):
        index = [p.kind for p in plan.phases].index("wait")
        assert index == 4
        bad = [*spent[:index], 3, *spent[index + 1 :]]
        Run.from_report(plan, {"spent": bad, "skipped": [], "wall": 999})


def test_a_wait_phase_has_no_clock_and_reads_plainly() -> None:
    with pytest.raises(ValueError, match="seconds of a wait phase must be 0, got 5"):
        Phase("wait", "Down to the floor", 5, "")
    with pytest.raises(TypeError, match="steps must be a list of texts, got 'Roll'"):
        Phase("wait", "Down", 0, "", steps="Roll")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="steps must be non-empty text, got ''"):
        Phase("wait", "Down", 0, "", steps=("",))
    text = Routine([CHAIR, LYING]).plan().to_text()
    assert "Hamstring Stretch: Down to the floor, no clock: press Ready: Next: Hamstring Stretch" in text
    assert FLOOR.down[-1] in text and FLOOR.up[0] in text
    assert Phase("wait", "W", 0, "c", steps=("a", "b")).to_dict()["steps"] == ["a", "b"]


def test_join_without_floor_guidance_adds_nothing_and_checks_it() -> None:
    parts = [plan_for_technique(COURSE.technique(s)) for s in (CHAIR, LYING)]
    assert waits(Plan.join("R", parts)) == []
    assert len(waits(Plan.join("R", parts, floor=FLOOR))) == 2
    with pytest.raises(TypeError, match="floor must be the course's Floor guidance"):
        Plan.join("R", parts, floor="down")  # type: ignore[arg-type]
    assert floor_moves(FLOOR, parts[0], parts[0]) == ()
    assert floor_moves(FLOOR, None, None) == ()


def test_a_single_stretch_timer_never_waits_for_a_move_between_chair_and_floor() -> None:
    """A technique lesson's timer is one stretch where the learner already is: no Ready step."""
    from stretchkit import StretchTimer

    for technique in COURSE.techniques:
        timer = StretchTimer.for_technique(technique)
        assert waits(timer.plan) == [], technique.slug
        assert [p["kind"] for p in timer.phases if p["kind"] == "wait"] == [], technique.slug
