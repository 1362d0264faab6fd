"""Joins and date tests the data-quality rules share."""

from __future__ import annotations

import pandas as pd

from cptrack.interchange.dataquality.census import CensusData


def with_episode(d: CensusData, name: str, *cols: str) -> pd.DataFrame:
    """Frame ``name`` with columns of its CINdetails group (episode) alongside."""
    episodes = d["episodes"][["child", "episode", *cols]]
    return d[name].merge(episodes, on=["child", "episode"], how="left", suffixes=("", "_episode"))


def in_year(d: CensusData, dates: pd.Series) -> pd.Series:
    """Dates within the census year (both ends included); missing dates are not."""
    start, end = d.year
    return dates.notna() & (dates >= start) & (dates <= end)


def on_weekend(dates: pd.Series) -> pd.Series:
    return dates.notna() & (dates.dt.day_of_week >= 5)


def pairs(left: pd.DataFrame, right: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every pair of rows about the same child (a row is not paired with itself).

    Columns of the second row get the suffix ``_o`` ("other").
    """
    same = right is None
    a = left.reset_index(drop=True).assign(_row=lambda f: f.index)
    b = a if same else right.reset_index(drop=True).assign(_row=lambda f: -1 - f.index)
    out = a.merge(b, on="child", suffixes=("", "_o"))
    if same:
        out = out[out["_row"] != out["_row_o"]]
    return out.drop(columns=["_row", "_row_o"])


def until_reference(d: CensusData, ends: pd.Series) -> pd.Series:
    """End dates, with the reference date for what is still open."""
    return ends.fillna(d.ref)


def within(dates: pd.Series, start: pd.Series, end: pd.Series) -> pd.Series:
    """Dates in [start, end], both included; missing values are never within."""
    return dates.notna() & start.notna() & end.notna() & (dates >= start) & (dates <= end)


def not_true(flags: pd.Series) -> pd.Series:
    """False or missing (a missing yes/no is not a yes)."""
    return ~flags.fillna(False).astype(bool)
