"""The midway review's model: who is due, what the records already show, the form, one save.

Between conferences the chair tracks the plan at a midway review
(``004_112bca42ee448b63.txt §4.14``). Ofsted praises it where it drives the plan and
criticises it where it is "more on compliance than the effectiveness of the plan", so the
form asks for judgement with evidence, and fills in the compliance facts itself.

* ``due_list``: children whose midway review is due or overdue, from the engine's
  ``midway_review`` findings (the profile's rule; the midpoint is its setting
  ``midway_review_point``). A profile with no midway rule still gets the list, from the
  engine's ``plan_schedule`` midway points, marked as not checked by the profile.
* ``open_review``: everything the form shows for one child: the plan, the conference the
  interval counts from, core groups and visits since, actions overdue, the open findings,
  and a draft pre-filled from them (or the review already saved for this interval).
* ``MidwayDraft.problems``: what the form refuses, by field, each citing its standard.
* ``save``: the review, its actions (plan actions with source ``midway_review``) and, when
  the decision is to escalate, the escalation it opens, in one audited transaction; an
  amendment made from an old version is refused.

A saved review is a ``midway_reviews`` record: it is in the child's chronology (the caseload
holds it) and the engine counts it, so the midway finding turns met.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from cptrack import engine
from cptrack.caseload import Caseload, load, open_plans
from cptrack.casework import escalations
from cptrack.casework.escalations import EscalationDraft
from cptrack.domain.drafts import cleaned, removed
from cptrack.domain.models import (
    ActionSource,
    ActionStatus,
    FieldError,
    MidwayDecision,
    Rag,
    RecordError,
    RisksReducing,
    today,
)
from cptrack.domain.values import as_date as _day
from cptrack.domain.values import fmt
from cptrack.domain.values import row_dict as _row
from cptrack.rules.profiles import Profile
from cptrack.storage.store import Store

LABEL = "Midway review"
LOOK_AHEAD_WD = 20  # the list shows reviews due within this many working days (and overdue)
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


# ---------------------------------------------------------------------------
# Who is due


def has_rule(profile: Profile) -> bool:
    return bool(profile.rules_for("midway_review"))


def due_list(
    caseload: Caseload,
    profile: Profile,
    as_of: dt.date,
    *,
    within_wd: int = LOOK_AHEAD_WD,
    chair_id: int | None = None,
) -> pd.DataFrame:
    """Children whose midway review is overdue, or due within ``within_wd`` working days,
    most overdue first. Columns: ``child_id``, ``name``, ``chair``, ``plan_id``,
    ``last_conference``, ``due_date``, ``status`` (due or overdue), ``status_text``, ``rag``,
    ``citation`` and ``checked`` (False when the profile has no midway rule)."""
    findings = engine.evaluate(caseload, profile, as_of, kinds=("timescale",), since=as_of)
    columns = [
        "child_id",
        "name",
        "chair",
        "plan_id",
        "last_conference",
        "due_date",
        "status",
        "status_text",
        "rag",
        "citation",
        "checked",
    ]
    if has_rule(profile):
        f = findings[
            (findings["event"] == "midway_review") & findings["status"].isin(("due", "overdue"))
        ]
        f = f[(f["status"] == "overdue") | (f["working_days_to_due"].fillna(0) <= within_wd)]
        sched = engine.plan_schedule(findings, profile)
        last = dict(zip(sched["plan_id"], sched["last_conference"], strict=True))
        out = pd.DataFrame(
            {
                "child_id": f["child_id"].astype(object).to_numpy(),
                "plan_id": f["plan_id"].to_numpy(),
                "due_date": f["due_date"].to_numpy(),
                "status": f["status"].astype(object).to_numpy(),
                "status_text": f["status_text"].astype(object).to_numpy(),
                "rag": f["rag"].astype(object).to_numpy(),
                "citation": f["citation"].astype(object).map(engine.short_citation).to_numpy(),
            }
        )
        out["last_conference"] = out["plan_id"].map(last)
        out["checked"] = True
    else:
        sched = engine.plan_schedule(findings, profile)
        sched = sched[sched["midway_point"].notna()]
        reviews = caseload.midway_reviews
        done = set()
        for row in sched.itertuples():
            mine = reviews[
                (reviews["plan_id"] == row.plan_id) & (reviews["date"] > row.last_conference)
            ]
            if len(mine):
                done.add(row.plan_id)
        sched = sched[~sched["plan_id"].isin(done)]
        horizon = pd.Timestamp(as_of) + pd.Timedelta(days=within_wd * 7 // 5)
        sched = sched[sched["midway_point"] <= horizon]
        passed = sched["midway_point"] < pd.Timestamp(as_of)
        out = pd.DataFrame(
            {
                "child_id": sched["child_id"].astype(object).to_numpy(),
                "plan_id": sched["plan_id"].to_numpy(),
                "due_date": sched["midway_point"].to_numpy(),
                "status": ["overdue" if p else "due" for p in passed],
                "status_text": [f"midway point {'passed' if p else 'coming'}" for p in passed],
                "rag": ["" for _ in passed],
                "citation": ["" for _ in passed],
                "last_conference": sched["last_conference"].to_numpy(),
            }
        )
        out["checked"] = False
    children = caseload.children.set_index("id")
    names = children["given_name"].astype(str) + " " + children["family_name"].astype(str)
    staff = dict(zip(caseload.staff["id"], caseload.staff["name"], strict=True))
    out["name"] = out["child_id"].map(names.to_dict())
    chairs = children["chair_id"].to_dict()
    out["chair_id"] = out["child_id"].map(chairs)
    out["chair"] = out["chair_id"].map(staff)
    if chair_id is not None:
        out = out[out["chair_id"] == chair_id]
    out = out.sort_values(["due_date", "child_id"], kind="stable")
    return out[columns].reset_index(drop=True)


# ---------------------------------------------------------------------------
# The form


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
        clean = cleaned(values, FORM_FIELDS, "midway review")
        for name in ("risks_reducing", "decision"):
            if name in clean and not clean[name]:
                clean[name] = None
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


# ---------------------------------------------------------------------------
# What the records show


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


# ---------------------------------------------------------------------------
# Saving


@dataclass(frozen=True)
class Saved:
    record: dict
    escalation: dict | None
    message: str


def save(store: Store, draft: MidwayDraft, profile: Profile, on: dt.date | None = None) -> Saved:
    """The review, its actions and any escalation it opens, in one audited transaction."""
    problems = draft.problems(profile, on)
    if problems:
        raise RecordError(LABEL, problems)
    escalation = None
    with store.transaction(
        note="midway review amended" if draft.amending else "midway review"
    ) as tx:
        data = draft.record_data()
        if draft.amending:
            record = tx.update("midway_reviews", draft.record_id, data, draft.version)
        else:
            record = tx.add("midway_reviews", data)
        fixed = {
            "child_id": draft.child_id,
            "plan_id": draft.plan_id,
            "source": ActionSource.MIDWAY_REVIEW.value,
            "source_record_id": record["id"],
            "set_date": draft.date,
        }
        for a in draft.removed_actions:
            tx.delete("plan_actions", a.record_id, a.version)
        for i, a in enumerate(draft.actions, 1):
            if not (a.description or a.owner or a.due_date):
                continue
            try:
                if a.record_id is None:
                    tx.add("plan_actions", {**fixed, **a.data()})
                else:
                    tx.update("plan_actions", a.record_id, {**fixed, **a.data()}, a.version)
            except RecordError as exc:
                raise RecordError(
                    LABEL, [FieldError(f"actions.{i}.{e.field}", e.message) for e in exc.errors]
                ) from None
        if draft.opens_escalation and draft.escalation is not None:
            esc = replace(
                draft.escalation, source_kind="midway_review", source_record_id=record["id"]
            )
            escalation = escalations.write(tx, esc, profile, on, prefix="escalation.")
    return Saved(record, escalation, _message(draft, record, escalation))


def _message(draft: MidwayDraft, record: dict, escalation: dict | None) -> str:
    verb = "amended" if draft.amending else "saved"
    parts = [
        f"Midway review of {fmt(draft.date)} {verb}. Decision: {DECISION_WORDS[draft.decision]}."
    ]
    n = len([a for a in draft.actions if a.description])
    if n:
        parts.append(f"{n} action{'s' if n != 1 else ''} added to the plan.")
    if escalation:
        parts.append(escalations.saved_message(escalation, amended=False))
    parts.append("It is in the child's history, and the midway review standard counts it.")
    return " ".join(parts)
