"""The caseload as the engine reads it: plans, conferences, core groups, visits and reports
as column tables (``cptrack.columnar``), built once per evaluation and shared by the rule
families, with each plan's making conference and its chain of reviews.

Records without a plan id are given the plan the child had open on their date. Missing
yes/no values read as the model's defaults (a core group "held", a visit "seen").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cptrack.columnar import (
    NAT,
    NO_ID,
    Table,
    concat,
    first_after,
    first_in_group,
    from_frame,
    last_on_or_before,
    lookup,
    next_in_group,
    pick,
)
from cptrack.domain.models import INITIAL_LIKE
from cptrack.engine.base import SUBJECT_CODE as S
from cptrack.engine.base import Context


def child_codes(ctx: Context, child_ids: np.ndarray) -> np.ndarray:
    """Children as int64 codes (their row in the caseload's children; -1 if not there)."""
    if len(child_ids) <= 64:  # a child view: a dict beats building an index
        rows = ctx.shared(
            "child_rows",
            lambda c: {cid: i for i, cid in enumerate(c.caseload.children["id"].tolist())},
        )
        return np.fromiter(
            (rows.get(c, -1) for c in child_ids), dtype="int64", count=len(child_ids)
        )
    # A hash index of the children's ids, built once per evaluation. Loaded caseloads hold
    # each id as one string object shared by every frame, whose hash Python keeps: a million
    # look-ups hash nothing twice.
    index = ctx.shared(
        "child_index", lambda c: pd.Index(c.caseload.children["id"].to_numpy(dtype=object))
    )
    return index.get_indexer(child_ids).astype("int64", copy=False)


def plans(ctx: Context) -> Table:
    def build(ctx: Context) -> Table:
        p = ctx.caseload.cp_plans
        t = from_frame(
            p,
            plan_id="id:id",
            child_id="text:child_id",
            start="day:start_date",
            end="day:end_date",
            previous_plans="int:previous_plans",
            pre_birth="bool_false:pre_birth",
            visit_frequency_wd="int:visit_frequency_wd",
            core_group_frequency_wd="int:core_group_frequency_wd",
        )
        t["transferred_in"] = p["transferred_in_from"].notna().to_numpy()
        t["closed"] = np.where(t["end"] <= ctx.as_of, t["end"], NAT)
        t["open"] = (t["start"] <= ctx.as_of) & (np.isnat(t["end"]) | (t["end"] > ctx.as_of))
        t["child"] = child_codes(ctx, t["child_id"])
        return t

    return ctx.shared("plans", build)


def plan_columns(ctx: Context, plan_id: np.ndarray, *names: str) -> list[np.ndarray]:
    """Columns of each row's plan (NaT, -1 or False where the plan is unknown)."""
    p = plans(ctx)
    rows = lookup(plan_id, p["plan_id"])
    fills = {"M": NAT, "i": NO_ID, "b": False, "O": None}
    return [pick(p[n], rows, fills[p[n].dtype.kind]) for n in names]


def attach_plan(ctx: Context, t: Table, date_col: str) -> Table:
    """``t`` with ``plan_id`` filled, where missing, by the child's plan open on that day."""
    missing = t["plan_id"] == NO_ID
    if not missing.any():
        return t
    p = plans(ctx)
    child = t["child"] if "child" in t else child_codes(ctx, t["child_id"])
    row = last_on_or_before(child, t[date_col], p["child"], p["start"])
    end = pick(p["end"], row, NAT)
    inside = (row >= 0) & (np.isnat(end) | (t[date_col] <= end))
    t = Table(t)
    t["plan_id"] = np.where(missing & inside, pick(p["plan_id"], row, NO_ID), t["plan_id"])
    return t


def conferences(ctx: Context) -> Table:
    def build(ctx: Context) -> Table:
        c = ctx.caseload.conferences
        t = from_frame(
            c,
            conf_id="id:id",
            child_id="text:child_id",
            plan_id="id:plan_id",
            s47_id="id:s47_id",
            type="text:type",
            outcome="text:outcome",
            chair_id="id:chair_id",
            held_date="day:held_date",
            scheduled_date="day:scheduled_date",
            stood_down="bool_false:stood_down",
            first_core_group_date="day:first_core_group_date",
            next_review_date="day:next_review_date",
            decisions_distributed="day:decisions_distributed",
            plan_distributed="day:plan_distributed",
            minutes_distributed="day:minutes_distributed",
            birth_arrangements_distributed="day:birth_arrangements_distributed",
            date_set_on="day:date_set_on",
            invitations_requested="day:invitations_requested",
        )
        t["venue_name"] = (
            c["venue_name"].fillna("").str.strip().str.casefold().to_numpy(dtype=object)
        )
        t["time_s"] = seconds(c["scheduled_time"].to_numpy(dtype=object))
        t["date"] = np.where(np.isnat(t["held_date"]), t["scheduled_date"], t["held_date"])
        t["held"] = ~np.isnat(t["held_date"]) & ~t["stood_down"]
        t["child"] = child_codes(ctx, t["child_id"])
        return attach_plan(ctx, t, "date")

    return ctx.shared("conferences", build)


NO_SOCIAL_WORKER = "held_without_social_worker"


def core_groups(ctx: Context) -> Table:
    def build(ctx: Context) -> Table:
        cg = ctx.caseload.core_groups
        t = from_frame(
            cg,
            rec_id="id:id",
            child_id="text:child_id",
            plan_id="id:plan_id",
            date="day:date",
            plan_distributed="day:plan_distributed",
            with_sw="bool_true:social_worker_attended",
        )
        t["status"] = cg["status"].fillna("held").to_numpy(dtype=object)
        if ctx.profile.rules_for("core_group_without_social_worker"):
            # 003 §6.20: "If no Social Worker is in attendance this is not a Core Group but an
            # information sharing meeting": it counts as no core group while the rule applies.
            t["status"] = np.where(
                (t["status"] == "held") & ~t["with_sw"], NO_SOCIAL_WORKER, t["status"]
            ).astype(object)
        t["child"] = child_codes(ctx, t["child_id"])
        return attach_plan(ctx, t, "date")

    return ctx.shared("core_groups", build)


def visits(ctx: Context) -> Table:
    def build(ctx: Context) -> Table:
        v = ctx.caseload.visits
        t = from_frame(
            v,
            rec_id="id:id",
            child_id="text:child_id",
            plan_id="id:plan_id",
            date="day:date",
            seen="bool_true:seen",
            seen_alone="bool_false:seen_alone",
        )
        t["child"] = child_codes(ctx, t["child_id"])
        return attach_plan(ctx, t, "date")

    return ctx.shared("visits", build)


def making(ctx: Context) -> Table:
    """One row per plan started by ``as_of``: the conference that made it, or the plan's
    start when none is recorded; with its date, type and the plan's end."""

    def build(ctx: Context) -> Table:
        c = conferences(ctx)
        made = c.where(
            c["held"]
            & np.isin(c["type"], INITIAL_LIKE)
            & (c["outcome"] == "cp_plan")
            & (c["plan_id"] != NO_ID)
        ).sorted("plan_id", "date")
        made = made.where(first_in_group(made["plan_id"]))
        p = plans(ctx)
        p = p.where(p["start"] <= ctx.as_of)
        row = lookup(p["plan_id"], made["plan_id"])
        has = row >= 0
        derived = np.where(
            p["pre_birth"], "pre_birth", np.where(p["transferred_in"], "transfer_in", "initial")
        ).astype(object)
        return Table(
            plan_id=p["plan_id"],
            child_id=p["child_id"],
            child=p["child"],
            anchor_date=np.where(has, pick(made["held_date"], row, NAT), p["start"]),
            anchor_table=np.where(has, S["conferences"], S["cp_plans"]),
            anchor_id=np.where(has, pick(made["conf_id"], row, NO_ID), p["plan_id"]),
            type=np.where(has, pick(made["type"], row, None), derived),
            time_s=pick(made["time_s"], row, np.nan),
            first_core_group_date=pick(made["first_core_group_date"], row, NAT),
            next_review_date=pick(made["next_review_date"], row, NAT),
            birth_arrangements_distributed=pick(made["birth_arrangements_distributed"], row, NAT),
            end=p["end"],
            closed=p["closed"],
        )

    return ctx.shared("making", build)


def review_chain(ctx: Context) -> Table:
    """Every interval from a plan's conference to its next review, held or not yet."""

    def build(ctx: Context) -> Table:
        c = conferences(ctx)
        mk = making(ctx)
        rv = c.where(c["held"] & (c["type"] == "review") & (c["plan_id"] != NO_ID))
        anchors = concat(
            [
                Table(
                    plan_id=mk["plan_id"],
                    child_id=mk["child_id"],
                    child=mk["child"],
                    anchor_date=mk["anchor_date"],
                    anchor_table=mk["anchor_table"],
                    anchor_id=mk["anchor_id"],
                    anchor_type=mk["type"],
                    outcome=np.full(mk.n, "cp_plan", dtype=object),
                    next_review_date=mk["next_review_date"],
                    is_review=np.zeros(mk.n, dtype="int64"),
                ),
                Table(
                    plan_id=rv["plan_id"],
                    child_id=rv["child_id"],
                    child=rv["child"],
                    anchor_date=rv["held_date"],
                    anchor_table=np.full(rv.n, S["conferences"]),
                    anchor_id=rv["conf_id"],
                    anchor_type=np.full(rv.n, "review", dtype=object),
                    outcome=rv["outcome"],
                    next_review_date=rv["next_review_date"],
                    is_review=np.ones(rv.n, dtype="int64"),
                ),
            ]
        )
        if not anchors.n:
            return anchors
        anchors = anchors.sorted("plan_id", "anchor_date", "is_review")
        anchors["actual_date"] = next_in_group(anchors["plan_id"], anchors["anchor_date"], NAT)
        anchors["actual_id"] = next_in_group(anchors["plan_id"], anchors["anchor_id"], NO_ID)
        anchors = anchors.where(anchors["outcome"] != "plan_ends")
        anchors["end"], anchors["closed"] = plan_columns(ctx, anchors["plan_id"], "end", "closed")
        booked = c.where(
            ~c["held"] & ~c["stood_down"] & (c["type"] == "review") & (c["plan_id"] != NO_ID)
        )
        row = first_after(
            anchors["plan_id"], anchors["anchor_date"], booked["plan_id"], booked["date"]
        )
        found = pick(booked["date"], row, NAT)
        anchors["booked_date"] = np.where(np.isnat(found), anchors["next_review_date"], found)
        return anchors

    return ctx.shared("review_chain", build)


def agency_reports(ctx: Context, event: str) -> Table:
    def build(ctx: Context) -> Table:
        col = "received_by_chair" if event == "report_to_chair" else "shared_with_family"
        r = ctx.caseload.agency_reports
        t = from_frame(
            r,
            conf_id="id:conference_id",
            report_id="id:id",
            agency="text:agency",
            actual_date=f"day:{col}",
            confidential="bool_false:confidential",
        )
        t["actual_s"] = seconds(r[f"{col}_time"].to_numpy(dtype=object))
        return t

    return ctx.shared(f"reports:{event}", build)


def seconds(times: np.ndarray) -> np.ndarray:
    """Seconds since midnight for an object array of ``datetime.time`` (NaN when missing);
    each distinct time is converted once."""
    if not len(times):
        return np.zeros(0)
    codes, uniques = pd.factorize(times)
    seconds = np.array(
        [t.hour * 3600 + t.minute * 60 + t.second for t in uniques] + [np.nan], dtype="float64"
    )
    return seconds[codes]  # code -1 (missing) takes the trailing NaN
