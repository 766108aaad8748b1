"""Certificates are signed PAdES B-LTA (issue 21): the signature timestamped
(RFC 3161), the validation data (certificates, OCSP, CRLs) in a DSS, and a
document timestamp over them. Checked with pyHanko's ETSI EN 319 102-1
validation (only what the file holds: nothing fetched) and poppler's pdfsig,
with the test PKI (certomancer) as in production and the development PKI as
`make run` has it."""

import asyncio
import re
import shutil
import subprocess
from io import BytesIO

import pytest
from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.ades import ades_lta_validation
from pyhanko.sign.validation.policy_decl import (
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy
from pyhanko_certvalidator.registry import SimpleTrustManager

from certificates.signing import DEV_CA_NAME, SIGNATURE_FIELD, signing_key_load

pytestmark = pytest.mark.django_db

needs_pdfsig = pytest.mark.skipif(
    not shutil.which("pdfsig"), reason="poppler-utils (pdfsig) not installed"
)


def _pdf(certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def etsi_lta_validation(pdf: bytes, *, trust_roots):
    """pyHanko's AdES LTA validation of the school's signature, with
    `trust_roots` as the only anchors and nothing but the file's own
    validation data (no fetching)."""
    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=CertValidationPolicySpec(
                trust_manager=SimpleTrustManager.build(trust_roots=trust_roots),
                revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO),
            ),
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
            ),
        )
    )
    reader = PdfFileReader(BytesIO(pdf))
    embedded = next(
        s for s in reader.embedded_regular_signatures if s.field_name == SIGNATURE_FIELD
    )
    return asyncio.run(ades_lta_validation(embedded, spec))


def _assert_lta(pdf: bytes, *, trust_roots) -> None:
    reader = PdfFileReader(BytesIO(pdf))
    assert "/DSS" in reader.root
    dss = reader.root["/DSS"]
    assert dss.get("/Certs") and (dss.get("/OCSPs") or dss.get("/CRLs"))
    [signature] = reader.embedded_regular_signatures
    timestamps = reader.embedded_timestamp_signatures
    assert timestamps and timestamps[-1].signed_revision > signature.signed_revision
    result = etsi_lta_validation(pdf, trust_roots=trust_roots)
    assert result.ades_subindic.status.name == "PASSED", result.ades_subindic
    status = result.api_status
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
    assert status.timestamp_validity is not None  # the signature's own timestamp
    assert result.oldest_evidence_record_timestamp is not None  # document timestamp


