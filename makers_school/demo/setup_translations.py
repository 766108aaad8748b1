"""The English tree: each Italian page copied with copy_for_translation, then given
its English texts and published.

Parents are translated before their children, so copy_for_translation never has to
create alias parents. The English home is published last, once the English courses
it features exist.
"""

from collections import Counter

from wagtail.models import Locale, Page

from cms.models import HomePageFeaturedCourse
from courses.models import CoursePage

from .courses import COURSES, FEATURED
from .news import NEWS
from .pages import COURSE_INDEX, HOME, NEWS_INDEX, STANDARD_PAGES
from .setup_pages import Tree, _course_texts, _news_texts, _publish


def _translate(
    page: Page, english: Locale, fields: dict, created: Counter, *, publish: bool = True
):
    """The English translation of `page`; a new one gets `fields` and is published."""
    existing = page.get_translation_or_none(english)
    if existing is not None:
        return existing.specific, False
    translation = page.copy_for_translation(
        english, copy_parents=True, alias=False
    ).specific
    for name, value in fields.items():
        setattr(translation, name, value)
    if publish:
        _publish(translation)
    created["translations"] += 1
    return translation, True


def build_english_tree(*, tree: Tree, english: Locale, now, created: Counter) -> None:
    # The English home is completed and published last, below.
    home_en, home_is_new = _translate(tree.home, english, {}, created, publish=False)

    for spec in STANDARD_PAGES:
        page = tree.home.get_children().filter(slug=spec["slug"]).first()
        texts = spec["en"]
        _translate(
            page.specific,
            english,
            {
                "title": texts["title"],
                "slug": spec["slug_en"],
                "intro": texts["intro"],
                "body": texts["body"],
            },
            created,
        )

    index_en, _ = _translate(
        tree.course_index,
        english,
        {"slug": COURSE_INDEX["slug_en"], **COURSE_INDEX["en"]},
        created,
    )
    courses_en: dict[str, CoursePage] = {}
    for spec in COURSES:
        course = tree.courses[spec["code"]]
        existing = course.get_translation_or_none(english)
        if existing is not None:
            courses_en[spec["code"]] = existing.specific
            continue
        fields = {
            "title": spec["en"]["title"],
            "slug": spec["en"]["slug"],
            **_course_texts(spec, "en"),
            "prerequisite_courses": [courses_en[code] for code in spec["requires"]],
        }
        courses_en[spec["code"]], _ = _translate(course, english, fields, created)

    news_index = tree.home.get_children().filter(slug=NEWS_INDEX["slug"]).first()
    _translate(
        news_index.specific,
        english,
        {"slug": NEWS_INDEX["slug_en"], **NEWS_INDEX["en"]},
        created,
    )
    for spec in NEWS:
        page = news_index.get_children().filter(slug=spec["slug"]).first()
        _translate(
            page.specific,
            english,
            {"slug": spec["slug_en"], **_news_texts(spec, "en", now)},
            created,
        )

    if home_is_new:
        # Reload: the copy in memory predates its children (numchild would be 0).
        home_en.refresh_from_db()
        for name in ("title", "hero_title", "hero_text", "hero_cta_text", "body"):
            setattr(home_en, name, HOME["en"][name])
        home_en.featured_courses = [
            HomePageFeaturedCourse(page=courses_en[code], sort_order=i)
            for i, code in enumerate(FEATURED)
        ]
        home_en.hero_cta_page = index_en
        _publish(home_en)
