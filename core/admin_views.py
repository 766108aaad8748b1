"""One confirm-with-reason screen for every staff action in the Wagtail admin.

Cancel an edition, verify a company, approve or reject an enrolment, revoke a
certificate, correct a register: each is a page that shows the object and what
will happen, asks for a reason where the action keeps one, and on POST calls
one service. A refusal of the service (the app's own exception, or Django's
ValidationError) reaches staff as the form's error or as a message, never as a
500. Permission is checked against the model's permission policy, for the
object, before anything is shown or done.

A screen subclasses ConfirmWithReasonView: sets `model`, `refusals`,
`submit_label`, `confirmation`, the reason's rules, and writes perform() (the
service call), get_back_url() and, where it says more, get_success_message().
Its template, when the object needs more than its name, extends
core/admin/confirm_with_reason.html and fills the `details` block.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import (
    ImproperlyConfigured,
    PermissionDenied,
    ValidationError,
)
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

# Whether an action asks for a reason.
REASON_REQUIRED = "required"
REASON_OPTIONAL = "optional"
NO_REASON = "none"


class ReasonForm(forms.Form):
    """The reason for a change staff confirm: kept in the audit log and, for
    most actions, told to the people concerned. Blank (spaces only) counts as
    none. A form with more fields subclasses it; the reason comes last."""

    def __init__(
        self,
        *args,
        reason: str = REASON_REQUIRED,
        max_length: int = 500,
        help_text: str = "",
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        if reason != NO_REASON:
            self.fields["reason"] = forms.CharField(
                label=_("Reason"),
                required=reason == REASON_REQUIRED,
                max_length=max_length,
                help_text=help_text,
                widget=forms.Textarea(attrs={"rows": 3}),
            )


def refusal_text(error: Exception) -> str:
    """What staff read of a refusal: the message(s) of a ValidationError, the
    str() of an app's exception (their messages are written for people)."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


class ConfirmWithReasonView(
    PermissionCheckedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, FormView
):
    """GET: the object, what will happen, the reason field. POST: perform(),
    then a success message and a redirect; a refusal leaves everything as it
    was and says why (a form error, or with `refusal_as_message` an error
    message on the page the user came from)."""

    template_name = "core/admin/confirm_with_reason.html"
    permission_required = "change"
    form_class = ReasonForm
    # The reason: REASON_REQUIRED, REASON_OPTIONAL or NO_REASON.
    reason = REASON_REQUIRED
    reason_max_length = 500
    reason_help_text = ""
    confirmation = ""  # what will happen, in the school's words
    submit_label = ""
    back_label = _("Back")
    destructive = False
    # The service's exceptions that mean "refused" (ValidationError always does).
    refusals: tuple[type[Exception], ...] = ()
    refusal_as_message = False

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_policy or not self.permission_required:
            # Fail closed: a confirmation screen without a policy would let
            # anyone who enters the admin act.
            raise ImproperlyConfigured(f"{type(self).__name__} needs a permission")
        if not self.user_has_permission_for_instance(
            self.permission_required, self.object
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.page_title or self.submit_label)

    def get_page_subtitle(self):
        return str(self.object)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if issubclass(self.get_form_class(), ReasonForm):
            kwargs.update(
                reason=self.reason,
                max_length=self.reason_max_length,
                help_text=self.reason_help_text,
            )
        return kwargs

    def perform(self, form) -> object:
        """Call the service with self.object and form.cleaned_data; return what
        it returns (get_success_message and get_success_url receive it)."""
        raise NotImplementedError

    def get_back_url(self) -> str:
        """Where "back" leads, and a refusal shown as a message."""
        raise NotImplementedError

    def get_success_url(self, result=None) -> str:
        return self.get_back_url()

    def get_success_message(self, result) -> str:
        return ""

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except (ValidationError, *self.refusals) as error:
            return self.refused(form, error)
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        return redirect(self.get_success_url(result))

    def refused(self, form, error: Exception):
        text = refusal_text(error)
        if self.refusal_as_message:
            messages.error(self.request, text)
            return redirect(self.get_back_url())
        form.add_error(None, text)
        return self.form_invalid(form)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.object,
            confirmation=self.confirmation,
            submit_label=self.submit_label,
            back_label=self.back_label,
            back_url=self.get_back_url(),
            destructive=self.destructive,
            next_url=get_valid_next_url_from_request(self.request),
            **kwargs,
        )
