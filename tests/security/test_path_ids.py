"""Issue 28: an id out of range in a path is a 404, never a 500.

The in-process version of `make security`'s path-id fuzz: every URL pattern
with a numeric part (security.routes walks the resolver: our apps, allauth,
Wagtail's admin and front end) is opened with hostile ids, GET and POST, by
each role; no answer may be a 5xx.
"""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, resolve, reverse

from security.routes import HOSTILE_IDS, MATCHING_IDS, fill, is_admin, routes
from tests.factories import (
    CompanyMemberFactory,
    InstructorFactory,
    StaffFactory,
    TraineeFactory,
)

pytestmark = pytest.mark.django_db


def _clients() -> dict[str, Client]:
    users = {
        "trainee": TraineeFactory(),
        "instructor": InstructorFactory(),
        "manager": CompanyMemberFactory(is_manager=True).user,
        "staff": StaffFactory(),
    }
    clients = {"anonymous": Client(raise_request_exception=False)}
    for role, user in users.items():
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(user)
    return clients


def test_the_walk_finds_our_patterns_and_the_admins():
    found = routes()
    assert "/me/editions/{id}/enrol/" in found
    assert "/me/certificates/{id}/pdf/" in found
    assert "/admin/pages/{id}/edit/" in found
    assert "/admin/enrolments/inspect/{id}/" in found


def test_an_id_out_of_bigint_range_never_reaches_the_view():
    assert resolve("/me/editions/9223372036854775807/enrol/").url_name == "enrol"
    for value in ("9223372036854775808", "0", "-1", "007", "1e3"):
        match = resolve(f"/me/editions/{value}/enrol/")
        assert match.url_name != "enrol", value
    with pytest.raises(NoReverseMatch):
        reverse("enrolment:enrol", kwargs={"edition_id": 2**63})


def test_the_reported_post_is_a_404(site):
    client = Client(raise_request_exception=False)
    client.force_login(TraineeFactory())
    response = client.post("/me/editions/9223372036854775808/enrol/")
    assert response.status_code == 404


def test_no_path_id_answers_5xx(site):
    clients = _clients()
    failures = []
    for template in routes():
        # The admin's patterns as staff (the others are sent to sign in), with
        # the ids its `int` converter lets through (the rest never match).
        admin = is_admin(template)
        roles = ("staff",) if admin else tuple(clients)
        for value in MATCHING_IDS if admin else HOSTILE_IDS:
            path = fill(template, value)
            for role in roles:
                for method in ("get", "post"):
                    status = getattr(clients[role], method)(path).status_code
                    if status >= 500:
                        failures.append(f"{method.upper()} {path} [{role}]: {status}")
    assert not failures, "\n".join(failures[:40])


PROJECT_APPS = ("core", "people", "courses", "enrolment", "attendance")
PROJECT_APPS += ("certificates",)
PROJECT_APPS += ("directory", "cms", "portal", "demo", "makers_school")


def _ours(callback) -> bool:
    """A view of our apps, or Wagtail's generic view of one of our models."""
    module = getattr(callback, "__module__", "") or ""
    model = getattr(callback, "view_initkwargs", {}).get("model")
    if isinstance(model, str):  # "app_label.Model"
        label = model.split(".")[0]
    else:
        label = model._meta.app_label if model is not None else ""
    return module.split(".")[0] in PROJECT_APPS or label in PROJECT_APPS


# Wagtail's own user admin lists our User model through Wagtail's viewset
# (WAGTAILUSERS app config); its ids are fuzzed with the rest of the admin.
WAGTAILS_OWN = ("admin/users/",)


def test_no_pattern_of_ours_takes_any_run_of_digits():
    """Our patterns (and the admin's views of our models, pk_path_converter)
    name rows with <id:...>, never Django's <int:...>."""
    from django.urls import URLResolver, get_resolver
    from django.urls.converters import IntConverter

    offenders = []

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
                continue
            converters = getattr(entry.pattern, "converters", {})
            if (
                _ours(entry.callback)
                and not prefix.startswith(WAGTAILS_OWN)
                and any(isinstance(c, IntConverter) for c in converters.values())
            ):
                offenders.append(prefix + str(entry.pattern))

    walk(get_resolver().url_patterns, "")
    assert not offenders
