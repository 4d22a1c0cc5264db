"""Lesson 07's checklist: real check boxes, made from each tip's actions in the course."""

from __future__ import annotations

import html

import pytest
import traitlets

from stretchkit import load_course
from stretchkit.checklist import HabitChecklist, habit_checklist


def test_the_checklist_lists_every_action_of_every_tip_under_its_title() -> None:
    course = load_course()
    checklist = habit_checklist()
    assert [g["title"] for g in checklist.groups] == [t.title for t in course.tips]
    assert checklist.items == [a.text for t in course.tips for a in t.actions]
    ids = [i["id"] for g in checklist.groups for i in g["items"]]
    assert len(set(ids)) == len(ids)
    assert repr(checklist) == f"HabitChecklist(0 of {len(ids)} ticked)"


def test_ticks_are_kept_and_unknown_ones_refused() -> None:
    checklist = HabitChecklist()
    first = checklist.groups[0]["items"][0]["id"]
    checklist.checked = [first]
    assert repr(checklist).startswith("HabitChecklist(1 of ")
    with pytest.raises(traitlets.TraitError, match="checked: no checklist item 'nope'"):
        checklist.checked = ["nope"]


def test_the_static_fallback_shows_every_action_as_text() -> None:
    page = habit_checklist()._fallback_html()
    for action in habit_checklist().items:
        assert html.escape(action) in page
    assert "- [ ]" not in page
