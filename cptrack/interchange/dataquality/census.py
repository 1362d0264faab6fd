"""The shape the data-quality rules read: CIN census data as frames, one per census group.

Column names are the DfE element names, so a rule reads like the DfE specification and a
finding can show each value under the name the census gives it. Every frame carries
``child`` (the LAchildID) and the keys of the groups it belongs to (``episode`` for a
CINdetails group, ``s47`` and ``plan`` for a Section47 or ChildProtectionPlans group):
text unique within one file. Dates are ``datetime64`` (NaT when missing or unreadable).

Two sources build these frames: a CIN census XML file as it is (``cptrack.interchange.imports.
cin_census``; every element is available) and cptrack's own records (``from_records``;
only the elements those records hold, listed in ``elements``). A rule runs only when the
source provides every element it reads (``cptrack.interchange.dataquality.registry``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

FRAMES: dict[str, tuple[str, ...]] = {
    "children": ("child", "PersonBirthDate", "ExpectedPersonBirthDate", "PersonDeathDate"),
    "episodes": (
        "child",
        "episode",
        "CINreferralDate",
        "ReferralNFA",
        "CINclosureDate",
        "ReasonForClosure",
        "DateOfInitialCPC",
    ),
    "assessments": ("child", "episode", "AssessmentActualStartDate", "AssessmentAuthorisationDate"),
    "cin_plans": ("child", "episode", "CINPlanStartDate", "CINPlanEndDate"),
    "s47": (
        "child",
        "episode",
        "s47",
        "S47ActualStartDate",
        "InitialCPCtarget",
        "DateOfInitialCPC",
        "ICPCnotRequired",
    ),
    "plans": (
        "child",
        "episode",
        "plan",
        "CPPstartDate",
        "CPPendDate",
        "InitialCategoryOfAbuse",
        "LatestCategoryOfAbuse",
        "NumberOfPreviousCPP",
    ),
    "reviews": ("child", "episode", "plan", "CPPreviewDate"),
    # Values a reader could not read (an impossible date, "maybe" for a yes/no element).
    "unreadable": ("child", "element", "value", "problem"),
}

KEYS = {"child", "episode", "s47", "plan", "element", "value", "problem"}
YES_NO = {"ReferralNFA", "ICPCnotRequired"}
TEXT = {
    "ReasonForClosure",
    "InitialCategoryOfAbuse",
    "LatestCategoryOfAbuse",
    "NumberOfPreviousCPP",
}
DATES = {c for cols in FRAMES.values() for c in cols} - KEYS - YES_NO - TEXT

# Every element a CIN census file provides (with the LA-level ReferenceDate).
ALL_ELEMENTS = frozenset(
    {c for cols in FRAMES.values() for c in cols} - KEYS
    | {"LAchildID", "ReferenceDate", "CINdetailsID"}
)


def census_year(reference_date: dt.date) -> tuple[dt.date, dt.date]:
    """The census year ending on ``reference_date``: from the day after a year before."""
    start = (pd.Timestamp(reference_date) - pd.DateOffset(years=1) + pd.Timedelta(days=1)).date()
    return start, reference_date


@dataclass
class CensusData:
    """Census-shaped frames for the rules, with the reference date and what they hold.

    ``census`` is True for a census return, whose rules about "the census year" apply;
    other sources (Annex A, case-system extracts, cptrack's records) are checked with the
    rules that do not depend on a collection year.
    """

    reference_date: dt.date
    frames: dict[str, pd.DataFrame]
    elements: frozenset[str] = ALL_ELEMENTS
    census: bool = True
    source: str = "CIN census"
    cache: dict = field(default_factory=dict)  # results rules share, worked out once

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]

    @property
    def year(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        start, end = census_year(self.reference_date)
        return pd.Timestamp(start), pd.Timestamp(end)

    @property
    def ref(self) -> pd.Timestamp:
        return pd.Timestamp(self.reference_date)


def frame(name: str, rows: list[tuple] | list[dict]) -> pd.DataFrame:
    """A census frame from rows, with its columns in their types."""
    cols = FRAMES[name]
    out = pd.DataFrame(rows, columns=list(cols)) if rows else pd.DataFrame(columns=list(cols))
    for col in cols:
        if col in DATES:
            out[col] = pd.to_datetime(out[col], errors="coerce").astype("datetime64[us]")
        elif col in YES_NO:
            out[col] = out[col].astype("boolean")
        else:
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def from_rows(
    reference_date: dt.date,
    rows: dict[str, list[dict]],
    *,
    elements: set[str],
    source: str,
) -> CensusData:
    """Census frames from rows named as the frames' columns, for a source that is not a
    census return (Annex A, a case-system extract). ``elements`` lists what the source holds;
    rules reading anything else are not applied. Frames not given are empty."""
    frames = {name: frame(name, rows.get(name, [])) for name in FRAMES}
    return CensusData(
        reference_date,
        frames,
        elements=frozenset(elements | {"LAchildID", "ReferenceDate"}),
        census=False,
        source=source,
    )
