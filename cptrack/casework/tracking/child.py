"""One child's file, as the child view shows it, and the report a page's "Download report"
makes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cptrack import engine
from cptrack.caseload import Caseload, load, open_plans
from cptrack.casework.tracking.chronology import chronology
from cptrack.casework.tracking.words import LABEL
from cptrack.domain.models import (
    FieldError,
    RecordError,
)
from cptrack.domain.values import as_date, row_dict
from cptrack.rules.profiles import Profile
from cptrack.storage.store import Store


@dataclass
class ChildFile:
    """What the child view shows for one child."""

    child: dict
    siblings: pd.DataFrame  # the family's other children: child_id, name, on_plan, plan_id
    plan: dict | None  # the open plan (or the latest)
    caseload: Caseload
    findings: pd.DataFrame  # every finding for the child, history included
    profile: Profile
    as_of: dt.date
    chair_name: str = ""

    @property
    def child_id(self) -> str:
        return str(self.child["id"])

    @property
    def name(self) -> str:
        return f"{self.child['given_name']} {self.child['family_name']}"

    @property
    def plan_open(self) -> bool:
        return bool(self.plan) and (
            self.plan.get("end_date") is None or self.plan["end_date"] > self.as_of
        )

    def open_findings(self) -> pd.DataFrame:
        """Live findings, red first, then amber, then green, each by due date."""
        f = self.findings[self.findings["live"]]
        order = f["rag"].astype(object).map({"red": 0, "amber": 1, "green": 2}).fillna(3)
        return f.assign(_o=order).sort_values(["_o", "due_date"], kind="stable").drop(columns="_o")

    def settled_findings(self) -> pd.DataFrame:
        """The history: met, met late, missed; newest first."""
        f = self.findings[~self.findings["live"]]
        return f.sort_values("due_date", ascending=False, kind="stable")

    def actions(self) -> pd.DataFrame:
        a = self.caseload.plan_actions
        a = a.assign(overdue=(a["status"] == "open") & (a["due_date"] < pd.Timestamp(self.as_of)))
        order = a["status"].map({"open": 0, "done": 1, "cancelled": 2}).fillna(3)
        return a.assign(_o=order).sort_values(["_o", "due_date"], kind="stable").drop(columns="_o")

    def records(self) -> pd.DataFrame:
        """Earlier case-tracking records (and risk analysis meetings), newest first."""
        ct = self.caseload.case_tracking
        return ct.sort_values(["date", "id"], ascending=False, kind="stable")

    def chronology(self) -> pd.DataFrame:
        return chronology(self.caseload, self.child_id, self.as_of)


# The formats each page's "Download report" offers.
# Word where the report is one for a child's file (``cptrack.reports.DOCUMENTS``).
REPORT_FORMATS = {
    "child_summary": ("pdf", "docx", "html"),
    "chair_caseload": ("pdf", "html", "xlsx"),
}


def report_request(
    store: Store,
    profile: Profile,
    as_of: dt.date,
    *,
    child_id: str | None = None,
    chair_id: int | None = None,
    team_id: int | None = None,
    filtered: bool = False,
) -> tuple[str, dict[str, Any], list[str]]:
    """The report a page's "Download report" makes, its parameters, and notes on where it
    cannot match the page: the same file as ``cptrack report NAME`` with those parameters.

    A child open: their child summary; otherwise the chosen chair's caseload (every chair's
    when none is chosen). The as-of date and the standards are the page's; a profile changed
    on the page only by its amber window, or loaded from a file, is reported under the
    registered profile it came from, and the notes say so."""
    from cptrack.rules import profiles

    notes: list[str] = []
    registered = profile.id if profile.id in profiles.available() else None
    if registered and not child_id:
        own = profiles.load(registered).settings["amber_window_wd"]
        if own != profile.settings["amber_window_wd"]:
            notes.append(
                f"The report uses the standards' own amber window ({own} working "
                "days), not the one chosen on this page."
            )
    params: dict[str, Any] = {
        "db": store.engine.url.render_as_string(hide_password=False),  # the report's own kernel
        "as_of": as_of.isoformat(),
        "profile": registered,
    }
    if child_id:
        return "child_summary", {**params, "child": str(child_id)}, notes
    if team_id and not chair_id:
        notes.append("Reports cannot be limited to a team: this one covers every chair.")
    if filtered:
        notes.append("The report lists every child in scope, without the table's filters.")
    return "chair_caseload", {**params, "chair": str(chair_id) if chair_id else None}, notes


def open_child(store: Store, child_id: str, profile: Profile, as_of: dt.date) -> ChildFile:
    """The child's file as at ``as_of``; a clear refusal when there is no such child."""
    child = store.get("children", child_id)
    if child is None:
        raise RecordError(LABEL, [FieldError("child", f"there is no child {child_id!r}")])
    family = []
    if child.get("family_id"):
        family = [
            c for c in store.rows("children", family_id=child["family_id"]) if c["id"] != child_id
        ]
    caseload = load(store, child_ids=[child_id, *[c["id"] for c in family]])
    mine = caseload.for_children([child_id])
    findings = engine.evaluate(mine, profile, as_of)
    plans = mine.cp_plans.sort_values("start_date")
    day = pd.Timestamp(as_of)
    current = open_plans(plans, day)
    chosen = current if len(current) else plans
    plan = row_dict(chosen.iloc[-1]) if len(chosen) else None
    sib_rows = []
    all_plans = caseload.cp_plans
    for c in sorted(family, key=lambda c: c["id"]):
        theirs = open_plans(all_plans[all_plans["child_id"] == c["id"]], day)
        sib_rows.append(
            {
                "child_id": c["id"],
                "name": f"{c['given_name']} {c['family_name']}",
                "date_of_birth": c.get("date_of_birth"),
                "on_plan": bool(len(theirs)),
                "same_plan_start": bool(
                    plan
                    and len(theirs)
                    and as_date(theirs["start_date"].iloc[-1]) == plan["start_date"]
                ),
            }
        )
    siblings = pd.DataFrame(
        sib_rows, columns=["child_id", "name", "date_of_birth", "on_plan", "same_plan_start"]
    )
    staff = {s["id"]: s["name"] for s in store.rows("staff")}
    return ChildFile(
        child, siblings, plan, mine, findings, profile, as_of, staff.get(child.get("chair_id"), "")
    )
