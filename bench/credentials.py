"""Credential rows (issue 21): the forms of a certificate beside its PDF.

- B-LTA sign: one certificate's PDF signed as PAdES B-LTA (timestamped by the
  development PKI's local timestamp authority, the DSS and a document
  timestamp), against the same PDF signed B-B (no timestamp), ms;
- Open Badges 3.0: the VC-JWT built and signed, and verified (JWK Set, the
  status list built and signed), ms;
- Europass: the EDC built and sealed (JWS with the school's chain), its SHACL
  validation against the EDC generic profile (the shapes parsed once, before
  the timing), and its size;
- bulk in all forms: BULK certificates issued by two worker processes (the
  signed PDF, bench.certificates' bulk), then their Open Badge VC-JWT and
  sealed EDC by two more, certificates/s over the time both phases worked;
  the note adds the workers' CPU time per certificate (issue, OB + EDC), the
  figure that hardly moves with the machine's load, and the load at the end.

Figures are the median of REPEATS in-process runs; the certificate is the last
valid one bench.certificates issued (or one issued here when run alone), with
the same development key (bench/out/signing/).
"""

from __future__ import annotations

import dataclasses
import os

from .report import Row, error_row
from .timing import median_ms

NAME = "credentials"
REPEATS = 15
BULK = 500
WORKERS = 2
BULK_TARGET = 20  # certificates/s in every form, local timestamp authority

_FORMS_WORKER = """
import json, resource, sys, time
import django

django.setup()
from certificates.credentials.openbadge import openbadge_jwt
from certificates.europass import europass_sealed
from certificates.models import Certificate

edition, index, count = map(int, sys.argv[1:])
ids = list(
    Certificate.objects.filter(enrolment__edition_id=edition)
    .order_by("pk")
    .values_list("pk", flat=True)
)[index::count]
cpu = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
started = time.time()
for certificate in Certificate.objects.filter(pk__in=ids):
    openbadge_jwt(certificate=certificate)
    europass_sealed(certificate=certificate)
print(json.dumps({
    "handled": len(ids),
    "started": started,
    "finished": time.time(),
    "cpu": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]) - cpu,
}))
"""


def _ms(fn) -> float:
    return median_ms(fn, repeats=REPEATS, digits=1)


def _certificate(ctx):
    from certificates import services
    from certificates.models import Certificate, CertificateStatus

    from .certificates import _edition, _signing

    _signing(ctx)
    certificate = (
        Certificate.objects.filter(status=CertificateStatus.VALID)
        .exclude(printed={})
        .order_by("-pk")
        .first()
    )
    if certificate is None:
        enrolment = _edition(1).enrolments.get()
        certificate = services.certificate_issue(enrolment=enrolment, actor=None)
    return certificate


def _sign_rows(certificate) -> list[Row]:
    """B-LTA (the key's timestamp authority and validation data) against B-B
    (the same key without them), on the same rendered PDF."""
    from certificates import services
    from certificates.pdf import CertificateRenderer
    from certificates.signing import pdf_sign, signing_key_load

    key = signing_key_load()
    if key.ltv is None:
        return [error_row("credential B-LTA sign one", "no timestamp authority")]
    plain = dataclasses.replace(key, ltv=None, bytes_reserved=None)
    url = services.verification_url(code=certificate.verification_code)
    pdf = CertificateRenderer(
        certificate=certificate,
        issuer=services.issuer_default(),
        verification_url=url,
    ).generate()[2]
    lta = _ms(lambda: pdf_sign(pdf=pdf, key=key))
    bb = _ms(lambda: pdf_sign(pdf=pdf, key=plain))
    lta_bytes = len(pdf_sign(pdf=pdf, key=key))
    bb_bytes = len(pdf_sign(pdf=pdf, key=plain))
    return [
        Row(
            "credential B-LTA sign one (PAdES, local TSA)",
            lta,
            "ms",
            note=f"{lta / bb:.1f}x B-B; {lta_bytes - bb_bytes} B more than B-B",
        ),
        Row("credential B-B sign one (PAdES, no timestamp)", bb, "ms"),
    ]


