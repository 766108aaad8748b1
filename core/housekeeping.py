"""Core's periodic housekeeping, registered with the scheduler in CoreConfig:
expired sessions, old task results and old scheduler claims."""

import datetime

from django.conf import settings
from django.core.management import call_command
from django_tasks import task, task_backends
from django_tasks_db.backend import DatabaseBackend

from .scheduler import runs_prune


@task()
def sessions_clear() -> None:
    """Delete expired sessions (Django's clearsessions)."""
    call_command("clearsessions")


@task()
def task_rows_prune() -> int:
    """Delete the database task backend's finished results and the scheduler's
    claims older than MAKERS_TASK_ROWS_KEEP_DAYS; returns the claims deleted."""
    days = settings.MAKERS_TASK_ROWS_KEEP_DAYS
    for backend in task_backends.all():
        if isinstance(backend, DatabaseBackend):
            call_command(
                "prune_db_task_results",
                backend=backend,
                queue_name="*",
                min_age_days=days,
                verbosity=0,
            )
    return runs_prune(older_than=datetime.timedelta(days=days))
