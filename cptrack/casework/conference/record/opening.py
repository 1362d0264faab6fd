"""Opening the conference record form: the draft for a conference, holding what was saved, or
for one not yet recorded the invited agencies and the plan's current arrangements."""

from __future__ import annotations

import pandas as pd

from cptrack.casework.conference.agenda import ConferenceFile
from cptrack.casework.conference.record.draft import ActionRow, AttendeeRow, RecordDraft
from cptrack.casework.conference.record.words import SOS_FIELDS
from cptrack.domain.models import (
    ActionSource,
)
from cptrack.domain.values import as_date as _day


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
