from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

PDF_MAGIC = b"%PDF-"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=64,
        help_text=_("The code printed under the QR code of the certificate."),
        # A code is token_urlsafe's alphabet; anything else (a "/" above all,
        # which no verify URL can hold) is refused here, not with a 500.
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9_-]+$",
                message=_("This is not a verification code."),
                code="invalid_code",
            )
        ],
    )


class UploadForm(forms.Form):
    """A PDF to check: at most MAKERS_VERIFY_UPLOAD_MAX_BYTES, starting %PDF-."""

    pdf = forms.FileField(
        label=_("Certificate PDF"),
        help_text=_("A PDF file of at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_pdf(self) -> bytes:
        upload = self.cleaned_data["pdf"]
        limit = settings.MAKERS_VERIFY_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too big: at most %(mb)s MB.")
                % {"mb": limit // (1024 * 1024)}
            )
        head = upload.read(len(PDF_MAGIC))
        if head != PDF_MAGIC:
            raise forms.ValidationError(_("This file is not a PDF."))
        content = head + upload.read(limit)
        if len(content) > limit:
            raise forms.ValidationError(
                _("The file is too big: at most %(mb)s MB.")
                % {"mb": limit // (1024 * 1024)}
            )
        return content
