"""`make hub-check`: the course on a real JupyterHub, with a class of students logging in at once.

Starts JupyterHub (from PyPI) with configurable-http-proxy (from the npm registry) on 127.0.0.1,
the class's shared password and the local-process spawner, each student a real local Unix user
with a private home folder. The course is served to the hub by ``git daemon`` on 127.0.0.1, as a
class would get it from a git host. Then every student, all at once, as a browser would:

1. logs in with the shared password and asks for an API token,
2. starts their server and follows the class's nbgitpuller link (``scripts/hub_link.py``), which
   clones the course into their home and opens lesson 00,
3. runs lesson 04's timer cell in their own kernel (REST and kernel websocket through the proxy),
4. plays lesson 08's guided session: the timer's completion is sent to the kernel as the browser's
   widget sends it, and the session is saved to the journal.

Then it checks that each journal landed in its owner's home, private (home and journal folder
0700, files 0600), that a student's kernel cannot read a classmate's home, that a student's
token gets 403 from a classmate's server, and that the hub answered quickly throughout. It
prints one summary line and stops everything it started, users included, even on failure.

Needs root (it creates the students' accounts), node and npm, git; installs the proxy into
``.hub/proxy`` and, when this virtualenv is not usable by other users, a shared course
environment for the students into ``.hub/student-env`` (both ignored by git, reused next time),
or into /var/tmp/stretchkit-hub-env when the checkout itself is private.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import hashlib
import json
import os
import pwd
import shutil
import signal
import socket
import sqlite3
import stat
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from hub_link import nbgitpuller_link, repo_folder
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest, HTTPResponse
from tornado.websocket import WebSocketClientConnection, websocket_connect

ROOT = Path(__file__).resolve().parents[1]
STATE = ROOT / ".hub"
PROXY_DIR = STATE / "proxy"
PROXY_PACKAGE = "configurable-http-proxy@^4.6"
CONFIG = ROOT / "hub" / "jupyterhub_config.py"
LOCK = Path("/var/tmp/stretchkit-hub-check.lock")
MARK = "stretchkit hub-check"  # in each student's GECOS field, so stale accounts can be found
COURSE = "stretchkit"  # the folder nbgitpuller clones the course into
TIMER_LESSON = "notebooks/04-hamstring-stretch.ipynb"
ROUTINE_LESSON = "notebooks/08-your-routine.ipynb"
JOURNAL = Path(".local/share/stretchkit/journal.sqlite3")
HEALTH_LIMIT = 5.0  # seconds: the hub must answer /hub/health within this while the class starts
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def log(message: str) -> None:
    print(f"hub-check: {message}", flush=True)


class CheckFailed(Exception):
    """One step of one student failed; the message says which and what was seen."""


# --- set-up: proxy, course environment, users ------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ensure_proxy() -> Path:
    """configurable-http-proxy from the npm registry, in .hub/proxy (installed once)."""
    exe = PROXY_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
    if not exe.exists():
        if not shutil.which("npm"):
            raise SystemExit(
                "hub-check: npm is needed to install configurable-http-proxy (apt-get install npm)"
            )
        log(f"installing {PROXY_PACKAGE} from the npm registry into {PROXY_DIR.relative_to(ROOT)}")
        PROXY_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(PROXY_DIR), "--no-audit", "--no-fund", PROXY_PACKAGE],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return exe


def usable_by_others(path: Path, *, run: bool = True) -> bool:
    """Whether any user could read ``path`` (and run it, with ``run``): every folder above searchable."""
    real = path.resolve()
    need = stat.S_IROTH | (stat.S_IXOTH if run else 0)
    if not real.exists() or real.stat().st_mode & need != need:
        return False
    return all(p.stat().st_mode & stat.S_IXOTH for p in real.parents)


def _pyproject_stamp() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_student_env() -> Path:
    """The ``bin`` folder of a Python environment with the course that every student can run.

    Like TLJH's shared user environment. This virtualenv serves when other users can run its
    Python and reach this folder; otherwise (a Python under root's private home, as pyenv puts
    it) a second environment is made from a system Python: in .hub/student-env with the course
    in editable mode, or, when students cannot reach this folder, in /var/tmp/stretchkit-hub-env
    with the course installed afresh on each run.
    """
    here = Path(sys.executable).parent
    reachable = usable_by_others(ROOT / "pyproject.toml", run=False)
    if (
        reachable
        and usable_by_others(Path(sys.executable))
        and usable_by_others(here / "jupyterhub-singleuser")
    ):
        return here
    # Outside the checkout, one for every such checkout rather than one each.
    env = STATE / "student-env" if reachable else Path("/var/tmp/stretchkit-hub-env")
    bin_dir = env / "bin"
    pip = [str(bin_dir / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    stamp = env / ".installed"
    if not (
        stamp.exists() and stamp.read_text() == _pyproject_stamp() and usable_by_others(bin_dir / "python")
    ):
        candidates = [Path(p) for p in ("/usr/bin/python3", "/usr/local/bin/python3")]
        python = next((p for p in candidates if usable_by_others(p) and _is_311(p)), None)
        if python is None:
            raise SystemExit(
                f"hub-check: {sys.executable} is not usable by other users, and no system Python 3.11+ "
                "was found for the students' shared environment (apt-get install python3 python3-venv)"
            )
        log(f"installing the students' shared course environment into {env}")
        shutil.rmtree(env, ignore_errors=True)
        subprocess.run([str(python), "-m", "venv", str(env)], check=True)
        subprocess.run([*pip, *(["-e"] if reachable else []), f"{ROOT}[lab,hub]"], check=True)
        stamp.write_text(_pyproject_stamp())
    elif not reachable:  # this checkout's course, not the one installed last time
        subprocess.run([*pip, "--no-deps", "--force-reinstall", str(ROOT)], check=True)
    return bin_dir


def _is_311(python: Path) -> bool:
    code = "import sys; sys.exit(sys.version_info < (3, 11))"
    return subprocess.run([str(python), "-c", code], check=False).returncode == 0


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def processes_of(uid: int) -> list[int]:
    """Processes running as ``uid`` (read from /proc)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("Uid:"):
                    if int(line.split()[1]) == uid:
                        pids.append(int(entry.name))
                    break
    return pids


