"""{% linkedin_add_url certificate as url %}: the "Add to LinkedIn" link of a
certificate (certificates.linkedin), "" when it is no longer valid."""

from django import template

from ..issuing import verification_url
from ..linkedin import linkedin_add_url as _linkedin_add_url

register = template.Library()


@register.simple_tag
def linkedin_add_url(certificate) -> str:
    return _linkedin_add_url(
        certificate=certificate,
        verification_url=verification_url(code=certificate.verification_code),
    )
