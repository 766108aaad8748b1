"""Redis databases of the tests, one set per xdist worker.

Tests that flush a Redis database (RQ queues, the production shape's cache)
must not share it with a test running at the same time on the other worker.
`make test` runs two workers (-n 2); xdist_group marks cannot keep such tests
on one worker with pytest 9.2 and pytest-xdist 3.8 (the group is written into
a node id pytest no longer reads), so each worker takes its own databases:
the first worker (and a run without xdist) the number named, the second that
number minus 7 (9..15 -> 2..8; 0 and 1 are development's cache and queues).
"""

import os

SECOND_WORKER_OFFSET = 7


def worker_db(db: int) -> int:
    """Database `db` for this process's xdist worker."""
    if os.environ.get("PYTEST_XDIST_WORKER") == "gw1":
        return db - SECOND_WORKER_OFFSET
    return db
