"""The Italian page tree, its English translation, the default Site and settings.

Pages are found by slug under their parent (Italian) or through the translation
key (English). A page that exists is left as it is, so a second load writes no
revision.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
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
from courses.models import Competency, CourseIndexPage, CoursePage

from .courses import COURSES, FEATURED, FREE_EN, FREE_IT, VOUCHER_EN, VOUCHER_IT
from .news import NEWS
from .pages import COURSE_INDEX, HOME, NEWS_INDEX, STANDARD_PAGES

SITE_NAME = "Makers' School"
WELCOME_TITLE = "Welcome to your new Wagtail site!"


@dataclass
class Tree:
    """The pages the rest of the loader needs, by stable key."""

    home: HomePage
    courses: dict[str, CoursePage] = field(default_factory=dict)
    course_index: CourseIndexPage | None = None
    privacy: StandardPage | None = None


def ensure_locales() -> tuple[Locale, Locale]:
    italian, _ = Locale.objects.get_or_create(language_code="it")
    english, _ = Locale.objects.get_or_create(language_code="en")
    return italian, english


def _publish(page: Page) -> None:
    page.save_revision().publish()


def _child(parent: Page, model, slug: str, build, created: Counter):
    """The child of `parent` with this slug, or a new published one from build()."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is not None:
        return page, False
    page = build()
    page.slug = slug
    page.locale = parent.locale
    parent.add_child(instance=page)
    _publish(page)
    created["pages"] += 1
    return page, True


def ensure_home(*, italian: Locale, images: dict, created: Counter) -> HomePage:
    """Replace Wagtail's welcome page with the Italian home and point the Site at it."""
    root = Page.get_first_root_node()
    home = HomePage.objects.child_of(root).filter(locale=italian).first()
    if home is None:
        welcome = (
            Page.objects.child_of(root)
            .filter(
                title=WELCOME_TITLE,
                content_type=ContentType.objects.get_for_model(Page),
                numchild=0,
            )
            .first()
        )
        if welcome is not None:
            # A Site's root page is a cascading foreign key: park it on the root.
            Site.objects.filter(root_page=welcome).update(root_page=root)
            welcome.delete()
        texts = HOME["it"]
        home = HomePage(
            title=texts["title"],
            slug="home",
            locale=italian,
            hero_title=texts["hero_title"],
            hero_text=texts["hero_text"],
            hero_cta_text=texts["hero_cta_text"],
            hero_image=images["hero"],
            body=texts["body"],
        )
        root.add_child(instance=home)
        _publish(home)
        created["pages"] += 1
    _ensure_site(home, created)
    return home


def _ensure_site(home: HomePage, created: Counter) -> None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.filter(hostname="localhost", port=80).first() or Site()
        created["sites"] += 1
    wanted = {
        "hostname": "localhost",
        "port": 80,
        "site_name": SITE_NAME,
        "root_page_id": home.pk,
        "is_default_site": True,
    }
    if any(getattr(site, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(site, name, value)
        site.save()


def build_italian_tree(
    *,
    home: HomePage,
    images: dict,
    competencies: dict[str, Competency],
    now,
    created: Counter,
) -> Tree:
    tree = Tree(home=home)
    for spec in STANDARD_PAGES:
        texts = spec["it"]
        page, _ = _child(
            home,
            StandardPage,
            spec["slug"],
            lambda texts=texts, spec=spec: StandardPage(
                title=texts["title"],
                intro=texts["intro"],
                body=texts["body"],
                show_in_menus=spec["menu"],
            ),
            created,
        )
        if spec["slug"] == "privacy":
            tree.privacy = page

    texts = COURSE_INDEX["it"]
    tree.course_index, _ = _child(
        home,
        CourseIndexPage,
        COURSE_INDEX["slug"],
        lambda: CourseIndexPage(
            title=texts["title"], intro=texts["intro"], show_in_menus=True
        ),
        created,
    )
    for spec in COURSES:
        tree.courses[spec["code"]], _ = _child(
            tree.course_index,
            CoursePage,
            spec["it"]["slug"],
            lambda spec=spec: _course_page(spec, "it", images, competencies, tree),
            created,
        )

    news_texts = NEWS_INDEX["it"]
    news_index, _ = _child(
        home,
        NewsIndexPage,
        NEWS_INDEX["slug"],
        lambda: NewsIndexPage(
            title=news_texts["title"], intro=news_texts["intro"], show_in_menus=True
        ),
        created,
    )
    for spec in NEWS:
        _child(
            news_index,
            NewsPage,
            spec["slug"],
            lambda spec=spec: _news_page(spec, "it", images, now),
            created,
        )

    if not home.featured_courses.exists():
        _feature_courses(home, tree.courses, tree.course_index)
    return tree


def _feature_courses(home: HomePage, courses: dict, course_index: Page) -> None:
    home.featured_courses = [
        HomePageFeaturedCourse(page=courses[code], sort_order=i)
        for i, code in enumerate(FEATURED)
    ]
    home.hero_cta_page = course_index
    _publish(home)


def _course_page(spec, lang, images, competencies, tree) -> CoursePage:
    texts = spec[lang]
    page = CoursePage(
        title=texts["title"],
        code=spec["code"],
        area=spec["area"],
        hours=spec["hours"],
        eqf_level=spec["eqf_level"],
        teaching_language=spec["teaching_language"],
        price=Decimal(spec["price"]),
        voucher_eligible=spec["voucher"],
        image=images[spec["image"]],
        **_course_texts(spec, lang),
    )
    page.competencies = [competencies[code] for code in spec["competencies"]]
    page.prerequisite_courses = [tree.courses[code] for code in spec["requires"]]
    return page


def _course_texts(spec, lang: str) -> dict:
    texts = spec[lang]
    voucher = VOUCHER_IT if lang == "it" else VOUCHER_EN
    free = FREE_IT if lang == "it" else FREE_EN
    funding = texts.get("funding_notes", "")
    if not funding and spec["voucher"]:
        funding = voucher
    elif not funding and Decimal(spec["price"]) == 0:
        funding = free
    return {
        "summary": texts["summary"],
        "body": texts["body"],
        "prerequisites": texts["prerequisites"],
        "funding_notes": funding,
    }


def news_year(now) -> int:
    """The year whose courses the enrolment news announces."""
    return (timezone.localdate(now) + dt.timedelta(days=60)).year


def _news_texts(spec, lang, now) -> dict:
    year = str(news_year(now))
    return {
        name: spec[lang][name].replace("{year}", year)
        for name in ("title", "intro", "body")
    }


def _news_page(spec, lang, images, now) -> NewsPage:
    if "date" in spec:
        date = dt.date.fromisoformat(spec["date"])
    else:
        date = timezone.localdate(now) - dt.timedelta(days=spec["days_ago"])
    return NewsPage(
        date=date, image=images[spec["image"]], **_news_texts(spec, lang, now)
    )


def ensure_site_settings(*, tree: Tree, created: Counter) -> SiteSettings:
    settings = SiteSettings.load()
    if settings.privacy_page_id is None or not settings.phone:
        settings.school_name = SITE_NAME
        settings.organisation = "Camera di commercio di Torino"
        settings.address = "Manufacturing Technology Center, Corso Settembrini 178"
        settings.postcode_city = "10135 Torino"
        settings.email = "makers.school@to.camcom.it"
        settings.phone = "+39 011 571 61 11"
        settings.privacy_page = tree.privacy
        settings.save()
        created["site settings"] += 1
    return settings
