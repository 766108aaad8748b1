"""`make test` runs with `-n 2 --dist loadgroup` so that the tests of one
xdist_group (those sharing a Redis database, a production shape, a race) run
on one worker, one after the other. pytest 9.2 renamed the node id that
pytest-xdist 3.8 rewrites to group them, and the groups silently spread over
both workers (two tests flushed Redis database 9 under each other in CI).
This runs a tiny suite the way `make test` does and fails if a group spreads."""

import subprocess
import sys
import textwrap

GROUPED = textwrap.dedent(
    """
    import os
    import pytest

    pytestmark = pytest.mark.xdist_group("one_redis_db")

    @pytest.mark.parametrize("n", range(6))
    def test_worker(n):
        assert os.environ["PYTEST_XDIST_WORKER"]
    """
)


def test_a_group_runs_on_one_worker(tmp_path):
    (tmp_path / "test_grouped.py").write_text(GROUPED, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    run = subprocess.run(
        [
            *(
                sys.executable,
                "-m",
                "pytest",
                "-p",
                "no:django",
                "-p",
                "no:cacheprovider",
            ),
            *("-n", "2", "--dist", "loadgroup", "-v", "test_grouped.py"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    workers = {line.split()[0] for line in run.stdout.splitlines() if "PASSED" in line}
    assert len(workers) == 1, run.stdout
    assert "@one_redis_db" in run.stdout  # xdist's grouped node ids
