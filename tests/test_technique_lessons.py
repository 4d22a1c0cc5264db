"""Technique lessons come from one template and the content:
safety before the timer, adapted positions with their own drawings and timers, recaps from
the data, and a lesson for an educator's own stretch that never collides with 07-09."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

from stretchkit import StretchTimer, lessons, load_course
from stretchkit.drawing import has_drawing
from stretchkit.figures import ASSETS, asset_stem, illustration
from stretchkit.plan import plan_for_technique
from stretchkit.questions import questions_from_course
from stretchkit.wording import stop_rule
from tests.test_content import OVERLAY

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "technique_lessons.py"
COURSE = load_course()
LESSONS = [ROOT / "notebooks" / f"{lessons.lesson_stem(t.slug)}.ipynb" for t in COURSE.techniques]

sys.path.insert(0, str(ROOT / "scripts"))
import technique_lessons  # noqa: E402


def headings(nb: nbformat.NotebookNode) -> list[str]:
    return [
        c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("#")
    ]


def safety_comes_first(nb: nbformat.NotebookNode) -> bool:
    """True when the cautions (and any adapted positions) are shown before the timer."""
    h = headings(nb)
    timer = h.index(technique_lessons.TIMER)
    before = [technique_lessons.CAUTIONS]
    if technique_lessons.ADAPTED in h:
        before.append(technique_lessons.ADAPTED)
    return all(h.index(x) < timer for x in before)


def test_the_committed_lessons_are_the_template_s() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_cautions_come_before_the_timer(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert safety_comes_first(nb)
    # the check can fail: the old order (timer, then cautions) is caught
    h = [c for c in nb.cells if c.cell_type == "markdown"]
    timer = next(c for c in h if c.source.startswith(technique_lessons.TIMER))
    cautions = next(c for c in h if c.source.startswith(technique_lessons.CAUTIONS))
    timer.source, cautions.source = cautions.source, timer.source
    assert not safety_comes_first(nb)


def _outputs(nb: nbformat.NotebookNode) -> str:
    """The Markdown the lesson's code cells show when run now, in one namespace as a kernel
    would: the current content, not outputs saved before it changed (nbval checks that the
    committed outputs match a fresh run, once the lessons are re-executed)."""
    shown: list[str] = []

    def display(value: Any) -> None:  # IPython's, for the Markdown a cell shows mid-way
        markdown = getattr(value, "_repr_markdown_", None)
        if markdown is not None:
            shown.append(markdown())

    namespace: dict[str, Any] = {"display": display}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, "<cell>", "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
            markdown = getattr(value, "_repr_markdown_", None)
            if markdown is not None:
                shown.append(markdown())
    return "\n".join(shown)


@pytest.mark.parametrize("t", COURSE.techniques, ids=lambda t: t.slug)
def test_each_lesson_shows_its_own_recap_and_the_timer_words_once(t: Any) -> None:
    nb = nbformat.read(ROOT / "notebooks" / f"{lessons.lesson_stem(t.slug)}.ipynb", as_version=4)
    shown = _outputs(nb)
    assert t.recap and all(line in shown for line in t.recap)  # specific to this stretch, from the data
    recap = lessons.technique_recap(t.slug).markdown.splitlines()
    assert recap[-1] == f"- {stop_rule(COURSE)}", "the recap ends with the course's own stop rule"
    assert all(line.rstrip().endswith((".", "?", "!")) for line in recap), "each recap line is a sentence"
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "Press **Start**" not in prose  # the timer paragraph is rendered, not typed into each lesson
    assert shown.count("Press **Start** when you are in position.") == 1
    for item in (*t.cautions, *t.mistakes):
        assert item.text in shown
    for a in t.alternatives:  # each adapted position: its steps, cautions, drawing and timer
        assert all(step in shown for step in a.steps)
        assert all(i.text in shown for i in a.cautions)
        codes = [c.source for c in nb.cells if c.cell_type == "code"]
        timer = f"StretchTimer.for_technique({a.slug!r})"
        # its timer, with the optional camera check below it for a chair position seen from the side
        assert timer in codes or f"chair_timer = {timer}\nchair_timer" in codes
        assert f"illustration({a.slug!r})" in codes


@pytest.mark.parametrize("a", [a for t in COURSE.techniques for a in t.alternatives], ids=lambda a: a.slug)
def test_every_adapted_position_has_a_timer_a_drawing_and_quiz_questions(a: Any) -> None:
    parent = COURSE.parent(a.slug)
    assert parent is not None and parent.position in ("kneeling", "all-fours", "lying")
    assert a.position == "chair"
    plan = plan_for_technique(a)
    holds = [p for p in plan.phases if p.kind in ("hold", "move")]
    assert holds and all(p.technique == a.name for p in holds)
    if not a.is_movement:
        assert {p.seconds for p in holds} == {a.hold_seconds}
    assert StretchTimer.for_technique(a.slug).plan == plan
    assert has_drawing(a.slug)
    assert (ASSETS / f"{asset_stem(a, COURSE)}.svg").is_file()
    assert illustration(a.slug).svg is not None
    about = [q for q in questions_from_course(COURSE) if q.id.endswith(f":{a.slug}")]
    assert len(about) >= 2 and all(q.topic == parent.slug for q in about)


def test_every_floor_stretch_has_a_chair_version() -> None:
    for t in COURSE.techniques:
        if t.position != "chair":
            assert any(a.position == "chair" for a in t.alternatives), t.slug


#: An educator's file adding a knee-to-chest stretch on the back (the same as test_content's).
EDUCATOR = OVERLAY


def test_an_educator_s_stretch_gets_its_own_lesson_numbered_after_the_course(tmp_path: Path) -> None:
    course_file = tmp_path / "clinic.toml"
    course_file.write_text(EDUCATOR, encoding="utf-8")
    out = tmp_path / "lessons"
    out.mkdir()
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--course", str(course_file), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["10-knee-to-chest.ipynb"]  # not 07: that is habits
    course = load_course(course_file)
    assert lessons.lesson_stem("lifting", course) == "07-everyday-habits"
    nb = nbformat.read(out / "10-knee-to-chest.ipynb", as_version=4)
    assert headings(nb)[0] == "# Knee-to-Chest Stretch" and safety_comes_first(nb)
    # run the lesson's code as a learner would, from the lessons folder: every call finds the stretch
    shown: list[str] = []
    namespace: dict[str, Any] = {}
    cwd = os.getcwd()
    os.chdir(out)
    try:
        for cell in nb.cells:
            if cell.cell_type == "code":
                *body, last = cell.source.strip().splitlines()
                exec("\n".join(body), namespace)
                shown.append(repr(eval(last, namespace)))
    finally:
        os.chdir(cwd)
    text = "\n".join(shown)
    assert "Draw one knee towards your chest with both hands." in text
    assert "Pulling hard on the knee. *(Mayo Clinic)*" in text
    assert "Knee-to-Chest Stretch works on the lower back: it gently stretches the lower back." in text
    assert "StretchTimer" in text and "Quiz" in text


def test_a_plain_string_caution_in_an_added_stretch_is_refused(tmp_path: Path) -> None:
    bad = EDUCATOR.replace(
        '[{ text = "Stop if your back pain gets worse.", source = "nhs-back-pain" }]', '["Stop if it hurts."]'
    )
    f = tmp_path / "clinic.toml"
    f.write_text(bad, encoding="utf-8")
    from stretchkit.course import ContentError

    with pytest.raises(ContentError) as info:
        load_course(f)
    assert str(info.value) == (
        "clinic.toml: techniques[1] (knee-to-chest): cautions[0] needs its own source: write "
        '{ text = "...", source = "article" } (or another source key), got \'Stop if it hurts.\''
    )


def test_a_mistake_in_the_educator_s_file_is_one_line_without_a_traceback(tmp_path: Path) -> None:
    """The script says what to fix in one line on stderr and exits 1, writing nothing."""
    f = tmp_path / "clinic.toml"
    f.write_text(EDUCATOR.replace('slug = "hamstring-stretch"', 'slug = "hamstring-strech"'), "utf-8")
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--course", str(f), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        "technique_lessons: clinic.toml: techniques[0] (hamstring-strech): slug: unknown technique "
        "'hamstring-strech' — did you mean 'hamstring-stretch'?\n"
    )
    assert not list(tmp_path.glob("*.ipynb"))
