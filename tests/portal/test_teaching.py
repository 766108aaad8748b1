"""The instructor's register pages, the trainee's check-in and attendance page,
the company page's figures: permissions, htmx marks, query counts."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from attendance.models import AttendanceRecord, SessionRegister
from attendance.services import checkin_token_make
from people.models import Role
from tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    CompetencyFactory,
    CoursePageFactory,
    InstructorFactory,
    TraineeFactory,
    edition_running,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_ten_in_rome")]


@pytest.fixture
def instructor():
    return InstructorFactory()


@pytest.fixture
def running(instructor):
    competencies = [CompetencyFactory(), CompetencyFactory()]
    course = CoursePageFactory(competencies=competencies)
    edition, sessions, enrolments = edition_running(
        instructor=instructor, course=course
    )
    return edition, sessions, enrolments


def _urls(edition, sessions, enrolments):
    today = sessions[2]
    return {
        "get": [
            reverse("portal:register", args=[today.pk]),
            reverse("portal:register_qr", args=[today.pk]),
            reverse("portal:register_qr_code", args=[today.pk]),
            reverse("portal:teaching_edition", args=[edition.pk]),
            reverse("portal:edition_assessments", args=[edition.pk]),
            reverse("portal:edition_register_export", args=[edition.pk, "pdf"]),
            reverse("portal:edition_register_export", args=[edition.pk, "csv"]),
        ],
        "post": [
            (
                reverse("portal:register_mark", args=[today.pk]),
                {"enrolment": enrolments[0].pk, "status": "present"},
            ),
            (reverse("portal:register_all_present", args=[today.pk]), {}),
            (reverse("portal:register_close", args=[today.pk]), {}),
        ],
    }


def test_the_editions_instructor_gets_every_page(client, running, instructor):
    client.force_login(instructor)
    urls = _urls(*running)
    for url in [reverse("portal:teaching"), *urls["get"]]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["instructor", "trainee", "enrolled"])
def test_others_get_403_and_nothing_is_stored(client, running, who):
    edition, sessions, enrolments = running
    person = {
        "instructor": lambda: InstructorFactory(),
        "trainee": lambda: TraineeFactory(),
        "enrolled": lambda: enrolments[1].trainee,
    }[who]()
    client.force_login(person)
    urls = _urls(*running)
    for url in urls["get"]:
        assert client.get(url).status_code == 403, url
    for url, data in urls["post"]:
        assert client.post(url, data).status_code == 403, url
    assert not AttendanceRecord.objects.exists()
    assert not SessionRegister.objects.exists()
    # My teaching itself is everyone's own (empty for them).
    assert client.get(reverse("portal:teaching")).status_code == 200


def test_anonymous_is_sent_to_login(client, running):
    urls = _urls(*running)
    for url in [reverse("portal:teaching"), *urls["get"]]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    for url, data in urls["post"]:
        assert client.post(url, data).status_code == 302


def test_my_teaching_lists_today_and_upcoming(
    client, running, instructor, django_assert_max_num_queries
):
    client.force_login(instructor)
    with django_assert_max_num_queries(12):  # +2: the menu asks for admin access
        response = client.get(reverse("portal:teaching"))
    content = response.content.decode()
    _, sessions, _ = running
    assert reverse("portal:register", args=[sessions[2].pk]) in content
    assert reverse("portal:register", args=[sessions[3].pk]) in content


def test_register_page_queries_do_not_grow_with_trainees(
    client, instructor, django_assert_max_num_queries
):
    edition, sessions, enrolments = edition_running(instructor=instructor, trainees=40)
    client.force_login(instructor)
    client.get(reverse("portal:register", args=[sessions[2].pk]))  # warm-up
    # Session and user, the session, the teaching check, history, records,
    # trainees; the site's header (4).
    with django_assert_max_num_queries(13):  # +2: the menu asks for admin access
        response = client.get(reverse("portal:register", args=[sessions[2].pk]))
    assert response.content.decode().count('class="register-row ') == 40


def test_htmx_mark_returns_the_row_and_a_reload_shows_it(client, running, instructor):
    _, sessions, enrolments = running
    client.force_login(instructor)
    url = reverse("portal:register_mark", args=[sessions[2].pk])
    response = client.post(
        url,
        {"enrolment": enrolments[0].pk, "status": "late"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.strip().startswith("<li")
    assert f'id="register-row-{enrolments[0].pk}"' in fragment
    assert 'name="minutes" value="180"' in fragment
    record = AttendanceRecord.objects.get()
    assert (record.status, record.minutes_present) == ("late", 180)
    page = client.get(reverse("portal:register", args=[sessions[2].pk]))
    assert 'aria-pressed="true">' in page.content.decode()


def test_htmx_mark_updates_the_marked_count_above_the_list(client, running, instructor):
    """The row comes back with the "n of m marked" line, swapped out of band:
    one tap moves the count the instructor reads at the top."""
    _, sessions, enrolments = running
    client.force_login(instructor)
    url = reverse("portal:register_mark", args=[sessions[2].pk])
    total = len(enrolments)

    def count_after(enrolment, status) -> tuple[str, list[str]]:
        fragment = client.post(
            url,
            {"enrolment": enrolment.pk, "status": status},
            headers={"HX-Request": "true"},
        ).content.decode()
        found = re.search(r'<p [^>]*id="register-count"[^>]*>([^<]*)</p>', fragment)
        assert found, fragment
        assert 'hx-swap-oob="true"' in found.group(0)
        return found.group(1), re.findall(r"\d+", found.group(1))

    with translation.override("it"):
        italian = translation.gettext("%(marked)s of %(total)s marked")
    text, numbers = count_after(enrolments[0], "present")
    assert text == italian % {"marked": 1, "total": total}
    assert count_after(enrolments[1], "present")[1] == ["2", str(total)]
    # Marking the same trainee again does not count twice.
    assert count_after(enrolments[0], "absent")[1] == ["2", str(total)]


def test_mark_query_count(client, running, instructor, django_assert_max_num_queries):
    _, sessions, enrolments = running
    client.force_login(instructor)
    url = reverse("portal:register_mark", args=[sessions[2].pk])
    data = {"enrolment": enrolments[0].pk, "status": "present"}
    client.post(url, data, headers={"HX-Request": "true"})  # warm-up
    data["status"] = "late"
    with django_assert_max_num_queries(14):  # +2: the menu asks for admin access
        response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="register-row-{enrolments[0].pk}"' in response.content.decode()
    record = AttendanceRecord.objects.get()
    assert (record.enrolment_id, record.status) == (enrolments[0].pk, "late")


def test_refused_mark_shows_the_message_in_the_row(client, running, instructor):
    _, sessions, enrolments = running
    client.force_login(instructor)
    response = client.post(
        reverse("portal:register_mark", args=[sessions[3].pk]),
        {"enrolment": enrolments[0].pk, "status": "present"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "not started yet" in response.content.decode() or "non è ancora" in (
        response.content.decode()
    )
    assert not AttendanceRecord.objects.exists()
    # Without htmx: a message on the register page.
    response = client.post(
        reverse("portal:register_mark", args=[sessions[2].pk]),
        {"enrolment": enrolments[0].pk, "status": "late", "minutes": "999"},
        follow=True,
    )
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert not AttendanceRecord.objects.exists()


def test_mark_for_an_enrolment_of_another_edition_is_404(client, running, instructor):
    _, sessions, _ = running
    _, _, others = edition_running()
    client.force_login(instructor)
    response = client.post(
        reverse("portal:register_mark", args=[sessions[2].pk]),
        {"enrolment": others[0].pk, "status": "present"},
    )
    assert response.status_code == 404


def test_all_present_and_close(client, running, instructor):
    _, sessions, enrolments = running
    client.force_login(instructor)
    response = client.post(
        reverse("portal:register_all_present", args=[sessions[2].pk]),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'id="register-list"' in response.content.decode()
    assert AttendanceRecord.objects.filter(session=sessions[2]).count() == 3
    client.post(reverse("portal:register_close", args=[sessions[2].pk]))
    page = client.get(reverse("portal:register", args=[sessions[2].pk]))
    assert "register-marks" not in page.content.decode()


def test_qr_code_is_an_inline_svg_and_not_cached(client, running, instructor):
    _, sessions, _ = running
    client.force_login(instructor)
    response = client.get(reverse("portal:register_qr_code", args=[sessions[2].pk]))
    content = response.content.decode()
    assert "<svg" in content
    assert response["Cache-Control"] == "no-store"
    # Finding 7: a viewBox and no fixed width, so CSS fits it to a phone.
    svg = content[content.index("<svg") : content.index(">", content.index("<svg"))]
    assert "viewBox=" in svg and "width=" not in svg


def test_check_in_page_then_post(client, running):
    _, sessions, enrolments = running
    trainee = enrolments[0].trainee
    token = checkin_token_make(session=sessions[2])
    url = reverse("portal:check_in", args=[sessions[2].pk, token])
    assert client.get(url).status_code == 302  # anonymous: to login
    client.force_login(trainee)
    assert client.get(url).status_code == 200
    assert not AttendanceRecord.objects.exists()  # a GET stores nothing
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "attendance:enrolment_attendance", args=[enrolments[0].pk]
    )
    assert AttendanceRecord.objects.get().source == "check_in"
    # Finding 16: the used link, opened or sent again, says so; no button.
    for again in (client.get(url), client.post(url)):
        assert again.status_code == 200
        content = again.content.decode()
        assert 'id="already-checked-in"' in content
        assert "I am here" not in content and "Sono presente" not in content
    client.force_login(TraineeFactory())
    assert client.post(url).status_code == 409


def test_trainee_attendance_page(client, running, django_assert_max_num_queries):
    _, sessions, enrolments = running
    AttendanceRecord.objects.create(
        enrolment=enrolments[0],
        session=sessions[0],
        status="present",
        minutes_present=240,
        recorded_at=sessions[0].end,
    )
    url = reverse("attendance:enrolment_attendance", args=[enrolments[0].pk])
    client.force_login(enrolments[0].trainee)
    with django_assert_max_num_queries(14):  # +2: the menu asks for admin access
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["figures"].percent == 25.0
    # Someone else's enrolment: 404; anonymous: login.
    client.force_login(enrolments[1].trainee)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    # My courses links it.
    client.force_login(enrolments[0].trainee)
    assert url in client.get(reverse("enrolment:my_courses")).content.decode()


def test_edition_overview_flags_those_at_risk(
    client, running, instructor, django_assert_max_num_queries
):
    edition, sessions, enrolments = running
    for session in sessions[:2]:
        for enrolment in enrolments:
            present = enrolment == enrolments[1]
            AttendanceRecord.objects.create(
                enrolment=enrolment,
                session=session,
                status="present" if present else "absent",
                minutes_present=240 if present else 0,
                recorded_at=session.end,
            )
    client.force_login(instructor)
    with django_assert_max_num_queries(16):  # +2: the menu asks for admin access
        response = client.get(reverse("portal:teaching_edition", args=[edition.pk]))
    at_risk = [t for t in response.context["trainees"] if t.at_risk]
    assert enrolments[1].pk not in {t.enrolment.pk for t in at_risk}
    assert len(at_risk) == 2
    assert response.content.decode().count("badge bg-danger") == 2


def test_assessments_page_saves_and_refuses(client, running, instructor):
    edition, _, enrolments = running
    competency = edition.course.competencies.first()
    client.force_login(instructor)
    url = reverse("portal:edition_assessments", args=[edition.pk])
    response = client.post(
        url,
        {
            "enrolment": enrolments[0].pk,
            "competency": competency.pk,
            "achieved": "yes",
            "score": "90",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert enrolments[0].assessments.get().score == 90
    response = client.post(
        url,
        {
            "enrolment": enrolments[0].pk,
            "competency": competency.pk,
            "achieved": "yes",
            "score": "900",
        },
        follow=True,
    )
    assert enrolments[0].assessments.get().score == 90
    assert list(response.context["messages"])


def test_pdf_register_reads_back_names_and_marks(client, running, instructor):
    edition, sessions, enrolments = running
    AttendanceRecord.objects.create(
        enrolment=enrolments[0],
        session=sessions[0],
        status="late",
        minutes_present=100,
        recorded_at=sessions[0].end,
    )
    client.force_login(instructor)
    response = client.get(
        reverse("portal:edition_register_export", args=[edition.pk, "pdf"])
    )
    assert response["Content-Type"] == "application/pdf"
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
    )
    for enrolment in enrolments:
        assert enrolment.trainee.last_name in text
    assert "100'" in text
    assert edition.code in text


def test_company_page_shows_employees_attendance(client, django_assert_max_num_queries):
    company = CompanyFactory()
    manager = CompanyMemberFactory(company=company, is_manager=True).user
    edition, sessions, enrolments = edition_running(trainees=2)
    for enrolment in enrolments:
        enrolment.sponsor_company = company
        enrolment.save()
    AttendanceRecord.objects.create(
        enrolment=enrolments[0],
        session=sessions[0],
        status="present",
        minutes_present=240,
        recorded_at=sessions[0].end,
    )
    client.force_login(manager)
    response = client.get(reverse("portal:company"))
    figures = response.context["attendance"]
    assert figures[enrolments[0].pk].percent == 25.0
    assert "25.0 %" in response.content.decode() or "25,0 %" in (
        response.content.decode()
    )
    assert Role  # the manager's role comes from the factory


def test_an_instructor_without_the_role_loses_every_teaching_page(
    client, running, instructor
):
    """Finding 30: the assignment alone opens nothing once the Instructors
    group is taken away (the role also asks for MFA)."""
    edition, sessions, enrolments = running
    sessions[2].instructor = instructor
    sessions[2].save()
    instructor.groups.clear()
    client.force_login(instructor)
    urls = _urls(*running)
    for url in urls["get"]:
        assert client.get(url).status_code == 403, url
    for url, data in urls["post"]:
        assert client.post(url, data).status_code == 403, url
    competency = edition.course.competencies.first()
    response = client.post(
        reverse("portal:edition_assessments", args=[edition.pk]),
        {"enrolment": enrolments[0].pk, "competency": competency.pk, "achieved": "yes"},
    )
    assert response.status_code == 403
    page = client.get(reverse("portal:teaching"))
    assert reverse("portal:register", args=[sessions[2].pk]) not in (
        page.content.decode()
    )
    assert not AttendanceRecord.objects.exists()
    assert not SessionRegister.objects.exists()
    assert not enrolments[0].assessments.exists()


def test_instructors_exports_are_private_and_csv_for_italian_excel(
    client, running, instructor
):
    """Findings 23 and 15 on the instructor's side."""
    edition, _, _ = running
    client.force_login(instructor)
    for fmt in ("pdf", "csv"):
        response = client.get(
            reverse("portal:edition_register_export", args=[edition.pk, fmt])
        )
        assert response["Cache-Control"] == "private, no-store", fmt
    assert response.content.startswith(b"\xef\xbb\xbf")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.count('";"') >= 3 and '","' not in header


