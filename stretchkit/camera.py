"""The camera check: an opt-in widget beside a stretch timer that pauses a hold while the
camera cannot see the learner in the stretch's position.

Off until the learner presses its button. The pose model (MoveNet Lightning), its library
(@vladmandic/human) and TensorFlow.js's wasm files are package data fetched from npm at
build time (``scripts/pose_model.py``, ``stretchkit/static/pose-model/``); the browser asks for
them over the widget's own channel when the learner turns the camera on and runs everything
itself (``static/camera.js``), so no frame and no request leaves the device. In the static site
the course's wheel leaves them out (every visitor would download them with it): there Python
answers with where they are on the site's own host (:data:`SITE_POSE`), and the browser
fetches them from there. The rules are :mod:`stretchkit.posecheck`'s.
Python keeps only how long a hold was seen in position (``held_in_view``), never an image.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Iterable
from typing import Any

import anywidget
import ipywidgets
import traitlets

from ._widget import STATIC, StaticFallback, stylesheet
from .content import load_course, resolve_technique
from .course import Course, Technique
from .drawing import drawing_for, has_drawing
from .lessons import Section
from .posecheck import Position, position_from_poses
from .timer import StretchTimer
from .wording import join_and, stop_rule, the

__all__ = [
    "POSE_FILES",
    "SITE_POSE",
    "WORDS",
    "CameraCheck",
    "RoutineCameraCheck",
    "camera_limits",
    "followed",
    "position_for",
    "with_camera_check",
]

POSE = STATIC / "pose-model"
#: The files the browser is sent (``scripts/pose_model.py`` fetches them, with their licences).
POSE_FILES = (
    "human.esm.js",
    "movenet-lightning.json",
    "movenet-lightning.bin",
    "tfjs-backend-wasm.wasm",
    "tfjs-backend-wasm-simd.wasm",
    "tfjs-backend-wasm-threaded-simd.wasm",
)
#: Where the static site keeps the files, relative to its base URL (``scripts/lite.py`` puts
#: them there and leaves them out of the site's copy of the course's wheel).
SITE_POSE = "pose-model/"

#: Only positions on a chair, drawn from the side, are followed (see :func:`followed`).
FOLLOWED_POSITIONS = ("chair",)

#: Everything the check says, written once (the browser shows these).
WORDS = {
    "intro": (
        "Optional: the camera can check that you are in this stretch's position and pause the hold while it "
        "cannot see you. It runs on this device only: no picture is kept or sent anywhere."
    ),
    "place": "Place the device to your side, far enough away to see all of you, from head to feet.",
    "start": "Check my position with the camera",
    "stop": "Turn the camera off",
    "loading": "Loading the pose model on this device…",
    "in position": "In position",
    "not in view": "Move so your whole body is in view",
    "out of position": "Not in this stretch's position",
    "nobody": "Can't see you",
    "paused": "the hold is paused",
    "off": "Camera off: the timer counts as before.",
    "insecure": (
        "The camera works only at a secure address (https, or this computer's own): "
        "the timer counts as before."
    ),
    "no camera": "No camera was found: the timer counts as before.",
    "refused": "The camera was not allowed: the timer counts as before.",
    "no model": "The camera check's files are not installed (make pose-model): the timer counts as before.",
    "failed": "The pose model could not start here: the timer counts as before.",
    "not followed": "The camera check does not follow this stretch: its hold counts as before.",
    "routine intro": (
        "Optional: the camera can check that you are in the position of {names}, and pause its hold "
        "while it cannot see you; the other stretches' holds count as before. It runs on this device "
        "only: no picture is kept or sent anywhere."
    ),
    "held": "Held {n} s in view",
    "preview": "Camera preview, mirrored, with the body's outline the model found",
}


def followed(technique: Technique) -> str:
    """Why the check does not follow a technique ("" when it does).

    Followed: chair positions drawn from the side. A side view cannot show a stretch drawn
    from the front or above (a twist, a crossed leg), and floor positions were left out:
    pose models find a body lying or kneeling on the floor less surely, and they were not
    tried with the camera.
    """
    if not has_drawing(technique) or drawing_for(technique).view != "side view":
        return f"The camera check cannot follow {technique.name}: a side view does not show it."
    if technique.position not in FOLLOWED_POSITIONS:
        return (
            f"The camera check does not follow {technique.name}: it follows only stretches on a chair, "
            "as a camera finds a body on the floor less surely."
        )
    return ""


def position_for(technique: Technique) -> Position:
    """The technique's position, from its side-view drawing (see :func:`posecheck.position_from_poses`)."""
    return position_from_poses(technique.slug, drawing_for(technique).poses)


