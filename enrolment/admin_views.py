"""The enrolment screens of the Wagtail admin that act: the actions with a
confirmation page (approve, reject, cancel, move) and an edition's roster with
manual enrolment and its exports. enrolment.viewsets wires them into the
Enrolments viewset; every change goes through enrolment.services.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button

from core.admin_views import NO_REASON, REASON_OPTIONAL, ConfirmWithReasonView
from courses.admin_views import EditionMixin
from courses.selectors import editions_matching
from people.security import PERSONAL_DATA_EXPORTED, security_event_log

from . import selectors, services
from .exceptions import EnrolmentError
from .exports import roster_csv, roster_xlsx
from .forms import ManualEnrolForm, MoveForm
from .models import Enrolment

# Who may look at enrolments, and who may change them (policy action names).
LOOK = ["view", "change"]
ACT = "change"


def enrolments_for_admin():
    return Enrolment.objects.select_related(
        "trainee", "edition__course", "sponsor_company"
    )


ACTION_LABELS = {
    "approve": gettext_lazy("Approve"),
    "reject": gettext_lazy("Reject"),
    "cancel": gettext_lazy("Cancel enrolment"),
    "move": gettext_lazy("Move"),
}


class EnrolmentActionView(ConfirmWithReasonView):
    """GET shows what will happen and the form; POST calls the service.

    A refusal of the service (EnrolmentError) comes back as an error message on
    the enrolment's page; an invalid form is shown again and nothing changes.
    """

    model = Enrolment
    permission_required = ACT
    template_name = "enrolment/enrolment_action.html"
    header_icon = "group"
    index_url_name = None
    inspect_url_name = None
    action = ""
    reason_max_length = 2000
    refusals = (EnrolmentError,)
    refusal_as_message = True

    @property
    def submit_label(self):
        return ACTION_LABELS[self.action]

    @property
    def destructive(self):
        return self.action in ("reject", "cancel")

    def get_base_object_queryset(self):
        return enrolments_for_admin()

    def get_page_subtitle(self):
        return f"{self.object.trainee} · {self.object.edition.code}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse(self.index_url_name),
                "label": _("Enrolments"),
            },
            {
                "url": reverse(self.inspect_url_name, args=[self.object.pk]),
                "label": str(self.object.trainee),
            },
            {
                "url": "",
                "label": self.get_page_title(),
                "sublabel": self.get_page_subtitle(),
            },
        ]

    def get_back_url(self) -> str:
        return self._next_or_inspect(self.object)

    def get_success_url(self, result: Enrolment) -> str:
        return self._next_or_inspect(result)

    def _next_or_inspect(self, enrolment: Enrolment) -> str:
        return get_valid_next_url_from_request(self.request) or reverse(
            self.inspect_url_name, args=[enrolment.pk]
        )

    def get_success_message(self, result: Enrolment) -> str:
        return _("Done: %(status)s") % {"status": result.get_status_display()}


class EnrolmentApproveView(EnrolmentActionView):
    action = "approve"
    reason = NO_REASON
    confirmation = gettext_lazy(
        "The request is confirmed and the trainee is told by email."
    )

    def perform(self, form) -> Enrolment:
        return services.enrolment_approve(
            enrolment=self.object, actor=self.request.user
        )


class EnrolmentRejectView(EnrolmentActionView):
    action = "reject"
    confirmation = gettext_lazy(
        "The request is rejected and its seat passes on. The trainee reads the reason."
    )

    def perform(self, form) -> Enrolment:
        return services.enrolment_reject(
            enrolment=self.object,
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
        )


class EnrolmentCancelView(EnrolmentActionView):
    action = "cancel"
    reason = REASON_OPTIONAL
    confirmation = gettext_lazy(
        "The enrolment is cancelled; its seat or waitlist place passes on."
    )

    def perform(self, form) -> Enrolment:
        return services.enrolment_cancel(
            enrolment=self.object,
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
        )


class EnrolmentMoveView(EnrolmentActionView):
    action = "move"
    form_class = MoveForm
    confirmation = gettext_lazy(
        "The trainee gets a seat in the other edition if one is free, else a place "
        "at the end of its waitlist."
    )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["targets"] = selectors.editions_move_targets(enrolment=self.object)
        return kwargs

    def perform(self, form) -> Enrolment:
        return services.enrolment_move(
            enrolment=self.object,
            to_edition=form.cleaned_data["edition"],
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
        )


class EditionRosterView(
    EditionMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView
):
    """An edition's enrolments grouped by status, with counts; staff who may add
    enrolments enrol someone by email here."""

    model = Enrolment
    any_permission_required = LOOK
    template_name = "enrolment/edition_roster.html"
    header_icon = "group"
    index_url_name = None
    inspect_url_name = None
    roster_url_name = None
    export_url_name = None
    action_url_names: dict[str, str] = {}

    def get_page_title(self):
        return _("Enrolments in %(code)s") % {"code": self.edition.code}

    def get_page_subtitle(self):
        return self.edition.course.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Enrolments")},
            {
                "url": "",
                "label": self.get_page_title(),
                "sublabel": self.get_page_subtitle(),
            },
        ]

    @cached_property
    def header_more_buttons(self):
        return [
            Button(
                _("Export CSV"),
                url=reverse(self.export_url_name, args=[self.edition.pk, "csv"]),
                icon_name="download",
                priority=10,
            ),
            Button(
                _("Export XLSX"),
                url=reverse(self.export_url_name, args=[self.edition.pk, "xlsx"]),
                icon_name="download",
                priority=20,
            ),
            Button(
                _("Filter the enrolment list"),
                url=reverse(self.index_url_name) + f"?edition={self.edition.pk}",
                icon_name="filter",
                priority=30,
            ),
        ]

    def post(self, request, *args, **kwargs):
        if not self.user_has_permission("add"):
            raise PermissionDenied
        form = ManualEnrolForm(request.POST)
        if form.is_valid():
            try:
                enrolment = services.enrolment_create(
                    trainee=form.cleaned_data["email"],
                    edition=self.edition,
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
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roster = selectors.edition_roster(edition=self.edition)
        roster_url = reverse(self.roster_url_name, args=[self.edition.pk])
        context.update(
            edition=self.edition,
            roster=roster,
            can_act=self.user_has_permission(ACT),
            can_add=self.user_has_permission("add"),
            inspect_url_name=self.inspect_url_name,
            approve_url_name=self.action_url_names["approve"],
            reject_url_name=self.action_url_names["reject"],
            next_url=roster_url,
        )
        context.setdefault("form", ManualEnrolForm())
        return context


class EditionExportView(EditionMixin, PermissionCheckedMixin, View):
    """The edition's roster as CSV or XLSX (enrolment.exports)."""

    model = Enrolment
    any_permission_required = LOOK
    renderers = {"csv": roster_csv, "xlsx": roster_xlsx}

    def get(self, request, *args, fmt: str, **kwargs):
        renderer = self.renderers.get(fmt)
        if renderer is None:
            raise Http404
        roster = selectors.edition_roster(edition=self.edition)
        filename, mimetype, content = renderer(roster)
        security_event_log(
            action=PERSONAL_DATA_EXPORTED,
            request=request,
            user=request.user,
            instance=self.edition,
            data={
                "export": "roster",
                "edition": self.edition.code,
                "format": fmt,
                # The people in the file (exports.py writes these four lists).
                "rows": len(roster.confirmed)
                + len(roster.pending)
                + len(roster.offers)
                + len(roster.waitlist),
            },
        )
        response = HttpResponse(content, content_type=mimetype)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class EditionAutocompleteView(PermissionCheckedMixin, View):
    """The editions whose code or course title holds ?q=, as JSON, for the
    listing's edition filter: at most 20, never every edition."""

    model = Enrolment
    any_permission_required = LOOK

    def get(self, request, *args, **kwargs):
        editions = editions_matching(q=request.GET.get("q", ""))
        return JsonResponse(
            {
                "results": [
                    {"id": e.pk, "code": e.code, "label": str(e)} for e in editions
                ]
            }
        )
