"""Structural checks of PDF/A-2b and tagged PDF, with pypdf (no veraPDF here).

Each function returns a list of problems, each naming the check that failed,
so a test asserting `== []` says what is wrong. They check what can be checked
from the file's objects and content streams; they are not a conformance
validator (no font-program, colour-space or glyph-width checks).
"""

import re
from io import BytesIO

from defusedxml import ElementTree
from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}
# Info entry -> XMP property (ISO 19005-2 6.6.3: they must be equivalent).
INFO_TO_XMP = {
    "/Title": "dc:title",
    "/Author": "dc:creator",
    "/Subject": "dc:description",
    "/Keywords": "pdf:Keywords",
    "/Creator": "xmp:CreatorTool",
    "/Producer": "pdf:Producer",
    "/CreationDate": "xmp:CreateDate",
    "/ModDate": "xmp:ModifyDate",
    "/Trapped": "pdf:Trapped",
}
STANDARD_ROLES = {
    *[
        "Document",
        "Part",
        "Art",
        "Sect",
        "Div",
        "BlockQuote",
        "Caption",
        "TOC",
        "TOCI",
        "Index",
        "NonStruct",
    ],
    *[
        "Private",
        "H",
        "H1",
        "H2",
        "H3",
        "H4",
        "H5",
        "H6",
        "P",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "TR",
        "TH",
        "TD",
        "THead",
    ],
    *[
        "TBody",
        "TFoot",
        "Span",
        "Quote",
        "Note",
        "Reference",
        "BibEntry",
        "Code",
        "Link",
        "Annot",
        "Ruby",
    ],
    *["RB", "RT", "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form"],
}
# Operators that paint: text, paths, images, shadings.
PAINTING = {
    b"Tj", b"TJ", b"'", b'"', b"f", b"F", b"f*", b"S", b"s", b"B", b"B*", b"b",
    b"b*", b"Do", b"sh", b"INLINE IMAGE",
}  # fmt: skip


def reader_of(pdf: bytes) -> PdfReader:
    return PdfReader(BytesIO(pdf))


# -- PDF/A-2b ------------------------------------------------------------------


def _xmp_value(description, name: str) -> str:
    """A property of the XMP description, as attribute or element."""
    prefix, local = name.split(":")
    key = f"{{{NS[prefix]}}}{local}"
    if key in description.attrib:
        return description.attrib[key]
    for element in description.iter(key):
        items = element.findall(".//rdf:li", NS)
        return (items[0].text if items else element.text) or ""
    return ""


def _xmp_description(reader: PdfReader):
    """The merged rdf:Description of the catalog's XMP (None if absent)."""
    root = reader.trailer["/Root"]
    if "/Metadata" not in root:
        return None
    xml = root["/Metadata"].get_object().get_data()
    descriptions = ElementTree.fromstring(xml).findall(".//rdf:Description", NS)
    merged = descriptions[0]
    for extra in descriptions[1:]:
        merged.attrib.update(extra.attrib)
        merged.extend(list(extra))
    return merged


def _info_date_as_xmp(value: str) -> str:
    """D:20260610100002+02'00' -> 2026-06-10T10:00:02+02:00."""
    match = re.fullmatch(
        r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-]\d\d)'(\d\d)'?", value
    )
    if not match:
        return value
    y, mo, d, h, mi, s, tzh, tzm = match.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{tzh}:{tzm}"


def _info_xmp_problems(reader: PdfReader, description) -> list[str]:
    problems = []
    info = reader.trailer.get("/Info")
    info = info.get_object() if info is not None else {}
    for key, name in INFO_TO_XMP.items():
        if key not in info:
            continue
        value = str(info[key]).lstrip("/")
        if key.endswith("Date"):
            value = _info_date_as_xmp(value)
        xmp = _xmp_value(description, name)
        if value != xmp:
            problems.append(f"Info/XMP agree: Info {key} {value!r} != {name} {xmp!r}")
    return problems


