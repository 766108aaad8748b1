from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import CourseEdition
from people.models import Company, User

from .selectors import company_employees, editions_open_for_enrolment


class EditionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CourseEdition) -> str:
        # The course's title in the reader's language, where the queryset has
        # it (enrolment.selectors.editions_open_for_enrolment).
        title = getattr(obj, "course_title_shown", None) or obj.course.title
        return f"{obj.code} · {title}"


class CompanyEnrolForm(forms.Form):
    """A manager enrols an existing employee of the company."""

    employee = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Employee"))
    edition = EditionChoiceField(
        queryset=CourseEdition.objects.none(), label=_("Edition")
    )

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = company_employees(company=company)
        self.fields["edition"].queryset = editions_open_for_enrolment()


class CompanyInviteForm(forms.Form):
    """A manager invites someone by email; they are enrolled once they accept."""

    email = forms.EmailField(label=_("Email address"), max_length=254)
    edition = EditionChoiceField(
        queryset=CourseEdition.objects.none(), label=_("Edition")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = editions_open_for_enrolment()


class MoveForm(forms.Form):
    edition = EditionChoiceField(
        queryset=CourseEdition.objects.none(), label=_("Move to")
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = targets


class ManualEnrolForm(forms.Form):
    email = forms.EmailField(label=_("Trainee's email address"))

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("Nobody has an account with this address."))
        return user
