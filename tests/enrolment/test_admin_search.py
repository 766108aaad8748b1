"""The staff enrolment listing at scale (issue 22): the edition filter is a
code typed with suggestions from an autocomplete endpoint (never a select of
every edition), and the search picks people and editions first, word by word.
Permissions of the endpoint: tests/enrolment/test_admin.py (staff_pages)."""

import pytest
from django.urls import reverse

from people.models import Role
from people.services import roles_sync
from tests.factories import CourseEditionFactory, TraineeFactory, UserFactory

from .helpers import enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    roles_sync()
    return UserFactory(role=Role.STAFF, is_staff=False, is_superuser=False)


def url(name, *args):
    return reverse(f"enrolments:{name}", args=args)


def listed(client, query: str) -> set[int]:
    response = client.get(url("index"), query)
    assert response.status_code == 200
    return {e.pk for e in response.context["object_list"]}


def test_autocomplete_suggests_editions_by_code_or_course_title(client, staff):
    wanted = CourseEditionFactory(
        code="STAMPA-3D-2027", course__title="Stampa 3D avanzata", sessions=0
    )
    by_title = CourseEditionFactory(
        code="ZZ-01", course__title="Modellazione per la stampa", sessions=0
    )
    CourseEditionFactory(code="SALD-01", course__title="Saldatura", sessions=0)
    client.force_login(staff)

    def suggested(q):
        response = client.get(url("edition_autocomplete"), {"q": q})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        return [row["code"] for row in response.json()["results"]]

    assert sorted(suggested("stampa")) == sorted([wanted.code, by_title.code])
    assert suggested("3d-20") == [wanted.code]
    assert suggested("") == []
    first = client.get(url("edition_autocomplete"), {"q": "STAMPA-3D"}).json()
    assert first["results"][0] == {
        "id": wanted.pk,
        "code": "STAMPA-3D-2027",
        "label": "STAMPA-3D-2027 · Stampa 3D avanzata",
    }


def test_autocomplete_returns_at_most_twenty(client, staff):
    for n in range(25):
        CourseEditionFactory(code=f"MANY-{n:02d}", sessions=0)
    client.force_login(staff)
    response = client.get(url("edition_autocomplete"), {"q": "many"})
    assert len(response.json()["results"]) == 20


def test_edition_filter_takes_a_code_or_an_id(client, staff):
    edition = CourseEditionFactory(code="LASER-2027-A")
    here = enrol(edition)
    elsewhere = enrol(CourseEditionFactory())
    client.force_login(staff)
    assert listed(client, {"edition": "laser-2027-a"}) == {here.pk}
    assert listed(client, {"edition": str(edition.pk)}) == {here.pk}
    assert listed(client, {}) == {here.pk, elsewhere.pk}
    # Filtered by id (the roster's link): the input shows the code.
    body = client.get(url("index"), {"edition": edition.pk}).content.decode()
    assert 'value="LASER-2027-A"' in body
    assert url("roster", edition.pk) in body


def test_unknown_edition_code_lists_nothing_of_it(client, staff):
    enrol(CourseEditionFactory())
    client.force_login(staff)
    response = client.get(url("index"), {"edition": "NO-SUCH-CODE"})
    assert response.status_code == 200


def test_listing_never_lists_every_edition(
    client, staff, django_assert_max_num_queries
):
    enrolment = enrol(CourseEditionFactory())
    idle = [CourseEditionFactory(sessions=0) for _ in range(15)]
    client.force_login(staff)
    with django_assert_max_num_queries(30):
        response = client.get(url("index"))
    body = response.content.decode()
    assert enrolment.edition.code in body  # in the listed row
    assert 'data-edition-autocomplete="' in body
    assert not any(edition.code in body for edition in idle)


def test_search_matches_every_word_on_name_email_or_edition_code(client, staff):
    edition = CourseEditionFactory(code="CNC-2027-B")
    ottavia = enrol(
        edition,
        TraineeFactory(
            first_name="Ottavia", last_name="Ruggeri", email="o.ruggeri@example.com"
        ),
    )
    other = enrol(
        CourseEditionFactory(),
        TraineeFactory(first_name="Ottavia", last_name="Bianchi"),
    )
    client.force_login(staff)
    assert listed(client, {"q": "ottavia"}) == {ottavia.pk, other.pk}
    assert listed(client, {"q": "Ottavia Ruggeri"}) == {ottavia.pk}
    assert listed(client, {"q": "ruggeri@EXAMPLE"}) == {ottavia.pk}
    assert listed(client, {"q": "cnc-2027 ottavia"}) == {ottavia.pk}
    assert listed(client, {"q": "Ottavia Verdi"}) == set()


def test_search_and_filters_keep_a_bounded_query_count(
    client, staff, django_assert_max_num_queries
):
    edition = CourseEditionFactory(code="BOUND-01")
    for _ in range(30):
        enrol(edition)
    client.force_login(staff)
    with django_assert_max_num_queries(30):
        response = client.get(
            url("index"), {"q": "example", "edition": "BOUND-01", "status": ""}
        )
    assert response.context["page_obj"].paginator.count == 30
