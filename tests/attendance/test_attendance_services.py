"""Register services: marks, all present, closing, lock, staff correction,
self check-in tokens, assessments. Every refusal stores nothing."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from wagtail.models import ModelLogEntry

from attendance.exceptions import AttendanceError
from attendance.models import (
    Assessment,
    AttendanceRecord,
    AttendanceSource,
    AttendanceStatus,
    SessionRegister,
)
from attendance.selectors import register_history
from attendance.services import (
    CHECKIN_MAX_AGE_SECONDS,
    assessment_record,
    attendance_all_present,
    attendance_check_in,
    attendance_confirm_check_ins,
    attendance_correct,
    attendance_mark,
    checkin_token_make,
    minutes_default,
    register_close,
)
from enrolment.models import EnrolmentStatus
from people.models import Role
from people.services import roles_sync
from tests.factories import (
    CompetencyFactory,
    ConfirmedEnrolmentFactory,
    CoursePageFactory,
    InstructorFactory,
    StaffFactory,
    TraineeFactory,
    UserFactory,
    edition_running,
    rome_at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def instructor():
    return InstructorFactory()


@pytest.fixture
def running(instructor):
    """At 10:00 on the day of a 09:00-13:00 session of an edition in progress."""
    with time_machine.travel(rome_at(0, hour=10), tick=False):
        edition, sessions, enrolments = edition_running(instructor=instructor)
        yield edition, sessions, enrolments


@pytest.fixture
def staff_member():
    """A Staff-role member who is not a superuser: permissions by the role."""
    roles_sync()
    return UserFactory(is_staff=True, role=Role.STAFF)


def test_mark_present_stores_the_whole_session_and_audits(running, instructor):
    _, sessions, enrolments = running
    today = sessions[2]
    record = attendance_mark(
        session=today, enrolment=enrolments[0], status="present", actor=instructor
    )
    assert record.minutes_present == 240
    assert record.recorded_by == instructor
    assert record.source == AttendanceSource.REGISTER
    entry = ModelLogEntry.objects.get(action="makers.attendance.mark")
    assert entry.data["new_status"] == "present"
    assert entry.user_id == instructor.pk


def test_mark_again_changes_the_one_record(running, instructor):
    _, sessions, enrolments = running
    for status in ("present", "absent", "late"):
        attendance_mark(
            session=sessions[2],
            enrolment=enrolments[0],
            status=status,
            actor=instructor,
        )
    record = AttendanceRecord.objects.get()
    assert record.status == "late"
    # Late at 10:00 in a session ending at 13:00: three hours by default.
    assert record.minutes_present == 180
    assert ModelLogEntry.objects.filter(action="makers.attendance.mark").count() == 3


@pytest.mark.parametrize(
    ("status", "minutes"),
    [
        ("present", 240),
        ("absent", 0),
        ("excused", 0),
        ("late", 180),
        ("left_early", 60),
    ],
)
def test_minutes_default_while_running(running, status, minutes):
    session = running[1][2]
    assert minutes_default(session=session, status=status) == minutes


def test_minutes_default_after_the_session_is_three_quarters(running):
    session = running[1][0]
    assert minutes_default(session=session, status="late") == 180
    assert minutes_default(session=session, status="left_early") == 180


@pytest.mark.parametrize("minutes", [0, -5, 241, "abc", "12.5", "9999"])
def test_invalid_minutes_are_refused_and_nothing_stored(running, instructor, minutes):
    _, sessions, enrolments = running
    with pytest.raises(AttendanceError) as error:
        attendance_mark(
            session=sessions[2],
            enrolment=enrolments[0],
            status="late",
            minutes_present=minutes,
            actor=instructor,
        )
    assert error.value.code == "bad_minutes"
    assert "240" in str(error.value)
    assert not AttendanceRecord.objects.exists()


def test_minutes_typed_for_left_early(running, instructor):
    _, sessions, enrolments = running
    record = attendance_mark(
        session=sessions[2],
        enrolment=enrolments[0],
        status="left_early",
        minutes_present="120",
        actor=instructor,
    )
    assert record.minutes_present == 120


def test_database_refuses_minutes_beyond_a_day_and_a_second_record(running):
    _, sessions, enrolments = running
    base = {
        "enrolment": enrolments[0],
        "session": sessions[0],
        "recorded_at": rome_at(0),
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceRecord.objects.create(status="late", minutes_present=2000, **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceRecord.objects.create(status="absent", minutes_present=10, **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceRecord.objects.create(status="present", minutes_present=0, **base)
    AttendanceRecord.objects.create(status="present", minutes_present=240, **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceRecord.objects.create(status="present", minutes_present=240, **base)


def test_someone_elses_edition_is_refused(running):
    _, sessions, enrolments = running
    for stranger in (InstructorFactory(), TraineeFactory()):
        with pytest.raises(AttendanceError) as error:
            attendance_mark(
                session=sessions[2],
                enrolment=enrolments[0],
                status="present",
                actor=stranger,
            )
        assert error.value.code == "not_allowed"
    assert not AttendanceRecord.objects.exists()


def test_session_instructor_may_keep_the_register(running):
    _, sessions, enrolments = running
    guest = InstructorFactory()
    sessions[2].instructor = guest
    sessions[2].save()
    attendance_mark(
        session=sessions[2], enrolment=enrolments[0], status="present", actor=guest
    )
    # ... that session's only.
    with pytest.raises(AttendanceError):
        attendance_mark(
            session=sessions[1], enrolment=enrolments[0], status="present", actor=guest
        )


def test_trainee_not_confirmed_in_the_edition_is_refused(running, instructor):
    edition, sessions, enrolments = running
    other = ConfirmedEnrolmentFactory()  # another edition
    waiting = ConfirmedEnrolmentFactory(edition=edition, status="cancelled")
    for enrolment in (other, waiting):
        with pytest.raises(AttendanceError) as error:
            attendance_mark(
                session=sessions[2],
                enrolment=enrolment,
                status="present",
                actor=instructor,
            )
        assert error.value.code == "not_confirmed"
    assert not AttendanceRecord.objects.exists()


def test_session_not_started_only_takes_an_excused_absence(running, instructor):
    _, sessions, enrolments = running
    upcoming = sessions[3]
    with pytest.raises(AttendanceError) as error:
        attendance_mark(
            session=upcoming,
            enrolment=enrolments[0],
            status="present",
            actor=instructor,
        )
    assert error.value.code == "not_started"
    record = attendance_mark(
        session=upcoming, enrolment=enrolments[0], status="excused", actor=instructor
    )
    assert record.minutes_present == 0


def test_cancelled_session_is_refused(running, instructor):
    _, sessions, enrolments = running
    sessions[0].cancelled = True
    sessions[0].save()
    with pytest.raises(AttendanceError) as error:
        attendance_mark(
            session=sessions[0],
            enrolment=enrolments[0],
            status="present",
            actor=instructor,
        )
    assert error.value.code == "session_cancelled"


def test_all_present_marks_only_the_unmarked(running, instructor):
    _, sessions, enrolments = running
    attendance_mark(
        session=sessions[2], enrolment=enrolments[0], status="absent", actor=instructor
    )
    assert attendance_all_present(session=sessions[2], actor=instructor) == 2
    statuses = dict(
        AttendanceRecord.objects.filter(session=sessions[2]).values_list(
            "enrolment_id", "status"
        )
    )
    assert statuses == {
        enrolments[0].pk: "absent",
        enrolments[1].pk: "present",
        enrolments[2].pk: "present",
    }
    assert attendance_all_present(session=sessions[2], actor=instructor) == 0


def test_all_present_refused_before_the_start_and_to_strangers(running, instructor):
    _, sessions, _ = running
    with pytest.raises(AttendanceError):
        attendance_all_present(session=sessions[3], actor=instructor)
    with pytest.raises(AttendanceError):
        attendance_all_present(session=sessions[2], actor=InstructorFactory())
    assert not AttendanceRecord.objects.exists()


def test_register_locks_48_hours_after_the_session(running, instructor):
    _, sessions, enrolments = running
    today = sessions[2]
    attendance_mark(
        session=today, enrolment=enrolments[0], status="present", actor=instructor
    )
    with time_machine.travel(today.end + datetime.timedelta(hours=47), tick=False):
        attendance_mark(
            session=today, enrolment=enrolments[0], status="late", actor=instructor
        )
    with time_machine.travel(today.end + datetime.timedelta(hours=48), tick=False):
        with pytest.raises(AttendanceError) as error:
            attendance_mark(
                session=today,
                enrolment=enrolments[0],
                status="absent",
                actor=instructor,
            )
        assert error.value.code == "locked"
    assert AttendanceRecord.objects.get().status == "late"


def test_lock_hours_come_from_settings(running, instructor, settings):
    settings.MAKERS_REGISTER_LOCK_HOURS = 1
    _, sessions, enrolments = running
    after = sessions[2].end + datetime.timedelta(hours=1)
    with time_machine.travel(after, tick=False), pytest.raises(AttendanceError):
        attendance_mark(
            session=sessions[2],
            enrolment=enrolments[0],
            status="present",
            actor=instructor,
        )


def test_closing_locks_at_once_and_is_audited(running, instructor):
    _, sessions, enrolments = running
    register = register_close(
        session=sessions[2], actor=instructor, allow_unmarked=True
    )
    assert register.closed_by == instructor
    with pytest.raises(AttendanceError) as error:
        attendance_mark(
            session=sessions[2],
            enrolment=enrolments[0],
            status="present",
            actor=instructor,
        )
    assert error.value.code == "locked"
    with pytest.raises(AttendanceError):
        attendance_all_present(session=sessions[2], actor=instructor)
    assert [e.action for e in register_history(session=sessions[2])] == [
        "makers.attendance.close"
    ]
    # Closing again changes nothing.
    register_close(session=sessions[2], actor=instructor)
    assert ModelLogEntry.objects.filter(action="makers.attendance.close").count() == 1


def test_closing_before_the_start_is_refused(running, instructor):
    _, sessions, _ = running
    with pytest.raises(AttendanceError) as error:
        register_close(session=sessions[3], actor=instructor)
    assert error.value.code == "close_not_started"
    assert not SessionRegister.objects.exists()


def test_staff_correct_a_locked_register_with_a_reason(
    running, instructor, staff_member
):
    _, sessions, enrolments = running
    AttendanceRecord.objects.create(
        enrolment=enrolments[0],
        session=sessions[0],
        status="absent",
        recorded_at=sessions[0].end,
    )
    # Two weeks ago: locked long since.
    with pytest.raises(AttendanceError) as error:
        attendance_mark(
            session=sessions[0],
            enrolment=enrolments[0],
            status="present",
            actor=staff_member,
        )
    assert error.value.code == "reason_required"
    with pytest.raises(AttendanceError):
        attendance_correct(
            session=sessions[0],
            enrolment=enrolments[0],
            status="present",
            actor=staff_member,
            reason="   ",
        )
    with pytest.raises(AttendanceError) as error:
        attendance_correct(
            session=sessions[0],
            enrolment=enrolments[0],
            status="present",
            actor=instructor,
            reason="I forgot",
        )
    assert error.value.code == "not_staff"
    assert AttendanceRecord.objects.get().status == "absent"
    record = attendance_correct(
        session=sessions[0],
        enrolment=enrolments[0],
        status="present",
        actor=staff_member,
        reason="Signed paper register shows her present",
    )
    assert record.status == "present"
    assert record.source == AttendanceSource.STAFF
    history = register_history(session=sessions[0])
    assert history[0].action == "makers.attendance.correct"
    assert history[0].data["reason"] == "Signed paper register shows her present"
    assert history[0].data["old_status"] == "absent"
    assert history[0].user_id == staff_member.pk


# --- Self check-in -----------------------------------------------------------


def test_check_in_marks_present_then_refuses_the_same_code(running, instructor):
    _, sessions, enrolments = running
    token = checkin_token_make(session=sessions[2])
    trainee = enrolments[0].trainee
    with time_machine.travel(rome_at(0, hour=9, minute=5), tick=False):
        token = checkin_token_make(session=sessions[2])
        record = attendance_check_in(
            session=sessions[2], token=token, trainee=trainee, device="phone-1"
        )
        assert record.status == "present"
        assert record.source == AttendanceSource.CHECK_IN
        assert record.minutes_present == 240
        assert record.awaits_confirmation
        with pytest.raises(AttendanceError) as error:
            attendance_check_in(
                session=sessions[2], token=token, trainee=trainee, device="phone-1"
            )
        assert error.value.code == "checkin_done"
        # Finding 34: a second device of the same trainee is refused.
        with pytest.raises(AttendanceError) as error:
            attendance_check_in(
                session=sessions[2],
                token=checkin_token_make(session=sessions[2]),
                trainee=trainee,
                device="phone-2",
            )
        assert error.value.code == "checkin_other_device"
        attendance_mark(
            session=sessions[2],
            enrolment=enrolments[0],
            status="present",
            actor=instructor,
        )
        with pytest.raises(AttendanceError) as error:
            attendance_check_in(
                session=sessions[2],
                token=checkin_token_make(session=sessions[2]),
                trainee=trainee,
                device="phone-1",
            )
        assert error.value.code == "checkin_recorded"
    entry = ModelLogEntry.objects.get(action="makers.attendance.check_in")
    assert entry.user_id == trainee.pk


def test_one_device_checks_in_one_trainee_per_session(running):
    """Finding 34: a classmate's phone cannot check in someone else too."""
    _, sessions, enrolments = running
    token = checkin_token_make(session=sessions[2])
    attendance_check_in(
        session=sessions[2], token=token, trainee=enrolments[0].trainee, device="d1"
    )
    with pytest.raises(AttendanceError) as error:
        attendance_check_in(
            session=sessions[2], token=token, trainee=enrolments[1].trainee, device="d1"
        )
    assert error.value.code == "checkin_device_used"
    with pytest.raises(AttendanceError) as error:
        attendance_check_in(
            session=sessions[2], token=token, trainee=enrolments[1].trainee, device=""
        )
    assert error.value.code == "checkin_no_device"
    assert AttendanceRecord.objects.count() == 1


