"""`make lite`: the course as a static JupyterLite site that works offline.

Runs in the lite build environment (.venv-lite: jupyterlite-core, jupyterlite-pyodide-kernel
and the widget lab extensions, see the ``lite`` dependency group in pyproject.toml) and uses
only the package registries:

1. Pyodide from the npm package ``pyodide`` at the version the kernel pins, unpacked into the
   lite folder's ``static/pyodide/``: jupyterlite's PyodideAddon copies it into the site and
   points the kernel's ``pyodideUrl`` at ``./static/pyodide/pyodide.mjs``.
2. The npm package carries only Pyodide's core; the wheels its ``pyodide-lock.json`` names live
   on a CDN. So every pure-Python package the kernel and the course need (micropip, IPython,
   jedi and their dependencies; the course's own wheel, anywidget, ipywidgets …) is fetched
   from PyPI as a ``py3-none-any`` wheel, put beside ``pyodide.mjs`` and written into the lock
   with its real hash. Everything else is dropped from the lock, so a missing package fails
   at once by name instead of as a request to the CDN. This is what jupyterlite's own
   PyodideLockAddon does, without the Python 3.12 and ``uv`` it needs.
3. ``loadPyodideOptions.packages`` preloads the course (``import stretchkit`` works with no
   ``%pip`` cell) and the kernel's own packages; ``disablePyPIFallback`` keeps ``%pip`` off
   PyPI (``%pip install stretchkit`` finds the bundled wheel).
4. The learner's view at the site's root: the root ``index.html`` (which JupyterLite's
   config-utils.js would send to ``lab/``) opens lesson 00 in the Notebook view instead, and
   the course's front-end extension (lab/labextensions/, built by scripts/learner_view.py)
   is copied in as a federated extension: lessons there show no code and run by themselves.
5. The camera check's pose model, library and wasm files from npm (scripts/pose_model.py) into
   the package before its wheel is built. The site's copy of that wheel leaves them out
   (``site_wheel``: its zip and RECORD rewritten), so a first visit does not download 8 MB for
   a check that is off until the learner turns it on; they are plain static files of the
   site instead (``pose-model/``, the course's ``camera.SITE_POSE``), fetched from the site's
   own host only when the camera is turned on.
6. The notebooks in notebooks/ are copied in as the site's contents (no second copy in git),
   each multi-line string joined as a Jupyter server does when it reads a notebook: the site
   hands the file's JSON to the page as it is, and the page shows a saved Markdown output
   kept as a list of lines unjoined (jupyterlite/jupyterlite#1105), so lesson 00's safety
   notice read as run-together text until the lesson was run.

Usage: ``python scripts/lite.py [--out _site]``; ``make lite`` runs it.
"""

from __future__ import annotations

import argparse
import base64
import email.parser
import hashlib
import importlib.metadata
import json
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_site"
WORK = ROOT / ".lite"  # git-ignored: the lite folder jupyterlite builds from, and a download cache
KERNEL_SETTINGS = "@jupyterlite/pyodide-kernel-extension:kernel"
#: The course's prebuilt front-end extension (the learner's view), committed built.
LEARNER_VIEW = ROOT / "lab" / "labextensions" / "stretchkit-learner-view"
#: The learner's view of lesson 00, relative to the site's root: where the root address goes.
LEARNER_HOME = "notebooks/index.html?path=00-start-here.ipynb"
#: Default settings of the site's apps (jupyterlite's overrides.json): light or dark as the
#: learner's device is set (JupyterLab's "synchronise with system" theme setting).
SETTINGS = {"@jupyterlab/apputils-extension:themes": {"adaptive-theme": True}}
#: The root page's module script, which sends the root address to the ``appUrl`` (``lab/``).
ROOT_REDIRECT = "<script type=\"module\">\n      await import('./config-utils.js');\n    </script>"

