"""Page routing in two queries, whatever the depth of the page.

Wagtail's Page.route() walks the tree one level at a time: for each path
component a query for the child and another for its specific page, so a course
page (home > catalogue > course) costs six queries before it renders. A site
root with DirectRouteMixin finds the page by its url_path instead (one query for
its id and type, one for the specific page), which gives the same answer as
long as no page type along the way routes on its own (RoutablePageMixin, or any
other override of route()): then, and for every path while any page model of the
project does, it falls back to Wagtail's walk.
"""

from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from wagtail.models import Page, get_page_models
from wagtail.url_routing import RouteResult


@cache
def _default_routing_everywhere() -> bool:
    """True when no page model routes differently from Page (this mixin aside)."""
    return all(
        model.route in (Page.route, DirectRouteMixin.route)
        for model in get_page_models()
    )


class DirectRouteMixin:
    """For the site's root page type: descendants are found by their url_path."""

    def route(self, request, path_components):
        if not path_components or not _default_routing_everywhere():
            return super().route(request, path_components)
        url_path = self.url_path + "/".join(path_components) + "/"
        found = (
            Page.objects.filter(
                url_path=url_path,
                path__startswith=self.path,
                depth=self.depth + len(path_components),
            )
            .values_list("pk", "content_type_id")
            .first()
        )
        if found is None:
            raise Http404
        pk, content_type_id = found
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        page = model._default_manager.get(pk=pk)
        # As Page.route(): only the page itself must be live, not its ancestors.
        if not page.live:
            raise Http404
        return RouteResult(page)
