"""Issue 2's browser journey: a visitor becomes a signed-in trainee.

Home (Italian) -> English -> catalogue filtered by area and EQF level -> a course
with its editions and sessions -> sign up -> confirm the email -> sign in.
What the pages must show is read from the database (the demo content), so the
journey follows the content rather than copies of it.
"""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from cms.models import HomePage
from courses.models import Area, CourseIndexPage, CoursePage
from courses.selectors import course_editions_upcoming
from people.models import User
from tests.e2e.conftest import PHONE, axe_check, confirmation_path

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "giulia.ferraris@example.com"
PASSWORD = "Tornio-a-controllo-numerico-42"
FIRST_NAME = "Giulia"
LAST_NAME = "Ferraris"


def _area_to_filter(courses: list[CoursePage]) -> str:
    """An area with some courses but not all of them, so the filter shows."""
    counts: dict[str, int] = {}
    for course in courses:
        counts[course.area] = counts.get(course.area, 0) + 1
    candidates = [area for area, n in counts.items() if 0 < n < len(courses)]
    assert candidates, f"the demo catalogue needs two areas at least: {counts}"
    return min(candidates, key=lambda area: (counts[area], area))


def _card_titles(page) -> list[str]:
    return [
        title.strip()
        for title in page.locator(".site-course-card .card-title").all_inner_texts()
    ]


