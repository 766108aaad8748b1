"""Finding 17: an instructor teaches one session at a time. The edition
services refuse a session (created, moved, or in the edition editor) whose
instructor teaches another session then, with a message naming both."""

import datetime as dt

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from courses.exceptions import EditionError
from courses.models import CourseEdition, EditionStatus, Session
from courses.services import (
    edition_cancel,
    edition_reopen,
    session_create,
    session_move,
)
from people.models import Role
from people.services import roles_sync
from tests.factories import (
    CourseEditionFactory,
    InstructorFactory,
    SessionFactory,
    UserFactory,
    rome_at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher():
    return InstructorFactory(first_name="Giulia", last_name="Ferri")


@pytest.fixture
def busy(teacher):
    """Giulia teaches 09:00-13:00 in 30 days, in an edition of her own."""
    edition = CourseEditionFactory(sessions=0, code="CNC-2026-1")
    edition.instructors.set([teacher])
    edition.save()
    SessionFactory(edition=edition, start=rome_at(30, hour=9), topic="Cicli fissi")
    return edition


def test_a_session_at_the_same_time_is_refused_with_a_clear_message(teacher, busy):
    other = CourseEditionFactory(sessions=0)
    with pytest.raises(EditionError) as refused:
        session_create(
            edition=other,
            start=rome_at(30, hour=11),
            end=rome_at(30, hour=15),
            topic="Sicurezza",
            instructor=teacher,
        )
    message = str(refused.value)
    assert "Giulia Ferri" in message
    assert "Cicli fissi" in message and "CNC-2026-1" in message
    assert "09:00–13:00" in message
    assert not Session.objects.filter(edition=other).exists()


def test_the_edition_instructors_teach_a_session_that_names_nobody(teacher, busy):
    other = CourseEditionFactory(sessions=0)
    other.instructors.set([teacher])
    other.save()
    with pytest.raises(EditionError):
        session_create(
            edition=other,
            start=rome_at(30, hour=12),
            end=rome_at(30, hour=16),
            topic="Sicurezza",
        )


def test_back_to_back_or_someone_else_is_fine(teacher, busy):
    other = CourseEditionFactory(sessions=0)
    after = session_create(
        edition=other,
        start=rome_at(30, hour=13),
        end=rome_at(30, hour=17),
        topic="Dopo pranzo",
        instructor=teacher,
    )
    colleague = session_create(
        edition=other,
        start=rome_at(30, hour=9),
        end=rome_at(30, hour=12),
        topic="Con un collega",
        instructor=InstructorFactory(),
    )
    assert after.pk and colleague.pk


def test_cancelled_sessions_and_editions_take_nobody_s_time(teacher, busy):
    Session.objects.filter(edition=busy).update(cancelled=True)
    other = CourseEditionFactory(sessions=0)
    session = session_create(
        edition=other,
        start=rome_at(30, hour=9),
        end=rome_at(30, hour=13),
        topic="Al suo posto",
        instructor=teacher,
    )
    assert session.pk


def test_moving_a_session_onto_another_is_refused(teacher, busy):
    other = CourseEditionFactory(sessions=0)
    session = session_create(
        edition=other,
        start=rome_at(31, hour=9),
        end=rome_at(31, hour=13),
        topic="Sicurezza",
        instructor=teacher,
    )
    with pytest.raises(EditionError):
        session_move(
            session=session, start=rome_at(30, hour=10), end=rome_at(30, hour=14)
        )
    session.refresh_from_db()
    assert session.start == rome_at(31, hour=9)
    moved = session_move(
        session=session, start=rome_at(31, hour=14), end=rome_at(31, hour=18)
    )
    assert moved.sequence == 1


# The edition editor (the inline sessions of the Wagtail admin).


@pytest.fixture
def staff(db):
    roles_sync()
    return UserFactory(role=Role.STAFF)


def editor_form(edition, sessions, **changes):
    def local(value: dt.datetime) -> str:
        return value.astimezone().strftime("%Y-%m-%d %H:%M")

    data = {
        "course": edition.course_id,
        "code": edition.code,
        "capacity": edition.capacity,
        "enrolment_opens_at": local(edition.enrolment_opens_at),
        "enrolment_closes_at": local(edition.enrolment_closes_at),
        "venue": edition.venue_id,
        "offer_hours": edition.offer_hours,
        "min_attendance_percent": edition.min_attendance_percent,
        "notes": "",
        "sessions": inline_formset(
            [
                {
                    **({"id": s["id"]} if "id" in s else {}),
                    "start": local(s["start"]),
                    "end": local(s["end"]),
                    "topic": s["topic"],
                    "room": "Aula 1",
                    "instructor": s.get("instructor", ""),
                    **({"cancelled": "on"} if s.get("cancelled") else {}),
                }
                for s in sessions
            ],
            initial=sum(1 for s in sessions if "id" in s),
        ),
    }
    instructors = changes.pop(
        "instructors", [user.pk for user in edition.instructors.all()]
    )
    # A multiple choice: a list of values, as the browser posts it.
    return {**nested_form_data({**data, **changes}), "instructors": instructors}


def edit_url(edition) -> str:
    return reverse(
        CourseEdition.snippet_viewset.get_url_name("edit"), args=[edition.pk]
    )


def test_the_editor_refuses_a_clash_and_keeps_the_sessions(
    client, site, staff, teacher, busy
):
    edition = CourseEditionFactory(sessions=1)
    stored = edition.sessions.get()
    client.force_login(staff)
    sessions = [
        {"id": stored.pk, "start": stored.start, "end": stored.end, "topic": "A"},
        {
            "start": rome_at(30, hour=10),
            "end": rome_at(30, hour=12),
            "topic": "Nuova",
            "instructor": teacher.pk,
        },
    ]
    response = client.post(edit_url(edition), editor_form(edition, sessions))
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert any("Giulia Ferri" in error and "CNC-2026-1" in error for error in errors)
    assert "Giulia Ferri" in response.content.decode()
    assert edition.sessions.count() == 1

    sessions[1]["start"], sessions[1]["end"] = (
        rome_at(30, hour=14),
        rome_at(30, hour=18),
    )
    saved = client.post(edit_url(edition), editor_form(edition, sessions))
    assert saved.status_code == 302, saved.context["form"].errors
    assert edition.sessions.count() == 2


def test_the_editor_refuses_two_of_its_sessions_at_once_for_its_instructor(
    client, site, staff, teacher
):
    edition = CourseEditionFactory(sessions=0)
    client.force_login(staff)
    start = rome_at(40, hour=9)
    sessions = [
        {"start": start, "end": start + dt.timedelta(hours=4), "topic": "A"},
        {
            "start": start + dt.timedelta(hours=2),
            "end": start + dt.timedelta(hours=5),
            "topic": "B",
        },
    ]
    # Nobody teaches them yet: no clash. Naming the edition's instructor makes one.
    response = client.post(
        edit_url(edition), editor_form(edition, sessions, instructors=[teacher.pk])
    )
    assert response.status_code == 200
    assert any(
        "Giulia Ferri" in error for error in response.context["form"].non_field_errors()
    )
    assert not edition.sessions.exists()
    assert CourseEdition.objects.get(pk=edition.pk).status == EditionStatus.OPEN


def test_reopening_a_cancelled_edition_whose_instructor_is_now_busy_is_refused(
    teacher,
):
    staff = UserFactory()
    edition = CourseEditionFactory(sessions=0)
    edition.instructors.set([teacher])
    edition.save()
    SessionFactory(edition=edition, start=rome_at(30, hour=9), topic="Prima")
    edition_cancel(edition=edition, actor=staff, reason="Aula inagibile")
    other = CourseEditionFactory(sessions=0)
    session_create(
        edition=other,
        start=rome_at(30, hour=9),
        end=rome_at(30, hour=13),
        topic="Al suo posto",
        instructor=teacher,
    )
    with pytest.raises(EditionError) as refused:
        edition_reopen(edition=edition, actor=staff, reason="Aula di nuovo agibile")
    assert "Giulia Ferri" in str(refused.value)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.CANCELLED


def test_the_editor_lets_a_cancelled_session_give_its_time_to_another(
    client, site, staff, teacher
):
    edition = CourseEditionFactory(sessions=0)
    edition.instructors.set([teacher])
    edition.save()
    stored = SessionFactory(edition=edition, start=rome_at(40, hour=9), topic="A")
    client.force_login(staff)
    sessions = [
        {
            "id": stored.pk,
            "start": stored.start,
            "end": stored.end,
            "topic": "A",
            "cancelled": True,
        },
        {"start": stored.start, "end": stored.end, "topic": "B"},
    ]
    response = client.post(edit_url(edition), editor_form(edition, sessions))
    assert response.status_code == 302, response.context["form"].errors
    assert list(
        edition.sessions.order_by("topic").values_list("topic", "cancelled")
    ) == [("A", True), ("B", False)]
