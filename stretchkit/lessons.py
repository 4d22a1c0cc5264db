"""Lesson building blocks: course content rendered as Markdown for the notebooks.

Notebooks hold the teaching prose; every fact (steps, holds, tips, red flags, sources)
comes from the content data through these functions, so nothing is written twice and
an educator's edit to the content file shows up in every lesson.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import os
import sqlite3
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .content import load_course, resolve_technique
from .course import Course, Item, Technique
from .journal import FINISHED, OPENED, JournalError, JournalStore, LessonEvent, QuizAnswer
from .questions import WORDS, questions_from_course
from .review import due, schedule
from .wording import day_words, join_and, md, plural, sentence, stop_rule, timing

__all__ = [
    "Section",
    "about_this_course",
    "adapted_positions",
    "bad_day",
    "before_you_start",
    "beyond_stretching",
    "check_environment",
    "closing",
    "dose",
    "evidence",
    "evidence_takeaway",
    "faq",
    "floor",
    "habit",
    "habits",
    "lesson_for",
    "lesson_stem",
    "note_lesson",
    "outlook",
    "overview",
    "pain_and_bad_days",
    "pain_scale",
    "reassurance",
    "right_for_me",
    "safety_notice",
    "saved",
    "sources",
    "strengthening",
    "takeaway_and_beyond",
    "technique_alternative",
    "technique_facts",
    "technique_recap",
    "technique_safety",
    "technique_steps",
    "timer_intro",
    "welcome_back",
    "why_stretching",
]


def _course(course: Course | None) -> Course:
    """The course a lesson shows: the one given, else the bundled course."""
    return course or load_course()


@dataclass(frozen=True)
class Section:
    """A block of lesson text: Markdown in JupyterLab and on GitHub, the same text elsewhere."""

    markdown: str

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        return self.markdown

    def __str__(self) -> str:
        return self.markdown


def _text(text: str) -> str:
    """Content text as a sentence, shown exactly as typed (never as Markdown or HTML)."""
    return md(sentence(text))


def _bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {_text(i)}" for i in items)


def _numbered(items: Iterable[str]) -> str:
    return "\n".join(f"{n}. {_text(i)}" for n, i in enumerate(items, 1))


def _url(url: str) -> str:
    """A link target that cannot end the link early: brackets and spaces percent-encoded."""
    return "".join(f"%{ord(ch):02X}" if ch in "()<> " else ch for ch in url)


def _short(course: Course, key: str) -> str:
    """A source's short name for an item's note: 'the article', 'NHS inform', 'Mayo Clinic'."""
    if key == "article":
        return "the article"
    return course.source(key).publisher.split(" (")[0]


def _items(course: Course, items: Iterable[Item]) -> str:
    """Bullets, each ending with its own source in brackets: '- Stop if … *(NHS)*'."""
    return "\n".join(f"- {_text(i.text)} *({md(_short(course, i.source))})*" for i in items)


def _item_sources(items: Iterable[Item]) -> list[str]:
    return [i.source for i in items]


def _cite(course: Course, keys: Iterable[str]) -> str:
    """'Source: Mayo Clinic, Stretching and flexibility' with links where the source has a URL.

    The course's source article is left out: lesson 00 says once that what names no other
    source comes from it (:func:`overview`), so no section ends on the same unknown author.
    """
    parts = []
    for key in dict.fromkeys(keys):
        if key == "article":
            continue
        s = course.source(key)
        label = f"{md(s.publisher)}, *{md(s.title)}*"
        parts.append(f"[{label}]({_url(s.url)})" if s.url else label)
    if not parts:
        return ""
    return ("Sources: " if len(parts) > 1 else "Source: ") + "; ".join(parts) + "."


# --- lesson file names ------------------------------------------------------------------

_FIXED_LESSONS = {
    "safety": "00-start-here",
    "why": "01-why-stretching-helps",
    "routine": "08-your-routine",
    "check": "09-check-yourself",
}

#: Lessons 02-06 teach the course's first five techniques; 07-09 are the habits, routine and
#: quiz lessons. A technique beyond those five (an educator's own) gets a lesson after them,
#: numbered from 10, so no two lessons ever share a number.
TECHNIQUE_SLOTS = 5
EXTRA_FROM = 10
HABITS_STEM = "07-everyday-habits"
ROUTINE_STEM = _FIXED_LESSONS["routine"]


def lesson_stem(see: str, course: Course | None = None) -> str:
    """The notebook (without .ipynb) that teaches ``see``: a technique or tip slug, or a topic.

    The course's first five techniques are lessons 02-06, in course order; any further
    technique is lesson 10, 11, ... after the habits (07), routine (08) and quiz (09)
    lessons. An adapted position is taught in its stretch's lesson. This is the one place
    that rule lives.
    """
    c = _course(course)
    if see in _FIXED_LESSONS:
        return _FIXED_LESSONS[see]
    if see in {t.slug for t in c.strengthening}:  # taught in lesson 01's "Beyond stretching"
        return _FIXED_LESSONS["why"]
    parent = c.parent(see) if see not in {t.slug for t in c.techniques} else None
    if parent is not None:
        see = parent.slug
    slugs = [t.slug for t in c.techniques]
    if see in slugs:
        i = slugs.index(see)
        number = i + 2 if i < TECHNIQUE_SLOTS else EXTRA_FROM + i - TECHNIQUE_SLOTS
        return f"{number:02d}-{see}"
    if see == "habits" or see in {t.slug for t in c.tips}:
        return HABITS_STEM
    known = ", ".join([*_FIXED_LESSONS, *slugs, "habits", *(t.slug for t in c.tips)])
    raise KeyError(f"no lesson for {see!r}; known: {known}")


def lesson_for(see: str, course: Course | None = None) -> tuple[str, str]:
    """(title, relative link) of the lesson that teaches ``see``, for 'see the lesson' pointers."""
    c = _course(course)
    stem = lesson_stem(see, c)
    number = stem.split("-", 1)[0]
    if see in {t.slug for t in c.strengthening}:
        title = c.lessons.why
    elif see in {t.slug for t in c.practised}:
        t = c.parent(see) or c.technique(see)
        title = t.name
    else:
        titles = {
            "safety": c.lessons.start,
            "why": c.lessons.why,
            "routine": c.lessons.routine,
            "check": c.lessons.check,
        }
        title = titles.get(see, c.lessons.habits)
    return f"Lesson {number}: {title}", f"{stem}.ipynb"


# --- start here and why -------------------------------------------------------------------


def overview(course: Course | None = None) -> Section:
    """What back pain is and what the course offers."""
    c = _course(course)
    article = c.source("article")
    said = (
        f"*About the sources:* the course is based on *{md(article.title)}*, {md(article.publisher)}. "
        "Every fact from another source names it, in the text or beside it."
    )
    return Section(f"{_text(c.overview)}\n\n{said}")


def safety_notice(course: Course | None = None) -> Section:
    """Stop rules, red flags at their urgency (with words for outside the UK), when to see a professional."""
    c = _course(course)
    s = c.safety
    flags = [*s.emergency, *s.urgent]
    note = [f"*{sentence(s.red_flags_note.text)}*"] if s.red_flags_note is not None else []
    return Section(
        "\n\n".join(
            [
                "### While you stretch",
                _items(c, s.stop_when),
                _cite(c, _item_sources(s.stop_when)),
                "### Get help urgently",
                f"**{md(s.emergency_heading)}**",
                _items(c, s.emergency),
                _text(s.emergency_intl),
                f"**{md(s.urgent_heading)}**",
                _items(c, s.urgent),
                _text(s.urgent_intl),
                *note,
                _cite(c, [*_item_sources(flags), *([s.red_flags_note.source] if s.red_flags_note else [])]),
                "### See a doctor or physiotherapist if",
                _items(c, s.see_professional),
                _cite(c, _item_sources(s.see_professional)),
            ]
        )
    )


RIGHT_FOR_ME = "Is this course right for me?"


def right_for_me(course: Course | None = None) -> Section:
    """Who should check first, and what to do, shown before the first stretch."""
    c = _course(course)
    if not c.right_for_me:
        return Section("")
    lines = [
        f"- **{md(k.who)}.** {_text(k.what)} *({'; '.join(md(_short(c, key)) for key in k.sources)})*"
        for k in c.right_for_me
    ]
    keys = [key for k in c.right_for_me for key in k.sources]
    intro = "Most people can do these stretches. Check this list before your first one:"
    return Section("\n\n".join([f"### {RIGHT_FOR_ME}", intro, "\n".join(lines), _cite(c, keys)]))


def _programme(course: Course | None, title: str, attr: str) -> Section:
    c = _course(course)
    items = getattr(c.programme, attr)
    if not items:
        return Section("")
    return Section("\n\n".join([f"### {title}", _items(c, items), _cite(c, _item_sources(items))]))


def reassurance(course: Course | None = None) -> Section:
    """Your back is strong: most back pain is not serious damage, so keep living normally."""
    return _programme(course, "Your back is strong", "reassurance")


def outlook(course: Course | None = None) -> Section:
    """When to expect improvement, and when to see a doctor."""
    return _programme(course, "When to expect improvement, and when to act", "outlook")


#: The flare-up card's title, as lesson 08 and a "next time" suggestion after a rise in pain name it.
BAD_DAY = "On a bad day"


def bad_day(course: Course | None = None) -> Section:
    """The flare-up card: what to do on a bad day."""
    return _programme(course, BAD_DAY, "bad_day")


def beyond_stretching(course: Course | None = None) -> Section:
    """Where strengthening fits beside stretching."""
    return _programme(course, "Beyond stretching", "beyond")


def _joined(*sections: Section) -> Section:
    """Sections one after another in one output, leaving out any the course has nothing for."""
    return Section("\n\n".join(s.markdown for s in sections if s.markdown))


def about_this_course(course: Course | None = None) -> Section:
    """Lesson 00's opening: what the course offers, that the back is strong, and when pain
    usually eases (and when to see a doctor), before anything asks the learner to move."""
    return _joined(overview(course), reassurance(course), outlook(course))


def before_you_start(course: Course | None = None) -> Section:
    """Lesson 00's safety section: who should check first, then the safety notice its last
    entry points to ("the warning signs in the safety notice below")."""
    return _joined(right_for_me(course), safety_notice(course))


def takeaway_and_beyond(course: Course | None = None) -> Section:
    """Lesson 01's close: what the evidence means, then where strengthening fits beside stretching."""
    note_lesson("why", FINISHED, course)
    return _joined(evidence_takeaway(course), beyond_stretching(course))


