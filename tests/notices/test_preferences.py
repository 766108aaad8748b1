"""/me/notices/: who may see it, what it stores, what it refuses."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from notices.models import NoticeKind, NoticeOptOut
from tests.factories import PASSWORD, TraineeFactory
from tests.text import italian

pytestmark = pytest.mark.django_db

URL = "/me/notices/"


@pytest.fixture
def trainee(db):
    return TraineeFactory(language="en")


@pytest.fixture
def signed_in(client, trainee):
    client.login(email=trainee.email, password=PASSWORD)
    return client


def test_the_url_is_under_me():
    assert reverse("portal:notices").endswith(URL)


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("portal:notices"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_page_lists_optional_and_service_notices(signed_in, site):
    page = signed_in.get(reverse("portal:notices")).content.decode()
    for kind in ("session_reminder", "offer_expiry", "certificate_expiry"):
        assert f'value="{kind}"' in page
    assert 'value="attendance_risk"' not in page
    assert str(NoticeKind.ATTENDANCE_RISK.label) in page
    assert str(NoticeKind.REGISTER_OPEN.label) in page


def test_the_dashboard_links_to_it(signed_in, site):
    page = signed_in.get(reverse("portal:dashboard")).content.decode()
    assert f'href="{reverse("portal:notices")}"' in page


def test_unticked_notices_are_switched_off_and_back_on(signed_in, trainee, site):
    url = reverse("portal:notices")
    response = signed_in.post(url, {"receive": ["session_reminder"]})
    assert response.status_code == 302
    assert set(NoticeOptOut.objects.values_list("kind", flat=True)) == {
        "offer_expiry",
        "certificate_expiry",
    }
    page = signed_in.get(url).content.decode()
    assert 'value="session_reminder" id="notice-session_reminder" checked' in page
    assert 'value="offer_expiry" id="notice-offer_expiry">' in page
    signed_in.post(url, {"receive": ["session_reminder", "offer_expiry"]})
    assert list(NoticeOptOut.objects.values_list("kind", flat=True)) == [
        "certificate_expiry"
    ]


@pytest.mark.parametrize("kind", ["attendance_risk", "nonsense", ""])
def test_an_unknown_or_service_kind_stores_nothing(signed_in, site, kind):
    response = signed_in.post(
        reverse("portal:notices"), {"receive": ["session_reminder", kind]}
    )
    assert response.status_code == 302
    assert not NoticeOptOut.objects.exists()
    (message,) = get_messages(response.wsgi_request)
    assert str(message) == italian("Unknown notice: %(kind)s.", kind=kind)


def test_the_page_runs_few_queries(
    signed_in, trainee, site, django_assert_max_num_queries
):
    """Two queries of its own (the opt-outs, the bounce), the rest the site's
    layout (session, user, settings, menus), whatever is stored."""
    NoticeOptOut.objects.create(user=trainee, kind="offer_expiry")
    NoticeOptOut.objects.create(user=trainee, kind="certificate_expiry")
    with django_assert_max_num_queries(12):
        response = signed_in.get(reverse("portal:notices"))
    assert response.status_code == 200
