"""Public verification (page, JSON, upload) and the permission-checked download.

The verification pages are never cached whole (the page cache is opt-in and
these views do not opt in): a revocation shows at once. Every lookup, by code or
by upload, counts against the client's rate limit, known codes and unknown alike.
"""

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from . import selectors
from .credentials.upload import CredentialCheck, credential_check
from .europass import MEDIA_TYPE, europass_sealed
from .forms import CodeForm, CredentialUploadForm, UploadForm
from .models import Certificate
from .services import verification_url


def _client_ip(group: str, request: HttpRequest) -> str:
    """The client's address as allauth reads it (behind the trusted proxies)."""
    return get_adapter().get_client_ip(request) or "unknown"


def _limited(request: HttpRequest) -> bool:
    """Count one lookup of the client's IP this minute (django-ratelimit, the
    shared cache); True past MAKERS_VERIFY_RATE_PER_MINUTE."""
    return is_ratelimited(
        request,
        group="certificates-verify",
        key=_client_ip,
        rate=(settings.MAKERS_VERIFY_RATE_PER_MINUTE, 60),
        increment=True,
    )


def _too_many(request: HttpRequest) -> HttpResponse:
    response = TemplateResponse(
        request,
        "certificates/verify.html",
        {
            "code_form": CodeForm(),
            "upload_form": UploadForm(),
            "credential_form": CredentialUploadForm(),
            "limited": True,
        },
        status=429,
    )
    response["Retry-After"] = "60"
    return response


def _public(certificate: Certificate) -> dict:
    return selectors.certificate_public(
        certificate=certificate,
        verify_url=verification_url(code=certificate.verification_code),
        successor_url=(
            verification_url(code=certificate.replaced_by.verification_code)
            if getattr(certificate, "replaced_by", None)
            else ""
        ),
    )


def _upload_result(request: HttpRequest, form: UploadForm) -> dict:
    check = selectors.certificate_from_pdf(pdf=form.cleaned_data["pdf"])
    return {
        "sha256": check.sha256,
        "check": check,
        "certificate": check.certificate,
        "public": _public(check.certificate) if check.certificate else None,
        "signature": check.signature,
    }


