"""Benchmarks of the static JupyterLite site (``make lite``): a learner's first and second visit, and bytes.

``make bench-lite`` runs only these rows (``python -m bench.run --only lite``). The site is
built with the lessons plus a one-button notebook (the baseline) into .lite/bench-site, served
on 127.0.0.1 with every other host blocked, as a static host over a phone's connection would
serve it (:class:`Link`): gzipped, with a cache lifetime, through one shared link. A cold
visit opens ``/`` in a fresh browser context (nothing cached) and goes on to a notebook in the
learner's view, which runs by itself; a warm visit does the same again in the same context,
its cache kept. The camera check's files are not in a first visit (the site serves them apart
from the course's wheel, fetched when the camera is turned on): their bytes are a row of their
own. On loopback without the link, a cache would save nothing to measure.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bench.common import ROOT, Row
from stretchkit.camera import POSE_FILES, SITE_POSE
from tests.browser.conftest import CHROMIUM_ARGS
from tests.browser.lite import LiteSite, SiteHandler, serve_site
from tests.conftest import CHROMIUM

BENCH_SITE = ROOT / ".lite" / "bench-site"
LESSON = "04-hamstring-stretch"
BASELINE = "bench-one-button.ipynb"
START = ".sk-timer button:text-is('Start'):enabled"
BUTTON = ".widget-button:enabled"
#: Lesson 00's contents link to lesson 04, as a learner taps it.
CONTENTS_LINK = ".jp-RenderedMarkdown a:has-text('Hamstring Stretch')"
VISIT_TIMEOUT_MS = 300_000
GZ_ROW = "Site: bytes of a first visit, gzipped"
LH_ROW = "Site: Lighthouse accessibility"
LIGHTHOUSE = ROOT / "bench" / "lighthouse"
#: The camera check's files: plain files of the site (scripts/lite.py), fetched on switch-on.
CAMERA_PART = "Camera check (pose model, library, wasm in `pose-model/`)"
#: The learner's view pages Lighthouse scores: the home, a technique lesson, the routine.
SCORED = ("00-start-here.ipynb", "04-hamstring-stretch.ipynb", "08-your-routine.ipynb")


@dataclass(frozen=True)
class Link:
    """The connection the site is served over: one link shared by every request."""

    mbit_per_s: float = 9.0
    round_trip_s: float = 0.06
    #: GitHub Pages' cache lifetime for a site's files.
    max_age_s: int = 600

    def describe(self) -> str:
        return f"{self.mbit_per_s:g} Mbit/s, {1000 * self.round_trip_s:g} ms round trip, gzip"


LINK = Link()


@functools.cache
def _gzipped_size(file: Path) -> int:
    return len(gzip.compress(file.read_bytes(), compresslevel=6))


def serve_as_a_host(root: Path, link: Link = LINK) -> contextlib.AbstractContextManager[LiteSite]:
    """Serve ``root`` on 127.0.0.1 as a static host over ``link`` would: each response waits a
    round trip, then its gzipped bytes take their turn on the one link."""
    lock = threading.Lock()
    free_at = [0.0]

    class OverTheLink(SiteHandler):
        def end_headers(self) -> None:
            self.send_header("Cache-Control", f"max-age={link.max_age_s}")
            super().end_headers()

        def copyfile(self, source: Any, outputfile: Any) -> None:
            name = getattr(source, "name", None)  # a directory listing is made in memory
            size = _gzipped_size(Path(name)) if isinstance(name, str) else 0
            seconds = size * 8 / (link.mbit_per_s * 1e6)
            with lock:
                start = max(time.perf_counter() + link.round_trip_s, free_at[0])
                free_at[0] = start + seconds
            time.sleep(max(0.0, start + seconds - time.perf_counter()))
            with contextlib.suppress(ConnectionError):  # a page that moved on no longer wants it
                super().copyfile(source, outputfile)

    return serve_site(root, OverTheLink)


def _notebook(cells: list[str]) -> dict[str, Any]:
    import nbformat

    nb = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]  # type: ignore[no-untyped-call]
    # Tagged as the lessons' navigation cell is, so the learner's view runs it by itself too.
    nb.cells[0].metadata["tags"] = ["nav"]
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


def _view_url(site: LiteSite, name: str) -> str:
    return f"{site.url}notebooks/index.html?path={name}"


def _visit(page: Any, site: LiteSite, target: str) -> float:
    """Seconds from opening ``/`` to a usable ``target`` (lesson 04's Start, or the baseline's button).

    Both go through the course's home first, as a learner arriving at the site does; lesson 04
    is then opened by tapping its link in the contents, the baseline by its address.
    """
    t0 = time.perf_counter()
    page.goto(site.url)
    link = page.locator(CONTENTS_LINK).first
    link.wait_for(timeout=VISIT_TIMEOUT_MS)
    if target == LESSON:
        link.click()
        ready = START
    else:
        page.goto(_view_url(site, target))
        ready = BUTTON
    page.wait_for_selector(ready, timeout=VISIT_TIMEOUT_MS)
    return time.perf_counter() - t0


def _visits(browser: Any, site: LiteSite, target: str, fetched: Callable[[str], None]) -> tuple[float, float]:
    """A cold visit in a fresh context, then a warm one in the same context (its cache kept)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    off_host: list[str] = []

    # Requests are watched, not routed: Playwright turns the browser's HTTP cache off in a
    # context with a route (microsoft/playwright#7220), which made the second visit as cold as
    # the first. The browser tests route and abort; here any request off the host fails the run.
    def watch(request: Any) -> None:
        if not request.url.startswith((site.url, "data:", "blob:")):
            off_host.append(request.url)

    context.on("request", watch)
    cold_requests: list[str] = []
    page = context.new_page()
    page.on("requestfinished", lambda request: cold_requests.append(request.url))
    try:
        cold = _visit(page, site, target)
        for url in cold_requests:
            fetched(url)
        page.close()
        page = context.new_page()
        warm = _visit(page, site, target)
    finally:
        context.close()
    assert not off_host, off_host
    return cold, warm


