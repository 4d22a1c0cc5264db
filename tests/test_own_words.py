"""The course carries the article's facts in its own words: no run of eight words is shared
with the article, in the content data or in any lesson's prose."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from tests.own_words import RUN, shared_runs

ROOT = Path(__file__).resolve().parents[1]
PRINTS = set((ROOT / "tests" / "data" / "article-8word-runs.txt").read_text(encoding="utf-8").split())
COURSE = ROOT / "stretchkit" / "data" / "course.toml"


def strings(value: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, v in value.items():
            yield from strings(v, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from strings(v, f"{path}[{i}]")


def test_the_fingerprints_catch_a_copied_sentence() -> None:
    """The check can fail: the article's own hamstring sentence is caught, normalised."""
    assert len(PRINTS) > 800
    copied = "Loop a Towel, or strap, around the ball of your foot!"
    assert shared_runs(copied, PRINTS) == [
        "loop a towel or strap around the ball",
        "a towel or strap around the ball of",
        "towel or strap around the ball of your",
        "or strap around the ball of your foot",
    ]
    assert shared_runs("Hook a towel or strap under the ball of that foot.", PRINTS) == []


def test_no_content_text_repeats_the_article() -> None:
    data = tomllib.loads(COURSE.read_text(encoding="utf-8"))
    found = [(path, run) for path, text in strings(data, "") for run in shared_runs(text, PRINTS)]
    assert found == [], f"runs of {RUN} words copied from the article: {found}"


@pytest.mark.parametrize(
    "path", sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")), ids=lambda p: p.stem
)
def test_no_lesson_prose_repeats_the_article(path: Path) -> None:
    """Markdown cells and every text a lesson shows (its outputs) are the course's own words."""
    nb = nbformat.read(path, as_version=4)
    texts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            texts += [v for k, v in output.get("data", {}).items() if k in ("text/markdown", "text/plain")]
    found = [run for text in texts for run in shared_runs(text, PRINTS)]
    assert found == [], f"{path.name}: runs of {RUN} words copied from the article: {found}"
