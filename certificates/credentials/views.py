"""The published key and status lists (public, any origin), and the holder's
Open Badge downloads.

None of these opts into the page cache (core.cache): the status list is built
from the database at each request, so a revocation shows at once.
"""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from ..exceptions import CertificateError
from ..models import Certificate
from .jose import school_jwks, vc_jwt_sign
from .openbadge import openbadge_build, openbadge_jwt
from .status import revoked_indexes, status_list_credential, status_list_exists

JWKS_MAX_AGE = 300


def _public(response: HttpResponse, *, cache_control: str) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = cache_control
    return response


def _unavailable() -> HttpResponse:
    response = JsonResponse({"error": "signing_not_configured"}, status=503)
    return _public(response, cache_control="no-store")


@require_safe
def jwks(request: HttpRequest) -> HttpResponse:
    """The school's public key as a JWK Set: what verifies its VC-JWTs."""
    try:
        keys = school_jwks()
    except CertificateError:
        return _unavailable()
    response = HttpResponse(json.dumps(keys), content_type="application/jwk-set+json")
    return _public(response, cache_control=f"public, max-age={JWKS_MAX_AGE}")


@require_safe
def status_list(request: HttpRequest, number: int) -> HttpResponse:
    """A Bitstring Status List credential, signed (VC-JWT), as it is now."""
    if not status_list_exists(number=number):
        raise Http404
    indexes = revoked_indexes(number=number)
    try:
        token = vc_jwt_sign(
            payload=status_list_credential(number=number, indexes=indexes)
        )
    except CertificateError:
        return _unavailable()
    response = HttpResponse(token, content_type="application/vc+jwt")
    # Stored by nobody: a verifier asks again and sees a revocation at once.
    return _public(response, cache_control="no-cache, no-store")


def _own_certificate(request: HttpRequest, pk: int) -> Certificate:
    """The signed-in person's own certificate; a 404 for anyone else's."""
    return get_object_or_404(Certificate, pk=pk, holder_id=request.user.pk)


def _attachment(content: str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def openbadge_download_jwt(request: HttpRequest, pk: int) -> HttpResponse:
    """The holder's Open Badge as a signed VC-JWT (what a wallet imports)."""
    certificate = _own_certificate(request, pk)
    try:
        token = openbadge_jwt(certificate=certificate)
    except CertificateError:
        return _unavailable()
    return _attachment(
        token,
        content_type="application/vc+jwt",
        filename=f"{certificate.serial}-openbadge.jwt",
    )


@login_required
@require_safe
def openbadge_download_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The holder's Open Badge as JSON-LD (the same credential, unsigned)."""
    certificate = _own_certificate(request, pk)
    credential = openbadge_build(certificate=certificate)
    return _attachment(
        json.dumps(credential, ensure_ascii=False, indent=2),
        content_type="application/ld+json",
        filename=f"{certificate.serial}-openbadge.json",
    )
