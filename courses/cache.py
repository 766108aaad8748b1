"""What the page cache (core.cache) calls the courses' content.

A course page shows its editions' seats under the course's tag (shared by its
translations, which show the same editions); the catalogue and the home page's
featured courses show the next edition's seats under CATALOGUE_TAG and the
featured course's tag. A seat change refreshes those pages and no other.
"""

from django.db import transaction

from core.cache import page_cache_invalidate

CATALOGUE_TAG = "catalogue"


def course_tag(translation_key) -> str:
    return f"course:{translation_key}"


def edition_seats_invalidate(*, edition_id: int) -> None:
    """After commit: refresh what shows this edition's seats (one query, then)."""

    def invalidate() -> None:
        from .models import CourseEdition

        keys = CourseEdition.objects.filter(pk=edition_id).values_list(
            "course__translation_key", flat=True
        )
        page_cache_invalidate([CATALOGUE_TAG, *(course_tag(key) for key in keys)])

    transaction.on_commit(invalidate)