def stop_processes_of(uid: int) -> int:
    """Stop every process of a student account this script made; returns how many were left."""
    pids = processes_of(uid)
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 2.0)):
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and (pids := processes_of(uid)):
            time.sleep(0.1)
        if not pids:
            return 0
    return len(pids)


def remove_user(name: str) -> None:
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return
    if not entry.pw_gecos.startswith(MARK):  # never touch an account this script did not make
        return
    stop_processes_of(entry.pw_uid)
    subprocess.run(["userdel", name], check=False, stderr=subprocess.DEVNULL)
    home = Path(entry.pw_dir)
    if home.parent.name == "home" and home.parent.parent.name.startswith("stretchkit-hub-"):
        shutil.rmtree(home.parent.parent, ignore_errors=True)


def remove_stale_users() -> None:
    """Accounts left by a run that was killed (its pid, in the GECOS field, is gone)."""
    for entry in pwd.getpwall():
        if entry.pw_gecos.startswith(MARK):
            pid = entry.pw_gecos.rsplit(" ", 1)[-1]
            if not (pid.isdigit() and _pid_alive(int(pid))):
                log(f"removing {entry.pw_name}, left by an earlier run")
                remove_user(entry.pw_name)


@dataclass
class Student:
    name: str
    home: Path
    uid: int = 0
    token: str = ""
    cookies: dict[str, str] = field(default_factory=dict)
    spawn_seconds: float | None = None
    lesson_seconds: float | None = None
    failures: list[str] = field(default_factory=list)

    @property
    def journal(self) -> Path:
        return self.home / JOURNAL


