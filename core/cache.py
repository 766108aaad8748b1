"""Whole-page cache for anonymous visitors, opt-in per view, invalidated by tag.

Only what a view marks as cacheable is ever stored: the public pages that are the
same for everybody (home, catalogue, course pages, news) opt in through
PageCacheMixin (Wagtail pages) or @page_cache_allowed (plain views). A page that
must never be served stale (a certificate's verification page, say) simply does
not opt in.

Invalidation is by dependency. Every cached page depends on the tag "site" and on
the tags its view declares (PageCacheMixin.page_cache_tags(), or the tags given
to page_cache_allow()). Each tag has a generation number in the shared cache; an
entry remembers the generations of its tags as they were *before* its page was
rendered, and is served only while all of them are unchanged. So:

- any save or delete of a cms/courses model or of a Wagtail page, revision or
  image bumps "site": every page refreshes at once, as before;
- a change of seats taken (an UPDATE in the enrolment services, after commit)
  bumps only the tags of what shows that edition's seats (the course's tag and
  "catalogue", which the home page declares too for its featured courses):
  news and standard pages stay cached.

core knows no app: tags are plain strings, the apps name them (courses.cache).
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.core.cache import cache, caches
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse

SITE_TAG = "site"
# Bumped with "site" by every save of content, but not by page_cache_invalidate()
# without tags: the fragments (below) depend on it.
CONTENT_TAG = "content"
TAG_KEY_PREFIX = "page-cache:tag:"
ALLOWED_ATTRIBUTE = "page_cache_allowed"
TAGS_ATTRIBUTE = "page_cache_tags"
# The generations of a page's own tags, read before it rendered (see serve()).
GENERATIONS_ATTRIBUTE = "page_cache_generations"


def _tag_key(tag: str) -> str:
    return f"{TAG_KEY_PREFIX}{tag}"


def page_cache_generations(tags: Iterable[str]) -> dict[str, int]:
    """The current generation of each tag: one round trip to the shared cache.

    A tag never bumped has generation 0 (no key is stored for it).
    """
    tags = list(dict.fromkeys(tags))
    found = cache.get_many([_tag_key(tag) for tag in tags])
    return {tag: found.get(_tag_key(tag), 0) for tag in tags}


def page_cache_invalidate(tags: Iterable[str] | None = None) -> None:
    """Make stale every cached page that depends on one of `tags`.

    Without tags: every page ("site", on which all pages depend).
    """
    for tag in dict.fromkeys(tags or (SITE_TAG,)):
        key = _tag_key(tag)
        if not cache.add(key, 1, timeout=None):
            try:
                cache.incr(key)
            except ValueError:  # evicted between add() and incr()
                cache.set(key, 1, timeout=None)


def page_cache_allow(
    response: HttpResponse,
    tags: Iterable[str] = (),
    generations: dict[str, int] | None = None,
) -> HttpResponse:
    """Let the page cache keep this response for anonymous visitors.

    `tags`: what the page shows beyond the site's content (it always depends on
    "site"), e.g. "catalogue" or a course's tag. `generations`: those tags'
    generations read before the page read what it shows; without them the
    middleware reads them after rendering (a change committed during the render
    could then stay unseen until the entry expires).
    """
    setattr(response, ALLOWED_ATTRIBUTE, True)
    setattr(response, TAGS_ATTRIBUTE, (SITE_TAG, *tags))
    if generations is not None:
        setattr(response, GENERATIONS_ATTRIBUTE, generations)
    return response


def _serve_tagged(view, tags, request, *args, **kwargs) -> HttpResponse:
    tags = tuple(tags)
    generations = page_cache_generations(tags) if tags else {}
    return page_cache_allow(view(request, *args, **kwargs), tags, generations)


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
    """For Wagtail pages that are the same for every anonymous visitor.

    Override page_cache_tags() to name what else the page shows.
    """

    def page_cache_tags(self) -> Iterable[str]:
        return ()

    def serve(self, request, *args, **kwargs):
        return _serve_tagged(
            super().serve, self.page_cache_tags(), request, *args, **kwargs
        )


def content_changed() -> None:
    """Content changed without a signal (a bulk_create, a raw UPDATE): refresh
    every page and every fragment."""
    page_cache_invalidate([SITE_TAG, CONTENT_TAG])


# Everything in the catalogue and the site's own content shows on public pages, and
# so do Wagtail's pages, revisions and images. Seat counts change through an UPDATE
# in the enrolment services, which invalidate the edition's tags after commit.
INVALIDATING_APPS = {"cms", "courses"}
INVALIDATING_MODELS = {
    ("wagtailcore", "page"),
    ("wagtailcore", "revision"),
    ("wagtailimages", "image"),
}


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
    """The content generation: one small read of the shared cache."""
    return page_cache_generations([CONTENT_TAG])[CONTENT_TAG]


def fragment_key(name: str, *parts, version: int | None = None) -> str:
    if version is None:
        version = fragment_version()
    return ":".join(["fragment", name, str(version), *(str(part) for part in parts)])


def fragment_cached(name: str, parts: Iterable, build: Callable[[], object]):
    """The fragment `name` for `parts`, built (and kept) when missing."""

    fragments = caches[FRAGMENTS_CACHE]
    key = fragment_key(name, *parts)
    value = fragments.get(key)
    if value is None:
        value = build()
        fragments.set(key, value, FRAGMENT_SECONDS)
    return value
