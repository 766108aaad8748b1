"""Page routing in one query, whatever the depth of the page.

Wagtail's Page.route() walks the tree one level at a time: for each path
component a query for the child and another for its specific page, so a course
page (home > catalogue > course) costs six queries before it renders. A site
root with DirectRouteMixin finds the page by its url_path instead (its id and
type, kept as a fragment per content generation, then one query for the
specific page), which gives the same answer as long as no page type along the
way routes on its own (RoutablePageMixin, or any other override of route()):
then, and for every path while any page model of the project does, it falls
back to Wagtail's walk.

Before the route, Wagtail finds the request's Site (one query, with its root
page) and the active Locale (one query), then loads the root's specific page
(one more). CachedSiteMiddleware finds the site with Wagtail's public
Site.find_for_request(), which keeps it on the request for Wagtail's serve view
and everything after it, and gives it the root's specific page; that page and
the locales come from fragments kept per content generation (every save of a
page, a site or a locale bumps it: core.cache). Only public APIs: the site's
own query stays.
"""

from functools import cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site, get_page_models
from wagtail.url_routing import RouteResult

from core.cache import fragment_cached


def _locales() -> dict[str, Locale]:
    return fragment_cached(
        "locales",
        (),
        lambda: {locale.language_code: locale for locale in Locale.objects.all()},
    )


def locale_by_id(pk: int) -> Locale:
    """The Locale `pk` (page.locale without its query)."""
    for locale in _locales().values():
        if locale.pk == pk:
            return locale
    return Locale.objects.get(pk=pk)


def active_locale() -> Locale:
    """Locale.get_active() without its query: the active language's Locale, else
    the default one."""
    locales = _locales()
    for language in (translation.get_language(), settings.LANGUAGE_CODE):
        try:
            code = get_supported_content_language_variant(language)
        except LookupError:
            continue
        if code in locales:
            return locales[code]
    return Locale.get_active()


def kept_root_page(site: Site) -> Page:
    """The site's root page as its specific page, kept per content generation."""
    return fragment_cached(
        "site_root", (site.pk, site.root_page_id), lambda: site.root_page.specific
    )


def site_for_request(request: HttpRequest) -> Site | None:
    """Site.find_for_request(), whose root page is the kept specific page.

    Wagtail keeps the site it finds on the request, so every later
    find_for_request() of the request (its serve view, {% wagtail_site %}, the
    site settings) answers with this same object, whose root page then needs
    no query before routing: the site itself costs its one query."""
    site = Site.find_for_request(request)
    if site is not None and type(site.root_page) is Page:
        site.root_page = kept_root_page(site)
    return site


class CachedSiteMiddleware:
    """For Wagtail's serve view only: the request's site found (and kept on the
    request by Wagtail) with its specific root page, before the view asks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match  # None for a request built by hand
        if match is not None and match.url_name == "wagtail_serve":
            site_for_request(request)
        return None


@cache
def _default_routing_everywhere() -> bool:
    """True when no page model routes differently from Page (this mixin aside)."""
    return all(
        model.route in (Page.route, DirectRouteMixin.route)
        for model in get_page_models()
    )


class DirectRouteMixin:
    """For the site's root page type: descendants are found by their url_path."""

    @property
    def localized(self):
        """Page.localized (the live translation in the active language, else
        this page) without its queries: the translation, as its specific page,
        is a fragment per content generation."""
        locale = active_locale()
        if locale.pk == self.locale_id:
            return self

        def live_translation():
            found = self.get_translation_or_none(locale)
            return found.specific if found is not None and found.live else None

        kept = fragment_cached("translation", (self.pk, locale.pk), live_translation)
        return kept or self

    def route(self, request, path_components):
        if not path_components or not _default_routing_everywhere():
            return super().route(request, path_components)
        url_path = self.url_path + "/".join(path_components) + "/"
        depth = self.depth + len(path_components)

        def find() -> tuple[int, int] | None:
            # A miss is not kept (None): random paths must not fill the cache.
            found = (
                Page.objects.filter(
                    url_path=url_path, path__startswith=self.path, depth=depth
                )
                .values_list("pk", "content_type_id")
                .first()
            )
            return tuple(found) if found else None

        found = fragment_cached("route", (self.pk, url_path), find)
        if found is None:
            raise Http404
        pk, content_type_id = found
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        page = model._default_manager.get(pk=pk)
        # As Page.route(): only the page itself must be live, not its ancestors.
        if not page.live:
            raise Http404
        return RouteResult(page)
