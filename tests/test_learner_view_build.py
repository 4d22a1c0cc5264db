"""The learner's view extension: its committed build matches its source, and it ships.

A learner's machine has no node, so the prebuilt extension in lab/labextensions/ is committed;
scripts/learner_view.py stamps each build with hashes of the sources and lock it came from and
of every file it wrote, so a source edited without a rebuild (or a built file edited by hand)
fails here, with neither node nor npm.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.test_scripts import script

learner_view = script("learner_view")

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SHARE = "share/jupyter/labextensions/stretchkit-learner-view"


def test_the_committed_build_matches_its_sources() -> None:
    assert learner_view.check() == []


def test_the_stamp_covers_every_source_and_the_lock() -> None:
    stamp = json.loads(learner_view.STAMP.read_text(encoding="utf-8"))
    assert {"package.json", "package-lock.json", "src/index.js", "style/index.css"} <= set(stamp["sources"])


def test_a_changed_source_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "learner-view"
    for name in learner_view.source_hashes():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_bytes((learner_view.SOURCE / name).read_bytes())
    (copy / "src" / "index.js").write_text("// edited without a rebuild\n", encoding="utf-8")
    monkeypatch.setattr(learner_view, "SOURCE", copy)
    assert learner_view.check() == ["sources: src/index.js differs from the build (run `make learner-view`)"]


def test_it_is_a_prebuilt_extension_for_jupyterlab_4() -> None:
    package = json.loads((learner_view.OUTPUT / "package.json").read_text(encoding="utf-8"))
    assert package["name"] == "stretchkit-learner-view"
    assert (learner_view.OUTPUT / package["jupyterlab"]["_build"]["load"]).is_file()
    shared = package["jupyterlab"]["sharedPackages"]
    # Whatever JupyterLab 4 the host runs: the site's and the lab install's.
    assert shared["@jupyterlab/notebook"]["requiredVersion"] == "^4.2.0"
    assert all(not s["bundled"] and s["singleton"] for s in shared.values())


def test_the_lab_install_ships_every_built_file() -> None:
    """pyproject.toml's data-files put the whole build where JupyterLab finds prebuilt extensions."""
    data_files = PYPROJECT["tool"]["setuptools"]["data-files"]
    shipped = set()
    for target, patterns in data_files.items():
        if target.startswith(SHARE):
            for pattern in patterns:
                shipped |= {(target, p.name) for p in ROOT.glob(pattern)}
    built = {p for p in learner_view.OUTPUT.rglob("*") if p.is_file() and p != learner_view.STAMP}
    folders = {p: f"{SHARE}/{p.relative_to(learner_view.OUTPUT).parent}".removesuffix("/.") for p in built}
    wanted = {(folder, p.name) for p, folder in folders.items()}
    assert wanted == shipped


def test_the_sites_root_opens_the_learners_view(tmp_path: Path) -> None:
    """The root page keeps the config child pages read, and sends the learner to lesson 00's view."""
    lite = script("lite")
    config = '<script id="jupyter-config-data" type="application/json" data-jupyter-lite-root=".">{}</script>'
    page = f"<html>\n  <head>\n    {config}\n    {lite.ROOT_REDIRECT}\n  </head>\n</html>\n"
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    lite.learner_home(tmp_path)
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert config in html
    assert "config-utils" not in html
    assert 'url=notebooks/index.html?path=00-start-here.ipynb"' in html
    assert '<a href="notebooks/index.html?path=00-start-here.ipynb">Start the course</a>' in html
