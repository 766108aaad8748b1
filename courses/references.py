"""The public repertories a competency refers to, and the format of each code.

- ESCO (the EU's classification of skills and occupations): a concept URI,
  http://data.europa.eu/esco/skill/<uuid> or .../occupation/<uuid>.
- Atlante del Lavoro e delle Qualificazioni (INAPP), the Italian repertory that
  D.Lgs. 13/2013 and DM 30/6/2015 refer to: an area of activity (ADA) code,
  "ADA." followed by three dot-separated numbers (sector, then two levels).
- ATECO (ISTAT's classification of economic activities, 2007 and its 2025
  update): division "25", group "25.6", class "25.62", category "25.62.0",
  subcategory "25.62.00".
- CP ISTAT 2011 (classification of occupations): one to five levels of one
  digit each, "6.2.1.2.0" for a unit.

Each pattern is written once and used twice: by the form validators (a clear
message for staff) and by the model's check constraints (the database refuses
what a bulk import or a shell slips past the forms).
"""

import functools
import json
from pathlib import Path

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

ESCO_RE = (
    r"^https?://data\.europa\.eu/esco/(skill|occupation)/"
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
ADA_RE = r"^ADA\.[0-9]{1,2}\.[0-9]{1,3}\.[0-9]{1,4}$"
ATECO_RE = r"^[0-9]{2}(\.[0-9]|\.[0-9]{2}(\.[0-9]{1,2})?)?$"
CP_ISTAT_RE = r"^[1-9](\.[0-9]){0,4}$"

esco_uri_validator = RegexValidator(
    ESCO_RE,
    _(
        "Enter an ESCO skill or occupation URI, e.g. "
        "http://data.europa.eu/esco/skill/<uuid>."
    ),
)
ada_code_validator = RegexValidator(
    ADA_RE,
    _(
        "Enter an Atlante del Lavoro activity-area code: ADA followed by three "
        "numbers separated by dots, e.g. ADA.10.01.07."
    ),
)
ateco_code_validator = RegexValidator(
    ATECO_RE,
    _("Enter an ATECO code: two digits, then up to two groups, e.g. 25.62.00."),
)
cp_istat_code_validator = RegexValidator(
    CP_ISTAT_RE,
    _(
        "Enter a CP ISTAT 2011 code: one to five single digits separated by dots, "
        "e.g. 6.2.1.2.0."
    ),
)

REFERENCES_FILE = Path(__file__).resolve().parent / "data" / "references.json"


@functools.cache
def references_snapshot() -> dict:
    """The shipped snapshot of the codes in use, with their labels and where
    each comes from (courses/data/references.json); read once per process."""
    return json.loads(REFERENCES_FILE.read_text(encoding="utf-8"))


def reference_label(*, scheme: str, code: str) -> str:
    """The label of a code in the snapshot ("esco", "ateco", "cp_istat",
    "ada"), or "" when the snapshot does not have it."""
    if not code:
        return ""
    return references_snapshot().get(scheme, {}).get(code, {}).get("label", "")
