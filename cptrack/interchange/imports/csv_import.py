"""Case-system extracts as CSV: one file per record type, with a documented column set.

A case system (Liquidlogic, Mosaic, Eclipse …) is mapped once to these columns
(docs/imports.md lists them, from ``CSV_FORMATS`` below). Headings are matched tolerantly
in form ("Child ID", "child_id" and "CHILD-ID" are the same) but strictly in content: a
heading that is not a column of the file's record type is an error, so a misspelt column
is never silently dropped. The error lists the columns expected and the ones found.

Records refer to each other by what the case system knows: ``child_id`` for the child,
``plan_start_date`` for the child's plan starting that day (in the same import, or already
in cptrack). A ``source_id`` column, when given, is the record's id in the case system;
re-importing then matches on it. Without one, records are matched on their natural key
(a plan: child and start date; a visit: child and date; see ``staging.NATURAL_KEYS``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from cptrack.domain import models
from cptrack.domain.models import FieldError, TeamKind
from cptrack.interchange.dataquality.census import CensusData, from_rows
from cptrack.interchange.imports.apply import run_import
from cptrack.interchange.imports.report import ImportFileError, ImportResult
from cptrack.interchange.imports.staging import Batch, Link
from cptrack.interchange.imports.tables_in_files import Column, read_sheets
from cptrack.interchange.imports.values import (
    blank,
    header_key,
    read_category,
    read_date,
    read_ethnicity,
    read_int,
    read_sex,
    read_yes_no,
    text,
)
from cptrack.storage.tables import TABLES

FORMAT = "CSV"


def read_code(enum: type[StrEnum], synonyms: dict[str, str] | None = None):
    """A reader for one of ``enum``'s codes, written as the code or in words."""
    words = {header_key(e.value): e.value for e in enum}
    words.update({header_key(k): v for k, v in (synonyms or {}).items()})

    def reader(value: Any) -> str | None:
        if blank(value):
            return None
        found = words.get(header_key(value))
        if found is None:
            raise ValueError(f"{value!r} is not one of {', '.join(e.value for e in enum)}")
        return found

    reader.__name__ = f"read_{enum.__name__.lower()}"
    return reader


CONFERENCE_TYPE = read_code(
    models.ConferenceType,
    {
        "ICPC": "initial",
        "initial child protection conference": "initial",
        "RCPC": "review",
        "review child protection conference": "review",
        "pre-birth": "pre_birth",
        "pre-birth ICPC": "pre_birth",
        "transfer in": "transfer_in",
        "transfer-in conference": "transfer_in",
    },
)
CONFERENCE_OUTCOME = read_code(
    models.ConferenceOutcome,
    {
        "CP plan": "cp_plan",
        "child protection plan": "cp_plan",
        "plan continues": "plan_continues",
        "continue plan": "plan_continues",
        "plan ends": "plan_ends",
        "end plan": "plan_ends",
        "CIN plan": "cin_plan",
        "child in need plan": "cin_plan",
        "NFA": "nfa",
        "no further action": "nfa",
    },
)


@dataclass(frozen=True)
class CsvColumn(Column):
    """A CSV column: its cptrack field (or how it links) and how its values are read."""

    read: Callable[[Any], Any] = text
    field: str = ""  # the record's field; "" for the column's own name

    @property
    def target(self) -> str:
        return self.field or self.name


def col(name: str, read=text, meaning: str = "", *, required: bool = False, field: str = ""):
    return CsvColumn(name, (), required=required, meaning=meaning, read=read, field=field)


SOURCE_ID = col("source_id", meaning="the record's id in the case system (optional)")
CHILD = col("child_id", meaning="the child's id, as in children.csv", required=True)
PLAN_START = col(
    "plan_start_date",
    read_date,
    "links the record to the child's plan starting that day",
)


@dataclass(frozen=True)
class CsvFormat:
    name: str  # the file's record type, as the command and docs say it
    kind: str  # cptrack's record kind
    columns: tuple[CsvColumn, ...]
    about: str

    def column(self, name: str) -> CsvColumn:
        return next(c for c in self.columns if c.name == name)


