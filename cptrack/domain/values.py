"""Plain Python values from caseload frames, for forms: a row as a dict, a cell as a date.

Frames hold pandas types (``Timestamp``, ``NA``, numpy integers); a form wants ``date``,
``None`` and ``int``. These two functions are the one place that conversion is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd


def as_date(value: Any) -> dt.date | None:
    """A date from a frame cell, a datetime or a date (None when missing)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return None if pd.isna(value) else pd.Timestamp(value).date()
    except (TypeError, ValueError):
        return None


def fmt(day: Any, missing: str = "no date") -> str:
    """A date as a chair reads it, 4 Dec 2026 (from a date, a datetime or a frame cell);
    ``missing`` when there is none. The one date format of the apps, reports and messages."""
    day = as_date(day)
    return f"{day:%-d %b %Y}" if day else missing


def as_int(value: Any) -> int | None:
    try:
        return None if value is None or pd.isna(value) else int(value)
    except (TypeError, ValueError):
        return None


def row_dict(series: pd.Series) -> dict[str, Any]:
    """A frame row as plain values: dates as dates, missing as None, numbers as int/float."""
    out = {}
    for key, value in series.items():
        if isinstance(value, pd.Timestamp):
            value = value.date()
        elif value is pd.NA or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
            value = None
        elif hasattr(value, "item") and not isinstance(value, str | bytes | list | dict):
            value = value.item()
        out[key] = value
    return out
