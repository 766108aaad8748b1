"""The hourly job: a request per confirmed trainee of an edition just
completed, emailed once, and reminders at 3 and 7 days to those who have not
answered."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from evaluations.models import EvaluationRequest
from evaluations.services import response_submit
from evaluations.tasks import evaluations_send_task
from tests.factories import edition_completed

from .conftest import answers_for, questionnaire_build

pytestmark = pytest.mark.django_db


def run_job(run_on_commit):
    with run_on_commit():
        evaluations_send_task.call()


def test_job_sends_one_request_per_trainee_once(
    questionnaire, completed, run_on_commit, mailoutbox
):
    edition, _sessions, enrolments = completed
    run_job(run_on_commit)
    assert EvaluationRequest.objects.count() == len(enrolments)
    assert len(mailoutbox) == len(enrolments)
    assert {m.to[0] for m in mailoutbox} == {e.trainee.email for e in enrolments}
    assert all("/me/evaluations/" in m.body for m in mailoutbox)
    assert all(r.sent_at is not None for r in EvaluationRequest.objects.all())
    run_job(run_on_commit)  # the job again: nothing new
    assert EvaluationRequest.objects.count() == len(enrolments)
    assert len(mailoutbox) == len(enrolments)


def test_email_in_the_trainees_language(questionnaire, run_on_commit, mailoutbox):
    _edition, _sessions, enrolments = edition_completed(trainees=1, competencies=0)
    trainee = enrolments[0].trainee
    trainee.language = "en"
    trainee.save()
    run_job(run_on_commit)
    assert "tell us how it went" in mailoutbox[0].body


def test_no_questionnaire_no_request(completed, run_on_commit, mailoutbox):
    run_job(run_on_commit)
    assert not EvaluationRequest.objects.exists()
    assert not mailoutbox


def test_the_courses_own_questionnaire_wins(questionnaire, completed, run_on_commit):
    edition, _sessions, _enrolments = completed
    own = questionnaire_build(title="Proprio", course=edition.course, default=False)
    run_job(run_on_commit)
    assert set(EvaluationRequest.objects.values_list("questionnaire", flat=True)) == {
        own.pk
    }


def test_old_editions_are_not_evaluated(questionnaire, run_on_commit, mailoutbox):
    edition, sessions, _enrolments = edition_completed(trainees=1, competencies=0)
    for session in sessions:
        session.start -= datetime.timedelta(days=60)
        session.end -= datetime.timedelta(days=60)
        session.save()
    run_job(run_on_commit)
    assert not EvaluationRequest.objects.exists()


def test_reminders_at_three_and_seven_days_to_who_has_not_answered(
    questionnaire, completed, run_on_commit, mailoutbox
):
    _edition, _sessions, enrolments = completed
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        run_job(run_on_commit)
    answered = EvaluationRequest.objects.get(enrolment=enrolments[0])
    response_submit(request=answered, data=answers_for(questionnaire))
    mailoutbox.clear()
    for days, expected in [(2, 0), (3, 5), (4, 0), (6, 0), (7, 5), (8, 0), (20, 0)]:
        with time_machine.travel(start + datetime.timedelta(days=days), tick=False):
            run_job(run_on_commit)
        assert len(mailoutbox) == expected, days
        assert enrolments[0].trainee.email not in {m.to[0] for m in mailoutbox}
        mailoutbox.clear()
    assert set(
        EvaluationRequest.objects.filter(answered_on__isnull=True).values_list(
            "reminders_sent", flat=True
        )
    ) == {2}
    assert EvaluationRequest.objects.get(pk=answered.pk).reminders_sent == 0


def test_a_mail_task_run_twice_sends_once(questionnaire, completed, mailoutbox):
    from evaluations.tasks import evaluation_email_task

    _edition, _sessions, enrolments = completed
    from evaluations.services import requests_create

    request = requests_create(edition=completed[0])[0]
    evaluation_email_task.call(request_id=request.pk, round=0)
    evaluation_email_task.call(request_id=request.pk, round=0)
    assert len(mailoutbox) == 1
