from wagtail import hooks

from certificates.services import ISSUER_HOOK

from .issuer import issuer_from_site_settings

hooks.register(ISSUER_HOOK, issuer_from_site_settings)