# What the kernel itself installs at start (jupyterlite-pyodide-kernel's worker), and the course.
KERNEL_PACKAGES = ["micropip", "ipython", "jedi", "comm"]
COURSE = "stretchkit"
# Requirements that are left out of the site on purpose, and why.
LEFT_OUT = {
    "matplotlib": "no WebAssembly wheel is reachable (PyPI has none; Pyodide's are on a CDN)",
    "widgetsnbextension": "the Pyodide kernel ships its own stand-in",
}
# The environment markers of Pyodide's Python, for the course's requirements.
PYODIDE_MARKERS = {
    "python_version": "3.14",
    "python_full_version": "3.14.2",
    "sys_platform": "emscripten",
    "platform_system": "Emscripten",
    "platform_machine": "wasm32",
    "os_name": "posix",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "extra": "",
}
#: The camera check's files: in the package, left out of the site's wheel, served by the site
#: from SITE_POSE (the same folder as stretchkit.camera.SITE_POSE; tests/test_scripts.py checks).
POSE_MODEL = ROOT / "stretchkit" / "static" / "pose-model"
POSE_IN_WHEEL = "stretchkit/static/pose-model/"
SITE_POSE = "pose-model/"
# The files of the npm package the site needs (no source maps, type stubs or demo consoles).
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "package.json")


def run(*args: str | Path, cwd: Path = ROOT) -> None:
    subprocess.run([str(a) for a in args], check=True, cwd=cwd)


def pyodide_version() -> str:
    from jupyterlite_pyodide_kernel import constants  # type: ignore[import-not-found]  # .venv-lite only

    return str(constants.PYODIDE_VERSION)


def fetch_pyodide(version: str, cache: Path, dest: Path) -> dict[str, Any]:
    """Unpack npm's ``pyodide@version`` into ``dest`` and return its lock file."""
    tarball = cache / f"pyodide-{version}.tgz"
    if not tarball.exists():
        cache.mkdir(parents=True, exist_ok=True)
        run("npm", "pack", "--silent", f"pyodide@{version}", "--pack-destination", cache)
    dest.mkdir(parents=True)
    with tarfile.open(tarball) as tar:
        for name in PYODIDE_FILES:
            member = tar.extractfile(f"package/{name}")
            assert member is not None, name
            (dest / name).write_bytes(member.read())
        lock_file = tar.extractfile("package/pyodide-lock.json")
        assert lock_file is not None
        lock: dict[str, Any] = json.load(lock_file)
    return lock


def pure_wheel(name: str, version: str, cache: Path) -> Path:
    """The ``py3-none-any`` wheel of ``name==version`` from PyPI (cached)."""
    found = [w for w in cache.glob("*.whl") if _wheel_id(w) == (canonicalize_name(name), version)]
    if not found:
        run(
            sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
            "--python-version", "3.14", "--implementation", "py", "--abi", "none", "--platform", "any",
            "-d", cache, f"{name}=={version}",
        )  # fmt: skip
        found = [w for w in cache.glob("*.whl") if _wheel_id(w) == (canonicalize_name(name), version)]
    if len(found) != 1 or not found[0].name.endswith("-none-any.whl"):
        raise SystemExit(f"lite: no pure-Python wheel of {name}=={version} ({found})")
    return found[0]


def _wheel_id(wheel: Path) -> tuple[str, str]:
    name, version = wheel.name.split("-")[:2]
    return canonicalize_name(name), version


def course_wheel(cache: Path) -> Path:
    """The course's own wheel, built from this checkout."""
    out = cache / "course"
    shutil.rmtree(out, ignore_errors=True)
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", out, ROOT)
    (wheel,) = out.glob("stretchkit-*.whl")
    return site_wheel(wheel, out / "site")


def _record_hash(data: bytes) -> str:
    """A RECORD line's hash (PEP 376 / the wheel spec: urlsafe base64 sha256, unpadded)."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def site_wheel(wheel: Path, dest: Path, leave_out: str = POSE_IN_WHEEL) -> Path:
    """A copy of ``wheel`` in ``dest`` (same name) without the files under ``leave_out``, its
    RECORD listing exactly the files it keeps, each with its hash and size."""
    dest.mkdir(parents=True, exist_ok=True)
    out = dest / wheel.name
    with zipfile.ZipFile(wheel) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        record_name = next(n for n in src.namelist() if n.endswith(".dist-info/RECORD"))
        lines = []
        for info in src.infolist():
            if info.filename.startswith(leave_out) or info.filename == record_name:
                continue
            data = src.read(info)
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
            if not info.is_dir():
                lines.append(f"{info.filename},{_record_hash(data)},{len(data)}")
        lines.append(f"{record_name},,")
        dst.writestr(src.getinfo(record_name), "\n".join(lines) + "\n", compress_type=zipfile.ZIP_DEFLATED)
    return out


def copy_pose_model(out: Path) -> int:
    """The camera check's files as plain static files of the site (``SITE_POSE``); their count."""
    files = sorted(p for p in POSE_MODEL.iterdir() if p.is_file()) if POSE_MODEL.is_dir() else []
    if not files:
        raise SystemExit(f"lite: no camera check files in {POSE_MODEL} (run make pose-model)")
    dest = out / SITE_POSE
    dest.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy2(f, dest / f.name)
    return len(files)


