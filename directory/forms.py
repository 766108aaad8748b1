from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from courses.models import Area, Competency, CoursePage
from people.models import Availability


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search headline and skills"), required=False, max_length=100
    )
    competency = forms.ModelChoiceField(
        label=_("Verified competency"),
        queryset=Competency.objects.order_by("code"),
        required=False,
        empty_label=_("Any"),
    )
    eqf_min = forms.TypedChoiceField(
        label=_("EQF level at least"),
        choices=[("", _("Any"))] + [(n, str(n)) for n in range(1, 9)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    course = forms.ModelChoiceField(
        label=_("Course completed"),
        queryset=CoursePage.objects.none(),
        required=False,
        empty_label=_("Any"),
    )
    area = forms.ChoiceField(
        label=_("Area"), choices=[("", _("Any")), *Area.choices], required=False
    )
    province = forms.CharField(label=_("Province"), required=False, max_length=2)
    availability = forms.ChoiceField(
        label=_("Availability"),
        choices=[("", _("Any")), *Availability.choices],
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("relevance", _("Relevance")),
            ("recent", _("Most recent certificate")),
        ],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The courses of the reader's language, each once (not its translations).
        self.fields["course"].queryset = (
            CoursePage.objects.live()
            .filter(locale=Locale.get_active())
            .order_by("title")
        )


class ContactRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the graduate"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