def test_trainee_page_with_nothing_recorded_says_nothing_is_missed(client, running):
    """Finding 6: sessions over but not recorded are not "missed", the minutes of
    a late arrival read as minutes present, and the page says how much may
    still be missed."""
    edition, sessions, enrolments = running
    sessions[0].mandatory = True
    sessions[0].save()
    edition.min_attendance_percent = 50
    edition.save()
    client.force_login(enrolments[0].trainee)
    with translation.override("en"):
        url = reverse("attendance:enrolment_attendance", args=[enrolments[0].pk])
    assert url.startswith("/en/")
    content = client.get(url).content.decode()
    assert "alert-warning" not in content
    assert "You missed" not in content
    assert "you may still miss up to 480 minutes, that is 2 of the 4" in content
    AttendanceRecord.objects.create(
        enrolment=enrolments[0],
        session=sessions[1],
        status="late",
        minutes_present=118,
        recorded_at=sessions[1].end,
    )
    content = client.get(url).content.decode()
    assert "(present for 118 min)" in content


def _check_in(client, session, enrolment):
    client.force_login(enrolment.trainee)
    client.cookies.pop("makers_check_in_device", None)
    token = checkin_token_make(session=session)
    return client.post(reverse("portal:check_in", args=[session.pk, token]))


def test_closing_asks_first_and_names_the_unmarked(client, running, instructor):
    """Finding 5: the close button opens a confirmation naming who is
    unmarked; a bare POST closes nothing; "close anyway" closes."""
    _, sessions, enrolments = running
    today = sessions[2]
    client.force_login(instructor)
    client.post(
        reverse("portal:register_mark", args=[today.pk]),
        {"enrolment": enrolments[0].pk, "status": "present"},
    )
    page = client.get(reverse("portal:register", args=[today.pk])).content.decode()
    close_url = reverse("portal:register_close", args=[today.pk])
    assert f'href="{close_url}"' in page
    confirm = client.get(close_url)
    assert confirm.status_code == 200
    content = confirm.content.decode()
    unmarked = content[content.index('id="unmarked"') :]
    for enrolment in enrolments[1:]:
        assert enrolment.trainee.last_name in unmarked
    assert enrolments[0].trainee.last_name not in unmarked
    response = client.post(close_url, follow=True)
    assert response.redirect_chain[-1][0] == close_url
    assert enrolments[1].trainee.last_name in str(list(response.context["messages"])[0])
    assert not SessionRegister.objects.filter(closed_at__isnull=False).exists()
    client.post(close_url, {"allow_unmarked": "yes"})
    assert SessionRegister.objects.get(session=today).closed_at


