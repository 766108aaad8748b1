"""What a member of a verified company sees: the search, a profile, the
shortlist and the contact requests sent. Thin: rules in selectors/services."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from core.redirects import safe_next
from people.selectors import company_memberships_of
from people.views import graduate_file_response

from . import selectors, services
from .exceptions import DirectoryError
from .forms import ContactRequestForm, DirectorySearchForm

PAGE_SIZE = 12


# Why the directory is closed to a signed-in person (directory_closed).
NO_COMPANY = _lazy(
    "The graduate directory is open to members of companies that the school has "
    "verified."
)
AWAITING_VERIFICATION = _lazy(
    "%(company)s is awaiting verification by the school: its members will see "
    "graduate profiles once it is verified."
)
NOT_GRANTED = _lazy(
    "A manager of %(company)s has not given you access to the graduate "
    "directory: ask them to grant it on the company's members page."
)


def directory_closed(request: HttpRequest) -> TemplateResponse:
    """The 403 page: why the person cannot search, and what to do. Only someone
    in no company is invited to register one."""
    memberships = company_memberships_of(user=request.user)
    verified = [m for m in memberships if m.company.is_verified]
    context = {"offer_register": False}
    if verified:
        names = ", ".join(m.company.name for m in verified)
        context["message"] = NOT_GRANTED % {"company": names}
    elif memberships:
        names = ", ".join(m.company.name for m in memberships)
        context["message"] = AWAITING_VERIFICATION % {"company": names}
    else:
        context.update(message=NO_COMPANY, offer_register=True)
    return TemplateResponse(request, "directory/not_verified.html", context, status=403)


def company_required(view):
    """Signed in, acting for a verified company whose manager granted the person
    the directory (403 otherwise, saying why), and within the anti-scraping rate
    limit per member (429)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        company = selectors.acting_company(
            user=request.user, wanted=request.GET.get("company")
        )
        if company is None:
            return directory_closed(request)
        limit = getattr(settings, "MAKERS_DIRECTORY_RATE_PER_MINUTE", 60)
        if is_ratelimited(
            request, group="directory", key="user", rate=(limit, 60), increment=True
        ):
            return TemplateResponse(
                request,
                "directory/not_verified.html",
                {
                    "message": _(
                        "Too many directory pages in a minute: wait a minute and "
                        "try again."
                    )
                },
                status=429,
            )
        request.company = company
        return view(request, *args, **kwargs)

    return wrapper


def _visible_profile(request, public_id):
    profile = selectors.profile_for_company(
        company=request.company, public_id=public_id
    )
    if profile is None:
        raise Http404
    return profile


@company_required
def search(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    profiles = selectors.directory_search(
        company=request.company,
        q=filters.get("q") or "",
        competency=filters.get("competency"),
        eqf_min=filters.get("eqf_min"),
        course=filters.get("course"),
        area=filters.get("area") or "",
        province=filters.get("province") or "",
        availability=filters.get("availability") or "",
        sort=filters.get("sort") or "relevance",
    ).select_related("user")
    page = selectors.directory_page(
        profiles=profiles, number=request.GET.get("page"), per_page=PAGE_SIZE
    )
    cards = selectors.profile_cards(profiles=list(page), company=request.company)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "company": request.company,
        "page_obj": page,
        "cards": cards,
        "filter_query": query.urlencode(),
    }
    return TemplateResponse(request, "directory/search.html", context)


@company_required
def profile(request: HttpRequest, public_id: str) -> HttpResponse:
    graduate = _visible_profile(request, public_id)
    services.profile_view_log(profile=graduate, company=request.company)
    form = ContactRequestForm()
    context = {
        "company": request.company,
        "profile": graduate,
        "card": selectors.profile_cards(profiles=[graduate], company=request.company)[
            0
        ],
        "shortlisted": bool(
            selectors.shortlisted_ids(
                company=request.company, profile_ids=[graduate.pk]
            )
        ),
        "recent_request": selectors.contact_request_recent(
            company=request.company, graduate=graduate.user
        ),
        "form": form,
    }
    return TemplateResponse(request, "directory/profile.html", context)


@require_POST
@company_required
def contact(request: HttpRequest, public_id: str) -> HttpResponse:
    graduate = _visible_profile(request, public_id)
    form = ContactRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("message", [])))
        return redirect("directory:profile", public_id)
    try:
        services.contact_request_create(
            company=request.company,
            profile=graduate,
            by=request.user,
            message=form.cleaned_data["message"],
        )
    except DirectoryError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Your request has been sent. You will see how to reach the graduate "
                "if they accept."
            ),
        )
    return redirect("directory:profile", public_id)


@require_POST
@company_required
def shortlist_toggle(request: HttpRequest, public_id: str) -> HttpResponse:
    graduate = _visible_profile(request, public_id)
    if request.POST.get("remove"):
        services.shortlist_remove(company=request.company, profile=graduate)
        messages.success(request, _("Removed from the shortlist."))
    else:
        services.shortlist_add(
            company=request.company, profile=graduate, by=request.user
        )
        messages.success(request, _("Saved to the shortlist."))
    fallback = reverse("directory:shortlist")
    return redirect(safe_next(request, request.POST.get("next", ""), fallback=fallback))


@company_required
def shortlist(request: HttpRequest) -> HttpResponse:
    profiles = selectors.shortlist(company=request.company)
    context = {
        "company": request.company,
        "cards": selectors.profile_cards(profiles=profiles, company=request.company),
    }
    return TemplateResponse(request, "directory/shortlist.html", context)


@company_required
def requests_sent(request: HttpRequest) -> HttpResponse:
    sent = list(selectors.company_contact_requests(company=request.company)[:100])
    visible = {
        p.user_id
        for p in selectors.profiles_visible_to(company=request.company).filter(
            user_id__in=[r.graduate_id for r in sent]
        )
    }
    rows = []
    for item in sent:
        graduate_profile = getattr(item.graduate, "graduate_profile", None)
        shown = item.graduate_id in visible
        row = {"request": item, "visible": shown}
        if shown:
            row["name"] = item.graduate.get_full_name()
            row["url"] = (
                reverse("directory:profile", args=[graduate_profile.public_id])
                if graduate_profile
                else ""
            )
            if item.status == "accepted":
                row["email"] = item.graduate.email
                if graduate_profile and graduate_profile.show_phone:
                    row["phone"] = graduate_profile.phone
        rows.append(row)
    return TemplateResponse(
        request,
        "directory/requests_sent.html",
        {"company": request.company, "rows": rows},
    )


def _file(request, public_id, field):
    graduate = _visible_profile(request, public_id)
    if not graduate.shows(field) or not getattr(graduate, field):
        raise Http404
    return graduate_file_response(graduate=graduate, field=field)


@company_required
def cv(request: HttpRequest, public_id: str) -> HttpResponse:
    return _file(request, public_id, "cv")


@company_required
def photo(request: HttpRequest, public_id: str) -> HttpResponse:
    return _file(request, public_id, "photo")
