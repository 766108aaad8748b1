"""The attendance figures: % of minutes of non-cancelled sessions, excused as
absent, mandatory sessions, reachability, and a constant number of queries."""

import datetime

import pytest

from attendance.models import AttendanceRecord
from attendance.selectors import (
    edition_attendance,
    enrolments_attendance,
    instructor_teaching,
    register_history,
    session_register,
    sessions_with_register,
)
from attendance.services import attendance_mark, register_close
from tests.factories import (
    ConfirmedEnrolmentFactory,
    CourseEditionFactory,
    InstructorFactory,
    SessionFactory,
    edition_running,
    rome_at,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_ten_in_rome")]


def _record(enrolment, session, status, minutes=None):
    if minutes is None:
        minutes = session.duration_minutes if status == "present" else 0
    return AttendanceRecord.objects.create(
        enrolment=enrolment,
        session=session,
        status=status,
        minutes_present=minutes,
        recorded_at=rome_at(0),
    )


def _figures(edition, enrolment):
    summary = edition_attendance(edition=edition)
    return next(t for t in summary.trainees if t.enrolment.pk == enrolment.pk)


def test_percent_is_minutes_over_minutes_of_held_sessions():
    edition, sessions, (first, *_) = edition_running()
    # Five sessions of 240 minutes: two past, today, next week = 4 counted + ...
    _record(first, sessions[0], "present")
    _record(first, sessions[1], "late", 120)
    figures = _figures(edition, first)
    assert figures.minutes_total == 4 * 240
    assert figures.minutes_present == 360
    assert figures.percent == 37.5
    # Today (running) and next week still to come.
    assert figures.minutes_remaining == 480
    assert not figures.meets_minimum
    # 360 + 480 = 840 of 960 = 87.5 % >= 80 %.
    assert figures.reachable
    assert not figures.at_risk


def test_excused_counts_as_absent():
    edition, sessions, (first, second, _) = edition_running()
    _record(first, sessions[0], "excused")
    _record(second, sessions[0], "absent")
    a, b = _figures(edition, first), _figures(edition, second)
    assert a.minutes_present == b.minutes_present == 0
    assert a.reachable == b.reachable
    assert a.percent == b.percent == 0


def test_cancelling_a_session_recomputes_everyone():
    edition, sessions, enrolments = edition_running(min_attendance_percent=75)
    for enrolment in enrolments:
        _record(enrolment, sessions[0], "present")
    _record(enrolments[0], sessions[1], "absent")
    before = _figures(edition, enrolments[0])
    assert (before.minutes_total, before.reachable) == (960, True)
    sessions[1].cancelled = True
    sessions[1].save()
    after = _figures(edition, enrolments[0])
    assert after.minutes_total == 720
    assert after.percent == pytest.approx(33.3)
    assert _figures(edition, enrolments[1]).minutes_total == 720


def test_missed_mandatory_session_is_ineligible_whatever_the_percent():
    edition, sessions, (first, second, third) = edition_running(
        past=3, min_attendance_percent=50
    )
    sessions[0].mandatory = True
    sessions[0].save()
    for session in sessions[1:4]:
        _record(first, session, "present")
        _record(second, session, "present")
    _record(first, sessions[0], "excused")
    figures = _figures(edition, first)
    assert figures.percent == 60.0
    assert figures.meets_minimum
    assert figures.missed_mandatory == [sessions[0]]
    assert not figures.eligible
    assert figures.at_risk
    # Unrecorded is never missed, but the certificate waits for the record.
    waiting = _figures(edition, second)
    assert waiting.missed_mandatory == []
    assert waiting.unrecorded_mandatory == [sessions[0]]
    assert waiting.meets_minimum and not waiting.eligible
    # The third attended the mandatory one.
    _record(third, sessions[0], "present")
    assert _figures(edition, third).missed_mandatory == []


def test_minimum_out_of_reach_is_flagged():
    edition, sessions, (first, *_) = edition_running(past=3)
    for session in sessions[:3]:
        _record(first, session, "absent")
    figures = _figures(edition, first)
    # 3 of 5 sessions missed: at best 40 %.
    assert not figures.reachable
    assert figures.at_risk
    assert first in [t.enrolment for t in edition_attendance(edition=edition).at_risk]


def test_exactly_the_minimum_meets_it():
    edition, sessions, (first, *_) = edition_running(past=4, min_attendance_percent=80)
    sessions[5].delete()  # next week's
    for session in sessions[:4]:
        _record(first, session, "present")
    _record(first, sessions[4], "absent")
    figures = _figures(edition, first)
    assert figures.percent == 80.0
    assert figures.meets_minimum
    assert figures.eligible


def test_record_longer_than_a_shortened_session_counts_its_length():
    edition, sessions, (first, *_) = edition_running(past=1)
    _record(first, sessions[0], "present")
    sessions[0].end = sessions[0].start + datetime.timedelta(hours=2)
    sessions[0].save()
    assert _figures(edition, first).minutes_present == 120


def test_no_sessions_yet_and_all_cancelled():
    empty = CourseEditionFactory(sessions=0)
    enrolment = ConfirmedEnrolmentFactory(edition=empty)
    figures = _figures(empty, enrolment)
    assert figures.percent is None
    assert figures.reachable
    assert not figures.meets_minimum
    assert not figures.at_risk
    cancelled = CourseEditionFactory(sessions=2)
    cancelled.sessions.update(cancelled=True)
    enrolment = ConfirmedEnrolmentFactory(edition=cancelled)
    figures = _figures(cancelled, enrolment)
    assert (figures.minutes_total, figures.percent) == (0, None)


def test_late_enrolment_sessions_before_it_count_once_recorded_absent():
    edition, sessions, _ = edition_running(past=2)
    late = ConfirmedEnrolmentFactory(edition=edition)
    _record(late, sessions[2], "present")
    figures = _figures(edition, late)
    assert figures.minutes_present == 240
    assert figures.minutes_total == 960
    # Not recorded: not missed yet.
    assert figures.reachable
    for session in sessions[:2]:
        _record(late, session, "absent")
    # At best today + next week = 480 / 960.
    assert not _figures(edition, late).reachable


def test_unrecorded_sessions_are_never_missed_and_the_spare_is_counted():
    """Finding 6: every session "not recorded yet" (two of them over, one
    mandatory) is neither a missed mandatory session nor out of reach, and the
    trainee is told how much may still be missed."""
    edition, sessions, (first, *_) = edition_running(past=2, min_attendance_percent=50)
    sessions[0].mandatory = True
    sessions[0].save()
    figures = _figures(edition, first)
    assert figures.missed_mandatory == []
    assert not figures.at_risk
    assert figures.reachable
    assert figures.minutes_remaining == 960
    # 50 % of 960 = 480 needed: 480 minutes to spare, two of the three
    # sessions that are not mandatory (240 each).
    assert (figures.minutes_to_spare, figures.sessions_to_spare) == (480, 2)
    _record(first, sessions[1], "late", 118)
    figures = _figures(edition, first)
    assert (figures.minutes_to_spare, figures.sessions_to_spare) == (358, 1)
    _record(first, sessions[2], "absent")
    figures = _figures(edition, first)
    # 118 + 480 remaining = 598: 118 to spare, not a whole session.
    assert (figures.minutes_to_spare, figures.sessions_to_spare) == (118, 0)
    assert figures.reachable


def test_only_confirmed_trainees_are_in_the_summary():
    edition, _, enrolments = edition_running()
    ConfirmedEnrolmentFactory(edition=edition, status="cancelled")
    summary = edition_attendance(edition=edition)
    assert {t.enrolment.pk for t in summary.trainees} == {e.pk for e in enrolments}


@pytest.mark.parametrize("trainees", [10, 40])
def test_edition_summary_runs_three_queries(trainees, django_assert_num_queries):
    edition, sessions, enrolments = edition_running(trainees=trainees, past=10)
    for enrolment in enrolments:
        for session in sessions[:10]:
            _record(enrolment, session, "present")
    with django_assert_num_queries(3):
        summary = edition_attendance(edition=edition)
        assert len(summary.trainees) == trainees
        assert all(t.percent is not None for t in summary.trainees)


def test_enrolments_attendance_for_several_editions(django_assert_num_queries):
    first, s1, (a, *_) = edition_running()
    second, s2, (b, *_) = edition_running()
    _record(a, s1[0], "present")
    enrolments = [
        type(a).objects.select_related("edition").get(pk=pk) for pk in (a.pk, b.pk)
    ]
    with django_assert_num_queries(1):
        figures = enrolments_attendance(enrolments=enrolments)
    assert figures[a.pk].minutes_present == 240
    assert figures[b.pk].minutes_present == 0


def test_session_register_lists_confirmed_trainees_with_marks(
    django_assert_num_queries,
):
    instructor = InstructorFactory()
    edition, sessions, enrolments = edition_running(instructor=instructor)
    attendance_mark(
        session=sessions[2], enrolment=enrolments[1], status="present", actor=instructor
    )
    session = sessions_with_register().get(pk=sessions[2].pk)
    with django_assert_num_queries(2):
        register = session_register(session=session)
    assert [row.enrolment.pk for row in register.rows] == sorted(
        (e.pk for e in enrolments),
        key=lambda pk: next(
            (e.trainee.last_name, e.trainee.first_name, e.pk)
            for e in enrolments
            if e.pk == pk
        ),
    )
    assert register.marked == 1
    assert not register.locked
    assert len(register_history(session=session)) == 1


def test_instructor_teaching_splits_today_upcoming_and_open_past():
    instructor = InstructorFactory()
    edition, sessions, _ = edition_running(instructor=instructor, past=2)
    guest_edition = CourseEditionFactory(sessions=0)
    guest_session = SessionFactory(
        edition=guest_edition,
        instructor=instructor,
        start=rome_at(-1, hour=14),
        end=rome_at(-1, hour=18),
    )
    SessionFactory(edition=CourseEditionFactory(sessions=0), start=rome_at(0, hour=14))
    register_close(session=guest_session, actor=instructor)
    teaching = instructor_teaching(instructor=instructor)
    assert [t.session for t in teaching.today] == [sessions[2]]
    assert [t.session for t in teaching.upcoming] == [sessions[3]]
    # Past sessions a week ago are locked; the guest one was closed.
    assert teaching.open_past == []
    assert {e.pk for e in teaching.editions} == {edition.pk, guest_edition.pk}


@pytest.mark.parametrize("language", ["it", "en"])
def test_attendance_codes_are_distinct_in_every_language(language):
    """Finding 2: a register's codes never repeat ("A" for absent and excused)."""
    from django.utils import translation

    from attendance.models import ATTENDANCE_CODES, attendance_legend

    with translation.override(language):
        codes = [str(code) for code in ATTENDANCE_CODES.values()]
        legend = attendance_legend()
    assert len(set(codes)) == len(codes) == 5
    assert [code for code, _ in legend] == codes
