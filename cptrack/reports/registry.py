"""The reports there are, and opening one: each report is a class (``REPORTS``, found by
name), opened over a database with the parameters every report takes (``PARAMETERS``).
``ReportError`` is what any part of the report machinery raises when a report cannot be made.
"""

from __future__ import annotations

import importlib
from typing import Any

from cptrack.reports.context import ReportContext


class ReportError(RuntimeError):
    """A report could not be made; the message says why (never a traceback)."""


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
PARAMETERS = (
    "db",
    "as_of",
    "start",
    "end",
    "child",
    "chair",
    "record",
    "profile",
    "pseudonymise",
    "include_free_text",
)


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
