"""Request bodies over a per-route cap are refused before anyone reads them.

Django reads a multipart upload in full (into a temporary file) before a form
can say it is too big: a 200 MB anonymous POST to /verify/ was read to the end
before its 5 MB check. RequestSizeLimitMiddleware looks at Content-Length first
and answers 413 with a page of its own; Django reads at most Content-Length
bytes of any body (its LimitedStream), so a body that streams on past what it
announced is never read either. The proxy refuses the same sizes in front
(deploy/nginx/makers-school.conf, docs/security.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme


def request_body_limit(path: str) -> int:
    """The largest body, in bytes, that a request to `path` may carry."""
    for pattern, limit in settings.MAKERS_REQUEST_BODY_LIMITS:
        if re.search(pattern, path):  # re keeps the compiled patterns
            return limit
    return settings.MAKERS_REQUEST_BODY_MAX_BYTES


def _announced_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None  # not a number: refused too


def _back(request: HttpRequest) -> str:
    """The page the request went to, when it is a path of this site."""
    path = request.path
    if url_has_allowed_host_and_scheme(path, allowed_hosts=set()):
        return path
    return "/"


class RequestSizeLimitMiddleware:
    """A body larger than its route's cap gets a 413 page, unread."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = request_body_limit(request.path_info)
        length = _announced_length(request)
        if length is None or length > limit:
            return self._refusal(request, limit)
        return self.get_response(request)

    @staticmethod
    def _refusal(request: HttpRequest, limit: int) -> HttpResponse:
        # Before LocaleMiddleware: the language comes from the path's prefix.
        language = (
            translation.get_language_from_path(request.path_info)
            or settings.LANGUAGE_CODE
        )
        with translation.override(language):
            body = render_to_string(
                "413.html",
                {"limit_mb": max(1, limit // (1024 * 1024)), "back": _back(request)},
            )
        response = HttpResponse(body, status=413)
        # The client may still be sending: tell it the connection ends here.
        response["Connection"] = "close"
        response["Cache-Control"] = "no-store"
        return response
