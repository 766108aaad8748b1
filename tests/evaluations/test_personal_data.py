"""A trainee's data export lists their evaluation requests (edition, when
sent, reminders, answered or not and when), never what they answered: the
answers are anonymous and nothing ties them to the person."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from evaluations.models import EvaluationRequest, Response
from evaluations.services import requests_create, response_submit
from people.personal_data import personal_data_export
from tests.factories import ConfirmedEnrolmentFactory, edition_completed

from .conftest import answers_for

pytestmark = pytest.mark.django_db

SENT = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def test_export_has_answered_and_unanswered_requests_and_no_answer(questionnaire):
    done, _s, (enrolment,) = edition_completed(trainees=1, competencies=0)
    later, _s, _e = edition_completed(trainees=0, competencies=0)
    waiting = ConfirmedEnrolmentFactory(edition=later, trainee=enrolment.trainee)
    (answered,) = requests_create(edition=done)
    (unanswered,) = requests_create(edition=later)
    EvaluationRequest.objects.filter(pk__in=[answered.pk, unanswered.pk]).update(
        sent_at=SENT
    )
    EvaluationRequest.objects.filter(pk=unanswered.pk).update(reminders_sent=2)
    response_submit(
        request=answered,
        data=answers_for(
            questionnaire, rating="2", choice="Troppo veloce", text="Segreto 4711"
        ),
    )
    assert waiting.trainee == enrolment.trainee

    rows = personal_data_export(user=enrolment.trainee)["evaluation_requests"]

    by_code = {row["enrolment__edition__code"]: row for row in rows}
    assert by_code == {
        done.code: {
            "enrolment__edition__code": done.code,
            "enrolment__edition__course__title": done.course.title,
            "questionnaire__title": questionnaire.title,
            "sent_at": SENT.isoformat(),
            "reminders_sent": 0,
            "answered_on": timezone.localdate().isoformat(),
        },
        later.code: {
            "enrolment__edition__code": later.code,
            "enrolment__edition__course__title": later.course.title,
            "questionnaire__title": questionnaire.title,
            "sent_at": SENT.isoformat(),
            "reminders_sent": 2,
            "answered_on": None,
        },
    }
    # Nothing the trainee answered, anywhere in the export.
    export = json.dumps(personal_data_export(user=enrolment.trainee))
    assert Response.objects.count() == 1
    assert "Segreto 4711" not in export and "Troppo veloce" not in export
    assert '"answers"' not in export and '"rating"' not in export
    assert str(Response.objects.get().pk) not in export


def test_another_trainees_requests_are_not_in_the_export(questionnaire):
    edition, _s, (mine, other) = edition_completed(trainees=2, competencies=0)
    requests_create(edition=edition)
    rows = personal_data_export(user=mine.trainee)["evaluation_requests"]
    assert len(rows) == 1
    assert other.trainee.email not in json.dumps(rows)
