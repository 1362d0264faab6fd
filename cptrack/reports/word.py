"""Word documents (.docx, python-docx) from a report: what chairs upload to the case system.

The document is built from the report's own sections, the same HTML the HTML and PDF files
show (so it holds the same data, scrubbed the same way when pseudonymised), read back into
Word's structures: ``h1``/``h2``/``h3`` become the Heading 1/2/3 styles (the case system's
viewer and a screen reader navigate by them), tables become real Word tables (editable; the
header row repeats on each page and no row is split), a figure becomes a picture with its alt
text, a coloured tag a shaded run that still says its meaning in words. Text is read through
an HTML parser, so what was escaped for HTML arrives as the characters typed: a case note
holding ``<b>`` shows ``<b>``, never a tag, and nothing is dropped (a control character XML
cannot hold becomes U+FFFD).

Every page is A4 with a header naming the authority, the report and the child by their
pseudonymous id (never their name or case-system id, pseudonymised or not) and a footer with
the generation time and the page number. The core properties give the title (with the
pseudonym) and ``cptrack`` as author.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Pt, RGBColor

AUTHOR = "cptrack"
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)  # A4
MARGIN = Cm(1.8)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FONT = "Arial"
TAG_COLOURS = {  # (fill, text) as in the HTML's .tag classes
    "red": ("D4351C", "FFFFFF"),
    "amber": ("FFDD00", "0B0C0C"),
    "green": ("00703C", "FFFFFF"),
    "grey": ("DCDCDC", "0B0C0C"),
}
CHAR_WIDTH = Cm(0.185)  # an average character of 9 pt Arial, bold headings included
CELL_PADDING = Cm(0.45)
NO_WRAP = {"date", "num", "pct", "id", "nowrap"}  # cells the HTML keeps on one line
GREY = RGBColor(0x50, 0x5A, 0x5F)
VOID = {"img", "br", "hr", "meta", "input", "link", "col", "wbr"}
SKIP = {"style", "script", "head", "title"}
BLOCK = {
    "div",
    "p",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "section",
    "figure",
    "pre",
    "img",
    "hr",
    "details",
    "summary",
    "blockquote",
    "header",
    "footer",
}
# XML 1.0 cannot hold these; they are shown as U+FFFD rather than silently dropped.
NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")


# ---------------------------------------------------------------------------
# HTML to a small tree


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Any] = field(default_factory=list)  # Node or str

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def clean(text: str) -> str:
    """Text XML can hold: form feeds and vertical tabs as line breaks, other control
    characters as U+FFFD (shown, not dropped)."""
    return NOT_XML.sub("\ufffd", text.replace("\x0b", "\n").replace("\x0c", "\n"))


# ---------------------------------------------------------------------------
# Writing into a document or a table cell


@dataclass
class Style:
    bold: bool = False
    italic: bool = False
    grey: bool = False
    size: float | None = None
    tag: tuple[str, str] | None = None  # (fill, text colour) of a coloured label
    keep_lines: bool = False  # the text's own line breaks are kept (free text)


class Writer:
    def __init__(self, doc) -> None:
        self.doc = doc

    # -- blocks ---------------------------------------------------------------

    def blocks(self, container, node: Node, style: Style) -> None:
        """Write ``node``'s children into ``container`` (the document body or a cell)."""
        inline: list[Any] = []

        def flush() -> None:
            if any((isinstance(x, str) and x.strip()) or isinstance(x, Node) for x in inline):
                paragraph = container.add_paragraph()
                self.inline(paragraph, inline, style)
                if not paragraph.text.strip() and not paragraph.runs:
                    _remove(paragraph)
            inline.clear()

        for child in node.children:
            if isinstance(child, Node) and child.tag in SKIP:
                continue
            if isinstance(child, Node) and (child.tag in BLOCK or _holds_block(child)):
                flush()
                self.block(container, child, style)
            else:
                inline.append(child)
        flush()

    def block(self, container, node: Node, style: Style) -> None:
        tag, classes = node.tag, node.classes
        if "rpt-meta" in classes:
            return
        if tag in ("h1", "h2", "h3", "h4"):
            level = int(tag[1])
            if container is self.doc:
                paragraph, inner = self.doc.add_heading(level=level), Style()
            else:  # a heading inside a table cell: bold text (Word has no heading there)
                paragraph, inner = container.add_paragraph(), Style(bold=True)
            self.inline(paragraph, node.children, inner)
            paragraph.paragraph_format.keep_with_next = True
            if not paragraph.text.strip():
                _remove(paragraph)
            return
        if tag == "table":
            self.table(container, node)
            return
        if tag == "img":
            self.picture(container.add_paragraph(), node)
            return
        if tag in ("ul", "ol"):
            for item in node.children:
                if isinstance(item, Node) and item.tag == "li":
                    paragraph = container.add_paragraph(
                        style="List Number" if tag == "ol" else "List Bullet"
                    )
                    self.inline(paragraph, item.children, style)
            return
        if tag == "hr":
            return
        if tag == "p" or tag == "pre":
            paragraph = container.add_paragraph()
            inner = replace(style)
            if "note" in classes:
                inner.italic, inner.grey = True, True
            if "sub" in classes:
                inner.grey = True
            if tag == "pre" or "text" in classes:
                inner.keep_lines = True
            self.inline(paragraph, node.children, inner)
            if not paragraph.text.strip() and not _has_picture(paragraph):
                _remove(paragraph)
            return
        if "stat" in classes:  # a headline figure: its value then its label
            paragraph = container.add_paragraph()
            self.inline(paragraph, node.children, style)
            return
        inner = replace(style)
        if "text" in classes:
            inner.keep_lines = True
        if "note" in classes:
            inner.italic, inner.grey = True, True
        self.blocks(container, node, inner)

    # -- inline ---------------------------------------------------------------

    def inline(self, paragraph, children: list[Any], style: Style) -> None:
        for child in children:
            if isinstance(child, str):
                self.run(paragraph, child, style)
                continue
            tag, classes = child.tag, child.classes
            if tag in SKIP:
                continue
            if tag == "br":
                paragraph.add_run().add_break()
                continue
            if tag == "img":
                self.picture(paragraph, child)
                continue
            inner = replace(style)
            if tag in ("b", "strong", "th"):
                inner.bold = True
            if tag in ("i", "em"):
                inner.italic = True
            if "note" in classes:
                inner.italic, inner.grey = True, True
            if "tag" in classes:
                inner.tag = _tag_colours(child)
                inner.bold = True
            if "text" in classes:
                inner.keep_lines = True
            self.inline(paragraph, child.children, inner)
            if tag in ("div", "p", "li") and child is not children[-1]:
                paragraph.add_run().add_break()

    def run(self, paragraph, text: str, style: Style) -> None:
        if style.keep_lines:
            text = re.sub(r"[ \t]*\r?\n", "\n", text)
        else:
            text = re.sub(r"\s+", " ", text)
            if not paragraph.text or paragraph.text.endswith((" ", "\n")):
                text = text.lstrip()
        if not text:
            return
        run = paragraph.add_run(clean(text))
        run.bold = style.bold or None
        run.italic = style.italic or None
        if style.size:
            run.font.size = Pt(style.size)
        if style.grey:
            run.font.color.rgb = GREY
        if style.tag:
            fill, colour = style.tag
            shading = OxmlElement("w:shd")
            shading.set(qn("w:val"), "clear")
            shading.set(qn("w:color"), "auto")
            shading.set(qn("w:fill"), fill)
            run._r.get_or_add_rPr().append(shading)
            run.font.color.rgb = RGBColor.from_string(colour)

    def picture(self, paragraph, node: Node) -> None:
        src = node.attrs.get("src", "")
        match = re.match(r"data:image/(png|jpeg|gif);base64,(.*)$", src, re.S)
        if not match:
            alt = node.attrs.get("alt")
            if alt:
                self.run(paragraph, f"[{alt}]", Style(italic=True, grey=True))
            return
        data = io.BytesIO(base64.b64decode(match.group(2)))
        shape = paragraph.add_run().add_picture(data, width=TEXT_WIDTH)
        alt = node.attrs.get("alt", "")
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", alt)
        doc_pr.set("title", alt)

    # -- tables ---------------------------------------------------------------

    def table(self, container, node: Node) -> None:
        rows: list[tuple[bool, list[Node]]] = []  # (is a header row, cells)
        for tr in _find(node, "tr", stop="table"):
            cells = [c for c in tr.children if isinstance(c, Node) and c.tag in ("td", "th")]
            if not cells:
                continue
            in_head = _inside(node, tr, "thead")
            rows.append((in_head or all(c.tag == "th" for c in cells), cells))
        if not rows:
            return
        key_values = "kv" in node.classes
        columns = max(
            sum(int(c.attrs.get("colspan", "1") or 1) for c in cells) for _, cells in rows
        )
        table = container.add_table(rows=0, cols=columns)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        widths = _widths(rows, columns, key_values, _available(container))
        for header, cells in rows:
            row = table.add_row()
            _row_props(row, header=header and not key_values)
            j = 0
            for cell_node in cells:
                span = max(1, int(cell_node.attrs.get("colspan", "1") or 1))
                if j >= columns:
                    break
                cell = row.cells[j]
                if span > 1 and j + span - 1 < columns:
                    cell = cell.merge(row.cells[j + span - 1])
                self.cell(cell, cell_node, header=header, key_values=key_values)
                j += span
            for k, cell in enumerate(row.cells):
                cell.width = widths[k]
        for k, column in enumerate(table.columns):
            column.width = widths[k]
        container.add_paragraph().paragraph_format.space_after = Pt(2)

    def cell(self, cell, node: Node, *, header: bool, key_values: bool) -> None:
        style = Style(size=9, keep_lines=key_values or "text" in node.classes)
        if node.tag == "th":
            style.bold = True
        if header and not key_values:
            _shade(cell, "F3F2F1")
        elif key_values and node.tag == "th":
            _shade(cell, "F3F2F1")
            style.keep_lines = False
        first = cell.paragraphs[0]
        self.blocks(cell, node, style)
        if len(cell.paragraphs) > 1 and not first.text and not first.runs:
            _remove(first)
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.space_after = Pt(0)
            if "num" in node.classes or "pct" in node.classes:
                paragraph.alignment = 2  # right


