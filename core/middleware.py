import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse

from .cache import (
    ALLOWED_ATTRIBUTE,
    GENERATIONS_ATTRIBUTE,
    SITE_TAG,
    TAGS_ATTRIBUTE,
    page_cache_generations,
)

# Django's cookie message storage: a visitor with a message waiting (the one sign-out
# leaves, say) gets the page rendered, so the message shows and is consumed.
MESSAGES_COOKIE = "messages"
NOT_CACHED_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/")
# Headers the view's own middleware set, replayed on a hit. SecurityMiddleware runs
# outside this one, so nosniff, Referrer-Policy and COOP reach hits by themselves.
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Vary",
    "Content-Security-Policy",
    "X-Frame-Options",
)


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

    A request is anonymous when it carries no session cookie and no pending
    messages; a response is cached only when its view opted in (core.cache) and it
    is a plain 200 HTML page that sets no cookie, so nothing personal (CSRF tokens,
    messages, a user's name) can ever be stored or served to another. The host is
    validated and part of the key, as it would be without the cache.

    An entry holds the page, its tags and their generations as they were before
    it rendered (core.cache). A hit costs one small read of the shared cache (the
    entry's tag generations, so an edit made by any process shows at once
    everywhere); the pages themselves are kept in this process's memory ("pages"
    cache), so a hit costs no transfer of the page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._cacheable_request(request):
            return self.get_response(request)
        pages = caches["pages"]
        # get_host() validates the Host header (DisallowedHost: a 400, as on a miss).
        host = request.get_host()
        path = hashlib.blake2b(
            request.get_full_path().encode(), digest_size=16
        ).hexdigest()
        key = f"page:{host}:{path}"
        cached = pages.get(key)
        tags = cached[0] if cached is not None else (SITE_TAG,)
        current = page_cache_generations(tags)
        if cached is not None and cached[1] == current:
            _, _, content, headers = cached
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self._cacheable_response(response):
            response["X-Page-Cache"] = "miss"
            tags = getattr(response, TAGS_ATTRIBUTE, (SITE_TAG,))
            generations = {**current, **getattr(response, GENERATIONS_ATTRIBUTE, {})}
            missing = [tag for tag in tags if tag not in generations]
            if missing:  # a view that gave no generations: read them now
                generations.update(page_cache_generations(missing))
            headers = [
                (name, response[name]) for name in KEPT_HEADERS if name in response
            ]
            pages.set(
                key,
                (
                    tuple(tags),
                    {tag: generations[tag] for tag in tags},
                    response.content,
                    headers,
                ),
                settings.MAKERS_PAGE_CACHE_SECONDS,
            )
        return response

    @staticmethod
    def _cacheable_request(request: HttpRequest) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and MESSAGES_COOKIE not in request.COOKIES
            and not request.path.startswith(NOT_CACHED_PREFIXES)
        )

    @staticmethod
    def _cacheable_response(response: HttpResponse) -> bool:
        return (
            getattr(response, ALLOWED_ATTRIBUTE, False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and response.get("Content-Type", "").startswith("text/html")
        )