CSV_FORMATS: dict[str, CsvFormat] = {
    f.name: f
    for f in (
        CsvFormat(
            "children",
            "children",
            (
                col(
                    "child_id",
                    meaning="the child's id (cptrack's child id)",
                    required=True,
                    field="id",
                ),
                col("given_name", meaning="as the family uses it", required=True),
                col("family_name", meaning="the child's surname", required=True),
                col("date_of_birth", read_date, "blank for an unborn child", required=True),
                col("expected_date_of_delivery", read_date, "for an unborn child"),
                col("date_of_death", read_date, "if the child has died"),
                col("sex", read_sex, "M, F or U (Male, Female, Unknown)"),
                col("ethnicity", read_ethnicity, "a DfE code such as WBRI, or its description"),
                col("disability", read_yes_no, "yes or no"),
                col("upn", meaning="unique pupil number"),
                col("first_language", meaning="blank: English"),
                col("interpreter_needed", read_yes_no, "yes or no"),
                col("postcode", meaning="the child's home postcode"),
                col("family_id", meaning="shared by siblings"),
                col(
                    "team",
                    meaning="the allocated team's name (added to cptrack if new)",
                    field="team_id",
                ),
                col("social_worker", meaning="the allocated social worker's name"),
            ),
            "one row per child",
        ),
        CsvFormat(
            "plans",
            "cp_plans",
            (
                CHILD,
                col("start_date", read_date, "the day the plan was made", required=True),
                col("end_date", read_date, "blank while the plan is open"),
                col(
                    "initial_category",
                    read_category,
                    "NEG, PHY, SAB, EMO or MUL, or the label",
                    required=True,
                ),
                col("latest_category", read_category, "blank: the same as the initial category"),
                col("previous_plans", read_int, "number of previous child protection plans"),
                col("pre_birth", read_yes_no, "yes if the plan started before the child was born"),
                col("end_reason", read_code(models.PlanEndReason), "a cptrack end reason code"),
                col("visit_frequency_wd", read_int, "visits due every N working days"),
                col("core_group_frequency_wd", read_int, "core groups due every N working days"),
                SOURCE_ID,
            ),
            "one row per child protection plan",
        ),
        CsvFormat(
            "conferences",
            "conferences",
            (
                CHILD,
                col(
                    "type",
                    CONFERENCE_TYPE,
                    "initial, review, pre_birth or transfer_in (ICPC, RCPC …)",
                    required=True,
                ),
                col("scheduled_date", read_date, "blank: the held date", required=True),
                col("held_date", read_date, "blank if not yet held"),
                col("stood_down", read_yes_no, "yes if the conference was stood down"),
                col(
                    "outcome",
                    CONFERENCE_OUTCOME,
                    "cp_plan, plan_continues, plan_ends, cin_plan or nfa",
                ),
                col("category", read_category, "the category when a plan is made or continues"),
                col("venue_name", meaning="where it was held (000: the same venue throughout)"),
                col("date_set_on", read_date, "the day the conference date was set"),
                col("invitations_requested", read_date, "the day invitations were requested"),
                PLAN_START,
                col("meeting_ref", meaning="shared by siblings discussed together"),
                SOURCE_ID,
            ),
            "one row per child per conference",
        ),
        CsvFormat(
            "core_groups",
            "core_groups",
            (
                CHILD,
                col("date", read_date, "the meeting's date", required=True),
                col(
                    "status",
                    read_code(models.CoreGroupStatus),
                    "held, scheduled or cancelled (blank: held)",
                ),
                col("social_worker_attended", read_yes_no, "yes or no"),
                col("plan_updated", read_yes_no, "yes if the meeting updated the plan"),
                col("plan_distributed", read_date, "the day the updated plan was sent out"),
                PLAN_START,
                SOURCE_ID,
            ),
            "one row per child per core group meeting",
        ),
        CsvFormat(
            "visits",
            "visits",
            (
                CHILD,
                col("date", read_date, "the visit's date", required=True),
                col("seen", read_yes_no, "blank: yes"),
                col("seen_alone", read_yes_no, "yes or no"),
                col("bedroom_seen", read_yes_no, "yes or no"),
                col("visitor", meaning="who visited"),
                PLAN_START,
                SOURCE_ID,
            ),
            "one row per statutory visit",
        ),
        CsvFormat(
            "actions",
            "plan_actions",
            (
                CHILD,
                col("description", meaning="what is to be done", required=True),
                col("owner", meaning="who is to do it", required=True),
                col("due_date", read_date, "by when", required=True),
                col(
                    "status",
                    read_code(models.ActionStatus),
                    "open, done or cancelled (blank: open)",
                ),
                col("completed_date", read_date, "when it was done (status done)"),
                col("agency", read_code(models.Agency), "a cptrack agency code"),
                col("set_date", read_date, "when the action was agreed"),
                PLAN_START,
                SOURCE_ID,
            ),
            "one row per action in a plan",
        ),
    )
}
ORDER = ("children", "plans", "conferences", "core_groups", "visits", "actions")


