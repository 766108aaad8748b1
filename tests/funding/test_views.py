"""Staff screens and a company manager's page: who may see what, the
refusals as form errors, the figures and their exports parsed back."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from funding.models import PlaceFunding, VoucherSpending
from people.models import Role
from people.services import roles_sync
from tests.factories import (
    CompanyMemberFactory,
    CompanyVoucherFactory,
    ConfirmedEnrolmentFactory,
    FundingLineFactory,
    PlaceFundingFactory,
    TraineeFactory,
    UserFactory,
    VoucherLineFactory,
    attendance_mark,
    edition_running,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_ten_in_rome")]

D = Decimal
ADD_PLACE = "wagtailsnippets_funding_placefunding:add"
ADD_SPENDING = "wagtailsnippets_funding_voucherspending:add"


@pytest.fixture
def staff_member():
    roles_sync()
    return UserFactory(is_staff=True, role=Role.STAFF)


@pytest.fixture
def funded():
    """An edition in progress (two 4-hour sessions held) funded by a fund: the
    first trainee attended both, the second one, the third is another
    company's employee."""
    edition, sessions, enrolments = edition_running(trainees=3)
    line = FundingLineFactory(edition=edition)
    company = CompanyMemberFactory(is_manager=True).company
    for enrolment in enrolments[:2]:
        CompanyMemberFactory(company=company, user=enrolment.trainee)
        enrolment.sponsor_company = company
        enrolment.save()
    for number, enrolment in enumerate(enrolments):
        PlaceFundingFactory(
            line=line,
            enrolment=enrolment,
            company_share=D("100.00"),
            fund_share=D("350.50"),
        )
        for session in sessions[: 2 - min(number, 1)]:
            attendance_mark(enrolment=enrolment, session=session)
    return line, enrolments, company


def _place_form(enrolment, line, **voucher):
    data = {
        "enrolment": enrolment.pk,
        "line": line.pk,
        "company_share": "0.00",
        "trainee_share": "0.00",
        "fund_share": "0.00",
        "voucher_number": "",
        "voucher_amount": "",
        "voucher_granted_on": "",
    }
    data.update(voucher)
    return data


