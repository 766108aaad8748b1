"""System checks: certificates need the school's signing key."""

from pathlib import Path

from django.conf import settings
from django.core import checks

from core.checks import TAG as PRODUCTION_TAG

from .exceptions import CertificateError
from .signing import signing_key_load


@checks.register("certificates", PRODUCTION_TAG, deploy=True)
def signing_key_check(app_configs=None, **kwargs):
    """A configured key that cannot be opened means nothing can be issued: an
    error under production settings (the server refuses to start, core.checks),
    a warning elsewhere. No key at all is noted, since certificates are then
    refused with a clear message, and `check --deploy` stays clean for sites not
    issuing yet."""

    path = settings.MAKERS_SIGNING_P12
    if not path:
        return [
            checks.Info(
                "MAKERS_SIGNING_P12 is not set: certificates will not be issued.",
                hint="Set MAKERS_SIGNING_P12 and MAKERS_SIGNING_PASSPHRASE.",
                id="certificates.I001",
            )
        ]
    if not Path(path).is_file():
        if getattr(settings, "MAKERS_SIGNING_PASSPHRASE_FILE", None):
            return []  # development: `make run` creates the key on first run
        return [
            _unusable(
                f"MAKERS_SIGNING_P12 points to {path}, which does not exist: "
                "certificates will not be issued.",
                number=1,
            )
        ]
    try:
        signing_key_load()
    except CertificateError as error:
        return [_unusable(str(error), number=2)]
    except OSError as error:  # there, but this process may not read it
        return [_unusable(f"MAKERS_SIGNING_P12 ({path}): {error}", number=1)]
    return []


def _unusable(message: str, *, number: int) -> checks.CheckMessage:
    if getattr(settings, "MAKERS_PRODUCTION", False):
        return checks.Error(message, id=f"certificates.E00{number}")
    return checks.Warning(message, id=f"certificates.W00{number}")
