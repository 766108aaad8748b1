from django.apps import AppConfig


class MakersSchoolConfig(AppConfig):
    name = "makers_school"
    verbose_name = "Makers' School"

    def ready(self) -> None:
        from . import cache  # noqa: F401  (connects invalidation signals)
