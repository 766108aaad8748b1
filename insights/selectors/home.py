"""The four figures the director reads first on the admin's home page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from courses.models import CourseEdition
from enrolment.models import EnrolmentStatus

from .attendance import at_risk_now
from .certificates import certificates_issued
from .funding import funded_hours

RUNNING = ("open", "in_progress")


@dataclass(frozen=True)
class HomeFigure:
    label: str
    value: str
    report: str  # the slug of the report it links to
    by: str = ""


def running_fill_rate() -> float | None:
    """Confirmed places over capacity of the editions open or in progress, %."""
    totals = CourseEdition.objects.filter(status__in=RUNNING).aggregate(
        capacity=Sum("capacity"),
    )
    confirmed = CourseEdition.objects.filter(status__in=RUNNING).aggregate(
        n=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.CONFIRMED))
    )["n"]
    if not totals["capacity"]:
        return None
    return round(100 * confirmed / totals["capacity"], 1)


def home_figures() -> list[HomeFigure]:
    year = timezone.localdate().year
    rate = running_fill_rate()
    return [
        HomeFigure(
            _("Fill rate of running editions"),
            "–" if rate is None else f"{number_format(rate, decimal_pos=1)} %",
            "fill",
        ),
        HomeFigure(_("Trainees at risk now"), str(at_risk_now()), "attendance"),
        HomeFigure(
            _("Certificates issued this year"),
            str(certificates_issued(year=year)),
            "certificates",
            "month",
        ),
        HomeFigure(
            _("Funded hours this year"), str(funded_hours(year=year)), "funding"
        ),
    ]
