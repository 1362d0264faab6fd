"""A report's HTML tree written into a Word document (python-docx), for ``cptrack.reports.word``.

``h1``/``h2``/``h3`` become the Heading 1/2/3 styles (the case system's viewer and a screen
reader navigate by them), tables become real Word tables (editable; the header row repeats on
each page and no row is split, each column as wide as its text needs), a figure becomes a
picture with its alt text, a coloured tag a shaded run that still says its meaning in words.
The page's geometry (A4, its margins and text width) is declared here, for the tables and
pictures to fit, and for the document's header and footer.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass, replace
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from cptrack.reports.html_tree import BLOCK, SKIP, Node, clean

PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)  # A4
MARGIN = Cm(1.8)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
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
