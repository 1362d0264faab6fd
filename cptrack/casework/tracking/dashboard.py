"""The caseload dashboard: one row per child on a plan or awaiting an initial conference, with
the engine's open findings counted by RAG and the reasons in words, filtered and summed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cptrack import engine
from cptrack.caseload import Caseload, load, open_plans
from cptrack.casework.tracking.words import REASONS_SHOWN, WEEK_DAYS
from cptrack.domain.models import (
    TrackingKind,
)
from cptrack.rules.profiles import Profile
from cptrack.storage.store import Store


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
