"""Write docs/sources.md: every source the course cites, and each claim that cites it.

The page is generated from the content data (``stretchkit/data/course.toml``), never edited
by hand, so a reviewer checking a source sees exactly what the course says in its name: run
`make sources` after changing the content. `--check` only reports whether the page is out of
date (the test suite uses it).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stretchkit.content import load_course  # noqa: E402
from stretchkit.course import Course, Item, RoutineLimits, Technique, references  # noqa: E402

PAGE = ROOT / "docs" / "sources.md"

#: What a source field of a content type vouches for, beyond an item's own text.
FIELD_WORDS = {
    "step_sources": "Its steps.",
    "order_sources": "The order of the routine.",
    "down_source": "The steps for getting down to the floor.",
    "up_source": "The steps for getting back up.",
}

#: Where in the course a part of it is shown, by its field name (an empty name adds nothing).
PLACES = {
    "why": "Why stretching helps",
    "evidence": "Lesson 01: the evidence",
    "techniques": "",
    "alternatives": "",
    "tips": "Everyday habits",
    "faq": "Quiz",
    "safety_quiz": "Quiz",
    "habit_quiz": "Quiz",
    "distractors": "a wrong answer",
    "safety": "Safety notice",
    "emergency": "call 999 or go to A&E",
    "urgent": "urgent GP appointment or 111",
    "see_professional": "see a doctor or physiotherapist",
    "stop_when": "while you stretch",
    "cautions": "take care",
    "mistakes": "common mistakes",
    "actions": "what to do",
    "right_for_me": "Is this course right for me?",
    "programme": "",
    "reassurance": "Your back is strong",
    "outlook": "When to expect improvement",
    "bad_day": "On a bad day",
    "beyond": "Beyond stretching",
    "strengthening": "Lesson 01: Beyond stretching",
    "chair_note": "if you cannot get down to the floor",
    "easier_instead": "an easier choice",
    "dose": "How much, how often",
    "guidance": "guidance",
    "listen": "listen to your body",
    "note": "",
    "floor": "Getting down to the floor and back up",
    "routine": "Routines",
    "pain_scale": "Pain scale",
    "goal": "Lesson 08",
    "about": "",
    "suggestions": "Next time suggestions",
    "easier": "pain rose twice: an easier way",
    "build_up": "two comfortable weeks: build up",
    "restart": "a week away: restart gently",
    "advice": "",
    "hold_advice": "a longer hold",
}


def _label(node: object) -> str:
    """A reader's name for a content entry: a stretch's or tip's name, a question, a heading."""
    for attr in ("name", "title", "question", "who"):
        value = getattr(node, attr, None)
        if isinstance(value, str) and value:
            return value
    return ""


def _what(node: object, field: str, *, exercise: bool = False) -> str:
    """The claim a source field of ``node`` backs, in words a reviewer can check against it."""
    if isinstance(node, Item):
        return node.text
    if isinstance(node, Technique):
        if field == "hold_source" and node.hold_seconds is not None:
            return f"Hold for about {node.hold_seconds:g} seconds."
        if field == "reps_source":
            most = f", up to {node.reps_max}" if node.reps_max is not None else ""
            return f"Repeat {node.reps} times{most}."
        if field == "source":
            kind = "exercise" if exercise else "stretch"
            return f"The {kind} itself: {' '.join(node.steps)}"
    if isinstance(node, RoutineLimits) and field == "hold_source":
        return f"A routine's holds stay between {node.hold_min:g} and {node.hold_max:g} seconds."
    if isinstance(node, RoutineLimits) and field == "reps_source":
        return (
            f"Repeats stay between {node.reps_min} and {node.reps_max} for a stretch without its own source."
        )
    if isinstance(node, Course) and field == "closing_source":
        return " ".join(node.closing)
    if field == "takeaway_sources":
        return " ".join(str(getattr(node, "takeaway", "")).split())
    if field in FIELD_WORDS:
        return FIELD_WORDS[field]
    for attr in ("what", "text", "answer", "meaningful_change_text", "summary", "why"):
        value = getattr(node, attr, None)
        if isinstance(value, str) and value:
            return " ".join(value.split())
    return f"The {type(node).__name__} entry."


def claims(course: Course) -> Iterator[tuple[str, str, str]]:
    """(source key, claim, where in the course) for every source a content entry names."""

    def walk(node: object, where: tuple[str, ...]) -> Iterator[tuple[str, str, str]]:
        if isinstance(node, tuple):
            for value in node:
                yield from walk(value, where)
            return
        if not dataclasses.is_dataclass(node) or isinstance(node, type):
            return
        label = "" if isinstance(node, Item) else _label(node)
        here = (*where, label) if label and not isinstance(node, Course) else where
        named = references(type(node))
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if named.get(f.name) == "source":
                keys = value if isinstance(value, tuple) else (value,)
                for key in keys:
                    if key:
                        claim = _what(node, f.name, exercise=PLACES["strengthening"] in here)
                        yield key, claim, ", ".join(p for p in here if p) or "The course"
            elif not (isinstance(node, Course) and f.name == "sources"):
                yield from walk(value, (*here, PLACES.get(f.name, f.name.replace("_", " "))))

    yield from walk(course, ())


def page(course: Course) -> str:
    """The Markdown page: each source in the course's order, its claims grouped by their words."""
    by_source: dict[str, dict[str, list[str]]] = {s.key: {} for s in course.sources}
    for key, claim, where in claims(course):
        places = by_source[key].setdefault(claim, [])
        if where not in places:
            places.append(where)
    lines = [
        "# Sources",
        "",
        "Every source the course cites, and each claim that cites it, generated from",
        "`stretchkit/data/course.toml` by `scripts/sources_doc.py` (`make sources`): do not edit it by hand.",
        "A claim is listed with where the course shows it. Check each claim against its source before",
        "publishing; web pages change.",
    ]
    for s in course.sources:
        found = by_source[s.key]
        lines += ["", f"## {s.publisher}: *{s.title}*", ""]
        lines.append(f"Key `{s.key}`; " + (f"<{s.url}>" if s.url else "no link."))
        lines.append("")
        if not found:
            lines.append("- (No claim in the course cites it.)")
        for claim, places in found.items():
            lines.append(f"- {claim} *({'; '.join(places)})*")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="report an out-of-date page, change nothing")
    args = parser.parse_args(argv)
    text = page(load_course())
    if args.check:
        if not PAGE.is_file() or PAGE.read_text(encoding="utf-8") != text:
            print(f"{PAGE.relative_to(ROOT)} is out of date (run `make sources`)")
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