def _part(path: str) -> str:
    """Which part of the site a served path belongs to (as ``_sizes`` groups the files)."""
    if path.startswith(SITE_POSE):
        return CAMERA_PART
    if path.startswith("static/pyodide/"):
        return "Python wheels (kernel, widgets, course)" if path.endswith(".whl") else "Pyodide runtime"
    if path.startswith("extensions/"):
        return "Lab extensions (widgets, anywidget, kernel, learner view)"
    if path.startswith("files/"):
        return "Lessons (`files/`)"
    return "JupyterLab app (`build/`, pages, settings)"


def _gzip_bytes(site_dir: Path, urls: list[str], site: LiteSite) -> Counter[str]:
    """Bytes of each file the cold visit fetched, gzipped as a static host serves them, by part."""
    out: Counter[str] = Counter()
    seen: set[str] = set()
    for url in urls:
        path = unquote(urlsplit(url).path).lstrip("/")
        file = site_dir / path
        if file.is_dir():
            file = file / "index.html"
        if path in seen or not file.is_file():
            continue
        seen.add(path)
        out[_part(path)] += len(gzip.compress(file.read_bytes(), compresslevel=6))
    return out


def _camera_in_wheel(pyodide: Path) -> list[str]:
    """The camera check's files in the site's copy of the course's wheel: none (scripts/lite.py)."""
    names: list[str] = []
    for wheel in pyodide.glob("stretchkit-*.whl"):
        with zipfile.ZipFile(wheel) as z:
            names += [n for n in z.namelist() if n.startswith("stretchkit/static/pose-model/")]
    return names


def _camera_on_bytes(site_dir: Path) -> int:
    """What turning the camera check on fetches (its files in ``pose-model/``), gzipped as a host serves them.

    Not part of a first visit: the page asks for them only when the learner turns the camera
    on (tests/browser/test_pose_check.py proves it), so they are counted apart.
    """
    return sum(_gzipped_size(site_dir / SITE_POSE / name) for name in POSE_FILES)


def _sizes(site: Path) -> Iterator[tuple[str, int]]:
    """The site's bytes by what they are."""

    def size(paths: Iterator[Path]) -> int:
        return sum(p.stat().st_size for p in paths if p.is_file())

    pyodide = site / "static" / "pyodide"
    wheels = size(pyodide.glob("*.whl"))
    in_wheel = _camera_in_wheel(pyodide)
    if in_wheel:
        raise SystemExit(f"bench: the site's course wheel carries the camera check's files: {in_wheel[:3]}")
    yield "Pyodide runtime (npm `pyodide`: wasm, stdlib)", size(pyodide.iterdir()) - wheels
    yield "Python wheels (kernel, widgets, course; the course's without the pose model)", wheels
    yield CAMERA_PART, size((site / SITE_POSE).rglob("*"))
    yield (
        "JupyterLab app (`build/`, lab, notebooks)",
        size(p for d in ("build", "lab", "notebooks") for p in (site / d).rglob("*")),
    )
    yield "Lab extensions (widgets, anywidget, kernel)", size((site / "extensions").rglob("*"))
    yield "Lessons (`files/`)", size((site / "files").rglob("*"))
    total = size(site.rglob("*"))
    yield "Total", total


