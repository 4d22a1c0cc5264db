"""`make hub-link`: the class's nbgitpuller link opens lesson 00 of the course on the hub."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
REPO = "https://github.com/acme-physio/stretchkit"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hub_link", ROOT / "scripts" / "hub_link.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["hub_link"] = module
    spec.loader.exec_module(module)
    return module


hub_link = _load()


def test_the_link_has_nbgitpullers_form_and_opens_lesson_00_in_jupyterlab() -> None:
    link = hub_link.nbgitpuller_link("https://hub.example.org", REPO, "main")
    assert link == (
        "https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Facme-physio"
        "%2Fstretchkit&urlpath=lab%2Ftree%2Fstretchkit%2Fnotebooks%2F00-start-here.ipynb&branch=main"
    )
    query = parse_qs(urlsplit(link).query)
    assert query == {
        "repo": [REPO],
        "urlpath": ["lab/tree/stretchkit/notebooks/00-start-here.ipynb"],
        "branch": ["main"],
    }
    # The lesson it opens is the course's first, as the clone will have it.
    assert (ROOT / query["urlpath"][0].removeprefix("lab/tree/stretchkit/")).is_file()


def test_a_hub_under_a_path_keeps_it_and_no_branch_means_the_repositorys_default() -> None:
    link = hub_link.nbgitpuller_link("https://uni.example.edu/jupyter", REPO + "/")
    assert link.startswith("https://uni.example.edu/jupyter/hub/user-redirect/git-pull?repo=")
    query = parse_qs(urlsplit(link).query)
    assert "branch" not in query
    assert query["urlpath"] == ["lab/tree/stretchkit/notebooks/00-start-here.ipynb"]


def test_the_folder_is_the_one_nbgitpuller_clones_into() -> None:
    # nbgitpuller names the folder after the last part of the address, as it is.
    assert hub_link.repo_folder("https://gitlab.example.org/physio/back-course") == "back-course"
    assert hub_link.repo_folder("git://127.0.0.1:9418/stretchkit") == "stretchkit"
    assert hub_link.repo_folder("https://example.org/x/course.git") == "course.git"


@pytest.mark.parametrize(
    ("hub", "words"),
    [
        ("hub.example.org", "HUB must be the hub's address"),
        ("ftp://hub.example.org", "HUB must be the hub's address"),
        ("https://hub.example.org/?next=x", "without ?query"),
        ("", "HUB must be the hub's address"),
    ],
)
def test_a_wrong_hub_address_is_refused_with_what_to_give(hub: str, words: str) -> None:
    with pytest.raises(hub_link.LinkError, match=words.replace("?", r"\?")):
        hub_link.nbgitpuller_link(hub, REPO, "main")


def test_a_local_folder_as_origin_is_refused_since_a_hub_cannot_clone_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(hub_link, "_git", lambda *args: "/srv/course")
    with pytest.raises(hub_link.LinkError, match="REPO=https://"):
        hub_link.default_repo()
    monkeypatch.setattr(hub_link, "_git", lambda *args: REPO + ".git")
    assert hub_link.default_repo() == REPO + ".git"


def test_make_hub_link_prints_the_link() -> None:
    out = subprocess.run(
        ["make", "-s", "hub-link", "HUB=https://hub.example.org", f"REPO={REPO}", "BRANCH=main"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout == hub_link.nbgitpuller_link("https://hub.example.org", REPO, "main") + "\n"


def test_make_hub_link_without_a_hub_says_what_to_give() -> None:
    out = subprocess.run(["make", "-s", "hub-link"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert out.returncode != 0
    assert "HUB must be the hub's address, like https://hub.example.org" in out.stderr
