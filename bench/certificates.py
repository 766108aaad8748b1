"""Certificate rows (issue 9): one certificate rendered and signed, the public
verification by code (page and JSON) and by upload, and a bulk run of 500.

In-process figures (production settings, PostgreSQL) are the median of REPEATS
runs. A development signing key is made in bench/out/signing/ (never var/), the
PDFs go to bench/out/private/. Each run makes a new bench edition BENCH-CERT-<n>,
completed, its BULK + REPEATS + 2 confirmed trainees present at both sessions
and achieving every competency.

- render: reportlab only (CertificateRenderer.generate), ms and bytes;
- render + sign: the same plus pyHanko's PAdES signature with the kept key;
- issue: certificate_issue through the service (serial, render, sign, save);
- verification page / JSON: GET of /verify/<code>/ and /api/certificates/<code>/;
- upload: POST of a signed certificate to /verify/ (SHA-256 lookup, the
  structure scan and pyHanko's validation of the signature);
- bulk: a run of BULK enrolments shared by two worker processes calling
  run_work (the task's body; the database task backend's db_worker runs the same
  function), certificates/s over the time they were issuing (start-up in the
  note: a db_worker outlives a run), and the larger peak RSS.

The credential rows (B-LTA against B-B, Open Badge, Europass, the bulk in
every form) are bench.credentials'.

- WeasyPrint: the same certificate from HTML (bench/certificates_weasyprint.py,
  the `bench` extra), its time and bytes, and its time over reportlab's.

Targets (issue 9): bulk >= 30 signed certificates/s with two workers; a worker's
peak memory < 300 MB; reportlab's render >= 4x faster than WeasyPrint's.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time

from . import certificates_weasyprint
from .report import Row, error_row
from .timing import median_ms

NAME = "certificates"
REPEATS = 15
BULK = 500
WORKERS = 2
BULK_TARGET = 30  # certificates/s with two workers
MEMORY_TARGET_MB = 300

_WORKER = """
import json, resource, sys, time
import django


def peak_mb():
    # VmHWM: this process's own peak. ru_maxrss also counts the parent's peak
    # at the fork (Linux keeps it across exec), so the bench's own size showed.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


