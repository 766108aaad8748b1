"""The Italian page tree on top of cms.services.site_tree_ensure, and the settings.

Pages are found by slug under their parent. A page that exists is left as it is,
so a second load writes no revision.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from wagtail.models import Locale, Page, Site

from cms.models import (
    HomePage,
    HomePageFeaturedCourse,
    NewsIndexPage,
    NewsPage,
    SiteSettings,
    StandardPage,
)
from cms.services import site_tree_ensure
from courses.models import Competency, CourseIndexPage, CoursePage

from .data import data, stream, texts

PAGE_FIELDS = ("title", "intro", "body")


@dataclass
class Tree:
    """The pages the rest of the loader needs, by stable key."""

    home: HomePage
    course_index: CourseIndexPage
    courses: dict[str, CoursePage] = field(default_factory=dict)
    news_index: NewsIndexPage | None = None
    privacy: StandardPage | None = None


def publish(page: Page) -> None:
    page.save_revision().publish()


def _child(parent: Page, model, slug: str, build, created: Counter):
    """The child of `parent` with this slug, or a new published one from build()."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is not None:
        return page
    page = build()
    page.slug = slug
    page.locale = parent.locale
    parent.add_child(instance=page)
    publish(page)
    created["pages"] += 1
    return page


def ensure_home(*, italian: Locale, images: dict, created: Counter) -> Tree:
    """The Italian home and catalogue (the shared builder), as the default Site."""
    spec = data("pages")
    had_home = HomePage.objects.filter(depth=2, locale=italian).exists()
    had_index = CourseIndexPage.objects.filter(locale=italian).exists()
    created["sites"] += not Site.objects.filter(is_default_site=True).exists()
    home_texts = spec["home"]["it"]
    home, index = site_tree_ensure(
        home={
            "slug": "home",
            "hero_image": images[spec["home"]["image"]],
            **texts(home_texts, "title", "hero_title", "hero_text", "hero_cta_text"),
            "body": stream(home_texts["body"]),
        },
        index={
            "slug": spec["course_index"]["slug"],
            "show_in_menus": True,
            **spec["course_index"]["it"],
        },
        site_name=spec["site_name"],
    )
    created["pages"] += (not had_home) + (not had_index)
    return Tree(home=home, course_index=index)


def build_italian_tree(
    *, tree: Tree, images: dict, competencies: dict[str, Competency], now, created
) -> Tree:
    """The standard pages, the courses, the news and the home's featured courses."""
    _standard_pages(tree=tree, created=created)
    for spec in data("courses")["courses"]:
        tree.courses[spec["code"]] = _child(
            tree.course_index,
            CoursePage,
            spec["it"]["slug"],
            lambda spec=spec: course_page(spec, images, competencies, tree),
            created,
        )
    _news(tree=tree, images=images, now=now, created=created)
    _feature_courses(tree=tree)
    return tree


def _standard_pages(*, tree: Tree, created: Counter) -> None:
    """The standard pages under the home; the privacy page is remembered."""
    for spec in data("pages")["standard_pages"]:
        page = _child(
            tree.home,
            StandardPage,
            spec["slug"],
            lambda spec=spec: StandardPage(
                show_in_menus=spec["menu"], **texts(spec["it"], *PAGE_FIELDS)
            ),
            created,
        )
        if spec["slug"] == data("pages")["site_settings"]["privacy_page"]:
            tree.privacy = page


def _news(*, tree: Tree, images: dict, now, created: Counter) -> None:
    """The news index under the home and its news pages."""
    index_spec = data("pages")["news_index"]
    tree.news_index = _child(
        tree.home,
        NewsIndexPage,
        index_spec["slug"],
        lambda: NewsIndexPage(show_in_menus=True, **index_spec["it"]),
        created,
    )
    for spec in data("news")["news"]:
        _child(
            tree.news_index,
            NewsPage,
            spec["slug"],
            lambda spec=spec: NewsPage(
                date=news_date(spec, now),
                image=images[spec["image"]],
                **news_texts(spec, "it", now),
            ),
            created,
        )


def _feature_courses(*, tree: Tree) -> None:
    """The home's featured courses and call to action, set once."""
    home = tree.home
    if not home.featured_courses.exists():
        home.featured_courses = [
            HomePageFeaturedCourse(page=tree.courses[code], sort_order=i)
            for i, code in enumerate(data("courses")["featured"])
        ]
        home.hero_cta_page = tree.course_index
        publish(home)


def course_page(spec, images, competencies, tree) -> CoursePage:
    page = CoursePage(
        code=spec["code"],
        area=spec["area"],
        hours=spec["hours"],
        eqf_level=spec["eqf_level"],
        teaching_language=spec["teaching_language"],
        price=Decimal(spec["price"]),
        voucher_eligible=spec.get("voucher", False),
        image=images[spec["image"]],
        **course_texts(spec, "it"),
    )
    page.competencies = [competencies[code] for code in spec["competencies"]]
    page.prerequisite_courses = [
        tree.courses[code] for code in spec.get("requires", [])
    ]
    return page


def course_texts(spec, lang: str) -> dict:
    """Title, summary, body (what, then how), prerequisites and funding notes."""
    shared = data("courses")["texts"][lang]
    own = spec[lang]
    funding = ""
    if spec.get("voucher"):
        funding = shared["voucher"]
    elif Decimal(spec["price"]) == 0:
        funding = shared["free"]
    body = [
        {"heading": shared["what_heading"]},
        {"paragraph": own["what"]},
        {"heading": shared["how_heading"]},
        {"paragraph": own.get("how", shared["lab"])},
    ]
    return {
        "title": own["title"],
        "summary": own["summary"],
        "body": stream(body),
        "prerequisites": own["prerequisites"],
        "funding_notes": funding,
    }


def news_year(now) -> int:
    """The year whose courses the enrolment news announces."""
    return (timezone.localdate(now) + dt.timedelta(days=60)).year


def news_texts(spec, lang, now) -> dict:
    return texts(spec[lang], *PAGE_FIELDS, year=str(news_year(now)))


def news_date(spec, now) -> dt.date:
    if "date" in spec:
        return dt.date.fromisoformat(str(spec["date"]))
    return timezone.localdate(now) - dt.timedelta(days=spec["days_ago"])


def ensure_site_settings(*, tree: Tree, images: dict, created: Counter) -> SiteSettings:
    settings = SiteSettings.load()
    missing_contacts = settings.privacy_page_id is None or not settings.phone
    missing_logo = settings.logo_id is None
    if missing_contacts:
        for name, value in data("pages")["site_settings"].items():
            if name != "privacy_page":
                setattr(settings, name, value)
        settings.privacy_page = tree.privacy
        created["site settings"] += 1
    if missing_logo:
        settings.logo = images["logo"]
        created["site logo"] += 1
    if missing_contacts or missing_logo:
        settings.save()
    return settings
