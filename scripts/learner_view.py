"""`make learner-view`: build the learner's view front-end extension and stamp the build.

The extension's source is lab/learner-view/ (package.json, src/, style/, package-lock.json);
its prebuilt (federated) output is committed in lab/labextensions/stretchkit-learner-view/,
because a learner's machine has Python and make but no node: `make lab` installs the
committed build (pyproject.toml's data-files) and `make lite` copies it into the site.

This runs ``npm ci`` (the lock's exact packages, from npm; skipped while node_modules is
newer) and JupyterLab's standard ``jupyter labextension build`` (``@jupyterlab/builder``)
against the lab venv's JupyterLab, then writes ``build.json`` beside the output: a hash of
the sources and lock it was built from, and of every file it built. ``--check`` recomputes
both and says what differs (the test suite uses it; it needs neither node nor npm).

Usage: ``python scripts/learner_view.py [--check]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "lab" / "learner-view"
OUTPUT = ROOT / "lab" / "labextensions" / "stretchkit-learner-view"
STAMP = OUTPUT / "build.json"
#: What the build is made from: everything else in SOURCE (node_modules) is derived.
SOURCE_GLOBS = ("package.json", "package-lock.json", "src/*.js", "style/*")


def _digest(files: list[Path], base: Path) -> dict[str, str]:
    return {p.relative_to(base).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(files)}


def source_hashes() -> dict[str, str]:
    return _digest([p for g in SOURCE_GLOBS for p in SOURCE.glob(g) if p.is_file()], SOURCE)


def built_hashes() -> dict[str, str]:
    return _digest([p for p in OUTPUT.rglob("*") if p.is_file() and p != STAMP], OUTPUT)


def _jupyter() -> Path:
    """The lab venv's ``jupyter`` (the one running this script, else .venv's)."""
    for folder in (Path(sys.executable).parent, ROOT / ".venv" / "bin"):
        if (folder / "jupyter").exists():
            return folder / "jupyter"
    raise SystemExit("learner-view: no `jupyter` beside this Python: run it with the lab venv's python")


def build() -> None:
    jupyter = _jupyter()
    env = {**os.environ, "PATH": f"{jupyter.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    if shutil.which("npm") is None:
        raise SystemExit("learner-view: building the extension needs node and npm (learners never do)")
    installed = SOURCE / "node_modules" / ".package-lock.json"  # npm's record of what it installed
    lock = SOURCE / "package-lock.json"
    if not installed.is_file() or installed.stat().st_mtime < lock.stat().st_mtime:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=SOURCE, check=True, env=env)
    shutil.rmtree(OUTPUT, ignore_errors=True)
    # The lab venv's own JupyterLab is the core it is built against (no core-meta download).
    core = subprocess.run(
        [str(jupyter.parent / "python"), "-c", "import jupyterlab; print(jupyterlab.__file__)"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    core_package = Path(core).parent / "staging" / "package.json"
    subprocess.run(
        [str(jupyter), "labextension", "build", ".", f"--core-package-file={core_package}"],
        cwd=SOURCE, check=True, env=env,
    )  # fmt: skip
    # What `jupyter labextension list` says installed it.
    install = {"packageManager": "python", "packageName": "stretchkit"}
    install["uninstallInstructions"] = "pip uninstall stretchkit"
    (OUTPUT / "install.json").write_text(json.dumps(install, indent=1) + "\n", encoding="utf-8")
    stamp = {"sources": source_hashes(), "built": built_hashes()}
    STAMP.write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"learner-view: built {len(stamp['built'])} files into {OUTPUT.relative_to(ROOT)}/")


def check() -> list[str]:
    """What no longer matches the stamp: a source changed since the build, or a built file edited."""
    if not STAMP.is_file():
        return [f"{STAMP.relative_to(ROOT)} is missing: run `make learner-view`"]
    stamp = json.loads(STAMP.read_text(encoding="utf-8"))
    problems = []
    for kind, now in (("sources", source_hashes()), ("built", built_hashes())):
        for name in sorted(set(now) | set(stamp[kind])):
            if now.get(name) != stamp[kind].get(name):
                problems.append(f"{kind}: {name} differs from the build (run `make learner-view`)")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the stamp, build nothing")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        print("\n".join(problems) or "learner-view: the committed build matches its sources")
        return 1 if problems else 0
    build()
    return 0


if __name__ == "__main__":
    sys.exit(main())
