"""`make lab` as a learner meets it: the address it prints opens lesson 00, with no pop-up over
it, and the file browser shows the lessons and a folder for the learner's own files, nothing else."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.lab import ROOT, _lab_env, free_port

pytestmark = pytest.mark.lab

URL = re.compile(r"(http://127\.0\.0\.1:\d+/\S+)")


@pytest.fixture(scope="module")
def make_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Run `make lab` (without opening a browser) and yield the address it printed."""
    base = tmp_path_factory.mktemp("make-lab")
    log = base / "make-lab.log"
    args = "LAB_ARGS=--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port_retries=0"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "lab", f"PORT={free_port()}", args],
            cwd=ROOT,
            env=_lab_env(base),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while not (found := URL.findall(log.read_text(errors="replace"))):
            assert process.poll() is None, f"make lab exited:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"make lab printed no address:\n{log.read_text()[-3000:]}"
            time.sleep(0.3)
        yield found[0]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_the_printed_address_opens_lesson_00(make_lab: str, browser: Any) -> None:
    assert "/lab/tree/00-start-here.ipynb?token=" in make_lab, make_lab
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(make_lab)
        title = page.locator(".jp-NotebookPanel:visible h1", has_text="Start here")
        title.first.wait_for(timeout=60_000)
        current = page.locator("#jp-main-dock-panel .lm-TabBar-tab.jp-mod-current .lm-TabBar-tabLabel")
        assert current.first.text_content() == "00-start-here.ipynb"
        # JupyterLab shows its news question shortly after start-up, unless the course's settings say no.
        page.locator(".jp-Notebook .jp-Cell").first.wait_for()
        page.wait_for_timeout(2000)
        assert page.locator(".Toastify__toast").all_text_contents() == []
    finally:
        page.close()


def test_the_file_browser_shows_lessons_and_the_learners_folder(make_lab: str) -> None:
    base, token = make_lab.split("/lab/")[0], make_lab.split("token=")[1]
    with urllib.request.urlopen(f"{base}/api/contents?token={token}") as response:
        names = sorted(item["name"] for item in json.load(response)["content"])
    lessons = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    assert set(lessons) | {"my-files"} <= set(names)
    others = set(names) - set(lessons) - {"my-files"}
    # Whatever a learner saved themselves may be there too, but nothing of the project's machinery.
    assert not {n for n in others if not n.startswith("my-")}, others
    assert Path(ROOT / "notebooks" / "my-files" / "README.md").is_file()
