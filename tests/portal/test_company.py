import re

import pytest
from django.urls import reverse
from django.utils import translation

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


# --- the graduate directory is a manager's grant (findings 11 and 36) -------------


def _directory(client, user):

    client.force_login(user)
    with translation.override("en"):
        return client.get(reverse("directory:search"))


def test_a_member_reaches_the_directory_only_once_a_manager_grants_it(client, site):
    from wagtail.models import ModelLogEntry

    manager = CompanyMemberFactory(is_manager=True, company__name="Officine Alfa")
    company = manager.company
    employee = CompanyMemberFactory(company=company, user__first_name="Matteo")
    assert not employee.can_use_directory

    response = _directory(client, employee.user)
    assert response.status_code == 403
    body = response.content.decode()
    assert "Officine Alfa" in body and "has not given you access" in body
    assert reverse("portal:company_register") not in body

    client.force_login(manager.user)
    with translation.override("en"):
        url = reverse("portal:company_members")
        page = client.get(url).content.decode()
        assert "Grant the directory" in page
        client.post(
            url,
            {
                "company": company.pk,
                "member": employee.pk,
                "action": "grant_directory",
            },
        )
    employee.refresh_from_db()
    assert employee.can_use_directory
    assert _directory(client, employee.user).status_code == 200

    client.force_login(manager.user)
    client.post(
        url,
        {"company": company.pk, "member": employee.pk, "action": "revoke_directory"},
    )
    employee.refresh_from_db()
    assert not employee.can_use_directory
    assert _directory(client, employee.user).status_code == 403
    actions = list(
        ModelLogEntry.objects.filter(action__startswith="makers.company.directory")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "makers.company.directory_grant",
        "makers.company.directory_revoke",
    ]


def test_the_manager_keeps_the_directory(client, site):
    from people.exceptions import PeopleError
    from people.services import company_member_directory_access

    manager = CompanyMemberFactory(is_manager=True)
    assert _directory(client, manager.user).status_code == 200
    with pytest.raises(PeopleError):
        company_member_directory_access(
            company=manager.company, by=manager.user, member=manager, allowed=False
        )
    manager.refresh_from_db()
    assert manager.can_use_directory


def test_only_a_manager_grants_the_directory(site):
    from people.exceptions import PeopleError
    from people.services import company_member_directory_access

    member = CompanyMemberFactory()
    colleague = CompanyMemberFactory(company=member.company)
    with pytest.raises(PeopleError):
        company_member_directory_access(
            company=member.company, by=member.user, member=colleague, allowed=True
        )
    colleague.refresh_from_db()
    assert not colleague.can_use_directory


def test_a_company_awaiting_verification_is_told_so_and_nothing_more(client, site):
    """Finding 11: no invitation to register a company again."""
    manager = CompanyMemberFactory(
        is_manager=True, company=CompanyFactory(name="Beta Srl", verified_at=None)
    )
    response = _directory(client, manager.user)
    assert response.status_code == 403
    body = response.content.decode()
    assert "Beta Srl is awaiting verification" in body
    assert reverse("portal:company_register") not in body


def test_someone_in_no_company_is_offered_to_register_one(client, site):
    from tests.factories import TraineeFactory

    response = _directory(client, TraineeFactory())
    assert response.status_code == 403
    assert reverse("portal:company_register") in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "label"),
    [("portal:company", "Acting for"), ("funding:company_funding", "Company")],
)
def test_the_company_switcher_selects_the_chosen_company(client, site, url_name, label):
    """Both company pages share one switcher: a labelled select with the company
    acted for selected, shown only to a manager of more than one company."""

    from django.utils import translation

    first = CompanyMemberFactory(is_manager=True, company__name="Alfa Meccanica")
    manager = first.user
    client.force_login(manager)
    url = reverse(url_name)
    assert 'id="id_company"' not in client.get(url).content.decode()

    second = CompanyMemberFactory(
        user=manager, is_manager=True, company=CompanyFactory(name="Beta Robotica")
    )
    html = client.get(url, {"company": second.company.pk}).content.decode()
    with translation.override("it"):
        assert (
            f'<label for="id_company" class="form-label">{translation.gettext(label)}'
            in html
        )
    selected = re.findall(r'<option value="(\d+)" selected>', html)
    assert selected == [str(second.company.pk)]
    assert html.count('id="id_company"') == 1
