"""Benchmarks of the camera check: how long its pose model takes to load, and its frame rate.

``make bench ONLY=camera`` runs only these rows. The check runs in a page of its own with a
fake camera playing the person video of tests/browser/test_pose_check.py, a fresh browser
per run (nothing cached): load time is from the click on its button to the first frame
judged (8 MB sent to the page, the wasm backend started, the model loaded); the frame rate
is over the next 10 s. The check asks for at most five frames a second (camera.js).
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from pathlib import Path

from bench.common import Row
from tests.browser.fake_camera import open_camera_page, person, state, video

WATCH_S = 10.0


def _run(y4m: Path) -> tuple[float, float]:
    """(seconds to the first judged frame, frames a second after it) in a fresh browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw, contextlib.ExitStack() as stack:
        cp = open_camera_page(pw, stack, y4m, state())
        t0 = time.perf_counter()
        cp.turn_on()
        cp.wait_for_frames(1)
        loaded = time.perf_counter() - t0
        first = int(cp.preview("frames"))
        time.sleep(WATCH_S)
        fps = (int(cp.preview("frames")) - first) / WATCH_S
        assert cp.off_host == [], cp.off_host
    return loaded, fps


def bench_camera(runs: int) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="stretchkit-bench-camera-") as tmp:
        y4m = video(Path(tmp), "person", [(person(), 1.0)])
        results = [_run(y4m) for _ in range(runs)]
    loads = tuple(r[0] for r in results)
    rates = tuple(r[1] for r in results)
    return [
        Row(
            "Camera check model load",
            "click the camera button until the first frame is judged"
            " (a fresh browser; 8 MB of model, library and wasm sent to the page)",
            "s",
            loads,
            target="≤ 30 s",
            met=max(loads) <= 30,
            ratio=False,
        ),
        Row(
            "Camera check frame rate",
            f"frames judged a second over {WATCH_S:.0f} s (240 px fake camera, wasm backend, capped at 5)",
            "frames/s",
            rates,
            target="≥ 2 frames/s (the 2 s grace sees several frames)",
            met=min(rates) >= 2,
            ratio=False,
        ),
    ]
