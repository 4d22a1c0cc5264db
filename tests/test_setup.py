"""The set-up files agree with each other, so conda/Binder users get what pip users get."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import yaml

import stretchkit
from stretchkit.camera import POSE_FILES
from stretchkit.figures import asset_stem, panel_file

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _conda() -> tuple[dict[str, str], list[str]]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = {}, []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip.extend(dep["pip"])
        else:
            conda[_name(dep)] = dep
    return conda, pip


def test_environment_yml_has_every_runtime_and_lab_dependency() -> None:
    project = _pyproject()["project"]
    conda, pip = _conda()
    from_pip = {_name(r): r for r in pip if r != "-e ."}
    wanted = [*project["dependencies"], *project["optional-dependencies"]["lab"]]
    for req in wanted:
        name = _name(req)
        assert name in conda or name in from_pip, f"environment.yml lacks {req} (pyproject.toml has it)"
        if name in from_pip:
            assert from_pip[name].replace(" ", "") == req.replace(" ", ""), (req, from_pip[name])
    assert "-e ." in pip, "environment.yml must install the course package itself with `-e .`"


def test_environment_yml_pins_match_pyproject() -> None:
    project = _pyproject()["project"]
    conda, _ = _conda()
    reqs = [*project["dependencies"], *project["optional-dependencies"]["lab"]]
    reqs += project["optional-dependencies"]["test"]
    for req in reqs:
        name = _name(req)
        if name in conda:
            spec = req.replace(" ", "")[len(name) :]
            assert conda[name].replace(" ", "").lower().endswith(spec.lower()), (
                f"{name}: pyproject.toml says {spec!r}, environment.yml says {conda[name]!r}"
            )


def test_environment_yml_has_the_test_tools_educators_use() -> None:
    conda, _ = _conda()
    assert {"nbval", "pytest"} <= set(conda)
    python = conda["python"]
    assert python.replace(" ", "") == "python>=" + _pyproject()["project"]["requires-python"].lstrip(">=")


def test_readme_quick_start_is_the_two_make_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^(?:\$ )?(make \w+)\s*$", quick, flags=re.M)
    assert commands == ["make lab", "make test"]


def test_makefile_targets_exist() -> None:
    makefile = (ROOT / "Makefile").read_text()
    for target in ("lab", "test", "notebooks", "bench"):
        assert re.search(rf"^{target}:", makefile, flags=re.M), target
    assert "scripts/nbval.py" in makefile
    script = (ROOT / "scripts" / "nbval.py").read_text()
    commands = "\n".join(
        line for line in (makefile + script).splitlines() if not line.lstrip().startswith("#")
    )
    assert '"--nbval"' in commands and "nbval-lax" not in commands, "notebooks are validated strictly"


def test_the_wheel_builds_without_warnings_and_carries_the_course_files(tmp_path: Path) -> None:
    """pip shows learners no deprecation boxes or "would be ignored" warnings, and an installed
    package has its content and widget files."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-v",
            "--no-deps",
            "-w",
            tmp_path,
            ROOT,
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    log = result.stdout + result.stderr
    for warning in ("Deprecat", "deprecated", "would be ignored", "!!"):
        assert warning not in log, [line for line in log.splitlines() if warning in line][:5]
    (wheel,) = tmp_path.glob("stretchkit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {f"stretchkit/{p.relative_to(ROOT / 'stretchkit')}" for p in (ROOT / "stretchkit").rglob("*")}
    wanted = {n for n in wanted if n.endswith((".py", ".toml", ".js", ".css", ".svg", "py.typed"))}
    assert wanted <= names, sorted(wanted - names)
    pose = {f"stretchkit/static/pose-model/{f}" for f in (*POSE_FILES, "NOTICE.md", "LICENSE-human.txt")}
    assert pose <= names, f"the camera check's files (make pose-model): {sorted(pose - names)}"
    svgs = {n for n in names if n.startswith("stretchkit/illustrations/") and n.endswith(".svg")}
    shipped = {f"stretchkit/illustrations/{p.name}" for p in (ROOT / "assets").glob("*.svg")}
    assert svgs == shipped, f"the wheel carries the lesson illustrations, so nothing redraws them: {svgs}"
    course = stretchkit.load_course()
    for t in (t for p in course.techniques for t in (p, *p.alternatives)):
        stem = asset_stem(t, course)
        assert f"stretchkit/illustrations/{stem}.svg" in svgs, f"{t.slug}'s figure is not in the wheel"
        assert f"stretchkit/illustrations/{panel_file(stem, 0)}" in svgs, f"{t.slug}'s one-position drawing"


def make_targets() -> set[str]:
    out = subprocess.run(["make", "--no-print-directory", "help"], cwd=ROOT, capture_output=True, text=True)
    return {line.split()[1] for line in out.stdout.splitlines() if line.startswith("make ")}


def test_make_help_lists_every_target_the_docs_name() -> None:
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    named = {m for d in docs for m in re.findall(r"(?:`|^)make ([a-z][a-z-]+)", d.read_text(), flags=re.M)}
    assert named, "the README names no make target"
    assert named <= make_targets(), sorted(named - make_targets())


def test_environment_yml_has_nbgitpuller_for_hub_images() -> None:
    # An image built from environment.yml with repo2docker (Zero to JupyterHub, see
    # docs/classroom.md) must open the class's nbgitpuller link, in the hub extra's version.
    _, pip = _conda()
    hub = {_name(r): r for r in _pyproject()["project"]["optional-dependencies"]["hub"]}
    assert hub["nbgitpuller"] in pip
