"""Writes inside one database transaction, each validated and audited.

Every write is checked first (the record's own fields, then its references and the rules
that need other records, then the writer's role), then written with an audit row. Rows carry
a ``version``: an update or delete states the version it was made from, and is refused with
``StaleVersionError`` if the row has moved on since.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cptrack.domain import models
from cptrack.domain.models import FieldError, RecordError
from cptrack.storage import audit, integrity, roles
from cptrack.storage.bulk import Columns, Copy, column_lists, sqlite_fast_insert
from cptrack.storage.refusals import StaleVersionError, constraint_errors
from cptrack.storage.tables import metadata, table


class Transaction:
    """Writes inside one database transaction, each validated and audited."""

    def __init__(self, conn: Connection, user: str, note: str | None = None):
        self.conn = conn
        self.user = user
        self.note = note

    def get(self, kind: str, record_id: Any) -> dict | None:
        return get_row(self.conn, kind, record_id)

    def add(self, kind: str, data: Mapping[str, Any]) -> dict:
        """Validate and insert one record; returns the stored row (with its id)."""
        record_cls = models.kind(kind)
        data = dict(data)
        data.pop("version", None)
        roles.check_write(self.conn, self.user, kind, None)
        record = record_cls.check(data)
        row = record.row()
        if row.get("id") is None:
            row.pop("id")
        elif self.get(kind, row["id"]) is not None:
            raise RecordError(
                record_cls.label, [FieldError("id", f"{row['id']!r} is already in use")]
            )
        errors = integrity.check(self.conn, kind, row, None)
        if errors:
            raise RecordError(record_cls.label, errors)
        roles.check_write(self.conn, self.user, kind, None, row)  # what the new record holds
        t = table(kind)
        result = self._refused_by_database(kind, row, None, t.insert().values(**row))
        if "id" not in row:
            row["id"] = result.inserted_primary_key[0]
        self._audit(kind, row["id"], "insert", 1, None, row)
        return row

    def update(self, kind: str, record_id: Any, changes: Mapping[str, Any], version: int) -> dict:
        """Apply ``changes`` to the record if it is still at ``version``."""
        record_cls = models.kind(kind)
        current = self._current_for_write(kind, record_id)
        if current is None or current["version"] != version:
            raise StaleVersionError(
                record_cls.label,
                record_id,
                version,
                audit.with_last_writer(self.conn, kind, current),
            )
        roles.check_write(self.conn, self.user, kind, current)
        changes = {k: v for k, v in dict(changes).items() if k not in ("id", "version")}
        merged = {**current, **changes}
        record = record_cls.check(merged)
        row = record.row()
        row["id"] = current["id"]
        errors = integrity.check(self.conn, kind, row, current)
        if errors:
            raise RecordError(record_cls.label, errors)
        changed = {k: v for k, v in row.items() if k != "version" and current.get(k) != v}
        if not changed:
            return current
        roles.check_write(self.conn, self.user, kind, current, changed)
        new_version = version + 1
        t = table(kind)
        result = self._refused_by_database(
            kind,
            row,
            current,
            t.update()
            .where(t.c.id == current["id"], t.c.version == version)
            .values(**changed, version=new_version),
        )
        if result.rowcount != 1:  # lost a race with another writer
            raise StaleVersionError(
                record_cls.label,
                record_id,
                version,
                audit.with_last_writer(self.conn, kind, self.get(kind, record_id)),
            )
        before = {k: current.get(k) for k in changed}
        self._audit(kind, current["id"], "update", new_version, before, changed)
        return {**row, "version": new_version}

    def delete(self, kind: str, record_id: Any, version: int) -> None:
        record_cls = models.kind(kind)
        current = self._current_for_write(kind, record_id)
        if current is None or current["version"] != version:
            raise StaleVersionError(
                record_cls.label,
                record_id,
                version,
                audit.with_last_writer(self.conn, kind, current),
            )
        roles.check_write(self.conn, self.user, kind, current, delete=True)
        t = table(kind)
        try:
            with self.conn.begin_nested():
                self.conn.execute(t.delete().where(t.c.id == current["id"]))
        except sa.exc.IntegrityError:
            raise RecordError(
                record_cls.label,
                [FieldError("id", "other records still refer to this one; remove them first")],
            ) from None
        self._audit(kind, current["id"], "delete", version, current, None)

    def require_admin(self, what: str) -> None:
        """Refuse a write of many kinds at once (an import) unless by an admin, when roles
        apply (``cptrack.storage.roles``)."""
        roles.check_bulk(self.conn, self.user, what)

    def bulk_insert(self, parts: Iterable[Mapping[str, Any]]) -> dict[str, int]:
        self.require_admin("loading records in bulk")
        counts: dict[str, int] = {}
        order = [t.name for t in metadata.sorted_tables]  # referenced tables first
        sqlite = self.conn.dialect.name == "sqlite"
        dropped: list[sa.Index] = []
        seen: set[str] = set()
        for part in parts:
            for kind in sorted(part, key=order.index):
                rows = part[kind]
                if len(rows) == 0:
                    continue
                t = table(kind)
                if kind not in seen:
                    seen.add(kind)
                    # Into an empty table, building the indexes once after the load is far
                    # cheaper than keeping them up to date row by row.
                    if self.conn.execute(sa.select(t.c.id).limit(1)).first() is None:
                        for index in t.indexes:
                            index.drop(self.conn)
                            dropped.append(index)
                if isinstance(rows, Copy):
                    counts[kind] = counts.get(kind, 0) + rows.run(self.conn, t)
                    continue
                for start in range(0, len(rows), 100_000):
                    if isinstance(rows, Columns):
                        columns = rows.slice(start, start + 100_000, sqlite=sqlite)
                    else:
                        columns = column_lists(kind, rows[start : start + 100_000], sqlite=sqlite)
                    if sqlite:
                        sqlite_fast_insert(self.conn, kind, columns)
                    else:
                        names = list(columns)
                        values = zip(*columns.values(), strict=True)
                        self.conn.execute(
                            t.insert(), [dict(zip(names, v, strict=True)) for v in values]
                        )
                counts[kind] = counts.get(kind, 0) + len(rows)
        for index in dropped:
            index.create(self.conn)
        for kind, n in counts.items():
            t = table(kind)
            if self.conn.dialect.name == "postgresql" and t.c.id.autoincrement is True:
                self.conn.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {t.name}), false)"
                    )
                )
            self._audit(kind, None, "bulk_insert", None, None, {"rows": n})
        return counts

    # -- helpers -----------------------------------------------------------

    def _refused_by_database(self, kind: str, row: dict, before: dict | None, statement):
        """Run ``statement``; a constraint the database enforces (a value another record
        took a moment ago, say) becomes a ``RecordError`` naming the field."""
        try:
            with self.conn.begin_nested():
                return self.conn.execute(statement)
        except sa.exc.IntegrityError as exc:
            _, errors = constraint_errors(exc)
            if not errors[0].field:  # SQLite does not say which reference: look again
                errors = integrity.references(self.conn, kind, row) or errors
            raise RecordError(models.kind(kind).label, errors) from None

    def _current_for_write(self, kind: str, record_id: Any) -> dict | None:
        t = table(kind)
        q = sa.select(t).where(t.c.id == coerce_id(kind, record_id))
        if self.conn.dialect.name == "postgresql":
            q = q.with_for_update()
        row = self.conn.execute(q).first()
        return dict(row._mapping) if row else None

    def _audit(
        self,
        kind: str,
        record_id: Any,
        action: str,
        version: int | None,
        before: dict | None,
        after: dict | None,
    ) -> None:
        """The audit row of one write, by this transaction's writer, with its note."""
        audit.record(
            self.conn, self.user, self.note, kind, record_id, action, version, before, after
        )


def coerce_id(kind: str, record_id: Any) -> Any:
    """A record id as its table holds it (a number for most kinds); refused if it is not one."""
    if models.kind(kind).id_type is int:
        try:
            return int(record_id)
        except (TypeError, ValueError):
            raise RecordError(
                models.kind(kind).label, [FieldError("id", f"{record_id!r} is not a record id")]
            ) from None
    return str(record_id)


def get_row(conn: Connection, kind: str, record_id: Any) -> dict | None:
    """The row of ``kind`` with ``record_id``, or None."""
    t = table(kind)
    row = conn.execute(sa.select(t).where(t.c.id == coerce_id(kind, record_id))).first()
    return dict(row._mapping) if row else None
