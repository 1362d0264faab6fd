"""The case-tracking app's model: the caseload dashboard, one child's file, the record.

A chair opens this every morning (DOMAIN.md §1 step 5; 000, "regular Case Tracking
monitoring"). Nothing here draws a widget:

* ``dashboard``: one row per child on a plan or awaiting an initial conference, with the
  engine's open findings counted by RAG and the reasons in words; ``Dashboard.filtered``
  (RAG, category, team, drift only) and ``Dashboard.summary`` (the strip at the top). The
  counts are the engine's live findings, the same that ``cptrack check --open`` lists.
* ``open_child``: one child's file: the child and siblings, the plan, a chronology of every
  event, every finding with its rule and citation, the plan's actions, earlier records.
* ``TrackingDraft`` / ``save``: the case-tracking record (what was checked, observations,
  concerns, decision, next check), validated field by field and written in one audited
  transaction; an amendment states the version it was made from and a stale one is refused.

Timescales come from the engine only; this module reads frames and writes through the store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from cptrack import engine
from cptrack.caseload import Caseload, load, open_plans
from cptrack.domain.drafts import cleaned
from cptrack.domain.models import (
    AGENCY_LABELS,
    CATEGORY_LABELS,
    FieldError,
    RecordError,
    TrackingDecision,
    TrackingKind,
    today,
)
from cptrack.domain.values import as_date, as_int, fmt, row_dict
from cptrack.rules.profiles import Profile
from cptrack.storage.store import Store

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


# ---------------------------------------------------------------------------
# The dashboard


def chairs(store: Store) -> pd.DataFrame:
    """The chairs with their (reviewing) team: ``id``, ``name``, ``team_id``, ``team``."""
    teams = {t["id"]: t["name"] for t in store.rows("teams")}
    rows = [
        {
            "id": s["id"],
            "name": s["name"],
            "team_id": s.get("team_id"),
            "team": teams.get(s.get("team_id"), ""),
        }
        for s in store.rows("staff", role="chair")
    ]
    return pd.DataFrame(rows, columns=["id", "name", "team_id", "team"]).sort_values("name")


def scoped_caseload(
    store: Store, *, chair_id: int | None = None, team_id: int | None = None
) -> Caseload:
    """One chair's children, the children of every chair in a reviewing team, or all."""
    if chair_id:
        return load(store, chair_id=chair_id)
    everything = load(store)
    if not team_id:
        return everything
    mine = everything.staff.loc[everything.staff["team_id"] == team_id, "id"]
    kids = everything.children.loc[everything.children["chair_id"].isin(set(mine)), "id"]
    return everything.for_children(kids)


@dataclass
class Dashboard:
    """One caseload as at a date: the rows, the findings they count, and the scope."""

    rows: pd.DataFrame
    findings: pd.DataFrame
    profile: Profile
    as_of: dt.date

    def filtered(
        self,
        *,
        rag: str | None = None,
        category: str | None = None,
        team: int | None = None,
        drift_only: bool = False,
    ) -> pd.DataFrame:
        """The rows a chair asked for: worst RAG, plan category, social work team, drift."""
        r = self.rows
        if rag is not None and rag != "any":
            r = r[r["rag"] == rag]
        if category:
            r = r[r["category"] == category]
        if team:
            r = r[r["team_id"] == team]
        if drift_only:
            r = r[r["drift"] > 0]
        return r

    def summary(self, rows: pd.DataFrame | None = None) -> dict[str, int]:
        """Children, items overdue (and the children they concern), items due in the next
        seven days, and drift alerts raised."""
        rows = self.rows if rows is None else rows
        live = self.findings[
            self.findings["live"] & self.findings["child_id"].isin(set(rows["child_id"]))
        ]
        start = pd.Timestamp(self.as_of)
        due_week = (
            (live["status"] == "due")
            & (live["due_date"] >= start)
            & (live["due_date"] <= start + pd.Timedelta(days=WEEK_DAYS))
        )
        overdue = live["rag"] == "red"
        drift = live["kind"] == "drift"
        return {
            "children": int(len(rows)),
            "overdue": int(overdue.sum()),
            "children_overdue": int((rows["red"] > 0).sum()),
            "due_this_week": int(due_week.sum()),
            "drift": int(drift.sum()),
            "children_drift": int((rows["drift"] > 0).sum()),
        }


