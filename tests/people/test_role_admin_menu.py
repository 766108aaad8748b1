"""Each role opens the admin menu entries its work needs, and each of them
answers: Staff-role users are not superusers, so a permission missing from a
role's grants (people.roles) shows here as a missing entry or a refusal."""

import re

import pytest
from django.urls import reverse
from wagtail.admin.menu import admin_menu

from tests.factories import (
    CompanyMemberFactory,
    InstructorFactory,
    StaffFactory,
    TraineeFactory,
)

pytestmark = pytest.mark.django_db


def menu_entries(request, menu=admin_menu, prefix="") -> dict[str, str]:
    """The main menu's entries the request's user sees, submenus flattened as
    "parent/child", each with its URL."""
    entries = {}
    for item in menu.menu_items_for_request(request):
        name = f"{prefix}{item.name}"
        submenu = getattr(item, "menu", None)
        if submenu is not None:
            entries.update(menu_entries(request, submenu, prefix=f"{name}/"))
        else:
            entries[name] = item.url
    return entries


# What school staff run from the admin (README, "school staff"): the catalogue,
# enrolments, registers, certificates, companies, the site's pages, images,
# documents and settings, and the reports (security events among them).
# Users, groups, sites, locales, redirects, collections and workflows stay with
# the administrator (a superuser).
STAFF_ENTRIES = {
    "/admin/pages/",
    "/admin/snippets/courses/competency/",
    "/admin/snippets/courses/courseedition/",
    "/admin/snippets/courses/venue/",
    "/admin/enrolments/",
    "/admin/registers/",
    "/admin/snippets/funding/fundingline/",
    "/admin/snippets/funding/placefunding/",
    "/admin/snippets/funding/companyvoucher/",
    "/admin/snippets/funding/voucherspending/",
    "/admin/settings/funding/voucherrules/",
    "/admin/snippets/evaluations/questionnaire/",
    "/admin/snippets/evaluations/evaluationrequirement/",
    "/admin/evaluations/results/",
    "/admin/certificates/",
    "/admin/snippets/people/company/",
    "/admin/snippets/core/emailbounce/",
    "/admin/images/",
    "/admin/documents/",
    "/admin/settings/cms/sitesettings/",
    "/admin/reports/aging-pages/",
    "/admin/reports/locked/",
    "/admin/reports/page-types-usage/",
    "/admin/reports/security-events/",
    "/admin/reports/failed-tasks/",
    "/admin/reports/fill-rate/",
    "/admin/reports/attendance/",
    "/admin/reports/certificates/",
    "/admin/reports/funding/",
    "/admin/reports/satisfaction/",
    "/admin/reports/directory/",
    "/admin/reports/site-history/",
    "/admin/reports/workflow_tasks/",
    "/admin/reports/workflow/",
}


def admin_urls(client, user) -> set[str]:
    """The admin's own pages in the user's main menu (help links aside)."""
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return {
        url
        for url in menu_entries(response.wsgi_request).values()
        if url.startswith("/admin/")
    }


def test_staff_role_sees_and_opens_every_entry_of_its_work(client, site):
    staff = StaffFactory()
    assert not staff.is_superuser
    urls = admin_urls(client, staff)
    assert urls == STAFF_ENTRIES
    for url in sorted(urls):
        # A settings entry redirects to the settings of one site (which one
        # depends on the sites earlier tests left): /admin/settings/.../<pk>/.
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        hops = [
            (re.sub(r"\d+/$", "<pk>/", hop), code)
            for hop, code in response.redirect_chain
        ]
        assert hops in ([], [(f"{url}<pk>/", 302)]), url


def test_the_administrator_sees_more_than_staff(client, site):
    admin = StaffFactory(is_superuser=True)
    urls = admin_urls(client, admin)
    assert urls > STAFF_ENTRIES
    assert {"/admin/users/", "/admin/groups/", "/admin/sites/"} <= urls


@pytest.mark.parametrize(
    "factory",
    [
        TraineeFactory,
        InstructorFactory,
        lambda: CompanyMemberFactory(is_manager=True, can_use_directory=True).user,
    ],
    ids=["trainee", "instructor", "company member"],
)
def test_other_roles_have_no_admin_at_all(client, site, factory):
    client.force_login(factory())
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code in (302, 403)
    for url in sorted(STAFF_ENTRIES):
        assert client.get(url).status_code in (302, 403), url
