"""An educator's own stretches, added with an ``extends = "stretchkit"`` file, work everywhere.

``tests/data/educator-stretches.toml`` adds two realistic stretches the way the README
invites: a knee-to-chest stretch lying on the back (which starts "Lying on your back.",
like the bundled Hamstring Stretch) and a forward bend seated on a chair, each with its
pose described in the file. Every part of the course is run with it: the quiz for the
whole course and per stretch, timer plans, a routine built and played in a guided session
into a journal, the printed handout, the figures and the lesson text.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

import stretchkit
from stretchkit import ContentError, Journal, Routine, StretchTimer, load_course, plan_for_technique
from stretchkit.course import PoseSpec
from stretchkit.drawing import draw_pose, has_drawing, pose_joints
from stretchkit.figures import illustration, pose_svg
from stretchkit.handout import write_handout
from stretchkit.lessons import technique_facts, technique_safety, technique_steps
from stretchkit.posture import SEAT
from stretchkit.questions import MAX_DISTRACTORS, questions_from_course
from stretchkit.quiz import Quiz
from stretchkit.routine import RoutineItem
from stretchkit.session import GuidedSession, RoutineBuilder
from tests.test_session import finish

FIXTURE = Path(__file__).parent / "data" / "educator-stretches.toml"
ADDED = ("knee-to-chest", "seated-forward-bend")
NOW = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def course() -> stretchkit.Course:
    return load_course(FIXTURE)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- the quiz -----------------------------------------------------------------------------------


def test_the_whole_course_quiz_builds_with_distinct_options_and_grades(course: stretchkit.Course) -> None:
    quiz = Quiz.from_course(course, seed=3)
    for q in quiz.questions:
        texts = [_norm(o.text) for o in q.options]
        assert len(texts) == len(set(texts)), f"{q.id} repeats an option"
        assert sum(o.correct for o in q.options) >= 1
    ids = {q.id for q in quiz.questions}
    assert {f"start:{s}" for s in ADDED} | {f"order:{s}" for s in ADDED} <= ids
    right = quiz.grade(quiz.solution())
    assert right.score == right.total == len(quiz.questions)
    wrong = quiz.grade({"start:knee-to-chest": _wrong(quiz, "start:knee-to-chest")})
    assert wrong.score == 0 and not wrong["start:knee-to-chest"].correct


def _wrong(quiz: Quiz, qid: str) -> list[int]:
    q = next(q for q in quiz.questions if q.id == qid)
    return [next(i for i, o in enumerate(q.options) if not o.correct)]


def test_a_start_shared_by_two_stretches_is_one_option_naming_both(course: stretchkit.Course) -> None:
    """Another stretch's question (Child's Pose's, say) offers 'Lying on your back.' once, not twice:
    one option naming both stretches that start so."""
    questions = {q.id: q for q in questions_from_course(course)}
    shared = course.technique("hamstring-stretch").start_position
    assert course.technique("knee-to-chest").start_position == shared
    asked = [
        q for q in questions.values() if q.id.startswith("start:") and shared in [o.text for o in q.options]
    ]
    assert asked, "some stretch's question offers the shared start as a wrong option"
    both = "That is how the Hamstring Stretch and the Knee-to-Chest Stretch start."
    whys = []
    for q in asked:
        if q.id in ("start:hamstring-stretch", "start:knee-to-chest"):
            continue
        (lying,) = [o for o in q.options if o.text == shared]  # once, never twice
        # (the hamstring's own chair version leaves the hamstring out: a related stretch)
        assert lying.why in (both, "That is how the Knee-to-Chest Stretch starts."), q.id
        whys.append(lying.why)
    assert both in whys, "an unrelated stretch's question names both stretches in one option"
    own = questions["start:knee-to-chest"]
    assert [o.text for o in own.options if o.correct] == [shared]
    assert shared not in [o.text for o in own.options if not o.correct]
    assert all(len(q.options) <= MAX_DISTRACTORS + 1 for q in questions.values() if q.id.startswith("start:"))


def test_the_chair_both_chair_stretches_use_makes_a_multiple_choice_question(
    course: stretchkit.Course,
) -> None:
    q = {q.id: q for q in questions_from_course(course)}["equipment:steady-chair"]
    assert q.kind == "multiple"
    assert [o.text for o in q.options if o.correct] == ["Piriformis Stretch", "Seated Forward Bend"]


def test_equipment_worded_differently_is_still_one_question(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace('["a steady chair"]', '["A steady chair"]')
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    questions = [q for q in questions_from_course(load_course(path)) if "chair" in q.id]
    assert [q.id for q in questions] == ["equipment:steady-chair"]
    assert [o.text for o in questions[0].options if o.correct] == [
        "Piriformis Stretch",
        "Seated Forward Bend",
    ]


@pytest.mark.parametrize("slug", ADDED)
def test_each_added_stretch_has_its_own_check(course: stretchkit.Course, slug: str) -> None:
    quiz = Quiz.from_course(course, seed=1, topic=slug)
    assert quiz.heading == f"Check: {course.technique(slug).name}"
    assert len(quiz.questions) >= 2 and {q.topic for q in quiz.questions} == {slug}
    assert quiz.grade(quiz.solution()).score == len(quiz.questions)


def test_a_repeated_step_blames_the_stretch_that_has_it(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "Let the knee go back slowly and change legs.",
        "Lie on your back with both knees bent and your feet flat on the floor.",
    )
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match=r"^quiz: techniques\[5\] \(knee-to-chest\): option 3: "):
        questions_from_course(load_course(path))


def test_two_stretches_with_one_name_are_refused_naming_the_second(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace('"Seated Forward Bend"', '"Knee-to-chest stretch"')
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_course(path)
    assert str(err.value) == (
        "mine.toml: techniques[1] (seated-forward-bend): name: 'Knee-to-chest stretch' is already the name "
        "of techniques[0] (knee-to-chest)"
    )


# --- timer, routine, guided session, journal, handout ------------------------------------------


def test_timer_plans_follow_the_file(course: stretchkit.Course) -> None:
    plan = plan_for_technique(course.technique("knee-to-chest"))
    holds = [p for p in plan.phases if p.kind == "hold"]
    assert [p.seconds for p in holds] == [20.0] * 4  # 2 legs x 2 reps
    assert "other leg" in plan.to_text()
    timer = StretchTimer.for_technique("seated-forward-bend", course=course, sound=False)
    assert [p.seconds for p in timer.plan.phases if p.kind == "hold"] == [15.0, 15.0]
    assert "Seated Forward Bend" in timer._fallback_html()


def test_a_routine_builder_lists_them_and_a_guided_session_records_them(
    course: stretchkit.Course, tmp_path: Path
) -> None:
    builder = RoutineBuilder(course=course)
    assert builder.routine.techniques[-2:] == ADDED
    routine = Routine(
        [RoutineItem("knee-to-chest", hold=25), "seated-forward-bend"], title="Clinic", course=course
    )
    journal = Journal(tmp_path / "journal.sqlite3", course=course)
    g = GuidedSession(routine, journal=journal, clock=lambda: NOW, sound=False)
    names = " ".join(p.technique for p in g.plan.phases)
    assert "Knee-to-Chest Stretch" in names and "Seated Forward Bend" in names
    images = {p.technique: p.image for p in g.plan.phases if p.image}
    assert (
        images["Knee-to-Chest Stretch"].startswith("<svg")
        and "No drawing" not in images["Knee-to-Chest Stretch"]
    )
    assert (
        images["Seated Forward Bend"].startswith("<svg") and "No drawing" not in images["Seated Forward Bend"]
    )
    finish(g)  # played through, as the browser reports it
    (saved,) = journal.sessions()
    assert saved.techniques == ADDED and saved.routine == "Clinic"


def test_the_handout_draws_and_describes_them(course: stretchkit.Course, tmp_path: Path) -> None:
    from stretchkit.handout import handout_pages

    routine = Routine([RoutineItem("knee-to-chest", hold=25), "seated-forward-bend"], course=course)
    figures = handout_pages(routine)
    text = "\n".join(t.get_text() for fig in figures for t in fig.texts)
    assert "Knee-to-Chest Stretch" in text and "Seated Forward Bend" in text
    assert "2 sides x 25 s, 2 reps" in text
    drawn = [ax for fig in figures for ax in fig.axes if ax.lines]
    assert len(drawn) == 2, "each stretch is drawn, not a placeholder note"
    path = write_handout(routine, tmp_path / "clinic.pdf")
    assert path.read_bytes().startswith(b"%PDF")


# --- drawings from the file's pose ----------------------------------------------------------------


def test_the_described_poses_are_drawn_resting_where_the_base_posture_says(course: stretchkit.Course) -> None:
    knee = course.technique("knee-to-chest")
    assert has_drawing(knee) and not has_drawing("knee-to-chest")
    j = pose_joints(knee)
    for name in ("pelvis", "waist", "mid_back", "shoulders"):
        assert 0 < j[name][1] < 0.08, f"lying on the back: {name} rests on the floor"
    assert j["near_knee"][1] > j["pelvis"][1] + 0.15, "the knee is drawn up towards the chest"
    assert abs(j["far_toe"][1] - j["far_ankle"][1]) < 0.01 and j["far_ankle"][1] < 0.05, "other foot flat"
    seated = pose_joints(course.technique("seated-forward-bend"))
    assert seated["pelvis"][1] == pytest.approx(SEAT), "sitting on the chair's seat"
    assert seated["shoulders"][0] > seated["pelvis"][0] + 0.15, "bent forward"
    assert min(y for _, y in seated.values()) >= 0, "nothing goes through the floor"


def test_figures_and_lesson_text_show_them(course: stretchkit.Course) -> None:
    for slug in ADDED:
        t = course.technique(slug)
        fig = illustration(slug, course)
        assert fig.svg is not None and b"<svg" in fig.svg
        assert "No drawing" not in fig._repr_html_() and t.illustration_alt in fig.alt
        assert pose_svg(slug, course).startswith("<svg")
        assert "No drawing" not in pose_svg(slug, course)
        assert t.steps[0] in technique_steps(slug, course).markdown
        assert t.cautions[0].text in technique_safety(slug, course).markdown
        facts = technique_facts(slug, course).markdown
        assert f"**{t.name}.**" in facts and "Hold for about" in facts


def test_without_a_pose_a_clear_placeholder_is_shown(tmp_path: Path) -> None:
    text = re.sub(r"\[techniques\.pose\]\nbase = \"seated\"\n(\w+ = \d+\n)*", "", FIXTURE.read_text("utf-8"))
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    c = load_course(path)
    assert c.technique("seated-forward-bend").pose is None
    fig = illustration("seated-forward-bend", c)
    assert fig.svg is None and "No drawing for this stretch yet" in fig._repr_html_()
    assert "No drawing for this stretch yet" in pose_svg("seated-forward-bend", c)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    f = Figure()
    FigureCanvasAgg(f)
    ax = f.add_subplot()
    draw_pose(ax, c.technique("seated-forward-bend"))
    assert "No drawing" in ax.texts[0].get_text()


@pytest.mark.parametrize(
    ("pose", "message"),
    [
        (
            'base = "sitting"',
            "mine.toml: techniques[0] (knee-to-chest): pose: base must be one of 'lying on back', 'seated', "
            "'standing', 'kneeling', 'all fours', got 'sitting'",
        ),
        (
            'base = "lying on back"\nknee = 200',
            "mine.toml: techniques[0] (knee-to-chest): pose: "
            "knee must be between 0 and 160 degrees, got 200.0",
        ),
        (
            'base = "lying on back"\nhip = "bent"',
            "mine.toml: techniques[0] (knee-to-chest): pose: hip must be a number, got 'bent'",
        ),
        (
            'base = "lying on back"\nankle = 10',
            "mine.toml: techniques[0] (knee-to-chest): pose: "
            "unknown field 'ankle' (known fields: base, elbow, "
            "hip, knee, lean, other_hip, other_knee, shoulder)",
        ),
        ("hip = 10", "mine.toml: techniques[0] (knee-to-chest): pose: missing required field 'base'"),
    ],
)
def test_a_bad_pose_is_one_line_naming_entry_and_field(tmp_path: Path, pose: str, message: str) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    start = text.index("[techniques.pose]")
    end = text.index("[[techniques]]", start)
    path = tmp_path / "mine.toml"
    path.write_text(text[:start] + f"[techniques.pose]\n{pose}\n\n" + text[end:], encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_course(path)
    assert str(err.value) == message


def test_every_base_posture_content_names_can_be_drawn() -> None:
    from stretchkit.course import POSTURES
    from stretchkit.posture import BASES, posture

    assert tuple(BASES) == POSTURES
    for base in POSTURES:
        points = pose_joints_of(posture(base))
        assert min(y for _, y in points.values()) >= 0, f"{base}: nothing below the floor"
    assert PoseSpec("seated", lean=10).angles() == {"lean": 10}


def pose_joints_of(pose: stretchkit.pose.Pose) -> dict[str, tuple[float, float]]:
    from stretchkit.pose import joints

    return joints(pose)


# --- a mistake in the file, as the educator meets it -------------------------------------------


def test_a_mistake_shows_in_a_notebook_as_its_one_line(tmp_path: Path) -> None:
    """Loading a file with a mistake in a notebook shows the line that names it, not a traceback."""
    import nbformat
    from nbclient import NotebookClient

    bad = tmp_path / "mine.toml"
    bad.write_text('extends = "stretchkit"\n[[techniques]]\nslug = "hamstring-strech"\nreps = 2\n', "utf-8")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"from stretchkit import load_course\nload_course({str(bad)!r})")]
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True).execute()
    (error,) = [o for o in nb.cells[0].outputs if o.output_type == "error"]
    line = (
        "ContentError: mine.toml: techniques[0] (hamstring-strech): slug: unknown technique "
        "'hamstring-strech' — did you mean 'hamstring-stretch'?"
    )
    assert error.traceback == [line]
    assert (error.ename, f"{error.ename}: {error.evalue}") == ("ContentError", line)
