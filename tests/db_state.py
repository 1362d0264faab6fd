"""The whole content of a database, to show that a refused import changed nothing."""

from __future__ import annotations

import sqlalchemy as sa

from cptrack.storage.store import Store
from cptrack.storage.tables import metadata


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row of every cptrack table (the audit log included), in id order."""
    out = {}
    with store.engine.connect() as conn:
        for t in metadata.sorted_tables:
            rows = conn.execute(sa.select(t).order_by(*t.primary_key.columns)).all()
            out[t.name] = [tuple(r) for r in rows]
    return out


def counts(store: Store) -> dict[str, int]:
    return {name: len(rows) for name, rows in snapshot(store).items() if rows}
