"""The catalogue page's context (its filter form and one page of course cards)
and the course page's edition blocks.

What does not change between requests is kept as fragments (core.cache), keyed
so that an edit shows at once: the month and competency choices of the filter
form, and each course card's HTML (keyed by the course, its publication, its
image and competencies, the language and the next edition's seats, which change
without a save). A page of cards whose fragments are all kept is built from
plain rows: no page object is loaded. On a course page each edition's block
(dates, venue, seats, sessions table, calendar links) is a fragment the same way,
keyed by its seats, status and whether enrolment is open now.
"""

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Prefetch
from django.http import HttpRequest
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.images import get_image_model

from core import dates
from core.cache import (
    FRAGMENT_SECONDS,
    FRAGMENTS_CACHE,
    fragment_cached,
    fragment_key,
    fragment_version,
)
from core.routing import active_locale, locale_by_id

from .filters import CatalogueFilterSet
from .models import Competency, CourseEdition, CoursePage
from .selectors import (
    CardStamp,
    catalogue_months,
    course_card_rows,
    course_card_stamps,
    course_cards,
    course_catalogue,
    course_edition_stamps,
    editions_with_sessions,
)

CARD_TEMPLATE = "includes/course_card.html"
EDITION_TEMPLATE = "courses/includes/edition.html"
FILTER_FORM_TEMPLATE = "courses/includes/filter_form.html"
CARD_RENDITION = "fill-640x360"

# What one can do about an edition (enrol, join the waitlist), shown inside its
# block: templates that the apps above courses register from their ready()
# (edition_action_register), since courses names none of them.
EDITION_ACTION_TEMPLATES: list[str] = []


def edition_action_register(*, template: str) -> None:
    """Render `template` (given `edition` and `request`) in every edition block."""
    if template not in EDITION_ACTION_TEMPLATES:
        EDITION_ACTION_TEMPLATES.append(template)


def with_card_images(courses):
    """Prefetch the cards' images and their renditions: two queries for a page of
    cards whatever its size (none when no course has an image)."""
    images = get_image_model().objects.prefetch_renditions(CARD_RENDITION)
    return courses.prefetch_related(Prefetch("image", queryset=images))


def _month_choices(locale) -> list[tuple[str, str]]:
    # Months move with the clock too (an edition that ends drops out): the key
    # holds the current time slot.
    slot = int(timezone.now().timestamp()) // FRAGMENT_SECONDS

    def build():
        return [
            (month.strftime("%Y-%m"), dates.date_format(month, "F Y"))
            for month in catalogue_months(locale=locale)
        ]

    return fragment_cached("months", (locale.pk, get_language(), slot), build)


def _competency_choices(field) -> list[tuple[str, str]]:
    def build():
        return [("", str(field.empty_label))] + [
            (competency.code, str(competency))
            for competency in Competency.objects.order_by("code")
        ]

    return fragment_cached("competency-choices", (get_language(),), build)


def _card_key(stamp: CardStamp, language: str, version: int) -> str:
    edition = "-".join(map(str, stamp.next_edition)) if stamp.next_edition else "-"
    return fragment_key(
        "card",
        language,
        stamp.course_id,
        stamp.published.isoformat() if stamp.published else "-",
        stamp.image_id or "-",
        edition,
        ",".join(map(str, stamp.competency_ids)),
        version=version,
    )


def course_cards_html(*, request: HttpRequest, rows: list) -> list[str]:
    """Each course's card (includes/course_card.html) for rows of
    course_card_rows(): from the fragment cache when its key matches (one read
    for the whole page of cards, two queries for the keys), the missing ones
    rendered from their pages (course_cards, with images: a few more queries)."""

    fragments = caches[FRAGMENTS_CACHE]
    language = get_language()
    version = fragment_version()
    stamps = course_card_stamps(rows=rows)
    keys = [_card_key(stamp, language, version) for stamp in stamps]
    found = fragments.get_many(keys)
    key_of = {stamp.course_id: key for stamp, key in zip(stamps, keys, strict=True)}
    missing = [course_id for course_id, key in key_of.items() if key not in found]
    if missing:
        template = get_template(CARD_TEMPLATE)
        pages = with_card_images(CoursePage.objects.filter(pk__in=missing))
        fresh = {}
        for course in course_cards(courses=pages):
            fresh[key_of[course.pk]] = template.render(
                {"course": course, "request": request}
            )
        fragments.set_many(fresh, FRAGMENT_SECONDS)
        found.update(fresh)
    # A course deleted since its row was read has no card.
    return [found[key] for key in keys if key in found]


def _edition_key(
    edition: CourseEdition, request: HttpRequest, language: str, version: int
) -> str:
    # The host and path: the block's calendar and log-in links are built from them.
    return fragment_key(
        "edition",
        language,
        edition.pk,
        edition.status,
        edition.seats_taken,
        int(edition.enrolment_is_open),
        request.get_host(),
        request.path,
        version=version,
    )


def _edition_blocks(*, request: HttpRequest, ids: list[int]) -> dict[int, str]:
    template = get_template(EDITION_TEMPLATE)
    return {
        pk: template.render(
            {
                "edition": edition,
                "request": request,
                "action_templates": EDITION_ACTION_TEMPLATES,
            }
        )
        for pk, edition in editions_with_sessions(ids=ids).items()
    }


