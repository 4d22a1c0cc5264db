"""Write the fingerprints of every run of eight words in the source article (tests/data/).

The course must carry the article's facts in its own words. The test that checks this
(tests/test_own_words.py) needs the article's eight-word runs, but the repository must not
hold a copy of the article: so this script stores a short hash of each run instead. Run it
again only if the source article changes:

    python scripts/article_shingles.py /path/to/back-pain-relief-with-stretching.txt
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.own_words import RUN, fingerprint, words  # noqa: E402

OUT = ROOT / "tests" / "data" / "article-8word-runs.txt"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    text = Path(argv[0]).read_text(encoding="utf-8")
    w = words(text)
    prints = sorted({fingerprint(w[i : i + RUN]) for i in range(len(w) - RUN + 1)})
    OUT.write_text("\n".join(prints) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(prints)} runs of {RUN} words")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
