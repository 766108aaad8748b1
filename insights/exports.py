"""A report's table as a file: XLSX or CSV, written by funding.exports'
helpers (";" and a decimal comma in Italian, strings never formulas)."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils import timezone

from funding.exports import XLSX, file_download, table_csv, table_xlsx

from .selectors import Figures

FORMATS = ("csv", "xlsx")


def report_file(*, slug: str, figures: Figures, fmt: str) -> tuple[str, str, bytes]:
    """(filename, mimetype, content); an unknown format is a LookupError."""
    name = f"{slug}-{timezone.localdate():%Y%m%d}"
    columns = [str(column) for column in figures.columns]
    if fmt == "csv":
        # Percentages in the reader's decimal style too ("30,00" in Italian).
        rows = [
            [Decimal(str(v)) if isinstance(v, float) else v for v in row]
            for row in figures.rows
        ]
        return f"{name}.csv", "text/csv; charset=utf-8", table_csv(columns, rows)
    if fmt == "xlsx":
        return f"{name}.xlsx", XLSX, table_xlsx(columns, figures.rows, title=slug)
    raise LookupError(fmt)


def report_download(*, slug: str, figures: Figures, fmt: str) -> HttpResponse:
    try:
        return file_download(*report_file(slug=slug, figures=figures, fmt=fmt))
    except LookupError as unknown:
        raise Http404 from unknown
