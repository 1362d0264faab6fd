"""Opening a midway review: what the records show for one child (the plan, the conference the
interval counts from, core groups and visits since, actions overdue, the open findings), and
a draft pre-filled from them, or the review already saved for this interval."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import pandas as pd

from cptrack import engine
from cptrack.caseload import Caseload, load, open_plans
from cptrack.casework import escalations
from cptrack.casework.escalations import EscalationDraft
from cptrack.casework.midway.draft import ActionRow, MidwayDraft, OutcomeRow
from cptrack.casework.midway.words import LABEL
from cptrack.domain.models import (
    ActionSource,
    ActionStatus,
    FieldError,
    RecordError,
)
from cptrack.domain.values import as_date as _day
from cptrack.domain.values import fmt
from cptrack.domain.values import row_dict as _row
from cptrack.rules.profiles import Profile
from cptrack.storage.store import Store


@dataclass
class MidwayFile:
    """One child's plan at its midway point: the facts, the findings and the draft."""

    child: dict
    plan: dict | None
    conference: dict | None  # the conference the current interval counts from
    caseload: Caseload
    findings: pd.DataFrame
    profile: Profile
    as_of: dt.date
    draft: MidwayDraft
    midway: dict | None = None  # the engine's open (or latest) midway finding
    schedule: dict = field(default_factory=dict)  # engine.plan_schedule's row for the plan

    @property
    def child_id(self) -> str:
        return str(self.child["id"])

    @property
    def child_name(self) -> str:
        return f"{self.child['given_name']} {self.child['family_name']}"

    @property
    def since(self) -> dt.date | None:
        return self.draft.conference_date

    def core_groups(self) -> pd.DataFrame:
        cg = self.caseload.core_groups
        cg = cg[cg["plan_id"] == self.draft.plan_id] if self.draft.plan_id else cg.iloc[0:0]
        if self.since:
            cg = cg[cg["date"] > pd.Timestamp(self.since)]
        return cg.sort_values("date")

    def visits(self) -> pd.DataFrame:
        v = self.caseload.visits
        v = v[v["plan_id"] == self.draft.plan_id] if self.draft.plan_id else v.iloc[0:0]
        if self.since:
            v = v[v["date"] > pd.Timestamp(self.since)]
        return v.sort_values("date")

    def actions_overdue(self) -> pd.DataFrame:
        a = self.caseload.plan_actions
        a = a[
            (a["plan_id"] == self.draft.plan_id)
            & (a["status"] == ActionStatus.OPEN.value)
            & (a["due_date"] < pd.Timestamp(self.as_of))
        ]
        return a.sort_values("due_date")

    def open_findings(self) -> pd.DataFrame:
        """The child's red and amber findings (what is late or due soon), worst first."""
        f = self.findings
        f = f[f["rag"].isin(("red", "amber")) & (f["event"] != "midway_review")]
        order = f["rag"].map({"red": 0, "amber": 1}).astype(int)
        return f.assign(_o=order).sort_values(["_o", "due_date"]).drop(columns="_o")

    def event_findings(self, *events: str) -> pd.DataFrame:
        f = self.findings
        f = f[f["event"].isin(events) & (f["plan_id"] == self.draft.plan_id)]
        if self.since:
            f = f[f["due_date"] > pd.Timestamp(self.since)]
        return f

    def core_group_summary(self) -> str:
        cg = self.core_groups()
        held = cg[cg["status"] == "held"]
        cancelled = cg[cg["status"] == "cancelled"]
        since = f"since the conference on {fmt(self.since)}" if self.since else "on this plan"
        parts = [f"{len(held)} core group{'s' if len(held) != 1 else ''} held {since}"]
        if len(held):
            parts[0] += f" (last on {fmt(held['date'].iloc[-1].date())})"
        if len(cancelled):
            parts.append(f"{len(cancelled)} cancelled")
        late = self.event_findings("first_core_group", "core_group")
        n_late = int(late["status"].isin(("met_late", "overdue")).sum())
        if n_late:
            parts.append(f"{n_late} later than the standard")
        nxt = self.schedule.get("next_core_group_due")
        if nxt is not None and not pd.isna(nxt):
            status = _status_of(self.findings, ("first_core_group", "core_group"), nxt)
            parts.append(f"next due by {fmt(pd.Timestamp(nxt).date())}{status}")
        return "; ".join(parts) + "."

    def visit_summary(self) -> str:
        v = self.visits()
        seen = int(v["seen"].fillna(True).sum())
        alone = int(v["seen_alone"].fillna(False).sum())
        since = f"since {fmt(self.since)}" if self.since else "on this plan"
        parts = [
            f"{len(v)} visit{'s' if len(v) != 1 else ''} {since}: seen {seen} times, "
            f"seen alone {alone} times"
        ]
        if len(v):
            parts[0] += f" (last on {fmt(v['date'].iloc[-1].date())})"
        late = self.event_findings("visit")
        n_late = int(late["status"].isin(("met_late", "overdue")).sum())
        if n_late:
            parts.append(
                f"{n_late} visit{'s' if n_late != 1 else ''} later than the plan's frequency"
            )
        nxt = self.schedule.get("next_visit_due")
        if nxt is not None and not pd.isna(nxt):
            parts.append(
                f"next due by {fmt(pd.Timestamp(nxt).date())}"
                f"{_status_of(self.findings, ('visit',), nxt)}"
            )
        return "; ".join(parts) + "."


