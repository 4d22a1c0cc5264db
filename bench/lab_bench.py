"""Benchmarks that need JupyterLab in real Chromium: timer accuracy and time to interactive.

Both start one JupyterLab server (the browser tests' launcher, every per-user folder
temporary) and drive Debian's Chromium through Playwright.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import statistics
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.common import ROOT, Row
from tests.browser.conftest import CHROMIUM_ARGS
from tests.browser.lab import Lab, open_notebook, run_all_cells, start_lab, write_notebook
from tests.conftest import CHROMIUM

# JupyterLab restores earlier runs' tabs from the workspace: only look in the visible one.
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

# Time stamps taken by the page itself when each timer reaches its end.
WATCH = """(max) => {
  window.__t = {};
  const panel = document.querySelector('PANEL');
  const root = panel.querySelector(".sk-timer");
  new MutationObserver(() => {
    if (root.dataset.state === "done" && !window.__t.ours) window.__t.ours = performance.now();
  }).observe(root, { attributes: true, attributeFilter: ["data-state"] });
  // The Play widget is jslinked to an IntText; its value only lives in the input's property.
  const input = panel.querySelector(".play-target input");
  const poll = () => {
    if (Number(input.value) >= max) { window.__t.play = performance.now(); return; }
    setTimeout(poll, 1);
  };
  poll();
}""".replace("PANEL", PANEL)

START_BOTH = """() => {
  const panel = document.querySelector('PANEL');
  const ours = [...panel.querySelectorAll(".sk-timer button")].find(b => b.textContent === "Start");
  const play = [...panel.querySelectorAll(".widget-play button")].find(b => b.offsetParent !== null);
  window.__t.start = performance.now();
  ours.click();
  play.click();
}""".replace("PANEL", PANEL)


@contextlib.contextmanager
def lab_and_browser() -> Iterator[tuple[Lab, Any]]:
    from playwright.sync_api import sync_playwright

    base = Path(tempfile.mkdtemp(prefix="stretchkit-bench-lab-"))
    try:
        with start_lab(base) as lab, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                yield lab, browser
            finally:
                browser.close()
    finally:
        shutil.rmtree(base, ignore_errors=True)


@contextlib.contextmanager
def page_for(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


def _shutdown_kernels(lab: Lab) -> None:
    for session in lab.api("api/sessions"):
        request = urllib.request.Request(
            f"{lab.url}api/sessions/{session['id']}",
            method="DELETE",
            headers={"Authorization": f"token {lab.token}"},
        )
        urllib.request.urlopen(request, timeout=10).close()


# --- 1. timer accuracy ------------------------------------------------------------------------


def _accuracy_cells(seconds: int) -> list[str]:
    return [
        "import ipywidgets as w\n"
        "from stretchkit import StretchTimer, build_plan\n"
        f"plan = build_plan(hold={seconds}, get_ready=0, title='Bench')\n"
        "timer = StretchTimer(plan, sound=False, flash=False)\n"
        # The usual widgets-only timer: a Play widget ticking once a second.
        f"play = w.Play(min=0, max={seconds}, step=1, interval=1000)\n"
        f"target = w.IntText(max={seconds})\n"
        "target.add_class('play-target')\n"
        "w.jslink((play, 'value'), (target, 'value'))\n"
        "w.VBox([timer, w.HBox([play, target])])",
        # The busy condition: a cell that keeps the kernel busy past the end of both timers.
        f"import time\nend = time.time() + {seconds} + 5\nwhile time.time() < end:\n    pass",
    ]


def _one_accuracy_run(lab: Lab, browser: Any, seconds: int, busy: bool, n: int) -> tuple[float, float]:
    name = f"bench-accuracy-{seconds}-{'busy' if busy else 'idle'}-{n}.ipynb"
    write_notebook(lab, name, _accuracy_cells(seconds))
    with page_for(browser) as page:
        open_notebook(page, lab, name)
        panel = page.locator(PANEL)
        panel.locator(".jp-Cell").first.click()
        page.keyboard.press("Shift+Enter")  # run the first cell; the busy cell gets selected
        # Attached, then scrolled into view: notebook windowing may hide off-screen outputs.
        panel.locator(".widget-play").first.wait_for(state="attached", timeout=60_000)
        panel.locator(".sk-timer").scroll_into_view_if_needed()
        page.evaluate(WATCH, seconds)
        if busy:
            page.keyboard.press("Shift+Enter")  # the kernel is now busy for the whole run
            page.wait_for_timeout(500)
        page.locator(f"{PANEL} .sk-timer button:text-is('Start')").wait_for(timeout=30_000)
        page.evaluate(START_BOTH)
        page.wait_for_function("() => window.__t.ours && window.__t.play", timeout=(seconds + 30) * 1000)
        t = page.evaluate("() => window.__t")
    _shutdown_kernels(lab)
    nominal = seconds * 1000
    return abs(t["ours"] - t["start"] - nominal), abs(t["play"] - t["start"] - nominal)


def bench_timer_accuracy(runs: int) -> list[Row]:
    rows = []
    with lab_and_browser() as (lab, browser):
        for seconds in (10, 60):
            for busy in (False, True):
                ours, play = [], []
                for n in range(runs):
                    a, b = _one_accuracy_run(lab, browser, seconds, busy, n)
                    kernel = "busy" if busy else "idle"
                    print(f"  {seconds} s, {kernel}: StretchTimer {a:.1f} ms, Play {b:.1f} ms")
                    ours.append(a)
                    play.append(b)
                condition = f"{seconds} s plan, kernel {'busy (busy-loop cell)' if busy else 'idle'}"
                met = statistics.median(ours) <= 20 and max(ours) <= 50
                rows.append(
                    Row(
                        "Timer accuracy (error at completion)",
                        condition,
                        "ms",
                        tuple(ours),
                        "ipywidgets `Play` countdown",
                        tuple(play),
                        "median ≤ 20 ms, max ≤ 50 ms",
                        met,
                        ratio=False,
                    )
                )
    return rows


# --- 4. lesson time to interactive -------------------------------------------------------------


def _time_to_interactive(lab: Lab, browser: Any, name: str, ready: str) -> float:
    with page_for(browser) as page:
        t0 = time.perf_counter()
        open_notebook(page, lab, name)
        run_all_cells(page)
        page.wait_for_selector(f"{PANEL} {ready}", timeout=120_000)
        elapsed = time.perf_counter() - t0
    _shutdown_kernels(lab)
    return elapsed


def bench_time_to_interactive(runs: int) -> list[Row]:
    lesson = ROOT / "notebooks" / "04-hamstring-stretch.ipynb"
    ours, baseline = [], []
    with lab_and_browser() as (lab, browser):
        for n in range(runs):  # interleaved, fresh kernel each time
            name = f"bench-lesson-{n}.ipynb"
            nb = json.loads(lesson.read_text())
            (lab.root / name).write_text(json.dumps(nb))
            ours.append(_time_to_interactive(lab, browser, name, ".sk-timer button:text-is('Start'):enabled"))
            button = f"bench-button-{n}.ipynb"
            write_notebook(lab, button, ["import ipywidgets\nipywidgets.Button(description='Go')"])
            baseline.append(_time_to_interactive(lab, browser, button, ".widget-button:enabled"))
    ratio = statistics.median(ours) / statistics.median(baseline)
    return [
        Row(
            "Lesson time to interactive",
            "open `04-hamstring-stretch`, Run All, until Start is enabled",
            "s",
            tuple(ours),
            "one `ipywidgets.Button` notebook",
            tuple(baseline),
            "≤ 1.5×",
            ratio <= 1.5,
        )
    ]
