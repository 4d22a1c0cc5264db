"""How the course words things: one helper for each piece of wording, used everywhere.

Lessons, timers, the quiz, routines and exports all describe the same facts (how a
stretch is timed, how long something lasts, who a source is). Each wording lives here
once, so the places that show it can never drift apart. Facts come from the content;
this module only adds grammar.
"""

from __future__ import annotations

from collections.abc import Sequence

from .content import Course, Technique, num

__all__ = [
    "cite",
    "clean",
    "duration",
    "join_and",
    "plural",
    "sentence",
    "spoken",
    "the",
    "timing",
]


def clean(text: str) -> str:
    """Text with its runs of white space (from TOML line continuations) made single spaces."""
    return " ".join(text.split())


def sentence(text: str) -> str:
    """Clean text starting with a capital letter, as a bullet or an option shows it."""
    text = clean(text)
    return text[:1].upper() + text[1:]


def the(name: str, *, start: bool = False) -> str:
    """'the Hamstring Stretch', but "Child's Pose": a possessive name takes no article."""
    words = name.split()
    out = name if words and ("'" in words[0] or "’" in words[0]) else f"the {name}"
    return out[:1].upper() + out[1:] if start else out


def join_and(items: Sequence[str]) -> str:
    """'a, b and c'."""
    items = [clean(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def plural(n: int, word: str, words: str = "") -> str:
    """'1 day', '3 days'; ``words`` for a plural not made with -s ('stretches')."""
    return f"{n} {word if n == 1 else words or word + 's'}"


def duration(seconds: float) -> str:
    """A length of time as text: '45 s', '45.5 s', '1 min 10 s', '30 min'.

    Whole minutes and seconds when the time is a whole number of seconds; otherwise the
    seconds to a thousandth, so a plan's text never hides a fraction it really has.
    """
    whole = round(seconds)
    if abs(seconds - whole) > 1e-9 or whole < 60:
        return f"{num(round(seconds, 3))} s"
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def spoken(seconds: float) -> str:
    """Seconds as a spoken cue says them: '1 second', '30 seconds'."""
    return "1 second" if seconds == 1 else f"{num(round(seconds, 3))} seconds"


def timing(t: Technique, *, markdown: bool = False) -> str:
    """How a stretch is timed, in words: 'Hold about 30 seconds on each side'.

    ``markdown=True`` is the lesson's wording, with the numbers in bold.
    """
    if t.is_movement:
        unit, bold = ("s", "**") if markdown else ("seconds", "")
        pace = ", then ".join(f"{bold}{m.name}{bold} (about {num(m.seconds)} {unit})" for m in t.movement)
        return f"{t.reps} rounds of {pace}"
    side = " on each side" if t.per_side else ""
    reps = f", {t.reps} times" if t.reps > 1 else ""
    seconds = f"{num(t.hold_seconds or 0)} seconds"
    if t.article_hold:  # the article's own words first, then the timer's seconds
        b = "**" if markdown else ""
        return (
            f"Hold for {t.article_hold} (the article's words), about {b}{seconds}{b} in the timer{side}{reps}"
        )
    if markdown:
        return f"Hold for about **{seconds}**{side}{reps}"
    return f"Hold about {seconds}{side}{reps}"


def cite(course: Course, key: str) -> str:
    """A short name for a source in messages: 'ACSM', 'Mayo Clinic'."""
    publisher = course.source(key).publisher
    if len(publisher) <= 20:
        return publisher
    initials = "".join(w[0] for w in publisher.split() if w[:1].isupper())
    return initials if len(initials) >= 2 else publisher