def _output_intent_problems(root) -> list[str]:
    intents = [intent.get_object() for intent in root.get("/OutputIntents", [])]
    pdfa = [intent for intent in intents if intent.get("/S") == "/GTS_PDFA1"]
    if len(pdfa) != 1:
        return ["OutputIntent: exactly one /GTS_PDFA1 output intent"]
    profile = pdfa[0].get("/DestOutputProfile")
    if profile is None:
        return ["OutputIntent: a DestOutputProfile (ICC)"]
    profile = profile.get_object()
    problems = []
    if profile.get("/N") != 3:
        problems.append("OutputIntent: the ICC profile is RGB (N 3)")
    if profile.get_data()[36:40] != b"acsp":
        problems.append("OutputIntent: the profile has an ICC header (acsp)")
    return problems


def _resources_everywhere(reader: PdfReader):
    """Every resource dictionary: pages, their form XObjects and annotation
    appearances, recursively."""
    seen = set()

    def walk(resources):
        resources = resources.get_object() if resources is not None else None
        if not resources or id(resources) in seen:
            return
        seen.add(id(resources))
        yield resources
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                yield from walk(xobject.get("/Resources"))

    for page in reader.pages:
        yield from walk(page.get("/Resources"))
        for annotation in page.get("/Annots") or []:
            appearance = annotation.get_object().get("/AP") or {}
            for stream in appearance.values():
                stream = stream.get_object()
                if "/Resources" in stream:
                    yield from walk(stream["/Resources"])


def _font_problems(reader: PdfReader) -> list[str]:
    problems, fonts = [], 0
    for resources in _resources_everywhere(reader):
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            fonts += 1
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            if not any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                problems.append(f"font embedded: {font.get('/BaseFont')}")
    if fonts == 0:
        problems.append("font embedded: the document has fonts (text)")
    return problems


def _graphics_problems(reader: PdfReader) -> list[str]:
    """Transparency and graphics state what PDF/A-2 forbids."""
    problems = []
    allowed_blend = {"/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay",
                     "/Darken", "/Lighten", "/ColorDodge", "/ColorBurn", "/HardLight",
                     "/SoftLight", "/Difference", "/Exclusion", "/Hue", "/Saturation",
                     "/Color", "/Luminosity"}  # fmt: skip
    for resources in _resources_everywhere(reader):
        for name, state in (resources.get("/ExtGState") or {}).items():
            state = state.get_object()
            if "/TR" in state or state.get("/TR2", "/Default") != "/Default":
                problems.append(f"graphics state {name}: no transfer function")
            blend = state.get("/BM", "/Normal")
            if str(blend) not in allowed_blend:
                problems.append(f"graphics state {name}: a standard blend mode")
        for name, xobject in (resources.get("/XObject") or {}).items():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Image" and (
                xobject.get("/Interpolate") or "/Alternates" in xobject
            ):
                problems.append(f"image {name}: no Interpolate, no Alternates")
            group = xobject.get("/Group")
            if (
                group
                and group.get("/S") == "/Transparency"
                and group.get("/CS", "/DeviceRGB") != "/DeviceRGB"
            ):
                problems.append(f"transparency group {name}: an RGB blending space")
            if "/OPI" in xobject or xobject.get("/Subtype") == "/PS":
                problems.append(f"xobject {name}: no OPI or PostScript")
    return problems


def _action_problems(reader: PdfReader) -> list[str]:
    problems = []
    root = reader.trailer["/Root"]
    names = root.get("/Names")
    if names and "/JavaScript" in names.get_object():
        problems.append("no JavaScript: the catalog's name tree has none")
    if "/AA" in root or "/OpenAction" in root:
        problems.append("no JavaScript: no catalog actions (AA, OpenAction)")
    for number, page in enumerate(reader.pages, start=1):
        if "/AA" in page:
            problems.append(f"no JavaScript: page {number} has no AA")
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            flags = int(annotation.get("/F", 0))
            if not flags & 4 or flags & (1 | 2 | 32):
                problems.append(f"annotation on page {number}: printable, not hidden")
            if "/A" in annotation or "/AA" in annotation:
                problems.append(f"annotation on page {number}: no actions")
            rect = [float(v) for v in annotation.get("/Rect", [0, 0, 0, 0])]
            sized = rect[2] - rect[0] and rect[3] - rect[1]
            if sized and "/AP" not in annotation:
                problems.append(f"annotation on page {number}: an appearance")
    return problems