def wheel_metadata(wheel: Path) -> tuple[list[str], list[str]]:
    """A wheel's requirements (for Pyodide's platform) and its top-level import names."""
    with zipfile.ZipFile(wheel) as z:
        meta_name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        meta = email.parser.Parser().parsestr(z.read(meta_name).decode())
        imports = sorted(
            {
                n.split("/")[0].removesuffix(".py")
                for n in z.namelist()
                if not n.split("/")[0].endswith((".dist-info", ".data"))
                and (n.endswith("/__init__.py") or ("/" not in n and n.endswith(".py")))
            }
        )
    requires = []
    for line in meta.get_all("Requires-Dist") or []:
        req = Requirement(line)
        if req.marker is None or Marker(str(req.marker)).evaluate(dict(PYODIDE_MARKERS)):
            requires.append(str(canonicalize_name(req.name)))
    return requires, imports


def build_lock(npm_lock: dict[str, Any], dest: Path, cache: Path) -> tuple[dict[str, Any], list[str]]:
    """A lock of only the packages the site ships, each wheel copied into ``dest``."""
    known = {canonicalize_name(k): v for k, v in npm_lock["packages"].items()}
    wheels = cache / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    packages: dict[str, Any] = {}
    left_out: list[str] = []
    todo = [*KERNEL_PACKAGES, COURSE]
    while todo:
        name = canonicalize_name(todo.pop())
        if name in packages:
            continue
        if name in LEFT_OUT:
            left_out.append(name)
            continue
        if name == COURSE:
            wheel = course_wheel(cache)
        elif name in known:  # the version Pyodide was released with
            wheel = pure_wheel(name, known[name]["version"], wheels)
        else:  # the version this build environment runs, so lab extension and kernel side agree
            wheel = pure_wheel(name, importlib.metadata.version(name), wheels)
        requires, imports = wheel_metadata(wheel)
        entry = dict(known.get(name, {}))
        depends = [canonicalize_name(d) for d in entry.get("depends", requires)]
        entry.update(
            name=name,
            version=_wheel_id(wheel)[1],
            file_name=wheel.name,
            install_dir="site",
            package_type="package",
            sha256=hashlib.sha256(wheel.read_bytes()).hexdigest(),
            imports=entry.get("imports", imports),
            depends=[d for d in depends if d not in LEFT_OUT],
            unvendored_tests=False,
        )
        left_out += [d for d in depends if d in LEFT_OUT]
        packages[name] = entry
        shutil.copy2(wheel, dest / wheel.name)
        todo += depends
    return {"info": npm_lock["info"], "packages": dict(sorted(packages.items()))}, sorted(set(left_out))


def _is_json_mime(mime: str) -> bool:
    """nbformat's rule: JSON outputs are data, never lists of lines."""
    return mime == "application/json" or (mime.startswith("application/") and mime.endswith("+json"))


def _joined(value: Any) -> Any:
    return "".join(value) if isinstance(value, list) else value


def joined_notebook(notebook: dict[str, Any]) -> dict[str, Any]:
    """``notebook`` with each multi-line string (sources, stream text, text outputs) one string.

    This is what nbformat's ``rejoin_lines`` does when a Jupyter server reads a notebook; the
    static site has no server, so the build does it for the site's copy.
    """
    for cell in notebook.get("cells", []):
        cell["source"] = _joined(cell.get("source", ""))
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = _joined(output["text"])
            for mime, value in output.get("data", {}).items():
                if not _is_json_mime(mime):
                    output["data"][mime] = _joined(value)
    return notebook


