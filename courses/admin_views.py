"""Staff screens of editions in the Wagtail admin: the edit view saves through
the edition services, and open / cancel / complete / reopen are actions with a
confirmation page (core.admin_views). Every rule is in courses.services.
EditionMixin serves the higher apps' screens about one edition."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import EditView

from core.admin_views import NO_REASON, REASON_REQUIRED, ConfirmWithReasonView

from . import services
from .exceptions import EditionError
from .models import CourseEdition, EditionStatus

ACTIONS = {
    "open": {
        "label": gettext_lazy("Open for enrolment"),
        "intro": gettext_lazy(
            "The edition shows in the catalogue and takes enrolments during its "
            "enrolment window."
        ),
        "reason": False,
        "allowed": (EditionStatus.DRAFT,),
    },
    "cancel": {
        "label": gettext_lazy("Cancel edition"),
        "intro": gettext_lazy(
            "Every active enrolment is cancelled and each trainee is emailed the "
            "reason below; the waitlist is closed and open offers are withdrawn."
        ),
        "reason": True,
        "allowed": (EditionStatus.DRAFT, EditionStatus.OPEN, EditionStatus.IN_PROGRESS),
    },
    "complete": {
        "label": gettext_lazy("Mark as completed"),
        "intro": gettext_lazy(
            "Once completed, the edition's certificates can be issued. Its last "
            "session must have ended."
        ),
        "reason": False,
        "allowed": (EditionStatus.OPEN, EditionStatus.IN_PROGRESS),
    },
    "reopen": {
        "label": gettext_lazy("Reopen edition"),
        "intro": gettext_lazy(
            "The edition goes back to open (or in progress, if its sessions have "
            "begun). Enrolments cancelled with it stay cancelled."
        ),
        "reason": True,
        "allowed": (EditionStatus.COMPLETED, EditionStatus.CANCELLED),
    },
}


def action_url(edition: CourseEdition, action: str) -> str:
    return reverse("courses_edition_action", args=[edition.pk, action])


class EditionEditView(EditView):
    """The snippet editor: the whole save, capacity included, is one service
    call (edition_editor_save) in one transaction; a refusal is a form error."""

    def save_instance(self):
        return services.edition_editor_save(
            edition=self.form.instance,
            save=super().save_instance,
            actor=self.request.user,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except EditionError as error:
            # Nothing was saved (the transaction rolled back): show the form again.
            field = "capacity" if error.code.startswith("capacity") else None
            form.add_error(field, str(error))
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        for priority, (action, spec) in enumerate(ACTIONS.items(), start=30):
            if self.object.status in spec["allowed"]:
                buttons.append(
                    Button(
                        spec["label"],
                        url=action_url(self.object, action),
                        icon_name="cog",
                        priority=priority,
                    )
                )
        return buttons


class EditionActionView(ConfirmWithReasonView):
    """Confirm and run one of open / cancel / complete / reopen on an edition."""

    model = CourseEdition
    permission_policy = ModelPermissionPolicy(CourseEdition)
    template_name = "courses/admin/edition_action.html"
    header_icon = "date"
    refusals = (EditionError,)
    reason_help_text = gettext_lazy(
        "Sent to the trainees concerned and kept in the log."
    )
    back_label = gettext_lazy("Back to the edition")

    def setup(self, request, *args, **kwargs):
        if kwargs["action"] not in ACTIONS:
            raise Http404
        self.action = kwargs["action"]
        self.spec = ACTIONS[self.action]
        self.submit_label = self.spec["label"]
        self.confirmation = self.spec["intro"]
        self.reason = REASON_REQUIRED if self.spec["reason"] else NO_REASON
        super().setup(request, *args, **kwargs)

    def get_base_object_queryset(self):
        return CourseEdition.objects.select_related("course")

    def get_back_url(self) -> str:
        return reverse(
            CourseEdition.snippet_viewset.get_url_name("edit"), args=[self.object.pk]
        )

    def perform(self, form) -> CourseEdition:
        edition, actor = self.object, self.request.user
        reason = form.cleaned_data.get("reason", "")
        if self.action == "open":
            return services.edition_open(edition=edition, actor=actor)
        if self.action == "cancel":
            return services.edition_cancel(edition=edition, actor=actor, reason=reason)
        if self.action == "complete":
            return services.edition_complete(edition=edition, actor=actor)
        return services.edition_reopen(edition=edition, actor=actor, reason=reason)

    def get_success_message(self, result: CourseEdition) -> str:
        return _("%(edition)s: %(status)s") % {
            "edition": result.code,
            "status": result.get_status_display(),
        }


class EditionMixin:
    """Admin views about one edition (its roster, register, certificates): the
    edition the URL names (`edition_pk`) as self.edition, with its course and
    venue; 404 when there is none. The view's own model and permission policy
    still decide who may see it.

    Here rather than in core: core may not name an edition (DESIGN.md layers),
    and every view that needs it sits above courses.
    """

    edition_url_kwarg = "edition_pk"

    def get_edition_queryset(self):
        return CourseEdition.objects.select_related("course", "venue")

    def setup(self, request, *args, **kwargs):
        # Before the view's own setup, so its get_object() may filter by it.
        self.edition = get_object_or_404(
            self.get_edition_queryset(), pk=kwargs[self.edition_url_kwarg]
        )
        super().setup(request, *args, **kwargs)
