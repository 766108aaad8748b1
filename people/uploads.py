"""What a graduate's CV and photo may be, decided by parsing them, never by their
name or first bytes (finding 31).

A CV is a PDF that pypdf reads: not encrypted, at most CV_MAX_PAGES pages and
CV_MAX_OBJECTS objects, its streams expanding to at most CV_MAX_EXPANDED_BYTES
in all (zlib bombs), and free of active content (scripts, actions run on
opening, launch and form-submission actions, attachments, embedded media, XFA
forms). What is stored is pypdf's rewrite of what it parsed, named .pdf.

A photo is a JPEG or PNG that Pillow decodes, of at most PHOTO_MAX_PIXELS
pixels (decompression bombs are refused from the header, before decoding); it
is stored re-encoded as a JPEG of at most PHOTO_SIDE pixels a side, without its
metadata (EXIF, GPS position, comments) or anything appended to it.

pypdf runs in production here: it must be a main dependency (pyproject.toml).
"""

import io

import pypdf
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from .exceptions import PeopleError

CV_MAX_BYTES = 5 * 1024 * 1024
CV_MAX_PAGES = 20
CV_MAX_OBJECTS = 20_000
CV_MAX_EXPANDED_BYTES = 25 * 1024 * 1024
PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_SIDE = 1024

# Names that mark active content wherever they appear, as a key or as a value
# (an action's /S, an annotation's /Subtype, a name tree's key).
ACTIVE_NAMES = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/AA",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/FileAttachment",
        "/RichMedia",
        "/RichMediaContent",
        "/RichMediaExecute",
        "/XFA",
        "/SubmitForm",
        "/ImportData",
        "/GoToE",
        "/GoToR",
        "/Rendition",
        "/Movie",
        "/Sound",
    }
)
# Image codecs do not expand a stream by orders of magnitude: not decoded here.
IMAGE_FILTERS = frozenset(
    {"/DCTDecode", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode"}
)


def _filters(stream: StreamObject) -> list[str]:
    value = stream.get("/Filter")
    if value is None:
        return []
    value = value.get_object()
    if isinstance(value, ArrayObject):
        return [str(item.get_object()) for item in value]
    return [str(value)]


def _open_action_check(value) -> None:
    """A document may open at a page (a destination, or a GoTo action); any
    other action run on opening is refused."""
    value = value.get_object()
    if isinstance(value, DictionaryObject) and value.get("/S") != "/GoTo":
        raise PeopleError(PeopleError.CV_ACTIVE_CONTENT, field="cv")


def _pdf_walk(reader: pypdf.PdfReader) -> None:
    """Visit every object reachable from the trailer once: refuse active content,
    too many objects, and streams that expand past the cap in all."""
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    expanded = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > CV_MAX_OBJECTS:
                raise PeopleError(PeopleError.CV_TOO_COMPLEX, field="cv")
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for name, value in item.items():
                if name in ACTIVE_NAMES:
                    raise PeopleError(PeopleError.CV_ACTIVE_CONTENT, field="cv")
                if name == "/OpenAction":
                    _open_action_check(value)
                stack.append(value)
            if isinstance(item, StreamObject):
                filters = _filters(item)
                if not IMAGE_FILTERS.intersection(filters) or len(filters) > 1:
                    expanded += len(item.get_data())
                    if expanded > CV_MAX_EXPANDED_BYTES:
                        raise PeopleError(PeopleError.CV_TOO_COMPLEX, field="cv")
        elif isinstance(item, ArrayObject):
            stack.extend(item)
        elif str(item) in ACTIVE_NAMES:
            raise PeopleError(PeopleError.CV_ACTIVE_CONTENT, field="cv")


def cv_clean(*, upload: UploadedFile) -> ContentFile:
    """The CV as it will be stored (a rewritten PDF named cv.pdf), or PeopleError
    saying why it is refused."""
    if upload.size > CV_MAX_BYTES:
        raise PeopleError(PeopleError.CV_TOO_LARGE, field="cv")
    upload.seek(0)
    data = upload.read(CV_MAX_BYTES + 1)
    if not data.startswith(b"%PDF-"):
        raise PeopleError(PeopleError.CV_NOT_PDF, field="cv")
    limits = dict.fromkeys(
        (
            "zlib_maximum_output_length",
            "lzw_maximum_output_length",
            "run_length_maximum_output_length",
            "brotli_maximum_output_length",
            "jbig2_maximum_output_length",
            "array_based_stream_maximum_output_length",
            "image_maximum_buffer_size",
            "stream_decoding_work_maximum_length",
        ),
        CV_MAX_EXPANDED_BYTES,
    )
    try:
        with pypdf.apply_configuration(**limits):
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise PeopleError(PeopleError.CV_ENCRYPTED, field="cv")
            pages = len(reader.pages)
            if pages == 0:
                raise PeopleError(PeopleError.CV_NOT_PDF, field="cv")
            if pages > CV_MAX_PAGES:
                raise PeopleError(PeopleError.CV_TOO_MANY_PAGES, field="cv")
            _pdf_walk(reader)
            writer = pypdf.PdfWriter(clone_from=reader)
            output = io.BytesIO()
            writer.write(output)
    except PeopleError:
        raise
    except LimitReachedError:
        raise PeopleError(PeopleError.CV_TOO_COMPLEX, field="cv") from None
    except RecursionError:
        raise PeopleError(PeopleError.CV_TOO_COMPLEX, field="cv") from None
    except Exception:  # noqa: BLE001 - any failure to parse hostile input is a refusal
        raise PeopleError(PeopleError.CV_NOT_PDF, field="cv") from None
    return ContentFile(output.getvalue(), name="cv.pdf")


def photo_clean(*, upload: UploadedFile) -> ContentFile:
    """The photo as it will be stored (a re-encoded JPEG named photo.jpg), or
    PeopleError saying why it is refused."""
    if upload.size > PHOTO_MAX_BYTES:
        raise PeopleError(PeopleError.PHOTO_TOO_LARGE, field="photo")
    upload.seek(0)
    try:
        with Image.open(upload, formats=["JPEG", "PNG"]) as image:
            width, height = image.size
            if width * height > PHOTO_MAX_PIXELS:
                raise PeopleError(PeopleError.PHOTO_TOO_MANY_PIXELS, field="photo")
            image.load()
            picture = ImageOps.exif_transpose(image)
            if "A" in picture.getbands() or picture.mode == "P":
                rgba = picture.convert("RGBA")
                picture = Image.new("RGB", rgba.size, "white")
                picture.paste(rgba, mask=rgba.getchannel("A"))
            picture = picture.convert("RGB")
            picture.thumbnail((PHOTO_SIDE, PHOTO_SIDE))
            output = io.BytesIO()
            picture.save(output, format="JPEG", quality=85, optimize=True)
    except PeopleError:
        raise
    except Image.DecompressionBombError:
        raise PeopleError(PeopleError.PHOTO_TOO_MANY_PIXELS, field="photo") from None
    except Exception:  # noqa: BLE001 - any failure to decode hostile input is a refusal
        raise PeopleError(PeopleError.PHOTO_NOT_IMAGE, field="photo") from None
    return ContentFile(output.getvalue(), name="photo.jpg")
