"""What a scanned sign-in sheet may be, decided by parsing it, never by its name
or first bytes: the project's upload rules (people.uploads) applied to scans.

A PDF must pass people.uploads.cv_clean (parsed by pypdf, not encrypted, no
active content, bounded objects and expansion) and is stored as its rewrite; a
JPEG or PNG is decoded by Pillow (decompression bombs refused from the header)
and stored re-encoded, without metadata, at most SCAN_SIDE pixels a side
(enough to read a signature at 300 dpi on A4).
"""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps

from people.exceptions import PeopleError
from people.uploads import CV_MAX_BYTES, cv_clean

from .exceptions import AttendanceError, refuse_attendance

# As a CV: people.uploads parses PDFs up to this size.
SCAN_MAX_BYTES = CV_MAX_BYTES
SCAN_MAX_PIXELS = 60_000_000
SCAN_SIDE = 3508
SCAN_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def _pdf_clean(upload: UploadedFile) -> ContentFile:
    try:
        cleaned = cv_clean(upload=upload)
    except PeopleError as refusal:
        if refusal.message in (
            PeopleError.CV_TOO_COMPLEX,
            PeopleError.CV_ACTIVE_CONTENT,
        ):
            raise refuse_attendance("scan_too_complex") from None
        raise refuse_attendance("scan_bad_type") from None
    return ContentFile(cleaned.read(), name="scan.pdf")


def _image_clean(upload: UploadedFile) -> ContentFile:
    try:
        with Image.open(upload, formats=["JPEG", "PNG"]) as image:
            width, height = image.size
            if width * height > SCAN_MAX_PIXELS:
                raise refuse_attendance("scan_too_complex")
            kind = image.format
            image.load()
            picture = ImageOps.exif_transpose(image)
            if "A" in picture.getbands() or picture.mode == "P":
                rgba = picture.convert("RGBA")
                picture = Image.new("RGB", rgba.size, "white")
                picture.paste(rgba, mask=rgba.getchannel("A"))
            picture = picture.convert("L" if picture.mode in ("1", "L") else "RGB")
            picture.thumbnail((SCAN_SIDE, SCAN_SIDE))
            output = io.BytesIO()
            if kind == "PNG":
                picture.save(output, format="PNG", optimize=True)
                return ContentFile(output.getvalue(), name="scan.png")
            picture.save(output, format="JPEG", quality=85)
            return ContentFile(output.getvalue(), name="scan.jpg")
    except AttendanceError:
        raise
    except Image.DecompressionBombError:
        raise refuse_attendance("scan_too_complex") from None
    except Exception:  # noqa: BLE001 - any failure to decode hostile input is a refusal
        raise refuse_attendance("scan_bad_type") from None


def scan_clean(*, upload: UploadedFile) -> ContentFile:
    """The scan as it will be stored (scan.pdf, scan.jpg or scan.png), or
    AttendanceError saying why it is refused."""
    if upload.size is None or upload.size > SCAN_MAX_BYTES:
        raise refuse_attendance("scan_too_large", mb=SCAN_MAX_BYTES // (1024 * 1024))
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return _pdf_clean(upload)
    return _image_clean(upload)
