"""Tagged PDF for reportlab documents: marked content while drawing, recorded.

reportlab's open-source canvas writes no structure. A TagRecorder wraps what
is drawn in marked content with reportlab's public canvas.addLiteral()
(`/P <</MCID 3>> BDC ... EMC`, decorations in `/Artifact BMC ... EMC`) and
records each structure element (its role, alternative text, language and the
marked content it owns) in reading order: the order the elements are made,
which the caller makes the document's logical order. Tables are tagged through
reportlab's public Table(renderCB=...) hook (table_tagger): rows, header and
data cells, the rules and backgrounds as artifacts.

core.pdfa.pdfa_structure() turns the record into the document's structure tree
(StructTreeRoot, ParentTree, /StructParents on each page, MarkInfo) before the
canvas is saved.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass, field

from reportlab.platypus import Paragraph


@dataclass(eq=False)
class StructElement:
    """One element of the structure tree. kids, in order: child elements and
    the marked content it owns, as (page number from 1, MCID)."""

    role: str
    alt: str = ""
    lang: str = ""
    attributes: dict = field(default_factory=dict)
    kids: list = field(default_factory=list)

    def elements(self):
        """This element and every one under it, in reading order."""
        yield self
        for kid in self.kids:
            if isinstance(kid, StructElement):
                yield from kid.elements()


class TagRecorder:
    """Records the structure of one canvas while it is drawn."""

    def __init__(self, canvas, *, root_role: str = "Document"):
        self.canvas = canvas
        self.root = StructElement(root_role)
        self._parents = [self.root]
        self._next_mcid = defaultdict(int)

    def element(
        self,
        role: str,
        *,
        parent: StructElement | None = None,
        alt: str = "",
        lang: str = "",
        attributes: dict | None = None,
    ) -> StructElement:
        """A new element, the last child of `parent` (else of the current group)."""
        made = StructElement(role, alt=alt, lang=lang, attributes=attributes or {})
        (parent or self._parents[-1]).kids.append(made)
        return made

    def begin(self, element: StructElement) -> None:
        """What is drawn from here to end() is `element`'s content."""
        page = self.canvas.getPageNumber()
        mcid = self._next_mcid[page]
        self._next_mcid[page] += 1
        element.kids.append((page, mcid))
        self.canvas.addLiteral(f"/{element.role} <</MCID {mcid}>> BDC")

    def end(self) -> None:
        self.canvas.addLiteral("EMC")

    @contextlib.contextmanager
    def tagged(self, role: str, *, alt: str = "", lang: str = "", parent=None):
        """An element whose content is what is drawn inside the block."""
        element = self.element(role, parent=parent, alt=alt, lang=lang)
        self.begin(element)
        try:
            yield element
        finally:
            self.end()

    @contextlib.contextmanager
    def group(self, role: str, *, lang: str = ""):
        """An element whose children are the elements made inside the block."""
        element = self.element(role, lang=lang)
        self._parents.append(element)
        try:
            yield element
        finally:
            self._parents.pop()

    @contextlib.contextmanager
    def artifact(self):
        """What is drawn inside is decoration (frames, rules), not content."""
        self.canvas.addLiteral("/Artifact BMC")
        try:
            yield
        finally:
            self.canvas.addLiteral("EMC")

    def table_tagger(self, *, header_rows: int = 1) -> TableTagger:
        """A Table(renderCB=...) callback tagging the next table drawn."""
        return TableTagger(self, header_rows=header_rows)


class TableTagger:
    """reportlab's Table render callback: a /Table of /TR rows of /TH (the
    first header_rows rows, scope column) and /TD cells; the table's rules and
    backgrounds as artifacts."""

    def __init__(self, recorder: TagRecorder, *, header_rows: int):
        self.recorder = recorder
        self.header_rows = header_rows
        self.table = recorder.element("Table")
        self.row: StructElement | None = None

    def __call__(self, table, event: str, *args) -> None:
        canvas = self.recorder.canvas
        if event in ("startBG", "startLines"):
            canvas.addLiteral("/Artifact BMC")
        elif event in ("endBG", "endLines"):
            canvas.addLiteral("EMC")
        elif event == "startRow":
            self.row = self.recorder.element("TR", parent=self.table)
        elif event == "startCell":
            header = args[0] < self.header_rows
            cell = self.recorder.element(
                "TH" if header else "TD",
                parent=self.row,
                attributes={"O": "Table", "Scope": "Column"} if header else {},
            )
            self.recorder.begin(cell)
        elif event == "endCell":
            self.recorder.end()


class LangParagraph(Paragraph):
    """A Paragraph in another language than its element's (an English line in a
    table cell): its content marked `/Span <</Lang (en)>> BDC ... EMC`, the
    language of marked content (PDF 1.7, 14.9.2)."""

    def __init__(self, text: str, style, *, lang: str):
        super().__init__(text, style)
        self.lang = lang

    def drawOn(self, canvas, x, y, _sW=0):
        canvas.addLiteral(f"/Span <</Lang ({self.lang})>> BDC")
        super().drawOn(canvas, x, y, _sW)
        canvas.addLiteral("EMC")
