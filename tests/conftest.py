"""Shared test set-up: an isolated per-user data folder, and the browser-test gate.

Browser tests (under tests/browser) drive Debian's Chromium. Without it they are
skipped with a plain message, except in CI (CI=true), where a missing browser fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("STRETCHKIT_CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
HOW_TO_ENABLE = (
    f"Chromium not found at {CHROMIUM}; install Debian's browser with `sudo apt-get install chromium` "
    "(or set STRETCHKIT_CHROMIUM to its path) to run them"
)


def chromium_available() -> bool:
    return Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch a learner's real journal or quiz history."""
    monkeypatch.setenv("STRETCHKIT_HOME", str(tmp_path_factory.mktemp("stretchkit-home")))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    browser_dir = Path(__file__).parent / "browser"
    for item in items:
        if browser_dir in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
    if chromium_available():
        return
    browser_items = [i for i in items if i.get_closest_marker("browser")]
    if IN_CI and browser_items:
        raise pytest.UsageError(f"CI requires the browser tests, but {HOW_TO_ENABLE}.")
    skip = pytest.mark.skip(reason=f"browser tests skipped: {HOW_TO_ENABLE}")
    for item in browser_items:
        item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    skipped = [
        r for r in terminalreporter.stats.get("skipped", []) if "browser tests skipped" in str(r.longrepr)
    ]
    if skipped:
        terminalreporter.write_line(
            f"NOTE: {len(skipped)} browser tests were skipped. {HOW_TO_ENABLE}.", yellow=True, bold=True
        )
