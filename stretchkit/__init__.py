"""stretchkit: the content, widgets, figures and journal behind the back-pain stretching course.

``__all__`` is the public API: every name a lesson calls, and what an educator uses to load
their own content, build a routine or read a journal. Other modules' names are the package's
own and may change. Importing the package is cheap: widgets, figures (matplotlib) and the
journal load on first use, so a lesson that only needs the content does not pay for the rest.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .content import load_course
from .course import ContentError, Course, Technique

__version__ = "0.1.0"

# Public names that live in heavier modules, imported on first access.
_LAZY = {
    "Phase": "stretchkit.plan",
    "Plan": "stretchkit.plan",
    "build_plan": "stretchkit.plan",
    "plan_for_technique": "stretchkit.plan",
    "StretchTimer": "stretchkit.timer",
    "BreakReminder": "stretchkit.timer",
    "TimerOptions": "stretchkit.timer",
    "CameraCheck": "stretchkit.camera",
    "camera_limits": "stretchkit.camera",
    "with_camera_check": "stretchkit.camera",
    "Quiz": "stretchkit.quiz",
    "Routine": "stretchkit.routine",
    "RoutineBuilder": "stretchkit.session",
    "RoutineItem": "stretchkit.routine",
    "GuidedSession": "stretchkit.session",
    "Journal": "stretchkit.practice",
    "JournalView": "stretchkit.progress",
    "JournalError": "stretchkit.journal",
    "NextTime": "stretchkit.next_time",
    "GoalPanel": "stretchkit.goal",
    "illustration": "stretchkit.figures",
    "why_diagram": "stretchkit.figures",
    "widget_check": "stretchkit.check",
    "habit_checklist": "stretchkit.checklist",
}

__all__ = ["ContentError", "Course", "Technique", "__version__", "lessons", "load_course", *_LAZY]

if TYPE_CHECKING:  # pragma: no cover
    from . import lessons as lessons
    from .camera import CameraCheck as CameraCheck
    from .camera import camera_limits as camera_limits
    from .camera import with_camera_check as with_camera_check
    from .check import widget_check as widget_check
    from .checklist import habit_checklist as habit_checklist
    from .figures import illustration as illustration
    from .figures import why_diagram as why_diagram
    from .goal import GoalPanel as GoalPanel
    from .journal import JournalError as JournalError
    from .next_time import NextTime as NextTime
    from .plan import Phase as Phase
    from .plan import Plan as Plan
    from .plan import build_plan as build_plan
    from .plan import plan_for_technique as plan_for_technique
    from .practice import Journal as Journal
    from .progress import JournalView as JournalView
    from .quiz import Quiz as Quiz
    from .routine import Routine as Routine
    from .routine import RoutineItem as RoutineItem
    from .session import GuidedSession as GuidedSession
    from .session import RoutineBuilder as RoutineBuilder
    from .timer import BreakReminder as BreakReminder
    from .timer import StretchTimer as StretchTimer
    from .timer import TimerOptions as TimerOptions


def __getattr__(name: str) -> Any:
    if name == "lessons":  # a module of the public API: the lessons' Markdown sections
        return importlib.import_module("stretchkit.lessons")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'stretchkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