def _lighthouse() -> Path:
    """Lighthouse's command, installed from bench/lighthouse's lock on first use."""
    command = LIGHTHOUSE / "node_modules" / ".bin" / "lighthouse"
    if not command.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=LIGHTHOUSE, check=True)
    return command


def lighthouse_accessibility(url: str) -> tuple[float, list[str]]:
    """Lighthouse's accessibility score (0-100, mobile) of ``url``, and the audits that failed."""
    with tempfile.TemporaryDirectory(prefix="stretchkit-lighthouse-") as tmp:
        report = Path(tmp) / "report.json"
        flags = " ".join(["--headless", *CHROMIUM_ARGS])
        subprocess.run(
            [
                str(_lighthouse()),
                url,
                "--only-categories=accessibility",
                "--form-factor=mobile",
                f"--chrome-flags={flags}",
                "--output=json",
                f"--output-path={report}",
                "--quiet",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
        )
        result = json.loads(report.read_text())
    failed = [
        f"{key}: {audit['title']}"
        for key, audit in result["audits"].items()
        if audit.get("scoreDisplayMode") == "binary" and audit.get("score") == 0
    ]
    return 100 * float(result["categories"]["accessibility"]["score"]), failed


def _lighthouse_rows(site_dir: Path) -> list[Row]:
    rows = []
    with serve_site(site_dir) as site:
        for name in SCORED:
            score, failed = lighthouse_accessibility(_view_url(site, name))
            condition = f"`{name}` in the learner's view (mobile)"
            if failed:
                condition += "; failing: " + ", ".join(failed)
            rows.append(
                Row(
                    "Site: Lighthouse accessibility",
                    condition,
                    "",
                    (score,),
                    target="≥ 95",
                    met=score >= 95,
                    ratio=False,
                )
            )
    return rows


def bench_lite(runs: int) -> list[Row]:
    from playwright.sync_api import sync_playwright

    site_dir, _lesson = build_bench_site()
    ours, baseline, ours_warm = [], [], []
    first_visit: list[str] = []
    with serve_as_a_host(site_dir) as site, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for i in range(runs):  # interleaved, each pair in fresh contexts
                keep = first_visit.append if i == 0 else (lambda _url: None)
                cold, warm = _visits(browser, site, LESSON, keep)
                ours.append(cold)
                ours_warm.append(warm)
                baseline.append(_visits(browser, site, BASELINE, lambda _url: None)[0])
        finally:
            browser.close()
        gz = _gzip_bytes(site_dir, first_visit, site)
    ratio = statistics.median(ours) / statistics.median(baseline)
    warm_ratio = statistics.median(ours_warm) / statistics.median(ours)
    rows = [
        Row(
            "Site: a learner's first visit",
            f"open `/` (fresh browser, nothing cached; {LINK.describe()}), tap lesson 04 in the"
            " contents, until its Start is usable (no Run All)",
            "s",
            tuple(ours),
            "the same for a one-button notebook opened in the learner's view",
            tuple(baseline),
            "≤ 1.3×",
            ratio <= 1.3,
        ),
        Row(
            "Site: a learner's second visit",
            "the same again in the same browser (its cache kept)",
            "s",
            tuple(ours_warm),
            "the first visit",
            tuple(ours),
            "≤ 0.5×",
            warm_ratio <= 0.5,
        ),
    ]
    total_gz = sum(gz.values())
    for part, n in gz.most_common():
        rows.append(
            Row(
                "Site: bytes of a first visit, gzipped",
                f"{part} ({100 * n / total_gz:.0f}%)",
                "MB",
                (n / 1e6,),
                ratio=False,
            )
        )
    rows.append(Row(GZ_ROW, "Total", "MB", (total_gz / 1e6,), ratio=False))
    if gz[CAMERA_PART]:
        raise SystemExit(f"bench: a first visit fetched the camera check's files ({gz[CAMERA_PART]} bytes)")
    rows.append(
        Row(
            "Site: bytes when the camera check is turned on, gzipped",
            f"{CAMERA_PART}: fetched from the site only then, never in a first visit",
            "MB",
            (_camera_on_bytes(site_dir) / 1e6,),
            ratio=False,
        )
    )
    rows += _lighthouse_rows(site_dir)
    sizes = dict(_sizes(site_dir))
    total = sizes["Total"]
    for part, n in sizes.items():
        share = "" if part == "Total" else f" ({100 * n / total:.0f}%)"
        rows.append(Row("Site size on disk", part + share, "MB", (n / 1e6,), ratio=False))
    return rows


if __name__ == "__main__":  # a quick look without the table: python -m bench.lite_bench
    for part, n in _sizes(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_site"):
        print(f"{n / 1e6:8.1f} MB  {part}")
