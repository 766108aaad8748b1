"""Issue 10's browser journey: a graduate turns the profile on with the consent, a
member of a verified company finds them in the directory (a filter and a text),
opens the card and asks for contact; the graduate, on a phone, reads the request
and accepts; the company then sees the email address. A member of an unverified
company sees no profile at all.

Texts expected are the project's own messages as the server translates them for
Italian users (the site's default language).
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from directory.models import ContactRequest, ContactStatus
from people.models import GraduateConsent, GraduateProfile
from tests.e2e.conftest import PHONE, axe_check, italian, link_path, sign_in_as
from tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    GraduateProfileFactory,
    certificate_row,
    edition_completed,
    site_tree,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_company_finds_a_graduate_and_sees_the_email_once_accepted(
    new_page, live_server, journey, mailoutbox
):
    site_tree()
    edition, _sessions, enrolments = edition_completed(trainees=1, competencies=1)
    graduate = enrolments[0].trainee
    graduate.first_name, graduate.last_name = "Luca", "Gallo"
    graduate.save(update_fields=["first_name", "last_name"])
    competency = edition.course.competencies.get()
    certificate_row(holder=graduate, enrolment=enrolments[0], competencies=[competency])
    # Others in the directory, whom the filters leave out.
    GraduateProfileFactory(province="MI", headline="Saldatore robotizzato")
    GraduateProfileFactory(province="TO", headline="Grafico", skills="impaginazione")
    member = CompanyMemberFactory(
        company=CompanyFactory(name="Officine Torinesi S.r.l."),
        user__first_name="Paolo",
        user__last_name="Rosso",
        can_use_directory=True,
    ).user
    outsider = CompanyMemberFactory(
        company=CompanyFactory(name="Ditta Non Verificata", verified_at=None)
    ).user

    # 1. The graduate, on a phone, fills in the profile and turns it on.
    luca = new_page(viewport=PHONE)
    sign_in_as(luca, live_server, graduate)
    luca.goto(live_server.url + reverse("portal:dashboard"))
    luca.locator(
        f"[aria-labelledby=dash-account] a[href$='{reverse('portal:profile')}']"
    ).click()
    luca.wait_for_url(re.compile(re.escape(reverse("portal:profile")) + "$"))
    expect(luca.locator("h1")).to_have_text(italian("My graduate profile"))
    expect(luca.locator("#profile-status")).to_have_text(italian("Your profile is off"))
    luca.locator("#id_headline").fill("Tecnico di robotica collaborativa")
    luca.locator("#id_province").fill("to")
    luca.locator("#id_availability").select_option("open_to_work")
    luca.locator("#id_skills").fill("cobot, saldatura robotizzata, PLC")
    luca.locator("#id_phone").fill("+39 011 555 0101")
    luca.locator("label[for=id_show_phone]").click()
    expect(luca.locator("#id_show_phone")).to_be_checked()
    luca.locator("form:has(input[name='action'][value='save']) [type=submit]").click()
    luca.wait_for_load_state()
    expect(luca.locator(".site-messages")).to_contain_text(
        italian("Your profile has been saved.")
    )
    profile = GraduateProfile.objects.get(user=graduate)
    assert (profile.province, profile.is_published) == ("TO", False)
    journey.shot(luca, "graduate-profile-off-phone")
    axe_check(luca, journey=journey, name="my-profile-off")
    # Turning it on without ticking the consent is refused, and nothing is stored.
    publish = luca.locator(
        "form:has(input[name='action'][value='publish']) [type=submit]"
    )
    publish.click()
    luca.wait_for_load_state()
    assert not GraduateConsent.objects.filter(user=graduate).exists()
    luca.locator("label[for=id_agree]").click()
    publish.click()
    luca.wait_for_load_state()
    expect(luca.locator(".site-messages")).to_contain_text(
        italian("Your profile is on: verified companies can find it.")
    )
    expect(luca.locator("#profile-status")).to_have_text(italian("Your profile is on"))
    consent = GraduateConsent.objects.get(user=graduate)
    assert consent.action == "given" and consent.language == "it"
    profile.refresh_from_db()
    assert profile.is_published and profile.published_at is not None
    journey.shot(luca, "graduate-profile-on-phone")
    axe_check(luca, journey=journey, name="my-profile-on")

    # 2. A member of an unverified company sees no profile.
    other = new_page()
    sign_in_as(other, live_server, outsider)
    response = other.goto(live_server.url + reverse("directory:search"))
    assert response.status == 403
    expect(other.locator("main")).not_to_contain_text("Luca Gallo")
    journey.shot(other, "unverified-company")
    journey.failed_requests.clear()  # that 403 was expected

    # 3. The verified company's member searches: province TO and "cobot".
    company = new_page()
    sign_in_as(company, live_server, member)
    company.goto(live_server.url + reverse("portal:dashboard"))
    expect(company.locator("#dash-directory")).to_be_visible()
    company.locator("#user-menu-button").click()
    company.locator(f".site-user-menu a[href$='{reverse('directory:search')}']").click()
    company.wait_for_url(re.compile(re.escape(reverse("directory:search")) + "$"))
    expect(company.locator("h1")).to_have_text(italian("Graduate directory"))
    filters = company.locator("form[method=get]")
    filters.locator("#id_province").fill("TO")
    filters.locator("#id_q").fill("cobot")
    filters.locator("[type=submit]").click()
    company.wait_for_url(re.compile(r"q=cobot"))
    cards = company.locator("article.card")
    expect(cards).to_have_count(1)
    card = cards.first
    expect(card).to_contain_text("Luca Gallo")
    expect(card).to_contain_text("Tecnico di robotica collaborativa")
    expect(card).to_contain_text(competency.code)
    expect(card).not_to_contain_text(graduate.email)
    journey.shot(company, "directory-search")
    axe_check(company, journey=journey, name="directory-search")

    # 4. Opens the card and sends a contact request.
    card.locator("h2 a").click()
    company.wait_for_url(re.compile(re.escape(profile.public_id)))
    expect(company.locator("h1")).to_have_text("Luca Gallo")
    main = company.locator("main")
    expect(main).not_to_contain_text(graduate.email)
    expect(main).not_to_contain_text("555 0101")
    verify = reverse("certificates:verify", args=["x"]).rsplit("x", 1)[0]
    expect(main.locator(f"a[href^='{verify}']")).to_have_count(1)
    journey.shot(company, "directory-profile")
    axe_check(company, journey=journey, name="directory-profile")
    company.locator("#id_message").fill(
        "Buongiorno, cerchiamo un tecnico per la nuova cella robotizzata."
    )
    company.locator(
        f"form[action$='{reverse('directory:contact', args=[profile.public_id])}'] "
        "[type=submit]"
    ).click()
    company.wait_for_load_state()
    expect(company.locator(".site-messages")).to_contain_text(
        italian(
            "Your request has been sent. You will see how to reach the graduate "
            "if they accept."
        )
    )
    request = ContactRequest.objects.get(graduate=graduate)
    assert request.status == ContactStatus.PENDING
    journey.shot(company, "directory-request-sent")

    # 5. The graduate gets the email, opens the request on the phone, accepts.
    emails = [m for m in mailoutbox if graduate.email in m.to]
    assert len(emails) == 1, [(m.to, m.subject) for m in mailoutbox]
    assert "Officine Torinesi" in emails[0].subject
    luca.goto(live_server.url + link_path(emails[0].body, r"me/profile/requests/"))
    expect(luca.locator("h1")).to_contain_text("Officine Torinesi S.r.l.")
    expect(luca.locator("main")).to_contain_text("cella robotizzata")
    journey.shot(luca, "graduate-request-phone")
    axe_check(luca, journey=journey, name="contact-request")
    luca.locator("button[name='action'][value='accept']").click()
    luca.wait_for_load_state()
    expect(luca.locator(".site-messages")).to_contain_text(
        italian("Accepted: %(company)s can now see your email address.")
        % {"company": "Officine Torinesi S.r.l."}
    )
    request.refresh_from_db()
    assert request.status == ContactStatus.ACCEPTED
    journey.shot(luca, "graduate-request-accepted-phone")
    luca.goto(live_server.url + reverse("portal:contact_requests"))
    expect(luca.locator("main")).to_contain_text("Officine Torinesi S.r.l.")
    axe_check(luca, journey=journey, name="contact-requests")

    # 6. The company now sees the email address (and the phone shared).
    company.reload()
    expect(main.locator(f"a[href='mailto:{graduate.email}']")).to_be_visible()
    expect(main).to_contain_text("+39 011 555 0101")
    journey.shot(company, "directory-profile-accepted")
    company.goto(live_server.url + reverse("directory:requests"))
    expect(company.locator(f"a[href='mailto:{graduate.email}']")).to_be_visible()
    journey.shot(company, "directory-requests-sent")
    axe_check(company, journey=journey, name="requests-sent")
    journey.assert_no_server_errors()
