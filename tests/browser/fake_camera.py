"""Fake cameras for Chromium: short y4m videos made from a person photo, and a browser per video.

Chromium plays a y4m file as its camera (``--use-file-for-fake-video-capture``), looping it,
and grants the camera without asking (``--use-fake-ui-for-media-stream``). The photo is
tests/data/astronaut.jpg: scikit-image's ``astronaut`` (Eileen Collins, NASA; public domain),
scaled down to 240 px. Videos stay short and small: the model runs on the shared CPU.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from tests.browser.conftest import CHROMIUM_ARGS
from tests.conftest import CHROMIUM

DATA = Path(__file__).resolve().parents[1] / "data"
SIZE = 240


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