# ---------------------------------------------------------------------------
# Helpers on the XML


def _tag_colours(node: Node) -> tuple[str, str]:
    """A label's colours: its own style (the QA grades'), else its class (red, amber...)."""
    css = {
        k.strip().lower(): v.strip()
        for k, _, v in (d.partition(":") for d in node.attrs.get("style", "").split(";"))
    }
    fill = re.fullmatch(r"#([0-9a-fA-F]{6})", css.get("background", ""))
    text = re.fullmatch(r"#([0-9a-fA-F]{6})", css.get("color", ""))
    if fill:
        return fill.group(1).upper(), text.group(1).upper() if text else "0B0C0C"
    return TAG_COLOURS[next((c for c in ("red", "amber", "green") if c in node.classes), "grey")]


def _has_tag(node: Node) -> bool:
    return any(isinstance(c, Node) and ("tag" in c.classes or _has_tag(c)) for c in node.children)


def _holds_block(node: Node) -> bool:
    return any(isinstance(c, Node) and (c.tag in BLOCK or _holds_block(c)) for c in node.children)


def _find(node: Node, tag: str, stop: str):
    for child in node.children:
        if not isinstance(child, Node):
            continue
        if child.tag == tag:
            yield child
        elif child.tag != stop:
            yield from _find(child, tag, stop)


