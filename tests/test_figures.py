"""Lesson figures: reproducible SVG files, honest alt text, mirrored sides and friendly placeholders."""

from __future__ import annotations

import base64
import html
import itertools
import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import stretchkit
from stretchkit import drawing, figures, load_course, look, spine
from stretchkit import pose as pose_module
from stretchkit.drawing import draw_pose, pose_joints
from stretchkit.figures import (
    ASSETS,
    WHY_STEM,
    asset_stem,
    illustration,
    lesson_stem,
    panel_file,
    pose_svg,
    why_diagram,
)
from stretchkit.spine import stretches_for
from tests.test_content import OVERLAY

LESSONS = [
    "02-childs-pose",
    "03-cat-camel",
    "04-hamstring-stretch",
    "05-piriformis-stretch",
    "06-childs-pose-rotation",
]
PER_SIDE = ["hamstring-stretch", "piriformis-stretch", "childs-pose-rotation"]


@pytest.fixture(scope="module")
def course() -> stretchkit.Course:
    return load_course()


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> stretchkit.Course:
    """The bundled course plus an educator's new technique (knee-to-chest) that has no drawing."""
    path = tmp_path_factory.mktemp("clinic") / "clinic.toml"
    path.write_text(OVERLAY, encoding="utf-8")
    return load_course(path)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("assets")
    assert figures.main([str(out)]) == 0
    return out


def _agg_axes() -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 3))
    FigureCanvasAgg(fig)
    return fig.add_subplot()


# --- files -------------------------------------------------------------------------------------


def test_lesson_numbers_follow_the_course_order(course: stretchkit.Course) -> None:
    assert [lesson_stem(t, course) for t in course.techniques] == LESSONS
    assert all(drawing.has_drawing(t.slug) for t in course.techniques)
    assert lesson_stem("cat-camel") == "03-cat-camel"


def test_regenerating_reproduces_the_committed_files_byte_for_byte(regenerated: Path) -> None:
    made = sorted(p.name for p in regenerated.iterdir())
    course = stretchkit.load_course()
    alternatives = [
        f"{lesson_stem(p, course)}-{a.slug}.svg" for p in course.techniques for a in p.alternatives
    ]
    strengthening = [f"01-why-stretching-helps-{t.slug}.svg" for t in course.strengthening]
    whole = [*(f"{stem}.svg" for stem in LESSONS), *alternatives, *strengthening]
    drawn = [*(t for p in course.techniques for t in (p, *p.alternatives)), *course.strengthening]
    panels = [panel_file(asset_stem(t, course), i) for t in drawn for i in range(figures.panel_count(t))]
    assert made == sorted([f"{WHY_STEM}.svg", *whole, *panels])
    assert all(not p.endswith(".panel-1.svg") or p.replace(".panel-1", "") in whole for p in panels)
    for name in made:
        committed = ASSETS / name
        assert committed.is_file(), f"{name} is not committed in assets/; run `make figures`"
        assert (regenerated / name).read_bytes() == committed.read_bytes(), (
            f"{name} is stale; run `make figures`"
        )


def test_svg_files_carry_no_date_or_version_and_need_no_font(regenerated: Path) -> None:
    import matplotlib

    for path in regenerated.iterdir():
        text = path.read_text(encoding="utf-8")
        assert "<dc:date>" not in text
        assert matplotlib.__version__ not in text
        assert "<text" not in text and "font-family" not in text  # text is drawn as paths
        assert look.CARD in text  # the light card behind the drawing, for dark themes
        assert "<title>" in text


def test_rendering_leaves_global_matplotlib_settings_alone(regenerated: Path) -> None:
    import matplotlib

    before = dict(matplotlib.rcParams)
    figures.render_all(regenerated)
    assert dict(matplotlib.rcParams) == before
    assert matplotlib.rcParams["svg.hashsalt"] is None


def test_cli_usage_error() -> None:
    assert figures.main([]) == 2


