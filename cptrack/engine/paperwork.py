"""Timescale families for what is sent, asked for or answered around conferences and plans:
agency reports to the chair and the family, decisions, plans and minutes distributed, the
core group's updated plan, invitations requested, birth arrangements and escalation
responses (how each is matched: ``cptrack.engine.timescales``).
"""

from __future__ import annotations

import numpy as np

from cptrack.columnar import NAT, NO_ID, Table, first_after, from_frame, lookup, pick
from cptrack.domain.models import AGENCY_LABELS
from cptrack.engine.base import SUBJECT_CODE as S
from cptrack.engine.base import Context, family
from cptrack.engine.plan_history import (
    agency_reports,
    child_codes,
    conferences,
    core_groups,
    making,
    plan_columns,
)
from cptrack.engine.reckoning import applies, due_dates, hours_rule, raw
from cptrack.rules.profiles import BASES, Rule


@family("report_to_chair", "report_to_family")
def reports(ctx: Context, rule: Rule) -> Table | None:
    c = conferences(ctx)
    mask = ~c["stood_down"] & applies(rule, c["type"])
    if rule.when:
        flag = ctx.caseload.children[rule.when].fillna(False).to_numpy(dtype=bool)
        mask &= pick(flag, c["child"], False)
    if not mask.any():
        return None
    needed = ("conf_id", "child", "plan_id", "date", "time_s", "held")
    if (c["child"][mask] < 0).any():  # a child outside the caseload's children: keep the id
        needed += ("child_id",)
    c = Table({k: c[k][mask] for k in needed})
    r = agency_reports(ctx, rule.event)
    keep = np.ones(r.n, dtype=bool)
    if rule.exclude_confidential:
        keep &= ~r["confidential"]
    if rule.agencies:
        keep &= np.isin(r["agency"], rule.agencies)
    crow = lookup(r["conf_id"], c["conf_id"])
    keep &= crow >= 0
    report_rows = np.flatnonzero(keep)
    crow = crow[report_rows]
    lone = np.flatnonzero(np.bincount(crow, minlength=c.n) == 0)
    rows = c.take(np.concatenate([crow, lone]))
    n_reports = len(report_rows)
    rows["report_id"] = np.concatenate([r["report_id"][report_rows], np.full(len(lone), NO_ID)])
    rows["actual_date"] = np.concatenate([r["actual_date"][report_rows], np.full(len(lone), NAT)])
    rows["anchor_date"] = rows["date"]
    no_report = np.arange(rows.n) >= n_reports
    extra = {}
    if rule.unit == "hours":
        actual_s = np.concatenate([r["actual_s"][report_rows], np.full(len(lone), np.nan)])
        h = hours_rule(ctx, rule, rows["date"], rows["time_s"], rows["actual_date"], actual_s)
        rows["due_date"], reason = h["due_date"], h["reason"]
        extra = {"late": h["late"], "hours_late": h["hours_late"]}
    else:
        rows["due_date"] = due_dates(rows["date"], rule)
        reason = np.full(rows.n, "", dtype=object)
    who = "the chair" if rule.event == "report_to_chair" else "the family"
    which = " or ".join(AGENCY_LABELS.get(a, a) for a in rule.agencies)
    held = rows["held"]
    none_text = (
        f"no {which} report recorded for this conference"
        if which
        else "no reports recorded for this conference"
    )
    reason = reason.copy()
    reason[(reason == "") & held & no_report] = none_text
    undated = np.flatnonzero((reason == "") & held & ~no_report & np.isnat(rows["actual_date"]))
    if len(undated):  # worded once per agency
        agencies, which_agency = np.unique(
            r["agency"][report_rows[undated]].astype(str), return_inverse=True
        )
        words = np.array(
            [
                f"no date recorded for when the {AGENCY_LABELS.get(a, a)} report reached {who}"
                for a in agencies.tolist()
            ],
            dtype=object,
        )
        reason[undated] = words[which_agency.ravel()]
    return raw(
        rows,
        np.where(no_report, S["conferences"], S["agency_reports"]),
        np.where(no_report, rows["conf_id"], rows["report_id"]),
        reason=reason,
        # Once the conference is held a report can no longer reach it in time.
        closed_date=np.where(held, rows["date"], NAT),
        **extra,
    )


@family("decisions_distributed", "plan_distributed", "minutes_distributed")
def distribution(ctx: Context, rule: Rule) -> Table | None:
    c = conferences(ctx)
    c = c.where(c["held"] & applies(rule, c["type"], c["outcome"]))
    if not c.n:
        return None
    c["anchor_date"] = c["held_date"]
    c["actual_date"] = c[rule.event]
    # The next conference of the child takes the plan over: what this one produced and never
    # sent is history from then on.
    c["closed_date"] = _next_held_conference(ctx, c["child"], c["held_date"])
    extra = {}
    if rule.unit == "hours":
        h = hours_rule(ctx, rule, c["held_date"], c["time_s"], c["actual_date"], None)
        c["due_date"] = h["due_date"]
        extra = {"reason": h["reason"]}
    else:
        c["due_date"] = due_dates(c["held_date"], rule)
    return raw(c, "conferences", c["conf_id"], **extra)


