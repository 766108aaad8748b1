"""Attendance at risk: the trainee and the manager who enrolled them are told
once per cause, and see it on their pages; nobody else does."""

import pytest
from django.core import mail
from django.urls import reverse

from notices import jobs, services
from notices.models import AttendanceRisk, RiskCause
from tests.factories import (
    PASSWORD,
    TraineeFactory,
    attendance_mark,
    edition_running,
)

from .conftest import sent_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_risk(site, manager, instructor):
    """Two weeks of sessions held (the first mandatory), one today, one next
    week: Ada missed the mandatory one (80 % still reachable); Bea, enrolled by
    her company's manager, missed both held sessions (out of reach); Cleo was
    present."""
    edition, sessions, enrolments = edition_running(
        trainees=3, instructor=instructor, min_attendance_percent=60
    )
    first, second = sessions[0], sessions[1]
    first.mandatory = True
    first.save()
    ada, bea, cleo = enrolments
    bea.sponsor_company = manager.company
    bea.sponsored_by = manager.user
    bea.save()
    attendance_mark(enrolment=ada, session=first, status="absent")
    attendance_mark(enrolment=ada, session=second)
    attendance_mark(enrolment=bea, session=first, status="absent")
    attendance_mark(enrolment=bea, session=second, status="absent")
    for session in (first, second):
        attendance_mark(enrolment=cleo, session=session)
    return edition, sessions, enrolments


def test_each_cause_is_told_to_the_trainee_and_the_manager(at_risk, manager):
    edition, (first, *_rest), (ada, bea, cleo) = at_risk
    assert jobs.attendance_risks_send() == 5
    keys = set(AttendanceRisk.objects.values_list("key", flat=True))
    assert keys == {
        f"{ada.pk}:mandatory:{first.pk}",
        f"{bea.pk}:mandatory:{first.pk}",
        f"{bea.pk}:minimum",
    }
    (to_ada,) = sent_to(ada.trainee.email)
    assert edition.code in to_ada.body
    assert first.topic in to_ada.body
    assert len(sent_to(bea.trainee.email)) == 2
    to_manager = sent_to(manager.user.email)
    assert len(to_manager) == 2
    assert all(str(bea.trainee) in message.subject for message in to_manager)
    assert any("60 %" in message.body for message in to_manager)
    assert sent_to(cleo.trainee.email) == []


def test_once_per_cause_however_often_it_runs(at_risk):
    _edition, sessions, _enrolments = at_risk
    assert jobs.attendance_risks_send() == 5
    assert jobs.attendance_risks_send() == 0
    assert len(mail.outbox) == 5
    # A new cause (another mandatory session missed) is told, once.
    sessions[1].mandatory = True
    sessions[1].save()
    assert jobs.attendance_risks_send() == 2  # Bea and her manager
    assert AttendanceRisk.objects.filter(cause=RiskCause.MANDATORY).count() == 3


def test_service_notice_ignores_opt_outs_but_not_bounces(at_risk, manager):
    _edition, _sessions, (ada, bea, _cleo) = at_risk
    services.preferences_set(user=ada.trainee, receive=[])
    services.address_bounce_mark(email=manager.user.email)
    jobs.attendance_risks_send()
    assert len(sent_to(ada.trainee.email)) == 1
    assert sent_to(manager.user.email) == []
    # The page notice is there even so.
    assert AttendanceRisk.objects.filter(enrolment=bea).count() == 2


def _page(client, user, name):
    client.login(email=user.email, password=PASSWORD)
    return client.get(reverse(name)).content.decode()


def test_the_notice_shows_on_the_trainee_and_manager_pages_only(
    at_risk, manager, client
):
    edition, (first, *_rest), (ada, bea, cleo) = at_risk
    jobs.attendance_risks_send()
    ada_page = _page(client, ada.trainee, "portal:dashboard")
    assert f'data-risk="{ada.pk}:mandatory:{first.pk}"' in ada_page
    assert f'data-risk="{bea.pk}:' not in ada_page
    company_page = _page(client, manager.user, "portal:company")
    assert f'data-risk="{bea.pk}:minimum"' in company_page
    assert f'data-risk="{ada.pk}:' not in company_page
    assert str(bea.trainee.get_full_name()) in company_page
    for other in (cleo.trainee, TraineeFactory()):
        assert "data-risk=" not in _page(client, other, "portal:dashboard")


def test_a_corrected_register_takes_the_notice_off_the_page(at_risk, client):
    _edition, (first, *_rest), (ada, _bea, _cleo) = at_risk
    jobs.attendance_risks_send()
    ada.attendance_records.filter(session=first).update(
        status="present", minutes_present=first.duration_minutes
    )
    assert "data-risk=" not in _page(client, ada.trainee, "portal:dashboard")
