"""Hand-made CIN census returns for tests: one clean child, and ways to break it.

Everything here is invented. ``clean_child`` is a child on a plan whose return breaks no
DfE rule and no cptrack check for the census year ending ``REF``; tests copy it and change
what they need.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

from cptrack.interchange.exports.cin_census import write_census

REF = dt.date(2026, 3, 31)  # a Tuesday; the census year is 1 April 2025 to 31 March 2026


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def clean_child(child_id: str = "T0001") -> dict:
    """A child referred in June 2025, s47, ICPC in time, a plan, reviews in time."""
    return {
        "LAchildID": child_id,
        "PersonBirthDate": d("2016-05-10"),
        "Sex": "F",
        "Ethnicity": "WBRI",
        "Disabilities": ["NONE"],
        "CINdetails": [
            {
                "CINreferralDate": d("2025-06-02"),
                "ReferralNFA": False,
                "CINPlanDates": [],
                "Assessments": [{"AssessmentActualStartDate": d("2025-06-03")}],
                "Section47": [
                    {
                        "S47ActualStartDate": d("2025-06-04"),
                        "InitialCPCtarget": d("2025-06-25"),
                        "DateOfInitialCPC": d("2025-06-20"),
                        "ICPCnotRequired": False,
                    }
                ],
                "ChildProtectionPlans": [
                    {
                        "CPPstartDate": d("2025-06-20"),
                        "InitialCategoryOfAbuse": "NEG",
                        "LatestCategoryOfAbuse": "NEG",
                        "NumberOfPreviousCPP": 0,
                        "Reviews": [d("2025-09-12"), d("2026-02-27")],
                    }
                ],
            }
        ],
    }


def episode(child: dict, n: int = 0) -> dict:
    return child["CINdetails"][n]


def s47(child: dict, n: int = 0) -> dict:
    return episode(child)["Section47"][n]


def plan(child: dict, n: int = 0) -> dict:
    return episode(child)["ChildProtectionPlans"][n]


def write(path: Path, children: list[dict], ref: dt.date = REF, la_code: str = "999") -> Path:
    with open(path, "w", encoding="utf-8") as out:
        write_census(out, ref, children, la_code=la_code)
    return path


def changed(fn) -> dict:
    """A clean child changed by ``fn`` (which edits it in place)."""
    child = copy.deepcopy(clean_child())
    fn(child)
    return child
