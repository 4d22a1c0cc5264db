"""The course as a learner meets it in JupyterLab: open a lesson, run it, use its widgets, check it.

The checks are plain functions that raise ``AssertionError`` with a readable message, so the
suite (tests/browser/test_course.py) and the test of the test (test_suite_catches.py) use the
very same code: a check that passes on the real lessons must fail on a broken one.

What the helpers need from JupyterLab 4's DOM (checked against 4.6):

- code cells are ``.jp-Notebook .jp-CodeCell``; the prompt reads ``[ ]:``, ``[*]:`` or ``[3]:``.
  Off-screen cells are skipped by ``content-visibility``, so text is read with ``textContent``
  (``innerText`` is empty there);
- a traceback or a warning is an output with ``data-mime-type="application/vnd.jupyter.stderr"``;
- a widget view is an output with no ``data-mime-type``; a widget module that fails to load shows
  ``.jupyter-widgets-error-widget``, and one that throws in ``render`` leaves its view empty.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import nbformat

from stretchkit import Phase, Plan, Routine, RoutineItem, Technique, load_course
from stretchkit.check import FALLBACK as CHECK_FALLBACK
from stretchkit.practice import ROUTINE_FILE
from tests.browser.lab import Lab, new_lab_page, select_cell

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
SCREENSHOTS = ROOT / "test-output" / "screenshots"

CODE_CELL = ".jp-Notebook .jp-CodeCell"
OUTPUT = ".jp-OutputArea-output"
STDERR = '[data-mime-type="application/vnd.jupyter.stderr"], [data-mime-type="application/vnd.jupyter.error"]'
WIDGET_OUTPUT = f"{OUTPUT}:not([data-mime-type])"
ERROR_WIDGET = ".jupyter-widgets-error-widget"

#: The root element each of the course's widgets draws: its live DOM.
TIMER, QUIZ, CHECK = ".sk-timer", ".sk-quiz", ".sk-check"
BUILDER, SESSION = ".stretchkit-routine-builder", ".stretchkit-guided-session"
CHECKLIST = ".sk-checklist"
WIDGET_ROOTS = (TIMER, QUIZ, CHECK, BUILDER, SESSION, CHECKLIST)
#: A widget view counts as live when it holds one of these (ipywidgets draw ``.jupyter-widgets``).
LIVE = ", ".join([TIMER, QUIZ, CHECK, CHECKLIST, ".sk-camera", f".jupyter-widgets:not({ERROR_WIDGET})"])

#: What a widget shows where it cannot render: its text repr, or its static HTML fallback.
FALLBACK_REPR = re.compile(
    r"^(StretchTimer|BreakReminder|Quiz|RoutineBuilder|GuidedSession|HabitChecklist)\("
)
FALLBACK_HTML = ".stretchkit-timer-static, .sk-quiz-fallback"
FALLBACK_TEXT = (CHECK_FALLBACK[:40], "(interactive in JupyterLab)")

#: Impacts that fail the accessibility check.
SERIOUS = ("serious", "critical")


# --- the lab and its notebooks -------------------------------------------------------------------


def lab_home(lab: Lab) -> Path:
    """The lab's STRETCHKIT_HOME (see lab.py's ``_lab_env``): its journal lives here."""
    return lab.root.parent / "stretchkit-home"


def lab_journal(lab: Lab) -> Path:
    from stretchkit.journal import FILENAME

    return lab_home(lab) / FILENAME


def warm_matplotlib(lab: Lab) -> None:
    """Build the lab's matplotlib font cache now, so no lesson prints "building the font cache"."""
    env = {**os.environ, "MPLCONFIGDIR": str(lab.root.parent / "matplotlib")}
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env, check=True, timeout=120)


def copy_fresh(source: Path, lab: Lab, name: str | None = None) -> Path:
    """Copy a notebook into the lab with its outputs cleared, so every cell runs fresh."""
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    target = lab.root / (name or source.name)
    nbformat.write(nb, target)
    return target


