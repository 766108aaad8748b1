"""The staff side of enrolments in the Wagtail admin, built on Wagtail's generic views.

A listing with filters, search and pagination; an inspect view with the enrolment's
audit trail and Wagtail's own history view; actions with a confirmation page; an
edition's roster with manual enrolment and exports. Every change goes through
enrolment.services, and the Enrolment model's permission policy decides who may
look (view) and who may act (change, add). Registers, certificates and companies
follow the same pattern.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton

from core.admin_ui import LocalTimeInspectMixin
from courses.models import CourseEdition
from people.models import Company
from people.security import PERSONAL_DATA_EXPORTED, security_event_log

from . import selectors, services
from .exceptions import EnrolmentError
from .exports import roster_csv, roster_xlsx
from .forms import ManualEnrolForm, MoveForm, OptionalReasonForm, ReasonForm
from .models import Enrolment, EnrolmentStatus

# Who may look at enrolments, and who may change them (policy action names).
LOOK = ["view", "change"]
ACT = "change"


def _enrolments():
    return Enrolment.objects.select_related(
        "trainee", "edition__course", "sponsor_company"
    )


class EnrolmentFilterSet(WagtailFilterSet):
    edition = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Edition"),
        queryset=CourseEdition.objects.select_related("course").order_by(
            "-enrolment_opens_at", "code"
        ),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=EnrolmentStatus.choices
    )
    sponsor_company = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Sponsoring company"), queryset=Company.objects.all()
    )

    class Meta:
        model = Enrolment
        fields = ["edition", "status", "sponsor_company"]


class EnrolmentIndexView(generic.IndexView):
    any_permission_required = LOOK
    roster_url_name = None

    def get_base_queryset(self):
        return _enrolments()

    @cached_property
    def header_buttons(self):
        # Filtered down to one edition: offer that edition's roster and exports.
        buttons = super().header_buttons
        form = self.filters.form if self.filters else None
        edition = form.cleaned_data.get("edition") if form and form.is_valid() else None
        if edition:
            buttons.append(
                HeaderButton(
                    _("Roster of %(code)s") % {"code": edition.code},
                    url=reverse(self.roster_url_name, args=[edition.pk]),
                    icon_name="list-ul",
                )
            )
        return buttons


class EnrolmentInspectView(LocalTimeInspectMixin, generic.InspectView):
    any_permission_required = LOOK
    template_name = "enrolment/enrolment_inspect.html"
    history_url_name = None
    roster_url_name = None
    action_url_names: dict[str, str] = {}

    def get_object(self, queryset=None):
        return get_object_or_404(
            _enrolments().select_related("sponsored_by", "moved_to__edition"),
            pk=self.pk,
        )

    def get_page_title(self):
        return _("Enrolment of %(person)s") % {"person": self.object.trainee}

    def get_page_subtitle(self):
        return str(self.object.edition)

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "—" if value is None or value == "" else value

    def get_trainee_display_value(self):
        trainee = self.object.trainee
        return f"{trainee} · {trainee.email}"

    def get_moved_to_display_value(self):
        moved_to = self.object.moved_to
        return moved_to.edition.code if moved_to else ""

    def available_actions(self) -> list[dict]:
        enrolment = self.object
        if not self.user_has_permission(ACT) or not enrolment.is_active:
            return []
        names = ["move", "cancel"]
        if not selectors.enrolments_with_progress([enrolment])[0].can_cancel:
            names = ["move"]  # the edition has ended (enrolment_cancel refuses)
        if enrolment.status == EnrolmentStatus.PENDING_APPROVAL:
            names = ["approve", "reject", *names]
        return [
            {
                "name": name,
                "label": ACTION_LABELS[name],
                "url": reverse(self.action_url_names[name], args=[enrolment.pk]),
            }
            for name in names
        ]

    @cached_property
    def header_more_buttons(self):
        return [
            Button(
                _("History"),
                url=reverse(self.history_url_name, args=[self.object.pk]),
                icon_name="history",
                priority=10,
            ),
            Button(
                _("Edition roster"),
                url=reverse(self.roster_url_name, args=[self.object.edition_id]),
                icon_name="list-ul",
                priority=20,
            ),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = selectors.enrolment_history(enrolment=self.object)
        context["actions"] = self.available_actions()
        context["roster_url"] = reverse(
            self.roster_url_name, args=[self.object.edition_id]
        )
        return context


class EnrolmentHistoryView(generic.HistoryView):
    """Wagtail's history of the enrolment: its makers.enrolment.<status> entries."""

    any_permission_required = ["view", "add", "change", "delete"]
    inspect_url_name = None

    def get_edit_url(self, instance):
        return reverse(self.inspect_url_name, args=[instance.pk])

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Inspect"),
                url=self.get_edit_url(self.object),
                icon_name="info-circle",
            )
        ]


ACTION_LABELS = {
    "approve": gettext_lazy("Approve"),
    "reject": gettext_lazy("Reject"),
    "cancel": gettext_lazy("Cancel enrolment"),
    "move": gettext_lazy("Move"),
}


