"""Copied into nbval's temporary lesson folder as its conftest.py by scripts/nbval.py.

Each lesson runs with its own fresh, empty journal (a folder of its own under
STRETCHKIT_HOME), so no lesson sees what another wrote in it, whichever order or worker
(``-n 2``) runs them in: lesson 00 shows a new learner nothing about lessons run before it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: The home nbval.py gave the run; each lesson's journal is a folder inside it.
HOME = os.environ.get("STRETCHKIT_HOME", "")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before a lesson's kernel starts (its first cell's setup), point it at the lesson's own home."""
    if HOME:
        os.environ["STRETCHKIT_HOME"] = str(Path(HOME) / Path(str(item.fspath)).stem)