def pdfa_problems(pdf: bytes) -> list[str]:
    """PDF/A-2b markers: XMP pdfaid part 2 conformance B, unfiltered, agreeing
    with Info; an sRGB OutputIntent; every font embedded; no encryption; no
    JavaScript or actions; printable annotations; graphics state PDF/A-2 allows;
    a file identifier; a PDF version of at most 1.7."""
    reader = reader_of(pdf)
    problems = []
    if reader.is_encrypted:
        return ["no encryption"]
    root = reader.trailer["/Root"]
    description = _xmp_description(reader)
    if description is None:
        return ["XMP: the catalog has a Metadata stream"]
    if "/Filter" in root["/Metadata"].get_object():
        problems.append("XMP: the metadata stream is not filtered")
    if _xmp_value(description, "pdfaid:part") != "2":
        problems.append("XMP: pdfaid:part is 2")
    if _xmp_value(description, "pdfaid:conformance") != "B":
        problems.append("XMP: pdfaid:conformance is B")
    problems += _info_xmp_problems(reader, description)
    problems += _output_intent_problems(root)
    problems += _font_problems(reader)
    problems += _graphics_problems(reader)
    problems += _action_problems(reader)
    if "/ID" not in reader.trailer:
        problems.append("a file identifier (trailer ID)")
    version = str(root.get("/Version", "/1.4")).lstrip("/")
    if float(version) > 1.7 or float(reader.pdf_header[5:]) > 1.7:
        problems.append(f"PDF version at most 1.7 (catalog {version})")
    return problems


# -- tagged PDF ----------------------------------------------------------------


def content_marks(reader: PdfReader) -> tuple[dict, list[str]]:
    """{(page index, MCID): count} of the marked content in the pages' streams,
    and painting found outside any marked content (neither tagged nor artifact)."""
    marks, untagged = {}, []
    for index, page in enumerate(reader.pages):
        stream = ContentStream(page.get_contents(), reader)
        depth = 0
        for operands, operator in stream.operations:
            if operator == b"BDC":
                depth += 1
                properties = operands[1]
                if isinstance(properties, DictionaryObject) and "/MCID" in properties:
                    key = (index, int(properties["/MCID"]))
                    marks[key] = marks.get(key, 0) + 1
            elif operator == b"BMC":
                depth += 1
            elif operator == b"EMC":
                depth -= 1
            elif operator in PAINTING and depth == 0:
                untagged.append(f"page {index + 1}: {operator.decode()} untagged")
    return marks, untagged


def struct_elements(reader: PdfReader):
    """The structure tree in reading order: (element, [(page index, MCID)])."""
    page_index = {
        page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)
    }
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()

    def kids_of(element):
        kids = element.get("/K")
        if kids is None:
            return []
        kids = kids.get_object()
        return list(kids) if isinstance(kids, ArrayObject) else [kids]

    def walk(element):
        element = element.get_object()
        own_page = element.raw_get("/Pg") if "/Pg" in element else None
        marks, children = [], []
        for kid in kids_of(element):
            kid_object = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid_object, int):
                marks.append((page_index[own_page.idnum], int(kid_object)))
            elif kid_object.get("/Type") == "/MCR":
                marks.append(
                    (
                        page_index[kid_object.raw_get("/Pg").idnum],
                        int(kid_object["/MCID"]),
                    )
                )
            elif kid_object.get("/Type", "/StructElem") == "/StructElem":
                children.append(kid_object)
        yield element, marks
        for child in children:
            yield from walk(child)

    for top in kids_of(root):
        yield from walk(top)


