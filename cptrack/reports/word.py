"""Word documents (.docx, python-docx) from a report: what chairs upload to the case system.

The document is built from the report's own sections, the same HTML the HTML and PDF files
show (so it holds the same data, scrubbed the same way when pseudonymised), parsed into a
small tree (``html_tree``) and written into Word's structures (``word_writer``: headings,
real tables, pictures with their alt text, coloured tags that still say their meaning in
words).

This module makes the document around them: every page is A4 with a header naming the
authority, the report and the child by their pseudonymous id (never their name or
case-system id, pseudonymised or not) and a footer with the generation time and the page
number. The core properties give the title (with the pseudonym) and ``cptrack`` as author.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Pt, RGBColor

from cptrack.reports.html_tree import clean, parse
from cptrack.reports.word_writer import (
    GREY,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    TEXT_WIDTH,
    Style,
    Writer,
)

AUTHOR = "cptrack"
FONT = "Arial"


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
