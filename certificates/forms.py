from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .credentials.upload import credential_kind

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


def _too_big(limit: int) -> forms.ValidationError:
    return forms.ValidationError(
        _("The file is too big: at most %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
    )


class CredentialUploadForm(forms.Form):
    """An Open Badge (VC-JWT) or a sealed Europass credential (JWS) to check:
    the PDF upload's size limit; anything else refused with why."""

    credential = forms.FileField(
        label=_("Open Badge or Europass file"),
        help_text=_(
            "The .jwt file of an Open Badge or the .jws file of a Europass "
            "credential, at most 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".jwt,.jws"}),
    )

    def clean_credential(self) -> bytes:
        upload = self.cleaned_data["credential"]
        limit = settings.MAKERS_VERIFY_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise _too_big(limit)
        content = upload.read(limit + 1)
        if len(content) > limit:
            raise _too_big(limit)
        if content.startswith(PDF_MAGIC):
            raise forms.ValidationError(
                _("This file is a PDF: check it with the PDF upload.")
            )
        if credential_kind(content):
            return content
        if content.lstrip()[:1] in (b"{", b"["):
            raise forms.ValidationError(
                _(
                    "This is an unsigned JSON file, which anyone could have "
                    "written: upload the signed Open Badge (.jwt) or Europass "
                    "credential (.jws) instead."
                )
            )
        raise forms.ValidationError(
            _(
                "This file is neither an Open Badge (.jwt) nor a Europass "
                "credential (.jws)."
            )
        )
