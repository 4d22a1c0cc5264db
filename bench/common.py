"""What every benchmark module shares: the repository's root, and one row of the results table.

A leaf module: `bench.run` (the command) and the modules with the browser benchmarks
(`lab_bench`, `lite_bench`) import it, and it imports none of them.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Row:
    """One line of the results table."""

    benchmark: str
    condition: str
    unit: str
    samples: tuple[float, ...]
    baseline_label: str = ""
    baseline: tuple[float, ...] = ()
    target: str = ""
    met: bool | None = None
    ratio: bool = True  # False where a ratio means nothing (errors against a nominal length)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def cells(self) -> list[str]:
        def fmt(xs: tuple[float, ...]) -> str:
            if not xs:
                return ""
            if len(xs) == 1:  # a measure, not a timing (e.g. a size)
                return f"{xs[0]:.1f}"
            return f"{statistics.median(xs):.1f} ({min(xs):.1f}–{max(xs):.1f})"

        ratio = ""
        if self.baseline and self.ratio:
            ratio = f"{statistics.median(self.samples) / statistics.median(self.baseline):.2f}×"
        verdict = {True: "met", False: "NOT met", None: ""}[self.met]
        return [
            self.benchmark,
            self.condition,
            f"{fmt(self.samples)} {self.unit}",
            f"{self.baseline_label}: {fmt(self.baseline)} {self.unit}" if self.baseline else "",
            ratio,
            f"{self.target} — {verdict}" if self.target else "",
        ]
