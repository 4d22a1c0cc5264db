"""Benchmarks of the static JupyterLite site (``make lite``): time to interactive and size.

``make bench-lite`` runs only these rows (``python -m bench.run --only lite``). The site is
built with the lessons plus a one-button notebook (the baseline) into .lite/bench-site, served
on 127.0.0.1 with every other host blocked, and each run opens a fresh browser context: a
first visit, with Pyodide, the wheels and the kernel all loaded cold.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.common import ROOT, Row
from tests.browser.conftest import CHROMIUM_ARGS
from tests.browser.lab import _run_menu
from tests.browser.lite import LiteSite, new_lite_page, serve_site, wait_for_idle_kernel
from tests.conftest import CHROMIUM

BENCH_SITE = ROOT / ".lite" / "bench-site"
LESSON = "04-hamstring-stretch"
BASELINE = "bench-one-button.ipynb"
START = ".sk-timer button:text-is('Start'):enabled"
BUTTON = ".widget-button:enabled"


def _notebook(cells: list[str]) -> dict[str, Any]:
    import nbformat

    nb = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]  # type: ignore[no-untyped-call]
    nb.metadata["kernelspec"] = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
    return dict(nb)


def build_bench_site() -> tuple[Path, str]:
    """The site with a one-button notebook beside the lessons; lesson 04 is measured whole."""
    extra = Path(tempfile.mkdtemp(prefix="stretchkit-bench-lite-"))
    (extra / BASELINE).write_text(
        json.dumps(_notebook(["import ipywidgets\nipywidgets.Button(description='Go')"]))
    )
    name = f"{LESSON}.ipynb"
    args = ["--extra-contents", str(extra / BASELINE)]
    subprocess.run(["make", ".venv-lite/.installed"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    lite_python = str(ROOT / ".venv-lite" / "bin" / "python")
    subprocess.run([lite_python, "scripts/lite.py", "--out", str(BENCH_SITE), *args], cwd=ROOT, check=True)
    return BENCH_SITE, name


def _time_to_interactive(browser: Any, site: LiteSite, name: str, ready: str) -> float:
    with new_lite_page(browser, site) as lp:
        page = lp.page
        t0 = time.perf_counter()
        page.goto(site.lab_url(name))
        # Run All only once the kernel has started: a click while it starts can be lost.
        wait_for_idle_kernel(page)
        _run_menu(page, "runmenu:run-all")
        page.wait_for_selector(ready, timeout=180_000)
        elapsed = time.perf_counter() - t0
        assert not lp.off_host(), lp.off_host()
    return elapsed


def _camera_bytes(pyodide: Path) -> int:
    """The bytes the camera check's files (scripts/pose_model.py) add to the course's wheel, compressed."""
    total = 0
    for wheel in pyodide.glob("stretchkit-*.whl"):
        with zipfile.ZipFile(wheel) as z:
            total += sum(
                i.compress_size
                for i in z.infolist()
                if i.filename.startswith("stretchkit/static/pose-model/")
            )
    return total


def _sizes(site: Path) -> Iterator[tuple[str, int]]:
    """The site's bytes by what they are."""

    def size(paths: Iterator[Path]) -> int:
        return sum(p.stat().st_size for p in paths if p.is_file())

    pyodide = site / "static" / "pyodide"
    wheels = size(pyodide.glob("*.whl"))
    yield "Pyodide runtime (npm `pyodide`: wasm, stdlib)", size(pyodide.iterdir()) - wheels
    yield "Python wheels (kernel, widgets, course)", wheels
    yield (
        "of which the camera check (pose model, library, wasm; compressed in the course's wheel)",
        _camera_bytes(pyodide),
    )
    yield (
        "JupyterLab app (`build/`, lab, notebooks)",
        size(p for d in ("build", "lab", "notebooks") for p in (site / d).rglob("*")),
    )
    yield "Lab extensions (widgets, anywidget, kernel)", size((site / "extensions").rglob("*"))
    yield "Lessons (`files/`)", size((site / "files").rglob("*"))
    total = size(site.rglob("*"))
    yield "Total", total


def bench_lite(runs: int) -> list[Row]:
    from playwright.sync_api import sync_playwright

    site_dir, name = build_bench_site()
    ours, baseline = [], []
    with serve_site(site_dir) as site, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for _ in range(runs):  # interleaved
                ours.append(_time_to_interactive(browser, site, name, START))
                baseline.append(_time_to_interactive(browser, site, BASELINE, BUTTON))
        finally:
            browser.close()
    ratio = statistics.median(ours) / statistics.median(baseline)
    condition = f"open `{LESSON}` in the site, Run All, until Start is enabled"
    rows = [
        Row(
            "Site time to interactive",
            condition,
            "s",
            tuple(ours),
            "one `ipywidgets.Button` notebook in the same site",
            tuple(baseline),
            "≤ 1.3×",
            ratio <= 1.3,
        )
    ]
    sizes = dict(_sizes(site_dir))
    total = sizes["Total"]
    for part, n in sizes.items():
        share = "" if part == "Total" else f" ({100 * n / total:.0f}%)"
        rows.append(Row("Site size", part + share, "MB", (n / 1e6,), ratio=False))
    return rows


if __name__ == "__main__":  # a quick look without the table: python -m bench.lite_bench
    for part, n in _sizes(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_site"):
        print(f"{n / 1e6:8.1f} MB  {part}")
