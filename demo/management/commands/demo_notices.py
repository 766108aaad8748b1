from django.core.management.base import BaseCommand

from demo.notices import demo_notices_send


class Command(BaseCommand):
    help = (
        "Send the demo's notices, one of each kind: every notice job runs as of "
        "the instant at which the demo's data makes it due (the live edition's "
        "next session, the open offer's expiry, a register left open). Each "
        "notice goes once: a second run sends nothing new."
    )

    def handle(self, *args, **options) -> None:
        for name, sent in demo_notices_send().items():
            self.stdout.write(f"{name}: {sent} sent")
