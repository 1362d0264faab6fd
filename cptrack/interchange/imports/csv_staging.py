"""Case-system CSV extracts, staged as cptrack's records.

Each row becomes a record of its file's kind, its links made from the child's id (and the
plan's start date); the files are staged parents first (``csv_formats.ORDER``), and a team
named for a child is added once. A blank cell for a field that cannot be empty means "the
usual": the model's default for a new record, the stored value for one cptrack holds.
"""

from __future__ import annotations

from typing import Any

from cptrack.domain.models import FieldError, TeamKind
from cptrack.interchange.imports.csv_file import CsvFile, CsvRow
from cptrack.interchange.imports.csv_formats import ORDER
from cptrack.interchange.imports.staging import Batch, Link
from cptrack.storage.tables import TABLES


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
