import pytest
from django.urls import reverse
from django.utils import translation

from enrolment import services
from enrolment.models import Enrolment, EnrolmentStatus
from tests.factories import (
    CompanyMemberFactory,
    CourseEditionFactory,
    TraineeFactory,
)

from .helpers import enrol

pytestmark = pytest.mark.django_db

S = EnrolmentStatus


# --- anonymous -----------------------------------------------------------------


@pytest.mark.parametrize(
    "name,args",
    [
        ("enrolment:my_courses", []),
        ("enrolment:cancel", [1]),
        ("enrolment:offer", ["token"]),
        ("portal:company", []),
    ],
)
def test_anonymous_goes_to_login(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_anonymous_enrol_post_goes_to_login(client, edition):
    response = client.post(reverse("enrolment:enrol", args=[edition.pk]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Enrolment.objects.exists()


# --- course page --------------------------------------------------------------


def test_course_page_offers_login_to_anonymous(client, edition):
    response = client.get(edition.course.url)
    assert response.status_code == 200
    assert f"{reverse('account_login')}?next=" in response.content.decode()


def _own_part(client, edition) -> str:
    """What site.js fetches for a signed-in person on a course page."""
    return client.get(
        reverse("portal:fragments"),
        {"editions": str(edition.pk), "next": edition.course.url},
    ).content.decode()


def test_course_page_shows_form_then_status(client, trainee):
    edition = CourseEditionFactory(capacity=1)
    CourseEditionFactory(course=edition.course)
    client.force_login(trainee)
    page = client.get(edition.course.url).content.decode()
    assert f'data-island-edition="{edition.pk}"' in page
    assert reverse("enrolment:enrol", args=[edition.pk]) in _own_part(client, edition)

    response = client.post(
        reverse("enrolment:enrol", args=[edition.pk]),
        {"next": edition.course.url},
        follow=True,
    )
    assert Enrolment.objects.get(trainee=trainee).status == S.CONFIRMED
    html = response.content.decode()
    assert "confermat" in html.lower() or "confirmed" in html.lower()
    own = _own_part(client, edition)
    assert reverse("enrolment:enrol", args=[edition.pk]) not in own
    assert reverse("enrolment:my_courses") in own


def test_course_page_reads_enrolments_once_for_many_editions(
    client, trainee, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    edition = CourseEditionFactory()
    client.force_login(trainee)

    def own_part(editions):
        ids = ",".join(str(e.pk) for e in editions)
        return client.get(reverse("portal:fragments"), {"editions": ids})

    own_part([edition])  # warm caches (site, settings)
    with CaptureQueriesContext(connection) as one:
        own_part([edition])
    more = [edition] + [CourseEditionFactory(course=edition.course) for _ in range(3)]
    with CaptureQueriesContext(connection) as four:
        own_part(more)
    mine = [q for q in four.captured_queries if '"enrolment_enrolment"' in q["sql"]]
    assert len(mine) == 1
    # Other apps' per-edition queries aside, enrolment adds none per edition.
    assert (
        len([q for q in one.captured_queries if "enrolment_enrolment" in q["sql"]]) == 1
    )


def test_enrol_waitlist_message_gives_the_position(client):
    edition = CourseEditionFactory(capacity=1)
    enrol(edition)
    trainee = TraineeFactory(language="en")
    client.force_login(trainee)
    response = client.post(reverse("enrolment:enrol", args=[edition.pk]), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("1" in m and ("waitlist" in m or "attesa" in m) for m in messages)


def test_a_failed_audit_write_after_commit_keeps_the_enrolment_and_its_answer(
    client, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    """The new enrolment's audit entry and email are queued after commit: if that
    fails, the trainee is still enrolled and told so, and the failure is logged."""

    class BrokenQueue:
        @staticmethod
        def enqueue(**kwargs):
            raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("enrolment.tasks.enrolment_changes_record", BrokenQueue)
    edition = CourseEditionFactory(capacity=1)
    trainee = TraineeFactory(language="en")
    client.force_login(trainee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enrolment:enrol", args=[edition.pk]))
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(trainee=trainee, edition=edition)
    assert enrolment.status == EnrolmentStatus.CONFIRMED
    assert "audit store unavailable" in caplog.text


def test_enrol_refusal_is_shown_and_nothing_stored(client):
    trainee = TraineeFactory(verified=False)
    edition = CourseEditionFactory()
    client.force_login(trainee)
    response = client.post(reverse("enrolment:enrol", args=[edition.pk]), follow=True)
    messages = list(response.context["messages"])
    assert messages and messages[0].level_tag == "error"
    assert not Enrolment.objects.exists()


# --- my courses and cancel --------------------------------------------------------


def test_my_courses_lists_only_mine(client, trainee, django_assert_max_num_queries):
    mine = [enrol(CourseEditionFactory(), trainee)]
    theirs = enrol(CourseEditionFactory())
    client.force_login(trainee)
    # +1 since the header's directory links read the person's company (one query).
    # +1: whether the active enrolments' editions started or ended (one query).
    with django_assert_max_num_queries(12):  # +2: the menu asks for admin access
        response = client.get(reverse("enrolment:my_courses"))
    assert response.status_code == 200
    assert list(response.context["enrolments"]) == mine
    assert theirs.edition.code not in response.content.decode()


def test_my_courses_shows_the_venue_in_the_page_language(client, trainee):
    edition = CourseEditionFactory(
        venue__name="MTC — Laboratorio cobot", venue__name_en="MTC — Cobot lab"
    )
    enrol(edition, trainee)
    client.force_login(trainee)
    with translation.override("en"):
        url_en = reverse("enrolment:my_courses")
    with translation.override("it"):
        url_it = reverse("enrolment:my_courses")
    assert url_en != url_it
    assert "MTC — Cobot lab" in client.get(url_en).content.decode()
    assert "MTC — Laboratorio cobot" in client.get(url_it).content.decode()


def test_my_courses_query_count_does_not_grow(
    client, trainee, django_assert_max_num_queries
):
    editions = [CourseEditionFactory(sessions=0) for _ in range(6)]
    for edition in editions:
        enrol(edition, trainee)
    client.force_login(trainee)
    # +1 since the header's directory links read the person's company (one query).
    # +1: whether the active enrolments' editions started or ended (one query).
    with django_assert_max_num_queries(12):  # +2: the menu asks for admin access
        response = client.get(reverse("enrolment:my_courses"))
    assert response.status_code == 200
    content = response.content.decode()
    for edition in editions:
        assert edition.code in content


def test_cancel_asks_then_cancels(client, trainee):
    enrolment = enrol(CourseEditionFactory(), trainee)
    client.force_login(trainee)
    url = reverse("enrolment:cancel", args=[enrolment.pk])
    page = client.get(url)
    assert page.status_code == 200
    enrolment.refresh_from_db()
    assert enrolment.status == S.CONFIRMED
    response = client.post(url)
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == S.CANCELLED


def test_another_trainee_gets_404_on_cancel(client, trainee):
    enrolment = enrol(CourseEditionFactory(), trainee)
    client.force_login(TraineeFactory())
    url = reverse("enrolment:cancel", args=[enrolment.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status == S.CONFIRMED


# --- offers ------------------------------------------------------------------


@pytest.fixture
def offered():
    edition = CourseEditionFactory(capacity=1)
    first = enrol(edition)
    waiting = enrol(edition)
    services.enrolment_cancel(enrolment=first, actor=None)
    waiting.refresh_from_db()
    return waiting


def test_offer_page_accept(client, offered):
    client.force_login(offered.trainee)
    url = reverse("enrolment:offer", args=[offered.offer_token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "accept"})
    assert response.status_code == 302
    offered.refresh_from_db()
    assert offered.status == S.CONFIRMED
    used = client.post(url, {"action": "accept"})
    assert used.status_code == 409


def test_offer_page_decline(client, offered):
    client.force_login(offered.trainee)
    url = reverse("enrolment:offer", args=[offered.offer_token])
    client.post(url, {"action": "decline"})
    offered.refresh_from_db()
    assert offered.status == S.CANCELLED


def test_offer_of_someone_else_is_refused(client, offered):
    client.force_login(TraineeFactory())
    url = reverse("enrolment:offer", args=[offered.offer_token])
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "accept"}).status_code == 403
    offered.refresh_from_db()
    assert offered.status == S.OFFERED


def test_unknown_offer_is_404(client, trainee):
    client.force_login(trainee)
    assert client.get(reverse("enrolment:offer", args=["nope"])).status_code == 404


# --- company manager ------------------------------------------------------------


def test_company_page_is_404_for_non_managers(client, trainee):
    client.force_login(trainee)
    assert client.get(reverse("portal:company")).status_code == 404
    member = CompanyMemberFactory(is_manager=False)
    client.force_login(member.user)
    assert client.get(reverse("portal:company")).status_code == 404


def test_manager_enrols_an_employee_and_sees_the_status(
    client, edition, django_assert_max_num_queries
):
    manager = CompanyMemberFactory(is_manager=True)
    employee = CompanyMemberFactory(company=manager.company).user
    client.force_login(manager.user)
    response = client.post(
        reverse("portal:company"),
        {
            "company": manager.company.pk,
            "action": "enrol",
            "enrol-employee": employee.pk,
            "enrol-edition": edition.pk,
        },
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(trainee=employee)
    assert enrolment.sponsor_company == manager.company
    # The header's company read and the employees' attendance figures: one each.
    # +2: the menu asks for admin access; +1: the attendance risks (notices).
    with django_assert_max_num_queries(19):
        page = client.get(reverse("portal:company"))
    assert employee.email in page.content.decode() or employee.last_name in (
        page.content.decode()
    )
    assert list(page.context["enrolments"]) == [enrolment]


def test_manager_cannot_pick_someone_outside_the_company(client, edition):
    manager = CompanyMemberFactory(is_manager=True)
    outsider = TraineeFactory()
    client.force_login(manager.user)
    response = client.post(
        reverse("portal:company"),
        {
            "company": manager.company.pk,
            "action": "enrol",
            "enrol-employee": outsider.pk,
            "enrol-edition": edition.pk,
        },
    )
    assert response.status_code == 200
    assert not Enrolment.objects.exists()


def test_manager_invites_by_email(client, edition):
    manager = CompanyMemberFactory(is_manager=True)
    client.force_login(manager.user)
    response = client.post(
        reverse("portal:company"),
        {
            "company": manager.company.pk,
            "action": "invite",
            "invite-email": "New.Person@Example.com",
            "invite-edition": edition.pk,
        },
    )
    assert response.status_code == 302
    invitation = manager.company.enrolment_invitations.get()
    assert invitation.email == "new.person@example.com"


# --- cancelling: only before the edition ends (finding 1) ------------------------


def test_my_courses_offers_no_cancel_for_an_ended_edition(client):
    from tests.factories import edition_completed

    _edition, _sessions, (done,) = edition_completed(trainees=1)
    upcoming = enrol(CourseEditionFactory(), done.trainee)
    client.force_login(done.trainee)
    with translation.override("en"):
        body = client.get(reverse("enrolment:my_courses")).content.decode()
    assert reverse("enrolment:cancel", args=[upcoming.pk]) in body
    assert reverse("enrolment:cancel", args=[done.pk]) not in body


def test_cancel_page_of_an_ended_edition_refuses(client):
    from tests.factories import edition_completed

    _edition, _sessions, (done,) = edition_completed(trainees=1)
    client.force_login(done.trainee)
    with translation.override("en"):
        url = reverse("enrolment:cancel", args=[done.pk])
        page = client.get(url, follow=True)
        body = page.content.decode()
        assert "waitlist" not in body
        assert "has ended" in body
        response = client.post(url, follow=True)
    assert "has ended" in response.content.decode()
    done.refresh_from_db()
    assert done.status == S.CONFIRMED


def test_cancel_page_of_a_started_edition_says_what_it_means(client, trainee):
    import datetime

    from django.utils import timezone

    edition = CourseEditionFactory()
    enrolment = enrol(edition, trainee)
    first = edition.sessions.order_by("start").first()
    first.start = timezone.now() - datetime.timedelta(days=1)
    first.end = first.start + datetime.timedelta(hours=4)
    first.save()
    client.force_login(trainee)
    with translation.override("en"):
        body = client.get(reverse("enrolment:cancel", args=[enrolment.pk])).content
    body = body.decode()
    assert "already started" in body
    assert "certificate" in body
    assert "waitlist" not in body
