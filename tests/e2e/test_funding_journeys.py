"""Issue 26's browser journeys on the demo (the README's `make run` data).

1. A staff member opens Funding in the Wagtail admin, the Regione Piemonte
   voucher line of AM-201-LIVE and its figures (hours and amounts per place),
   then tries to record a voucher for allievo2 that passes the three-year
   allowance (EUR 1,450 + 950 granted earlier, 600 left, 680 asked): the form
   shows the refusal naming the rule and nothing is saved.
2. The instructor opens today's register of AM-201-LIVE from "My teaching",
   its "Topics, teacher, tutor" page, saves the topics covered, sets a
   trainee's entry and exit times on the phone register, downloads the
   sign-in sheet (a PDF) and uploads the scan of the signed sheet.

Everyone uses the site in Italian. axe runs on the public pages only: the
Wagtail admin's markup is Wagtail's, not ours (as in the staff journeys).
"""

import datetime
import io
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from attendance.models import AttendanceRecord, RegisterScan, SessionRegister
from courses.models import Session
from funding import selectors
from funding.exceptions import FUNDING_MESSAGES
from funding.models import FundingLine, PlaceFunding
from people.models import User
from tests.e2e.conftest import PHONE, axe_check, italian, sign_in_as

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LIVE = "AM-201-LIVE"


def _shown(value) -> str:
    """A value as the admin's templates print it in Italian."""
    with translation.override("it"):
        return Template("{{ value }}").render(Context({"value": value}))


def _money(value) -> str:
    """An amount as the figures print it in Italian (cents, thousands)."""
    with translation.override("it"):
        return Template('{{ value|floatformat:"2g" }}').render(
            Context({"value": value})
        )


def _before_placeholder(message) -> str:
    """The Italian text of a message up to its first placeholder."""
    return italian(message).split("%(")[0].strip()


