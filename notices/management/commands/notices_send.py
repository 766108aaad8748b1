import datetime

from django.core.management.base import BaseCommand, CommandError

from notices.jobs import JOBS


def _instant(value: str) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("an offset is needed, e.g. 2026-06-10T18:00+02:00")
    return moment


class Command(BaseCommand):
    help = (
        "Run every notice job once (or those named): session reminders, offers "
        "and certificates about to expire, attendance at risk, registers left "
        "open. Each notice is sent once however often this runs; the scheduler "
        "runs the same jobs on its own in production. --at runs them as of "
        "another instant (the demo: the evening before its next session)."
    )

    def add_arguments(self, parser):
        parser.add_argument("jobs", nargs="*", metavar="job", help=", ".join(JOBS))
        parser.add_argument("--at", type=_instant, default=None)

    def handle(self, *args, jobs: list[str], at: datetime.datetime | None, **options):
        unknown = sorted(set(jobs) - set(JOBS))
        if unknown:
            raise CommandError(f"Unknown job: {', '.join(unknown)}.")
        for name in jobs or JOBS:
            sent = JOBS[name](now=at)
            self.stdout.write(f"{name}: {sent} sent")
