"""courses.reactions: the higher apps' reactions to an edition's changes, called
explicitly by the edition services inside their transaction."""

import pytest
from django.db import connection

from courses import reactions, services
from courses.exceptions import EditionError
from courses.models import CourseEdition, EditionStatus
from enrolment import services as enrolment_services
from enrolment.models import EnrolmentStatus
from enrolment.services import editions as enrolment_editions
from tests.factories import CourseEditionFactory, TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    """The registries as the apps left them, restored after the test."""
    monkeypatch.setattr(reactions, "_cancelled", list(reactions._cancelled))
    monkeypatch.setattr(reactions, "_seats_changed", list(reactions._seats_changed))


def test_the_enrolment_app_registers_its_reactions():
    assert reactions._cancelled == [enrolment_editions.edition_enrolments_cancel]
    assert reactions._seats_changed == [enrolment_editions.edition_seats_fill]


def test_a_reaction_registered_twice_runs_once(registry):
    seen = []

    def spy(*, edition, actor, reason):
        seen.append((edition.pk, reason))

    reactions.on_edition_cancelled(spy)
    reactions.on_edition_cancelled(spy)
    edition = CourseEditionFactory()
    services.edition_cancel(edition=edition, actor=None, reason="Aula chiusa")
    assert seen == [(edition.pk, "Aula chiusa")]


def test_reactions_run_inside_the_transaction_after_the_edition_is_saved(registry):
    seen = []

    def spy(*, edition, actor):
        stored = CourseEdition.objects.get(pk=edition.pk)
        seen.append((connection.in_atomic_block, stored.capacity))

    reactions.on_edition_seats_changed(spy)
    edition = CourseEditionFactory(capacity=2)
    services.edition_capacity_set(edition=edition, capacity=5, actor=None)
    assert seen == [(True, 5)]


def test_a_failing_reaction_undoes_the_cancellation(registry):
    edition = CourseEditionFactory()
    enrolment = enrolment_services.enrolment_create(
        trainee=TraineeFactory(), edition=edition
    )

    def refusing(*, edition, actor, reason):
        raise EditionError("No.")

    reactions.on_edition_cancelled(refusing)
    with pytest.raises(EditionError):
        services.edition_cancel(edition=edition, actor=None, reason="Aula chiusa")
    edition.refresh_from_db()
    enrolment.refresh_from_db()
    assert edition.status == EditionStatus.OPEN
    assert enrolment.status == EnrolmentStatus.CONFIRMED


def test_the_same_capacity_again_calls_no_reaction(registry):
    seen = []
    reactions.on_edition_seats_changed(lambda **kwargs: seen.append(kwargs))
    edition = CourseEditionFactory(capacity=3)
    services.edition_capacity_set(edition=edition, capacity=3, actor=None)
    assert seen == []
