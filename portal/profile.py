"""The graduate's own pages under /me/: the profile (fields, what companies see,
consent), the contact requests received (accept, decline, block), who viewed the
profile, and the person's data (export, erasure). Rules in the apps' services."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exports import prepared_file_page
from core.prepared_files import download_request
from directory import selectors as directory_selectors
from directory import services as directory_services
from directory.exceptions import DirectoryError
from directory.models import ContactRequest
from people import services as people_services
from people.consent import consent_text
from people.exceptions import PeopleError
from people.graduate_forms import ConsentForm, GraduateProfileForm
from people.models import Company
from people.personal_data import PERSONAL_DATA_KIND, account_erase
from people.views import graduate_file_response

# The answer to "keep what companies had before the profile was turned off?"
EARLIER_CHOICES = {"keep": True, "fresh": False}


def _profile_post(
    request: HttpRequest,
    *,
    graduate,
    form: GraduateProfileForm,
    consent_form: ConsentForm,
    language: str,
) -> str | None:
    """Do what the owner posted: turn the profile on or off, or save it. Its
    message, or None when the form needs another look."""
    action = request.POST.get("action")
    if action == "publish":
        directory_services.profile_publish(
            profile=graduate,
            agreed=consent_form.is_valid(),
            language=language,
            keep_earlier=EARLIER_CHOICES.get(request.POST.get("earlier")),
        )
        return _("Your profile is on: verified companies can find it.")
    if action == "unpublish":
        people_services.graduate_profile_unpublish(profile=graduate)
        return _("Your profile is off: no company can see it any more.")
    if not form.is_valid():
        return None
    people_services.graduate_profile_update(
        profile=graduate,
        data={
            k: v
            for k, v in form.cleaned_data.items()
            if k not in ("cv", "photo", "remove_cv", "remove_photo")
        },
        cv=request.FILES.get("cv"),
        photo=request.FILES.get("photo"),
        remove_cv=form.cleaned_data.get("remove_cv", False),
        remove_photo=form.cleaned_data.get("remove_photo", False),
    )
    return _("Your profile has been saved.")


def _profile_refused(request: HttpRequest, form, error: Exception) -> None:
    """A refusal as a message (turning on or off) or on the form (saving)."""
    if request.POST.get("action") in ("publish", "unpublish"):
        for message in getattr(error, "messages", [str(error)]):
            messages.error(request, message)
    elif isinstance(error, PeopleError):
        form.add_error(error.field, str(error))
    else:
        form.add_error(None, error)


def _owner_card(graduate) -> dict:
    """The card companies see, with the owner's own links to their files (the
    companies' links answer 403 to them)."""
    card = directory_selectors.profile_cards(
        profiles=[graduate], company=None, owner=True
    )[0]
    for field in ("photo", "cv"):
        if f"{field}_url" in card:
            card[f"{field}_url"] = reverse("portal:profile_file", args=[field])
    return card


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Edit the profile and choose, field by field, what companies see; turn it
    on (with the consent) or off."""
    graduate = people_services.graduate_profile_ensure(user=request.user)
    language = (get_language() or "it")[:2]
    action = request.POST.get("action") if request.method == "POST" else None
    consent_form = ConsentForm(request.POST) if action == "publish" else ConsentForm()
    form = GraduateProfileForm(instance=graduate)
    if request.method == "POST" and action not in ("publish", "unpublish"):
        form = GraduateProfileForm(request.POST, request.FILES, instance=graduate)
    if request.method == "POST":
        try:
            done = _profile_post(
                request,
                graduate=graduate,
                form=form,
                consent_form=consent_form,
                language=language,
            )
        except (PeopleError, DirectoryError, ValidationError) as error:
            graduate.refresh_from_db()
            _profile_refused(request, form, error)
        else:
            if done is not None:
                messages.success(request, done)
                return redirect("portal:profile")
    context = {
        "graduate": graduate,
        "form": form,
        "consent_form": consent_form,
        "consent_text": consent_text(language),
        "card": _owner_card(graduate),
        "earlier": (
            None
            if graduate.is_published
            else directory_selectors.profile_earlier_links(profile=graduate)
        ),
        "earlier_choice": request.POST.get("earlier", ""),
    }
    return TemplateResponse(request, "portal/profile.html", context)


@login_required
def profile_file(request: HttpRequest, field: str) -> HttpResponse:
    """The owner's own CV or photo."""
    graduate = getattr(request.user, "graduate_profile", None)
    if field not in ("cv", "photo") or graduate is None or not getattr(graduate, field):
        raise Http404
    return graduate_file_response(graduate=graduate, field=field)


@login_required
def contact_requests(request: HttpRequest) -> HttpResponse:
    """The requests companies sent the graduate, the companies blocked, and who
    viewed the profile."""
    context = {
        "requests": list(
            directory_selectors.graduate_contact_requests(user=request.user)
        ),
        "blocks": list(directory_selectors.blocked_companies(user=request.user)),
        "views": list(directory_selectors.profile_views_of(user=request.user)[:200]),
    }
    return TemplateResponse(request, "portal/contact_requests.html", context)


@login_required
def contact_request(request: HttpRequest, public_id) -> HttpResponse:
    """One request: read the message, accept or decline, block the company."""
    item = get_object_or_404(
        ContactRequest.objects.select_related("company"),
        public_id=public_id,
        graduate=request.user,
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("accept", "decline"):
                directory_services.contact_request_answer(
                    request=item, user=request.user, accept=action == "accept"
                )
                messages.success(
                    request,
                    (
                        _("Accepted: %(company)s can now see your email address.")
                        if action == "accept"
                        else _("Declined: %(company)s will not see how to reach you.")
                    )
                    % {"company": item.company.name},
                )
            elif action == "block":
                directory_services.company_block(
                    user=request.user, company=item.company
                )
                messages.success(
                    request,
                    _("%(company)s is blocked: it no longer sees your profile.")
                    % {"company": item.company.name},
                )
        except DirectoryError as error:
            messages.error(request, str(error))
        return redirect("portal:contact_request", item.public_id)
    return TemplateResponse(request, "portal/contact_request.html", {"item": item})


@require_POST
@login_required
def company_unblock(request: HttpRequest, pk: int) -> HttpResponse:
    company = get_object_or_404(Company, pk=pk)
    directory_services.company_unblock(user=request.user, company=company)
    messages.success(
        request, _("%(company)s is no longer blocked.") % {"company": company.name}
    )
    return redirect("portal:contact_requests")


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """Ask for all the person's data (JSON, prepared on the reports queue,
    then on its download page) or delete the account."""
    if request.method == "POST":
        prepared = download_request(
            owner=request.user, kind=PERSONAL_DATA_KIND, params={}, request=request
        )
        return redirect(prepared_file_page(prepared))
    return TemplateResponse(request, "portal/my_data.html", {})


@require_POST
@login_required
@reauthentication_required
def account_delete(request: HttpRequest) -> HttpResponse:
    """Erase the account after the person typed their address to confirm and,
    unless they did in the last few minutes, signed in again (allauth's
    re-authentication: the password, or the authenticator code for those with
    two-factor authentication). allauth's middleware keeps the request while
    asking and completes it afterwards."""
    if (request.POST.get("confirm") or "").strip().lower() != request.user.email:
        messages.error(
            request, _("Type your email address exactly to confirm the deletion.")
        )
        return redirect("portal:my_data")
    account_erase(user=request.user)
    logout(request)
    messages.success(
        request,
        _(
            "Your account has been deleted. Certificates issued to you stay "
            "verifiable as school records."
        ),
    )
    return redirect("/")