@family("core_group_plan_distributed")
def core_group_plan_distributed(ctx: Context, rule: Rule) -> Table | None:
    """Each core group held for a plan: the updated plan distributed within the rule's amount
    of the meeting (its date recorded on the core group)."""
    cg = core_groups(ctx)
    cg = cg.where((cg["status"] == "held") & (cg["plan_id"] != NO_ID) & (cg["date"] <= ctx.as_of))
    if not cg.n:
        return None
    cg["anchor_date"] = cg["date"]
    cg["due_date"] = due_dates(cg["date"], rule)
    cg["actual_date"] = cg["plan_distributed"]
    # The next core group updates the plan again, and an ended plan needs none: either closes
    # the window for sending this one.
    held = cg.sorted("plan_id", "date")
    nxt = pick(
        held["date"], first_after(cg["plan_id"], cg["date"], held["plan_id"], held["date"]), NAT
    )
    (closed,) = plan_columns(ctx, cg["plan_id"], "closed")
    cg["closed_date"] = np.fmin(nxt, closed)
    return raw(cg, "core_groups", cg["rec_id"])


@family("invitations_requested")
def invitations_requested(ctx: Context, rule: Rule) -> Table | None:
    """Each conference whose date-set day is recorded: the invitations requested within the
    rule's amount of it."""
    c = conferences(ctx)
    c = c.where(~np.isnat(c["date_set_on"]) & applies(rule, c["type"]))
    if not c.n:
        return None
    c["anchor_date"] = c["date_set_on"]
    c["due_date"] = due_dates(c["date_set_on"], rule)
    c["actual_date"] = c["invitations_requested"]
    # Once the conference's day has come (held or stood down), invitations are history.
    c["closed_date"] = c["date"]
    return raw(c, "conferences", c["conf_id"])


def _next_held_conference(ctx: Context, child: np.ndarray, day: np.ndarray) -> np.ndarray:
    """The date of each child's next held conference after ``day`` (NaT when none)."""
    c = conferences(ctx)
    held = c.where(c["held"])
    return pick(held["held_date"], first_after(child, day, held["child"], held["held_date"]), NAT)


@family("birth_arrangements")
def birth_arrangements(ctx: Context, rule: Rule) -> Table | None:
    mk = making(ctx)
    mk = mk.where((mk["type"] == "pre_birth") & (mk["anchor_table"] == S["conferences"]))
    if not mk.n:
        return None
    nya = np.full(mk.n, "", dtype=object)
    if rule.anchor == "first_core_group":
        cg = core_groups(ctx)
        held = cg.where(cg["status"] == "held")
        row = first_after(
            mk["plan_id"], mk["anchor_date"], held["plan_id"], held["date"], strictly=False
        )
        anchor = pick(held["date"], row, NAT)
        nya[np.isnat(anchor)] = "the first core group has not been held yet"
    else:
        anchor = mk["anchor_date"]
    subject = mk["anchor_id"]
    mk["anchor_date"] = anchor
    mk["due_date"] = due_dates(anchor, rule)
    mk["actual_date"] = mk["birth_arrangements_distributed"]
    return raw(mk, "conferences", subject, nya=nya)


@family("escalation_response")
def escalation_response(ctx: Context, rule: Rule) -> Table | None:
    e = from_frame(
        ctx.caseload.escalations,
        rec_id="id:id",
        child_id="text:child_id",
        plan_id="id:plan_id",
        anchor_date="day:raised_on",
        agreed="day:response_due",
        actual_date="day:response_date",
    )
    status = ctx.caseload.escalations["status"].fillna("open").to_numpy(dtype=object)
    keep = status != "withdrawn"
    e, status = e.where(keep), status[keep]
    if not e.n:
        return None
    e["child"] = child_codes(ctx, e["child_id"])
    agreed = ~np.isnat(e["agreed"])
    e["due_date"] = np.where(agreed, e["agreed"], due_dates(e["anchor_date"], rule))
    silent = (status == "resolved") & np.isnat(e["actual_date"])
    reason = np.where(silent, "resolved with no response date recorded", "").astype(object)
    # A response date agreed and recorded on the escalation is its own record: it applies.
    basis = np.where(agreed, BASES.index("plan"), -1).astype("int8")
    words = np.where(
        agreed,
        "the escalation's own record: the response date agreed with the person it was raised with",
        "",
    ).astype(object)
    return raw(e, "escalations", e["rec_id"], reason=reason, basis=basis, basis_text=words)
