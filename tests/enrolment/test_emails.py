import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core.emails import site_url
from enrolment import services
from enrolment.models import Enrolment, EnrolmentStatus
from tests.factories import (
    CourseEditionFactory,
    StaffFactory,
    TraineeFactory,
    english_locale,
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


def test_english_email_names_the_english_course_and_links_its_page(
    edition, run_on_commit
):
    """Issue 4: the English trainee reads the course's English title, and the
    link leads to the English page, not the Italian one."""
    course = edition.course
    course_en = course.copy_for_translation(english_locale(), copy_parents=True)
    course_en.title = "Additive manufacturing for beginners"
    course_en.slug = "additive-for-beginners"
    course_en.save_revision().publish()
    course_en.refresh_from_db()
    trainee = TraineeFactory(language="en")
    with run_on_commit():
        services.enrolment_create(trainee=trainee, edition=edition)
    (message,) = mail.outbox
    for text in (message.subject, message.body, html_of(message)):
        assert "Additive manufacturing for beginners" in text
        assert course.title not in text
    assert course_en.url.startswith("/en/")
    for text in (message.body, html_of(message)):
        assert site_url(course_en.url) in text
        assert site_url(course.url) not in text


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


def test_expire_offers_command_can_enqueue_the_task():
    from io import StringIO

    out = StringIO()
    call_command("expire_offers", "--enqueue", stdout=out)
    assert out.getvalue().startswith("Enqueued")
