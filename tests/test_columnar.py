"""The engine's column helpers agree with plain, obviously correct versions of themselves."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cptrack import columnar as col

small_ints = st.lists(st.integers(min_value=-5, max_value=5), min_size=1, max_size=40)


@settings(max_examples=200)
@given(st.data())
def test_order_by_is_a_stable_lexicographic_sort(data):
    """order_by gives np.lexsort's order (stable), packed or not, dates with NaT first."""
    n = data.draw(st.integers(min_value=1, max_value=40))
    a = np.array(data.draw(st.lists(st.integers(-3, 3), min_size=n, max_size=n)), dtype="int64")
    b = np.array(data.draw(st.lists(st.integers(0, 10**6), min_size=n, max_size=n)), dtype="int64")
    days = np.array(data.draw(st.lists(st.integers(-1, 5), min_size=n, max_size=n)))
    d = np.where(days < 0, np.datetime64("NaT"), np.datetime64("2026-01-01") + days).astype(
        "datetime64[D]"
    )
    expected = np.lexsort((col.sortable(d), b, a))
    assert list(expected) == list(col.order_by(a, b, d))
    huge = b * (1 << 40)  # too wide to pack: falls back to lexsort
    assert list(np.lexsort((huge, a))) == list(col.order_by(a, huge))


@settings(max_examples=200)
@given(st.data())
def test_first_after_and_last_on_or_before_match_brute_force(data):
    """Group-wise nearest-day look-ups, checked against a loop over every pair."""
    n = data.draw(st.integers(min_value=0, max_value=15))
    m = data.draw(st.integers(min_value=0, max_value=15))
    lg = np.array(data.draw(st.lists(st.integers(-1, 3), min_size=n, max_size=n)), dtype="int64")
    rg = np.array(data.draw(st.lists(st.integers(-1, 3), min_size=m, max_size=m)), dtype="int64")
    base = np.datetime64("2026-01-01", "D")
    ld = base + np.array(
        data.draw(st.lists(st.integers(0, 9), min_size=n, max_size=n)), dtype="int64"
    )
    rd = base + np.array(
        data.draw(st.lists(st.integers(0, 9), min_size=m, max_size=m)), dtype="int64"
    )
    for strictly in (True, False):
        got = col.first_after(lg, ld, rg, rd, strictly=strictly)
        for i in range(n):
            cands = [
                j
                for j in range(m)
                if lg[i] != -1
                and rg[j] == lg[i]
                and (rd[j] > ld[i] or (not strictly and rd[j] == ld[i]))
            ]
            best = min(cands, key=lambda j: (rd[j], j)) if cands else -1
            assert (rd[best] if best >= 0 else None) == (rd[got[i]] if got[i] >= 0 else None)
        got = col.last_on_or_before(lg, ld, rg, rd, strictly=strictly)
        for i in range(n):
            cands = [
                j
                for j in range(m)
                if lg[i] != -1
                and rg[j] == lg[i]
                and (rd[j] < ld[i] or (not strictly and rd[j] == ld[i]))
            ]
            best = max(cands, key=lambda j: rd[j]) if cands else -1
            assert (rd[best] if best >= 0 else None) == (rd[got[i]] if got[i] >= 0 else None)


@given(small_ints)
def test_lookup_finds_each_key_or_minus_one(keys):
    """lookup maps keys to rows of a unique key table."""
    table = np.array(sorted(set(range(-2, 4))), dtype="int64")
    found = col.lookup(np.array(keys, dtype="int64"), table)
    for k, row in zip(keys, found, strict=True):
        assert row == (-1 if k == -1 or k not in table else int(np.flatnonzero(table == k)[0]))


def test_next_previous_and_rank_in_group():
    """Group-wise shifts and ranks over rows sorted by group."""
    groups = np.array([1, 1, 1, 2, 3, 3])
    values = np.array([10, 20, 30, 40, 50, 60])
    assert [20, 30, -1, -1, 60, -1] == list(col.next_in_group(groups, values, -1))
    assert [-1, 10, 20, -1, -1, 50] == list(col.previous_in_group(groups, values, -1))
    assert [0, 1, 2, 0, 0, 1] == list(col.rank_in_group(groups))


@given(st.lists(st.integers(min_value=-(10**12), max_value=10**12), max_size=40), st.booleans())
def test_distinct_codes_group_equal_keys(values, narrow):
    """distinct gives equal codes to equal keys, different codes to different ones, and a
    row holding each key, whether the keys are dense or spread wide."""
    key = np.array([v % 50 if narrow else v for v in values], dtype="int64")
    codes, rows = col.distinct(key)
    assert len(set(key.tolist())) == len(rows)
    for i in range(len(key)):
        assert key[rows[codes[i]]] == key[i]


def test_order_by_keys_too_wide_to_pack_matches_lexsort():
    """Keys whose ranges and the row number do not fit in 63 bits are ordered as np.lexsort
    orders them: stable, NaT first."""
    rng = np.random.default_rng(7)
    n = 5000
    child = rng.integers(-1, 10**12, n)
    rule = rng.integers(0, 40, n).astype("int16")
    days = rng.integers(-1, 900, n)
    due = np.where(days < 0, np.datetime64("NaT"), np.datetime64("2024-01-01") + days)
    due = due.astype("datetime64[D]")
    child[::7] = child[0]  # ties on the first key, ordered by the others
    constant = np.full(n, 3)
    expected = np.lexsort((rule, col.sortable(due), child))
    assert (col.order_by(child, due, rule) == expected).all()
    assert (col.order_by(child, constant, due, rule) == expected).all()
