"""Bulk loading: rows (dicts or a frame) turned into columns ready for a fast insert
(``prepare``, ``Columns``, made in a worker process if need be), a copy from an attached
scratch SQLite file (``Copy``), and the driver-level insert SQLite takes fastest. The
store's ``bulk_insert`` writes them inside a transaction (``cptrack.storage.transaction``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cptrack.domain import models
from cptrack.storage.connection import StoreError, dumps
from cptrack.storage.tables import table


def _sqlite_converter(col_type: sa.types.TypeEngine):
    """How SQLAlchemy's SQLite types write a column's values, for the fast path (text
    already in that form passes through)."""
    if isinstance(col_type, sa.DateTime):
        fmt = "%Y-%m-%d %H:%M:%S.%f"
    elif isinstance(col_type, sa.Date):
        fmt = "%Y-%m-%d"
    elif isinstance(col_type, sa.Time):
        fmt = "%H:%M:%S.%f"
    elif isinstance(col_type, sa.JSON):
        return dumps
    else:
        return None  # text, numbers and booleans go to the driver as they are
    return lambda v: v if v is None or isinstance(v, str) else v.strftime(fmt)


def _defaults(kind: str) -> dict[str, Any]:
    """Each column's default for rows that leave it out (None where the model has none)."""
    out: dict[str, Any] = {}
    for name, info in models.kind(kind).model_fields.items():
        if name == "id":
            continue
        value = None if info.is_required() else info.get_default(call_default_factory=True)
        out[name] = value.value if isinstance(value, Enum) else value
    return out


@dataclass
class Columns:
    """Rows of one kind already turned into column lists for a bulk insert.

    Made with ``prepare`` (for example in a worker process) so the process writing to the
    database only zips and inserts. ``sqlite`` says which form the values are in.
    """

    data: dict[str, list]
    sqlite: bool

    def __len__(self) -> int:
        return len(next(iter(self.data.values()), []))

    def slice(self, start: int, stop: int, sqlite: bool) -> dict[str, list]:
        if sqlite != self.sqlite:
            raise StoreError("prepared rows are for another kind of database")
        return {name: values[start:stop] for name, values in self.data.items()}


@dataclass
class Copy:
    """Rows to copy, inside SQLite, from a table of an attached scratch database.

    ``shifts`` adds a number to columns on the way (ids made locally, renumbered). The
    source table has the target's columns, in its column order. ``rows`` is its row count.
    """

    alias: str
    source: str
    rows: int
    shifts: dict[str, int]

    def __len__(self) -> int:
        return self.rows

    def run(self, conn: Connection, target: sa.Table) -> int:
        names = [c.name for c in target.columns]
        select = ", ".join(
            f'"{n}" + {int(self.shifts[n])}' if self.shifts.get(n) else f'"{n}"' for n in names
        )
        cols = ", ".join(f'"{n}"' for n in names)
        source = f'{identifier(self.alias)}."{identifier(self.source)}"'
        result = conn.exec_driver_sql(
            f'INSERT INTO main."{target.name}" ({cols}) SELECT {select} FROM {source}'
        )
        return result.rowcount


def identifier(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise StoreError(f"not a usable name: {name!r}")
    return name


def prepare(kind: str, rows, sqlite: bool) -> Columns:
    """Rows (dicts or a frame) as ``Columns`` ready for ``bulk_insert``."""
    return Columns(column_lists(kind, rows, sqlite=sqlite), sqlite)


def column_lists(kind: str, rows, sqlite: bool = False) -> dict[str, list]:
    """Rows (dicts, or a pandas frame) as one list of Python values per table column,
    missing columns filled with the model's defaults and missing dates as None."""
    import numpy as np
    import pandas as pd

    t = table(kind)
    defaults = _defaults(kind)
    n = len(rows)
    out: dict[str, list] = {}
    for col in t.columns:
        default = defaults.get(col.name)
        if isinstance(rows, pd.DataFrame):
            if col.name not in rows.columns:
                out[col.name] = [default] * n
                continue
            series = rows[col.name]
            if series.dtype.kind == "M" and sqlite:
                # the text SQLAlchemy's SQLite Date type writes, made a column at a time
                text = np.datetime_as_string(series.to_numpy().astype("datetime64[D]"))
                values = np.where(series.isna().to_numpy(), None, text).tolist()
            elif series.dtype.kind == "M":
                values = series.dt.date.astype(object).where(series.notna(), None).tolist()
            elif series.dtype.kind in "biu":
                values = series.to_numpy().tolist()
            else:
                values = series.astype(object).where(series.notna(), None).tolist()
                convert = _sqlite_converter(col.type) if sqlite else None
                if convert is not None:
                    values = [convert(v) for v in values]
        else:
            values = [r.get(col.name, default) for r in rows]
            convert = _sqlite_converter(col.type) if sqlite else None
            if convert is not None:
                values = [convert(v) for v in values]
        out[col.name] = (
            [v.value if isinstance(v, Enum) else v for v in values]
            if (isinstance(default, Enum) or any(isinstance(v, Enum) for v in values[:20]))
            else values
        )
    return out


def sqlite_fast_insert(conn: Connection, kind: str, columns: dict[str, list]) -> None:
    """Insert columns (already in SQLite's text forms) through the driver: SQLite's bulk
    path, several times faster than SQLAlchemy's per-row processing for millions of rows."""
    t = table(kind)
    quoted = ", ".join(f'"{c.name}"' for c in t.columns)
    marks = ", ".join("?" for _ in t.columns)
    rows = list(zip(*(columns[c.name] for c in t.columns), strict=True))
    conn.exec_driver_sql(f'INSERT INTO "{t.name}" ({quoted}) VALUES ({marks})', rows)
