import datetime
import io

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from courses.models import EditionStatus
from courses.services import edition_capacity_set
from enrolment import services
from enrolment.exceptions import EnrolmentError
from enrolment.models import Enrolment, EnrolmentStatus
from enrolment.selectors import enrolment_history
from enrolment.tasks import enrolment_changes_record
from tests.factories import (
    CompanyMemberFactory,
    CourseEditionFactory,
    SessionFactory,
    StaffFactory,
    TraineeFactory,
    rome_at,
)

from .helpers import assert_invariants, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Refusals are matched on their English text; one test checks the Italian."""
    with translation.override("en"):
        yield


S = EnrolmentStatus


def assert_refused(match, edition, trainee, **kwargs):
    before = Enrolment.objects.count(), ModelLogEntry.objects.count()
    with pytest.raises(EnrolmentError, match=match):
        services.enrolment_create(trainee=trainee, edition=edition, **kwargs)
    assert (Enrolment.objects.count(), ModelLogEntry.objects.count()) == before


# --- placing -----------------------------------------------------------------


def test_enrol_confirms_while_seats_are_free_then_waitlists(edition):
    first, second, third, fourth = (enrol(edition) for _ in range(4))
    assert [e.status for e in (first, second)] == [S.CONFIRMED, S.CONFIRMED]
    assert (third.status, third.waitlist_position) == (S.WAITLISTED, 1)
    assert (fourth.status, fourth.waitlist_position) == (S.WAITLISTED, 2)
    edition.refresh_from_db()
    assert edition.seats_taken == 2
    assert_invariants(edition)


def test_enrol_writes_an_audit_entry(edition, trainee):
    enrolment = enrol(edition, trainee)
    (event,) = enrolment_history(enrolment=enrolment)
    assert (event.old_status, event.new_status, event.actor) == (
        "",
        S.CONFIRMED,
        trainee,
    )


class Queue:
    """Stands in for enrolment_changes_record's queue: records the runs queued."""

    def __init__(self):
        self.runs = 0

    def enqueue(self, **kwargs):
        self.runs += 1


@pytest.fixture
def queue(monkeypatch):
    queue = Queue()
    monkeypatch.setattr("enrolment.tasks.enrolment_changes_record", queue)
    return queue


def test_a_new_enrolment_owes_its_entry_and_email_to_a_run_queued_after_commit(
    edition, trainee, queue, time_machine, mailoutbox
):
    """The request stores the change's entry on the row (an outbox) and queues
    a recording run once committed; the run, later on a worker, writes the entry
    with the time of the enrolment, queues the email and clears the row."""
    time_machine.move_to(timezone.now(), tick=False)
    enrolled_at = timezone.now()
    enrolment = enrol(edition, trainee)
    assert not enrolment_history(enrolment=enrolment)  # not written by the request
    assert not mailoutbox
    assert queue.runs == 1
    enrolment.refresh_from_db()
    assert enrolment.pending_record["action"] == "makers.enrolment.confirmed"
    time_machine.shift(datetime.timedelta(minutes=5))  # the worker runs later
    assert enrolment_changes_record.call() == 1
    (event,) = enrolment_history(enrolment=enrolment)
    assert (event.new_status, event.actor, event.at) == (
        S.CONFIRMED,
        trainee,
        enrolled_at,
    )
    assert [message.to for message in mailoutbox] == [[trainee.email]]
    enrolment.refresh_from_db()
    assert enrolment.pending_record is None
    assert enrolment_changes_record.call() == 0  # recorded once
    assert len(enrolment_history(enrolment=enrolment)) == 1


def test_a_burst_of_enrolments_queues_one_recording_run(edition, queue, mailoutbox):
    enrolments = [enrol(edition) for _ in range(4)]
    assert queue.runs == 1  # the run is queued and has not started yet
    assert enrolment_changes_record.call() == 4
    for enrolment in enrolments:
        assert len(enrolment_history(enrolment=enrolment)) == 1
    assert len(mailoutbox) == 4
    enrol(edition)  # the run started: the next change queues another
    assert queue.runs == 2


def test_a_failed_queueing_loses_nothing(edition, trainee, monkeypatch, caplog):
    """If the run cannot be queued, the enrolment stands, the change stays
    pending, and the next change's run (or the cron's) records it."""

    class BrokenQueue:
        @staticmethod
        def enqueue(**kwargs):
            raise RuntimeError("task store unavailable")

    monkeypatch.setattr("enrolment.tasks.enrolment_changes_record", BrokenQueue)
    first = enrol(edition, trainee)
    assert "task store unavailable" in caplog.text
    assert not enrolment_history(enrolment=first)
    monkeypatch.undo()
    second = enrol(edition)  # queues (and, here, runs at once) a recording run
    assert len(enrolment_history(enrolment=first)) == 1
    assert len(enrolment_history(enrolment=second)) == 1


