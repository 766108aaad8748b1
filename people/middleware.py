from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language_from_path

from .selectors import user_has_mfa, user_needs_mfa

# Paths a person without a second factor may still reach: the account pages (to
# set one up, or to sign out), static files and uploaded media.
_OPEN_PATHS = ("/accounts/", "/static/", "/media/")


class StaffMFARequiredMiddleware:
    """With MAKERS_REQUIRE_STAFF_MFA on, staff and instructors set up TOTP first.

    Until they do, every page but the account pages sends them to the page that
    activates TOTP: the admin, their teaching area and the rest of the site.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.MAKERS_REQUIRE_STAFF_MFA
            and user is not None
            and user.is_authenticated
            and not self._is_open(request)
            and user_needs_mfa(user=user)
            and not user_has_mfa(user=user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _is_open(request: HttpRequest) -> bool:
        path = request.path_info
        language = get_language_from_path(path)
        if language:
            path = path[len(language) + 1 :]
        return path.startswith(_OPEN_PATHS)
