from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse

from .cache import page_cache_generation

NOT_CACHED_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/")
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Content-Security-Policy")


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

    The generation comes from the shared cache (one small read, so an edit made by
    any process shows at once everywhere); the pages themselves are kept in this
    process's memory ("pages" cache), so a hit costs no transfer of the page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._cacheable_request(request):
            return self.get_response(request)
        pages = caches["pages"]
        key = f"{page_cache_generation()}:{request.get_full_path()}"
        cached = pages.get(key)
        if cached is not None:
            content, headers = cached
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self._cacheable_response(response):
            response["X-Page-Cache"] = "miss"
            headers = [
                (name, response[name]) for name in KEPT_HEADERS if name in response
            ]
            pages.set(
                key, (response.content, headers), settings.MAKERS_PAGE_CACHE_SECONDS
            )
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
        )
