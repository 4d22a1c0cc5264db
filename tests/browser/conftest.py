"""Browser fixtures: Debian's Chromium through Playwright, and a page that hosts one
widget ES module with a mock model, served from memory with every request recorded.

Nothing here reaches the network: the page's origin is fake and any request that is
not one of the widget's own files is aborted and listed in ``page.blocked``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.browser.lab import jupyterlab, lab_page
from tests.browser.lite import lite_page, lite_site
from tests.conftest import CHROMIUM

# A real JupyterLab server and pages on it, for any browser test (see tests/browser/lab.py).
# The static JupyterLite site (`make lite`) served on localhost (see tests/browser/lite.py).
__all__ = ["browser", "jupyterlab", "lab_page", "lite_page", "lite_site", "widget_page"]

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "stretchkit" / "static"
ORIGIN = "http://widget.test"
#: The same page at an https address: a secure context, where browsers offer a screen wake lock.
SECURE_ORIGIN = "https://widget.test"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "lab: runs in a real JupyterLab server (slow: about a minute or more)")
    config.addinivalue_line("markers", "lite: runs in the static JupyterLite site (built once: `make lite`)")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    """The one Playwright of this test process: the sync API cannot run two at once in a thread,
    so tests that need a browser of their own (a fake camera) launch it from this one."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Any) -> Iterator[Any]:
    b = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield b
    b.close()


@dataclass
class WidgetPage:
    """A page hosting one widget, with the requests it made."""

    page: Any
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def model(self, key: str) -> Any:
        return self.page.evaluate("k => window.model.get(k)", key)

    def saved(self) -> list[dict[str, Any]]:
        return self.page.evaluate("() => window.model.saved")  # type: ignore[no-any-return]

    def from_python(self, key: str, value: Any) -> None:
        self.page.evaluate("([k, v]) => window.model.fromPython(k, v)", [key, value])


HARNESS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>widget test</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/tokens.css">
<link rel="stylesheet" href="/static/{css}"></head>
<body class="{body_class}"><main id="root"></main>
<script type="module">
import * as mod from "/static/{esm}";
import {{ MockModel }} from "/mock_model.js";
const widget = mod.default ?? mod;
window.model = new MockModel({state});
window.cleanup = await widget.render({{ model: window.model, el: document.getElementById("root") }});
document.body.dataset.ready = "true";
</script></body></html>"""


def front_ends() -> dict[str, tuple[bytes, str]]:
    """What a widget's test page serves besides itself: the package's front ends under /static/
    (not the pose-model/ folder) and the mock model."""
    files = {"/mock_model.js": ((Path(__file__).parent / "mock_model.js").read_bytes(), "text/javascript")}
    for f in (f for f in STATIC.iterdir() if f.is_file()):
        files[f"/static/{f.name}"] = (f.read_bytes(), "text/javascript" if f.suffix == ".js" else "text/css")
    return files


def serve_files(
    page: Any, origin: str, files: dict[str, tuple[bytes, str]], requests: list[str], blocked: list[str]
) -> None:
    """Answer ``page``'s requests to ``origin`` from ``files`` (path: body, type); every request is
    listed in ``requests``, and any other is aborted and listed in ``blocked``."""

    def handle(route: Any) -> None:
        url = route.request.url
        requests.append(url)
        path = url[len(origin) :].split("?")[0] if url.startswith(origin) else None
        if path in files:
            body, kind = files[path]
            route.fulfill(status=200, body=body, content_type=kind)
        else:
            blocked.append(url)
            route.abort()

    page.route("**/*", handle)


@pytest.fixture
def widget_page(browser: Any) -> Iterator[Callable[..., WidgetPage]]:
    """Open a page hosting ``esm`` (a file in stretchkit/static) with a mock model."""
    contexts: list[Any] = []

    def open_page(
        esm: str,
        css: str,
        state: dict[str, Any],
        *,
        fake_clock: bool = True,
        color_scheme: str = "light",
        reduced_motion: str = "no-preference",
        body_class: str = "",
        viewport: dict[str, int] | None = None,
        touch: bool = False,
        secure: bool = False,
        init_script: str = "",
    ) -> WidgetPage:
        """``touch``: a phone or tablet (is_mobile, has_touch); ``secure``: served at https;
        ``init_script``: run before the page's own scripts (stubs of browser APIs)."""
        context = browser.new_context(
            color_scheme=color_scheme,
            reduced_motion=reduced_motion,
            viewport=viewport or {"width": 1280, "height": 720},
            is_mobile=touch,
            has_touch=touch,
        )
        contexts.append(context)
        origin = SECURE_ORIGIN if secure else ORIGIN
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        wp = WidgetPage(page)
        html = HARNESS.format(esm=esm, css=css, state=json.dumps(state), body_class=body_class)
        files = {"/": (html.encode(), "text/html"), **front_ends()}
        serve_files(page, origin, files, wp.requests, wp.blocked)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        if fake_clock:
            page.clock.install(time=0)
        page.goto(origin + "/")
        page.wait_for_selector("body[data-ready=true]", timeout=10_000)
        assert not errors, errors
        return wp

    yield open_page
    for c in contexts:
        c.close()
