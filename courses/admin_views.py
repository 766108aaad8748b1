"""Staff screens of editions in the Wagtail admin: the edit view routes capacity
changes through the edition services, and cancel / complete / reopen are actions
with a confirmation page. Every rule is in courses.services."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import EditView

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


class EditionReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Sent to the trainees concerned and kept in the log."),
    )

    def __init__(self, *args, reason_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not reason_required:
            del self.fields["reason"]


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


class EditionActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Confirm and run one of cancel / complete / reopen on an edition."""

    permission_policy = ModelPermissionPolicy(CourseEdition)
    permission_required = "change"
    template_name = "courses/admin/edition_action.html"
    header_icon = "date"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["action"] not in ACTIONS:
            raise Http404
        self.action = kwargs["action"]
        self.spec = ACTIONS[self.action]
        self.edition = get_object_or_404(
            CourseEdition.objects.select_related("course"), pk=kwargs["pk"]
        )

    def get_page_title(self):
        return str(self.spec["label"])

    def get_page_subtitle(self):
        return str(self.edition)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "reason_required": self.spec["reason"]}

    def get_form_class(self):
        return EditionReasonForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            edition=self.edition,
            spec=self.spec,
            edit_url=self.edit_url,
            **kwargs,
        )

    @cached_property
    def edit_url(self) -> str:
        return reverse(
            CourseEdition.snippet_viewset.get_url_name("edit"), args=[self.edition.pk]
        )

    def form_valid(self, form):
        reason = form.cleaned_data.get("reason", "")
        user = self.request.user
        try:
            if self.action == "open":
                services.edition_open(edition=self.edition, actor=user)
            elif self.action == "cancel":
                services.edition_cancel(edition=self.edition, actor=user, reason=reason)
            elif self.action == "complete":
                services.edition_complete(edition=self.edition, actor=user)
            else:
                services.edition_reopen(edition=self.edition, actor=user, reason=reason)
        except EditionError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        self.edition.refresh_from_db()
        messages.success(
            self.request,
            _("%(edition)s: %(status)s")
            % {
                "edition": self.edition.code,
                "status": self.edition.get_status_display(),
            },
        )
        return redirect(self.edit_url)
