"""The store: a cptrack database over SQLAlchemy, SQLite by default, PostgreSQL through a URL.

``Store`` opens the database (creating or upgrading its schema on request), reads rows and
the audit log, and writes through a ``Transaction`` (``cptrack.storage.transaction``): every
write inside one is validated and audited, and if anything fails, nothing of it is kept.
Loading many trusted rows at once (``bulk_insert``) switches SQLite's per-row key checks off
for the load and checks every key once before committing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cptrack.storage import migrations
from cptrack.storage.bulk import identifier
from cptrack.storage.connection import StoreError, database_url, hide_password, make_engine
from cptrack.storage.identity import current_user
from cptrack.storage.tables import audit_log, table
from cptrack.storage.transaction import Transaction, get_row


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
            return get_row(conn, kind, record_id)

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
