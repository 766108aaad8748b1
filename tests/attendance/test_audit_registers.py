"""Issue 26: entry and exit times, session details, the audited history of a
corrected exit, the hours selector, the paper fallback (sign-in sheet, scans)
and the funder export, with permissions on every new page."""

import datetime
import io
import re
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from attendance.exceptions import AttendanceError
from attendance.models import AttendanceRecord, RegisterScan, SessionRegister
from attendance.selectors import edition_hours_attended, register_history
from attendance.services import (
    attendance_correct,
    attendance_mark,
    register_details_save,
    register_scan_add,
)
from attendance.sign_in_sheet import session_code
from core.audit import audit_entries
from core.exports import prepared_file_page
from core.models import PreparedFile, PreparedFileStatus
from core.prepared_files import prepared_file_build, prepared_file_notify
from courses.models import CourseEdition
from people.models import Role
from people.security import (
    ACTIONS,
    PERSONAL_DATA_EXPORT_ASKED,
    PERSONAL_DATA_EXPORTED,
)
from people.services import roles_sync
from tests.factories import (
    InstructorFactory,
    UserFactory,
    edition_running,
    rome_at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.MAKERS_PRIVATE_ROOT = tmp_path / "private"
    return settings.MAKERS_PRIVATE_ROOT


@pytest.fixture
def instructor():
    return InstructorFactory()


@pytest.fixture
def running(instructor):
    """At 10:00 on the day of a 09:00-13:00 session of an edition in progress."""
    with time_machine.travel(rome_at(0, hour=10), tick=False):
        yield edition_running(instructor=instructor)


@pytest.fixture
def staff_member():
    roles_sync()
    return UserFactory(is_staff=True, role=Role.STAFF)


def _at(session, hour, minute=0):
    return rome_at(0, hour=hour, minute=minute).replace(
        year=session.start.year, month=session.start.month, day=session.start.day
    )


# --- Times and minutes --------------------------------------------------------


def test_present_mark_takes_the_session_times(running, instructor):
    _, sessions, enrolments = running
    record = attendance_mark(
        session=sessions[2], enrolment=enrolments[0], status="present", actor=instructor
    )
    assert (record.entered_at, record.exited_at) == (sessions[2].start, sessions[2].end)
    assert record.minutes_present == 240


def test_typed_times_decide_the_minutes_clipped_to_the_session(running, instructor):
    _, sessions, enrolments = running
    record = attendance_mark(
        session=sessions[2],
        enrolment=enrolments[0],
        status="late",
        entered_at="08:30",
        exited_at="12:15",
        actor=instructor,
    )
    # 08:30 is clipped to the 09:00 start: 3 h 15.
    assert record.minutes_present == 195
    hours = edition_hours_attended(edition=sessions[2].edition)
    row = next(t for t in hours.trainees if t.enrolment == enrolments[0])
    assert str(row.hours(sessions[2].pk)) == "3.25"
    assert str(row.hours_total) == "3.25"


@pytest.mark.parametrize(
    "entry, exit, code",
    [
        ("12:00", "10:00", "exit_before_entry"),
        ("14:00", "15:00", "times_outside"),
        ("nine", "", "bad_time"),
    ],
)
def test_bad_times_are_refused_and_nothing_stored(
    running, instructor, entry, exit, code
):
    _, sessions, enrolments = running
    with pytest.raises(AttendanceError) as error:
        attendance_mark(
            session=sessions[2],
            enrolment=enrolments[0],
            status="present",
            entered_at=entry,
            exited_at=exit,
            actor=instructor,
        )
    assert error.value.code == code
    assert not AttendanceRecord.objects.exists()


def test_database_refuses_an_exit_before_the_entry(running):
    _, sessions, enrolments = running
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceRecord.objects.create(
            enrolment=enrolments[0],
            session=sessions[0],
            status="present",
            minutes_present=10,
            entered_at=sessions[0].end,
            exited_at=sessions[0].start,
            recorded_at=sessions[0].end,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceRecord.objects.create(
            enrolment=enrolments[0],
            session=sessions[0],
            status="absent",
            entered_at=sessions[0].start,
            recorded_at=sessions[0].end,
        )


def test_corrected_exit_time_keeps_its_history(running, instructor, staff_member):
    _, sessions, enrolments = running
    with time_machine.travel(sessions[0].end, tick=False):
        attendance_mark(
            session=sessions[0],
            enrolment=enrolments[0],
            status="present",
            actor=instructor,
        )
    # Two weeks later, locked: staff correct the exit with a reason.
    record = attendance_correct(
        session=sessions[0],
        enrolment=enrolments[0],
        status="left_early",
        exited_at=datetime.time(11, 30),
        actor=staff_member,
        reason="The signed sheet says 11:30",
    )
    assert record.minutes_present == 150
    entries = register_history(session=sessions[0])
    corrected, marked = entries[0], entries[1]
    assert corrected.action == "makers.attendance.correct"
    assert "T13:00" in corrected.data["old_exit"]
    assert "T11:30" in corrected.data["exit"]
    assert corrected.data["old_minutes"] == 240
    assert corrected.data["minutes"] == 150
    assert corrected.data["reason"] == "The signed sheet says 11:30"
    assert marked.action == "makers.attendance.mark"
    assert "T13:00" in marked.data["exit"]


def test_check_in_records_the_real_entry(running):
    from attendance.services import attendance_check_in, checkin_token_make

    _, sessions, enrolments = running
    record = attendance_check_in(
        session=sessions[2],
        token=checkin_token_make(session=sessions[2]),
        trainee=enrolments[0].trainee,
        device="phone-1",
    )
    assert record.entered_at == rome_at(0, hour=10)
    assert record.exited_at is None


# --- Session details ------------------------------------------------------------


def test_details_are_saved_and_audited(running, instructor, staff_member):
    _, sessions, _ = running
    register = register_details_save(
        session=sessions[2],
        actor=instructor,
        topics_covered="Slicer settings, first print",
        teacher=instructor,
        tutor=staff_member,
        started_at="09:10",
        ended_at="",
    )
    assert register.topics_covered == "Slicer settings, first print"
    assert register.started_at == _at(sessions[2], 9, 10)
    assert register.ended_at == sessions[2].end
    (entry,) = register_history(session=sessions[2])
    assert entry.action == "makers.attendance.details"
    assert entry.data["after"]["tutor_id"] == staff_member.pk


@pytest.mark.parametrize("case", ["stranger_teacher", "tutor_is_teacher", "times"])
def test_bad_details_are_refused(running, instructor, case):
    _, sessions, _ = running
    teacher, tutor, start, end = instructor, None, "", ""
    if case == "stranger_teacher":
        teacher = InstructorFactory()
    elif case == "tutor_is_teacher":
        tutor = instructor
    else:
        start, end = "12:00", "11:00"
    with pytest.raises(AttendanceError):
        register_details_save(
            session=sessions[2],
            actor=instructor,
            topics_covered="x",
            teacher=teacher,
            tutor=tutor,
            started_at=start,
            ended_at=end,
        )
    assert not SessionRegister.objects.exists()


def test_locked_details_need_staff_and_a_reason(running, instructor, staff_member):
    _, sessions, _ = running
    kwargs = {"session": sessions[0], "topics_covered": "x", "teacher": instructor}
    with pytest.raises(AttendanceError) as error:
        register_details_save(actor=instructor, tutor=None, **kwargs)
    assert error.value.code == "locked"
    with pytest.raises(AttendanceError) as error:
        register_details_save(actor=staff_member, tutor=None, **kwargs)
    assert error.value.code == "reason_required"
    register_details_save(actor=staff_member, tutor=None, reason="late paper", **kwargs)
    assert SessionRegister.objects.get().topics_covered == "x"


# --- Pages and permissions -------------------------------------------------------


def _pages(session):
    return [
        reverse("attendance:register_details", args=[session.pk]),
        reverse("attendance:sign_in_sheet", args=[session.pk]),
    ]


def test_instructor_and_staff_see_the_pages_others_do_not(
    client, running, instructor, staff_member
):
    _, sessions, enrolments = running
    for url in _pages(sessions[2]):
        client.logout()
        assert client.get(url).status_code == 302  # the login page
        client.force_login(InstructorFactory())
        assert client.get(url).status_code == 403
        client.force_login(enrolments[0].trainee)
        assert client.get(url).status_code == 403
        for user in (instructor, staff_member):
            client.force_login(user)
            assert client.get(url).status_code == 200, (url, user)


def test_sign_in_sheet_lists_the_trainees(client, running, instructor):
    _, sessions, enrolments = running
    client.force_login(instructor)
    response = client.get(reverse("attendance:sign_in_sheet", args=[sessions[2].pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(p.extract_text() for p in reader.pages)
    for enrolment in enrolments:
        assert enrolment.trainee.last_name in text
    assert sessions[2].edition.code in text
    # The QR code says the same as the title: which session the sheet is of.
    assert session_code(sessions[2]) in reader.metadata.title
    assert session_code(sessions[2]).startswith(f"MAKERS-SESSION:{sessions[2].pk}:")


def test_details_form_saves(client, running, instructor):
    _, sessions, _ = running
    client.force_login(instructor)
    url = reverse("attendance:register_details", args=[sessions[2].pk])
    response = client.post(
        url,
        {
            "topics_covered": "Bed levelling",
            "teacher": instructor.pk,
            "started_at": "09:00",
            "ended_at": "13:00",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert SessionRegister.objects.get().topics_covered == "Bed levelling"
    assert [str(m) for m in response.context["messages"]]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def test_scan_upload_is_kept_private_and_listed(
    client, running, instructor, staff_member, private_root
):
    edition, sessions, enrolments = running
    client.force_login(instructor)
    url = reverse("attendance:scan_upload", args=[sessions[2].pk])
    upload = SimpleUploadedFile("sheet.png", _png(), content_type="image/png")
    response = client.post(url, {"scan": upload}, follow=True)
    scan = RegisterScan.objects.get()
    assert scan.content_type == "image/png"
    assert str(private_root) in scan.file.path
    assert "sheet.png" in response.content.decode()
    download = reverse("attendance:scan_download", args=[scan.pk])
    assert client.get(download).status_code == 200
    client.force_login(enrolments[0].trainee)
    assert client.get(download).status_code == 403
    client.force_login(InstructorFactory())
    assert client.get(download).status_code == 403
    client.logout()
    assert client.get(download).status_code == 302
    client.force_login(staff_member)
    admin_url = reverse("registers:scan", args=[edition.pk, scan.pk])
    assert client.get(admin_url).status_code == 200


@pytest.mark.parametrize(
    "name, content",
    [
        ("sheet.png", b"not an image at all"),
        ("sheet.pdf", b"%PDF-1.4 broken"),
        ("sheet.exe", b"MZ\x90\x00"),
        ("big.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 1)),
    ],
)
def test_bad_uploads_are_refused_with_a_message_and_nothing_stored(
    client, running, instructor, private_root, name, content
):
    _, sessions, _ = running
    client.force_login(instructor)
    url = reverse("attendance:scan_upload", args=[sessions[2].pk])
    response = client.post(
        url, {"scan": SimpleUploadedFile(name, content)}, follow=True
    )
    assert [str(m) for m in response.context["messages"]]
    assert not RegisterScan.objects.exists()
    assert not any(p.is_file() for p in private_root.rglob("*"))


def test_scan_service_refuses_strangers(running):
    _, sessions, _ = running
    with pytest.raises(AttendanceError) as error:
        register_scan_add(
            session=sessions[2],
            actor=InstructorFactory(),
            upload=SimpleUploadedFile("s.png", _png()),
        )
    assert error.value.code == "not_allowed"


# --- Funder export -------------------------------------------------------------------


def test_funder_export_holds_register_scans_and_hours(
    client,
    running,
    instructor,
    staff_member,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    edition, sessions, enrolments = running
    for session in sessions[:3]:
        for enrolment in enrolments:
            with time_machine.travel(session.start + datetime.timedelta(hours=1)):
                attendance_mark(
                    session=session,
                    enrolment=enrolment,
                    status="present",
                    actor=instructor,
                )
    register_scan_add(
        session=sessions[2],
        actor=instructor,
        upload=SimpleUploadedFile("s.png", _png()),
    )
    url = reverse("registers:funder_export", args=[edition.pk])
    client.force_login(staff_member)
    assert client.get(url).status_code == 200  # asks to prepare it
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(url)
    assert asked.status_code == 302 and "/admin/downloads/" in asked["Location"]
    client.get(asked["Location"])
    with django_assert_max_num_queries(20):
        page = client.get(asked["Location"])
    assert page.status_code == 200
    (link,) = re.findall(r'href="([^"]+/file/)"', page.content.decode())
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert f"{edition.code}-register.pdf" in names
    assert any(name.startswith("scans/") and name.endswith(".png") for name in names)
    book = load_workbook(io.BytesIO(archive.read(f"{edition.code}-hours.xlsx")))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1 + len(enrolments)
    assert all(row[-1] == 12.0 for row in rows[1:])  # 3 sessions x 4 h
    for stranger in (instructor, enrolments[0].trainee):
        client.force_login(stranger)
        assert client.get(url).status_code in (302, 403)
        assert client.post(url).status_code in (302, 403)
        assert client.get(link).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    assert client.post(url).status_code == 302
    assert client.get(link).status_code == 302


def test_phone_register_saves_typed_entry_and_exit(client, running, instructor):
    _, sessions, enrolments = running
    client.force_login(instructor)
    url = reverse("portal:register_mark", args=[sessions[2].pk])
    client.post(
        url,
        {"enrolment": enrolments[0].pk, "status": "present"},
        headers={"HX-Request": "true"},
    )
    row = client.post(
        url,
        {
            "enrolment": enrolments[0].pk,
            "status": "present",
            "entry": "09:20",
            "exit": "12:40",
        },
        headers={"HX-Request": "true"},
    )
    assert row.status_code == 200
    record = AttendanceRecord.objects.get(enrolment=enrolments[0])
    assert record.entered_at == _at(sessions[2], 9, 20)
    assert record.exited_at == _at(sessions[2], 12, 40)
    assert record.minutes_present == 200
    content = row.content.decode()
    assert 'name="entry"' in content and "09:20" in content
    bad = client.post(
        url,
        {
            "enrolment": enrolments[0].pk,
            "status": "present",
            "entry": "12:00",
            "exit": "10:00",
        },
        headers={"HX-Request": "true"},
    )
    assert "text-danger" in bad.content.decode()
    record.refresh_from_db()
    assert record.minutes_present == 200


def test_funder_export_is_audited_on_the_edition_and_emailed_once(
    client, running, staff_member, mailoutbox, django_capture_on_commit_callbacks
):
    """Who asked for an edition's funder file, who downloaded it, when: on the
    edition, in its history; the staff member is emailed once it is ready."""
    edition = running[0]
    url = reverse("registers:funder_export", args=[edition.pk])
    client.force_login(staff_member)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(url)
    prepared = PreparedFile.objects.get(owner=staff_member)
    assert prepared.status == PreparedFileStatus.READY
    (email,) = mailoutbox
    assert email.to == [staff_member.email]
    assert prepared_file_page(prepared) in email.body
    with django_capture_on_commit_callbacks(execute=True):
        prepared_file_build.enqueue(prepared_id=prepared.pk)  # a second run
        prepared_file_notify.enqueue(prepared.pk)
    assert len(mailoutbox) == 1
    page = client.get(asked["Location"]).content.decode()
    (link,) = re.findall(r'href="([^"]+/file/)"', page)
    assert client.get(link).status_code == 200
    entries = audit_entries(instance=edition, prefix="makers.security.")
    assert [e.action for e in entries] == [
        PERSONAL_DATA_EXPORT_ASKED,
        PERSONAL_DATA_EXPORTED,
    ]
    for entry in entries:
        assert entry.user == staff_member
        assert entry.timestamp == timezone.now()
        assert entry.data["export"] == "funder_export"
        assert entry.data["edition"] == edition.code
        assert entry.data["file"] == str(prepared.public_id)
        assert entry.data["path"] and "ip" in entry.data
    history = reverse(
        CourseEdition.snippet_viewset.get_url_name("history"), args=[edition.pk]
    )
    html = client.get(history).content.decode()
    with translation.override(re.search(r'<html lang="([^"]+)"', html)[1]):
        for action in (PERSONAL_DATA_EXPORT_ASKED, PERSONAL_DATA_EXPORTED):
            assert escape(str(ACTIONS[action][1])) in html  # the entry's message