def _openbadge_rows(certificate) -> list[Row]:
    from certificates.credentials.openbadge import openbadge_jwt
    from certificates.credentials.verify import openbadge_verify

    token = openbadge_jwt(certificate=certificate)  # its status bit, once
    return [
        Row(
            "credential OB 3.0 build + sign (VC-JWT)",
            _ms(lambda: openbadge_jwt(certificate=certificate)),
            "ms",
        ),
        Row(
            "credential OB 3.0 verify (JWKS, status list)",
            _ms(lambda: openbadge_verify(token=token)),
            "ms",
        ),
    ]


def _europass_rows(certificate) -> list[Row]:
    from certificates.europass import europass_build, europass_seal, europass_validate

    document = europass_build(certificate=certificate)
    violations = europass_validate(document)  # parses the shapes once
    sealed = europass_seal(document=document)

    def build_and_seal() -> bytes:
        return europass_seal(document=europass_build(certificate=certificate))

    return [
        Row(
            "credential EDC build + seal",
            _ms(build_and_seal),
            "ms",
            note=f"certificate {certificate.serial}, {certificate.kind}",
        ),
        Row(
            "credential EDC SHACL validation",
            _ms(lambda: europass_validate(document)),
            "ms",
            target="= 0 violations",
            meets=not violations,
            note=f"{len(violations)} violations",
        ),
        Row("credential EDC size", round(len(sealed) / 1024, 1), "KiB"),
    ]


def _span(reports: list[dict]) -> float:
    return max(r["finished"] for r in reports) - min(r["started"] for r in reports)


def _cpu_ms(reports: list[dict], count: int) -> float:
    """The workers' CPU time (user + system) per certificate, ms: unlike the
    rate, it hardly depends on what else the machine runs."""
    return 1000 * sum(r.get("cpu", 0) for r in reports) / max(count, 1)


def _bulk_note(issued: list[dict], formed: list[dict], made: int) -> str:
    load = os.getloadavg()[0]
    issue_ms, forms_ms = _cpu_ms(issued, made), _cpu_ms(formed, made)
    return (
        f"{made} issued in {_span(issued):.1f} s, their OB + EDC in"
        f" {_span(formed):.1f} s; {WORKERS} workers; CPU per certificate"
        f" {issue_ms + forms_ms:.0f} ms (issue {issue_ms:.0f}, OB + EDC"
        f" {forms_ms:.0f}); load {load:.1f} at the end"
    )


def _bulk_row(ctx, env) -> Row:
    """BULK certificates in every form: issued (signed PDF), then their Open
    Badge and EDC, two workers each phase; the rate over both phases' work."""
    from django.db import transaction

    from certificates.models import Certificate, IssueRun
    from certificates.services import run_items_create

    from .certificates import _WORKER, _edition, workers_run

    name = f"credential bulk {BULK} in all forms (PDF B-LTA, OB, EDC)"
    edition = _edition(BULK)
    with transaction.atomic():
        run = IssueRun.objects.create(edition=edition)
        run_items_create(run=run, enrolments=list(edition.enrolments.all()))
    issued = workers_run(ctx, env, _WORKER, [[str(run.pk)]] * WORKERS)
    if isinstance(issued, str):
        return error_row(name, issued)
    argv = [[str(edition.pk), str(i), str(WORKERS)] for i in range(WORKERS)]
    formed = workers_run(ctx, env, _FORMS_WORKER, argv)
    if isinstance(formed, str):
        return error_row(name, formed)
    made = Certificate.objects.filter(enrolment__edition=edition).count()
    handled = sum(r["handled"] for r in formed)
    seconds = _span(issued) + _span(formed)
    rate = round(made / seconds, 1)
    return Row(
        name,
        rate,
        "certs/s",
        f">= {BULK_TARGET}",
        rate >= BULK_TARGET and made == handled == BULK,
        _bulk_note(issued, formed, made),
    )


def run(ctx) -> list[Row]:
    from .certificates import _signing

    try:
        certificate = _certificate(ctx)
        env = _signing(ctx)
    except Exception as error:  # noqa: BLE001 - one error row, not a crash
        return [error_row("credential (setup)", error)]
    return [
        *_sign_rows(certificate),
        *_openbadge_rows(certificate),
        *_europass_rows(certificate),
        _bulk_row(ctx, env),
    ]