class CameraCheck(StaticFallback, anywidget.AnyWidget):  # type: ignore[misc]
    """The camera check of one timer: linked to it in the browser (its phases, its state and
    speech option in; whether to pause the hold out), so it works while the kernel is busy."""

    _esm = STATIC / "camera.js"
    _css = stylesheet("camera.css")

    #: posecheck.Position.as_data(); {} when the technique is not followed.
    position = traitlets.Dict().tag(sync=True)
    #: Why the technique is not followed ("" when it is).
    not_followed = traitlets.Unicode("").tag(sync=True)
    words = traitlets.Dict().tag(sync=True)
    #: Copied from the timer in the browser (jsdlink).
    phases = traitlets.List(traitlets.Dict()).tag(sync=True)
    phase_index = traitlets.Int(0).tag(sync=True)
    timer_state = traitlets.Unicode("idle").tag(sync=True)
    speech = traitlets.Bool(False).tag(sync=True)
    #: Written in the browser: the hold is paused by the camera (linked to the timer's camera_paused).
    hold_paused = traitlets.Bool(False).tag(sync=True)
    #: Written in the browser: seconds of holds seen in position, this session.
    held_in_view = traitlets.Float(0.0).tag(sync=True)
    #: Written in the browser: seconds seen in position in the timer's current (or last) run,
    #: by the stretch's name (its phases' ``technique``); {} until the camera saw a hold.
    held_by_stretch = traitlets.Dict().tag(sync=True)
    #: A timer that plays several stretches (RoutineCameraCheck): each followed one's position
    #: by its name; the browser follows the current phase's. {}: ``position`` throughout.
    positions = traitlets.Dict().tag(sync=True)
    #: The check's opening line when not WORDS["intro"] ("").
    intro = traitlets.Unicode("").tag(sync=True)

    def __init__(
        self,
        timer: StretchTimer,
        technique: str | Technique,
        *,
        course: Course | None = None,
        position: Position | None = None,
    ) -> None:
        _check_timer(timer)
        if isinstance(technique, str):
            technique, _ = resolve_technique(technique, course, name="technique")
        if position is not None and not isinstance(position, Position):
            raise TypeError(f"position must be a posecheck.Position, got {position!r}")
        why = "" if position is not None else followed(technique)
        if position is None and not why:
            position = position_for(technique)
        self._start(timer, position=position.as_data() if position else {}, not_followed=why)
        self.technique = technique

    def _start(self, timer: StretchTimer, **traits: Any) -> None:
        super().__init__(words=WORDS, phases=timer.phases, speech=timer.speech, **traits)
        self._links = [
            ipywidgets.jsdlink((timer, "phases"), (self, "phases")),
            ipywidgets.jsdlink((timer, "phase_index"), (self, "phase_index")),
            ipywidgets.jsdlink((timer, "state"), (self, "timer_state")),
            ipywidgets.jsdlink((timer, "speech"), (self, "speech")),
            ipywidgets.jsdlink((self, "hold_paused"), (timer, "camera_paused")),
        ]
        self.on_msg(self._on_msg)

    def _on_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        """The browser asks for the model's files once, when the learner turns the camera on:
        sent as buffers; in the static site (Pyodide, the files not in the package), where on
        the site to fetch them."""
        if not isinstance(content, dict) or content.get("type") != "files":
            return
        paths = [POSE / name for name in POSE_FILES]
        if not all(p.is_file() for p in paths):
            if sys.platform == "emscripten":
                self.send({"type": "fetch", "base": SITE_POSE, "names": list(POSE_FILES)})
            else:
                self.send({"type": "missing"})
            return
        self.send({"type": "files", "names": list(POSE_FILES)}, buffers=[p.read_bytes() for p in paths])

    def __repr__(self) -> str:
        return (
            f"Camera check for {self.technique.name}: off until you turn it on."
            if not self.not_followed
            else self.not_followed
        )

    def _fallback_html(self) -> str:
        return f"<p>{html.escape(repr(self))}</p>"


def _check_timer(timer: Any) -> None:
    if not isinstance(timer, StretchTimer):
        raise TypeError(f"timer must be a StretchTimer, got {timer!r}")


