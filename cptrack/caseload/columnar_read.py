"""A whole caseload on PostgreSQL read by connectorx straight into Arrow columns, a table a
query and no Python object per value but the texts, then typed as the store's own connection
types them."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import sqlalchemy as sa

from cptrack.caseload.columns import coerce, frame_of
from cptrack.caseload.frames import CHILD_KINDS, CONFERENCE_KINDS
from cptrack.storage.store import Store
from cptrack.storage.tables import TABLES


def read_columnar(store: Store, wanted: set[str] | None) -> dict[str, pd.DataFrame] | None:
    """Every frame of a whole caseload read by connectorx into Arrow, then typed as ``frame_of``
    types it; None where connectorx is not to read the database (``connectorx_source``),
    which the caller then reads through its own connection."""
    source = connectorx_source(store)
    if source is None:
        return None
    import connectorx

    frames: dict[str, pd.DataFrame] = {}
    for name in ("staff", "teams", "children", *CHILD_KINDS, *CONFERENCE_KINDS):
        if wanted is not None and name not in wanted and name != "children":
            frames[name] = frame_of(name, {}, 0)
            continue
        table = TABLES[name]
        query = sa.select(table).order_by(table.c.id)
        sql = str(query.compile(dialect=store.engine.dialect))
        try:
            arrow = connectorx.read_sql(source, sql, return_type="arrow")
        except Exception:  # noqa: BLE001 - connectorx raises its own kinds; the driver reads
            return None
        frames[name] = _arrow_frame(name, arrow)
    return frames


def connectorx_source(store: Store) -> str | None:
    """The database as connectorx names it (``postgresql://...``), or None where the store's
    own connection must read it:

    * SQLite: connectorx (0.4) keeps its connections open between reads and can hand back
      what a connection saw before the latest commits (measured: a row updated and committed
      read back as it was, until a checkpoint); a caseload must show what was just saved.

    connectorx's reads never return in a process forked from one that used it (its worker
    threads are not in the child): cptrack's own worker processes are not forked
    (``cptrack.demo.synthetic.POOL_START``).
    """
    url = store.engine.url
    if url.get_backend_name() != "postgresql":
        return None
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _arrow_frame(name: str, arrow) -> pd.DataFrame:
    """A frame of table ``name`` from an Arrow table, typed as ``frame_of`` types the drivers'
    values: dates, yes/no and ids straight from Arrow's buffers; text as Python strings, each
    distinct one made once (Arrow's dictionary encoding); the rest through ``coerce``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = arrow.num_rows
    index = pd.RangeIndex(n)
    out = {}
    for col in TABLES[name].columns:
        if col.name not in arrow.column_names:
            out[col.name] = coerce(np.full(n, None, dtype=object), col.type, index)
            continue
        values = arrow.column(col.name).combine_chunks()
        kind = values.type
        key = col.name == "child_id" or (name == "children" and col.name == "id")
        missing = values.is_null().to_numpy(zero_copy_only=False)
        if isinstance(col.type, sa.Date) and kind == pa.date32():
            days = values.cast(pa.int32()).fill_null(0).to_numpy().astype("int64")
            days[missing] = np.iinfo("int64").min
            out[col.name] = days.view("datetime64[D]").astype("datetime64[us]")
        elif isinstance(col.type, sa.Boolean) and kind == pa.bool_():
            out[col.name] = pd.arrays.BooleanArray(
                values.fill_null(False).to_numpy(zero_copy_only=False), missing
            )
        elif isinstance(col.type, sa.Integer) and pa.types.is_integer(kind):
            out[col.name] = pd.arrays.IntegerArray(
                values.fill_null(0).to_numpy().astype(np.int64, copy=False), missing
            )
        elif (
            isinstance(col.type, sa.String | sa.Text)
            and not isinstance(col.type, sa.JSON)
            and (pa.types.is_string(kind) or pa.types.is_large_string(kind))
        ):
            encoded = pc.dictionary_encode(values)
            words = encoded.dictionary.to_pylist()
            if key:
                words = [sys.intern(w) for w in words]
            shared = np.empty(len(words) + 1, dtype=object)
            shared[:-1] = words
            shared[-1] = None
            codes = encoded.indices.fill_null(len(words)).to_numpy(zero_copy_only=False)
            out[col.name] = pd.Series(shared[codes], index=index, dtype=object, copy=False)
        elif isinstance(col.type, sa.Time) and pa.types.is_time(kind):
            # Each distinct time made once, its object shared (as ``coerce`` shares them).
            encoded = pc.dictionary_encode(values)
            times = np.empty(len(encoded.dictionary) + 1, dtype=object)
            times[:-1] = encoded.dictionary.to_pylist()
            times[-1] = None
            codes = encoded.indices.fill_null(len(times) - 1).to_numpy(zero_copy_only=False)
            out[col.name] = pd.Series(times[codes], index=index, dtype=object, copy=False)
        else:  # JSON, anything else: the values as the driver would hand them over
            objects = np.empty(n, dtype=object)
            objects[:] = values.to_pylist()
            out[col.name] = coerce(objects, col.type, index, key=key)
    return pd.DataFrame(out, index=index, copy=False)