def _pdfsig(path) -> list[str]:
    """pdfsig's report, one block per signature."""
    out = subprocess.run(
        ["pdfsig", "-nocert", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return re.split(r"\nSignature #\d+:", out)[1:]


def test_signed_with_the_test_pki_is_b_lta(pki_certificate, local_pki):
    pdf = _pdf(pki_certificate)
    root = local_pki.arch.get_cert("root")
    _assert_lta(pdf, trust_roots=[root])
    dss = PdfFileReader(BytesIO(pdf)).root["/DSS"]
    # OCSP for the school's certificate (its intermediate's responder), CRLs for
    # the intermediate and the timestamp authority (the root's CRL).
    assert len(dss["/OCSPs"]) >= 1 and len(dss["/CRLs"]) >= 1


def test_signed_with_the_development_pki_is_b_lta(certificate):
    """What `make run` does: the development PKI, nothing on the network."""
    key = signing_key_load()
    assert key.ltv is not None and not key.ltv.fetching
    _assert_lta(_pdf(certificate), trust_roots=key.trust_roots)


def test_another_trust_anchor_does_not_pass(pki_certificate, signing_key):
    """The validation really checks the chain: with the development root as
    the only anchor, the test PKI's signature does not pass."""
    _type, _headers, der = asn1_pem.unarmor(
        (signing_key.parent / DEV_CA_NAME).read_bytes()
    )
    result = etsi_lta_validation(
        _pdf(pki_certificate), trust_roots=[asn1_x509.Certificate.load(der)]
    )
    assert result.ades_subindic.status.name != "PASSED"


@needs_pdfsig
@pytest.mark.parametrize("pki", ["test", "development"])
def test_pdfsig_valid_and_the_last_revision_wholly_signed(request, pki, tmp_path):
    fixture = "pki_certificate" if pki == "test" else "certificate"
    certificate = request.getfixturevalue(fixture)
    pdf = _pdf(certificate)
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    signature, timestamp = _pdfsig(path)
    assert "Signature Field Name: " + SIGNATURE_FIELD in signature
    assert "Signature is Valid." in signature
    assert "Signature Type: ETSI.CAdES.detached" in signature
    # The document timestamp is the last revision: it covers the whole file.
    assert "Total document signed" in timestamp
    # The revision the school signed, on its own, is wholly signed and valid.
    ranges = re.search(
        r"Signed Ranges: \[(\d+) - (\d+)\], \[(\d+) - (\d+)\]", signature
    )
    signed = tmp_path / "signed-revision.pdf"
    signed.write_bytes(pdf[: int(ranges.group(4))])
    [alone] = _pdfsig(signed)
    assert "Signature is Valid." in alone and "Total document signed" in alone


def test_no_timestamp_authority_answer_refuses_with_a_message(pki_key, site, settings):
    """A timestamp authority down: a message, no certificate, no serial lost
    to a half-lasting PDF."""
    from certificates import services
    from certificates.exceptions import CertificateError
    from certificates.models import Certificate
    from tests.factories import edition_completed

    settings.MAKERS_TSA_URL = "http://127.0.0.1:9/tsa"  # nothing listens there
    _edition, _sessions, enrolments = edition_completed(trainees=1)
    with pytest.raises(CertificateError, match="could not be signed for the long"):
        services.certificate_issue(enrolment=enrolments[0], actor=None)
    assert not Certificate.objects.exists()


def _signed_digest_by_pyhanko(pdf: bytes) -> str:
    reader = PdfFileReader(BytesIO(pdf))
    return reader.embedded_regular_signatures[-1].compute_digest("sha256").hex()


def test_a_batch_shares_its_validation_data_and_each_pdf_is_b_lta(pki_key, site):
    """Several certificates signed in a row share one validation context (the
    chain, OCSP and CRLs fetched once): each PDF still carries all of them and
    passes on its own; the digest the issue stores is pyHanko's own."""
    from certificates import services
    from tests.factories import edition_completed

    _edition, _sessions, enrolments = edition_completed(trainees=2)
    first, second = (
        services.certificate_issue(enrolment=enrolment, actor=None)
        for enrolment in enrolments
    )
    ltv = signing_key_load().ltv
    assert ltv.validation_context() is ltv.validation_context()
    root = pki_key.arch.get_cert("root")
    for certificate in (first, second):
        pdf = _pdf(certificate)
        _assert_lta(pdf, trust_roots=[root])
        dss = PdfFileReader(BytesIO(pdf)).root["/DSS"]
        assert len(dss["/OCSPs"]) >= 1 and len(dss["/CRLs"]) >= 1
        assert certificate.signed_digest == _signed_digest_by_pyhanko(pdf)


def test_the_shared_context_is_renewed_after_its_time(pki_key, monkeypatch):
    from certificates.signing import ltv as ltv_module

    ltv = signing_key_load().ltv
    kept = ltv.validation_context()
    monkeypatch.setattr(ltv_module, "CONTEXT_SECONDS", -1)
    assert ltv.validation_context() is not kept


def test_the_stored_digest_is_pyhankos_with_the_development_pki(certificate):
    from certificates.signing import signed_revision_digest

    pdf = _pdf(certificate)
    assert certificate.signed_digest == _signed_digest_by_pyhanko(pdf)
    # No /ByteRange after the given offset: pyHanko reads the file instead.
    assert signed_revision_digest(
        signed=pdf, unsigned_length=len(pdf)
    ) == _signed_digest_by_pyhanko(pdf)
