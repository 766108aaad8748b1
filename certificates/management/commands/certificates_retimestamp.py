from django.core.management.base import BaseCommand, CommandError

from certificates.archiving import certificates_retimestamp
from certificates.exceptions import CertificateError


class Command(BaseCommand):
    help = (
        "Archival re-timestamping (PAdES B-LTA): a new document timestamp on every "
        "valid certificate whose last one was made by a timestamp authority whose "
        "certificate expires within --within-days (MAKERS_ARCHIVE_RETIMESTAMP_DAYS), "
        "or that has none. Run it regularly (weekly, from cron or a scheduler)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--within-days", type=int, default=None)

    def handle(self, *args, within_days: int | None, **options):
        try:
            result = certificates_retimestamp(within_days=within_days)
        except CertificateError as error:
            raise CommandError(str(error)) from error
        for serial, message in result.failed.items():
            self.stderr.write(f"{serial}: {message}")
        self.stdout.write(
            f"Checked {result.checked}, re-timestamped {len(result.extended)}, "
            f"failed {len(result.failed)}."
        )
        if result.failed:
            raise CommandError("Some certificates could not be re-timestamped.")
