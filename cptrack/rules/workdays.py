"""Working days, months and hours: the arithmetic of timescales.

Working days exclude Saturdays, Sundays and England and Wales bank holidays (the
``holidays`` package, ``UnitedKingdom(subdiv="ENG")``, which agrees with gov.uk's list).
The rules, stated once:

* "within N working days of D" means on or before ``add_working_days(D, N)``: the Nth
  working day after D, D itself not counted. When D is not a working day, counting starts
  from the next working day (the first working day after D is day 1).
* "at least N working days before D" means on or before ``add_working_days(D, -N)``: the
  Nth working day before D (a report due 3 working days before a Thursday conference is
  due by the Monday).
* ``working_days_between(a, b)`` counts the working days after ``a`` up to and including
  ``b``; negative when ``b`` is before ``a``. So ``working_days_between(D,
  add_working_days(D, N)) == N`` for every D and N >= 0.
* "within N months of D" means on or before the same day-of-month N months later, clamped
  to the month's last day (31 August + 3 months = 30 November).
* "N hours before" (or after) an event with a time is measured in clock hours, weekends
  and bank holidays included. When either side has only a date, the rule compares whole
  days: N hours is ``ceil(N / 24)`` calendar days (``hours_as_days``), so a report due 48
  hours before a conference on the 10th counts as in time when shared on the 8th. A
  profile can read date-only records more strictly (setting ``date_only_hours``; see
  ``cptrack.rules.profiles``): ``strict`` wants one whole day more, ``cannot_tell`` leaves a
  date-only record on the boundary day undecided.
* Weeks are 7 calendar days.

Every function accepts scalars (``datetime.date``) or arrays/Series of ``datetime64`` and
works on whole columns at once with numpy's business-day functions.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

FIRST_YEAR = 1990
LAST_YEAR = 2100


@lru_cache(maxsize=1)
def bank_holidays() -> np.ndarray:
    """England and Wales bank holidays from 1990 to 2100, as ``datetime64[D]``.

    Working them out costs a fifth of a second (every app page pays it once), so the list is
    kept in the user's cache folder, named for the ``holidays`` version that made it.
    """
    cache = _cache_file()
    try:
        return np.load(cache, allow_pickle=False).astype("datetime64[D]")
    except (OSError, ValueError):
        pass
    import holidays as holidays_pkg

    days = holidays_pkg.UnitedKingdom(subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
    weekdays = sorted(d for d in days if d.weekday() < 5)
    out = np.array(weekdays, dtype="datetime64[D]")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(partial, out, allow_pickle=False)
        partial.replace(cache)
    except OSError:  # a read-only home: work them out each time
        pass
    return out


def _cache_file() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return (
        base / "cptrack" / f"bank-holidays-eng-{FIRST_YEAR}-{LAST_YEAR}-{version('holidays')}.npy"
    )


@lru_cache(maxsize=1)
def calendar() -> np.busdaycalendar:
    return np.busdaycalendar(weekmask="1111100", holidays=bank_holidays())


def bank_holiday_name(day: dt.date) -> str | None:
    """The bank holiday's name on ``day`` (a weekday), or None."""
    import holidays as holidays_pkg

    names = holidays_pkg.UnitedKingdom(subdiv="ENG", years=day.year)
    return names.get(day) if day.weekday() < 5 else None


