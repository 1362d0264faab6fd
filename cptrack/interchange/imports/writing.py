"""Writing an import's records: inserts and updates in bulk, each with its audit row.

``RowWriter.write`` writes the records ``apply.Writer`` has matched, validated and checked:
inserts with the driver's ``executemany`` (PostgreSQL: ``COPY``), updates grouped by the
columns they change, and one audit row per record, the same rows ``Transaction.add`` and
``Transaction.update`` write, in the caller's transaction. When the database refuses a value
another record holds (a source id), ``RowWriter.clashes`` names the records that hold it.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cptrack.domain import models
from cptrack.domain.models import FieldError
from cptrack.interchange.imports.staging import Staged
from cptrack.storage.connection import StoreError, dumps
from cptrack.storage.integrity import unique_columns
from cptrack.storage.tables import audit_log, table

IN_CHUNK = 500  # values per SQL IN (...) list


def chunks(values: list, size: int = IN_CHUNK) -> Iterable[list]:
    """``values`` in lists of at most ``size``, one SQL IN (...) list each."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass(eq=False)  # each pending record is itself (a key in clashes)
class Pending:
    """A record ready to write: its row, and for an update the stored row and the change."""

    staged: Staged
    row: dict[str, Any]
    before: dict[str, Any] | None = None  # the stored row, for an update
    changed: dict[str, Any] | None = None  # the changed columns, for an update