def test_self_check_ins_are_confirmed_before_closing(client, running, instructor):
    """Finding 34: the register marks self check-ins to confirm; closing is
    refused naming them; per-trainee and "confirm all" confirm them."""
    _, sessions, enrolments = running
    today = sessions[2]
    for enrolment in enrolments:
        assert _check_in(client, today, enrolment).status_code == 302
    client.force_login(instructor)
    page = client.get(reverse("portal:register", args=[today.pk])).content.decode()
    assert page.count("register-confirm") == 3
    assert 'id="register-awaiting"' in page
    close_url = reverse("portal:register_close", args=[today.pk])
    content = client.get(close_url).content.decode()
    assert 'id="awaiting-confirmation"' in content
    response = client.post(close_url, {"allow_unmarked": "yes"}, follow=True)
    message = str(list(response.context["messages"])[0])
    for enrolment in enrolments:
        assert str(enrolment.trainee) in message
    assert not SessionRegister.objects.filter(closed_at__isnull=False).exists()
    confirm_url = reverse("portal:register_confirm", args=[today.pk])
    response = client.post(
        confirm_url, {"enrolment": enrolments[0].pk}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.content.decode().count("register-confirm") == 2
    client.post(confirm_url, {"next": "close"})
    assert not AttendanceRecord.objects.filter(confirmed_at__isnull=True).exists()
    client.post(close_url)
    assert SessionRegister.objects.get(session=today).closed_at
    # A trainee may not confirm.
    client.force_login(enrolments[0].trainee)
    assert client.post(confirm_url).status_code == 403


def test_a_second_device_or_a_shared_device_is_refused(client, running):
    """Finding 34: one device per trainee and session, and one trainee per
    device and session."""
    _, sessions, enrolments = running
    today = sessions[2]
    assert _check_in(client, today, enrolments[0]).status_code == 302
    # The same phone, someone else signed in.
    client.force_login(enrolments[1].trainee)
    token = checkin_token_make(session=today)
    response = client.post(reverse("portal:check_in", args=[today.pk, token]))
    assert response.status_code == 409
    assert AttendanceRecord.objects.count() == 1
    # The first trainee again from another phone.
    response = _check_in(client, today, enrolments[0])
    assert response.status_code == 409
    assert "another device" in response.content.decode() or "altro dispositivo" in (
        response.content.decode()
    )
    assert AttendanceRecord.objects.get().check_in_device


def test_trainee_sees_a_self_check_in_awaiting_confirmation(
    client, running, instructor
):
    _, sessions, enrolments = running
    assert _check_in(client, sessions[2], enrolments[0]).status_code == 302
    with translation.override("en"):
        url = reverse("attendance:enrolment_attendance", args=[enrolments[0].pk])
    assert "awaiting the instructor" in client.get(url).content.decode()
    client.force_login(instructor)
    response = client.post(reverse("portal:register_confirm", args=[sessions[2].pk]))
    assert response.status_code == 302
    assert AttendanceRecord.objects.get().confirmed_at
    client.force_login(enrolments[0].trainee)
    assert "awaiting the instructor" not in client.get(url).content.decode()
