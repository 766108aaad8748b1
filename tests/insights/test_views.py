"""The reports in the admin: each one's table and chart carry the figures,
filters change them, files parse back with the same numbers, bad filters
are a message (never a 500), and only the Staff role reads them; a company
manager reads their own employees' figures on /me/company/reports/."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from courses.models import Area
from enrolment.exports import csv_delimiter
from tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    ConfirmedEnrolmentFactory,
    InstructorFactory,
    StaffFactory,
    TraineeFactory,
    UserFactory,
)
from tests.text import italian

pytestmark = pytest.mark.django_db

SLUGS = [
    "fill-rate",
    "attendance",
    "certificates",
    "funding",
    "satisfaction",
    "directory",
]


def url(slug: str) -> str:
    return reverse("makers_report", args=[slug])


@pytest.mark.parametrize("slug", SLUGS)
def test_staff_opens_every_report(school, staff_client, slug):
    response = staff_client.get(url(slug))
    assert response.status_code == 200
    assert response["Cache-Control"]


def test_fill_rate_table_and_chart_show_the_figures(school, staff_client):
    html = staff_client.get(url("fill-rate")).content.decode()
    assert '<th scope="row">RUN-1</th>' in html
    start = html.index('class="report-chart"')
    svg = html[start : html.index("</svg>", start)]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    # The bars' labels and figures as text: RUN-1 30 %, DONE-1 20 %.
    assert ">RUN-1</text>" in svg and ">DONE-1</text>" in svg
    assert ">30,0</text>" in svg or ">30.0</text>" in svg
    assert ">20,0</text>" in svg or ">20.0</text>" in svg


@pytest.mark.parametrize(
    ("slug", "query", "row", "figure"),
    [
        ("attendance", {}, "RUN-1", "1"),
        ("attendance", {"by": "session"}, None, "1"),
        ("certificates", {}, None, "2"),
        ("funding", {}, None, "450,0"),
        ("funding", {"by": "company"}, "Acme S.r.l.", "450,0"),
    ],
)
def test_each_report_shows_its_figures_in_table_and_chart(
    school, staff_client, slug, query, row, figure
):
    html = staff_client.get(url(slug), query).content.decode()
    start = html.index('class="report-chart"')
    svg = html[start : html.index("</svg>", start)]
    table = html[html.index('<table class="listing report-table">') :]
    assert f">{figure}</text>" in svg
    # Amounts: "450,00" in the table (or "450.00"), "450,0" on the bar.
    assert f"<td>{figure}" in table or f"<td>{figure.replace(',', '.')}" in table
    if row:
        assert f'<th scope="row">{row}</th>' in table
        assert f">{row}</text>" in svg


def test_filters_change_the_figures(school, staff_client):
    html = staff_client.get(url("fill-rate"), {"area": Area.ROBOTICS}).content.decode()
    assert "DONE-1" in html and "RUN-1" not in html
    html = staff_client.get(url("certificates"), {"by": "eqf"}).content.decode()
    assert ">EQF 4</text>" in html


def test_csv_export_parses_back_with_the_same_figures(school, staff_client):
    response = staff_client.get(url("fill-rate"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=csv_delimiter()))
    by_label = {row[0]: row[1:] for row in rows[1:]}
    assert by_label["RUN-1"][:3] == ["10", "3", "1"]
    # A decimal comma in Italian (the default language), a point in English.
    assert by_label["RUN-1"][3] in ("30.00", "30,00")


def test_xlsx_export_parses_back_with_the_same_figures(school, staff_client):
    response = staff_client.get(url("attendance"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: list(row[1:]) for row in sheet.iter_rows(values_only=True)}
    assert rows["RUN-1"] == [3, 1, 1, 0, 1, 1]
    assert rows["DONE-1"] == [2, 0, 0, 2, 0, 0]


@pytest.mark.parametrize(
    "query",
    [
        {"start": "not a date"},
        {"start": "2026-05-01", "end": "2026-01-01"},
        {"area": "moon"},
        {"course": "abc"},
        {"company": "999999"},
        {"by": "nonsense"},
    ],
)
def test_bad_filters_are_a_message_not_a_500(school, staff_client, query):
    response = staff_client.get(url("fill-rate"), query)
    assert response.status_code == 200
    assert (
        italian(
            "Some filters are not valid; the report shows the default period.",
            html=True,
        )
        in response.content.decode()
    )


def test_an_unknown_report_is_404(staff_client):
    assert staff_client.get(url("nothing")).status_code == 404


@pytest.mark.parametrize(
    "factory",
    [
        TraineeFactory,
        InstructorFactory,
        lambda: CompanyMemberFactory(is_manager=True).user,
    ],
    ids=["trainee", "instructor", "company manager"],
)
@pytest.mark.parametrize("slug", SLUGS)
def test_other_roles_cannot_read_reports(client, site, factory, slug):
    client.force_login(factory())
    assert client.get(url(slug)).status_code in (302, 403)
    assert client.get(url(slug), {"format": "csv"}).status_code in (302, 403)


@pytest.mark.parametrize("slug", SLUGS)
def test_admin_access_without_the_permission_is_403(client, site, slug):
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(url(slug)).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, site):
    assert client.get(url("fill-rate")).status_code == 302


def test_admin_home_shows_the_four_figures(school, staff_client):
    html = staff_client.get(reverse("wagtailadmin_home")).content.decode()
    assert html.count('href="/admin/reports/') >= 4
    assert "Trainees at risk now" in html or "a rischio" in html


def test_the_admin_home_of_a_superuser_without_role_shows_figures(school, client):
    client.force_login(StaffFactory(is_superuser=True))
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


COMPANY_REPORTS = "portal:company_reports"


def test_manager_sees_own_employees_only(school, client, manager):
    other = CompanyFactory(name="Other S.p.A.")
    stranger = ConfirmedEnrolmentFactory(edition=school["done"], sponsor_company=other)
    assert stranger
    client.force_login(manager)
    response = client.get(reverse(COMPANY_REPORTS))
    assert response.status_code == 200
    html = response.content.decode()
    # Acme sponsors one trainee, in RUN-1 (present at both past sessions).
    assert '<th scope="row">RUN-1</th>' in html
    assert "DONE-1" not in html
    assert 'role="img"' in html


def test_another_company_is_404(school, client, manager):
    other = CompanyFactory(name="Other S.p.A.")
    client.force_login(manager)
    response = client.get(reverse(COMPANY_REPORTS), {"company": other.pk})
    assert response.status_code == 404


def test_company_reports_need_a_managed_company(school, client):
    client.force_login(TraineeFactory())
    assert client.get(reverse(COMPANY_REPORTS)).status_code == 404
    member = CompanyMemberFactory(company=school["company"], is_manager=False)
    client.force_login(member.user)
    assert client.get(reverse(COMPANY_REPORTS)).status_code == 404
