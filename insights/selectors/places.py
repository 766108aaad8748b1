"""Fill rate and waitlist: places taken against capacity, per edition, per
area or per month of the first session. Two grouped queries, whatever the
number of editions and enrolments."""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from courses.models import Area
from enrolment.models import Enrolment, EnrolmentStatus

from .base import (
    EDITION_ROWS,
    Figures,
    ReportFilters,
    editions_filtered,
    editions_recent,
    first_session_start,
    month_label,
)

BY_CHOICES = ("edition", "area", "month")


def _label(by: str, key) -> str:
    if by == "area":
        return str(Area(key).label) if key in Area.values else str(key)
    if by == "month":
        return month_label(key)
    return str(key)


def _capacities(editions, by: str) -> list[tuple]:
    key = {
        "edition": F("code"),
        "area": F("course__area"),
        "month": TruncMonth("first_start"),
    }[by]
    return list(
        editions.annotate(key=key)
        .values("key")
        .annotate(capacity=Sum("capacity"))
        .order_by("key" if by != "edition" else "first_start")
        .values_list("key", "capacity")
    )


def _counts(editions, by: str, *, company: int | None) -> dict:
    key = {
        "edition": F("edition__code"),
        "area": F("edition__course__area"),
        "month": TruncMonth(first_session_start("edition_id")),
    }[by]
    enrolments = Enrolment.objects.filter(edition__in=editions.values("pk"))
    if company:
        enrolments = enrolments.filter(sponsor_company_id=company)
    return {
        row["key"]: row
        for row in enrolments.annotate(key=key)
        .values("key")
        .annotate(
            confirmed=Count("pk", filter=Q(status=EnrolmentStatus.CONFIRMED)),
            waitlisted=Count("pk", filter=Q(status=EnrolmentStatus.WAITLISTED)),
        )
        .order_by()
    }


def fill_report(*, filters: ReportFilters) -> Figures:
    """Capacity, confirmed places, waitlist and fill rate (confirmed over
    capacity, %) of the editions filtered, grouped as `filters.by` says."""
    by = filters.by if filters.by in BY_CHOICES else "edition"
    if by == "edition":
        editions = editions_recent(filters)
    else:
        editions = editions_filtered(filters)
    capacities = _capacities(editions, by)
    counts = _counts(editions, by, company=filters.company)
    figures = Figures(
        columns=[
            {"edition": _("Edition"), "area": _("Area"), "month": _("Month")}[by],
            _("Capacity"),
            _("Confirmed"),
            _("Waitlist"),
            _("Fill rate %"),
        ],
        charted=(4,),
        over_time=by == "month",
    )
    if by == "edition":
        figures.note = _("The %(count)s editions that started last.") % {
            "count": EDITION_ROWS
        }
    for key, capacity in capacities:
        row = counts.get(key, {})
        confirmed, waitlisted = row.get("confirmed", 0), row.get("waitlisted", 0)
        rate = round(100 * confirmed / capacity, 1) if capacity else None
        figures.rows.append([_label(by, key), capacity, confirmed, waitlisted, rate])
    return figures
