from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from .cache import page_cache_generation

NOT_CACHED_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/")


class ContentSecurityPolicyMiddleware:
    """Sets a strict CSP on the public site and a looser one in the Wagtail admin."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            policy = (
                settings.CSP_ADMIN
                if request.path.startswith("/admin/")
                else settings.CSP_PUBLIC
            )
            response["Content-Security-Policy"] = policy
        return response


class AnonymousPageCacheMiddleware:
    """Serves anonymous GETs of public HTML pages from the cache.

    A request is anonymous when it carries no session cookie; a response is cached
    only when it is a plain 200 HTML page that sets no cookie, so nothing personal
    (CSRF tokens, messages, a user's name) can ever be stored or served to another.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._cacheable_request(request):
            return self.get_response(request)
        key = f"page-cache:{page_cache_generation()}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if self._cacheable_response(response):
            response["X-Page-Cache"] = "miss"
            cached_copy = HttpResponse(
                response.content, status=200, content_type=response["Content-Type"]
            )
            for header in ("Content-Language", "Vary", "Content-Security-Policy"):
                if header in response:
                    cached_copy[header] = response[header]
            cached_copy["X-Page-Cache"] = "hit"
            cache.set(key, cached_copy, settings.MAKERS_PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def _cacheable_request(request: HttpRequest) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(NOT_CACHED_PREFIXES)
            and "/accounts/" not in request.path
            and "/me/" not in request.path
        )

    @staticmethod
    def _cacheable_response(response: HttpResponse) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "_page_cache_skip", False)
            and "Set-Cookie" not in response
        )
