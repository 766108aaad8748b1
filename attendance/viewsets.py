"""The staff side of registers in the Wagtail admin, on Wagtail's generic views
(the pattern of enrolment/viewsets.py): a listing of editions, an edition's
register (sessions x trainees) with the history of its corrections, a correction
form with a mandatory reason, and the PDF/CSV exports. Checked by the
AttendanceRecord model's permission policy: view to look, change to correct.
"""

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy

from core.admin_views import ConfirmWithReasonView, ReasonForm
from courses.admin_views import EditionMixin
from courses.models import CourseEdition
from enrolment.models import Enrolment, EnrolmentStatus

from . import selectors as attendance
from .admin_exports import FunderExportView, ScanDownloadView
from .admin_grid import register_grid
from .exceptions import AttendanceError
from .exports import legend_text, register_download
from .models import AttendanceRecord, AttendanceStatus
from .services import attendance_correct

LOOK = ["view", "change"]
ACT = "change"
policy = ModelPermissionPolicy(AttendanceRecord)


class RegisterEditionIndexView(generic.IndexView):
    """Editions, each linking to its register."""

    model = CourseEdition
    permission_policy = policy
    any_permission_required = LOOK
    register_url_name = None
    page_title = gettext_lazy("Registers")
    header_icon = "calendar-check"
    paginate_by = 50
    default_ordering = "-enrolment_opens_at"
    search_fields = ["code"]
    search_backend_name = None

    def get_base_queryset(self):
        return CourseEdition.objects.select_related("course")

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "code",
                label=gettext_lazy("Edition"),
                url_name=self.register_url_name,
                sort_key="code",
            ),
            Column("course", label=gettext_lazy("Course"), accessor="course.title"),
            Column(
                "status", label=gettext_lazy("Status"), accessor="get_status_display"
            ),
        ]

    def get_edit_url(self, instance):
        return reverse(self.register_url_name, args=[instance.pk])


