"""What a restored school must still do (run by test_restore_drill in a process
pointed at the restored database and folders):

    python -m tests.core.restore_probe <pdf> <feed token> <holder email> <pk> <now>

Prints one JSON line: the row count of every table, what the verification
service says of the PDF downloaded before the backup, the personal calendar
feed's status, and the certificate's download (from the restored files).
The clock runs from <now>, the test's own (frozen) instant, so the signature
is judged at the time the test issued it (tests/conftest.py).
"""

import json
import sys
from pathlib import Path

import django
import time_machine

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from certificates.selectors import certificate_from_pdf  # noqa: E402
from core.backups import table_counts  # noqa: E402


def main(pdf_path: str, token: str, email: str, pk: str) -> dict:
    counts = table_counts()
    pdf = Path(pdf_path).read_bytes()
    check = certificate_from_pdf(pdf=pdf)
    client = Client()
    feed = client.get(reverse("calendar_feeds:personal", args=[token]))
    client.force_login(get_user_model().objects.get(email=email))
    download = client.get(reverse("certificates:download", args=[int(pk)]))
    return {
        "counts": counts,
        "certificate": check.certificate.serial if check.certificate else None,
        "exact": check.exact,
        "genuine": check.signature.genuine,
        "feed_status": feed.status_code,
        "download_status": download.status_code,
        "download_same": b"".join(download) == pdf,
    }


if __name__ == "__main__":
    with time_machine.travel(sys.argv[5], tick=True):
        print(json.dumps(main(*sys.argv[1:5])))
