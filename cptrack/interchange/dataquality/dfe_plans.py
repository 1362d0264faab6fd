"""DfE CIN census rules about child protection plans, their reviews, and CIN plans beside them.

Codes, kinds and messages as the DfE publishes them (``../shared/CIN_RULES.md``). Periods
are inclusive at both ends, as the rules state them ("start..end, or start..ReferenceDate
if open"). cptrack's own store is slightly more lenient on one point: it lets a new plan
start on the day the previous one ended (``cptrack.storage.integrity``), which 8940 reports.
"""

from __future__ import annotations

import pandas as pd

from cptrack.domain.models import Category
from cptrack.interchange.dataquality.base import rule
from cptrack.interchange.dataquality.census import CensusData
from cptrack.interchange.dataquality.periods import in_year, pairs, until_reference, within

CODES = {c.value for c in Category}


@rule(
    "2885",
    "error",
    "Child protection plan shown as starting a different day to the initial child protection "
    "conference.",
    ("CPPstartDate", "DateOfInitialCPC"),
    census_only=True,
)
def plan_start_not_icpc(d: CensusData) -> pd.DataFrame:
    s47 = d["s47"][["child", "episode", "DateOfInitialCPC"]]
    episodes = d["episodes"]
    without_s47 = episodes[~episodes["episode"].isin(set(s47["episode"]))]
    icpcs = pd.concat(
        [s47, without_s47[["child", "episode", "DateOfInitialCPC"]]], ignore_index=True
    ).dropna()
    p = d["plans"]
    p = p[in_year(d, p["CPPstartDate"])]
    m = p.merge(icpcs, on=["child", "episode"], how="left")
    matched = set(m.loc[m["CPPstartDate"] == m["DateOfInitialCPC"], "plan"])
    hits = p[~p["plan"].isin(matched)]
    icpcs = icpcs[icpcs["episode"].isin(set(hits["episode"]))]
    dates = (
        icpcs.assign(text=icpcs["DateOfInitialCPC"].dt.strftime("%Y-%m-%d"))
        .groupby("episode")["text"]
        .agg(", ".join)
    )
    out = hits[["child", "CPPstartDate"]].copy()
    out["DateOfInitialCPC"] = hits["episode"].map(dates)
    return out


@rule(
    "4001",
    "error",
    "A CIN Plan cannot run concurrently with a Child Protection Plan",
    ("CINPlanEndDate", "CPPendDate"),
)
def open_cin_and_cp_plans(d: CensusData) -> pd.DataFrame:
    cin = d["cin_plans"]
    cin = cin[cin["CINPlanStartDate"].notna() & cin["CINPlanEndDate"].isna()]
    cp = d["plans"]
    cp = cp[cp["CPPstartDate"].notna() & cp["CPPendDate"].isna()]
    m = cin.merge(cp, on="child", suffixes=("", "_cp"))
    return m[["child", "CINPlanStartDate", "CPPstartDate"]]


@rule(
    "4003",
    "error",
    "A CPP review date is shown as being held at the same time as an open CIN Plan.",
    ("CPPreviewDate", "CINPlanStartDate", "CINPlanEndDate"),
)
def review_during_cin_plan(d: CensusData) -> pd.DataFrame:
    r = d["reviews"].merge(
        d["plans"][["plan", "CPPendDate"]], on="plan", how="left", suffixes=("", "_plan")
    )
    m = r.merge(d["cin_plans"], on="child", suffixes=("", "_cin"))
    inside = within(
        m["CPPreviewDate"], m["CINPlanStartDate"], until_reference(d, m["CINPlanEndDate"])
    )
    hits = m[inside & (m["CPPreviewDate"] != m["CPPendDate"])]
    return hits[["child", "CPPreviewDate", "CINPlanStartDate", "CINPlanEndDate"]]