def test_close_is_refused_while_self_check_ins_await_confirmation(running, instructor):
    """Finding 34: the instructor confirms self check-ins (one or all) before
    closing; the refusal names them."""
    _, sessions, enrolments = running
    for n, enrolment in enumerate(enrolments[:2]):
        attendance_check_in(
            session=sessions[2],
            token=checkin_token_make(session=sessions[2]),
            trainee=enrolment.trainee,
            device=f"phone-{n}",
        )
    attendance_mark(
        session=sessions[2], enrolment=enrolments[2], status="absent", actor=instructor
    )
    with pytest.raises(AttendanceError) as error:
        register_close(session=sessions[2], actor=instructor)
    assert error.value.code == "close_unconfirmed"
    assert str(enrolments[0].trainee) in str(error.value)
    assert str(enrolments[1].trainee) in str(error.value)
    assert (
        attendance_confirm_check_ins(
            session=sessions[2], actor=instructor, enrolment=enrolments[0]
        )
        == 1
    )
    with pytest.raises(AttendanceError) as error:
        register_close(session=sessions[2], actor=instructor)
    assert str(enrolments[0].trainee) not in str(error.value)
    assert str(enrolments[1].trainee) in str(error.value)
    assert attendance_confirm_check_ins(session=sessions[2], actor=instructor) == 1
    with pytest.raises(AttendanceError) as error:
        attendance_confirm_check_ins(session=sessions[2], actor=instructor)
    assert error.value.code == "nothing_to_confirm"
    assert register_close(session=sessions[2], actor=instructor).closed_at
    confirmed = AttendanceRecord.objects.filter(source="check_in")
    assert all(r.confirmed_by_id == instructor.pk for r in confirmed)
    assert ModelLogEntry.objects.filter(action="makers.attendance.confirm").count() == 2
    with pytest.raises(AttendanceError):
        attendance_confirm_check_ins(session=sessions[2], actor=enrolments[0].trainee)


