import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags

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
from .compression import (
    IDENTITY,
    compressed_variants,
    entity_tag,
    negotiate,
    variant_tag,
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

    A page is kept plain and compressed, compressed once when it is kept
    (core.compression): a hit sends the stored bytes the client accepts (Vary:
    Accept-Encoding, an ETag per variant, 304 for a client that has them), and
    CompressionMiddleware above leaves it alone.
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
            return self._hit(request, cached)
        response = self.get_response(request)
        if self._cacheable_response(response):
            response["X-Page-Cache"] = "miss"
            entry = self._keep(key, response, current)
            if entry is not None:
                encoding = negotiate(_accept_encoding(request), entry.bodies)
                _send_variant(response, entry, encoding)
        return response

    @staticmethod
    def _hit(request: HttpRequest, entry: PageCacheEntry) -> HttpResponse:
        """The stored variant the client accepts, or 304 when it has it."""
        encoding = negotiate(_accept_encoding(request), entry.bodies)
        etag = variant_tag(entry.etag, encoding)
        known = request.META.get("HTTP_IF_NONE_MATCH")
        if known and etag in {tag.removeprefix("W/") for tag in parse_etags(known)}:
            response = HttpResponseNotModified()
            response["ETag"] = etag
            patch_vary_headers(response, ("Accept-Encoding",))
            setattr(response, NEGOTIATED_ATTRIBUTE, True)
        else:
            response = HttpResponse()
            for name, value in entry.headers:
                response[name] = value
            _send_variant(response, entry, encoding)
        response["X-Page-Cache"] = "hit"
        return response

    @staticmethod
    def _keep(
        key: str, response: HttpResponse, current: dict[str, int]
    ) -> PageCacheEntry | None:
        """Store the page under the generations of its tags before it rendered,
        plain and compressed; None when it could not be kept."""
        tags = getattr(response, TAGS_ATTRIBUTE, (SITE_TAG,))
        generations = {**current, **getattr(response, GENERATIONS_ATTRIBUTE, {})}
        missing = [tag for tag in tags if tag not in generations]
        try:  # a view that gave no generations: read them now
            generations.update(page_cache_generations(missing))
        except SharedCacheDown:
            return None
        entry = PageCacheEntry(
            tags=tuple(tags),
            generations={tag: generations[tag] for tag in tags},
            soft_tags=tuple(getattr(response, SOFT_TAGS_ATTRIBUTE, ())),
            stored_at=page_cache_now(),
            bodies=compressed_variants(response.content),
            etag=entity_tag(response.content),
            headers=[
                (name, response[name]) for name in KEPT_HEADERS if name in response
            ],
        )
        caches["pages"].set(key, entry, settings.MAKERS_PAGE_CACHE_SECONDS)
        return entry

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


# Set on a response the page cache sent: already in the coding the client takes.
NEGOTIATED_ATTRIBUTE = "page_cache_negotiated"


class CompressionMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for every response but the page cache's, which
    already carries the variant the client accepts (core.compression): the
    plain page to a client that refuses gzip (gzip;q=0) stays plain."""

    def process_response(self, request, response):
        if getattr(response, NEGOTIATED_ATTRIBUTE, False):
            return response
        return super().process_response(request, response)


def _accept_encoding(request: HttpRequest) -> str:
    return request.META.get("HTTP_ACCEPT_ENCODING", "")


def _send_variant(response: HttpResponse, entry: PageCacheEntry, encoding: str):
    """Make `response` carry the entry's body in `encoding`, with its headers."""
    body = entry.bodies[encoding]
    response.content = body
    response["Content-Length"] = str(len(body))
    response["ETag"] = variant_tag(entry.etag, encoding)
    patch_vary_headers(response, ("Accept-Encoding",))
    if encoding != IDENTITY:
        response["Content-Encoding"] = encoding
    setattr(response, NEGOTIATED_ATTRIBUTE, True)


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
