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

import importlib
from typing import Any

from cptrack.models import today
from cptrack.reports.context import ReportContext

REPORTS: dict[str, str] = {
    "child_summary": "cptrack.reports.child:ChildSummary",
    "chair_caseload": "cptrack.reports.caseload_report:ChairCaseload",
    "monthly_timeliness": "cptrack.reports.timeliness:MonthlyTimeliness",
    "agency_participation": "cptrack.reports.agencies:AgencyParticipation",
    "observation_summary": "cptrack.reports.observations:ObservationSummary",
    "observation": "cptrack.reports.observations:SingleObservation",
    "midway_review": "cptrack.reports.documents:MidwayReviewDocument",
    "conference_record": "cptrack.reports.documents:ConferenceRecordDocument",
}
# The reports also made as Word documents (``--to docx``): the ones for a child's or a chair's
# file, which chairs upload to the case system and edit in Word.
DOCUMENTS = ("conference_record", "midway_review", "child_summary", "observation")
PARAMETERS = ("db", "as_of", "start", "end", "child", "chair", "record", "profile", "pseudonymise",
              "include_free_text")  # fmt: skip


def report_class(name: str):
    try:
        module, _, cls = REPORTS[name].partition(":")
    except KeyError:
        raise KeyError(f"no report {name!r}; reports: {', '.join(REPORTS)}") from None
    return getattr(importlib.import_module(module), cls)


def open_report(name: str, **parameters: Any):
    """The report ``name`` over the database, ready to give its sections as HTML."""
    unknown = set(parameters) - set(PARAMETERS)
    if unknown:
        raise TypeError(f"unknown report parameters: {', '.join(sorted(unknown))}")
    cls = report_class(name)
    ctx = ReportContext.open(cls.title, **parameters)
    return cls(ctx)


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


MIME = {"html": "text/html", "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}  # fmt: skip


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
        ctx = ReportContext.open("", parameters.get("db"), child=parameters.get("child"),
                                 chair=parameters.get("chair"), pseudonymise=True)  # fmt: skip
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
