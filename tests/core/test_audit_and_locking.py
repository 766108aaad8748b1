"""The audit entry as core.audit writes it; the bounded lock wait of core.locking."""

import datetime

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry

from core.audit import audit_entries, audit_log
from core.locking import rows_lock, rows_lock_setting_timeout
from enrolment import services
from enrolment.models import EnrolmentStatus, status_action
from people.models import User
from tests.factories import CourseEditionFactory, TraineeFactory

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2026, 3, 4, 9, 30, tzinfo=datetime.UTC)


def test_an_entry_is_wagtails_log_entry_with_label_user_data_and_time():
    edition = CourseEditionFactory()
    trainee = TraineeFactory()
    entry = audit_log(
        instance=edition,
        action="makers.edition.capacity_changed",
        user=trainee,
        data={"why": "test"},
        at=AT,
    )
    (stored,) = audit_entries(instance=edition)
    assert stored.pk == entry.pk
    assert isinstance(stored, ModelLogEntry)
    assert (stored.action, stored.user, stored.data, stored.timestamp) == (
        "makers.edition.capacity_changed",
        trainee,
        {"why": "test"},
        AT,
    )
    assert stored.label == str(edition)
    assert stored.object_id == str(edition.pk)


def test_an_unregistered_action_is_refused_and_nothing_is_written():
    edition = CourseEditionFactory()
    with pytest.raises(ValueError, match="not been registered"):
        audit_log(instance=edition, action="makers.edition.teleported")
    assert not audit_entries(instance=edition).exists()


def test_a_new_enrolments_entry_written_after_commit_keeps_the_time_of_the_change(
    django_capture_on_commit_callbacks,
):
    edition = CourseEditionFactory(capacity=1)
    changed_at = timezone.now()
    with (
        time_machine.travel(changed_at, tick=False),
        django_capture_on_commit_callbacks() as after_commit,
    ):
        enrolment = services.enrolment_create(trainee=TraineeFactory(), edition=edition)
    with time_machine.travel(changed_at + datetime.timedelta(minutes=5)):
        for callback in after_commit:
            callback()
    (entry,) = audit_entries(instance=enrolment)
    assert entry.action == status_action(EnrolmentStatus.CONFIRMED)
    assert entry.timestamp == changed_at


def test_before_commit_a_new_enrolment_has_no_entry_yet(
    django_capture_on_commit_callbacks,
):
    """What a crash between commit and the audit write would leave: the
    enrolment, without its entry (the trade the enrolment burst makes)."""
    edition = CourseEditionFactory(capacity=1)
    with django_capture_on_commit_callbacks(execute=False):
        enrolment = services.enrolment_create(trainee=TraineeFactory(), edition=edition)
        assert not audit_entries(instance=enrolment).exists()


def _set_config_count(queries) -> int:
    return sum("set_config" in q["sql"] for q in queries.captured_queries)


def _lock_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        return cursor.fetchone()[0]


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="lock_timeout is PostgreSQL's; SQLite locks the whole database",
)


@on_postgresql
@pytest.mark.django_db(transaction=True)  # real transactions, not the test's one
def test_the_lock_wait_is_bounded_once_per_transaction(settings):
    settings.MAKERS_LOCK_TIMEOUT_MS = 1234
    first, second = TraineeFactory(), TraineeFactory()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        rows_lock(User.objects.filter(pk=first.pk))
        rows_lock(User.objects.filter(pk=second.pk))
        timeout = _lock_timeout()
    assert _set_config_count(queries) == 1
    assert timeout == "1234ms"
    with CaptureQueriesContext(connection) as again, transaction.atomic():
        rows_lock(User.objects.filter(pk=first.pk))
    assert _set_config_count(again) == 1  # a new transaction sets it again


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_savepoint_rolled_back_takes_the_setting_and_its_mark_with_it(settings):
    settings.MAKERS_LOCK_TIMEOUT_MS = 1234
    person = TraineeFactory()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            rows_lock(User.objects.filter(pk=person.pk))
            raise RuntimeError
        rows_lock(User.objects.filter(pk=person.pk))
        timeout = _lock_timeout()
    assert _set_config_count(queries) == 2
    assert timeout == "1234ms"


def test_a_values_list_lock_returns_its_tuples_and_the_first_lock_its_keys():
    person = TraineeFactory()
    people = User.objects.filter(pk=person.pk).order_by()
    with transaction.atomic():
        assert rows_lock(people.values_list("pk", "email")) == [
            (person.pk, person.email)
        ]
        assert rows_lock_setting_timeout(people, no_key=True) == [person.pk]
        assert rows_lock_setting_timeout(people.filter(pk=-5)) == []


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_first_lock_sets_the_lock_wait_in_its_own_statement(settings):
    settings.MAKERS_LOCK_TIMEOUT_MS = 1234
    first, second = TraineeFactory(), TraineeFactory()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        rows_lock_setting_timeout(User.objects.filter(pk=first.pk), no_key=True)
        timeout = _lock_timeout()
        rows_lock(User.objects.filter(pk=second.pk))
    locks = [q["sql"] for q in queries.captured_queries if "FOR" in q["sql"]]
    assert len(locks) == 2
    assert "set_config" in locks[0] and "FOR NO KEY UPDATE" in locks[0]
    assert _set_config_count(queries) == 1  # the second lock sends nothing more
    assert timeout == "1234ms"
