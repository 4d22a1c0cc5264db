"""What the browser-only site runs works without matplotlib (the site has none).

Lesson by lesson, the package calls the site makes run here in a Python where importing
matplotlib fails, as it does in Pyodide: the shipped illustrations, the guided session's
pictures, the journal's charts and view, the HTML handout and the set-up check.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from stretchkit import Routine, load_course
from stretchkit.handout import handouts, write_handout
from stretchkit.lessons import check_environment

SITE_LESSONS = textwrap.dedent(
    """
    import sys
    from importlib.abc import MetaPathFinder

    class NoMatplotlib(MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "matplotlib" or name.startswith("matplotlib."):
                raise ModuleNotFoundError(f"No module named {name!r}")
            return None

    sys.meta_path.insert(0, NoMatplotlib())
    from stretchkit import GuidedSession, JournalView, RoutineBuilder, lessons, load_course
    from stretchkit.figures import illustration, pose_svg, why_diagram

    course = load_course()
    print(lessons.check_environment(browser=True))
    print(why_diagram().name, len(why_diagram().svg))
    for t in course.techniques:
        print(illustration(t.slug).name, len(illustration(t.slug).svg), pose_svg(t.slug)[:4])
    builder = RoutineBuilder()
    session = GuidedSession(builder.routine)
    view = JournalView()
    print(repr(view))
    print(builder.handouts(browser=True))
    print("matplotlib" in sys.modules)
    """
)


def test_every_lesson_call_the_site_makes_works_without_matplotlib(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", SITE_LESSONS],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"STRETCHKIT_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.splitlines()
    assert lines[0].startswith("**All set, in the browser version:**")
    assert re.fullmatch(r"01-why-stretching-helps-spine\.svg \d{4,}", lines[1])
    for t, line in zip(load_course().techniques, lines[2:7], strict=True):
        assert re.fullmatch(rf"\d\d-{t.slug}\.svg \d{{4,}} <svg", line), line
    assert lines[7] == "JournalView(0 sessions)"
    assert "The PDF handout needs the course installed on a computer" in out.stdout
    mine = tmp_path / "my-files"  # the learner's own folder, never among the lessons
    assert (mine / "my-routine.html").is_file() and not (mine / "my-routine.pdf").exists()
    assert lines[-1] == "False"


def test_the_html_handout_has_every_stretch_with_its_drawing_and_steps(tmp_path: Path) -> None:
    routine = Routine.from_dict(
        {"title": "Desk <break>", "techniques": [{"slug": "cat-camel", "reps": 2}, {"slug": "childs-pose"}]}
    )
    page = html.unescape(write_handout(routine, tmp_path / "h.html").read_text(encoding="utf-8"))
    raw = (tmp_path / "h.html").read_text(encoding="utf-8")
    assert "<title>Desk &lt;break&gt;</title>" in raw, "the title is escaped"
    course = load_course()
    for i, item in enumerate(routine.items, start=1):
        t = course.technique(item.technique)
        assert f"{i}. {t.name}" in page
        assert routine.describe(item) in page
        assert all(step in page for step in t.steps)
        assert all(c.text in page for c in t.cautions), "the web page has room for every caution"
    assert page.count("<svg") == 2, "each stretch's drawing, inline"
    assert "window.print()" in page and "@media print" in page
    assert course.safety.emergency_heading in page and course.safety.urgent_heading in page


def test_the_lesson_offers_both_handouts_in_jupyterlab(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = handouts(Routine.from_dict({"title": "R", "techniques": [{"slug": "cat-camel"}]}), browser=False)
    assert "[my-routine.pdf](my-files/my-routine.pdf)" in str(text)
    assert "[my-routine.html](my-files/my-routine.html)" in str(text)
    assert (tmp_path / "my-files" / "my-routine.pdf").read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-files"], "nothing lands beside the lessons"


def test_the_set_up_check_in_the_site_says_it_is_the_browser_version() -> None:
    text = str(check_environment(browser=True))
    assert "browser version" in text and "nothing to install" in text
    assert "make lab" not in text and "matplotlib" not in text
    assert str(check_environment(browser=False)).startswith("**All set:** Python and the course's packages")


def test_the_html_handout_uses_the_routines_own_hold(tmp_path: Path) -> None:
    """Hamstring held 20 s: the web handout's steps say 20 seconds, as the PDF's do."""
    routine = Routine.from_dict({"techniques": [{"slug": "hamstring-stretch", "hold": 20}]})
    page = html.unescape(write_handout(routine, tmp_path / "h.html").read_text(encoding="utf-8"))
    assert "Hold for about 20 seconds" in page and "30 seconds" not in page
