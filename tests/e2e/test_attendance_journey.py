"""Issue 7's browser journeys on a phone: the instructor marks a register (one
tap per trainee, saved without a reload, still there after one), shows the
rotating check-in code; a trainee checks in by the code's link and sees the
updated percentage. axe finds no serious or critical violation on those pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from attendance.models import AttendanceRecord
from tests.e2e.conftest import PHONE, axe_check, sign_in_as
from tests.factories import InstructorFactory, edition_running, site_tree

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_instructor_marks_the_register_and_a_trainee_checks_in(
    new_page, live_server, journey
):
    site_tree()
    instructor = InstructorFactory(first_name="Carla", last_name="Docente")
    edition, sessions, enrolments = edition_running(instructor=instructor, trainees=3)
    # Today's session runs now, whatever hour the suite is set to.
    today = sessions[2]
    now = timezone.now().replace(second=0, microsecond=0)
    today.start = now - datetime.timedelta(minutes=5)
    today.end = now + datetime.timedelta(hours=3)
    today.save()
    first, second, third = enrolments

    teacher = new_page(viewport=PHONE)
    sign_in_as(teacher, live_server, instructor)
    teacher.goto(live_server.url + reverse("portal:teaching"))
    axe_check(teacher, journey=journey, name="my-teaching")
    teacher.locator(
        f"a[href$='{reverse('portal:register', args=[today.pk])}']"
    ).first.click()
    teacher.wait_for_load_state()
    expect(teacher.locator(".register-row")).to_have_count(3)
    journey.shot(teacher, "register-open")
    axe_check(teacher, journey=journey, name="register")

    # One tap: saved without a reload (the page's own marker survives).
    teacher.evaluate("window.__noReload = true")
    row = teacher.locator(f"#register-row-{first.pk}")
    row.locator(".register-buttons button[value=present]").click()
    expect(
        teacher.locator(
            f"#register-row-{first.pk} .register-buttons button[value=present]"
        )
    ).to_have_attribute("aria-pressed", "true")
    # The count above the list follows the tap (swapped out of band).
    expect(teacher.locator("#register-count")).to_have_count(1)
    expect(teacher.locator("#register-count")).to_contain_text("1")
    expect(teacher.locator("#register-count")).not_to_contain_text("0")
    teacher.locator(
        f"#register-row-{first.pk} .register-buttons button[value=late]"
    ).click()
    expect(
        teacher.locator(f"#register-row-{first.pk} input[name=minutes]")
    ).to_be_visible()
    assert teacher.evaluate("window.__noReload") is True
    assert AttendanceRecord.objects.get(enrolment=first).status == "late"
    journey.shot(teacher, "register-marked")

    # The check-in code, and its link for the trainee.
    teacher.goto(live_server.url + reverse("portal:register_qr", args=[today.pk]))
    expect(teacher.locator("#check-in-code svg")).to_be_visible()
    # Finding 7: the code is whole and centred on a phone.
    box = teacher.locator("#check-in-code svg").bounding_box()
    width = teacher.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert abs((box["x"] + box["width"] / 2) - width / 2) <= 2
    axe_check(teacher, journey=journey, name="check-in-code")
    journey.shot(teacher, "check-in-code")
    link = teacher.locator(".check-in-link").get_attribute("href")

    trainee = new_page(viewport=PHONE)
    sign_in_as(trainee, live_server, second.trainee)
    trainee.goto(link)
    axe_check(trainee, journey=journey, name="check-in")
    trainee.locator("form button[type=submit]").last.click()
    trainee.wait_for_load_state()
    assert trainee.url.endswith(
        reverse("attendance:enrolment_attendance", args=[second.pk])
    )
    # Two past sessions unrecorded, today's 185 minutes of 4 x 240 + 185.
    expect(trainee.locator("#attendance-percent")).not_to_have_text("0.0 %")
    journey.shot(trainee, "trainee-attendance")
    axe_check(trainee, journey=journey, name="trainee-attendance")
    record = AttendanceRecord.objects.get(enrolment=second)
    assert record.source == "check_in"
    # Finding 16: the link opened again says so, with no button.
    trainee.goto(link)
    expect(trainee.locator("#already-checked-in")).to_be_visible()
    expect(
        trainee.locator("form button[type=submit]:has-text('presente')")
    ).to_have_count(0)

    # Back on the register: "all present" marks the third, keeps the others.
    teacher.goto(live_server.url + reverse("portal:register", args=[today.pk]))
    expect(
        teacher.locator(f"#register-row-{second.pk} .register-status")
    ).to_have_attribute("data-status", "present")
    teacher.evaluate("window.__noReload = true")
    teacher.locator("form[action$='all-present/'] button").click()
    expect(
        teacher.locator(
            f"#register-row-{third.pk} .register-buttons button[value=present]"
        )
    ).to_have_attribute("aria-pressed", "true")
    assert teacher.evaluate("window.__noReload") is True
    teacher.reload()
    expect(
        teacher.locator(
            f"#register-row-{first.pk} .register-buttons button[value=late]"
        )
    ).to_have_attribute("aria-pressed", "true")
    journey.shot(teacher, "register-after-reload")

    # Finding 34: the self check-in awaits confirmation; closing asks first.
    confirm = teacher.locator(f"#register-row-{second.pk} .register-confirm")
    expect(confirm).to_be_visible()
    confirm.click()
    expect(teacher.locator(".register-confirm")).to_have_count(0)
    teacher.locator(
        f"a[href$='{reverse('portal:register_close', args=[today.pk])}']"
    ).click()
    teacher.wait_for_load_state()
    axe_check(teacher, journey=journey, name="register-close")
    teacher.locator(".register-close form button[type=submit]").click()
    teacher.wait_for_load_state()
    record.refresh_from_db()
    assert record.confirmed_by_id == instructor.pk
    assert today.register.closed_at
    journey.assert_no_server_errors()
