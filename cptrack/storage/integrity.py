"""Checks that need other records, run inside the write's transaction before it is made.

A record's own fields are checked by its model (``cptrack.domain.models``). Here: that the records
it refers to exist, and the rules that relate one record to others, mirroring the DfE CIN
census validation rules where they apply (``../shared/CIN_RULES.md``; DOMAIN.md §3).
Each check returns ``FieldError``s naming the field to correct.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cptrack.domain import models
from cptrack.domain.models import FieldError
from cptrack.storage.tables import TABLES

Check = Callable[[Connection, dict, dict | None], list[FieldError]]
CHECKS: dict[str, list[Check]] = {}


def check(conn: Connection, kind: str, row: dict, before: dict | None) -> list[FieldError]:
    """All problems with writing ``row`` (``before`` is the stored row for an update)."""
    errors = references(conn, kind, row) + _unique(conn, kind, row)
    if errors:
        return errors
    for fn in CHECKS.get(kind, []):
        errors.extend(fn(conn, row, before))
    return errors


def rule(kind: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS.setdefault(kind, []).append(fn)
        return fn

    return register


def references(conn: Connection, kind: str, row: dict) -> list[FieldError]:
    """Each field referring to a record that does not exist."""
    errors = []
    for col in TABLES[kind].columns:
        value = row.get(col.name)
        if value is None or not col.foreign_keys:
            continue
        target = next(iter(col.foreign_keys)).column.table
        found = conn.execute(sa.select(target.c.id).where(target.c.id == value)).first()
        if found is None:
            label = models.kind(target.name).label.lower()
            errors.append(FieldError(col.name, f"there is no {label} with id {value!r}"))
    return errors


def unique_columns(kind: str) -> list[tuple[str, ...]]:
    """The columns (other than the id) whose values no two records of ``kind`` may share:
    an imported record's ``source_id``, say."""
    t = TABLES[kind]
    found = [tuple(c.name for c in index.columns) for index in t.indexes if index.unique]
    found += [
        tuple(c.name for c in con.columns)
        for con in t.constraints
        if isinstance(con, sa.UniqueConstraint)
    ]
    return [cols for cols in found if cols != ("id",)]


def _unique(conn: Connection, kind: str, row: dict) -> list[FieldError]:
    """A value another record already holds in a unique column (the database would refuse
    it too, less clearly)."""
    t = TABLES[kind]
    errors = []
    for cols in unique_columns(kind):
        values = [row.get(c) for c in cols]
        if any(v is None for v in values):
            continue
        named = "name" in t.c  # say who holds it where the record has a name (staff)
        q = sa.select(t.c.id, *([t.c.name] if named else [])).where(
            *(t.c[c] == v for c, v in zip(cols, values, strict=True))
        )
        if row.get("id") is not None:
            q = q.where(t.c.id != row["id"])
        other = conn.execute(q.limit(1)).first()
        if other is not None:
            label = models.kind(kind).label.lower()
            shown = ", ".join(repr(v) for v in values)
            holder = f"{other.name} ({other.id})" if named else f"({other.id})"
            errors.append(
                FieldError(
                    cols[-1],
                    f"{shown} is already held by another {label}, {holder}; each needs its own"
                    if named
                    else f"{shown} is already held by another {label} {holder}; each needs its own",
                )
            )
    return errors


def _one(conn: Connection, kind: str, record_id: Any) -> dict | None:
    t = TABLES[kind]
    row = conn.execute(sa.select(t).where(t.c.id == record_id)).first()
    return dict(row._mapping) if row else None


@rule("cp_plans")
def _plans_do_not_overlap(conn: Connection, row: dict, before: dict | None) -> list[FieldError]:
    """DfE 8935 (more than one open plan) and 8940 (overlapping plans)."""
    t = TABLES["cp_plans"]
    q = sa.select(t.c.id, t.c.start_date, t.c.end_date).where(t.c.child_id == row["child_id"])
    if row.get("id") is not None:
        q = q.where(t.c.id != row["id"])
    errors = []
    start, end = row["start_date"], row.get("end_date")
    for other in conn.execute(q):
        if end is None and other.end_date is None:
            errors.append(
                FieldError(
                    "end_date",
                    f"the child already has an open plan (plan {other.id}, from "
                    f"{other.start_date:%d/%m/%Y}); end it first (DfE rule 8935)",
                )
            )
            continue
        o_end = other.end_date
        overlaps = (o_end is None or start < o_end) and (end is None or other.start_date < end)
        if overlaps:
            span = (
                f"{other.start_date:%d/%m/%Y} to {o_end:%d/%m/%Y}"
                if o_end
                else f"open since {other.start_date:%d/%m/%Y}"
            )
            errors.append(
                FieldError("start_date", f"overlaps plan {other.id} ({span}); DfE rule 8940")
            )
    return errors