def test_close_with_trainees_unmarked_needs_the_instructors_word(running, instructor):
    """Finding 5: closing with trainees unmarked names them and needs an
    explicit confirmation."""
    _, sessions, enrolments = running
    attendance_mark(
        session=sessions[2], enrolment=enrolments[0], status="present", actor=instructor
    )
    with pytest.raises(AttendanceError) as error:
        register_close(session=sessions[2], actor=instructor)
    assert error.value.code == "close_unmarked"
    for enrolment in enrolments[1:]:
        assert str(enrolment.trainee) in str(error.value)
    assert str(enrolments[0].trainee) not in str(error.value)
    assert not SessionRegister.objects.filter(closed_at__isnull=False).exists()
    register = register_close(
        session=sessions[2], actor=instructor, allow_unmarked=True
    )
    assert register.closed_at


def test_check_in_after_the_grace_period_is_late(running):
    _, sessions, enrolments = running
    token = checkin_token_make(session=sessions[2])  # at 10:00
    record = attendance_check_in(
        session=sessions[2], token=token, trainee=enrolments[0].trainee, device="p"
    )
    assert record.status == "late"
    assert record.minutes_present == 180


def test_check_in_code_expires(running):
    _, sessions, enrolments = running
    token = checkin_token_make(session=sessions[2])
    later = rome_at(0, hour=10) + datetime.timedelta(
        seconds=CHECKIN_MAX_AGE_SECONDS + 1
    )
    with (
        time_machine.travel(later, tick=False),
        pytest.raises(AttendanceError) as error,
    ):
        attendance_check_in(
            session=sessions[2], token=token, trainee=enrolments[0].trainee, device="p"
        )
    assert error.value.code == "checkin_expired"
    assert not AttendanceRecord.objects.exists()


