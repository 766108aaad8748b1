from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Staff reports: figures read from every app, as tables, charts and files."""

    name = "insights"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from people.models import Role
        from people.roles import grant

        # Staff read the reports; nobody else does in the admin.
        grant(Role.STAFF, self.label, codenames=["view_reports"])
