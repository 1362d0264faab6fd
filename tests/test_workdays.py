"""Working-day, month and week arithmetic (cptrack.rules.workdays), as the module doc states it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cptrack.rules import workdays as wd

D = dt.date
dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2035, 12, 31))


# ---------------------------------------------------------------------------
# Table tests around the holidays that trip people up


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 12, 24), True),  # Thursday before Christmas
        (D(2026, 12, 25), False),  # Christmas Day, Friday
        (D(2026, 12, 28), False),  # Boxing Day (substitute), Monday
        (D(2026, 12, 29), True),
        (D(2022, 12, 27), False),  # Christmas Day substitute, Tuesday
        (D(2026, 4, 3), False),  # Good Friday 2026
        (D(2026, 4, 6), False),  # Easter Monday 2026
        (D(2025, 4, 18), False),  # Good Friday 2025
        (D(2025, 4, 21), False),  # Easter Monday 2025
        (D(2022, 6, 2), False),  # spring bank holiday moved to Thursday 2 June 2022
        (D(2022, 6, 3), False),  # Platinum Jubilee, Friday 3 June 2022
        (D(2022, 5, 30), True),  # the usual last-Monday-of-May was a working day in 2022
        (D(2022, 9, 19), False),  # State Funeral of Queen Elizabeth II
        (D(2023, 5, 8), False),  # Coronation of King Charles III
        (D(2023, 5, 9), True),
        (D(2026, 11, 21), False),  # Saturday
        (D(2026, 11, 22), False),  # Sunday
    ],
)
def test_is_working_day(day, expected):
    """Weekends and England and Wales bank holidays, special ones included, are not working days."""
    assert expected == wd.is_working_day(day)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 12, 23), 1, D(2026, 12, 24)),
        (D(2026, 12, 24), 1, D(2026, 12, 29)),  # over Christmas and the Boxing Day substitute
        (D(2026, 12, 18), 10, D(2027, 1, 6)),  # and New Year's Day 2027 (Friday)
        (D(2026, 4, 2), 1, D(2026, 4, 7)),  # Maundy Thursday to the Tuesday after Easter
        (D(2022, 5, 31), 3, D(2022, 6, 7)),  # Wed 1, (Thu 2, Fri 3 off), Mon 6, Tue 7
        (D(2022, 9, 16), 1, D(2022, 9, 20)),  # Friday before the State Funeral
        (D(2023, 5, 5), 1, D(2023, 5, 9)),  # Friday before the Coronation
        (D(2026, 11, 21), 1, D(2026, 11, 23)),  # Saturday: day 1 is the Monday
        (D(2026, 11, 21), 0, D(2026, 11, 20)),  # day 0 of a Saturday is the Friday before
        (D(2026, 11, 26), -3, D(2026, 11, 23)),  # 3 working days before a Thursday: Monday
        (D(2026, 12, 29), -1, D(2026, 12, 24)),  # back over Christmas
    ],
)
def test_add_working_days(start, n, expected):
    """The Nth working day after (or before) a date, across holidays."""
    assert expected == wd.add_working_days(start, n)


def test_fifteen_working_days_across_the_may_bank_holiday():
    """15 working days from Friday 24 April 2026 skip the May Day bank holiday (4 May)."""
    due = wd.add_working_days(D(2026, 4, 24), 15)
    assert D(2026, 5, 18) == due
    assert wd.working_days_between(D(2026, 4, 24), due) == 15


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (D(2026, 12, 24), D(2026, 12, 29), 1),
        (D(2026, 12, 29), D(2026, 12, 24), -1),
        (D(2022, 6, 1), D(2022, 6, 6), 1),
        (D(2026, 11, 20), D(2026, 11, 23), 1),  # Friday to Monday
        (D(2026, 11, 21), D(2026, 11, 22), 0),  # Saturday to Sunday
        (D(2026, 11, 23), D(2026, 11, 23), 0),
    ],
)
def test_working_days_between(a, b, expected):
    """Working days after a, up to and including b."""
    assert expected == wd.working_days_between(a, b)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 8, 31), 3, D(2026, 11, 30)),  # clamped: November has 30 days
        (D(2026, 8, 30), 3, D(2026, 11, 30)),
        (D(2027, 1, 31), 1, D(2027, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2026, 11, 30), 6, D(2027, 5, 30)),
        (D(2026, 5, 31), -3, D(2026, 2, 28)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),  # over the year end
    ],
)
def test_add_months(start, n, expected):
    """Calendar months, clamped to the month's last day."""
    assert expected == wd.add_months(start, n)


