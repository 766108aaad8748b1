"""The trainee's attendance page keeps its address, and My courses links to it
through enrolment's "enrolment_links" hook (enrolment names no higher app)."""

import pytest
from django.urls import reverse

from enrolment.templatetags.enrolment_tags import enrolment_links
from tests.factories import ConfirmedEnrolmentFactory

pytestmark = pytest.mark.django_db


def test_the_attendance_page_keeps_its_path():
    enrolment = ConfirmedEnrolmentFactory()
    url = reverse("attendance:enrolment_attendance", args=[enrolment.pk])
    assert url == f"/me/courses/{enrolment.pk}/attendance/"


def test_my_courses_links_a_confirmed_enrolment_to_its_attendance(client):
    confirmed = ConfirmedEnrolmentFactory()
    waiting = ConfirmedEnrolmentFactory(
        trainee=confirmed.trainee, status="waitlisted", waitlist_position=1
    )
    url = reverse("attendance:enrolment_attendance", args=[confirmed.pk])
    assert [str(label) for label, _ in enrolment_links(confirmed)] == ["Frequenza"]
    assert enrolment_links(waiting) == []
    client.force_login(confirmed.trainee)
    page = client.get(reverse("enrolment:my_courses")).content.decode()
    assert f'href="{url}"' in page
    other = reverse("attendance:enrolment_attendance", args=[waiting.pk])
    assert f'href="{other}"' not in page
