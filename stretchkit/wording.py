"""How the course words things: one helper for each piece of wording, used everywhere.

Lessons, timers, the quiz, routines and exports all describe the same facts (how a
stretch is timed, how long something lasts, who a source is). Each wording lives here
once, so the places that show it can never drift apart. Facts come from the content;
this module only adds grammar.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from .course import Course, Technique, num

#: The order a one-sided stretch is done in, everywhere: timers, drawings, handouts.
SIDES = ("left", "right")

__all__ = [
    "SIDES",
    "all_of",
    "cite",
    "clean",
    "day_words",
    "duration",
    "full_stop",
    "held_for",
    "join_and",
    "limit_note",
    "md",
    "plural",
    "quoted",
    "sentence",
    "side_name",
    "spoken",
    "the",
    "timing",
]


def clean(text: str) -> str:
    """Text with its runs of white space (from TOML line continuations) made single spaces."""
    return " ".join(text.split())


#: Characters that are Markdown (or HTML) syntax anywhere in a line, and how each is shown as text.
_MD_INLINE = {
    "<": "&lt;",
    ">": "&gt;",
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "[": "\\[",
    "]": "\\]",
    "~": "\\~",
    "|": "\\|",
    # Notebooks typeset $...$ as maths, before Markdown (in the source) and after (in the page,
    # where a backslash is gone): a '$' of its own element, written as an entity, is neither.
    "$": "<span>&#36;</span>",
}


def md(text: str) -> str:
    """Content text made safe to place in Markdown: it shows exactly as typed, never as markup.

    HTML (``<img ...>``) becomes visible text, and Markdown syntax (``*``, ``_``, ``[``,
    backticks, ``$`` maths, a leading ``#`` or ``1.``, bare web addresses that would
    become links) is escaped; white space is cleaned
    as :func:`clean` does. The course's own formatting goes around the result, so it still
    works: ``f"**{md(name)}**"``.
    """
    typed = re.sub(r"&(?=#?\w+;)", "&amp;", clean(text))  # only an '&' that starts an entity (&lt;)
    out = "".join(_MD_INLINE.get(ch, ch) for ch in typed)
    # A bare web address would become a link (GitHub-flavoured autolinks): keep it text.
    out = out.replace("://", "\\://").replace("www.", "www\\.")
    # What starts a block (a heading, a list, a quote) only counts at the start of the text.
    head = len(out) - len(out.lstrip("#+-=")) if out[:1] in "#+-=" else 0
    if head:
        out = "".join("\\" + ch for ch in out[:head]) + out[head:]
    digits = len(out) - len(out.lstrip("0123456789"))
    if digits and out[digits : digits + 1] in (".", ")"):
        out = f"{out[:digits]}\\{out[digits:]}"
    return out


def sentence(text: str) -> str:
    """Clean text starting with a capital letter, as a bullet or an option shows it."""
    text = clean(text)
    return text[:1].upper() + text[1:]


#: How a sentence may already end: a stop, question or exclamation mark, perhaps inside
#: closing quotes or brackets ('“Lying on your back.”').
_ENDED = re.compile(r"[.!?…][\"'’”)\]]*$")


def full_stop(text: str) -> str:
    """Text ending in exactly one full stop: one is added only where the text has no ending.

    Every line that ends a quoted option or a sentence from the content goes through here,
    so content that already ends in a stop never shows two ('“Lying on your back.”.').
    """
    text = text.rstrip()
    return text if _ENDED.search(text) else f"{text}."


def quoted(text: str) -> str:
    """Text in curly quotes, as the quiz quotes an option: '“Lying on your back.”'."""
    return f"“{text}”"


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


def times(n: int) -> str:
    """How often, as a person says it: 'once', 'twice', '3 times'."""
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def all_of(n: int, word: str, words: str = "") -> str:
    """Every one of ``n``, as a person counts: 'the stretch', 'both stretches', 'all 3 stretches'."""
    if n == 1:
        return f"the {word}"
    return f"{'both' if n == 2 else f'all {n}'} {words or word + 's'}"


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def day_words(day: date, today: date) -> str:
    """When something happened, in plain words: 'today', 'yesterday', 'last Tuesday', 'on 3 November'.

    Names of days and months are English whatever the machine's locale, like the rest of the course.
    """
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"last {_WEEKDAYS[day.weekday()]}"
    year = f" {day.year}" if day.year != today.year else ""
    return f"on {day.day} {_MONTHS[day.month - 1]}{year}"


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


def side_name(side: str, side_word: str = "side", *, start: bool = False) -> str:
    """One side of a one-sided stretch as timers and drawings name it: 'left leg', 'Right side'."""
    if side not in SIDES:
        raise ValueError(f"side must be 'left' or 'right', got {side!r}")
    text = f"{side} {side_word}"
    return text[:1].upper() + text[1:] if start else text


def spoken(seconds: float) -> str:
    """Seconds as a spoken cue says them: '1 second', '30 seconds'."""
    return "1 second" if seconds == 1 else f"{num(round(seconds, 3))} seconds"


def timing(t: Technique, *, markdown: bool = False) -> str:
    """How a stretch is timed, in words: 'Hold about 30 seconds on each side'.

    ``markdown=True`` is the lesson's wording, with the numbers in bold.
    """
    if t.is_movement:
        unit, bold = ("s", "**") if markdown else ("seconds", "")
        pace = ", then ".join(
            f"{bold}{md(m.name) if markdown else m.name}{bold} (about {num(m.seconds)} {unit})"
            for m in t.movement
        )
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


def held_for(text: str, t: Technique, hold: float | None) -> str:
    """A step or caution of ``t`` with its stated hold ("30 seconds") told as ``hold`` seconds.

    The course writes a stretch's hold into some steps ("Hold for about 30 seconds"); a
    routine that holds it for 20 s must say 20 wherever it shows those words.
    """
    if hold is None or t.hold_seconds is None or hold == t.hold_seconds:
        return text
    stated = re.compile(rf"\b{re.escape(num(t.hold_seconds))} seconds\b")
    return stated.sub(spoken(hold), text)


def cite(course: Course, key: str) -> str:
    """A short name for a source in messages: 'ACSM', 'Mayo Clinic', 'NHS inform' (its ``short``)."""
    source = course.source(key)
    publisher = source.publisher
    if source.short:
        return source.short
    if len(publisher) <= 20:
        return publisher
    initials = "".join(w[0] for w in publisher.split() if w[:1].isupper())
    return initials if len(initials) >= 2 else publisher


def limit_note(
    course: Course, kind: str, value: float, *, most: bool, technique: Technique | None = None
) -> str:
    """What a hold or repeats control says when it can go no further, and whose advice that is.

    '60 s is the most this course suggests (ACSM)'; a stretch's own value outside the
    course's range (an educator's content) is 'the most for this stretch'. With ``technique``
    the repeats are that stretch's own sourced range (``Course.reps_range``).
    """
    limits = course.routine
    if kind == "hold":
        amount = f"{num(value)} s"
        limit, source = (limits.hold_max if most else limits.hold_min), limits.hold_source
    else:
        amount = plural(round(value), "rep")
        if technique is not None:
            low, high, source = course.reps_range(technique)
            limit = high if most else low
        else:
            limit, source = (limits.reps_max if most else limits.reps_min), limits.reps_source
    word = "most" if most else "least"
    if value != limit:
        return f"{amount} is the {word} for this stretch"
    return f"{amount} is the {word} this course suggests ({cite(course, source)})"


def stop_rule(course: Course) -> str:
    """The stop rule every lesson and handout ends its safety with: the course's first two."""
    return " ".join(i.text for i in course.safety.stop_when[:2])


def urgent_care(course: Course, tier: str = "emergency", *, heading: bool = True) -> str:
    """When to get help, in one paragraph per tier (a handout's footer): ``"emergency"``, at
    once (999), or ``"urgent"`` (111 or an urgent GP appointment); ``heading=False`` leaves
    out the tier's heading, for a page that sets it in bold."""
    s = course.safety
    tiers = {
        "emergency": (s.emergency_heading, s.emergency, s.emergency_intl),
        "urgent": (s.urgent_heading, s.urgent, s.urgent_intl),
    }
    if tier not in tiers:
        raise ValueError(f"tier: 'emergency' or 'urgent', got {tier!r}")
    title, items, intl = tiers[tier]
    text = f"{'; '.join(i.text for i in items)}. {intl}"
    return f"{title} {text}" if heading else text
