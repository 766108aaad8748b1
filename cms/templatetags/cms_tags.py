"""The site's menu, kept as a fragment (core.cache): the header shows it on every
page, and reading it costs a handful of page-tree queries."""

from django import template
from django.utils.translation import get_language
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
