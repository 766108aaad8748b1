"""An edition may require the questionnaire before its certificates: the
trainee's certificate waits (and the trainee and staff see why) until the
trainee has answered."""

import pytest
from django.urls import reverse
from django.utils.functional import empty

from certificates.eligibility import edition_eligibility, enrolment_eligibility
from certificates.models import private_storage
from certificates.services import certificate_issue
from evaluations.models import EvaluationRequirement
from evaluations.services import requests_create, response_submit
from tests.text import italian

from .conftest import answers_for

pytestmark = pytest.mark.django_db

WAITS = "The certificate waits for the course questionnaire."
WAITS_MINE = (
    "Your certificate for %(course)s (edition %(code)s) waits for the course "
    "questionnaire."
)


def test_not_required_no_wait(questionnaire, completed):
    edition, _s, enrolments = completed
    assert enrolment_eligibility(enrolment=enrolments[0]).eligible
    assert all(row.eligible for row in edition_eligibility(edition=edition))


def test_held_back_until_answered_then_eligible(questionnaire, completed):
    edition, _s, enrolments = completed
    EvaluationRequirement.objects.create(edition=edition)
    requests = requests_create(edition=edition)
    before = enrolment_eligibility(enrolment=enrolments[0])
    assert not before.eligible and before.reasons == [italian(WAITS)]
    assert all(
        italian(WAITS) in row.reasons for row in edition_eligibility(edition=edition)
    )
    first = next(r for r in requests if r.enrolment_id == enrolments[0].pk)
    response_submit(request=first, data=answers_for(questionnaire))
    assert enrolment_eligibility(enrolment=enrolments[0]).eligible
    rows = {row.enrolment.pk: row for row in edition_eligibility(edition=edition)}
    assert rows[enrolments[0].pk].eligible
    assert not rows[enrolments[1].pk].eligible


def test_required_without_a_request_yet_still_waits(completed):
    edition, _s, enrolments = completed
    EvaluationRequirement.objects.create(edition=edition)
    assert italian(WAITS) in enrolment_eligibility(enrolment=enrolments[0]).reasons


def test_trainee_sees_why_the_certificate_waits(client, site, questionnaire, completed):
    edition, _s, enrolments = completed
    EvaluationRequirement.objects.create(edition=edition)
    request = requests_create(edition=edition)[0]
    client.force_login(request.enrolment.trainee)
    page = client.get(reverse("portal:certificates")).content.decode()
    waits = italian(
        WAITS_MINE, course=edition.course.title, code=edition.code, html=True
    )
    assert waits in page
    assert reverse("evaluations:answer", args=[request.token]) in page
    response_submit(request=request, data=answers_for(questionnaire))
    page = client.get(reverse("portal:certificates")).content.decode()
    assert waits not in page


def test_staff_issuing_see_the_reason(client, site, questionnaire, completed):
    from tests.factories import StaffFactory

    edition, _s, _enrolments = completed
    EvaluationRequirement.objects.create(edition=edition)
    client.force_login(StaffFactory())
    page = client.get(reverse("certificates_admin:edition", args=[edition.pk]))
    assert page.status_code == 200
    assert italian(WAITS, html=True) in page.content.decode()


def test_dashboard_says_which_questionnaire_holds_a_certificate(
    client, site, questionnaire, completed
):
    """/me/ lists the questionnaire and, where the edition requires it before
    its certificates, says the certificate waits for it."""
    edition, _s, _enrolments = completed
    request = requests_create(edition=edition)[0]
    client.force_login(request.enrolment.trainee)
    waits = italian(
        WAITS_MINE, course=edition.course.title, code=edition.code, html=True
    )
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("evaluations:answer", args=[request.token]) in page
    assert waits not in page
    EvaluationRequirement.objects.create(edition=edition)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert waits in page
    response_submit(request=request, data=answers_for(questionnaire))
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("evaluations:answer", args=[request.token]) not in page
    assert waits not in page


COMING = (
    "You qualify for the certificate of %(course)s (edition %(code)s): the school "
    "will issue it and you will find it here."
)


def test_a_qualifying_trainee_is_told_the_certificate_is_coming(
    client, site, settings, tmp_path, signing_key, questionnaire, completed
):
    """Held: the questionnaire; answered: "the school will issue it"; issued:
    the certificate itself. A trainee who does not qualify is told nothing."""
    settings.MAKERS_PRIVATE_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    edition, _s, enrolments = completed
    EvaluationRequirement.objects.create(edition=edition)
    mine = enrolments[0].pk
    requests = requests_create(edition=edition)
    request = next(r for r in requests if r.enrolment_id == mine)
    coming = italian(COMING, course=edition.course.title, code=edition.code)
    for enrolment in enrolments:
        client.force_login(enrolment.trainee)
        page = client.get(reverse("portal:certificates")).content.decode()
        assert coming not in page  # held by the questionnaire
    response_submit(request=request, data=answers_for(questionnaire))
    client.force_login(enrolments[0].trainee)
    assert coming in client.get(reverse("portal:certificates")).content.decode()
    client.force_login(enrolments[1].trainee)  # still has not answered
    assert coming not in client.get(reverse("portal:certificates")).content.decode()
    certificate_issue(enrolment=enrolments[0], actor=None)
    client.force_login(enrolments[0].trainee)
    page = client.get(reverse("portal:certificates")).content.decode()
    assert coming not in page
    private_storage._wrapped = empty
