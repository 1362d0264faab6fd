"""Who is due a midway review: from the engine's ``midway_review`` findings, or, for a profile
with no midway rule, from the engine's ``plan_schedule`` midway points."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cptrack import engine
from cptrack.caseload import Caseload
from cptrack.rules.profiles import Profile

LOOK_AHEAD_WD = 20  # the list shows reviews due within this many working days (and overdue)


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
