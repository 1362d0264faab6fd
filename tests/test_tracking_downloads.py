"""The case-tracking page's "Download report" buttons, clicked in the notebook as Voila runs
it (nbclient): the dashboard gives the chair's caseload (PDF and Excel), the child view the
child's summary (PDF and Word); each is the file `cptrack report` makes."""

from __future__ import annotations

import base64
import io
import re
import subprocess

import docx
import nbformat
import openpyxl
import pytest
from nbclient import NotebookClient

from conftest import ROOT
from cptrack.storage.store import Store

LINK = r'<a download="({name}-[^"]+\.{ext})" href="data:[^;]+;base64,([^"]+)"'


@pytest.fixture(scope="module")
def clicked(tmp_path_factory, demo_db):
    """Run case_tracking.ipynb for the first chair and click every Download report."""
    import os

    with Store.open(demo_db) as store:
        chair = store.rows("staff", role="chair")[0]
        child = next(c["id"] for c in store.rows("children", chair_id=chair["id"]))
    folder = ROOT / "notebooks"
    nb = nbformat.read(folder / "case_tracking.ipynb", as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "\n".join(
                [
                    "d = app.download",
                    "d.format.value = 'pdf'; d.button.click(); print('PDF', d.link.value)",
                    "d.format.value = 'xlsx'; d.button.click(); print('XLSX', d.link.value)",
                    f"app.open_child({child!r})",
                    "c = app.child_view.download",
                    "c.format.value = 'pdf'; c.button.click(); print('CHILD', c.link.value)",
                    "print('OPTIONS', [label for label, _ in c.format.options])",
                    "c.format.value = 'docx'; c.button.click(); print('WORD', c.link.value)",
                    "print('BANNER', app.banner.value, app.child_view.banner.value)",
                ]
            )
        )
    )
    # The pseudonym key from the environment: the Word file's header writes nothing to the
    # session's database.
    env = {
        **os.environ,
        "CPTRACK_DB": demo_db,
        "QUERY_STRING": f"chair={chair['id']}",
        "CPTRACK_PSEUDONYM_KEY": "a-test-key-for-downloads",
    }
    old = dict(os.environ)
    os.environ.update(env)
    try:
        NotebookClient(nb, timeout=600, resources={"metadata": {"path": str(folder)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    out = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("name") == "stdout")
    return out, chair, child, tmp_path_factory.mktemp("downloads")


def _file(out: str, name: str, ext: str) -> tuple[str, bytes]:
    link = re.search(LINK.format(name=name, ext=ext), out)
    assert link, out[:800]
    return link.group(1), base64.b64decode(link.group(2))


def test_the_dashboard_downloads_the_chairs_caseload_as_pdf_and_excel(clicked):
    out, chair, _child, folder = clicked
    name, pdf = _file(out, "chair_caseload", "pdf")
    assert pdf.startswith(b"%PDF") and f"-{chair['id']}-" in name
    path = folder / name
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    assert pages >= 1 and "A4" in info.stdout
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert chair["name"].split()[-1] in text
    _, xlsx = _file(out, "chair_caseload", "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert {"Caseload", "Findings"} <= set(book.sheetnames)
    assert book["Caseload"].max_row > 1


def test_the_child_view_downloads_the_childs_summary(clicked):
    out, _chair, child, folder = clicked
    name, pdf = _file(out, "child_summary", "pdf")
    assert pdf.startswith(b"%PDF") and child in name
    path = folder / name
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Child summary" in text and child in text
    assert "Traceback" not in out and "could not" not in out.split("BANNER", 1)[1]


def test_the_child_view_offers_the_childs_summary_in_word(clicked):
    """The child view offers Word beside PDF, and gives a .docx of the child's summary."""
    out, _chair, child, _folder = clicked
    assert "OPTIONS ['PDF', 'Word', 'HTML']" in out
    name, data = _file(out, "child_summary", "docx")
    assert child in name
    document = docx.Document(io.BytesIO(data))
    assert "Child summary" == document.paragraphs[0].text
    assert "Heading 1" == document.paragraphs[0].style.name
