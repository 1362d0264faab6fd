"""Column types of a caseload's frames, as every way of reading them gives them.

Dates are ``datetime64`` (NaT when missing), times are ``datetime.time`` or None, yes/no
columns are pandas' nullable ``boolean``, ids keep their stored types.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from cptrack.storage.tables import TABLES


def typed(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Give ``frame`` every column of table ``name`` with cptrack's column types."""
    return frame_of(
        name, {c: frame[c].to_numpy(dtype=object, na_value=None) for c in frame.columns}, len(frame)
    )


def frame_of(name: str, columns: dict[str, np.ndarray], n: int) -> pd.DataFrame:
    """A frame of table ``name`` from its columns as object arrays, None for a missing
    value (a missing column is all None)."""
    # Typed with numpy, a column at a time, without a pandas Series between steps: a page
    # reads nineteen frames of a few hundred rows, where pandas' own overhead per column
    # costs more than the rows.
    index = pd.RangeIndex(n)
    out = {}
    for col in TABLES[name].columns:
        values = columns.get(col.name)
        if values is None:
            values = np.full(n, None, dtype=object)
        key = col.name == "child_id" or (name == "children" and col.name == "id")
        out[col.name] = coerce(values, col.type, index, key=key)
    return pd.DataFrame(out, index=index, copy=False)


def coerce(values: np.ndarray, col_type: Any, index: pd.RangeIndex, *, key: bool = False):
    """One column (an object array, None where missing) as cptrack types it; anything numpy
    cannot read as the drivers hand it over goes through pandas."""
    if isinstance(col_type, sa.Time):  # each distinct time read once, its object shared
        codes, uniques = pd.factorize(values)
        times = np.empty(len(uniques) + 1, dtype=object)
        times[:] = [*(_as_time(u) for u in uniques), None]
        return pd.Series(times[codes], index=index, dtype=object)
    if isinstance(col_type, sa.JSON):
        # SQLite's driver hands JSON over as text; PostgreSQL's already parsed
        parsed = np.fromiter(
            (json.loads(v) if isinstance(v, str) else v for v in values),
            dtype=object,
            count=len(values),
        )
        return pd.Series(parsed, index=index, dtype=object)
    if not isinstance(col_type, sa.DateTime | sa.Date | sa.Boolean | sa.Integer):
        # Text stays Python strings (object), not pandas' string dtype: the engine compares
        # and matches them by object.
        return pd.Series(shared_strings(values, keys=key), index=index, dtype=object, copy=False)
    missing = np.equal(values, None)
    if isinstance(col_type, sa.DateTime):
        return pd.to_datetime(
            pd.Series(values, index=index, dtype=object),
            errors="coerce",
            utc=True,
            format="ISO8601",
        )
    if isinstance(col_type, sa.Date):
        days = _iso_days(values, missing)
        if days is not None:
            return days.astype("datetime64[us]")
        series = pd.Series(values, index=index, dtype=object)
        first = values[~missing][:1].tolist()
        if first and isinstance(first[0], str):  # SQLite's text dates
            series = pd.to_datetime(series, errors="coerce", format="%Y-%m-%d")
        return pd.to_datetime(series, errors="coerce").astype("datetime64[us]")
    if isinstance(col_type, sa.Boolean):
        if not any(isinstance(v, str) for v in values[~missing][:1]):
            return pd.arrays.BooleanArray(np.where(missing, False, values).astype(bool), missing)
        return pd.Series(values, index=index, dtype=object).astype("boolean")
    try:
        return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(np.int64), missing)
    except (TypeError, ValueError, OverflowError):
        return pd.Series(values, index=index, dtype=object).astype("Int64")


def shared_strings(values: np.ndarray, *, keys: bool = False) -> np.ndarray:
    """Text with each distinct value held once: a million visits name fifty thousand
    children, and one string object per child instead of per row saves memory and makes
    every comparison, look-up and sort over the column faster (equal strings are found equal
    by identity, Python keeps each string's hash, and their few objects stay in the
    processor's cache). Interned, so that the children's ids in every frame are the same
    objects (``keys``: shared however few or distinct)."""
    if len(values) < 1024 and not keys:
        return values
    codes, uniques = pd.factorize(values)
    if len(uniques) > len(values) // 2 and not keys:  # free text, mostly distinct
        return values
    shared = np.empty(len(uniques) + 1, dtype=object)
    shared[:-1] = [sys.intern(u) if type(u) is str else u for u in uniques]
    shared[-1] = None
    return shared[codes]


def _iso_days(values: np.ndarray, missing: np.ndarray) -> np.ndarray | None:
    """Dates as numpy days, parsed by numpy, when they are what the drivers hand over: SQLite's
    "YYYY-MM-DD" text or PostgreSQL's ``datetime.date``, or nothing but nulls (None for anything
    else, which pandas then reads, more slowly)."""
    present = values[~missing]
    if not len(present):  # no date at all (end dates of open plans...): all NaT
        return np.full(len(values), np.datetime64("NaT"), dtype="datetime64[D]")
    first = present[0]
    if isinstance(first, str):
        if len(first) != 10:
            return None
    elif type(first) is not dt.date:
        return None
    try:  # numpy reads None as NaT
        return values.astype("datetime64[D]")
    except (ValueError, TypeError):
        return None


def _as_time(value: Any) -> dt.time | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        return dt.time.fromisoformat(value)
    return None
