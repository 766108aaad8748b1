"""Staff register screens in the Wagtail admin: who may look and correct, the
grid, a correction with its reason in the history, the exports."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from pypdf import PdfReader
from wagtail.users.models import UserProfile

from attendance.models import AttendanceRecord
from attendance.register_pdf import AttendanceRegisterPDF
from attendance.selectors import edition_attendance
from courses.models import Session
from people.models import Role
from people.services import roles_sync
from tests.factories import (
    ConfirmedEnrolmentFactory,
    InstructorFactory,
    SessionFactory,
    UserFactory,
    edition_running,
    rome_at,
)
from tests.text import italian

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_ten_in_rome")]


@pytest.fixture
def staff_member():
    roles_sync()
    return UserFactory(is_staff=True, role=Role.STAFF)


@pytest.fixture
def running():
    return edition_running(trainees=3)


def _correct_url(edition, session, enrolment):
    return reverse("registers:correct", args=[edition.pk, session.pk, enrolment.pk])


def test_staff_see_the_listing_and_the_grid(
    client, staff_member, running, django_assert_max_num_queries
):
    edition, sessions, enrolments = running
    client.force_login(staff_member)
    listing = client.get(reverse("registers:index"))
    assert listing.status_code == 200
    assert edition.code in listing.content.decode()
    url = reverse("registers:edition", args=[edition.pk])
    client.get(url)
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert _correct_url(edition, sessions[0], enrolments[0]) in content
    for enrolment in enrolments:
        assert enrolment.trainee.last_name in content


def test_staff_correct_a_locked_register_and_the_history_shows_it(
    client, staff_member, running
):
    edition, sessions, enrolments = running
    url = _correct_url(edition, sessions[0], enrolments[0])
    client.force_login(staff_member)
    assert client.get(url).status_code == 200
    # Without a reason: the form refuses, nothing stored.
    response = client.post(url, {"status": "present", "reason": ""})
    assert response.status_code == 200
    assert not AttendanceRecord.objects.exists()
    response = client.post(
        url, {"status": "late", "minutes": "999", "reason": "Paper register"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not AttendanceRecord.objects.exists()
    response = client.post(
        url, {"status": "present", "reason": "Signed paper register"}
    )
    assert response.status_code == 302
    record = AttendanceRecord.objects.get()
    assert (record.status, record.source) == ("present", "staff")
    page = client.get(reverse("registers:edition", args=[edition.pk]))
    assert "Signed paper register" in page.content.decode()


def test_cancelled_enrolment_or_other_edition_is_404(client, staff_member, running):
    edition, sessions, enrolments = running
    other_edition, other_sessions, others = edition_running()
    client.force_login(staff_member)
    assert (
        client.get(_correct_url(edition, other_sessions[0], enrolments[0])).status_code
        == 404
    )
    assert client.get(_correct_url(edition, sessions[0], others[0])).status_code == 404


@pytest.mark.parametrize("who", ["instructor", "admin_only"])
def test_others_are_refused(client, running, who):
    edition, sessions, enrolments = running
    if who == "instructor":
        person = InstructorFactory()
        edition.instructors.add(person)
        edition.save()
    else:
        person = UserFactory(is_staff=True)
        person.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(person)
    for url in (
        reverse("registers:edition", args=[edition.pk]),
        _correct_url(edition, sessions[0], enrolments[0]),
        reverse("registers:export", args=[edition.pk, "csv"]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    response = client.post(
        _correct_url(edition, sessions[0], enrolments[0]),
        {"status": "present", "reason": "x"},
    )
    assert response.status_code in (302, 403)
    assert not AttendanceRecord.objects.exists()


def test_anonymous_goes_to_the_admin_login(client, running):
    edition, _, _ = running
    response = client.get(reverse("registers:edition", args=[edition.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_exports(client, staff_member, running):
    edition, sessions, enrolments = running
    AttendanceRecord.objects.create(
        enrolment=enrolments[0],
        session=sessions[0],
        status="left_early",
        minutes_present=90,
        recorded_at=sessions[0].end,
    )
    client.force_login(staff_member)
    response = client.get(reverse("registers:export", args=[edition.pk, "csv"]))
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 1 + 3
    assert text.count('"') >= 2 * sum(len(r) for r in rows)  # every field quoted
    # By email: two random trainees may share a surname.
    marked = next(r for r in rows if enrolments[0].trainee.email in r)
    assert "U 90" in marked  # U(scita anticipata): the Italian staff's code
    pdf = client.get(reverse("registers:export", args=[edition.pk, "pdf"]))
    reader = PdfReader(io.BytesIO(pdf.content))
    # The audit register: the first page lists the sessions, each its own page.
    assert "90'" in "".join(page.extract_text() for page in reader.pages)
    assert (
        client.get(reverse("registers:export", args=[edition.pk, "xls"])).status_code
        == 404
    )


def test_csv_neutralises_formulas(client, staff_member, running):
    edition, _, enrolments = running
    trainee = enrolments[0].trainee
    trainee.last_name = "=HYPERLINK(1)"
    trainee.save()
    client.force_login(staff_member)
    text = client.get(
        reverse("registers:export", args=[edition.pk, "csv"])
    ).content.decode("utf-8-sig")
    assert '"\'=HYPERLINK(1)"' in text


def test_big_pdf_register_40_by_30(running):
    edition, sessions, _ = running
    Session.objects.filter(edition=edition).delete()
    for day in range(30):
        SessionFactory(
            edition=edition,
            start=rome_at(-40 + day, hour=9),
            end=rome_at(-40 + day, hour=13),
        )
    for _ in range(37):
        ConfirmedEnrolmentFactory(edition=edition)
    summary = edition_attendance(edition=edition)
    assert (len(summary.trainees), len(summary.sessions)) == (40, 30)
    _, mimetype, content = AttendanceRegisterPDF(
        summary, school_name="Makers' School", school_address="Torino"
    ).generate()
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    pages = len(reader.pages)
    assert pages > 1
    assert f"1 of {pages}" in text or f"1 di {pages}" in text
    for trainee in summary.trainees:
        assert trainee.enrolment.trainee.last_name in text


def test_exports_are_private_and_not_stored(client, staff_member, running):
    """Finding 23: names and attendance are kept by no cache, as certificates."""
    edition, _, _ = running
    client.force_login(staff_member)
    for fmt in ("pdf", "csv"):
        response = client.get(reverse("registers:export", args=[edition.pk, fmt]))
        assert response.status_code == 200
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, fmt


def test_csv_is_semicolon_separated_for_italian_spreadsheets(
    client, staff_member, running
):
    """Finding 15: Italian Excel opens a "," file in one column."""
    edition, _, _ = running
    client.force_login(staff_member)
    response = client.get(reverse("registers:export", args=[edition.pk, "csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith('"Cognome";"Nome";"Email";') or header.startswith(
        '"Last name";"First name";"Email";'
    )
    assert '","' not in header


@pytest.mark.parametrize("language", ["it", "en"])
def test_grid_codes_are_distinct_and_history_shows_labels(
    client, staff_member, running, language
):
    """Finding 2: one translated code per status, the legend from the same
    source, and the history in words, not raw codes."""
    from django.utils import translation

    from attendance.models import ATTENDANCE_CODES, AttendanceStatus
    from attendance.services import attendance_correct

    edition, sessions, enrolments = running
    statuses = list(AttendanceStatus.values)
    for enrolment, status in zip(enrolments, statuses[:3], strict=True):
        attendance_correct(
            session=sessions[0],
            enrolment=enrolment,
            status=status,
            actor=staff_member,
            reason="Paper register",
        )
    for enrolment, status in zip(enrolments[:2], statuses[3:], strict=True):
        attendance_correct(
            session=sessions[1],
            enrolment=enrolment,
            status=status,
            actor=staff_member,
            reason="Paper register",
        )
    for status in (AttendanceStatus.PRESENT, AttendanceStatus.ABSENT):
        attendance_correct(
            session=sessions[1],
            enrolment=enrolments[2],
            status=status,
            actor=staff_member,
            reason="Paper register",
        )
    profile = UserProfile.get_for_user(staff_member)
    profile.preferred_language = language
    profile.save()
    client.force_login(staff_member)
    response = client.get(reverse("registers:edition", args=[edition.pk]))
    content = response.content.decode()
    assert f'<html lang="{language}"' in content
    with translation.override(language):
        codes = {status: str(code) for status, code in ATTENDANCE_CODES.items()}
        labels = {status.value: str(status.label) for status in AttendanceStatus}
    assert len(set(codes.values())) == len(codes)
    for status, code in codes.items():
        assert f"{code} = {labels[status]}" in content
        assert f'<abbr title="{labels[status]}">{code}</abbr>' in content
    history = content.split('<table class="listing"><tbody>')[-1]
    assert f"{labels['present']} → {labels['absent']}" in history
    assert "present →" not in history and "→ absent" not in history


@pytest.mark.parametrize(("language", "delimiter"), [("it", ";"), ("en", ",")])
def test_register_csv_speaks_the_readers_spreadsheet(running, language, delimiter):
    """Separator and decimal mark follow the reader's language: Italian Excel
    splits on ";" and reads "33.3" as a date, English Excel splits on ","."""
    from django.utils import translation

    from attendance.exports import register_csv

    edition, sessions, enrolments = running
    for session in sessions:
        minutes = int((session.end - session.start).total_seconds() // 60)
        AttendanceRecord.objects.create(
            enrolment=enrolments[0],
            session=session,
            status="present" if session == sessions[0] else "absent",
            minutes_present=minutes if session == sessions[0] else 0,
            recorded_at=session.end,
        )
    summary = edition_attendance(edition=edition)
    with translation.override(language):
        _, _, content = register_csv(summary)
    rows = list(
        csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter)
    )
    assert all(len(row) == len(rows[0]) > 5 for row in rows)
    # By email: two random trainees may share a surname.
    marked = next(r for r in rows if enrolments[0].trainee.email in r)
    figure = next(t for t in summary.trainees if t.enrolment == enrolments[0])
    expected = f"{figure.percent:.1f}"
    if language == "it":
        expected = expected.replace(".", ",")
    assert expected in marked


def test_grid_cells_show_minutes_cancellations_and_links_with_mfa_on(
    client, staff_member, running, settings, django_assert_max_num_queries
):
    """Issue 22: the grid's cells are built in Python (attendance.admin_grid):
    minutes of a late arrival, a cancelled session's dash, each cell's
    correction link; the staff member holds a TOTP device, the MFA gate on."""
    from allauth.mfa.models import Authenticator
    from django.utils import translation

    from attendance.models import AttendanceStatus, attendance_code
    from attendance.services import attendance_correct

    settings.MAKERS_REQUIRE_STAFF_MFA = True
    Authenticator.objects.create(
        user=staff_member, type=Authenticator.Type.TOTP, data={}
    )
    edition, sessions, enrolments = running
    attendance_correct(
        session=sessions[0],
        enrolment=enrolments[0],
        status=AttendanceStatus.LATE,
        minutes_present=90,
        actor=staff_member,
        reason="Paper register",
    )
    sessions[1].cancelled = True
    sessions[1].save()
    client.force_login(staff_member)
    url = reverse("registers:edition", args=[edition.pk])
    client.get(url)
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    label = italian(AttendanceStatus.LATE.label)
    with translation.override("it"):
        code = attendance_code(AttendanceStatus.LATE)
    correct = _correct_url(edition, sessions[0], enrolments[0])
    assert (
        f'<td><a href="{correct}" title="{italian("Correct")}">'
        f'<abbr title="{label}">{code}</abbr> 90\'</a></td>'
    ) in content
    assert content.count("<td>—</td>") == len(enrolments)
    assert _correct_url(edition, sessions[1], enrolments[0]) not in content
