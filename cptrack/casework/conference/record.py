"""The conference record form's model: what the conference decided, checked and saved at once.

A ``RecordDraft`` holds the record of one conference (DOMAIN.md §4): the date; attendance
and apologies by agency, each professional's scaling score (0 to 10, ``001``), view on the
decision and any dissent; the Signs of Safety analysis; the decision and category; and,
when a plan is made or continues, the arrangements the standards require. Or the
conference was stood down, with its reason, a bridging plan and the date it reconvenes.

``problems`` refuses what the standards require and is missing, each message citing its
standard: quoracy, social care and at least two other agencies (``003 §4.2``), else stand
the conference down (``003 §4.3``) with a bridging plan (``003 §4.4``); every professional's
view (``002`` standard 4) and scaling (``001``); dissent recorded (``002`` standard 6);
core group members and the first core group's date (``002`` standard 7); the review date
(``002`` standard 8); the visiting frequency (``002`` standard 9); a contingency plan
(``002`` standard 10); SMART actions, who does what by when (``003 §5.2``, ``000``).

``save`` writes everything in one audited transaction: the conference, its attendance,
the plan (made, continued or ended), the scheduled first (or next) core group and the next
review conference as booked records, the plan's actions, and a reconvened conference for a
stand-down. The engine's findings follow from those records: ``schedule`` reads the dates
now due for the plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from cptrack import engine
from cptrack.caseload import load
from cptrack.casework.conference.agenda import ConferenceFile
from cptrack.domain.drafts import cleaned, removed
from cptrack.domain.models import (
    AGENCY_LABELS,
    CATEGORY_LABELS,
    INITIAL_LIKE,
    PLAN_OUTCOMES,
    ActionSource,
    Agency,
    AttendanceStatus,
    Category,
    ConferenceOutcome,
    CoreGroupStatus,
    FieldError,
    Participation,
    PlanEndReason,
    PlanView,
    RecordError,
    today,
)
from cptrack.domain.values import as_date as _day
from cptrack.domain.values import fmt
from cptrack.engine import timescales
from cptrack.rules import workdays
from cptrack.rules.profiles import Profile
from cptrack.storage.refusals import StaleVersionError
from cptrack.storage.store import Store
from cptrack.storage.tables import TABLES

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


@dataclass
class RecordDraft:
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

    def quorum(self) -> tuple[bool, str]:
        """Whether the conference is quorate (social care and at least two other agencies
        attended) and, in words, who counts."""
        came = {a.agency for a in self.attendance if a.attended and a.agency}
        others = sorted(came - {"social_care", *NOT_AGENCIES})
        social_care = "social_care" in came
        ok = social_care and len(others) >= QUORUM_OTHER_AGENCIES
        names = ", ".join(AGENCY_LABELS.get(a, a) for a in others) or "none"
        words = (
            f"{'Quorate' if ok else 'Not quorate'}: children's social care "
            f"{'attended' if social_care else 'did not attend'}; other agencies attending: "
            f"{names} ({len(others)}; at least {QUORUM_OTHER_AGENCIES} needed) [{CITE['quorate']}]"
        )
        return ok, words

    def with_values(self, **values: Any) -> RecordDraft:
        """A copy holding what a view read from its inputs (unknown names refused)."""
        clean: dict[str, Any] = {}
        for key, value in cleaned(values, FORM_FIELDS, "conference record").items():
            if key in ("venue", "participation", "outcome", "category", "end_reason") and not value:
                value = None
            if key == "visit_frequency_wd" and value in ("", 0):
                value = None
            clean[key] = value
        if "attendance" in clean:
            clean["removed_attendance"] = removed(
                self.attendance + self.removed_attendance, clean["attendance"]
            )
        if "actions" in clean:
            clean["removed_actions"] = removed(
                self.actions + self.removed_actions, clean["actions"]
            )
        return replace(self, **clean)

    # -- validation --------------------------------------------------------

    def problems(self, on: dt.date | None = None) -> list[FieldError]:
        """Everything the standards require that is missing, by field, each citing its
        standard (empty when the record can be saved)."""
        on = on or today()
        out: list[FieldError] = []

        def need(name: str, ok: bool, message: str) -> None:
            if not ok:
                out.append(FieldError(name, message))

        booked_initial = (self.booked_type or self.type) in INITIAL_LIKE
        if self.type not in INITIAL_LIKE + ("review",) or booked_initial != self.initial_like:
            out.append(
                FieldError(
                    "type",
                    "An initial conference stays initial, pre-birth or "
                    "transfer-in; a review stays a review.",
                )
            )
        need(
            "held_date",
            self.held_date is not None,
            "Give the date of the conference."
            if not self.stood_down
            else "Give the date the conference was stood down.",
        )
        if self.held_date is not None and self.held_date > on:
            out.append(
                FieldError(
                    "held_date",
                    f"{fmt(self.held_date)} is in the future: record a conference once it has met.",
                )
            )
        if self.stood_down:
            out += self._stand_down_problems()
            return out
        out += self._attendance_problems()
        if self.participation and self.participation not in {p.value for p in Participation}:
            out.append(FieldError("participation", "Choose a participation code (PN0 to PN7)."))
        need(
            "outcome",
            self.outcome in self.outcomes,
            "Choose the decision: " + ", ".join(OUTCOME_WORDS[o] for o in self.outcomes) + ".",
        )
        if (self.saved_outcome == "cp_plan") != (self.outcome == "cp_plan") and (
            self.saved_outcome is not None
        ):
            out.append(
                FieldError(
                    "outcome",
                    "This conference's decision was saved as "
                    f"\u201c{OUTCOME_WORDS[self.saved_outcome]}\u201d; whether it "
                    "made a plan cannot be changed here. Ask an administrator to "
                    "correct the record.",
                )
            )
        if self.outcome in PLAN_OUTCOMES:
            need(
                "category",
                self.category in {c.value for c in Category},
                "A child protection plan needs a category of abuse.",
            )
        if self.outcome == "plan_ends":
            need(
                "end_reason",
                self.end_reason in END_REASON_WORDS,
                "Say why the plan ends (for example, stepped down to a child in need plan) "
                f"[{CITE['cin']}].",
            )
        if self.dissent:
            need(
                "dissent_detail",
                bool(self.dissent_detail),
                "Someone dissented from the decision: record who and why on the conference "
                f"record [{CITE['dissent']}].",
            )
        need(
            "worried_about",
            bool(self.worried_about),
            f"Write what the conference is worried about [{CITE['sos']}].",
        )
        need(
            "needs_to_happen",
            bool(self.needs_to_happen),
            f"Write what needs to happen [{CITE['sos']}].",
        )
        if self.type != "pre_birth":
            need(
                "child_views",
                bool(self.child_views),
                "Record the child's views, or how they were sought and why they could not be "
                f"given [{CITE['child_views']}].",
            )
        if self.outcome in PLAN_OUTCOMES:
            out += self._plan_problems()
        for name in ("decisions_distributed", "plan_distributed", "minutes_distributed"):
            day = getattr(self, name)
            if day is not None and day > on:
                out.append(FieldError(name, f"{fmt(day)} is in the future."))
            elif day is not None and self.held_date and day < self.held_date:
                out.append(FieldError(name, "This is before the conference was held."))
        return out

    def _stand_down_problems(self) -> list[FieldError]:
        out = []
        if not self.stood_down_reason:
            out.append(
                FieldError(
                    "stood_down_reason",
                    "Say why the conference was stood down "
                    f"(for example, no social work report) [{CITE['stand_down']}].",
                )
            )
        if not self.bridging_plan:
            out.append(
                FieldError(
                    "bridging_plan",
                    "A conference that is stood down needs a "
                    "bridging plan, including any urgent action to keep the child "
                    f"safe [{CITE['bridging']}].",
                )
            )
        if self.reconvene_date is None:
            out.append(
                FieldError(
                    "reconvene_date",
                    "Give the date the conference reconvenes: "
                    f"at the earliest opportunity [{CITE['bridging']}].",
                )
            )
        elif self.held_date and self.reconvene_date <= self.held_date:
            out.append(
                FieldError(
                    "reconvene_date",
                    "The conference reconvenes after the day "
                    f"it was stood down ({fmt(self.held_date)}).",
                )
            )
        return out

    def _attendance_problems(self) -> list[FieldError]:
        out = []
        if not self.attendance:
            out.append(FieldError("attendance", "Record who attended and who sent apologies."))
            return out
        agencies = {a.value for a in Agency}
        for i, a in enumerate(self.attendance, 1):
            where = f"attendance.{i}"
            if a.agency not in agencies:
                out.append(FieldError(f"{where}.agency", "Choose the agency."))
            if a.status not in STATUS_WORDS:
                out.append(FieldError(f"{where}.status", "Say whether they attended."))
            if a.scaling_score is not None and not 0 <= a.scaling_score <= 10:
                out.append(FieldError(f"{where}.scaling_score", "Scaling runs from 0 to 10."))
            if not a.attended:
                if a.scaling_score is not None:
                    out.append(
                        FieldError(
                            f"{where}.scaling_score",
                            "Only someone who took part gives a scaling score.",
                        )
                    )
                continue
            if a.professional and a.agency in agencies:
                if a.scaling_score is None:
                    out.append(
                        FieldError(
                            f"{where}.scaling_score",
                            f"Give this professional's scaling score, 0 to 10 [{CITE['scaling']}].",
                        )
                    )
                if a.view not in VIEW_WORDS or a.view == PlanView.NO_VIEW.value:
                    out.append(
                        FieldError(
                            f"{where}.view",
                            f"Record this professional's view on the decision [{CITE['views']}].",
                        )
                    )
        ok, words = self.quorum()
        if not ok:
            out.append(
                FieldError(
                    "attendance",
                    f"{words}. A conference that is not quorate is "
                    "stood down with a bridging plan "
                    f"[{CITE['stand_down']}, {CITE['bridging']}].",
                )
            )
        return out

    def _plan_problems(self) -> list[FieldError]:
        out = []
        held = self.held_date
        if not self.core_group_members:
            out.append(
                FieldError(
                    "core_group_members", f"Name the core group members [{CITE['core_group']}]."
                )
            )
        if self.outcome == "cp_plan" and self.first_core_group_date is None:
            out.append(
                FieldError(
                    "first_core_group_date",
                    f"Set the date of the first core group [{CITE['core_group']}].",
                )
            )
        if self.first_core_group_date and held and self.first_core_group_date <= held:
            out.append(
                FieldError("first_core_group_date", "The core group meets after the conference.")
            )
        if self.next_review_date is None:
            out.append(
                FieldError(
                    "next_review_date",
                    f"Agree the date of the review conference [{CITE['review']}].",
                )
            )
        elif held and self.next_review_date <= held:
            out.append(FieldError("next_review_date", "The review comes after this conference."))
        if self.visit_frequency_wd is None:
            out.append(
                FieldError(
                    "visit_frequency_wd",
                    f"Set how often the social worker visits (working days) [{CITE['visits']}].",
                )
            )
        elif not 1 <= int(self.visit_frequency_wd) <= 130:
            out.append(
                FieldError("visit_frequency_wd", "Give a number of working days from 1 to 130.")
            )
        if not self.contingency_plan:
            out.append(
                FieldError(
                    "contingency_plan",
                    "A plan needs a contingency plan, specific "
                    f"to the child's circumstances [{CITE['contingency']}].",
                )
            )
        if not any(a.description or a.owner or a.due_date for a in self.actions):
            out.append(
                FieldError(
                    "actions", f"Add the plan's actions: who does what, by when [{CITE['smart']}]."
                )
            )
        for i, a in enumerate(self.actions, 1):
            where = f"actions.{i}"
            if len(a.description) < 3:
                out.append(FieldError(f"{where}.description", "Say what is to be done."))
            if not a.owner:
                out.append(FieldError(f"{where}.owner", "Say who will do it."))
            if a.due_date is None:
                out.append(FieldError(f"{where}.due_date", "Say by when."))
            elif held and a.due_date <= held:
                out.append(
                    FieldError(f"{where}.due_date", "The date is on or before the conference.")
                )
        for i, a in enumerate(self.attendance, 1):
            if a.category_view and a.category_view not in {c.value for c in Category}:
                out.append(FieldError(f"attendance.{i}.category_view", "Choose a category."))
        return out

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


# ---------------------------------------------------------------------------
# Opening


def open_draft(file: ConferenceFile) -> RecordDraft:
    """The record form for ``file``'s conference, holding whatever was saved before; for a
    conference not yet recorded, the invited agencies (from its reports) and the plan's
    current arrangements, ready to confirm or change."""
    c = file.conference
    cl = file.caseload
    att = cl.attendance[cl.attendance["conference_id"] == file.id].sort_values("id")
    attendance = []
    for r in att.itertuples():
        row = AttendeeRow(
            agency=str(r.agency),
            person=r.person or "",
            role=r.role or "",
            status=str(r.status),
            scaling_score=None if pd.isna(r.scaling_score) else int(r.scaling_score),
            view=r.view or None,
            category_view=r.category_view or None,
            dissent=bool(r.dissent) if not pd.isna(r.dissent) else False,
            record_id=int(r.id),
            version=int(r.version),
        )
        row.original = row.data()
        attendance.append(row)
    if not attendance:
        reports = cl.agency_reports[cl.agency_reports["conference_id"] == file.id]
        seen = []
        for agency in ["social_care", *reports["agency"].tolist()]:
            if agency not in seen:
                seen.append(agency)
        attendance = [AttendeeRow(agency=a) for a in seen]
    actions = []
    acts = cl.plan_actions
    acts = acts[
        (acts["source"] == ActionSource.CONFERENCE.value) & (acts["source_record_id"] == file.id)
    ].sort_values("id")
    for r in acts.itertuples():
        row = ActionRow(
            description=r.description,
            owner=r.owner,
            agency=r.agency or None,
            due_date=_day(r.due_date),
            record_id=int(r.id),
            version=int(r.version),
        )
        row.original = row.data()
        actions.append(row)
    plan = file.plan()
    recorded = c["held_date"] is not None or bool(c.get("stood_down"))
    draft = RecordDraft(
        conference_id=file.id,
        child_id=file.child_id,
        conference_version=int(c["version"]),
        scheduled_date=c["scheduled_date"],
        type=file.type,
        booked_type=file.type,
        chair_id=c.get("chair_id") or file.child.get("chair_id"),
        plan_id=c.get("plan_id")
        if c.get("plan_id") is not None
        else (plan["id"] if plan and file.type == "review" else None),
        held_date=c["held_date"]
        or (c["scheduled_date"] if c["scheduled_date"] <= file.as_of else None),
        venue=c.get("venue"),
        venue_name=c.get("venue_name") or "",
        stood_down=bool(c.get("stood_down")),
        stood_down_reason=c.get("stood_down_reason") or "",
        bridging_plan=c.get("bridging_plan") or "",
        attendance=attendance,
        participation=c.get("participation"),
        outcome=c.get("outcome"),
        category=c.get("category"),
        dissent_detail=c.get("dissent_detail") or "",
        core_group_members=c.get("core_group_members") or "",
        first_core_group_date=c.get("first_core_group_date"),
        next_review_date=c.get("next_review_date"),
        visit_frequency_wd=c.get("visit_frequency_wd"),
        contingency_plan=c.get("contingency_plan") or "",
        actions=actions,
        decisions_distributed=c.get("decisions_distributed"),
        plan_distributed=c.get("plan_distributed"),
        minutes_distributed=c.get("minutes_distributed"),
        s47_id=c.get("s47_id"),
        meeting_ref=c.get("meeting_ref"),
        saved_outcome=c.get("outcome") if recorded else None,
        **{name: c.get(name) or "" for name in SOS_FIELDS},
    )
    if not recorded and file.type == "review" and plan is not None:
        # A review starts from the plan's current arrangements.
        draft.category = plan.get("latest_category")
        draft.visit_frequency_wd = plan.get("visit_frequency_wd")
        draft.contingency_plan = plan.get("contingency_plan") or ""
        last = _last_plan_conference(file)
        if last is not None:
            draft.core_group_members = last.get("core_group_members") or ""
    draft.original = draft.conference_data()
    return draft


def _last_plan_conference(file: ConferenceFile) -> dict | None:
    c = file.caseload.conferences
    held = c[
        (c["plan_id"] == file.conference.get("plan_id"))
        & c["held_date"].notna()
        & (c["id"] != file.id)
    ]
    if held.empty:
        return None
    return held.sort_values("held_date").iloc[-1].to_dict()


# ---------------------------------------------------------------------------
# The dates the profile sets


@dataclass(frozen=True)
class Suggestion:
    """When the profile says something is due after a conference, and the date the form
    proposes: the due date, or the last working day before it when it falls on a weekend
    or bank holiday."""

    due: dt.date | None
    book: dt.date | None
    rule: Any = None

    def words(self, profile: Profile) -> str:
        if self.due is None:
            return f"{profile.name} sets no timescale for this."
        return (
            f"Due by {fmt(self.due)} under {profile.name}: {self.rule.describe_timescale()} "
            f"[{self.rule.source_label}]."
        )


def due_by_rule(profile: Profile, event: str, anchor: dt.date, conference_type: str) -> Suggestion:
    """The due date of the profile's first applied rule for ``event`` that applies to this
    conference type, counted from ``anchor``."""
    for rule in profile.rules_for(event):
        if conference_type in rule.applies_to:
            day = timescales.due_dates(np.array([anchor], dtype="datetime64[D]"), rule)[0]
            due = pd.Timestamp(day).date()
            book = (
                due
                if workdays.is_working_day(due)
                else _day(workdays.add_working_days(due + dt.timedelta(days=1), -1))
            )
            return Suggestion(due, book, rule)
    return Suggestion(None, None)


def suggested_dates(profile: Profile, conference_type: str, held: dt.date) -> dict[str, Suggestion]:
    """When the profile says the first core group and the next review are due after a
    conference held on ``held``, and the dates the form proposes."""
    if conference_type in INITIAL_LIKE:
        return {
            "core_group": due_by_rule(profile, "first_core_group", held, conference_type),
            "review": due_by_rule(profile, "first_review", held, conference_type),
        }
    return {
        "core_group": Suggestion(None, None),
        "review": due_by_rule(profile, "review", held, "review"),
    }


# ---------------------------------------------------------------------------
# Saving


@dataclass(frozen=True)
class Saved:
    conference: dict
    plan: dict | None
    core_group: dict | None
    next_review: dict | None
    reconvened: dict | None
    message: str


def save(store: Store, draft: RecordDraft, on: dt.date | None = None) -> Saved:
    """Write the record and everything that follows from it in one transaction.

    Raises ``RecordError`` (fields as the form names them, messages citing the standards)
    or ``StaleVersionError`` (the conference, its plan, attendance or actions changed by
    somebody else since the form was opened); nothing is written in either case.
    """
    problems = draft.problems(on)
    if problems:
        raise RecordError(LABEL, problems)
    with store.transaction(note="conference record") as tx:
        current = tx.get("conferences", draft.conference_id)
        if current is None or current["version"] != draft.conference_version:
            raise StaleVersionError(
                "Conference", draft.conference_id, draft.conference_version, current
            )
        if draft.stood_down:
            return _save_stand_down(tx, draft, current)
        plan = _save_plan(tx, draft, current)
        conf_data = draft.conference_data()
        if plan is not None:
            conf_data["plan_id"] = plan["id"]
        conference = tx.update(
            "conferences", draft.conference_id, conf_data, draft.conference_version
        )
        _save_rows(
            tx,
            "attendance",
            draft.attendance,
            draft.removed_attendance,
            {"conference_id": draft.conference_id},
            "attendance",
        )
        core_group = review = None
        if plan is not None and draft.outcome in PLAN_OUTCOMES:
            fixed = {
                "child_id": draft.child_id,
                "plan_id": plan["id"],
                "source": ActionSource.CONFERENCE.value,
                "source_record_id": draft.conference_id,
                "set_date": draft.held_date,
            }
            _save_rows(tx, "plan_actions", draft.actions, draft.removed_actions, fixed, "actions")
            core_group = _book_core_group(tx, draft, plan["id"])
            review = _book_review(tx, draft, plan["id"])
        if draft.outcome == "cin_plan" or (
            draft.outcome == "plan_ends" and draft.end_reason == PlanEndReason.STEP_DOWN_CIN.value
        ):
            _open_cin_plan(tx, draft)
    return Saved(
        conference, plan, core_group, review, None, _message(draft, plan, core_group, review)
    )


def _save_stand_down(tx, draft: RecordDraft, current: dict) -> Saved:
    conference = tx.update(
        "conferences", draft.conference_id, draft.conference_data(), draft.conference_version
    )
    if draft.attendance:
        _save_rows(
            tx,
            "attendance",
            draft.attendance,
            draft.removed_attendance,
            {"conference_id": draft.conference_id},
            "attendance",
        )
    reconvened = tx.add(
        "conferences",
        {
            "child_id": draft.child_id,
            "type": draft.type,
            "plan_id": draft.plan_id,
            "s47_id": draft.s47_id,
            "meeting_ref": draft.meeting_ref,
            "chair_id": draft.chair_id,
            "scheduled_date": draft.reconvene_date,
            "venue": draft.venue,
        },
    )
    message = (
        f"The conference of {fmt(draft.held_date)} is recorded as stood down, with its bridging "
        f"plan [{CITE['bridging']}]. It reconvenes on {fmt(draft.reconvene_date)} (booked as "
        f"conference {reconvened['id']})."
    )
    return Saved(conference, None, None, None, reconvened, message)


def _save_plan(tx, draft: RecordDraft, current: dict) -> dict | None:
    """Make, continue or end the plan; returns the plan row (None when there is none)."""
    if draft.outcome == "cp_plan":
        data = {
            "child_id": draft.child_id,
            "start_date": draft.held_date,
            "initial_category": draft.category,
            "latest_category": draft.category,
            "visit_frequency_wd": draft.visit_frequency_wd,
            "contingency_plan": draft.contingency_plan,
            "pre_birth": draft.type == "pre_birth",
        }
        if current.get("plan_id") is not None:
            existing = tx.get("cp_plans", current["plan_id"])
            return _as_form_error(
                lambda: tx.update("cp_plans", existing["id"], data, existing["version"]), "outcome"
            )
        earlier = [p for p in _child_plans(tx, draft.child_id) if p["start_date"] < draft.held_date]
        data["previous_plans"] = len(earlier)
        return _as_form_error(lambda: tx.add("cp_plans", data), "outcome")
    if draft.outcome in REVIEW_OUTCOMES:
        if draft.plan_id is None:
            raise RecordError(
                LABEL,
                [
                    FieldError(
                        "outcome",
                        "This review has no plan recorded: link it to the child's plan first.",
                    )
                ],
            )
        plan = tx.get("cp_plans", draft.plan_id)
        if draft.outcome == "plan_continues":
            changes = {
                "latest_category": draft.category,
                "visit_frequency_wd": draft.visit_frequency_wd,
                "contingency_plan": draft.contingency_plan,
                "end_date": None,
                "end_reason": None,
            }
        else:
            changes = {"end_date": draft.held_date, "end_reason": draft.end_reason}
        return _as_form_error(
            lambda: tx.update("cp_plans", plan["id"], changes, plan["version"]), "outcome"
        )
    return None


def _child_plans(tx, child_id: str) -> list[dict]:
    t = TABLES["cp_plans"]
    return [dict(r._mapping) for r in tx.conn.execute(sa.select(t).where(t.c.child_id == child_id))]


def _as_form_error(write, field_name: str):
    try:
        return write()
    except RecordError as exc:
        raise RecordError(
            LABEL,
            [
                FieldError(field_name, f"The plan could not be saved: {e.message}")
                for e in exc.errors
            ],
        ) from None


def _save_rows(tx, kind: str, rows: list, removed: list, fixed: dict, prefix: str) -> None:
    for row in removed:
        tx.delete(kind, row.record_id, row.version)
    for i, row in enumerate(rows, 1):
        try:
            if row.record_id is None:
                tx.add(kind, {**fixed, **row.data()})
            else:  # refused if changed since it was opened; nothing written when unchanged
                tx.update(kind, row.record_id, {**fixed, **row.data()}, row.version)
        except RecordError as exc:
            raise RecordError(
                LABEL, [FieldError(f"{prefix}.{i}.{e.field}", e.message) for e in exc.errors]
            ) from None


def _book_core_group(tx, draft: RecordDraft, plan_id: int) -> dict | None:
    """The first (or next) core group set by the conference, as a scheduled meeting."""
    day = draft.first_core_group_date
    if day is None:
        return None
    t = TABLES["core_groups"]
    q = (
        sa.select(t)
        .where(
            t.c.plan_id == plan_id,
            t.c.status == CoreGroupStatus.SCHEDULED.value,
            t.c.date > draft.held_date,
        )
        .order_by(t.c.date)
    )
    found = tx.conn.execute(q).first()
    if found is None:
        return tx.add(
            "core_groups",
            {
                "child_id": draft.child_id,
                "plan_id": plan_id,
                "date": day,
                "status": CoreGroupStatus.SCHEDULED.value,
                "notes": "Set at the conference",
            },
        )
    row = dict(found._mapping)
    if row["date"] == day:
        return row
    return tx.update("core_groups", row["id"], {"date": day}, row["version"])


def _book_review(tx, draft: RecordDraft, plan_id: int) -> dict | None:
    """The next review conference agreed at the conference, as a booked conference."""
    t = TABLES["conferences"]
    q = (
        sa.select(t)
        .where(
            t.c.plan_id == plan_id,
            t.c.type == "review",
            t.c.held_date.is_(None),
            t.c.stood_down.is_(False),
            t.c.id != draft.conference_id,
            t.c.scheduled_date > draft.held_date,
        )
        .order_by(t.c.scheduled_date)
    )
    found = tx.conn.execute(q).first()
    if found is None:
        return tx.add(
            "conferences",
            {
                "child_id": draft.child_id,
                "type": "review",
                "plan_id": plan_id,
                "chair_id": draft.chair_id,
                "scheduled_date": draft.next_review_date,
                "meeting_ref": None,
                "venue": draft.venue,
            },
        )
    row = dict(found._mapping)
    if row["scheduled_date"] == draft.next_review_date:
        return row
    return tx.update(
        "conferences", row["id"], {"scheduled_date": draft.next_review_date}, row["version"]
    )


def _open_cin_plan(tx, draft: RecordDraft) -> None:
    """A child in need plan from the day of the conference (003 §5.3), unless one is open."""
    t = TABLES["cin_plans"]
    q = sa.select(t.c.id).where(t.c.child_id == draft.child_id, t.c.end_date.is_(None))
    if tx.conn.execute(q).first() is None:
        tx.add("cin_plans", {"child_id": draft.child_id, "start_date": draft.held_date})


def _message(draft: RecordDraft, plan, core_group, review) -> str:
    words = OUTCOME_WORDS[draft.outcome]
    parts = [f"The conference of {fmt(draft.held_date)} is recorded: {words}."]
    if draft.outcome in PLAN_OUTCOMES and plan is not None:
        cat = CATEGORY_LABELS.get(Category(draft.category), draft.category)
        parts.append(f"Plan {plan['id']} ({cat}).")
        if core_group is not None:
            parts.append(f"Core group booked for {fmt(core_group['date'])}.")
        if review is not None:
            parts.append(f"Review conference booked for {fmt(review['scheduled_date'])}.")
        n = len(draft.actions)
        parts.append(f"{n} action{'s' if n != 1 else ''} in the plan.")
    elif draft.outcome == "plan_ends":
        parts.append(f"Plan {plan['id']} ended on {fmt(draft.held_date)}.")
    return " ".join(parts)


# ---------------------------------------------------------------------------
# After saving: what the engine now says is due


def schedule(
    store: Store, child_id: str, profile: Profile, as_of: dt.date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The engine's findings for the child, and the open plan's schedule (``plan_schedule``:
    next review, core group, visit and midway point), read back from the saved records."""
    caseload = load(store, child_ids=[child_id])
    findings = engine.evaluate(caseload, profile, as_of)
    return engine.plan_schedule(findings, profile), findings
