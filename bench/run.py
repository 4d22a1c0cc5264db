"""`make bench`: the course's speed, measured side by side with a baseline in the same run.

Absolute times vary from machine to machine, so every benchmark compares the course with a
baseline measured in the same run, and reports the median with min and max over several runs.
Prints a Markdown table and writes it to bench/results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import ROOT, Row

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def timed(fn: Callable[[], object], runs: int) -> tuple[float, ...]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return tuple(out)


def _python(code: str) -> Callable[[], object]:
    return lambda: subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# --- 3. import cost -----------------------------------------------------------------------


def _ms(seconds: list[float]) -> tuple[float, ...]:
    return tuple(s * 1000 for s in seconds)


def bench_import(runs: int) -> list[Row]:
    """`import stretchkit` against `import ipywidgets, anywidget`, interleaved in one run."""
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(runs):  # interleave, so drift on the machine hits both alike
        ours += timed(_python("import stretchkit; stretchkit.load_course()"), 1)
        theirs += timed(_python("import ipywidgets, anywidget"), 1)
    ratio = statistics.median(ours) / statistics.median(theirs)
    return [
        Row(
            "Import cost",
            "`import stretchkit` + load the course",
            "ms",
            _ms(ours),
            "`import ipywidgets, anywidget`",
            _ms(theirs),
            "≤ 1.2×",
            ratio <= 1.2,
        )
    ]


# --- 2. course validation time -------------------------------------------------------------


def _kernel_floor() -> None:
    """Start and stop one kernel per notebook: the least any notebook validation can cost."""
    from jupyter_client.manager import start_new_kernel

    for _ in NOTEBOOKS:
        km, kc = start_new_kernel(kernel_name="python3")
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def _nbval(workers: int) -> Callable[[], object]:
    # The same script and options as `make nbval`.
    args = [sys.executable, str(ROOT / "scripts" / "nbval.py"), "-q"]
    if workers > 1:
        args += ["-n", str(workers), "--dist", "loadfile"]  # one kernel per notebook
    return lambda: subprocess.run(args, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def bench_validation(runs: int) -> list[Row]:
    floor: list[float] = []
    serial: list[float] = []
    parallel: list[float] = []
    for _ in range(runs):
        floor += timed(_kernel_floor, 1)
        serial += timed(_nbval(1), 1)
        parallel += timed(_nbval(2), 1)
    label = f"kernel start/stop × {len(NOTEBOOKS)}"
    # The course is validated as `make nbval` does it, with xdist on both cores; the
    # single-process run is shown for reference only.
    ratio = statistics.median(parallel) / statistics.median(floor)
    as_make = "`pytest --nbval -n 2` (xdist), as `make nbval` runs it"
    return [
        Row("Course validation", as_make, "s", tuple(parallel), label, tuple(floor), "≤ 1.5×", ratio <= 1.5),
        Row(
            "Course validation",
            "`pytest --nbval`, 1 process (reference)",
            "s",
            tuple(serial),
            label,
            tuple(floor),
        ),
    ]


def bench_timer_accuracy(runs: int) -> list[Row]:
    from bench.lab_bench import bench_timer_accuracy as run

    return run(runs)


def bench_time_to_interactive(runs: int) -> list[Row]:
    from bench.lab_bench import bench_time_to_interactive as run

    return run(runs)


# --- 5. a class on one hub ----------------------------------------------------------------

HUB_RUNS = 3  # each run starts a hub and a class; three keep this row to about six minutes


def _hub_class(students: int) -> float:
    """Seconds until the last of ``students``, logging in at once, has lesson 04's timer running."""
    with tempfile.TemporaryDirectory(prefix="stretchkit-bench-hub-") as tmp:
        out = Path(tmp) / "timings.json"
        args = [sys.executable, "scripts/hub_check.py", "--students", str(students), "--json", str(out)]
        subprocess.run(args, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        timings = json.loads(out.read_text())
    if timings["served"] != students:
        raise RuntimeError(f"hub-check served {timings['served']} of {students} students")
    return float(max(timings["lesson_seconds"]))


def bench_hub(runs: int) -> list[Row]:
    """Ten students reaching a running lesson on one hub, against one student alone (needs root)."""
    ten: list[float] = []
    one: list[float] = []
    for _ in range(min(runs, HUB_RUNS)):  # interleaved, so drift on the machine hits both alike
        one.append(_hub_class(1))
        ten.append(_hub_class(10))
    return [
        Row(
            "Class on one hub",
            "10 students log in at once (JupyterHub, local users, nbgitpuller link) until the last"
            " has lesson 04's timer running",
            "s",
            tuple(ten),
            "one student alone",
            tuple(one),
            "≤ 90 s",
            statistics.median(ten) <= 90,
        )
    ]


# --- 6. the zero-install site ----------------------------------------------------------


def bench_lite(runs: int) -> list[Row]:
    from bench.lite_bench import bench_lite as run

    return run(runs)


# --- 7. the camera check --------------------------------------------------------------


def bench_camera(runs: int) -> list[Row]:
    from bench.camera_bench import bench_camera as run

    return run(runs)


BENCHES: dict[str, Callable[[int], list[Row]]] = {
    "accuracy": bench_timer_accuracy,
    "validation": bench_validation,
    "import": bench_import,
    "interactive": bench_time_to_interactive,
    "hub": bench_hub,
    "lite": bench_lite,
    "camera": bench_camera,
}


def table(rows: list[Row]) -> str:
    head = ["Benchmark", "Condition", "Median (min–max)", "Baseline, same run", "Ratio", "Target"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r.cells()) + " |" for r in rows]
    return "\n".join(lines)


