from django.core.management.base import BaseCommand

from enrolment.services import offers_expire, offers_expire_task
from enrolment.tasks import enrolment_changes_record


class Command(BaseCommand):
    help = (
        "Expire seat offers past their time and pass each seat to the next person "
        "on the waitlist, and record any enrolment change still waiting for its "
        "audit entry. Safe to run from cron while another run is going."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Enqueue the django-tasks task instead of running here.",
        )

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            result = offers_expire_task.enqueue()
            self.stdout.write(f"Enqueued {result.id}")
            return
        count = offers_expire()
        self.stdout.write(f"{count} offer(s) expired.")
        # The safety net of the recording runs that changes queue themselves.
        recorded = enrolment_changes_record.call()
        self.stdout.write(f"{recorded} pending change(s) recorded.")
