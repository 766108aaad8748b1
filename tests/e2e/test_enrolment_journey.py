"""Issue 3's browser journey: a waitlist place becomes a confirmed seat.

Bruno enrols in a full edition and lands on the waitlist at position 1; Anna, who
holds the only seat, cancels it from "My courses" (with the confirmation step);
Bruno gets the offer by email, opens its link, accepts and sees "confirmed".
Both trainees use the site in Italian, its default language; the texts expected
are the project's own messages, translated as the server translates them.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from enrolment.models import Enrolment, EnrolmentStatus
from enrolment.services import enrolment_create
from enrolment.views import enrolment_result_message
from tests.e2e.conftest import axe_check, italian, link_path, sign_in_as
from tests.factories import CourseEditionFactory, TraineeFactory, site_tree

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_waitlisted_trainee_accepts_the_offer_after_a_cancellation(
    new_page, live_server, journey, mailoutbox
):
    site_tree()
    edition = CourseEditionFactory(capacity=1, course__title="Robotica collaborativa")
    course = edition.course
    anna = TraineeFactory(first_name="Anna", last_name="Rossi")
    bruno = TraineeFactory(first_name="Bruno", last_name="Verdi")
    seat = enrolment_create(trainee=anna, edition=edition)
    assert seat.status == EnrolmentStatus.CONFIRMED
    mailoutbox.clear()

    # 1. Bruno enrols from the course page: the edition is full, so the waitlist.
    bruno_page = new_page()
    sign_in_as(bruno_page, live_server, bruno)
    bruno_page.goto(live_server.url + course.url)
    expect(bruno_page.locator("h1")).to_have_text(course.title)
    edition_card = bruno_page.locator(".site-edition", has_text=edition.code)
    journey.shot(bruno_page, "bruno-course-full")
    axe_check(bruno_page, journey=journey, name="course-full")
    enrol_path = reverse("enrolment:enrol", args=[edition.pk])
    edition_card.locator(f"form[action$='{enrol_path}'] [type=submit]").click()
    bruno_page.wait_for_load_state()
    waiting = Enrolment.objects.get(trainee=bruno, edition=edition)
    assert (waiting.status, waiting.waitlist_position) == (
        EnrolmentStatus.WAITLISTED,
        1,
    )
    with translation.override("it"):
        told = enrolment_result_message(waiting)
    assert "1" in told
    expect(bruno_page.locator(".site-messages")).to_contain_text(told)
    journey.shot(bruno_page, "bruno-waitlisted")
    axe_check(bruno_page, journey=journey, name="course-waitlisted")

    # 2. Anna cancels her seat from "My courses", confirming on the second step.
    anna_page = new_page()
    sign_in_as(anna_page, live_server, anna)
    anna_page.goto(live_server.url + course.url)
    my_courses = reverse("enrolment:my_courses")
    anna_card = anna_page.locator(".site-edition", has_text=edition.code)
    expect(anna_card.locator(".site-edition-enrol")).to_contain_text(
        italian(EnrolmentStatus.CONFIRMED.label)
    )
    anna_card.locator(f"a[href$='{my_courses}']").click()
    anna_page.wait_for_url(re.compile(re.escape(my_courses) + "$"))
    expect(anna_page.locator("main")).to_contain_text(course.title)
    expect(anna_page.locator("main")).to_contain_text(
        italian(EnrolmentStatus.CONFIRMED.label)
    )
    journey.shot(anna_page, "anna-my-courses")
    axe_check(anna_page, journey=journey, name="my-courses")
    cancel_path = reverse("enrolment:cancel", args=[seat.pk])
    anna_page.locator(f"a[href$='{cancel_path}']").click()
    anna_page.wait_for_url(re.compile(re.escape(cancel_path) + "$"))
    seat.refresh_from_db()
    assert seat.status == EnrolmentStatus.CONFIRMED, "cancelled without asking"
    journey.shot(anna_page, "anna-cancel-confirm")
    axe_check(anna_page, journey=journey, name="cancel-confirm")
    anna_page.locator("main form [type=submit]").click()
    anna_page.wait_for_url(re.compile(re.escape(my_courses) + "$"))
    expect(anna_page.locator(".site-messages")).to_contain_text(
        italian("Your enrolment has been cancelled.")
    )
    seat.refresh_from_db()
    assert seat.status == EnrolmentStatus.CANCELLED
    journey.shot(anna_page, "anna-cancelled")

    # 3. Bruno's offer arrives by email; its link leads to accept or decline.
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.OFFERED
    offers = [m for m in mailoutbox if bruno.email in m.to and "/offers/" in m.body]
    assert len(offers) == 1, [(m.to, m.subject) for m in mailoutbox]
    bruno_page.goto(live_server.url + link_path(offers[0].body, r"me/offers/"))
    expect(bruno_page.locator("main")).to_contain_text(course.title)
    journey.shot(bruno_page, "bruno-offer")
    axe_check(bruno_page, journey=journey, name="offer")
    bruno_page.locator("button[name='action'][value='accept']").click()
    bruno_page.wait_for_url(re.compile(re.escape(my_courses) + "$"))
    expect(bruno_page.locator(".site-messages")).to_contain_text(
        italian("You accepted the seat: you are enrolled.")
    )
    row = bruno_page.locator("main").get_by_text(course.title).first
    expect(row).to_be_visible()
    expect(bruno_page.locator("main")).to_contain_text(
        italian(EnrolmentStatus.CONFIRMED.label)
    )
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.CONFIRMED
    journey.shot(bruno_page, "bruno-confirmed")
    axe_check(bruno_page, journey=journey, name="my-courses-confirmed")
    journey.assert_no_server_errors()