def pain_and_bad_days(course: Course | None = None) -> Section:
    """Lesson 08's pain scale, then the bad-day card for the days the rating is high."""
    note_lesson("routine", OPENED, course)
    return _joined(pain_scale(course), bad_day(course))


def dose(course: Course | None = None) -> Section:
    """How much and how often to stretch, and what 'listen to your body' means in practice."""
    c = _course(course)
    d = c.dose
    return Section(
        "\n\n".join(
            [
                "### How much, how often, how to start",
                _items(c, d.guidance),
                f"*{sentence(d.note.text)}*",
                "### Listening to your body",
                _items(c, d.listen),
                _cite(c, [*_item_sources(d.guidance), d.note.source, *_item_sources(d.listen)]),
            ]
        )
    )


def floor(course: Course | None = None) -> Section:
    """Getting down to the floor and back up safely, with its cautions."""
    c = _course(course)
    f = c.floor
    return Section(
        "\n\n".join(
            [
                f"### {f.title}",
                sentence(f.intro.text) + f" *({_short(c, f.intro.source)})*",
                "**Getting down**",
                _numbered(f.down),
                "**Getting up**",
                _numbered(f.up),
                "**Take care**",
                _items(c, f.cautions),
                _cite(c, [f.intro.source, f.down_source, f.up_source, *_item_sources(f.cautions)]),
            ]
        )
    )


