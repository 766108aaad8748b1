import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from .cache import (
    ALLOWED_ATTRIBUTE,
    GENERATIONS_ATTRIBUTE,
    SITE_TAG,
    SOFT_TAGS_ATTRIBUTE,
    TAGS_ATTRIBUTE,
    PageCacheEntry,
    page_cache_entry_fresh,
    page_cache_generations,
    page_cache_now,
)
from .shared_cache import SharedCacheDown
from .shared_cache import recoveries as shared_cache_recoveries

# Django's cookie message storage (settings.MESSAGE_STORAGE): a visitor with a
# message waiting (the one sign-out leaves, say) gets the page rendered, so the
# message shows and is consumed.
MESSAGES_COOKIE = "messages"
# Tells the page's script that the visitor is signed in, so it asks for their own
# part of a shared page (portal's fragments). Not a credential: it only saves
# anonymous visitors that request; the fragments read the real session.
SIGNED_IN_COOKIE = "ms_signed_in"
NOT_CACHED_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/")
# Health probes (core.health) and metrics (core.metrics) never touch the page
# cache: /healthz must answer with the cache down, and none may be served from it.
NOT_CACHED_PATHS = ("/healthz", "/readyz", "/metrics")
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


class PageCacheMiddleware:
    """Serves GETs of shared public pages from the cache, to everyone.

    A response is kept only when its view opted in (core.cache: shared pages
    render as for an anonymous visitor, whoever asks) and it is a plain 200 HTML
    page that sets no cookie, so nothing personal (CSRF tokens, messages, a
    user's name) can ever be stored or served to another. A visitor with a
    message waiting gets the page rendered. The host is validated and part of the
    key, as it would be without the cache.

    An entry holds the page, its tags and their generations as they were before
    it rendered (core.cache). A hit costs one small read of the shared cache (the
    entry's tag generations, so an edit made by any process shows at once
    everywhere); the pages themselves are kept in this process's memory ("pages"
    cache), so a hit costs no transfer of the page. A hit touches neither the
    session nor the database, signed in or not. With the shared cache down,
    every page is rendered and none is kept (core.shared_cache).
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
        tags = cached.tags if cached is not None else (SITE_TAG,)
        recovered = shared_cache_recoveries()
        try:
            current = page_cache_generations(tags)
        except SharedCacheDown:  # nothing is known fresh: rendered, not kept
            return self.get_response(request)
        if shared_cache_recoveries() != recovered:
            cached = None  # kept before an outage this read just saw end
        if cached is not None and page_cache_entry_fresh(
            cached, current, page_cache_now()
        ):
            response = HttpResponse(cached.content)
            for name, value in cached.headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self._cacheable_response(response):
            response["X-Page-Cache"] = "miss"
            self._keep(key, response, current)
        return response

    @staticmethod
    def _keep(key: str, response: HttpResponse, current: dict[str, int]) -> None:
        """Store the page under the generations of its tags before it rendered."""
        tags = getattr(response, TAGS_ATTRIBUTE, (SITE_TAG,))
        generations = {**current, **getattr(response, GENERATIONS_ATTRIBUTE, {})}
        missing = [tag for tag in tags if tag not in generations]
        try:  # a view that gave no generations: read them now
            generations.update(page_cache_generations(missing))
        except SharedCacheDown:
            return
        caches["pages"].set(
            key,
            PageCacheEntry(
                tags=tuple(tags),
                generations={tag: generations[tag] for tag in tags},
                soft_tags=tuple(getattr(response, SOFT_TAGS_ATTRIBUTE, ())),
                stored_at=page_cache_now(),
                content=response.content,
                headers=[
                    (name, response[name]) for name in KEPT_HEADERS if name in response
                ],
            ),
            settings.MAKERS_PAGE_CACHE_SECONDS,
        )

    @staticmethod
    def _cacheable_request(request: HttpRequest) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and MESSAGES_COOKIE not in request.COOKIES
            and not request.path.startswith(NOT_CACHED_PREFIXES)
            and request.path not in NOT_CACHED_PATHS
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


class SignedInCookieMiddleware:
    """Keeps the SIGNED_IN_COOKIE hint in step with the session (after auth).

    Set when a signed-in person gets a page, removed when an anonymous visitor
    still carries it (after signing out, or when the session ended elsewhere).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None:
            return response
        has_hint = SIGNED_IN_COOKIE in request.COOKIES
        if user.is_authenticated and not has_hint:
            response.set_cookie(
                SIGNED_IN_COOKIE,
                "1",
                max_age=settings.SESSION_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
        elif has_hint and not user.is_authenticated:
            response.delete_cookie(SIGNED_IN_COOKIE, samesite="Lax")
        return response


class PrivateResponseMiddleware:
    """A page rendered for a signed-in person is theirs: no shared cache and no
    copy on disk keeps it (`Cache-Control: private, no-store`), unless the view
    said otherwise. Below AuthenticationMiddleware, which gives request.user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not response.has_header("Cache-Control")
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response
