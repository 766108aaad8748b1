"""manage.py backup: the database, media, private files and a manifest.

    manage.py backup [--output backups/<timestamp>] [--include-key]

into backups/<UTC timestamp>/ by default (git-ignored). The signing key is
noted (path and SHA-256), copied only with --include-key or
BACKUP_INCLUDE_KEY=1. See core.backups and docs/operations.md.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump), media and private files into a folder."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="the new backup folder")
        parser.add_argument(
            "--include-key",
            action="store_true",
            help="copy the signing key file too (never its passphrase)",
        )

    def handle(self, *args, **options):
        stamp = datetime.datetime.now(tz=datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        folder = Path(options["output"] or settings.BASE_DIR / "backups" / stamp)
        if folder.exists():
            raise CommandError(f"{folder} exists: a backup goes into a new folder.")
        include_key = options["include_key"] or settings.BACKUP_INCLUDE_KEY
        try:
            manifest = backup_create(folder=folder, include_key=include_key)
        except BackupError as error:
            raise CommandError(str(error)) from None
        key = manifest["signing_key"]
        self.stdout.write(
            f"Backed up {len(manifest['table_counts'])} tables and "
            f"{len(manifest['files']) - 1} folders into {folder}"
        )
        if key["present"]:
            copied = "copied" if key["included"] else "not copied: keep it apart"
            self.stdout.write(
                f"Signing key {key['path']} (SHA-256 {key['sha256']}), {copied}."
            )
