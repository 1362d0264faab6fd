"""The midway review's codes and their words, the form's fields and the standards it cites."""

from __future__ import annotations

from cptrack.domain.models import (
    MidwayDecision,
    Rag,
    RisksReducing,
)

LABEL = "Midway review"
RAG_WORDS = {
    Rag.RED.value: "Red: not progressing",
    Rag.AMBER.value: "Amber: some progress",
    Rag.GREEN.value: "Green: on track",
}
RISK_WORDS = {
    RisksReducing.YES.value: "Yes",
    RisksReducing.PARTLY.value: "Partly",
    RisksReducing.NO.value: "No",
}
DECISION_WORDS = {
    MidwayDecision.ON_TRACK.value: "On track: no change",
    MidwayDecision.BRING_REVIEW_FORWARD.value: "Bring the review conference forward",
    MidwayDecision.ESCALATE.value: "Escalate",
    MidwayDecision.RECOMMEND_CHANGE_OF_PLAN.value: "Recommend a change of plan",
}
CITE = {
    "midway": "004 §4.14",
    "risks": "002 standard 3",
    "child": "003 §3.9, §3.13",
    "contingency": "002 guidance 9",
    "escalate": "004 §4.15; 003 §5.10",
    "forward": "003 §6.14",
}
FORM_FIELDS = (
    "date",
    "outcomes",
    "risks_reducing",
    "risks_evidence",
    "child_voice_heard",
    "child_voice_evidence",
    "contingency_still_right",
    "contingency_note",
    "core_group_compliance",
    "visit_compliance",
    "decision",
    "decision_rationale",
    "actions",
    "escalation",
)
