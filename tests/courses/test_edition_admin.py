"""The edition's staff screens: actions with confirmation, capacity via the editor."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from core.audit import audit_entries
from courses.exceptions import MESSAGES
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
