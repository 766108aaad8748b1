"""The signed-in person's part of a shared page (portal.fragments)."""

import pytest
from django.urls import reverse

from enrolment.services import enrolment_create
from tests.factories import (
    CompanyMemberFactory,
    ConfirmedEnrolmentFactory,
    CourseEditionFactory,
    TraineeFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("portal:fragments")


def test_anonymous_get_nothing_and_lose_a_stale_hint(site, client):
    from core.middleware import SIGNED_IN_COOKIE

    client.cookies[SIGNED_IN_COOKIE] = "1"
    response = client.get(URL, {"editions": "1"})
    assert response.status_code == 204
    assert response.content == b""
    assert response.cookies[SIGNED_IN_COOKIE].value == ""
    assert "no-store" in response["Cache-Control"]


def test_a_trainee_gets_their_menu_and_their_enrolments(site, client):
    enrolled = CourseEditionFactory(capacity=5)
    other = CourseEditionFactory(course=enrolled.course, capacity=5)
    trainee = TraineeFactory(first_name="Chiara", last_name="Bianchi")
    enrolment_create(trainee=trainee, edition=enrolled)
    client.force_login(trainee)
    path = enrolled.course.url
    response = client.get(URL, {"editions": f"{enrolled.pk},{other.pk}", "next": path})
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    body = response.content.decode()
    # Out-of-band swaps, by the ids the shared page carries.
    assert 'id="site-account" hx-swap-oob="true"' in body
    assert "Chiara Bianchi" in body
    assert reverse("account_logout") in body
    assert f'id="edition-{enrolled.pk}-enrol"' in body
    assert f'id="edition-{other.pk}-enrol"' in body
    enrolled_part = body.split(f'id="edition-{enrolled.pk}-enrol"')[1].split(
        f'id="edition-{other.pk}-enrol"'
    )[0]
    assert reverse("enrolment:my_courses") in enrolled_part
    other_part = body.split(f'id="edition-{other.pk}-enrol"')[1]
    assert reverse("enrolment:enrol", args=[other.pk]) in other_part
    assert f'name="next" value="{path}"' in other_part
    assert "csrfmiddlewaretoken" in other_part


def test_bad_input_is_ignored_not_an_error(site, client):
    edition = CourseEditionFactory()
    client.force_login(TraineeFactory())
    for editions in ("x,1;drop", "-1", "9" * 40, ",,,", "1" * 5000):
        response = client.get(URL, {"editions": editions, "next": "//evil.example/"})
        assert response.status_code == 200
        assert "evil.example" not in response.content.decode()
    response = client.get(URL, {"editions": ",".join([str(edition.pk)] * 200)})
    assert response.content.decode().count(f'id="edition-{edition.pk}-enrol"') == 1
    assert client.post(URL).status_code == 405


def test_draft_editions_are_not_revealed(site, client):
    draft = CourseEditionFactory(status="draft")
    client.force_login(TraineeFactory())
    body = client.get(URL, {"editions": str(draft.pk)}).content.decode()
    assert f"edition-{draft.pk}-enrol" not in body


def test_a_company_member_sees_the_directory_links(site, client):
    # The factory company is verified; its manager granted the directory.
    member = CompanyMemberFactory(can_use_directory=True)
    client.force_login(member.user)
    body = client.get(URL).content.decode()
    assert reverse("directory:search") in body


def test_fragments_take_a_bounded_number_of_queries(
    site, client, django_assert_max_num_queries
):
    trainee = TraineeFactory()
    editions = [CourseEditionFactory(capacity=3) for _ in range(6)]
    for edition in editions[:3]:
        ConfirmedEnrolmentFactory(trainee=trainee, edition=edition)
    client.force_login(trainee)
    ids = ",".join(str(edition.pk) for edition in editions)
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"editions": ids})
    assert response.status_code == 200
