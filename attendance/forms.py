"""Forms of the instructor's register pages: a session's details and the scan
of its signed sign-in sheet. Thin: the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import Role, User

from .uploads import SCAN_MAX_BYTES


def _time_field(label):
    return forms.TimeField(
        label=label,
        required=False,
        widget=forms.TimeInput(
            attrs={"type": "time", "class": "form-control"}, format="%H:%M"
        ),
    )


class RegisterDetailsForm(forms.Form):
    topics_covered = forms.CharField(
        label=_("Topics covered"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("What was actually covered (the planned topic is above)."),
    )
    teacher = forms.ModelChoiceField(label=_("Teacher"), queryset=User.objects.none())
    tutor = forms.ModelChoiceField(
        label=_("Tutor"), queryset=User.objects.none(), required=False
    )
    started_at = _time_field(_("Actual start"))
    ended_at = _time_field(_("Actual end"))

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers
        self.fields["tutor"].queryset = (
            User.objects.filter(
                is_active=True,
                groups__name__in=[Role.INSTRUCTOR.value, Role.STAFF.value],
            )
            .distinct()
            .order_by("last_name", "first_name")
        )


class ScanForm(forms.Form):
    scan = forms.FileField(
        label=_("Scan of the signed sheet"),
        help_text=_("PDF, JPEG or PNG, at most %(mb)s MB.")
        % {"mb": SCAN_MAX_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png"}
        ),
    )
