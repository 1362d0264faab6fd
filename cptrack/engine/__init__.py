"""The compliance engine: a caseload, a profile and a date in; one frame of findings out.

``evaluate(caseload, profile, as_of)`` returns one row per child, rule and occurrence, for
every rule the profile applies: the timescales and the drift and delay alerts. Views, reports
and exports read this frame; they never compute a timescale themselves.

The package is layered, each module importing only those below it:
``base`` (``Context``, the family registry, status and subject codes, event labels) →
``plan_history`` (the caseload as the families read it) → ``reckoning`` (due dates and the
raw rows every timescale family returns) → the rule families: ``timescales`` (the
conferences'), ``chains`` (core groups and visits), ``paperwork`` (reports, distributions,
invitations, birth arrangements, escalations) and ``drift`` → ``wording`` (the words of a
finding) → ``finishing`` (raw rows to finished rows: statuses, lateness, rag) → ``frame``
(the findings frame) → ``evaluation`` (``evaluate``: runs the families, finishes their rows,
builds the frame). This module is the package's public face: ``evaluate`` and the names
callers read as ``engine.<name>``. The findings frame it returns, its columns, statuses and
rag, and the helpers that read it, are in ``cptrack.findings``.
"""

from __future__ import annotations

from cptrack.engine.base import (  # noqa: F401  (re-exported: callers use engine.<name>)
    CANNOT_TELL,
    DUE,
    EVENT_LABELS,
    FAMILIES,
    KINDS,
    MET,
    MET_LATE,
    NAT_D,
    NYA,
    OPTIONAL,
    OVERDUE,
    RAW_COLUMNS,
    STATUS_CODE,
    SUBJECT_CODE,
    TEXT_COLUMNS,
    Context,
    family,
)
from cptrack.engine.evaluation import evaluate  # noqa: F401  (the package's public face)
from cptrack.findings import (  # noqa: F401  (the readers are re-exported for convenience)
    COLUMNS,
    DATE_COLUMNS,
    OPEN_STATUSES,
    RAGS,
    STATUSES,
    SUBJECT_TABLES,
    WORST_ORDER,
    as_day,
    child_summary,
    empty_findings,
    findings_for_export,
    findings_to_records,
    next_due,
    plan_schedule,
    upcoming,
)
from cptrack.rules.sources import short_citation  # noqa: F401  (re-exported)
