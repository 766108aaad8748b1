"""A course in the reader's language: an edition names one page of its
course; these find that page's live translation. One query for a whole list."""

from collections.abc import Iterable

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from core.i18n import active_language

from ..models import CourseEdition, CoursePage


def courses_in_language(
    *, course_ids: Iterable[int], language: str
) -> dict[int, CoursePage]:
    """For each course page id, its live page in `language` (itself when it has no
    translation there). One query, whatever the number of courses."""
    course_ids = set(course_ids)
    if not course_ids:
        return {}
    originals = CoursePage.objects.filter(pk__in=course_ids).values(
        "pk", "translation_key"
    )
    pages = (
        CoursePage.objects.live()
        .filter(
            Q(pk__in=course_ids)
            | Q(
                translation_key__in=Subquery(originals.values("translation_key")),
                locale__language_code=language,
            )
        )
        .select_related("locale")
    )
    by_key: dict = {}
    mine: dict[int, CoursePage] = {}
    for page in pages:
        if page.pk in course_ids:
            mine[page.pk] = page
        if page.locale.language_code == language:
            by_key[page.translation_key] = page
    return {pk: by_key.get(page.translation_key, page) for pk, page in mine.items()}


def _course_in(edition: CourseEdition, language: str) -> bool:
    """Whether the edition's loaded course page is in `language` (False when
    the page or its locale is not loaded: that would cost a query)."""
    if not CourseEdition.course.is_cached(edition):
        return False
    course = edition.course
    return (
        CoursePage.locale.is_cached(course) and course.locale.language_code == language
    )


def editions_localize(
    *, editions: Iterable[CourseEdition], language: str | None = None
) -> None:
    """Give each edition its course page in `language` (the active one by
    default) as `localized_course`, for its title and link: one query for all.

    An edition names one page of its course (the Italian one, usually); a
    reader of another language sees that page's live translation, or the page
    itself where there is none.
    """
    language = language or active_language()
    # A course page loaded with its locale (select_related("course__locale"))
    # and already in the language is shown as it is, without a query.
    editions = [
        edition
        for edition in editions
        if edition is not None and not _course_in(edition, language)
    ]
    if not editions:
        return
    pages = courses_in_language(
        course_ids={edition.course_id for edition in editions}, language=language
    )
    for edition in editions:
        page = pages.get(edition.course_id)
        if page is not None:
            edition.localized_course = page


def localized_course_title(*, path: str = "course", language: str | None = None):
    """An expression for a query's annotate(): the title of the course page at
    `path` (a relation, "edition__course") in `language` (the active one by
    default), its own title where it has no live translation. No extra query:
    for lists that show titles without links (form choices, directory cards).
    """
    translated = CoursePage.objects.live().filter(
        translation_key=OuterRef(f"{path}__translation_key"),
        locale__language_code=language or active_language(),
    )
    return Coalesce(Subquery(translated.values("title")[:1]), F(f"{path}__title"))
