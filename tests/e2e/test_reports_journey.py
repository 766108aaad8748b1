"""Issue 23's browser journey on the demo (the README's `make run` data).

A staff member opens the admin's home (the four figures), then each report
of the Reports menu: its chart and its table, the filters applied, and axe
on every page. The company manager of the demo's company then opens
/me/company/reports/ from /me/company/: their employees' attendance and
certificates, axe on the page.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from insights.registry import REPORTS
from people.models import User
from tests.e2e.conftest import axe_check, italian, sign_in_as

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_staff_reads_every_report_and_a_manager_their_own(
    new_page, live_server, journey, demo_content
):
    staff = User.objects.get(email="staff@makers-school.example")
    page = new_page()
    sign_in_as(page, live_server, staff)
    page.goto(live_server.url + reverse("wagtailadmin_home"))
    figures = page.locator("#makers-home-figures").locator("..")
    expect(figures.locator("li")).to_have_count(4)
    journey.shot(page, "admin home, four figures")
    axe_check(page, journey=journey, name="admin home")

    for slug, report in REPORTS.items():
        page.goto(live_server.url + reverse("makers_report", args=[slug]))
        expect(page.locator("h1")).to_contain_text(italian(report.title))
        journey.shot(page, f"report {slug}")
        axe_check(page, journey=journey, name=f"report {slug}")
        chart = page.locator("svg.report-chart")
        if chart.count():
            expect(chart).to_have_attribute("role", "img")
            expect(page.locator("table.report-table")).to_be_visible()
        for value, _label in report.groupings[1:]:
            page.goto(
                live_server.url + reverse("makers_report", args=[slug]) + f"?by={value}"
            )
            journey.shot(page, f"report {slug} by {value}")
            axe_check(page, journey=journey, name=f"report {slug} by {value}")

    manager = User.objects.get(email="azienda@makers-school.example")
    page = new_page()
    sign_in_as(page, live_server, manager)
    page.goto(live_server.url + reverse("portal:company"))
    page.get_by_role(
        "link", name=italian("Attendance and certificates of your employees")
    ).click()
    expect(page.locator("h1")).to_contain_text(italian("Company reports"))
    journey.shot(page, "company reports")
    axe_check(page, journey=journey, name="company reports")
    journey.assert_no_server_errors()
