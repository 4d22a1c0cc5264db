"""Serve one lesson as reveal.js slides with live widgets, on this computer only.

`make slides LESSON=04-hamstring-stretch` runs this. The lesson runs in its own kernel through
Voilà's reveal template, so the stretch timer on its slide starts, counts down and takes a new
hold time in class. JupyterLab's RISE cannot do that today: its slideshow shows ipywidgets 8 and
anywidget outputs as plain text (jupyterlab-contrib/rise issues #119 and #126).

Nothing is fetched from the internet while presenting: the template in slides/voila leaves out
upstream's CDN links, and reveal.js's stylesheets are copied from the installed sphinx-revealjs
package (a dependency of the `lab` extra) into a temporary Jupyter data folder at start-up.

A slideshow leaves the presenter's own practice journal alone: the lesson runs with a fresh
class journal in the temporary folder, so no personal quiz results show on the projector and
answers given in class are not saved as the presenter's. `--journal mine` (`make slides
JOURNAL=mine`) uses the presenter's journal on purpose.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import webbrowser
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
TEMPLATE = "stretchkit"
TEMPLATE_DIR = ROOT / "slides" / "voila" / "templates" / TEMPLATE
HOST = "127.0.0.1"
DEFAULT_PORT = 8866
START_TIMEOUT = 60.0

#: Where sphinx-revealjs keeps its copy of reveal.js's built files.
REVEAL_PACKAGE = "sphinx_revealjs"
REVEAL_DIST = ("_static", "revealjs", "dist")

HOW_TO_MOVE = (
    "Right arrow or Space: next slide; Left arrow: back; Down arrow: the next part of a slide "
    "in steps; Esc: all slides; F: full screen."
)


class SlidesError(Exception):
    """A problem the presenter can fix, reported in one line without a traceback."""


def lessons() -> list[Path]:
    """The course's lesson notebooks, in course order."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def find_lesson(name: str) -> Path:
    """A lesson by file name ("04-hamstring-stretch"), number ("04"), topic ("hamstring-stretch") or path."""
    if not name.strip():
        raise SlidesError(f"LESSON is empty; choose one of: {', '.join(p.stem for p in lessons())}")
    path = Path(name)
    if path.suffix == ".ipynb" and path.is_file():
        return path.resolve()
    stem = path.name.removesuffix(".ipynb")
    found = [p for p in lessons() if stem in (p.stem, p.stem[:2], p.stem[3:])]
    if len(found) != 1:
        raise SlidesError(f"no lesson called {name!r}; choose one of: {', '.join(p.stem for p in lessons())}")
    return found[0]


def reveal_dist() -> Path:
    """The installed copy of reveal.js's built files (stylesheets, themes and their fonts)."""
    spec = importlib.util.find_spec(REVEAL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SlidesError(
            "reveal.js's stylesheets come from the sphinx-revealjs package, which is not installed: "
            "run `make slides`, or `pip install -e '.[lab]'` in the course's environment"
        )
    dist = Path(next(iter(spec.submodule_search_locations))).joinpath(*REVEAL_DIST)
    if not (dist / "reveal.css").is_file():
        raise SlidesError(
            f"{dist} has no reveal.css: this version of sphinx-revealjs keeps reveal.js elsewhere"
        )
    return dist


def build_data_dir(into: Path) -> Path:
    """A Jupyter data folder holding the slides template and a local copy of reveal.js's stylesheets."""
    target = into / "voila" / "templates" / TEMPLATE
    shutil.copytree(TEMPLATE_DIR, target)
    # Voilà bundles reveal.js's script itself; only the stylesheets (and theme fonts) are needed.
    ignore = shutil.ignore_patterns("*.js", "*.map", "*.scss")
    # The course's theme (static/reveal/dist/theme/stretchkit.css) imports reveal's white.css beside it.
    shutil.copytree(reveal_dist(), target / "static" / "reveal" / "dist", ignore=ignore, dirs_exist_ok=True)
    return into


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def pick_port(requested: int) -> int:
    """The requested port; 0, or the default when it is taken, means any free one."""
    if not 0 <= requested <= 65535:
        raise SlidesError(f"PORT must be between 0 and 65535, got {requested}")
    if requested and port_is_free(requested):
        return requested
    if requested not in (0, DEFAULT_PORT):
        raise SlidesError(f"port {requested} is in use; choose another (PORT=...) or leave it out")
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def voila_command(lesson: Path, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "voila",
        str(lesson),
        f"--template={TEMPLATE}",
        "--theme=light",
        "--no-browser",
        f"--Voila.ip={HOST}",
        f"--port={port}",
        "--Voila.port_retries=0",
    ]


def wait_until_serving(proc: subprocess.Popen[bytes], port: int, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SlidesError(f"Voilà stopped before serving the slides (exit code {proc.returncode})")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
            return
        time.sleep(0.2)
    raise SlidesError(f"Voilà did not start serving on port {port} within {timeout:.0f} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # Turn `kill` into a normal exit, so the server is stopped and the temporary folder removed.
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lesson", help='a lesson: "04-hamstring-stretch", "04" or "hamstring-stretch"')
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}; 0 for any free port"
    )
    parser.add_argument("--open", action="store_true", help="also open the slides in the web browser")
    parser.add_argument(
        "--journal",
        choices=("class", "mine"),
        default="class",
        help="class (default): a fresh journal that is gone when the slides stop; mine: your own journal",
    )
    args = parser.parse_args(argv)
    try:
        lesson = find_lesson(args.lesson)
        port = pick_port(args.port)
        reveal_dist()
    except SlidesError as exc:
        print(f"slides: {exc}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    with tempfile.TemporaryDirectory(prefix="stretchkit-slides-") as tmp:
        data_dir = build_data_dir(Path(tmp))
        jupyter_path = os.pathsep.join(p for p in (str(data_dir), os.environ.get("JUPYTER_PATH", "")) if p)
        env = dict(os.environ, JUPYTER_PATH=jupyter_path)
        if args.journal == "class":
            env["STRETCHKIT_HOME"] = str(Path(tmp) / "class-journal")
        proc = subprocess.Popen(voila_command(lesson, port), env=env, cwd=lesson.parent)
        try:
            wait_until_serving(proc, port)
            url = f"http://{HOST}:{port}/"
            print(f"Slides for {lesson.stem}: {url}", flush=True)
            print(f"{HOW_TO_MOVE} Ctrl-C here stops the slides.", flush=True)
            if args.journal == "class":
                print("Your own practice journal is not used: JOURNAL=mine uses it.", flush=True)
            if args.open:
                webbrowser.open(url)
            return proc.wait()
        except SlidesError as exc:
            print(f"slides: {exc}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            return 0
        finally:
            stop(proc)


if __name__ == "__main__":
    sys.exit(main())
