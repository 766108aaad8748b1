"""Whole-page cache for anonymous visitors, opt-in per view.

Only what a view marks as cacheable is ever stored: the public pages that are the
same for everybody (home, catalogue, course pages, news) opt in through
PageCacheMixin (Wagtail pages) or @page_cache_allowed (plain views). A page that
must never be served stale (a certificate's verification page, say) simply does
not opt in.

Every entry is keyed with a site-wide generation number; publishing a page or
changing anything that a page shows (an edition, a session, a competency, a venue,
seats taken) bumps the number, so no visitor ever sees stale seats or unpublished
content.
"""

from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse

GENERATION_KEY = "page-cache:generation"
ALLOWED_ATTRIBUTE = "page_cache_allowed"


def page_cache_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def page_cache_invalidate() -> None:
    """Make every cached anonymous page stale."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def page_cache_allow(response: HttpResponse) -> HttpResponse:
    """Let the page cache keep this response for anonymous visitors."""
    setattr(response, ALLOWED_ATTRIBUTE, True)
    return response


def page_cache_allowed(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Decorator: the view's anonymous responses may be served from the cache."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return page_cache_allow(view(request, *args, **kwargs))

    return wrapped


class PageCacheMixin:
    """For Wagtail pages that are the same for every anonymous visitor."""

    def serve(self, request, *args, **kwargs):
        return page_cache_allow(super().serve(request, *args, **kwargs))


# Everything in the catalogue and the site's own content shows on public pages, and
# so do Wagtail's pages, revisions and images. Seat counts change through an UPDATE
# in the enrolment services, which call page_cache_invalidate() after commit.
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
        page_cache_invalidate()