def _status_of(findings: pd.DataFrame, events: tuple[str, ...], due) -> str:
    f = findings[
        findings["event"].isin(events)
        & (findings["due_date"] == due)
        & findings["status"].isin(("due", "overdue"))
    ]
    return f" ({f['status_text'].iloc[0]})" if len(f) else ""


def open_review(store: Store, child_id: str, profile: Profile, as_of: dt.date) -> MidwayFile:
    """The child's plan at its midway point and the form: the review already saved for the
    current interval (to amend), else a new one pre-filled from the records."""
    child = store.get("children", child_id)
    if child is None:
        raise RecordError(LABEL, [FieldError("child", f"there is no child {child_id!r}")])
    caseload = load(store, child_ids=[child_id])
    findings = engine.evaluate(caseload, profile, as_of)
    current = open_plans(caseload.cp_plans, as_of)
    plan = _row(current.sort_values("start_date").iloc[-1]) if len(current) else None
    conference = _last_conference(caseload, plan, as_of) if plan else None
    sched_rows = engine.plan_schedule(findings, profile)
    schedule = {}
    if plan is not None:
        mine = sched_rows[sched_rows["plan_id"] == plan["id"]]
        schedule = mine.iloc[0].to_dict() if len(mine) else {}
    conference_date = (
        conference["held_date"] if conference else (plan["start_date"] if plan else None)
    )
    draft = _existing(caseload, plan, conference_date) or _new(
        child, plan, conference, caseload, conference_date, as_of
    )
    midway = None
    f = findings[(findings["event"] == "midway_review")]
    if plan is not None:
        f = f[f["plan_id"] == plan["id"]]
        if conference_date is not None:
            f = f[f["anchor_date"] > pd.Timestamp(conference_date)]
        if len(f):
            midway = _row(f.iloc[-1])
    return MidwayFile(
        child, plan, conference, caseload, findings, profile, as_of, draft, midway, schedule
    )


def _last_conference(caseload: Caseload, plan: dict, as_of: dt.date) -> dict | None:
    c = caseload.conferences
    held = c[
        (c["plan_id"] == plan["id"])
        & c["held_date"].notna()
        & (c["held_date"] <= pd.Timestamp(as_of))
        & (c["stood_down"] != True)  # noqa: E712
        & (c["outcome"] != "plan_ends")
    ]
    if held.empty:
        return None
    return _row(held.sort_values(["held_date", "id"]).iloc[-1])


