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
from people.models import CompanyInvite, CompanyMember
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


@login_required
def company_members(request: HttpRequest) -> HttpResponse:
    """A company administrator invites colleagues, removes members and grants or
    takes back each member's access to the graduate directory."""
    companies = companies_administered(user=request.user)
    if not companies:
        raise Http404
    wanted = request.POST.get("company") or request.GET.get("company")
    chosen = companies[0]
    if wanted:
        chosen = next((c for c in companies if str(c.pk) == wanted), None)
        if chosen is None:
            raise Http404
    form = CompanyInviteForm(request.POST or None)
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action in ("grant_directory", "revoke_directory"):
                member = get_object_or_404(
                    CompanyMember, pk=request.POST.get("member"), company=chosen
                )
                allowed = action == "grant_directory"
                services.company_member_directory_access(
                    company=chosen, by=request.user, member=member, allowed=allowed
                )
                person = member.user.get_full_name() or member.user.email
                messages.success(
                    request,
                    (
                        _("%(person)s may now search the graduate directory.")
                        if allowed
                        else _("%(person)s no longer sees the graduate directory.")
                    )
                    % {"person": person},
                )
                return redirect(f"{request.path}?company={chosen.pk}")
            if action == "remove":
                member = get_object_or_404(
                    CompanyMember, pk=request.POST.get("member"), company=chosen
                )
                services.company_member_remove(
                    company=chosen, by=request.user, member=member
                )
                messages.success(
                    request,
                    _("%(person)s no longer belongs to the company.")
                    % {"person": member.user.email},
                )
                return redirect(f"{request.path}?company={chosen.pk}")
            if form.is_valid():
                invite = services.company_invite_create(
                    company=chosen, by=request.user, email=form.cleaned_data["email"]
                )
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": invite.email},
                )
                return redirect(f"{request.path}?company={chosen.pk}")
        except (PeopleError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
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
