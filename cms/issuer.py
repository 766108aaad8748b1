"""The school as the issuer of its certificates, from the site settings staff edit
in the admin (Settings > Site settings): name, organisation, address and logo.

certificates cannot read the CMS (DESIGN.md layers); it asks through the
`makers_certificate_issuer` Wagtail hook, which cms/wagtail_hooks.py answers
with issuer_from_site_settings().
"""

from dataclasses import replace

from wagtail.images.models import AbstractImage

from certificates.pdf import Issuer
from certificates.services import issuer_from_settings

from .models import SiteSettings

# The logo as printed: a small PNG rendition (a certificate shows it 18 mm wide).
LOGO_RENDITION = "max-300x300|format-png"


def logo_path(image: AbstractImage | None) -> str:
    """The file of the logo's rendition, or "" without a logo or a local file."""
    if image is None:
        return ""
    rendition = image.get_rendition(LOGO_RENDITION)
    try:
        return rendition.file.path
    except NotImplementedError:  # storage without local files
        return ""


def issuer_from_site_settings() -> Issuer:
    site = SiteSettings.load()
    defaults = issuer_from_settings()
    address = ", ".join(part for part in (site.address, site.postcode_city) if part)
    return replace(
        defaults,
        name=site.school_name or defaults.name,
        organisation=site.organisation or defaults.organisation,
        address=address or defaults.address,
        logo_path=logo_path(site.logo) or defaults.logo_path,
    )