@rule("conferences")
def _review_after_plan_start(conn: Connection, row: dict, before: dict | None) -> list[FieldError]:
    """A review conference falls after its plan's start (DfE 8841)."""
    if row.get("type") != models.ConferenceType.REVIEW or row.get("plan_id") is None:
        return []
    plan = _one(conn, "cp_plans", row["plan_id"])
    if plan is None or plan["child_id"] != row["child_id"]:
        return [FieldError("plan_id", "the plan belongs to another child")] if plan else []
    errors = []
    for field in ("held_date", "scheduled_date"):
        when = row.get(field)
        if when is not None and when <= plan["start_date"]:
            errors.append(
                FieldError(
                    field,
                    f"{when:%d/%m/%Y} is on or before the plan's start "
                    f"({plan['start_date']:%d/%m/%Y}); a review comes after the plan starts "
                    "(DfE rule 8841)",
                )
            )
            break
    return errors


def _same_child(kind: str, field: str, target: str) -> Check:
    def checker(conn: Connection, row: dict, before: dict | None) -> list[FieldError]:
        ref = row.get(field)
        if ref is None:
            return []
        other = _one(conn, target, ref)
        if other is not None and other.get("child_id") != row.get("child_id"):
            return [FieldError(field, f"{target.replace('_', ' ')} {ref} belongs to another child")]
        return []

    checker.__name__ = f"_{kind}_{field}_same_child"
    return checker


for _kind in (
    "core_groups",
    "visits",
    "plan_actions",
    "case_tracking",
    "midway_reviews",
    "escalations",
    "conferences",
):
    rule(_kind)(_same_child(_kind, "plan_id", "cp_plans"))
rule("midway_reviews")(_same_child("midway_reviews", "conference_id", "conferences"))
rule("conferences")(_same_child("conferences", "s47_id", "s47_enquiries"))


def _held_conference(conn: Connection, conference_id: Any) -> tuple[dict | None, list[FieldError]]:
    conf = _one(conn, "conferences", conference_id)
    if conf is None:
        return None, []
    if conf.get("held_date") is None or conf.get("stood_down"):
        return conf, [
            FieldError(
                "conference_id",
                f"conference {conference_id} was not held (it was stood "
                "down or has not happened yet)",
            )
        ]
    return conf, []


@rule("observations")
def _observed_conference(conn: Connection, row: dict, before: dict | None) -> list[FieldError]:
    """The conference observed was held and chaired by the chair observed; the observation
    is dated on or after it."""
    if row.get("conference_id") is None:
        return []
    conf, errors = _held_conference(conn, row["conference_id"])
    if conf is None or errors:
        return errors
    if conf.get("chair_id") != row.get("chair_id"):
        errors.append(
            FieldError("conference_id", f"conference {conf['id']} was chaired by someone else")
        )
    if row.get("date") is not None and row["date"] < conf["held_date"]:
        errors.append(
            FieldError(
                "date",
                f"{row['date']:%d/%m/%Y} is before the conference ({conf['held_date']:%d/%m/%Y})",
            )
        )
    return errors


@rule("feedback")
def _feedback_after_conference(
    conn: Connection, row: dict, before: dict | None
) -> list[FieldError]:
    """Feedback is about a conference that was held, and given on or after its day."""
    conf, errors = _held_conference(conn, row.get("conference_id"))
    if conf is None or errors:
        return errors
    if row.get("date") is not None and row["date"] < conf["held_date"]:
        errors.append(
            FieldError(
                "date",
                f"{row['date']:%d/%m/%Y} is before the conference ({conf['held_date']:%d/%m/%Y})",
            )
        )
    return errors
