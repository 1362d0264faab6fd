"""nbconvert exporters for report notebooks: ``--to cptrack_html`` and ``--to cptrack_pdf``.

Registered under the ``nbconvert.exporters`` entry point (pyproject.toml), so
``jupyter nbconvert --to cptrack_pdf --execute notebooks/reports/chair_caseload.ipynb`` works
as well as ``cptrack report``. The HTML holds the outputs only: the HTML and images the
cells displayed, never their code, prompts or tracebacks (a cell that failed stops the
export). The PDF is that page printed by Debian's Chromium on A4 (``cptrack.reports.pdf``), where
``--to webpdf`` cannot find a browser.
"""

from __future__ import annotations

from nbconvert.exporters import Exporter

from cptrack.render.templating import render, trusted
from cptrack.reports.pdf import html_to_pdf, page_meta
from cptrack.reports.registry import ReportError


def outputs_html(nb) -> str:
    """The displayed outputs of every code cell, in order, as HTML."""
    parts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                raise ReportError(f"{out.get('ename')}: {out.get('evalue')}")
            if kind == "stream":
                if out.get("name") == "stdout":
                    parts.append(str(render("reports/stdout.html", text=out.get("text", ""))))
                continue
            data = out.get("data", {})
            if "text/html" in data:
                value = data["text/html"]
                parts.append("".join(value) if isinstance(value, list) else value)
            elif "image/png" in data:
                parts.append(str(render("reports/image.html", png=data["image/png"])))
    return "\n".join(parts)


def page(body: str) -> str:
    meta = page_meta(body)
    title = " · ".join(x for x in (meta.get("title"), meta.get("subject")) if x) or "Report"
    # The body is the notebook's displayed HTML, escaped by the report code that made it.
    return str(render("reports/document.html", title=title, body=trusted(body))) + "\n"


class ReportHTMLExporter(Exporter):
    """A report notebook's outputs as a standalone HTML page (A4 print styles)."""

    export_from_notebook = "cptrack report (HTML)"
    output_mimetype = "text/html"

    def _file_extension_default(self):
        return ".html"

    def from_notebook_node(self, nb, resources=None, **kw):
        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        return page(outputs_html(nb_copy)), resources


class ReportPDFExporter(ReportHTMLExporter):
    """The same page printed to an A4 PDF by Chromium, with the report's header and footer."""

    export_from_notebook = "cptrack report (PDF)"
    output_mimetype = "application/pdf"

    def _file_extension_default(self):
        return ".pdf"

    def from_notebook_node(self, nb, resources=None, **kw):
        body, resources = super().from_notebook_node(nb, resources, **kw)
        resources["output_extension"] = ".pdf"
        return html_to_pdf(body), resources
