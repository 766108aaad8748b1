from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .selectors import user_has_mfa


class StaffMFARequiredMiddleware:
    """With MAKERS_REQUIRE_STAFF_MFA on, staff set up a second factor first.

    Until they do, the admin sends them to the page that activates TOTP.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.MAKERS_REQUIRE_STAFF_MFA
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and request.path.startswith("/admin/")
            and not user_has_mfa(user=user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
