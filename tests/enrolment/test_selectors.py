import datetime

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from courses.models import EditionStatus
from enrolment import selectors, services
from enrolment.models import EnrolmentStatus
from tests.factories import (
    CompanyMemberFactory,
    CourseEditionFactory,
    SessionFactory,
    TraineeFactory,
)

from .helpers import enrol

pytestmark = pytest.mark.django_db

S = EnrolmentStatus


def test_roster_sorts_enrolments_into_lists_in_one_query(django_assert_num_queries):
    edition = CourseEditionFactory(capacity=2, requires_approval=True)
    pending = [enrol(edition) for _ in range(2)]
    waiting = [enrol(edition) for _ in range(3)]
    services.enrolment_cancel(enrolment=waiting[1], actor=None)
    with django_assert_num_queries(1):
        roster = selectors.edition_roster(edition=edition)
    assert roster.pending == pending
    assert roster.waitlist == [waiting[0], waiting[2]]
    assert [e.waitlist_position for e in roster.waitlist] == [1, 2]
    assert [e.pk for e in roster.past] == [waiting[1].pk]
    assert roster.confirmed == roster.offers == []


def test_missing_prerequisites_count_only_completed_confirmed_editions():
    trainee = TraineeFactory()
    basics = CourseEditionFactory(sessions=0)
    SessionFactory(edition=basics, start=timezone.now() + datetime.timedelta(days=90))
    edition = CourseEditionFactory()
    edition.course.prerequisite_courses.add(basics.course)
    edition.course.save()
    assert selectors.trainee_missing_prerequisites(
        trainee=trainee, edition=edition
    ) == [basics.course]
    services.enrolment_cancel(enrolment=enrol(basics, trainee), actor=None)
    basics.status = EditionStatus.COMPLETED
    basics.save()
    # A cancelled enrolment in a completed edition does not count.
    assert selectors.trainee_missing_prerequisites(trainee=trainee, edition=edition)


def test_schedule_clash_only_with_overlapping_sessions():
    trainee = TraineeFactory()
    edition = CourseEditionFactory()
    far = CourseEditionFactory(sessions=0)
    SessionFactory(edition=far, start=timezone.now() + datetime.timedelta(days=120))
    enrol(far, trainee)
    assert selectors.trainee_schedule_clash(trainee=trainee, edition=edition) is None
    near = CourseEditionFactory()
    enrol(near, TraineeFactory())
    assert selectors.trainee_schedule_clash(trainee=trainee, edition=edition) is None
    clash = CourseEditionFactory()
    enrol(clash, trainee)
    assert selectors.trainee_schedule_clash(trainee=trainee, edition=edition) == clash


def test_enrolments_by_edition_holds_only_active_ones(django_assert_num_queries):
    trainee = TraineeFactory()
    active = enrol(CourseEditionFactory(), trainee)
    gone = enrol(CourseEditionFactory(sessions=0), trainee)
    services.enrolment_cancel(enrolment=gone, actor=trainee)
    with django_assert_num_queries(1):
        mapping = selectors.trainee_enrolments_by_edition(trainee=trainee)
    assert list(mapping) == [active.edition_id]


def test_company_sees_only_its_sponsored_enrolments():
    manager = CompanyMemberFactory(is_manager=True)
    employee = CompanyMemberFactory(company=manager.company).user
    edition = CourseEditionFactory()
    sponsored = services.enrolment_sponsor(
        company=manager.company, manager=manager.user, trainee=employee, edition=edition
    )
    enrol(edition)  # someone else, not sponsored
    companies = selectors.companies_managed(user=manager.user)
    assert companies == [manager.company]
    assert list(selectors.company_sponsored_enrolments(companies=companies)) == [
        sponsored
    ]


def test_move_targets_are_other_unstarted_editions_of_the_course():
    edition = CourseEditionFactory()
    enrolment = enrol(edition)
    sibling = CourseEditionFactory(course=edition.course)
    started = CourseEditionFactory(course=edition.course, sessions=0)
    SessionFactory(edition=started, start=timezone.now() - datetime.timedelta(days=1))
    CourseEditionFactory()  # another course
    assert list(selectors.editions_move_targets(enrolment=enrolment)) == [sibling]


@pytest.mark.parametrize("login", ["luca_gallo@example.com", "luca%gallo@example.com"])
def test_prechecks_read_the_login_address_itself_as_verified_or_not(login):
    # Another verified address of the same person that a LIKE pattern made of the
    # login address would match must not count (the compiled read on SQLite).
    trainee = TraineeFactory(email=login, verified=False)
    EmailAddress.objects.create(user=trainee, email=login, verified=False)
    EmailAddress.objects.create(
        user=trainee, email="lucaXgallo@example.com", verified=True
    )
    edition = CourseEditionFactory()
    assert not selectors.enrolment_prechecks(
        trainee=trainee, edition=edition
    ).email_verified
    assert not selectors.trainee_email_is_verified(trainee=trainee)
    EmailAddress.objects.filter(email=login).update(verified=True)
    trainee.email = login.upper()  # as typed, other case: still the same address
    assert selectors.enrolment_prechecks(
        trainee=trainee, edition=edition
    ).email_verified
    assert selectors.trainee_email_is_verified(trainee=trainee)
