"""docs/sources.md is generated from the content data and kept up to date: every source the
course cites, with every claim that cites it, so a reviewer can check each claim at its source."""

from __future__ import annotations

import dataclasses
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from stretchkit import load_course
from stretchkit.course import Item

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "sources_doc.py"
COURSE = load_course()


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sources_doc", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["sources_doc"] = module
    spec.loader.exec_module(module)
    return module


def test_the_committed_page_matches_the_content() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_source_has_its_section_with_its_address() -> None:
    text = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    for s in COURSE.sources:
        assert f"## {s.publisher}: *{s.title}*" in text
        assert f"Key `{s.key}`; " + (f"<{s.url}>" if s.url else "no link.") in text


def _items(node: object) -> list[Item]:
    if isinstance(node, Item):
        return [node]
    if isinstance(node, tuple):
        return [i for v in node for i in _items(v)]
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return [i for f in dataclasses.fields(node) for i in _items(getattr(node, f.name))]
    return []


def test_every_item_is_listed_under_its_own_source() -> None:
    page = _script().page(COURSE)
    sections = {part.split("\n", 1)[0]: part for part in page.split("\n## ")[1:]}
    for item in _items(COURSE):
        s = COURSE.source(item.source)
        section = sections[f"{s.publisher}: *{s.title}*"]
        assert f"- {item.text} *(" in section, (item.source, item.text)
    # A stretch's own sourced dose is listed too: Cat-Camel's repeats under NHS inform.
    nhs_inform = COURSE.source("nhs-inform-back-exercises")
    assert (
        "- Repeat 5 times, up to 10. *(Cat-Camel Stretch;"
        in sections[f"{nhs_inform.publisher}: *{nhs_inform.title}*"]
    )


def test_a_changed_claim_makes_the_page_out_of_date() -> None:
    module = _script()
    changed = dataclasses.replace(COURSE, closing=("Something new.",))
    assert module.page(changed) != module.page(COURSE)
    assert "- Something new. *(The course)*" in module.page(changed)
