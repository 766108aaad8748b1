"""Company invitations: the invitee joins the company, and is enrolled by it, only
by accepting; the manager learns nothing about whether an address has an
account."""

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.contrib.auth.signals import user_logged_in
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from enrolment import services
from enrolment.exceptions import EnrolmentError
from enrolment.models import Enrolment, EnrolmentStatus, Invitation
from people.models import CompanyMember
from tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    CourseEditionFactory,
    SessionFactory,
    TraineeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(db):
    return CompanyMemberFactory(is_manager=True, company__name="Officine Torinesi")


def invite(manager, email, edition):
    return services.invitation_create(
        company=manager.company, manager=manager.user, email=email, edition=edition
    )


def is_member(user, company) -> bool:
    return CompanyMember.objects.filter(user=user, company=company).exists()


# --- services -------------------------------------------------------------------


def test_an_invitee_with_an_english_account_reads_the_invitation_in_english(
    edition, manager, run_on_commit
):
    UserFactory(email="ada@example.com", language="en")
    with run_on_commit():
        invite(manager, "Ada@example.com", edition)
    (message,) = mail.outbox
    assert message.subject.endswith(
        f"Officine Torinesi invites you to {edition.course.title}"
    )
    assert "/en/me/invitations/" in message.body
    assert '<html lang="en">' in message.alternatives[0][0]


def test_confirming_the_invited_address_enrols_nobody(edition, manager, run_on_commit):
    with run_on_commit():
        invite(manager, "nuova@example.com", edition)
    (message,) = mail.outbox
    assert message.to == ["nuova@example.com"]
    assert "Officine Torinesi" in message.subject
    assert reverse("enrolment:invitations") in message.body

    user = UserFactory(email="nuova@example.com", verified=False)
    address = EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    with run_on_commit():
        email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
        user_logged_in.send(sender=type(user), request=None, user=user)
    assert not Enrolment.objects.exists()
    assert not is_member(user, manager.company)
    assert Invitation.objects.get().accepted_at is None


def test_accepting_joins_the_company_and_enrols(edition, manager, run_on_commit):
    invitation = invite(manager, "later@example.com", edition)
    user = UserFactory(email="later@example.com")
    with run_on_commit():
        enrolment = services.invitation_accept(invitation_id=invitation.pk, user=user)
    assert enrolment.status == EnrolmentStatus.CONFIRMED
    assert enrolment.sponsor_company == manager.company
    assert enrolment.sponsored_by == manager.user
    assert is_member(user, manager.company)
    invitation.refresh_from_db()
    assert invitation.accepted_at and invitation.enrolment == enrolment


def test_declining_closes_the_invitation_and_joins_nothing(edition, manager):
    invitation = invite(manager, "later@example.com", edition)
    user = UserFactory(email="later@example.com")
    services.invitation_decline(invitation_id=invitation.pk, user=user)
    assert not Enrolment.objects.exists()
    assert not is_member(user, manager.company)
    invitation.refresh_from_db()
    assert invitation.enrolment is None and invitation.outcome == "declined"
    with pytest.raises(EnrolmentError) as refusal:
        services.invitation_accept(invitation_id=invitation.pk, user=user)
    assert refusal.value.code == "invitation_unknown"


def test_only_the_verified_owner_of_the_address_can_answer(edition, manager):
    invitation = invite(manager, "later@example.com", edition)
    stranger = TraineeFactory()
    with pytest.raises(EnrolmentError) as refusal:
        services.invitation_accept(invitation_id=invitation.pk, user=stranger)
    assert refusal.value.code == "invitation_unknown"
    unverified = UserFactory(email="later@example.com", verified=False)
    for answer in (services.invitation_accept, services.invitation_decline):
        with pytest.raises(EnrolmentError) as refusal:
            answer(invitation_id=invitation.pk, user=unverified)
        assert refusal.value.code == "unverified_email"
    assert Invitation.objects.get().accepted_at is None
    assert not CompanyMember.objects.exclude(pk=manager.pk).exists()


def test_a_refused_enrolment_leaves_the_invitation_open_and_no_membership(manager):
    edition = CourseEditionFactory()
    SessionFactory(edition=edition)
    invitation = invite(manager, "later@example.com", edition)
    user = UserFactory(email="later@example.com")
    other = CourseEditionFactory()
    for session in edition.sessions.all():  # the same hours: a clash
        SessionFactory(edition=other, start=session.start, end=session.end)
    services.enrolment_create(trainee=user, edition=other)
    with pytest.raises(EnrolmentError) as refusal:
        services.invitation_accept(invitation_id=invitation.pk, user=user)
    assert refusal.value.code == "schedule_clash"
    assert not is_member(user, manager.company)
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_an_account_outside_the_company_is_invited_like_anyone(
    edition, manager, run_on_commit
):
    outsider = TraineeFactory()
    with run_on_commit():
        result = invite(manager, outsider.email.upper(), edition)
    assert isinstance(result, Invitation)
    assert result.email == outsider.email
    assert mail.outbox[-1].to == [outsider.email]
    assert not is_member(outsider, manager.company)
    assert not Enrolment.objects.exists()