def why_intro(course: Course | None = None) -> Section:
    """Lesson 01's own introduction: what it adds to lesson 00's overview, from the course's points."""
    c = _course(course)
    note_lesson("why", OPENED, c)
    start, link = lesson_for("safety", c)
    points = _bullets(p.title for p in c.why)
    n = len(c.techniques)
    return Section(
        f"[{start}]({link}) said why back pain matters and what this course offers. This lesson "
        f"is about *how* stretching helps a sore back. The source article gives {len(c.why)} "
        f"reasons:\n\n{points}\n\nAfter them, a diagram shows where the course's {n} stretches "
        "work, and a summary of the research shows why stretching is one part of staying "
        "active, not a cure on its own."
    )


def why_stretching(course: Course | None = None) -> Section:
    """The article's reasons, one heading each."""
    c = _course(course)
    blocks = [f"**{md(p.title)}.** {_text(p.text)}" for p in c.why]
    keys = [p.source for p in c.why]
    return Section("\n\n".join([*blocks, _cite(c, keys)]))


def evidence(course: Course | None = None) -> Section:
    """What research says, so stretching is never oversold."""
    c = _course(course)
    return Section(f"> {_text(c.evidence.text)}\n>\n> {_cite(c, c.evidence.sources)}")


def evidence_takeaway(course: Course | None = None) -> Section:
    """What the evidence means for a learner, plainly: why stretch, and what not to expect."""
    c = _course(course)
    e = c.evidence
    if not e.takeaway:
        return Section("")
    return Section(f"{sentence(e.takeaway)}\n\n{_cite(c, e.takeaway_sources)}")


