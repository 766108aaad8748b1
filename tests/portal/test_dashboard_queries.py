"""The personal area answers in a bounded number of queries (issue 11)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enrolment import services
from tests.factories import (
    CourseEditionFactory,
    SessionFactory,
    TraineeFactory,
    rome_at,
)

pytestmark = pytest.mark.django_db

LIMIT = 30


def _queries(client, url) -> int:
    client.get(url)  # warm-up: site, content types, fragments
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("name", ["portal:dashboard", "enrolment:my_courses"])
def test_the_personal_area_does_not_grow_with_enrolments(
    client, site, django_assert_max_num_queries, name
):
    trainee = TraineeFactory()
    services.enrolment_create(trainee=trainee, edition=CourseEditionFactory())
    client.force_login(trainee)
    url = reverse(name)
    for batch in (0, 1):
        for number in range(5):
            edition = CourseEditionFactory(sessions=0)
            for day in range(3):  # on days of their own: no schedule clash
                start = rome_at(60 + 50 * batch + 10 * number + day)
                SessionFactory(edition=edition, start=start)
            services.enrolment_create(trainee=trainee, edition=edition)
        if batch == 0:
            few = _queries(client, url)  # 6 enrolments; then 11
    many = _queries(client, url)
    with django_assert_max_num_queries(LIMIT):
        client.get(url)
    # 6 and 11 enrolments: the same bound, far below one query per enrolment.
    assert few <= LIMIT and many <= LIMIT
    assert many - few <= 1
