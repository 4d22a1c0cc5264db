"""The maintenance scripts never read or overwrite what a learner keeps beside the lessons."""

from __future__ import annotations

import importlib.util
import json
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


def test_the_sites_copy_of_a_lesson_joins_every_multiline_string(tmp_path: Path) -> None:
    """The site hands the file's JSON to the page as it is, so the build joins lines as a server would."""
    lite = script("lite")
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("a = 1\nshow(a)", id="c")
    shown = {"text/markdown": "### Get help\n\n- one\n- two", "text/plain": "x\ny"}
    chart = {"application/vnd.vegalite.v5+json": {"a": ["b\n", "c"]}}
    cell.outputs = [
        nbformat.v4.new_output("display_data", data=shown),
        nbformat.v4.new_output("display_data", data=chart),
        nbformat.v4.new_output("stream", name="stdout", text="one\ntwo\n"),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# A\n\ntext", id="m"), cell]
    nbformat.write(nb, tmp_path / "in.ipynb")
    on_disk = json.loads((tmp_path / "in.ipynb").read_text())
    # nbformat writes a multi-line output as a list of lines
    assert isinstance(on_disk["cells"][1]["outputs"][0]["data"]["text/markdown"], list)

    lite.copy_notebook(tmp_path / "in.ipynb", tmp_path / "out.ipynb")
    out = json.loads((tmp_path / "out.ipynb").read_text())
    markdown, code = out["cells"]
    assert markdown["source"] == "# A\n\ntext"
    assert code["source"] == "a = 1\nshow(a)"
    shown_out, chart_out, stream = code["outputs"]
    assert shown_out["data"] == shown
    assert chart_out["data"] == chart  # JSON outputs are data: left alone
    assert stream["text"] == "one\ntwo\n"
    assert nbformat.reads((tmp_path / "out.ipynb").read_text(), as_version=4) == nbformat.read(
        tmp_path / "in.ipynb", as_version=4
    )


def _wheel(path: Path, files: dict[str, bytes]) -> Path:
    """A wheel of ``files`` with a RECORD as a build backend writes it."""
    import zipfile

    lite = script("lite")
    record = "demo-1.0.dist-info/RECORD"
    lines = [f"{n},{lite._record_hash(d)},{len(d)}" for n, d in files.items()] + [f"{record},,"]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
        z.writestr(record, "\n".join(lines) + "\n")
    return path


def test_the_sites_course_wheel_leaves_the_pose_model_out_and_its_record_lists_what_it_keeps(
    tmp_path: Path,
) -> None:
    """The site serves the camera check's files on their own; its wheel must not carry them too."""
    import base64
    import hashlib
    import zipfile

    lite = script("lite")
    kept = {
        "stretchkit/__init__.py": b"x = 1\n",
        "stretchkit/static/camera.js": b"export default {};\n",
        "demo-1.0.dist-info/METADATA": b"Name: demo\n",
    }
    model = {"stretchkit/static/pose-model/movenet-lightning.bin": b"\0" * 1000}
    wheel = _wheel(tmp_path / "demo-1.0-py3-none-any.whl", {**kept, **model})
    out = lite.site_wheel(wheel, tmp_path / "site")
    assert out.name == wheel.name and out.parent == tmp_path / "site"
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        record = z.read("demo-1.0.dist-info/RECORD").decode().splitlines()
        contents = {n: z.read(n) for n in names}
    assert sorted(names) == sorted([*kept, "demo-1.0.dist-info/RECORD"])
    b64 = base64.urlsafe_b64encode
    hashes = {n: b64(hashlib.sha256(d).digest()).rstrip(b"=").decode() for n, d in kept.items()}
    assert sorted(record) == sorted(
        [*(f"{n},sha256={hashes[n]},{len(d)}" for n, d in kept.items()), "demo-1.0.dist-info/RECORD,,"]
    )
    assert all(contents[n] == d for n, d in kept.items())


def test_the_site_serves_the_pose_model_where_the_camera_check_looks(tmp_path: Path) -> None:
    from stretchkit.camera import POSE, POSE_FILES, SITE_POSE

    lite = script("lite")
    assert lite.SITE_POSE == SITE_POSE
    assert lite.POSE_MODEL == POSE
    assert f"stretchkit/{POSE.relative_to(ROOT / 'stretchkit').as_posix()}/" == lite.POSE_IN_WHEEL
    n = lite.copy_pose_model(tmp_path)
    assert {p.name for p in (tmp_path / SITE_POSE).iterdir()} >= {*POSE_FILES, "NOTICE.md"}
    assert n == len(list(POSE.iterdir()))