# --- technique lessons ----------------------------------------------------------------------


def _technique(slug: str | Technique, course: Course | None) -> tuple[Course, Technique]:
    t, c = resolve_technique(slug, course, name="slug")
    return c, t


_POSITION_WORDS = {
    "chair": "on a chair",
    "standing": "standing",
    "bed": "lying on a bed",
    "lying": "lying on the floor",
    "all-fours": "on the floor, on hands and knees",
    "kneeling": "on the floor, kneeling",
}


def technique_facts(slug: str | Technique, course: Course | None = None) -> Section:
    """What the stretch works on, why it helps, where it is done, what you need and how it is timed."""
    c, t = _technique(slug, course)
    _note(c, t, OPENED)
    hold_keys = [k for k in (t.source, t.hold_source, t.reps_source, *t.step_sources) if k]
    if t.is_movement:
        how = (
            f"A slow movement, not a hold: {timing(t, markdown=True)}. "
            "The pace is a calm default; change it to match your breathing."
        )
    else:
        how = f"{timing(t, markdown=True)}."
    rows = [
        f"**{md(t.name)}.** {_text(t.summary)}",
        f"- **Works on:** {', '.join(md(x) for x in t.targets)}",
        f"- **Why it helps:** {_text(t.why)}",
        f"- **Starting position:** {_text(t.start_position)}",
    ]
    if t.position:
        rows.append(f"- **Where:** {_POSITION_WORDS[t.position]}")
    rows += [
        f"- **You need:** {', '.join(md(x) for x in t.equipment) or 'nothing but a little floor space'}",
        f"- **Timing:** {how}",
        "",
        _cite(c, hold_keys),
    ]
    return Section("\n".join(rows))


def technique_steps(slug: str | Technique, course: Course | None = None) -> Section:
    """The steps, numbered, then any easier and harder versions of the stretch."""
    c, t = _technique(slug, course)
    return Section("\n\n".join([_numbered(t.steps), *_versions(c, t)]))


def _versions(c: Course, t: Technique) -> list[str]:
    """Each easier or harder version: what changes (with its source), its own steps if any,
    and its timer settings; a routine (lesson 08's builder) has a row for each. An easier choice
    that is another technique (``easier_instead``) comes first, with its steps and its lesson."""
    if not t.versions and t.easier_instead is None:
        return []
    lines = []
    keys: list[str] = []
    if (instead := t.easier_instead) is not None:
        other = c.technique(instead.technique)
        title, link = lesson_for(other.slug, c)
        lines.append(
            f"- **Easier: the {md(other.name)} instead.** {_text(instead.text)} "
            f"*({md(_short(c, instead.source))})* Its drawing, cautions and timer are in "
            f"[{md(title)}]({_url(link)}). Timer: {timing(other, markdown=True)}."
        )
        lines += [f"   {i}. {_text(step)}" for i, step in enumerate(other.steps, 1)]
        keys += [instead.source, other.source, other.hold_source, *other.step_sources]
    for v, vt in zip(t.versions, c.versions(t), strict=True):
        lines.append(
            f"- **{v.level.capitalize()}: {md(v.name)}.** {_text(v.change.text)} "
            f"*({md(_short(c, v.change.source))})* Timer: {timing(vt, markdown=True)}."
        )
        lines += [f"   {i}. {_text(step)}" for i, step in enumerate(v.steps, 1)]
    keys += [
        key for v in t.versions for key in (v.change.source, *v.step_sources, v.hold_source, v.reps_source)
    ]
    return [
        "**Easier and harder**",
        "\n".join(lines),
        "*Each has its own timer settings and its own row in the routine builder "
        f"([Your routine]({ROUTINE_STEM}.ipynb)).*",
        _cite(c, [k for k in keys if k]),
    ]


