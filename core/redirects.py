"""Where a form may send the person back to: only this site, and over HTTPS when
the request came over HTTPS (Django's own views check `next` the same way)."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, target: str, *, fallback: str) -> str:
    """`target` when it points into this site, else `fallback`.

    Only a path or a full URL: a bare word ("second", which make security's
    form fuzz sent) is what redirect() would take for a URL name, a 500.
    """
    if not target.startswith(("/", "http://", "https://")):
        return fallback
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else fallback
