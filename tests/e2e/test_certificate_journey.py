"""Issue 9's browser journey: verifying a certificate and downloading it.

A visitor types a verification code on /verify/ and sees a valid certificate with
its holder, course and the PDF's SHA-256; another code shows a revoked one with
the date and the reason. The trainee signs in, opens "My certificates" from the
dashboard and downloads the PDF: a real PDF whose SHA-256 is the one the
verification page publishes. axe finds no serious or critical violation on
/verify/, the verification results and My certificates.

The certificates are issued (and one revoked) through the certificate services,
signed with the session's development key (tests/conftest.py).
"""

import hashlib
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import empty
from playwright.sync_api import expect

from certificates import services
from certificates.models import private_storage
from core.dates import date_format
from tests.e2e.conftest import axe_check, italian, sign_in_as
from tests.factories import TraineeFactory, edition_completed, site_tree

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def private_root(settings, tmp_path, signing_key):
    """The PDFs of this test in its own folder (the lazy storage reads it)."""
    settings.MAKERS_PRIVATE_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield settings.MAKERS_PRIVATE_ROOT
    private_storage._wrapped = empty


def _off_the_event_loop(function, /, **kwargs):
    """Run `function` in a thread of its own and return its result.

    pyHanko signs through asyncio.run(), which refuses to run in a thread with
    an event loop already running, and Playwright's sync API keeps one running
    in the test's thread once the browser is open.
    """

    def call():
        try:
            return function(**kwargs)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(call).result()


def _issued(trainee, *, title: str):
    edition, _, (enrolment,) = edition_completed(trainees=1)
    course = edition.course
    course.title = title
    course.save()
    enrolment.trainee = trainee
    enrolment.save()
    return _off_the_event_loop(
        services.certificate_issue, enrolment=enrolment, actor=None
    )


def _verify_by_code(page, live_server, code: str) -> None:
    page.goto(live_server.url + reverse("certificates:verify_start"))
    page.locator("#id_code").fill(code)
    page.locator("form[method=get] [type=submit]").click()
    page.wait_for_url(
        re.compile(re.escape(reverse("certificates:verify", args=[code])) + "$")
    )


def test_visitor_verifies_and_trainee_downloads_the_pdf(
    new_page, live_server, journey, private_root
):
    site_tree()
    trainee = TraineeFactory(first_name="Niccolò", last_name="Dell'Àcqua")
    valid = _issued(trainee, title="Saldatura robotizzata")
    revoked = _issued(trainee, title="Fresatura CNC")
    revoked = services.certificate_revoke(
        certificate=revoked, actor=None, reason="Dati anagrafici errati"
    )

    # 1. A visitor types the code of the valid certificate.
    visitor = new_page()
    visitor.goto(live_server.url + reverse("certificates:verify_start"))
    expect(visitor.locator("h1")).to_have_text(italian("Verify a certificate"))
    journey.shot(visitor, "verify-form")
    axe_check(visitor, journey=journey, name="verify-form")
    _verify_by_code(visitor, live_server, valid.verification_code)
    result = visitor.locator("section[aria-labelledby=verify-result]")
    expect(result.locator("#verify-result")).to_have_text(italian("Valid certificate"))
    expect(result).to_contain_text("Niccolò Dell'Àcqua")
    expect(result).to_contain_text("Saldatura robotizzata")
    expect(result).to_contain_text(valid.serial)
    expect(result.locator("code")).to_have_text(valid.pdf_sha256)
    assert trainee.email not in visitor.content()
    journey.shot(visitor, "verify-valid")
    axe_check(visitor, journey=journey, name="verify-valid")

    # 2. The revoked one says so, with the date and the reason.
    _verify_by_code(visitor, live_server, revoked.verification_code)
    result = visitor.locator("section[aria-labelledby=verify-result]")
    expect(result.locator("#verify-result")).to_have_text(
        italian("Revoked certificate")
    )
    with translation.override("it"):
        revoked_on = date_format(timezone.localtime(revoked.revoked_at), "j F Y")
    expect(result.locator(".alert-danger")).to_contain_text(revoked_on)
    expect(result.locator(".alert-danger")).to_contain_text("Dati anagrafici errati")
    expect(result).to_contain_text("Fresatura CNC")
    journey.shot(visitor, "verify-revoked")
    axe_check(visitor, journey=journey, name="verify-revoked")

    # 3. The trainee opens "My certificates" from the dashboard.
    page = new_page()
    sign_in_as(page, live_server, trainee)
    page.goto(live_server.url + reverse("portal:dashboard"))
    my_certificates = reverse("portal:certificates")
    page.locator(f"main a[href$='{my_certificates}']").first.click()
    page.wait_for_url(re.compile(re.escape(my_certificates) + "$"))
    expect(page.locator("h1")).to_have_text(italian("My certificates"))
    row = page.locator("tr", has_text=valid.serial)
    expect(row).to_contain_text("Saldatura robotizzata")
    expect(row.locator(".badge")).to_have_text(italian("Valid"))
    expect(page.locator("tr", has_text=revoked.serial).locator(".badge")).to_have_text(
        italian("Revoked")
    )
    journey.shot(page, "my-certificates")
    axe_check(page, journey=journey, name="my-certificates")

    # 4. The download is the PDF whose SHA-256 the verification page publishes.
    download_path = reverse("certificates:download", args=[valid.pk])
    with page.expect_download() as info:
        row.locator(f"a[href$='{download_path}']").click()
    download = info.value
    assert download.suggested_filename == f"{valid.serial}.pdf"
    body = Path(download.path()).read_bytes()
    assert body.startswith(b"%PDF-")
    verify_path = reverse("certificates:verify", args=[valid.verification_code])
    row.locator(f"a[href$='{verify_path}']").click()
    page.wait_for_url(re.compile(re.escape(verify_path) + "$"))
    published = page.locator("section[aria-labelledby=verify-result] code")
    expect(published).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    assert hashlib.sha256(body).hexdigest() == published.inner_text().strip()
    assert published.inner_text().strip() == valid.pdf_sha256
    journey.shot(page, "trainee-verification-page")
    journey.assert_no_server_errors()
