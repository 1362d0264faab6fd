"""Storage: one module over SQLAlchemy, SQLite by default, PostgreSQL through a URL.

Every write goes through a ``Transaction``: the record is validated first (its own fields,
then its references and the rules that need other records), then written with an audit row
saying who did what, when, and the values before and after. If anything fails, nothing of
the transaction is kept.

Rows carry a ``version``. An update or delete states the version it was made from; if the
row has moved on since, the write is refused with ``StaleVersionError`` rather than
silently overwriting somebody else's change.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from cptrack.domain import models
from cptrack.domain.models import FieldError, RecordError
from cptrack.storage import integrity, migrations, roles
from cptrack.storage.bulk import (
    Columns,
    Copy,
    column_lists,
    identifier,
    prepare,
    sqlite_fast_insert,
)
from cptrack.storage.connection import (
    ENV_DB,
    StoreError,
    database_url,
    dumps,
    hide_password,
    make_engine,
)
from cptrack.storage.identity import ENV_USER, current_user
from cptrack.storage.settings_table import SECRET_NAMES
from cptrack.storage.tables import audit_log, metadata, table


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


# ---------------------------------------------------------------------------
# Locations


class Store:
    """A cptrack database. Open with ``Store.open(path_or_url)``."""

    def __init__(self, engine: Engine, user: str | None = None):
        self.engine = engine
        self._user = user

    @property
    def user(self) -> str:
        """Who writes through this store: as given, else ``current_user()`` at the time of
        the write (a page's kernel learns who opened it only when the page is requested)."""
        return self._user or current_user()

    @classmethod
    def open(
        cls,
        location: str | os.PathLike | None = None,
        *,
        user: str | None = None,
        migrate: bool = False,
    ) -> Store:
        """Open the database at ``location`` (or ``CPTRACK_DB``).

        With ``migrate=True`` the schema is created or upgraded first; otherwise a database
        without cptrack's schema is refused with a message saying how to create it.
        """
        url = database_url(location)
        try:
            engine = make_engine(url)
        except sa.exc.ArgumentError as exc:
            raise StoreError(f"cannot use database URL {hide_password(url)!r}: {exc}") from None
        store = cls(engine, user=user)
        if migrate:
            store.migrate()
        else:
            store.require_schema()
        return store

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema ------------------------------------------------------------

    def migrate(self) -> str:
        """Create or upgrade the schema to the newest migration; returns its revision."""
        try:
            return migrations.upgrade(self.engine)
        except sa.exc.OperationalError as exc:
            raise StoreError(f"cannot open {self.url}: {exc.orig}") from None

    def schema_revision(self) -> str | None:
        return migrations.current(self.engine)

    def require_schema(self) -> None:
        try:
            current = migrations.current(self.engine)
        except sa.exc.OperationalError as exc:
            raise StoreError(f"cannot open {self.url}: {exc.orig}") from None
        if current is None:
            raise StoreError(
                f"{self.url} has no cptrack tables yet: run `cptrack init --db ...` to create them"
            )
        head = migrations.head()
        if current != head:
            raise StoreError(
                f"{self.url} is at schema revision {current}, this cptrack needs {head}: run "
                "`cptrack init --db ...` to upgrade it"
            )

    # -- writes ------------------------------------------------------------

    @contextmanager
    def transaction(self, note: str | None = None) -> Iterator[Transaction]:
        """One transaction: every write inside is kept, or none is."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(cptrack_write=True)
            with conn.begin():
                yield Transaction(conn, self.user, note)

    def add(self, kind: str, data: Mapping[str, Any], note: str | None = None) -> dict:
        with self.transaction(note) as tx:
            return tx.add(kind, data)

    def update(
        self,
        kind: str,
        record_id: Any,
        changes: Mapping[str, Any],
        version: int,
        note: str | None = None,
    ) -> dict:
        with self.transaction(note) as tx:
            return tx.update(kind, record_id, changes, version)

    def delete(self, kind: str, record_id: Any, version: int, note: str | None = None) -> None:
        with self.transaction(note) as tx:
            tx.delete(kind, record_id, version)

    def bulk_insert(
        self,
        rows_by_kind: Mapping[str, Any] | Iterable[Mapping[str, Any]],
        note: str,
        attach: Mapping[str, str] | None = None,
    ) -> dict[str, int]:
        """Insert many trusted rows fast, in one transaction, with one audit row per table.

        ``rows_by_kind`` maps a kind to a list of row dicts or a pandas frame; an iterable
        of such mappings is inserted part by part in the same transaction. For generated or
        already validated data (the demo caseload): rows are not validated one by one, but
        every foreign key is checked before the transaction commits.

        On SQLite, ``attach`` names scratch database files (alias → path) that ``Copy``
        parts read from; they are attached for the load only.
        """
        if isinstance(rows_by_kind, Mapping):
            rows_by_kind = [rows_by_kind]
        if attach and self.dialect != "sqlite":
            raise StoreError("copying from attached files needs an SQLite database")
        if self.dialect != "sqlite":
            with self.transaction(note) as tx:
                return tx.bulk_insert(rows_by_kind)
        # SQLite checks each foreign key row by row; for millions of rows it is much faster
        # to switch that off for the load and check every key once before committing.
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection  # outside any transaction, as SQLite needs
            raw.execute("PRAGMA foreign_keys=OFF")
            raw.execute("PRAGMA cache_size=-262144")  # 256 MB while loading
            # A rollback journal writes each new page once; WAL would write it twice.
            raw.execute("PRAGMA journal_mode=DELETE")
            for alias, path in (attach or {}).items():  # ATTACH only outside a transaction
                raw.execute(f"ATTACH DATABASE ? AS {identifier(alias)}", (str(path),))
            try:
                conn = conn.execution_options(cptrack_write=True)
                with conn.begin():
                    counts = Transaction(conn, self.user, note).bulk_insert(rows_by_kind)
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        table_name, rowid, parent, _ = broken[0]
                        raise StoreError(
                            f"bulk insert refused: {len(broken)} rows refer to missing records "
                            f"(first: {table_name} row {rowid} refers to a missing {parent})"
                        )
                return counts
            finally:
                for alias in attach or {}:
                    raw.execute(f"DETACH DATABASE {identifier(alias)}")
                raw.execute("PRAGMA foreign_keys=ON")
                raw.execute("PRAGMA cache_size=-2000")
                raw.execute("PRAGMA journal_mode=WAL")

    # -- reads -------------------------------------------------------------

    def get(self, kind: str, record_id: Any) -> dict | None:
        with self.engine.connect() as conn:
            return _get(conn, kind, record_id)

    def rows(self, kind: str, **equal: Any) -> list[dict]:
        """All rows of ``kind`` whose columns equal the given values, in id order."""
        t = table(kind)
        q = sa.select(t).order_by(t.c.id)
        for name, value in equal.items():
            q = q.where(t.c[name] == value)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def count(self, kind: str) -> int:
        t = table(kind)
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()

    def audit(self, kind: str | None = None, record_id: Any = None) -> list[dict]:
        """Audit entries, oldest first, for a kind and/or one record."""
        q = sa.select(audit_log).order_by(audit_log.c.id)
        if kind is not None:
            q = q.where(audit_log.c.table_name == kind)
        if record_id is not None:
            q = q.where(audit_log.c.record_id == str(record_id))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]


# ---------------------------------------------------------------------------
# Transactions


class Transaction:
    """Writes inside one database transaction, each validated and audited."""

    def __init__(self, conn: Connection, user: str, note: str | None = None):
        self.conn = conn
        self.user = user
        self.note = note

    def get(self, kind: str, record_id: Any) -> dict | None:
        return _get(self.conn, kind, record_id)

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
                record_cls.label, record_id, version, self._with_last_writer(kind, current)
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
                self._with_last_writer(kind, self.get(kind, record_id)),
            )
        before = {k: current.get(k) for k in changed}
        self._audit(kind, current["id"], "update", new_version, before, changed)
        return {**row, "version": new_version}

    def delete(self, kind: str, record_id: Any, version: int) -> None:
        record_cls = models.kind(kind)
        current = self._current_for_write(kind, record_id)
        if current is None or current["version"] != version:
            raise StaleVersionError(
                record_cls.label, record_id, version, self._with_last_writer(kind, current)
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
        q = sa.select(t).where(t.c.id == _coerce_id(kind, record_id))
        if self.conn.dialect.name == "postgresql":
            q = q.with_for_update()
        row = self.conn.execute(q).first()
        return dict(row._mapping) if row else None

    def _with_last_writer(self, kind: str, current: dict | None) -> dict | None:
        if current is None:
            return None
        last = self.conn.execute(
            sa.select(audit_log.c.user, audit_log.c.at)
            .where(audit_log.c.table_name == kind, audit_log.c.record_id == str(current["id"]))
            .order_by(audit_log.c.id.desc())
            .limit(1)
        ).first()
        out = dict(current)
        if last is not None:
            out["_last_user"], out["_last_at"] = last.user, last.at
        return out

    def _audit(
        self,
        kind: str,
        record_id: Any,
        action: str,
        version: int | None,
        before: dict | None,
        after: dict | None,
    ) -> None:
        if kind == "settings" and record_id is not None and is_secret_setting(record_id):
            before, after = _redacted(before), _redacted(after)
        self.conn.execute(
            audit_log.insert().values(
                at=dt.datetime.now(dt.UTC),
                user=self.user,
                table_name=kind,
                record_id=None if record_id is None else str(record_id),
                action=action,
                version=version,
                before=_jsonable(before),
                after=_jsonable(after),
                note=self.note,
            )
        )


REDACTED = "(secret: changed, value not recorded)"


def is_secret_setting(name: Any) -> bool:
    """Whether the settings row ``name`` is a secret (``cptrack.storage.settings``: ``secret=True``)."""
    return str(name) in SECRET_NAMES


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


def _coerce_id(kind: str, record_id: Any) -> Any:
    if models.kind(kind).id_type is int:
        try:
            return int(record_id)
        except (TypeError, ValueError):
            raise RecordError(
                models.kind(kind).label, [FieldError("id", f"{record_id!r} is not a record id")]
            ) from None
    return str(record_id)


def _get(conn: Connection, kind: str, record_id: Any) -> dict | None:
    t = table(kind)
    row = conn.execute(sa.select(t).where(t.c.id == _coerce_id(kind, record_id))).first()
    return dict(row._mapping) if row else None


__all__ = [
    "Columns",
    "Copy",
    "ENV_DB",
    "ENV_USER",
    "StaleVersionError",
    "Store",
    "StoreError",
    "Transaction",
    "current_user",
    "database_url",
    "metadata",
    "prepare",
]
