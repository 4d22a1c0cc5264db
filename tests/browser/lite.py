"""The course's static JupyterLite site (``make lite``), served on localhost for browser tests.

Fixtures (made available to every browser test through tests/browser/conftest.py):

``lite_site`` (session)
    Builds the site with ``make lite`` unless ``_site/`` is newer than everything it is built
    from (notebooks, the stretchkit package, scripts/lite.py, pyproject.toml), then serves it
    with Python's ``http.server`` on a free 127.0.0.1 port. Every path the browser asked for
    is recorded in :attr:`LiteSite.served`. The build is the slow part (about a minute from
    a clean clone, most of it pip and npm downloads), so it is done once per session.

``lite_page`` (function)
    A fresh Chromium page (its own context) for that site. Every request that is not to the
    site's own host is aborted and listed in :attr:`LitePage.blocked`: the site must need none.
    Every request the page and its workers made is listed in :attr:`LitePage.requests`.

Helpers: :func:`open_in_lite` opens a notebook and waits for the Pyodide kernel to be idle;
:func:`new_notebook` starts a new, empty notebook from the Launcher; :func:`type_and_run` types code into the
last cell and runs it. The cell helpers of tests/browser/lab.py work on JupyterLite's pages too.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.browser.lab import CELL, block_off_host, prompt, wait_for_cell
from tests.browser.lab import _run_menu as run_menu

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("STRETCHKIT_LITE_SITE", ROOT / "_site"))
#: What the site is built from: a change to any of these rebuilds it.
SOURCES = (
    "notebooks", "stretchkit", "assets", "lab/labextensions", "scripts/lite.py", "pyproject.toml", "Makefile",
)  # fmt: skip
#: The Pyodide kernel's first start fetches and unpacks Pyodide and about 20 wheels.
KERNEL_TIMEOUT_MS = 120_000
#: The status bar's kernel item once the Pyodide kernel has started ("Python (Pyodide) | Idle");
#: the toolbar's indicator reads "idle" before the kernel has even connected.
IDLE = re.compile(r"\(Pyodide\) \| Idle")


def _newest_source() -> float:
    newest = 0.0
    for name in SOURCES:
        path = ROOT / name
        files = [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        newest = max([newest, *(p.stat().st_mtime for p in (files if path.is_dir() else [path]))])
    return newest


def site_is_fresh(site: Path = SITE) -> bool:
    stamp = site / "jupyter-lite.json"
    return stamp.is_file() and stamp.stat().st_mtime > _newest_source()


def build_site(site: Path = SITE) -> Path:
    """``make lite`` into ``site``, unless the site there is newer than all it is built from."""
    if not site_is_fresh(site):
        subprocess.run(["make", "lite", f"SITE={site}"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return site


@dataclass
class LiteSite:
    """The static site, served from a thread of this process."""

    url: str  # ends in "/"
    root: Path
    served: list[str] = field(default_factory=list)

    def lab_url(self, path: str = "") -> str:
        return f"{self.url}lab/index.html" + (f"?path={path}" if path else "")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as ``python -m http.server`` does, noting each path asked for in ``site``."""

    site: LiteSite

    def log_message(self, format: str, *args: Any) -> None:
        self.site.served.append(self.path)


@contextlib.contextmanager
def serve_site(root: Path, handler: type[SiteHandler] = SiteHandler) -> Iterator[LiteSite]:
    """Serve ``root`` on a free 127.0.0.1 port with ``handler`` (a :class:`SiteHandler`, or one
    that serves as a particular host would: the benchmarks')."""
    site = LiteSite("", root)
    bound = type(handler.__name__, (handler,), {"site": site})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(bound, directory=root))
    site.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def lite_site() -> Iterator[LiteSite]:
    with serve_site(build_site()) as site:
        yield site


@dataclass
class LitePage:
    page: Any
    site: LiteSite
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def off_host(self) -> list[str]:
        """Requests (attempted or made) that were not to the site's own host."""
        own = (self.site.url, "data:", "blob:")
        return sorted({u for u in [*self.requests, *self.blocked] if not u.startswith(own)})


@contextlib.contextmanager
def new_lite_page(browser: Any, site: LiteSite) -> Iterator[LitePage]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    lp = LitePage(context.new_page(), site)
    block_off_host(context, site.url, lp.blocked)
    context.on("request", lambda request: lp.requests.append(request.url))
    lp.page.on("pageerror", lambda exc: lp.errors.append(str(exc)))
    try:
        yield lp
    finally:
        context.close()


@pytest.fixture
def lite_page(browser: Any, lite_site: LiteSite) -> Iterator[LitePage]:
    with new_lite_page(browser, lite_site) as lp:
        yield lp


def wait_for_idle_kernel(page: Any, timeout_ms: int = KERNEL_TIMEOUT_MS) -> None:
    page.locator(".jp-NotebookPanel").first.wait_for(state="visible", timeout=timeout_ms)
    page.locator(CELL).first.wait_for(state="visible", timeout=timeout_ms)
    page.locator(".jp-StatusBar-Item", has_text=IDLE).first.wait_for(timeout=timeout_ms)


def close_all_tabs(page: Any, timeout_s: float = 30) -> None:
    """File > Close All Tabs, discarding unsaved changes, so the next page load restores none.

    JupyterLite restores the last layout from the browser's storage, and a restored layout
    wins over ``?path=``: without this, the next lesson would not even be opened.
    """
    if "/lab/" not in page.url or not page.locator(".jp-NotebookPanel").count():
        return
    run_menu(page, "application:close-all", menu="File")
    deadline = time.monotonic() + timeout_s
    while page.locator(".jp-NotebookPanel").count():
        discard = page.locator(".jp-Dialog button", has_text="Discard")
        if discard.count():
            discard.first.click()
        if time.monotonic() > deadline:
            raise TimeoutError("the notebooks' tabs did not close")
        time.sleep(0.1)
    page.wait_for_timeout(1500)  # the layout is saved to the browser's storage shortly after


def open_in_lite(lp: LitePage, name: str, *, timeout_ms: int = KERNEL_TIMEOUT_MS) -> None:
    """Open notebook ``name`` of the site's contents (its only tab) and wait until its kernel is idle."""
    close_all_tabs(lp.page)
    lp.page.goto(lp.site.lab_url(name))
    wait_for_idle_kernel(lp.page, timeout_ms)
    current = lp.page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current").all_text_contents()
    assert current == [name], f"opened {current}, not {name}"


def new_notebook(lp: LitePage, *, timeout_ms: int = KERNEL_TIMEOUT_MS) -> None:
    """Open JupyterLite and start a new notebook from its Launcher (kept in the browser's storage)."""
    close_all_tabs(lp.page)
    lp.page.goto(lp.site.lab_url())
    card = lp.page.locator('.jp-LauncherCard[data-category="Notebook"]').first
    card.wait_for(timeout=timeout_ms)
    card.click()
    wait_for_idle_kernel(lp.page, timeout_ms)


def type_and_run(page: Any, code: str, *, timeout_ms: int = 60_000) -> str:
    """Type ``code`` into the last cell, run it with Shift+Enter and return its output text."""
    index = page.locator(CELL).count() - 1
    cell = page.locator(CELL).nth(index)
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.insert_text(code)
    before = prompt(page, index)
    page.keyboard.press("Shift+Enter")
    return wait_for_cell(page, index, timeout_ms=timeout_ms, previous=before)
