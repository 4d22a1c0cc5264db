"""A journal writer run as a subprocess by the kill -9 and concurrency tests.

    python tests/journal_writer.py PATH loop [COUNT]   write sessions, printing each id once committed
    python tests/journal_writer.py PATH hold           open a write transaction, say so, and wait in it

With ``--wait`` the writer reads one line from stdin before writing, so two writers can
be released at the same moment.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timedelta

from stretchkit.practice import Journal

START = datetime(2025, 3, 1, 7, 0)


def main(argv: list[str]) -> int:
    wait = "--wait" in argv
    args = [a for a in argv if a != "--wait"]
    path, mode = args[0], args[1]
    count = int(args[2]) if len(args) > 2 else 0
    if wait:
        sys.stdin.readline()
    journal = Journal(path)
    if mode == "hold":
        with journal._write() as conn:  # the same transaction record_session uses
            conn.execute(
                "INSERT INTO sessions (started_at, routine, techniques, duration_seconds)"
                " VALUES (?, ?, ?, ?)",
                (START.isoformat(), "never committed", '["childs-pose"]', 60.0),
            )
            print("in-transaction", flush=True)
            time.sleep(60)
        return 1  # pragma: no cover - killed before this
    n = 0
    while count == 0 or n < count:
        record = journal.record_session(
            routine="Writer",
            started_at=START + timedelta(minutes=n),
            duration_seconds=60 + n % 30,
            techniques=["childs-pose", "cat-camel"],
            pain_before=n % 11,
            pain_after=(n + 3) % 11,
            note="x" * (n % 500),
        )
        print(record.id, flush=True)  # printed only after the commit returned
        n += 1
    journal.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
