"""The staff side in the Wagtail admin: per edition lists, decisions, moves and
exports; per enrolment its audit trail. Every change goes through services."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.models import CourseEdition

from . import selectors, services
from .exceptions import EnrolmentError
from .exports import roster_csv, roster_xlsx
from .forms import ManualEnrolForm, MoveForm, ReasonForm
from .models import Enrolment

PERMISSION = "enrolment.change_enrolment"


def staff_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@staff_required
def edition_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.editions_with_enrolment_counts(), 50)
    page = paginator.get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "enrolment/admin/edition_list.html",
        {
            "page_obj": page,
            "header_title": _("Enrolments"),
            "page_title": _("Enrolments"),
        },
    )


@staff_required
def edition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(CourseEdition.objects.select_related("course"), pk=pk)
    form = ManualEnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrolment_create(
                trainee=form.cleaned_data["email"],
                edition=edition,
                actor=request.user,
                by_staff=True,
            )
        except EnrolmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(person)s enrolled: %(status)s")
                % {
                    "person": enrolment.trainee,
                    "status": enrolment.get_status_display(),
                },
            )
            return redirect("enrolment_admin:edition", pk=edition.pk)
    title = _("Enrolments in %(code)s") % {"code": edition.code}
    return TemplateResponse(
        request,
        "enrolment/admin/edition_detail.html",
        {
            "edition": edition,
            "roster": selectors.edition_roster(edition=edition),
            "form": form,
            "reject_form": ReasonForm(),
            "header_title": title,
            "page_title": title,
            "page_subtitle": edition.course.title,
        },
    )


@staff_required
def edition_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    edition = get_object_or_404(CourseEdition.objects.select_related("course"), pk=pk)
    roster = selectors.edition_roster(edition=edition)
    filename, mimetype, content = (roster_xlsx if fmt == "xlsx" else roster_csv)(roster)
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_required
def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related(
            "trainee", "edition__course", "sponsor_company", "moved_to__edition"
        ),
        pk=pk,
    )
    title = _("Enrolment of %(person)s") % {"person": enrolment.trainee}
    return TemplateResponse(
        request,
        "enrolment/admin/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "events": list(selectors.enrolment_history(enrolment=enrolment)),
            "reason_form": ReasonForm(),
            "move_form": MoveForm(
                targets=selectors.editions_move_targets(enrolment=enrolment)
            ),
            "header_title": title,
            "page_title": title,
            "page_subtitle": str(enrolment.edition),
        },
    )


@staff_required
@require_POST
def enrolment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """approve, reject, cancel or move one enrolment; back to where staff came from."""
    enrolment = get_object_or_404(Enrolment.objects.select_related("edition"), pk=pk)
    back = request.POST.get("back") or "enrolment"
    try:
        if action == "approve":
            enrolment = services.enrolment_approve(
                enrolment=enrolment, actor=request.user
            )
        elif action in ("reject", "cancel"):
            form = ReasonForm(request.POST)
            reason = form.data.get("reason", "")
            service = (
                services.enrolment_reject
                if action == "reject"
                else services.enrolment_cancel
            )
            enrolment = service(enrolment=enrolment, actor=request.user, reason=reason)
        elif action == "move":
            form = MoveForm(
                request.POST,
                targets=selectors.editions_move_targets(enrolment=enrolment),
            )
            if not form.is_valid():
                raise EnrolmentError(_("Choose an edition to move to."))
            enrolment = services.enrolment_move(
                enrolment=enrolment,
                to_edition=form.cleaned_data["edition"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        else:
            return HttpResponse(status=400)
    except EnrolmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Done: %(status)s") % {"status": enrolment.get_status_display()}
        )
    if back == "edition":
        return redirect("enrolment_admin:edition", pk=enrolment.edition_id)
    return redirect("enrolment_admin:enrolment", pk=enrolment.pk)