def _render(
    request,
    *,
    certificate=None,
    code="",
    code_form=None,
    upload_form=None,
    upload=None,
    credential_form=None,
    credential_upload=None,
):
    public = _public(certificate) if certificate is not None else None
    return TemplateResponse(
        request,
        "certificates/verify.html",
        {
            "code_form": code_form
            or CodeForm(initial={"code": code} if code else None),
            "upload_form": upload_form or UploadForm(),
            "credential_form": credential_form or CredentialUploadForm(),
            "credential_upload": credential_upload,
            "looked_up": bool(code),
            "code": code,
            "certificate": certificate,
            "public": public,
            "upload": upload,
        },
        status=404 if code and certificate is None else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def verify_start(request: HttpRequest) -> HttpResponse:
    """The form to type a code (GET ?code=) and to upload a PDF (POST)."""
    if request.method == "POST":
        return _upload(request)
    code = (request.GET.get("code") or "").strip()
    if code:
        form = CodeForm(request.GET)
        if form.is_valid():
            return redirect("certificates:verify", code=form.cleaned_data["code"])
        # What was typed stays in the field, with why it is not a code.
        response = _render(request, code_form=form)
        response.status_code = 400
        return response
    return _render(request)


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """A certificate's public page: status and what was certified."""
    if request.method == "POST":
        return _upload(request)
    if _limited(request):
        return _too_many(request)
    certificate = selectors.certificate_by_code(code=code)
    return _render(request, certificate=certificate, code=code)


def _is_credential(request: HttpRequest) -> bool:
    """A credential upload: its file, or the form that should have held it."""
    return "credential" in request.FILES or request.POST.get("form") == "credential"


def _credential_result(check: CredentialCheck) -> dict:
    """The check and the certificate it names, with the status the check
    found (the worse of the credential's and the school's record)."""
    public = None
    if check.certificate is not None and check.genuine:
        public = _public(check.certificate) | {"status": check.status}
    return {"check": check, "certificate": check.certificate, "public": public}


def _credential_upload(request: HttpRequest) -> HttpResponse:
    """An Open Badge or Europass file posted to /verify/: its answer, or the
    form again with why the file is not one (a 400)."""
    form = CredentialUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        response = _render(request, credential_form=form)
        response.status_code = 400
        return response
    check = credential_check(content=form.cleaned_data["credential"])
    return _render(request, credential_upload=_credential_result(check))


def _upload(request: HttpRequest) -> HttpResponse:
    if _limited(request):
        return _too_many(request)
    if _is_credential(request):
        return _credential_upload(request)
    form = UploadForm(request.POST, request.FILES)
    upload = _upload_result(request, form) if form.is_valid() else None
    response = _render(request, upload_form=form, upload=upload)
    if not form.is_valid():
        response.status_code = 400
    return response


@require_GET
def verify_json(request: HttpRequest, code: str) -> JsonResponse:
    """The verification answer for machines; any origin may read it (GET)."""
    if _limited(request):
        response = JsonResponse({"error": "rate_limited"}, status=429)
        response["Retry-After"] = "60"
    else:
        certificate = selectors.certificate_by_code(code=code)
        if certificate is None:
            response = JsonResponse({"status": "unknown"}, status=404)
        else:
            response = JsonResponse(
                _public(certificate), json_dumps_params={"ensure_ascii": False}
            )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-store"
    return response


def _credential_json(request: HttpRequest) -> JsonResponse:
    """The answer for an uploaded Open Badge or Europass file (`credential`)."""
    form = CredentialUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse(
            {"errors": {k: list(v) for k, v in form.errors.items()}}, status=400
        )
    check = credential_check(content=form.cleaned_data["credential"])
    return JsonResponse(
        {
            "kind": check.kind,
            "verdict": check.verdict,
            "genuine": check.genuine,
            "issuer": {"id": check.issuer, "name": check.issuer_name},
            "signer": check.signer or None,
            "status": check.status,
            "valid": check.valid,
            "certificate": _credential_result(check)["public"],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@csrf_exempt  # a machine's upload carries no session: it reads, changes nothing
@require_POST
def verify_upload_json(request: HttpRequest) -> JsonResponse:
    """The upload's answer for machines (POST a multipart `pdf`): which
    certificate the file is, whether it is that certificate unmodified, and
    what its signature says."""
    if _limited(request):
        response = JsonResponse({"error": "rate_limited"}, status=429)
        response["Retry-After"] = "60"
    elif _is_credential(request):
        response = _credential_json(request)
    else:
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            result = _upload_result(request, form)
            check, signature = result["check"], result["signature"]
            response = JsonResponse(
                {
                    "sha256": check.sha256,
                    "identified": check.certificate is not None,
                    "exact": check.exact,
                    "modified": check.modified,
                    "certificate": result["public"],
                    "signature": {
                        "signed": signature.signed,
                        "intact": signature.intact,
                        "by_school": signature.by_school,
                        "covers_whole_file": signature.covers_whole_file,
                        "only_ltv_updates": signature.only_ltv_updates,
                        "genuine": signature.genuine,
                        "long_term": signature.long_term,
                        "document_timestamps": signature.document_timestamps,
                        "signer": signature.signer,
                        "error": signature.error or None,
                    },
                },
                json_dumps_params={"ensure_ascii": False},
            )
        else:
            response = JsonResponse(
                {"errors": {k: list(v) for k, v in form.errors.items()}}, status=400
            )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-store"
    return response


@login_required
def certificate_download(request: HttpRequest, pk: int) -> FileResponse:
    """The PDF, for its holder, staff and the sponsoring company's managers; a
    404 for anyone else (nobody learns that it exists)."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("enrolment"), pk=pk
    )
    if not selectors.certificate_downloadable_by(
        certificate=certificate, user=request.user
    ):
        raise Http404
    if not certificate.pdf:
        raise Http404(_("The PDF of this certificate is missing."))
    response = FileResponse(
        certificate.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{certificate.serial}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def certificate_europass(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate as a sealed Europass Digital Credential, for its holder
    only; a 404 for anyone else."""
    certificate = get_object_or_404(Certificate, pk=pk, holder=request.user)
    response = HttpResponse(
        europass_sealed(certificate=certificate), content_type=MEDIA_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{certificate.serial}-europass.jws"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
