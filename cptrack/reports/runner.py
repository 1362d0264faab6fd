"""Running a report notebook and turning it into HTML or PDF (A4, through Debian's Chromium).

``render(name, fmt, out, **parameters)`` executes ``notebooks/reports/<name>.ipynb`` with the
parameters injected after its ``parameters`` cell (as papermill does), exports the outputs
only (no code, no prompts) and, for PDF, prints the page with Chromium: A4, a header naming
the report, the authority and the period on every page, a footer with the generation time and
page numbers, and table rows never cut across pages. Excel comes from the report's frames
directly (``cptrack.reports.excel``), Word from its sections (``cptrack.reports.word``).

A notebook that fails raises ``ReportError`` with the error's message; the traceback never
reaches the file.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from cptrack.reports.exporters import ReportHTMLExporter
from cptrack.reports.pdf import Printer, html_to_pdf
from cptrack.reports.registry import DOCUMENTS, ReportError, open_report

PACKAGE_DIR = Path(__file__).resolve().parent.parent
FORMATS = ("html", "pdf", "xlsx", "docx")
REMOVED = re.compile(r'<div class="rpt-removed" data-counts="([^"]*)">')


def notebooks_dir() -> Path:
    """The report notebooks: beside the package in a checkout, else ./notebooks/reports."""
    for candidate in (
        PACKAGE_DIR.parent / "notebooks" / "reports",
        Path.cwd() / "notebooks" / "reports",
    ):
        if candidate.is_dir():
            return candidate
    raise ReportError("cannot find notebooks/reports (looked beside the package and in ./)")


def notebook_path(name: str) -> Path:
    path = notebooks_dir() / f"{name}.ipynb"
    if not path.exists():
        raise ReportError(f"no report notebook {path}")
    return path


# ---------------------------------------------------------------------------
# Executing


def inject(nb: nbformat.NotebookNode, parameters: dict[str, Any]) -> nbformat.NotebookNode:
    """The notebook with a cell setting ``parameters`` after its ``parameters`` cell."""
    nb = nbformat.from_dict(nb)
    index = next(
        (
            i
            for i, c in enumerate(nb.cells)
            if "parameters" in c.get("metadata", {}).get("tags", [])
        ),
        None,
    )
    if index is None:
        raise ReportError("the report notebook has no cell tagged 'parameters'")
    lines = ["# Parameters"] + [f"{k} = {v!r}" for k, v in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(index + 1, cell)
    return nb


def execute(name: str, parameters: dict[str, Any], timeout: int = 600) -> nbformat.NotebookNode:
    path = notebook_path(name)
    nb = inject(nbformat.read(path, as_version=4), parameters)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        raise ReportError(f"{name}: {exc.ename}: {exc.evalue}") from None
    # Warnings a library prints are not part of the report.
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs = [
                o for o in c.outputs if not (o.output_type == "stream" and o.name == "stderr")
            ]
    return nb


# ---------------------------------------------------------------------------
# HTML


def to_html(nb: nbformat.NotebookNode) -> str:
    """The executed notebook as a standalone page: outputs only, print styles for A4."""
    body, _ = ReportHTMLExporter().from_notebook_node(nb)
    return body


# ---------------------------------------------------------------------------
# One call


def removed_counts(page: str) -> Counter:
    """What pseudonymisation took out of a page: the last note on it (counts so far)."""
    notes = REMOVED.findall(page)
    if not notes:
        return Counter()
    pairs = (item.partition("=") for item in html_lib.unescape(notes[-1]).split(";") if item)
    return Counter({k: int(n) for k, _, n in pairs})


def render_bytes(
    name: str,
    fmt: str,
    parameters: dict[str, Any],
    printer: Printer | None = None,
    *,
    removed: Counter | None = None,
) -> bytes:
    """The report ``name`` in ``fmt`` (html, pdf, xlsx or docx) as bytes. When pseudonymising,
    what was taken out of free text is added to ``removed``."""
    if fmt not in FORMATS:
        raise ReportError(f"--to {fmt!r}: choose html, pdf, xlsx or docx")
    if fmt == "xlsx":
        from cptrack.reports import excel

        report = open_report(name, **parameters)
        data = excel.workbook_bytes(report)
        if removed is not None and report.ctx.pseudonymise:
            removed.update(report.ctx.scrubber.counts)
        return data
    if fmt == "docx":
        from cptrack.reports import word

        if name not in DOCUMENTS:
            raise ReportError(f"{name} has no Word version; docx is for {', '.join(DOCUMENTS)}")
        report = open_report(name, **parameters)
        try:
            data = word.document_bytes(report)
            if removed is not None and report.ctx.pseudonymise:
                removed.update(report.ctx.scrubber.counts)
            return data
        finally:
            report.ctx.store.close()
    db = parameters.get("db") or os.environ.get("CPTRACK_DB")
    if db and "://" not in str(db):  # the kernel runs in the notebook's folder
        parameters = {**parameters, "db": str(Path(db).expanduser().resolve())}
    page = to_html(execute(name, parameters))
    if removed is not None:
        removed.update(removed_counts(page))
    if fmt == "html":
        return page.encode("utf-8")
    if printer is not None:
        return printer.pdf(page)
    return html_to_pdf(page)


def stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M")