@pytest.mark.parametrize(
    ("unit", "n", "expected"),
    [
        ("working_days", 10, D(2026, 12, 8)),
        ("calendar_days", 10, D(2026, 12, 4)),
        ("weeks", 4, D(2026, 12, 22)),
        ("months", 3, D(2027, 2, 24)),
        ("calendar_days", -7, D(2026, 11, 17)),
    ],
)
def test_shift_by_unit(unit, n, expected):
    """shift dispatches on the profile's unit names."""
    assert expected == wd.shift(D(2026, 11, 24), n, unit)


def test_shift_refuses_hours():
    """Hours need a time of day, so shift refuses them rather than guessing."""
    with pytest.raises(ValueError, match="hours"):
        wd.shift(D(2026, 11, 24), 48, "hours")


@pytest.mark.parametrize(("hours", "days"), [(24, 1), (48, 2), (25, 2), (1, 1), (0, 0)])
def test_hours_as_days(hours, days):
    """Date-only reading of an hours rule: ceil(hours / 24) days."""
    assert days == wd.hours_as_days(hours)


def test_missing_dates_stay_missing():
    """NaT in, NaT (or NA) out, for every function, without disturbing the other rows."""
    s = pd.Series(pd.to_datetime(["2026-12-24", None]).astype("datetime64[us]"))
    assert pd.isna(wd.add_working_days(s, 1).iloc[1])
    assert pd.Timestamp("2026-12-29") == wd.add_working_days(s, 1).iloc[0]
    assert pd.isna(wd.add_months(s, 3).iloc[1])
    assert pd.isna(wd.add_days(s, 3).iloc[1])
    counts = wd.working_days_between(s, pd.Series(pd.to_datetime(["2026-12-29"] * 2)))
    assert list(counts) == [1, pd.NA]
    assert list(wd.is_working_day(s)) == [True, False]


def test_series_in_series_out():
    """A Series keeps its index and comes back as datetime64[us]."""
    s = pd.Series(pd.to_datetime(["2026-08-31", "2026-01-31"]), index=[7, 9])
    out = wd.add_months(s, np.array([3, 1]))
    assert list(out.index) == [7, 9]
    assert str(out.dtype) == "datetime64[us]"
    assert [pd.Timestamp("2026-11-30"), pd.Timestamp("2026-02-28")] == list(out)


def test_special_bank_holidays_listed():
    """The 2022 and 2023 one-off bank holidays are in the calendar."""
    listed = set(wd.bank_holidays().astype(dt.date))
    assert {D(2022, 6, 3), D(2022, 9, 19), D(2023, 5, 8)} <= listed
    assert D(2022, 12, 25) not in listed  # a Sunday: its substitute (27th) is listed instead
    assert D(2022, 12, 27) in listed


# ---------------------------------------------------------------------------
# Properties


@given(dates, st.integers(min_value=0, max_value=400))
def test_count_inverts_add(start, n):
    """Counting back the working days from start to start + N gives N."""
    assert n == wd.working_days_between(start, wd.add_working_days(start, n))


@given(dates, st.integers(min_value=1, max_value=400))
def test_add_backwards_inverts_on_working_days(start, n):
    """From a working day, N working days back is -N working days away."""
    if not wd.is_working_day(start):
        start = wd.add_working_days(start, 1)
    assert -n == wd.working_days_between(start, wd.add_working_days(start, -n))


