"""The catalogue page's context: its filter form and one page of course cards."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import gettext as _
from wagtail.models import Locale

from .filters import CatalogueFilterSet
from .models import CoursePage
from .selectors import catalogue_months, course_cards, course_catalogue


def catalogue_context(*, request: HttpRequest, index_page) -> dict:
    """Context of the catalogue page: the filter form, one page of course cards."""
    locale = index_page.locale if index_page.pk else Locale.get_active()
    filterset = CatalogueFilterSet(
        request.GET or None, queryset=CoursePage.objects.none()
    )
    filters = filterset.catalogue_filters()
    warnings = []
    if filterset.is_bound and filterset.form.errors:
        names = ", ".join(
            str(filterset.form.fields[name].label) for name in filterset.form.errors
        )
        warnings.append(
            _("Some filters were not valid and have been ignored: %(names)s.")
            % {"names": names}
        )
    paginator = Paginator(
        course_catalogue(locale=locale, filters=filters), settings.CATALOGUE_PAGE_SIZE
    )
    page_number = request.GET.get("page", 1)
    try:
        page = paginator.page(page_number)
    except PageNotAnInteger:
        page = paginator.page(1)
        warnings.append(_("That page number is not valid: showing the first page."))
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
        warnings.append(_("There are fewer pages: showing the last one."))
    months = catalogue_months(locale=locale)
    month_choices = [
        (month.strftime("%Y-%m"), formats.date_format(month, "F Y")) for month in months
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter_form": filterset.form,
        "month_choices": month_choices,
        "selected_month": request.GET.get("month", ""),
        "courses": course_cards(courses=page.object_list),
        "page_obj": page,
        "paginator": paginator,
        "filter_query": query.urlencode(),
        "filter_warnings": warnings,
        "filters_active": any(
            value for key, value in request.GET.items() if key != "page"
        ),
    }
