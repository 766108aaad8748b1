"""core.admin_views.ConfirmWithReasonView, the one confirmation screen of the
staff actions, through a screen of its own (tests/core/confirm_urls.py)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import RequestFactory
from django.urls import reverse
from wagtail.permission_policies import ModelPermissionPolicy

from core.admin_views import ConfirmWithReasonView, ReasonForm
from people.exceptions import PeopleError
from people.models import Company, Role
from people.services import roles_sync
from tests.factories import CompanyFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.confirm_urls")]

DONE: list[tuple[int, str]] = []


class CompanyNoteView(ConfirmWithReasonView):
    """Notes a reason against a company; "refuse" and "invalid" make the
    service refuse, the way an app's service does."""

    model = Company
    permission_policy = ModelPermissionPolicy(Company)
    refusals = (PeopleError,)
    submit_label = "Annota"
    confirmation = "La nota resta nel registro."
    reason_max_length = 20

    def perform(self, form):
        reason = form.cleaned_data["reason"]
        if reason == "refuse":
            raise PeopleError("Rifiutato dal servizio.")
        if reason == "invalid":
            raise ValidationError("Dati non validi.")
        DONE.append((self.object.pk, reason))
        return self.object

    def get_back_url(self):
        return "/admin/"

    def get_success_message(self, result):
        return f"Annotato: {result.name}"


@pytest.fixture(autouse=True)
def _done():
    DONE.clear()


@pytest.fixture
def staff(db):
    roles_sync()
    return UserFactory(role=Role.STAFF)


@pytest.fixture
def company(db):
    return CompanyFactory(name="Officina Alfa")


def url(company):
    return reverse("test_confirm", args=[company.pk])


def test_get_shows_the_object_what_will_happen_and_the_reason(client, staff, company):
    client.force_login(staff)
    response = client.get(url(company))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Officina Alfa" in html
    assert "La nota resta nel registro." in html
    assert 'name="reason"' in html
    assert 'maxlength="20"' in html
    assert response.context["form"].fields["reason"].required


def test_post_with_a_reason_runs_the_service_once_and_says_so(client, staff, company):
    client.force_login(staff)
    response = client.post(url(company), {"reason": "  Controllata  "})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert [(company.pk, "Controllata")] == DONE
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == ["Annotato: Officina Alfa"]


@pytest.mark.parametrize("reason", ["", "   ", "x" * 21])
def test_post_without_a_valid_reason_changes_nothing(client, staff, company, reason):
    client.force_login(staff)
    response = client.post(url(company), {"reason": reason})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert DONE == []


@pytest.mark.parametrize(
    "reason, text", [("refuse", "Rifiutato dal servizio."), ("invalid", "Dati")]
)
def test_a_refusal_of_the_service_is_a_form_error_not_a_500(
    client, staff, company, reason, text
):
    client.force_login(staff)
    response = client.post(url(company), {"reason": reason})
    assert response.status_code == 200
    assert text in " ".join(response.context["form"].non_field_errors())
    assert text in response.content.decode()


def test_a_refusal_can_be_a_message_on_the_page_staff_came_from(
    client, staff, company, monkeypatch
):
    monkeypatch.setattr(CompanyNoteView, "refusal_as_message", True)
    client.force_login(staff)
    response = client.post(url(company), {"reason": "refuse"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == ["Rifiutato dal servizio."]


def test_someone_without_the_permission_is_turned_away(client, company):
    """In the admin, but may not change companies: Wagtail turns a
    PermissionDenied into a redirect to the dashboard; nothing runs."""
    group = Group.objects.create(name="Reception")
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    user = UserFactory()
    user.groups.add(group)
    client.force_login(user)
    for response in (
        client.get(url(company)),
        client.post(url(company), {"reason": "Controllata"}),
    ):
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    assert DONE == []


def test_anonymous_is_sent_to_sign_in(client, company):
    response = client.get(url(company))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_an_unknown_object_is_a_404(client, staff):
    client.force_login(staff)
    assert client.get(reverse("test_confirm", args=[999_999])).status_code == 404


def test_a_screen_without_a_permission_fails_closed(staff, company):
    class Open(CompanyNoteView):
        permission_required = None

    request = RequestFactory().get("/")
    request.user = staff
    with pytest.raises(ImproperlyConfigured):
        Open.as_view()(request, pk=company.pk)


def test_the_reason_can_be_optional_or_absent():
    assert not ReasonForm(reason="optional").fields["reason"].required
    assert "reason" not in ReasonForm(reason="none").fields
    assert ReasonForm({"reason": ""}, reason="optional").is_valid()
