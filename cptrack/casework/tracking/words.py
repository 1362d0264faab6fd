"""The case-tracking pages' codes and their words: decisions, checks, record kinds, RAG,
categories and agencies, and the record form's fields."""

from __future__ import annotations

from typing import Any

import pandas as pd

from cptrack.domain.models import (
    AGENCY_LABELS,
    CATEGORY_LABELS,
    TrackingDecision,
    TrackingKind,
)

LABEL = "Case-tracking record"
DECISION_WORDS = {
    TrackingDecision.NO_ACTION.value: "No action: the plan is progressing",
    TrackingDecision.ADVICE_SOCIAL_WORKER.value: "Advice to the social worker",
    TrackingDecision.ADVICE_TEAM_MANAGER.value: "Advice to the team manager",
    TrackingDecision.ESCALATE.value: "Escalate",
}
CHECK_WORDS = {
    "checked_core_groups": "Core groups held",
    "checked_visits": "Visits made (child seen, seen alone)",
    "checked_actions": "Actions progressing",
    "checked_reports": "Reports in",
}
KIND_WORDS = {
    TrackingKind.CASE_TRACKING.value: "Case-tracking check",
    TrackingKind.ENHANCED_RISK_ANALYSIS.value: "Enhanced Risk Analysis Meeting",
}
RAG_ORDER = ("red", "amber", "green", "")
RAG_WORDS = {
    "red": "Red: overdue",
    "amber": "Amber: due soon",
    "green": "Green: on track",
    "": "No open items",
}
CATEGORY_WORDS = {c.value: w for c, w in CATEGORY_LABELS.items()}
AGENCY_WORDS = {a.value: w for a, w in AGENCY_LABELS.items()}
FORM_FIELDS = ("date", *CHECK_WORDS, "observations", "concerns", "decision", "next_check_date")
REASONS_SHOWN = 3
WEEK_DAYS = 7  # "due this week": due in the next seven days


def yes(value: Any) -> bool:
    """True only for a recorded yes (a missing value is not yes)."""
    return value is not None and not pd.isna(value) and bool(value)