django.setup()
from certificates.services import run_work
cpu = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
started = time.time()
handled = run_work(run_id=int(sys.argv[1]))
print(json.dumps({
    "handled": handled,
    "started": started,
    "finished": time.time(),
    "peak_mb": peak_mb(),
    "cpu": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]) - cpu,
}))
"""


def _median_ms(fn, repeats: int = REPEATS) -> float:
    return median_ms(fn, repeats=repeats, digits=1)


def _signing(ctx) -> dict[str, str]:
    """A development key in bench/out/signing/, set in this process; the
    environment the worker processes need for the same key and storage."""
    from django.conf import settings
    from django.utils.functional import empty

    from certificates.models import private_storage
    from certificates.signing import DEV_PASSPHRASE_NAME, dev_signing_key_create

    directory = ctx.out_dir / "signing"
    path = dev_signing_key_create(directory=directory)
    passphrase = (directory / DEV_PASSPHRASE_NAME).read_text().strip()
    settings.MAKERS_SIGNING_P12 = str(path)
    settings.MAKERS_SIGNING_PASSPHRASE = passphrase
    settings.MAKERS_PRIVATE_ROOT = ctx.out_dir / "private"
    private_storage._wrapped = empty
    return {
        "MAKERS_SIGNING_P12": str(path),
        "MAKERS_SIGNING_PASSPHRASE": passphrase,
        "MAKERS_PRIVATE_ROOT": str(settings.MAKERS_PRIVATE_ROOT),
    }


def _edition(trainees: int):
    """BENCH-CERT-<n>: completed a week ago, `trainees` eligible enrolments."""
    from django.utils import timezone

    from attendance.models import Assessment, AttendanceRecord
    from courses.models import CourseEdition, CoursePage, EditionStatus, Session, Venue
    from enrolment.models import Enrolment
    from people.models import User

    from .data import ensure_dataset

    # A new edition each run (--reuse-db keeps the certificates of the last).
    runs = CourseEdition.objects.filter(code__startswith="BENCH-CERT-").count()
    code = f"BENCH-CERT-{runs + 1}"
    course = CoursePage.objects.live().first()
    if course is None:  # run alone (--only certificates) on a fresh database
        ensure_dataset(courses=1, editions_per_course=1, sessions_per_edition=1)
        course = CoursePage.objects.live().first()
    venue = Venue.objects.first() or Venue.objects.create(
        name="MTC", address="Corso Settembrini 178", postcode="10135", city="Torino"
    )
    now = timezone.now()
    edition = CourseEdition.objects.create(
        course=course,
        code=code,
        status=EditionStatus.COMPLETED,
        capacity=trainees,
        seats_taken=trainees,
        enrolment_opens_at=now - dt.timedelta(days=90),
        enrolment_closes_at=now - dt.timedelta(days=60),
        venue=venue,
    )
    sessions = Session.objects.bulk_create(
        Session(
            edition=edition,
            start=now - dt.timedelta(days=days),
            end=now - dt.timedelta(days=days) + dt.timedelta(hours=4),
            topic=f"Bench {days}",
            sort_order=number,
        )
        for number, days in enumerate((14, 7))
    )
    people = User.objects.bulk_create(
        User(
            email=f"{code.lower()}-{n}@example.com",
            first_name="Niccolò",
            last_name=f"Dell'Àcqua {n:03d}",
        )
        for n in range(trainees)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(trainee=p, edition=edition, status="confirmed") for p in people
    )
    AttendanceRecord.objects.bulk_create(
        AttendanceRecord(
            enrolment=e,
            session=s,
            status="present",
            minutes_present=240,
            recorded_at=s.end,
        )
        for e in enrolments
        for s in sessions
    )
    Assessment.objects.bulk_create(
        Assessment(enrolment=e, competency=c, achieved=True, assessed_at=now)
        for e in enrolments
        for c in course.competencies.all()
    )
    return edition


def run(ctx) -> list[Row]:
    try:
        env = _signing(ctx)
        edition = _edition(BULK + REPEATS + 2)
    except Exception as error:  # noqa: BLE001 - one error row, not a crash
        return [error_row("certificates (setup)", error)]
    rows = _single(edition)
    rows.extend(_bulk(ctx, edition, env))
    return rows


def _single(edition) -> list[Row]:
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from certificates import services
    from certificates.pdf import CertificateRenderer
    from certificates.signing import pdf_sign, signing_key_load

    enrolments = list(
        edition.enrolments.filter(certificates__isnull=True).order_by("-pk")[
            : REPEATS + 2
        ]
    )
    issued = []

    def issue():
        issued.append(
            services.certificate_issue(enrolment=enrolments[len(issued)], actor=None)
        )

    issue_ms = _median_ms(issue)
    certificate = issued[0]
    issuer = services.issuer_default()
    url = services.verification_url(code=certificate.verification_code)

    def render() -> bytes:
        return CertificateRenderer(
            certificate=certificate, issuer=issuer, verification_url=url
        ).generate()[2]

    key = signing_key_load()
    content = render()
    with certificate.pdf.open("rb") as handle:
        signed = handle.read()
    client = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="127.0.0.1")
    page = reverse("certificates:verify", args=[certificate.verification_code])
    api = reverse("certificates_api:verify", args=[certificate.verification_code])
    with translation.override("it"):
        start = reverse("certificates:verify_start")

    def get(path):
        from django.core.cache import cache

        cache.clear()  # the verification rate limit, not a page cache
        response = client.get(path)
        assert response.status_code == 200, response.status_code

    def upload():
        from django.core.cache import cache
        from django.core.files.uploadedfile import SimpleUploadedFile

        cache.clear()
        response = client.post(
            start, {"pdf": SimpleUploadedFile("c.pdf", signed, "application/pdf")}
        )
        assert response.status_code == 200, response.status_code
        assert certificate.serial.encode() in response.content

    render_ms = _median_ms(render)
    return [
        Row("certificates render one (reportlab)", render_ms, "ms"),
        Row("certificates render one: bytes", len(content), "B"),
        *certificates_weasyprint.rows(
            certificate=certificate,
            issuer=issuer,
            verification_url=url,
            reportlab_render=render,
        ),
        Row(
            "certificates render + sign one (PAdES, key kept)",
            _median_ms(lambda: pdf_sign(pdf=render(), key=key)),
            "ms",
        ),
        Row(
            "certificates issue one (service: serial, PDF, sign, save)", issue_ms, "ms"
        ),
        Row("certificates signed PDF: bytes", len(signed), "B"),
        Row(
            "certificates verification page by code",
            _median_ms(lambda: get(page)),
            "ms",
        ),
        Row("certificates verification JSON", _median_ms(lambda: get(api)), "ms"),
        Row("certificates verification by upload", _median_ms(upload), "ms"),
    ]


def workers_run(ctx, env: dict, script: str, argv: list[list[str]]) -> list | str:
    """Run `script` in one process per argument list, at once; their last
    output lines (JSON), or the first failure's error output."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, *args],
            cwd=str(ctx.out_dir.parent.parent),
            env={**ctx.env, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in argv
    ]
    reports = []
    for process in processes:
        out, err = process.communicate(timeout=1800)
        if process.returncode != 0:
            return err.strip()[-300:]
        reports.append(json.loads(out.strip().splitlines()[-1]))
    return reports