def test_visitor_browses_signs_up_and_signs_in(
    new_page, live_server, journey, demo_content, mailoutbox
):
    home_it = HomePage.objects.get(locale__language_code="it")
    home_en = HomePage.objects.get(locale__language_code="en")
    index_en = CourseIndexPage.objects.get(locale__language_code="en")
    courses_en = list(
        CoursePage.objects.live().filter(locale=index_en.locale).order_by("title")
    )
    page = new_page(locale="it-IT")

    # 1. The Italian home page.
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page.locator("h1")).to_contain_text(home_it.hero_title)
    journey.shot(page, "home-it")
    axe_check(page, journey=journey, name="home-it")

    # 2. The header's language switcher leads to the English home page.
    page.locator("header nav.site-languages a[hreflang='en']").click()
    page.wait_for_url(re.compile(r"/en/"))
    assert page.url.startswith(live_server.url + "/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text(home_en.hero_title)
    journey.shot(page, "home-en")
    axe_check(page, journey=journey, name="home-en")

    # 3. The catalogue, from the main menu.
    main_menu = page.get_by_role("navigation", name="Main menu")
    main_menu.get_by_role("link", name=index_en.title, exact=True).click()
    page.wait_for_url(re.compile(re.escape(index_en.url)))
    expect(page.locator("h1")).to_contain_text(index_en.title)
    all_titles = _card_titles(page)
    assert all_titles, "the English catalogue lists no course"
    journey.shot(page, "catalogue-en")
    axe_check(page, journey=journey, name="catalogue-en")

    # 4. Filter by area: fewer results, every card of that area.
    area = _area_to_filter(courses_en)
    with translation.override("en"):
        area_label = str(Area(area).label)
    expected = [course for course in courses_en if course.area == area]
    page.get_by_label("Area").select_option(area)
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(rf"area={re.escape(area)}"))
    titles = _card_titles(page)
    assert titles != all_titles
    assert titles == [course.title for course in expected][: len(titles)]
    expect(page.locator(".site-results-count")).to_contain_text(
        f"{len(expected)} course"
    )
    for card in page.locator(".site-course-card").all():
        expect(card.locator(".category")).to_have_text(area_label)
    journey.shot(page, "catalogue-filtered-area")
    axe_check(page, journey=journey, name="catalogue-filtered-area")

    # 5. ...and by EQF level on top: every card of that area and level.
    level = expected[0].eqf_level
    expected = [course for course in expected if course.eqf_level == level]
    page.get_by_label("EQF level").select_option(str(level))
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(rf"eqf={level}"))
    assert _card_titles(page) == [course.title for course in expected][:12]
    for card in page.locator(".site-course-card").all():
        expect(card.locator(".category")).to_have_text(area_label)
        expect(card).to_contain_text(f"EQF level {level}")
    journey.shot(page, "catalogue-filtered-area-eqf")

    # 6. A course with upcoming editions: its editions and their sessions.
    course = next(
        (c for c in expected if course_editions_upcoming(course=c)),
        None,
    ) or next(c for c in courses_en if course_editions_upcoming(course=c))
    editions = course_editions_upcoming(course=course)
    if course in expected:
        page.locator(".site-course-card").get_by_role(
            "link", name=course.title, exact=True
        ).click()
    else:
        page.goto(live_server.url + course.url)
    page.wait_for_url(re.compile(re.escape(course.url) + "$"))
    expect(page.locator("h1")).to_have_text(course.title)
    edition_cards = page.locator(".site-edition")
    expect(edition_cards).to_have_count(len(editions))
    first = edition_cards.first
    expect(first).to_contain_text(editions[0].code)
    with translation.override("en"):
        expect(first).to_contain_text(editions[0].venue.localized_name)
    sessions = list(editions[0].sessions.all())
    if sessions:
        first.locator("details.site-sessions summary").click()
        table = first.locator("table.site-sessions-table")
        expect(table).to_be_visible()
        expect(table.locator("tbody tr")).to_have_count(len(sessions))
        with translation.override("en"):
            expect(table).to_contain_text(sessions[0].localized_topic)
    journey.shot(page, "course-en")
    axe_check(page, journey=journey, name="course-en")

    # 7. Sign up from the header.
    page.locator("header").get_by_role("link", name="Sign up").click()
    page.wait_for_url(re.compile(r"/en/accounts/signup/"))
    form = page.locator("form:has(input[name='password2'])")
    form.locator("input[name='email']").fill(EMAIL)
    form.get_by_label("First name").fill(FIRST_NAME)
    form.get_by_label("Last name").fill(LAST_NAME)
    form.get_by_label("Language for emails").select_option("en")
    form.locator("input[name='password1']").fill(PASSWORD)
    form.locator("input[name='password2']").fill(PASSWORD)
    journey.shot(page, "signup-filled")
    axe_check(page, journey=journey, name="signup")
    form.locator("[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    journey.shot(page, "signup-verify-email")

    user = User.objects.get(email=EMAIL)
    assert (user.first_name, user.last_name, user.language) == (
        FIRST_NAME,
        LAST_NAME,
        "en",
    )
    assert not user.emailaddress_set.get(email=EMAIL).verified

    # 8. The verification email: open its link and confirm.
    messages = [m for m in mailoutbox if EMAIL in m.to]
    assert len(messages) == 1, [m.subject for m in mailoutbox]
    page.goto(live_server.url + confirmation_path(messages[0].body))
    expect(page.locator("main")).to_contain_text(EMAIL)
    journey.shot(page, "confirm-email")
    axe_check(page, journey=journey, name="confirm-email")
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    assert user.emailaddress_set.get(email=EMAIL).verified
    journey.shot(page, "email-confirmed")

    # Confirming may sign the person in (same browser session): sign out first.
    user_menu = page.locator("#user-menu-button")
    if user_menu.count():
        user_menu.click()
        page.locator(".site-logout-form [type=submit]").click()
        page.wait_for_load_state()
    expect(page.locator("#user-menu-button")).to_have_count(0)

    # 9. Sign in with email and password: the header greets the person by name.
    # (Signing out lands on the Italian home: find the link by address.)
    page.locator("header a[href$='/accounts/login/']").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    form = page.locator("form:has(input[name='password'])")
    form.locator("input[name='login']").fill(EMAIL)
    form.locator("input[name='password']").fill(PASSWORD)
    journey.shot(page, "login-filled")
    axe_check(page, journey=journey, name="login")
    form.locator("[type=submit]").click()
    expect(page.locator("#user-menu-button")).to_contain_text(
        f"{FIRST_NAME} {LAST_NAME}"
    )
    journey.shot(page, "signed-in")

    # 10. On a phone: the Italian catalogue, reached through the collapsed menu.
    index_it = CourseIndexPage.objects.get(locale__language_code="it")
    phone = new_page(viewport=PHONE)
    phone.goto(live_server.url + "/")
    menu_link = phone.get_by_role(
        "navigation", name=re.compile("menu", re.I)
    ).get_by_role("link", name=index_it.title, exact=True)
    expect(menu_link).to_be_hidden()
    phone.locator("button.custom-navbar-toggler").click()
    expect(menu_link).to_be_visible()
    journey.shot(phone, "phone-menu-open", full_page=False)
    menu_link.click()
    phone.wait_for_url(re.compile(re.escape(index_it.url) + "$"))
    expect(phone.locator(".site-course-card").first).to_be_visible()
    journey.shot(phone, "phone-catalogue-it", full_page=False)
    axe_check(phone, journey=journey, name="phone-catalogue-it")
    journey.assert_no_server_errors()
