"""Certificates issued and revoked in the period and valid ones expiring
soon, per area, EQF level or month. One grouped query."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import Certificate, CertificateStatus
from courses.models import Area

from .base import Figures, ReportFilters, month_label

BY_CHOICES = ("area", "eqf", "month")
# "Expiring": valid certificates whose validity ends within these days.
EXPIRING_DAYS = 90


def _label(by: str, key) -> str:
    if key is None:
        return "–"
    if by == "area":
        return str(Area(key).label) if key in Area.values else str(key)
    if by == "eqf":
        return _("EQF %(level)s") % {"level": key}
    return month_label(key)


def _filtered(certificates, filters: ReportFilters):
    edition = "enrolment__edition__"
    if filters.area:
        certificates = certificates.filter(**{f"{edition}course__area": filters.area})
    if filters.course:
        certificates = certificates.filter(**{f"{edition}course_id": filters.course})
    if filters.kind:
        certificates = certificates.filter(enrolment__funding__line__kind=filters.kind)
    if filters.company:
        certificates = certificates.filter(
            enrolment__sponsor_company_id=filters.company
        )
    return certificates


def certificates_report(*, filters: ReportFilters) -> Figures:
    by = filters.by if filters.by in BY_CHOICES else "area"
    start, end = filters.period()
    today = timezone.localdate()
    issued = Q(issued_on__gte=start, issued_on__lte=end)
    revoked = Q(revoked_at__date__gte=start, revoked_at__date__lte=end)
    expiring = Q(
        status=CertificateStatus.VALID,
        valid_until__gte=today,
        valid_until__lte=today + datetime.timedelta(days=EXPIRING_DAYS),
    )
    certificates = _filtered(
        Certificate.objects.filter(issued | revoked | expiring), filters
    )
    edition = "enrolment__edition__"
    key = {
        "area": F(f"{edition}course__area"),
        "eqf": F("course_eqf_level"),
        "month": TruncMonth("issued_on"),
    }[by]
    rows = (
        certificates.annotate(key=key)
        .values("key")
        .annotate(
            issued=Count("pk", filter=issued),
            revoked=Count("pk", filter=revoked),
            expiring=Count("pk", filter=expiring),
        )
        .order_by("key")
    )
    figures = Figures(
        columns=[
            {"area": _("Area"), "eqf": _("EQF level"), "month": _("Month")}[by],
            _("Issued"),
            _("Revoked"),
            _("Expiring within 90 days"),
        ],
        charted=(1, 2, 3),
        over_time=by == "month",
    )
    for row in rows:
        figures.rows.append(
            [_label(by, row["key"]), row["issued"], row["revoked"], row["expiring"]]
        )
    return figures


def certificates_issued(*, year: int) -> int:
    return Certificate.objects.filter(issued_on__year=year).count()