def test_check_in_code_of_another_session_or_edition_is_refused(running):
    _, sessions, enrolments = running
    other_edition, other_sessions, _ = edition_running()
    for token in (
        checkin_token_make(session=sessions[1]),
        checkin_token_make(session=other_sessions[2]),
        "garbage",
        "",
    ):
        with pytest.raises(AttendanceError) as error:
            attendance_check_in(
                session=sessions[2],
                token=token,
                trainee=enrolments[0].trainee,
                device="p",
            )
        assert error.value.code == "checkin_invalid"
    assert not AttendanceRecord.objects.exists()


def test_check_in_by_someone_not_confirmed_is_refused(running):
    edition, sessions, _ = running
    token = checkin_token_make(session=sessions[2])
    outsider = TraineeFactory()
    waitlisted = ConfirmedEnrolmentFactory(
        edition=edition, status=EnrolmentStatus.CANCELLED
    ).trainee
    for person in (outsider, waitlisted):
        with pytest.raises(AttendanceError) as error:
            attendance_check_in(
                session=sessions[2], token=token, trainee=person, device="p"
            )
        assert error.value.code == "not_confirmed"


def test_check_in_outside_the_session_is_refused(running, instructor):
    _, sessions, enrolments = running
    trainee = enrolments[0].trainee
    with time_machine.travel(rome_at(0, hour=8, minute=30), tick=False):
        token = checkin_token_make(session=sessions[2])
        with pytest.raises(AttendanceError) as error:
            attendance_check_in(
                session=sessions[2], token=token, trainee=trainee, device="p"
            )
        assert error.value.code == "checkin_closed"
    with time_machine.travel(rome_at(0, hour=8, minute=50), tick=False):
        token = checkin_token_make(session=sessions[2])
        assert attendance_check_in(
            session=sessions[2], token=token, trainee=trainee, device="p"
        )
    attendance_confirm_check_ins(session=sessions[2], actor=instructor)
    register_close(session=sessions[2], actor=instructor, allow_unmarked=True)
    token = checkin_token_make(session=sessions[2])
    with pytest.raises(AttendanceError) as error:
        attendance_check_in(
            session=sessions[2], token=token, trainee=enrolments[1].trainee, device="q"
        )
    assert error.value.code == "checkin_closed"


