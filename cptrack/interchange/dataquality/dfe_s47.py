"""DfE CIN census rules about section 47 enquiries and initial conferences.

Codes, kinds and messages as the DfE publishes them (``../shared/CIN_RULES.md``). Weekend
rules (8870Q, 8875) check Saturdays and Sundays only, as the DfE's do; 8675Q counts working
days without bank holidays (``cptrack.rules.workdays``), from the s47 start (not counted) to the
reference date.
"""

from __future__ import annotations

import pandas as pd

from cptrack.interchange.dataquality.base import rule
from cptrack.interchange.dataquality.census import CensusData
from cptrack.interchange.dataquality.periods import (
    in_year,
    not_true,
    on_weekend,
    pairs,
    until_reference,
    within,
)
from cptrack.rules import workdays


def _open(s: pd.DataFrame) -> pd.Series:
    """An s47 with no ICPC that was not marked as not needing one."""
    return s["DateOfInitialCPC"].isna() & not_true(s["ICPCnotRequired"])


@rule(
    "2883",
    "error",
    "There are more child protection plans starting than initial conferences taking place",
    ("CPPstartDate", "DateOfInitialCPC"),
    census_only=True,
    level="return",
)
def more_plans_than_icpcs(d: CensusData) -> pd.DataFrame:
    plans = int(in_year(d, d["plans"]["CPPstartDate"]).sum())
    icpcs = int(in_year(d, d["s47"]["DateOfInitialCPC"]).sum()) + int(
        in_year(d, d["episodes"]["DateOfInitialCPC"]).sum()
    )
    if plans <= icpcs:
        return pd.DataFrame(columns=["child"])
    return pd.DataFrame(
        [{"child": None, "plans starting in year": plans, "initial conferences in year": icpcs}]
    )


@rule(
    "2884",
    "error",
    "An initial child protection conference is recorded at both the S47 and CIN Details level "
    "and it should only be recorded in one",
    ("DateOfInitialCPC",),
)
def icpc_recorded_twice(d: CensusData) -> pd.DataFrame:
    e = d["episodes"][["child", "episode", "DateOfInitialCPC"]].dropna()
    m = d["s47"].merge(e, on=["child", "episode"], suffixes=("", "_cin"))
    hits = m[m["DateOfInitialCPC"] == m["DateOfInitialCPC_cin"]]
    return hits[["child", "DateOfInitialCPC"]]


@rule(
    "8615",
    "error",
    "Section 47 Enquiry Start Date must be present and cannot be later than the date of the "
    "initial Child Protection Conference",
    ("S47ActualStartDate", "DateOfInitialCPC"),
)
def s47_start_after_icpc(d: CensusData) -> pd.DataFrame:
    s = d["s47"]
    icpc = s["DateOfInitialCPC"]
    start = s["S47ActualStartDate"]
    hits = s[icpc.notna() & (start.isna() | (start > icpc))]
    return hits[["child", "S47ActualStartDate", "DateOfInitialCPC"]]


@rule(
    "8675Q",
    "query",
    "S47 Enquiry started more than 15 working days before the end of the census year. However "
    "there is no date of ICPC.",
    ("S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"),
)
def s47_without_icpc(d: CensusData) -> pd.DataFrame:
    s = d["s47"]
    s = s[_open(s) & s["S47ActualStartDate"].notna()]
    days = workdays.working_days_between(s["S47ActualStartDate"], pd.Series(d.ref, index=s.index))
    hits = s[(days >= 15).fillna(False).astype(bool)]
    out = hits[["child", "S47ActualStartDate"]].copy()
    out["working days to reference date"] = days[hits.index]
    return out


@rule(
    "8715",
    "error",
    "Date of Initial Child Protection Conference must fall within the census year",
    ("DateOfInitialCPC",),
    census_only=True,
)
def icpc_outside_year(d: CensusData) -> pd.DataFrame:
    s = d["s47"]
    hits = s[s["DateOfInitialCPC"].notna() & ~in_year(d, s["DateOfInitialCPC"])]
    return hits[["child", "DateOfInitialCPC"]]


@rule(
    "8740",
    "error",
    "For a Section 47 Enquiry that has not held the ICPC by the end of the census year the "
    "start date must fall within the census year",
    ("S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"),
    census_only=True,
)
def open_s47_started_before_year(d: CensusData) -> pd.DataFrame:
    s = d["s47"]
    hits = s[_open(s) & ~in_year(d, s["S47ActualStartDate"])]
    return hits[["child", "S47ActualStartDate"]]


@rule(
    "8839",
    "error",
    "Within one CINDetails group there are 2 or more open S47 Assessments",
    ("DateOfInitialCPC", "ICPCnotRequired"),
)
def two_open_s47s(d: CensusData) -> pd.DataFrame:
    s = d["s47"]
    open_ = s[_open(s)]
    counts = open_.groupby(["child", "episode"]).size().rename("open S47 enquiries")
    hits = counts[counts >= 2].reset_index()
    return hits[["child", "open S47 enquiries"]]


@rule(
    "8870Q",
    "query",
    "The Target Date for Initial Child Protection Conference should not be a weekend",
    ("InitialCPCtarget",),
)
def target_on_weekend(d: CensusData) -> pd.DataFrame:
    s = d["s47"]
    hits = s[on_weekend(s["InitialCPCtarget"])]
    return hits[["child", "InitialCPCtarget"]]


@rule(
    "8875",
    "error",
    "The Date of Initial Child Protection Conference cannot be a weekend",
    ("DateOfInitialCPC",),
)
def icpc_on_weekend(d: CensusData) -> pd.DataFrame:
    s = d["s47"]
    hits = s[on_weekend(s["DateOfInitialCPC"])]
    return hits[["child", "DateOfInitialCPC"]]


@rule(
    "8890",
    "error",
    "A Section 47 enquiry is shown as starting when there is another Section 47 Enquiry ongoing",
    ("S47ActualStartDate",),
)
def s47_starts_during_another(d: CensusData) -> pd.DataFrame:
    s = d["s47"][["child", "s47", "S47ActualStartDate", "DateOfInitialCPC"]]
    p = pairs(s)
    other_end = until_reference(d, p["DateOfInitialCPC_o"])
    hits = p[within(p["S47ActualStartDate"], p["S47ActualStartDate_o"], other_end)]
    hits = hits.drop_duplicates("s47")
    out = hits[["child", "S47ActualStartDate"]].copy()
    out["other S47ActualStartDate"] = hits["S47ActualStartDate_o"]
    return out
