"""The conference record's codes and their words, the form's fields and the standards its
checks cite."""

from __future__ import annotations

from cptrack.domain.models import (
    AttendanceStatus,
    ConferenceOutcome,
    PlanEndReason,
    PlanView,
)

LABEL = "Conference record"
OUTCOME_WORDS = {
    ConferenceOutcome.CP_PLAN.value: "Child protection plan",
    ConferenceOutcome.CIN_PLAN.value: "Child in need plan (no child protection plan)",
    ConferenceOutcome.NFA.value: "No further action",
    ConferenceOutcome.PLAN_CONTINUES.value: "Child protection plan continues",
    ConferenceOutcome.PLAN_ENDS.value: "Child protection plan ends",
}
INITIAL_OUTCOMES = ("cp_plan", "cin_plan", "nfa")
REVIEW_OUTCOMES = ("plan_continues", "plan_ends")
STATUS_WORDS = {
    AttendanceStatus.ATTENDED.value: "Attended",
    AttendanceStatus.APOLOGIES_REPORT_SENT.value: "Apologies, report sent",
    AttendanceStatus.APOLOGIES.value: "Apologies",
    AttendanceStatus.DID_NOT_ATTEND.value: "Did not attend",
}
VIEW_WORDS = {
    PlanView.CP_PLAN.value: "Child protection plan",
    PlanView.CIN_PLAN.value: "Child in need plan",
    PlanView.NFA.value: "No further action",
    PlanView.NO_VIEW.value: "No view given",
}
END_REASON_WORDS = {
    PlanEndReason.STEP_DOWN_CIN.value: "Stepped down to a child in need plan",
    PlanEndReason.STEP_DOWN_EARLY_HELP.value: "Stepped down to early help",
    PlanEndReason.NO_FURTHER_ACTION.value: "No further action",
    PlanEndReason.LOOKED_AFTER.value: "Child became looked after",
    PlanEndReason.TRANSFERRED_OUT.value: "Transferred to another authority",
    PlanEndReason.ADOPTED.value: "Adopted",
    PlanEndReason.TURNED_18.value: "Turned 18",
    PlanEndReason.DIED.value: "Died",
    PlanEndReason.OTHER.value: "Other",
}
PARTICIPATION_WORDS = {
    "PN0": "PN0: under 4",
    "PN1": "PN1: attended and spoke for themselves",
    "PN2": "PN2: attended; an advocate conveyed their views",
    "PN3": "PN3: attended; views conveyed non-verbally",
    "PN4": "PN4: attended but did not convey views",
    "PN5": "PN5: did not attend; an advocate conveyed their views",
    "PN6": "PN6: did not attend; views conveyed another way",
    "PN7": "PN7: did not attend and views not conveyed",
}
SOS_FIELDS = (
    "worried_about",
    "working_well",
    "child_views",
    "needs_to_happen",
    "danger_statements",
    "safety_goals",
)
QUORUM_OTHER_AGENCIES = 2  # 003_b9b37e5469565ffe.txt §4.2, as the issue defines quoracy
NOT_AGENCIES = ("family",)  # attendees who are not agencies for quoracy

CITE = {
    "quorate": "003 §4.2",
    "stand_down": "003 §4.3",
    "bridging": "003 §4.4",
    "views": "002 standard 4",
    "scaling": "001",
    "dissent": "002 standard 6",
    "core_group": "002 standard 7",
    "review": "002 standard 8",
    "visits": "002 standard 9",
    "contingency": "002 standard 10",
    "smart": "003 §5.2; 000",
    "child_views": "003 §3.9",
    "sos": "001",
    "cin": "003 §5.3",
}

FORM_FIELDS = (
    "type",
    "held_date",
    "venue",
    "venue_name",
    "stood_down",
    "stood_down_reason",
    "bridging_plan",
    "reconvene_date",
    "attendance",
    "participation",
    *SOS_FIELDS,
    "outcome",
    "category",
    "dissent_detail",
    "end_reason",
    "core_group_members",
    "first_core_group_date",
    "next_review_date",
    "visit_frequency_wd",
    "contingency_plan",
    "actions",
    "decisions_distributed",
    "plan_distributed",
    "minutes_distributed",
)
