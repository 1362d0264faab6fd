"""Small builders for hand-made caseloads in tests: a child, a plan, a conference."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cptrack.caseload import Caseload

D = dt.date
PLAN_START = D(2026, 5, 18)


def child(cid="C1", **kw):
    return {
        "id": cid,
        "given_name": "Sam",
        "family_name": "Test",
        "date_of_birth": D(2018, 3, 1),
        **kw,
    }


def plan(pid=1, cid="C1", start=PLAN_START, **kw):
    return {
        "id": pid,
        "child_id": cid,
        "start_date": start,
        "initial_category": "NEG",
        "latest_category": "NEG",
        **kw,
    }


def conference(cid_=1, cid="C1", type_="initial", held=None, scheduled=None, **kw):
    row = {
        "id": cid_,
        "child_id": cid,
        "type": type_,
        "scheduled_date": scheduled or held,
        "held_date": held,
        **kw,
    }
    if held and "outcome" not in kw:
        row["outcome"] = "cp_plan" if type_ != "review" else "plan_continues"
    return row


def case(**frames) -> Caseload:
    frames.setdefault("children", [child()])
    return Caseload.from_frames(**frames)


def rows(findings: pd.DataFrame, rule_id: str) -> pd.DataFrame:
    return findings[findings["rule_id"] == rule_id].reset_index(drop=True)


def one(findings: pd.DataFrame, rule_id: str) -> pd.Series:
    found = rows(findings, rule_id)
    assert len(found) == 1, f"{len(found)} rows for {rule_id}:\n{found}"
    return found.iloc[0]