def copy_notebook(source: Path, dest: Path) -> None:
    """The site's copy of one notebook, its multi-line strings joined (see ``joined_notebook``)."""
    notebook = joined_notebook(json.loads(source.read_text(encoding="utf-8")))
    dest.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def learner_home(out: Path) -> None:
    """Make the site's root open the learner's view of lesson 00, not JupyterLab.

    Child pages still read the root page's ``jupyter-config-data`` script, so only the
    redirect is replaced; relative, so the site works under any folder (GitHub Pages).
    """
    index = out / "index.html"
    html = index.read_text(encoding="utf-8")
    if ROOT_REDIRECT not in html:
        raise SystemExit(f"lite: {index} has no config-utils redirect to replace (did jupyterlite change?)")
    home = (
        f'<meta http-equiv="refresh" content="0; url={LEARNER_HOME}">\n'
        f"    <script>window.location.replace({json.dumps(LEARNER_HOME)});</script>"
    )
    body = f'<body><p><a href="{LEARNER_HOME}">Start the course</a></p></body>\n</html>'
    index.write_text(html.replace(ROOT_REDIRECT, home).replace("</html>", body), encoding="utf-8")


def build(out: Path, extra_contents: list[Path] | None = None) -> None:
    version = pyodide_version()
    run(sys.executable, ROOT / "scripts" / "pose_model.py")  # the package carries them; the site serves them
    lite_dir = WORK / "lite"
    shutil.rmtree(lite_dir, ignore_errors=True)
    pyodide_dir = lite_dir / "static" / "pyodide"
    npm_lock = fetch_pyodide(version, WORK / "cache", pyodide_dir)
    lock, left_out = build_lock(npm_lock, pyodide_dir, WORK / "cache")
    (pyodide_dir / "pyodide-lock.json").write_text(json.dumps(lock, indent=1) + "\n")

    files = lite_dir / "files"
    files.mkdir()
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        copy_notebook(notebook, files / notebook.name)
    for extra in extra_contents or []:  # for the benchmarks: notebooks that are not lessons
        copy_notebook(extra, files / extra.name)

    config = {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "Back pain relief through stretching",
            "litePluginSettings": {
                KERNEL_SETTINGS: {
                    "disablePyPIFallback": True,
                    "loadPyodideOptions": {"packages": [*KERNEL_PACKAGES, COURSE]},
                }
            },
        },
    }
    (lite_dir / "jupyter-lite.json").write_text(json.dumps(config, indent=2) + "\n")
    (lite_dir / "overrides.json").write_text(json.dumps(SETTINGS, indent=2) + "\n")

    shutil.rmtree(out, ignore_errors=True)
    run(
        sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", lite_dir, "--output-dir", out,
        "--contents", files, "--apps", "lab", "--apps", "notebooks", "--no-sourcemaps",
        "--no-unused-shared-packages", f"--LiteBuildConfig.federated_extensions={LEARNER_VIEW}",
        cwd=lite_dir,  # jupyterlite's task database goes there, and is wiped with it on each build
    )  # fmt: skip
    learner_home(out)
    copy_pose_model(out)
    (out / ".nojekyll").touch()  # GitHub Pages: serve folders starting with "_" too
    print(f"\nlite: Pyodide {version} from ./static/pyodide, {len(lock['packages'])} bundled wheels")
    print(f"lite: the camera check's files in ./{SITE_POSE} (not in the course's wheel), loaded on switch-on")
    for name in left_out:
        print(f"lite: left out {name}: {LEFT_OUT[name]}")
    where = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
    print(f"lite: site in {where}/; serve it with `make lite-serve` or `python -m http.server -d {where}`")
    print("lite: learners open http://127.0.0.1:8000/ (the lessons, no code);")
    print("lite: the code is in JupyterLab at http://127.0.0.1:8000/lab/index.html?path=00-start-here.ipynb")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="the site's folder (default _site)")
    parser.add_argument(
        "--extra-contents", type=Path, action="append", help="a file to add to the contents (benchmarks)"
    )
    args = parser.parse_args(argv)
    build(args.out.resolve(), args.extra_contents)
    return 0


if __name__ == "__main__":
    sys.exit(main())
