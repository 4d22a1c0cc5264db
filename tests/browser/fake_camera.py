"""Fake cameras for Chromium: short y4m videos made from a person photo, and a browser per video.

Chromium plays a y4m file as its camera (``--use-file-for-fake-video-capture``), looping it,
and grants the camera without asking (``--use-fake-ui-for-media-stream``). The photo is
tests/data/astronaut.jpg: scikit-image's ``astronaut`` (Eileen Collins, NASA; public domain),
scaled down to 240 px. Videos stay short and small: the model runs on the shared CPU.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from stretchkit.camera import POSE, POSE_FILES, WORDS
from stretchkit.posecheck import Position, upright_upper_body
from tests.browser.conftest import CHROMIUM_ARGS, front_ends, serve_files
from tests.browser.course import wait_for
from tests.conftest import CHROMIUM

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
SIZE = 240
SECURE = "http://localhost:8123"  # routed, never served: a secure context (localhost) for the camera
INSECURE = "http://classroom.test"  # a plain-http classroom address: no camera there
MODEL_S = 120  # loading 8 MB and starting the wasm backend on a busy CPU
PHASES = [
    {"kind": "get-ready", "seconds": 5, "label": "Get ready"},
    {"kind": "hold", "seconds": 30, "label": "Hold"},
    {"kind": "done", "seconds": 0, "label": "Done"},
]


def person() -> np.ndarray:
    """The person photo as an RGB array, SIZE x SIZE."""
    return np.asarray(Image.open(DATA / "astronaut.jpg").convert("RGB").resize((SIZE, SIZE)))


def lying() -> np.ndarray:
    """The photo turned on its side: the same person, head to one side."""
    return np.rot90(person()).copy()


def empty() -> np.ndarray:
    """An empty room: a plain wall."""
    return np.full((SIZE, SIZE, 3), 200, dtype=np.uint8)


def write_y4m(path: Path, frames: Sequence[np.ndarray], fps: int = 10) -> Path:
    """``frames`` (RGB arrays of one even size) as a 4:2:0 y4m video."""
    h, w, _ = frames[0].shape
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{w} H{h} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for rgb in frames:
            y, u, v = (np.asarray(c, dtype=np.uint8) for c in Image.fromarray(rgb).convert("YCbCr").split())
            out.write(b"FRAME\n")
            out.write(y.tobytes())
            for chroma in (u, v):
                out.write(np.asarray(Image.fromarray(chroma).resize((w // 2, h // 2))).tobytes())
    return path


def video(folder: Path, name: str, spells: Sequence[tuple[np.ndarray, float]], fps: int = 10) -> Path:
    """A looping video of ``spells``: (a frame, how many seconds it shows)."""
    frames = [frame for frame, seconds in spells for _ in range(round(seconds * fps))]
    return write_y4m(folder / f"{name}.y4m", frames, fps)


@contextlib.contextmanager
def camera_browser(pw: Any, y4m: Path) -> Iterator[Any]:
    """Chromium whose camera plays ``y4m`` (granted without asking)."""
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={y4m}",
    ]
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
    try:
        yield browser
    finally:
        browser.close()


# --- the camera check alone in a page, its timer played by a mock model ---

HARNESS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>camera check</title>
<link rel="stylesheet" href="/static/tokens.css">
<link rel="stylesheet" href="/static/camera.css"></head>
<body style="background: Canvas; color-scheme: light dark"><main id="root"></main>
<script type="module">
import widget from "/static/camera.js";
import { MockModel } from "/mock_model.js";
window.model = new MockModel(%(state)s);
// Python's side of the channel: the model's files, as CameraCheck._on_msg sends them.
window.model.send = async (content) => {
  window.model.sent.push(content);
  const names = %(names)s;
  const get = async (n) => new DataView(await (await fetch("/pose/" + n)).arrayBuffer());
  window.model._emit("msg:custom", { type: "files", names }, await Promise.all(names.map(get)));
};
window.spoken = [];
if (window.speechSynthesis) window.speechSynthesis.speak = (u) => window.spoken.push(u.text);
window.cleanup = await widget.render({ model: window.model, el: document.getElementById("root") });
document.body.dataset.ready = "true";
</script></body></html>"""


@dataclass
class CameraPage:
    page: Any
    requests: list[str] = field(default_factory=list)
    off_host: list[str] = field(default_factory=list)

    def model(self, key: str) -> Any:
        return self.page.evaluate("k => window.model.get(k)", key)

    def status(self) -> str:
        return str(self.page.locator(".sk-camera-status").inner_text()).strip()

    def preview(self, key: str) -> str:
        return str(self.page.get_attribute(".sk-camera-preview", f"data-{key}") or "")

    def turn_on(self) -> None:
        self.page.get_by_role("button", name=WORDS["start"]).click()

    def wait_for_frames(self, n: int = 3) -> None:
        wait_for(lambda: int(self.preview("frames") or 0) >= n, f"{n} frames were judged", MODEL_S)


def state(position: Position | None = None, **changes: Any) -> dict[str, Any]:
    base = {
        "position": (position or upright_upper_body()).as_data(),
        "not_followed": "",
        "words": WORDS,
        "phases": PHASES,
        "phase_index": 1,
        "timer_state": "running",
        "speech": True,
        "hold_paused": False,
        "held_in_view": 0,
    }
    return {**base, **changes}


def _files(model_state: dict[str, Any]) -> dict[str, tuple[bytes, str]]:
    html = HARNESS % {"state": json.dumps(model_state), "names": json.dumps(list(POSE_FILES))}
    files = {"/": (html.encode(), "text/html"), **front_ends()}
    for name in POSE_FILES:
        files[f"/pose/{name}"] = ((POSE / name).read_bytes(), "application/octet-stream")
    return files


def open_camera_page(
    pw: Any, stack: contextlib.ExitStack[Any], y4m: Path, model_state: dict[str, Any], origin: str = SECURE
) -> CameraPage:
    """The camera check in a page of its own browser (closed with ``stack``), its camera playing
    ``y4m``; every request is recorded and any not to the page's own origin is aborted."""
    browser = stack.enter_context(camera_browser(pw, y4m))
    page = browser.new_page(viewport={"width": 900, "height": 900})
    cp = CameraPage(page)
    serve_files(page, origin, _files(model_state), cp.requests, cp.off_host)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(origin + "/")
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)
    assert not errors, errors
    return cp