class EnrolmentActionView(
    PermissionCheckedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, FormView
):
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
    confirmation = ""
    form_class = forms.Form

    def get_base_object_queryset(self):
        return _enrolments()

    def get_page_title(self):
        return ACTION_LABELS[self.action]

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

    def perform(self, form) -> Enrolment:
        raise NotImplementedError

    def get_back_url(self, enrolment: Enrolment) -> str:
        return get_valid_next_url_from_request(self.request) or reverse(
            self.inspect_url_name, args=[enrolment.pk]
        )

    def form_valid(self, form):
        try:
            enrolment = self.perform(form)
        except EnrolmentError as error:
            messages.error(self.request, str(error))
            return redirect(self.get_back_url(self.object))
        messages.success(
            self.request,
            _("Done: %(status)s") % {"status": enrolment.get_status_display()},
        )
        return redirect(self.get_back_url(enrolment))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            enrolment=self.object,
            confirmation=self.confirmation,
            submit_label=ACTION_LABELS[self.action],
            destructive=self.action in ("reject", "cancel"),
            cancel_url=self.get_back_url(self.object),
            next_url=get_valid_next_url_from_request(self.request),
        )
        return context


class EnrolmentApproveView(EnrolmentActionView):
    action = "approve"
    confirmation = gettext_lazy(
        "The request is confirmed and the trainee is told by email."
    )

    def perform(self, form) -> Enrolment:
        return services.enrolment_approve(
            enrolment=self.object, actor=self.request.user
        )


class EnrolmentRejectView(EnrolmentActionView):
    action = "reject"
    form_class = ReasonForm
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
    form_class = OptionalReasonForm
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


class EditionMixin:
    """Views of one edition's enrolments, checked against the Enrolment policy."""

    model = Enrolment
    edition_url_kwarg = "edition_pk"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.edition = get_object_or_404(
            CourseEdition.objects.select_related("course"),
            pk=kwargs[self.edition_url_kwarg],
        )


class EditionRosterView(
    EditionMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView
):
    """An edition's enrolments grouped by status, with counts; staff who may add
    enrolments enrol someone by email here."""

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


class EnrolmentViewSet(ModelViewSet):
    """Enrolments in the Wagtail admin. No add, edit, copy or delete views: an
    enrolment changes only through the actions, which call the services."""

    pk_path_converter = "id"  # core.converters: ids a row can have

    model = Enrolment
    icon = "group"
    menu_label = gettext_lazy("Enrolments")
    menu_order = 210
    add_to_admin_menu = True
    url_prefix = "enrolments"
    name = "enrolments"

    index_view_class = EnrolmentIndexView
    inspect_view_class = EnrolmentInspectView
    history_view_class = EnrolmentHistoryView
    inspect_view_enabled = True
    inspect_view_fields = [
        "trainee",
        "edition",
        "status",
        "waitlist_position",
        "offer_expires_at",
        "sponsor_company",
        "sponsored_by",
        "moved_to",
        "reason",
        "created_at",
    ]
    copy_view_enabled = False

    list_per_page = 50
    ordering = ["-created_at", "-pk"]
    filterset_class = EnrolmentFilterSet
    search_backend_name = None  # plain database search across the joins
    search_fields = [
        "trainee__first_name",
        "trainee__last_name",
        "trainee__email",
        "edition__code",
    ]
    list_display = [
        "trainee",
        Column("email", label=gettext_lazy("Email address"), accessor="trainee.email"),
        Column("edition", label=gettext_lazy("Edition"), sort_key="edition__code"),
        Column(
            "status",
            label=gettext_lazy("Status"),
            accessor="get_status_display",
            sort_key="status",
        ),
        "waitlist_position",
        DateColumn("created_at", label=gettext_lazy("Created"), sort_key="created_at"),
    ]

    action_views = {
        "approve": EnrolmentApproveView,
        "reject": EnrolmentRejectView,
        "cancel": EnrolmentCancelView,
        "move": EnrolmentMoveView,
    }

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add", "edit", "delete", "copy", "usage"):
            view_kwargs[f"{name}_url_name"] = None
        view_kwargs.update(
            inspect_url_name=self.get_url_name("inspect"),
            roster_url_name=self.get_url_name("roster"),
            export_url_name=self.get_url_name("export"),
            action_url_names={
                name: self.get_url_name(name) for name in self.action_views
            },
        )
        return view_kwargs

    @cached_property
    def url_finder_class(self):
        # Links from the site history and elsewhere go to the inspect view.
        return type(
            "EnrolmentAdminURLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )

    def get_urlpatterns(self):
        urlpatterns = [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<id:pk>/", self.inspect_view, name="inspect"),
            path("history/<id:pk>/", self.history_view, name="history"),
            path(
                "history-results/<id:pk>/",
                self.history_results_view,
                name="history_results",
            ),
        ]
        for name, view_class in self.action_views.items():
            urlpatterns.append(
                path(f"{name}/<id:pk>/", self.construct_view(view_class), name=name)
            )
        return urlpatterns + [
            path(
                "edition/<id:edition_pk>/",
                self.construct_view(EditionRosterView),
                name="roster",
            ),
            path(
                "edition/<id:edition_pk>/export/<str:fmt>/",
                self.construct_view(EditionExportView),
                name="export",
            ),
        ]
