"""The graduate directory: the access matrix, search filters, contact requests,
shortlists, blocks, the profile-view log, rate limits and query counts."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from directory import selectors, services
from directory.exceptions import DirectoryError
from directory.models import ContactRequest, ProfileView
from tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    CompetencyFactory,
    GraduateProfileFactory,
    StaffFactory,
    TraineeFactory,
    certificate_row,
    edition_completed,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site):
    """A graduate with a verified competency and a bio kept private; a verified
    company, an unverified one, a blocked one; a trainee and another graduate."""
    edition, _sessions, enrolments = edition_completed(trainees=1, competencies=1)
    enrolment = enrolments[0]
    competency = edition.course.competencies.get()
    graduate = GraduateProfileFactory(
        user=enrolment.trainee, headline="Saldatrice robotica", show_bio=False
    )
    certificate = certificate_row(
        holder=graduate.user, enrolment=enrolment, competencies=[competency]
    )
    verified = CompanyMemberFactory(company=CompanyFactory(), can_use_directory=True)
    unverified = CompanyMemberFactory(
        company=CompanyFactory(verified_at=None), can_use_directory=True
    )
    blocked = CompanyMemberFactory(company=CompanyFactory(), can_use_directory=True)
    services.company_block(user=graduate.user, company=blocked.company)
    return {
        "graduate": graduate,
        "competency": competency,
        "certificate": certificate,
        "edition": edition,
        "verified": verified.user,
        "unverified": unverified.user,
        "blocked": blocked.user,
        "trainee": TraineeFactory(),
        "other_graduate": GraduateProfileFactory().user,
        "staff": StaffFactory(),
        "company": verified.company,
    }


def _urls(graduate):
    pid = graduate.public_id
    return [
        reverse("directory:search"),
        reverse("directory:profile", args=[pid]),
        reverse("directory:shortlist"),
        reverse("directory:requests"),
    ]


# who -> expected status on the directory's pages (search, profile, lists)
MATRIX = {
    "anonymous": 302,
    "trainee": 403,
    "other_graduate": 403,
    "unverified": 403,
    "staff": 403,
    "verified": 200,
    "blocked": "blocked",  # lists 200 without the graduate, profile 404
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_access_matrix(client, world, who):
    graduate = world["graduate"]
    if who != "anonymous":
        client.force_login(world[who])
    for url in _urls(graduate):
        response = client.get(url)
        expected = MATRIX[who]
        if expected == "blocked":
            expected = 404 if "/g/" in url else 200
        assert response.status_code == expected, (who, url)
        body = response.content.decode()
        if expected == 302:
            assert "/accounts/login/" in response["Location"]
        if who != "verified":
            # Nothing of the graduate's reaches anyone else.
            assert "Saldatrice robotica" not in body
            assert graduate.user.get_full_name() not in body
        if expected in (403, 302):
            assert world["competency"].code not in body


def test_verified_member_sees_only_the_chosen_fields(client, world):
    graduate = world["graduate"]
    client.force_login(world["verified"])
    body = client.get(reverse("directory:profile", args=[graduate.public_id])).content
    body = body.decode()
    assert "Saldatrice robotica" in body
    assert world["competency"].code in body
    assert (
        reverse("certificates:verify", args=[world["certificate"].verification_code])
        in body
    )
    assert "Self-declared skills (not verified)" in body or "dichiarate" in body
    assert "Bio privata" not in body  # show_bio is off
    assert graduate.user.email not in body  # no accepted request yet
    assert graduate.phone not in body


def test_turning_off_hides_at_once(client, world):
    from people.services import graduate_profile_unpublish

    client.force_login(world["verified"])
    url = reverse("directory:profile", args=[world["graduate"].public_id])
    assert client.get(url).status_code == 200
    graduate_profile_unpublish(profile=world["graduate"])
    assert client.get(url).status_code == 404
    assert "Saldatrice" not in client.get(reverse("directory:search")).content.decode()


def test_revoked_certificate_takes_its_competencies_away(world):
    cert = world["certificate"]
    cert.status = "revoked"
    cert.revoked_reason = "errore"
    cert.revoked_at = timezone.now()
    cert.save()
    cards = selectors.profile_cards(
        profiles=[world["graduate"]], company=world["company"]
    )
    assert cards[0]["competencies"] == []
    found = selectors.directory_search(
        company=world["company"], competency=world["competency"]
    )
    assert not found.exists()


def test_filters(world):
    company = world["company"]
    graduate = world["graduate"]
    competency = world["competency"]

    def ids(**filters):
        return set(
            selectors.directory_search(company=company, **filters).values_list(
                "pk", flat=True
            )
        )

    assert graduate.pk in ids(competency=competency)
    assert graduate.pk in ids(competency=competency, eqf_min=competency.eqf_level)
    assert graduate.pk not in ids(
        competency=competency, eqf_min=competency.eqf_level + 1
    )
    assert graduate.pk not in ids(competency=CompetencyFactory())
    assert graduate.pk in ids(eqf_min=competency.eqf_level)
    assert graduate.pk not in ids(eqf_min=competency.eqf_level + 1)
    assert graduate.pk in ids(course=world["edition"].course)
    assert graduate.pk in ids(area=world["edition"].course.area)
    assert graduate.pk in ids(province="to", availability="open_to_work")
    assert graduate.pk not in ids(province="MI")
    assert graduate.pk in ids(q="robotica")
    assert graduate.pk in ids(q="fresatura")  # self-declared skills
    assert graduate.pk not in ids(q="Bio privata")  # not a searched field
    # A hidden field never narrows a search (it could be guessed otherwise).
    graduate.show_province = False
    graduate.save()
    assert graduate.pk not in ids(province="TO")
    assert graduate.pk in ids(sort="recent")
    # Blocked and unverified companies find nobody.
    assert (
        not selectors.directory_search(
            company=world["blocked"].company_memberships.get().company
        )
        .filter(pk=graduate.pk)
        .exists()
    )
    assert not selectors.directory_search(
        company=world["unverified"].company_memberships.get().company
    ).exists()


def test_a_search_page_counts_its_matches_in_the_same_query(
    world, django_assert_num_queries
):
    company = world["company"]
    for _ in range(4):
        GraduateProfileFactory()
    found = selectors.directory_search(company=company).select_related("user")
    with django_assert_num_queries(1):
        page = selectors.directory_page(profiles=found, number="2", per_page=2)
        assert page.paginator.count == 6  # the world's two graduates and four
        assert page.number == 2
        assert page.paginator.num_pages == 3
        assert len(page.object_list) == 2
    assert list(page) == list(found[2:4])
    # Past the end, not a number, or beyond what OFFSET takes: Paginator's pages.
    assert selectors.directory_page(profiles=found, number="9", per_page=2).number == 3
    assert selectors.directory_page(profiles=found, number="x", per_page=2).number == 1
    huge = selectors.directory_page(profiles=found, number="9" * 30, per_page=2)
    assert huge.number == 3
    nobody = selectors.directory_search(company=company, province="ZZ")
    empty = selectors.directory_page(profiles=nobody, number="1", per_page=2)
    assert empty.paginator.count == 0
    assert list(empty) == []


def test_contact_request_life_cycle(client, world, django_capture_on_commit_callbacks):
    graduate = world["graduate"]
    member = world["verified"]
    client.force_login(member)
    url = reverse("directory:contact", args=[graduate.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"message": "Buongiorno, cerchiamo un tecnico."})
    request = ContactRequest.objects.get()
    assert request.status == "pending"
    assert mail.outbox[-1].to == [graduate.user.email]
    assert str(request.public_id) in mail.outbox[-1].body
    # A second request within 30 days is refused and stores nothing.
    response = client.post(url, {"message": "Ancora noi"}, follow=True)
    assert ContactRequest.objects.count() == 1
    assert "30" in response.content.decode()
    # Before acceptance no email; after acceptance email and (shared) phone.
    profile_url = reverse("directory:profile", args=[graduate.public_id])
    assert graduate.user.email not in client.get(profile_url).content.decode()
    graduate.show_phone = True
    graduate.save()
    client.force_login(graduate.user)
    answer = reverse("portal:contact_request", args=[request.public_id])
    assert client.get(answer).status_code == 200
    client.post(answer, {"action": "accept"})
    request.refresh_from_db()
    assert request.status == "accepted" and request.answered_at
    client.force_login(member)
    body = client.get(profile_url).content.decode()
    assert graduate.user.email in body and graduate.phone in body
    assert (
        graduate.user.email
        in client.get(reverse("directory:requests")).content.decode()
    )


def test_contact_request_refusals(world):
    graduate = world["graduate"]
    for member in ("unverified", "blocked"):
        company = world[member].company_memberships.get().company
        with pytest.raises(DirectoryError):
            services.contact_request_create(
                company=company, profile=graduate, by=world[member], message="Ciao"
            )
    hidden = GraduateProfileFactory(is_published=False, published_at=None)
    with pytest.raises(DirectoryError):
        services.contact_request_create(
            company=world["company"], profile=hidden, by=world["verified"], message="x"
        )
    assert not ContactRequest.objects.exists()


def test_answer_page_is_the_graduates_only(client, world):
    request = services.contact_request_create(
        company=world["company"],
        profile=world["graduate"],
        by=world["verified"],
        message="Ciao",
    )
    url = reverse("portal:contact_request", args=[request.public_id])
    assert client.get(url).status_code == 302
    for who in ("trainee", "verified", "other_graduate"):
        client.force_login(world[who])
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "accept"}).status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"


def test_block_from_a_request_hides_the_profile(client, world):
    request = services.contact_request_create(
        company=world["company"],
        profile=world["graduate"],
        by=world["verified"],
        message="Ciao",
    )
    client.force_login(world["graduate"].user)
    client.post(
        reverse("portal:contact_request", args=[request.public_id]), {"action": "block"}
    )
    request.refresh_from_db()
    assert request.status == "declined"
    client.force_login(world["verified"])
    assert (
        client.get(
            reverse("directory:profile", args=[world["graduate"].public_id])
        ).status_code
        == 404
    )


def test_profile_views_logged_per_company_per_day_and_shown(client, world):
    client.force_login(world["verified"])
    url = reverse("directory:profile", args=[world["graduate"].public_id])
    client.get(url)
    client.get(url)
    view = ProfileView.objects.get()
    assert view.count == 2 and view.company == world["company"]
    client.force_login(world["graduate"].user)
    body = client.get(reverse("portal:contact_requests")).content.decode()
    assert world["company"].name in body


def test_shortlist(client, world):
    client.force_login(world["verified"])
    pid = world["graduate"].public_id
    client.post(reverse("directory:shortlist_toggle", args=[pid]))
    assert "Saldatrice" in client.get(reverse("directory:shortlist")).content.decode()
    client.post(
        reverse("directory:shortlist_toggle", args=[pid]),
        {"remove": "1", "next": "https://evil.example/"},
    )
    assert (
        "Saldatrice" not in client.get(reverse("directory:shortlist")).content.decode()
    )


def test_rate_limit_per_member(client, world, settings):
    settings.MAKERS_DIRECTORY_RATE_PER_MINUTE = 3
    client.force_login(world["verified"])
    statuses = [client.get(reverse("directory:search")).status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[-1] == 429


def test_cv_only_when_shown(client, world, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MAKERS_PRIVATE_ROOT = tmp_path
    graduate = world["graduate"]
    graduate.cv.save("cv.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    client.force_login(world["verified"])
    url = reverse("directory:cv", args=[graduate.public_id])
    assert client.get(url).status_code == 404  # show_cv off
    graduate.show_cv = True
    graduate.save()
    assert client.get(url).status_code == 200
    client.force_login(world["unverified"])
    assert client.get(url).status_code == 403


def test_query_counts_do_not_grow(client, world, django_assert_max_num_queries):
    for _ in range(15):
        profile = GraduateProfileFactory()
        certificate_row(holder=profile.user, competencies=[world["competency"]])
    client.force_login(world["verified"])
    services.shortlist_add(
        company=world["company"], profile=world["graduate"], by=world["verified"]
    )
    with django_assert_max_num_queries(18):  # +2: menu checks admin access
        assert client.get(reverse("directory:search")).status_code == 200
    with django_assert_max_num_queries(18):  # +2: menu checks admin access
        assert (
            client.get(
                reverse("directory:search"), {"q": "Tecnico", "sort": "recent"}
            ).status_code
            == 200
        )
    with django_assert_max_num_queries(16):  # +2: menu checks admin access
        assert client.get(reverse("directory:shortlist")).status_code == 200
    with django_assert_max_num_queries(20):  # +2: menu checks admin access
        assert (
            client.get(
                reverse("directory:profile", args=[world["graduate"].public_id])
            ).status_code
            == 200
        )


def test_english_reader_filters_and_reads_courses_in_english(world):
    """Issue 4: the English directory lists the English courses (each once) in
    its course filter, finds graduates by them, and names them in English."""
    from django.utils import translation

    from directory.forms import DirectorySearchForm
    from tests.factories import english_locale

    course = world["edition"].course
    course_en = course.copy_for_translation(english_locale(), copy_parents=True)
    course_en.title = "Robotic welding"
    course_en.save_revision().publish()
    company = world["company"]
    graduate = world["graduate"]
    with translation.override("en"):
        choices = list(DirectorySearchForm().fields["course"].queryset)
        found = selectors.directory_search(company=company, course=course_en)
        cards = selectors.profile_cards(profiles=[graduate], company=company)
    assert choices == [course_en]
    assert graduate in found
    assert [item["title"] for item in cards[0]["courses"]] == ["Robotic welding"]
