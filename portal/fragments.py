"""The signed-in person's own part of a shared page.

Shared pages (core.cache: home, catalogue, course pages, news) are the same for
everyone and served from the page cache, signed in or not. What a signed-in
person sees of their own on them, their account menu and, on a course page, their
enrolment in each edition, comes from here: one small request that static/js/
site.js makes when the page carries the signed-in hint cookie, answered with
elements that replace the visitor's ones (htmx out-of-band swaps).
"""

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from core.redirects import safe_next
from courses.selectors import upcoming_editions_by_ids

# A course page lists a handful of editions; more ids than this are ignored.
MAX_EDITIONS = 50


def _edition_ids(raw: str) -> list[int]:
    ids = [part for part in raw.split(",") if part.isdecimal() and len(part) <= 12]
    return [int(part) for part in ids[:MAX_EDITIONS]]


def _next_path(request: HttpRequest) -> str:
    """The page the fragments belong to, where a form sends the person back."""
    path = safe_next(request, request.GET.get("next", ""), fallback="")
    return path if path.startswith("/") else ""


@require_GET
def fragments(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        # Nothing of one's own to show; SignedInCookieMiddleware drops the hint.
        response = HttpResponse(status=204)
    else:
        response = TemplateResponse(
            request,
            "portal/fragments.html",
            {
                "editions": upcoming_editions_by_ids(
                    ids=_edition_ids(request.GET.get("editions", ""))
                ),
                "next_path": _next_path(request),
                "oob": True,
            },
        )
    patch_cache_control(response, private=True, no_store=True)
    return response
