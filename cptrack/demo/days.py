"""Dates as day ordinals, for generating many of them quickly.

The demo handles a date as its day ordinal (``datetime.date.toordinal()``) and a working day
as its position in a sorted array of working-day ordinals (``WorkingDays``), turned into
``datetime64[D]`` columns at the end (``as_dates``).
"""

from __future__ import annotations

import numpy as np

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
