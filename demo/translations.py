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

from .data import data, stream, texts
from .pages import PAGE_FIELDS, Tree, course_texts, news_texts, publish

HOME_FIELDS = ("title", "hero_title", "hero_text", "hero_cta_text")


def _translate(
    page: Page, english: Locale, fields: dict, created: Counter, *, publish_it=True
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
    if publish_it:
        publish(translation)
    created["translations"] += 1
    return translation, True


def build_english_tree(*, tree: Tree, english: Locale, now, created: Counter) -> None:
    """Translate the Italian tree in its menu order; the English home comes last."""
    pages = data("pages")
    # The English home is completed and published last, below.
    home_en, home_is_new = _translate(tree.home, english, {}, created, publish_it=False)

    # The same order as the Italian tree (and its menu): catalogue first.
    index = pages["course_index"]
    index_en, _ = _translate(
        tree.course_index, english, {"slug": index["slug_en"], **index["en"]}, created
    )
    for spec in pages["standard_pages"]:
        page = tree.home.get_children().filter(slug=spec["slug"]).first()
        fields = {"slug": spec["slug_en"], **texts(spec["en"], *PAGE_FIELDS)}
        _translate(page.specific, english, fields, created)
    courses_en = _translate_courses(tree=tree, english=english, created=created)
    _translate_news(tree=tree, english=english, now=now, created=created)
    if home_is_new:
        _complete_home(home_en=home_en, index_en=index_en, courses_en=courses_en)


def _translate_courses(
    *, tree: Tree, english: Locale, created: Counter
) -> dict[str, CoursePage]:
    """Every course page in English, by code (prerequisites before what needs them)."""
    courses_en: dict[str, CoursePage] = {}
    for spec in data("courses")["courses"]:
        course = tree.courses[spec["code"]]
        existing = course.get_translation_or_none(english)
        if existing is not None:
            courses_en[spec["code"]] = existing.specific
            continue
        fields = {
            "slug": spec["en"]["slug"],
            **course_texts(spec, "en"),
            "prerequisite_courses": [
                courses_en[code] for code in spec.get("requires", [])
            ],
        }
        courses_en[spec["code"]], _ = _translate(course, english, fields, created)
    return courses_en


def _translate_news(*, tree: Tree, english: Locale, now, created: Counter) -> None:
    """The news index and each news page in English."""
    news_index = data("pages")["news_index"]
    _translate(
        tree.news_index,
        english,
        {"slug": news_index["slug_en"], **news_index["en"]},
        created,
    )
    for spec in data("news")["news"]:
        page = tree.news_index.get_children().filter(slug=spec["slug"]).first()
        fields = {"slug": spec["slug_en"], **news_texts(spec, "en", now)}
        _translate(page.specific, english, fields, created)


def _complete_home(
    *, home_en: Page, index_en: Page, courses_en: dict[str, CoursePage]
) -> None:
    """Give a new English home its texts and featured courses, and publish it."""
    # Reload: the copy in memory predates its children (numchild would be 0).
    home_en.refresh_from_db()
    home_texts = data("pages")["home"]["en"]
    for name, value in texts(home_texts, *HOME_FIELDS).items():
        setattr(home_en, name, value)
    home_en.body = stream(home_texts["body"])
    home_en.featured_courses = [
        HomePageFeaturedCourse(page=courses_en[code], sort_order=i)
        for i, code in enumerate(data("courses")["featured"])
    ]
    home_en.hero_cta_page = index_en
    publish(home_en)