def test_a_failed_email_leaves_the_new_enrolments_entry_written(
    edition, trainee, monkeypatch, mailoutbox
):
    """The run writes the entry and queues the email as a task of its own: an
    email that fails is not a reason to lose (or, run again, repeat) the entry."""

    def broken_send(**kwargs):
        raise ConnectionError("SMTP unavailable")

    monkeypatch.setattr("enrolment.tasks.status_email_send", broken_send)
    enrolment = enrol(edition, trainee)
    (event,) = enrolment_history(enrolment=enrolment)
    assert event.new_status == S.CONFIRMED
    assert not mailoutbox


def test_a_change_pending_when_the_enrolment_is_erased_is_not_recorded(
    edition, trainee, queue
):
    enrolment = enrol(edition, trainee)
    pk = enrolment.pk
    enrolment.delete()
    assert enrolment_changes_record.call() == 0
    assert not ModelLogEntry.objects.filter(object_id=str(pk)).exists()


def test_a_later_change_of_a_pending_enrolment_queues_its_recording(
    edition, trainee, queue, django_capture_on_commit_callbacks
):
    """A change made while the new enrolment's entry is still pending (the run
    skipped the row, locked by that change) queues a run after its commit; the
    history then has both, in order."""
    enrolment = enrol(edition, trainee)
    assert queue.runs == 1
    caches["default"].clear()  # the queued run has started (and skipped the row)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_cancel(enrolment=enrolment, actor=trainee)
    assert queue.runs == 2
    enrolment_changes_record.call()
    history = enrolment_history(enrolment=enrolment)
    assert [event.new_status for event in history] == [S.CONFIRMED, S.CANCELLED]


def test_edition_needing_approval_holds_a_seat_pending(trainee):
    edition = CourseEditionFactory(capacity=1, requires_approval=True)
    enrolment = enrol(edition, trainee)
    assert enrolment.status == S.PENDING_APPROVAL
    assert enrol(edition).status == S.WAITLISTED
    edition.refresh_from_db()
    assert edition.seats_taken == 1


# --- refusals ----------------------------------------------------------------


