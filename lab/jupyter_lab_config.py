"""JupyterLab settings for following the course: `make lab` uses them, and so does
`jupyter lab --config=lab/jupyter_lab_config.py` from the course folder (no make needed).

The server's root is the lessons folder, the address it prints opens lesson 00, and the
lab stays offline and quiet: no extension-manager calls to PyPI, no news pop-up, no update
checks (the news setting itself is in settings/overrides.json).
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent
c = get_config()  # type: ignore[name-defined]  # noqa: F821 (provided by Jupyter's config loader)

c.ServerApp.root_dir = str(HERE.parent / "notebooks")
c.LabApp.default_url = "/lab/tree/00-start-here.ipynb"
c.LabApp.app_settings_dir = str(HERE / "settings")
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
c.LabApp.extension_manager = "readonly"
# The learner's view extension (lab/learner-view/, committed built in lab/labextensions/): an
# editable install (`pip install -e`, as `make lab` does) skips pyproject's data-files, so
# JupyterLab is pointed at the committed build; a wheel install puts it in share/jupyter too.
c.LabApp.extra_labextensions_path = [str(HERE / "labextensions")]
