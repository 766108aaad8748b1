"""The task engine's rows of bench.ops: latency from queued to started on an
idle RQ worker, and a bulk certificate run's throughput through the real
certificates queue.

Each starts a real worker (`manage.py rqworker <queue>`, production settings:
core.tasks.Worker and its job class, as make serve-prod runs them) on the
bench's Redis, waits until it has registered, and stops it (its whole process
group) at the end, on error too. clock() is the task the latency row queues:
it returns the worker's clock as its body starts.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time

from django_tasks import task

from .report import Row, error_row
from .timing import percentile

LATENCY_TASKS = 200
LATENCY_TARGET_S = 1.0
BULK = 200  # certificates in the bulk run
WORKER_READY_S = 120


@task(queue_name="default")
def clock() -> float:
    """When the worker started this task (its body), by the machine's clock."""
    return time.time()


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


@contextlib.contextmanager
def rq_worker(ctx, queue: str, env: dict[str, str] | None = None):
    """`manage.py rqworker <queue>` until the block ends; the queue is emptied
    first (a previous run's leftovers would be taken first)."""
    import django_rq
    import rq

    rq_queue = django_rq.get_queue(queue)
    rq_queue.empty()
    log_path = ctx.out_dir / f"rqworker-{queue}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            [ctx.python, str(ctx.base_dir / "manage.py"), "rqworker", queue],
            cwd=ctx.base_dir,
            env={**ctx.env, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + WORKER_READY_S
        while not rq.Worker.count(queue=rq_queue):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"rqworker {queue} did not start: " + log_path.read_text()[-1000:]
                )
            time.sleep(0.2)
        yield process
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _one_latency(timeout: float = 30) -> float:
    """Seconds from just before the enqueue to the start of the task's body."""
    from django_tasks.base import TaskResultStatus

    queued = time.time()
    result = clock.enqueue()
    deadline = time.monotonic() + timeout
    while True:
        time.sleep(0.005)
        result.refresh()
        if result.status == TaskResultStatus.SUCCESSFUL:
            return result.return_value - queued
        if result.status == TaskResultStatus.FAILED:
            raise RuntimeError(f"the task failed: {result.errors}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the task did not finish within {timeout} s")


def latency_rows(ctx) -> list[Row]:
    """LATENCY_TASKS tasks, one at a time (the worker idle when each arrives)."""
    name = "ops task latency p95 (queued -> started, idle worker)"
    try:
        with rq_worker(ctx, "default"):
            _one_latency(timeout=WORKER_READY_S)  # the first fork loads lazily
            samples = [_one_latency() for _ in range(LATENCY_TASKS)]
    except Exception as error:  # noqa: BLE001 - one error row, not a crash
        return [error_row(name, error)]
    p95 = percentile(samples, 95)
    return [
        Row(
            name,
            round(p95 * 1000, 1),
            "ms",
            f"< {LATENCY_TARGET_S * 1000:.0f}",
            p95 < LATENCY_TARGET_S,
            f"{LATENCY_TASKS} tasks on one RQ worker (a work horse forked per "
            f"task); p50 {percentile(samples, 50) * 1000:.1f} ms, max "
            f"{max(samples) * 1000:.1f} ms; {load_average()}",
        )
    ]


def _run_to_done(run, timeout: float = 1800) -> None:
    from certificates.models import IssueRun, RunStatus

    deadline = time.monotonic() + timeout
    while IssueRun.objects.get(pk=run.pk).status != RunStatus.DONE:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the run was not done within {timeout} s")
        time.sleep(0.2)


def bulk_rows(ctx) -> list[Row]:
    """A bulk run (certificates.services.run_start, as staff start it) of BULK
    certificates, its tasks on the certificates queue, one worker."""
    from django.db import transaction
    from django.db.models import Max, Min

    from certificates.models import Certificate
    from certificates.services import run_start

    from .certificates import _edition, _signing

    name = f"ops certificate bulk throughput ({BULK}, one worker)"
    try:
        signing_env = _signing(ctx)
        edition = _edition(BULK)
        with rq_worker(ctx, "certificates", signing_env):
            load_before = load_average()
            started = time.perf_counter()
            with transaction.atomic():  # its tasks are queued on commit
                run = run_start(edition=edition, actor=None)
            _run_to_done(run)
            seconds = time.perf_counter() - started
        issued = Certificate.objects.filter(enrolment__edition=edition)
        span = issued.aggregate(first=Min("issued_at"), last=Max("issued_at"))
        made = issued.count()
    except Exception as error:  # noqa: BLE001 - one error row, not a crash
        return [error_row(name, error)]
    issuing = max((span["last"] - span["first"]).total_seconds(), 0.001)
    return [
        Row(
            name,
            round(made / seconds * 60),
            "certs/min",
            "",
            None,
            f"{made} of {BULK} issued in {seconds:.1f} s from the run's start "
            f"to its end (queued, rendered, signed, saved); first to last "
            f"certificate {issuing:.1f} s ({(made - 1) / issuing * 60:.0f}/min); "
            f"{load_before} at the start, {load_average()} at the end",
        )
    ]