def tagging_problems(pdf: bytes, *, lang: str = "it-IT") -> list[str]:
    """Tagged PDF: MarkInfo Marked; a StructTreeRoot; StructParents on every
    page; every MCID in the content streams owned by exactly one structure
    element and every element's MCID in the streams; the ParentTree agreeing;
    nothing painted outside marked content; standard roles; Figures with Alt;
    the catalog's Lang; DisplayDocTitle; a Title."""
    reader = reader_of(pdf)
    root = reader.trailer["/Root"]
    problems = []
    if not (root.get("/MarkInfo") or {}).get("/Marked"):
        problems.append("MarkInfo: Marked true")
    if str(root.get("/Lang")) != lang:
        problems.append(f"catalog Lang is {lang} (found {root.get('/Lang')})")
    if not (root.get("/ViewerPreferences") or {}).get("/DisplayDocTitle"):
        problems.append("ViewerPreferences: DisplayDocTitle true")
    if not (reader.metadata and reader.metadata.title):
        problems.append("a document Title (Info)")
    if "/StructTreeRoot" not in root:
        return [*problems, "a StructTreeRoot"]
    for number, page in enumerate(reader.pages, start=1):
        if "/StructParents" not in page:
            problems.append(f"page {number} has StructParents")
    marks, untagged = content_marks(reader)
    problems += [
        f"painting in marked content (tagged or artifact): {where}"
        for where in untagged
    ]
    owners = {}
    for element, element_marks in struct_elements(reader):
        role = str(element["/S"]).lstrip("/")
        if role not in STANDARD_ROLES:
            problems.append(f"standard structure type: {role}")
        if role == "Figure" and not element.get("/Alt"):
            problems.append("a Figure has Alt")
        for mark in element_marks:
            owners.setdefault(mark, []).append(element)
    for mark, count in marks.items():
        if count != 1:
            problems.append(f"MCID {mark} marked once in its page ({count} times)")
        if len(owners.get(mark, [])) != 1:
            problems.append(f"MCID {mark} (page, MCID) has exactly one struct element")
    for mark in owners.keys() - marks.keys():
        problems.append(f"struct element's MCID {mark} is in the content stream")
    problems += _parent_tree_problems(reader, owners)
    return problems


def _parent_tree_problems(reader: PdfReader, owners: dict) -> list[str]:
    tree = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"].get_object()
    nums = tree.get("/Nums", [])
    by_key = {int(nums[i]): nums[i + 1].get_object() for i in range(0, len(nums), 2)}
    problems = []
    for index, page in enumerate(reader.pages):
        listed = by_key.get(int(page.get("/StructParents", -1)))
        if listed is None:
            problems.append(f"ParentTree has page {index + 1}'s entry")
            continue
        for mcid, element in enumerate(listed):
            owner = owners.get((index, mcid), [None])[0]
            if owner is None or element.get_object() is not owner:
                problems.append(f"ParentTree: page {index + 1} MCID {mcid} -> owner")
    return problems


def _text_of(value) -> str:
    """A string operand as written: pypdf may decode a short string read from a
    content stream as UTF-16 ("en" -> one CJK character)."""
    raw = getattr(value, "original_bytes", None)
    return raw.decode("latin-1") if raw is not None else str(value)


def _marked_texts(reader: PdfReader) -> tuple[dict, dict]:
    """With pypdf's text decoding: {(page index, MCID): text drawn inside it}
    (marked content without an MCID inside it counts), and {language: text}
    of the marked content that says its language (`/Span <</Lang ..>> BDC`)."""
    texts, by_lang = {}, {}
    for index, page in enumerate(reader.pages):
        stack = []  # (mark or None for an artifact, language or "")

        def before(operator, operands, cm, tm, stack=stack, index=index):
            mark, lang = stack[-1] if stack else (None, "")
            if operator == b"BDC":
                properties = operands[1]
                properties = properties if hasattr(properties, "get") else {}
                if "/MCID" in properties:
                    mark = (index, int(properties["/MCID"]))
                if "/Lang" in properties:
                    lang = _text_of(properties["/Lang"])
                stack.append((mark, lang))
            elif operator == b"BMC":
                stack.append((None, lang))
            elif operator == b"EMC" and stack:
                stack.pop()

        def text(piece, cm, tm, font, size, stack=stack):
            if not stack:
                return
            mark, lang = stack[-1]
            if mark is not None:
                texts[mark] = texts.get(mark, "") + piece
            if lang:
                by_lang[lang] = by_lang.get(lang, "") + piece

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return texts, by_lang


def content_language_texts(pdf: bytes) -> dict:
    """{language: text} of marked content that names its language."""
    return _marked_texts(reader_of(pdf))[1]


def reading_sequence(pdf: bytes) -> list[tuple[str, str, str]]:
    """The structure elements in reading order as (role, Lang, text), a
    Figure's text being its Alt; elements with neither are left out."""
    reader = reader_of(pdf)
    texts, _by_lang = _marked_texts(reader)
    sequence = []
    for element, marks in struct_elements(reader):
        role = str(element["/S"]).lstrip("/")
        text = " ".join(texts.get(mark, "") for mark in marks)
        if role == "Figure":
            text = str(element.get("/Alt", ""))
        text = re.sub(r"\s+", " ", text).strip()
        if text:
            sequence.append((role, str(element.get("/Lang", "")), text))
    return sequence
