"""The package's shape: no import cycles, the journal a storage leaf, ARCHITECTURE.md in step;
and around it, no import cycle in the benchmarks and no test that leans on a tracker.

Imports are read from the source (every import statement, in functions and under
TYPE_CHECKING too), so an import moved into a function cannot hide a cycle.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "stretchkit"
BENCH = ROOT / "bench"
#: Third-party modules heavy enough to import only when used (drawing); nothing else is lazy.
LAZY_ALLOWED = ("matplotlib",)


def modules() -> list[str]:
    return sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")


def _imports(name: str, folder: Path = PACKAGE) -> list[tuple[str, bool]]:
    """(imported module, inside a function?) for every import statement in ``<folder>/<name>.py``.

    A relative import is named from the folder's package (``stretchkit.content``, ``bench.common``).
    """
    tree = ast.parse((folder / f"{name}.py").read_text(encoding="utf-8"))
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend((alias.name, nested) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:  # relative: within the package
                    base = child.module or ""
                    if base:
                        found.append((f"{folder.name}.{base}", nested))
                    else:  # from . import x, y
                        found.extend((f"{folder.name}.{alias.name}", nested) for alias in child.names)
                else:
                    found.append((child.module or "", nested))
            visit(child, nested)

    visit(tree, False)
    return found


def graph(folder: Path = PACKAGE) -> dict[str, set[str]]:
    """Imports within a package: module -> the package's modules it imports."""
    package = folder.name
    names = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
    out: dict[str, set[str]] = {}
    for name in names:
        deps = set()
        for target, _ in _imports(name, folder):
            parts = target.split(".")
            if parts[0] == package:
                assert len(parts) > 1, f"{name} imports the {package} package itself; import the module"
                assert parts[1] in names, f"{name} imports {target}, which does not exist"
                deps.add(parts[1])
        out[name] = deps
    return out


def cycle(deps: dict[str, set[str]]) -> list[str]:
    """The first import cycle found in ``deps`` (its modules, the first again at the end), or []."""
    state: dict[str, str] = {}
    path: list[str] = []

    def walk(node: str) -> list[str]:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(deps[node]):
            if state.get(nxt) == "open":
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := walk(nxt)):
                return found
        path.pop()
        state[node] = "done"
        return []

    for name in sorted(deps):
        if name not in state and (found := walk(name)):
            return found
    return []


def test_there_are_no_import_cycles() -> None:
    found = cycle(graph())
    assert not found, "import cycle: " + " -> ".join(found)


def test_the_journal_is_a_storage_leaf() -> None:
    """The journal's records need only content and their file; the file needs nothing of the package,
    and only the journal reaches it."""
    deps = graph()
    assert deps["journal"] == {"content", "course", "journal_file"}
    assert deps["journal_file"] <= {"content", "course"}
    assert [name for name, imported in sorted(deps.items()) if "journal_file" in imported] == ["journal"]


def test_the_routine_is_a_model() -> None:
    """Items, ranges, files and the timer plan: no drawings, handouts or lesson text."""
    pages = {"export", "figures", "lessons", "drawing", "charts", "handout", "spine", "look"}
    assert graph()["routine"] & pages == set()


#: The longest a function in the package may be, in lines (its decorators and docstring included).
MAX_FUNCTION_LINES = 80


def test_no_function_in_the_package_is_over_80_lines() -> None:
    long = []
    for name in [*modules(), "__init__"]:
        tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                lines = (node.end_lineno or node.lineno) - start + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{name}.{node.name}: {lines} lines")
    assert long == [], f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_only_heavy_third_party_modules_are_imported_lazily() -> None:
    lazy = [
        f"{name}: {target}"
        for name in modules()
        for target, nested in _imports(name)
        if nested and not target.startswith(LAZY_ALLOWED)
    ]
    assert lazy == [], f"imports inside functions (allowed only for {', '.join(LAZY_ALLOWED)}): {lazy}"


def test_architecture_md_lists_every_module() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\|\s*`(\w+)`\s*\|", text, flags=re.MULTILINE))
    actual = set(modules())
    assert not actual - listed, f"ARCHITECTURE.md does not describe: {sorted(actual - listed)}"
    assert not listed - actual, (
        f"ARCHITECTURE.md describes modules that do not exist: {sorted(listed - actual)}"
    )