def test_staff_sees_the_figures_and_a_voucher_over_the_allowance_is_refused(
    new_page, live_server, journey, demo_content
):
    staff = User.objects.get(email="staff@makers-school.example")
    line = FundingLine.objects.get(edition__code=LIVE, kind="regional_voucher")
    place = PlaceFunding.objects.get(
        line=line, enrolment__trainee__email="allievo2@makers-school.example"
    )
    assert not place.voucher_number  # refused by the demo: allievo2 pays
    before = PlaceFunding.objects.filter(pk=place.pk).values().get()

    # 1. Funding in the admin's menu, then its funding lines.
    page = new_page()
    sign_in_as(page, live_server, staff)
    page.goto(live_server.url + "/admin/")
    lines_path = reverse("wagtailsnippets_funding_fundingline:list")
    page.locator("#wagtail-sidebar").get_by_role(
        "button", name=italian("Funding"), exact=True
    ).click()
    page.locator(f"#wagtail-sidebar a[href='{lines_path}']").click()
    page.wait_for_url(re.compile(re.escape(lines_path) + "$"))
    row = page.locator("table.listing tbody tr", has_text=LIVE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Regione Piemonte")
    journey.shot(page, "staff-funding-lines")

    # 2. The line's Figures: hours and amounts of every place.
    figures_path = reverse("funding_line_report", args=[line.pk])
    row.locator("button[data-w-dropdown-target='toggle']").last.click()
    row.locator(f"a[href='{figures_path}']").click()
    page.wait_for_url(re.compile(re.escape(figures_path) + "$"))
    report = selectors.funding_line_report(line=line)
    assert report.rows
    main = page.locator("main")
    for figures in report.rows:
        trainee = figures.trainee
        shown = main.locator("tbody tr", has_text=trainee.last_name)
        expect(shown).to_contain_text(_shown(figures.hours_delivered))
        expect(shown).to_contain_text(_shown(figures.hours_attended))
        expect(shown).to_contain_text(_money(figures.amounts["total"]))
    expect(main.locator("tfoot")).to_contain_text(_money(report.totals()["total"]))
    journey.shot(page, "staff-line-figures")

    # 3. allievo2's place: a voucher over the three-year allowance is refused.
    edit_path = reverse("wagtailsnippets_funding_placefunding:edit", args=[place.pk])
    page.goto(live_server.url + edit_path)
    granted = timezone.localdate() - datetime.timedelta(days=30)
    page.locator("#id_voucher_number").fill("RP-V-2025-0799")
    page.locator("#id_voucher_amount").fill("680.00")
    page.locator("#id_voucher_granted_on").fill(granted.strftime("%Y-%m-%d"))
    page.locator("#id_isee_low").check()
    journey.shot(page, "staff-place-voucher-typed")
    page.locator("main form button.action-save").first.click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text(
        _before_placeholder(FUNDING_MESSAGES["voucher_over_allowance"])
    )
    expect(page.locator("main")).to_contain_text("600")
    journey.shot(page, "staff-voucher-refused")
    assert PlaceFunding.objects.filter(pk=place.pk).values().get() == before
    assert not PlaceFunding.objects.filter(voucher_number="RP-V-2025-0799").exists()
    journey.assert_no_server_errors()


def _scan_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.drawString(72, 720, "Foglio firme firmato")
    sheet.save()
    return buffer.getvalue()


def test_instructor_fills_in_todays_register_details_and_sheet(
    new_page, live_server, journey, demo_content
):
    docente = User.objects.get(email="docente@makers-school.example")
    # The demo's school day (demo/data/attendance.yaml, day 0, the fourth of its
    # sessions): today's, or on a weekend or holiday the last one before it, with
    # its register open; never looked up by today's date.
    today = Session.objects.filter(edition__code=LIVE).order_by("start")[3]
    register_path = reverse("portal:register", args=[today.pk])
    details_path = reverse("attendance:register_details", args=[today.pk])

    # 1. My teaching, then today's register of the live edition.
    page = new_page(viewport=PHONE)
    sign_in_as(page, live_server, docente)
    page.goto(live_server.url + reverse("portal:teaching"))
    journey.shot(page, "my-teaching")
    axe_check(page, journey=journey, name="my-teaching")
    page.locator(f"a[href$='{register_path}']").first.click()
    page.wait_for_url(re.compile(re.escape(register_path) + "$"))
    journey.shot(page, "register")
    axe_check(page, journey=journey, name="register")

    # 2. Its details: the topics covered are saved, with a message.
    page.locator(f"main a[href$='{details_path}']").first.click()
    page.wait_for_url(re.compile(re.escape(details_path) + "$"))
    axe_check(page, journey=journey, name="register-details")
    topics = "Orientamento dei pezzi sul piano di stampa; supporti e distacco."
    page.locator("#id_topics_covered").fill(topics)
    page.locator(".register-details-form [type=submit]").click()
    page.wait_for_url(re.compile(re.escape(details_path) + "$"))
    # Once: the page used to repeat the message base.html already shows.
    expect(page.get_by_text(italian("The session's details are saved."))).to_have_count(
        1
    )
    expect(page.locator(".site-messages")).to_contain_text(
        italian("The session's details are saved.")
    )
    assert SessionRegister.objects.get(session=today).topics_covered == topics
    journey.shot(page, "register-details-saved")
    axe_check(page, journey=journey, name="register-details-saved")

    # 3. On the phone register: a trainee present, then her entry and exit.
    page.goto(live_server.url + register_path)
    enrolment = today.edition.enrolments.filter(
        trainee__email="allievo@makers-school.example"
    ).get()
    row = f"#register-row-{enrolment.pk}"
    if not page.locator(f"{row} .register-times-form").count():
        page.locator(f"{row} .register-buttons button[value=present]").click()
    expect(page.locator(f"{row} .register-entry")).to_be_visible()
    # Ten minutes after the start, twenty before the end: morning or afternoon.
    start = timezone.localtime(today.start)
    entry = (start + datetime.timedelta(minutes=10)).strftime("%H:%M")
    exit_ = (timezone.localtime(today.end) - datetime.timedelta(minutes=20)).strftime(
        "%H:%M"
    )
    page.locator(f"{row} .register-entry").fill(entry)
    page.locator(f"{row} .register-exit").fill(exit_)
    page.locator(f"{row} .register-times-form [type=submit]").click()
    expect(page.locator(f"{row} .register-times")).to_have_text(f"{entry}–{exit_}")
    record = AttendanceRecord.objects.get(session=today, enrolment=enrolment)
    assert timezone.localtime(record.entered_at).strftime("%H:%M") == entry
    assert timezone.localtime(record.exited_at).strftime("%H:%M") == exit_
    journey.shot(page, "register-times-saved")
    axe_check(page, journey=journey, name="register-times-saved")

    # 4. The sign-in sheet is a PDF; the scan of the signed one is kept.
    page.goto(live_server.url + details_path)
    scans = RegisterScan.objects.filter(session=today).count()
    sheet_path = reverse("attendance:sign_in_sheet", args=[today.pk])
    sheet = page.request.get(live_server.url + sheet_path)
    assert sheet.status == 200
    assert sheet.headers["content-type"].startswith("application/pdf")
    with page.expect_download() as download_info:
        page.locator(f"a[href='{sheet_path}']").click()
    path = download_info.value.path()
    with open(path, "rb") as downloaded:
        assert downloaded.read(5) == b"%PDF-"
    page.locator(".scan-upload-form input[type=file]").set_input_files(
        {
            "name": "foglio-firme.pdf",
            "mimeType": "application/pdf",
            "buffer": _scan_pdf(),
        }
    )
    page.locator(".scan-upload-form [type=submit]").click()
    page.wait_for_url(re.compile(re.escape(details_path) + "$"))
    expect(page.locator(".register-scans")).to_contain_text("foglio-firme.pdf")
    assert RegisterScan.objects.filter(session=today).count() == scans + 1
    journey.shot(page, "register-scan-listed")
    axe_check(page, journey=journey, name="register-scan-listed")
    journey.assert_no_server_errors()
