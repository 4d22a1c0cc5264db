"""The supported slideshow: `make slides` serves a lesson as reveal.js slides with a live timer.

One server (scripts/slides.py, as `make slides` runs it) serves the Hamstring Stretch lesson;
the test moves through the slides with the keyboard like a presenter, changes the hold time,
starts the timer, and checks that no request left this computer. The other tests cover the
script's answers to bad input without starting a server.
"""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from playwright.sync_api import expect

from stretchkit import Journal, load_course
from stretchkit.journal import QuizAnswer
from stretchkit.timer import HOLD_STEP
from tests.browser.course import FITS, NOTEBOOKS, QUIZ, answer_with_mouse, quiz_in, save_screenshot
from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "slides.py"
LESSON = "04-hamstring-stretch"
TECHNIQUE = "hamstring-stretch"
START_TIMEOUT_S = 60
MAX_SLIDES = 15
NEEDED = {"voila": "voila", "sphinx_revealjs": "sphinx-revealjs"}


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("stretchkit_slides_script", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


slides = _load_script()


def _require_slideshow_packages() -> None:
    missing = [pip for module, pip in NEEDED.items() if importlib.util.find_spec(module) is None]
    if not missing:
        return
    message = f"the slideshow needs {', '.join(missing)}: run `pip install -e '.[lab]'`"
    if IN_CI:
        pytest.fail(f"CI requires the slideshow test, but {message}")
    pytest.skip(message)


@dataclass
class SlidesServer:
    """scripts/slides.py running in the background, with everything it printed."""

    proc: subprocess.Popen[str]
    journal: Path  # the presenter's own practice journal
    url: str = ""
    output: list[str] = field(default_factory=list)

    def log(self) -> str:
        return "".join(self.output)[-4000:]


@pytest.fixture(scope="module")
def slides_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SlidesServer]:
    _require_slideshow_packages()
    home = tmp_path_factory.mktemp("slides-home")
    env = dict(
        os.environ,
        HOME=str(home),
        STRETCHKIT_HOME=str(home / "stretchkit"),
        IPYTHONDIR=str(home / "ipython"),
        JUPYTER_CONFIG_DIR=str(home / "jupyter-config"),
        JUPYTER_RUNTIME_DIR=str(home / "jupyter-runtime"),
        PYTHONUNBUFFERED="1",
    )
    # The presenter has practised this lesson's quiz at home: that result is theirs alone.
    journal = home / "stretchkit" / "journal.sqlite3"
    quiz = quiz_in(NOTEBOOKS / f"{LESSON}.ipynb")
    first = quiz.questions[0]
    with Journal(journal) as own:
        own.record_quiz_answer(
            QuizAnswer(
                quiz_id=quiz.quiz_id,
                question_id=first.id,
                question=first.prompt,
                choice=(first.options[0].text,),
                correct=True,
                at=datetime(2026, 11, 30, 18, 0),
            )
        )
    proc = subprocess.Popen(
        [sys.executable, str(SCRIPT), LESSON, "--port", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = SlidesServer(proc, journal)
    assert proc.stdout is not None
    stdout = proc.stdout
    # Keep reading, so a chatty server never blocks on a full pipe.
    threading.Thread(target=lambda: server.output.extend(stdout), daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.url and time.monotonic() < deadline and proc.poll() is None:
        for line in list(server.output):
            match = re.match(rf"Slides for {LESSON}: (http://127\.0\.0\.1:\d+/)$", line.strip())
            if match:
                server.url = match.group(1)
        time.sleep(0.1)
    try:
        assert server.url, f"scripts/slides.py printed no URL:\n{server.log()}"
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:  # pragma: no cover - only if Voilà hangs
            proc.kill()
            proc.wait()


def _go_to_slide_with(page: Any, selector: str) -> int:
    """Press the right arrow, as a presenter would, until a slide with this widget shows."""
    widget = page.locator(f"section.present {selector}").last
    for presses in range(MAX_SLIDES):
        if widget.count() and widget.is_visible():
            return presses
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(100)
    raise AssertionError(f"no slide with {selector} after {MAX_SLIDES} slides")


def _go_to_timer_slide(page: Any) -> int:
    return _go_to_slide_with(page, "[role=timer]")


#: The smallest text a slide may show, as a share of the screen's height (about 22 px at 720p).
SMALLEST_TEXT = 0.03

#: Every piece of text shown on the current slide (and the slide number beside it), with the
#: size it is drawn at on the screen: its computed font size times reveal.js's scale (or, in an
#: SVG such as a chart, times the SVG's own scale on the screen).
TEXT_SIZES = """() => {
  const slide = [...document.querySelectorAll(".reveal .slides section.present")].pop();
  const scale = new DOMMatrix(getComputedStyle(document.querySelector(".reveal .slides")).transform).a;
  const out = [];
  const drawnAt = (el, factor) => {
    const svg = el.closest("svg");
    const box = svg && svg.viewBox.baseVal;
    return box && box.width ? svg.getBoundingClientRect().width / box.width : factor;
  };
  const add = (root, factor) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      const el = node.parentElement;
      if (!text || !el || getComputedStyle(el).visibility === "hidden") continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const box = range.getBoundingClientRect();
      if (box.width <= 2 || box.height <= 2) continue; // not drawn, or visually hidden for screen readers
      const px = parseFloat(getComputedStyle(el).fontSize) * drawnAt(el, factor);
      out.push({ px, text: text.slice(0, 50) });
    }
  };
  add(slide, scale);
  const number = document.querySelector(".reveal .slide-number");
  if (number) add(number, 1);
  return { slide: location.hash, sizes: out };
}"""


def _next_slide(page: Any) -> None:
    """Space, as a presenter moves on, with no widget holding the keyboard (the timer keeps Space)."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Space")
    page.wait_for_timeout(150)


def _too_small(page: Any) -> tuple[str, list[str]]:
    """The current slide, and its text drawn smaller than SMALLEST_TEXT of the screen's height."""
    found = page.evaluate(TEXT_SIZES)
    least = SMALLEST_TEXT * page.viewport_size["height"]
    assert found["sizes"], f"no text found on slide {found['slide']}"
    return found["slide"], [f"{s['text']!r} at {s['px']:.1f} px" for s in found["sizes"] if s["px"] < least]


def _answers_in(journal: Path) -> int:
    with Journal(journal) as own:
        return len(own.quiz_history())


def test_lesson_slides_have_a_live_timer_and_stay_offline(browser: Any, slides_server: SlidesServer) -> None:
    origin = slides_server.url.rstrip("/")
    technique = load_course().technique(TECHNIQUE)
    assert technique.hold_seconds is not None
    hold = int(technique.hold_seconds)

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    requests: list[str] = []
    left: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        requests.append(url)
        if url == origin or url.startswith(origin + "/"):
            r.continue_()
        else:
            left.append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(slides_server.url, timeout=START_TIMEOUT_S * 1000)
        # Voilà runs the whole lesson in a fresh kernel before the widgets appear.
        page.wait_for_selector("[role=timer]", state="attached", timeout=START_TIMEOUT_S * 1000)
        presses = _go_to_timer_slide(page)
        assert presses > 0, "the timer should be on a later slide than the title"

        # role="timer" exists only where the widget's script runs: a live widget, not its text fallback.
        timer = page.locator("section.present").last.get_by_role("timer")
        expect(timer).to_be_visible()
        expect(timer).to_have_accessible_name(re.compile(technique.name))
        start = timer.get_by_role("button", name="Start")
        expect(start).to_be_in_viewport()

        # The presenter changes the hold time in class: the kernel rebuilds the plan.
        setting = timer.locator(".sk-setting")
        plan_left = timer.locator(".sk-plan-left")
        expect(setting).to_contain_text(str(hold))
        before = plan_left.inner_text()
        timer.get_by_role("button", name=f"+{HOLD_STEP} s").click()
        expect(setting).to_contain_text(str(hold + HOLD_STEP))
        expect(plan_left).not_to_have_text(before, timeout=10_000)

        # Start counts down.
        clock = timer.locator(".sk-time")
        shown = clock.inner_text()
        start.click()
        expect(timer.get_by_role("button", name="Pause")).to_be_visible()
        expect(clock).not_to_have_text(shown, timeout=5_000)
    finally:
        context.close()

    assert requests, "the page made no requests at all"
    assert not left, f"requests left this computer: {left}"
    assert sockets and all(s.startswith(origin.replace("http", "ws", 1)) for s in sockets), sockets
    assert not errors, errors


def test_text_on_every_slide_reads_from_the_back_of_the_room(
    browser: Any, slides_server: SlidesServer
) -> None:
    """At 1280x720 and 1920x1080, no text on any slide (widgets too) is under 3% of the screen's height,
    and each timer's slide has a heading naming its stretch."""
    technique = load_course().technique(TECHNIQUE)
    names = [t.name for t in (technique, *technique.alternatives)]
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto(slides_server.url, timeout=START_TIMEOUT_S * 1000)
        page.wait_for_selector("[role=timer]", state="attached", timeout=START_TIMEOUT_S * 1000)
        for width, height in ((1280, 720), (1920, 1080)):
            page.set_viewport_size({"width": width, "height": height})
            page.keyboard.press("Home")
            page.wait_for_timeout(300)
            problems: list[str] = []
            seen: list[str] = []
            timed: list[str] = []  # the heading of each timer's slide
            while len(seen) <= 4 * MAX_SLIDES:
                slide, small = _too_small(page)
                if slide in seen:
                    break  # Space on the last slide stays there
                seen.append(slide)
                save_screenshot(page, f"slides-{width}x{height}-{len(seen):02d}")
                problems += [f"slide {slide}: {p}" for p in small]
                present = page.locator("section.present").last
                if present.get_by_role("timer").count():
                    heading = present.get_by_role("heading").first
                    expect(heading).to_be_visible()
                    timed.append(heading.inner_text().strip())
                _next_slide(page)
            assert len(seen) > 5, f"only {len(seen)} slides found: {seen}"
            assert timed == names, f"the timers' slides at {width}x{height} are headed {timed}"
            assert problems == [], f"text under {SMALLEST_TEXT:.0%} of {height} px:\n" + "\n".join(problems)
    finally:
        page.close()


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_the_timer_slide_fits_the_screen_in_presenter_view(
    browser: Any, slides_server: SlidesServer, size: tuple[int, int]
) -> None:
    """On a projector, each timer's slide fits the screen as it opens and in presenter view, where
    Start/Pause, Skip, Reset and the presenter controls are all on screen and no text is too small."""
    width, height = size
    alternatives = load_course().technique(TECHNIQUE).alternatives
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(slides_server.url, timeout=START_TIMEOUT_S * 1000)
        page.wait_for_selector("[role=timer]", state="attached", timeout=START_TIMEOUT_S * 1000)
        for k in range(1 + len(alternatives)):
            if k:
                _next_slide(page)
            _go_to_timer_slide(page)
            slide = page.locator("section.present").last
            scrolled = slide.evaluate("el => el.scrollHeight - el.clientHeight")
            assert scrolled <= 1, f"timer {k + 1}'s slide scrolls by {scrolled} px"
            timer = slide.get_by_role("timer")
            timer.get_by_role("button", name="Presenter view").click()
            expect(timer).to_have_class(re.compile("sk-presenter"))
            timer.get_by_role("button", name="Start").click()
            expect(timer.get_by_role("button", name="Pause")).to_be_visible()
            save_screenshot(page, f"slides-timer-{k + 1}-presenter-{width}x{height}")
            problems = timer.evaluate(FITS)
            assert problems == [], "; ".join(problems)
            scrolled = slide.evaluate("el => el.scrollHeight - el.clientHeight")
            assert scrolled <= 1, f"timer {k + 1}'s slide scrolls by {scrolled} px in presenter view"
            for name in ("Pause", "Skip", "Reset", "Presenter view"):
                expect(timer.get_by_role("button", name=name)).to_be_in_viewport(ratio=1)
            where, small = _too_small(page)
            assert small == [], f"slide {where} in presenter view: " + "; ".join(small)
    finally:
        context.close()


def test_slides_leave_the_presenters_journal_alone(browser: Any, slides_server: SlidesServer) -> None:
    """No personal results on the projector, and answers given in class are not saved as the presenter's."""
    assert _answers_in(slides_server.journal) == 1
    quiz = quiz_in(NOTEBOOKS / f"{LESSON}.ipynb")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(slides_server.url, timeout=START_TIMEOUT_S * 1000)
        page.wait_for_selector(QUIZ, state="attached", timeout=START_TIMEOUT_S * 1000)
        _go_to_slide_with(page, QUIZ)
        quiz_root = page.locator(f"section.present {QUIZ}").last
        expect(quiz_root.locator("fieldset").first).to_be_visible()
        expect(quiz_root.locator(".sk-quiz-past")).to_be_hidden()
        first = quiz.questions[0]
        answer_with_mouse(quiz_root, first, quiz.solution()[first.id])
        # The kernel graded it (the feedback came back), and would have saved it by now.
        expect(quiz_root.locator(f'fieldset[data-id="{first.id}"] .sk-quiz-feedback')).not_to_be_empty()
    finally:
        page.close()
    assert _answers_in(slides_server.journal) == 1, (
        "an answer given in class went into the presenter's journal"
    )
    # The whole output: other tests' page loads may push this start-up line out of log()'s tail.
    assert "Your own practice journal is not used" in "".join(slides_server.output)


# --- the script's answers to bad input (no server needed) -------------------------------


def test_lessons_are_found_by_file_name_number_or_topic() -> None:
    path = slides.find_lesson(LESSON)
    assert path == ROOT / "notebooks" / f"{LESSON}.ipynb"
    for name in ("04", TECHNIQUE, f"{LESSON}.ipynb", str(path)):
        assert slides.find_lesson(name) == path


@pytest.mark.parametrize("name", ["", "  ", "99", "hamstring", "no-such-lesson"])
def test_an_unknown_lesson_is_refused_with_the_list_of_lessons(name: str) -> None:
    with pytest.raises(slides.SlidesError, match=f"choose one of: .*{LESSON}"):
        slides.find_lesson(name)


def test_the_command_explains_a_bad_lesson_in_one_line() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "no-such-lesson", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("slides: no lesson called 'no-such-lesson'; choose one of: ")
    assert LESSON in result.stderr
    assert "Traceback" not in result.stderr


def test_a_port_out_of_range_or_in_use_is_refused() -> None:
    with pytest.raises(slides.SlidesError, match="PORT must be between 0 and 65535, got 70000"):
        slides.pick_port(70000)
    with pytest.raises(slides.SlidesError, match="PORT must be between 0 and 65535, got -1"):
        slides.pick_port(-1)
    assert slides.pick_port(0) > 0
    with socket.socket() as busy:
        busy.bind((slides.HOST, 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(slides.SlidesError, match=f"port {port} is in use"):
            slides.pick_port(port)


def test_missing_reveal_package_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(slides, "REVEAL_PACKAGE", "no_such_package_for_slides")
    with pytest.raises(slides.SlidesError, match=r"sphinx-revealjs package, which is not installed"):
        slides.reveal_dist()


def test_the_template_gets_a_local_copy_of_reveal_stylesheets(tmp_path: Path) -> None:
    _require_slideshow_packages()
    data = slides.build_data_dir(tmp_path)
    static = data / "voila" / "templates" / slides.TEMPLATE / "static"
    assert (static / "reveal" / "dist" / "reveal.css").is_file()
    assert (static / "reveal" / "dist" / "theme" / "white.css").is_file()
    # The course's theme, which imports white.css beside it, is the one stylesheet on top.
    theme = static / "reveal" / "dist" / "theme" / "stretchkit.css"
    assert "@import url(./white.css);" in theme.read_text()
    assert [p.name for p in static.glob("*.css")] == []
    assert not list(static.rglob("*.js")), "Voilà bundles reveal.js's script; only stylesheets are copied"
    conf = (data / "voila" / "templates" / slides.TEMPLATE / "conf.json").read_text()
    assert '"/voila/templates/stretchkit/static/reveal"' in conf
    assert '"theme": "stretchkit"' in conf


def test_the_theme_is_kept_by_git() -> None:
    """The theme sits in a dist/ folder, which .gitignore ignores elsewhere: a checkout must have it."""
    theme = ROOT / "slides" / "voila" / "templates" / slides.TEMPLATE / "static" / "reveal" / "dist"
    theme = theme / "theme" / "stretchkit.css"
    result = subprocess.run(["git", "check-ignore", "-q", "--no-index", str(theme)], cwd=ROOT, check=False)
    if result.returncode == 128:
        pytest.skip("not a git checkout")
    assert result.returncode == 1, f"git ignores {theme.relative_to(ROOT)}: it would be left out of commits"
