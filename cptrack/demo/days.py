"""Dates as day ordinals, for generating many of them quickly.

The demo handles a date as its day ordinal (``datetime.date.toordinal()``): one at a time,
working days are stepped through a sorted list of their ordinals (``Days``) and months added
without pandas (``add_months``); a column at a time, a working day is a position in an array
of them (``WorkingDays``). Ordinals become dates at the end (``as_date``, ``as_dates``).
"""

from __future__ import annotations

import bisect
import datetime as dt
from calendar import monthrange

import numpy as np

from cptrack.rules import workdays

EPOCH_ORDINAL = 719163  # datetime.date(1970, 1, 1).toordinal()


def as_dates(ordinals: np.ndarray) -> np.ndarray:
    """Day ordinals as ``datetime64[D]``; ordinals <= 0 become NaT."""
    ordinals = np.asarray(ordinals, dtype="int64")
    out = (ordinals - EPOCH_ORDINAL).astype("datetime64[D]")
    out[ordinals <= 0] = np.datetime64("NaT")
    return out


class WorkingDays:
    """Working days as positions in a sorted array of ordinals."""

    def __init__(self, ordinals: list[int]):
        self.days = np.asarray(ordinals, dtype="int64")

    def index(self, ordinals) -> np.ndarray:
        """Position of the working day on or before each ordinal."""
        return np.searchsorted(self.days, np.asarray(ordinals), side="right") - 1

    def at(self, positions) -> np.ndarray:
        return self.days[np.clip(positions, 0, len(self.days) - 1)]


class Days:
    """Fast working-day steps over ordinal day numbers, for generating many dates."""

    def __init__(self, first: dt.date, last: dt.date):
        holidays = {d.astype(dt.date).toordinal() for d in workdays.bank_holidays()}
        self.days = [
            o
            for o in range(first.toordinal(), last.toordinal() + 1)
            if dt.date.fromordinal(o).weekday() < 5 and o not in holidays
        ]

    def add(self, day: int, n: int) -> int:
        """The nth working day after ``day`` (``workdays.add_working_days`` rules)."""
        i = bisect.bisect_right(self.days, day) - 1  # day itself, or the working day before
        return self.days[i + n]

    def index(self, day: int) -> int:
        """The position of ``day`` (or the working day before it) among the working days."""
        return bisect.bisect_right(self.days, day) - 1

    def roll(self, day: int) -> int:
        """``day`` if a working day, else the next working day."""
        return self.days[bisect.bisect_left(self.days, day)]


def add_months(day: int, n: int) -> int:
    """``workdays.add_months`` on ordinals, without pandas (called ~100,000 times)."""
    d = dt.date.fromordinal(day)
    month0 = d.month - 1 + n
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(d.day, monthrange(year, month)[1])).toordinal()


def plan_months(review: int) -> int:
    """Months from the start of a plan to its nth review: 3, then 6 more for each."""
    return 3 + 6 * (review - 1)


def as_date(day: int | None) -> dt.date | None:
    """A day ordinal as a date (``None`` stays ``None``)."""
    return None if day is None else dt.date.fromordinal(day)
