"""Whole-page cache, opt-in per view, invalidated by tag.

Only what a view marks as cacheable is ever stored: the public pages that are the
same for everybody (home, catalogue, course pages, news) opt in through
PageCacheMixin (Wagtail pages) or @page_cache_allowed (plain views). A page that
must never be served stale (a certificate's verification page, say) simply does
not opt in.

Shared pages are the same for everyone, signed in or not: they render as an
anonymous visitor would see them (_render_shared), and what a signed-in person
sees of their own on them (their menu, their enrolment in an edition) arrives in
one small request of its own (portal's fragments, filled in by static/js/site.js).
So a signed-in trainee's catalogue is as fast as a visitor's.

Invalidation is by dependency. Every cached page depends on the tag "site" and on
the tags its view declares (PageCacheMixin.page_cache_tags(), or the tags given
to page_cache_allow()). Each tag has a generation number in the shared cache; an
entry remembers the generations of its tags as they were *before* its page was
rendered, and is served only while all of them are unchanged. So:

- any save or delete of a cms/courses model or of a Wagtail page, revision or
  image bumps "site": every page refreshes at once, as before;
- a change of seats taken (an UPDATE in the enrolment services, after commit)
  bumps only the tags of what shows that edition's seats (the course's tag,
  which the home page declares too when the course is featured, and
  "catalogue"): news and standard pages stay cached.

A soft tag (page_cache_soft_tags(), the catalogue's "catalogue") lets a page show
its change late, by at most MAKERS_PAGE_CACHE_SOFT_SECONDS: the catalogue's seat
figures during an enrolment burst are re-rendered once per that interval per
process instead of on every seat taken. The course page, where one enrols, and
the enrolment itself are always exact.

core knows no app: tags are plain strings, the apps name them (courses.cache).
"""

import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from functools import wraps
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from wagtail.models import PageViewRestriction

from .shared_cache import SharedCacheDown, counter_bump, on_recovery, strict_call

SITE_TAG = "site"
# Bumped with "site" by every save of content, but not by page_cache_invalidate()
# without tags: the fragments (below) depend on it.
CONTENT_TAG = "content"
TAG_KEY_PREFIX = "page-cache:tag:"
ALLOWED_ATTRIBUTE = "page_cache_allowed"
TAGS_ATTRIBUTE = "page_cache_tags"
# The generations of a page's own tags, read before it rendered (see serve()).
GENERATIONS_ATTRIBUTE = "page_cache_generations"
# Tags whose change a page may show late, by at most MAKERS_PAGE_CACHE_SOFT_SECONDS.
SOFT_TAGS_ATTRIBUTE = "page_cache_soft_tags"


def _tag_key(tag: str) -> str:
    return f"{TAG_KEY_PREFIX}{tag}"


# Within one request each tag's generation is read from the shared cache once
# (a render asks for the content generation once per fragment): the value read
# first is kept until the request ends or the request itself bumps a tag. An
# earlier reading only makes what is stored under it stale sooner, never later.
_generations_read: ContextVar[dict[str, int] | None] = ContextVar(
    "page_cache_generations_read", default=None
)


@receiver(request_started)
def _request_reads_generations_once(**kwargs) -> None:
    _generations_read.set({})


@receiver(request_finished)
def _request_done(**kwargs) -> None:
    _generations_read.set(None)


def page_cache_generations(tags: Iterable[str]) -> dict[str, int]:
    """The current generation of each tag: one round trip to the shared cache
    (none for tags this request has read already).

    A tag never bumped has generation 0 (no key is stored for it). Raises
    SharedCacheDown when the shared cache does not answer: then nothing is
    served from the page cache or kept in it (core.shared_cache).
    """
    tags = list(dict.fromkeys(tags))
    read = _generations_read.get()
    missing = tags if read is None else [tag for tag in tags if tag not in read]
    if missing:
        found = strict_call("get_many", [_tag_key(tag) for tag in missing])
        fresh = {tag: found.get(_tag_key(tag), 0) for tag in missing}
        if read is None:
            return fresh
        read.update(fresh)
    return {tag: read[tag] for tag in tags}


def page_cache_invalidate(tags: Iterable[str] | None = None) -> None:
    """Make stale every cached page that depends on one of `tags`.

    Without tags: every page ("site", on which all pages depend).
    """
    if _generations_read.get() is not None:
        _generations_read.set({})  # read them afresh after this bump
    for tag in dict.fromkeys(tags or (SITE_TAG,)):
        # With the shared cache down, made when it answers again.
        counter_bump(_tag_key(tag))