class EditionRegisterView(
    EditionMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Sessions x trainees; every cell links to its correction; the history of
    every session's register below."""

    model = AttendanceRecord
    permission_policy = policy
    any_permission_required = LOOK
    template_name = "attendance/register_admin.html"
    header_icon = "calendar-check"
    index_url_name = None
    correct_url_name = None
    export_url_name = None
    funder_url_name = None
    scan_url_name = None

    def get_page_title(self):
        return _("Register of %(code)s") % {"code": self.edition.code}

    def get_page_subtitle(self):
        return self.edition.course.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Registers")},
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def header_more_buttons(self):
        return [
            Button(
                _("Register (PDF)"),
                url=reverse(self.export_url_name, args=[self.edition.pk, "pdf"]),
                icon_name="download",
                priority=10,
            ),
            Button(
                _("Register (CSV)"),
                url=reverse(self.export_url_name, args=[self.edition.pk, "csv"]),
                icon_name="download",
                priority=20,
            ),
            Button(
                _("Overview grid (PDF)"),
                url=reverse(self.export_url_name, args=[self.edition.pk, "grid"]),
                icon_name="download",
                priority=25,
            ),
            Button(
                _("Funder export (ZIP)"),
                url=reverse(self.funder_url_name, args=[self.edition.pk]),
                icon_name="download",
                priority=30,
            ),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = attendance.edition_attendance(edition=self.edition)
        can_act = self.user_has_permission(ACT)
        grid = register_grid(
            summary=summary,
            edition=self.edition,
            can_act=can_act,
            correct_url_name=self.correct_url_name,
        )
        context.update(
            edition=self.edition,
            summary=summary,
            grid=grid,
            legend=legend_text(),
            history=attendance.edition_register_history(edition=self.edition),
            can_act=can_act,
            scans=attendance.register_scans(edition=self.edition),
            scan_url_name=self.scan_url_name,
        )
        return context


def _local_time(value):
    return timezone.localtime(value).time() if value else None


class CorrectionForm(ReasonForm):
    """Status and minutes; the reason (ReasonForm's) comes last."""

    status = forms.ChoiceField(
        label=gettext_lazy("Status"), choices=AttendanceStatus.choices
    )
    minutes = forms.IntegerField(
        label=gettext_lazy("Minutes present"),
        required=False,
        min_value=1,
        max_value=24 * 60,
        help_text=gettext_lazy(
            "Only for late or left early; empty: three quarters of the session."
        ),
    )
    entry = forms.TimeField(
        label=gettext_lazy("Entry time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=gettext_lazy("Entry and exit decide the minutes when given."),
    )
    exit = forms.TimeField(
        label=gettext_lazy("Exit time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


class RegisterCorrectView(EditionMixin, ConfirmWithReasonView):
    """A staff correction of one trainee's record in one session, with a reason.
    The object is the confirmed enrolment whose record is corrected."""

    model = Enrolment  # the object; the register's policy decides who acts
    permission_policy = policy
    permission_required = ACT
    pk_url_kwarg = "enrolment_pk"
    template_name = "attendance/register_correct_admin.html"
    form_class = CorrectionForm
    header_icon = "calendar-check"
    register_url_name = None
    refusals = (AttendanceError,)
    page_title = gettext_lazy("Correct the register")
    submit_label = gettext_lazy("Save the correction")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.session = get_object_or_404(
            attendance.sessions_with_register(),
            pk=kwargs["session_pk"],
            edition=self.edition,
        )
        self.record = AttendanceRecord.objects.filter(
            session=self.session, enrolment=self.object
        ).first()

    def get_base_object_queryset(self):
        return Enrolment.objects.select_related("trainee").filter(
            edition=self.edition, status=EnrolmentStatus.CONFIRMED
        )

    def get_page_subtitle(self):
        return f"{self.object.trainee} · {self.session}"

    def get_initial(self):
        if self.record:
            return {
                "status": self.record.status,
                "minutes": self.record.minutes_present,
                "entry": _local_time(self.record.entered_at),
                "exit": _local_time(self.record.exited_at),
            }
        return {}

    def get_back_url(self) -> str:
        return reverse(self.register_url_name, args=[self.edition.pk])

    def perform(self, form) -> AttendanceRecord:
        return attendance_correct(
            session=self.session,
            enrolment=self.object,
            status=form.cleaned_data["status"],
            minutes_present=form.cleaned_data["minutes"],
            entered_at=form.cleaned_data["entry"],
            exited_at=form.cleaned_data["exit"],
            reason=form.cleaned_data["reason"],
            actor=self.request.user,
        )

    def get_success_message(self, result) -> str:
        return _("Register corrected: %(person)s, %(session)s") % {
            "person": self.object.trainee,
            "session": self.session,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            session=self.session,
            enrolment=self.object,
            record=self.record,
            locked=attendance.register_is_locked(
                session=self.session, closed_at=self.session.register_closed_at
            ),
            **kwargs,
        )


class RegisterExportView(EditionMixin, PermissionCheckedMixin, View):
    model = AttendanceRecord
    permission_policy = policy
    any_permission_required = LOOK

    def get(self, request, *args, fmt: str, **kwargs):
        summary = attendance.edition_attendance(edition=self.edition)
        return register_download(summary=summary, fmt=fmt)


class RegisterViewSet(ViewSet):
    """Registers in the Wagtail admin, under the Enrolments pattern."""

    name = "registers"
    url_prefix = "registers"
    icon = "calendar-check"
    menu_label = gettext_lazy("Registers")
    menu_order = 215
    add_to_admin_menu = True

    @property
    def permission_policy(self):
        return policy

    def get_menu_item_is_shown(self, request) -> bool:  # pragma: no cover - Wagtail
        return policy.user_has_any_permission(request.user, LOOK)

    def _view(self, view_class, **kwargs):
        return view_class.as_view(
            index_url_name=self.get_url_name("index"),
            **kwargs,
        )

    def _audit_paths(self) -> list:
        """Issue 26: the funder export and the sign-in sheet scans."""
        return [
            path(
                "edition/<id:edition_pk>/funder-export/",
                FunderExportView.as_view(permission_policy=policy),
                name="funder_export",
            ),
            path(
                "edition/<id:edition_pk>/scans/<id:scan_pk>/",
                ScanDownloadView.as_view(permission_policy=policy),
                name="scan",
            ),
        ]

    def get_urlpatterns(self):
        register = self.get_url_name("edition")
        return [
            path(
                "",
                RegisterEditionIndexView.as_view(
                    index_url_name=self.get_url_name("index"),
                    index_results_url_name=self.get_url_name("index_results"),
                    register_url_name=register,
                ),
                name="index",
            ),
            path(
                "results/",
                RegisterEditionIndexView.as_view(
                    index_url_name=self.get_url_name("index"),
                    index_results_url_name=self.get_url_name("index_results"),
                    register_url_name=register,
                    results_only=True,
                ),
                name="index_results",
            ),
            path(
                "edition/<id:edition_pk>/",
                self._view(
                    EditionRegisterView,
                    correct_url_name=self.get_url_name("correct"),
                    export_url_name=self.get_url_name("export"),
                    funder_url_name=self.get_url_name("funder_export"),
                    scan_url_name=self.get_url_name("scan"),
                ),
                name="edition",
            ),
            *self._audit_paths(),
            path(
                "edition/<id:edition_pk>/correct/<id:session_pk>/<id:enrolment_pk>/",
                RegisterCorrectView.as_view(register_url_name=register),
                name="correct",
            ),
            path(
                "edition/<id:edition_pk>/export/<str:fmt>/",
                RegisterExportView.as_view(),
                name="export",
            ),
        ]
