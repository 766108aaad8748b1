from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Pieces every app uses: emails, the page cache, row locks, the audit log."""

    name = "core"
    verbose_name = "Makers' School"

    def ready(self) -> None:
        from . import cache  # noqa: F401  (connects invalidation signals)
        from . import checks  # noqa: F401  (registers the production checks)
        from .converters import register

        register()