def create_students(count: int, run_dir: Path) -> list[Student]:
    homes = run_dir / "home"
    homes.mkdir(mode=0o755)
    tag = uuid.uuid4().hex[:4]
    students = []
    for i in range(1, count + 1):
        name = f"skst{tag}{i:02d}"
        home = homes / name
        subprocess.run(
            [
                "useradd",
                "--create-home",
                "--home-dir",
                str(home),
                "--shell",
                "/bin/sh",
                "--user-group",
                "--comment",
                f"{MARK} {os.getpid()}",
                name,
            ],
            check=True,
        )
        home.chmod(0o700)  # a student's home is theirs alone (as HOME_MODE 0700 in login.defs does)
        students.append(Student(name, home, uid=pwd.getpwnam(name).pw_uid))
    return students


def serve_course(run_dir: Path) -> tuple[subprocess.Popen[bytes], str, str]:
    """The committed course as the class's git repository, served read-only by git daemon on 127.0.0.1.

    Returns the daemon, the repository's git:// address and its branch.
    """
    base = run_dir / "git"
    repo = base / COURSE
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(repo)], check=True)
    subprocess.run(["git", "push", "-q", str(repo), "HEAD:refs/heads/main"], cwd=ROOT, check=True)
    port = free_port()
    daemon = subprocess.Popen(
        [
            "timeout",
            "-k",
            "5",
            "900",
            "git",
            "daemon",
            "--reuseaddr",
            "--export-all",
            "--listen=127.0.0.1",
            f"--port={port}",
            f"--base-path={base}",
            str(base),
        ],
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return daemon, f"git://127.0.0.1:{port}/{COURSE}", "main"


# --- the students' browser: HTTP with cookies and tokens, kernels over websockets ------------


class Browser:
    """What a student's browser does against the hub, through the proxy."""

    def __init__(self, base: str, student: Student) -> None:
        self.base = base
        self.student = student
        self.http = AsyncHTTPClient()

    async def fetch(
        self,
        path: str,
        method: str = "GET",
        body: str | None = None,
        *,
        token: bool = True,
        headers: dict[str, str] | None = None,
        timeout: float = 60,
    ) -> HTTPResponse:
        h = dict(headers or {})
        if body:
            h.setdefault(
                "Content-Type",
                "application/json" if body[:1] in "{[" else "application/x-www-form-urlencoded",
            )
        if self.student.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.student.cookies.items())
        if token and self.student.token:
            h["Authorization"] = f"token {self.student.token}"
        request = HTTPRequest(
            self.base + path,
            method=method,
            body=body if body is not None else ("" if method == "POST" else None),
            headers=h,
            follow_redirects=False,
            request_timeout=timeout,
            connect_timeout=30,
        )
        try:
            response = await self.http.fetch(request, raise_error=False)
        except HTTPClientError as exc:  # timeouts and closed connections
            raise CheckFailed(f"{method} {path}: {exc}") from None
        for header in response.headers.get_list("Set-Cookie"):
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            self.student.cookies.update({k: m.value for k, m in jar.items()})
        return response

    async def expect(
        self, code: int, path: str, method: str = "GET", body: str | None = None, **kw: Any
    ) -> HTTPResponse:
        response = await self.fetch(path, method, body, **kw)
        if response.code != code:
            text = (response.body or b"")[:300].decode(errors="replace")
            raise CheckFailed(f"{method} {path}: expected {code}, got {response.code} {text}")
        return response

    async def log_in(self, password: str) -> None:
        await self.expect(200, "/hub/login", token=False)
        xsrf = self.student.cookies.get("_xsrf", "")
        form = urlencode({"username": self.student.name, "password": password, "_xsrf": xsrf})
        await self.expect(302, "/hub/login", "POST", form, token=False)
        if not any(k.startswith("jupyterhub-hub-login") for k in self.student.cookies):
            raise CheckFailed("logging in set no hub login cookie")
        # The API token the student's scripts (and this check) use from here on, asked for with
        # the login cookie as JupyterHub's own token page does (its XSRF token is set at login).
        xsrf = self.student.cookies.get("_xsrf", "")
        response = await self.expect(
            201,
            f"/hub/api/users/{self.student.name}/tokens",
            "POST",
            json.dumps({"note": "hub-check", "expires_in": 3600}),
            token=False,
            headers={"X-XSRFToken": xsrf},
        )
        self.student.token = json.loads(response.body)["token"]

    async def start_server(self, deadline: float) -> None:
        name = self.student.name
        response = await self.fetch(f"/hub/api/users/{name}/server", "POST", "{}")
        if response.code not in (201, 202):
            raise CheckFailed(f"starting the server: {response.code} {response.body[:300]!r}")
        while time.monotonic() < deadline:
            model = json.loads((await self.expect(200, f"/hub/api/users/{name}")).body)
            server = model.get("servers", {}).get("", {})
            if server.get("ready"):
                return
            if not server.get("pending") and not server.get("ready"):
                raise CheckFailed(f"the server stopped while starting: {model}")
            await asyncio.sleep(0.25)
        raise CheckFailed("the server was not ready in time")

    async def pull_course(self, link: str, repo: str, branch: str) -> None:
        """Follow the class's nbgitpuller link, and pull as its page's script does."""
        name = self.student.name
        parts = urlsplit(link)
        # The hub's redirects, followed as a browser does with the login cookie, lead to
        # nbgitpuller on the student's own server with the link's options intact.
        location = f"{parts.path}?{parts.query}"
        for _ in range(6):
            location = (await self.expect(302, location, token=False)).headers["Location"]
            if location.startswith(f"/user/{name}/"):
                break
        target = urlsplit(location)
        if target.path != f"/user/{name}/git-pull" or parse_qs(target.query) != parse_qs(parts.query):
            raise CheckFailed(f"the link led to {location!r}, not nbgitpuller on their own server")
        await self.expect(200, location)
        query = urlencode({"repo": repo, "branch": branch, "targetpath": repo_folder(repo)})
        response = await self.expect(200, f"/user/{name}/git-pull/api?{query}", timeout=180)
        events = [
            json.loads(line[6:]) for line in response.body.decode().splitlines() if line.startswith("data: ")
        ]
        if not events or events[-1].get("phase") != "finished":
            raise CheckFailed(f"nbgitpuller did not finish: {events[-3:]}")
        (urlpath,) = parse_qs(parts.query)["urlpath"]
        await self.expect(200, f"/user/{name}/{urlpath}")  # lesson 00 in JupyterLab

    async def notebook_code(self, path: str) -> list[str]:
        model = json.loads((await self.expect(200, f"/user/{self.student.name}/api/contents/{path}")).body)
        return ["".join(c["source"]) for c in model["content"]["cells"] if c["cell_type"] == "code"]

    async def kernel_for(self, path: str) -> Kernel:
        """Open ``path`` as JupyterLab does: a session with a kernel, then its websocket."""
        body = json.dumps({"path": path, "type": "notebook", "name": "", "kernel": {"name": "python3"}})
        response = await self.expect(201, f"/user/{self.student.name}/api/sessions", "POST", body)
        kernel_id = json.loads(response.body)["kernel"]["id"]
        url = (
            self.base.replace("http://", "ws://")
            + f"/user/{self.student.name}/api/kernels/{kernel_id}/channels"
        )
        request = HTTPRequest(
            url, headers={"Authorization": f"token {self.student.token}"}, request_timeout=60
        )
        return Kernel(await websocket_connect(request))


