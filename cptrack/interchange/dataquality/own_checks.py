"""cptrack's own checks: timescales the census does not test, and dates no record can hold.

The timescales are the national ones (Working Together to Safeguard Children 2023; DOMAIN.md
§2): an ICPC within 15 working days of the strategy discussion that started the s47
enquiry (the census's S47ActualStartDate), counting bank holidays as non-working days; the
first review within 3 months of the plan starting; later reviews at most 6 months apart.
"Within N months" means on or before the same day N months later (``workdays.add_months``).

For a census return, a gap is judged only when its due date falls in the census year: the
return does not hold reviews from before then, so earlier gaps cannot be seen.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cptrack.domain.models import EARLIEST_DATE
from cptrack.interchange.dataquality.base import rule
from cptrack.interchange.dataquality.census import DATES, CensusData
from cptrack.interchange.dataquality.periods import not_true
from cptrack.rules import workdays

WORKING_TOGETHER = "Working Together to Safeguard Children 2023 (DOMAIN.md §2)"
ICPC_WORKING_DAYS = 15
FIRST_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6
YEARS_AHEAD = 2


@rule(
    "CPT-ICPC-LATE",
    "warning",
    f"Initial conference held more than {ICPC_WORKING_DAYS} working days after the strategy "
    "discussion that started the s47 enquiry",
    ("S47ActualStartDate", "DateOfInitialCPC"),
    source="cptrack",
    citation=WORKING_TOGETHER,
)
def icpc_late(d: CensusData) -> pd.DataFrame:
    s = d["s47"]
    s = s[s["S47ActualStartDate"].notna() & s["DateOfInitialCPC"].notna()]
    days = workdays.working_days_between(s["S47ActualStartDate"], s["DateOfInitialCPC"])
    hits = s[(days > ICPC_WORKING_DAYS).fillna(False).astype(bool)]
    out = hits[["child", "S47ActualStartDate", "DateOfInitialCPC"]].copy()
    out["due by"] = workdays.add_working_days(hits["S47ActualStartDate"], ICPC_WORKING_DAYS)
    out["working days"] = days[hits.index]
    return out


@rule(
    "CPT-ICPC-OVERDUE",
    "warning",
    f"No initial conference by the reference date, more than {ICPC_WORKING_DAYS} working days "
    "after the s47 enquiry started",
    ("S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"),
    source="cptrack",
    citation=WORKING_TOGETHER,
)
def icpc_overdue(d: CensusData) -> pd.DataFrame:
    s = d["s47"]
    s = s[
        s["S47ActualStartDate"].notna()
        & s["DateOfInitialCPC"].isna()
        & not_true(s["ICPCnotRequired"])
    ]
    days = workdays.working_days_between(s["S47ActualStartDate"], pd.Series(d.ref, index=s.index))
    hits = s[(days > ICPC_WORKING_DAYS).fillna(False).astype(bool)]
    out = hits[["child", "S47ActualStartDate"]].copy()
    out["due by"] = workdays.add_working_days(hits["S47ActualStartDate"], ICPC_WORKING_DAYS)
    out["working days to reference date"] = days[hits.index]
    return out


def _review_gaps(d: CensusData) -> pd.DataFrame | None:
    """Each plan's gaps: start → first review, review → next, last → end or reference date.

    Columns: child, plan, CPPstartDate, at (the start or a review), first (whether ``at``
    is the start), next (the next review; NaT when none), end (the plan's end) and due (the
    date the next review was due). None when there are no plans.
    """
    plans = d["plans"]
    plans = plans[plans["CPPstartDate"].notna() & (plans["CPPstartDate"] <= d.ref)]
    if plans.empty:
        return None
    reviews = d["reviews"][["plan", "CPPreviewDate"]].dropna()
    reviews = reviews.merge(plans[["plan", "CPPstartDate"]], on="plan")
    reviews = reviews[reviews["CPPreviewDate"] > reviews["CPPstartDate"]]
    points = pd.concat(
        [
            plans[["child", "plan", "CPPstartDate"]].assign(at=plans["CPPstartDate"], kind=0),
            reviews.merge(plans[["plan", "child"]], on="plan").assign(
                at=lambda f: f["CPPreviewDate"], kind=1
            )[["child", "plan", "CPPstartDate", "at", "kind"]],
        ],
        ignore_index=True,
    ).drop_duplicates(["plan", "at"])
    points = points.sort_values(["plan", "at", "kind"]).reset_index(drop=True)
    points["next"] = points.groupby("plan")["at"].shift(-1)
    points["first"] = points["kind"] == 0
    ends = plans.set_index("plan")["CPPendDate"]
    points["end"] = points["plan"].map(ends)
    months = points["first"].map({True: FIRST_REVIEW_MONTHS, False: LATER_REVIEW_MONTHS})
    due = pd.Series(pd.NaT, index=points.index, dtype="datetime64[us]")
    for n in (FIRST_REVIEW_MONTHS, LATER_REVIEW_MONTHS):
        pick = months == n
        if pick.any():
            due[pick] = workdays.add_months(points.loc[pick, "at"], n)
    points["due"] = due
    return points


def _late_reviews(d: CensusData, first: bool) -> pd.DataFrame:
    if "review_gaps" not in d.cache:  # both review checks read the same gaps
        d.cache["review_gaps"] = _review_gaps(d)
    g = d.cache["review_gaps"]
    if g is None:
        return pd.DataFrame(columns=["child"])
    g = g[g["first"] == first]
    late_review = g["next"].notna() & (g["next"] > g["due"])
    # No review after this point: late if the plan was still open after the due date
    # and the due date has passed by the reference date.
    still_open = g["end"].isna() | (g["end"] > g["due"])
    missing = g["next"].isna() & still_open & (g["due"] < d.ref)
    hits = g[late_review | missing]
    if d.census:
        hits = hits[hits["due"] >= d.year[0]]
    label = "plan start" if first else "previous review"
    out = pd.DataFrame(
        {
            "child": hits["child"],
            "CPPstartDate": hits["CPPstartDate"],
            label: hits["at"],
            "due by": hits["due"],
            "next review": hits["next"],
        }
    )
    out.loc[hits["next"].isna(), "next review"] = pd.NaT
    out["note"] = hits["next"].isna().map({True: "no review by the reference date", False: None})
    return out


@rule(
    "CPT-RCPC-3M",
    "warning",
    f"First review conference more than {FIRST_REVIEW_MONTHS} months after the plan started",
    ("CPPstartDate", "CPPendDate", "CPPreviewDate"),
    source="cptrack",
    citation=WORKING_TOGETHER,
)
def first_review_late(d: CensusData) -> pd.DataFrame:
    return _late_reviews(d, first=True)


@rule(
    "CPT-RCPC-6M",
    "warning",
    f"Review conferences more than {LATER_REVIEW_MONTHS} months apart",
    ("CPPstartDate", "CPPendDate", "CPPreviewDate"),
    source="cptrack",
    citation=WORKING_TOGETHER,
)
def later_review_late(d: CensusData) -> pd.DataFrame:
    return _late_reviews(d, first=False)


@rule(
    "CPT-DATE",
    "error",
    f"Date before {EARLIEST_DATE:%Y} or more than {YEARS_AHEAD} years after the reference "
    "date: check the year (cptrack will not store it)",
    (),
    source="cptrack",
    citation="cptrack.domain.models: dates are refused outside this range",
)
def implausible_dates(d: CensusData) -> pd.DataFrame:
    earliest = pd.Timestamp(EARLIEST_DATE)
    latest = pd.Timestamp(latest_plausible(d.reference_date))
    parts = []
    for f in d.frames.values():
        for col in f.columns:
            if col not in DATES:
                continue
            bad = f[(f[col] < earliest) | (f[col] > latest)]
            if not bad.empty:
                parts.append(pd.DataFrame({"child": bad["child"], col: bad[col]}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["child"])


@rule(
    "CPT-UNREADABLE",
    "error",
    "A value could not be read",
    (),
    source="cptrack",
    citation="the census's own formats (dates as YYYY-MM-DD, yes/no as true/false or 1/0)",
)
def unreadable_values(d: CensusData) -> pd.DataFrame:
    u = d["unreadable"]
    return u[["child", "element", "value", "problem"]]


def latest_plausible(reference: dt.date) -> dt.date:
    """The last date a record may hold, judged from the reference date."""
    try:
        return reference.replace(year=reference.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return reference.replace(year=reference.year + YEARS_AHEAD, day=28)
