import pytest
from django.test import Client
from django.urls import path


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom)]
handler500 = "django.views.defaults.server_error"


@pytest.mark.django_db
def test_server_errors_show_the_styled_500_page(settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    content = response.content.decode()
    assert "Makers' School" in content or "Makers&#x27; School" in content
    assert "bootstrap-italia" in content


@pytest.mark.django_db
def test_unknown_english_page_is_a_styled_404(site, client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "bootstrap-italia" in response.content.decode()