class Kernel:
    """A kernel's channels over Jupyter server's websocket (JSON messages)."""

    def __init__(self, ws: WebSocketClientConnection) -> None:
        self.ws = ws
        self.session = uuid.uuid4().hex

    def _send(self, msg_type: str, content: dict[str, Any]) -> str:
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": msg_type, "session": self.session, "username": "student"}
        header |= {"version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        message = {"header": header, "parent_header": {}, "metadata": {}, "content": content}
        self.ws.write_message(json.dumps(message | {"channel": "shell", "buffers": []}))
        return msg_id

    async def _replies(self, msg_id: str, timeout: float) -> list[dict[str, Any]]:
        """Every iopub message the kernel sent for ``msg_id``, until it went idle."""
        got: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CheckFailed(f"the kernel did not finish within {timeout:.0f} s")
            raw = await asyncio.wait_for(self.ws.read_message(), left)
            if raw is None:
                raise CheckFailed("the kernel's websocket closed")
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id or msg.get("channel") != "iopub":
                continue
            got.append(msg)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return got

    async def run(self, code: str, timeout: float = 120) -> list[dict[str, Any]]:
        msgs = await self._replies(self._send("execute_request", {"code": code, "silent": False}), timeout)
        for m in msgs:
            if m["msg_type"] == "error":
                raise CheckFailed(f"cell failed: {m['content']['ename']}: {m['content']['evalue']}")
        return msgs

    async def comm_update(self, comm_id: str, state: dict[str, Any]) -> list[dict[str, Any]]:
        """Change a widget's state as its view in the browser does."""
        data = {"method": "update", "state": state, "buffer_paths": []}
        return await self._replies(self._send("comm_msg", {"comm_id": comm_id, "data": data}), 60)

    def close(self) -> None:
        self.ws.close()


def _printed(msgs: list[dict[str, Any]]) -> str:
    return "".join(m["content"]["text"] for m in msgs if m["msg_type"] == "stream")


# --- one student's class ----------------------------------------------------------------------


@dataclass
class Class:
    base: str
    password: str
    link: str
    repo: str
    branch: str
    students: list[Student]
    deadline: float


async def attend(cls: Class, student: Student, neighbour: Student | None) -> None:
    """One student's whole class; failures are kept on the student, not raised."""
    browser = Browser(cls.base, student)
    t0 = time.monotonic()
    step = "logging in"
    try:
        await browser.log_in(cls.password)
        step = "starting their server"
        t_spawn = time.monotonic()
        await browser.start_server(cls.deadline)
        student.spawn_seconds = time.monotonic() - t_spawn
        step = "following the nbgitpuller link"
        await browser.pull_course(cls.link, cls.repo, cls.branch)

        step = "running lesson 04's timer"
        lesson = f"{COURSE}/{TIMER_LESSON}"
        code = await browser.notebook_code(lesson)
        timer_cell = next(c for c in code[1:] if "StretchTimer" in c)
        kernel = await browser.kernel_for(lesson)
        try:
            await kernel.run(code[0])  # the lesson's imports
            shown = await kernel.run(timer_cell)
            if not any(WIDGET_VIEW in m["content"].get("data", {}) for m in shown):
                seen = [(m["msg_type"], sorted(m["content"].get("data", {}))) for m in shown]
                raise CheckFailed(f"the timer cell showed no widget: {seen}")
            student.lesson_seconds = time.monotonic() - t0
        finally:
            kernel.close()

        step = "recording a guided session"
        lesson = f"{COURSE}/{ROUTINE_LESSON}"
        code = await browser.notebook_code(lesson)
        kernel = await browser.kernel_for(lesson)
        try:
            await kernel.run(code[0])  # the routine builder
            msgs = await kernel.run(next(c for c in code[1:] if "GuidedSession(" in c))
            timers = [
                (m["content"]["comm_id"], m["content"]["data"]["state"])
                for m in msgs
                if m["msg_type"] == "comm_open" and "completed_runs" in m["content"]["data"].get("state", {})
            ]
            if len(timers) != 1:
                raise CheckFailed(f"expected one guided-session timer, found {len(timers)}")
            # The plan's phases come with the widget or in a later update of its state.
            comm_id, state = timers[0]
            for m in msgs:
                if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id:
                    state = {**state, **m["content"]["data"].get("state", {})}
            # What the browser sends when the routine was played through: the run's report with the count.
            spent = [phase["seconds"] for phase in state.get("phases", [])]
            if not spent:
                raise CheckFailed("the guided-session timer was sent without its phases")
            run = {"spent": spent, "skipped": [], "wall": sum(spent)}
            echoed = json.dumps(await kernel.comm_update(comm_id, {"run": run, "completed_runs": 1}))
            if "Saved to your journal" not in echoed:
                raise CheckFailed("the guided session did not say it was saved to the journal")
            step = "reading their journal in their kernel"
            other = str(neighbour.home) if neighbour else ""
            probe = (
                "import json, os\nfrom stretchkit import Journal\nj = Journal()\nseen = None\n"
                f"try:\n    seen = sorted(os.listdir({other!r})) if {other!r} else []\n"
                "except PermissionError:\n    pass\n"
                "own = sorted(os.listdir(os.path.expanduser('~')))\n"
                "print(json.dumps({'path': str(j.path), 'sessions': len(j.sessions()), 'neighbour': seen,"
                " 'own': own}))"
            )
            found = json.loads(_printed(await kernel.run(probe)))
            if found["path"] != str(student.journal) or found["sessions"] != 1:
                raise CheckFailed(
                    f"their kernel sees the journal {found['path']} with {found['sessions']} sessions"
                )
            if COURSE not in found["own"]:
                raise CheckFailed(f"their kernel does not see the course in their home: {found['own']}")
            if found["neighbour"] is not None and neighbour:
                raise CheckFailed(f"their kernel could list {neighbour.name}'s home: {found['neighbour']}")
        finally:
            kernel.close()
    except Exception as exc:  # whatever went wrong is this student's failure, reported with the rest
        student.failures.append(f"{student.name}, {step}: {type(exc).__name__}: {exc}")


async def cross_checks(cls: Class) -> None:
    """With every server up: one student's token must not open a classmate's server."""
    ready = [s for s in cls.students if s.lesson_seconds is not None]
    for i, a in enumerate(ready):
        b = ready[(i + 1) % len(ready)]
        if a is b:
            continue
        browser = Browser(cls.base, a)
        try:
            own = await browser.fetch(f"/user/{a.name}/api/status")  # the same request works on their own
            if own.code != 200:
                a.failures.append(f"{a.name}'s token got HTTP {own.code} from their own server, not 200")
            got = await browser.fetch(f"/user/{b.name}/api/status")
            if got.code != 403:
                a.failures.append(f"{a.name}'s token reached {b.name}'s server: HTTP {got.code}, not 403")
            got = await browser.fetch(f"/user/{b.name}/api/contents/{COURSE}")
            if got.code != 403:
                a.failures.append(f"{a.name}'s token listed {b.name}'s files: HTTP {got.code}, not 403")
        except CheckFailed as exc:
            a.failures.append(f"{a.name} reaching {b.name}'s server: {exc}")


def check_privacy(student: Student) -> None:
    """The journal is in the student's own home, owned by them, and private (checked as root)."""
    data = student.journal.parent
    wanted = [(student.home, 0o700), (data, 0o700), (student.journal, 0o600)]
    wanted += [(student.journal.with_name(student.journal.name + s), 0o600) for s in ("-wal", "-shm")]
    for path, mode in wanted:
        if not path.exists():
            if path.name.endswith(("-wal", "-shm")):
                continue  # checkpointed and removed when the kernel closed it
            student.failures.append(f"{student.name}: {path} is missing")
            continue
        st = path.stat()
        if st.st_uid != student.uid or stat.S_IMODE(st.st_mode) != mode:
            student.failures.append(
                f"{student.name}: {path} is {oct(stat.S_IMODE(st.st_mode))} owned by uid {st.st_uid},"
                f" not {oct(mode)} owned by {student.uid}"
            )
    if student.journal.exists():
        conn = sqlite3.connect(f"{student.journal.as_uri()}?mode=ro", uri=True)
        try:
            (count,) = conn.execute("SELECT count(*) FROM sessions").fetchone()
        finally:
            conn.close()
        if count != 1:
            student.failures.append(f"{student.name}: the journal holds {count} sessions, not 1")


async def watch_health(base: str, stop: asyncio.Event, latencies: list[float], errors: list[str]) -> None:
    """Ask the hub (through the proxy) for /hub/health twice a second while the class runs."""
    http = AsyncHTTPClient()
    for _ in range(2400):  # bounded: at most 20 minutes
        if stop.is_set():
            return
        t0 = time.monotonic()
        try:
            response = await http.fetch(base + "/hub/health", raise_error=False, request_timeout=30)
            if response.code != 200:
                errors.append(f"/hub/health answered {response.code}")
        except HTTPClientError as exc:
            errors.append(f"/hub/health: {exc}")
        latencies.append(time.monotonic() - t0)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)