def test_a_member_is_still_enrolled_at_once(edition, manager):
    employee = CompanyMemberFactory(company=manager.company).user
    result = invite(manager, employee.email, edition)
    assert isinstance(result, Enrolment) and result.trainee == employee


# --- the manager's form says the same either way ---------------------------------


def post_invite(client, manager, email, edition):
    return client.post(
        reverse("portal:company"),
        {
            "company": manager.company.pk,
            "action": "invite",
            "invite-email": email,
            "invite-edition": edition.pk,
        },
        follow=True,
    )


def test_the_invite_form_does_not_tell_whether_an_address_has_an_account(
    client, site, edition, manager
):
    outsider = TraineeFactory()
    client.force_login(manager.user)
    answers = []
    for email in (outsider.email, "nobody-yet@example.com"):
        response = post_invite(client, manager, email, edition)
        assert response.status_code == 200
        answers.append(
            [str(m).replace(email, "EMAIL") for m in response.context["messages"]]
        )
    assert answers[0] == answers[1]
    assert len(answers[0]) == 1
    assert Invitation.objects.count() == 2


@pytest.mark.parametrize(
    "email",
    [
        "a" * 250 + "@example.com",
        "a" * 238 + "@example.com",  # 250 characters
        "a" * 64 + "@" + "b" * 300 + ".com",
    ],
)
def test_an_oversized_address_is_a_form_message(client, site, edition, manager, email):
    client.force_login(manager.user)
    response = post_invite(client, manager, email, edition)
    assert response.status_code == 200
    form = response.context["invite_form"]
    if Invitation.objects.exists():  # a valid 250-character address is invited
        assert len(email) <= 254 and not form.errors
    else:
        assert form.errors


def test_a_validation_error_from_the_service_is_a_form_message(
    client, site, edition, manager, monkeypatch
):
    def refuse(**kwargs):
        raise ValidationError({"email": ["Ensure this value is shorter."]})

    monkeypatch.setattr(services, "invitation_create", refuse)
    client.force_login(manager.user)
    response = post_invite(client, manager, "someone@example.com", edition)
    assert response.status_code == 200
    assert (
        "Ensure this value is shorter."
        in response.context["invite_form"].non_field_errors()
    )


@pytest.mark.parametrize(
    "data",
    [
        {"enrol-employee": "9" * 40},
        {"enrol-employee": "x" * 5000},
        {"enrol-edition": "9" * 40},
    ],
)
def test_an_oversized_choice_in_the_enrol_form_is_a_form_message(
    client, site, edition, manager, data
):
    employee = CompanyMemberFactory(company=manager.company).user
    client.force_login(manager.user)
    response = client.post(
        reverse("portal:company"),
        {
            "company": manager.company.pk,
            "action": "enrol",
            "enrol-employee": employee.pk,
            "enrol-edition": edition.pk,
            **data,
        },
    )
    assert response.status_code == 200
    assert response.context["enrol_form"].errors
    assert not Enrolment.objects.exists()


# --- the invitee's page -------------------------------------------------------------