def technique_safety(slug: str | Technique, course: Course | None = None) -> Section:
    """Cautions and common mistakes for one stretch, each with its source."""
    c, t = _technique(slug, course)
    return Section(
        "\n\n".join(
            [
                "**Take care**",
                _items(c, t.cautions),
                *_check_first(c, t),
                "**Common mistakes**",
                _items(c, t.mistakes),
                _cite(c, [*_item_sources(t.cautions), *_item_sources(t.mistakes)]),
            ]
        )
    )


def _check_first(c: Course, t: Technique) -> list[str]:
    """A line pointing back to "Is this course right for me?" for the entries that apply to ``t``."""
    whom = [k.who[:1].lower() + k.who[1:] for k in c.right_for_me if k.slug in t.check_first]
    if not whom:
        return []
    title, link = lesson_for("safety", c)
    return [
        f'*Check first: see "{RIGHT_FOR_ME}" in [{md(title)}]({_url(link)}) if {md("; or if ".join(whom))}.*'
    ]


def technique_alternative(slug: str | Technique, course: Course | None = None) -> Section:
    """One adapted position in full: who it is for, what it works on, steps, cautions, timing, sources."""
    c, t = _technique(slug, course)
    parent = c.parent(t.slug)
    instead = f" instead of {parent.name}" if parent is not None else ""
    keys = [k for k in (t.source, t.hold_source, t.reps_source, *t.step_sources) if k]
    return Section(
        "\n\n".join(
            [
                f"**{t.name}**{instead}: for when {t.replaces_when}. {sentence(t.summary)}",
                "\n".join(
                    [
                        f"- **Works on:** {', '.join(t.targets)}",
                        f"- **Starting position:** {sentence(t.start_position)}",
                        f"- **You need:** {', '.join(t.equipment) if t.equipment else 'nothing'}",
                        f"- **Timing:** {timing(t, markdown=True)}.",
                    ]
                ),
                _numbered(t.steps),
                "**Take care**",
                _items(c, t.cautions),
                *_check_first(c, t),
                *(["**Common mistakes**", _items(c, t.mistakes)] if t.mistakes else []),
                _cite(c, [*keys, *_item_sources(t.cautions), *_item_sources(t.mistakes)]),
            ]
        )
    )


def adapted_positions(slug: str | Technique, course: Course | None = None) -> Section:
    """What the stretch's adapted positions are for, and where to read about getting down safely."""
    c, t = _technique(slug, course)
    names = [f"**{a.name}** ({_POSITION_WORDS.get(a.position, a.position)})" for a in t.alternatives]
    if not names:
        return Section("")
    title, link = lesson_for("safety", c)
    lines = [
        f"Instead of {t.name}, you can do " + (" or ".join(names)) + ".",
        sentence(c.lessons.alternatives_note) if c.lessons.alternatives_note else "",
        f"*If you do get down to the floor, see {c.floor.title.lower()} in [{title}]({link}).*",
    ]
    return Section("\n\n".join(line for line in lines if line))


def timer_intro(slug: str | Technique, course: Course | None = None) -> Section:
    """What to know before starting this stretch's timer, then how every timer works (said once, here)."""
    c, t = _technique(slug, course)
    first = t.timer_note or t.hold_note
    parts = [sentence(first)] if first else []
    parts.append(
        sentence(c.lessons.timer_intro)
        if c.lessons.timer_intro
        else "Press **Start** when you are in position."
    )
    if t.alternatives:
        names = join_and([f"the {a.name} (for when {a.replaces_when})" for a in t.alternatives])
        which = "timer after it is" if len(t.alternatives) == 1 else "timers after it are"
        parts.append(f"The {which} for {names}.")
    return Section("\n\n".join(parts))


def technique_recap(slug: str | Technique, course: Course | None = None) -> Section:
    """The lesson's recap: what is specific to this stretch (from the data), then the stop rule."""
    c, t = _technique(slug, course)
    _note(c, t, FINISHED)
    lines = list(t.recap) or [f"{t.name} works on {', '.join(t.targets)}: {t.why[:1].lower()}{t.why[1:]}"]
    lines.append(stop_rule(c))
    return Section(_bullets(lines))


# --- beyond stretching: the strengthening exercises -----------------------------------------


