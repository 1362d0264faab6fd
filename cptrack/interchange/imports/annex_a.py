"""Ofsted ILACS Annex A: List 7 (child protection) and List 5 (s47 enquiries and ICPCs).

Lists are found by their headings, not by sheet names or list numbers, in an ``.xlsx``
workbook (any sheets) or a ``.csv`` file (one list). Headings are matched tolerantly
(``values.header_key``: case, spacing, punctuation and notes in brackets ignored, with the
variants listed below), so "Age" and "Age of Child (Years)" are the same column. Values
are read as ``cptrack.interchange.imports.values`` reads them: dates as dates, UK text or Excel serial
numbers; Yes/No in their usual forms; categories with or without "a)".

What a row becomes (docs/imports.md has the full table):

* List 7 → the child, the plan (pre-birth when it starts before the date of birth), the
  last statutory visit (seen, and seen alone or not) and the latest review conference.
* List 5 → the child, the strategy discussion that started the s47 enquiry, the enquiry,
  and the ICPC when held. When the workbook's List 7 has a plan starting on the ICPC's
  day, the ICPC is linked to it with the outcome cp_plan; a plan already in cptrack is
  linked too; otherwise the outcome is left unrecorded.
* A date of birth after the reference date is an unborn child's expected date of delivery.
* Columns cptrack has no field for (the EPO column, columns a local version adds) are kept
  aside against the child (``source_extras``); Age is worked out from the date of birth.
* A child in several rows or both lists is one child: the List 7 values win where rows
  disagree, and each disagreement is noted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cptrack.domain.models import ConferenceOutcome, ConferenceType, FieldError, TeamKind, today
from cptrack.interchange.dataquality.census import CensusData, from_rows
from cptrack.interchange.imports.apply import run_import
from cptrack.interchange.imports.report import ImportFileError, ImportResult
from cptrack.interchange.imports.staging import Batch, Link
from cptrack.interchange.imports.tables_in_files import (
    Column,
    FoundTable,
    find_table,
    headings_seen,
    read_sheets,
)
from cptrack.interchange.imports.values import (
    blank,
    read_category,
    read_date,
    read_ethnicity,
    read_int,
    read_sex,
    read_yes_no,
    text,
)

FORMAT = "Annex A"

CHILD_COLUMNS = (
    Column(
        "child_id",
        ("Child Unique ID", "Child ID", "Unique ID", "LAchildID", "Child Identifier"),
        required=True,
        meaning="the child's id in the case system (cptrack's child id)",
    ),
    Column("gender", ("Gender", "Sex"), meaning="Male, Female, Unknown (or M, F, U)"),
    Column("ethnicity", ("Ethnicity", "Ethnic Group"), meaning="a DfE code or its description"),
    Column("date_of_birth", ("Date of Birth", "DOB", "Birth Date")),
    Column(
        "age",
        ("Age of Child (Years)", "Age", "Age of Child", "Age in Years"),
        meaning="read but not stored: cptrack works age out from the date of birth",
    ),
    Column("disability", ("Does the Child have a Disability", "Disability", "Disabled")),
)
TEAM_COLUMNS = (
    Column("team", ("Allocated Team", "Team")),
    Column("worker", ("Allocated Worker", "Social Worker", "Allocated Social Worker")),
)

LIST_7 = (
    *CHILD_COLUMNS,
    Column(
        "plan_start",
        (
            "Child Protection Plan Start Date",
            "CP Plan Start Date",
            "CPP Start Date",
            "Plan Start Date",
        ),
        required=True,
    ),
    Column("initial_category", ("Initial Category of Abuse", "Initial Category"), required=True),
    Column(
        "latest_category",
        ("Latest Category of Abuse", "Latest Category", "Current Category of Abuse"),
        meaning="blank: the same as the initial category",
    ),
    Column(
        "last_visit",
        (
            "Date of the Last Statutory Visit",
            "Date of Last Statutory Visit",
            "Last Statutory Visit",
            "Last Statutory Visit Date",
        ),
    ),
    Column("seen_alone", ("Was the Child Seen Alone?", "Child Seen Alone", "Seen Alone")),
    Column(
        "latest_review",
        (
            "Date of latest review conference",
            "Date of Last Review Conference",
            "Latest Review Conference Date",
            "Last Review Conference",
        ),
    ),
    Column(
        "plan_end",
        ("Child Protection Plan End Date", "CP Plan End Date", "CPP End Date", "Plan End Date"),
    ),
    Column(
        "epo",
        (
            "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
            "Months (Y/N)",
            "EPO or Police Protection in Last Six Months",
        ),
        meaning="kept aside: cptrack has no field for it",
    ),
    Column(
        "previous_plans",
        (
            "Number of Previous Child Protection Plans",
            "Number of Previous CP Plans",
            "Previous Child Protection Plans",
            "Previous CP Plans",
        ),
    ),
    *TEAM_COLUMNS,
)

LIST_5 = (
    *CHILD_COLUMNS,
    Column(
        "s47_start",
        (
            "Strategy discussion initiating Section 47 Enquiry Start Date",
            "Section 47 Enquiry Start Date",
            "Section 47 Start Date",
            "S47 Start Date",
            "Strategy Discussion Date",
            "Date of Strategy Discussion",
        ),
        required=True,
    ),
    Column(
        "icpc_not_required",
        (
            "Was an Initial Child Protection Conference deemed unnecessary?",
            "ICPC Deemed Unnecessary",
            "ICPC Not Required",
        ),
    ),
    Column(
        "icpc_date",
        (
            "Date of Initial Child Protection Conference",
            "Initial Child Protection Conference Date",
            "ICPC Date",
            "Date of ICPC",
        ),
    ),
    Column(
        "icpc_plan",
        (
            "Did the Initial Child Protection Conference Result in a Child Protection Plan",
            "Did the ICPC Result in a CP Plan",
            "ICPC Resulted in CP Plan",
            "CP Plan from ICPC",
        ),
    ),
    *TEAM_COLUMNS,
)
# Read from List 5 when present, though cptrack's own export leaves it out: it counts the
# enquiries it holds.
LIST_5_COUNT = Column(
    "s47_count",
    (
        "Number of Section 47 Enquiries in the last 12 months",
        "Number of S47 Enquiries in the last 12 months",
        "Section 47 Enquiries in the last 12 months",
    ),
    meaning="kept aside: cptrack counts the enquiries it holds",
)


@dataclass(frozen=True)
class AnnexList:
    number: int
    title: str
    columns: tuple[Column, ...]

    @property
    def name(self) -> str:
        return f"List {self.number}"


LISTS = (
    AnnexList(7, "child protection", LIST_7),
    AnnexList(
        5, "section 47 enquiries and initial child protection conferences", (*LIST_5, LIST_5_COUNT)
    ),
)

# Columns read for a child, in the order the lists give them.
READERS: dict[str, Callable[[Any], Any]] = {
    "child_id": text,
    "gender": read_sex,
    "ethnicity": read_ethnicity,
    "date_of_birth": read_date,
    "disability": read_yes_no,
    "team": text,
    "worker": text,
    "plan_start": read_date,
    "plan_end": read_date,
    "initial_category": read_category,
    "latest_category": read_category,
    "last_visit": read_date,
    "seen_alone": read_yes_no,
    "latest_review": read_date,
    "previous_plans": read_int,
    "s47_start": read_date,
    "icpc_not_required": read_yes_no,
    "icpc_date": read_date,
    "icpc_plan": read_yes_no,
}
NOT_STORED = {"age"}
# Columns cptrack has no field for: checked, then kept aside as the file wrote them.
KEPT_ASIDE: dict[str, Callable[[Any], Any]] = {"epo": read_yes_no, "s47_count": read_int}


@dataclass
class Row:
    """One row of a list, read: values by column, problems by column, extras by heading."""

    annex: AnnexList
    where: str
    values: dict[str, Any]
    errors: dict[str, str]
    extras: dict[str, str]

    @property
    def child(self) -> str | None:
        return self.values.get("child_id")


# ---------------------------------------------------------------------------
# Reading


@dataclass
class AnnexFile:
    """The lists found in a file, read into rows."""

    name: str
    sha256: str
    found: list[tuple[AnnexList, FoundTable]]
    rows: list[Row]
    notes: list[str]


def read(path: str | os.PathLike, *, progress: bool = False) -> AnnexFile:
    """Find List 7 and List 5 in the file and read their rows."""
    p = Path(path)
    sheets = read_sheets(p, expect="an Annex A workbook")
    digest = hashlib.sha256(p.read_bytes()).hexdigest()
    found: list[tuple[AnnexList, FoundTable]] = []
    notes: list[str] = []
    other: list[str] = []
    for sheet in sheets:
        tables = [(a, find_table(sheet, a.columns)) for a in LISTS]
        tables = [(a, t) for a, t in tables if t is not None]
        if not tables:
            if any(sheet.rows):
                other.append(repr(sheet.name))
            continue
        annex, table = max(tables, key=lambda at: len(at[1].columns))
        found.append((annex, table))
        if table.unplaced:
            kept = ", ".join(repr(h) for h in table.unplaced.values())
            notes.append(
                f"{annex.name} in sheet {sheet.name!r}: columns {kept} are not Annex A "
                "columns cptrack reads; their values are kept aside"
            )
    if other:
        notes.append(
            f"{'sheets' if len(other) > 1 else 'sheet'} {', '.join(other)}: "
            "not List 5 or List 7; not read"
        )
    if not found:
        raise ImportFileError(_not_found(p.name, sheets))
    rows: list[Row] = []
    bar = _progress(sum(len(t.sheet.rows) for _, t in found), p.name) if progress else None
    for annex, table in sorted(found, key=lambda at: -at[0].number):  # List 7 first
        csv_file = len(sheets) == 1 and not p.suffix.lower().startswith(".xls")
        for number, values, extra in table.records():
            where = f"row {number}" if csv_file else f"{table.sheet.name} row {number}"
            note = _note(values, extra)
            if note is not None:
                notes.append(f"{where} is a note, not a child ({note[:60]!r}); not read")
            else:
                rows.append(_read_row(annex, where, values, extra))
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    return AnnexFile(p.name, digest, found, rows, notes)


def _note(values: dict[str, Any], extra: dict[str, Any]) -> str | None:
    """The text of a row that is a note under a list (one cell, words with spaces, as the
    template's "Notes:" lines are), else None: a child's row never holds only that."""
    filled = [v for v in (*values.values(), *extra.values()) if not blank(v)]
    if len(filled) != 1 or not isinstance(filled[0], str):
        return None
    words = text(filled[0]) or ""
    return words if " " in words else None


def _progress(total: int, name: str):
    from tqdm import tqdm

    return tqdm(total=total, unit="row", desc=name, file=sys.stderr, leave=False)


def _not_found(name: str, sheets) -> str:
    wanted = "; ".join(
        f"{a.name} ({a.title}) needs "
        + ", ".join(repr(c.headings[0]) for c in a.columns if c.required)
        for a in LISTS
    )
    seen = "; ".join(
        f"sheet {s.name!r}: " + (", ".join(repr(h) for h in headings_seen(s)[:12]) or "empty")
        for s in sheets
    )
    return f"no Annex A list found in {name}. {wanted}. Headings found: {seen}"


def _read_row(annex: AnnexList, where: str, raw: dict[str, Any], extra: dict) -> Row:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in raw.items():
        if name in NOT_STORED:
            continue
        if name in KEPT_ASIDE:
            try:
                KEPT_ASIDE[name](value)
            except ValueError as exc:
                errors[name] = str(exc)
                continue
            if text(value) is not None:
                heading = next(c.headings[0] for c in annex.columns if c.name == name)
                extra = {**extra, heading: value}
            continue
        try:
            values[name] = READERS[name](value)
        except ValueError as exc:
            errors[name] = str(exc)
    return Row(annex, where, values, errors, {k: text(v) or "" for k, v in extra.items()})


# ---------------------------------------------------------------------------
# Staging


def _heading(row: Row, name: str) -> str:
    return next(c.headings[0] for c in row.annex.columns if c.name == name)


def _child_data(row: Row, reference: dt.date) -> dict[str, Any]:
    v = row.values
    data: dict[str, Any] = {"id": row.child}
    born = v.get("date_of_birth")
    if born is not None:
        if born > reference:
            data["expected_date_of_delivery"] = born
        else:
            data["date_of_birth"] = born
    for name, fld in (("gender", "sex"), ("ethnicity", "ethnicity"), ("disability", "disability")):
        if v.get(name) is not None:
            data[fld] = v[name]
    if v.get("worker") is not None:
        data["social_worker"] = v["worker"]
    if v.get("team") is not None:
        data["team_id"] = Link("teams", (v["team"].casefold(),))
    return data


CHILD_FIELDS = {
    "id": "child_id",
    "date_of_birth": "date_of_birth",
    "expected_date_of_delivery": "date_of_birth",
    "sex": "gender",
    "ethnicity": "ethnicity",
    "disability": "disability",
    "social_worker": "worker",
    "team_id": "team",
}


def stage(annex: AnnexFile, reference: dt.date, notes: list[str]) -> Batch:
    """Everything the lists say, staged for the store."""
    batch = Batch()
    children: dict[str, tuple[Row, dict[str, Any]]] = {}
    for row in annex.rows:
        if row.child is None:
            batch.refuse(
                "children",
                {},
                row.where,
                [
                    FieldError(
                        "child_id", row.errors.get("child_id", "is blank; every row needs one")
                    )
                ],
                names={"child_id": _heading(row, "child_id")},
            )
            continue
        data = _child_data(row, reference)
        if row.child not in children:
            children[row.child] = (row, data)
            continue
        first_row, first = children[row.child]
        for key, value in data.items():
            if key not in first:
                first[key] = value
            elif first[key] != value:
                shown = value.key[0] if isinstance(value, Link) else value
                kept = first[key].key[0] if isinstance(first[key], Link) else first[key]
                notes.append(
                    f"child {row.child}: {_heading(row, CHILD_FIELDS[key])} is {shown!r} at "
                    f"{row.where} but {kept!r} at {first_row.where}; kept {kept!r}"
                )
    teams = {}
    for row, data in children.values():
        team = row.values.get("team")
        if team is not None and team.casefold() not in teams:
            teams[team.casefold()] = batch.add(
                "teams", {"name": team}, row.where, insert_only={"kind": TeamKind.SOCIAL_WORK.value}
            )
        errors = [
            FieldError(name, msg)
            for name, msg in row.errors.items()
            if name in {"child_id", "gender", "ethnicity", "date_of_birth", "disability"}
        ]
        names = _names(row, CHILD_FIELDS)
        if errors:
            batch.refuse("children", data, row.where, errors, names=names)
            continue
        batch.add(
            "children",
            data,
            row.where,
            insert_only={"given_name": "Child", "family_name": row.child},
            names=names,
        )

    plans_by_start: dict[tuple[str, dt.date], str] = {}
    for row in annex.rows:
        if row.child is None or row.annex.number != 7:
            continue
        _stage_list_7(batch, row, children[row.child][1], plans_by_start)
    for row in annex.rows:
        if row.child is None or row.annex.number != 5:
            continue
        _stage_list_5(batch, row, children[row.child][1], plans_by_start, notes)
    for row in annex.rows:
        if row.child is None:
            continue
        key_date = row.values.get("plan_start") or row.values.get("s47_start")
        for name in KEPT_ASIDE:
            if name in row.errors:
                heading = _heading(row, name)
                batch.refuse(
                    "source_extras",
                    {"child_id": Link("children", (row.child,)), "element": heading},
                    row.where,
                    [FieldError(name, row.errors[name])],
                    names={name: heading},
                )
        for heading, value in row.extras.items():
            element = f"{row.annex.name}/{heading[:100]}/{key_date or row.where}"
            batch.add(
                "source_extras",
                {
                    "child_id": Link("children", (row.child,)),
                    "element": element,
                    "content": value,
                    "source": f"{FORMAT} {annex.name}"[:120],
                },
                row.where,
            )
    return batch


def _unborn_on(child: dict[str, Any], day: dt.date) -> bool:
    born = child.get("date_of_birth")
    if born is not None:
        return born > day
    return child.get("expected_date_of_delivery") is not None


def _row_errors(row: Row, names: set[str]) -> list[FieldError]:
    return [FieldError(n, m) for n, m in row.errors.items() if n in names]


def _names(row: Row, mapping: dict[str, str]) -> dict[str, str]:
    names = {f: _heading(row, col) for f, col in mapping.items()}
    return {**names, **{col: _heading(row, col) for col in mapping.values()}}


def _stage_list_7(batch: Batch, row: Row, child: dict, plans_by_start: dict) -> None:
    v = row.values
    cid = row.child
    child_link = Link("children", (cid,))
    start = v.get("plan_start")
    plan_fields = {
        "start_date": "plan_start",
        "end_date": "plan_end",
        "initial_category": "initial_category",
        "latest_category": "latest_category",
        "previous_plans": "previous_plans",
        "child_id": "child_id",
    }
    plan = {
        "child_id": child_link,
        "start_date": start,
        "end_date": v.get("plan_end"),
        "initial_category": v.get("initial_category"),
        "latest_category": v.get("latest_category") or v.get("initial_category"),
    }
    if v.get("previous_plans") is not None:
        plan["previous_plans"] = v["previous_plans"]
    if start is not None:
        plan["pre_birth"] = _unborn_on(child, start)
    errors = _row_errors(row, set(plan_fields.values()))
    names = _names(row, plan_fields)
    if errors:
        plan_link = batch.refuse("cp_plans", plan, row.where, errors, child=cid, names=names)
    else:
        plan_link = batch.add("cp_plans", plan, row.where, names=names)
        if start is not None:
            plans_by_start[(cid, start)] = plan["initial_category"]
    visit_day = v.get("last_visit")
    if visit_day is not None or "last_visit" in row.errors:
        visit = {"child_id": child_link, "date": visit_day, "seen": True}
        if v.get("seen_alone") is not None:
            visit["seen_alone"] = v["seen_alone"]
        if start is not None and visit_day is not None and visit_day >= start:
            visit["plan_id"] = plan_link
        errors = _row_errors(row, {"last_visit", "seen_alone"})
        names = _names(row, {"date": "last_visit", "seen_alone": "seen_alone"})
        if errors:
            batch.refuse("visits", visit, row.where, errors, child=cid, names=names)
        else:
            batch.add("visits", visit, row.where, names=names)
    review_day = v.get("latest_review")
    if review_day is not None or "latest_review" in row.errors:
        end = v.get("plan_end")
        insert_only: dict[str, Any] = {
            "type": ConferenceType.REVIEW.value,
            "scheduled_date": review_day,
        }
        if end is not None and review_day == end:
            insert_only["outcome"] = ConferenceOutcome.PLAN_ENDS.value
        elif end is None or (review_day is not None and review_day < end):
            insert_only["outcome"] = ConferenceOutcome.PLAN_CONTINUES.value
            insert_only["category"] = plan["latest_category"]
        review = {"child_id": child_link, "plan_id": plan_link, "held_date": review_day}
        names = _names(row, {"held_date": "latest_review", "plan_id": "plan_start"})
        errors = _row_errors(row, {"latest_review"})
        if errors:
            batch.refuse(
                "conferences", {**insert_only, **review}, row.where, errors, child=cid, names=names
            )
        else:
            batch.add("conferences", review, row.where, insert_only=insert_only, names=names)


def _stage_list_5(
    batch: Batch, row: Row, child: dict, plans_by_start: dict, notes: list[str]
) -> None:
    v = row.values
    cid = row.child
    child_link = Link("children", (cid,))
    start = v.get("s47_start")
    names = _names(
        row,
        {
            "date": "s47_start",
            "start_date": "s47_start",
            "icpc_not_required": "icpc_not_required",
            "held_date": "icpc_date",
            "icpc_plan": "icpc_plan",
        },
    )
    errors = _row_errors(row, {"s47_start", "icpc_not_required"})
    discussion = {"child_id": child_link, "date": start, "s47_initiated": True}
    s47: dict[str, Any] = {"child_id": child_link, "start_date": start}
    if v.get("icpc_not_required") is not None:
        s47["icpc_not_required"] = v["icpc_not_required"]
    if errors:
        s47_link = batch.refuse("s47_enquiries", s47, row.where, errors, child=cid, names=names)
    else:
        s47["strategy_discussion_id"] = batch.add(
            "strategy_discussions", discussion, row.where, names=names
        )
        s47_link = batch.add("s47_enquiries", s47, row.where, names=names)
    day = v.get("icpc_date")
    if day is None and "icpc_date" not in row.errors:
        return
    conference: dict[str, Any] = {"child_id": child_link, "held_date": day, "s47_id": s47_link}
    insert_only: dict[str, Any] = {
        "type": (
            ConferenceType.PRE_BIRTH if day and _unborn_on(child, day) else ConferenceType.INITIAL
        ).value,
        "scheduled_date": day,
    }
    made_plan = v.get("icpc_plan")
    if made_plan and (cid, day) in plans_by_start:
        conference["plan_id"] = Link("cp_plans", (cid, day))
        conference["outcome"] = ConferenceOutcome.CP_PLAN.value
        conference["category"] = plans_by_start[(cid, day)]
    elif made_plan and day is not None:
        conference["plan_id"] = Link("cp_plans", (cid, day), optional=True)
        notes.append(
            f"{row.where}: the ICPC on {day:%d/%m/%Y} made a plan, but List 7 has no plan for "
            f"child {cid} starting that day; linked to cptrack's plan if it holds one, "
            "outcome left unrecorded"
        )
    errors = _row_errors(row, {"icpc_date", "icpc_plan"})
    if errors:
        batch.refuse(
            "conferences", {**insert_only, **conference}, row.where, errors, child=cid, names=names
        )
    else:
        batch.add("conferences", conference, row.where, insert_only=insert_only, names=names)


# ---------------------------------------------------------------------------
# Data quality, checking and importing


def census_data(annex: AnnexFile, reference: dt.date) -> CensusData:
    """The lists as census frames, for the rules that apply to what Annex A holds."""
    rows: dict[str, list[dict]] = {"children": [], "s47": [], "plans": []}
    seen: set[str] = set()
    lists = {a.number for a, _ in annex.found}
    for n, row in enumerate(annex.rows):
        v, cid = row.values, row.child
        if cid is None:
            continue
        if cid not in seen:
            seen.add(cid)
            born = v.get("date_of_birth")
            rows["children"].append(
                {
                    "child": cid,
                    "PersonBirthDate": born if born and born <= reference else None,
                    "ExpectedPersonBirthDate": born if born and born > reference else None,
                }
            )
        if row.annex.number == 7:
            rows["plans"].append(
                {
                    "child": cid,
                    "episode": cid,
                    "plan": f"r{n}",
                    "CPPstartDate": v.get("plan_start"),
                    "CPPendDate": v.get("plan_end"),
                    "InitialCategoryOfAbuse": v.get("initial_category"),
                    "LatestCategoryOfAbuse": v.get("latest_category") or v.get("initial_category"),
                    "NumberOfPreviousCPP": v.get("previous_plans"),
                }
            )
        else:
            rows["s47"].append(
                {
                    "child": cid,
                    "episode": cid,
                    "s47": f"r{n}",
                    "S47ActualStartDate": v.get("s47_start"),
                    "DateOfInitialCPC": v.get("icpc_date"),
                    "ICPCnotRequired": v.get("icpc_not_required"),
                }
            )
    elements = {"PersonBirthDate", "ExpectedPersonBirthDate"}
    if 7 in lists:
        elements |= {
            "CPPstartDate",
            "CPPendDate",
            "InitialCategoryOfAbuse",
            "LatestCategoryOfAbuse",
            "NumberOfPreviousCPP",
        }
    if 5 in lists:
        elements |= {"S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"}
    return from_rows(reference, rows, elements=elements, source=FORMAT)


EVENT_DATES = ("plan_start", "plan_end", "last_visit", "latest_review", "s47_start", "icpc_date")


def latest_date(annex: AnnexFile) -> dt.date | None:
    """The file's latest event date (plans, visits, reviews, enquiries, ICPCs): the day it
    speaks for when no reference date is given. Dates of birth are left out, since an unborn
    child's is in the future."""
    days = [
        v
        for row in annex.rows
        for name in EVENT_DATES
        if isinstance(v := row.values.get(name), dt.date)
    ]
    return max(days, default=None)


def _reference(annex: AnnexFile, reference: dt.date | None, notes: list[str]) -> dt.date:
    if reference is not None:
        return reference
    latest = latest_date(annex)
    if latest is None:
        notes.append(f"reference date {today()} (today): the file holds no event dates")
        return today()
    notes.append(
        f"reference date {latest} (the file's latest date; give --reference-date to set it)"
    )
    return latest


def validate_file(
    path: str | os.PathLike, reference: dt.date | None = None, *, progress: bool = False
):
    """The data-quality findings for an Annex A file, the file as read, and the reference
    date they were checked as at: ``reference``, else the file's latest event date, as an
    import of the same file would take it."""
    from cptrack.interchange.dataquality import Validator

    annex = read(path, progress=progress)
    reference = _reference(annex, reference, [])
    validator = Validator()
    validator.add(census_data(annex, reference))
    return validator.finish(), annex, reference


def import_file(
    store,
    path: str | os.PathLike,
    reference: dt.date | None = None,
    *,
    partial: bool = False,
    dry_run: bool = False,
    progress: bool = False,
) -> ImportResult:
    """Import List 7 and List 5 from an Annex A file (see ``run_import``); the reference
    date is the day the file speaks for (default: its latest event date)."""
    from cptrack.interchange.dataquality import Validator

    annex = read(path, progress=progress)
    chosen: list[str] = []
    reference = _reference(annex, reference, chosen)
    result = ImportResult(FORMAT, annex.name, reference_date=reference)
    result.notes.extend(annex.notes + chosen)
    found = ", ".join(f"{a.name} in sheet {t.sheet.name!r}" for a, t in annex.found)
    result.notes.insert(0, f"found {found}")
    batch = stage(annex, reference, result.notes)
    validator = Validator()
    validator.add(census_data(annex, reference))
    note = f"import {FORMAT} {annex.name} (sha256 {annex.sha256[:16]}, reference date {reference})"
    try:
        run_import(store, _one(batch), result, partial=partial, dry_run=dry_run, note=note)
    finally:
        result.findings = validator.finish()
    return result


def _one(batch: Batch) -> Iterator[Batch]:
    yield batch