def test_the_invitee_sees_the_invitation_and_accepts_it(client, site, edition, manager):
    invitation = invite(manager, "later@example.com", edition)
    user = UserFactory(email="later@example.com")
    client.force_login(user)
    dashboard = client.get(reverse("portal:dashboard"))
    assert reverse("enrolment:invitations") in dashboard.content.decode()
    page = client.get(reverse("enrolment:invitations"))
    assert page.context["invitations"] == [invitation]
    assert "Officine Torinesi" in page.content.decode()

    response = client.post(
        reverse("enrolment:invitations"),
        {"invitation": invitation.pk, "action": "accept"},
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(trainee=user).sponsor_company == manager.company
    assert is_member(user, manager.company)
    assert client.get(reverse("enrolment:invitations")).context["invitations"] == []


def test_the_invitee_declines_on_the_page(client, site, edition, manager):
    invitation = invite(manager, "later@example.com", edition)
    user = UserFactory(email="later@example.com")
    client.force_login(user)
    response = client.post(
        reverse("enrolment:invitations"),
        {"invitation": invitation.pk, "action": "decline"},
        follow=True,
    )
    assert response.status_code == 200
    assert response.context["invitations"] == []
    assert list(response.context["messages"])
    assert not Enrolment.objects.exists()
    assert not is_member(user, manager.company)


def test_someone_else_cannot_answer_an_invitation(client, site, edition, manager):
    invitation = invite(manager, "later@example.com", edition)
    client.force_login(TraineeFactory())
    assert client.get(reverse("enrolment:invitations")).context["invitations"] == []
    response = client.post(
        reverse("enrolment:invitations"),
        {"invitation": invitation.pk, "action": "accept"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]]
    assert not Enrolment.objects.exists()
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.parametrize(
    "data",
    [
        {"invitation": "abc", "action": "accept"},
        {"invitation": "9" * 40, "action": "accept"},
        {"invitation": "1", "action": "join"},
    ],
)
def test_a_bad_answer_is_refused_without_a_server_error(client, site, data):
    client.force_login(TraineeFactory())
    response = client.post(reverse("enrolment:invitations"), data)
    assert response.status_code in (302, 400)


def test_the_invitations_page_needs_csrf(site, edition, manager):
    from django.test import Client

    invitation = invite(manager, "later@example.com", edition)
    user = UserFactory(email="later@example.com")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(
        reverse("enrolment:invitations"),
        {"invitation": invitation.pk, "action": "accept"},
    )
    assert response.status_code == 403
    assert not Enrolment.objects.exists()


def test_a_company_name_in_the_invitation_email_is_bounded(edition, run_on_commit):
    company = CompanyFactory(name="URGENTE " * 25)
    manager = CompanyMemberFactory(is_manager=True, company=company)
    with run_on_commit():
        invite(manager, "someone@example.com", edition)
    (message,) = mail.outbox
    assert company.name not in message.body
    assert company.name not in message.subject
    assert company.name[:40] in message.body


# --- one company's invitation is none of another's business (finding 32) ----------


def test_another_companys_invitation_neither_blocks_nor_shows(edition, manager):
    invite(manager, "tecnico@example.com", edition)
    other = CompanyMemberFactory(is_manager=True, company__name="Altra Officina")
    second = invite(other, "tecnico@example.com", edition)
    assert second.company == other.company
    assert Invitation.objects.filter(email="tecnico@example.com").count() == 2
    # The same company twice is still refused, by its own invitation.
    with pytest.raises(EnrolmentError) as refusal:
        invite(other, "tecnico@example.com", edition)
    assert refusal.value.code == "already_invited"


# --- what a company may email (finding 26) ----------------------------------------


def test_an_unverified_company_cannot_invite_by_email(edition, run_on_commit):
    manager = CompanyMemberFactory(is_manager=True, company__verified_at=None)
    with run_on_commit(), pytest.raises(EnrolmentError) as refusal:
        invite(manager, "vittima@example.com", edition)
    assert refusal.value.code == "invitation_unverified"
    assert mail.outbox == []
    assert not Invitation.objects.exists()
    # Its own members it still enrols.
    employee = CompanyMemberFactory(company=manager.company).user
    assert invite(manager, employee.email, edition).trainee == employee


def test_invitations_are_rate_limited_per_company_and_per_address(
    settings, manager, run_on_commit
):
    settings.MAKERS_INVITATIONS_PER_COMPANY_HOUR = 5
    settings.MAKERS_INVITATIONS_PER_ADDRESS_DAY = 2
    editions = [CourseEditionFactory() for _ in range(3)]
    codes = []
    with run_on_commit():
        for edition in editions:
            try:
                invite(manager, "bersaglio@example.com", edition)
            except EnrolmentError as error:
                codes.append(error.code)
        other = CompanyMemberFactory(is_manager=True)
        for number in range(6):
            try:
                invite(other, f"persona{number}@example.com", editions[0])
            except EnrolmentError as error:
                codes.append(error.code)
    assert codes == ["invitation_address_rate", "invitation_company_rate"]
    assert len(mail.outbox) == 2 + 5


def test_the_invitee_sees_that_a_company_is_not_verified(client, site, edition):
    from django.utils import translation

    company = CompanyFactory(name="Officine Ombra", verified_at=None)
    user = UserFactory()
    Invitation.objects.create(
        email=user.email, company=company, edition=edition, token="t" * 40
    )
    client.force_login(user)
    with translation.override("en"):
        body = client.get(reverse("enrolment:invitations")).content.decode()
    assert "Officine Ombra" in body
    assert "not verified by the school" in body


def test_the_company_page_says_it_awaits_verification(client, site):
    from django.utils import translation

    manager = CompanyMemberFactory(is_manager=True, company__verified_at=None)
    client.force_login(manager.user)
    with translation.override("en"):
        body = client.get(reverse("portal:company")).content.decode()
    assert "not verified by the school" in body
    assert 'value="invite"' not in body