def _existing(caseload: Caseload, plan: dict | None, since: dt.date | None) -> MidwayDraft | None:
    """The review already saved for this interval, as a draft to amend."""
    if plan is None:
        return None
    mr = caseload.midway_reviews
    mr = mr[mr["plan_id"] == plan["id"]]
    if since is not None:
        mr = mr[mr["date"] > pd.Timestamp(since)]
    if mr.empty:
        return None
    rec = _row(mr.sort_values(["date", "id"]).iloc[-1])
    acts = caseload.plan_actions
    acts = acts[
        (acts["source"] == ActionSource.MIDWAY_REVIEW.value)
        & (acts["source_record_id"] == rec["id"])
    ].sort_values("id")
    esc = caseload.escalations
    esc = esc[(esc["source_kind"] == "midway_review") & (esc["source_record_id"] == rec["id"])]
    draft = MidwayDraft(
        child_id=rec["child_id"],
        plan_id=rec["plan_id"],
        conference_id=rec["conference_id"],
        conference_date=since,
        chair_id=rec["chair_id"],
        date=rec["date"],
        outcomes=[
            OutcomeRow(o.get("outcome", ""), o.get("rag"), o.get("evidence", ""))
            for o in rec["outcomes"] or []
        ],
        risks_reducing=rec["risks_reducing"],
        risks_evidence=rec["risks_evidence"] or "",
        child_voice_heard=rec["child_voice_heard"],
        child_voice_evidence=rec["child_voice_evidence"] or "",
        contingency_still_right=rec["contingency_still_right"],
        contingency_note=rec["contingency_note"] or "",
        core_group_compliance=rec["core_group_compliance"] or "",
        visit_compliance=rec["visit_compliance"] or "",
        decision=rec["decision"],
        decision_rationale=rec["decision_rationale"] or "",
        actions=[
            ActionRow(
                r.description,
                r.owner,
                r.agency or None,
                _day(r.due_date),
                int(r.id),
                int(r.version),
            )
            for r in acts.itertuples()
        ],
        escalation_id=int(esc["id"].iloc[0]) if len(esc) else None,
        record_id=rec["id"],
        version=rec["version"],
    )
    draft.original = draft.record_data()
    return draft


def _new(child, plan, conference, caseload, conference_date, as_of) -> MidwayDraft:
    draft = MidwayDraft(
        child_id=str(child["id"]),
        plan_id=plan["id"] if plan else None,
        conference_id=conference["id"] if conference else None,
        conference_date=conference_date,
        chair_id=child.get("chair_id"),
        date=as_of,
        outcomes=[OutcomeRow(outcome=o) for o in _plan_outcomes(caseload, plan, conference)],
    )
    draft.original = draft.record_data()
    return draft


def _plan_outcomes(caseload: Caseload, plan: dict | None, conference: dict | None) -> list[str]:
    """The plan's outcomes to rate: those of the last midway review of this plan, else the
    conference's safety goals (one per line), else one blank outcome."""
    if plan is not None:
        mr = caseload.midway_reviews
        mr = mr[mr["plan_id"] == plan["id"]].sort_values("date")
        for outcomes in reversed(mr["outcomes"].tolist()):
            names = [str(o.get("outcome", "")).strip() for o in outcomes or []]
            if any(names):
                return [n for n in names if n]
    for name in ("safety_goals", "needs_to_happen"):
        text = (conference or {}).get(name) or ""
        lines = [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]
        if lines:
            return lines
    return [""]


def fill_compliance(file: MidwayFile) -> MidwayDraft:
    """The draft with the compliance boxes filled from the records, where still empty."""
    d = file.draft
    return replace(
        d,
        core_group_compliance=d.core_group_compliance or file.core_group_summary(),
        visit_compliance=d.visit_compliance or file.visit_summary(),
    )


def new_escalation(file: MidwayFile, on: dt.date | None = None) -> EscalationDraft:
    """The escalation form a decision to escalate opens, raised from this review."""
    return escalations.new_draft(
        file.profile,
        file.child_id,
        plan_id=file.draft.plan_id,
        raised_by=file.draft.chair_id,
        on=on or file.as_of,
        source_kind="midway_review",
    )
