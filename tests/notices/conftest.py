import pytest
from django.core import mail

from tests.factories import (
    CompanyMemberFactory,
    ConfirmedEnrolmentFactory,
    CourseEditionFactory,
    InstructorFactory,
    SessionFactory,
    TraineeFactory,
    rome_at,
)


@pytest.fixture
def instructor(db):
    return InstructorFactory(first_name="Ida")


@pytest.fixture
def tomorrow(site, instructor):
    """An edition in progress with a session tomorrow at 09:00 (in the next day,
    at the suite's 10:00 and at CI's 23:30), one the day after, an instructor
    and two confirmed trainees."""
    edition = CourseEditionFactory(sessions=0, status="in_progress")
    edition.instructors.add(instructor)
    edition.save()
    session = SessionFactory(
        edition=edition, start=rome_at(1, hour=9), end=rome_at(1, hour=13)
    )
    SessionFactory(edition=edition, start=rome_at(2, hour=9), end=rome_at(2, hour=13))
    trainees = [
        TraineeFactory(first_name="Ada", language="it"),
        TraineeFactory(first_name="Bea", language="en"),
    ]
    for trainee in trainees:
        ConfirmedEnrolmentFactory(edition=edition, trainee=trainee)
    return session, trainees


@pytest.fixture
def manager(db):
    return CompanyMemberFactory(is_manager=True)


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def html_of(message) -> str:
    return message.alternatives[0][0]
