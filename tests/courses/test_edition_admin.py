"""The edition's staff screens: actions with confirmation, capacity via the editor."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from core.audit import audit_entries
from courses.exceptions import MESSAGES, EditionError
from courses.models import CourseEdition, EditionStatus
from enrolment import services as enrolment_services
from enrolment.models import EnrolmentStatus
from people.models import Role
from people.services import roles_sync
from tests.factories import CourseEditionFactory, TraineeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    roles_sync()
    return UserFactory(role=Role.STAFF)


@pytest.fixture
def admin_only(db):
    """Can enter the admin, may not change editions."""
    group = Group.objects.create(name="Reception")
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    user = UserFactory()
    user.groups.add(group)
    return user


def url(edition, action):
    return reverse("courses_edition_action", args=[edition.pk, action])


def test_staff_cancel_an_edition_with_a_reason_after_a_confirmation_page(
    client, site, staff
):
    edition = CourseEditionFactory()
    enrolment = enrolment_services.enrolment_create(
        trainee=TraineeFactory(), edition=edition
    )
    client.force_login(staff)
    page = client.get(url(edition, "cancel"))
    assert page.status_code == 200
    assert edition.code in page.content.decode()

    refused = client.post(url(edition, "cancel"), {"reason": ""})
    assert refused.status_code == 200
    assert refused.context["form"].errors["reason"]
    edition.refresh_from_db()
    assert edition.status == EditionStatus.OPEN

    done = client.post(url(edition, "cancel"), {"reason": "Aula inagibile"})
    assert done.status_code == 302
    edition.refresh_from_db()
    enrolment.refresh_from_db()
    assert edition.status == EditionStatus.CANCELLED
    assert enrolment.status == EnrolmentStatus.CANCELLED
    assert audit_entries(instance=edition).last().user == staff


def test_a_refused_action_is_a_message_not_a_500(client, site, staff):
    edition = CourseEditionFactory()  # its sessions are in the future
    client.force_login(staff)
    response = client.post(url(edition, "complete"))
    assert response.status_code == 200
    with translation.override("it"):  # the admin speaks the default language
        expected = str(MESSAGES["not_finished"])
    assert expected in response.context["form"].non_field_errors()
    edition.refresh_from_db()
    assert edition.status == EditionStatus.OPEN


def test_open_a_draft_edition(client, site, staff):
    edition = CourseEditionFactory(status=EditionStatus.DRAFT)
    client.force_login(staff)
    assert client.post(url(edition, "open")).status_code == 302
    edition.refresh_from_db()
    assert edition.status == EditionStatus.OPEN


@pytest.mark.parametrize("action", ["open", "cancel", "complete", "reopen"])
def test_someone_who_may_enter_the_admin_but_not_change_editions_is_turned_away(
    client, site, admin_only, action
):
    """Wagtail answers a PermissionDenied in the admin with a redirect to the
    dashboard and a "permission denied" message; nothing changes."""
    edition = CourseEditionFactory()
    client.force_login(admin_only)
    assert client.get("/admin/").status_code == 200
    for response in (
        client.get(url(edition, action)),
        client.post(url(edition, action), {"reason": "x"}),
    ):
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    edition.refresh_from_db()
    assert edition.status == EditionStatus.OPEN


def test_anonymous_is_sent_to_sign_in(client, site):
    edition = CourseEditionFactory()
    response = client.get(url(edition, "cancel"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def _edit_form(edition, **changes):
    sessions = [
        {
            "id": s.pk,
            "start": s.start.astimezone().strftime("%Y-%m-%d %H:%M"),
            "end": s.end.astimezone().strftime("%Y-%m-%d %H:%M"),
            "topic": s.topic,
            "room": s.room,
        }
        for s in edition.sessions.order_by("start")
    ]
    data = {
        "course": edition.course_id,
        "code": edition.code,
        "capacity": edition.capacity,
        "enrolment_opens_at": edition.enrolment_opens_at.astimezone().strftime(
            "%Y-%m-%d %H:%M"
        ),
        "enrolment_closes_at": edition.enrolment_closes_at.astimezone().strftime(
            "%Y-%m-%d %H:%M"
        ),
        "venue": edition.venue_id,
        "offer_hours": edition.offer_hours,
        "min_attendance_percent": edition.min_attendance_percent,
        "notes": "",
        "sessions": inline_formset(sessions, initial=len(sessions)),
        **changes,
    }
    return nested_form_data(data)


def test_more_seats_in_the_editor_go_through_the_service_and_reach_the_waitlist(
    client, site, staff
):
    edition = CourseEditionFactory(capacity=1)
    enrolment_services.enrolment_create(trainee=TraineeFactory(), edition=edition)
    waiting = enrolment_services.enrolment_create(
        trainee=TraineeFactory(), edition=edition
    )
    client.force_login(staff)
    edit = reverse(
        CourseEdition.snippet_viewset.get_url_name("edit"), args=[edition.pk]
    )
    response = client.post(edit, _edit_form(edition, capacity=2, status="cancelled"))
    assert response.status_code == 302, response.context["form"].errors
    edition.refresh_from_db()
    waiting.refresh_from_db()
    assert edition.capacity == 2
    assert edition.status == EditionStatus.OPEN  # not a form field
    assert waiting.status == EnrolmentStatus.OFFERED
    entry = audit_entries(instance=edition, prefix="makers.edition.").last()
    assert (entry.action, entry.user) == ("makers.edition.capacity_changed", staff)


def test_fewer_seats_than_taken_is_refused_in_the_editor(client, site, staff):
    edition = CourseEditionFactory(capacity=2)
    for _ in range(2):
        enrolment_services.enrolment_create(trainee=TraineeFactory(), edition=edition)
    client.force_login(staff)
    edit = reverse(
        CourseEdition.snippet_viewset.get_url_name("edit"), args=[edition.pk]
    )
    response = client.post(edit, _edit_form(edition, capacity=1))
    assert response.status_code == 200
    assert " 2 " in str(response.context["form"].errors["capacity"])
    edition.refresh_from_db()
    assert edition.capacity == 2


# --- one path for the capacity (issue 24) ---------------------------------------


def _editor(edition):
    return reverse(
        CourseEdition.snippet_viewset.get_url_name("edit"), args=[edition.pk]
    )


@pytest.fixture
def full_with_two_waiting(db):
    edition = CourseEditionFactory(capacity=1)
    enrolment_services.enrolment_create(trainee=TraineeFactory(), edition=edition)
    waiting = [
        enrolment_services.enrolment_create(trainee=TraineeFactory(), edition=edition)
        for _ in range(2)
    ]
    return edition, waiting


def test_a_failing_reaction_rolls_the_whole_edit_back(
    client, site, staff, full_with_two_waiting, monkeypatch
):
    """The editor's save, the capacity and the seats passed on are one
    transaction: when passing a seat on fails, nothing of the edit is kept."""
    edition, waiting = full_with_two_waiting

    def broken(**kwargs):
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr("enrolment.services.offers.status_change", broken)
    client.force_login(staff)
    with pytest.raises(RuntimeError):
        client.post(
            _editor(edition), _edit_form(edition, capacity=2, notes="Portare i DPI")
        )
    edition.refresh_from_db()
    assert (edition.capacity, edition.notes) == (1, "")
    assert not audit_entries(instance=edition, prefix="makers.edition.").exists()
    assert {e.status for e in waiting} == {EnrolmentStatus.WAITLISTED}
    for enrolment in waiting:
        enrolment.refresh_from_db()
        assert enrolment.status == EnrolmentStatus.WAITLISTED


def test_a_reaction_refusing_is_a_form_error_and_nothing_is_saved(
    client, site, staff, full_with_two_waiting, monkeypatch
):
    edition, _ = full_with_two_waiting

    def refusing(**kwargs):
        raise EditionError("Non ora.", "busy")

    monkeypatch.setattr("enrolment.services.editions.seats_fill", refusing)
    client.force_login(staff)
    response = client.post(
        _editor(edition), _edit_form(edition, capacity=2, notes="Portare i DPI")
    )
    assert response.status_code == 200
    assert "Non ora." in response.context["form"].non_field_errors()
    edition.refresh_from_db()
    assert (edition.capacity, edition.notes) == (1, "")


def test_seats_taken_meanwhile_are_refused_by_the_service_not_a_500(
    client, site, staff, monkeypatch
):
    """The form checks the capacity against the seats it read; the service
    checks again under the row lock. When seats were taken in between (here:
    the form's check is skipped), the service's refusal is the form's error."""
    edition = CourseEditionFactory(capacity=2)
    for _ in range(2):
        enrolment_services.enrolment_create(trainee=TraineeFactory(), edition=edition)
    monkeypatch.setattr(
        "courses.models.editions.edition_capacity_check", lambda **kwargs: None
    )
    client.force_login(staff)
    response = client.post(_editor(edition), _edit_form(edition, capacity=1))
    assert response.status_code == 200
    with translation.override("it"):
        expected = str(MESSAGES["capacity_below_taken"] % {"taken": 2})
    assert expected in response.context["form"].errors["capacity"]
    edition.refresh_from_db()
    assert edition.capacity == 2


def test_new_seats_are_offered_exactly_once(
    client, site, staff, full_with_two_waiting, monkeypatch
):
    edition, (first, second) = full_with_two_waiting
    calls = []
    fill = enrolment_services.editions.seats_fill

    def counted(**kwargs):
        calls.append(kwargs["edition"].pk)
        return fill(**kwargs)

    monkeypatch.setattr("enrolment.services.editions.seats_fill", counted)
    client.force_login(staff)
    response = client.post(_editor(edition), _edit_form(edition, capacity=2))
    assert response.status_code == 302
    assert calls == [edition.pk]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (
        EnrolmentStatus.OFFERED,
        EnrolmentStatus.WAITLISTED,
    )
    offered = audit_entries(instance=first, prefix="makers.enrolment.offered")
    assert offered.count() == 1


def test_an_edit_without_a_new_capacity_passes_no_seat_on(
    client, site, staff, full_with_two_waiting, monkeypatch
):
    edition, _ = full_with_two_waiting
    calls = []
    monkeypatch.setattr(
        "enrolment.services.editions.seats_fill", lambda **kw: calls.append(kw)
    )
    client.force_login(staff)
    response = client.post(_editor(edition), _edit_form(edition, notes="DPI"))
    assert response.status_code == 302
    assert calls == []
    edition.refresh_from_db()
    assert edition.notes == "DPI"


def test_the_editor_keeps_a_status_changed_meanwhile(client, site, staff):
    """The form was read before the edition was cancelled elsewhere: its save
    keeps the stored status and seats taken (the services' own fields)."""
    edition = CourseEditionFactory(capacity=3)
    enrolment_services.enrolment_create(trainee=TraineeFactory(), edition=edition)
    data = _edit_form(edition, notes="Aggiornato")
    CourseEdition.objects.filter(pk=edition.pk).update(
        status=EditionStatus.CANCELLED, seats_taken=0
    )
    client.force_login(staff)
    assert client.post(_editor(edition), data).status_code == 302
    edition.refresh_from_db()
    assert (edition.status, edition.seats_taken, edition.notes) == (
        EditionStatus.CANCELLED,
        0,
        "Aggiornato",
    )
