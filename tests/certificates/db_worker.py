"""`manage.py db_worker` in a child process, for test_worker_kill.py.

The child runs the test settings plus what the test hands over as JSON in
MAKERS_TEST_WORKER: "settings" (set with override_settings, so django-tasks
picks up the database backend) and "clock_offset", the seconds between the
test's clock and the wall clock, so the child's now is the test's now (the
suite never runs on the wall clock). DATABASE_URL names the test database.

    python -m tests.certificates.db_worker [db_worker options]
"""

import datetime
import json
import os
import sys
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makers_school.settings.test")
    handover = json.loads(os.environ["MAKERS_TEST_WORKER"])
    now = datetime.datetime.fromtimestamp(
        time.time() + handover["clock_offset"], tz=datetime.UTC
    )

    import django
    import time_machine

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings

    with (
        time_machine.travel(now, tick=True),
        override_settings(**handover["settings"]),
    ):
        call_command("db_worker", *sys.argv[1:])


if __name__ == "__main__":
    main()
