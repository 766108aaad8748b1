"""Staff rows of issue 22: the Wagtail admin's enrolment listing at 100,000
enrolments (bench.reports' dataset: 2,000 editions, 5,000 trainees), its
filters and its search; the personal-data export of a person with 2,000 audit
entries; an edition's register screen, 40 trainees x 30 sessions, with the
staff MFA gate on (a verified TOTP device, as production requires).

Each figure over the test client as a member of the Staff role (production
settings, the bench database), p95 of REPEATS after a warm-up, every cache
cleared before each request (bench.staff_timing); missed targets fail
--strict. Targets: listing p95 <= 300 ms, export <= 1 s, register <= 150 ms.
"""

from __future__ import annotations

from .report import Row, error_row
from .staff_timing import checked_get, http_figure

NAME = "staff"
HOST = "127.0.0.1"
LIST_TARGET_MS = 300


def _clear_caches() -> None:
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def _listing_queries() -> list[tuple[str, dict]]:
    from courses.models import CourseEdition

    from .reports import CODE

    edition = CourseEdition.objects.filter(code__startswith=CODE).order_by("code")
    code = edition.values_list("code", flat=True)[1000]
    return [
        ("first page", {}),
        ("deep page (40)", {"p": 40}),
        ("edition filter (typed code)", {"edition": code}),
        ("status filter (waitlisted)", {"status": "waitlisted"}),
        ("sponsor + status filters", {"status": "confirmed", "sponsor_company": ""}),
        ("search, one name", {"q": "Trainee 4711"}),
        ("search, piece of an email", {"q": "rep-123@"}),
        ("search, edition code", {"q": code}),
        ("search, no match", {"q": "Zzyzx"}),
    ]


def _listing_rows(client, scale: str) -> list[Row]:
    from django.urls import reverse

    from people.models import Company

    url = reverse("enrolments:index")
    company = Company.objects.filter(name__startswith="Bench Reports").first()
    rows = []
    for label, params in _listing_queries():
        if "sponsor_company" in params and company is not None:
            params = {**params, "sponsor_company": company.pk}
        name = f"staff: enrolment list, {label} ({scale})"
        try:
            rows.append(
                http_figure(
                    name,
                    checked_get(client, url, params),
                    target_ms=LIST_TARGET_MS,
                    before=_clear_caches,
                )
            )
        except Exception as error:  # noqa: BLE001 - one ERROR row, the rest runs
            rows.append(error_row(name, error))
    autocomplete = reverse("enrolments:edition_autocomplete")
    name = "staff: edition autocomplete ('REP-010')"
    try:
        rows.append(
            http_figure(
                name,
                checked_get(client, autocomplete, {"q": "REP-010"}),
                target_ms=LIST_TARGET_MS,
            )
        )
    except Exception as error:  # noqa: BLE001
        rows.append(error_row(name, error))
    return rows


def run(ctx) -> list[Row]:
    from django.test import Client, override_settings

    from . import staff_pages
    from .reports import _staff, ensure_reports_dataset

    enrolments, _seconds = ensure_reports_dataset()
    scale = f"{enrolments:,} enrolments"
    client = Client(HTTP_HOST=HOST)
    client.force_login(_staff())
    # The listing with the gate off (the bench staff member of bench.reports
    # has no TOTP device); the MFA rows below sign in with one.
    with override_settings(MAKERS_REQUIRE_STAFF_MFA=False):
        rows = _listing_rows(client, scale)
    return rows + staff_pages.run_rows()
