"""`make hub-link HUB=https://hub.example.org`: the nbgitpuller link that opens lesson 00 on a hub.

A student who follows the link logs in to the hub; nbgitpuller then clones the course into
their home folder (or merges the latest changes into their copy, keeping their own edits) and
opens ``notebooks/00-start-here.ipynb`` in JupyterLab. The link has nbgitpuller's documented
form, the same as its link generator makes::

    {hub}/hub/user-redirect/git-pull?repo={repo}&urlpath=lab/tree/{folder}/notebooks/00-start-here.ipynb&branch={branch}

with every value URL-encoded. ``repo`` defaults to this clone's ``origin`` remote and
``branch`` to the branch checked out; both can be given.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
FIRST_LESSON = "notebooks/00-start-here.ipynb"


class LinkError(ValueError):
    """The link cannot be made; the message says what to pass instead."""


def repo_folder(repo: str) -> str:
    """The folder nbgitpuller clones ``repo`` into: the last part of its address, as it is.

    (nbgitpuller keeps a ``.git`` ending in the folder's name, so give the address without one.)
    """
    name = repo.rstrip("/").split("/")[-1]
    if not name or name in (".", ".."):
        raise LinkError(f"cannot tell the folder name of repository {repo!r}")
    return name


def hub_base(hub: str) -> str:
    """The hub's address, checked, ending in ``/``."""
    parts = urlsplit(hub)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LinkError(f"HUB must be the hub's address, like https://hub.example.org, got {hub!r}")
    if parts.query or parts.fragment:
        raise LinkError(f"HUB must be the hub's address without ?query or #fragment, got {hub!r}")
    return hub if hub.endswith("/") else hub + "/"


def nbgitpuller_link(hub: str, repo: str, branch: str = "", path: str = FIRST_LESSON) -> str:
    """The nbgitpuller link that clones ``repo`` and opens ``path`` (inside it) in JupyterLab."""
    base = hub_base(hub)
    if not repo.strip():
        raise LinkError("REPO must be the course's git repository URL")
    params = {"repo": repo, "urlpath": f"lab/tree/{repo_folder(repo)}/{path}"}
    if branch:
        params["branch"] = branch
    return f"{base}hub/user-redirect/git-pull?{urlencode(params)}"


def _git(*args: str) -> str:
    out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return out.stdout.strip() if out.returncode == 0 else ""


def default_repo() -> str:
    """This clone's ``origin``, if a hub could clone it (a network URL, not a local folder)."""
    origin = _git("remote", "get-url", "origin")
    if origin and ("://" in origin or origin.startswith("git@")) and not origin.startswith("file:"):
        return origin
    where = f"is the local folder {origin}" if origin else "is not set"
    raise LinkError(
        f"this clone's git remote 'origin' {where}, which a hub cannot clone: pass the address where "
        "your class's copy of the course is published, e.g. REPO=https://github.com/your-name/stretchkit"
    )


def default_branch() -> str:
    branch = _git("rev-parse", "--abbrev-ref", "HEAD")
    return "" if branch in ("", "HEAD") else branch


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("hub", help="the hub's address, e.g. https://hub.example.org")
    parser.add_argument("--repo", default="", help="the course's git repository (default: origin)")
    parser.add_argument("--branch", default="", help="branch to pull (default: the one checked out)")
    args = parser.parse_args(argv)
    try:
        hub_base(args.hub)
        repo = args.repo or default_repo()
        print(nbgitpuller_link(args.hub, repo, args.branch or default_branch()))
    except LinkError as exc:
        print(f"hub-link: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
