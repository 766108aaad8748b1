"""System checks: certificates need the school's signing key."""

from pathlib import Path

from django.conf import settings
from django.core import checks

from .exceptions import CertificateError
from .signing import signing_key_load


@checks.register("certificates", deploy=True)
def signing_key_check(app_configs=None, **kwargs):
    """A configured key that cannot be opened is a warning (nothing can be
    issued); no key at all is noted, since certificates are then refused with a
    clear message, and `check --deploy` stays clean for sites not issuing yet."""

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
            checks.Warning(
                f"MAKERS_SIGNING_P12 points to {path}, which does not exist: "
                "certificates will not be issued.",
                id="certificates.W001",
            )
        ]
    try:
        signing_key_load()
    except CertificateError as error:
        return [checks.Warning(str(error), id="certificates.W002")]
    return []
