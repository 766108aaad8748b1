"""manage.py restore <backup folder>: into an empty database and folders.

    DATABASE_URL=postgres://.../new_db manage.py restore backups/<timestamp>

The database (DATABASE_URL) must hold no table and the media and private
folders (MEDIA_ROOT, MAKERS_PRIVATE_ROOT, or --media-root/--private-root) must
be empty or absent: a restore never merges into live data. Every file is checked
against the manifest first, and the row count of every table after.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, backup_restore, file_sha256


class Command(BaseCommand):
    help = "Restore a backup (manage.py backup) into an empty database and folders."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="the backup folder")
        parser.add_argument("--media-root", help="default: MEDIA_ROOT")
        parser.add_argument("--private-root", help="default: MAKERS_PRIVATE_ROOT")

    def handle(self, *args, **options):
        roots = {
            "media": Path(options["media_root"] or settings.MEDIA_ROOT),
            "private": Path(options["private_root"] or settings.MAKERS_PRIVATE_ROOT),
        }
        try:
            manifest = backup_restore(folder=Path(options["backup"]), roots=roots)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {len(manifest['table_counts'])} tables (row counts match) "
            f"and the files into {roots['media']} and {roots['private']}."
        )
        self._signing_key_say(manifest["signing_key"])

    def _signing_key_say(self, key: dict) -> None:
        """Certificates verify only with the key they were signed with."""
        if not key.get("present"):
            return
        current = getattr(settings, "MAKERS_SIGNING_P12", None)
        if current and Path(current).is_file():
            same = file_sha256(Path(current)) == key["sha256"]
            verdict = "is the same key" if same else "is NOT the key of the backup"
            self.stdout.write(f"Signing key: {current} {verdict}.")
            return
        copy = f"; a copy is in the backup ({key['copy']})" if key.get("copy") else ""
        self.stdout.write(
            f"Signing key: put the file that was at {key['path']} "
            f"(SHA-256 {key['sha256']}) at MAKERS_SIGNING_P12{copy}."
        )
