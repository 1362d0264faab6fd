"""Drift alerts on core groups: one not held (``core_group_not_held``: cancelled, or still
"scheduled" after its date; red) and one held without the social worker
(``core_group_without_social_worker``). Each is settled once a core group is held after it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cptrack.columnar import NAT, Table, days, first_after, pick
from cptrack.engine.base import Context, family
from cptrack.engine.drift_alerts import alert_rows, open_plan_mask
from cptrack.engine.plan_history import NO_SOCIAL_WORKER, core_groups
from cptrack.rules import workdays as wd
from cptrack.rules.profiles import Rule


def _next_held(every: Table, meetings: Table) -> np.ndarray:
    """The date of the first core group of ``every`` held after each of ``meetings``, on the
    same plan (NaT where none is held yet)."""
    held = every.where(every["status"] == "held")
    row = first_after(meetings["plan_id"], meetings["date"], held["plan_id"], held["date"])
    return pick(held["date"], row, NAT)


@family("core_group_not_held")
def core_group_not_held(ctx: Context, rule: Rule) -> Table | None:
    cg = core_groups(ctx)
    lapsed = (cg["status"] == "scheduled") & (cg["date"] < ctx.as_of)
    cancelled = cg["status"] == "cancelled"
    every, cg = cg, cg.where((lapsed | cancelled) & open_plan_mask(ctx, cg["plan_id"]))
    if not cg.n:
        return None
    # Settled once a core group is held after it: the meeting that was missed has been made up.
    later = _next_held(every, cg)
    what = np.where(
        cg["status"] == "cancelled",
        "core group cancelled",
        "core group date passed; not recorded as held",
    ).astype(object)
    text = what.copy()
    for day in np.unique(later[~np.isnat(later)]):
        at = later == day
        text[at] = what[at] + f"; a core group was held on {pd.Timestamp(day):%d %b %Y}"
    return alert_rows(
        cg["child_id"],
        cg["child"],
        cg["plan_id"],
        "core_groups",
        cg["rec_id"],
        cg["date"],
        days(wd.shift(cg["date"], rule.amount, rule.unit)),
        status=np.where(np.isnat(later), "overdue", "met").astype(object),
        status_text=text,
    ).with_columns(actual_date=later)


@family("core_group_without_social_worker")
def core_group_without_social_worker(ctx: Context, rule: Rule) -> Table | None:
    """Each meeting of an open plan recorded as a core group but held without the social
    worker: not a core group (003 §6.20). Settled once a core group with the social worker
    is held after it."""
    cg = core_groups(ctx)
    without = cg.where((cg["status"] == NO_SOCIAL_WORKER) & open_plan_mask(ctx, cg["plan_id"]))
    if not without.n:
        return None
    later = _next_held(cg, without)
    text = np.where(
        np.isnat(later),
        "held without the social worker: an information-sharing meeting, not a core group",
        "held without the social worker; a core group with the social worker followed",
    ).astype(object)
    return alert_rows(
        without["child_id"],
        without["child"],
        without["plan_id"],
        "core_groups",
        without["rec_id"],
        without["date"],
        days(wd.shift(without["date"], rule.amount, rule.unit)),
        status=np.where(np.isnat(later), "due", "met").astype(object),
        status_text=text,
    ).with_columns(actual_date=later)
