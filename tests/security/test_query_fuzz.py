"""The query-string fuzz of `make security` (security/fuzz.py), in-process on the
test database (SQLite by default): no public list answers 5xx."""

import pytest
from django.test import Client

from security.fuzz import fuzz
from tests.factories import CourseEditionFactory

pytestmark = pytest.mark.django_db

EXAMPLES = 60


def test_no_public_list_answers_5xx(site):
    CourseEditionFactory()
    client = Client(raise_request_exception=False)

    def get(path, query):
        return client.get(path, query).status_code

    failures = fuzz(get, examples=EXAMPLES)
    assert not any(failures.values()), failures


def test_a_verification_code_with_a_slash_is_refused_not_a_500(site):
    """Found by the fuzz: the verify form redirected to a URL that cannot hold '/'."""
    client = Client(raise_request_exception=False)
    for code in ("../../etc/passwd", "a/b"):
        response = client.get("/verify/", {"code": code})
        # A clear refusal on the form (400), never a redirect or a 500.
        assert response.status_code == 400
        assert 'aria-invalid="true"' in response.content.decode()