class RowWriter:
    """Writes pending records and their audit rows on one connection, as one user."""

    def __init__(self, conn: Connection, user: str, note: str | None):
        self.conn = conn
        self.user = user
        self.note = note
        self.at = dt.datetime.now(dt.UTC)

    def clashes(self, kind: str, pending: list[Pending]) -> dict[Pending, FieldError]:
        """The records whose value in a unique column another record (stored, or earlier in
        this import) already holds."""
        t = table(kind)
        label = models.kind(kind).label.lower()
        found: dict[Pending, FieldError] = {}
        for cols in unique_columns(kind):
            name = cols[-1]
            if len(cols) != 1:
                continue
            own_ids = {p.before["id"] for p in pending if p.before is not None}
            first: dict[Any, Pending] = {}
            for p in pending:
                value = p.row.get(name)
                if value is None:
                    continue
                if value in first:
                    found[p] = FieldError(
                        name,
                        f"{value!r} is also given at {first[value].staged.where}; each "
                        f"{label} needs its own",
                    )
                else:
                    first[value] = p
            for chunk in chunks(list(first)):
                stored = self.conn.execute(sa.select(t.c.id, t.c[name]).where(t.c[name].in_(chunk)))
                for other_id, value in stored:
                    p = first[value]
                    if other_id != p.row.get("id") and other_id not in own_ids:
                        found[p] = FieldError(
                            name,
                            f"{value!r} is already held by another {label} "
                            f"({other_id}); each needs its own",
                        )
        return found

    def write(
        self, kind: str, inserts: list[Pending], updates: list[Pending]
    ) -> list[tuple[Pending, dict]]:
        """Write the records and their audit rows; each record with the row now stored.
        A refusal by the database is raised as it comes (see ``clashes``)."""
        t = table(kind)
        audits: list[dict] = []
        registered: list[tuple[Pending, dict]] = []
        if inserts:
            if models.kind(kind).id_type is int:
                for p, new_id in zip(inserts, self._new_ids(t, len(inserts)), strict=True):
                    p.row["id"] = new_id
            rows = [p.row for p in inserts]  # new records are at version 1
            self._insert(t, rows)
            for p, row in zip(inserts, rows, strict=True):
                audits.append(self._audit_row(kind, row["id"], "insert", 1, None, row))
                registered.append((p, row))
        if updates:
            groups: dict[tuple[str, ...], list[Pending]] = defaultdict(list)
            for p in updates:
                groups[tuple(sorted(p.changed))].append(p)
            for cols, group in groups.items():
                stmt = (
                    t.update()
                    .where(t.c.id == sa.bindparam("w_id"), t.c.version == sa.bindparam("w_v"))
                    .values({c: sa.bindparam(f"v_{c}") for c in cols})
                    .values(version=sa.bindparam("v_version"))
                )
                params = [
                    {
                        "w_id": p.before["id"],
                        "w_v": p.before["version"],
                        "v_version": p.before["version"] + 1,
                        **{f"v_{c}": p.changed[c] for c in cols},
                    }
                    for p in group
                ]
                done = self.conn.execute(stmt, params).rowcount
                if done != len(group):
                    raise StoreError(
                        f"import stopped: {len(group) - done} {models.kind(kind).label.lower()} "
                        "record(s) were changed by someone else while importing. Nothing was "
                        "saved; run the import again."
                    )
            for p in updates:
                version = p.before["version"] + 1
                before = {k: p.before.get(k) for k in p.changed}
                audits.append(
                    self._audit_row(kind, p.before["id"], "update", version, before, p.changed)
                )
                registered.append((p, p.row))
        if audits:
            self._insert(audit_log, audits)
        return registered

    def _insert(self, t: sa.Table, rows: list[dict]) -> None:
        """Insert rows with the driver's ``executemany``: SQLAlchemy's per-row work is the
        slowest part of a large import. Values are stored exactly as SQLAlchemy stores them,
        so reads through ``cptrack.storage.store`` and ``cptrack.caseload`` see the same values."""
        cols = [c.name for c in t.columns if c.name != "id" or "id" in rows[0]]
        sqlite = self.conn.dialect.name == "sqlite"
        convert = []
        for i, name in enumerate(cols):
            fn = _converter(t.c[name].type, sqlite)
            if fn is not None:
                convert.append((i, fn))
        mark = "?" if sqlite else "%s"
        names = ", ".join(f'"{c}"' for c in cols)
        sql = f'INSERT INTO "{t.name}" ({names}) VALUES ({", ".join(mark for _ in cols)})'
        take = operator.itemgetter(*cols)
        if not sqlite:
            self._copy(t, cols, [take(r) for r in rows], convert)
            return
        if not convert:
            params = [take(r) for r in rows]
        else:
            params = []
            for r in rows:
                values = list(take(r))
                for i, fn in convert:
                    if values[i] is not None:
                        values[i] = fn(values[i])
                params.append(tuple(values))
        self.conn.exec_driver_sql(sql, params)

    def _copy(self, t: sa.Table, cols: list[str], rows: list[tuple], convert) -> None:
        """PostgreSQL: rows through COPY, many times faster than INSERT for an import."""
        names = ", ".join(f'"{c}"' for c in cols)
        raw = self.conn.connection.dbapi_connection
        with raw.cursor() as cur, cur.copy(f'COPY "{t.name}" ({names}) FROM STDIN') as copy:
            for r in rows:
                if convert:
                    values = list(r)
                    for i, fn in convert:
                        if values[i] is not None:
                            values[i] = fn(values[i])
                    r = values
                copy.write_row(r)

    def _audit_row(
        self, kind: str, record_id: Any, action: str, version: int, before, after
    ) -> dict:
        return {
            "at": self.at,
            "user": self.user,
            "table_name": kind,
            "record_id": str(record_id),
            "action": action,
            "version": version,
            "before": before,
            "after": after,
            "note": self.note,
        }

    def _new_ids(self, t: sa.Table, n: int) -> list[int]:
        dialect = self.conn.dialect.name
        if dialect == "sqlite":
            # Safe: an import holds SQLite's write lock (BEGIN IMMEDIATE) from its start.
            top = self.conn.execute(sa.select(sa.func.max(t.c.id))).scalar() or 0
            return list(range(top + 1, top + 1 + n))
        if dialect == "postgresql":
            return list(
                self.conn.execute(
                    sa.text(
                        "SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                        "FROM generate_series(1, :n)"
                    ),
                    {"t": t.name, "n": n},
                ).scalars()
            )
        raise StoreError(f"imports support SQLite and PostgreSQL, not {dialect}")


def _converter(col_type: sa.types.TypeEngine, sqlite: bool) -> Callable[[Any], Any] | None:
    """How a column's values are handed to the driver: JSON as text; on SQLite, dates and
    times as the ISO text SQLAlchemy's SQLite types write. None: as they are."""
    if isinstance(col_type, sa.JSON):
        return dumps
    if not sqlite:
        return None
    if isinstance(col_type, sa.DateTime):
        return lambda v: v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(col_type, sa.Date):
        return dt.date.isoformat
    if isinstance(col_type, sa.Time):
        return lambda v: v.strftime("%H:%M:%S.%f")
    return None
