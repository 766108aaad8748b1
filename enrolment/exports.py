"""Edition lists as CSV and XLSX (openpyxl), for staff."""

import csv
import io
import re
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

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


# Spreadsheet formula injection. A cell that starts with one of these runs as a
# formula (leading blanks and quotes are skipped by some spreadsheets). A
# spreadsheet may also split the file on another separator than ours (Italian
# Excel and LibreOffice default to ";"), or on a line break inside a quoted field,
# so every piece of a value that follows a possible separator is a cell too.
_FORMULA_START = re.compile(r"[\s\"']*[=+\-@]|[\t\r]")
_SEPARATED_FORMULA = re.compile(r"([,;|\t\r\n])(?=[\s\"']*[=+\-@])")


def _safe_cell(value):
    """The value with a ' before every place where a formula could start."""
    if not isinstance(value, str):
        return value
    value = _SEPARATED_FORMULA.sub(r"\1'", value)
    if _FORMULA_START.match(value):
        value = "'" + value
    return value


def csv_safe_bytes(rows: Iterable[Iterable], *, delimiter: str = ",") -> bytes:
    """Rows as a CSV file that no spreadsheet opens with a formula in it.

    Every field is quoted (a separator inside a value never ends the cell for a
    reader that uses ours) and neutralised (_safe_cell); UTF-8 with a BOM, so
    Excel reads the accents right.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, delimiter=delimiter)
    for row in rows:
        writer.writerow([_safe_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def csv_delimiter() -> str:
    """The separator the reader's spreadsheet expects: Italian Excel and
    LibreOffice split on ";" (the comma is the decimal mark), English on ","."""
    return ";" if (get_language() or "").startswith("it") else ","


def roster_csv(
    roster: EditionRoster, *, delimiter: str | None = None
) -> tuple[str, str, bytes]:
    """The roster as CSV, separated for the language being used (csv_delimiter)."""
    filename = f"{roster.edition.code}-enrolments.csv"
    rows = _rows(roster)
    content = csv_safe_bytes(rows, delimiter=delimiter or csv_delimiter())
    return filename, "text/csv; charset=utf-8", content


def _text_cell(sheet, value):
    # openpyxl stores any string that starts with "=" as a formula: every string
    # is stored as text instead (control characters, which XLSX cannot hold, are
    # dropped), marked as typed-in text where it looks like a formula.
    if not isinstance(value, str):
        return value
    cell = Cell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    if _FORMULA_START.match(value):
        cell.quotePrefix = True
    return cell


def roster_xlsx(roster: EditionRoster) -> tuple[str, str, bytes]:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = roster.edition.code[:31]
    for row in _rows(roster):
        sheet.append([_text_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    filename = f"{roster.edition.code}-enrolments.xlsx"
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return filename, mimetype, buffer.getvalue()
