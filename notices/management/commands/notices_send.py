from django.core.management.base import BaseCommand, CommandError

from notices.jobs import JOBS


class Command(BaseCommand):
    help = (
        "Run every notice job once (or those named): session reminders, offers "
        "and certificates about to expire, attendance at risk, registers left "
        "open. Each notice is sent once however often this runs; the scheduler "
        "runs the same jobs on its own in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("jobs", nargs="*", metavar="job", help=", ".join(JOBS))

    def handle(self, *args, jobs: list[str], **options):
        unknown = sorted(set(jobs) - set(JOBS))
        if unknown:
            raise CommandError(f"Unknown job: {', '.join(unknown)}.")
        for name in jobs or JOBS:
            sent = JOBS[name]()
            self.stdout.write(f"{name}: {sent} sent")
