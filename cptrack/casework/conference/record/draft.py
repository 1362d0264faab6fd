"""The conference record form's draft: what the form holds and what it writes.

A ``RecordDraft`` holds the record of one conference; its checks are ``RecordChecks``
(``checks``), its words ``words``; ``opening`` makes one and ``saving`` saves it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from cptrack.casework.conference.record.checks import RecordChecks
from cptrack.casework.conference.record.words import (
    FORM_FIELDS,
    INITIAL_OUTCOMES,
    NOT_AGENCIES,
    REVIEW_OUTCOMES,
    SOS_FIELDS,
)
from cptrack.domain.drafts import cleaned, removed
from cptrack.domain.models import (
    INITIAL_LIKE,
    PLAN_OUTCOMES,
    AttendanceStatus,
)


@dataclass
class AttendeeRow:
    """One person (or agency) invited: whether they came, their scaling, view and dissent."""

    agency: str = ""
    person: str = ""
    role: str = ""
    status: str = AttendanceStatus.ATTENDED.value
    scaling_score: int | None = None
    view: str | None = None
    category_view: str | None = None
    dissent: bool = False
    record_id: int | None = None
    version: int | None = None
    original: dict[str, Any] = field(default_factory=dict)

    @property
    def professional(self) -> bool:
        return self.agency not in NOT_AGENCIES

    @property
    def attended(self) -> bool:
        return self.status == AttendanceStatus.ATTENDED.value

    def data(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "person": self.person or None,
            "role": self.role or None,
            "status": self.status,
            "scaling_score": self.scaling_score,
            "view": self.view or None,
            "category_view": self.category_view or None,
            "dissent": bool(self.dissent),
        }


@dataclass
class ActionRow:
    """A SMART action in the plan: what, who, by when."""

    description: str = ""
    owner: str = ""
    agency: str | None = None
    due_date: dt.date | None = None
    record_id: int | None = None
    version: int | None = None
    original: dict[str, Any] = field(default_factory=dict)

    def data(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "owner": self.owner,
            "agency": self.agency or None,
            "due_date": self.due_date,
        }


@dataclass
class RecordDraft(RecordChecks):
    """What the conference record form holds."""

    conference_id: int
    child_id: str
    conference_version: int
    scheduled_date: dt.date
    type: str
    chair_id: int | None = None
    plan_id: int | None = None  # the conference's plan, once it has one
    held_date: dt.date | None = None
    venue: str | None = None
    venue_name: str = ""  # where: 000 asks for the same venue for the life of the plan
    stood_down: bool = False
    stood_down_reason: str = ""
    bridging_plan: str = ""
    reconvene_date: dt.date | None = None
    attendance: list[AttendeeRow] = field(default_factory=list)
    removed_attendance: list[AttendeeRow] = field(default_factory=list)
    participation: str | None = None
    worried_about: str = ""
    working_well: str = ""
    child_views: str = ""
    needs_to_happen: str = ""
    danger_statements: str = ""
    safety_goals: str = ""
    outcome: str | None = None
    category: str | None = None
    dissent_detail: str = ""
    end_reason: str | None = None
    core_group_members: str = ""
    first_core_group_date: dt.date | None = None
    next_review_date: dt.date | None = None
    visit_frequency_wd: int | None = None
    contingency_plan: str = ""
    actions: list[ActionRow] = field(default_factory=list)
    removed_actions: list[ActionRow] = field(default_factory=list)
    decisions_distributed: dt.date | None = None
    plan_distributed: dt.date | None = None
    minutes_distributed: dt.date | None = None
    s47_id: int | None = None
    meeting_ref: str | None = None
    booked_type: str | None = None  # the type the conference was booked as
    saved_outcome: str | None = None  # the decision as last saved (None: not yet recorded)
    original: dict[str, Any] = field(default_factory=dict)

    # -- reading the draft -------------------------------------------------

    @property
    def initial_like(self) -> bool:
        return self.type in INITIAL_LIKE

    @property
    def makes_or_keeps_plan(self) -> bool:
        return not self.stood_down and self.outcome in PLAN_OUTCOMES

    @property
    def outcomes(self) -> tuple[str, ...]:
        return INITIAL_OUTCOMES if self.initial_like else REVIEW_OUTCOMES

    @property
    def dissent(self) -> bool:
        return any(a.dissent for a in self.attendance)

    def with_values(self, **values: Any) -> RecordDraft:
        """A copy holding what a view read from its inputs (unknown names refused)."""
        optional = ("venue", "participation", "outcome", "category", "end_reason")
        clean = cleaned(
            values,
            FORM_FIELDS,
            "conference record",
            optional=(*optional, "visit_frequency_wd"),
        )
        if "attendance" in clean:
            clean["removed_attendance"] = removed(
                self.attendance + self.removed_attendance, clean["attendance"]
            )
        if "actions" in clean:
            clean["removed_actions"] = removed(
                self.actions + self.removed_actions, clean["actions"]
            )
        return replace(self, **clean)

    # -- what is written ---------------------------------------------------

    def conference_data(self) -> dict[str, Any]:
        if self.stood_down:
            return {
                "type": self.type,
                "held_date": None,
                "scheduled_date": self.held_date or self.scheduled_date,
                "venue": self.venue,
                "venue_name": self.venue_name.strip() or None,
                "stood_down": True,
                "stood_down_reason": self.stood_down_reason,
                "bridging_plan": self.bridging_plan,
                "quorate": self.quorum()[0] if self.attendance else None,
                "outcome": None,
            }
        plan = self.outcome in PLAN_OUTCOMES
        data = {
            "type": self.type,
            "held_date": self.held_date,
            "venue": self.venue,
            "venue_name": self.venue_name.strip() or None,
            "stood_down": False,
            "stood_down_reason": None,
            "bridging_plan": None,
            "quorate": self.quorum()[0],
            "outcome": self.outcome,
            "category": self.category if plan else None,
            "dissent": self.dissent,
            "dissent_detail": self.dissent_detail or None,
            "participation": self.participation,
            "core_group_members": self.core_group_members or None if plan else None,
            "first_core_group_date": self.first_core_group_date if plan else None,
            "next_review_date": self.next_review_date if plan else None,
            "visit_frequency_wd": self.visit_frequency_wd if plan else None,
            "contingency_plan": self.contingency_plan or None if plan else None,
            "decisions_distributed": self.decisions_distributed,
            "plan_distributed": self.plan_distributed,
            "minutes_distributed": self.minutes_distributed,
        }
        for name in SOS_FIELDS:
            data[name] = getattr(self, name) or None
        return data
