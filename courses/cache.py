"""What the page cache (core.cache) calls the courses' content.

A course page shows its editions' seats under the course's tag (shared by its
translations, which show the same editions); the catalogue and the home page's
featured courses show the next edition's seats under CATALOGUE_TAG and the
featured course's tag. A seat change refreshes those pages and no other
(courses.services.edition_seats_invalidate); the catalogue declares its tag soft,
so its seat figures may be late by MAKERS_PAGE_CACHE_SOFT_SECONDS.
"""

CATALOGUE_TAG = "catalogue"


def course_tag(translation_key) -> str:
    return f"course:{translation_key}"