def _pages_refresh() -> None:
    """The shared cache answers again. A change made during the outage may have
    bumped nothing (its process ended first: a job, a command): every process
    re-renders every page and fragment once (SITE_TAG, CONTENT_TAG)."""
    page_cache_invalidate([SITE_TAG, CONTENT_TAG])
    caches[FRAGMENTS_CACHE].clear()


on_recovery(_pages_refresh)


def page_cache_allow(
    response: HttpResponse,
    tags: Iterable[str] = (),
    generations: dict[str, int] | None = None,
    soft_tags: Iterable[str] = (),
) -> HttpResponse:
    """Let the page cache keep this response and serve it to every visitor.

    `tags`: what the page shows beyond the site's content (it always depends on
    "site"), e.g. a course's tag. `soft_tags`: what it shows that may be late by
    at most MAKERS_PAGE_CACHE_SOFT_SECONDS (the catalogue's seat figures).
    `generations`: those tags' generations read before the page read what it
    shows; without them the middleware reads them after rendering (a change
    committed during the render could then stay unseen until the entry expires).
    """
    soft_tags = tuple(soft_tags)
    setattr(response, ALLOWED_ATTRIBUTE, True)
    setattr(response, TAGS_ATTRIBUTE, (SITE_TAG, *tags, *soft_tags))
    setattr(response, SOFT_TAGS_ATTRIBUTE, soft_tags)
    if generations is not None:
        setattr(response, GENERATIONS_ATTRIBUTE, generations)
    return response


class PageCacheEntry(NamedTuple):
    """A stored page: what it depends on, as it was before it rendered, and it:
    its bodies by content coding, plain and compressed once (core.compression),
    and the ETag of its plain bytes."""

    tags: tuple[str, ...]
    generations: dict[str, int]
    soft_tags: tuple[str, ...]
    stored_at: float
    bodies: dict[str, bytes]
    etag: str
    headers: list[tuple[str, str]]


def page_cache_entry_fresh(
    entry: PageCacheEntry, current: dict[str, int], now: float
) -> bool:
    """Whether a stored page may be served, given its tags' current generations.

    A changed tag makes it stale at once, unless the tag is soft and the page is
    younger than MAKERS_PAGE_CACHE_SOFT_SECONDS: then it is served until then.
    """
    stored, soft, stored_at = entry.generations, entry.soft_tags, entry.stored_at
    for tag, generation in stored.items():
        if current.get(tag, 0) == generation:
            continue
        if tag in soft and now - stored_at < settings.MAKERS_PAGE_CACHE_SOFT_SECONDS:
            continue
        return False
    return True


def page_cache_now() -> float:
    return time.time()


def _render_shared(view, request, *args, **kwargs) -> HttpResponse:
    """Render as an anonymous visitor would see it: the same page for everyone.

    Shared pages carry nothing personal; what a signed-in person sees of their
    own (their menu, their enrolment) is filled in by a small request of its own
    (portal's fragments). Rendering as anonymous makes that hold by construction,
    so the page may be kept and served to anyone.
    """
    user = request.user
    request.user = AnonymousUser()
    try:
        response = view(request, *args, **kwargs)
        if callable(getattr(response, "render", None)) and not response.is_rendered:
            response.render()
    finally:
        request.user = user
    return response


def _serve_tagged(
    view, tags, request, *args, soft_tags=(), restricted=None, **kwargs
) -> HttpResponse:
    """Serve a page the cache may share: tagged, rendered as for anyone.

    `restricted()`: whether the page is behind a view restriction (a password,
    signed-in people only): such a page is rendered for its viewer and never kept.
    """
    if request.method not in ("GET", "HEAD"):
        return view(request, *args, **kwargs)
    tags, soft_tags = tuple(tags), tuple(soft_tags)
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    if signed_in and restricted is not None and restricted():
        return view(request, *args, **kwargs)
    try:
        generations = page_cache_generations(tags + soft_tags)
    except SharedCacheDown:
        generations = None  # served as usual, never kept
    if signed_in:
        response = _render_shared(view, request, *args, **kwargs)
    else:
        response = view(request, *args, **kwargs)
    if generations is None:
        return response
    return page_cache_allow(response, tags, generations, soft_tags)


