import pytest
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from courses.models import CourseEdition, Session
from tests.factories import CoursePageFactory, StaffFactory, VenueFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/snippets/courses/courseedition/add/"


def edition_form(course, venue, sessions):
    return nested_form_data(
        {
            "course": course.pk,
            "code": "CNC-2027-1",
            "status": "open",
            "capacity": 14,
            "enrolment_opens_at": "2027-01-10 09:00",
            "enrolment_closes_at": "2027-02-01 18:00",
            "venue": venue.pk,
            "offer_hours": 48,
            "min_attendance_percent": 80,
            "notes": "",
            "sessions": inline_formset(sessions),
        }
    )


def session(start, end, topic="Sicurezza in officina"):
    return {"start": start, "end": end, "topic": topic, "room": "Aula 1"}


def test_staff_create_an_edition_with_its_sessions_inline(client, site):
    client.force_login(StaffFactory())
    course, venue = CoursePageFactory(), VenueFactory()
    response = client.post(
        ADD_URL,
        edition_form(
            course,
            venue,
            [
                session("2027-02-08 09:00", "2027-02-08 13:00"),
                session("2027-02-09 14:00", "2027-02-09 18:00", "Programmazione ISO"),
            ],
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    edition = CourseEdition.objects.get(code="CNC-2027-1")
    # The status is not a form field: a new edition is a draft until opened.
    assert edition.status == "draft"
    starts = [s.start.isoformat() for s in edition.sessions.order_by("start")]
    # Entered in Europe/Rome, stored aware (UTC+1 in February).
    assert starts == ["2027-02-08T08:00:00+00:00", "2027-02-09T13:00:00+00:00"]


def test_a_session_that_ends_before_it_starts_is_refused(client, site):
    client.force_login(StaffFactory())
    response = client.post(
        ADD_URL,
        edition_form(
            CoursePageFactory(),
            VenueFactory(),
            [session("2027-02-08 13:00", "2027-02-08 09:00")],
        ),
    )
    assert response.status_code == 200
    assert not CourseEdition.objects.exists()
    assert not Session.objects.exists()
    with translation.override("it"):
        message = str(_("A session must end after it starts."))
    assert escape(message) in response.content.decode()


def test_an_enrolment_window_that_closes_before_it_opens_is_refused(client, site):
    client.force_login(StaffFactory())
    data = edition_form(CoursePageFactory(), VenueFactory(), [])
    data["enrolment_closes_at"] = "2027-01-01 09:00"
    response = client.post(ADD_URL, data)
    assert response.status_code == 200
    assert not CourseEdition.objects.exists()
    with translation.override("it"):
        message = str(_("Enrolment must close after it opens."))
    assert escape(message) in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/snippets/courses/competency/",
        "/admin/snippets/courses/venue/",
        "/admin/snippets/courses/courseedition/",
        "/admin/snippets/courses/courseedition/?status=open&q=CNC",
    ],
)
def test_staff_list_catalogue_snippets(client, site, url):
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 200


def test_only_instructors_can_be_chosen_to_teach(client, site):
    from tests.factories import InstructorFactory, TraineeFactory

    client.force_login(StaffFactory())
    course, venue = CoursePageFactory(), VenueFactory()
    trainee, instructor = TraineeFactory(), InstructorFactory()
    data = edition_form(course, venue, [])
    data["instructors"] = [str(trainee.pk)]
    assert client.post(ADD_URL, data).status_code == 200
    assert not CourseEdition.objects.exists()
    data["instructors"] = [str(instructor.pk)]
    assert client.post(ADD_URL, data).status_code == 302
    assert list(CourseEdition.objects.get().instructors.all()) == [instructor]