def test_staff_record_a_voucher_and_see_the_refusal_of_one_over_allowance(
    client, staff_member, site
):
    client.force_login(staff_member)
    trainee = TraineeFactory(first_name="Giulia", last_name="Bianco")
    first, second = (ConfirmedEnrolmentFactory(trainee=trainee) for _ in range(2))
    for enrolment in (first, second):
        enrolment.edition.course.price = D("5000.00")
        enrolment.edition.course.save()
    voucher = {"voucher_granted_on": "2026-03-02"}
    response = client.post(
        reverse(ADD_PLACE),
        _place_form(
            first,
            VoucherLineFactory(edition=first.edition),
            voucher_number="V-1",
            voucher_amount="2500.00",
            **voucher,
        ),
    )
    assert response.status_code == 302
    response = client.post(
        reverse(ADD_PLACE),
        _place_form(
            second,
            VoucherLineFactory(edition=second.edition),
            voucher_number="V-2",
            voucher_amount="600.00",
            **voucher,
        ),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "three-year rule" in content or "regola dei tre anni" in content
    assert "500" in content  # the remaining allowance
    assert list(PlaceFunding.objects.values_list("voucher_number", flat=True)) == [
        "V-1"
    ]


def test_staff_spending_beyond_a_company_voucher_is_a_form_error(
    client, staff_member, site
):
    client.force_login(staff_member)
    voucher = CompanyVoucherFactory(amount_granted=D("20000.00"))
    data = {
        "voucher": voucher.pk,
        "place": "",
        "description": "Consulenza",
        "amount": "20000.01",
        "spent_on": "2026-03-03",
    }
    response = client.post(reverse(ADD_SPENDING), data)
    assert response.status_code == 200
    assert "20,000.00" in response.content.decode() or "20.000,00" in (
        response.content.decode()
    )
    assert not VoucherSpending.objects.exists()
    data["amount"] = "20000.00"
    assert client.post(reverse(ADD_SPENDING), data).status_code == 302
    listing = client.get(reverse("wagtailsnippets_funding_companyvoucher:list"))
    assert listing.status_code == 200


def test_staff_figures_and_exports(
    client, staff_member, funded, django_assert_max_num_queries
):
    line, enrolments, _ = funded
    client.force_login(staff_member)
    url = reverse("funding_line_report", args=[line.pk])
    client.get(url)
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.status_code == 200
    assert enrolments[0].trainee.last_name in response.content.decode()

    xlsx = client.get(reverse("funding_line_export", args=[line.pk, "xlsx"]))
    assert "no-store" in xlsx["Cache-Control"]
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    by_email = {row[4]: row for row in rows[1:]}
    first = by_email[enrolments[0].trainee.email]
    assert (first[6], first[7]) == (8, 8)  # hours delivered, attended
    assert by_email[enrolments[1].trainee.email][7] == 4
    assert first[8:14] == (100, 0, 350.5, 0, 0, 450.5)
    assert rows[-1][2] in ("Totale", "Total")
    assert rows[-1][13] == pytest.approx(3 * 450.5)

    csv_file = client.get(reverse("funding_line_export", args=[line.pk, "csv"]))
    assert csv_file.content.startswith(b"\xef\xbb\xbf")
    rows = list(
        csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig")), delimiter=";")
    )
    by_email = {row[4]: row for row in rows[1:]}
    first = by_email[enrolments[0].trainee.email]
    assert first[6:9] == ["8,00", "8,00", "100,00"]
    assert first[13] == "450,50"
    assert (
        client.get(reverse("funding_line_export", args=[line.pk, "pdf"])).status_code
        == 404
    )


def test_the_figures_cost_the_same_queries_with_more_places(
    client, staff_member, funded, django_assert_max_num_queries
):
    line, _, _ = funded
    client.force_login(staff_member)
    url = reverse("funding_line_export", args=[line.pk, "xlsx"])
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(5):
        PlaceFundingFactory(
            line=line, enrolment=ConfirmedEnrolmentFactory(edition=line.edition)
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_people_without_the_permission_do_not_see_the_figures(client, funded):
    line, enrolments, company = funded
    url = reverse("funding_line_report", args=[line.pk])
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(enrolments[0].trainee)
    assert client.get(url).status_code in (302, 403)
    manager = company.members.get(is_manager=True).user
    client.force_login(manager)
    response = client.get(reverse("funding_line_export", args=[line.pk, "csv"]))
    assert response.status_code in (302, 403)


def test_a_manager_sees_the_company_employees_only(
    client, funded, django_assert_max_num_queries
):
    line, enrolments, company = funded
    CompanyVoucherFactory(company=company, reference="CCIAA-TO-0042")
    manager = company.members.get(is_manager=True).user
    client.force_login(manager)
    url = reverse("funding:company_funding")
    client.get(url)
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert enrolments[0].trainee.email not in content  # names, not emails
    assert enrolments[0].trainee.last_name in content
    assert enrolments[2].trainee.last_name not in content
    assert "CCIAA-TO-0042" in content
    xlsx = client.get(reverse("funding:company_funding_export", args=["xlsx"]))
    emails = [
        row[4]
        for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(
            values_only=True
        )
    ]
    assert enrolments[0].trainee.email in emails
    assert enrolments[2].trainee.email not in emails


def test_who_may_not_see_a_company_funding(client, funded):
    line, enrolments, company = funded
    url = reverse("funding:company_funding")
    export = reverse("funding:company_funding_export", args=["csv"])
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(enrolments[0].trainee)  # an employee, not a manager
    assert client.get(url).status_code == 404
    assert client.get(export).status_code == 404
    other = CompanyMemberFactory(is_manager=True)
    client.force_login(other.user)
    assert client.get(url, {"company": company.pk}).status_code == 404
    assert client.get(export, {"company": company.pk}).status_code == 404
    response = client.get(url)
    assert response.status_code == 200
    assert enrolments[0].trainee.last_name not in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "wagtailsnippets_funding_fundingline:list",
        "wagtailsnippets_funding_fundingline:add",
        "wagtailsnippets_funding_placefunding:list",
        "wagtailsnippets_funding_placefunding:add",
        "wagtailsnippets_funding_companyvoucher:list",
        "wagtailsnippets_funding_companyvoucher:add",
        "wagtailsnippets_funding_voucherspending:list",
        "wagtailsnippets_funding_voucherspending:add",
    ],
)
def test_staff_open_every_funding_screen(client, staff_member, funded, name):
    client.force_login(staff_member)
    assert client.get(reverse(name)).status_code == 200


def test_staff_edit_the_voucher_rules(client, staff_member, site):
    from funding.models import VoucherRules

    client.force_login(staff_member)
    page = client.get(
        reverse("wagtailsettings:edit", args=["funding", "voucherrules"]), follow=True
    )
    assert page.status_code == 200
    url = page.redirect_chain[-1][0]
    data = {
        "allowance": "3500.00",
        "years": "3",
        "share_percent": "70",
        "low_isee_share_percent": "100",
        "low_isee_threshold": "10000.00",
    }
    assert client.post(url, data).status_code == 302
    assert VoucherRules.load().allowance == D("3500.00")


def test_the_place_form_lists_places_in_one_query(
    client, staff_member, funded, django_assert_max_num_queries
):
    client.force_login(staff_member)
    url = reverse(ADD_PLACE)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(5):
        ConfirmedEnrolmentFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_an_employee_own_place_is_not_the_company_to_see(client, funded):
    line, enrolments, company = funded
    own = enrolments[2]
    CompanyMemberFactory(company=company, user=own.trainee)  # not sponsored
    client.force_login(company.members.get(is_manager=True).user)
    content = client.get(reverse("funding:company_funding")).content.decode()
    assert enrolments[0].trainee.last_name in content
    assert own.trainee.last_name not in content