def course_editions(*, request: HttpRequest, course: CoursePage) -> list:
    """The course page's upcoming editions (course_edition_stamps: only what the
    keys need), each with its block's HTML as `block_html`: kept blocks from the
    fragment cache (one read), the missing ones rendered from the full editions
    (editions_with_sessions). Two reads when every block is kept, five when not.
    Kept only as a visitor sees them: for a signed-in viewer (a preview, a page
    behind a view restriction) a block holds their own enrolment, so it is
    rendered each time."""
    editions = course_edition_stamps(course=course)
    if not editions:
        return editions
    user = getattr(request, "user", None)  # none on a dummy request (checks)
    if user is not None and user.is_authenticated:
        blocks = _edition_blocks(request=request, ids=[e.pk for e in editions])
    else:
        language, version = get_language(), fragment_version()
        keys = {
            edition.pk: _edition_key(edition, request, language, version)
            for edition in editions
        }
        fragments = caches[FRAGMENTS_CACHE]
        found = fragments.get_many(list(keys.values()))
        blocks = {pk: found[key] for pk, key in keys.items() if key in found}
        missing = [pk for pk in keys if pk not in blocks]
        if missing:
            fresh = _edition_blocks(request=request, ids=missing)
            fragments.set_many(
                {keys[pk]: html for pk, html in fresh.items()}, FRAGMENT_SECONDS
            )
            blocks.update(fresh)
    # An edition that stopped being public between the two reads has no block.
    shown = [edition for edition in editions if edition.pk in blocks]
    for edition in shown:
        edition.block_html = blocks[edition.pk]
    return shown


def _filter_form_html(
    *, request: HttpRequest, index_page, context: dict, keep: bool
) -> str:
    """The filter form's HTML. Kept as a fragment (`keep`) when it is the form as
    everyone first sees it, with no filter set: its ~60 options cost a third of
    the page's render. Keyed by the content generation (fragment_key), the page,
    the language and the month choices, which move with the clock. With a filter
    set it renders each time: the key would be the visitor's own query."""

    def build() -> str:
        return render_to_string(
            FILTER_FORM_TEMPLATE, {**context, "page": index_page}, request=request
        )

    if not keep:
        return build()
    months = context["month_choices"]
    parts = (index_page.pk, get_language(), ",".join(value for value, _ in months))
    return fragment_cached("catalogue-filters", parts, build)


def _catalogue_filterset(*, request: HttpRequest) -> tuple[CatalogueFilterSet, list]:
    """The visitor's filters, and a warning naming those that were not valid
    (they are ignored, not refused)."""
    filterset = CatalogueFilterSet(
        request.GET or None, queryset=CoursePage.objects.none()
    )
    competency_field = filterset.form.fields["competency"]
    # The select renders its widget's choices; validation still asks the queryset.
    competency_field.widget.choices = _competency_choices(competency_field)
    warnings = []
    if filterset.is_bound and filterset.form.errors:
        names = ", ".join(
            str(filterset.form.fields[name].label) for name in filterset.form.errors
        )
        warnings.append(
            _("Some filters were not valid and have been ignored: %(names)s.")
            % {"names": names}
        )
    return filterset, warnings


def _catalogue_page(*, request: HttpRequest, rows) -> tuple[Paginator, object, list]:
    """The page of course cards asked for; a page number out of range shows the
    first or last page with a warning."""
    paginator = Paginator(rows, settings.CATALOGUE_PAGE_SIZE)
    page_number = request.GET.get("page", 1)
    try:
        return paginator, paginator.page(page_number), []
    except PageNotAnInteger:
        warning = _("That page number is not valid: showing the first page.")
        return paginator, paginator.page(1), [warning]
    except EmptyPage:
        warning = _("There are fewer pages: showing the last one.")
        return paginator, paginator.page(paginator.num_pages), [warning]


def catalogue_context(*, request: HttpRequest, index_page) -> dict:
    """Context of the catalogue page: the filter form, one page of course cards."""
    locale = locale_by_id(index_page.locale_id) if index_page.pk else active_locale()
    filterset, warnings = _catalogue_filterset(request=request)
    filters = filterset.catalogue_filters()
    paginator, page, page_warnings = _catalogue_page(
        request=request,
        rows=course_card_rows(course_catalogue(locale=locale, filters=filters)),
    )
    warnings += page_warnings
    query = request.GET.copy()
    query.pop("page", None)
    rows = list(page.object_list)
    filters_active = any(value for key, value in request.GET.items() if key != "page")
    return {
        "filter_form_html": _filter_form_html(
            request=request,
            index_page=index_page,
            context={
                "filter_form": filterset.form,
                "month_choices": _month_choices(locale),
                "selected_month": request.GET.get("month", ""),
                "filters_active": filters_active,
            },
            keep=not (filters_active or filterset.form.errors),
        ),
        "courses": rows,
        "course_cards_html": course_cards_html(request=request, rows=rows),
        "page_obj": page,
        "paginator": paginator,
        "filter_query": query.urlencode(),
        "filter_warnings": warnings,
    }
