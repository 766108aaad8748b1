import pytest
from django.urls import reverse

from enrolment import services
from tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    CourseEditionFactory,
)

pytestmark = pytest.mark.django_db


def test_a_manager_of_two_companies_chooses_which_one_acts(client, site):
    first = CompanyMemberFactory(is_manager=True, company__name="Alfa Meccanica")
    manager = first.user
    second = CompanyMemberFactory(
        user=manager, is_manager=True, company=CompanyFactory(name="Beta Robotica")
    )
    employee = CompanyMemberFactory(company=second.company).user
    edition = CourseEditionFactory(course__title="Cobot in linea")
    services.enrolment_sponsor(
        company=second.company, manager=manager, trainee=employee, edition=edition
    )
    client.force_login(manager)
    url = reverse("portal:company")

    page = client.get(url)
    assert page.context["chosen"] == first.company  # the first by name
    assert page.context["enrolments"] == []

    page = client.get(url, {"company": second.company.pk})
    assert page.context["chosen"] == second.company
    assert [e.trainee for e in page.context["enrolments"]] == [employee]
    assert (
        "Switch company" in page.content.decode() or "Cambia" in page.content.decode()
    )


def test_another_company_cannot_be_chosen(client, site):
    manager = CompanyMemberFactory(is_manager=True).user
    foreign = CompanyFactory()
    client.force_login(manager)
    url = reverse("portal:company")
    assert client.get(url, {"company": foreign.pk}).status_code == 404
    assert (
        client.post(url, {"company": foreign.pk, "action": "enrol"}).status_code == 404
    )


def test_enrolling_an_employee_twice_names_the_employee(client, site):
    """Finding 10: the manager is told about the employee, not "you"."""
    from django.utils import translation

    manager = CompanyMemberFactory(is_manager=True).user
    employee = CompanyMemberFactory(
        company=manager.company_memberships.get().company,
        user__first_name="Matteo",
        user__last_name="Giordano",
    ).user
    edition = CourseEditionFactory()
    client.force_login(manager)
    data = {
        "action": "enrol",
        "enrol-employee": employee.pk,
        "enrol-edition": edition.pk,
    }
    with translation.override("en"):
        url = reverse("portal:company")
        assert client.post(url, data).status_code == 302
        page = client.post(url, data)
    errors = " ".join(page.context["enrol_form"].non_field_errors())
    assert "Matteo Giordano already has an enrolment" in errors
    assert edition.code in errors
    assert "You already" not in errors
