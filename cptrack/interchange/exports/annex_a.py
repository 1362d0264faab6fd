"""Ofsted ILACS Annex A, List 5 and List 7, written from cptrack's records.

Written as an ``.xlsx`` workbook (a sheet per list, a title line above the headings, as
authorities' templates have) or as one list per ``.csv`` file. The window is the six months
before the reference date, as Ofsted asks:

* List 7: each child on a plan at the reference date or whose plan ended in the window, one
  row per child (their latest such plan), with the last statutory visit and the latest
  review conference up to the reference date;
* List 5: each s47 enquiry started in the window, with its ICPC when held.

cptrack holds no emergency protection orders: that column is left blank. Categories are
written as Ofsted's lettered labels ("a) Neglect"); dates as dates. Text that a spreadsheet
would take for a formula is written as text (``cptrack.interchange.safe_cells``).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pandas as pd

from cptrack.caseload import Caseload, load
from cptrack.domain.models import INITIAL_LIKE
from cptrack.interchange import safe_cells
from cptrack.interchange.imports.annex_a_lists import LIST_5, LIST_7
from cptrack.rules import workdays

CATEGORY_LABELS = {
    "NEG": "a) Neglect",
    "PHY": "b) Physical abuse",
    "SAB": "c) Sexual abuse",
    "EMO": "d) Emotional abuse",
    "MUL": "e) Multiple/not recommended",
}
SEX_LABELS = {"M": "Male", "F": "Female", "U": "Unknown"}
WINDOW_MONTHS = 6

HEADINGS_7 = [c.headings[0] for c in LIST_7]
HEADINGS_5 = [c.headings[0] for c in LIST_5]


def _day(value: Any) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    return value.date() if isinstance(value, pd.Timestamp) else value


def _yes_no(value: Any) -> str | None:
    if value is None or value is pd.NA:
        return None
    return "Yes" if bool(value) else "No"


def _age(born: dt.date | None, on: dt.date) -> int | None:
    if born is None or born > on:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _records(frame: pd.DataFrame) -> list[dict]:
    out = []
    dates = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    for rec in frame.to_dict("records"):
        for c in dates:
            rec[c] = _day(rec[c])
        out.append({k: (None if v is pd.NA else v) for k, v in rec.items()})
    return out


def _child_columns(child: dict, reference: dt.date) -> list[Any]:
    born = child["date_of_birth"] or child["expected_date_of_delivery"]
    return [
        child["id"],
        SEX_LABELS.get(child["sex"], child["sex"]),
        child["ethnicity"],
        born,
        _age(child["date_of_birth"], reference),
        _yes_no(child["disability"]),
    ]


def _team_columns(child: dict, teams: dict) -> list[Any]:
    return [teams.get(child["team_id"]), child["social_worker"]]


def list_rows(caseload: Caseload, reference: dt.date) -> tuple[list[list], list[list]]:
    """The rows of List 7 and of List 5 (without headings)."""
    since = workdays.add_months(reference, -WINDOW_MONTHS)
    children = {c["id"]: c for c in _records(caseload.children)}
    teams = {t["id"]: t["name"] for t in _records(caseload.teams)}
    conferences = [
        c
        for c in _records(caseload.conferences)
        if c["held_date"] is not None and not c["stood_down"] and c["held_date"] <= reference
    ]
    visits: dict[str, list[dict]] = {}
    for v in _records(caseload.visits):
        if v["date"] <= reference and v["seen"]:
            visits.setdefault(v["child_id"], []).append(v)

    latest_plan: dict[str, dict] = {}
    for p in _records(caseload.cp_plans):
        current = p["start_date"] <= reference and (
            p["end_date"] is None or p["end_date"] > reference
        )
        ended_in_window = p["end_date"] is not None and since <= p["end_date"] <= reference
        if not (current or ended_in_window):
            continue
        best = latest_plan.get(p["child_id"])
        if best is None or p["start_date"] > best["start_date"]:
            latest_plan[p["child_id"]] = p
    reviews: dict[int, dt.date] = {}
    for c in conferences:
        if c["type"] == "review" and c["plan_id"] is not None:
            reviews[c["plan_id"]] = max(reviews.get(c["plan_id"], c["held_date"]), c["held_date"])
    list_7 = []
    for cid in sorted(latest_plan):
        p, child = latest_plan[cid], children[cid]
        seen = [v for v in visits.get(cid, []) if v["date"] >= p["start_date"]]
        last = max(seen, key=lambda v: v["date"]) if seen else None
        end = p["end_date"] if p["end_date"] is not None and p["end_date"] <= reference else None
        list_7.append(
            [
                *_child_columns(child, reference),
                p["start_date"],
                CATEGORY_LABELS[p["initial_category"]],
                CATEGORY_LABELS[p["latest_category"]],
                last["date"] if last else None,
                _yes_no(last["seen_alone"]) if last else None,
                reviews.get(p["id"]),
                end,
                None,  # emergency protection orders: not held in cptrack
                p["previous_plans"],
                *_team_columns(child, teams),
            ]
        )

    icpcs = {
        c["s47_id"]: c
        for c in sorted(conferences, key=lambda c: c["held_date"], reverse=True)
        if c["type"] in INITIAL_LIKE and c["s47_id"] is not None
    }
    list_5 = []
    s47s = sorted(_records(caseload.s47_enquiries), key=lambda s: (s["child_id"], s["start_date"]))
    for s in s47s:
        if not since <= s["start_date"] <= reference:
            continue
        child = children[s["child_id"]]
        icpc = icpcs.get(s["id"])
        made_plan = None if icpc is None else _yes_no(icpc["outcome"] == "cp_plan")
        list_5.append(
            [
                *_child_columns(child, reference),
                s["start_date"],
                _yes_no(s["icpc_not_required"]),
                icpc["held_date"] if icpc else None,
                made_plan,
                *_team_columns(child, teams),
            ]
        )
    return list_7, list_5


def export(store, path: str | os.PathLike, reference: dt.date, *, only: int | None = None) -> dict:
    """Write Annex A for ``reference``: a workbook (``.xlsx``) with both lists, or one list
    (``only`` = 5 or 7) to a ``.csv`` file. Returns the number of rows of each list."""
    list_7, list_5 = list_rows(load(store), reference)
    target = Path(path)
    if target.suffix.lower() == ".csv":
        if only not in (5, 7):
            raise ValueError("a CSV file holds one list: say which (5 or 7)")
        headings, rows = (HEADINGS_7, list_7) if only == 7 else (HEADINGS_5, list_5)
        with open(target, "w", encoding="utf-8-sig", newline="") as f:
            safe_cells.write_csv(f, headings, ([_csv_value(v) for v in row] for row in rows))
        return {f"List {only}": len(rows)}
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for number, title, headings, rows in (
        (7, "Child protection", HEADINGS_7, list_7),
        (5, "Section 47 enquiries and ICPCs", HEADINGS_5, list_5),
    ):
        if only is not None and number != only:
            continue
        sheet = book.create_sheet(f"List {number}")
        sheet.append(
            safe_cells.xlsx_row(
                sheet, [f"List {number}: {title}, six months to {reference:%d/%m/%Y}"]
            )
        )
        sheet.append(safe_cells.xlsx_row(sheet, headings))
        for row in rows:
            sheet.append(safe_cells.xlsx_row(sheet, row))
    tmp = target.with_name(target.name + ".part")
    book.save(tmp)
    tmp.replace(target)
    return {"List 7": len(list_7), "List 5": len(list_5)}


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return value
