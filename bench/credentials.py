"""Europass rows (issue 21): one certificate as a Europass Digital Credential,
built and sealed (JWS with the school's chain), its SHACL validation against
the EDC generic profile, and its size.

Runs after bench.certificates, on the last certificate it issued (or one it
issues on an edition of its own when run alone), with the same development key
(bench/out/signing/). Figures are the median of REPEATS
in-process runs; the shapes are parsed once per process, before the timing.
"""

from __future__ import annotations

from .report import Row, error_row
from .timing import median_ms

NAME = "europass"
REPEATS = 15


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


def run(ctx) -> list[Row]:
    from certificates.europass import (
        europass_build,
        europass_seal,
        europass_validate,
    )

    try:
        certificate = _certificate(ctx)
    except Exception as error:  # noqa: BLE001 - one error row, not a crash
        return [error_row("credential EDC (setup)", error)]
    document = europass_build(certificate=certificate)
    violations = europass_validate(document)  # parses the shapes once
    sealed = europass_seal(document=document)

    def build_and_seal() -> bytes:
        return europass_seal(document=europass_build(certificate=certificate))

    return [
        Row(
            "credential EDC build + seal",
            median_ms(build_and_seal, repeats=REPEATS, digits=1),
            "ms",
            note=f"certificate {certificate.serial}, {certificate.kind}",
        ),
        Row(
            "credential EDC SHACL validation",
            median_ms(lambda: europass_validate(document), repeats=REPEATS, digits=1),
            "ms",
            target="= 0 violations",
            meets=not violations,
            note=f"{len(violations)} violations",
        ),
        Row("credential EDC size", round(len(sealed) / 1024, 1), "KiB"),
    ]
