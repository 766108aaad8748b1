"""Staff mark and clear bounced addresses in the admin."""

import pytest

from core.models import EmailBounce
from tests.factories import StaffFactory, TraineeFactory

pytestmark = pytest.mark.django_db

URL = "/admin/snippets/core/emailbounce/"


def test_staff_mark_an_address_and_see_it_listed(client, site):
    client.force_login(StaffFactory())
    response = client.post(
        f"{URL}add/", {"email": " Someone@Example.COM ", "reason": "550"}
    )
    assert response.status_code == 302
    bounced = EmailBounce.objects.get()
    assert bounced.email == "someone@example.com"
    assert bounced.marked_at is not None
    assert "someone@example.com" in client.get(URL).content.decode()


def test_a_trainee_cannot_open_the_list(client, site):
    client.force_login(TraineeFactory())
    assert client.get(URL).status_code in (302, 403)
