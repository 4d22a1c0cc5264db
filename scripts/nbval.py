"""Validate the lessons with strict nbval, as `make nbval` and the benchmarks do.

The notebooks are copied into a temporary folder and run there, each with a fresh, empty
journal of its own (STRETCHKIT_HOME; see nbval_conftest.py), so the committed outputs are
compared with what a new learner sees in any order, and nothing a learner saved beside
the lessons (exports, their own notebooks) is read or overwritten. Extra arguments go to
pytest (e.g. ``-n 2``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SANITIZE = ROOT / "tests" / "nbval-sanitize.cfg"
# Plugins the notebooks do not use are left out: they cost more start-up time than the cells take.
PYTEST = ["-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:anyio"]


def command(folder: Path, extra: list[str]) -> list[str]:
    sanitize = ["--nbval-sanitize-with", str(SANITIZE)]
    return [sys.executable, "-m", "pytest", *PYTEST, "--nbval", str(folder), *sanitize, *extra]


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="stretchkit-nbval-") as tmp:
        lessons, home = Path(tmp) / "notebooks", Path(tmp) / "home"
        lessons.mkdir()
        for path in sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")):
            shutil.copy2(path, lessons / path.name)
        shutil.copy2(Path(__file__).with_name("nbval_conftest.py"), lessons / "conftest.py")
        env = {**os.environ, "STRETCHKIT_HOME": str(home)}
        # Run from the copy: pytest's rootdir and its cache stay out of the learner's folder.
        return subprocess.run(command(lessons, argv), cwd=tmp, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
