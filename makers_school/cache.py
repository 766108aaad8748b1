"""Whole-page cache for anonymous visitors.

Anonymous pages (home, catalogue, course pages, news) are the same for everybody,
so they are rendered once and served from the cache. Every entry is keyed with a
site-wide generation number; publishing a page or changing anything that a page
shows (an edition, a session, a competency, a venue, seats taken) bumps the number,
so no visitor ever sees stale seats or unpublished content.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

GENERATION_KEY = "page-cache:generation"


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