def _bulk(ctx, edition, env) -> list[Row]:
    from django.db import transaction

    from certificates.models import Certificate, IssueRun
    from certificates.services import run_items_create

    pending = list(
        edition.enrolments.filter(certificates__isnull=True).order_by("pk")[:BULK]
    )
    # What run_start does, without enqueueing tasks no db_worker would take here:
    # the items with their serial numbers taken at once.
    with transaction.atomic():
        run = IssueRun.objects.create(edition=edition)
        run_items_create(run=run, enrolments=pending)
    before = Certificate.objects.filter(enrolment__edition=edition).count()
    started = time.perf_counter()
    reports = workers_run(ctx, env, _WORKER, [[str(run.pk)]] * WORKERS)
    if isinstance(reports, str):
        return [error_row("certificates bulk issue", reports)]
    seconds = time.perf_counter() - started
    made = Certificate.objects.filter(enrolment__edition=edition).count() - before
    # A db_worker lives on between runs: the rate is over the time the workers
    # were issuing (the first one's start to the last one's end); the wall time
    # with both processes' start-up is in the note.
    issuing = max(r["finished"] for r in reports) - min(r["started"] for r in reports)
    rate = round(made / issuing, 1)
    peak = round(max(r["peak_mb"] for r in reports))
    split = " + ".join(str(r["handled"]) for r in reports)
    # The workers' own CPU per certificate, whatever else runs on the machine
    # (the database's share is not in it).
    cpu_ms = 1000 * sum(r["cpu"] for r in reports) / max(made, 1)
    return [
        Row(
            f"certificates bulk issue {len(pending)}, {WORKERS} workers",
            rate,
            "certs/s",
            f">= {BULK_TARGET}",
            rate >= BULK_TARGET and made == len(pending),
            f"{made} issued ({split}) in {issuing:.1f} s of issuing;"
            f" {made / seconds:.1f} certs/s over {seconds:.1f} s with the two"
            f" processes' start-up; workers' CPU {cpu_ms:.0f} ms per certificate",
        ),
        Row(
            "certificates bulk issue: a worker's peak memory",
            peak,
            "MB",
            f"< {MEMORY_TARGET_MB}",
            peak < MEMORY_TARGET_MB,
        ),
    ]
