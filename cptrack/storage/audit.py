"""The audit log: one row for every write, saying who did what, when, and the values before
and after; a secret setting's change recorded without its value."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cptrack.storage.connection import dumps
from cptrack.storage.settings_table import SECRET_NAMES
from cptrack.storage.tables import audit_log

REDACTED = "(secret: changed, value not recorded)"


def is_secret_setting(name: Any) -> bool:
    """Whether the settings row ``name`` is a secret (``cptrack.storage.settings``: ``secret=True``)."""
    return str(name) in SECRET_NAMES


def record(
    conn: Connection,
    user: str,
    note: str | None,
    kind: str,
    record_id: Any,
    action: str,
    version: int | None,
    before: dict | None,
    after: dict | None,
) -> None:
    """Write the audit row of one write (``before`` and ``after`` as plain values)."""
    if kind == "settings" and record_id is not None and is_secret_setting(record_id):
        before, after = _redacted(before), _redacted(after)
    conn.execute(
        audit_log.insert().values(
            at=dt.datetime.now(dt.UTC),
            user=user,
            table_name=kind,
            record_id=None if record_id is None else str(record_id),
            action=action,
            version=version,
            before=_jsonable(before),
            after=_jsonable(after),
            note=note,
        )
    )


def with_last_writer(conn: Connection, kind: str, current: dict | None) -> dict | None:
    """The row with who last wrote it and when (``_last_user``, ``_last_at``), from the log."""
    if current is None:
        return None
    last = conn.execute(
        sa.select(audit_log.c.user, audit_log.c.at)
        .where(audit_log.c.table_name == kind, audit_log.c.record_id == str(current["id"]))
        .order_by(audit_log.c.id.desc())
        .limit(1)
    ).first()
    out = dict(current)
    if last is not None:
        out["_last_user"], out["_last_at"] = last.user, last.at
    return out


def _redacted(row: dict | None) -> dict | None:
    """A settings row for the audit log: a secret's value replaced by the word that it changed."""
    if row is None:
        return None
    return {k: (REDACTED if k == "value" else v) for k, v in row.items()}


def redact_audit(conn: Connection, kind: str, record_id: Any) -> int:
    """Blank the values in the audit rows of one record (a secret written before secrets were
    redacted); returns how many rows were changed."""
    rows = conn.execute(
        sa.select(audit_log.c.id, audit_log.c.before, audit_log.c.after).where(
            audit_log.c.table_name == kind, audit_log.c.record_id == str(record_id)
        )
    ).all()
    changed = 0
    for row in rows:
        before, after = _redacted(row.before), _redacted(row.after)
        if (before, after) != (row.before, row.after):
            conn.execute(
                audit_log.update()
                .where(audit_log.c.id == row.id)
                .values(before=before, after=after)
            )
            changed += 1
    return changed


def _jsonable(row: dict | None) -> dict | None:
    if row is None:
        return None
    return json.loads(dumps(row))