async def run_class(cls: Class) -> tuple[float, list[float], list[str]]:
    AsyncHTTPClient.configure(None, max_clients=64)
    stop = asyncio.Event()
    latencies: list[float] = []
    errors: list[str] = []
    watcher = asyncio.create_task(watch_health(cls.base, stop, latencies, errors))
    t0 = time.monotonic()
    n = len(cls.students)
    neighbours = [cls.students[(i + 1) % n] if n > 1 else None for i in range(n)]
    await asyncio.gather(*(attend(cls, s, nb) for s, nb in zip(cls.students, neighbours, strict=True)))
    wall = time.monotonic() - t0
    await cross_checks(cls)
    stop.set()
    await watcher
    return wall, latencies, errors


# --- the hub -------------------------------------------------------------------------------


@contextlib.contextmanager
def hub_running(
    run_dir: Path, students: list[Student], password: str, singleuser: Path, proxy: Path
) -> Iterator[str]:
    """JupyterHub with its proxy on 127.0.0.1; stopped (servers and proxy with it) on the way out."""
    port = free_port()
    env = dict(os.environ)
    env.pop("STRETCHKIT_HOME", None)  # each student's journal goes to their own home
    env["PATH"] = f"{singleuser.parent}{os.pathsep}{env.get('PATH', '')}"
    env |= {
        "STRETCHKIT_HUB_RUN_DIR": str(run_dir),
        "STRETCHKIT_HUB_PORT": str(port),
        "STRETCHKIT_HUB_API_PORT": str(free_port()),
        "STRETCHKIT_HUB_PROXY_API_PORT": str(free_port()),
        "STRETCHKIT_HUB_PROXY": str(proxy),
        "STRETCHKIT_HUB_PASSWORD": password,
        "STRETCHKIT_HUB_STUDENTS": " ".join(s.name for s in students),
        "STRETCHKIT_HUB_SINGLEUSER": str(singleuser),
        "STRETCHKIT_HUB_DEFAULT_URL": f"/lab/tree/{COURSE}/notebooks/00-start-here.ipynb",
    }
    base = f"http://127.0.0.1:{port}"
    hub_log = (run_dir / "hub.log").open("wb")
    jupyterhub = Path(sys.executable).parent / "jupyterhub"
    # `timeout` bounds the hub's life even if this script is killed outright.
    hub = subprocess.Popen(
        ["timeout", "-k", "10", "1200", str(jupyterhub), "-f", str(CONFIG)],
        cwd=run_dir,
        env=env,
        stdout=hub_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            if hub.poll() is not None:
                raise SystemExit(f"hub-check: the hub exited ({hub.returncode}); its log:\n{_tail(run_dir)}")
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{base}/hub/health", timeout=2) as r:
                if r.status == 200:  # through the proxy, once the hub has set up its routes
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"hub-check: the hub did not start in 90 s; its log:\n{_tail(run_dir)}")
            time.sleep(0.2)
        yield base
    finally:
        hub.send_signal(signal.SIGTERM)  # the hub stops every server and the proxy, then exits
        try:
            hub.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(hub.pid, signal.SIGKILL)
            hub.wait(10)
        hub_log.close()
        pid_file = run_dir / "proxy.pid"
        if pid_file.exists() and pid_file.read_text().strip().isdigit():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid_file.read_text()), signal.SIGTERM)


