"""A child's chronology: every event in their records, oldest first."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cptrack.caseload import Caseload
from cptrack.casework.tracking.words import (
    AGENCY_WORDS,
    CATEGORY_WORDS,
    DECISION_WORDS,
    KIND_WORDS,
    yes,
)
from cptrack.domain.models import (
    TrackingKind,
)
from cptrack.domain.values import as_date, fmt

CHRONOLOGY_KINDS = (
    "Strategy discussion",
    "Section 47 enquiry",
    "Conference",
    "Plan",
    "Core group",
    "Visit",
    "Report",
    "Plan action",
    "Case tracking",
    "Midway review",
    "Escalation",
)


def chronology(caseload: Caseload, child_id: str, as_of: dt.date) -> pd.DataFrame:
    """Every event in the child's records, oldest first: ``date``, ``kind`` (one of
    ``CHRONOLOGY_KINDS``), ``what`` and ``detail`` (free text from the records: escape it
    when shown) and ``state`` ("done", "planned", "late", "cancelled")."""
    cl = caseload.for_children([child_id])
    rows: list[dict] = []

    def add(day, kind, what, detail="", state="done"):
        d = as_date(day)
        if d is not None:
            rows.append(
                {"date": d, "kind": kind, "what": what, "detail": detail or "", "state": state}
            )

    for r in cl.strategy_discussions.itertuples():
        add(
            r.date,
            "Strategy discussion",
            "Strategy discussion",
            "Section 47 enquiry started" if r.s47_initiated else "No section 47 enquiry",
        )
    for r in cl.s47_enquiries.itertuples():
        add(
            r.start_date,
            "Section 47 enquiry",
            "Section 47 enquiry started",
            "Initial conference not required" if r.icpc_not_required else "",
        )
        add(r.completed_date, "Section 47 enquiry", "Section 47 enquiry completed")
    for r in cl.cp_plans.itertuples():
        add(
            r.start_date,
            "Plan",
            "Child protection plan started",
            CATEGORY_WORDS.get(r.latest_category, r.latest_category),
        )
        add(
            r.end_date,
            "Plan",
            "Child protection plan ended",
            str(r.end_reason or "").replace("_", " "),
        )
    conf_type = {
        "initial": "Initial conference",
        "review": "Review conference",
        "pre_birth": "Pre-birth conference",
        "transfer_in": "Transfer-in conference",
    }
    for r in cl.conferences.itertuples():
        name = conf_type.get(r.type, str(r.type))
        if yes(r.stood_down):
            add(
                r.scheduled_date,
                "Conference",
                f"{name} stood down",
                r.stood_down_reason,
                "cancelled",
            )
        elif as_date(r.held_date):
            outcome = str(r.outcome or "").replace("_", " ")
            add(r.held_date, "Conference", f"{name} held", outcome)
        else:
            add(r.scheduled_date, "Conference", f"{name} booked", "", "planned")
    for r in cl.core_groups.itertuples():
        state = {"held": "done", "scheduled": "planned", "cancelled": "cancelled"}.get(
            r.status, "done"
        )
        if r.status == "scheduled" and as_date(r.date) and as_date(r.date) < as_of:
            state = "late"
        add(r.date, "Core group", f"Core group {r.status}", r.notes, state)
    for r in cl.visits.itertuples():
        seen = (
            "seen alone"
            if yes(r.seen_alone)
            else "seen, not alone"
            if r.seen is not False
            else "not seen"
        )
        add(
            r.date,
            "Visit",
            f"Visit: child {seen}",
            r.notes,
            "done" if r.seen is not False else "late",
        )
    conf_dates = dict(zip(cl.conferences["id"], cl.conferences["scheduled_date"], strict=True))
    for r in cl.agency_reports.itertuples():
        agency = AGENCY_WORDS.get(r.agency, str(r.agency))
        if as_date(r.received_by_chair):
            add(
                r.received_by_chair,
                "Report",
                f"Report from {agency} received",
                f"For the conference of {fmt(conf_dates.get(r.conference_id), '—')}",
            )
    for r in cl.plan_actions.itertuples():
        if r.status == "done":
            add(r.completed_date, "Plan action", f"Action done ({r.owner})", r.description)
        elif r.status == "cancelled":
            add(
                r.due_date,
                "Plan action",
                f"Action cancelled ({r.owner})",
                r.description,
                "cancelled",
            )
        else:
            late = as_date(r.due_date) and as_date(r.due_date) < as_of
            add(
                r.due_date,
                "Plan action",
                f"Action due ({r.owner})",
                r.description,
                "late" if late else "planned",
            )
    for r in cl.case_tracking.itertuples():
        what = KIND_WORDS.get(r.kind, r.kind)
        if r.kind == TrackingKind.CASE_TRACKING.value:
            what += f": {DECISION_WORDS.get(r.decision, r.decision)}"
        detail = str(r.observations or "")
        if r.concerns:
            detail += f" Concerns: {r.concerns}"
        add(r.date, "Case tracking", what, detail)
    for r in cl.midway_reviews.itertuples():
        add(r.date, "Midway review", "Midway review", str(r.decision or "").replace("_", " "))
    for r in cl.escalations.itertuples():
        add(r.raised_on, "Escalation", f"Escalation raised ({r.stage})", r.reason)
        if as_date(r.response_date):
            add(r.response_date, "Escalation", "Escalation response", r.response)
    out = pd.DataFrame(rows, columns=["date", "kind", "what", "detail", "state"])
    if out.empty:
        return out
    out["_k"] = out["kind"].map({k: i for i, k in enumerate(CHRONOLOGY_KINDS)})
    return out.sort_values(["date", "_k"], kind="stable").drop(columns="_k").reset_index(drop=True)
