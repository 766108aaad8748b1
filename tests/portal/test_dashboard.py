import pytest
from django.urls import reverse

from enrolment import services
from tests.factories import (
    CompanyMemberFactory,
    CourseEditionFactory,
    InstructorFactory,
    TraineeFactory,
)

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client, site):
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_trainee_sees_their_active_enrolments(
    client, site, django_assert_max_num_queries
):
    edition = CourseEditionFactory(course__title="Robotica collaborativa")
    trainee = TraineeFactory()
    services.enrolment_create(trainee=trainee, edition=edition)
    other = CourseEditionFactory(course__title="Metrologia")
    services.enrolment_create(trainee=TraineeFactory(), edition=other)
    client.force_login(trainee)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("portal:dashboard"))
    content = response.content.decode()
    assert "Robotica collaborativa" in content
    assert "Metrologia" not in content
    assert reverse("enrolment:my_courses") in content


def test_instructor_sees_the_editions_they_teach(client, site):
    instructor = InstructorFactory()
    edition = CourseEditionFactory(course__title="CAM a 5 assi")
    edition.instructors.add(instructor)
    edition.save()  # ParentalManyToManyField writes on save
    session_only = CourseEditionFactory(course__title="Fresatura CNC")
    session = session_only.sessions.first()
    session.instructor = instructor
    session.save()
    CourseEditionFactory(course__title="Saldatura")
    client.force_login(instructor)
    content = client.get(reverse("portal:dashboard")).content.decode()
    assert "CAM a 5 assi" in content
    assert "Fresatura CNC" in content
    assert "Saldatura" not in content


def test_company_manager_gets_the_company_page_link(client, site):
    manager = CompanyMemberFactory(is_manager=True).user
    client.force_login(manager)
    content = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("portal:company") in content
    client.force_login(TraineeFactory())
    content = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("portal:company") not in content