def test_refused_before_the_window_opens(trainee):
    edition = CourseEditionFactory(
        enrolment_opens_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert_refused("opens on", edition, trainee)


def test_refused_after_the_window_closes(trainee):
    edition = CourseEditionFactory(
        enrolment_opens_at=timezone.now() - datetime.timedelta(days=5),
        enrolment_closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert_refused("closed on", edition, trainee)


def test_refused_for_a_cancelled_edition(trainee):
    edition = CourseEditionFactory(status=EditionStatus.CANCELLED)
    assert_refused("cancelled", edition, trainee)


def test_refused_for_an_edition_in_progress(trainee):
    edition = CourseEditionFactory(status=EditionStatus.IN_PROGRESS)
    assert_refused("already started", edition, trainee)


def test_refused_once_the_first_session_has_started(trainee):
    edition = CourseEditionFactory(sessions=0)
    SessionFactory(edition=edition, start=timezone.now() - datetime.timedelta(hours=1))
    assert_refused("already started", edition, trainee)


def test_refused_when_already_enrolled(edition, trainee):
    enrol(edition, trainee)
    assert_refused("already have an enrolment", edition, trainee)


def test_refused_with_unverified_email(edition):
    trainee = TraineeFactory(verified=False)
    assert_refused("verify your email", edition, trainee)
    EmailAddress.objects.create(user=trainee, email=trainee.email, verified=True)
    assert enrol(edition, trainee).status == S.CONFIRMED


def test_refused_without_the_prerequisite_course(trainee):
    basics = CourseEditionFactory(sessions=0)
    SessionFactory(edition=basics, start=timezone.now() + datetime.timedelta(days=90))
    edition = CourseEditionFactory()
    edition.course.prerequisite_courses.add(basics.course)
    edition.course.save()
    assert_refused(basics.course.title, edition, trainee)

    # Confirmed in an edition that has not completed yet: still missing.
    enrol(basics, trainee)
    assert_refused("first complete", edition, trainee)

    basics.status = EditionStatus.COMPLETED
    basics.save()
    assert enrol(edition, trainee).status == S.CONFIRMED


def test_refused_on_schedule_clash_with_a_confirmed_edition(edition, trainee):
    other = CourseEditionFactory()  # same default sessions: they overlap
    enrol(other, trainee)
    assert_refused(other.code, edition, trainee)


def test_no_clash_with_a_waitlisted_edition_or_cancelled_session(trainee):
    full = CourseEditionFactory(capacity=1)
    enrol(full)
    enrol(full, trainee)  # waitlisted: does not block
    edition = CourseEditionFactory()
    assert enrol(edition, trainee).status == S.CONFIRMED

    # A cancelled session at the very hours of a confirmed one does not clash.
    cancelled_sessions = CourseEditionFactory(sessions=0)
    confirmed_session = edition.sessions.first()
    SessionFactory(
        edition=cancelled_sessions,
        start=confirmed_session.start,
        end=confirmed_session.end,
        cancelled=True,
    )
    SessionFactory(edition=cancelled_sessions, start=rome_at(230, hour=8))
    assert enrol(cancelled_sessions, trainee).status == S.CONFIRMED
    # The same session not cancelled would clash: the check above tests something.
    clashing = CourseEditionFactory(sessions=0)
    SessionFactory(
        edition=clashing, start=confirmed_session.start, end=confirmed_session.end
    )
    assert_refused("clashes", clashing, trainee)


def test_company_manager_enrols_only_the_company_members(edition):
    manager = CompanyMemberFactory(is_manager=True)
    employee = CompanyMemberFactory(company=manager.company).user
    outsider = TraineeFactory()
    enrolment = services.enrolment_sponsor(
        company=manager.company, manager=manager.user, trainee=employee, edition=edition
    )
    assert enrolment.sponsor_company == manager.company
    assert enrolment.sponsored_by == manager.user
    assert_refused(
        "does not count",
        edition,
        outsider,
        sponsor_company=manager.company,
        sponsored_by=manager.user,
    )


def test_plain_member_cannot_sponsor(edition):
    member = CompanyMemberFactory(is_manager=False)
    employee = CompanyMemberFactory(company=member.company).user
    assert_refused(
        "Only a manager",
        edition,
        employee,
        sponsor_company=member.company,
        sponsored_by=member.user,
    )


def test_staff_enrol_skips_window_and_approval(trainee):
    edition = CourseEditionFactory(
        requires_approval=True,
        enrolment_opens_at=timezone.now() + datetime.timedelta(days=1),
        enrolment_closes_at=timezone.now() + datetime.timedelta(days=2),
    )
    staff = StaffFactory()
    enrolment = enrol(edition, trainee, actor=staff, by_staff=True)
    assert enrolment.status == S.CONFIRMED
    assert [e.actor for e in enrolment_history(enrolment=enrolment)] == [staff]


# --- cancelling and the waitlist -----------------------------------------------


def test_cancel_confirmed_offers_the_seat_to_the_head_of_the_waitlist(edition):
    first = enrol(edition)
    enrol(edition)
    waiting = [enrol(edition) for _ in range(3)]
    services.enrolment_cancel(enrolment=first, actor=first.trainee)
    first.refresh_from_db()
    assert first.status == S.CANCELLED
    head = Enrolment.objects.get(pk=waiting[0].pk)
    assert head.status == S.OFFERED
    assert head.offer_token and head.waitlist_position is None
    assert head.offer_expires_at > timezone.now() + datetime.timedelta(hours=47)
    assert [Enrolment.objects.get(pk=e.pk).waitlist_position for e in waiting[1:]] == [
        1,
        2,
    ]
    assert_invariants(edition)


def test_cancel_waitlisted_closes_the_gap(edition):
    enrol(edition), enrol(edition)
    waiting = [enrol(edition) for _ in range(4)]
    services.enrolment_cancel(enrolment=waiting[1], actor=None)
    positions = [Enrolment.objects.get(pk=e.pk).waitlist_position for e in waiting]
    assert positions == [1, None, 2, 3]
    assert_invariants(edition)


def test_cancel_twice_is_refused(edition, trainee):
    enrolment = enrol(edition, trainee)
    services.enrolment_cancel(enrolment=enrolment, actor=trainee)
    with pytest.raises(EnrolmentError, match="no longer active"):
        services.enrolment_cancel(enrolment=enrolment, actor=trainee)
    assert len(enrolment_history(enrolment=enrolment)) == 2


def test_auto_confirm_from_waitlist():
    edition = CourseEditionFactory(capacity=1, auto_confirm_from_waitlist=True)
    first = enrol(edition)
    second = enrol(edition)
    services.enrolment_cancel(enrolment=first, actor=None)
    second.refresh_from_db()
    assert second.status == S.CONFIRMED
    assert_invariants(edition)


def test_no_promotion_once_the_edition_has_started():
    edition = CourseEditionFactory(capacity=1)
    first = enrol(edition)
    second = enrol(edition)
    edition.sessions.update(start=timezone.now() - datetime.timedelta(hours=1))
    services.enrolment_cancel(enrolment=first, actor=None)
    second.refresh_from_db()
    assert (second.status, second.waitlist_position) == (S.WAITLISTED, 1)
    edition.refresh_from_db()
    assert edition.seats_taken == 0


def test_can_enrol_again_after_cancelling(edition, trainee):
    services.enrolment_cancel(enrolment=enrol(edition, trainee), actor=trainee)
    assert enrol(edition, trainee).status == S.CONFIRMED


# --- offers ------------------------------------------------------------------


@pytest.fixture
def offered(edition):
    first = enrol(edition)
    enrol(edition)
    waiting = enrol(edition)
    enrol(edition)
    services.enrolment_cancel(enrolment=first, actor=None)
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
    return waiting


def test_offer_accept_confirms(offered, edition):
    enrolment = services.offer_accept(token=offered.offer_token, user=offered.trainee)
    assert enrolment.status == S.CONFIRMED
    assert enrolment.offer_expires_at is None
    assert_invariants(edition)


def test_offer_accept_twice_is_refused_as_used(offered):
    services.offer_accept(token=offered.offer_token, user=offered.trainee)
    with pytest.raises(EnrolmentError, match="already been used"):
        services.offer_accept(token=offered.offer_token, user=offered.trainee)


def test_offer_of_someone_else_is_refused(offered):
    with pytest.raises(EnrolmentError, match="someone else"):
        services.offer_accept(token=offered.offer_token, user=TraineeFactory())
    offered.refresh_from_db()
    assert offered.status == S.OFFERED


def test_unknown_offer_is_refused(offered):
    with pytest.raises(EnrolmentError, match="not valid"):
        services.offer_accept(token="nope", user=offered.trainee)


def test_expired_offer_is_refused(offered):
    Enrolment.objects.filter(pk=offered.pk).update(
        offer_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(EnrolmentError, match="expired"):
        services.offer_accept(token=offered.offer_token, user=offered.trainee)
    offered.refresh_from_db()
    assert offered.status == S.OFFERED


def test_offer_decline_passes_the_seat_on(offered, edition):
    services.offer_decline(token=offered.offer_token, user=offered.trainee)
    offered.refresh_from_db()
    assert offered.status == S.CANCELLED
    assert Enrolment.objects.filter(edition=edition, status=S.OFFERED).count() == 1
    assert not Enrolment.objects.filter(edition=edition, status=S.WAITLISTED).exists()
    assert_invariants(edition)


def test_offers_expire_passes_to_next_and_is_idempotent(offered, edition):
    later = timezone.now() + datetime.timedelta(hours=49)
    assert services.offers_expire(now=later) == 1
    offered.refresh_from_db()
    assert offered.status == S.EXPIRED
    new_offer = Enrolment.objects.get(edition=edition, status=S.OFFERED)
    assert new_offer.pk != offered.pk
    assert services.offers_expire(now=timezone.now()) == 0
    assert_invariants(edition)


def test_capacity_raised_offers_to_the_waitlist(edition):
    enrolments = [enrol(edition) for _ in range(5)]
    staff = StaffFactory()
    edition_capacity_set(edition=edition, capacity=4, actor=staff)
    statuses = [
        Enrolment.objects.get(pk=enrolment.pk).status for enrolment in enrolments
    ]
    # The two new seats are offered to the head of the waitlist, in order.
    assert statuses == [S.CONFIRMED, S.CONFIRMED, S.OFFERED, S.OFFERED, S.WAITLISTED]
    assert_invariants(edition)


# --- approvals -----------------------------------------------------------------


@pytest.fixture
def pending(trainee):
    edition = CourseEditionFactory(capacity=1, requires_approval=True)
    return enrol(edition, trainee)


def test_approve_confirms(pending):
    staff = StaffFactory()
    services.enrolment_approve(enrolment=pending, actor=staff)
    pending.refresh_from_db()
    assert pending.status == S.CONFIRMED
    assert enrolment_history(enrolment=pending)[-1].actor == staff


def test_reject_needs_a_reason_and_frees_the_seat(pending):
    waiting = enrol(pending.edition)
    staff = StaffFactory()
    with pytest.raises(EnrolmentError, match="reason"):
        services.enrolment_reject(enrolment=pending, actor=staff, reason=" ")
    services.enrolment_reject(
        enrolment=pending, actor=staff, reason="Profilo non adatto"
    )
    pending.refresh_from_db()
    assert (pending.status, pending.reason) == (S.REJECTED, "Profilo non adatto")
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
    assert_invariants(pending.edition)


def test_approve_refused_unless_pending(edition, trainee):
    with pytest.raises(EnrolmentError, match="awaiting approval"):
        services.enrolment_approve(
            enrolment=enrol(edition, trainee), actor=StaffFactory()
        )


# --- moving ------------------------------------------------------------------


def test_move_to_another_edition_of_the_same_course_keeps_history(edition, trainee):
    enrolment = enrol(edition, trainee)
    waiting = enrol(edition)
    enrol(edition)
    target = CourseEditionFactory(course=edition.course)
    staff = StaffFactory()
    moved = services.enrolment_move(
        enrolment=enrolment, to_edition=target, actor=staff, reason="Turno serale"
    )
    enrolment.refresh_from_db()
    assert enrolment.status == S.MOVED and enrolment.moved_to == moved
    assert (moved.edition, moved.status) == (target, S.CONFIRMED)
    (entry,) = enrolment_history(enrolment=moved)
    assert entry.data["moved_from"] == enrolment.pk
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED or waiting.status == S.OFFERED
    assert_invariants(edition)
    assert_invariants(target)


def test_move_to_another_course_is_refused(edition, trainee):
    enrolment = enrol(edition, trainee)
    with pytest.raises(EnrolmentError, match="same course"):
        services.enrolment_move(
            enrolment=enrolment, to_edition=CourseEditionFactory(), actor=StaffFactory()
        )
    enrolment.refresh_from_db()
    assert enrolment.status == S.CONFIRMED


def test_refusal_message_is_translated(edition):
    trainee = TraineeFactory(verified=False)
    with pytest.raises(EnrolmentError) as refusal:
        services.enrolment_create(trainee=trainee, edition=edition)
    with translation.override("it"):
        message = str(refusal.value)
    assert message == "Verifica il tuo indirizzo email prima di iscriverti."
    assert refusal.value.code == "unverified_email"


def test_the_expire_offers_command_records_changes_left_pending(
    edition, trainee, queue, monkeypatch
):
    """The cron's command is the safety net of the runs changes queue."""
    enrolment = enrol(edition, trainee)
    assert not enrolment_history(enrolment=enrolment)
    monkeypatch.undo()  # the queued run was lost
    out = io.StringIO()
    call_command("expire_offers", stdout=out)
    assert "1 pending change(s) recorded." in out.getvalue()
    assert len(enrolment_history(enrolment=enrolment)) == 1


# --- cancelling after the edition ended (finding 1) -----------------------------


def test_no_cancel_once_the_edition_is_completed():
    from tests.factories import edition_completed

    edition, _sessions, enrolments = edition_completed(trainees=1)
    enrolment = enrolments[0]
    for actor in (enrolment.trainee, StaffFactory()):
        with pytest.raises(EnrolmentError, match="has ended"):
            services.enrolment_cancel(enrolment=enrolment, actor=actor)
    enrolment.refresh_from_db()
    assert enrolment.status == S.CONFIRMED
    assert enrolment_history(enrolment=enrolment) == []


def test_no_cancel_once_the_last_session_has_ended_even_if_not_completed():
    edition = CourseEditionFactory(capacity=1, sessions=0)
    SessionFactory(edition=edition, start=rome_at(10), end=rome_at(10, hour=13))
    enrolment = enrol(edition)
    edition.sessions.update(
        start=timezone.now() - datetime.timedelta(days=2),
        end=timezone.now() - datetime.timedelta(days=2, hours=-4),
    )
    edition.status = EditionStatus.IN_PROGRESS
    edition.save()
    with pytest.raises(EnrolmentError, match="has ended"):
        services.enrolment_cancel(enrolment=enrolment, actor=enrolment.trainee)


def test_cancel_is_still_possible_while_the_edition_runs():
    edition = CourseEditionFactory(capacity=1, sessions=0)
    SessionFactory(edition=edition, start=rome_at(10), end=rome_at(10, hour=13))
    SessionFactory(edition=edition, start=rome_at(17), end=rome_at(17, hour=13))
    enrolment = enrol(edition)
    first = edition.sessions.order_by("start").first()
    first.start = timezone.now() - datetime.timedelta(days=1)
    first.end = first.start + datetime.timedelta(hours=4)
    first.save()
    services.enrolment_cancel(enrolment=enrolment, actor=enrolment.trainee)
    enrolment.refresh_from_db()
    assert enrolment.status == S.CANCELLED
