"""Runs of words shared with the source article, found through fingerprints (no copy of it)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

#: A run this long shared with the article counts as copying.
RUN = 8


def words(text: str) -> list[str]:
    """Lowercase words, with curly quotes made straight and all other punctuation dropped."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    return re.findall(r"[a-z0-9']+", text)


def fingerprint(run: Sequence[str]) -> str:
    return hashlib.sha256(" ".join(run).encode("utf-8")).hexdigest()[:16]


def shared_runs(text: str, prints: set[str]) -> list[str]:
    """Every run of RUN words in ``text`` whose fingerprint is one of the article's."""
    w = words(text)
    return [
        " ".join(w[i : i + RUN]) for i in range(len(w) - RUN + 1) if fingerprint(w[i : i + RUN]) in prints
    ]
