"""The maintenance scripts never read or overwrite what a learner keeps beside the lessons."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
# A cell like lesson 08's exports: it writes a file into the notebook's working folder.
WRITES_EXPORT = 'open("my-sessions.csv", "w").write("a learner\'s row")\nprint("saved")'


def script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def learner_folder(tmp_path: Path) -> Path:
    """A lessons folder holding one lesson and a learner's own export."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(WRITES_EXPORT, id="export")
    cell.execution_count = 1
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="saved\n")]
    nb.cells = [nbformat.v4.new_markdown_cell("# A lesson", id="title"), cell]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "01-lesson.ipynb")
    (folder / "my-sessions.csv").write_text("my real sessions")
    return folder


def test_make_notebooks_leaves_a_learners_export_alone(
    learner_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_notebooks = script("run_notebooks")
    monkeypatch.setattr(run_notebooks, "NOTEBOOKS", learner_folder)
    assert run_notebooks.main([]) == 0
    assert (learner_folder / "my-sessions.csv").read_text() == "my real sessions"
    ran = nbformat.read(learner_folder / "01-lesson.ipynb", as_version=4)
    assert ran.cells[1].outputs[0]["text"] == "saved\n"


def test_make_nbval_leaves_a_learners_export_alone(
    learner_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nbval = script("nbval")
    monkeypatch.setattr(nbval, "NOTEBOOKS", learner_folder)
    assert nbval.main(["-q"]) == 0
    assert (learner_folder / "my-sessions.csv").read_text() == "my real sessions"
    assert sorted(p.name for p in learner_folder.iterdir()) == ["01-lesson.ipynb", "my-sessions.csv"]
