"""The midway review form: what it holds (the outcomes' progress, risks, the child's voice,
contingency, compliance, the decision and its actions) and what it refuses, by field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from cptrack.casework.escalations import EscalationDraft
from cptrack.casework.midway.words import CITE, DECISION_WORDS, FORM_FIELDS, RAG_WORDS, RISK_WORDS
from cptrack.domain.drafts import cleaned, removed
from cptrack.domain.models import (
    FieldError,
    MidwayDecision,
    today,
)
from cptrack.domain.values import fmt
from cptrack.rules.profiles import Profile


@dataclass
class OutcomeRow:
    """Progress against one outcome of the plan."""

    outcome: str = ""
    rag: str | None = None
    evidence: str = ""

    def data(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "rag": self.rag, "evidence": self.evidence}


@dataclass
class ActionRow:
    """An action the review sets: what, who, by when."""

    description: str = ""
    owner: str = ""
    agency: str | None = None
    due_date: dt.date | None = None
    record_id: int | None = None
    version: int | None = None

    def data(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "owner": self.owner,
            "agency": self.agency or None,
            "due_date": self.due_date,
        }


@dataclass
class MidwayDraft:
    """What the midway review form holds: a new review, or an amendment of ``record_id``."""

    child_id: str
    plan_id: int | None
    conference_id: int | None
    conference_date: dt.date | None
    chair_id: int | None = None
    date: dt.date | None = None
    outcomes: list[OutcomeRow] = field(default_factory=list)
    risks_reducing: str | None = None
    risks_evidence: str = ""
    child_voice_heard: bool | None = None
    child_voice_evidence: str = ""
    contingency_still_right: bool | None = None
    contingency_note: str = ""
    core_group_compliance: str = ""
    visit_compliance: str = ""
    decision: str | None = None
    decision_rationale: str = ""
    actions: list[ActionRow] = field(default_factory=list)
    removed_actions: list[ActionRow] = field(default_factory=list)
    escalation: EscalationDraft | None = None
    escalation_id: int | None = None  # an escalation this review has already opened
    record_id: int | None = None
    version: int | None = None
    original: dict[str, Any] = field(default_factory=dict)

    @property
    def amending(self) -> bool:
        return self.record_id is not None

    @property
    def opens_escalation(self) -> bool:
        return self.decision == MidwayDecision.ESCALATE.value and self.escalation_id is None

    def with_values(self, **values: Any) -> MidwayDraft:
        clean = cleaned(
            values, FORM_FIELDS, "midway review", optional=("risks_reducing", "decision")
        )
        if "actions" in clean:
            clean["removed_actions"] = removed(
                self.actions + self.removed_actions, clean["actions"]
            )
        return replace(self, **clean)

    # -- validation --------------------------------------------------------

    def problems(self, profile: Profile, on: dt.date | None = None) -> list[FieldError]:
        """What the form refuses, by field, each message citing its standard."""
        on = on or today()
        out: list[FieldError] = []

        def need(name: str, ok: bool, message: str) -> None:
            if not ok:
                out.append(FieldError(name, message))

        if self.plan_id is None:
            out.append(FieldError("date", "The child has no open child protection plan to review."))
        need("date", self.date is not None, "Give the date of the review.")
        if self.date is not None:
            if self.date > on:
                out.append(
                    FieldError(
                        "date",
                        f"{fmt(self.date)} is in the future: record the review once it is done.",
                    )
                )
            elif self.conference_date and self.date <= self.conference_date:
                out.append(
                    FieldError(
                        "date",
                        "A midway review comes after the conference of "
                        f"{fmt(self.conference_date)}.",
                    )
                )
        rows = [o for o in self.outcomes if o.outcome or o.rag or o.evidence]
        need(
            "outcomes",
            bool(rows),
            "Rate progress against at least one outcome of the plan, "
            f"with evidence [{CITE['midway']}].",
        )
        for i, o in enumerate(self.outcomes, 1):
            if not (o.outcome or o.rag or o.evidence):
                continue
            where = f"outcomes.{i}"
            need(f"{where}.outcome", bool(o.outcome), "Say which outcome of the plan this is.")
            need(f"{where}.rag", o.rag in RAG_WORDS, "Rate progress: red, amber or green.")
            need(
                f"{where}.evidence",
                bool(o.evidence),
                "Give the evidence for this rating: what "
                "has changed for the child, not only what was done.",
            )
        need(
            "risks_reducing",
            self.risks_reducing in RISK_WORDS,
            f"Say whether the original risks are reducing [{CITE['risks']}].",
        )
        need(
            "risks_evidence",
            bool(self.risks_evidence),
            f"Give the evidence that the risks are (or are not) reducing [{CITE['risks']}].",
        )
        need(
            "child_voice_heard",
            self.child_voice_heard is not None,
            f"Say whether the child's voice is heard in the plan [{CITE['child']}].",
        )
        need(
            "child_voice_evidence",
            bool(self.child_voice_evidence),
            "Say how the child's wishes and feelings are known (or what will be done) "
            f"[{CITE['child']}].",
        )
        need(
            "contingency_still_right",
            self.contingency_still_right is not None,
            f"Say whether the contingency plan is still right [{CITE['contingency']}].",
        )
        if self.contingency_still_right is False:
            need(
                "contingency_note",
                bool(self.contingency_note),
                f"Say what should change in the contingency plan [{CITE['contingency']}].",
            )
        need("decision", self.decision in DECISION_WORDS, "Choose the decision.")
        if self.decision and self.decision != MidwayDecision.ON_TRACK.value:
            need(
                "decision_rationale",
                bool(self.decision_rationale),
                "Give the reasons for the decision.",
            )
        if self.opens_escalation:
            if self.escalation is None:
                out.append(
                    FieldError(
                        "escalation",
                        f"Open the escalation: say who it goes to and why [{CITE['escalate']}].",
                    )
                )
            else:
                out += [
                    FieldError(f"escalation.{p.field}", p.message)
                    for p in self.escalation.problems(profile, on)
                ]
        for i, a in enumerate(self.actions, 1):
            where = f"actions.{i}"
            if not (a.description or a.owner or a.due_date):
                continue
            need(f"{where}.description", len(a.description) >= 3, "Say what is to be done.")
            need(f"{where}.owner", bool(a.owner), "Say who will do it.")
            if a.due_date is None:
                out.append(FieldError(f"{where}.due_date", "Say by when."))
            elif self.date and a.due_date <= self.date:
                out.append(FieldError(f"{where}.due_date", "The date is on or before the review."))
        return out

    def record_data(self) -> dict[str, Any]:
        return {
            "child_id": self.child_id,
            "plan_id": self.plan_id,
            "conference_id": self.conference_id,
            "chair_id": self.chair_id,
            "date": self.date,
            "outcomes": [o.data() for o in self.outcomes if o.outcome or o.rag or o.evidence],
            "risks_reducing": self.risks_reducing,
            "risks_evidence": self.risks_evidence or None,
            "child_voice_heard": self.child_voice_heard,
            "child_voice_evidence": self.child_voice_evidence or None,
            "contingency_still_right": self.contingency_still_right,
            "contingency_note": self.contingency_note or None,
            "core_group_compliance": self.core_group_compliance or None,
            "visit_compliance": self.visit_compliance or None,
            "decision": self.decision,
            "decision_rationale": self.decision_rationale or None,
        }
