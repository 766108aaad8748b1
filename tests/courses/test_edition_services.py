"""Cancelling, completing, reopening an edition and changing its capacity."""

import pytest
from django.core import mail
from django.utils import translation
from wagtail.models import ModelLogEntry

from core.audit import audit_entries
from courses import services
from courses.exceptions import EditionError
from courses.models import EditionStatus
from enrolment import services as enrolment_services
from enrolment.models import Enrolment, EnrolmentStatus
from tests.factories import (
    CourseEditionFactory,
    SessionFactory,
    StaffFactory,
    TraineeFactory,
    rome_at,
)

pytestmark = pytest.mark.django_db
S = EnrolmentStatus


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_cancelling_an_edition_cancels_every_active_enrolment_and_tells_each_trainee(
    django_capture_on_commit_callbacks,
):
    edition = CourseEditionFactory(capacity=1)
    italian = TraineeFactory(language="it")
    english = TraineeFactory(language="en")
    confirmed = enrolment_services.enrolment_create(trainee=italian, edition=edition)
    waiting = enrolment_services.enrolment_create(trainee=english, edition=edition)
    staff = StaffFactory()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.edition_cancel(
            edition=edition, actor=staff, reason="Docente indisponibile"
        )

    edition.refresh_from_db()
    assert edition.status == EditionStatus.CANCELLED
    assert edition.seats_taken == 0
    for enrolment in (confirmed, waiting):
        enrolment.refresh_from_db()
        assert enrolment.status == S.CANCELLED
        assert enrolment.waitlist_position is None
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {italian.email, english.email}
    assert "annullata" in by_address[italian.email].subject
    assert "cancelled" in by_address[english.email].subject
    assert "Docente indisponibile" in by_address[english.email].body
    (entry,) = audit_entries(instance=edition, prefix="makers.edition.")
    assert (entry.action, entry.user, entry.data["reason"]) == (
        "makers.edition.cancelled",
        staff,
        "Docente indisponibile",
    )
    with pytest.raises(Exception, match="cancelled"):
        enrolment_services.enrolment_create(trainee=TraineeFactory(), edition=edition)


def test_cancelling_needs_a_reason_and_changes_nothing_without_one():
    edition = CourseEditionFactory()
    enrolment = enrolment_services.enrolment_create(
        trainee=TraineeFactory(), edition=edition
    )
    before = ModelLogEntry.objects.count()
    with pytest.raises(EditionError, match="reason"):
        services.edition_cancel(edition=edition, actor=StaffFactory(), reason="  ")
    edition.refresh_from_db()
    enrolment.refresh_from_db()
    assert (edition.status, enrolment.status) == (EditionStatus.OPEN, S.CONFIRMED)
    assert ModelLogEntry.objects.count() == before


def test_an_edition_is_completed_only_after_its_last_session():
    edition = CourseEditionFactory(sessions=0, status=EditionStatus.IN_PROGRESS)
    SessionFactory(edition=edition, start=rome_at(-3, hour=9))
    later = SessionFactory(edition=edition, start=rome_at(2, hour=9))
    with pytest.raises(EditionError, match="last session"):
        services.edition_complete(edition=edition, actor=StaffFactory())

    later.start, later.end = rome_at(-2, hour=9), rome_at(-2, hour=13)
    later.save()
    services.edition_complete(edition=edition, actor=StaffFactory())
    edition.refresh_from_db()
    assert edition.status == EditionStatus.COMPLETED
    assert audit_entries(instance=edition).last().action == "makers.edition.completed"


def test_reopening_a_completed_edition_puts_it_back_in_progress():
    edition = CourseEditionFactory(sessions=0, status=EditionStatus.COMPLETED)
    SessionFactory(edition=edition, start=rome_at(-3, hour=9))
    services.edition_reopen(edition=edition, actor=StaffFactory(), reason="Errore")
    edition.refresh_from_db()
    assert edition.status == EditionStatus.IN_PROGRESS
    with pytest.raises(EditionError):
        services.edition_reopen(edition=edition, actor=StaffFactory(), reason="x")


def test_reopening_a_cancelled_edition_before_it_starts_opens_it_again():
    edition = CourseEditionFactory()
    services.edition_cancel(edition=edition, actor=None, reason="Pochi iscritti")
    services.edition_reopen(edition=edition, actor=None, reason="Nuove richieste")
    edition.refresh_from_db()
    assert edition.status == EditionStatus.OPEN
    assert (
        enrolment_services.enrolment_create(
            trainee=TraineeFactory(), edition=edition
        ).status
        == S.CONFIRMED
    )


def test_more_seats_pass_to_the_waitlist_and_fewer_than_taken_is_refused():
    edition = CourseEditionFactory(capacity=1)
    enrolment_services.enrolment_create(trainee=TraineeFactory(), edition=edition)
    waiting = enrolment_services.enrolment_create(
        trainee=TraineeFactory(), edition=edition
    )
    services.edition_capacity_set(edition=edition, capacity=2, actor=StaffFactory())
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
    edition.refresh_from_db()
    assert (edition.capacity, edition.seats_taken) == (2, 2)
    entry = audit_entries(instance=edition).last()
    assert entry.data == {"old_capacity": 1, "new_capacity": 2}

    with pytest.raises(EditionError, match="2 seats"):
        services.edition_capacity_set(edition=edition, capacity=1, actor=None)
    edition.refresh_from_db()
    assert edition.capacity == 2
    assert Enrolment.objects.filter(edition=edition, status=S.OFFERED).count() == 1
