"""Re-execute every lesson notebook in place, top to bottom, as `make notebooks` does.

Runs each lesson with its own fresh, empty per-user data folder (STRETCHKIT_HOME) and a
temporary working folder, so the committed outputs show what a new learner sees and
whatever a learner saved beside the lessons (exports, their own files) is never read or
overwritten. Run-specific metadata is stripped, so re-running without changes leaves the
files as they were.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def run(path: Path, workdir: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(workdir)}},
        store_widget_state=False,
        record_timing=False,
    )
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            # A saved widget view points at a model that only existed in this run (its id is
            # random, and widget state is not stored), so it could never render: keep the
            # readable text/html and text/plain fallback instead. Running the cell in
            # JupyterLab shows the live widget again, and re-running leaves the file as it was.
            output.get("data", {}).pop(WIDGET_VIEW, None)
    nb.metadata.pop("widgets", None)
    nbformat.validate(nb)
    nbformat.write(nb, path)


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    with tempfile.TemporaryDirectory(prefix="stretchkit-run-") as tmp:
        for path in paths:
            # A lesson's own empty journal: lesson 00 never shows what lessons run before it noted.
            os.environ["STRETCHKIT_HOME"] = str(Path(tmp) / "home" / path.stem)
            print(f"running {path.name}", flush=True)
            workdir = Path(tmp) / path.stem
            workdir.mkdir()
            run(path, workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
