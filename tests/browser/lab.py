"""A real JupyterLab for browser tests, and helpers to drive notebooks in it.

Fixtures (made available to every browser test through ``pytest_plugins`` in conftest.py):

``jupyterlab`` (session)
    Starts ``python -m jupyter lab --no-browser`` from this virtualenv on a free localhost
    port with a random token. Its root folder, workspaces, user settings, config, data,
    runtime and IPython folders, HOME and STRETCHKIT_HOME are all temporary, so nothing
    is read from or written to the real home folder; news and update checks are off.
    Yields a :class:`Lab` (base URL, token, root folder) and stops the server (and its
    kernels) at the end. The server's log is in ``lab.log`` for failure messages.

``lab_page`` (function)
    A fresh Chromium page (its own context) for that server. Requests to any other
    origin are aborted and listed in ``lab_page.blocked`` (JupyterLab itself needs none).

Helpers, each taking a Playwright page:

- :func:`write_notebook` writes a notebook of code cells into the lab's root folder;
- :func:`open_notebook` opens it and waits until its kernel is idle;
- :func:`run_cell` runs one cell (selected by its index) through the Run menu;
- :func:`run_all_cells` runs every cell through the Run menu and waits for them;
- :func:`wait_for_cell` waits until a cell has finished and returns its output text;
- :func:`kernel_state` asks the server's REST API whether the kernel is idle or busy.

``window.jupyterapp`` is not available in a stock JupyterLab, so the helpers work the way
a learner does: menus by their ``data-command`` attributes, cells by their DOM order.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAB_CONFIG = ROOT / "lab" / "jupyter_lab_config.py"
_WORKSPACES = itertools.count(1)
START_TIMEOUT_S = 90
CELL = ".jp-Notebook .jp-Cell"


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab server."""

    url: str  # base URL, ending in "/"
    token: str
    root: Path  # the server's root folder: notebooks written here can be opened
    log: Path

    def lab_url(self, path: str = "") -> str:
        """The JupyterLab page for ``path`` (relative to :attr:`root`), token included.

        Each call names a fresh workspace, so the page shows only this notebook: with one
        shared workspace JupyterLab would restore every notebook opened before as hidden
        tabs, and selectors would find those tabs' cells and widgets too.
        """
        workspace = f"w{next(_WORKSPACES)}"
        return f"{self.url}lab/workspaces/{workspace}/tree/{path}?reset&token={self.token}"

    def api(self, path: str) -> Any:
        """GET a JSON REST endpoint, e.g. ``lab.api("api/kernels")``."""
        request = urllib.request.Request(self.url + path, headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _lab_env(base: Path) -> dict[str, str]:
    """An environment whose per-user Jupyter, IPython and stretchkit folders are all under ``base``."""
    env = dict(os.environ)
    folders = {
        "HOME": "home",
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",
        "JUPYTER_RUNTIME_DIR": "runtime",
        "IPYTHONDIR": "ipython",
        "STRETCHKIT_HOME": "stretchkit-home",
        "MPLCONFIGDIR": "matplotlib",
    }
    for name, sub in folders.items():
        path = base / sub
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    return env


@pytest.fixture(scope="session")
def jupyterlab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with start_lab(tmp_path_factory.mktemp("jupyterlab")) as lab:
        yield lab


@contextlib.contextmanager
def start_lab(base: Path) -> Iterator[Lab]:
    """Run JupyterLab with every per-user folder under ``base`` (the benchmarks use this too)."""
    root = base / "root"
    root.mkdir()
    port, token = free_port(), secrets.token_hex(16)
    log = base / "lab.log"
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        # The course's own lab settings, as `make lab` uses them; the flags below override
        # its folders and address for the test.
        f"--config={LAB_CONFIG}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.workspaces_dir={base / 'workspaces'}",
        f"--LabApp.user_settings_dir={base / 'settings'}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI often run as root
        command.append("--allow-root")
    lab = Lab(f"http://127.0.0.1:{port}/", token, root, log)
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=_lab_env(base),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_up(lab, process)
            yield lab
        finally:
            _stop(process)


def _wait_until_up(lab: Lab, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {process.returncode}:\n{lab.log_tail()}")
        with contextlib.suppress(OSError, urllib.error.URLError, ValueError):
            lab.api("api/status")
            return
        time.sleep(0.25)
    raise RuntimeError(f"JupyterLab did not answer within {START_TIMEOUT_S} s:\n{lab.log_tail()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM lets the server shut its kernels down; kill only this process if it hangs."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@dataclass
class LabPage:
    """A Playwright page on the lab, and any off-server requests it tried to make."""

    page: Any
    lab: Lab
    blocked: list[str] = field(default_factory=list)


@pytest.fixture
def lab_page(browser: Any, jupyterlab: Lab) -> Iterator[LabPage]:
    with _new_lab_page(browser, jupyterlab) as lp:
        yield lp


def block_off_host(context: Any, own: str, blocked: list[str]) -> None:
    """Abort every request of ``context`` that is not to ``own`` (nor data:/blob:), listing it in
    ``blocked``. A pattern (not a Python predicate), so the page's own requests are never intercepted."""

    def block(route: Any) -> None:
        blocked.append(route.request.url)
        route.abort()

    context.route(re.compile(r"^(?!" + re.escape(own) + r"|data:|blob:)"), block)


@contextlib.contextmanager
def _new_lab_page(browser: Any, lab: Lab) -> Iterator[LabPage]:
    """A page for ``lab`` in a context of its own (use it for module-scoped fixtures too)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    lp = LabPage(context.new_page(), lab)
    block_off_host(context, lab.url, lp.blocked)
    try:
        yield lp
    finally:
        context.close()


new_lab_page = _new_lab_page


def write_notebook(lab: Lab, name: str, cells: Sequence[str]) -> Path:
    """Write a notebook of code cells into the lab's root folder, for the python3 kernel."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    path = lab.root / name
    nbformat.write(nb, path)
    return path


def open_notebook(page: Any, lab: Lab, name: str, *, timeout_ms: int = 90_000) -> None:
    """Open notebook ``name`` (relative to the lab root) and wait for its kernel to be idle."""
    page.goto(lab.lab_url(name))
    page.locator(".jp-NotebookPanel").first.wait_for(state="visible", timeout=timeout_ms)
    page.locator(CELL).first.wait_for(state="visible", timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    # JupyterLab adds a long notebook's cells in batches: wait for every one of them, so
    # Run All is never counted against a notebook still being drawn.
    cells = len(json.loads((lab.root / name).read_text(encoding="utf-8"))["cells"])
    while page.locator(CELL).count() < cells:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{name} showed {page.locator(CELL).count()} of its {cells} cells")
        time.sleep(0.1)
    # This notebook's own kernel: the lab is shared by a worker's test files, and another
    # notebook's idle kernel says nothing about whether this one has started.
    while kernel_state(lab, name) != "idle":
        if time.monotonic() > deadline:
            raise TimeoutError(f"the kernel for {name} never became idle:\n{lab.log_tail()}")
        time.sleep(0.2)


def kernel_state(lab: Lab, name: str) -> str:
    """'idle', 'busy', 'starting'... of notebook ``name``'s kernel; 'none' while it has none."""
    for session in lab.api("api/sessions"):
        if session.get("path") == name and session.get("kernel"):
            return str(session["kernel"].get("execution_state", "unknown"))
    return "none"


def _run_menu(page: Any, command: str, menu: str = "Run") -> None:
    page.locator(".lm-MenuBar-item", has_text=menu).first.click()
    item = page.locator(f'.lm-Menu-item[data-command="{command}"]').first
    item.wait_for(state="visible")
    item.click()


def select_cell(page: Any, index: int) -> None:
    """Select cell ``index`` (0-based) in command mode, as a click on its prompt does."""
    cell = page.locator(CELL).nth(index)
    cell.scroll_into_view_if_needed()
    page.keyboard.press("Escape")
    cell.locator(".jp-InputPrompt").click()


def prompt(page: Any, index: int) -> str:
    # textContent, not innerText: off-screen cells have `content-visibility: auto`, and
    # innerText is empty for content the browser has not rendered.
    return str(page.locator(CELL).nth(index).locator(".jp-InputPrompt").text_content()).strip()


def run_cell(page: Any, index: int, *, wait: bool = True, timeout_ms: int = 60_000) -> str:
    """Run cell ``index`` (Run > Run Selected Cell and Do not Advance); return its output if ``wait``."""
    before = prompt(page, index)
    select_cell(page, index)
    _run_menu(page, "notebook:run-cell")
    _wait_until_queued(page, index, before)
    if not wait:
        return ""
    return wait_for_cell(page, index, timeout_ms=timeout_ms, previous=before)


def _wait_until_queued(page: Any, index: int, before: str, *, timeout_ms: int = 20_000) -> None:
    """Wait until cell ``index``'s prompt moves off ``before`` (queued, running or done).

    A notebook whose kernel is still connecting can answer Run with a kernel dialog instead of
    queueing the cell: the dialog is accepted (its default, the notebook's own kernel) and the
    cell run again, as a learner would. Anything else is an error that names what was on screen.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while prompt(page, index) == before:
        dialog = page.locator(".jp-Dialog")
        if dialog.count():
            text = " ".join(str(dialog.first.text_content()).split())
            dialog.first.locator(".jp-mod-accept").first.click()
            dialog.first.wait_for(state="detached")
            if prompt(page, index) == before:
                select_cell(page, index)
                _run_menu(page, "notebook:run-cell")
            if time.monotonic() > deadline:
                raise TimeoutError(f"cell {index} was never queued; the last dialog said: {text}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"cell {index} was never queued (prompt {prompt(page, index)!r}, no dialog)")
        time.sleep(0.05)


def wait_for_cell(page: Any, index: int, *, timeout_ms: int = 60_000, previous: str | None = None) -> str:
    """Wait until cell ``index`` shows an execution count (not ``[*]`` and not ``previous``)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        text = prompt(page, index)
        if "*" not in text and text not in ("[ ]:", "") and text != previous:
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"cell {index} did not finish in {timeout_ms} ms (prompt {text!r})")
        time.sleep(0.1)
    return str(page.locator(CELL).nth(index).locator(".jp-Cell-outputArea").text_content())


def run_all_cells(page: Any, *, timeout_ms: int = 120_000) -> list[str]:
    """Run every cell through Run > Run All Cells and return each code cell's output text.

    Outputs and execution counts are cleared first (as Edit > Clear Outputs of All Cells
    does), so a committed notebook's ``[1]:`` is not mistaken for this run's. Markdown
    cells have no execution count to wait for, so only code cells are awaited.
    """
    _run_menu(page, "editmenu:clear-all", menu="Edit")
    classes = page.locator(CELL).evaluate_all("cells => cells.map(c => c.className)")
    code = [i for i, names in enumerate(classes) if "jp-CodeCell" in names.split()]
    before = {i: prompt(page, i) for i in code}
    _run_menu(page, "runmenu:run-all")
    return [wait_for_cell(page, i, timeout_ms=timeout_ms, previous=before[i]) for i in code]