class RoutineCameraCheck(CameraCheck):
    """The camera check of a timer that plays several stretches (lesson 08's guided session).

    It follows the position of each stretch the check follows (:func:`followed`) during that
    stretch's phases (the browser reads the current phase's ``technique``) and leaves the
    others' holds alone. Hidden while the routine has no such stretch; :meth:`follow` takes a
    changed routine's stretches.
    """

    def __init__(self, timer: StretchTimer, techniques: Iterable[Technique]) -> None:
        _check_timer(timer)
        self._start(timer)
        self.follow(techniques)

    def follow(self, techniques: Iterable[Technique]) -> None:
        """Follow these stretches (the routine's, in order) from now on."""
        if isinstance(techniques, (str, Technique)) or not isinstance(techniques, Iterable):
            raise TypeError(f"techniques must be a list of Techniques, got {techniques!r}")
        every = tuple(techniques)
        for i, t in enumerate(every):
            if not isinstance(t, Technique):
                raise TypeError(f"techniques[{i}] must be a Technique, got {t!r}")
        #: The stretches followed, in routine order, each once.
        self.stretches = tuple(dict.fromkeys(t for t in every if not followed(t)))
        self.positions = {t.name: position_for(t).as_data() for t in self.stretches}
        self.intro = (
            WORDS["routine intro"].format(names=join_and([the(t.name) for t in self.stretches]))
            if self.stretches
            else ""
        )
        self.layout.display = None if self.stretches else "none"

    def __repr__(self) -> str:
        if not self.stretches:
            return "The camera check follows none of this routine's stretches."
        names = join_and([the(t.name) for t in self.stretches])
        return f"Camera check for {names}: off until you turn it on."


class WithCameraCheck(StaticFallback, ipywidgets.VBox):  # type: ignore[misc]
    """A timer with its camera check below it; where widgets cannot show, both say what they are."""

    def __repr__(self) -> str:
        return "\n".join(repr(child) for child in self.children)

    def _fallback_html(self) -> str:
        return "".join(child._fallback_html() for child in self.children)


def with_camera_check(timer: StretchTimer, technique: str | Technique, **kwargs: Any) -> WithCameraCheck:
    """The timer with its camera check below it (``kwargs``: :class:`CameraCheck`'s)."""
    return WithCameraCheck([timer, CameraCheck(timer, technique, **kwargs)])


def camera_limits(course: Course | None = None, *, routine: bool = False) -> Section:
    """What the lesson says before the camera check: what it is not, how to place the device,
    which stretches it follows and which it leaves out, and what was tested. ``routine``: said of
    the guided session's check (lesson 08), offered while the routine has a stretch it follows."""
    c = course or load_course()
    every = c.all_techniques
    side = [t for t in every if has_drawing(t) and drawing_for(t).view == "side view"]
    names = [the(t.name) for t in side if not followed(t)]
    floor = [the(t.name) for t in side if followed(t)]
    other = [the(t.name) for t in every if t not in side]
    lines = [
        "It is **not a medical or form assessment**: it only checks, loosely, that the camera sees your "
        "trunk, hips and knees at roughly the angles of the drawing, and pauses the hold while it cannot. "
        f"It cannot tell whether you do a stretch well or safely. {stop_rule(c)}",
        "**Place the device to your side** (a side view), far enough away that all of you, head to feet, "
        "is in the picture, in good light. Facing either way is fine: the preview is mirrored.",
        f"**It follows the positions on a chair seen from the side**: {join_and(names)}.",
        f"**It does not follow** {join_and(floor)}: pose models find a body lying, kneeling or on all fours "
        "less surely, and these were not tried with the camera. Nor "
        f"{join_and(other)}: they are seen from the front or above, which a side view does not show.",
        "It was tried with recorded videos of one photo of a person, not with people doing these stretches: "
        "treat it as a helper, and turn it off if it gets in your way.",
        "**Private**: the pictures stay on this device and are never saved or sent. All it keeps is how many "
        "seconds of the hold it saw you in position. The camera needs a secure address (https, or this "
        "computer's own); anywhere else, or with no camera, the timer counts as before.",
    ]
    lead = (
        "**Optional: the camera check below the session's timer**, offered while your routine has a "
        "stretch it follows. What it can and cannot do:"
        if routine
        else "**Optional: the camera check below this timer.** What it can and cannot do:"
    )
    return Section(lead + "\n\n" + "\n".join(f"- {line}" for line in lines))
