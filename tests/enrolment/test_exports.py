"""Staff exports of an edition's lists: no cell may become a formula, whichever
separator the spreadsheet uses to read the file."""

import csv
import io

import pytest
from openpyxl import load_workbook

from enrolment import services
from enrolment.exports import roster_csv, roster_xlsx
from enrolment.selectors import edition_roster
from tests.factories import CompanyFactory, CourseEditionFactory, TraineeFactory

pytestmark = pytest.mark.django_db

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def starts_a_formula(cell: str) -> bool:
    """What a spreadsheet would run, also after blanks or double quotes it skips
    (a leading ' marks text)."""
    return cell.startswith(FORMULA_START) or cell.lstrip(' "').startswith(FORMULA_START)


NASTY_NAMES = [
    "Rossi;=1+1;",
    "Rossi,=1+1,",
    '=HYPERLINK("https://evil.example")',
    "+39 011 000",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    'Rossi;"=1+1',
    "Rossi; =1+1",
    "Rossi\n=1+1",
    "Rossi|=1+1",
]


@pytest.fixture
def roster():
    edition = CourseEditionFactory(capacity=len(NASTY_NAMES) + 1)
    for name in NASTY_NAMES:
        services.enrolment_create(
            trainee=TraineeFactory(last_name=name, first_name=name), edition=edition
        )
    company = CompanyFactory(name="ACME;=1+1;")
    enrolment = services.enrolment_create(trainee=TraineeFactory(), edition=edition)
    enrolment.sponsor_company = company
    enrolment.save(update_fields=["sponsor_company"])
    return edition_roster(edition=edition)


@pytest.mark.parametrize("written", [",", ";"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_has_no_formula_cell_for_either_separator(roster, written, delimiter):
    _, _, content = roster_csv(roster, delimiter=written)
    text = content.decode("utf-8-sig")
    cells = [
        cell
        for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        for cell in row
    ]
    assert len(cells) > len(NASTY_NAMES)
    assert [cell for cell in cells if starts_a_formula(cell)] == []


def test_csv_quotes_every_field_and_keeps_the_name_readable(roster):
    _, _, content = roster_csv(roster, delimiter=",")
    text = content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert all(len(row) == len(rows[0]) for row in rows)
    last_names = {row[2] for row in rows[1:]}
    assert "Rossi;'=1+1;" in last_names
    assert '\'=HYPERLINK("https://evil.example")' in last_names
    assert text.splitlines()[0] == ",".join(f'"{cell}"' for cell in rows[0])


def test_xlsx_stores_names_as_text_never_as_formulas(roster):
    _, _, content = roster_xlsx(roster)
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    values = {cell.value for cell in cells}
    assert "Rossi;=1+1;" in values
    assert '=HYPERLINK("https://evil.example")' in values


@pytest.mark.parametrize("language,delimiter", [("it", ";"), ("en", ",")])
def test_csv_opens_in_columns_in_the_users_spreadsheet(roster, language, delimiter):
    """Finding 15: Italian Excel splits on ";", English on ","; a UTF-8 BOM so
    the accents read right. Parsed back, every row has every column."""
    from django.utils import translation

    with translation.override(language):
        _, _, content = roster_csv(roster)
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert len(rows[0]) == 9
    assert all(len(row) == 9 for row in rows)
    assert len(rows) == len(NASTY_NAMES) + 2
    assert "Rossi;'=1+1;" in {row[2] for row in rows[1:]}


def test_the_admin_export_is_semicolon_separated_for_italian_staff(client, roster):
    from django.urls import reverse

    from people.models import Role
    from people.services import roles_sync
    from tests.factories import UserFactory

    roles_sync()
    staff = UserFactory(role=Role.STAFF, language="it")
    client.force_login(staff)
    url = reverse("enrolments:export", args=[roster.edition.pk, "csv"])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text), delimiter=";"))
    assert header[:3] == ["Elenco", "Posizione", "Cognome"]
