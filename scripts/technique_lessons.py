"""Write the technique lessons from one template and the course content.

Lessons 02-06 (one per technique of the bundled course) share one shape, so they are
generated, never edited by hand: change the template below or the content, then run
`make notebooks` (which runs this script, then `scripts/nav.py`, then re-executes the
lessons). Every fact a lesson shows comes from the content through `stretchkit.lessons`;
the template holds only headings and the calls that show them.

The order in every lesson puts safety first: how to do it, then the cautions and common
mistakes, then the adapted positions (chair versions), and only then the timers.

An educator's own stretches get lessons the same way:

    python scripts/technique_lessons.py --course my-course.toml

writes one lesson for each technique the file adds to the bundled course, numbered after
the course's own lessons (10, 11, ...; see `stretchkit.lessons.lesson_stem`), so they never
collide with lessons 07-09. Run `make nav` (or `make notebooks`) afterwards to link them.
`--check` changes nothing and reports lessons that differ from the template (the tests use it).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stretchkit import lessons  # noqa: E402
from stretchkit.camera import followed  # noqa: E402
from stretchkit.content import load_course  # noqa: E402
from stretchkit.course import ContentError, Course, Technique  # noqa: E402
from stretchkit.wording import the  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"

METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": "3.11.7",
    },
    "rise": {"enable_chalkboard": False, "scroll": True, "transition": "none"},
}

#: Headings a test looks for: the cautions must come before the timer.
CAUTIONS = "## Cautions and common mistakes"
ADAPTED = "## If you can't get down to the floor"
TIMER = "## Try it with the timer"


def lesson_cells(t: Technique, course: Course, seed: int, course_arg: str = "") -> list[tuple[str, str, str]]:
    """The lesson as (kind, slide type, source) cells, in order; ``course_arg`` names an
    educator's course file for the calls (empty for the bundled course)."""
    arg = ", course" if course_arg else ""
    q = repr  # slugs as Python string literals
    imports = "from stretchkit import Quiz, StretchTimer, illustration, lessons\n"
    if course_arg:
        imports += f"from stretchkit import load_course\n\ncourse = load_course({course_arg!r})\n"
    learn = [
        f"what {the(t.name)} works on and why it can help",
        "how to get into the position and do it step by step",
        "when to take care, and the common mistakes to avoid",
    ]
    if t.alternatives:
        learn.append("a version for when getting down to the floor is hard")
    learn.append("how to follow the stretch with the timer")
    about = f"\n\n{t.about}" if t.about else ""
    cells: list[tuple[str, str, str]] = [
        ("markdown", "slide", f"# {t.name}\n\n{t.tagline or t.summary}"),
        ("markdown", "slide", "## What you will learn\n\n" + "\n".join(f"- {line}" for line in learn)),
        ("markdown", "slide", f"## What it works on{about}"),
        ("code", "-", f"{imports}\nlessons.technique_facts({q(t.slug)}{arg})"),
        ("markdown", "slide", "## How to do it\n\nLook at the drawing first, then read the steps."),
        ("code", "-", f"illustration({q(t.slug)}{arg})"),
        ("code", "subslide", f"lessons.technique_steps({q(t.slug)}{arg})"),
        ("markdown", "slide", f"{CAUTIONS}\n\nRead these before you try the stretch with the timer."),
        ("code", "-", f"lessons.technique_safety({q(t.slug)}{arg})"),
    ]
    if t.alternatives:
        cells += [
            ("markdown", "slide", ADAPTED),
            ("code", "-", f"lessons.adapted_positions({q(t.slug)}{arg})"),
        ]
        for a in t.alternatives:
            cells += [
                ("code", "subslide", f"illustration({q(a.slug)}{arg})"),
                ("code", "-", f"lessons.technique_alternative({q(a.slug)}{arg})"),
            ]
    timer_args = ", course=course" if course_arg else ""
    cells += [
        ("markdown", "slide", TIMER),
        ("code", "-", f"lessons.timer_intro({q(t.slug)}{arg})"),
        # The timer on a slide of its own, so it fits a projector's screen.
        ("code", "slide", f"StretchTimer.for_technique({q(t.slug)}{timer_args})"),
    ]
    for a in t.alternatives:
        timer = f"StretchTimer.for_technique({q(a.slug)}{timer_args})"
        cells.append(("markdown", "slide", f"### {a.name}"))  # its own slide: one live timer per slide
        if not followed(a):  # a chair position seen from the side: the optional camera check too
            course_only = "course" if course_arg else ""
            cells += [
                ("code", "-", f"chair_timer = {timer}\nchair_timer"),
                # What the camera check can and cannot do, then the check itself below the timer:
                # for the learner on the mat, so left out of the slides a class sees.
                (
                    "code",
                    "skip",
                    "from stretchkit import CameraCheck, camera_limits\n\n"
                    f"display(camera_limits({course_only}))\n"
                    f"CameraCheck(chair_timer, {q(a.slug)}{arg})",
                ),
            ]
        else:
            cells.append(("code", "-", timer))
    about_quiz = " and its other positions" if t.alternatives else ""
    n = 4 if t.alternatives else 3
    quiz_course = "course, " if course_arg else ""
    cells += [
        ("markdown", "slide", f"## Check yourself\n\nA few quick questions about this stretch{about_quiz}."),
        ("code", "-", f"Quiz.from_course({quiz_course}topic={q(t.slug)}, n={n}, seed={seed})"),
        ("markdown", "slide", "## Recap"),
        ("code", "-", f"lessons.technique_recap({q(t.slug)}{arg})"),
    ]
    return cells


