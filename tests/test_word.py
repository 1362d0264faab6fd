"""Word documents (``cptrack report NAME --to docx``): the conference record, midway review,
child summary and practice observation as .docx files a chair uploads to the case system."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm

from conftest import unavailable
from cptrack.cli import main
from cptrack.reports import DOCUMENTS, open_report
from cptrack.reports.word import child_of
from cptrack.storage.store import Store

HOSTILE = 'Mum said <b>stop</b> & "go" <script>alert(1)</script>\nSecond line\x01 end'
SHOWN = 'Mum said <b>stop</b> & "go" <script>alert(1)</script>\nSecond line\ufffd end'


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pseudonym key from the environment, the same for every document of a test."""
    monkeypatch.setenv("CPTRACK_PSEUDONYM_KEY", "a-test-key-for-word-documents")


def make(name: str, db: str, folder: Path, *extra: str) -> docx.document.Document:
    out = folder / f"{name}.docx"
    assert 0 == main(["report", name, "--db", db, "--to", "docx", "--out", str(out), *extra])
    return docx.Document(str(out))


def all_text(document) -> str:
    """Every paragraph and table cell of the body, in order."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def subject_child(name: str, db: str) -> dict:
    """The child the document is about, with their pseudonym."""
    report = open_report(name, db=db)
    child_id = child_of(report)
    return report.ctx.store.get("children", child_id) | {
        "pseudonym": report.ctx.pseudonym("Child", child_id)
    }


@pytest.mark.parametrize("name", DOCUMENTS)
def test_document_is_a4_with_the_pseudonym_in_the_header_headings_tables_and_citations(
    name, demo_db, tmp_path
):
    """Each document: A4, the authority and the child's pseudonym (not name) in the header,
    Heading styles, real tables, the standards' citations, cptrack as author and application
    (no thumbnail of python-docx's blank template)."""
    document = make(name, demo_db, tmp_path)
    child = subject_child(name, demo_db)
    section = document.sections[0]
    assert (Cm(21.0), Cm(29.7)) == (round(section.page_width, -3), round(section.page_height, -3))
    header = section.header.paragraphs[0].text
    assert "Demo Borough Council (synthetic data)" in header and child["pseudonym"] in header
    assert [] == [
        w for w in (child["given_name"], child["family_name"], child["id"]) if w in header
    ]
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    title = open_report(name, db=demo_db).title
    assert ("Heading 1", title) == styles[0]
    sections = [h for _, h in open_report(name, db=demo_db).sections]
    assert sections == [t for s, t in styles if s == "Heading 2"]
    assert len(document.tables) >= 1 and len(document.tables[0].rows) >= 2
    text = all_text(document)
    citation = {
        "observation": "Sunderland",  # the framework's sources, e.g. "Sunderland, §2.3"
    }.get(name, "Working Together 2023")
    assert citation in text
    props = document.core_properties
    assert ("cptrack", "cptrack") == (props.author, props.last_modified_by)
    assert f"{title} · {child['pseudonym']}" == props.title
    with zipfile.ZipFile(tmp_path / f"{name}.docx") as package:
        assert "docProps/thumbnail.jpeg" not in package.namelist()
        assert b"<Application>cptrack</Application>" in package.read("docProps/app.xml")


def test_free_text_arrives_as_typed_never_as_markup(fresh_demo_db, tmp_path):
    """A case note holding tags, ampersands, a line break and a control character reads as
    typed: no tag taken for markup, no entity left escaped, nothing dropped."""
    with Store.open(fresh_demo_db) as store, store.transaction() as tx:
        conf = store.get(
            "conferences", open_report("conference_record", db=fresh_demo_db).row["id"]
        )
        tx.update("conferences", conf["id"], {"worried_about": HOSTILE}, conf["version"])
    document = make("conference_record", fresh_demo_db, tmp_path)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert SHOWN in cells
    assert [] == [c for c in cells if "&lt;" in c or "&amp;" in c or "&quot;" in c]


def test_pseudonymised_document_keeps_the_same_pseudonym_and_says_so(demo_db, tmp_path):
    """--pseudonymise: the header's pseudonym is the one the plain document shows; the
    footer says the document is pseudonymised."""
    child = subject_child("child_summary", demo_db)
    document = make("child_summary", demo_db, tmp_path, "--pseudonymise")
    assert child["pseudonym"] in document.sections[0].header.paragraphs[0].text
    assert "pseudonymised" in document.sections[0].footer.paragraphs[0].text
    text = all_text(document)
    assert [] == [w for w in (child["given_name"], child["family_name"]) if w in text.split()]


def test_only_the_documents_are_made_in_word(demo_db, tmp_path, capsys):
    """A report that is not a document for a file is refused in Word, naming the ones that are."""
    with pytest.raises(SystemExit) as refused:
        main(
            [
                "report",
                "chair_caseload",
                "--db",
                demo_db,
                "--to",
                "docx",
                "--out",
                str(tmp_path / "x.docx"),
            ]
        )
    assert "chair_caseload has no Word version" in str(refused.value)
    assert not (tmp_path / "x.docx").exists()


def test_libreoffice_opens_each_document_as_a4_pages(demo_db, tmp_path):
    """LibreOffice (Debian's libreoffice-writer-nogui, which `make test` installs) converts
    each document to an A4 PDF holding its title, as a person opening it in Word would see."""
    if not shutil.which("libreoffice"):
        unavailable("LibreOffice is not installed (make system-packages installs it)")
    for name in DOCUMENTS:
        make(name, demo_db, tmp_path)
    subprocess.run(
        [
            "libreoffice",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *[str(tmp_path / f"{n}.docx") for n in DOCUMENTS],
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for name in DOCUMENTS:
        pdf = tmp_path / f"{name}.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert re.search(r"Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info), info
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert open_report(name, db=demo_db).title in text


def test_child_summary_chart_has_alt_text_and_table_headers_repeat(demo_db, tmp_path):
    """The chronology chart is a picture a screen reader can name; a table's header row
    repeats on each page and no row is split across pages."""
    document = make("child_summary", demo_db, tmp_path)
    pictures = document.element.body.findall(".//" + qn("wp:docPr"))
    assert ["Chronology of the file"] == [p.get("descr") for p in pictures]
    plans = next(t for t in document.tables if t.rows[0].cells[0].text == "Started")
    first = plans.rows[0]._tr.trPr
    assert first.find(qn("w:tblHeader")) is not None and first.find(qn("w:cantSplit")) is not None
    assert plans.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
