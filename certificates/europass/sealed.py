"""The EDC a holder downloads: built from the certificate and sealed."""

from ..models import Certificate
from .build import europass_build
from .seal import europass_seal


def europass_sealed(*, certificate: Certificate) -> bytes:
    """The certificate's EDC as a compact JWS signed by the school."""
    return europass_seal(document=europass_build(certificate=certificate))
