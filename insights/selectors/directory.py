"""The directory month by month: profiles published, companies that looked
at profiles, contact requests sent and what became of them. Three grouped
queries."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from directory.models import ContactRequest, ContactStatus, ProfileView
from people.models import GraduateProfile

from .base import Figures, ReportFilters, month_label


def _published(start, end) -> dict:
    return dict(
        GraduateProfile.objects.filter(
            published_at__date__gte=start, published_at__date__lte=end
        )
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )


def _searching(start, end) -> dict:
    """Companies that opened at least one profile, per month."""
    return dict(
        ProfileView.objects.filter(day__gte=start, day__lte=end)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(n=Count("company_id", distinct=True))
        .values_list("month", "n")
    )


def _contacts(start, end) -> dict:
    return {
        row["month"]: row
        for row in ContactRequest.objects.filter(
            created_at__date__gte=start, created_at__date__lte=end
        )
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(
            sent=Count("pk"),
            accepted=Count("pk", filter=Q(status=ContactStatus.ACCEPTED)),
            declined=Count("pk", filter=Q(status=ContactStatus.DECLINED)),
            pending=Count("pk", filter=Q(status=ContactStatus.PENDING)),
        )
    }


def directory_report(*, filters: ReportFilters) -> Figures:
    start, end = filters.period()
    published = _published(start, end)
    searching = _searching(start, end)
    contacts = _contacts(start, end)
    figures = Figures(
        columns=[
            _("Month"),
            _("Profiles published"),
            _("Companies searching"),
            _("Contact requests"),
            _("Accepted"),
            _("Declined"),
            _("Waiting"),
        ],
        charted=(1, 2, 3),
        over_time=True,
    )
    months = sorted({_month(m) for m in (*published, *searching, *contacts)})
    published = {_month(k): v for k, v in published.items()}
    searching = {_month(k): v for k, v in searching.items()}
    contacts = {_month(k): v for k, v in contacts.items()}
    for month in months:
        row = contacts.get(month, {})
        figures.rows.append(
            [
                month,
                published.get(month, 0),
                searching.get(month, 0),
                *(row.get(k, 0) for k in ("sent", "accepted", "declined", "pending")),
            ]
        )
    return figures


def _month(value) -> str:
    return month_label(value)