def code_sources(path: Path) -> list[str]:
    """The source of each code cell, in the order JupyterLab shows them."""
    nb = nbformat.read(path, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code"]


def code_index(path: Path, contains: str) -> int:
    """The index (among code cells) of the one cell whose source contains ``contains``."""
    found = [i for i, source in enumerate(code_sources(path)) if contains in source]
    if len(found) != 1:
        raise LookupError(f"{path.name}: {len(found)} code cells contain {contains!r}")
    return found[0]


def _rest(lab: Lab, method: str, path: str) -> Any:
    request = urllib.request.Request(
        lab.url + path, method=method, headers={"Authorization": f"token {lab.token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
    return json.loads(body) if body else None


def session_for(lab: Lab, name: str) -> dict[str, Any] | None:
    """The server's session (notebook + kernel) for notebook ``name``, if it has one."""
    sessions: list[dict[str, Any]] = _rest(lab, "GET", "api/sessions")
    return next((s for s in sessions if s.get("path") == name), None)


def kernel_busy(lab: Lab, kernel_id: str) -> bool:
    kernel: dict[str, Any] = _rest(lab, "GET", f"api/kernels/{kernel_id}")
    return kernel.get("execution_state") != "idle"


def wait_for_kernel(lab: Lab, name: str, timeout_s: float = 90) -> str:
    """Wait until notebook ``name`` has a kernel and it is idle; return the kernel's id."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        session = session_for(lab, name)
        if session and session["kernel"].get("execution_state") == "idle":
            return str(session["kernel"]["id"])
        time.sleep(0.2)
    raise TimeoutError(f"{name}: no idle kernel within {timeout_s:.0f} s\n{lab.log_tail()}")


# --- a lesson open in a page ---------------------------------------------------------------------


@dataclass
class Lesson:
    """A notebook open in JupyterLab, with everything its page asked the network for."""

    name: str
    page: Any
    lab: Lab
    kernel: str = ""
    requests: list[str] = field(default_factory=list)  # every URL, web sockets included
    blocked: list[str] = field(default_factory=list)  # off-server requests lab.py aborted
    page_errors: list[str] = field(default_factory=list)  # uncaught exceptions in the page

    def code_cell(self, index: int) -> Any:
        return self.page.locator(CODE_CELL).nth(index)


@contextlib.contextmanager
def open_lesson(browser: Any, lab: Lab, name: str) -> Iterator[Lesson]:
    """Open notebook ``name`` in a fresh page and wait for its kernel; shut the kernel down after.

    Each opens with the course's routine: the routine an earlier test left kept for its learner
    (lesson 08's builder keeps it beside the journal, for the next visit) is put away first."""
    (lab_home(lab) / ROUTINE_FILE).unlink(missing_ok=True)
    with new_lab_page(browser, lab) as lp:
        lesson = Lesson(name, lp.page, lab, blocked=lp.blocked)
        lp.page.on("request", lambda r: lesson.requests.append(r.url))
        lp.page.on("websocket", lambda ws: lesson.requests.append(ws.url))
        lp.page.on("pageerror", lambda exc: lesson.page_errors.append(str(exc)))
        try:
            # A workspace of its own, reset: JupyterLab must not reopen the previous lesson too.
            workspace = f"course-{secrets.token_hex(4)}"
            lp.page.goto(f"{lab.url}lab/workspaces/{workspace}/tree/{name}?reset&token={lab.token}")
            lp.page.locator(CODE_CELL).first.wait_for(state="attached", timeout=90_000)
            lesson.kernel = wait_for_kernel(lab, name)
            # Close the file browser, as a learner might: the lesson gets the whole width.
            open_tab = lp.page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
            if open_tab.count():
                open_tab.first.click()
            yield lesson
        finally:
            session = session_for(lab, name)
            if session is not None:
                _rest(lab, "DELETE", f"api/sessions/{session['id']}")


def prompts(page: Any) -> list[str]:
    """Each code cell's prompt text: '[ ]:', '[*]:' or '[3]:'."""
    texts: list[str] = page.locator(f"{CODE_CELL} .jp-InputPrompt").evaluate_all(
        "els => els.map(e => e.textContent.trim())"
    )
    return texts


def _ran(prompt: str) -> bool:
    return re.fullmatch(r"\[\d+\]:", prompt) is not None


def run_menu(page: Any, command: str) -> None:
    """Click Run in the menu bar, then the item for ``command`` (e.g. 'runmenu:run-all')."""
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    item = page.locator(f'.lm-Menu-item[data-command="{command}"]').first
    item.wait_for(state="visible")
    item.click()


def run_all(lesson: Lesson, timeout_s: float = 180) -> list[str]:
    """Run ▸ Run All Cells, and wait until every cell ran or the run stopped (at an error).

    Returns the prompts; the checks below say what went wrong, so this never fails by itself.
    """
    page, lab = lesson.page, lesson.lab
    count = len(prompts(page))
    run_menu(page, "runmenu:run-all")
    deadline = time.monotonic() + timeout_s
    settled_since: float | None = None
    while time.monotonic() < deadline:
        now = prompts(page)
        if any("*" in p for p in now) or kernel_busy(lab, lesson.kernel):
            settled_since = None
        elif all(_ran(p) for p in now) and len(now) == count:
            return now
        elif any(_ran(p) for p in now):  # stopped part way: give the prompts a moment to settle
            settled_since = settled_since or time.monotonic()
            if time.monotonic() - settled_since > 1.5:
                return now
        time.sleep(0.2)
    raise TimeoutError(f"{lesson.name}: Run All did not finish in {timeout_s:.0f} s: {prompts(page)}")


def run_cell(lesson: Lesson, index: int, timeout_s: float = 60) -> None:
    """Run code cell ``index`` again (select it, Run ▸ Run Selected Cell and Do not Advance)."""
    page = lesson.page
    before = prompts(page)[index]
    select_cell(page, _cell_position(page, index))
    run_menu(page, "notebook:run-cell")
    deadline = time.monotonic() + timeout_s
    now = before
    while time.monotonic() < deadline:
        now = prompts(page)[index]
        if _ran(now) and now != before and not kernel_busy(lesson.lab, lesson.kernel):
            return
        time.sleep(0.1)
    raise TimeoutError(f"{lesson.name}: code cell {index} did not run again (prompt {now!r})")


def _cell_position(page: Any, code_index: int) -> int:
    """The position among all cells (what lab.select_cell takes) of code cell ``code_index``."""
    position: int = page.locator(".jp-Notebook .jp-Cell").evaluate_all(
        "(els, i) => els.indexOf(els.filter(e => e.classList.contains('jp-CodeCell'))[i])", code_index
    )
    return position


# --- checks ---------------------------------------------------------------------------------------


def _excerpt(text: str, limit: int = 400) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + " ..."


def check_no_errors(page: Any) -> None:
    """Every code cell ran, and no output is a traceback, a warning or anything else on stderr."""
    problems = []
    cells = page.locator(CODE_CELL)
    for i, prompt in enumerate(prompts(page)):
        cell = cells.nth(i)
        first_line = str(
            cell.locator(".jp-InputArea-editor .cm-line").evaluate_all("els => els[0]?.textContent ?? ''")
        )
        where = f"code cell {i} ({_excerpt(first_line, 60)!r})"
        if not _ran(prompt):
            problems.append(f"{where} did not run (prompt {prompt!r})")
        for text in cell.locator(f"{OUTPUT}:is({STDERR})").evaluate_all("els => els.map(e => e.textContent)"):
            problems.append(f"{where} wrote to stderr:\n{_excerpt(text)}")
    assert not problems, "errors in the notebook:\n" + "\n".join(problems)


def widget_outputs(scope: Any) -> list[dict[str, Any]]:
    """What each widget view in ``scope`` shows: live roots, error widgets, and its text.

    Outputs shown inside an ipywidgets ``Output`` (a chart in the journal view) are that
    widget's content, not widget views of their own.
    """
    found: list[dict[str, Any]] = scope.locator(WIDGET_OUTPUT).evaluate_all(
        """(els, live) => els.filter(e => !e.parentElement.closest('.jupyter-widgets')).map(e => ({
            live: !!e.querySelector(live),
            error: !!e.querySelector('.jupyter-widgets-error-widget'),
            text: e.textContent.trim().slice(0, 200),
        }))""",
        LIVE,
    )
    return found


def text_fallbacks(scope: Any) -> list[str]:
    """Outputs in ``scope`` that show a widget's text repr or static fallback instead of the widget."""
    found: list[str] = scope.locator(f"{OUTPUT}[data-mime-type]").evaluate_all(
        """(els, [reprPattern, htmlSelector, phrases]) => els.flatMap(e => {
            const text = e.textContent.trim();
            const repr = new RegExp(reprPattern);
            const hit = (e.dataset.mimeType === 'text/plain' && repr.test(text))
                || !!e.querySelector(htmlSelector) || phrases.some(p => text.includes(p));
            return hit ? [text.slice(0, 200)] : [];
        })""",
        [FALLBACK_REPR.pattern, FALLBACK_HTML, list(FALLBACK_TEXT)],
    )
    return found


def check_widgets_render(
    scope: Any, expected: Mapping[str, int] | None = None, *, timeout_s: float = 30
) -> None:
    """Every widget in ``scope`` renders as a live widget, not as text, an error or an empty box.

    ``expected`` maps a widget root selector to how many must be drawn (e.g. ``{TIMER: 1}``).
    Widget modules load asynchronously, so this waits up to ``timeout_s`` for them.
    """
    expected = dict(expected or {})
    deadline = time.monotonic() + timeout_s
    while True:
        outputs = widget_outputs(scope)
        counts = {sel: scope.locator(sel).count() for sel in expected}
        fallbacks = text_fallbacks(scope)
        problems = [f"shows a text fallback instead of a widget: {t!r}" for t in fallbacks]
        for o in outputs:
            if o["error"]:
                problems.append(f"a widget failed to load (error widget): {o['text']!r}")
            elif not o["live"]:
                problems.append(f"a widget view stayed empty or lifeless: {o['text']!r}")
        problems += [
            f"expected {n} live {sel} but found {counts[sel]}"
            for sel, n in expected.items()
            if counts[sel] != n
        ]
        if expected and not outputs:
            problems.append("no widget outputs at all")
        if not problems:
            return
        if time.monotonic() > deadline or fallbacks or any(o["error"] for o in outputs):
            raise AssertionError("widgets do not render:\n" + "\n".join(problems))
        time.sleep(0.25)


def check_no_page_errors(lesson: Lesson) -> None:
    assert not lesson.page_errors, "uncaught errors in the page:\n" + "\n".join(lesson.page_errors)


def check_no_popups(page: Any) -> None:
    """No notification covers the lesson (JupyterLab asks about its news unless told not to)."""
    toasts = page.locator(".Toastify__toast").all_text_contents()
    assert not toasts, f"a pop-up covers the lesson: {toasts}"


def check_local_requests(requests: Iterable[str], lab: Lab, blocked: Sequence[str] = ()) -> None:
    """Every request went to the lab's own server (or was a data:/blob: URL); none was blocked."""
    http = lab.url
    ws = "ws" + http.removeprefix("http")
    outside = [u for u in requests if not u.startswith((http, ws, "data:", "blob:"))]
    problems = [f"request left localhost: {u}" for u in dict.fromkeys(outside)]
    problems += [f"request blocked (it left the lab's server): {u}" for u in dict.fromkeys(blocked)]
    assert not problems, "\n".join(problems)


def axe_violations(page: Any, selectors: Sequence[str]) -> list[dict[str, Any]]:
    """axe-core's violations inside the elements matching ``selectors`` (JupyterLab's chrome is out)."""
    from axe_playwright_python.sync_playwright import Axe

    present = [s for s in selectors if page.locator(s).count()]
    if not present:
        return []
    page.evaluate(Axe().axe_script)
    result: dict[str, Any] = page.evaluate(
        "([include, options]) => axe.run({ include }, options)",
        [[[s] for s in present], {"resultTypes": ["violations"]}],
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe_violations(violations: Iterable[Mapping[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:5]:
            summary = " ".join(str(node.get("failureSummary", "")).split())
            lines.append(f"    {', '.join(map(str, node['target']))}: {_excerpt(summary, 240)}")
    return "\n".join(lines)


#: Text under 16 px and controls under 44 x 44 px inside the widgets matching ``roots``. A check
#: box's or radio button's target is its label (which ticks it too); a link inside a sentence is
#: text; drawings (SVG) and text kept for screen readers only are not body text.
SMALL_IN_WIDGETS = """(roots) => {
  const out = [];
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const unread = (el) => el.closest('svg, .sk-visually-hidden, [aria-hidden="true"]');
  const name = (el) => (el.getAttribute('aria-label') || el.textContent || el.value || el.localName).trim();
  const widgets = roots.split(', ').flatMap((s) => [...document.querySelectorAll(s)].map((el) => [s, el]));
  for (const [where, root] of widgets) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!n.textContent.trim() || !el || unread(el) || !shown(el)) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < 16) out.push(`${where}: text at ${size} px: ${n.textContent.trim().slice(0, 50)}`);
    }
    const controls = 'button, a[href], select, textarea, summary, input:not([type="hidden"])';
    for (const control of root.querySelectorAll(controls)) {
      if (!shown(control) || unread(control)) continue;
      const inline = control.localName === 'a' && getComputedStyle(control).display === 'inline'
        && control.parentElement.textContent.trim().length > control.textContent.trim().length;
      if (inline) continue;
      const label = control.matches('[type="checkbox"], [type="radio"]') && control.labels?.[0];
      const box = (label && shown(label) ? label : control).getBoundingClientRect();
      if (box.width < 44 || box.height < 44) {
        const size = `${Math.round(box.width)}x${Math.round(box.height)} px`;
        out.push(`${where}: ${control.localName} "${name(control).slice(0, 40)}" is ${size}`);
      }
    }
  }
  return [...new Set(out)];
}"""


def too_small(page: Any, roots: Sequence[str]) -> list[str]:
    """What is too small to read or tap inside the widgets matching ``roots`` (see SMALL_IN_WIDGETS)."""
    found: list[str] = page.evaluate(SMALL_IN_WIDGETS, ", ".join(roots))
    return found


def check_accessibility(page: Any, selectors: Sequence[str] = WIDGET_ROOTS) -> None:
    """No serious or critical axe-core violation inside the course's widgets."""
    bad = [v for v in axe_violations(page, selectors) if v.get("impact") in SERIOUS]
    assert not bad, "accessibility violations inside the course's widgets:\n" + describe_violations(bad)


def shortcut_leaks(page: Any, root: str) -> list[str]:
    """Controls in ``root`` where ArrowDown or "b" reach JupyterLab's notebook shortcuts.

    In command mode JupyterLab binds plain keys (ArrowDown: next cell, B: insert a cell) to
    any focused element that is not a text field, unless the focused element itself carries
    ``data-lm-suppress-shortcuts``. A leak moves the learner's focus out of the widget.
    """
    leaks = []
    controls = page.locator(root).first.locator(
        "button:not([disabled]), input:not([disabled]), select, a[href]"
    )
    for i in range(controls.count()):
        control = controls.nth(i)
        if not control.is_visible():
            continue
        label = _excerpt(str(control.evaluate("e => e.outerHTML")), 120)
        cells = page.locator(".jp-Notebook .jp-Cell").count()
        for key in ("ArrowDown", "b"):
            control.focus()
            page.keyboard.press(key)
            inside = page.evaluate("r => !!document.activeElement?.closest(r)", root)
            if not inside or page.locator(".jp-Notebook .jp-Cell").count() != cells:
                leaks.append(f"{key} on {label}")
                page.keyboard.press("Escape")
                break
    return leaks


# --- the whole notebook on screen ----------------------------------------------------------------


@contextlib.contextmanager
def whole_notebook_in_view(page: Any, width: int = 1280, limit: int = 16_000) -> Iterator[None]:
    """Make the window as tall as the notebook, so every cell is laid out and painted."""
    size = page.viewport_size
    outer = page.locator(".jp-NotebookPanel .jp-WindowedPanel-outer").first
    scroll, client = outer.evaluate("e => [e.scrollHeight, e.clientHeight]")
    page.set_viewport_size({"width": width, "height": min(limit, size["height"] - client + scroll + 40)})
    outer.evaluate("e => e.scrollTo(0, 0)")
    page.wait_for_timeout(600)  # layout, content-visibility and the widgets' redraw
    try:
        yield
    finally:
        page.set_viewport_size(size)


def _choose_theme(page: Any, theme: str, light: bool) -> None:
    """Settings ▸ Theme ▸ <theme>, as a learner picks it, then wait until JupyterLab has switched."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Settings").click()
    page.locator(".lm-Menu-itemLabel", has_text="Theme").first.hover()
    page.locator(".lm-Menu-itemLabel").filter(has_text=re.compile(rf"^{re.escape(theme)}$")).click()
    page.wait_for_selector(f'body[data-jp-theme-light="{str(light).lower()}"]', state="attached")
    page.wait_for_timeout(600)  # the theme's stylesheet, then the widgets' redraw


@contextlib.contextmanager
def dark_theme(page: Any) -> Iterator[None]:
    """JupyterLab Dark for the block, then back to Light (the choice is saved for later pages)."""
    _choose_theme(page, "JupyterLab Dark", light=False)
    try:
        yield
    finally:
        _choose_theme(page, "JupyterLab Light", light=True)


#: Run on a timer's root element (or the page's first timer): what does not fit on screen.
#: Every control must be on the screen and inside the timer, and the clock's digits inside
#: their box, without scrolling. Returns one line per problem.
FITS = """(root) => {
  const view = { w: window.innerWidth, h: window.innerHeight };
  const out = [];
  const inside = (r, b) => r.left >= b.left - 0.5 && r.right <= b.right + 0.5
    && r.top >= b.top - 0.5 && r.bottom <= b.bottom + 0.5;
  const screen = { left: 0, top: 0, right: view.w, bottom: view.h };
  root = root || document.querySelector(".sk-timer");
  const timer = root.getBoundingClientRect();
  for (const el of root.querySelectorAll("button, input, progress")) {
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) continue; // not shown (e.g. a hidden group)
    const name = el.textContent.trim() || el.getAttribute("aria-label")
      || el.parentElement.textContent.trim();
    if (!inside(r, screen)) out.push(`${name} is off the screen`);
    if (!inside(r, timer)) out.push(`${name} is outside the timer`);
  }
  const time = root.querySelector(".sk-time");
  const range = document.createRange();
  range.selectNodeContents(time);
  const digits = range.getBoundingClientRect();
  const box = time.getBoundingClientRect();
  // Across: the digits stay within their own box (line-height 1 lets the glyphs' ascent
  // poke above it, so up and down they must stay within the timer's border).
  const across = digits.left >= box.left - 0.5 && digits.right <= box.right + 0.5;
  if (!across || time.scrollWidth > time.clientWidth) out.push(`the digits ${time.textContent} overflow`);
  if (!inside(digits, timer)) out.push("the digits cross the timer's border");
  if (!inside(digits, screen)) out.push("the digits are off the screen");
  const image = root.querySelector(".sk-image svg");
  if (image && !inside(image.getBoundingClientRect(), screen)) out.push("the drawing is off the screen");
  return out;
}"""


def save_screenshot(page: Any, name: str) -> Path:
    """Save the page as test-output/screenshots/<name>.png, for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


# --- the timer, as a learner or presenter uses it ------------------------------------------------


def _seconds(clock: str) -> int:
    minutes, seconds = clock.strip().split(":")
    return int(minutes) * 60 + int(seconds)


def clock(seconds: float) -> str:
    """The timer's m:ss display for a whole plan or phase."""
    whole = int(seconds + 0.999999)
    return f"{whole // 60}:{whole % 60:02d}"


def timer_text(root: Any, part: str) -> str:
    return str(root.locator(part).text_content()).strip()


def lower_setting(root: Any) -> float:
    """Press the timer's "less" control (hold or reps) until it can go no lower; return the value."""
    less = root.locator(".sk-adjust .sk-less")
    assert root.locator(".sk-adjust").is_visible(), "the timer has no hold or reps control"
    for _ in range(50):
        if less.is_disabled():
            return float(re.findall(r"\d+(?:\.\d+)?", timer_text(root, ".sk-setting"))[0])
        less.click()
    raise AssertionError("the timer's setting never reached its minimum")


def wait_for(condition: Callable[[], object], what: str, timeout_s: float) -> None:
    """Poll ``condition`` until it is true; fail saying ``what`` never happened."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s:g} s waiting until {what}")
        time.sleep(0.05)


def exercise_timer(
    root: Any, *, phases: int = 0, last_seconds: float, finish: str = "wait", plan: Plan | None = None
) -> None:
    """Start, see it count down, pause (time frozen), resume, skip to the last phase, complete.

    ``phases`` is the plan's phase count (the done phase included), or ``plan`` the plan itself,
    whose waits (between a chair and the floor) are met as a learner meets them: Ready by the
    keyboard at the start, by a click at the end (see :func:`press_ready`). ``finish="wait"``
    lets the last timed phase (``last_seconds`` long) run out, ``"skip"`` skips it too.
    """
    kinds = [p.kind for p in plan.phases] if plan else ["hold"] * (phases - 1) + ["done"]

    def state() -> str:
        return str(root.get_attribute("data-state"))

    def button(name: str) -> Any:
        return root.get_by_role("button", name=name, exact=True)

    def index() -> int:
        return int(root.get_attribute("data-phase-index"))

    assert state() == "idle", f"the timer should start idle, not {state()}"
    button("Start").click()
    assert state() == "running"
    if plan and kinds[0] == "wait":
        press_ready(root, plan.phases[0], key="Space")
    start_time = _seconds(timer_text(root, ".sk-time"))
    assert timer_text(root, ".sk-status") == "Running"
    wait_for(
        lambda: _seconds(timer_text(root, ".sk-time")) < start_time,
        f"the time left fell below {clock(start_time)}",
        3.5,
    )
    button("Pause").click()
    assert state() == "paused"
    frozen = (timer_text(root, ".sk-time"), timer_text(root, ".sk-plan-left"))
    time.sleep(1.2)
    assert (timer_text(root, ".sk-time"), timer_text(root, ".sk-plan-left")) == frozen, (
        "time ran while paused"
    )
    button("Resume").click()
    assert state() == "running"
    last_timed = max(i for i, kind in enumerate(kinds) if kind not in ("wait", "done"))
    while index() < last_timed:
        button("Skip").click()
    assert state() == "running" and index() == last_timed
    if finish == "skip":
        button("Skip").click()
    else:
        wait_for(lambda: state() == "done" or index() > last_timed, "the last hold ran out", last_seconds + 5)
    while plan and state() != "done":
        press_ready(root, plan.phases[index()])
    assert state() == "done"
    assert timer_text(root, ".sk-status") == "Done"
    assert timer_text(root, ".sk-plan-left") == "0:00 left"
    assert button("Skip").is_disabled()


def press_ready(root: Any, phase: Phase, key: str = "") -> None:
    """At a wait (a move between a chair and the floor) see what a learner sees, then press Ready.

    No countdown: the clock and the progress are hidden, the status says it waits, the time left
    does not move. The cue points to lesson 00 and the course's own steps are listed. Ready is a
    click, or ``key`` pressed on the Ready button (which has the focus after Start).
    """
    assert root.get_attribute("data-phase") == "wait", root.get_attribute("data-phase")
    ready = root.get_by_role("button", name="Ready", exact=True)
    assert timer_text(root, ".sk-phase") == phase.label
    assert timer_text(root, ".sk-status") == "Waiting for you"
    assert ready.is_visible() and ready.is_enabled()
    assert root.locator(".sk-time").is_hidden() and root.locator(".sk-progress").is_hidden()
    assert "lesson 00" in timer_text(root, ".sk-cue"), timer_text(root, ".sk-cue")
    assert root.locator(".sk-steps li").all_inner_texts() == list(phase.steps)
    left = timer_text(root, ".sk-plan-left")
    time.sleep(1.1)
    assert timer_text(root, ".sk-plan-left") == left and root.get_attribute("data-phase") == "wait", (
        "a wait counted down"
    )
    if key:
        assert ready.evaluate("el => el === document.activeElement"), "Ready does not have the focus"
        ready.press(key)
    else:
        ready.click()
    wait_for(lambda: root.get_attribute("data-phase") != "wait", f"Ready ended {phase.label!r}", 5)


# --- lesson 08: a routine built in the builder, then followed in the guided session ---------------


@dataclass(frozen=True)
class GuidedRun:
    """A one-stretch routine built and followed to its end, for the test's own checks after."""

    technique: Technique
    hold: float
    plan: Plan
    session: Any  # the guided session's widget
    timer: Any  # its timer's root
    status: Any  # its status line
    started: datetime  # this machine's clock when Start was pressed
    waited: float  # seconds at its waits for Ready (no stretching time), in the browser's clock


#: Logs when the timer enters each phase (the timer's own clock, performance.now()).
WATCH_PHASES = """el => {
    el.phaseLog = [];
    new MutationObserver(() => el.phaseLog.push([performance.now(), Number(el.dataset.phaseIndex)]))
        .observe(el, { attributes: true, attributeFilter: ["data-phase-index"] });
}"""


def waited(root: Any, plan: Plan) -> float:
    """Seconds a completed run spent at the plan's waits for Ready, from WATCH_PHASES' log.

    A wait entered when the phase before it ran out began at that phase's end in the timer's
    clock (its start plus its seconds), which a busy page may draw a little later.
    """
    started, completed, log = root.evaluate(
        "el => [Number(el.dataset.startedAt), Number(el.dataset.completedAt), el.phaseLog]"
    )
    entered = [(started, 0), *((t, i) for t, i in log), (completed, len(plan.phases) - 1)]
    total = 0.0
    for (before, _), (t, i), (after, _) in zip(entered, entered[1:], entered[2:], strict=False):
        if plan.phases[i].kind == "wait":
            previous = plan.phases[i - 1].seconds * 1000
            ran_out = before + previous if previous else t
            total += (after - min(t, ran_out)) / 1000
    if plan.phases[0].kind == "wait":
        total += (entered[1][0] - started) / 1000
    return total


def type_into(page: Any, box: Any, text: str) -> None:
    """Replace what a box holds with ``text``, typed as a learner types it (nothing: the box
    emptied with Backspace), then leave the box."""
    box.focus()
    page.keyboard.press("Control+A")
    if text:
        page.keyboard.type(text)
    else:
        page.keyboard.press("Backspace")
    page.keyboard.press("Tab")


def build_and_follow_one_stretch(
    page: Any,
    *,
    run_session: Callable[[], object] | None = None,
    pain_before: int,
    timeout_s: float = 10,
    at_the_hold_box: Callable[[Any, Any], None] | None = None,
) -> GuidedRun:
    """Lesson 08 as a learner uses it, in JupyterLab or the site, with the mouse and keyboard.

    In the builder: untick every stretch but the course's first and type its shortest hold.
    The guided session follows the builder by itself; ``run_session``, if given, runs its cell
    again as well (each front end runs cells its own way). Then pain before is rated, and the
    timer is played to its end; returns once the session says it was saved.
    ``at_the_hold_box(row, box)`` checks the stretch's row before its hold is typed.
    """
    course = load_course()
    first, *others = course.techniques
    hold = course.routine.hold_min
    plan = Routine([RoutineItem(first.slug, hold=hold)]).plan()
    builder = page.locator(BUILDER)
    for t in others:
        builder.get_by_label(t.name, exact=True).uncheck()
    row = builder.locator(".widget-hbox", has=page.get_by_label(first.name, exact=True))
    hold_box = row.get_by_label("Hold (s)", exact=True)
    if at_the_hold_box is not None:
        at_the_hold_box(row, hold_box)
    type_into(page, hold_box, f"{hold:g}")
    summary = builder.locator(".widget-html").last
    wait_for(lambda: ": 1 stretch," in (summary.text_content() or ""), "the builder counts 1 stretch", 10)

    if run_session is not None:
        run_session()
    check_widgets_render(page, {SESSION: 1, TIMER: 1})
    session = page.locator(SESSION)
    root = session.locator(TIMER)
    wait_for(
        lambda: timer_text(root, ".sk-plan-left") == f"{clock(plan.total_seconds)} left",
        "the session plays the routine from the builder",
        timeout_s,
    )
    pain = session.locator(".widget-dropdown", has_text="Pain before").locator("select")
    pain.select_option(label=str(pain_before))
    started = datetime.now().astimezone()
    root.evaluate(WATCH_PHASES)
    exercise_timer(root, plan=plan, last_seconds=hold)
    status = session.locator(".widget-html").last
    wait_for(
        lambda: "Saved to your journal" in (status.text_content() or ""), "the session was saved", timeout_s
    )
    return GuidedRun(first, hold, plan, session, root, status, started, waited(root, plan))


def hide_and_show(page: Any) -> None:
    """The learner switches to another tab and back: the page hears visibilitychange twice."""
    page.evaluate(
        """() => {
            for (const state of ["hidden", "visible"]) {
                Object.defineProperty(document, "visibilityState", { value: state, configurable: true });
                document.dispatchEvent(new Event("visibilitychange"));
            }
            delete document.visibilityState;  // back to the browser's own
        }"""
    )


# --- the quiz, with the mouse and with the keyboard alone ----------------------------------------


def quiz_in(notebook: Path) -> Any:
    """The Quiz the notebook builds, made here from the same cell, to know the right answers."""
    from stretchkit import Quiz, load_course

    source = code_sources(notebook)[code_index(notebook, "Quiz.from_course(")]
    *body, last = source.strip().splitlines()
    namespace: dict[str, Any] = {"Quiz": Quiz, "course": load_course(), "load_course": load_course}
    exec("\n".join(body), namespace)
    return eval(last, namespace)


def _box(quiz_root: Any, question_id: str) -> Any:
    return quiz_root.locator(f'fieldset[data-id="{question_id}"]')


def answer_with_mouse(quiz_root: Any, question: Any, right: Sequence[int]) -> None:
    box = _box(quiz_root, question.id)
    if question.kind == "order":
        for place, index in enumerate(right):  # a selection sort with the Move up buttons
            text = question.options[index].text
            while box.locator(".sk-quiz-step-text").all_text_contents().index(text) != place:
                box.get_by_role("button", name=f"Move up: {text}").click()
    else:
        for i in right:
            box.get_by_label(question.options[i].text, exact=True).click()
    box.locator(".sk-quiz-check").click()


def focused(page: Any, selector: str) -> bool:
    return bool(page.evaluate("s => document.activeElement?.matches(s) ?? false", selector))


def tab_to(page: Any, selector: str, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab, towards the target) until the focus is on ``selector``."""
    backwards = page.evaluate(
        """s => {
            const target = document.querySelector(s), here = document.activeElement;
            if (!target || !here || here === document.body) return false;
            return !!(target.compareDocumentPosition(here) & Node.DOCUMENT_POSITION_FOLLOWING);
        }""",
        selector,
    )
    for _ in range(limit):
        if focused(page, selector):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"could not reach {selector} with the keyboard")


def answer_with_keyboard(page: Any, question: Any, right: Sequence[int]) -> None:
    """Answer one question with Tab, arrows, Space and Enter only, then press Check."""
    box = f'.sk-quiz fieldset[data-id="{question.id}"]'
    keys = page.keyboard
    if question.kind == "single":
        tab_to(page, f"{box} input")
        assert focused(page, f"{box} input[value='0']")
        keys.press("Space")
        for _ in range(right[0]):
            keys.press("ArrowDown")  # moves and selects within the radio group
    elif question.kind == "multiple":
        for i in right:
            tab_to(page, f"{box} input[value='{i}']")
            keys.press("Space")
    else:
        for place, index in enumerate(right):
            order = page.locator(f"{box} li").evaluate_all("els => els.map(e => Number(e.dataset.index))")
            moves = order.index(index) - place
            if moves:
                tab_to(page, f"{box} li[data-index='{index}'] button:first-of-type")
                for _ in range(moves):
                    keys.press("Enter")
    if question.kind != "order":
        checked = page.locator(f"{box} input:checked").evaluate_all("els => els.map(e => Number(e.value))")
        assert sorted(checked) == sorted(right), f"{question.id}: the keyboard chose {checked}, not {right}"
    tab_to(page, f"{box} .sk-quiz-check")
    keys.press("Enter")


def check_answers_correct(quiz_root: Any, questions: Sequence[Any], total: int | None = None) -> None:
    """Each of ``questions`` (those on the page: one round) says it is right, and the quiz of
    ``total`` questions (default: these) is complete with every one right."""
    for q in questions:
        feedback = _box(quiz_root, q.id).get_by_role("status").text_content() or ""
        assert feedback.startswith("✓ Correct."), f"{q.id}: {_excerpt(feedback, 200)}"
    total = len(questions) if total is None else total
    summary = quiz_root.locator(".sk-quiz-summary").text_content() or ""
    assert f"Quiz complete: {total} of {total} correct at the first try." in summary, summary


def answer_rounds_with_keyboard(page: Any, quiz_root: Any, quiz: Any) -> None:
    """Answer a quiz shown in rounds with the keyboard, pressing Next round after each round;
    each new round's heading takes the focus."""
    for r, questions in enumerate(quiz.rounds):
        if r:
            tab_to(page, ".sk-quiz .sk-quiz-next")
            page.keyboard.press("Enter")
            heading = f"Round {r + 1} of {len(quiz.rounds)}"
            assert focused(page, ".sk-quiz-round-title"), f"{heading}: the focus did not move to its heading"
            title = quiz_root.locator(".sk-quiz-round-title").text_content()
            assert title == heading, title
        for q in questions:
            answer_with_keyboard(page, q, quiz.solution()[q.id])
        feedback = {q.id: _box(quiz_root, q.id).get_by_role("status").text_content() or "" for q in questions}
        wrong = [f"{i}: {_excerpt(f, 200)}" for i, f in feedback.items() if not f.startswith("✓ Correct.")]
        assert not wrong, wrong
    check_answers_correct(quiz_root, quiz.rounds[-1], total=len(quiz.questions))


@dataclass(frozen=True)
class SavedAnswer:
    question_id: str
    correct: bool


def saved_answers(lab: Lab, quiz_id: str) -> list[SavedAnswer]:
    """The quiz answers the lab's kernels saved to the journal, for one quiz, oldest first.

    Read through a read-only connection, so the test's polling never takes a lock the
    kernel's next write would wait for."""
    path = lab_journal(lab)
    if not path.exists():
        return []
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT question_id, correct FROM quiz_answers WHERE quiz_id = ? ORDER BY answered_at, id",
            (quiz_id,),
        ).fetchall()
    finally:
        conn.close()
    return [SavedAnswer(str(q), bool(c)) for q, c in rows]
