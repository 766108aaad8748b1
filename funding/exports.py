"""A funding line's figures as files for the funder: XLSX (openpyxl) and CSV
(";" and a decimal comma in Italian, "," and a point in English, with a BOM:
attendance.exports' conventions). Staff and company managers download the
same files, a manager's with the company's employees only."""

from __future__ import annotations

import io
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

from enrolment.exports import csv_delimiter, csv_safe_bytes

from .selectors import PAYERS, LineReport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _header() -> list[str]:
    return [
        _("Edition"),
        _("Funding line"),
        _("Last name"),
        _("First name"),
        _("Email"),
        _("Company"),
        _("Hours delivered"),
        _("Hours attended"),
        _("Company (EUR)"),
        _("Trainee (EUR)"),
        _("Fund (EUR)"),
        _("Voucher (EUR)"),
        _("Company voucher (EUR)"),
        _("Total (EUR)"),
        _("Voucher number"),
        _("Voucher granted on"),
    ]


def report_rows(reports: list[LineReport]) -> list[list]:
    """One row per place, then a totals row per line; numbers as Decimals."""
    rows: list[list] = []
    for report in reports:
        line = report.line
        for row in report.rows:
            person = row.trainee
            company = row.place.enrolment.sponsor_company
            amounts = row.amounts
            rows.append(
                [
                    line.edition.code,
                    str(line),
                    person.last_name,
                    person.first_name,
                    person.email,
                    company.name if company else "",
                    row.hours_delivered,
                    row.hours_attended,
                    *(amounts[payer] for payer in (*PAYERS, "total")),
                    row.place.voucher_number,
                    row.place.voucher_granted_on.isoformat()
                    if row.place.voucher_granted_on
                    else "",
                ]
            )
        totals = report.totals()
        rows.append(
            [line.edition.code, str(line), _("Total"), "", "", "", "", ""]
            + [totals[payer] for payer in (*PAYERS, "total")]
            + ["", ""]
        )
    return rows


def table_csv(header: list, rows: list[list]) -> bytes:
    """A table as CSV in the reader's style: ";" and a decimal comma in
    Italian (Italian Excel reads "12.5" as a date), with a BOM; every field
    neutralised against formula injection."""
    formatted = [
        [number_format(v, decimal_pos=2) if isinstance(v, Decimal) else v for v in row]
        for row in rows
    ]
    return csv_safe_bytes([header, *formatted], delimiter=csv_delimiter())


def xlsx_text_cell(sheet, value):
    """Strings as text, never as formulas (openpyxl stores "=..." as one)."""
    if not isinstance(value, str):
        return value
    cell = Cell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell


def table_xlsx(header: list, rows: list[list], *, title: str) -> bytes:
    """A table as one XLSX sheet: numbers as numbers, strings as text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([xlsx_text_cell(sheet, value) for value in header])
    for row in rows:
        sheet.append([xlsx_text_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_download(filename: str, mimetype: str, content: bytes) -> HttpResponse:
    """A file as a download no shared cache or browser history keeps."""
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def report_csv(reports: list[LineReport], *, name: str) -> tuple[str, str, bytes]:
    content = table_csv(_header(), report_rows(reports))
    return f"{name}.csv", "text/csv; charset=utf-8", content


def report_xlsx(reports: list[LineReport], *, name: str) -> tuple[str, str, bytes]:
    content = table_xlsx(_header(), report_rows(reports), title=name)
    return f"{name}.xlsx", XLSX, content


def report_download(reports: list[LineReport], *, name: str, fmt: str) -> HttpResponse:
    """The figures as a download no shared cache keeps; an unknown format is
    a 404."""
    if fmt == "xlsx":
        filename, mimetype, content = report_xlsx(reports, name=name)
    elif fmt == "csv":
        filename, mimetype, content = report_csv(reports, name=name)
    else:
        raise Http404
    return file_download(filename, mimetype, content)
