from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from core.exports import register_export

        from .models import Role
        from .personal_data import (
            PERSONAL_DATA_KIND,
            personal_data_audit,
            personal_data_file,
            register_people_sections,
        )
        from .roles import grant

        register_people_sections()
        # The person's own export, prepared on the reports queue; any signed-in
        # person may ask for their own, and gets an email when it is ready.
        register_export(
            PERSONAL_DATA_KIND,
            personal_data_file,
            title=_("My data"),
            audit=personal_data_audit,
            notify=True,
        )

        # Staff open the Wagtail admin and run the companies and their members.
        grant(Role.STAFF, "wagtailadmin", codenames=["access_admin"])
        grant(Role.STAFF, self.label, ["company", "companymember"])
        # ...and see the failed background tasks, and run them again.
        grant(Role.STAFF, "core", codenames=["manage_failed_tasks"])
        # Every app's post_migrate, since permissions appear app by app.
        post_migrate.connect(_sync_roles, dispatch_uid="people_roles_sync")
        # Security events in the audit log, and their admin report (its hooks).
        from . import security, security_report  # noqa: F401

        security.connect()


def _sync_roles(sender, **kwargs) -> None:
    from .services import roles_sync

    roles_sync()
