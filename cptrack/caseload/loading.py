"""Loading a caseload from the store, whole or narrowed to a chair, team or children.

Reads go one way: store → ``Caseload`` frames → engine → views.
"""

from __future__ import annotations

from operator import itemgetter

import numpy as np
import pandas as pd
import sqlalchemy as sa

from cptrack.caseload.columnar_read import read_columnar
from cptrack.caseload.columns import frame_of
from cptrack.caseload.frames import CHILD_KINDS, CONFERENCE_KINDS, Caseload
from cptrack.storage.store import Store
from cptrack.storage.tables import TABLES


def load(
    store: Store,
    *,
    chair_id: int | None = None,
    team_id: int | None = None,
    child_ids: list[str] | None = None,
    kinds: tuple[str, ...] | None = None,
) -> Caseload:
    """Load a caseload from the store, whole or narrowed to a chair, team or children.

    ``kinds`` names the frames a caller reads (``cptrack.engine.KINDS`` for the engine): the
    others are left empty, unread. A whole caseload on PostgreSQL is read straight into Arrow
    columns (connectorx), a table a query and no Python object per value but the texts; SQLite
    (see ``columnar_read.connectorx_source``) and a narrowed caseload (a chair's or a child's
    page: one round trip costs less than opening a connection a table) through the store's own
    connection."""
    children_t = TABLES["children"]
    child_q = sa.select(children_t.c.id)
    if chair_id is not None:
        child_q = child_q.where(children_t.c.chair_id == int(chair_id))
    if team_id is not None:
        child_q = child_q.where(children_t.c.team_id == int(team_id))
    if child_ids is not None:
        child_q = child_q.where(children_t.c.id.in_([str(c) for c in child_ids]))
    narrowed = chair_id is not None or team_id is not None or child_ids is not None

    conferences_t = TABLES["conferences"]
    frames: dict[str, pd.DataFrame] = {}
    wanted = set(kinds) if kinds is not None else None
    if not narrowed:  # a whole caseload: straight into Arrow where the database allows
        columnar = read_columnar(store, wanted)
        if columnar is not None:
            return Caseload(**columnar)
    with store.engine.connect() as conn:
        for name in ("staff", "teams"):
            frames[name] = _read(conn, sa.select(TABLES[name]), name, wanted)
        q = sa.select(children_t)
        if narrowed:
            q = q.where(children_t.c.id.in_(child_q))
        frames["children"] = _read(conn, q, "children", None)
        for name in CHILD_KINDS:
            t = TABLES[name]
            q = sa.select(t)
            if narrowed:
                q = q.where(t.c.child_id.in_(child_q))
            frames[name] = _read(conn, q, name, wanted)
        conf_q = sa.select(conferences_t.c.id)
        if narrowed:
            conf_q = conf_q.where(conferences_t.c.child_id.in_(child_q))
        for name in CONFERENCE_KINDS:
            t = TABLES[name]
            q = sa.select(t)
            if narrowed:
                q = q.where(t.c.conference_id.in_(conf_q))
            frames[name] = _read(conn, q, name, wanted)
    return Caseload(**frames)


def _read(conn, query, name: str, wanted: set[str] | None) -> pd.DataFrame:
    if wanted is not None and name not in wanted:
        return frame_of(name, {}, 0)
    # The driver's own rows (tuples of plain values), typed a column at a time below:
    # SQLAlchemy's per-row processing costs minutes on millions of rows.
    result = conn.execute(query.order_by(TABLES[name].c.id))
    names = list(result.keys())
    rows = result.cursor.fetchall()
    result.close()
    n = len(rows)
    return frame_of(
        name,
        {
            c: np.fromiter(map(itemgetter(j), rows), dtype=object, count=n)
            for j, c in enumerate(names)
        },
        n,
    )
