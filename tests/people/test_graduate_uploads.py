"""A graduate's CV and photo: parsed, never trusted by name or first bytes
(finding 31), and no file left on disk once replaced, removed or erased
(finding 27). Every hostile file is built here."""

import io
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)
from reportlab.pdfgen import canvas

from people import services
from people.exceptions import PeopleError
from people.models import GraduateProfile
from tests.factories import PASSWORD, GraduateProfileFactory, TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The refusals are checked by their English words."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.MAKERS_PRIVATE_ROOT = tmp_path
    return tmp_path


def cv_pdf(text: str = "Maria Rossi - tecnica CNC", pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for _ in range(pages):
        pdf.drawString(72, 720, text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _pdf_with(change) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(cv_pdf())))
    change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _js_action(code: str = "app.alert('x')") -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(code),
        }
    )


def _open_action_js(writer):
    writer._root_object[NameObject("/OpenAction")] = _js_action()


def _page_additional_action(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): _js_action()}
    )


def _document_javascript(writer):
    """A document-level script in the /Names tree."""
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {
            NameObject("/JavaScript"): DictionaryObject(
                {
                    NameObject("/Names"): ArrayObject(
                        [TextStringObject("x"), writer._add_object(_js_action())]
                    )
                }
            )
        }
    )


def _launch(writer):
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("calc.exe"),
        }
    )


def _attachment(writer):
    writer.add_attachment("payload.exe", b"MZ\x90\x00")


def _xfa(writer):
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject(),
            NameObject("/XFA"): TextStringObject("<xdp:xdp/>"),
        }
    )


def _rich_media(writer):
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/RichMedia"),
            NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject(
        [writer._add_object(annotation)]
    )


def _zlib_bomb(writer):
    """40 MB of zeros in a stream of a few dozen KB."""
    stream = StreamObject()
    stream._data = zlib.compress(b"\0" * (40 * 1024 * 1024), 9)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    stream[NameObject("/Length")] = NumberObject(len(stream._data))
    page = writer.pages[0]
    contents = page["/Contents"]
    page[NameObject("/Contents")] = ArrayObject([contents, writer._add_object(stream)])


HOSTILE_PDFS = {
    "open_action_javascript": (_open_action_js, "active content"),
    "page_additional_action": (_page_additional_action, "active content"),
    "document_javascript": (_document_javascript, "active content"),
    "launch": (_launch, "active content"),
    "embedded_file": (_attachment, "active content"),
    "xfa_form": (_xfa, "active content"),
    "rich_media": (_rich_media, "active content"),
    "zlib_bomb": (_zlib_bomb, "25 MB"),
}


def _upload(name: str, data: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, data, content_type)


def _files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("kind", list(HOSTILE_PDFS))
def test_hostile_pdf_is_refused_and_changes_nothing(private_root, kind):
    change, message = HOSTILE_PDFS[kind]
    profile = GraduateProfileFactory(headline="Prima")
    with pytest.raises(PeopleError, match=message) as refused:
        services.graduate_profile_update(
            profile=profile,
            data={"headline": "Dopo"},
            cv=_upload("cv.pdf", _pdf_with(change)),
        )
    assert refused.value.field == "cv"
    profile.refresh_from_db()
    assert not profile.cv and profile.headline == "Prima"
    assert _files(private_root) == []


def test_pdf_header_with_html_inside_is_refused(private_root):
    polyglot = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script>"
    profile = GraduateProfileFactory()
    with pytest.raises(PeopleError, match="PDF"):
        services.graduate_profile_update(
            profile=profile, data={}, cv=_upload("cv.html", polyglot)
        )
    assert _files(private_root) == []


def test_too_many_pages_and_encrypted_pdfs_are_refused():
    profile = GraduateProfileFactory()
    with pytest.raises(PeopleError, match="20"):
        services.graduate_profile_update(
            profile=profile, data={}, cv=_upload("cv.pdf", cv_pdf(pages=21))
        )
    with pytest.raises(PeopleError, match="protected"):
        services.graduate_profile_update(
            profile=profile,
            data={},
            cv=_upload("cv.pdf", _pdf_with(lambda w: w.encrypt("segreto"))),
        )


def test_a_real_cv_is_stored_as_pdf_whatever_its_name():
    profile = GraduateProfileFactory()
    services.graduate_profile_update(
        profile=profile,
        data={},
        cv=_upload("curriculum.html", cv_pdf(), "text/html"),
    )
    profile.refresh_from_db()
    assert profile.cv.name.endswith(".pdf") and "curriculum" not in profile.cv.name
    with profile.cv.open("rb") as stored:
        reader = PdfReader(stored)
        assert "Maria Rossi" in reader.pages[0].extract_text()


def test_a_pdf_opening_at_a_page_is_accepted():
    def open_at_first_page(writer):
        writer._root_object[NameObject("/OpenAction")] = ArrayObject(
            [writer.pages[0].indirect_reference, NameObject("/Fit")]
        )

    profile = GraduateProfileFactory()
    services.graduate_profile_update(
        profile=profile, data={}, cv=_upload("cv.pdf", _pdf_with(open_at_first_page))
    )
    profile.refresh_from_db()
    assert profile.cv


