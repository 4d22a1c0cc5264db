"""The set-up files agree with each other, so conda/Binder users get what pip users get."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject() -> dict:
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
    commands = "\n".join(line for line in makefile.splitlines() if not line.lstrip().startswith("#"))
    assert "--nbval " in commands and "nbval-lax" not in commands, "notebooks are validated strictly"


def test_package_data_ships_content_and_widgets() -> None:
    data = _pyproject()["tool"]["setuptools"]["package-data"]["stretchkit"]
    assert "data/*.toml" in data and "static/*.js" in data and "static/*.css" in data


def test_environment_yml_has_nbgitpuller_for_hub_images() -> None:
    # An image built from environment.yml with repo2docker (Zero to JupyterHub, see
    # docs/classroom.md) must open the class's nbgitpuller link, in the hub extra's version.
    _, pip = _conda()
    hub = {_name(r): r for r in _pyproject()["project"]["optional-dependencies"]["hub"]}
    assert hub["nbgitpuller"] in pip