@dataclass
class CsvRow:
    format: CsvFormat
    where: str
    values: dict[str, Any]
    errors: dict[str, str]


@dataclass
class CsvFile:
    format: CsvFormat
    name: str
    sha256: str
    rows: list[CsvRow]


def read_file(path: str | os.PathLike, record_type: str) -> CsvFile:
    """Read one CSV file of ``record_type``, checking its header against the column set."""
    if record_type not in CSV_FORMATS:
        raise ImportFileError(
            f"no CSV format {record_type!r}; the formats are {', '.join(CSV_FORMATS)}"
        )
    fmt = CSV_FORMATS[record_type]
    p = Path(path)
    sheets = read_sheets(p, expect=f"a {record_type} CSV file")
    if p.suffix.lower() == ".xlsx" or len(sheets) != 1:
        raise ImportFileError(f"{p.name}: save the {record_type} extract as CSV, not a workbook")
    rows = sheets[0].rows
    header = rows[0]
    by_key = {header_key(c.name): c for c in fmt.columns}
    positions: dict[str, int] = {}
    unknown = []
    for pos, heading in enumerate(header):
        found = by_key.get(header_key(heading))
        if found is None or found.name in positions:
            unknown.append(str(heading))
        else:
            positions[found.name] = pos
    missing = [c.name for c in fmt.columns if c.required and c.name not in positions]
    if missing or unknown:
        parts = [f"{p.name}: the header does not match the {record_type} columns."]
        if missing:
            parts.append(f"Missing: {', '.join(missing)}.")
        if unknown:
            parts.append(f"Not recognised: {', '.join(repr(h) for h in unknown)}.")
        parts.append(
            f"Expected: {', '.join(c.name for c in fmt.columns)} (required: "
            f"{', '.join(c.name for c in fmt.columns if c.required)})."
        )
        parts.append(f"Found: {', '.join(repr(str(h)) for h in header)}.")
        raise ImportFileError(" ".join(parts))
    out = []
    for n, row in enumerate(rows[1:], 2):
        if all(blank(v) for v in row):
            continue
        values, errors = {}, {}
        for name, pos in positions.items():
            raw = row[pos] if pos < len(row) else None
            try:
                values[name] = fmt.column(name).read(raw)
            except ValueError as exc:
                errors[name] = str(exc)
        out.append(CsvRow(fmt, f"{p.name} row {n}", values, errors))
    return CsvFile(fmt, p.name, hashlib.sha256(p.read_bytes()).hexdigest(), out)


# ---------------------------------------------------------------------------
# Staging


def _record(row: CsvRow) -> tuple[dict[str, Any], dict[str, Any], list[FieldError]]:
    """(data, insert_only, errors) for one row, with links made from the child's id."""
    fmt, v = row.format, row.values
    child_id = v.get("child_id")
    data: dict[str, Any] = {}
    insert_only: dict[str, Any] = {}
    for c in fmt.columns:
        if c.name not in v or c.name in ("source_id", "plan_start_date"):
            continue
        value = v[c.name]
        if fmt.name == "children" and c.name == "team":
            if value is not None:
                data["team_id"] = Link("teams", (value.casefold(),))
            continue
        if fmt.name != "children" and c.name == "child_id":
            data["child_id"] = Link("children", (child_id,))
            continue
        data[c.target] = value
    if "plan_start_date" in v and v["plan_start_date"] is not None:
        data["plan_id"] = Link("cp_plans", (child_id, v["plan_start_date"]))
    if fmt.name == "plans" and data.get("latest_category") is None:
        data["latest_category"] = data.get("initial_category")
    if fmt.name == "conferences" and data.get("scheduled_date") is None:
        data["scheduled_date"] = data.get("held_date")
    # A blank cell for a field that cannot be empty means "the usual": the model's default
    # for a new record, the stored value for one cptrack holds.
    table = TABLES[fmt.kind]
    for name in [n for n, value in data.items() if value is None]:
        if name in table.c and not table.c[name].nullable:
            data.pop(name)
    errors = [FieldError(name, msg) for name, msg in row.errors.items()]
    return data, insert_only, errors


