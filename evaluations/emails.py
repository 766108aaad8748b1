"""The emails of course evaluation: the request and its two reminders, in the
trainee's language, each with the link to the answer page."""

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.emails import email_send, site_url
from courses.selectors import editions_localize

from .models import EvaluationRequest


def request_email_send(*, request_id: int, round: int) -> None:
    """Send round 0 (the request) or 1, 2 (the reminders) and record it;
    nothing for a request answered meanwhile."""
    request = (
        EvaluationRequest.objects.select_related(
            "enrolment__trainee", "enrolment__edition__course"
        )
        .filter(pk=request_id, answered_on__isnull=True)
        .first()
    )
    if request is None:
        return
    trainee = request.enrolment.trainee
    edition = request.enrolment.edition
    with translation.override(trainee.language):
        editions_localize(editions=[edition])
        course = getattr(edition, "localized_course", edition.course)
        if round == 0:
            subject = _("How was %(course)s? Two minutes to tell us")
        else:
            subject = _("Reminder: your opinion on %(course)s")
        email_send(
            to=trainee.email,
            subject=subject % {"course": course.title},
            template="evaluations/emails/request",
            context={
                "trainee": trainee,
                "course": course,
                "edition": edition,
                "reminder": round > 0,
                "answer_url": site_url(
                    reverse("evaluations:answer", args=[request.token])
                ),
                "LANGUAGE_CODE": trainee.language,
            },
        )
    if round == 0:
        request.sent_at = timezone.now()
        request.save(update_fields=["sent_at"])
    else:
        EvaluationRequest.objects.filter(
            pk=request.pk, reminders_sent__lt=round
        ).update(reminders_sent=round)
