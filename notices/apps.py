import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Notices")

    def ready(self) -> None:
        from core.scheduler import periodic_register
        from people.models import Role
        from people.roles import grant

        from . import tasks
        from .personal_data import personal_data_register

        personal_data_register()
        # Staff see, mark and clear bounced addresses (notices.wagtail_hooks);
        # the rows are core's, the suppression list of every email.
        grant(Role.STAFF, "core", ["emailbounce"])

        # Each job sends what is due now, once per notice (notices.services):
        # running late, twice, or on two schedulers at once sends nothing twice.
        for name, task, every in (
            ("notices.session_reminders", tasks.session_reminders_task, 60),
            ("notices.offers_expiring", tasks.offers_expiring_task, 15),
            ("notices.certificates_expiring", tasks.certificates_expiring_task, 1440),
            ("notices.attendance_risks", tasks.attendance_risks_task, 60),
            ("notices.registers_open", tasks.registers_open_task, 60),
        ):
            periodic_register(
                name=name, task=task, every=datetime.timedelta(minutes=every)
            )