def test_architecture_md_gives_each_module_its_real_imports() -> None:
    """Each row's 'imports' column names exactly the package modules the module imports."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    deps = graph()
    for match in re.finditer(r"^\|\s*`(\w+)`\s*\|[^|]*\|([^|]*)\|", text, flags=re.MULTILINE):
        name, column = match.group(1), match.group(2)
        named = set(re.findall(r"`(\w+)`", column))
        assert named == deps[name], (
            f"ARCHITECTURE.md: {name} imports {sorted(deps[name])}, not {sorted(named)}"
        )


def test_widget_css_uses_one_token_convention() -> None:
    """Theme variables (--jp-*) are read only where an --sk-* token is defined; rules use --sk-*."""
    for css in sorted((PACKAGE / "static").glob("*.css")):
        for number, line in enumerate(css.read_text(encoding="utf-8").splitlines(), 1):
            if "var(--jp-" in line:
                assert line.strip().startswith("--sk-"), (
                    f"{css.name}:{number}: use an --sk-* token: {line.strip()}"
                )
            assert "--sk-quiz-" not in line, (
                f"{css.name}:{number}: tokens are --sk-*, without a widget prefix"
            )


def test_the_shared_tokens_are_written_once_and_every_widget_starts_from_them() -> None:
    """tokens.css defines the tokens the timer, camera check, checklist and widget check share;
    no widget's own stylesheet defines them again, and each widget's CSS is tokens.css then its own."""
    from stretchkit.camera import CameraCheck
    from stretchkit.check import WidgetCheck
    from stretchkit.checklist import HabitChecklist
    from stretchkit.timer import StretchTimer

    static = PACKAGE / "static"
    tokens = static / "tokens.css"
    shared = set(re.findall(r"^\s*(--sk-[a-z0-9-]+):", tokens.read_text(encoding="utf-8"), re.M))
    assert {"--sk-fg", "--sk-bg", "--sk-accent", "--sk-focus", "--sk-font-size"} <= shared
    widgets: list[tuple[Any, str]] = [
        (StretchTimer, "timer.css"),
        (CameraCheck, "camera.css"),
        (HabitChecklist, "checklist.css"),
        (WidgetCheck, "check.css"),
    ]
    for widget, own in widgets:
        text = (static / own).read_text(encoding="utf-8")
        again = shared & set(re.findall(r"^\s*(--sk-[a-z0-9-]+):", text, re.M))
        assert not again, f"{own} defines the shared tokens {sorted(again)} again: they live in tokens.css"
        css = str(widget._css)
        assert css.index(tokens.read_text(encoding="utf-8")) < css.index(text), widget.__name__


def test_imports_go_down_the_layers_of_architecture_md() -> None:
    """The picture's layers (bottom line lowest): a module imports only its own layer or lower ones."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    picture = text.split("```")[1]
    names = set(modules())
    layer: dict[str, int] = {}
    for height, line in enumerate(reversed(picture.strip().splitlines())):
        modules_part = re.split(r"[:(]", line)[0]  # what follows ':' or '(' is a comment
        for word in re.findall(r"\w+", modules_part):
            if word in names and word not in layer:
                layer[word] = height
    assert set(layer) == names, f"the picture leaves out: {sorted(names - set(layer))}"
    upward = [f"{a} -> {b}" for a, deps in graph().items() for b in deps if layer[b] > layer[a]]
    assert upward == [], f"imports that go up a layer: {upward}"


def test_lessons_call_only_the_public_api() -> None:
    """Every name a lesson imports comes from ``stretchkit`` itself and is in its ``__all__``."""
    import json

    import stretchkit

    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for cell in (c for c in cells if c["cell_type"] == "code"):
            for node in ast.walk(ast.parse("".join(cell["source"]))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("stretchkit"):
                    assert node.module == "stretchkit", f"{notebook.name}: from {node.module} import ..."
                    for alias in node.names:
                        assert alias.name in stretchkit.__all__, f"{notebook.name}: {alias.name}"
    for name in stretchkit.__all__:
        assert getattr(stretchkit, name) is not None, name


# --- around the package --------------------------------------------------------------------


def test_the_benchmarks_have_no_import_cycle() -> None:
    """``bench.run`` (the command) and the benchmark modules share ``bench.common``, a leaf."""
    deps = graph(BENCH)
    found = cycle(deps)
    assert not found, "import cycle in bench/: " + " -> ".join(found)
    assert deps["common"] == set(), f"bench/common.py imports {sorted(deps['common'])}: keep it a leaf"


def test_the_cycle_check_finds_a_cycle() -> None:
    assert cycle({"run": {"lab_bench"}, "lab_bench": {"run"}}) == ["lab_bench", "run", "lab_bench"]
    assert cycle({"run": {"common"}, "lab_bench": {"common"}, "common": set()}) == []


#: A test that points to a report in this project's tracker ("[i]ssue 13", "the [i]ssue's
#: example", ``test_the_[i]ssue_example``) instead of saying what it checks. A reference to an
#: upstream project's public report (``jupyterlite/jupyterlite#1105``) is fine.
TRACKER = re.compile(r"(?<![a-z0-9])(?:[i]ssue|[t]icket)s?(?![a-z0-9])", re.IGNORECASE)
UPSTREAM = re.compile(r"\b[\w.-]+/[\w.-]+#\d+\b")


def test_no_test_refers_to_the_projects_tracker() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "tests").rglob("*"))
        if path.suffix in (".py", ".js", ".cfg")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if TRACKER.search(UPSTREAM.sub("", line))
    ]
    assert found == [], "say what the test checks, not which report asked for it:\n" + "\n".join(found)