def strengthening(slug: str | Technique, course: Course | None = None) -> Section:
    """One of lesson 01's strengthening exercises, taught like a stretch: what it works on and
    why, its steps, its cautions (pointing back to "Is this course right for me?"), what to do
    without a chair version, and how its timer paces it. The lesson shows its drawing and timer
    beside it (``illustration`` and ``StretchTimer.for_technique``)."""
    c, t = _technique(slug, course)
    if t.slug not in {s.slug for s in c.strengthening}:
        known = ", ".join(s.slug for s in c.strengthening) or "none"
        raise ValueError(f"slug: {t.slug!r} is not a strengthening exercise (known: {known})")
    start, link = lesson_for("safety", c)
    rows = [
        f"- **Works on:** {', '.join(md(x) for x in t.targets)}",
        f"- **Why it may help:** {_text(t.why)}",
        f"- **Starting position:** {_text(t.start_position)}",
        *([f"- **Where:** {_POSITION_WORDS[t.position]}"] if t.position else []),
        f"- **You need:** {', '.join(md(x) for x in t.equipment) or 'nothing but a little floor space'}",
        f"- **Timing:** {timing(t, markdown=True)}.",
    ]
    chair = []
    if t.chair_note is not None:
        chair = [
            "**If you cannot get down to the floor**",
            f"{_text(t.chair_note.text)} *({md(_short(c, t.chair_note.source))})* "
            f"If you can, see {md(c.floor.title.lower())} in [{md(start)}]({_url(link)}).",
        ]
    keys = [
        k for k in (t.source, t.hold_source, t.reps_source, *t.step_sources, *_item_sources(t.cautions)) if k
    ]
    keys += _item_sources(t.mistakes)
    if t.chair_note is not None:
        keys.append(t.chair_note.source)
    return Section(
        "\n\n".join(
            [
                f"### {md(t.name)}",
                _text(t.summary),
                "\n".join(rows),
                _numbered(t.steps),
                *([sentence(t.timer_note)] if t.timer_note else []),
                "**Take care**",
                _items(c, t.cautions),
                *_check_first(c, t),
                *(["**Common mistakes**", _items(c, t.mistakes)] if t.mistakes else []),
                *chair,
                _cite(c, keys),
            ]
        )
    )


# --- where a learner left off ---------------------------------------------------------------


def _now() -> datetime:
    return datetime.now().astimezone()


def note_lesson(lesson: str, event: str, course: Course | None = None) -> None:
    """Note in the learner's journal that lesson ``lesson`` (a key of ``Course.lesson_keys``) was
    opened or finished, for lesson 00's "Continue". Each lesson notes itself from its first and last
    sections: a stretch's facts and recap; lesson 01's introduction and its closing points; lesson
    07's first habit and its closing advice; lesson 08's pain scale and its handouts; lesson 09's
    questions and answers and its sources. Lesson 00 is the home, and never notes itself.

    A journal that cannot be written (a read-only home, a file that is not ours) never stops the
    lesson showing.
    """
    c = _course(course)
    try:
        with JournalStore(course=c) as journal:
            journal.record_lesson(lesson, event, _now())
    except (JournalError, OSError, sqlite3.Error):
        return


def _note(c: Course, t: Technique, event: str) -> None:
    """A stretch's own lesson opened or finished (an adapted position is taught inside its stretch's)."""
    if t in c.techniques:
        note_lesson(t.slug, event, c)


def _read(c: Course, journal: JournalStore | None) -> tuple[list[LessonEvent], list[QuizAnswer]]:
    """The journal's lesson events (for lessons this course has) and quiz answers; none if unreadable."""
    try:
        if journal is not None:
            events, answers = journal.lesson_events(), journal.quiz_history()
        else:
            with JournalStore(course=c) as store:
                events, answers = store.lesson_events(), store.quiz_history()
    except (JournalError, OSError, sqlite3.Error):
        return [], []
    return [e for e in events if e.lesson in c.lesson_keys], answers  # a stretch may have been removed


def _lesson_link(key: str, c: Course) -> str:
    title, link = lesson_for(key, c)
    return f"[{md(title)}]({_url(link)})"


