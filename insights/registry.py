"""The staff reports: each one's address, title, selector and groupings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import selectors
from .selectors import Figures, ReportFilters


@dataclass(frozen=True)
class Report:
    slug: str
    title: Promise
    description: Promise
    read: Callable[..., Figures]
    groupings: tuple[tuple[str, Promise], ...]
    # The filters that apply to it (the form shows only these).
    filters: tuple[str, ...] = ("start", "end", "area", "course", "kind", "company")
    icon: str = "table"

    def figures(self, filters: ReportFilters) -> Figures:
        return self.read(filters=filters)


REPORTS: dict[str, Report] = {
    report.slug: report
    for report in (
        Report(
            "fill-rate",
            _("Fill rate and waitlist"),
            _("Confirmed places against capacity, and the waitlist."),
            selectors.fill_report,
            (
                ("edition", _("per edition")),
                ("area", _("per area")),
                ("month", _("per month")),
            ),
        ),
        Report(
            "attendance",
            _("Attendance"),
            _("How trainees' attendance is spread, who is at risk, absences."),
            selectors.attendance_report,
            (("edition", _("per edition")), ("session", _("absences per session"))),
        ),
        Report(
            "certificates",
            _("Certificates"),
            _("Issued and revoked in the period, and expiring within 90 days."),
            selectors.certificates_report,
            (
                ("area", _("per area")),
                ("eqf", _("per EQF level")),
                ("month", _("per month")),
            ),
        ),
        Report(
            "funding",
            _("Funding"),
            _("Funded hours and amounts by fund and by company; company vouchers."),
            selectors.funding_report,
            (
                ("kind", _("by fund")),
                ("company", _("by company")),
                ("voucher", _("company vouchers")),
            ),
        ),
        Report(
            "satisfaction",
            _("Satisfaction"),
            _(
                "What trainees answered to the course questionnaire: the "
                "average rating per course, per instructor, over time."
            ),
            selectors.satisfaction_report,
            (
                ("course", _("per course")),
                ("instructor", _("per instructor")),
                ("month", _("per month")),
            ),
            # Not the company: the answers are anonymous, nobody's employee's.
            filters=("start", "end", "area", "course", "kind"),
        ),
        Report(
            "directory",
            _("Graduate directory"),
            _("Profiles published, companies searching, contact requests."),
            selectors.directory_report,
            (("month", _("per month")),),
            filters=("start", "end"),
        ),
    )
}