@rule(
    "4016",
    "error",
    "A CIN Plan has been reported as open at the same time as a Child Protection Plan.",
    ("CINPlanStartDate", "CPPstartDate", "CPPendDate"),
)
def cin_plan_starts_during_cp_plan(d: CensusData) -> pd.DataFrame:
    m = d["cin_plans"].merge(d["plans"], on="child", suffixes=("", "_cp"))
    inside = within(m["CINPlanStartDate"], m["CPPstartDate"], until_reference(d, m["CPPendDate"]))
    hits = m[inside & (m["CINPlanStartDate"] != m["CPPendDate"])]
    return hits[["child", "CINPlanStartDate", "CPPstartDate", "CPPendDate"]]


@rule(
    "4017",
    "error",
    "A CIN Plan has been reported as open at the same time as a Child Protection Plan.",
    ("CPPstartDate", "CINPlanStartDate", "CINPlanEndDate"),
)
def cp_plan_starts_during_cin_plan(d: CensusData) -> pd.DataFrame:
    m = d["plans"].merge(d["cin_plans"], on="child", suffixes=("", "_cin"))
    inside = within(
        m["CPPstartDate"], m["CINPlanStartDate"], until_reference(d, m["CINPlanEndDate"])
    )
    hits = m[inside & (m["CPPstartDate"] != m["CINPlanEndDate"])]
    return hits[["child", "CPPstartDate", "CINPlanStartDate", "CINPlanEndDate"]]


@rule(
    "8720",
    "error",
    "Child Protection Plan Start Date missing or out of data collection period",
    ("CPPstartDate",),
)
def plan_start_missing_or_late(d: CensusData) -> pd.DataFrame:
    p = d["plans"]
    hits = p[p["CPPstartDate"].isna() | (p["CPPstartDate"] > d.ref)]
    return hits[["child", "CPPstartDate"]]


@rule(
    "8730",
    "error",
    "Total Number of previous Child Protection Plans missing",
    ("NumberOfPreviousCPP",),
)
def previous_plans_missing(d: CensusData) -> pd.DataFrame:
    p = d["plans"]
    number = pd.to_numeric(p["NumberOfPreviousCPP"], errors="coerce")
    ok = number.notna() & (number >= 0) & (number == number.round())
    hits = p[~ok]
    return hits[["child", "CPPstartDate", "NumberOfPreviousCPP"]]


@rule(
    "8840",
    "error",
    "Child Protection Plan cannot start and end on the same day",
    ("CPPstartDate", "CPPendDate"),
)
def plan_starts_and_ends_same_day(d: CensusData) -> pd.DataFrame:
    p = d["plans"]
    hits = p[p["CPPstartDate"].notna() & (p["CPPstartDate"] == p["CPPendDate"])]
    return hits[["child", "CPPstartDate", "CPPendDate"]]


@rule(
    "8841",
    "error",
    "The review date cannot be on the same day or before the Child protection Plan start date.",
    ("CPPreviewDate", "CPPstartDate"),
)
def review_on_or_before_start(d: CensusData) -> pd.DataFrame:
    r = d["reviews"].merge(d["plans"][["plan", "CPPstartDate"]], on="plan", how="left")
    hits = r[r["CPPreviewDate"].notna() & (r["CPPreviewDate"] <= r["CPPstartDate"])]
    return hits[["child", "CPPreviewDate", "CPPstartDate"]]


@rule("8842Q", "query", "Review Record has a missing date", ("CPPreviewDate",))
def review_without_date(d: CensusData) -> pd.DataFrame:
    r = d["reviews"].merge(d["plans"][["plan", "CPPstartDate"]], on="plan", how="left")
    hits = r[r["CPPreviewDate"].isna()]
    return hits[["child", "CPPstartDate"]]


def _bad_category(d: CensusData, col: str) -> pd.DataFrame:
    p = d["plans"]
    values = p[col].astype(object).where(p[col].notna(), None)
    hits = p[~values.isin(CODES)]
    out = hits[["child", "CPPstartDate"]].copy()
    out[col] = hits[col].map(lambda v: "(missing)" if v is None else v)
    return out