def _go_on(events: list[LessonEvent], c: Course, day: date) -> list[str]:
    """'Continue: Lesson 03 …, opened last Tuesday', then the lessons finished, ticked."""
    if not events:
        return []
    order = sorted(c.lesson_keys, key=lambda k: lesson_stem(k, c))
    finished = {e.lesson: e.at.date() for e in events if e.event == FINISHED}
    last = events[-1]
    when = day_words(last.at.date(), day)
    if last.event == OPENED:
        go_on = f"**Continue:** {_lesson_link(last.lesson, c)}, opened {when}."
    elif order.index(last.lesson) + 1 < len(order):
        after = order[order.index(last.lesson) + 1]
        go_on = (
            f"**Continue:** {_lesson_link(after, c)}, the lesson after "
            f"{_lesson_link(last.lesson, c)}, which you finished {when}."
        )
    else:
        go_on = f"You finished {_lesson_link(last.lesson, c)}, the last lesson, {when}."
    done = [
        f"- ✓ {_lesson_link(k, c)}: finished {day_words(finished[k], day)}" for k in order if k in finished
    ]
    return [go_on, *(["Lessons you have finished:", "\n".join(done)] if done else [])]


def welcome_back(
    course: Course | None = None, *, journal: JournalStore | None = None, now: datetime | None = None
) -> Section:
    """Lesson 00's note for a returning learner: which lesson to go on with, those finished, and
    how many quiz questions are due for review (:mod:`stretchkit.review`).

    A new learner (an empty journal) sees nothing at all. ``now`` is the clock the dates are
    worded from ("opened last Tuesday"); ``journal`` defaults to the learner's own.
    """
    c = _course(course)
    events, answers = _read(c, journal)
    when = now or _now()
    ids = [q.id for q in questions_from_course(c)]
    waiting = len(due(schedule(answers), when, among=ids))
    parts = _go_on(events, c, when.date())
    if waiting:
        parts.append(
            f"**For review:** {plural(waiting, 'quiz question')} you answered before "
            f"{'is' if waiting == 1 else 'are'} due again: every quiz shows "
            f"{'it' if waiting == 1 else 'them'} first, marked *{WORDS['review']}*."
        )
    if not parts:
        return Section("")
    return Section("\n\n".join(["### Where you left off", *parts]))


# --- habits, closing, FAQ -------------------------------------------------------------------


def habit(slug: str, course: Course | None = None) -> Section:
    """One everyday habit: what, why, and what to do (the first one opens lesson 07)."""
    c = _course(course)
    tip = c.tip(slug)
    if tip == c.tips[0]:
        note_lesson("habits", OPENED, c)
    return Section(
        "\n\n".join(
            [
                f"**{md(tip.title)}.** {_text(tip.summary)} {_text(tip.why)}",
                _items(c, tip.actions),
                _cite(c, [tip.source, *_item_sources(tip.actions)]),
            ]
        )
    )


def habits(course: Course | None = None) -> Section:
    """Every habit, as a short checklist."""
    c = _course(course)
    return Section("\n".join(f"- [ ] **{md(t.title)}**: {_text(t.summary)}" for t in c.tips))


def closing(course: Course | None = None) -> Section:
    """The article's closing advice (lesson 07's last section)."""
    c = _course(course)
    note_lesson("habits", FINISHED, c)
    return Section("\n".join([_bullets(c.closing), "", _cite(c, [c.closing_source])]))


def faq(course: Course | None = None) -> Section:
    """The article's questions and answers, each pointing to its lesson (lesson 09, after its quiz)."""
    c = _course(course)
    note_lesson("check", OPENED, c)
    parts = []
    for q in c.faq:
        title, link = lesson_for(q.see, c)
        parts.append(f"**{md(q.question)}**\n\n{_text(q.answer)} *See [{md(title)}]({_url(link)}).*")
    return Section("\n\n".join(parts))


def pain_scale(course: Course | None = None) -> Section:
    """How to rate pain on the 0-10 scale, and what size of change matters."""
    c = _course(course)
    p = c.pain_scale
    return Section(
        f"The journal uses the **{md(p.name)}**: {md(p.low_anchor)}; {md(p.high_anchor)}. "
        f"{_text(p.meaningful_change_text)}\n\n{_cite(c, p.sources)}"
    )


def sources(keys: Iterable[str] | None = None, course: Course | None = None) -> Section:
    """A reference list: the given source keys, or every source the course uses (lesson 09's end)."""
    c = _course(course)
    if keys is None:
        note_lesson("check", FINISHED, c)
    chosen = [c.source(k) for k in keys] if keys is not None else list(c.sources)
    lines = []
    for s in chosen:
        label = (
            f"{md(s.publisher)}: *{md(s.title)}*"
            if s.key != "article"
            else "*Back Pain Relief With Stretching*"
        )
        if s.url:
            where = f" <{_url(s.url)}>"
        else:
            where = " (the course's source article)" if s.key == "article" else " (no link)"
        lines.append(f"- {label}{where}")
    return Section("\n".join(lines))