def _inside(root: Node, target: Node, tag: str) -> bool:
    def walk(node: Node, inside: bool) -> bool | None:
        for child in node.children:
            if not isinstance(child, Node):
                continue
            if child is target:
                return inside
            found = walk(child, inside or child.tag == tag)
            if found is not None:
                return found
        return None

    return bool(walk(root, False))


def _remove(paragraph) -> None:
    element = paragraph._element
    parent = element.getparent()
    if parent is not None and len(parent) > 1:
        parent.remove(element)


def _has_picture(paragraph) -> bool:
    return bool(paragraph._element.findall(".//" + qn("w:drawing")))


def _shade(cell, fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    props.append(shading)


def _row_props(row, *, header: bool) -> None:
    """No row split across a page; a header row repeats at the top of each page."""
    props = row._tr.get_or_add_trPr()
    props.append(OxmlElement("w:cantSplit"))
    if header:
        props.append(OxmlElement("w:tblHeader"))


def _available(container):
    width = getattr(container, "width", None)
    return width if width else TEXT_WIDTH


def _widths(rows, columns: int, key_values: bool, available) -> list:
    """Column widths from the text they hold: a key-value table's labels take a third;
    otherwise every column is at least as wide as its longest word (no word is broken) and
    the space left goes to the columns with more to say."""
    if key_values and columns == 2:
        return [int(available * 0.32), int(available * 0.68)]
    char, pad = CHAR_WIDTH, CELL_PADDING
    least, want = [], []
    for j in range(columns):
        column = [cells[j] for _, cells in rows if j < len(cells)]
        texts = [c.text().strip() for c in column]
        whole = [
            len(t)
            for c, t in zip(column, texts, strict=True)
            if c.tag == "td" and c.classes & NO_WRAP
        ]
        # A coloured label reads best on one line, up to a point.
        whole += [min(len(t), 18) for c, t in zip(column, texts, strict=True) if _has_tag(c)]
        longest_word = max([len(w) for t in texts for w in t.split()] + whole, default=3)
        typical = sum(len(t) for t in texts) / max(1, len(texts))
        least.append(max(longest_word, 3) * char + pad)
        want.append(max(least[-1], min(typical, 80) * char + pad))
    if sum(least) >= available:
        return [int(available * w / sum(least)) for w in least]
    if sum(want) <= available:
        return [int(available * w / sum(want)) for w in want]
    extra = [w - m for w, m in zip(want, least, strict=True)]
    spare = available - sum(least)
    return [int(m + spare * e / sum(extra)) for m, e in zip(least, extra, strict=True)]


def _field(paragraph, instruction: str) -> None:
    """A field (PAGE, NUMPAGES) Word and LibreOffice fill in: begin, instruction, separator,
    the value shown until it is updated, end, each in a run of its own."""
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


# ---------------------------------------------------------------------------
# The document


def child_of(report) -> str | None:
    """The child a report is about: its ``child``, or the observed conference's child."""
    c = report.ctx
    if c.child:
        return str(c.child)
    obs = getattr(report, "obs", None)
    if obs and obs.get("conference_id"):
        conf = c.store.get("conferences", obs["conference_id"])
        if conf:
            return str(conf["child_id"])
    return None


def header_text(report) -> tuple[str, str]:
    """The page header: the authority on the left; the report and the child's pseudonymous
    id on the right (never the child's name or id, pseudonymised or not)."""
    c = report.ctx
    child = child_of(report)
    right = report.title + (f" · {c.pseudonym('Child', child)}" if child else "")
    return c.authority, right


def _right_tab(paragraph) -> None:
    """One tab stop, at the right margin (the Header and Footer styles' centre and right
    stops are for Letter paper)."""
    stops = paragraph.paragraph_format.tab_stops
    for position in (Inches(3.25), Inches(6.5)):
        stops.add_tab_stop(position, WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)


def _setup(doc, report) -> None:
    c = report.ctx
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    for name, size in (("Heading 1", 18), ("Heading 2", 14), ("Heading 3", 12), ("Heading 4", 11)):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        style.paragraph_format.space_before = Pt(12 if size >= 14 else 8)
        style.paragraph_format.space_after = Pt(4)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(1.8)
    section.header_distance = section.footer_distance = Cm(0.9)

    left, right = header_text(report)
    header = section.header.paragraphs[0]
    _right_tab(header)
    for text in (left, "\t", right):
        run = header.add_run(clean(text))
        run.font.size = Pt(8)
        run.font.color.rgb = GREY
    footer = section.footer.paragraphs[0]
    _right_tab(footer)
    shared = " · pseudonymised" if c.pseudonymise else ""
    footer.add_run(f"Generated {c.generated} by cptrack{shared}\tPage ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = GREY

    props = doc.core_properties
    child = child_of(report)
    props.title = report.title + (f" · {c.pseudonym('Child', child)}" if child else "")
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.subject = clean(c.authority)
    props.keywords = ""
    props.comments = ""
    props.category = report.name
    props.language = "en-GB"
    props.created = props.modified = c.generated_at
    props.revision = 1
    _own_package_parts(doc)


APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>cptrack</Application></Properties>"
)


def _own_package_parts(doc) -> None:
    """The blank template's leftovers out: its thumbnail (a picture of an empty page a viewer
    would show for the document) and its application details (another program's name)."""
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rel_id)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_XML.encode()


def document(report) -> Any:
    """The report as a python-docx ``Document``."""
    doc = Document()
    _setup(doc, report)
    writer = Writer(doc)
    writer.blocks(doc, parse(report.header_html()), Style())
    for key, _ in report.sections:
        writer.blocks(doc, parse(report.section_html(key)), Style())
    return doc


def document_bytes(report) -> bytes:
    """The report as the bytes of a .docx file."""
    buf = io.BytesIO()
    document(report).save(buf)
    return buf.getvalue()
