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

import concurrent.futures
import datetime as dt
import html as html_lib
import os
import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from cptrack.render.templating import macro
from cptrack.reports.exporters import ReportError

PACKAGE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CPTRACK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
FORMATS = ("html", "pdf", "xlsx", "docx")
META = re.compile(r'<div class="rpt-meta"([^>]*)>', re.S)
REMOVED = re.compile(r'<div class="rpt-removed" data-counts="([^"]*)">')
ATTR = re.compile(r'data-(\w+)="([^"]*)"')


def notebooks_dir() -> Path:
    """The report notebooks: beside the package in a checkout, else ./notebooks/reports."""
    for candidate in (PACKAGE_DIR.parent / "notebooks" / "reports",
                      Path.cwd() / "notebooks" / "reports"):  # fmt: skip
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


def page_meta(body: str) -> dict[str, str]:
    """The header facts a report notebook states in its hidden ``rpt-meta`` element."""
    match = META.search(body)
    if not match:
        return {}
    return {k: html_lib.unescape(v) for k, v in ATTR.findall(match.group(1))}


def to_html(nb: nbformat.NotebookNode) -> str:
    """The executed notebook as a standalone page: outputs only, print styles for A4."""
    from cptrack.reports.exporters import ReportHTMLExporter

    body, _ = ReportHTMLExporter().from_notebook_node(nb)
    return body


# ---------------------------------------------------------------------------
# PDF


def _header_footer(meta: dict[str, str]) -> tuple[str, str]:
    style = "font-family: Liberation Sans, Arial, sans-serif; font-size: 7.5px; color: #505a5f; width: 100%; margin: 0 12mm; display: flex; justify-content: space-between;"
    left = " · ".join(x for x in (meta.get("title"), meta.get("subject")) if x)
    right = " · ".join(x for x in (meta.get("authority"), meta.get("period")) if x)
    header = macro("reports/print_header.html", "header")(style, left, right)
    footer = macro("reports/print_header.html", "footer")(
        style, meta.get("generated", ""), meta.get("pseudonymised") == "yes"
    )
    return str(header), str(footer)


class Printer:
    """One Chromium for several PDFs (``--all-chairs``); use as a context manager.

    Playwright's synchronous API refuses to run inside an asyncio loop (a Jupyter kernel), so
    everything runs in one worker thread of its own.
    """

    def __init__(self) -> None:
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self._browser = None
        self._pw = None

    def __enter__(self) -> Printer:
        self._pool.submit(self._start).result()
        return self

    def __exit__(self, *exc) -> None:
        self._pool.submit(self._stop).result()
        self._pool.shutdown()

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        if not Path(CHROMIUM).exists():
            raise ReportError(
                f"PDF needs Chromium at {CHROMIUM} (make system-packages installs it)"
            )
        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    def _stop(self) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._pw is not None:
            self._pw.stop()

    def pdf(self, page_html: str) -> bytes:
        return self._pool.submit(self._pdf, page_html).result()

    def _pdf(self, page_html: str) -> bytes:
        header, footer = _header_footer(page_meta(page_html))
        page = self._browser.new_page()
        try:
            with tempfile.NamedTemporaryFile("w", suffix=".html", encoding="utf-8") as f:
                f.write(page_html)
                f.flush()
                page.goto(Path(f.name).as_uri(), wait_until="load")
                page.emulate_media(media="print")
                return page.pdf(
                    format="A4",
                    print_background=True,
                    display_header_footer=True,
                    header_template=header,
                    footer_template=footer,
                    margin={"top": "16mm", "bottom": "14mm", "left": "12mm", "right": "12mm"},
                    prefer_css_page_size=True,
                )
        finally:
            page.close()


def html_to_pdf(page_html: str) -> bytes:
    with Printer() as printer:
        return printer.pdf(page_html)


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
        from cptrack.reports import excel, open_report

        report = open_report(name, **parameters)
        data = excel.workbook_bytes(report)
        if removed is not None and report.ctx.pseudonymise:
            removed.update(report.ctx.scrubber.counts)
        return data
    if fmt == "docx":
        from cptrack.reports import DOCUMENTS, open_report, word

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
