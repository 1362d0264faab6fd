"""DfE CIN census rules about a CIN episode as a whole: referral, no further action, closure.

Codes, kinds and messages as the DfE publishes them (``../shared/CIN_RULES.md``).
"""

from __future__ import annotations

import pandas as pd

from cptrack.interchange.dataquality.base import rule
from cptrack.interchange.dataquality.census import CensusData
from cptrack.interchange.dataquality.periods import not_true, with_episode


@rule(
    "1104",
    "error",
    "The date of the initial child protection conference cannot be before the referral date",
    ("DateOfInitialCPC", "CINreferralDate"),
)
def icpc_before_referral(d: CensusData) -> pd.DataFrame:
    s = with_episode(d, "s47", "CINreferralDate")
    hits = s[s["DateOfInitialCPC"] < s["CINreferralDate"]]
    return hits[["child", "DateOfInitialCPC", "CINreferralDate"]]


@rule(
    "1105",
    "error",
    "The child protection plan start date cannot be before the referral date",
    ("CPPstartDate", "CINreferralDate"),
)
def plan_before_referral(d: CensusData) -> pd.DataFrame:
    p = with_episode(d, "plans", "CINreferralDate")
    hits = p[p["CPPstartDate"] < p["CINreferralDate"]]
    return hits[["child", "CPPstartDate", "CINreferralDate"]]


@rule(
    "2889",
    "error",
    "The S47 start date cannot be before the referral date.",
    ("S47ActualStartDate", "CINreferralDate"),
)
def s47_before_referral(d: CensusData) -> pd.DataFrame:
    s = with_episode(d, "s47", "CINreferralDate")
    hits = s[s["S47ActualStartDate"] < s["CINreferralDate"]]
    return hits[["child", "S47ActualStartDate", "CINreferralDate"]]


def _present_in_episode(d: CensusData) -> pd.DataFrame:
    """One row per activity recorded in an episode: (child, episode, element, date)."""
    parts = []
    for name, col in (
        ("assessments", "AssessmentActualStartDate"),
        ("s47", "S47ActualStartDate"),
        ("s47", "DateOfInitialCPC"),
        ("episodes", "DateOfInitialCPC"),
    ):
        f = d[name]
        f = f[f[col].notna()]
        parts.append(
            pd.DataFrame(
                {"child": f["child"], "episode": f["episode"], "element": col, "date": f[col]}
            )
        )
    return pd.concat(parts, ignore_index=True)


@rule(
    "2990",
    "error",
    "Activity is recorded against a case marked as 'Case closed after assessment...' (RC8/RC9)",
    ("ReasonForClosure",),
)
def activity_after_closed_assessment(d: CensusData) -> pd.DataFrame:
    e = d["episodes"]
    closed = e[e["ReasonForClosure"].astype(str).str.strip().str.upper().isin(["RC8", "RC9"])]
    if closed.empty:
        return closed[["child"]]
    found = []
    for name, what in (
        ("s47", "Section47"),
        ("plans", "ChildProtectionPlans"),
        ("cin_plans", "CINPlanDates"),
    ):
        eps = set(d[name]["episode"])
        found.append(closed[closed["episode"].isin(eps)].assign(activity=what))
    found.append(closed[closed["DateOfInitialCPC"].notna()].assign(activity="DateOfInitialCPC"))
    hits = pd.concat(found, ignore_index=True)
    return hits[["child", "ReasonForClosure", "activity"]]


@rule(
    "2991Q",
    "query",
    "A Section 47 module is recorded and there is no assessment on the episode",
    ("CINdetailsID", "AssessmentActualStartDate"),
)
def s47_without_assessment(d: CensusData) -> pd.DataFrame:
    assessed = set(d["assessments"]["episode"])
    s = d["s47"]
    hits = s[~s["episode"].isin(assessed)].drop_duplicates("episode")
    return hits[["child", "S47ActualStartDate"]]


@rule(
    "8565",
    "error",
    "Activity shown after a case has been closed",
    ("CINclosureDate", "DateOfInitialCPC", "S47ActualStartDate", "CPPendDate"),
)
def activity_after_closure(d: CensusData) -> pd.DataFrame:
    e = d["episodes"]
    closed = e.loc[e["CINclosureDate"].notna(), ["child", "episode", "CINclosureDate"]]
    parts = [_present_in_episode(d)]
    for name, col in (
        ("assessments", "AssessmentAuthorisationDate"),
        ("plans", "CPPendDate"),
        ("cin_plans", "CINPlanStartDate"),
        ("cin_plans", "CINPlanEndDate"),
    ):
        f = d[name]
        f = f[f[col].notna()]
        parts.append(
            pd.DataFrame(
                {"child": f["child"], "episode": f["episode"], "element": col, "date": f[col]}
            )
        )
    activity = pd.concat(parts, ignore_index=True)
    m = activity.merge(closed, on=["child", "episode"])
    hits = m[m["date"] > m["CINclosureDate"]]
    out = hits[["child", "CINclosureDate"]].copy()
    out["activity"] = hits["element"] + " " + hits["date"].dt.strftime("%Y-%m-%d")
    return out


@rule(
    "8831",
    "error",
    "Activity is recorded against a case marked as a referral with no further action",
    ("ReferralNFA", "S47ActualStartDate", "DateOfInitialCPC"),
)
def activity_after_nfa(d: CensusData) -> pd.DataFrame:
    e = d["episodes"]
    nfa = e.loc[e["ReferralNFA"].fillna(False).astype(bool), ["child", "episode", "ReferralNFA"]]
    m = _present_in_episode(d).merge(nfa, on=["child", "episode"])
    out = m[["child", "ReferralNFA"]].copy()
    out["activity"] = m["element"] + " " + m["date"].dt.strftime("%Y-%m-%d")
    return out


@rule(
    "8832",
    "error",
    "Child Protection details provided for a referral with no further action.",
    ("ReferralNFA", "CPPstartDate"),
)
def plan_after_nfa(d: CensusData) -> pd.DataFrame:
    p = with_episode(d, "plans", "ReferralNFA")
    hits = p[p["ReferralNFA"].fillna(False).astype(bool)]
    return hits[["child", "ReferralNFA", "CPPstartDate"]]


@rule(
    "8868",
    "error",
    "CIN episode is shown as closed however Section 47 enquiry is not shown as completed by "
    "ICPC date or ICPC not required flag",
    ("CINclosureDate", "DateOfInitialCPC", "ICPCnotRequired"),
)
def closed_with_open_s47(d: CensusData) -> pd.DataFrame:
    s = with_episode(d, "s47", "CINclosureDate")
    hits = s[
        s["CINclosureDate"].notna() & s["DateOfInitialCPC"].isna() & not_true(s["ICPCnotRequired"])
    ]
    return hits[["child", "CINclosureDate", "S47ActualStartDate", "ICPCnotRequired"]]
