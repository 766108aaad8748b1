from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = _("Enrolment")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the allauth receivers
