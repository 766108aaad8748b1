"""Every staff screen shows times in Europe/Rome (issue 3).

Rows are written at an instant when UTC and Rome differ by an hour (05:47 UTC,
06:47 in Rome); then every list, inspect, history and edit view of every Wagtail
viewset that the project's apps register, and the project's own admin views,
is rendered and must not print the UTC time of day.
"""

import datetime
import re

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib.admin.utils import quote
from django.urls import URLPattern, reverse
from wagtail.admin.viewsets import viewsets

from certificates import services as certificate_services
from people.security import security_event_log
from tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    StaffFactory,
    edition_completed,
)

pytestmark = pytest.mark.django_db

INSTANT = datetime.datetime(2026, 1, 15, 5, 47, tzinfo=datetime.UTC)
UTC_TIME = re.compile(r"(?<![\w:])0?5[:.]47(?![\w])")
ROME_TIME = re.compile(r"(?<![\w:])0?6[:.]47(?![\w])")

# Views of a viewset that change something or answer with a file: not pages.
NOT_PAGES = {
    "add",
    "delete",
    "copy",
    "usage",
    "export",
    "zip",
    "correct",
    "revoke",
    "reissue",
    "approve",
    "reject",
    "cancel",
    "move",
    "progress",
    "index_results",
    "list_results",
    "history_results",
    "preview_on_add",
    "preview_on_edit",
    "revisions_compare",
    "revisions_unschedule",
    "revisions_revert",
    "revisions_view",
    "unpublish",
    "workflow_history",
    "workflow_history_detail",
    "lock",
    "unlock",
}


def _project_app(label: str) -> bool:
    path = apps.get_app_config(label).path
    return path.startswith(str(settings.BASE_DIR)) and "site-packages" not in path


def _project_viewsets():
    return [
        viewset
        for viewset in viewsets.viewsets
        if isinstance(getattr(viewset, "model", None), type)
        and _project_app(viewset.model._meta.app_label)
    ]


@pytest.fixture
def rows(site, signing_key, settings, tmp_path):
    """A completed edition with certificates (one revoked, one issued by a
    bulk run), a verified company and a security event, all written at INSTANT."""
    settings.MAKERS_PRIVATE_ROOT = tmp_path / "private"
    from django.utils.functional import empty

    from certificates.models import private_storage

    private_storage._wrapped = empty
    staff = StaffFactory()
    with time_machine.travel(INSTANT, tick=False):
        edition, _sessions, enrolments = edition_completed(trainees=3)
        first = certificate_services.certificate_issue(
            enrolment=enrolments[0], actor=staff
        )
        certificate_services.certificate_revoke(
            certificate=first, actor=staff, reason="Dati errati"
        )
        run = certificate_services.run_start(edition=edition, actor=staff)
        member = CompanyMemberFactory(company=CompanyFactory(), is_manager=True)
        unverified = CompanyFactory(verified_at=None)
        security_event_log(
            action="makers.security.login", request=None, user=member.user
        )
    yield {"staff": staff, "edition": edition, "run": run, "company": unverified}
    private_storage._wrapped = empty


def _viewset_urls(viewset, rows) -> list[str]:
    objects = list(viewset.model._default_manager.all()[:3])
    urls = []
    for pattern in viewset.get_urlpatterns():
        if not isinstance(pattern, URLPattern) or pattern.name in NOT_PAGES:
            continue
        name = viewset.get_url_name(pattern.name)
        params = set(pattern.pattern.converters)
        if not params:
            urls.append(reverse(name))
        elif params == {"pk"}:
            urls += [reverse(name, args=[quote(obj.pk)]) for obj in objects]
        elif params == {"edition_pk"}:
            urls.append(reverse(name, args=[rows["edition"].pk]))
    return urls


def _custom_urls(rows) -> list[str]:
    """The project's admin views outside its viewsets' own pages (the
    register_admin_urls hooks), and the bulk run's progress."""
    return [
        reverse("makers_security_events"),
        reverse(
            "certificates_admin:progress", args=[rows["edition"].pk, rows["run"].pk]
        ),
        reverse("courses_edition_action", args=[rows["edition"].pk, "reopen"]),
        reverse("people_company_verify", args=[rows["company"].pk]),
    ]


# Users are the administrator's (a superuser's) screens, not the Staff role's:
# Wagtail lets whoever may change a user make them a superuser.
ADMINISTRATOR_MODELS = {settings.AUTH_USER_MODEL}


def test_every_admin_view_shows_times_in_rome(client, rows):
    found = _project_viewsets()
    models = {viewset.model._meta.label for viewset in found}
    assert {"certificates.Certificate", "enrolment.Enrolment", "people.Company"} <= (
        models
    )
    urls = [
        (url, viewset.model._meta.label in ADMINISTRATOR_MODELS)
        for viewset in found
        for url in _viewset_urls(viewset, rows)
    ]
    urls += [(url, False) for url in _custom_urls(rows)]
    administrator = StaffFactory(is_superuser=True)
    rome_seen = 0
    for url, for_administrator in urls:
        client.force_login(administrator if for_administrator else rows["staff"])
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:  # a download (the ZIPs of an edition's forms)
            continue
        text = response.content.decode()
        assert not UTC_TIME.search(text), f"{url} shows a UTC time (05:47)"
        rome_seen += bool(ROME_TIME.search(text))
    # The rows' times are on the pages, in Rome time (not merely absent).
    assert rome_seen >= 3
