import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import CompetencyFactory, CourseEditionFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_session_must_end_after_start():
    edition = CourseEditionFactory(sessions=0)
    start = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(edition=edition, start=start, end=start)


def test_edition_capacity_must_be_positive():
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseEditionFactory(capacity=0)


def test_enrolment_window_must_open_before_it_closes():
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseEditionFactory(
            enrolment_opens_at=now, enrolment_closes_at=now - datetime.timedelta(1)
        )


def test_competency_eqf_level_is_between_1_and_8():
    with pytest.raises(IntegrityError), transaction.atomic():
        CompetencyFactory(eqf_level=9)
