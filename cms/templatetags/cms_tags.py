"""The site's menu, kept as a fragment (core.cache): the header shows it on every
page, and reading it costs a handful of page-tree queries. The page's meta
description, for search engines."""

from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Site

from core.cache import fragment_cached

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[dict]:
    """The live in-menu children of the site's root, in the active language:
    [{"pk", "title", "url", "url_path"}]."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return []

    def build() -> list[dict]:
        root = site.root_page.localized
        return [
            {
                "pk": item.pk,
                "title": item.title,
                "url": item.get_url(request=request),
                "url_path": item.url_path,
            }
            for item in root.get_children().live().in_menu()
        ]

    return fragment_cached("main-menu", (site.pk, get_language()), build)


# What search engines show under a result's title: Google cuts at about 155-160.
DESCRIPTION_MAX_CHARS = 160


@register.simple_tag(takes_context=True)
def meta_description(context, school: str = "") -> str:
    """The page's <meta name="description">: never empty.

    The page's own "search description" (Wagtail's promote tab) when staff wrote
    one; for the catalogue and the news index, a translated description of what
    they list; otherwise what the page says of itself (a course's summary, a news
    item's or standard page's introduction, the home page's hero text); otherwise
    the school's translated default.
    Views that are not Wagtail pages get the school's default unless their template
    fills the `meta_description` block.
    """
    page = context.get("page")
    text = ""
    if page is not None and hasattr(page, "search_description"):
        text = page.search_description or _kind_default(page, school)
        for field in ("summary", "intro", "hero_text"):
            if text:
                break
            value = getattr(page, field, "")
            text = strip_tags(str(value)) if value else ""
    if not text:
        text = _school_default(school)
    return Truncator(" ".join(text.split())).chars(DESCRIPTION_MAX_CHARS)


def _school_name(school: str) -> str:
    return school or "Makers' School"


def _school_default(school: str) -> str:
    return _(
        "%(school)s: advanced manufacturing courses of the Camera di commercio di "
        "Torino at the Manufacturing Technology Center, with certified competencies."
    ) % {"school": _school_name(school)}


def _kind_default(page, school: str) -> str:
    from courses.models import CourseIndexPage

    from ..models import NewsIndexPage

    if isinstance(page, CourseIndexPage):
        return _(
            "The %(school)s course catalogue: additive manufacturing, robotics, CNC, "
            "industrial IoT and more, with dates, seats, prices and funding."
        ) % {"school": _school_name(school)}
    if isinstance(page, NewsIndexPage):
        return _("News from %(school)s: new courses, editions and events.") % {
            "school": _school_name(school)
        }
    return ""
