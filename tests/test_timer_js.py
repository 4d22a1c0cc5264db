"""The timer's timing logic (TimerCore in static/timer.js), run in node without a page.

The core is a pure state machine that is handed the time, so each test plays a run with
made-up times and checks the phase, state and end times it lands on.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

TIMER_JS = Path(__file__).resolve().parents[1] / "stretchkit" / "static" / "timer.js"
NODE = shutil.which("node")

if NODE is None and os.environ.get("CI") != "true":
    pytest.skip("node is not installed (sudo apt-get install nodejs)", allow_module_level=True)

# A data: URL imports timer.js as an ES module whatever node's default module type.
RUNNER = """
import { readFileSync } from "node:fs";
const source = readFileSync(process.argv[1], "utf8");
const { TimerCore, clock } = await import("data:text/javascript," + encodeURIComponent(source));
const steps = JSON.parse(process.argv[2]);
const core = new TimerCore(steps.phases);
const out = [];
for (const [method, ...args] of steps.calls) {
  const result = method === "clock" ? clock(...args) : core[method](...args);
  const { idx, state, endAt, leftMs, pausedMs } = core;
  out.push({ result: result ?? null, idx, state, endAt, leftMs, pausedMs });
}
console.log(JSON.stringify(out));
"""

#: Get ready 5 s, hold 30 s, rest 10 s, hold 30 s, done.
PHASES = [{"seconds": s} for s in (5, 30, 10, 30, 0)]


def play(*calls: list[Any], phases: list[dict[str, Any]] = PHASES) -> list[dict[str, Any]]:
    assert NODE is not None, "node is needed for the timer's logic tests in CI"
    run = subprocess.run(
        [
            NODE,
            "--input-type=module",
            "-e",
            RUNNER,
            str(TIMER_JS),
            json.dumps({"phases": phases, "calls": calls}),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)  # type: ignore[no-any-return]


def test_phase_ends_follow_nominal_times_so_delays_never_add_up() -> None:
    early, on_time, late = play(["start", 0], ["due", 4999], ["due", 5000], ["due", 35_012])[1:]
    assert early["result"] == "early" and early["idx"] == 0
    assert on_time["result"] == "enter" and on_time["idx"] == 1 and on_time["endAt"] == 35_000
    # Woken 12 ms late: the next end is counted from 35 000, not from when it woke.
    assert late["result"] == "enter" and late["idx"] == 2 and late["endAt"] == 45_000


def test_a_long_stall_passes_every_phase_that_is_over() -> None:
    start, stalled, done = play(["start", 0], ["due", 44_000], ["complete"])
    assert start["state"] == "running"
    assert stalled["result"] == "enter" and stalled["idx"] == 2
    late = play(["start", 0], ["due", 90_000])[-1]
    assert late["result"] == "complete"
    assert done["state"] == "done" and done["idx"] == 4 and done["leftMs"] == 0


def test_pause_keeps_the_time_left_and_resume_counts_the_pause() -> None:
    paused, resumed = play(["start", 0], ["due", 5_000], ["pause", 12_000], ["resume", 20_000])[2:]
    assert paused["state"] == "paused" and paused["leftMs"] == 23_000
    assert resumed["state"] == "running" and resumed["endAt"] == 43_000 and resumed["pausedMs"] == 8_000


def test_skip_moves_on_and_completes_at_the_end() -> None:
    calls = [
        ["start", 0],
        ["pause", 1_000],
        ["skip", 2_000],
        ["resume", 3_000],
        ["skip", 4_000],
        ["skip", 5_000],
    ]
    _, _, skipped, _, running_skip, last = play(*calls)
    assert skipped["result"] == "enter" and skipped["idx"] == 1 and skipped["leftMs"] == 30_000
    assert running_skip["result"] == "enter" and running_skip["idx"] == 2 and running_skip["endAt"] == 14_000
    assert last["result"] == "enter" and last["idx"] == 3
    assert play(["start", 0], ["skip", 1], ["skip", 2], ["skip", 3], ["skip", 4])[-1]["result"] == "complete"
    assert play(["skip", 0])[-1]["result"] is None  # idle: nothing to skip


def test_reset_again_and_empty_plans() -> None:
    reset = play(["start", 0], ["due", 5_000], ["reset"])[-1]
    assert reset["state"] == "idle" and reset["idx"] == 0 and reset["leftMs"] == 5_000
    again = play(["start", 0], ["complete"], ["again", 75_000])[-1]
    assert again["state"] == "running" and again["idx"] == 0 and again["endAt"] == 80_000
    assert play(["start", 0], phases=[{"seconds": 0}])[-1]["result"] is False


def test_progress_and_the_clock_face() -> None:
    [_, progress] = play(["start", 0], ["progress", 20_000])
    assert progress["result"] == {
        "left": 0,
        "total": 75_000,
        "elapsed": 5_000,
        "phaseDone": 1,
        "planDone": 5_000 / 75_000,
    }
    mid = play(["start", 0], ["due", 5_000], ["progress", 20_000])[-1]["result"]
    assert mid["left"] == 15_000 and mid["elapsed"] == 20_000 and mid["phaseDone"] == 0.5
    faces = [r["result"] for r in play(["clock", 0], ["clock", 999], ["clock", 61_000], ["clock", 59_000.5])]
    assert faces == ["0:00", "0:01", "1:01", "1:00"]


def report(*calls: list[Any], at: float) -> dict[str, Any]:
    """The run's report at time ``at`` after ``calls``."""
    result: dict[str, Any] = play(*calls, ["report", at])[-1]["result"]
    return result


