from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Pieces every app uses: emails, the page cache, row locks, the audit log."""

    name = "core"
    verbose_name = "Makers' School"

    def ready(self) -> None:
        # Connects the invalidation signals; registers the production checks.
        from . import cache, checks  # noqa: F401
        from .converters import register

        register()
