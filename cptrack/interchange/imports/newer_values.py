"""Returns never move backwards: the stored values an older file must not replace.

A file speaks for a day, its reference date. A stored value recorded after that day (by a
newer return, or typed into cptrack since) is newer than what the file says: an import
neither blanks nor replaces it, and reports it as left alone. When each stored value was
recorded is read from the audit: an import's reference date (in its note), else the day of
the write.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cptrack.domain import models
from cptrack.interchange.imports.report import LeftAlone
from cptrack.interchange.imports.staging import Staged
from cptrack.interchange.imports.writing import chunks
from cptrack.storage.tables import audit_log

# For each stored record's id: each field's (day it speaks for, who recorded it).
Recorded = dict[str, dict[str, tuple[dt.date, str]]]


def recorded(
    conn: Connection,
    kind: str,
    candidates: list[tuple[Staged, dict, dict]],
    reference: dt.date | None,
) -> Recorded:
    """For each stored record this file would change (``candidates``: the staged record,
    the stored row and the change): each field's (day it speaks for, who recorded it), from
    the audit: an import's reference date (in its note), else the day of the write; ``"*"``
    stands for every field of a record that came in a bulk load. Asked only about records
    whose stored values the file would replace, a chunk of records a query: a clean import
    asks nothing."""
    if reference is None:
        return {}
    record_cls = models.kind(kind)
    ids = [
        m["id"] for _, m, diff in candidates if any(_may_be_newer(record_cls, k, m) for k in diff)
    ]
    out: Recorded = {}
    a = audit_log
    for chunk in chunks([str(i) for i in ids]):
        rows = conn.execute(
            sa.select(a.c.record_id, a.c.action, a.c.at, a.c.user, a.c.after, a.c.note)
            .where(a.c.table_name == kind, a.c.record_id.in_(chunk))
            .order_by(a.c.id)
        )
        for record_id, action, at, user, after, note in rows:
            fields = out.setdefault(record_id, {})
            when = _recorded_when(at, user, note)
            if action == "insert":
                fields["*"] = when
            for name in after or {}:
                fields[name] = when
    missing = [str(i) for i in ids if "*" not in out.get(str(i), {})]
    if missing:
        bulk = conn.execute(
            sa.select(a.c.at, a.c.user, a.c.note)
            .where(a.c.table_name == kind, a.c.action == "bulk_insert")
            .order_by(a.c.id.desc())
            .limit(1)
        ).first()
        if bulk is not None:
            when = _recorded_when(*bulk)
            for record_id in missing:
                out.setdefault(record_id, {})["*"] = when
    return out


def newer(
    record_cls: type[models.Record],
    match: dict,
    diff: dict,
    recorded: Recorded,
    reference: dt.date | None,
) -> dict[str, str]:
    """The fields of ``diff`` whose stored values (in ``match``) were recorded after the
    file's ``reference`` date, each with who recorded them: an older return neither blanks
    nor replaces them. A blank stored value (or a default nobody stated) may be filled; a
    source id is always taken."""
    fields = recorded.get(str(match["id"]))
    if not fields:
        return {}
    found = {}
    for name in diff:
        when = fields.get(name) or fields.get("*")
        if _may_be_newer(record_cls, name, match) and when is not None and when[0] > reference:
            found[name] = when[1]
    return found


def left_alone(
    s: Staged, label: str, match: dict, offered: dict, newer: dict[str, str]
) -> list[LeftAlone]:
    """What the report says of each value left alone: the stored one, the file's, and why."""
    return [
        LeftAlone(
            s.where,
            label,
            s.names.get(name, name),
            _shown(match.get(name)),
            _shown(offered.get(name)),
            why or "goes with the values left alone",
            s.child,
        )
        for name, why in newer.items()
    ]


# Every import's audit note starts "import " and names the day its file speaks for.
_REFERENCE = re.compile(r"reference date (\d{4}-\d{2}-\d{2})")


def _recorded_when(at: dt.datetime, user: str, note: str | None) -> tuple[dt.date, str]:
    """The day a write speaks for, and how to say who made it."""
    found = _REFERENCE.search(note or "") if (note or "").startswith("import ") else None
    if found:
        day = dt.date.fromisoformat(found[1])
        return day, f"from a return as of {day:%d/%m/%Y}, newer than this one"
    return at.date(), f"recorded by {user} on {at:%d/%m/%Y}, after this file's reference date"


def _may_be_newer(record_cls: type[models.Record], name: str, stored: dict) -> bool:
    """Whether the stored value of ``name`` is one an older file must not replace: not the
    source id, and a value someone stated (not blank, not the field's default, such as a
    child's sex "U" when a form left it unsaid)."""
    value = stored.get(name)
    if name == "source_id" or value is None:
        return False
    info = record_cls.model_fields.get(name)
    return info is None or info.default is None or value != info.default


def _shown(value: Any) -> str:
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)
