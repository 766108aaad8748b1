"""The staff screens in the Wagtail admin: enrolments (listing, inspect, history,
actions with confirmation, an edition's roster and exports) and companies.

Permissions are tested with three people: a member of the Staff role (not a
superuser), someone who may enter the admin but holds no enrolment or company
permission, and an anonymous visitor. Wagtail turns a PermissionDenied inside the
admin into a redirect to the dashboard with an error message; that is what the
second person must get, with nothing changed.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext
from wagtail import hooks
from wagtail.models import ModelLogEntry

from courses.services import edition_capacity_set
from enrolment import services
from enrolment.exceptions import MESSAGES
from enrolment.models import Enrolment, EnrolmentStatus, status_action
from enrolment.selectors import enrolment_history
from people.models import Role
from people.services import roles_sync
from tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    CourseEditionFactory,
    TraineeFactory,
    UserFactory,
)

from .helpers import enrol

pytestmark = pytest.mark.django_db

S = EnrolmentStatus
DENIED = "Sorry, you do not have permission to access this area."


@pytest.fixture
def staff(db):
    roles_sync()
    return UserFactory(role=Role.STAFF, is_staff=False, is_superuser=False)


@pytest.fixture
def admin_only(db):
    """Enters the Wagtail admin, holds no enrolment or company permission."""
    group = Group.objects.create(name="Admin access only")
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    user = UserFactory(is_staff=False, is_superuser=False)
    user.groups.add(group)
    return user


@pytest.fixture
def pending(db):
    edition = CourseEditionFactory(capacity=2, requires_approval=True)
    return enrol(edition)


def url(name, *args):
    return reverse(f"enrolments:{name}", args=args)


def snapshot():
    """What an action could change: every enrolment's status and the audit log
    (but its security events: a sign-in, a denial, are logged by design)."""
    return (
        list(Enrolment.objects.order_by("pk").values_list("pk", "status", "edition")),
        ModelLogEntry.objects.exclude(action__startswith="makers.security.").count(),
    )


def assert_denied(response):
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    shown = [str(m).strip() for m in get_messages(response.wsgi_request)]
    assert gettext(DENIED) in shown


# --- who may see and do what -------------------------------------------------------


def staff_pages(enrolment):
    edition = enrolment.edition
    target = CourseEditionFactory(course=edition.course)
    return {
        "index": (url("index"), None),
        "index filtered": (url("index") + f"?edition={edition.pk}", None),
        "index results": (url("index_results"), None),
        "edition autocomplete": (url("edition_autocomplete") + "?q=E", None),
        "inspect": (url("inspect", enrolment.pk), None),
        "history": (url("history", enrolment.pk), None),
        "approve": (url("approve", enrolment.pk), {}),
        "reject": (url("reject", enrolment.pk), {"reason": "Requisiti mancanti"}),
        "cancel": (url("cancel", enrolment.pk), {"reason": "Richiesta del datore"}),
        "move": (url("move", enrolment.pk), {"edition": target.pk, "reason": "Turno"}),
        "roster": (url("roster", edition.pk), {"email": TraineeFactory().email}),
        "export csv": (url("export", edition.pk, "csv"), None),
        "export xlsx": (url("export", edition.pk, "xlsx"), None),
        "companies": (reverse("wagtailsnippets_people_company:list"), None),
    }


PAGES = [
    "index",
    "index filtered",
    "index results",
    "edition autocomplete",
    "inspect",
    "history",
    "approve",
    "reject",
    "cancel",
    "move",
    "roster",
    "export csv",
    "export xlsx",
    "companies",
]
ACTIONS = ["approve", "reject", "cancel", "move", "roster"]


@pytest.mark.parametrize("page", PAGES)
def test_staff_role_opens_every_page(client, staff, pending, page):
    path, _ = staff_pages(pending)[page]
    client.force_login(staff)
    response = client.get(path)
    assert response.status_code == 200, response.get("Location")


@pytest.mark.parametrize("page", PAGES)
def test_admin_user_without_the_permission_is_turned_away(
    client, admin_only, pending, page
):
    path, _ = staff_pages(pending)[page]
    client.force_login(admin_only)
    assert_denied(client.get(path))


@pytest.mark.parametrize("page", ACTIONS)
def test_admin_user_without_the_permission_cannot_act(
    client, admin_only, pending, page
):
    path, data = staff_pages(pending)[page]
    before = snapshot()
    client.force_login(admin_only)
    assert_denied(client.post(path, data))
    assert snapshot() == before


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_goes_to_login(client, pending, page):
    path, _ = staff_pages(pending)[page]
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


@pytest.mark.parametrize("page", ACTIONS)
def test_anonymous_cannot_act(client, pending, page):
    path, data = staff_pages(pending)[page]
    before = snapshot()
    response = client.post(path, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert snapshot() == before


def test_view_permission_alone_shows_pages_but_no_actions(client, pending):
    """Looking needs view_enrolment; acting needs change_enrolment."""
    group = Group.objects.create(name="Enrolment readers")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_enrolment"],
        )
    )
    reader = UserFactory(is_staff=False, is_superuser=False)
    reader.groups.add(group)
    client.force_login(reader)
    inspect = client.get(url("inspect", pending.pk))
    assert inspect.status_code == 200
    assert inspect.context["actions"] == []
    assert client.get(url("export", pending.edition_id, "csv")).status_code == 200
    roster = client.get(url("roster", pending.edition_id))
    assert roster.status_code == 200
    assert not roster.context["can_act"] and not roster.context["can_add"]
    before = snapshot()
    assert_denied(client.post(url("approve", pending.pk)))
    assert_denied(client.get(url("approve", pending.pk)))
    newcomer = TraineeFactory()
    assert_denied(
        client.post(url("roster", pending.edition_id), {"email": newcomer.email})
    )
    assert snapshot() == before


def test_menu_shows_enrolments_and_companies_to_staff_only(client, staff, admin_only):
    client.force_login(staff)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert url("index") in home
    assert reverse("wagtailsnippets_people_company:list") in home
    client.force_login(admin_only)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert url("index") not in home
    assert reverse("wagtailsnippets_people_company:list") not in home


# --- listing -------------------------------------------------------------------


def test_index_filters_and_searches(client, staff):
    edition = CourseEditionFactory(capacity=1, requires_approval=True)
    other = CourseEditionFactory()
    manager = CompanyMemberFactory(is_manager=True)
    company = manager.company
    employee = CompanyMemberFactory(company=company).user
    sponsored = enrol(
        edition, employee, sponsor_company=company, sponsored_by=manager.user
    )
    waiting = enrol(edition, TraineeFactory(first_name="Ottavia", last_name="Ruggeri"))
    elsewhere = enrol(other)
    client.force_login(staff)

    def listed(query):
        response = client.get(url("index") + query)
        assert response.status_code == 200
        return {e.pk for e in response.context["object_list"]}

    assert listed("") == {sponsored.pk, waiting.pk, elsewhere.pk}
    assert listed(f"?edition={edition.pk}") == {sponsored.pk, waiting.pk}
    assert listed(f"?status={S.WAITLISTED}") == {waiting.pk}
    assert listed(f"?sponsor_company={company.pk}") == {sponsored.pk}
    assert listed("?q=ruggeri") == {waiting.pk}
    assert listed(f"?q={sponsored.trainee.email}") == {sponsored.pk}
    assert listed(f"?q={other.code}") == {elsewhere.pk}


def test_index_filtered_by_edition_links_its_roster(client, staff, pending):
    client.force_login(staff)
    response = client.get(url("index") + f"?edition={pending.edition_id}")
    assert url("roster", pending.edition_id) in response.content.decode()


def test_index_paginates_and_counts_queries(
    client, staff, django_assert_max_num_queries
):
    edition = CourseEditionFactory(capacity=20)
    enrolments = [enrol(edition) for _ in range(40)]
    client.force_login(staff)
    with django_assert_max_num_queries(30):
        response = client.get(url("index"))
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.paginator.count == 40
    # Newest first.
    assert page.object_list[0] == enrolments[-1]
    body = response.content.decode()
    assert enrolments[-1].trainee.email in body
    assert escape(str(S.WAITLISTED.label)) in body


# --- inspect and history ---------------------------------------------------------


def test_inspect_and_history_show_the_audit_trail(client, staff, pending):
    client.force_login(staff)
    services.enrolment_approve(enrolment=pending, actor=staff)
    inspect = client.get(url("inspect", pending.pk))
    assert [e.new_status for e in inspect.context["history"]] == [
        S.PENDING_APPROVAL,
        S.CONFIRMED,
    ]
    assert [a["name"] for a in inspect.context["actions"]] == ["move", "cancel"]
    # The offer token is a secret of the trainee's link: not shown to staff.
    labels = [str(field["label"]) for field in inspect.context["fields"]]
    assert (
        str(capfirst(Enrolment._meta.get_field("offer_token").verbose_name))
        not in labels
    )
    assert str(capfirst(Enrolment._meta.get_field("trainee").verbose_name)) in labels
    history = client.get(url("history", pending.pk))
    assert history.status_code == 200
    actions = [entry.action for entry in history.context["object_list"]]
    assert status_action(S.CONFIRMED) in actions
    assert status_action(S.PENDING_APPROVAL) in actions


def test_inspect_offers_approve_and_reject_while_pending(client, staff, pending):
    client.force_login(staff)
    response = client.get(url("inspect", pending.pk))
    names = [a["name"] for a in response.context["actions"]]
    assert names == ["approve", "reject", "move", "cancel"]
    assert url("approve", pending.pk) in response.content.decode()


# --- actions ---------------------------------------------------------------------


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def last_change(enrolment):
    return enrolment_history(enrolment=enrolment)[-1]


def test_approve_confirms_and_logs_the_staff_member(client, staff, pending):
    client.force_login(staff)
    page = client.get(url("approve", pending.pk))
    assert page.status_code == 200
    assert pending.trainee.email in page.content.decode()
    response = client.post(url("approve", pending.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("inspect", pending.pk)
    # The message names the new status, not the one before the change.
    assert messages_of(response) == [
        gettext("Done: %(status)s") % {"status": gettext(S.CONFIRMED.label)}
    ]
    pending.refresh_from_db()
    assert pending.status == S.CONFIRMED
    change = last_change(pending)
    assert (change.new_status, change.actor) == (S.CONFIRMED, staff)


def test_reject_needs_a_reason(client, staff, pending):
    client.force_login(staff)
    before = snapshot()
    response = client.post(url("reject", pending.pk), {"reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert snapshot() == before

    response = client.post(url("reject", pending.pk), {"reason": "x" * 2001})
    assert response.context["form"].errors["reason"]
    assert snapshot() == before

    response = client.post(
        url("reject", pending.pk), {"reason": "Requisiti mancanti"}, follow=True
    )
    assert messages_of(response) == [
        gettext("Done: %(status)s") % {"status": gettext(S.REJECTED.label)}
    ]
    pending.refresh_from_db()
    assert (pending.status, pending.reason) == (S.REJECTED, "Requisiti mancanti")
    change = last_change(pending)
    assert (change.new_status, change.actor, change.reason) == (
        S.REJECTED,
        staff,
        "Requisiti mancanti",
    )


def test_cancel_with_or_without_reason(client, staff, pending):
    other = enrol(pending.edition)
    client.force_login(staff)
    client.post(url("cancel", pending.pk), {"reason": "Richiesta del datore"})
    client.post(url("cancel", other.pk), {"reason": ""})
    pending.refresh_from_db()
    other.refresh_from_db()
    assert (pending.status, other.status) == (S.CANCELLED, S.CANCELLED)
    assert last_change(pending).reason == "Richiesta del datore"
    assert last_change(other).actor == staff


def test_move_to_another_edition(client, staff, pending):
    target = CourseEditionFactory(course=pending.edition.course)
    client.force_login(staff)
    page = client.get(url("move", pending.pk))
    assert list(page.context["form"].fields["edition"].queryset) == [target]
    response = client.post(
        url("move", pending.pk), {"edition": target.pk, "reason": "Cambio turno"}
    )
    pending.refresh_from_db()
    assert pending.status == S.MOVED and pending.moved_to.edition == target
    assert response["Location"] == url("inspect", pending.moved_to.pk)
    change = last_change(pending)
    assert (change.new_status, change.actor) == (S.MOVED, staff)


def test_move_needs_an_edition_of_the_same_course(client, staff, pending):
    unrelated = CourseEditionFactory()
    client.force_login(staff)
    before = snapshot()
    response = client.post(url("move", pending.pk), {"edition": unrelated.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["edition"]
    assert snapshot() == before


def test_service_refusal_is_a_message_not_an_error(client, staff, pending):
    services.enrolment_approve(enrolment=pending, actor=staff)
    client.force_login(staff)
    before = snapshot()
    response = client.post(url("approve", pending.pk), follow=True)
    assert response.status_code == 200
    assert messages_of(response) == [str(MESSAGES["not_pending"])]
    assert snapshot() == before


def test_action_returns_to_the_roster_it_came_from(client, staff, pending):
    client.force_login(staff)
    roster = url("roster", pending.edition_id)
    response = client.post(url("approve", pending.pk) + f"?next={roster}")
    assert response["Location"] == roster
    response = client.post(
        url("approve", pending.pk), {"next": "https://elsewhere.example/"}
    )
    assert response["Location"] == url("inspect", pending.pk)


# --- roster and exports ---------------------------------------------------------


def test_roster_groups_by_status_and_counts_queries(
    client, staff, django_assert_max_num_queries
):
    edition = CourseEditionFactory(capacity=20, requires_approval=True)
    pending = [enrol(edition) for _ in range(20)]
    waiting = [enrol(edition) for _ in range(20)]
    client.force_login(staff)
    with django_assert_max_num_queries(30):
        response = client.get(url("roster", edition.pk))
    assert response.status_code == 200
    roster = response.context["roster"]
    assert roster.pending == pending
    assert roster.waitlist == waiting
    body = response.content.decode()
    assert f"{gettext('Waitlist')} (20)" in body
    assert url("approve", pending[0].pk) in body


def test_roster_enrols_by_email(client, staff, edition, run_on_commit):
    trainee = TraineeFactory()
    client.force_login(staff)
    with run_on_commit():  # the audit entry of a new enrolment is written then
        response = client.post(url("roster", edition.pk), {"email": trainee.email})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(trainee=trainee)
    assert enrolment.status == S.CONFIRMED
    assert last_change(enrolment).actor == staff


def test_roster_enrol_unknown_email_or_refused(client, staff, edition):
    trainee = TraineeFactory()
    enrol(edition, trainee)
    client.force_login(staff)
    before = snapshot()
    unknown = client.post(url("roster", edition.pk), {"email": "nobody@example.com"})
    assert unknown.status_code == 200
    assert unknown.context["form"].errors["email"]
    twice = client.post(url("roster", edition.pk), {"email": trainee.email})
    assert twice.status_code == 200
    assert twice.context["form"].non_field_errors()
    assert snapshot() == before


def test_exports(client, staff):
    edition = CourseEditionFactory(capacity=1)
    enrolments = [enrol(edition) for _ in range(3)]
    client.force_login(staff)
    csv_response = client.get(url("export", edition.pk, "csv"))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    assert enrolments[2].trainee.email in csv_response.content.decode("utf-8-sig")
    xlsx = client.get(url("export", edition.pk, "xlsx"))
    assert xlsx.content[:2] == b"PK"
    assert client.get(url("export", edition.pk, "pdf")).status_code == 404


def test_editions_snippet_listing_links_each_roster(client, staff, edition):
    client.force_login(staff)
    response = client.get(reverse("wagtailsnippets_courses_courseedition:list"))
    assert url("roster", edition.pk) in response.content.decode()


def test_capacity_raised_through_the_edition_service_offers_seats(staff):
    """The snippet editor's one path (courses.services.edition_capacity_set)
    passes new seats on through enrolment's reaction; no after-edit hook
    fills them a second time."""
    edition = CourseEditionFactory(capacity=1)
    enrol(edition)
    waiting = enrol(edition)
    edition_capacity_set(edition=edition, capacity=2, actor=staff)
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
    assert hooks.get_hooks("after_edit_snippet") == []


# --- companies ------------------------------------------------------------------


def test_company_listing_filters_and_searches(client, staff):
    verified = CompanyFactory(name="Officina Verde S.r.l.")
    unverified = CompanyFactory(name="Fonderia Blu S.p.A.", verified_at=None)
    client.force_login(staff)
    list_url = reverse("wagtailsnippets_people_company:list")

    def listed(query):
        response = client.get(list_url + query)
        assert response.status_code == 200
        return {c.pk for c in response.context["object_list"]}

    assert listed("") == {verified.pk, unverified.pk}
    assert listed("?verified=true") == {verified.pk}
    assert listed("?verified=false") == {unverified.pk}
    assert listed("?q=fonderia") == {unverified.pk}
    assert listed(f"?q={verified.partita_iva}") == {verified.pk}
    body = client.get(list_url).content.decode()
    assert verified.partita_iva in body


def test_company_edit_shows_members_and_verification(client, staff):
    member = CompanyMemberFactory(is_manager=True)
    client.force_login(staff)
    response = client.get(
        reverse("wagtailsnippets_people_company:edit", args=[member.company.pk])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert member.user.email in body
    assert "verified_at" not in response.context["form"].fields
    inspect = client.get(
        reverse("wagtailsnippets_people_company:inspect", args=[member.company.pk])
    )
    assert inspect.status_code == 200


def test_company_pages_need_the_company_permission(client, admin_only):
    company = CompanyFactory()
    client.force_login(admin_only)
    for name in ("edit", "inspect"):
        assert_denied(
            client.get(
                reverse(f"wagtailsnippets_people_company:{name}", args=[company.pk])
            )
        )


def test_staff_cannot_cancel_in_an_ended_edition(client, staff):
    """Finding 1: the inspect view offers no Cancel, and a posted one is refused
    with the service's message."""
    from tests.factories import edition_completed

    _edition, _sessions, (done,) = edition_completed(trainees=1)
    client.force_login(staff)
    inspect = client.get(url("inspect", done.pk))
    assert [a["name"] for a in inspect.context["actions"]] == ["move"]
    response = client.post(url("cancel", done.pk), {"reason": "Errore"})
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(done.edition.code in message for message in shown)
    done.refresh_from_db()
    assert done.status == S.CONFIRMED


