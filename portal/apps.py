from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The signed-in person's area (/me/): pages that combine several apps."""

    name = "portal"
    verbose_name = _("Personal area")
