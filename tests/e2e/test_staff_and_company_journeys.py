"""Browser journeys of the school's staff and of a company manager.

1. Carla asks for a seat in an edition that needs the school's approval and is
   told her request awaits approval; a staff member opens "Enrolments" in the
   Wagtail admin, opens her request, approves it on its confirmation page and
   finds her confirmed on the edition's roster; Carla gets the email and sees
   "confirmed" on "My courses".
2. The manager of a verified company enrols an employee from the company page,
   sees the enrolment and its status in the sponsored list, then invites someone
   without an account by email and the invitation is sent.

Everyone uses the site in Italian; the texts expected are the project's own
messages, translated as the server translates them. axe runs on the public
pages only: the Wagtail admin's markup is Wagtail's, not ours.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from enrolment.emails import SUBJECTS
from enrolment.models import Enrolment, EnrolmentStatus, Invitation
from enrolment.views import enrolment_result_message
from people.models import Role
from people.services import roles_sync
from tests.e2e.conftest import axe_check, italian, link_path, sign_in_as
from tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    CourseEditionFactory,
    TraineeFactory,
    UserFactory,
    site_tree,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_staff_approves_a_request_awaiting_approval(
    new_page, live_server, journey, mailoutbox
):
    site_tree()
    edition = CourseEditionFactory(
        requires_approval=True, course__title="Saldatura laser"
    )
    course = edition.course
    carla = TraineeFactory(first_name="Carla", last_name="Neri")
    # A member of the Staff role, not a superuser: the role's permissions open
    # the screens.
    roles_sync()
    staff = UserFactory(role=Role.STAFF, first_name="Sara", last_name="Bianchi")
    mailoutbox.clear()

    # 1. Carla asks for a seat from the course page: it awaits approval.
    carla_page = new_page()
    sign_in_as(carla_page, live_server, carla)
    carla_page.goto(live_server.url + course.url)
    expect(carla_page.locator("h1")).to_have_text(course.title)
    edition_card = carla_page.locator(".site-edition", has_text=edition.code)
    expect(edition_card).to_contain_text(
        italian("Enrolments are approved by the school.")
    )
    journey.shot(carla_page, "carla-course")
    axe_check(carla_page, journey=journey, name="course-approval")
    enrol_path = reverse("enrolment:enrol", args=[edition.pk])
    edition_card.locator(f"form[action$='{enrol_path}'] [type=submit]").click()
    carla_page.wait_for_load_state()
    request = Enrolment.objects.get(trainee=carla, edition=edition)
    assert request.status == EnrolmentStatus.PENDING_APPROVAL
    with translation.override("it"):
        told = enrolment_result_message(request)
    expect(carla_page.locator(".site-messages")).to_contain_text(told)
    expect(edition_card.locator(".site-edition-enrol")).to_contain_text(
        italian(EnrolmentStatus.PENDING_APPROVAL.label)
    )
    journey.shot(carla_page, "carla-awaiting-approval")
    axe_check(carla_page, journey=journey, name="course-awaiting-approval")

    # 2. Staff open "Enrolments" in the Wagtail admin and find Carla's request.
    staff_page = new_page()
    sign_in_as(staff_page, live_server, staff)
    staff_page.goto(live_server.url + "/admin/")
    index_path = reverse("enrolments:index")
    assert index_path == "/admin/enrolments/"
    menu_item = staff_page.locator(f"a[href='{index_path}']").first
    expect(menu_item).to_contain_text(italian("Enrolments"))
    menu_item.click()
    staff_page.wait_for_url(re.compile(re.escape(index_path) + "$"))
    row = staff_page.locator("table.listing tbody tr", has_text=carla.email)
    expect(row).to_contain_text(edition.code)
    expect(row).to_contain_text(italian(EnrolmentStatus.PENDING_APPROVAL.label))
    journey.shot(staff_page, "staff-enrolments")
    inspect_path = reverse("enrolments:inspect", args=[request.pk])
    row.locator(f"a[href='{inspect_path}']").first.click()
    staff_page.wait_for_url(re.compile(re.escape(inspect_path) + "$"))
    expect(staff_page.locator("main")).to_contain_text(carla.email)
    journey.shot(staff_page, "staff-enrolment-pending")

    # 3. Staff approve the request on its confirmation page; the seat is confirmed.
    approve_path = reverse("enrolments:approve", args=[request.pk])
    staff_page.locator(f"main a[href='{approve_path}']").click()
    staff_page.wait_for_url(re.compile(re.escape(approve_path) + "$"))
    journey.shot(staff_page, "staff-approve-confirmation")
    staff_page.locator("main form [type=submit]").click()
    staff_page.wait_for_url(re.compile(re.escape(inspect_path) + "$"))
    expect(staff_page.locator("body")).to_contain_text(
        italian("Done: %(status)s", status=italian(EnrolmentStatus.CONFIRMED.label))
    )
    expect(staff_page.locator(f"main a[href='{approve_path}']")).to_have_count(0)
    request.refresh_from_db()
    assert request.status == EnrolmentStatus.CONFIRMED
    journey.shot(staff_page, "staff-approved")

    # The edition's roster lists her among the confirmed.
    roster_path = reverse("enrolments:roster", args=[edition.pk])
    staff_page.locator(f"main a[href='{roster_path}']").first.click()
    staff_page.wait_for_url(re.compile(re.escape(roster_path) + "$"))
    confirmed_heading = staff_page.get_by_role(
        "heading", name=re.compile("^" + re.escape(italian("Confirmed")) + r" \(1\)")
    )
    expect(confirmed_heading).to_be_visible()
    expect(
        confirmed_heading.locator("xpath=following-sibling::table[1]")
    ).to_contain_text(carla.email)
    journey.shot(staff_page, "staff-roster")

    # 4. Carla gets the email and sees "confirmed" on "My courses".
    confirmed_subject = italian(
        SUBJECTS[EnrolmentStatus.CONFIRMED], course=course.title
    )
    mails = [m for m in mailoutbox if carla.email in m.to]
    assert [m.subject for m in mails][-1].endswith(confirmed_subject), [
        m.subject for m in mails
    ]
    my_courses = reverse("enrolment:my_courses")
    assert link_path(mails[-1].body, r"me/courses/").endswith(my_courses)
    carla_page.goto(live_server.url + my_courses)
    course_row = carla_page.locator("main tr", has_text=course.title)
    expect(course_row).to_contain_text(italian(EnrolmentStatus.CONFIRMED.label))
    journey.shot(carla_page, "carla-my-courses-confirmed")
    axe_check(carla_page, journey=journey, name="my-courses-confirmed")
    journey.assert_no_server_errors()


def test_company_manager_enrols_an_employee_and_invites_someone(
    new_page, live_server, journey, mailoutbox
):
    site_tree()
    edition = CourseEditionFactory(course__title="Manutenzione predittiva")
    course = edition.course
    company = CompanyFactory(name="Officina Rossi S.r.l.")
    manager = CompanyMemberFactory(
        company=company,
        is_manager=True,
        user=UserFactory(first_name="Marta", last_name="Rossi"),
    ).user
    employee = CompanyMemberFactory(
        company=company, user=UserFactory(first_name="Luca", last_name="Gallo")
    ).user
    assert company.verified_at is not None
    mailoutbox.clear()

    # 1. The manager opens the company page.
    page = new_page()
    sign_in_as(page, live_server, manager)
    company_path = reverse("portal:company")
    page.goto(live_server.url + company_path)
    expect(page.locator("h1")).to_have_text(italian("Company enrolments"))
    expect(page.locator("main")).to_contain_text(company.name)
    expect(page.locator("main")).to_contain_text(italian("No employee enrolled yet."))
    journey.shot(page, "company-empty")
    axe_check(page, journey=journey, name="company-empty")

    # 2. She enrols Luca in the open edition and sees his enrolment and status.
    enrol_form = page.locator("form:has(input[name='action'][value='enrol'])")
    enrol_form.get_by_label(italian("Employee")).select_option(label=str(employee))
    enrol_form.get_by_label(italian("Edition")).select_option(
        label=f"{edition.code} · {course.title}"
    )
    enrol_form.locator("[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(company_path) + r"(\?company=\d+)?$"))
    sponsored = Enrolment.objects.get(trainee=employee, edition=edition)
    assert sponsored.status == EnrolmentStatus.CONFIRMED
    assert sponsored.sponsor_company == company
    confirmed = italian(EnrolmentStatus.CONFIRMED.label)
    expect(page.locator(".site-messages")).to_contain_text(
        italian("%(person)s: %(status)s", person=str(employee), status=confirmed)
    )
    row = page.locator("main table tbody tr", has_text=employee.get_full_name())
    expect(row).to_have_count(1)
    expect(row).to_contain_text(course.title)
    expect(row).to_contain_text(edition.code)
    expect(row).to_contain_text(confirmed)
    assert any(employee.email in m.to for m in mailoutbox), [
        (m.to, m.subject) for m in mailoutbox
    ]
    journey.shot(page, "company-employee-enrolled")
    axe_check(page, journey=journey, name="company-enrolled")

    # 3. She invites someone without an account; the invitation email is sent.
    mailoutbox.clear()
    newcomer = "giulia.ferri@example.com"
    invite_form = page.locator("form:has(input[name='action'][value='invite'])")
    invite_form.get_by_label(italian("Email address")).fill(newcomer)
    invite_form.get_by_label(italian("Edition")).select_option(
        label=f"{edition.code} · {course.title}"
    )
    invite_form.locator("[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(company_path) + r"(\?company=\d+)?$"))
    expect(page.locator(".site-messages")).to_contain_text(
        italian("Invitation sent to %(email)s.", email=newcomer)
    )
    expect(page.locator("main")).to_contain_text(italian("Pending invitations"))
    expect(page.locator("main li", has_text=newcomer)).to_contain_text(edition.code)
    invitation = Invitation.objects.get(email=newcomer)
    assert (invitation.company, invitation.edition) == (company, edition)
    invites = [m for m in mailoutbox if newcomer in m.to]
    assert len(invites) == 1, [(m.to, m.subject) for m in mailoutbox]
    assert invites[0].subject.endswith(
        italian(
            "%(company)s invites you to %(course)s",
            company=company.name,
            course=course.title,
        )
    )
    assert company.name in invites[0].body
    assert edition.code in invites[0].body
    assert link_path(invites[0].body, r"accounts/signup/")
    journey.shot(page, "company-invited")
    axe_check(page, journey=journey, name="company-invited")
    journey.assert_no_server_errors()
