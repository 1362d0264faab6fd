"""Drift and delay alerts: the failures chairs exist to stop (DOMAIN.md §1.6).

Each alert is a profile rule of kind "drift", with its thresholds in the profile's settings,
and each finding has the same shape as a timescale finding (``cptrack.engine``), with
``kind == "drift"``. A raised alert is "due" (amber: act on it) or "overdue" (red: its red
line has passed); an alert that asks for a response (the Enhanced Risk Analysis Meeting) is
"met" once the response is recorded.

* ``plan_duration``: an open plan past one of ``drift_thresholds_months`` (amber), or past
  the rule's amount (red; 24 months is the DfE measure).
* ``repeat_plan``: an open plan with previous plans recorded (amber).
* ``eram``: a plan that continues after its second review conference: the meeting is due
  within the rule's amount of that review (``authority-a``; 000, chairs' standards).
* ``actions_overdue``: an open action of an open plan past its due date (red).
* ``core_group_not_held``: a core group cancelled, or still "scheduled" after its date (red).
* ``visits_missed``: ``missed_visits_alert`` or more visits late or missed within the last
  ``drift_window_months`` of an open plan (amber: a pattern to look into; each late or missed
  visit is red on its own while the child is not seen).
* ``chair_change``: a plan's held conferences had more than one chair (amber).
* ``review_not_booked``: an open plan's next review is due within the rule's amount of
  working days (or is overdue) and no review conference is booked (amber; red once due).

The core groups' alerts are in ``drift_core_groups``, the changes at a conference (chair,
venue) in ``drift_changes``, what every alert shares in ``drift_alerts``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cptrack.columnar import NAT, NO_ID, Table, days, first_after, from_frame, pick
from cptrack.engine import drift_changes, drift_core_groups  # noqa: F401 - their families
from cptrack.engine.base import DUE, MET_LATE, OVERDUE, Context, family
from cptrack.engine.base import SUBJECT_CODE as S
from cptrack.engine.drift_alerts import alert_rows, open_plan_mask, open_plan_rows, rule_ranks
from cptrack.engine.plan_history import attach_plan, child_codes, conferences, plan_columns
from cptrack.rules import workdays as wd
from cptrack.rules.profiles import Rule

DRIFT_EVENTS = (
    "plan_duration",
    "repeat_plan",
    "eram",
    "actions_overdue",
    "core_group_not_held",
    "visits_missed",
    "chair_change",
    "venue_change",
    "core_group_without_social_worker",
    "review_not_booked",
)


@family("plan_duration")
def plan_duration(ctx: Context, rule: Rule) -> Table | None:
    p = open_plan_rows(ctx)
    if not p.n:
        return None
    start = p["start"]
    red = days(wd.add_months(start, rule.amount))
    crossed = np.zeros(p.n, dtype="int64")
    for t in ctx.settings["drift_thresholds_months"]:
        if t < rule.amount:
            crossed = np.where(days(wd.add_months(start, t)) <= ctx.as_of, t, crossed)
    is_red = red <= ctx.as_of
    keep = is_red | (crossed > 0)
    if not keep.any():
        return None
    months = _months_between(start[keep], ctx.as_of)
    # Worded once per distinct (months open, threshold, red): plans share a few hundred.
    span = int(crossed.max()) + 1
    key = (months * span + crossed[keep]) * 2 + is_red[keep]
    uniques, codes = np.unique(key, return_inverse=True)
    words = np.array(
        [
            f"plan open {_duration(k // 2 // span)}: past {rule.amount} months"
            if k % 2
            else f"plan open {_duration(k // 2 // span)}: past the {k // 2 % span}-month threshold"
            for k in uniques.tolist()
        ],
        dtype=object,
    )
    text = words[codes.ravel()]
    p = p.where(keep)
    return alert_rows(
        p["child_id"],
        p["child"],
        p["plan_id"],
        "cp_plans",
        p["plan_id"],
        p["start"],
        red[keep],
        status=np.where(is_red[keep], "overdue", "due").astype(object),
        status_text=text,
    )


def _months_between(start: np.ndarray, as_of: np.datetime64) -> np.ndarray:
    """Whole calendar months from each start to ``as_of`` (a month ends on the same day)."""
    months = np.datetime64(as_of, "M").astype("int64") - start.astype("datetime64[M]").astype(
        "int64"
    )
    day_s = (start - start.astype("datetime64[M]").astype("datetime64[D]")).astype("int64")
    day_a = int((as_of - np.datetime64(as_of, "M").astype("datetime64[D]")).astype("int64"))
    return np.where(day_a < day_s, months - 1, months)


def _duration(months: int) -> str:
    years, rest = divmod(int(months), 12)
    y = f"{years} year{'s' * (years > 1)}"
    m = f"{rest} month{'s' * (rest != 1)}"
    return f"{y} {m}" if years and rest else (y if years else m)


@family("repeat_plan")
def repeat_plan(ctx: Context, rule: Rule) -> Table | None:
    p = open_plan_rows(ctx)
    p = p.where(p["previous_plans"] >= 1)
    if not p.n:
        return None
    words = {1: "second", 2: "third", 3: "fourth"}
    text = [f"{words.get(k, f'{k + 1}th')} plan ({k} previous)" for k in p["previous_plans"]]
    return alert_rows(
        p["child_id"],
        p["child"],
        p["plan_id"],
        "cp_plans",
        p["plan_id"],
        p["start"],
        days(wd.shift(p["start"], rule.amount, rule.unit)),
        status="due",
        status_text=np.array(text, dtype=object),
    )


@family("eram")
def eram(ctx: Context, rule: Rule) -> Table | None:
    c = conferences(ctx)
    rv = c.where(c["held"] & (c["type"] == "review") & (c["plan_id"] != NO_ID)).sorted(
        "plan_id", "held_date"
    )
    nth = np.zeros(rv.n, dtype="int64")
    if rv.n:
        starts = np.r_[True, rv["plan_id"][1:] != rv["plan_id"][:-1]]
        first_index = np.maximum.accumulate(np.where(starts, np.arange(rv.n), 0))
        nth = np.arange(rv.n) - first_index + 1
    second = rv.where((nth == 2) & (rv["outcome"] == "plan_continues"))
    if not second.n:
        return None
    anchor = second["held_date"]
    due = days(wd.shift(anchor, rule.amount, rule.unit))
    ct = ctx.caseload.case_tracking
    meetings = from_frame(ct, rec_id="id:id", plan_id="id:plan_id", date="day:date")
    meetings = meetings.where((ct["kind"] == "enhanced_risk_analysis").to_numpy())
    row = first_after(
        second["plan_id"], anchor, meetings["plan_id"], meetings["date"], strictly=False
    )
    actual = pick(meetings["date"], row, NAT)
    (closed,) = plan_columns(ctx, second["plan_id"], "closed")
    keep = ~(np.isnat(actual) & ~np.isnat(closed) & (closed <= due))
    # Not held by the next review: that review has looked at the plan's drift, and the meeting
    # missed is history from then on (the window also closes when the plan ends).
    held = c.where(c["held"] & (c["plan_id"] != NO_ID))
    nxt = pick(
        held["held_date"],
        first_after(second["plan_id"], anchor, held["plan_id"], held["held_date"]),
        NAT,
    )
    closed = np.fmin(closed, nxt)
    second = second.where(keep)
    return Table(
        child=second["child"],
        plan_id=second["plan_id"],
        subject_table=np.full(second.n, S["conferences"]),
        subject_id=second["conf_id"],
        anchor_date=anchor[keep],
        due_date=due[keep],
        actual_date=actual[keep],
        closed_date=closed[keep],
    )


@family("actions_overdue")
def actions_overdue(ctx: Context, rule: Rule) -> Table | None:
    frame = ctx.caseload.plan_actions
    a = from_frame(
        frame, rec_id="id:id", child_id="text:child_id", plan_id="id:plan_id", due="day:due_date"
    )
    a["child"] = child_codes(ctx, a["child_id"])
    a = attach_plan(ctx, a, "due")  # an action with no plan id: the child's plan on its date
    # A missing status reads as the model's default, "open".
    is_open = frame["status"].fillna("open").to_numpy(dtype=object) == "open"
    live = (a["plan_id"] == NO_ID) | open_plan_mask(ctx, a["plan_id"])
    a = a.where(is_open & (a["due"] < ctx.as_of) & live)
    if not a.n:
        return None
    # A conference held on or after the action's due date has reviewed the plan: the action
    # was done, carried into the new plan or dropped there, so it is settled as "not done by
    # the review of DATE" (history), not counted overdue for years.
    c = conferences(ctx)
    held = c.where(c["held"] & (c["plan_id"] != NO_ID) & (c["held_date"] <= ctx.as_of))
    row = first_after(a["plan_id"], a["due"], held["plan_id"], held["held_date"], strictly=False)
    reviewed = pick(held["held_date"], row, NAT)
    settled = ~np.isnat(reviewed)
    text = np.full(a.n, "", dtype=object)
    for day in np.unique(reviewed[settled]):
        text[reviewed == day] = f"not done by the review of {pd.Timestamp(day):%d %b %Y}"
    return alert_rows(
        a["child_id"],
        a["child"],
        a["plan_id"],
        "plan_actions",
        a["rec_id"],
        a["due"],
        # Due on the date the plan set (a weekend one included), or the rule's amount after it.
        a["due"] if rule.amount == 0 else days(wd.shift(a["due"], rule.amount, rule.unit)),
        closed_date=reviewed,
        status_text=text,
    )


@family("visits_missed")
def visits_missed(ctx: Context, rule: Rule) -> Table | None:
    f = ctx.timescale
    if not f:
        return None
    months = int(ctx.settings["drift_window_months"])
    window_start = days(wd.add_months(np.array([ctx.as_of]), -months))[0]
    due = f["due_date"]
    late = np.flatnonzero(
        np.isin(f["rule_rank"], rule_ranks(ctx, ("visit",)))
        & ((f["status"] == MET_LATE) | (f["status"] == OVERDUE))
        & (due > window_start)
        & (due <= ctx.as_of)
    )
    late = late[open_plan_mask(ctx, f["plan_id"][late])]  # looked up for the few left
    if not len(late):
        return None
    v = Table(plan_id=f["plan_id"][late], child=f["child"][late], due=due[late])
    v = v.sorted("plan_id", "due")
    plan_ids, first_idx, counts = np.unique(v["plan_id"], return_index=True, return_counts=True)
    alert = counts >= int(ctx.settings["missed_visits_alert"])
    if not alert.any():
        return None
    first_idx, counts, plan_ids = first_idx[alert], counts[alert], plan_ids[alert]
    last_idx = first_idx + counts - 1
    text = np.array(
        [f"{n} visits late or missed in the last {months} months" for n in counts], dtype=object
    )
    # A pattern to look into (amber): each late or missed visit is already a finding of its
    # own, red while the child is still not seen.
    return alert_rows(
        None,
        v["child"][first_idx],
        plan_ids,
        "cp_plans",
        plan_ids,
        v["due"][first_idx],
        days(wd.shift(v["due"][last_idx], rule.amount, rule.unit)),
        status="due",
        status_text=text,
    )


@family("review_not_booked")
def review_not_booked(ctx: Context, rule: Rule) -> Table | None:
    f = ctx.timescale
    if not f:
        return None
    pending = np.flatnonzero(
        np.isin(f["rule_rank"], rule_ranks(ctx, ("first_review", "review")))
        & ((f["status"] == DUE) | (f["status"] == OVERDUE))
        & np.isnat(f["booked_date"])
    )
    pending = pending[open_plan_mask(ctx, f["plan_id"][pending])]  # looked up for the few left
    if not len(pending):
        return None
    f = f.where(pending)
    review_due = f["due_date"]
    book_by = days(wd.shift(review_due, rule.signed_amount, rule.unit))
    raised = book_by <= ctx.as_of
    if not raised.any():
        return None
    f, review_due = f.where(raised), review_due[raised]
    overdue = review_due < ctx.as_of
    text = np.array(
        [
            "no review conference booked, and the review is overdue"
            if o
            else f"no review conference booked; the review is due {pd.Timestamp(d):%d %b %Y}"
            for o, d in zip(overdue, review_due, strict=True)
        ],
        dtype=object,
    )
    return alert_rows(
        None,
        f["child"],
        f["plan_id"],
        f["subject_table"],
        f["subject_id"],
        review_due,
        review_due,
        status=np.where(overdue, "overdue", "due").astype(object),
        status_text=text,
    )