def test_instructor_corrects_a_check_in(running, instructor):
    _, sessions, enrolments = running
    trainee = enrolments[0].trainee
    attendance_check_in(
        session=sessions[2],
        token=checkin_token_make(session=sessions[2]),
        trainee=trainee,
        device="p",
    )
    record = attendance_mark(
        session=sessions[2], enrolment=enrolments[0], status="absent", actor=instructor
    )
    assert record.status == "absent"
    assert record.source == AttendanceSource.REGISTER


# --- Assessments -------------------------------------------------------------


@pytest.fixture
def assessed(instructor):
    competencies = [CompetencyFactory(), CompetencyFactory()]
    course = CoursePageFactory(competencies=competencies)
    edition, sessions, enrolments = edition_running(
        course=course, instructor=instructor
    )
    return edition, competencies, enrolments


def test_assessment_recorded_and_changed(assessed, instructor):
    _, competencies, enrolments = assessed
    assessment = assessment_record(
        enrolment=enrolments[0],
        competency=competencies[0],
        achieved=True,
        score="85",
        note="Ottimo",
        actor=instructor,
    )
    assert assessment.score == 85
    assessment_record(
        enrolment=enrolments[0],
        competency=competencies[0],
        achieved=False,
        actor=instructor,
    )
    stored = Assessment.objects.get()
    assert (stored.achieved, stored.score, stored.assessed_by) == (
        False,
        None,
        instructor,
    )
    assert ModelLogEntry.objects.filter(action="makers.assessment.record").count() == 2


