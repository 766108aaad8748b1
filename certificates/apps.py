import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from core.scheduler import periodic_register
        from people.models import Role
        from people.roles import grant

        from . import checks  # noqa: F401  (registers the signing-key check)
        from .archiving import certificates_retimestamp_task
        from .personal_data import personal_data_register

        personal_data_register()
        # Archival document timestamps before the authority's certificate
        # expires (certificates.archiving): a daily look is plenty.
        periodic_register(
            name="certificates.retimestamp",
            task=certificates_retimestamp_task,
            every=datetime.timedelta(days=1),
        )

        # Staff issue, revoke and re-issue certificates (no add or delete view:
        # certificates are made only by the services).
        grant(Role.STAFF, self.label, ["certificate"], actions=["view", "change"])