def test_a_run_played_through_reports_every_phase_spent_in_full() -> None:
    # Woken 40 ms late at the end: the phases still count their nominal length.
    run = report(["start", 1_000], ["due", 76_040], ["complete"], at=76_040)
    assert run["spent"] == [5, 30, 10, 30, 0]
    assert run["skipped"] == []
    assert run["active"] == 75 and run["wall"] == 75.04 and run["paused"] == 0


def test_a_run_skipped_through_reports_only_the_seconds_spent_and_the_skips() -> None:
    calls: list[list[str | int]] = [
        ["start", 0],
        ["skip", 2_000],
        ["skip", 3_500],
        ["skip", 4_000],
        ["skip", 4_250],
        ["complete"],
    ]
    run = report(*calls, at=4_250)
    assert run["spent"] == [2, 1.5, 0.5, 0.25, 0]
    assert run["skipped"] == [0, 1, 2, 3]
    assert run["active"] == 4.25 and run["wall"] == 4.25


def test_pauses_are_not_time_spent_but_are_on_the_clock() -> None:
    calls: list[list[str | int]] = [
        ["start", 0],
        ["due", 5_000],
        ["pause", 15_000],  # 10 s into the first hold, then a 60 s pause
        ["skip", 75_000],  # skipped while paused: 10 s of it were spent
        ["resume", 80_000],  # 5 s more paused, in the rest
        ["due", 90_000],  # the rest ran out
        ["due", 120_000],  # and the last hold
        ["complete"],
    ]
    run = report(*calls, at=120_000)
    assert run["spent"] == [5, 10, 10, 30, 0]
    assert run["skipped"] == [1]
    assert run["active"] == 55 and run["paused"] == 65 and run["wall"] == 120
    # Skipped to the end while paused: the pause up to the end is on the clock, not spent.
    skips = [["skip", 9_000]] * 4
    run = report(["start", 0], ["pause", 3_000], *skips, ["complete", 9_000], at=9_000)
    assert run["spent"] == [3, 0, 0, 0, 0] and run["paused"] == 6 and run["wall"] == 9


def test_a_new_run_or_a_reset_starts_a_new_report() -> None:
    again = report(["start", 0], ["skip", 1_000], ["due", 31_000], ["again", 31_000], at=31_000)
    assert again == {"spent": [0, 0, 0, 0, 0], "skipped": [], "active": 0, "wall": 0, "paused": 0}
    reset = report(["start", 0], ["skip", 1_000], ["reset"], ["start", 50_000], ["due", 55_000], at=55_000)
    assert reset["spent"] == [5, 0, 0, 0, 0] and reset["skipped"] == [] and reset["wall"] == 5


#: Hold 10 s, wait for Ready (moving to the floor: no clock), hold 10 s, wait (coming up), done.
WAITS = [
    {"seconds": 10, "kind": "hold"},
    {"seconds": 0, "kind": "wait"},
    {"seconds": 10, "kind": "hold"},
    {"seconds": 0, "kind": "wait"},
    {"seconds": 0, "kind": "done"},
]


def test_a_wait_phase_has_no_end_and_goes_on_only_at_ready() -> None:
    calls = [["start", 0], ["due", 10_000], ["due", 900_000], ["left", 900_000], ["ready", 950_000]]
    _, at_wait, still, left, ready = play(*calls, phases=WAITS)
    assert at_wait["result"] == "enter" and at_wait["idx"] == 1 and at_wait["endAt"] is None  # Infinity
    assert still["result"] == "early" and still["idx"] == 1 and still["state"] == "running"
    assert left["result"] == 0  # no countdown
    assert ready["result"] == "enter" and ready["idx"] == 2 and ready["endAt"] == 960_000
    assert play(["start", 0], ["ready", 1], phases=WAITS)[-1]["result"] is None  # not waiting: no Ready


def test_ready_at_the_last_wait_completes_and_waiting_counts_no_time() -> None:
    calls = [["start", 0], ["due", 10_000], ["ready", 70_000], ["due", 80_000], ["ready", 200_000]]
    out = play(*calls, ["complete", 200_000], ["report", 200_000], phases=WAITS)
    assert out[3]["idx"] == 3 and out[4]["result"] == "complete"
    report = out[-1]["result"]
    assert report["spent"] == [10, 0, 10, 0, 0] and report["active"] == 20 and report["wall"] == 200


def test_a_wait_reached_by_skipping_while_paused_still_waits() -> None:
    calls = [["start", 0], ["pause", 1_000], ["skip", 2_000], ["resume", 3_000], ["due", 999_000]]
    out = play(*calls, phases=WAITS)
    assert out[2]["idx"] == 1 and out[3]["endAt"] is None and out[4]["result"] == "early"
    # Ready while paused at a wait: on to the next phase, running, the pause counted.
    paused_ready = play(["start", 0], ["skip", 1_000], ["pause", 2_000], ["ready", 5_000], phases=WAITS)[-1]
    assert paused_ready["state"] == "running" and paused_ready["idx"] == 2
    assert paused_ready["pausedMs"] == 3_000 and paused_ready["endAt"] == 15_000
    # A plan that starts with a wait waits at once.
    first = play(["start", 0], ["due", 60_000], phases=WAITS[1:])[-1]
    assert first["result"] == "early" and first["idx"] == 0
