"""bench/run.py's results table: a partial run replaces only its own rows, and a benchmark that
no longer exists leaves no stale row behind (the site's old Run All rows stayed for a round)."""

from __future__ import annotations

from bench.common import Row
from bench.run import merge, table


def test_a_partial_run_keeps_the_others_rows_and_drops_retired_ones() -> None:
    old = table(
        [
            Row("Import cost", "import", "ms", (50.0,)),
            Row("Site time to interactive", "Run All", "s", (23.0,)),
            Row("Camera check model load", "switch on", "s", (7.0,)),
        ]
    )
    new = merge(old, [Row("Camera check model load", "switch on", "s", (1.1,))])
    lines = new.splitlines()[2:]
    assert [ln.split(" | ")[0] for ln in lines] == ["| Import cost", "| Camera check model load"]
    assert "1.1" in lines[1] and "7.0" not in new
