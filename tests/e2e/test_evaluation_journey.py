"""Issue 23's browser journeys of course evaluation and notices, on the demo.

The trainee (allievo4, on a 360 px phone) sees on /me/ that the questionnaire
of the completed AM-101/1 waits and that her certificate is held until she
answers; she answers it (rating scales, multiple choice, a comment), sees the
thank-you, and the hold is gone: staff can now issue the certificate, which she
then finds on "My certificates". She switches one optional notice off on
/me/notices/. An ordinary staff member (not a superuser) reads the course's
results in the admin: the figures, the comments, and who has answered but never
what. axe on every page.

The company manager's /me/company/reports/ is test_reports_journey.py's.
"""

import re

import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from certificates.models import Certificate, CertificateKind, CertificateStatus
from demo.data import data
from evaluations.models import EvaluationRequest, Response
from notices.models import NoticeKind, NoticeOptOut
from people.models import User
from tests.e2e.conftest import axe_check, italian, sign_in_as
from tests.e2e.notices_steps import session_reminder_switched_off
from tests.e2e.test_phone_widths import (
    COUNT_REQUESTS,
    NARROW_PHONE,
    SETTLE_MS,
    WIDTHS,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TRAINEE = "allievo4@makers-school.example"
STAFF = "staff@makers-school.example"
COMMENT = "Più esercizi guidati sulla stampante a filamento."
HELD = (
    "Your certificate for %(course)s (edition %(code)s) waits for the course "
    "questionnaire."
)


def _waiting_request() -> EvaluationRequest:
    """allievo4's unanswered request: AM-101/1's, which holds her certificate."""
    return EvaluationRequest.objects.select_related(
        "enrolment__edition__course", "enrolment__trainee", "questionnaire"
    ).get(enrolment__trainee__email=TRAINEE, answered_on__isnull=True)


def _fits_the_phone(page) -> None:
    """No sideways scrolling, measured as test_phone_widths.py measures: once
    loaded, the requests after load back and the fonts ready."""
    page.wait_for_load_state("load")
    document, window = page.evaluate(WIDTHS, SETTLE_MS)
    assert document <= min(window, NARROW_PHONE["width"]), (
        f"{page.url} is {document} px wide"
    )


def _check(page, journey, name: str) -> None:
    journey.shot(page, name)
    axe_check(page, journey=journey, name=name)


def _answer(page, request: EvaluationRequest) -> None:
    """Every rating 4, each choice its second answer, and the comment."""
    for question in request.questionnaire.questions.order_by("sort_order"):
        group = page.get_by_role("group", name=re.compile(re.escape(question.text)))
        if question.kind == "rating":
            group.get_by_text("4", exact=True).click()
        elif question.kind == "choice":
            group.get_by_text(question.choice_list()[1], exact=True).click()
        else:
            group.get_by_role("textbox").fill(COMMENT)
    page.get_by_role("button", name=italian("Send my answers")).click()


def _staff_issue(new_page, live_server, journey, *, request) -> None:
    """What follows the answer: staff see the trainee eligible and issue."""
    staff = new_page()
    sign_in_as(staff, live_server, User.objects.get(email=STAFF))
    edition = request.enrolment.edition
    staff.goto(
        live_server.url + reverse("certificates_admin:edition", args=[edition.pk])
    )
    trainee = request.enrolment.trainee
    row = staff.locator("tbody tr", has_text=str(trainee))
    expect(row.locator("td").nth(2)).to_have_text(italian("Eligible"))
    expect(staff.locator("header")).to_contain_text(edition.code)
    _check(staff, journey, "staff, the certificate no longer held")
    issue = row.locator("td").nth(3).get_by_role("button")
    expect(issue).to_have_accessible_name(re.compile(re.escape(str(trainee))))
    issue.click()
    # Issued: the row links the certificate's serial instead of the button.
    expect(row.locator("td").nth(3).get_by_role("link")).to_be_visible()
    # The admin's message fades in (0.5 s): axe measures its contrast once shown.
    staff.wait_for_function(
        "() => [...document.querySelectorAll('.messages > ul')]"
        ".every((list) => getComputedStyle(list).opacity === '1')"
    )
    _check(staff, journey, "staff, the certificate issued")


def _notices(page, journey, trainee) -> None:
    """From /me/, one optional notice switched off, saved with a message."""
    page.get_by_role("link", name=italian("My notices")).click()
    expect(page.locator("h1")).to_have_text(italian("My notices"))
    _fits_the_phone(page)
    _check(page, journey, "my notices")
    session_reminder_switched_off(page)
    expect(page.get_by_label(italian(NoticeKind.OFFER_EXPIRY.label))).to_be_checked()
    _fits_the_phone(page)
    _check(page, journey, "my notices, saved")
    assert NoticeOptOut.objects.filter(
        user=trainee, kind=NoticeKind.SESSION_REMINDER
    ).exists()


def test_trainee_answers_on_a_phone_and_the_certificate_is_released(
    new_page, live_server, journey, demo_content
):
    request = _waiting_request()
    trainee, edition = request.enrolment.trainee, request.enrolment.edition
    held = italian(HELD, course=edition.course.title, code=edition.code)
    page = new_page(viewport=NARROW_PHONE)
    page.add_init_script(COUNT_REQUESTS)
    sign_in_as(page, live_server, trainee)

    # 1. /me/: the questionnaire waits, and the certificate with it.
    page.goto(live_server.url + reverse("portal:certificates"))
    expect(page.get_by_role("status").filter(has_text=held)).to_be_visible()
    _fits_the_phone(page)
    _check(page, journey, "my certificates, held")
    page.goto(live_server.url + reverse("portal:dashboard"))
    waiting = page.locator("section[aria-labelledby=dash-evaluations]")
    expect(waiting).to_contain_text(edition.code)
    expect(waiting).to_contain_text(held)
    _fits_the_phone(page)
    _check(page, journey, "me, a questionnaire holds the certificate")

    # 2. The questionnaire on the phone: answered and sent.
    waiting.get_by_role("link").first.click()
    page.wait_for_url(f"**{reverse('evaluations:answer', args=[request.token])}")
    expect(page.locator("h1")).to_have_text(request.questionnaire.title)
    _fits_the_phone(page)
    _check(page, journey, "questionnaire")
    _answer(page, request)
    expect(page.locator(".site-messages")).to_contain_text(
        italian("Thank you: your answers are recorded.")
    )
    expect(page.locator("main .alert-success h2")).to_have_text(italian("Thank you!"))
    _fits_the_phone(page)
    _check(page, journey, "thank you")
    answers = [r.answers for r in Response.objects.filter(edition=edition)]
    assert sum(COMMENT in answer.values() for answer in answers) == 1

    # 3. Nothing held any more; staff issue the certificate; she finds it.
    page.goto(live_server.url + reverse("portal:dashboard"))
    expect(waiting).to_have_count(0)
    page.goto(live_server.url + reverse("portal:certificates"))
    expect(page.get_by_text(held)).to_have_count(0)
    _staff_issue(new_page, live_server, journey, request=request)
    certificate = Certificate.objects.get(
        enrolment=request.enrolment,
        kind=CertificateKind.COMPETENCY,
        status=CertificateStatus.VALID,
    )
    page.reload()
    row = page.locator("tr", has_text=certificate.serial)
    expect(row.locator(".badge")).to_have_text(italian("Valid"))
    _fits_the_phone(page)
    _check(page, journey, "my certificates, issued")

    # 4. My notices.
    page.goto(live_server.url + reverse("portal:dashboard"))
    _notices(page, journey, trainee)
    journey.assert_no_server_errors()


def _shown(value: float) -> str:
    """A rating average as the admin shows it in Italian (two decimals)."""
    with translation.override("it"):
        return floatformat(value, 2)


def _figures(page, section, *, request, answers: list[list]) -> None:
    """The averages, distributions and comments of the demo's answers."""
    row = page.locator("table.listing").first.locator(
        "tr", has_text=request.enrolment.edition.code
    )
    questions = request.questionnaire.questions.order_by("sort_order")
    for number, question in enumerate(questions):
        values = [answer[number] for answer in answers if answer[number] != ""]
        if question.kind == "rating":
            average = _shown(sum(values) / len(values))
            expect(row).to_contain_text(average)
            expect(section).to_contain_text(average)
        elif question.kind == "choice":
            table = section.get_by_role("heading", name=question.text).locator(
                "xpath=following-sibling::table[1]"
            )
            for choice in question.choice_list():
                cell = page.get_by_role("cell", name=choice, exact=True)
                counted = table.locator("tr").filter(has=cell).locator("td").last
                expect(counted).to_have_text(str(values.count(choice)))
        else:
            for comment in values:
                expect(section.get_by_text(comment, exact=True)).to_be_visible()


def test_staff_read_the_results_and_who_answered_never_what(
    new_page, live_server, journey, demo_content
):
    staff = User.objects.get(email=STAFF)
    assert staff.is_staff and not staff.is_superuser
    request = _waiting_request()
    edition, course = request.enrolment.edition, request.enrolment.edition.course
    spec = data("evaluations")
    answers = list(spec["answers"].values())
    page = new_page()
    sign_in_as(page, live_server, staff)

    # 1. The results index, then the course.
    page.goto(live_server.url + reverse("evaluation_results"))
    expect(page.locator("h1")).to_contain_text(italian("Evaluation results"))
    _check(page, journey, "results index")
    page.get_by_role("link", name=f"{course.code} {course.title}").click()
    expect(page.locator("h1")).to_contain_text(italian("Course evaluation"))

    # 2. The edition's figures and its comments.
    section = page.locator(f"section[aria-labelledby=edition-{edition.pk}]")
    _figures(page, section, request=request, answers=answers)
    _check(page, journey, "course results")
    section.locator("ul").last.scroll_into_view_if_needed()
    journey.shot(page, "course results, the comments", full_page=False)

    # 3. Who has answered: names, never what.
    section.get_by_role("link", name=italian("Who has answered")).click()
    expect(page.locator("h1")).to_contain_text(italian("Who has answered"))
    answered = [
        str(User.objects.get(email=f"{who}@makers-school.example"))
        for who in spec["answers"]
    ]
    lists = page.locator("main h2 + ul")
    expect(lists.first.locator("li")).to_have_text(sorted_by_surname(answered))
    expect(lists.last.locator("li")).to_have_text([str(request.enrolment.trainee)])
    shown = page.locator("main").inner_text()
    for answer in answers:
        for value in answer[3:]:  # the choices and the comment
            assert len(str(value)) < 5 or str(value) not in shown, value
    _check(page, journey, "who has answered")
    journey.assert_no_server_errors()


def sorted_by_surname(names: list[str]) -> list[str]:
    return sorted(names, key=lambda name: name.split()[::-1])