ORDER = (
    "Timer accuracy",
    "Course validation",
    "Import cost",
    "Lesson time to interactive",
    "Class on one hub",
    "Site: a learner's first visit",
    "Site: a learner's second visit",
    "Site: bytes of a first visit",
    "Site: Lighthouse accessibility",
    "Site: bytes when the camera check",
    "Site size on disk",
    "Camera check",
)


def merge(old: str, rows: list[Row]) -> str:
    """The table ``old`` with the rows of the benchmarks just run replaced by ``rows``, and the
    rows of benchmarks that no longer exist (none of ``ORDER``) left out."""
    names = {r.benchmark for r in rows}

    def name(line: str) -> str:
        return line[2:].split(" | ")[0]

    def current(line: str) -> bool:
        return any(name(line).startswith(o) for o in ORDER)

    kept = [
        ln for ln in old.splitlines()[2:] if ln.startswith("| ") and name(ln) not in names and current(ln)
    ]
    body = kept + table(rows).splitlines()[2:]
    body.sort(key=lambda ln: next((i for i, o in enumerate(ORDER) if name(ln).startswith(o)), len(ORDER)))
    return "\n".join([*table([]).splitlines()[:2], *body])


def update_readme(text: str, readme: Path = ROOT / "README.md") -> None:
    """Put the latest results between the README's BENCH markers."""
    start, end = "<!--BENCH-->", "<!--/BENCH-->"
    body = readme.read_text()
    head, rest = body.split(start, 1)
    _, tail = rest.split(end, 1)
    reproduce = (
        "Reproduce with `make bench` (about 30 minutes; it needs Chromium, and root for the hub row),"
        " or one benchmark with `make bench ONLY=hub` (or accuracy, validation, import, interactive,"
        " lite, camera; `make bench-lite` runs the site's rows).\n"
    )
    readme.write_text(f"{head}{start}\n{text}\n{reproduce}{end}{tail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    parser.add_argument("--only", choices=sorted(BENCHES), action="append", help="run only these")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    args = parser.parse_args(argv)
    os.environ.setdefault("STRETCHKIT_HOME", tempfile.mkdtemp(prefix="stretchkit-bench-"))
    rows: list[Row] = []
    for name in args.only or list(BENCHES):
        print(f"running {name} …", flush=True)
        rows += BENCHES[name](args.runs)
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores"
    machine += f", Python {platform.python_version()}"
    # A partial run (--only) replaces just its own rows of the last results.
    previous = args.out.read_text() if args.only and args.out.exists() else ""
    runs = f"{args.runs} runs each ({min(args.runs, HUB_RUNS)} for the class on one hub)"
    text = f"{merge(previous, rows)}\n\nMedians over {runs}, with min–max; {machine}.\n"
    print("\n" + text)
    args.out.write_text(text)
    print(f"written to {args.out}")
    if args.out == ROOT / "bench" / "results.md":
        update_readme(text)
    return 0 if all(r.met is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
