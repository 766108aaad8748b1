from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from certificates.signing import dev_pki_complete, dev_signing_key_create


class Command(BaseCommand):
    help = (
        "--dev: create the development PKI (a CA, the signing certificate and a "
        "timestamp authority as PKCS#12 with their passphrase, the CA's CRL) where "
        "MAKERS_SIGNING_P12 points, unless a complete one exists. Never for "
        "production, which reads its own key from MAKERS_SIGNING_P12."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dev", action="store_true", required=True)
        parser.add_argument(
            "--force", action="store_true", help="Replace an existing key."
        )

    def handle(self, *args, dev: bool, force: bool, **options):
        passphrase_file = getattr(settings, "MAKERS_SIGNING_PASSPHRASE_FILE", None)
        if not settings.MAKERS_SIGNING_P12 or not passphrase_file:
            raise CommandError(
                "These settings take the signing key from the environment "
                "(production): no development key is created."
            )
        target = Path(settings.MAKERS_SIGNING_P12)
        existed = dev_pki_complete(target.parent)
        path = dev_signing_key_create(directory=target.parent, force=force)
        if path != target:
            raise CommandError(f"MAKERS_SIGNING_P12 must be named {path.name}.")
        if existed and not force:
            self.stdout.write(f"Development signing key kept: {path}")
        else:
            self.stdout.write(self.style.SUCCESS(f"Development signing key: {path}"))
