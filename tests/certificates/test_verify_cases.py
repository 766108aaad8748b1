"""/verify/ accepts what the PDF signature standard accepts (issue 21): a
certificate is identified by its signature (the digest of the signed
revision); incremental updates that only add validation data or document
timestamps leave it genuine, anything else makes it modified; a revoked or
superseded certificate never opens with a green line. Real files for each
case, made with pyHanko."""

import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.validation import add_validation_info

from certificates import services
from certificates.issuing import issuer_default, verification_url
from certificates.models import Certificate
from certificates.pdf import CertificateRenderer
from certificates.signing import (
    DEV_PASSPHRASE_NAME,
    dev_signing_key_create,
    pdf_sign,
    signing_key_load,
)
from certificates.signing.sign import outside_any_event_loop

pytestmark = pytest.mark.django_db

_FIRST_ALERT = re.compile(r'class="alert alert-(\w+)"')


def _pdf(certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def _dss_added(pdf: bytes) -> bytes:
    """What Acrobat's "add verification information" does: a revision with
    validation data for the signature."""
    reader = PdfFileReader(BytesIO(pdf))
    [embedded] = reader.embedded_regular_signatures
    context = signing_key_load().ltv.validation_context()
    out = outside_any_event_loop(
        lambda: add_validation_info(
            embedded, context, output=BytesIO(), force_write=True
        )
    )
    return out.getvalue()


def _timestamp_added(pdf: bytes) -> bytes:
    """What the school's archival re-timestamping does: a document timestamp."""
    timestamper = signers.PdfTimeStamper(signing_key_load().ltv.timestamper)
    out = outside_any_event_loop(
        lambda: timestamper.timestamp_pdf(
            IncrementalPdfFileWriter(BytesIO(pdf)), "sha256", output=BytesIO()
        )
    )
    return out.getvalue()


def _annotation_added(pdf: bytes) -> bytes:
    """A note stuck on the page after signing: not what PAdES allows."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    note = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Annot"),
                generic.NameObject("/Subtype"): generic.NameObject("/Text"),
                generic.NameObject("/Rect"): generic.ArrayObject(
                    [generic.NumberObject(n) for n in (100, 100, 120, 120)]
                ),
                generic.NameObject("/Contents"): generic.TextStringObject(
                    "Voto: 30 e lode"
                ),
            }
        )
    )
    annotations = page.get("/Annots") or generic.ArrayObject()
    annotations.append(note)
    page[generic.NameObject("/Annots")] = annotations
    writer.update_container(page)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _one_byte_changed(pdf: bytes) -> bytes:
    content = bytearray(pdf)
    content[len(content) // 3] ^= 0x01  # inside the signed page content
    return bytes(content)


def _signed_by_another_key(certificate, tmp_path, settings) -> bytes:
    """The same certificate drawn again and signed with a key that is not the
    school's."""
    _name, _mime, content = CertificateRenderer(
        certificate=certificate,
        issuer=issuer_default(),
        verification_url=verification_url(code=certificate.verification_code),
    ).generate()
    school = settings.MAKERS_SIGNING_P12, settings.MAKERS_SIGNING_PASSPHRASE_FILE
    other = dev_signing_key_create(directory=tmp_path / "other")
    settings.MAKERS_SIGNING_P12 = str(other)
    settings.MAKERS_SIGNING_PASSPHRASE_FILE = tmp_path / "other" / DEV_PASSPHRASE_NAME
    signed = pdf_sign(pdf=content, key=signing_key_load())
    settings.MAKERS_SIGNING_P12, settings.MAKERS_SIGNING_PASSPHRASE_FILE = school
    return signed


def _upload(client, content: bytes) -> tuple[str, dict]:
    """The upload page's result section and the JSON API's answer."""
    upload = {"pdf": SimpleUploadedFile("c.pdf", content, "application/pdf")}
    # The JSON API (no language prefix) leaves its language active in this
    # thread: the page's URL is the English one each time.
    with translation.override("en"):
        page = reverse("certificates:verify_start")
    response = client.post(page, upload)
    assert response.status_code == 200
    html = response.content.decode()
    section = html[html.index('id="upload-result"') : html.index("Digital signature")]
    upload = {"pdf": SimpleUploadedFile("c.pdf", content, "application/pdf")}
    data = client.post(reverse("certificates_api:upload"), upload).json()
    return section.replace("&#x27;", "'"), data


def _first_alert(section: str) -> str:
    return _FIRST_ALERT.search(section).group(1)


def _assert_genuine(client, certificate, content: bytes) -> dict:
    section, data = _upload(client, content)
    assert _first_alert(section) == "success"
    assert f"This file is certificate {certificate.serial}" in section
    assert "Valid certificate" in section
    assert data["identified"] and not data["modified"]
    assert data["certificate"]["serial"] == certificate.serial
    assert data["signature"]["genuine"] is True
    return data


def _assert_modified(client, certificate, content: bytes) -> dict:
    section, data = _upload(client, content)
    assert _first_alert(section) == "danger"
    assert "it was modified after the school signed it" in section
    assert "Valid certificate" not in section
    assert data["modified"] and data["signature"]["genuine"] is False
    assert data["certificate"]["serial"] == certificate.serial
    return data


def test_genuine_as_issued(client, certificate):
    data = _assert_genuine(client, certificate, _pdf(certificate))
    assert data["signature"]["long_term"] is True
    assert data["signature"]["document_timestamps"] == 1


def test_genuine_as_issued_with_the_test_pki(client, pki_certificate):
    data = _assert_genuine(client, pki_certificate, _pdf(pki_certificate))
    assert data["signature"]["long_term"] is True


def test_one_byte_changed_is_not_a_certificate(client, certificate):
    section, data = _upload(client, _one_byte_changed(_pdf(certificate)))
    assert _first_alert(section) == "danger"
    assert "not, byte for byte, a certificate the school issued" in section
    assert not data["identified"] and data["signature"]["intact"] is False


def test_dss_added_is_still_genuine(client, certificate):
    original = _pdf(certificate)
    content = _dss_added(original)
    assert content.startswith(original) and len(content) > len(original)
    section, data = _upload(client, content)
    assert "only where the PDF signature standard allows" in section
    data = _assert_genuine(client, certificate, content)
    assert data["signature"]["only_ltv_updates"] is True


def test_document_timestamp_added_is_still_genuine(client, certificate):
    content = _timestamp_added(_pdf(certificate))
    data = _assert_genuine(client, certificate, content)
    assert data["signature"]["document_timestamps"] == 2


def test_annotation_added_is_modified(client, certificate):
    _assert_modified(client, certificate, _annotation_added(_pdf(certificate)))


def test_annotation_after_a_timestamp_is_still_modified(client, certificate):
    content = _annotation_added(_timestamp_added(_pdf(certificate)))
    _assert_modified(client, certificate, content)


def test_signed_by_another_key_is_not_the_schools(
    client, certificate, tmp_path, settings
):
    content = _signed_by_another_key(certificate, tmp_path, settings)
    section, data = _upload(client, content)
    assert _first_alert(section) == "danger"
    assert not data["identified"] and data["certificate"] is None
    assert data["signature"]["intact"] is True
    assert data["signature"]["by_school"] is False


def test_revoked_never_opens_green(client, certificate):
    content = _timestamp_added(_pdf(certificate))
    services.certificate_revoke(certificate=certificate, actor=None, reason="Errore")
    for upload in (_pdf(certificate), content):
        section, data = _upload(client, upload)
        assert _first_alert(section) == "danger"
        assert "alert-success" not in section
        assert "Revoked certificate" in section
        assert "not valid any more" in section
        assert data["certificate"]["status"] == "revoked"


def test_superseded_never_opens_green(client, certificate):
    content = _pdf(certificate)
    services.certificate_reissue(certificate=certificate, actor=None, reason="Typo")
    certificate = Certificate.objects.get(pk=certificate.pk)
    section, data = _upload(client, content)
    assert _first_alert(section) == "warning"
    assert "alert-success" not in section
    assert "Superseded certificate" in section
    assert data["certificate"]["status"] == "superseded"


def _unreferenced_object_added(content: bytes) -> bytes:
    """A revision that adds one object nobody refers to (and a new trailer)."""
    startxref = int(re.findall(rb"startxref\s+(\d+)", content)[-1])
    size = int(re.findall(rb"/Size\s+(\d+)", content)[-1])
    root = re.findall(rb"/Root\s+(\d+\s+\d+\s+R)", content)[-1]
    body = content if content.endswith(b"\n") else content + b"\n"
    obj = f"{size} 0 obj\n(added after signing)\nendobj\n".encode()
    xref = (
        f"xref\n{size} 1\n{len(body):010d} 00000 n \n"
        f"trailer\n<< /Size {size + 1} /Root {root.decode()} /Prev {startxref} >>\n"
        f"startxref\n{len(body) + len(obj)}\n%%EOF\n"
    ).encode()
    return body + obj + xref


def test_an_update_no_reader_sees_is_judged_by_pyhanko(client, certificate):
    """pyHanko's difference analysis judges the later revisions together: an
    object nobody refers to changes nothing a reader sees, so the file is
    still the certificate (documented in docs/api.md)."""
    _assert_genuine(client, certificate, _unreferenced_object_added(_pdf(certificate)))