@given(dates, st.integers(min_value=1, max_value=400))
def test_added_day_is_working_day_and_increasing(start, n):
    """The Nth working day after a date is a working day, after it, and before the N+1th."""
    day = wd.add_working_days(start, n)
    assert wd.is_working_day(day)
    assert day > start
    assert day < wd.add_working_days(start, n + 1)


@given(dates, dates, dates)
def test_count_is_additive_and_antisymmetric(a, b, c):
    """Counts chain: (a, c] = (a, b] + (b, c]; and (b, a] is minus (a, b]."""
    ab = wd.working_days_between(a, b)
    assert ab + wd.working_days_between(b, c) == wd.working_days_between(a, c)
    assert -ab == wd.working_days_between(b, a)


@given(dates, st.integers(min_value=-60, max_value=60))
def test_months_clamp(start, n):
    """Adding months moves exactly n months and never past the original day of the month."""
    out = wd.add_months(start, n)
    assert (out.year * 12 + out.month) - (start.year * 12 + start.month) == n
    assert out.day <= start.day
    if out.day < start.day:
        assert (out + dt.timedelta(days=1)).day == 1  # clamped to the last day


@settings(max_examples=30)
@given(
    st.lists(dates, min_size=1, max_size=20),
    st.integers(min_value=-30, max_value=30),
)
def test_vectorised_agrees_with_scalar(days, n):
    """The column versions give the same answer as the scalar ones, element by element."""
    s = pd.Series(pd.to_datetime(days))
    assert [wd.add_working_days(d, n) for d in days] == [
        t.date() for t in wd.add_working_days(s, n)
    ]
    assert [wd.add_months(d, n) for d in days] == [t.date() for t in wd.add_months(s, n)]
    other = s.iloc[::-1].reset_index(drop=True)
    expected = [wd.working_days_between(a, b.date()) for a, b in zip(days, other, strict=True)]
    assert expected == list(wd.working_days_between(s, other))


@settings(max_examples=200)
@given(
    st.lists(st.dates(min_value=D(1990, 1, 2), max_value=D(2100, 12, 1)), min_size=1, max_size=30),
    st.integers(min_value=-300, max_value=300),
)
def test_table_lookup_agrees_with_numpy_busday(days, n):
    """The calendar table the engine uses gives numpy's busday answers, day for day."""
    arr = np.array(days, dtype="datetime64[D]")
    table = wd._add_by_table(arr, np.full(len(arr), n))
    if table is not None:
        assert list(wd._add_by_busday(arr, np.full(len(arr), n))) == list(table)
    other = arr[::-1]
    counted = wd._between_by_table(arr, other)
    assert counted is not None
    assert list(wd._between_by_busday(arr, other)) == list(counted)
    assert list(np.is_busday(arr, busdaycal=wd.calendar())) == list(wd.is_working_day(arr))


def test_dates_at_the_tables_edge_still_work():
    """The table's first day falls back to numpy's busday functions, with the same rules."""
    assert D(1990, 1, 2) == wd.add_working_days(D(1990, 1, 1), 1)  # New Year's Day 1990
    assert wd.working_days_between(D(1990, 1, 1), D(1990, 1, 3)) == 2
    # Past 2100 no bank holidays are listed: Friday 31 Dec 2100 + 1 is Monday 3 Jan 2101.
    assert D(2101, 1, 3) == wd.add_working_days(D(2100, 12, 31), 1)


def test_the_cached_bank_holidays_are_the_holidays_packages(tmp_path, monkeypatch):
    """The list kept in the cache folder is the one the holidays package gives."""
    import holidays

    from cptrack.rules import workdays

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    workdays.bank_holidays.cache_clear()
    try:
        made = workdays.bank_holidays()
        assert workdays._cache_file().exists()
        workdays.bank_holidays.cache_clear()
        again = workdays.bank_holidays()
    finally:
        workdays.bank_holidays.cache_clear()
    days = holidays.UnitedKingdom(subdiv="ENG", years=range(1990, 2101))
    expected = sorted(d for d in days if d.weekday() < 5)
    assert made.tolist() == again.tolist() == expected
