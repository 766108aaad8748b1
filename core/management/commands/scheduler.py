import os
import signal
import socket
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connections

from core.scheduler import due_enqueue, logger, periodic_jobs


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs (core.scheduler) when their slot comes, in a "
        "loop. Safe to run on several nodes at once: each slot is enqueued once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One tick, then exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=10.0,
            help="Seconds between ticks (default 10).",
        )

    def handle(self, *args, once: bool = False, interval: float = 10.0, **options):
        name = f"{socket.gethostname()}:{os.getpid()}"
        stop = threading.Event()
        if not once:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
            jobs = ", ".join(f"{job.name} every {job.every}" for job in periodic_jobs())
            logger.info("Scheduler %s started: %s", name, jobs)
        while not stop.is_set():
            if not once:
                # A database restarted meanwhile: each tick on a live connection.
                close_old_connections()
            try:
                runs = due_enqueue(scheduler=name)
            except Exception:
                if once:
                    raise
                logger.exception("Scheduler tick failed; trying again")
                connections.close_all()
            else:
                for run in runs:
                    self.stdout.write(f"Enqueued {run.job} ({run.task_id})")
            if once:
                return
            stop.wait(interval)
        logger.info("Scheduler %s stopped", name)
