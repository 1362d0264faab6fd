"""The escalation log: every escalation with the engine's verdict on its response.

Whether a response is late is the engine's business (``escalation_response`` findings);
``log`` joins each escalation to its finding, so an open escalation past its response date
reads "overdue by N working days" and is red, wherever it is shown. The escalation form
(the draft, its checks and its save) is ``cptrack.casework.escalations``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from cptrack import engine
from cptrack.caseload import Caseload
from cptrack.domain.models import EscalationStatus
from cptrack.rules.profiles import Profile

LOG_COLUMNS = (
    "id",
    "version",
    "child_id",
    "child_name",
    "plan_id",
    "raised_on",
    "stage",
    "raised_with",
    "reason",
    "response_due",
    "response_date",
    "response",
    "outcome",
    "status",
    "source_kind",
    "source_record_id",
    "finding_status",
    "status_text",
    "rag",
    "citation",
    "basis_text",
)


def escalation_findings(caseload: Caseload, profile: Profile, as_of: dt.date) -> pd.DataFrame:
    """The engine's ``escalation_response`` findings for the caseload (only those rules are
    evaluated, so the log stays quick on a large caseload)."""
    rules = tuple(r for r in profile.rules if r.event == "escalation_response")
    if not any(r.applied for r in rules):
        return engine.empty_findings()
    return engine.evaluate(caseload, dataclasses.replace(profile, rules=rules), as_of)


def log(
    caseload: Caseload,
    profile: Profile,
    as_of: dt.date,
    *,
    open_only: bool = False,
    findings: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per escalation, newest first, with the engine's verdict on its response:
    ``finding_status`` (overdue, due, met, met_late...), ``status_text`` ("overdue by 3
    working days"), ``rag``, the rule's ``citation`` and ``basis_text`` (the response date agreed
    on the escalation, or the local default). ``open_only`` keeps the open ones.
    Pass ``findings`` when the caller has already evaluated the caseload."""
    esc = caseload.escalations
    if open_only:
        esc = esc[esc["status"].fillna("open") == EscalationStatus.OPEN.value]
    if findings is None:
        findings = escalation_findings(caseload, profile, as_of)
    f = findings[findings["event"] == "escalation_response"]
    f = f.assign(subject_id=f["subject_id"].astype("Int64"))
    f = f[["subject_id", "status", "status_text", "rag", "citation", "basis_text"]].astype(
        {
            "status": object,
            "status_text": object,
            "rag": object,
            "citation": object,
            "basis_text": object,
        }
    )
    f = f.rename(columns={"subject_id": "id", "status": "finding_status"})
    out = esc.merge(f.drop_duplicates("id"), on="id", how="left")
    names = caseload.children.set_index("id")
    full = (names["given_name"].astype(str) + " " + names["family_name"].astype(str)).to_dict()
    out["child_name"] = out["child_id"].map(full)
    for col in ("finding_status", "status_text", "rag", "citation", "basis_text"):
        out[col] = out[col].astype(object).where(out[col].notna(), "")
    out = out.sort_values(["raised_on", "id"], ascending=False, kind="stable")
    return out[list(LOG_COLUMNS)].reset_index(drop=True)