def saved(path: str | os.PathLike[str], what: str = "file") -> Section:
    """A link to a file the lesson just wrote, relative to the notebook.

    IPython's FileLink shows the absolute path, which differs on every machine and so
    breaks the committed outputs; a relative link opens the file just the same.
    """
    p = Path(path)
    return Section(f"Saved your {md(what)}: [{md(p.name)}]({_url(p.as_posix())})")


# --- environment check ------------------------------------------------------------------------

_REQUIREMENTS = (
    ("ipywidgets", (8, 0)),
    ("anywidget", (0, 9)),
    ("matplotlib", (3, 8)),
    ("jupyterlab_widgets", (3, 0)),
)
#: What the browser-only site relies on (its front end is built in; matplotlib is not there).
_BROWSER_REQUIREMENTS = (("ipywidgets", (8, 0)), ("anywidget", (0, 9)))


def _version_tuple(text: str) -> tuple[int, ...]:
    out = []
    for part in text.split(".")[:2]:
        digits = "".join(ch for ch in part if ch.isdigit())
        out.append(int(digits or 0))
    return tuple(out)


def in_browser() -> bool:
    """True in the browser-only site, where Python is Pyodide (WebAssembly) inside the page."""
    return sys.platform == "emscripten"


def _missing(requirements: Iterable[tuple[str, tuple[int, int]]], fix: str) -> list[str]:
    problems = []
    for name, minimum in requirements:
        dist = name.replace("_", "-")
        want = ".".join(map(str, minimum))
        try:
            version = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            problems.append(f"`{dist}` is not installed. Fix: {fix.format(dist=dist, want=want)}")
            continue
        if _version_tuple(version) < minimum:
            problems.append(
                f"`{dist}` {version} is too old (need {want} or newer). "
                f"Fix: `pip install -U '{dist}>={want}'`."
            )
    return problems


def check_environment(*, browser: bool | None = None) -> Section:
    """Say exactly what is missing and how to fix it; a short all-clear otherwise.

    In the browser-only site (``browser``, by default when running on Pyodide) it says so and
    checks what the site needs: the widget packages, the course's drawings and a journal
    that can be kept in the browser. The all-clear names no versions, so the committed
    output is the same on every machine.
    """
    if browser if browser is not None else in_browser():
        return _check_browser()
    problems = _missing(_REQUIREMENTS, "run `make lab` again, or `pip install '{dist}>={want}'`.")
    if problems:
        fixes = "\n".join(f"- {p}" for p in problems)  # the course's own words, with their code spans
        return Section("**Something needs fixing before the course will work:**\n\n" + fixes)
    return Section(
        "**All set:** Python and the course's packages (ipywidgets, anywidget, matplotlib) are installed. "
        "If the widget check below shows a text line instead of a panel with a button, see *Troubleshooting*."
    )


def _check_browser() -> Section:
    """The set-up check of the browser-only site: nothing to install, so check what it relies on."""
    fix = "reload the page; if that does not help, the site was built without it (ask whoever runs it)."
    problems = _missing(_BROWSER_REQUIREMENTS, fix)
    drawings = importlib.resources.files("stretchkit.illustrations")
    if not any(f.name.endswith(".svg") for f in drawings.iterdir()):
        problems.append(f"The course's drawings are missing from its package. Fix: {fix}")
    try:
        sqlite3.connect(":memory:").close()
    except Exception as exc:  # pragma: no cover - a site built without sqlite3
        problems.append(f"The journal's database (sqlite3) does not work here ({exc}). Fix: {fix}")
    if problems:
        return Section("**Something needs fixing before the course will work:**\n\n" + _bullets(problems))
    return Section(
        "**All set, in the browser version:** Python runs inside this web page, so there is nothing "
        "to install, and the course's widgets, drawings and journal are all here. Your notebooks and "
        "your journal are kept in this browser's storage for this site: lesson 08 shows how to "
        "download your journal. If the widget check below shows a text line instead of a panel with "
        "a button, reload the page."
    )