@rule(
    "8905",
    "error",
    "Initial Category of Abuse code missing or invalid",
    ("InitialCategoryOfAbuse",),
)
def initial_category_invalid(d: CensusData) -> pd.DataFrame:
    return _bad_category(d, "InitialCategoryOfAbuse")


@rule(
    "8910",
    "error",
    "Latest Category of Abuse code missing or invalid",
    ("LatestCategoryOfAbuse",),
)
def latest_category_invalid(d: CensusData) -> pd.DataFrame:
    return _bad_category(d, "LatestCategoryOfAbuse")


def _with_death(d: CensusData) -> pd.DataFrame:
    return d["plans"].merge(d["children"][["child", "PersonDeathDate"]], on="child", how="left")


@rule(
    "8915",
    "error",
    "Child Protection Plan shown as starting after the child's Date of Death",
    ("CPPstartDate", "PersonDeathDate"),
)
def plan_starts_after_death(d: CensusData) -> pd.DataFrame:
    p = _with_death(d)
    hits = p[p["CPPstartDate"] > p["PersonDeathDate"]]
    return hits[["child", "CPPstartDate", "PersonDeathDate"]]


@rule(
    "8920",
    "error",
    "Child Protection Plan cannot end after the child's Date of Death",
    ("CPPendDate", "PersonDeathDate"),
)
def plan_ends_after_death(d: CensusData) -> pd.DataFrame:
    p = _with_death(d)
    hits = p[p["CPPendDate"] > p["PersonDeathDate"]]
    return hits[["child", "CPPendDate", "PersonDeathDate"]]


@rule(
    "8925",
    "error",
    "Child Protection Plan End Date earlier than Start Date",
    ("CPPstartDate", "CPPendDate"),
)
def plan_ends_before_start(d: CensusData) -> pd.DataFrame:
    p = d["plans"]
    hits = p[p["CPPendDate"] < p["CPPstartDate"]]
    return hits[["child", "CPPstartDate", "CPPendDate"]]


@rule(
    "8930",
    "error",
    "Child Protection Plan End Date must fall within the census year",
    ("CPPendDate",),
    census_only=True,
)
def plan_end_outside_year(d: CensusData) -> pd.DataFrame:
    p = d["plans"]
    hits = p[p["CPPendDate"].notna() & ~in_year(d, p["CPPendDate"])]
    return hits[["child", "CPPendDate"]]


@rule(
    "8935",
    "error",
    "This child is showing more than one open Child Protection plan",
    ("CPPendDate",),
)
def two_open_plans(d: CensusData) -> pd.DataFrame:
    p = d["plans"]
    open_ = p[p["CPPendDate"].isna()]
    counts = open_["child"].value_counts()
    open_ = open_[open_["child"].isin(set(counts[counts > 1].index))]
    starts = (
        open_.assign(text=open_["CPPstartDate"].dt.strftime("%Y-%m-%d").fillna("(missing)"))
        .groupby("child")["text"]
        .agg(list)
    )
    hits = starts[starts.map(len) > 1]
    return pd.DataFrame({"child": hits.index, "open plans starting": hits.map(", ".join).values})


@rule(
    "8940",
    "error",
    "Child Protection Plan data contains overlapping dates",
    ("CPPstartDate", "CPPendDate"),
)
def plans_overlap(d: CensusData) -> pd.DataFrame:
    p = pairs(d["plans"][["child", "plan", "CPPstartDate", "CPPendDate"]])
    other_end = until_reference(d, p["CPPendDate_o"])
    hits = p[within(p["CPPstartDate"], p["CPPstartDate_o"], other_end)]
    hits = hits.drop_duplicates("plan")
    out = hits[["child", "CPPstartDate", "CPPendDate"]].copy()
    out["other plan"] = (
        hits["CPPstartDate_o"].dt.strftime("%Y-%m-%d")
        + " to "
        + hits["CPPendDate_o"].dt.strftime("%Y-%m-%d").fillna("open")
    )
    return out
