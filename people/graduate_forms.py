"""Forms of the person's own data: the graduate profile and company registration.
Thin: every rule is in people.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import GRADUATE_VISIBLE_FIELDS, Company, GraduateProfile


class GraduateProfileForm(forms.ModelForm):
    remove_cv = forms.BooleanField(label=_("Remove the CV"), required=False)
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)

    class Meta:
        model = GraduateProfile
        fields = [
            "headline",
            "bio",
            "province",
            "availability",
            "languages",
            "skills",
            "phone",
            "photo",
            "cv",
            *(f"show_{name}" for name in GRADUATE_VISIBLE_FIELDS),
        ]
        widgets = {
            "cv": forms.FileInput(attrs={"accept": "application/pdf"}),
            "photo": forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "Remove" only where there is something to remove.
        for name in ("cv", "photo"):
            if not getattr(self.instance, name):
                del self.fields[f"remove_{name}"]

    def clean_province(self):
        return (self.cleaned_data.get("province") or "").upper()


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I have read the text above and I agree to it."), required=True
    )


class CompanyRegisterForm(forms.ModelForm):
    class Meta:
        model = Company
        fields = ["name", "partita_iva", "ateco", "address", "city", "province"]

    def clean_partita_iva(self):
        value = (self.cleaned_data.get("partita_iva") or "").replace(" ", "").upper()
        return value.removeprefix("IT")


class CompanyInviteForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's email address"), max_length=254)
