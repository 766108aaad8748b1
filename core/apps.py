import datetime

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Pieces every app uses: emails, the page cache, row locks, the audit log."""

    name = "core"
    verbose_name = "Makers' School"

    def ready(self) -> None:
        # Connects the invalidation signals; registers the production checks.
        from . import cache, checks  # noqa: F401
        from .converters import register
        from .deferred import deferred_tasks_flush
        from .housekeeping import sessions_clear, task_rows_prune
        from .prepared_files import prepared_files_expire
        from .scheduler import periodic_register

        register()
        periodic_register(
            name="core.sessions_clear",
            task=sessions_clear,
            every=datetime.timedelta(days=1),
        )
        periodic_register(
            name="core.task_rows_prune",
            task=task_rows_prune,
            every=datetime.timedelta(days=1),
        )
        periodic_register(
            name="core.deferred_tasks_flush",
            task=deferred_tasks_flush,
            every=datetime.timedelta(minutes=1),
        )
        periodic_register(
            name="core.prepared_files_expire",
            task=prepared_files_expire,
            every=datetime.timedelta(hours=1),
        )
