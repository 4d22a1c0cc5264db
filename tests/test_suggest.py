"""A routine that follows your back: the "next time" rules (unit and property tests), the
decisions the journal keeps (and refuses), and the panel below a guided session that offers
them, where Accept changes the routine (the builder follows) and Dismiss is remembered."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stretchkit import load_course
from stretchkit.course import ContentError, SuggestionRules
from stretchkit.journal import ACCEPTED, DISMISSED, Decision
from stretchkit.practice import Journal
from stretchkit.routine import Routine, RoutineItem, hold_range
from stretchkit.session import GuidedSession, RoutineBuilder
from stretchkit.suggest import BUILD_UP, EASIER, RESTART, Suggestion, suggest
from stretchkit.wording import stop_rule, urgent_care

COURSE = load_course()
assert COURSE.suggestions is not None
RULES: SuggestionRules = COURSE.suggestions
T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
ROUTINE = Routine(["hamstring-stretch", "cat-camel", "piriformis-stretch"])


def journal(tmp_path: Path, pains: Sequence[tuple[int | None, int | None]], *, every: float = 1) -> Journal:
    """A journal with one session of ROUTINE per (pain before, pain after), ``every`` days apart."""
    j = Journal(tmp_path / "journal.sqlite3")
    for i, (before, after) in enumerate(pains):
        j.record_session(
            routine=ROUTINE,
            started_at=T0 + timedelta(days=i * every),
            duration_seconds=300,
            pain_before=before,
            pain_after=after,
        )
    return j


def last_day(j: Journal) -> datetime:
    return j.sessions()[-1].started_at


def by_rule(found: list[Suggestion], rule: str, technique: str) -> Suggestion:
    matches = [s for s in found if (s.rule, s.technique) == (rule, technique)]
    assert len(matches) == 1, [(s.rule, s.technique) for s in found]
    return matches[0]


# --- the rules -----------------------------------------------------------------------------------


def test_a_new_learner_gets_nothing(tmp_path: Path) -> None:
    assert suggest([], ROUTINE, now=T0) == []
    assert suggest(Journal(tmp_path / "none.sqlite3").sessions(), ROUTINE, now=T0 + timedelta(days=30)) == []


def test_pain_that_rose_twice_suggests_the_easier_version_with_the_reason_and_source(tmp_path: Path) -> None:
    j = journal(tmp_path, [(3, 3), (2, 5), (3, 6)])
    found = suggest(j.sessions(), ROUTINE, now=last_day(j) + timedelta(hours=2))
    s = by_rule(found, EASIER, "hamstring-stretch")
    assert s.reason == "Your last two Hamstring Stretch sessions ended 3 points higher than they began."
    assert s.change.startswith(
        "Swap the Hamstring Stretch for its easier version, “Hamstring Stretch, towel behind the thigh” "
        "(Saint Luke's): Put the towel around the back of your thigh"
    )
    assert s.routine is not None and s.routine.techniques[0] == "hamstring-towel-behind-thigh"
    assert s.routine.item("hamstring-towel-behind-thigh") == RoutineItem(
        "hamstring-towel-behind-thigh", 30, 2, 0
    )
    assert (s.advice.source, s.source) == ("sfh-introducing-exercise", "Sherwood Forest Hospitals")
    assert s.evidence == (2, 3)
    assert s.pain_rose and s.stop_rule == stop_rule(COURSE)
    assert s.urgent == (urgent_care(COURSE, "emergency"), urgent_care(COURSE, "urgent"))
    assert s.bad_day == COURSE.programme.bad_day
    # A stretch with no easier version gets a shorter hold instead.
    piriformis = by_rule(found, EASIER, "piriformis-stretch")
    assert piriformis.change == "Hold the Piriformis Stretch for 20 s, not 30 s"
    assert piriformis.routine is not None and piriformis.routine.item("piriformis-stretch").hold == 20
    assert not [s for s in found if s.rule == BUILD_UP], "never building up when pain rose"


def test_rises_of_different_sizes_are_each_said() -> None:
    j_sessions = [
        _S(1, T0, 2, 5),
        _S(2, T0 + timedelta(days=1), 1, 3),
    ]
    s = by_rule(suggest(j_sessions, Routine(["cat-camel"]), now=T0 + timedelta(days=1)), EASIER, "cat-camel")
    assert s.reason == "Your last two Cat-Camel Stretch sessions ended 3 and 2 points higher than they began."


def test_one_rise_or_a_small_one_changes_nothing(tmp_path: Path) -> None:
    once = journal(tmp_path, [(2, 2), (2, 6)])
    assert not [s for s in suggest(once.sessions(), ROUTINE, now=last_day(once)) if s.rule == EASIER]
    small = [_S(1, T0, 2, 3), _S(2, T0 + timedelta(days=1), 2, 3)]
    assert suggest(small, ROUTINE, now=T0 + timedelta(days=1)) == []


def test_a_stretch_already_at_its_gentlest_is_left_out_for_now() -> None:
    # The Piriformis Stretch has no easier version; at the shortest hold and fewest repeats
    # the gentlest change is to leave it out until the pain settles.
    low = hold_range(COURSE, COURSE.technique("piriformis-stretch"))[0]
    routine = Routine([RoutineItem("piriformis-stretch", hold=low, reps=1), "cat-camel"])
    found = suggest([_S(1, T0, 1, 4, routine), _S(2, T0 + timedelta(days=1), 1, 4, routine)], routine, now=T0)
    s = by_rule(found, EASIER, "piriformis-stretch")
    assert s.change == "Leave the Piriformis Stretch out of your routine until your pain has settled"
    assert s.routine is not None and s.routine.techniques == ("cat-camel",)


def test_two_comfortable_weeks_suggest_building_up(tmp_path: Path) -> None:
    j = journal(tmp_path, [(3, 2)] * 8, every=2)  # every other day for 14 days
    found = suggest(j.sessions(), ROUTINE, now=last_day(j) + timedelta(hours=1))
    s = by_rule(found, BUILD_UP, "cat-camel")
    assert s.change == "Do 7 repeats of the Cat-Camel Stretch, not 5 (at most 10: NHS inform)"
    assert s.reason == (
        "Your last 8 Cat-Camel Stretch sessions, over 14 days since 1 March, all ended with pain "
        "the same as or lower than they began."
    )
    assert (s.advice.source, s.source) == ("nhs-inform-back-exercises", "NHS inform")
    assert s.routine is not None and s.routine.item("cat-camel").reps == 7
    assert not s.pain_rose and s.stop_rule == "" and s.urgent == ()
    ham = by_rule(found, BUILD_UP, "hamstring-stretch")
    assert ham.change == "Do 3 repeats of the Hamstring Stretch, not 2 (at most 3: Saint Luke's)"
    piri = by_rule(found, BUILD_UP, "piriformis-stretch")
    assert piri.change == "Do 3 repeats of the Piriformis Stretch, not 1 (at most 3: Mayo Clinic)"
    # At its most repeats, a held stretch is held longer, up to the course's limit (ACSM).
    most = Routine([RoutineItem("piriformis-stretch", reps=3)])
    comfy = [_S(i + 1, T0 + timedelta(days=2 * i), 3, 3, most) for i in range(8)]
    longer = by_rule(suggest(comfy, most, now=comfy[-1].started_at), BUILD_UP, "piriformis-stretch")
    assert longer.change == "Hold the Piriformis Stretch for 40 s, not 30 s (at most 60 s: ACSM)"
    assert (longer.advice.source, longer.source) == ("acsm-2021", "ACSM")
    top = Routine([RoutineItem("piriformis-stretch", hold=60, reps=3)])
    at_most = [_S(i + 1, T0 + timedelta(days=2 * i), 3, 3, top) for i in range(8)]
    assert suggest(at_most, top, now=at_most[-1].started_at) == [], "nothing beyond the course's most"


def test_thirteen_days_or_a_rise_in_them_is_not_yet_two_weeks(tmp_path: Path) -> None:
    short = journal(tmp_path, [(3, 2)] * 14)  # days 0 to 13
    assert suggest(short.sessions(), ROUTINE, now=last_day(short)) == []
    rose = [_S(i + 1, T0 + timedelta(days=2 * i), 3, 4 if i == 5 else 2) for i in range(8)]
    assert suggest(rose, ROUTINE, now=rose[-1].started_at) == []


def test_a_week_without_a_session_suggests_a_gentle_restart_at_the_last_comfortable_level() -> None:
    easy = Routine([RoutineItem("cat-camel", reps=5)])
    hard = Routine([RoutineItem("cat-camel", reps=8)])
    history = [_S(1, T0, 3, 2, easy), _S(2, T0 + timedelta(days=2), 3, 5, hard)]
    now = T0 + timedelta(days=10)
    found = suggest(history, hard, now=now)
    s = by_rule(found, RESTART, "")
    assert s.reason == "Your last session was 8 days ago, on 3 March."
    assert (
        s.change == "Start again at the level you last found comfortable: Cat-Camel Stretch: 5 repeats, not 8"
    )
    assert s.routine is not None and s.routine.item("cat-camel").reps == 5
    assert (s.advice.source, s.source) == ("gstt-back-exercises", "Guy's and St Thomas'")
    assert s.evidence == (2,)
    assert suggest(history, hard, now=T0 + timedelta(days=8, hours=23)) == [], "not yet a week"


def test_a_decision_is_not_offered_again_for_the_same_sessions(tmp_path: Path) -> None:
    j = journal(tmp_path, [(2, 5), (3, 6)])
    now = last_day(j)
    first = by_rule(suggest(j.sessions(), ROUTINE, now=now), EASIER, "cat-camel")
    j.record_decision(
        rule=first.rule, technique=first.technique, evidence=first.evidence, decision=DISMISSED, at=now
    )
    again = suggest(j.sessions(), ROUTINE, now=now, decisions=j.decisions())
    assert [s.technique for s in again if s.rule == EASIER] == ["hamstring-stretch", "piriformis-stretch"]
    j.record_session(
        routine=ROUTINE, started_at=now + timedelta(days=1), duration_seconds=300, pain_before=2, pain_after=5
    )
    later = suggest(j.sessions(), ROUTINE, now=now + timedelta(days=1), decisions=j.decisions())
    assert not [s for s in later if (s.rule, s.technique) == (EASIER, "cat-camel")], "one new rise is not two"


def test_a_course_without_rules_suggests_nothing(tmp_path: Path) -> None:
    from dataclasses import replace

    bare = replace(COURSE, suggestions=None)
    routine = Routine(["cat-camel"], course=bare)
    assert suggest([_S(1, T0, 1, 5), _S(2, T0, 1, 5)], routine, now=T0 + timedelta(days=30)) == []


# --- properties ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _S:
    """A session as the rules read it."""

    id: int
    started_at: datetime
    before: int | None
    after: int | None
    played: Routine = ROUTINE

    @property
    def techniques(self) -> tuple[str, ...]:
        return self.played.techniques

    @property
    def done(self) -> tuple[str, ...] | None:
        return self.played.techniques

    @property
    def pain_change(self) -> int | None:
        return None if self.before is None or self.after is None else self.after - self.before

    @property
    def routine_data(self) -> str:
        import json

        return json.dumps(self.played.to_dict())


pain = st.one_of(st.none(), st.integers(0, 10))
histories = st.lists(st.tuples(st.integers(0, 6 * 24), pain, pain), max_size=25).map(
    lambda rows: [
        _S(i + 1, T0 + timedelta(hours=sum(r[0] for r in rows[: i + 1])), b, a)
        for i, (_, b, a) in enumerate(rows)
    ]
)
routines = st.lists(
    st.sampled_from([t.slug for t in COURSE.practised]), min_size=1, max_size=4, unique=True
).flatmap(
    lambda slugs: st.tuples(*(st.integers(0, 5) for _ in slugs)).map(
        lambda picks: Routine([_item(slug, k) for slug, k in zip(slugs, picks, strict=True)])
    )
)


def _item(slug: str, k: int) -> RoutineItem:
    """A valid item for ``slug``: its hold and repeats somewhere in their ranges."""
    t = COURSE.technique(slug)
    lo, hi, _ = COURSE.reps_range(t)
    reps = lo + k * (hi - lo) // 5
    if t.is_movement:
        return RoutineItem(slug, reps=reps)
    hlo, hhi = hold_range(COURSE, t)
    return RoutineItem(slug, hold=round(hlo + k * (hhi - hlo) / 5), reps=reps)


@settings(max_examples=150, deadline=None)
@given(histories, routines, st.integers(0, 40))
def test_suggestions_keep_within_the_course_and_never_build_up_on_a_rise(
    history: list[_S], routine: Routine, days_later: int
) -> None:
    now = (history[-1].started_at if history else T0) + timedelta(days=days_later)
    found = suggest(history, routine, now=now)
    if not history:
        assert found == [], "a new learner gets nothing"
    keys = [s.key for s in found]
    assert len(keys) == len(set(keys))
    for s in found:
        if s.routine is not None:
            for item in s.routine.items:  # a validated Routine, and within each stretch's ranges
                t = COURSE.technique(item.technique)
                lo, hi, _ = COURSE.reps_range(t)
                assert item.reps is not None and lo <= item.reps <= hi
                if item.hold is not None:
                    hlo, hhi = hold_range(COURSE, t)
                    assert hlo <= item.hold <= hhi
        used = {x.id: x for x in history}
        assert all(i in used for i in s.evidence) and s.evidence
        if s.rule == BUILD_UP:
            assert all((used[i].pain_change or 1) <= 0 for i in s.evidence), "never build up on a rise"
            assert days_later < RULES.restart.days
            old, new = routine.item(s.technique), s.routine.item(s.technique)  # type: ignore[union-attr]
            assert (new.reps or 0) >= (old.reps or 0) and (new.hold or 0) >= (old.hold or 0)
            assert (new.reps, new.hold) != (old.reps, old.hold)
        if s.rule == EASIER:
            assert s.pain_rose
            assert all((used[i].pain_change or 0) >= RULES.easier.rise for i in s.evidence)
            assert not [x for x in found if x.rule == BUILD_UP and x.technique == s.technique]
        if s.rule == RESTART:
            assert days_later >= RULES.restart.days
            if s.routine is not None:
                for old, new in zip(routine.items, s.routine.items, strict=True):
                    assert (new.reps or 0) <= (old.reps or 0) and (new.hold or 0) <= (old.hold or 0)


@settings(max_examples=60, deadline=None)
@given(histories, routines, st.integers(0, 40))
def test_every_suggestion_decided_is_never_offered_again(
    history: list[_S], routine: Routine, days_later: int
) -> None:
    now = (history[-1].started_at if history else T0) + timedelta(days=days_later)
    found = suggest(history, routine, now=now)
    decided = [Decision(s.rule, s.technique, s.evidence, DISMISSED, "", now) for s in found]
    assert suggest(history, routine, now=now, decisions=decided) == []


# --- the journal keeps decisions, and refuses bad ones ------------------------------------------------


def test_the_journal_keeps_decisions_and_refuses_bad_ones_by_name(tmp_path: Path) -> None:
    j = journal(tmp_path, [(2, 5), (3, 6)])
    kept = j.record_decision(
        rule=EASIER, technique="cat-camel", evidence=[1, 2], decision=ACCEPTED, at=T0, change="Smaller"
    )
    assert j.decisions() == [kept] == [Decision(EASIER, "cat-camel", (1, 2), ACCEPTED, "Smaller", T0)]
    good: dict[str, Any] = dict(rule=EASIER, technique="cat-camel", evidence=[1], decision=DISMISSED, at=T0)
    bad: list[tuple[dict[str, Any], str]] = [
        ({"rule": "harder"}, r"^rule must be one of easier, build-up, restart, got 'harder'$"),
        ({"technique": "yoga"}, r"^technique: unknown technique 'yoga' \(known: childs-pose, "),
        ({"evidence": []}, r"^evidence must list 1 to 1000 session ids, got 0$"),
        ({"evidence": [1, True]}, r"^evidence must list session ids \(whole numbers from 1\), got True$"),
        ({"evidence": [1, 1]}, r"^evidence must name each session once, got \[1, 1\]$"),
        ({"evidence": [9]}, r"^evidence: session 9 is not in the journal$"),
        ({"decision": "maybe"}, r"^decision must be 'accepted' or 'dismissed', got 'maybe'$"),
        ({"at": "today"}, r"^at must be a datetime \(date and time\), got 'today'$"),
        ({"change": "x" * 2001}, r"^change must be at most 2000 characters, got 2001$"),
    ]
    for change, message in bad:
        with pytest.raises(ValueError, match=message):
            j.record_decision(**{**good, **change})
    assert j.decisions() == [kept], "nothing was written"


def test_a_version_4_journal_migrates_keeping_everything(tmp_path: Path) -> None:
    from tests.test_journal import assert_current, make_v4, snapshot

    path = tmp_path / "v4.sqlite3"
    make_v4(path)
    version, before = snapshot(path, ("sessions", "quiz_answers", "lessons"))
    assert version == 4
    with Journal(path) as j:
        assert j.decisions() == []
        j.record_decision(
            rule=RESTART, technique="", evidence=[j.sessions()[-1].id], decision=DISMISSED, at=T0
        )
        assert [d.rule for d in j.decisions()] == [RESTART]
    assert_current(path)
    _, after = snapshot(path, tuple(before))
    # Later versions may add columns (a session's seconds held in view): what version 4 had is kept.
    kept = {t: [new[: len(old)] for new, old in zip(after[t], was, strict=True)] for t, was in before.items()}
    assert kept == before, "nothing of version 4 was lost"


def test_the_csv_export_carries_the_decisions_with_their_last_session(tmp_path: Path) -> None:
    import csv

    j = journal(tmp_path, [(2, 5), (3, 6), (2, 2)])
    j.record_decision(
        rule=EASIER, technique="cat-camel", evidence=[1, 2], decision=ACCEPTED, at=T0, change="Smaller"
    )
    j.record_decision(rule=RESTART, technique="", evidence=[3], decision=DISMISSED, at=T0)
    with j.export_csv(tmp_path / "out.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["next_time"] for r in rows] == ["", "accepted: Smaller", "dismissed"]


# --- the rules are data, checked by the loader -----------------------------------------------------


def _overlay(tmp_path: Path, table: str, body: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(
        f'extends = "stretchkit"\n[suggestions]\nhold_step = 10\n{table}\n{body}', encoding="utf-8"
    )
    return path


EASIER_TABLE = (
    '[suggestions.easier]\nadvice = {{ text = "Do less.", source = "{source}" }}\n'
    "rise = {rise}\ntimes = 2\nfewer_reps = 1\n"
)
REST = (
    "[suggestions.build_up]\ndays = 14\nmore_reps = 2\n"
    'advice = { text = "More.", source = "nhs-inform-back-exercises" }\n'
    'hold_advice = { text = "Longer.", source = "acsm-2021" }\n'
    '[suggestions.restart]\ndays = 7\nadvice = { text = "Gently.", source = "gstt-back-exercises" }\n'
)


def test_every_rule_names_a_source_the_course_has_and_its_numbers() -> None:
    assert (RULES.easier.rise, RULES.easier.times, RULES.build_up.days, RULES.restart.days) == (2, 2, 14, 7)
    assert RULES.build_up.more_reps == 2 and RULES.hold_step == 10
    keys = {s.key for s in COURSE.sources}
    for item in (
        RULES.easier.advice,
        RULES.build_up.advice,
        RULES.build_up.hold_advice,
        RULES.restart.advice,
    ):
        assert item.source in keys
    assert COURSE.source("sfh-introducing-exercise").url.startswith("https://www.sfh-tr.nhs.uk/")


@pytest.mark.parametrize(
    ("rise", "source", "message"),
    [
        (
            "0",
            "sfh-introducing-exercise",
            r"^mine\.toml: suggestions: easier: rise must be between 1 and 10, got 0$",
        ),
        (
            "2.5",
            "sfh-introducing-exercise",
            r"^mine\.toml: suggestions: easier: rise must be a whole number, got 2\.5$",
        ),
        ("2", "a-blog", r"^mine\.toml: suggestions: easier: advice: source: unknown source 'a-blog'"),
    ],
)
def test_a_bad_rule_is_refused_in_one_line_naming_the_field_and_value(
    tmp_path: Path, rise: str, source: str, message: str
) -> None:
    with pytest.raises(ContentError, match=message):
        load_course(_overlay(tmp_path, EASIER_TABLE.format(rise=rise, source=source), REST))


def test_a_rise_beyond_a_narrow_pain_scale_is_refused(tmp_path: Path) -> None:
    path = _overlay(tmp_path, EASIER_TABLE.format(rise=5, source="sfh-introducing-exercise"), REST)
    path.write_text(path.read_text() + "[pain_scale]\nlowest = 1\nhighest = 5\n", encoding="utf-8")
    with pytest.raises(
        ContentError,
        match=r"^mine\.toml: suggestions: easier: rise must be at most 4 "
        r"\(the pain scale runs from 1 to 5\), got 5$",
    ):
        load_course(path)


# --- the panel below the guided session: accept or dismiss ------------------------------------------


def test_after_a_session_where_pain_rose_twice_the_panel_offers_the_easier_version(tmp_path: Path) -> None:
    j = journal(tmp_path, [(3, 3), (2, 5), (3, 6)])
    builder = RoutineBuilder(ROUTINE)
    g = GuidedSession(builder, journal=j, clock=lambda: last_day(j) + timedelta(hours=1), sound=False)
    panel = g.next_time
    assert panel in g.children
    shown = panel._fallback_html()
    assert "Your last two Hamstring Stretch sessions ended 3 points higher than they began." in shown
    assert "Sherwood Forest Hospitals" in shown and "On a bad day" in shown
    assert stop_rule(COURSE).split(":")[0].replace("'", "&#x27;") in shown
    assert "Call 999 or go to A&amp;E" in shown and "not a diagnosis" in shown
    assert shown.count("Call 999") == 1, "the urgent-help signs are said once, not on every card"
    easier = [x for x in panel.suggestions if x.rule == EASIER]
    assert len(easier) == 3 and shown.count(html.escape(easier[0].advice.text, quote=True)) == 1, (
        "the advice the three easier suggestions follow is said once, on the first"
    )
    assert "Next time" in g._fallback_html()
    ham = by_rule(panel.suggestions, EASIER, "hamstring-stretch")
    panel.accept(ham)
    assert "hamstring-towel-behind-thigh" in builder.routine.techniques, "the builder follows"
    assert "hamstring-stretch" not in g.routine.techniques, "and so does the session"
    assert [(d.rule, d.technique, d.decision) for d in j.decisions()] == [
        (EASIER, "hamstring-stretch", ACCEPTED)
    ]
    assert "Accepted: Swap the Hamstring Stretch" in panel.status.value
    assert not [s for s in panel.suggestions if s.technique.startswith("hamstring")]
    cat = by_rule(panel.suggestions, EASIER, "cat-camel")
    panel.dismiss(cat)
    assert "cat-camel" in builder.routine.techniques, "dismissing keeps the routine"
    assert "Dismissed" in panel.status.value
    assert not [s for s in panel.suggestions if s.technique == "cat-camel"], "not offered again"
    assert [d.decision for d in j.decisions()] == [ACCEPTED, DISMISSED]


def test_each_cards_buttons_name_the_stretch_they_are_for(tmp_path: Path) -> None:
    # A screen reader lists buttons by name: three "Accept" buttons could not be told apart.
    j = journal(tmp_path, [(3, 3), (2, 5), (3, 6)])
    g = GuidedSession(
        RoutineBuilder(ROUTINE), journal=j, clock=lambda: last_day(j) + timedelta(hours=1), sound=False
    )
    names = [
        b.description
        for card in g.next_time.children
        if isinstance(card, widgets.VBox)
        for b in card.children[1].children
    ]
    assert "Accept for Hamstring Stretch" in names and "Dismiss for Cat-Camel Stretch" in names
    assert len(names) == len(set(names)) == 2 * len(g.next_time.suggestions)


def test_after_two_comfortable_weeks_the_panel_offers_building_up(tmp_path: Path) -> None:
    j = journal(tmp_path, [(3, 2)] * 8, every=2)
    builder = RoutineBuilder(ROUTINE)
    g = GuidedSession(builder, journal=j, clock=lambda: last_day(j) + timedelta(hours=1), sound=False)
    cat = by_rule(g.next_time.suggestions, BUILD_UP, "cat-camel")
    assert (
        "Do 7 repeats of the Cat-Camel Stretch, not 5 (at most 10: NHS inform)."
        in g.next_time._fallback_html()
    )
    assert "Call 999" not in g.next_time._fallback_html(), "no pain rose: no urgent-help signs"
    g.next_time.accept(cat)
    assert builder.routine.item("cat-camel").reps == 7 and g.routine.item("cat-camel").reps == 7


def test_after_a_week_away_the_panel_offers_a_gentle_restart(tmp_path: Path) -> None:
    j = journal(tmp_path, [(3, 3), (3, 3)])
    g = GuidedSession(ROUTINE, journal=j, clock=lambda: last_day(j) + timedelta(days=9), sound=False)
    s = by_rule(g.next_time.suggestions, RESTART, "")
    assert s.routine is None
    assert "Your last session was 9 days ago, on 2 March." in g.next_time._fallback_html()
    assert "Guy&#x27;s and St Thomas&#x27;" in g.next_time._fallback_html()
    g.next_time.dismiss(s)
    assert g.next_time.suggestions == [] and g.next_time.children == (g.next_time.status,)


def test_a_new_learner_sees_no_panel(tmp_path: Path) -> None:
    g = GuidedSession(ROUTINE, journal=Journal(tmp_path / "j.sqlite3"), clock=lambda: T0, sound=False)
    assert g.next_time.children == () and g.next_time._fallback_html() == ""


# --- lesson 08, executed on a learner's journal -----------------------------------------------------


def _lesson_08(home: Path, pains: Sequence[tuple[int, int]], every: float) -> str:
    """Lesson 08's builder and guided session, run in a kernel on a journal in ``home`` whose
    sessions (of the default routine) end just now; the session's HTML as the page shows it."""
    import os

    import nbformat
    from nbclient import NotebookClient

    now = datetime.now(UTC)
    with Journal(home / "journal.sqlite3") as j:
        for i, (before, after) in enumerate(pains):
            j.record_session(
                routine=Routine(),
                started_at=now - timedelta(days=(len(pains) - 1 - i) * every, hours=1),
                duration_seconds=300,
                pain_before=before,
                pain_after=after,
            )
    root = Path(__file__).resolve().parents[1]
    nb = nbformat.read(root / "notebooks" / "08-your-routine.ipynb", as_version=4)
    nb.cells = [
        c
        for c in nb.cells
        if c.cell_type == "code" and ("builder = " in c.source or "GuidedSession(" in c.source)
    ]
    assert len(nb.cells) == 2
    os.environ["STRETCHKIT_HOME"] = str(home)  # the kernel inherits it (the fixture's monkeypatch undoes it)
    NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(home)}}).execute()
    return "".join(o.get("data", {}).get("text/html", "") for o in nb.cells[1].outputs)


def test_lesson_08_suggests_the_easier_version_after_two_rises_and_building_up_after_two_good_weeks(
    tmp_path: Path,
) -> None:
    rose = _lesson_08(tmp_path / "rose", [(3, 3), (2, 5), (3, 6)], every=1)
    assert "Your last two Hamstring Stretch sessions ended 3 points higher than they began." in rose
    assert "Swap the Hamstring Stretch for its easier version" in rose and "Sherwood Forest Hospitals" in rose
    assert "Call 999" in rose and "On a bad day" in rose
    comfy = _lesson_08(tmp_path / "comfy", [(3, 2)] * 8, every=2)
    assert "Do 7 repeats of the Cat-Camel Stretch, not 5 (at most 10: NHS inform)." in comfy
    assert "Call 999" not in comfy
