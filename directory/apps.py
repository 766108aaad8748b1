from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Graduate directory")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .personal_data import personal_data_register

        personal_data_register()
