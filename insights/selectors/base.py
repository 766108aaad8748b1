"""What every report shares: the filters staff choose and the figures a
report returns (a table whose numeric columns the chart draws)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from courses.models import CourseEdition, Session
from enrolment.models import Enrolment
from funding.models import FundingLine

# How far back a report looks when staff choose no period.
DEFAULT_MONTHS = 6
# A report per edition shows the most recent ones only: a chart of more is
# unreadable (per area or per month covers them all).
EDITION_ROWS = 30


@dataclass(frozen=True)
class ReportFilters:
    """The filters of every report; each report reads those that apply to it.
    `company` restricts figures to the enrolments that company sponsors."""

    start: datetime.date | None = None
    end: datetime.date | None = None
    area: str = ""
    course: int | None = None
    kind: str = ""
    company: int | None = None
    by: str = ""

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The period asked for, or the last DEFAULT_MONTHS months to today."""
        today = timezone.localdate()
        end = self.end or today
        start = self.start or (end - datetime.timedelta(days=30 * DEFAULT_MONTHS))
        return start, end


@dataclass
class Figures:
    """A report's table: `columns` headings (the first labels the rows),
    `rows` of [label, figure, ...], and which columns the chart draws."""

    columns: list[str]
    rows: list[list] = field(default_factory=list)
    charted: tuple[int, ...] = (1,)
    over_time: bool = False
    note: str = ""  # what the reader should know of the rows shown

    def column(self, index: int) -> list:
        return [row[index] for row in self.rows]


def first_session_start(edition_ref: str = "pk") -> Subquery:
    """The start of an edition's first session (not cancelled), as a subquery."""
    return Subquery(
        Session.objects.filter(edition_id=OuterRef(edition_ref), cancelled=False)
        .order_by("start")
        .values("start")[:1]
    )


def editions_filtered(filters: ReportFilters) -> QuerySet[CourseEdition]:
    """Editions (not drafts, not cancelled) whose first session falls in the
    period, of the area, course and funding kind asked for."""
    start, end = filters.period()
    editions = (
        CourseEdition.objects.exclude(status__in=["draft", "cancelled"])
        .annotate(first_start=first_session_start())
        .filter(first_start__date__gte=start, first_start__date__lte=end)
    )
    if filters.area:
        editions = editions.filter(course__area=filters.area)
    if filters.course:
        editions = editions.filter(course_id=filters.course)
    if filters.kind:
        editions = editions.filter(
            Exists(
                FundingLine.objects.filter(edition_id=OuterRef("pk"), kind=filters.kind)
            )
        )
    if filters.company:
        # Only editions with the company's employees (its sponsored places).
        editions = editions.filter(
            Exists(
                Enrolment.objects.filter(
                    edition_id=OuterRef("pk"), sponsor_company_id=filters.company
                )
            )
        )
    return editions


def editions_recent(filters: ReportFilters) -> QuerySet[CourseEdition]:
    """The EDITION_ROWS editions filtered whose first session is the latest."""
    recent = editions_filtered(filters).order_by("-first_start", "-pk")
    return CourseEdition.objects.filter(
        pk__in=list(recent.values_list("pk", flat=True)[:EDITION_ROWS])
    ).annotate(first_start=first_session_start())


def month_label(day: datetime.date | datetime.datetime | None) -> str:
    if day is None:
        return "–"
    return f"{day:%Y-%m}"


__all__ = [
    "DEFAULT_MONTHS",
    "EDITION_ROWS",
    "Figures",
    "ReportFilters",
    "TruncMonth",
    "editions_filtered",
    "editions_recent",
    "first_session_start",
    "month_label",
]