ROW_COLUMNS = (
    "child_id",
    "name",
    "chair_id",
    "chair",
    "team_id",
    "team",
    "status",
    "plan_id",
    "plan_start",
    "plan_months",
    "category",
    "next_review",
    "review_booked",
    "review_event",
    "days_to_review",
    "last_core_group",
    "last_visit",
    "last_visit_alone",
    "last_check",
    "next_check",
    "red",
    "amber",
    "green",
    "drift",
    "rag",
    "reasons",
    "more_reasons",
    "urgency_due",
)


def dashboard(
    store: Store,
    profile: Profile,
    as_of: dt.date,
    *,
    chair_id: int | None = None,
    team_id: int | None = None,
    caseload: Caseload | None = None,
) -> Dashboard:
    """The caseload dashboard for a chair, a reviewing team, or everyone."""
    caseload = caseload or scoped_caseload(store, chair_id=chair_id, team_id=team_id)
    # No ``since`` cut-off: drift alerts that count past timescale items (visits missed)
    # come out differently with it, and the counts must be those of ``cptrack check``.
    findings = engine.evaluate(caseload, profile, as_of)
    return Dashboard(build_rows(caseload, findings, as_of), findings, profile, as_of)


def build_rows(caseload: Caseload, findings: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """One row per child on a plan at ``as_of`` or awaiting an initial conference (the
    engine's live ICPC finding), most urgent first."""
    day = pd.Timestamp(as_of)
    live = findings[findings["live"]].copy()
    live["child_id"] = live["child_id"].astype(object)
    open_now = open_plans(caseload.cp_plans, day)
    open_now = open_now.sort_values("start_date").drop_duplicates("child_id", keep="last")
    awaiting = set(live.loc[live["event"] == "icpc", "child_id"])
    ids = list(dict.fromkeys([*open_now["child_id"], *sorted(awaiting)]))
    out = pd.DataFrame({"child_id": pd.Series(ids, dtype=object)})
    if not ids:
        return pd.DataFrame(columns=list(ROW_COLUMNS))
    kids = caseload.children.set_index("id")
    out["name"] = out["child_id"].map(
        (kids["given_name"].astype(str) + " " + kids["family_name"].astype(str)).to_dict()
    )
    out["chair_id"] = out["child_id"].map(kids["chair_id"].to_dict()).astype("Int64")
    staff = dict(zip(caseload.staff["id"], caseload.staff["name"], strict=True))
    out["chair"] = out["chair_id"].map(lambda i: staff.get(i, "") if pd.notna(i) else "")
    out["team_id"] = out["child_id"].map(kids["team_id"].to_dict()).astype("Int64")
    teams = dict(zip(caseload.teams["id"], caseload.teams["name"], strict=True))
    out["team"] = out["team_id"].map(lambda i: teams.get(i, "") if pd.notna(i) else "")
    p = open_now.set_index("child_id")
    on_plan = out["child_id"].isin(set(p.index))
    out["status"] = np.where(on_plan, "plan", "awaiting_icpc")
    out["plan_id"] = out["child_id"].map(p["id"].to_dict()).astype("Int64")
    out["plan_start"] = out["child_id"].map(p["start_date"].to_dict()).astype("datetime64[us]")
    months = (day.year - out["plan_start"].dt.year) * 12 + (day.month - out["plan_start"].dt.month)
    months -= (day.day < out["plan_start"].dt.day).astype("Int64")
    out["plan_months"] = months.astype("Int64")
    out["category"] = out["child_id"].map(p["latest_category"].to_dict())

    # Next review (or the initial conference), from the engine.
    nxt = engine.next_due(live, ("first_review", "review")).set_index("child_id")
    icpc = engine.next_due(live, ("icpc",)).set_index("child_id")
    review_due = out["child_id"].map(nxt["due_date"].to_dict())
    icpc_due = out["child_id"].map(icpc["due_date"].to_dict())
    out["review_event"] = np.where(
        review_due.notna(), "review", np.where(icpc_due.notna(), "icpc", "")
    )
    out["next_review"] = review_due.fillna(icpc_due).astype("datetime64[us]")
    booked = out["child_id"].map(nxt["booked_date"].to_dict())
    booked = booked.fillna(out["child_id"].map(icpc["booked_date"].to_dict()))
    out["review_booked"] = booked.astype("datetime64[us]")
    out["days_to_review"] = (out["next_review"] - day).dt.days.astype("Int64")

    # The last core group held, the last visit, the last check.
    cg = caseload.core_groups
    cg = cg[(cg["status"] == "held") & (cg["date"] <= day)]
    out["last_core_group"] = out["child_id"].map(cg.groupby("child_id")["date"].max().to_dict())
    v = caseload.visits
    v = v[(v["date"] <= day) & v["seen"].fillna(True)].sort_values(["date", "id"])
    last_v = v.drop_duplicates("child_id", keep="last").set_index("child_id")
    out["last_visit"] = out["child_id"].map(last_v["date"].to_dict())
    out["last_visit_alone"] = out["child_id"].map(last_v["seen_alone"].astype(object).to_dict())
    ct = caseload.case_tracking
    ct = ct[(ct["kind"] == TrackingKind.CASE_TRACKING.value) & (ct["date"] <= day)]
    ct = ct.sort_values(["date", "id"]).drop_duplicates("child_id", keep="last")
    ct = ct.set_index("child_id")
    out["last_check"] = out["child_id"].map(ct["date"].to_dict())
    out["next_check"] = out["child_id"].map(ct["next_check_date"].to_dict())
    for col in ("last_core_group", "last_visit", "last_check", "next_check"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[us]")

    # Open findings by RAG, drift alerts, and the reasons in words (worst first).
    rag = live["rag"].astype(object)
    for colour in ("red", "amber", "green"):
        counts = (rag == colour).groupby(live["child_id"]).sum()
        out[colour] = out["child_id"].map(counts.to_dict()).fillna(0).astype("int64")
    drift = (live["kind"] == "drift").groupby(live["child_id"]).sum()
    out["drift"] = out["child_id"].map(drift.to_dict()).fillna(0).astype("int64")
    out["rag"] = np.select(
        [out["red"] > 0, out["amber"] > 0, out["green"] > 0], ["red", "amber", "green"], ""
    )
    worry = live[rag.isin(("red", "amber"))].copy()
    # The most urgent first: red before amber, a timescale missed before a drift alert, then
    # the earliest due.
    worry["_r"] = worry["rag"].astype(object).map({"red": 0, "amber": 2})
    worry["_r"] += (worry["kind"] == "drift").astype("int64")
    worry = worry.sort_values(["child_id", "_r", "due_date"], kind="stable")
    texts = worry.groupby("child_id")["message"].agg(lambda m: [_plain(str(x)) for x in m])
    reasons = out["child_id"].map(texts.to_dict())
    out["reasons"] = reasons.map(lambda r: r[:REASONS_SHOWN] if isinstance(r, list) else [])
    out["more_reasons"] = reasons.map(
        lambda r: max(0, len(r) - REASONS_SHOWN) if isinstance(r, list) else 0
    )
    first_due = worry.groupby("child_id")["due_date"].min()
    out["urgency_due"] = out["child_id"].map(first_due.to_dict()).astype("datetime64[us]")
    return sort_by_urgency(out)[list(ROW_COLUMNS)].reset_index(drop=True)


def _plain(message: str) -> str:
    """A finding's message without its trailing "[source]" (the child view cites it)."""
    return message.rsplit(" [", 1)[0] if message.endswith("]") else message


def sort_by_urgency(rows: pd.DataFrame) -> pd.DataFrame:
    """Most red first, then most amber, then what fell due (or falls due) first."""
    order = rows.assign(
        _r=-rows["red"],
        _a=-rows["amber"],
        _d=rows["urgency_due"].fillna(rows["next_review"]).fillna(pd.Timestamp.max.floor("D")),
    )
    return order.sort_values(["_r", "_a", "_d", "child_id"], kind="stable").drop(
        columns=["_r", "_a", "_d"]
    )


# ---------------------------------------------------------------------------
# One child


@dataclass
class ChildFile:
    """What the child view shows for one child."""

    child: dict
    siblings: pd.DataFrame  # the family's other children: child_id, name, on_plan, plan_id
    plan: dict | None  # the open plan (or the latest)
    caseload: Caseload
    findings: pd.DataFrame  # every finding for the child, history included
    profile: Profile
    as_of: dt.date
    chair_name: str = ""

    @property
    def child_id(self) -> str:
        return str(self.child["id"])

    @property
    def name(self) -> str:
        return f"{self.child['given_name']} {self.child['family_name']}"

    @property
    def plan_open(self) -> bool:
        return bool(self.plan) and (
            self.plan.get("end_date") is None or self.plan["end_date"] > self.as_of
        )

    def open_findings(self) -> pd.DataFrame:
        """Live findings, red first, then amber, then green, each by due date."""
        f = self.findings[self.findings["live"]]
        order = f["rag"].astype(object).map({"red": 0, "amber": 1, "green": 2}).fillna(3)
        return f.assign(_o=order).sort_values(["_o", "due_date"], kind="stable").drop(columns="_o")

    def settled_findings(self) -> pd.DataFrame:
        """The history: met, met late, missed; newest first."""
        f = self.findings[~self.findings["live"]]
        return f.sort_values("due_date", ascending=False, kind="stable")

    def actions(self) -> pd.DataFrame:
        a = self.caseload.plan_actions
        a = a.assign(overdue=(a["status"] == "open") & (a["due_date"] < pd.Timestamp(self.as_of)))
        order = a["status"].map({"open": 0, "done": 1, "cancelled": 2}).fillna(3)
        return a.assign(_o=order).sort_values(["_o", "due_date"], kind="stable").drop(columns="_o")

    def records(self) -> pd.DataFrame:
        """Earlier case-tracking records (and risk analysis meetings), newest first."""
        ct = self.caseload.case_tracking
        return ct.sort_values(["date", "id"], ascending=False, kind="stable")

    def chronology(self) -> pd.DataFrame:
        return chronology(self.caseload, self.child_id, self.as_of)


# The formats each page's "Download report" offers.
# Word where the report is one for a child's file (``cptrack.reports.DOCUMENTS``).
REPORT_FORMATS = {
    "child_summary": ("pdf", "docx", "html"),
    "chair_caseload": ("pdf", "html", "xlsx"),
}


def report_request(
    store: Store,
    profile: Profile,
    as_of: dt.date,
    *,
    child_id: str | None = None,
    chair_id: int | None = None,
    team_id: int | None = None,
    filtered: bool = False,
) -> tuple[str, dict[str, Any], list[str]]:
    """The report a page's "Download report" makes, its parameters, and notes on where it
    cannot match the page: the same file as ``cptrack report NAME`` with those parameters.

    A child open: their child summary; otherwise the chosen chair's caseload (every chair's
    when none is chosen). The as-of date and the standards are the page's; a profile changed
    on the page only by its amber window, or loaded from a file, is reported under the
    registered profile it came from, and the notes say so."""
    from cptrack.rules import profiles

    notes: list[str] = []
    registered = profile.id if profile.id in profiles.available() else None
    if registered and not child_id:
        own = profiles.load(registered).settings["amber_window_wd"]
        if own != profile.settings["amber_window_wd"]:
            notes.append(
                f"The report uses the standards' own amber window ({own} working "
                "days), not the one chosen on this page."
            )
    params: dict[str, Any] = {
        "db": store.engine.url.render_as_string(hide_password=False),  # the report's own kernel
        "as_of": as_of.isoformat(),
        "profile": registered,
    }
    if child_id:
        return "child_summary", {**params, "child": str(child_id)}, notes
    if team_id and not chair_id:
        notes.append("Reports cannot be limited to a team: this one covers every chair.")
    if filtered:
        notes.append("The report lists every child in scope, without the table's filters.")
    return "chair_caseload", {**params, "chair": str(chair_id) if chair_id else None}, notes


def open_child(store: Store, child_id: str, profile: Profile, as_of: dt.date) -> ChildFile:
    """The child's file as at ``as_of``; a clear refusal when there is no such child."""
    child = store.get("children", child_id)
    if child is None:
        raise RecordError(LABEL, [FieldError("child", f"there is no child {child_id!r}")])
    family = []
    if child.get("family_id"):
        family = [
            c for c in store.rows("children", family_id=child["family_id"]) if c["id"] != child_id
        ]
    caseload = load(store, child_ids=[child_id, *[c["id"] for c in family]])
    mine = caseload.for_children([child_id])
    findings = engine.evaluate(mine, profile, as_of)
    plans = mine.cp_plans.sort_values("start_date")
    day = pd.Timestamp(as_of)
    current = open_plans(plans, day)
    chosen = current if len(current) else plans
    plan = row_dict(chosen.iloc[-1]) if len(chosen) else None
    sib_rows = []
    all_plans = caseload.cp_plans
    for c in sorted(family, key=lambda c: c["id"]):
        theirs = open_plans(all_plans[all_plans["child_id"] == c["id"]], day)
        sib_rows.append(
            {
                "child_id": c["id"],
                "name": f"{c['given_name']} {c['family_name']}",
                "date_of_birth": c.get("date_of_birth"),
                "on_plan": bool(len(theirs)),
                "same_plan_start": bool(
                    plan
                    and len(theirs)
                    and as_date(theirs["start_date"].iloc[-1]) == plan["start_date"]
                ),
            }
        )
    siblings = pd.DataFrame(
        sib_rows, columns=["child_id", "name", "date_of_birth", "on_plan", "same_plan_start"]
    )
    staff = {s["id"]: s["name"] for s in store.rows("staff")}
    return ChildFile(
        child, siblings, plan, mine, findings, profile, as_of, staff.get(child.get("chair_id"), "")
    )


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


# ---------------------------------------------------------------------------
# The case-tracking record


@dataclass
class TrackingDraft:
    """What the form holds: a new record, or an amendment of ``record_id`` at ``version``."""

    child_id: str
    plan_id: int | None = None
    chair_id: int | None = None
    date: dt.date | None = None
    checked_core_groups: bool = False
    checked_visits: bool = False
    checked_actions: bool = False
    checked_reports: bool = False
    observations: str = ""
    concerns: str = ""
    decision: str | None = TrackingDecision.NO_ACTION.value
    next_check_date: dt.date | None = None
    escalation_id: int | None = None
    record_id: int | None = None
    version: int | None = None
    original: dict[str, Any] = field(default_factory=dict)

    @property
    def amending(self) -> bool:
        return self.record_id is not None

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FORM_FIELDS}

    def with_values(self, **values: Any) -> TrackingDraft:
        clean = cleaned(values, FORM_FIELDS, "case-tracking record")
        for name in ("observations", "concerns"):
            if name in clean and clean[name] is None:
                clean[name] = ""
        if "decision" in clean and not clean["decision"]:
            clean["decision"] = None
        for name in CHECK_WORDS:
            if name in clean:
                clean[name] = bool(clean[name])
        return replace(self, **clean)

    def problems(self, on: dt.date | None = None) -> list[FieldError]:
        """What the form refuses, by field, in words a chair can act on."""
        on = on or today()
        out: list[FieldError] = []
        if self.date is None:
            out.append(FieldError("date", "Give the date of the check."))
        elif self.date > on:
            out.append(
                FieldError(
                    "date",
                    f"{fmt(self.date, '—')} is in the future: record a check once it is done.",
                )
            )
        if not self.observations:
            out.append(
                FieldError(
                    "observations",
                    "Write what you found: core groups, visits, "
                    "actions and reports as the records show them.",
                )
            )
        if self.decision not in DECISION_WORDS:
            out.append(FieldError("decision", "Choose the decision."))
        elif self.decision != TrackingDecision.NO_ACTION.value and not self.concerns:
            out.append(
                FieldError(
                    "concerns", "Say what concerns you: the advice or escalation rests on it."
                )
            )
        if self.next_check_date is None:
            out.append(FieldError("next_check_date", "Set the date of the next check."))
        elif not self.amending and self.next_check_date < on:
            out.append(
                FieldError(
                    "next_check_date",
                    f"{fmt(self.next_check_date, '—')} is before "
                    f"today ({fmt(on, '—')}): choose a later date.",
                )
            )
        elif self.date is not None and self.next_check_date <= self.date:
            out.append(
                FieldError(
                    "next_check_date",
                    f"The next check comes after this one ({fmt(self.date, '—')}).",
                )
            )
        return out

    def record_data(self) -> dict[str, Any]:
        return {
            "child_id": self.child_id,
            "plan_id": self.plan_id,
            "chair_id": self.chair_id,
            "kind": TrackingKind.CASE_TRACKING.value,
            "date": self.date,
            **{name: bool(getattr(self, name)) for name in CHECK_WORDS},
            "observations": self.observations,
            "concerns": self.concerns or None,
            "decision": self.decision,
            "next_check_date": self.next_check_date,
            "escalation_id": self.escalation_id,
        }


NEXT_CHECK_WD = 20  # the proposed next check: four working weeks on


def new_draft(file: ChildFile, on: dt.date | None = None) -> TrackingDraft:
    """A blank record dated today, with the next check proposed four working weeks on."""
    from cptrack.rules import workdays

    on = on or today()
    plan_id = file.plan["id"] if file.plan_open else None
    draft = TrackingDraft(
        child_id=file.child_id,
        plan_id=plan_id,
        chair_id=as_int(file.child.get("chair_id")),
        date=on,
        decision=None,
        next_check_date=workdays.add_working_days(on, NEXT_CHECK_WD),
    )
    draft.original = draft.record_data()
    return draft


def open_draft(record: dict[str, Any]) -> TrackingDraft:
    """A stored record as a draft, to amend from its current version."""
    draft = TrackingDraft(
        child_id=str(record["child_id"]),
        plan_id=as_int(record.get("plan_id")),
        chair_id=as_int(record.get("chair_id")),
        date=as_date(record.get("date")),
        **{name: bool(record.get(name)) for name in CHECK_WORDS},
        observations=record.get("observations") or "",
        concerns=record.get("concerns") or "",
        decision=record.get("decision"),
        next_check_date=as_date(record.get("next_check_date")),
        escalation_id=as_int(record.get("escalation_id")),
        record_id=int(record["id"]),
        version=int(record["version"]),
    )
    draft.original = draft.record_data()
    return draft


@dataclass(frozen=True)
class Saved:
    record: dict
    message: str


def save(store: Store, draft: TrackingDraft, on: dt.date | None = None) -> Saved:
    """The record in one audited transaction (an amendment from a stale version is refused
    with ``StaleVersionError``; nothing is written when anything is refused)."""
    on = on or today()
    problems = draft.problems(on)
    if problems:
        raise RecordError(LABEL, problems)
    note = "case-tracking record amended" if draft.amending else "case-tracking record"
    with store.transaction(note=note) as tx:
        if draft.amending:
            record = tx.update("case_tracking", draft.record_id, draft.record_data(), draft.version)
        else:
            record = tx.add("case_tracking", draft.record_data())
    verb = "amended" if draft.amending else "saved"
    message = (
        f"Case-tracking check of {fmt(draft.date, '—')} {verb} for {draft.child_id}. "
        f"Decision: {DECISION_WORDS[draft.decision]}. Next check "
        f"{fmt(draft.next_check_date, '—')}. It is in the records and the chronology above."
    )
    if draft.decision == TrackingDecision.ESCALATE.value and not draft.amending:
        message += " Open the escalation in the Escalations section."
    return Saved(record, message)
