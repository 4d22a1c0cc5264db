"""`make pose-model`: the camera check's pose model and library, from the npm registry.

The camera check (stretchkit/static/camera.js) runs the MoveNet Lightning pose model with
@vladmandic/human on TensorFlow.js's wasm backend, entirely in the browser. Like the site's
Pyodide (scripts/lite.py), its files come from npm at build time, never from a CDN at run
time, and are not kept in git: this script packs the two npm packages (cached in
``.lite/cache``) and copies only the files the check loads, with the packages' licences,
into ``stretchkit/static/pose-model/`` (git-ignored), which the wheel and the site carry.

Usage: ``python scripts/pose_model.py [--dest DIR] [--optional]``; ``make pose-model`` and
``make lite`` run it, ``make lab`` and ``make test`` with ``--optional``: without npm they say
so and go on (the camera check then says its files are not installed; the timer works as
before). Prints the size it adds.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEST = ROOT / "stretchkit" / "static" / "pose-model"
CACHE = ROOT / ".lite" / "cache"

#: npm package -> (version, {file in the package: name in DEST}).
PACKAGES: dict[str, tuple[str, dict[str, str]]] = {
    "@vladmandic/human": (
        "3.3.6",
        {
            "dist/human.esm.js": "human.esm.js",
            "models/movenet-lightning.json": "movenet-lightning.json",
            "models/movenet-lightning.bin": "movenet-lightning.bin",
            "LICENSE": "LICENSE-human.txt",
            "package.json": "package-human.json",
        },
    ),
    "@tensorflow/tfjs-backend-wasm": (
        "4.22.0",
        {
            "dist/tfjs-backend-wasm.wasm": "tfjs-backend-wasm.wasm",
            "dist/tfjs-backend-wasm-simd.wasm": "tfjs-backend-wasm-simd.wasm",
            "dist/tfjs-backend-wasm-threaded-simd.wasm": "tfjs-backend-wasm-threaded-simd.wasm",
            "package.json": "package-tfjs-backend-wasm.json",
        },
    ),
}

NOTICE = """# The camera check's third-party files

Fetched from the npm registry by scripts/pose_model.py; not kept in git.

| npm package | version | licence | files |
| --- | --- | --- | --- |
{rows}

@vladmandic/human's `human.esm.js` bundles TensorFlow.js (Apache-2.0, Google LLC); the
MoveNet Lightning weights are Google's MoveNet model (Apache-2.0), as converted and shipped
inside @vladmandic/human. Each package's own `package.json` (copied as `package-*.json`)
states its licence; @vladmandic/human's licence text is `LICENSE-human.txt`. The Apache
License 2.0 is at https://www.apache.org/licenses/LICENSE-2.0.
"""


def tarball(name: str, version: str, cache: Path) -> Path:
    """npm's tarball of ``name@version`` (cached)."""
    path = cache / f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "pack", "--silent", f"{name}@{version}", "--pack-destination", str(cache)], check=True
        )
    return path


def fetch(dest: Path = DEST, cache: Path = CACHE) -> int:
    """Copy the check's files into ``dest``; returns the bytes they take."""
    dest.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, (version, files) in PACKAGES.items():
        with tarfile.open(tarball(name, version, cache)) as tar:
            licence = ""
            for inside, out in files.items():
                member = tar.extractfile(f"package/{inside}")
                if member is None:
                    raise SystemExit(f"pose-model: {name}@{version} has no {inside}")
                data = member.read()
                if inside == "package.json":
                    meta = json.loads(data)
                    if meta.get("version") != version:
                        raise SystemExit(f"pose-model: {name} is {meta.get('version')}, expected {version}")
                    licence = str(meta.get("license", "?"))
                (dest / out).write_bytes(data)
        rows.append(f"| {name} | {version} | {licence} | {', '.join(f'`{f}`' for f in files.values())} |")
    (dest / "NOTICE.md").write_text(NOTICE.format(rows="\n".join(rows)), encoding="utf-8")
    size = sum(p.stat().st_size for p in dest.iterdir())
    return size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dest", type=Path, default=DEST, help="where the files go (default stretchkit/static/pose-model)"
    )
    parser.add_argument("--optional", action="store_true", help="without npm, say so and succeed")
    args = parser.parse_args(argv)
    if args.optional and shutil.which("npm") is None:
        print("pose-model: npm not found: the camera check stays off (install npm, then `make pose-model`)")
        return 0
    size = fetch(args.dest.resolve())
    print(
        f"pose-model: the camera check's files and their licences in {args.dest}: {size / 1e6:.1f} MB added"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
