from django.core.management.base import BaseCommand, CommandError

from notices.exceptions import NoticeError
from notices.services import address_bounce_clear, address_bounce_mark


class Command(BaseCommand):
    help = (
        "Mark an address as bouncing, so that no email is written to it again "
        "(the mail relay's bounce webhook or log calls this), or --clear it."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--reason", default="")
        parser.add_argument("--clear", action="store_true")

    def handle(self, *args, email: str, reason: str, clear: bool, **options):
        if clear:
            count = address_bounce_clear(email=email)
            self.stdout.write(f"{email}: {'cleared' if count else 'was not marked'}")
            return
        try:
            bounced = address_bounce_mark(email=email, reason=reason)
        except NoticeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{bounced.email}: marked as bouncing")
