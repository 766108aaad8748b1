"""A company's own pages under /me/company/: registration, its members (invite,
remove) and joining by invitation. Every rule is in people.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from people import services
from people.exceptions import PeopleError
from people.graduate_forms import CompanyInviteForm, CompanyRegisterForm
from people.models import Company, CompanyInvite, CompanyMember
from people.selectors import companies_administered


def _form_errors(form, error: Exception) -> None:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            for message in error.messages:
                form.add_error(None, message)
    else:
        form.add_error(None, str(error))


@login_required
def company_register(request: HttpRequest) -> HttpResponse:
    """Register a company; the person becomes its administrator."""
    form = CompanyRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.company_register(user=request.user, **form.cleaned_data)
        except (PeopleError, ValidationError) as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(company)s is registered. The school will verify it: until "
                    "then its members cannot see graduate profiles."
                )
                % {"company": company.name},
            )
            return redirect("portal:company_members")
    return TemplateResponse(request, "portal/company_register.html", {"form": form})


def company_chosen(request: HttpRequest, companies: list) -> Company:
    """The company a page for a person with several is about: the one asked for
    (?company= on the page, a hidden field in its forms), or the first; someone
    else's company is a 404."""
    wanted = request.POST.get("company") or request.GET.get("company")
    if not wanted:
        return companies[0]
    chosen = next((c for c in companies if str(c.pk) == wanted), None)
    if chosen is None:
        raise Http404
    return chosen


def _posted_member(request: HttpRequest, company: Company) -> CompanyMember:
    return get_object_or_404(
        CompanyMember, pk=request.POST.get("member"), company=company
    )


def _directory_access(request: HttpRequest, company: Company, allowed: bool) -> str:
    member = _posted_member(request, company)
    services.company_member_directory_access(
        company=company, by=request.user, member=member, allowed=allowed
    )
    person = member.user.get_full_name() or member.user.email
    return (
        _("%(person)s may now search the graduate directory.")
        if allowed
        else _("%(person)s no longer sees the graduate directory.")
    ) % {"person": person}


def _member_remove(request: HttpRequest, company: Company) -> str:
    member = _posted_member(request, company)
    services.company_member_remove(company=company, by=request.user, member=member)
    return _("%(person)s no longer belongs to the company.") % {
        "person": member.user.email
    }


def _members_post(
    request: HttpRequest, company: Company, form: CompanyInviteForm
) -> str | None:
    """Do what the administrator posted; its message, or None when the
    invitation form needs another look."""
    action = request.POST.get("action")
    if action in ("grant_directory", "revoke_directory"):
        return _directory_access(request, company, action == "grant_directory")
    if action == "remove":
        return _member_remove(request, company)
    if not form.is_valid():
        return None
    invite = services.company_invite_create(
        company=company, by=request.user, email=form.cleaned_data["email"]
    )
    return _("Invitation sent to %(email)s.") % {"email": invite.email}


@login_required
def company_members(request: HttpRequest) -> HttpResponse:
    """A company administrator invites colleagues, removes members and grants or
    takes back each member's access to the graduate directory."""
    companies = companies_administered(user=request.user)
    if not companies:
        raise Http404
    chosen = company_chosen(request, companies)
    form = CompanyInviteForm(request.POST or None)
    if request.method == "POST":
        try:
            done = _members_post(request, chosen, form)
        except (PeopleError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            if done is not None:
                messages.success(request, done)
                return redirect(f"{request.path}?company={chosen.pk}")
    context = {
        "companies": companies,
        "chosen": chosen,
        "form": form
        if request.POST.get("action") in (None, "invite")
        else CompanyInviteForm(),
        "members": chosen.members.select_related("user").order_by(
            "-is_manager", "user__email"
        ),
        "invites": CompanyInvite.objects.filter(
            company=chosen, accepted_at__isnull=True
        ).order_by("-created_at"),
    }
    return TemplateResponse(request, "portal/company_members.html", context)


@login_required
def company_join(request: HttpRequest, token: str) -> HttpResponse:
    """The invited colleague accepts (POST) the invitation to join."""
    invite = (
        CompanyInvite.objects.select_related("company")
        .filter(token=token, accepted_at__isnull=True)
        .first()
    )
    if request.method == "POST" and invite is not None:
        try:
            services.company_invite_accept(token=token, user=request.user)
        except PeopleError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Welcome: %(company)s now counts you among its members.")
                % {"company": invite.company.name},
            )
            return redirect("portal:dashboard")
    return TemplateResponse(request, "portal/company_join.html", {"invite": invite})