def test_assessment_refusals(assessed, instructor):
    edition, competencies, enrolments = assessed
    cases = [
        ({"actor": InstructorFactory()}, "not_allowed"),
        ({"actor": enrolments[1].trainee}, "not_allowed"),
        ({"competency": CompetencyFactory()}, "competency_not_in_course"),
        ({"score": 101}, "bad_score"),
        ({"score": "-1"}, "bad_score"),
        ({"score": "x"}, "bad_score"),
        (
            {
                "enrolment": ConfirmedEnrolmentFactory(
                    edition=edition, status="waitlisted", waitlist_position=1
                )
            },
            "not_confirmed",
        ),
    ]
    for override, code in cases:
        kwargs = {
            "enrolment": enrolments[0],
            "competency": competencies[0],
            "achieved": True,
            "actor": instructor,
            **override,
        }
        with pytest.raises(AttendanceError) as error:
            assessment_record(**kwargs)
        assert error.value.code == code
    assert not Assessment.objects.exists()


def test_staff_record_assessments(assessed, staff_member):
    _, competencies, enrolments = assessed
    assessment_record(
        enrolment=enrolments[0],
        competency=competencies[1],
        achieved=True,
        actor=staff_member,
    )
    assert Assessment.objects.count() == 1


def test_superuser_staff_factory_may_correct(running):
    _, sessions, enrolments = running
    attendance_correct(
        session=sessions[0],
        enrolment=enrolments[0],
        status="excused",
        actor=StaffFactory(),
        reason="Medical certificate",
    )
    assert AttendanceRecord.objects.get().status == AttendanceStatus.EXCUSED
