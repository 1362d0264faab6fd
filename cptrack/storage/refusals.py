"""Why a write was refused, in words for people: a record changed by somebody else since it
was opened (``StaleVersionError``), or a rule the database itself enforces (``constraint_errors``:
unique, foreign key, not null or check)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from cptrack.domain import models
from cptrack.domain.models import FieldError


class StaleVersionError(RuntimeError):
    """An update or delete was made from a version that is no longer current."""

    def __init__(self, kind: str, record_id: Any, yours: int | None, current: dict | None):
        self.kind = kind
        self.record_id = record_id
        self.yours = yours
        self.current = current
        if current is None:
            msg = (
                f"{kind} {record_id} no longer exists: somebody deleted it after you opened "
                "it. Nothing was saved."
            )
        else:
            who = current.get("_last_user") or "another user"
            when = current.get("_last_at")
            when_txt = f" at {when:%Y-%m-%d %H:%M} UTC" if isinstance(when, dt.datetime) else ""
            msg = (
                f"{kind} {record_id} was changed by {who}{when_txt} (it is now version "
                f"{current.get('version')}; you were editing version {yours}). Nothing was "
                "saved: reload the record to see their change, then make yours again."
            )
        super().__init__(msg)


def constraint_errors(exc: Exception) -> tuple[str | None, list[FieldError]]:
    """The table and the field a database's refusal (unique, foreign key, not null or check)
    is about, worded for people; the SQL is left out. SQLite names the table and columns of
    a unique or not-null failure but not a foreign key's; PostgreSQL names them all."""

    orig = getattr(exc, "orig", exc)  # SQLAlchemy's wrapper, or the driver's own error
    message = str(orig).splitlines()[0] if str(orig) else ""
    diag = getattr(orig, "diag", None)
    table_name = getattr(diag, "table_name", None)
    state = getattr(orig, "sqlstate", None)
    detail = getattr(diag, "message_detail", None) or ""
    key = re.search(r"Key \((?P<cols>[^)]*)\)=\((?P<values>.*)\)", detail)
    cols: list[str] = []
    values = ""
    what = ""
    if key:
        cols = [c.strip().strip('"') for c in key["cols"].split(",")]
        values = key["values"]
    if state == "23505" or message.startswith("UNIQUE constraint failed"):
        what = "unique"
    elif state == "23503" or message.startswith("FOREIGN KEY constraint failed"):
        what = "reference"
    elif state == "23502" or message.startswith("NOT NULL constraint failed"):
        what = "required"
        if getattr(diag, "column_name", None):
            cols = [diag.column_name]
    sqlite = re.match(r"(UNIQUE|NOT NULL) constraint failed: (?P<cols>.*)", message)
    if sqlite:
        pairs = [c.strip().split(".", 1) for c in sqlite["cols"].split(",")]
        table_name = pairs[0][0]
        cols = [p[-1] for p in pairs]
    label = models.kind(table_name).label.lower() if table_name in models.BY_TABLE else "record"
    field = cols[-1] if cols else ""
    if what == "unique":
        held = f"{values!r} is" if values else "that value is"
        text = f"{held} already held by another {label}; each needs its own"
    elif what == "reference":
        parent = re.search(r'not present in table "(\w+)"', detail)
        kind = parent[1] if parent else ""
        parent_label = models.kind(kind).label.lower() if kind in models.BY_TABLE else "record"
        text = (
            f"there is no {parent_label} with id {values!r}"
            if values
            else "refers to a record that does not exist"
        )
    elif what == "required":
        text = "is required"
    else:
        text = "the database refused this value (it breaks one of its rules)"
    return table_name, [FieldError(field, text)]