def _tail(run_dir: Path, lines: int = 40) -> str:
    path = run_dir / "hub.log"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


def summary(
    students: list[Student], wall: float, latencies: list[float], errors: list[str], total: float
) -> str:
    served = [s for s in students if not s.failures]
    spawn = [s.spawn_seconds for s in students if s.spawn_seconds is not None]
    lesson = [s.lesson_seconds for s in students if s.lesson_seconds is not None]
    failures = sum(len(s.failures) for s in students) + len(errors)

    def span(xs: list[float]) -> str:
        return f"median {statistics.median(xs):.1f} s, max {max(xs):.1f} s" if xs else "none"

    health = f"max {max(latencies):.2f} s over {len(latencies)} checks" if latencies else "not checked"
    return (
        f"hub-check: {len(served)}/{len(students)} students served; spawn {span(spawn)}; "
        f"lesson 04 running {span(lesson)}; hub /health {health}; {failures} failures; "
        f"class {wall:.0f} s, {total:.0f} s in all"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=10, help="students logging in at once (default 10)")
    parser.add_argument(
        "--optional",
        action="store_true",
        help="as make test runs it: say so and pass when not root, except in CI",
    )
    parser.add_argument("--json", type=Path, help="also write the timings to this file (for make bench)")
    args = parser.parse_args(argv)
    if not 1 <= args.students <= 30:
        parser.error("--students must be from 1 to 30")
    if sys.platform != "linux" or os.geteuid() != 0:
        why = "hub-check needs Linux and root: it creates a local account for each student"
        if args.optional and os.environ.get("CI", "").lower() not in ("true", "1"):
            print(f"hub-check: SKIPPED: {why}; run `sudo make hub-check` (in CI this is an error)")
            return 0
        print(f"hub-check: {why}", file=sys.stderr)
        return 2
    # A stop by CI or Ctrl-C still runs the clean-up below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    lock = LOCK.open("w")  # one class at a time on this machine: they share the students' environment
    for _ in range(600):
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if _ == 0:
                log("waiting for another hub-check on this machine to finish")
            time.sleep(1)
    else:
        print("hub-check: another hub-check held the machine for ten minutes", file=sys.stderr)
        return 2
    t_start = time.monotonic()
    remove_stale_users()
    proxy = ensure_proxy()
    singleuser = ensure_student_env() / "jupyterhub-singleuser"
    run_dir = Path(tempfile.mkdtemp(prefix="stretchkit-hub-"))
    run_dir.chmod(0o755)
    students: list[Student] = []
    daemon: subprocess.Popen[bytes] | None = None
    result = 1
    try:
        students = create_students(args.students, run_dir)
        daemon, repo, branch = serve_course(run_dir)
        password = uuid.uuid4().hex
        with hub_running(run_dir, students, password, singleuser, proxy) as base:
            log(f"hub up at {base} with {len(students)} students; the class logs in at once")
            link = nbgitpuller_link(base, repo, branch)
            cls = Class(base, password, link, repo, branch, students, time.monotonic() + 600)
            wall, latencies, errors = asyncio.run(run_class(cls))
            for s in students:
                if s.lesson_seconds is not None:
                    check_privacy(s)
            if latencies and max(latencies) > HEALTH_LIMIT:
                errors.append(
                    f"the hub took {max(latencies):.1f} s to answer /hub/health (limit {HEALTH_LIMIT} s)"
                )
        for s in students:
            for failure in s.failures:
                log(f"FAILED {failure}")
        for error in errors:
            log(f"FAILED {error}")
        if any(s.failures for s in students) or errors:
            print(_tail(run_dir), file=sys.stderr)
        else:
            result = 0
        print(summary(students, wall, latencies, errors, time.monotonic() - t_start), flush=True)
        if args.json:
            timings = {
                "students": len(students),
                "served": sum(not s.failures for s in students),
                "spawn_seconds": [s.spawn_seconds for s in students],
                "lesson_seconds": [s.lesson_seconds for s in students],
                "class_seconds": wall,
            }
            args.json.write_text(json.dumps(timings))
    finally:
        if daemon is not None:
            os.killpg(daemon.pid, signal.SIGTERM)
            daemon.wait(10)
        left = {s.name: stop_processes_of(s.uid) for s in students}
        for s in students:
            remove_user(s.name)
        shutil.rmtree(run_dir, ignore_errors=True)
        if any(left.values()):
            log(f"processes still running as students after stop: {left}")
            result = 1
    return result


if __name__ == "__main__":
    sys.exit(main())
