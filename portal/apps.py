from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The portal's pages that apps below it link to (emails, their own pages), by
# the neutral names they ask for (core.links).
LINKS = {
    "personal_area": "portal:dashboard",
    "company_join": "portal:company_join",
    "company_register": "portal:company_register",
    "contact_request": "portal:contact_request",
    "teaching": "portal:teaching",
    "register": "portal:register",
    "notice_preferences": "portal:notices",
    "company_page": "portal:company",
    "my_certificates": "portal:certificates",
}


class PortalConfig(AppConfig):
    """The signed-in person's area (/me/): pages that combine several apps."""

    name = "portal"
    verbose_name = _("Personal area")

    def ready(self) -> None:
        from core.links import link_register

        for name, url_name in LINKS.items():
            link_register(name=name, url_name=url_name)
