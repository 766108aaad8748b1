"""Edition lists as CSV and XLSX (openpyxl), for staff."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .selectors import EditionRoster


def _rows(roster: EditionRoster) -> list[list]:
    header = [
        _("List"),
        _("Position"),
        _("Last name"),
        _("First name"),
        _("Email"),
        _("Status"),
        _("Company"),
        _("Enrolled at"),
        _("Offer expires"),
    ]
    rows = [header]
    sections = [
        (_("Confirmed"), roster.confirmed),
        (_("Awaiting approval"), roster.pending),
        (_("Open offers"), roster.offers),
        (_("Waitlist"), roster.waitlist),
    ]
    for label, enrolments in sections:
        for enrolment in enrolments:
            trainee = enrolment.trainee
            rows.append(
                [
                    str(label),
                    enrolment.waitlist_position or "",
                    trainee.last_name,
                    trainee.first_name,
                    trainee.email,
                    str(enrolment.get_status_display()),
                    enrolment.sponsor_company.name if enrolment.sponsor_company else "",
                    timezone.localtime(enrolment.created_at).strftime("%Y-%m-%d %H:%M"),
                    timezone.localtime(enrolment.offer_expires_at).strftime(
                        "%Y-%m-%d %H:%M"
                    )
                    if enrolment.offer_expires_at
                    else "",
                ]
            )
    return rows


def _safe_cell(value):
    # Spreadsheet formula injection: a cell starting with these runs as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def roster_csv(roster: EditionRoster) -> tuple[str, str, bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in _rows(roster):
        writer.writerow([_safe_cell(value) for value in row])
    filename = f"{roster.edition.code}-enrolments.csv"
    return filename, "text/csv", buffer.getvalue().encode("utf-8-sig")


def roster_xlsx(roster: EditionRoster) -> tuple[str, str, bytes]:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = roster.edition.code[:31]
    for row in _rows(roster):
        sheet.append([_safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    filename = f"{roster.edition.code}-enrolments.xlsx"
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return filename, mimetype, buffer.getvalue()