def notebook(t: Technique, course: Course, seed: int, course_arg: str = "") -> nbformat.NotebookNode:
    """The lesson notebook, unexecuted; cell ids are stable so re-runs do not churn the files."""
    number = lessons.lesson_stem(t.slug, course).split("-", 1)[0]
    nb: nbformat.NotebookNode = nbformat.v4.new_notebook()
    nb.metadata = nbformat.from_dict(METADATA)
    for k, (kind, slide, source) in enumerate(lesson_cells(t, course, seed, course_arg)):
        make: Callable[..., nbformat.NotebookNode] = (
            nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        )
        cell = make(source, id=f"l{number}-c{k:02d}")
        cell.metadata = {"slideshow": {"slide_type": slide}}
        nb.cells.append(cell)
    return nb


def _sources(nb: nbformat.NotebookNode) -> list[tuple[str, str, str, str]]:
    """What the template decides: each non-navigation cell's id, kind, slide type and source
    (not outputs)."""
    return [
        (c.get("id", ""), c.cell_type, c.metadata.get("slideshow", {}).get("slide_type", ""), c.source)
        for c in nb.cells
        if not (c.cell_type == "markdown" and c.source.startswith("<!--NAVIGATION-->"))
    ]


def targets(course: Course, course_path: Path | None, out: Path) -> list[tuple[Path, nbformat.NotebookNode]]:
    """(path, notebook) for every lesson the template writes: the bundled course's techniques,
    or, with an educator's file, just the techniques that file adds."""
    bundled = {t.slug for t in load_course().techniques}
    arg = os.path.relpath(course_path, out) if course_path is not None else ""
    made = []
    for i, t in enumerate(course.techniques):
        if course_path is not None and t.slug in bundled:
            continue
        path = out / f"{lessons.lesson_stem(t.slug, course)}.ipynb"
        made.append((path, notebook(t, course, i + 1, arg)))
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--course", type=Path, help="an educator's course file: write lessons for its added stretches"
    )
    parser.add_argument(
        "--out", type=Path, default=NOTEBOOKS, help="the lessons folder (default: notebooks/)"
    )
    parser.add_argument("--check", action="store_true", help="report lessons that differ from the template")
    args = parser.parse_args(argv)
    try:
        return _write(args.course, args.out, check=args.check)
    except ContentError as exc:  # the line names the file, entry and field: no traceback needed
        print(f"technique_lessons: {exc}", file=sys.stderr)
        return 1


def _write(course_path: Path | None, out: Path, *, check: bool) -> int:
    """Write (or, with ``check``, list) the lessons that differ from the template."""
    course = load_course(course_path) if course_path else load_course()
    stale = []
    for path, nb in targets(course, course_path, out):
        if path.exists():
            old = nbformat.read(path, as_version=4)
            if _sources(old) == _sources(nb):
                continue
        stale.append(path)
        if not check:
            nbformat.write(nb, path)
            print(f"wrote {path.name} (run `make notebooks` to link and execute it)")
    if check:
        for path in stale:
            print(f"{path.name}: differs from the lesson template (run `make notebooks`)")
        return 1 if stale else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
