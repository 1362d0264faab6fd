"""Reports: parameterised notebooks in ``notebooks/reports/`` rendered to HTML, PDF, Excel and
Word.

Each report is a class here (``REPORTS``) holding its logic; its notebook only composes
(a ``parameters`` cell, then one cell per section). ``cptrack report`` renders them from the
command line; apps call ``report_bytes`` for a download button.

Parameters every report takes: ``db`` (path or URL; default ``CPTRACK_DB``), ``as_of``,
``start`` and ``end`` (the period), ``child``, ``chair`` (name or id), ``record`` (the id of
an observation, midway review or conference, for the single-record documents), ``profile``,
``pseudonymise`` and ``include_free_text`` (``cptrack.reports.pseudonyms`` says what a
pseudonymised report holds).
"""

from __future__ import annotations

from typing import Any

from cptrack.domain.models import today
from cptrack.reports.context import ReportContext
from cptrack.reports.registry import (
    DOCUMENTS,
    PARAMETERS,
    REPORTS,
    ReportError,
    open_report,
    report_class,
)

__all__ = [
    "DOCUMENTS",
    "MIME",
    "PARAMETERS",
    "REPORTS",
    "ReportError",
    "download_link",
    "filename",
    "open_report",
    "report_bytes",
    "report_class",
]


def report_bytes(name: str, fmt: str = "pdf", **parameters: Any) -> bytes:
    """The report as the bytes of an HTML, PDF, xlsx or docx file: what a download button serves.

    Safe to call from a notebook kernel (the browser and the report's kernel run outside its
    event loop). Takes a few seconds: the notebook runs in a kernel of its own.
    """
    import concurrent.futures

    from cptrack.reports import runner

    # A kernel's event loop is running in this thread: render from a thread of its own.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(runner.render_bytes, name, fmt, parameters).result()


MIME = {
    "html": "text/html",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def download_link(name: str, fmt: str = "pdf", **parameters: Any) -> str:
    """HTML for a link that saves the report (its bytes inline): what an app shows after a
    "Download report" click. Static, so it works in Voila with no file served."""
    import base64

    from cptrack.render.templating import render

    data = base64.b64encode(report_bytes(name, fmt, **parameters)).decode()
    file = filename(name, fmt, **parameters)
    return str(render("reports/download.html", file=file, mime=MIME[fmt], data=data))


def filename(name: str, fmt: str, **parameters: Any) -> str:
    """A file name for a download: ``child_summary-C000001-2026-11-22.pdf``; pseudonymised,
    the child and the chair by their pseudonyms (``child_summary-Child_K7QD2M-…``)."""
    bits = [name]
    shown = dict(parameters)
    if parameters.get("pseudonymise") and (parameters.get("child") or parameters.get("chair")):
        ctx = ReportContext.open(
            "",
            parameters.get("db"),
            child=parameters.get("child"),
            chair=parameters.get("chair"),
            pseudonymise=True,
        )
        try:
            if ctx.child is not None:
                shown["child"] = ctx.child_label(ctx.child)
            if ctx.chair is not None:
                shown["chair"] = ctx.staff_name(ctx.chair_id)
        finally:
            ctx.store.close()
    for key in ("child", "chair", "record"):
        if shown.get(key):
            bits.append(str(shown[key]).replace(" ", "_").replace("/", "_"))
    bits.append(str(parameters.get("as_of") or today()))
    return "-".join(bits) + f".{fmt}"