def test_cli_draws_an_educators_own_stretches_into_the_folder(tmp_path: Path) -> None:
    """``make figures COURSE=FILE``: the educator's stretches are drawn beside the bundled ones."""
    course_file = Path(__file__).parent / "data" / "educator-stretches.toml"
    assert figures.main([str(tmp_path), "--course", str(course_file)]) == 0
    course = load_course(course_file)
    added = {t.slug for t in course.techniques} - {t.slug for t in load_course().techniques}
    assert "knee-to-chest" in added
    for slug in added:
        stem = figures.asset_stem(course.technique(slug), course)
        assert (tmp_path / f"{stem}.svg").read_bytes().lstrip().startswith(b"<?xml"), slug


def test_cli_names_a_bad_course_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert figures.main([str(tmp_path), "--course", str(tmp_path / "missing.toml")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("figures: ") and "missing.toml" in err and "\n" not in err, err


def test_importing_stretchkit_does_not_import_matplotlib() -> None:
    code = (
        "import sys, stretchkit, stretchkit.figures\n"
        "assert 'matplotlib' not in sys.modules, sorted(m for m in sys.modules if 'matplotlib' in m)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(stretchkit.__file__).parents[1])


# --- what a learner sees ---------------------------------------------------------------------


@pytest.mark.parametrize("slug", [*PER_SIDE, "childs-pose", "cat-camel"])
def test_every_technique_shows_its_drawing_with_its_alt_text(course: stretchkit.Course, slug: str) -> None:
    t = course.technique(slug)
    page = illustration(slug)._repr_html_()
    assert page.startswith("<figure") and page.endswith("</figure>")
    assert f'alt="{html.escape(t.illustration_alt, quote=True)}"' in page
    assert "<figcaption" in page and html.escape(t.name) in page
    data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', page)
    assert data is not None
    assert base64.b64decode(data.group(1)) == (ASSETS / f"{lesson_stem(t)}.svg").read_bytes()


def test_illustration_accepts_a_technique_and_is_deterministic(course: stretchkit.Course) -> None:
    t = course.technique("hamstring-stretch")
    a, b = illustration(t, course), illustration("hamstring-stretch")
    assert a._repr_html_() == b._repr_html_()
    assert repr(a) == repr(b) == f"Illustration(04-hamstring-stretch.svg)\n{t.illustration_alt}"
    assert not re.search(r"0x[0-9a-f]{6,}", repr(a) + a._repr_html_())


@pytest.mark.parametrize("slug", PER_SIDE)
def test_second_side_is_the_first_mirrored(slug: str) -> None:
    first, second = pose_joints(slug), pose_joints(slug, mirrored=True)
    assert first.keys() == second.keys()
    for name, (x, y) in first.items():
        assert second[name] == pytest.approx((-x, y))
    assert any(abs(x) > 0.05 for x, _ in first.values())  # not symmetric already


@pytest.mark.parametrize("slug", PER_SIDE)
def test_per_side_figure_has_two_labelled_panels(course: stretchkit.Course, slug: str) -> None:
    fig = figures.technique_figure(course.technique(slug))
    labels = [t.get_text() for t in fig.texts]
    assert len(fig.axes) == 2
    # The drawings name the sides as the timer does, in the timer's order.
    technique = course.technique(slug)
    holds = [p for p in stretchkit.plan_for_technique(technique).phases if p.kind == "hold"][:2]
    assert [label.split(" (")[0].lower() for label in labels] == [
        f"{p.side} {technique.side_word}" for p in holds
    ]
    assert [p.side for p in holds] == ["left", "right"]
    assert all(f"{p.side} {technique.side_word}" in p.cue for p in holds)
    assert not any("Side 1" in label or "mirrored" in label for label in labels)


def test_drawn_lines_are_mirrored_on_the_second_side() -> None:
    plain, mirrored = _agg_axes(), _agg_axes()
    draw_pose(plain, "piriformis-stretch")
    draw_pose(mirrored, "piriformis-stretch", mirrored=True)
    a, b = plain.get_lines(), mirrored.get_lines()
    assert len(a) == len(b) > 5
    for la, lb in zip(a, b, strict=True):
        assert list(lb.get_xdata()) == pytest.approx([-x for x in la.get_xdata()])
        assert list(lb.get_ydata()) == pytest.approx(list(la.get_ydata()))
    assert plain.get_xlim() == pytest.approx(tuple(-x for x in reversed(mirrored.get_xlim())))


def test_cat_camel_shows_its_two_positions_by_name(course: stretchkit.Course) -> None:
    t = course.technique("cat-camel")
    fig = figures.technique_figure(t)
    labels = [x.get_text() for x in fig.texts]
    assert [label.split(" (")[0] for label in labels] == [m.name for m in t.movement] == ["Cat", "Camel"]
    cat, camel = pose_joints("cat-camel", position=0), pose_joints("cat-camel", position=1)
    # Cat rounds the back up and tucks the head; Camel lets the belly sink and lifts the head.
    assert cat["mid_back"][1] > cat["pelvis"][1] > camel["waist"][1]
    assert camel["head"][1] > camel["shoulders"][1] > cat["head"][1]


def test_poses_match_their_descriptions() -> None:
    child = pose_joints("childs-pose")
    assert child["pelvis"][0] < child["near_knee"][0] < child["near_hand"][0]  # sitting back, arms forward
    assert child["head"][1] < child["mid_back"][1]  # folded forward, head down
    ham = pose_joints("hamstring-stretch")
    assert ham["near_toe"][1] > 0.4 > ham["far_toe"][1]  # one leg raised towards the ceiling
    assert ham["head"][1] < 0.1  # lying down
    rot = pose_joints("childs-pose-rotation")
    assert rot["near_hand"][0] > 0.15 and rot["far_hand"][0] > 0.3  # both hands walked to one side


def test_draw_pose_works_for_each_position_and_rejects_bad_input() -> None:
    ax = _agg_axes()
    draw_pose(ax, "cat-camel", position=1)
    assert ax.get_aspect() == 1.0
    with pytest.raises(ValueError, match=r"position must be between 0 and 1 for 'cat-camel', got 2"):
        draw_pose(_agg_axes(), "cat-camel", position=2)
    with pytest.raises(TypeError, match="position must be a whole number, got True"):
        draw_pose(_agg_axes(), "cat-camel", position=True)
    with pytest.raises(TypeError, match="mirrored must be True or False, got 'yes'"):
        draw_pose(_agg_axes(), "childs-pose", mirrored="yes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="slug must be a technique slug"):
        draw_pose(_agg_axes(), 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="slug: no drawing for 'nope'"):
        pose_joints("nope")


def test_bad_lookups_name_the_problem(course: stretchkit.Course) -> None:
    with pytest.raises(ValueError, match="slug_or_technique: no technique 'nope'"):
        illustration("nope")
    with pytest.raises(TypeError, match="slug_or_technique must be a slug or a Technique, got 42"):
        illustration(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="technique: 'nope' is not in the course"):
        lesson_stem("nope", course)
    with pytest.raises(TypeError, match="technique must be a Technique or a slug"):
        lesson_stem(None)  # type: ignore[arg-type]


# --- an educator's own technique -------------------------------------------------------------


def test_a_technique_without_a_drawing_gets_a_friendly_placeholder(clinic: stretchkit.Course) -> None:
    t = clinic.technique("knee-to-chest")
    fig = illustration("knee-to-chest", clinic)
    page = fig._repr_html_()
    assert "No drawing for this stretch yet" in page and html.escape(t.illustration_alt) in page
    assert "<img" not in page and "<figcaption" in page
    assert repr(fig) == f"Illustration(10-knee-to-chest: no drawing yet)\n{t.illustration_alt}"
    assert illustration("knee-to-chest", clinic)._repr_html_() == page
    svg = pose_svg("knee-to-chest", clinic)
    assert svg.startswith("<svg") and 'role="img"' in svg and "No drawing for this stretch yet" in svg
    ax = _agg_axes()
    draw_pose(ax, "knee-to-chest")
    assert "No drawing" in ax.texts[0].get_text()


def test_bundled_drawings_still_show_in_an_extended_course(clinic: stretchkit.Course) -> None:
    page = illustration("hamstring-stretch", clinic)._repr_html_()
    assert "data:image/svg+xml;base64," in page
    assert pose_svg("cat-camel", clinic).startswith("<svg")


def test_pose_svg_is_inline_ready_markup() -> None:
    svg = pose_svg("childs-pose")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg


# --- the "why stretching helps" diagram -------------------------------------------------------


def test_muscle_groups_link_to_the_stretches_that_target_them(course: stretchkit.Course) -> None:
    names = {t.slug: t.name for t in course.techniques}
    assert stretches_for("Hamstrings", course) == (names["hamstring-stretch"],)
    assert stretches_for("Piriformis (buttock)", course) == (names["piriformis-stretch"],)
    assert stretches_for("Hip", course) == (names["piriformis-stretch"],)
    assert stretches_for("Back muscles", course) == (
        names["childs-pose"],
        names["cat-camel"],
        names["childs-pose-rotation"],
    )
    with pytest.raises(ValueError, match="group: unknown muscle group 'Knees'"):
        stretches_for("Knees", course)


def test_diagram_labels_are_read_from_the_course(clinic: stretchkit.Course, tmp_path: Path) -> None:
    # The clinic's new knee-to-chest stretch targets the lower back, so it joins that label.
    assert stretches_for("Back muscles", clinic)[-1] == "Knee-to-Chest Stretch"
    renamed = tmp_path / "renamed.toml"
    renamed.write_text(
        'extends = "stretchkit"\n[[techniques]]\nslug = "hamstring-stretch"\nname = "Towel Stretch"\n'
    )
    assert "Hamstrings: Towel Stretch" in spine.why_alt(load_course(renamed))


def test_why_diagram_shows_the_committed_svg_with_alt_text(course: stretchkit.Course) -> None:
    fig = why_diagram()
    page = fig._repr_html_()
    assert page == why_diagram(course)._repr_html_()
    assert f'alt="{html.escape(spine.why_alt(course), quote=True)}"' in page
    for t in course.techniques:
        assert t.name in spine.why_alt(course)
    data = re.search(r"base64,([^\"]+)\"", page)
    assert data is not None
    assert base64.b64decode(data.group(1)) == (ASSETS / f"{WHY_STEM}.svg").read_bytes()
    assert repr(fig).startswith(f"Illustration({WHY_STEM}.svg)\nSimplified side view")


def test_muscle_groups_come_from_the_course_and_must_have_a_place_on_the_diagram(tmp_path: Path) -> None:
    path = tmp_path / "knees.toml"
    path.write_text(
        'extends = "stretchkit"\n[[muscle_groups]]\nslug = "knees"\nname = "Knees"\nwords = ["knee"]\n',
        encoding="utf-8",
    )
    course = load_course(path)
    assert spine.why_alt(course).count(":") == 1 and "Knees: " in spine.why_alt(course)
    with pytest.raises(
        stretchkit.ContentError, match="muscle_groups: slug 'knees' has no place on the spine diagram"
    ):
        spine.why_figure(course)


# --- anatomy: learners copy the drawings -------------------------------------------------------

POSES = [(slug, i) for slug, d in drawing._DRAWINGS.items() for i in range(len(d.poses))]
BONE = 0.01  # about half a bone's drawn width, in units of standing height


def _segment_distance(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return float(((p[0] - a[0] - t * dx) ** 2 + (p[1] - a[1] - t * dy) ** 2) ** 0.5)


@pytest.mark.parametrize(("slug", "position"), POSES)
def test_joints_that_rest_on_the_floor_or_chair_touch_it(slug: str, position: int) -> None:
    d = drawing.drawing_for(slug)
    pose = d.poses[position]
    if d.view == "seen from above":
        assert not pose.rests_on  # nothing has a height in a view from above
        return
    assert pose.rests_on, f"{slug}: say which joints rest on the floor or chair"
    points = pose_module.joints(pose)
    for name, _surface in pose.rests_on:
        assert name in points, f"{slug}: no joint {name!r}"
        gap = pose_module.rest_height(pose, name)
        assert -BONE <= gap <= pose_module.REST, f"{slug}: {name} is {gap:+.3f} from its surface"
    lowest = min(y for y in (p[1] for p in points.values()))
    assert lowest >= pose_module.FLOOR - BONE, f"{slug}: a joint sinks {lowest:.3f} into the floor"
    assert points["head"][1] - pose_module.HEAD_R >= pose_module.FLOOR - BONE


def test_childs_pose_kneels_on_the_floor_with_its_forehead_down() -> None:
    rests = dict(pose_module.CHILDS_POSE.rests_on)
    for joint in ("near_knee", "near_ankle", "far_knee", "far_ankle", "near_hand", "far_hand", "head"):
        assert rests[joint] == pose_module.FLOOR


def test_the_hamstring_stretchs_other_foot_is_flat_with_its_knee_bent(course: stretchkit.Course) -> None:
    """The steps say the other foot stays flat on the floor: the drawing shows that, not a straight leg."""
    assert any(
        "other foot stays flat on the floor" in step for step in course.technique("hamstring-stretch").steps
    )
    pose = pose_module.HAMSTRING
    rests = dict(pose.rests_on)
    assert rests["far_ankle"] == rests["far_toe"] == pose_module.FLOOR and "far_knee" not in rests
    j = pose_module.joints(pose)
    assert j["far_knee"][1] > j["far_ankle"][1] + 0.15, "the other knee is bent up"


@pytest.mark.parametrize(("slug", "position"), POSES)
def test_arms_start_at_the_shoulders_clear_of_the_head(slug: str, position: int) -> None:
    pose = drawing.drawing_for(slug).poses[position]
    points = pose_module.joints(pose)
    head = points["head"]
    arms = [names for limb, names in pose_module.bones(pose) if limb.endswith("_arm")]
    assert arms, f"{slug}: no arms drawn"
    for names in arms:
        assert names[0].endswith("_shoulder"), f"{slug}: an arm starts at {names[0]}"
        shoulder = points[names[0]]
        width = pose.shoulder_width / 2
        assert math.dist(shoulder, points["shoulders"]) == pytest.approx(width)
        for a, b in itertools.pairwise(names):
            gap = _segment_distance(head, points[a], points[b])
            assert gap >= pose_module.HEAD_R + BONE, f"{slug}: {a}-{b} runs through the head"


def test_each_strengthening_exercise_is_drawn_for_lesson_01(course: stretchkit.Course) -> None:
    """Lesson 01 shows the committed drawing of each, with its alt text; the bridge in its two
    positions, named as its timer names them."""
    for t in course.strengthening:
        shown = illustration(t.slug, course)
        assert shown.name == f"01-why-stretching-helps-{t.slug}.svg" and shown.svg is not None
        assert shown.alt == t.illustration_alt and "No drawing" not in shown._repr_html_()
    assert figures.panel_count(course.technique("pelvic-tilt")) == 1
    svg = pose_svg("bridge", course)
    assert "Lift and hold (side view)" in svg and "Lower (side view)" in svg
    lifted, lowered = (pose_module.joints(p) for p in drawing.drawing_for("bridge").poses)
    assert lifted["pelvis"][1] > lowered["pelvis"][1] + 0.1  # the hips lifted off the floor
    for name in ("shoulders", "near_ankle", "near_toe"):  # shoulders and feet stay down
        assert dict(pose_module.BRIDGE.rests_on)[name] == pose_module.FLOOR