def stage(files: list[CsvFile]) -> Batch:
    batch = Batch()
    teams: set[str] = set()
    for f in sorted(files, key=lambda f: ORDER.index(f.format.name)):
        names = {c.target: c.name for c in f.format.columns}
        names["plan_id"] = "plan_start_date"
        for row in f.rows:
            data, insert_only, errors = _record(row)
            team = row.values.get("team") if f.format.name == "children" else None
            if team is not None and team.casefold() not in teams:
                teams.add(team.casefold())
                batch.add(
                    "teams",
                    {"name": team},
                    row.where,
                    insert_only={"kind": TeamKind.SOCIAL_WORK.value},
                )
            if errors:
                batch.refuse(f.format.kind, data, row.where, errors, names=names)
            else:
                batch.add(
                    f.format.kind,
                    data,
                    row.where,
                    insert_only=insert_only,
                    source_id=row.values.get("source_id"),
                    names=names,
                )
    return batch


def census_data(files: list[CsvFile], reference: dt.date) -> CensusData:
    """The extract as census frames, for the rules that apply to what it holds."""
    rows: dict[str, list[dict]] = {"children": [], "plans": [], "reviews": []}
    elements: set[str] = set()
    plan_keys: set[tuple] = set()
    for f in files:
        for row in f.rows:
            v = row.values
            if f.format.name == "children":
                elements |= {"PersonBirthDate", "ExpectedPersonBirthDate", "PersonDeathDate"}
                rows["children"].append(
                    {
                        "child": v.get("child_id"),
                        "PersonBirthDate": v.get("date_of_birth"),
                        "ExpectedPersonBirthDate": v.get("expected_date_of_delivery"),
                        "PersonDeathDate": v.get("date_of_death"),
                    }
                )
            elif f.format.name == "plans":
                elements |= {
                    "CPPstartDate",
                    "CPPendDate",
                    "InitialCategoryOfAbuse",
                    "LatestCategoryOfAbuse",
                    "NumberOfPreviousCPP",
                }
                key = (v.get("child_id"), v.get("start_date"))
                plan_keys.add(key)
                rows["plans"].append(
                    {
                        "child": key[0],
                        "episode": key[0],
                        "plan": f"{key[0]}/{key[1]}",
                        "CPPstartDate": key[1],
                        "CPPendDate": v.get("end_date"),
                        "InitialCategoryOfAbuse": v.get("initial_category"),
                        "LatestCategoryOfAbuse": v.get("latest_category")
                        or v.get("initial_category"),
                        "NumberOfPreviousCPP": v.get("previous_plans") or 0,
                    }
                )
            elif f.format.name == "conferences" and v.get("type") == "review":
                key = (v.get("child_id"), v.get("plan_start_date"))
                if v.get("held_date") is not None and not v.get("stood_down"):
                    rows["reviews"].append(
                        {
                            "child": key[0],
                            "episode": key[0],
                            "plan": f"{key[0]}/{key[1]}",
                            "CPPreviewDate": v["held_date"],
                        }
                    )
    if any(f.format.name == "conferences" for f in files) and plan_keys:
        elements.add("CPPreviewDate")
    return from_rows(reference, rows, elements=elements, source="the CSV extract")


def import_files(
    store,
    files: dict[str, str | os.PathLike],
    reference: dt.date,
    *,
    partial: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Import CSV files by record type (``{"children": path, "plans": path, …}``) together,
    in one transaction."""
    if not files:
        raise ImportFileError(f"no CSV files given; the formats are {', '.join(CSV_FORMATS)}")
    read = [read_file(path, record_type) for record_type, path in files.items()]
    names = ", ".join(f.name for f in read)
    result = ImportResult(FORMAT, names, reference_date=reference)
    from cptrack.interchange.dataquality import Validator

    validator = Validator()
    validator.add(census_data(read, reference))
    digests = ", ".join(f"{f.name} sha256 {f.sha256[:16]}" for f in read)
    note = f"import {FORMAT} {digests}, reference date {reference}"
    try:
        run_import(store, _one(stage(read)), result, partial=partial, dry_run=dry_run, note=note)
    finally:
        result.findings = validator.finish()
    return result


def _one(batch: Batch) -> Iterator[Batch]:
    yield batch