def page_cache_allowed(
    view: Callable[..., HttpResponse] | None = None, *, tags: Iterable[str] = ()
):
    """Decorator: the view's anonymous responses may be served from the cache.

    @page_cache_allowed, or @page_cache_allowed(tags=["catalogue"]).
    """
    tags = tuple(tags)

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return _serve_tagged(view, tags, request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate


class PageCacheMixin:
    """For Wagtail pages that are the same for every visitor.

    Override page_cache_tags() to name what else the page shows, and
    page_cache_soft_tags() for what it may show late (a bounded few seconds).
    """

    def page_cache_tags(self) -> Iterable[str]:
        return ()

    def page_cache_soft_tags(self) -> Iterable[str]:
        return ()

    def serve(self, request, *args, **kwargs):
        return _serve_tagged(
            super().serve,
            self.page_cache_tags(),
            request,
            *args,
            soft_tags=self.page_cache_soft_tags(),
            restricted=lambda: bool(self.get_view_restrictions()),
            **kwargs,
        )

    def get_view_restrictions(self):
        """Wagtail's, without its two queries on every page served while no page
        of the site has a view restriction (the usual case). Whether one exists
        is kept per content generation, which the save or delete of any
        restriction bumps (INVALIDATING_MODELS), so a new one applies at once."""
        if not fragment_cached("view-restrictions-exist", (), _any_view_restriction):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def _any_view_restriction() -> bool:
    return PageViewRestriction.objects.exists()


def content_changed() -> None:
    """Content changed without a signal (a bulk_create, a raw UPDATE): refresh
    every page and every fragment."""
    page_cache_invalidate([SITE_TAG, CONTENT_TAG])


# Everything in the catalogue and the site's own content shows on public pages, and
# so do Wagtail's pages, revisions and images. Seat counts change through an UPDATE
# in the enrolment services, which invalidate the edition's tags after commit. The
# apps whose every model shows on public pages register themselves from their
# AppConfig.ready() (page_cache_invalidated_by): core names no app above it.
INVALIDATING_APPS: set[str] = set()
INVALIDATING_MODELS = {
    ("wagtailcore", "page"),
    ("wagtailcore", "revision"),
    ("wagtailcore", "pageviewrestriction"),
    ("wagtailcore", "site"),
    ("wagtailcore", "locale"),
    ("wagtailimages", "image"),
}


def page_cache_invalidated_by(*, app_label: str) -> None:
    """A save or delete of any model of the app refreshes every cached page and
    fragment (content_changed): called by the app itself, from its ready()."""
    INVALIDATING_APPS.add(app_label)


@receiver(post_save)
@receiver(post_delete)
def _invalidate_on_change(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None:
        return
    if (
        meta.app_label in INVALIDATING_APPS
        or (meta.app_label, meta.model_name) in INVALIDATING_MODELS
    ):
        content_changed()


# Fragments: pieces of pages (a course card, the filter form's choices, the menu)
# kept in this process's memory ("pages" cache). Their keys hold the content
# generation (bumped by every save of cms/courses/Wagtail content, so an edit shows
# at once) plus whatever else the fragment shows that changes without a save (a
# card's seats: its caller puts them in the key). Bumping the page cache alone
# (page_cache_invalidate(), a seat change) leaves them valid: that is what makes a
# re-render after an enrolment, or any signed-in page, cheap.
FRAGMENTS_CACHE = "pages"
FRAGMENT_SECONDS = 600


def fragment_version() -> int:
    """The content generation: one small read of the shared cache. With the
    shared cache down, a number no fragment is kept under (rebuilt, not reused)."""
    try:
        return page_cache_generations([CONTENT_TAG])[CONTENT_TAG]
    except SharedCacheDown:
        return -time.monotonic_ns()


def fragment_key(name: str, *parts, version: int | None = None) -> str:
    if version is None:
        version = fragment_version()
    return ":".join(["fragment", name, str(version), *(str(part) for part in parts)])


def fragment_cached(name: str, parts: Iterable, build: Callable[[], object]):
    """The fragment `name` for `parts`, built (and kept) when missing. A build
    that gives None is not kept (asked again next time)."""

    fragments = caches[FRAGMENTS_CACHE]
    key = fragment_key(name, *parts)
    value = fragments.get(key)
    if value is None:
        value = build()
        if value is not None:
            fragments.set(key, value, FRAGMENT_SECONDS)
    return value