def _as_days(values) -> tuple[np.ndarray, bool, np.ndarray]:
    """Values as datetime64[D], whether the input was a scalar, and the not-a-time mask."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        arr = values if values.dtype == "datetime64[D]" else values.astype("datetime64[D]")
        return arr, False, np.isnat(arr)
    scalar = isinstance(values, dt.date | np.datetime64 | pd.Timestamp | str)
    arr = np.atleast_1d(np.asarray(pd.to_datetime(values), dtype="datetime64[D]"))
    mask = np.isnat(arr)
    return arr, scalar, mask


def _out(arr: np.ndarray, scalar: bool, like=None):
    if scalar:
        value = arr[0]
        if isinstance(value, np.datetime64):
            return None if np.isnat(value) else value.astype(dt.date)
        return int(value)
    if isinstance(like, pd.Series):
        if arr.dtype.kind == "M":
            arr = arr.astype("datetime64[us]")
        return pd.Series(arr, index=like.index)
    return arr


# A day-by-day table of the calendar makes working-day arithmetic a look-up: ``_ORDINAL[i]``
# counts the working days up to and including day ``i`` (days from TABLE_START), and
# ``_WORKING`` lists the working days in order. Dates outside the table use numpy's busday
# functions, which give the same answers (a property test checks the two agree).
TABLE_START = np.datetime64(f"{FIRST_YEAR}-01-01", "D")
TABLE_END = np.datetime64(f"{LAST_YEAR + 1}-01-01", "D")


@lru_cache(maxsize=1)
def _table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    days = np.arange(TABLE_START, TABLE_END, dtype="datetime64[D]")
    working = np.is_busday(days, busdaycal=calendar())
    return working, np.cumsum(working, dtype="int64"), days[working]


def _in_table(safe: np.ndarray) -> np.ndarray | None:
    """Day indexes into the table, or None when a day is too near its ends."""
    i = (safe - TABLE_START).astype("int64")
    if len(i) and (i.min() < 1 or i.max() > len(_table()[0]) - 2):
        return None
    return i


def is_working_day(days):
    arr, scalar, mask = _as_days(days)
    safe = np.where(mask, np.datetime64("2000-01-03"), arr)
    i = _in_table(safe)
    if i is not None:
        out = _table()[0][i].copy()
    else:
        out = np.busday_offset(safe, 0, roll="forward", busdaycal=calendar()) == safe
    out &= ~mask
    return bool(out[0]) if scalar else out


def add_working_days(start, n):
    """The Nth working day after ``start`` (N may be negative: the Nth working day before).

    ``n`` may be a scalar or an array matching ``start``. Missing dates stay missing.
    """
    arr, scalar, mask = _as_days(start)
    n_arr = np.broadcast_to(np.asarray(n, dtype="int64"), arr.shape)
    safe = np.where(mask, np.datetime64("2000-01-03"), arr)
    result = _add_by_table(safe, n_arr)
    if result is None:
        result = _add_by_busday(safe, n_arr)
    result[mask] = np.datetime64("NaT")
    return _out(result, scalar, start)


def _add_by_table(safe: np.ndarray, n: np.ndarray) -> np.ndarray | None:
    i = _in_table(safe)
    if i is None:
        return None
    _, ordinal, working_days = _table()
    # Forward: day 0 is the start rolled back to a working day (its ordinal is the count up
    # to the start), so the Nth is at ordinal + N. Back: day 0 is the first working day on
    # or after the start, at position ordinal(day before); the Nth before is N places back.
    k = np.where(n >= 0, ordinal[i] + n - 1, ordinal[i - 1] + n)
    if len(k) and (k.min() < 0 or k.max() >= len(working_days)):
        return None
    return working_days[k]


def _add_by_busday(safe: np.ndarray, n: np.ndarray) -> np.ndarray:
    fwd = n >= 0
    result = np.empty(safe.shape, dtype="datetime64[D]")
    if fwd.any():
        # Day 0 is ``start`` rolled back to a working day; the Nth working day after it is
        # then the Nth working day after ``start`` itself.
        result[fwd] = np.busday_offset(safe[fwd], n[fwd], roll="backward", busdaycal=calendar())
    if (~fwd).any():
        result[~fwd] = np.busday_offset(safe[~fwd], n[~fwd], roll="forward", busdaycal=calendar())
    return result


def working_days_between(start, end):
    """Working days after ``start`` up to and including ``end`` (negative if ``end`` first).

    Missing dates give a missing count (``pd.NA`` in a Series, None for scalars).
    """
    a, scalar_a, mask_a = _as_days(start)
    b, scalar_b, mask_b = _as_days(end)
    a, b = np.broadcast_arrays(a, b)
    mask = np.broadcast_to(mask_a, a.shape) | np.broadcast_to(mask_b, b.shape)
    safe_a = np.where(mask, np.datetime64("2000-01-03"), a)
    safe_b = np.where(mask, np.datetime64("2000-01-03"), b)
    count = _between_by_table(safe_a, safe_b)
    if count is None:
        count = _between_by_busday(safe_a, safe_b)
    if scalar_a and scalar_b:
        return None if mask[0] else int(count[0])
    out = pd.array(count, dtype="Int64")
    out[mask] = pd.NA
    like = end if isinstance(end, pd.Series) else start
    if isinstance(like, pd.Series):
        return pd.Series(out, index=like.index)
    return out


def working_days_between_array(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """``working_days_between`` for two ``datetime64[D]`` arrays with no missing values, as a
    plain int64 array (the engine's fast path)."""
    count = _between_by_table(start, end)
    return _between_by_busday(start, end) if count is None else count


def _between_by_table(a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    ia, ib = _in_table(a), _in_table(b)
    if ia is None or ib is None:
        return None
    ordinal = _table()[1]
    return ordinal[ib] - ordinal[ia]


def _between_by_busday(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    one = np.timedelta64(1, "D")
    # Count (lo, hi] and give it the sign of b - a. numpy's busday_count(begin, end) with
    # end < begin counts -(end, begin], a day off from the antisymmetric count we state.
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    count = np.busday_count(lo + one, hi + one, busdaycal=calendar())
    return np.where(b < a, -count, count)


def add_months(start, n):
    """``start`` plus ``n`` calendar months, clamped to the end of the month.

    31 August + 3 months is 30 November; 31 January + 1 month is 28 or 29 February.
    ``n`` may be negative, and an array matching ``start``. Missing dates stay missing.
    """
    arr, scalar, mask = _as_days(start)
    n_arr = np.broadcast_to(np.asarray(n, dtype="int64"), arr.shape)
    safe = np.where(mask, np.datetime64("2000-01-03"), arr)
    month = safe.astype("datetime64[M]")
    day0 = (safe - month.astype("datetime64[D]")).astype("int64")  # 0-based day of month
    target = month + n_arr.astype("timedelta64[M]")
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype("int64")
    result = target.astype("datetime64[D]") + np.minimum(day0, length - 1).astype("timedelta64[D]")
    result[mask] = np.datetime64("NaT")
    return _out(result, scalar, start)


def add_days(start, n):
    """``start`` plus ``n`` calendar days (negative: before). Missing dates stay missing."""
    arr, scalar, mask = _as_days(start)
    n_arr = np.broadcast_to(np.asarray(n, dtype="int64"), arr.shape)
    result = arr + n_arr.astype("timedelta64[D]")
    result[mask] = np.datetime64("NaT")
    return _out(result, scalar, start)


UNITS = ("working_days", "calendar_days", "weeks", "months", "hours")


def shift(start, n, unit: str):
    """``start`` moved by ``n`` units (negative: back): the due date of a timescale.

    ``unit`` is one of ``working_days``, ``calendar_days``, ``weeks`` or ``months``. Hours
    need a time of day and a reading for date-only records: see ``hours_as_days`` and the module notes.
    """
    if unit == "working_days":
        return add_working_days(start, n)
    if unit == "calendar_days":
        return add_days(start, n)
    if unit == "weeks":
        return add_days(start, np.asarray(n, dtype="int64") * 7)
    if unit == "months":
        return add_months(start, n)
    raise ValueError(
        f"unit {unit!r} is not one of {', '.join(UNITS[:-1])} ; hours need a time of day: see hours_as_days"
    )


def hours_as_days(hours: float) -> int:
    """The whole-day reading of an hours rule for date-only records (see module doc)."""
    return math.ceil(hours / 24)
