import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from enrolment import services
from enrolment.models import Enrolment, EnrolmentStatus
from tests.factories import (
    CompanyMemberFactory,
    CourseEditionFactory,
    StaffFactory,
    TraineeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

S = EnrolmentStatus


def html_of(message):
    return message.alternatives[0][0]


def test_no_email_before_commit(edition, trainee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.enrolment_create(trainee=trainee, edition=edition)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_confirmation_email_in_english(edition, run_on_commit):
    trainee = TraineeFactory(language="en", first_name="Ada")
    with run_on_commit():
        services.enrolment_create(trainee=trainee, edition=edition)
    (message,) = mail.outbox
    assert message.to == [trainee.email]
    assert message.subject == (
        f"[Makers' School] Your place in {edition.course.title} is confirmed"
    )
    assert "Hello Ada," in message.body
    assert edition.code in message.body
    assert "/me/courses/" in message.body
    assert "Your place is confirmed" in html_of(message)


def test_confirmation_email_in_italian(edition, run_on_commit):
    trainee = TraineeFactory(language="it", first_name="Maria")
    with run_on_commit():
        services.enrolment_create(trainee=trainee, edition=edition)
    (message,) = mail.outbox
    assert "confermat" in message.subject.lower()
    assert "Ciao Maria," in message.body
    assert "/en/" not in message.body


def test_waitlist_email_gives_the_position(run_on_commit):
    edition = CourseEditionFactory(capacity=1)
    with run_on_commit():
        services.enrolment_create(trainee=TraineeFactory(), edition=edition)
    trainee = TraineeFactory(language="en")
    with run_on_commit():
        services.enrolment_create(trainee=trainee, edition=edition)
    message = mail.outbox[-1]
    assert "waitlist" in message.subject
    assert "position 1" in message.body


def test_offer_email_carries_the_accept_link(run_on_commit):
    edition = CourseEditionFactory(capacity=1)
    with run_on_commit():
        first = services.enrolment_create(trainee=TraineeFactory(), edition=edition)
    trainee = TraineeFactory(language="en")
    with run_on_commit():
        waiting = services.enrolment_create(trainee=trainee, edition=edition)
    mail.outbox.clear()
    with run_on_commit():
        services.enrolment_cancel(enrolment=first, actor=first.trainee)
    waiting.refresh_from_db()
    offer = next(m for m in mail.outbox if m.to == [trainee.email])
    assert f"/en/me/offers/{waiting.offer_token}/" in offer.body
    assert f"/en/me/offers/{waiting.offer_token}/" in html_of(offer)
    assert "if you want it" in offer.subject


def test_rejection_email_gives_the_reason(run_on_commit):
    edition = CourseEditionFactory(requires_approval=True)
    trainee = TraineeFactory(language="en")
    with run_on_commit():
        enrolment = services.enrolment_create(trainee=trainee, edition=edition)
    with run_on_commit():
        services.enrolment_reject(
            enrolment=enrolment, actor=StaffFactory(), reason="Course full of experts"
        )
    message = mail.outbox[-1]
    assert "not accepted" in message.subject
    assert "Course full of experts" in message.body
    assert "Course full of experts" in html_of(message)


def test_expiry_email_and_command(run_on_commit):
    edition = CourseEditionFactory(capacity=1)
    with run_on_commit():
        first = services.enrolment_create(trainee=TraineeFactory(), edition=edition)
    trainee = TraineeFactory(language="en")
    with run_on_commit():
        waiting = services.enrolment_create(trainee=trainee, edition=edition)
    with run_on_commit():
        services.enrolment_cancel(enrolment=first, actor=None)
    Enrolment.objects.filter(pk=waiting.pk).update(
        offer_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    mail.outbox.clear()
    with run_on_commit():
        call_command("expire_offers")
    waiting.refresh_from_db()
    assert waiting.status == S.EXPIRED
    assert "has expired" in mail.outbox[-1].subject


def test_move_email_names_the_new_edition(edition, run_on_commit):
    trainee = TraineeFactory(language="en")
    with run_on_commit():
        enrolment = services.enrolment_create(trainee=trainee, edition=edition)
    target = CourseEditionFactory(course=edition.course)
    mail.outbox.clear()
    with run_on_commit():
        services.enrolment_move(
            enrolment=enrolment, to_edition=target, actor=StaffFactory()
        )
    (message,) = mail.outbox
    assert target.code in message.body
    assert "Confirmed" in message.body


def test_invitation_becomes_an_enrolment_when_the_address_is_confirmed(
    edition, run_on_commit
):
    manager = CompanyMemberFactory(is_manager=True)
    with run_on_commit():
        services.invitation_create(
            company=manager.company,
            manager=manager.user,
            email="nuova@example.com",
            edition=edition,
        )
    invite = mail.outbox[-1]
    assert invite.to == ["nuova@example.com"]
    assert manager.company.name in invite.subject

    user = UserFactory(email="nuova@example.com", verified=False)
    address = EmailAddress.objects.create(
        user=user, email=user.email, verified=False, primary=True
    )
    address.verified = True
    address.save()
    from allauth.account.signals import email_confirmed

    with run_on_commit():
        email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    enrolment = Enrolment.objects.get(trainee=user)
    assert enrolment.sponsor_company == manager.company
    assert enrolment.sponsored_by == manager.user
    invitation = manager.company.enrolment_invitations.get()
    assert invitation.accepted_at and invitation.enrolment == enrolment
    assert manager.company.members.filter(user=user).exists()


def test_invitation_of_an_outsider_with_an_account_is_refused(edition):
    from enrolment.exceptions import EnrolmentError

    manager = CompanyMemberFactory(is_manager=True)
    outsider = TraineeFactory()
    with pytest.raises(EnrolmentError) as refusal:
        services.invitation_create(
            company=manager.company,
            manager=manager.user,
            email=outsider.email.upper(),
            edition=edition,
        )
    assert refusal.value.code == "invitee_exists"
    assert not manager.company.enrolment_invitations.exists()
    assert not Enrolment.objects.exists()


def test_invitation_accepted_on_login_of_a_verified_user(edition, run_on_commit):
    from django.contrib.auth.signals import user_logged_in

    from enrolment.models import Invitation

    manager = CompanyMemberFactory(is_manager=True)
    with run_on_commit():
        services.invitation_create(
            company=manager.company,
            manager=manager.user,
            email="later@example.com",
            edition=edition,
        )
    user = UserFactory(email="later@example.com")  # verified address
    with run_on_commit():
        user_logged_in.send(sender=type(user), request=None, user=user)
    assert Enrolment.objects.get(trainee=user).status == S.CONFIRMED
    assert Invitation.objects.get().accepted_at is not None


def test_expire_offers_command_can_enqueue_the_task():
    from io import StringIO

    out = StringIO()
    call_command("expire_offers", "--enqueue", stdout=out)
    assert out.getvalue().startswith("Enqueued")