def _image(fmt: str, size=(640, 480), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def test_photo_is_reencoded_as_jpeg_without_metadata_or_appended_html():
    exif = Image.Exif()
    exif[0x010E] = "Via Roma 1, Torino"  # ImageDescription
    exif[0x013B] = "Maria Rossi"  # Artist
    data = _image("JPEG", exif=exif.tobytes()) + b"<html><script>x()</script></html>"
    profile = GraduateProfileFactory()
    services.graduate_profile_update(
        profile=profile, data={}, photo=_upload("me.html", data, "text/html")
    )
    profile.refresh_from_db()
    assert profile.photo.name.endswith(".jpg")
    stored = profile.photo.read()
    assert b"<html" not in stored and b"Via Roma" not in stored
    assert b"Maria Rossi" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and not image.getexif()


def test_large_png_photo_is_scaled_down_to_a_jpeg():
    profile = GraduateProfileFactory()
    services.graduate_profile_update(
        profile=profile,
        data={},
        photo=_upload("me.png", _image("PNG", size=(3000, 2000)), "image/png"),
    )
    profile.refresh_from_db()
    with Image.open(profile.photo) as image:
        assert image.format == "JPEG" and max(image.size) == 1024


def test_gif_html_polyglot_and_pixel_bomb_are_refused(private_root):
    polyglot = _image("GIF") + b"<html><script>alert(1)</script></html>"
    profile = GraduateProfileFactory()
    with pytest.raises(PeopleError, match="JPEG or PNG"):
        services.graduate_profile_update(
            profile=profile, data={}, photo=_upload("me.gif", polyglot, "image/gif")
        )
    # 20,000 x 20,000 pixels of one colour: a few hundred KB as a PNG.
    bomb = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(bomb, format="PNG")
    with pytest.raises(PeopleError, match="40 million"):
        services.graduate_profile_update(
            profile=profile, data={}, photo=_upload("me.png", bomb.getvalue())
        )
    profile.refresh_from_db()
    assert not profile.photo and _files(private_root) == []


def test_refusal_is_a_form_error_on_the_field(client, site):
    profile = GraduateProfileFactory(headline="Prima")
    client.force_login(profile.user)
    response = client.post(
        reverse("portal:profile"),
        {
            "action": "save",
            "headline": "Dopo",
            "availability": "open_to_work",
            "cv": _upload("cv.pdf", _pdf_with(_open_action_js)),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cv"] == [str(PeopleError.CV_ACTIVE_CONTENT)]
    profile.refresh_from_db()
    assert profile.headline == "Prima" and not profile.cv


def test_replaced_and_removed_files_leave_the_disk(
    private_root, django_capture_on_commit_callbacks
):
    profile = GraduateProfileFactory()
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            services.graduate_profile_update(
                profile=profile,
                data={},
                cv=_upload("cv.pdf", cv_pdf()),
                photo=_upload("me.jpg", _image("JPEG")),
            )
    profile.refresh_from_db()
    assert _files(private_root) == sorted([profile.cv.name, profile.photo.name])
    with django_capture_on_commit_callbacks(execute=True):
        services.graduate_profile_update(
            profile=profile, data={}, remove_cv=True, remove_photo=True
        )
    assert _files(private_root) == []


def test_account_erasure_empties_the_persons_folder(
    client, site, private_root, django_capture_on_commit_callbacks
):
    profile = GraduateProfileFactory(user=TraineeFactory())
    folder = private_root / "graduates" / profile.public_id
    services.graduate_profile_update(
        profile=profile, data={}, cv=_upload("cv.pdf", cv_pdf())
    )
    # An earlier file left behind by a version that did not clean up.
    (folder / "0123456789abcdef.pdf").write_bytes(cv_pdf())
    client.login(email=profile.user.email, password=PASSWORD)
    ask = client.post(reverse("portal:account_delete"), {"confirm": profile.user.email})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ask["Location"], {"password": PASSWORD})
    assert not GraduateProfile.objects.filter(pk=profile.pk).exists()
    assert not folder.exists() or not any(folder.iterdir())


def test_profile_page_offers_removal_only_of_files_there_are(client, site):
    profile = GraduateProfileFactory(show_photo=True)
    client.force_login(profile.user)
    page = client.get(reverse("portal:profile")).content.decode()
    assert 'name="remove_cv"' not in page and 'name="remove_photo"' not in page
    services.graduate_profile_update(
        profile=profile,
        data={},
        cv=_upload("cv.pdf", cv_pdf()),
        photo=_upload("me.jpg", _image("JPEG")),
    )
    page = client.get(reverse("portal:profile")).content.decode()
    assert 'name="remove_cv"' in page and 'name="remove_photo"' in page
    # The owner's own photo, in the form and in the preview, from the owner's
    # view (the companies' photo URL answers 403 to the owner).
    photo_url = reverse("portal:profile_file", args=["photo"])
    assert page.count(f'src="{photo_url}"') == 2
    assert client.get(photo_url)["Content-Type"] == "image/jpeg"
