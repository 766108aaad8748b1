"""`manage.py rqworker` in a child process, for test_rq_worker_kill.py.

Like tests/certificates/db_worker.py: the test settings plus what the test
hands over as JSON in MAKERS_TEST_WORKER ("settings", set with
override_settings: the RQ task backend, the signing key; "clock_offset", so the
child's now is the test's now). DATABASE_URL names the test database.

    python -m tests.certificates.rq_worker [rqworker options] <queue>
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
    from django.utils.functional import empty

    from certificates.models import private_storage

    with (
        time_machine.travel(now, tick=True),
        override_settings(**handover["settings"]),
    ):
        # Read again under the handed-over MAKERS_PRIVATE_ROOT, whatever the
        # start-up touched.
        private_storage._wrapped = empty
        call_command("rqworker", *sys.argv[1:])


if __name__ == "__main__":
    main()