def test_history_labels_an_enrolment_by_person_edition_and_status(client, staff):
    """Finding 13: the site history and History views label an enrolment with
    words a person reads, never its row id; the migration relabels old ones."""
    import importlib

    from django.apps import apps

    edition = CourseEditionFactory(code="AM-2026-01")
    trainee = UserFactory(first_name="Davide", last_name="Ruffino")
    enrolment = enrol(edition, trainee)
    services.enrolment_cancel(enrolment=enrolment, actor=staff)
    entries = ModelLogEntry.objects.filter(
        content_type__model="enrolment", object_id=str(enrolment.pk)
    )
    labels = set(entries.values_list("label", flat=True))
    assert labels and all(
        label.startswith("Davide Ruffino · AM-2026-01 · ") for label in labels
    )
    client.force_login(staff)
    body = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Davide Ruffino · AM-2026-01" in body
    assert f"Davide Ruffino · {enrolment.pk} ·" not in body

    entries.update(label=f"Davide Ruffino · {enrolment.pk} · Confermata")
    migration = importlib.import_module(
        "enrolment.migrations.0007_relabel_enrolment_history"
    )
    migration.relabel(apps, None)
    assert set(entries.values_list("label", flat=True)) == {
        "Davide Ruffino · AM-2026-01 · Annullata"
    }
