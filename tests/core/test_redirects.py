"""Where a form may send the person back to (core.redirects.safe_next)."""

from django.shortcuts import redirect
from django.test import RequestFactory

from core.redirects import safe_next


def _next(target: str) -> str:
    request = RequestFactory().post("/directory/g/x/shortlist/")
    return safe_next(request, target, fallback="/directory/shortlist/")


def test_a_path_of_this_site_is_kept():
    assert _next("/directory/?q=cnc") == "/directory/?q=cnc"
    assert _next("http://testserver/me/") == "http://testserver/me/"


def test_another_site_is_refused():
    assert _next("https://evil.example/") == "/directory/shortlist/"
    assert _next("//evil.example/") == "/directory/shortlist/"


def test_a_bare_word_is_refused_not_taken_for_a_url_name():
    """Found by make security's form fuzz: next=second was a 500 (NoReverseMatch)."""
    for target in ("second", "AAAA", "shortlist", "", "javascript:alert(1)"):
        assert _next(target) == "/directory/shortlist/", target
        assert redirect(_next(target)).status_code == 302
